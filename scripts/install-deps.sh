#!/bin/sh
# Installs everything mxsim needs to build, run and test, on Debian 12.
# Run as root (or with sudo available); non-interactive, safe to repeat.
set -eu

# Tests only: tshark (captures), librsvg2-bin and libxml2-utils
# (timeline and plots), groff-base and man-db (the man page), lua5.4
# (luac5.4 checks lua/mxsim.meta.lua), bsdutils (script(1): colour on
# a terminal), parallel (GNU parallel, for the sharded-sweep example of
# docs/sweep.md), jq and python3 (JSON and CSV outputs parse).
pkgs="build-essential clang clang-format cmake pkg-config
      liblua5.4-dev libpcap-dev libldns-dev libcmocka-dev
      tshark librsvg2-bin libxml2-utils groff-base man-db lua5.4
      bsdutils parallel jq python3"

if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "install-deps: run as root (apt-get needs it)" >&2
	exit 2
fi

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	echo "install-deps: all packages present"
	exit 0
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# wireshark-common asks whether non-root users may capture; we never
# capture live traffic, so answer no.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$SUDO debconf-set-selections
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
