#!/bin/sh
# tests/cli/bad_input.sh - the catalogue of malformed scenarios, tests/bad/.
#
# Each tests/bad/*.lua starts with
#     -- expect: <exact text the error message must contain>
# and may have, as its second line,
#     -- known gap: <why the message lacks its file:line>
# For each file, run from $SRC with the relative path tests/bad/NAME.lua
# (so that messages are stable), this asserts:
#  - 'mxsim run' exits 2, prints nothing on stdout, and its stderr contains
#    the expected text;
#  - the message starts with "tests/bad/NAME.lua:<line>:" (file and line),
#    unless the file declares a known gap;
#  - no capture, trace or .part file is left behind;
#  - 'mxsim check' rejects the file the same way (exit 2, same text).
# It also feeds mxsim a precompiled (binary) chunk, made here with printf
# rather than committed.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
mkdir -p "$WORK/out" "$WORK/log" || exit 1

# reject NAME PATH EXPECT GAP: runs PATH (from $SRC) and checks the verdict.
reject() {
	_name=$1
	_path=$2
	_exp=$3
	_gap=$4
	_o=$WORK/log/$_name.stdout
	_e=$WORK/log/$_name.stderr
	_ok=1
	(cd "$SRC" && "$MXSIM" run "$_path" --capture "$WORK/out/$_name.pcap" \
	    --trace "$WORK/out/$_name.jsonl") >"$_o" 2>"$_e"
	_rc=$?
	if [ $_rc -ne 2 ]; then
		fail "$_name: mxsim run exited $_rc, want 2"
		_ok=0
	fi
	if ! grep -F -q -- "$_exp" "$_e"; then
		fail "$_name: stderr lacks the expected text"
		echo "    want: $_exp"
		_ok=0
	fi
	if [ -s "$_o" ]; then
		fail "$_name: printed on stdout (a scenario that does not load has no narrative)"
		_ok=0
	fi
	case $(head -n 1 "$_e") in
	"$_path":[0-9]*)
		[ -n "$_gap" ] && echo "  note: $_name: declares a known gap, yet its message now has file:line: drop the 'known gap' line"
		;;
	*)
		if [ -z "$_gap" ]; then
			fail "$_name: the message does not start with '$_path:<line>:'"
			_ok=0
		else
			echo "  note: $_name: known gap: $_gap"
		fi
		;;
	esac
	_left=$(ls -A "$WORK/out")
	if [ -n "$_left" ]; then
		fail "$_name: a failed run left files behind: $(echo $_left)"
		rm -f "$WORK/out/"* "$WORK/out/".[!.]* 2>/dev/null
		_ok=0
	fi
	(cd "$SRC" && "$MXSIM" check "$_path") >"$_o.check" 2>"$_e.check"
	_rc=$?
	if [ $_rc -ne 2 ] || ! grep -F -q -- "$_exp" "$_e.check"; then
		fail "$_name: mxsim check exited $_rc or did not print the expected text"
		_ok=0
	fi
	if [ $_ok = 1 ]; then
		echo "check: $_name: exit 2 (run and check), '$_exp', no output file: ok"
	else
		echo "    stderr of 'mxsim run $_path':"
		sed 's/^/      /' "$_e"
	fi
}

# zone_line NAME EXPECT: an expected message that names a line of a zone
# file (tests/bad/zones/F.zone:N:) must point at a record there, not at
# a blank or comment line, so that the number is the one a reader needs.
zone_line() {
	_zl=$(printf '%s\n' "$2" | sed -n 's|.*\(tests/bad/zones/[^:]*\.zone\):\([0-9][0-9]*\):.*|\1 \2|p')
	[ -n "$_zl" ] || return 0
	set -- "$1" $_zl
	_text=$(sed -n "$3p" "$SRC/$2" 2>/dev/null)
	case $_text in
	"" | ";"* | [[:space:]]";"*)
		fail "$1: $2:$3 is not a record line: '$_text'"
		;;
	*)
		echo "check: $1: $2:$3 holds '$_text'"
		;;
	esac
}

n=0
for f in "$SRC"/tests/bad/*.lua; do
	[ -e "$f" ] || { fail "no files in $SRC/tests/bad"; break; }
	name=$(basename "$f" .lua)
	n=$((n + 1))
	first=$(head -n 1 "$f")
	case $first in
	"-- expect: "?*) exp=${first#-- expect: } ;;
	*)
		fail "$name: the first line must be '-- expect: <text>', got '$first'"
		continue
		;;
	esac
	second=$(sed -n 2p "$f")
	gap=
	case $second in
	"-- known gap: "?*) gap=${second#-- known gap: } ;;
	esac
	# The expected text itself names file and line, unless a known gap.
	case $exp in
	"tests/bad/$name.lua:"[0-9]*) ;;
	*)
		[ -n "$gap" ] || fail "$name: the expect line must start with 'tests/bad/$name.lua:<line>:'"
		;;
	esac
	reject "$name" "tests/bad/$name.lua" "$exp" "$gap"
	zone_line "$name" "$exp"
done

# A precompiled chunk: the loader accepts text only (crafted bytecode can
# crash the Lua VM).  The header of a Lua 5.4 binary chunk is enough.
mkdir -p "$WORK/bin"
printf '\033LuaT\000\031\223\r\n\032\n\004\010\010' >"$WORK/bin/binary.lua"
reject binary "$WORK/bin/binary.lua" \
    "$WORK/bin/binary.lua:1: precompiled Lua is not accepted; give the scenario as text" ""
n=$((n + 1))

if [ $failed -ne 0 ]; then
	echo "FAIL: bad input checks failed"
	exit 1
fi
echo "checked $n malformed scenarios"
echo "ok"
