#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs "$@" in a D-Bus session of its own with a gnome-keyring-daemon whose
# login keyring (the default collection) is made and unlocked for the run,
# in folders of its own, and PFDO_TEST_KEYRING=1 set: the keyring tests of
# test-token run there. The daemon leaves with the session's bus.
set -eu
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_RUNTIME_DIR="$dir/run" XDG_DATA_HOME="$dir/data" XDG_CONFIG_HOME="$dir/config"
export XDG_CACHE_HOME="$dir/cache" HOME="$dir/home" PFDO_TEST_KEYRING=1
mkdir -p "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$HOME"
chmod 700 "$XDG_RUNTIME_DIR"
status=0
dbus-run-session -- sh -c '
  printf "%s" keyring-test-password |
    gnome-keyring-daemon --unlock --components=secrets >/dev/null &&
  exec "$@"' sh "$@" || status=$?
exit $status
