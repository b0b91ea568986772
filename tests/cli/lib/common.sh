# tests/cli/lib/common.sh - what every command-line test starts with,
# sourced (". $SRC/tests/cli/lib/common.sh") after 'set -u'.
#
# Checks the environment tests/CMakeLists.txt gives (MXSIM, SRC, WORK),
# makes an empty $WORK, and defines:
#   fail MSG...   report a failure (the script exits 1 at its end)
#   mx ARGS...    run mxsim: stdout in $OUT, stderr in $ERR, status in $rc
#   show [ARGS...]  print the last mx run (ARGS: its command line), for
#                 a failure's context
#   on_tty ARGS...  like mx, on a pseudo-terminal (script(1), util-linux);
#                 ARGS are one shell command line, quote file names
#   has_esc FILE  FILE holds an escape character ($ESC)

# Stable sort and grep whatever the caller's locale.
LC_ALL=C
export LC_ALL
: "${MXSIM:?MXSIM must name the mxsim program}"
: "${SRC:?SRC must name the source tree}"
: "${WORK:?WORK must name a scratch directory}"

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1

failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

OUT=$WORK/stdout
ERR=$WORK/stderr

mx() {
	"$MXSIM" "$@" >"$OUT" 2>"$ERR"
	rc=$?
}

show() {
	[ $# -eq 0 ] || echo "    command: mxsim $*"
	echo "    status: $rc"
	echo "    stdout:"
	sed 's/^/      /' "$OUT"
	echo "    stderr:"
	sed 's/^/      /' "$ERR"
}

on_tty() {
	script -q -e -c "\"$MXSIM\" $*" /dev/null >"$OUT" 2>"$ERR" </dev/null
	rc=$?
}

ESC=$(printf '\033')
has_esc() { grep -q "$ESC" "$1"; }
