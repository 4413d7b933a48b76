#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# src/core is the domain without a user interface or a network: it must
# build and be tested without GTK, libadwaita or libsoup.
set -eu
core="$1/src/core"
test -d "$core" || { echo "no $core"; exit 1; }
found=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|adwaita|libadwaita|libsoup|gsk/)' "$core" || true)
if [ -n "$found" ]; then
  echo "src/core must not include GTK, libadwaita or libsoup:"
  echo "$found"
  exit 1
fi
echo "src/core includes neither GTK nor libsoup ($(ls "$core"/*.[ch] | wc -l) files checked)"
