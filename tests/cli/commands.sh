#!/bin/sh
# tests/cli/commands.sh - the command line: commands, options, exit status,
# where outputs land.
#
# Exit status contract: 0 expectations held, 1 one failed, 2 bad scenario or
# command line.  Errors go to stderr; a failed run (status 2) leaves no
# output file and no .part file behind.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
# Stable sort and grep whatever the caller's locale.
LC_ALL=C
export LC_ALL
: "${MXSIM:?MXSIM must name the mxsim program}"
: "${SRC:?SRC must name the source tree}"
: "${WORK:?WORK must name a scratch directory}"

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
cd "$WORK" || exit 1

failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

OUT=$WORK/stdout
ERR=$WORK/stderr

# mx ARGS...: runs mxsim, stdout to $OUT, stderr to $ERR, status in $rc.
mx() {
	"$MXSIM" "$@" >"$OUT" 2>"$ERR"
	rc=$?
}

show() {
	echo "    command: mxsim $*"
	echo "    status: $rc"
	echo "    stdout:"
	sed 's/^/      /' "$OUT"
	echo "    stderr:"
	sed 's/^/      /' "$ERR"
}

# expect_status WHAT WANT ARGS...: run, then compare the exit status.
expect_status() {
	_what=$1
	_want=$2
	shift 2
	mx "$@"
	if [ "$rc" -ne "$_want" ]; then
		fail "$_what: exit status $rc, want $_want"
		show "$@"
		return 1
	fi
	return 0
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() { grep -F -q -- "$2" "$1"; }

# usage_error WHAT TEXT ARGS...: exit 2, TEXT on stderr, nothing on stdout.
usage_error() {
	_what=$1
	_text=$2
	shift 2
	expect_status "$_what" 2 "$@" || return
	if ! has "$ERR" "$_text"; then
		fail "$_what: stderr lacks '$_text'"
		show "$@"
	elif [ -s "$OUT" ]; then
		fail "$_what: printed on stdout"
		show "$@"
	else
		echo "check: $_what: exit 2, stderr says '$_text': ok"
	fi
}

NULLMX=$SRC/scenarios/null-mx.lua
UP=$SRC/scenarios/primary-up.lua

# --- help and version --------------------------------------------------------

if expect_status "--help" 0 --help; then
	if has "$OUT" "usage: mxsim run FILE" && has "$OUT" "mxsim check FILE" &&
	    has "$OUT" "mxsim profiles"; then
		echo "check: --help: exit 0, usage on stdout: ok"
	else
		fail "--help: stdout lacks the usage lines"
		show --help
	fi
fi
if expect_status "--version" 0 --version; then
	if [ "$(head -c 6 "$OUT")" = "mxsim " ] && [ "$(wc -l <"$OUT")" -eq 1 ]; then
		echo "check: --version: exit 0, prints '$(cat "$OUT")': ok"
	else
		fail "--version: want one line starting with 'mxsim '"
		show --version
	fi
fi

# --- command line errors: exit 2, a message on stderr ----------------------

usage_error "no command" "missing command"
usage_error "unknown command" "unknown command 'frobnicate'" frobnicate
usage_error "unknown long option" "--frobnicate" run --frobnicate "$NULLMX"
usage_error "unknown short option" "'z'" run -z "$NULLMX"
usage_error "run with no file" "run needs exactly one scenario file" run
usage_error "run with two files" "run needs exactly one scenario file" run "$NULLMX" "$UP"
usage_error "check with no file" "check needs exactly one scenario file" check
usage_error "--seed not a number" "--seed needs a whole number" run --seed x "$NULLMX"
usage_error "--seed negative" "--seed needs a whole number" run --seed -1 "$NULLMX"
usage_error "--seed beyond 2^63-1" "--seed needs a whole number" run --seed 99999999999999999999999 "$NULLMX"
usage_error "--seed 2^63" "--seed needs a whole number" run --seed 9223372036854775808 "$NULLMX"
usage_error "--capture with --no-capture" "exclude each other" run --capture x.pcap --no-capture "$NULLMX"
usage_error "--quiet with --verbose" "exclude each other" run --quiet --verbose "$NULLMX"
usage_error "check with a run option" "'check' takes no options" check --capture x.pcap "$NULLMX"
usage_error "profiles with a run option" "'profiles' takes no options" profiles --seed 3
usage_error "unknown option names the program" "mxsim: unrecognized option '--frob'" run --frob "$NULLMX"
usage_error "missing file says why" "No such file or directory" run "$WORK/nosuch.lua"
usage_error "run a missing file" "nosuch.lua: cannot open the scenario" run "$WORK/nosuch.lua"
usage_error "check a missing file" "nosuch.lua: cannot open the scenario" check "$WORK/nosuch.lua"
usage_error "profiles with two names" "at most one name" profiles rfc5321 rfc5321
# Nothing may have been written by any of those.
left=$(ls -A "$WORK" | grep -v -x -e stdout -e stderr)
[ -z "$left" ] && echo "check: the failed commands wrote no file: ok" ||
	fail "failed commands left files in $WORK: $left"

# --- check -------------------------------------------------------------------

for lua in "$SRC"/scenarios/*.lua; do
	if expect_status "check $(basename "$lua")" 0 check "$lua"; then
		if has "$OUT" "$lua: ok"; then
			echo "check: check $(basename "$lua"): exit 0, 'ok': ok"
		else
			fail "check $(basename "$lua"): stdout lacks '$lua: ok'"
			show check "$lua"
		fi
	fi
done
# check only reads: no capture.
left=$(ls -A "$WORK" | grep -v -x -e stdout -e stderr)
[ -z "$left" ] && echo "check: check writes no file: ok" || fail "check left files in $WORK: $left"

# --- profiles ----------------------------------------------------------------

if expect_status "profiles" 0 profiles; then
	if grep -q '^rfc5321 ' "$OUT"; then
		echo "check: profiles lists rfc5321: ok"
	else
		fail "profiles: no line for rfc5321"
		show profiles
	fi
fi
if expect_status "profiles rfc5321" 0 profiles rfc5321; then
	if grep -q '^ *connect_timeout  *30s ' "$OUT"; then
		echo "check: profiles rfc5321 shows connect_timeout 30s: ok"
	else
		fail "profiles rfc5321: no 'connect_timeout 30s' line"
		show profiles rfc5321
	fi
fi
usage_error "profiles nosuch" "no profile named 'nosuch'" profiles nosuch
usage_error "profiles with a typo" "did you mean 'rfc5321'?" profiles rfc532

# --- run: verdicts and the narrative ------------------------------------------

# A scenario whose second expectation (line 14) fails.
cat >"$WORK/failing.lua" <<'EOF'
-- An expectation that cannot hold: the message is delivered, not bounced.
scenario "failing" { stop_at = "1h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
expect { to = "bob@example.test", outcome = "delivered", via = "mx1" }
expect { to = "bob@example.test", outcome = "bounced" }
EOF

if expect_status "failing scenario" 1 run failing.lua --no-capture; then
	if grep -q '^ *FAIL  *failing\.lua:14: ' "$OUT" && grep -q '^ *ok  *failing\.lua:13: ' "$OUT"; then
		echo "check: failing scenario: exit 1, 'FAIL failing.lua:14' and 'ok failing.lua:13': ok"
	else
		fail "failing scenario: want 'FAIL failing.lua:14:' and 'ok failing.lua:13:' on stdout"
		show run failing.lua --no-capture
	fi
	if has "$OUT" "mta delivered msg 1"; then
		echo "check: the narrative is printed by default: ok"
	else
		fail "failing scenario: no narrative on stdout"
		show run failing.lua --no-capture
	fi
fi
if expect_status "failing scenario --quiet" 1 run failing.lua --no-capture --quiet; then
	if has "$OUT" "mta delivered msg 1" || has "$OUT" "DNS MX?"; then
		fail "--quiet: the narrative was printed"
		show run failing.lua --no-capture --quiet
	elif ! grep -q '^ *FAIL  *failing\.lua:14: ' "$OUT"; then
		fail "--quiet: the failed expectation is not printed"
		show run failing.lua --no-capture --quiet
	else
		echo "check: --quiet on failure: no narrative, the FAIL verdict with file:line: ok"
	fi
fi
if expect_status "passing scenario --quiet" 0 run "$UP" --no-capture --quiet; then
	if [ -s "$OUT" ] || [ -s "$ERR" ]; then
		fail "--quiet on success printed something"
		show run "$UP" --no-capture --quiet
	else
		echo "check: --quiet on success: exit 0, prints nothing: ok"
	fi
fi
if expect_status "passing scenario --verbose" 0 run "$UP" --no-capture --verbose; then
	if has "$OUT" "mta delivered msg 1"; then
		echo "check: --verbose: exit 0 with the narrative: ok"
	else
		fail "--verbose: no narrative"
		show run "$UP" --no-capture --verbose
	fi
fi

# --- run: where outputs land --------------------------------------------------

# Given paths, in a subdirectory; nothing else appears.
mkdir -p "$WORK/out" "$WORK/cwd"
(cd "$WORK/cwd" && "$MXSIM" run "$UP" --capture "$WORK/out/c.pcap" --trace "$WORK/out/t.jsonl" --quiet) >"$OUT" 2>"$ERR"
rc=$?
if [ $rc -ne 0 ]; then
	fail "run with --capture/--trace: exit $rc"
	show run "$UP" --capture "$WORK/out/c.pcap" --trace "$WORK/out/t.jsonl" --quiet
fi
[ "$(ls -A "$WORK/out" | tr '\n' ' ')" = "c.pcap t.jsonl " ] &&
	echo "check: capture and trace at the given paths, no .part left: ok" ||
	fail "--capture/--trace: $WORK/out holds '$(ls -A "$WORK/out" | tr '\n' ' ')', want 'c.pcap t.jsonl'"
[ -z "$(ls -A "$WORK/cwd")" ] && echo "check: nothing written to the current directory: ok" ||
	fail "--capture given, yet the current directory got: $(ls -A "$WORK/cwd")"
[ "$(od -A n -t x4 -N 4 "$WORK/out/c.pcap" 2>/dev/null | tr -d ' ')" = a1b23c4d ] &&
	echo "check: the capture is a nanosecond pcap (magic a1b23c4d): ok" ||
	fail "$WORK/out/c.pcap is not a nanosecond pcap"
head -n 1 "$WORK/out/t.jsonl" | grep -q '"type":"run.start"' &&
	echo "check: the trace starts with run.start: ok" ||
	fail "$WORK/out/t.jsonl does not start with run.start"

# Default capture: ./<scenario name>.pcap in the current directory, and no trace.
rm -rf "$WORK/cwd"
mkdir -p "$WORK/cwd"
(cd "$WORK/cwd" && "$MXSIM" run "$UP" --quiet) >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 0 ] || { fail "run without --capture: exit $rc"; show run "$UP" --quiet; }
[ "$(ls -A "$WORK/cwd" | tr '\n' ' ')" = "primary-up.pcapng " ] &&
	echo "check: default capture ./primary-up.pcapng (the scenario's name), nothing else: ok" ||
	fail "run without --capture: the current directory holds '$(ls -A "$WORK/cwd" | tr '\n' ' ')', want 'primary-up.pcapng'"

# --no-capture writes nothing.
rm -rf "$WORK/cwd"
mkdir -p "$WORK/cwd"
(cd "$WORK/cwd" && "$MXSIM" run "$UP" --no-capture --quiet) >"$OUT" 2>"$ERR"
rc=$?
[ $rc -eq 0 ] || { fail "run --no-capture: exit $rc"; show run "$UP" --no-capture --quiet; }
[ -z "$(ls -A "$WORK/cwd")" ] && echo "check: --no-capture writes no file: ok" ||
	fail "--no-capture: the current directory got $(ls -A "$WORK/cwd")"

# A failed expectation (exit 1) still writes both outputs: they explain it.
rm -rf "$WORK/out"
mkdir -p "$WORK/out"
mx run failing.lua --capture "$WORK/out/f.pcap" --trace "$WORK/out/f.jsonl" --quiet
[ $rc -eq 1 ] || fail "failing scenario with outputs: exit $rc, want 1"
[ "$(ls -A "$WORK/out" | tr '\n' ' ')" = "f.jsonl f.pcap " ] &&
	echo "check: exit 1 still writes the capture and the trace: ok" ||
	fail "failing scenario: $WORK/out holds '$(ls -A "$WORK/out" | tr '\n' ' ')', want 'f.jsonl f.pcap'"
grep -q '"type":"run.end".*"expectations_failed":1' "$WORK/out/f.jsonl" &&
	echo "check: its trace ends with run.end, expectations_failed 1: ok" ||
	fail "failing scenario: the trace's run.end does not say expectations_failed 1"

# Unwritable outputs: exit 2, a message, nothing left behind.
rm -rf "$WORK/out"
mkdir -p "$WORK/out"
usage_error "capture in a missing directory" "cannot write capture" \
    run "$UP" --capture "$WORK/out/missing/c.pcap" --trace "$WORK/out/t.jsonl" --quiet
usage_error "trace in a missing directory" "cannot write trace" \
    run "$UP" --capture "$WORK/out/c.pcap" --trace "$WORK/out/missing/t.jsonl" --quiet
[ -z "$(ls -A "$WORK/out")" ] && echo "check: unwritable outputs leave no file and no .part: ok" ||
	fail "unwritable outputs left: $(ls -A "$WORK/out" | tr '\n' ' ')"

if [ $failed -ne 0 ]; then
	echo "FAIL: command line checks failed"
	exit 1
fi
echo "ok"
