#!/bin/sh
# The tree keeps the style of .clang-format (STYLE.md: "Pick one formatting
# style, put it in .clang-format, and keep the tree in it").
# Usage: format.sh SRC
set -eu
cd "$1"
command -v clang-format >/dev/null || { echo "clang-format is not installed (scripts/install-deps.sh)"; exit 1; }
files=$(find sim tests/unit tests/scenario bench -name '*.[ch]' | sort)
# shellcheck disable=SC2086
if ! clang-format --dry-run --Werror $files; then
	echo "run: clang-format -i \$(find sim tests/unit tests/scenario bench -name '*.[ch]')"
	exit 1
fi
echo "ok: $(echo "$files" | wc -l) files in the tree's format"
