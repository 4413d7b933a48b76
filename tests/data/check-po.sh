#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# po/ru.po must translate every user-visible string: every file with one is
# listed in POTFILES.in, and every message of those files has a translation
# that is neither missing nor fuzzy.
set -eu
root="$1"
cd "$root"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0

# Files that hold translatable strings but are not listed.
for f in $(grep -rlE '(^|[^A-Za-z_])(_|N_|C_|NC_|g_dngettext)\(|translatable="yes"' src ui data \
           --include='*.c' --include='*.ui' --include='*.in' --include='*.gschema.xml' | sort); do
  if ! grep -qxF "$f" po/POTFILES.in; then
    echo "not in po/POTFILES.in: $f"
    status=1
  fi
done

# Listed files that no longer exist.
grep -v '^#' po/POTFILES.in | grep -v '^$' | while read -r f; do
  test -f "$f" || { echo "listed in po/POTFILES.in but missing: $f"; exit 1; }
done || status=1

# The messages of the sources as they are now, as meson's glib preset
# extracts them.
xgettext --from-code=UTF-8 --files-from=po/POTFILES.in --directory="$root" \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
  --add-comments --output="$tmp/all.pot"

# Every message of the sources is in ru.po ...
if ! msgcmp --use-untranslated po/ru.po "$tmp/all.pot" 2>"$tmp/msgcmp"; then
  echo "po/ru.po lacks messages of the sources (run ninja pfdo-desk-update-po):"
  head -20 "$tmp/msgcmp"
  status=1
fi

# ... translated, not fuzzy, and valid for msgfmt.
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" po/ru.po "$tmp/all.pot"
msgattrib --untranslated --no-obsolete "$tmp/merged.po" >"$tmp/untranslated.po"
msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" >"$tmp/fuzzy.po"
for kind in untranslated fuzzy; do
  if grep -q '^msgid "[^"]' "$tmp/$kind.po"; then
    echo "$kind messages in po/ru.po:"
    grep '^msgid "[^"]' "$tmp/$kind.po" | head -20
    status=1
  fi
done
msgfmt --check --output-file=/dev/null po/ru.po || status=1

if [ $status -eq 0 ]; then
  echo "po/ru.po translates all $(grep -c '^msgid "[^"]' "$tmp/all.pot") messages"
fi
exit $status
