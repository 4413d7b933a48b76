#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# data/api/regional-v1.yaml must describe exactly what pfdo-regiond serves:
# every path of its routes and every code it can answer with.
set -eu
root="$1"
yaml="$root/data/api/regional-v1.yaml"
server="$root/src/server"
status=0

paths=$(grep -ho '"/api/v1/[a-z-]*"' "$server"/*.c | tr -d '"' | sed 's|^/api/v1||' | sort -u)
for p in $paths; do
  grep -q "^  $p:\$" "$yaml" || { echo "path $p is served but not in the yaml"; status=1; }
done
for p in $(grep -o '^  /[a-z-]*:$' "$yaml" | tr -d ' :'); do
  echo "$paths" | grep -qx "$p" || { echo "path $p is in the yaml but not served"; status=1; }
done

# Codes of problems and of rejected results, and every domain code.
codes=$( (grep -hoE 'respond_problem \(msg, [A-Z_]+, "[a-z_]+"' "$server"/*.c | grep -oE '"[a-z_]+"$';
          grep -hoE 'add_result \([^;]*"rejected", "[a-z_]+"' "$server"/*.c | grep -oE '"[a-z_]+"$';
          grep -hoE 'return "[a-z_]+";' "$server"/pfdo-server-ops.c | grep -oE '"[a-z_]+"';
          sed -n '/domain_codes\[\] = {/,/^};/p' "$root/src/core/pfdo-error.c" |
            grep -oE '\] = "[a-z_]+"' | grep -oE '"[a-z_]+"') |
        tr -d '"' | sort -u)
count=0
for c in $codes; do
  count=$((count + 1))
  grep -q "^        - $c\$" "$yaml" || { echo "code $c is answered but not in the yaml"; status=1; }
done

[ $status -eq 0 ] && echo "regional-v1.yaml lists all $(echo "$paths" | wc -l) paths and $count codes"
exit $status
