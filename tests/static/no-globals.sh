#!/bin/sh
# No mutable global state (DESIGN.md "No global state"): the libraries may
# define no writable data symbols (nm types b/B/d/D; read-only tables are
# r/R), and the simulator never reads the wall clock or libc randomness.
# The command-line program's objects (a ';'-separated list, as CMake
# gives it) may read the clock in one place only, the progress bar
# (sim/cli/progress.c), which draws on a terminal and writes no output
# file.
# Usage: no-globals.sh SRC LIB... CLI_OBJECTS
set -eu
src=$1
shift
bad=0
CLOCKS='time|clock_gettime|gettimeofday|rand|random|srand|srandom|drand48|lrand48|getrandom|arc4random'
eval "cli=\${$#}"
libs=""
while [ $# -gt 1 ]; do
	libs="$libs $1"
	shift
done
set -- $libs
nobj=0
for obj in $(echo "$cli" | tr ';' ' '); do
	nobj=$((nobj + 1))
	case $obj in
	*/sim/cli/progress.c.o) continue ;;
	esac
	if ! syms=$(nm --undefined-only "$obj"); then
		echo "$obj: nm failed"
		bad=1
		continue
	fi
	out=$(printf '%s\n' "$syms" | awk '{ print $2 }' |
		grep -xE "$CLOCKS" | sort -u || true)
	if [ -n "$out" ]; then
		echo "$obj: uses the wall clock or libc randomness:"
		echo "$out" | sed 's/^/    /'
		bad=1
	fi
done
if [ $nobj -eq 0 ]; then
	echo "no objects of the mxsim program were given"
	bad=1
fi
for lib in "$@"; do
	# By section, not by nm letter: 'static const' tables of pointers
	# live in .data.rel.ro, which nm also marks 'd' but which is
	# read-only once relocated.  Sanitizer builds add their own
	# unnamed records, which are not ours.
	out=$(nm --defined-only --format=sysv "$lib" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $7); gsub(/ /, "", $1) }
			$7 ~ /^\.(data|bss)(\.|$)/ && $7 !~ /^\.data\.rel\.ro/ &&
			$1 !~ /^(__unnamed_|__asan|___asan|__odr_asan|__ubsan|__sancov|\.L)/ { print $1 " (" $7 ")" }' |
		sort -u)
	if [ -n "$out" ]; then
		echo "$lib: writable global data:"
		echo "$out" | sed 's/^/    /'
		bad=1
	fi
done
# Undefined symbols the libraries would take from libc: none of the clock
# or random-number functions may appear.
for lib in "$@"; do
	out=$(nm --undefined-only "$lib" | awk '{ print $2 }' |
		grep -xE "$CLOCKS" |
		sort -u || true)
	if [ -n "$out" ]; then
		echo "$lib: uses the wall clock or libc randomness:"
		echo "$out" | sed 's/^/    /'
		bad=1
	fi
done
hits=$(grep -rn '%p' "$src/sim" --include='*.c' || true)
if [ -n "$hits" ]; then
	echo "pointers printed in sim/ (outputs must not depend on addresses):"
	echo "$hits" | sed 's/^/    /'
	bad=1
fi
[ $bad -eq 0 ] && echo "ok: no writable globals, no wall clock, no libc randomness"
exit $bad
