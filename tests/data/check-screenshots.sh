#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every screenshot the metainfo names is in data/screenshots/ (made by
# build-aux/dev screenshots), is a PNG, and is shown in README.md.
set -euo pipefail
root="$1"
metainfo="$2"
status=0
names="$(sed -n 's|.*<image>.*/\([^/<]*\)</image>.*|\1|p' "$metainfo")"
if [[ -z "$names" ]]; then
  echo "the metainfo names no screenshots" >&2
  exit 1
fi
for name in $names; do
  file="$root/data/screenshots/$name"
  if [[ ! -f "$file" ]]; then
    echo "missing: data/screenshots/$name (run build-aux/dev screenshots)" >&2
    status=1
  elif [[ "$(head -c 8 "$file" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]]; then
    echo "not a PNG: data/screenshots/$name" >&2
    status=1
  fi
  if ! grep -q "data/screenshots/$name" "$root/README.md"; then
    echo "not in README.md: data/screenshots/$name" >&2
    status=1
  fi
done
exit $status
