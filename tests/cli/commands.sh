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
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
cd "$WORK" || exit 1

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

# Every command has its own help: exit 0, its usage on stdout, nothing on
# stderr (issue 7: "--help for each").
for c in run check lint explain profiles sweep merge lab; do
	if expect_status "$c --help" 0 "$c" --help; then
		want="usage: mxsim $c"
		if has "$OUT" "$want" && [ ! -s "$ERR" ]; then
			echo "check: $c --help: exit 0, '$want' on stdout: ok"
		else
			fail "$c --help: stdout lacks '$want', or stderr not empty"
			show "$c" --help
		fi
	fi
done
# run, check, profiles and merge print their own usage, not the general
# one (nor, for merge, sweep's: its options are not sweep's).
for c in run check profiles merge; do
	mx "$c" -h
	if [ "$rc" -eq 0 ] && [ "$(head -n 1 "$OUT" | cut -d' ' -f1-3)" = "usage: mxsim $c" ] &&
	    ! has "$OUT" "mxsim lint FILE" && ! has "$OUT" "mxsim sweep FILE"; then
		echo "check: $c -h: its own usage only: ok"
	else
		fail "$c -h: want a usage starting 'usage: mxsim $c', without the other commands"
		show "$c" -h
	fi
done
# The exit statuses and NO_COLOR are documented in --help (general and run).
for c in --help "run --help"; do
	# shellcheck disable=SC2086  # "run --help" is two words
	mx $c
	if has "$OUT" "Exit status: 0 every expectation held" &&
	    has "$OUT" "1 an expectation failed" && has "$OUT" "2 the scenario" &&
	    has "$OUT" "NO_COLOR"; then
		echo "check: mxsim $c documents exit statuses 0/1/2 and NO_COLOR: ok"
	else
		fail "mxsim $c: no exit statuses or NO_COLOR"
		show $c
	fi
done
if expect_status "-V" 0 -V; then
	[ "$(cat "$OUT")" = "$("$MXSIM" --version)" ] && echo "check: -V is --version: ok" ||
		fail "-V prints '$(cat "$OUT")', not what --version prints"
fi

# --- the man page ----------------------------------------------------------

MAN=$SRC/docs/mxsim.1
if ! command -v groff >/dev/null; then
	fail "groff is not installed (scripts/install-deps.sh: groff-base)"
else
	# -ww: every warning; a page that renders with none is well-formed.
	groff -man -Tutf8 -ww "$MAN" >"$OUT" 2>"$ERR"
	rc=$?
	if [ $rc -eq 0 ] && [ ! -s "$ERR" ]; then
		echo "check: groff -man -Tutf8 -ww docs/mxsim.1: no warning: ok"
	else
		fail "groff -man -ww docs/mxsim.1: status $rc, warnings:"
		sed 's/^/      /' "$ERR"
	fi
	# The text without overstrikes, to search it.
	sed 's/.\x08//g' "$OUT" >"$WORK/man.txt"
	for w in "mxsim run" "mxsim check" "mxsim profiles" "mxsim lint" \
	    "mxsim explain" "mxsim sweep" "mxsim merge" "mxsim lab" \
	    "EXIT STATUS" "ENVIRONMENT" "NO_COLOR" "FILES" "EXAMPLES" \
	    "--color" "--version"; do
		has "$WORK/man.txt" "$w" || fail "the man page lacks '$w'"
	done
	# Every long option 'run' and 'check' take is in the man page.
	"$MXSIM" run --help >"$WORK/run-help.txt"
	"$MXSIM" check --help >>"$WORK/run-help.txt"
	nopt=0
	for o in $(grep -o -e '--[a-z][a-z-]*' "$WORK/run-help.txt" | sort -u); do
		nopt=$((nopt + 1))
		has "$WORK/man.txt" "$o" || fail "the man page lacks run's option $o"
	done
	[ "$nopt" -ge 14 ] && echo "check: the man page names all $nopt options of run and check: ok" ||
		fail "only $nopt options found in run --help"
	for st in 0 1 2; do
		grep -q "^       $st  " "$WORK/man.txt" || fail "EXIT STATUS lacks status $st"
	done
	echo "check: the man page has every command, exit statuses 0 1 2, NO_COLOR: ok"
	if command -v man >/dev/null; then
		MANWIDTH=80 man -l "$MAN" >"$OUT" 2>"$ERR"
		rc=$?
		[ $rc -eq 0 ] && has "$OUT" "NO_COLOR" && [ ! -s "$ERR" ] &&
			echo "check: man -l docs/mxsim.1: ok" ||
			{ fail "man -l docs/mxsim.1: status $rc"; sed 's/^/      /' "$ERR"; }
	else
		fail "man is not installed (scripts/install-deps.sh: man-db)"
	fi
fi
rm -f "$WORK/man.txt" "$WORK/run-help.txt"
# CMake installs it where man finds it.
grep -q 'install(FILES docs/mxsim.1 DESTINATION share/man/man1)' "$SRC/CMakeLists.txt" &&
	echo "check: CMakeLists.txt installs docs/mxsim.1 to share/man/man1: ok" ||
	fail "CMakeLists.txt does not install docs/mxsim.1"

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
usage_error "unknown option of check" "mxsim: unrecognized option '--frob'" check --frob "$NULLMX"
usage_error "unknown option before the command" "unrecognized option '--frob'" --frob run "$NULLMX"
usage_error "unknown option: the hint names the command" "Try 'mxsim run --help'" run --frob "$NULLMX"
usage_error "--color with a bad value" "--color needs auto, always or never, got 'blue'" run --color=blue "$NULLMX"
usage_error "--color without a value" "option '--color' requires an argument" run "$NULLMX" --color
usage_error "--seed=VALUE checked too" "--seed needs a whole number" run --seed=x "$NULLMX"
usage_error "check takes no --color" "'check' takes no options" check --color=never "$NULLMX"
usage_error "after --, an option is a file" "run needs exactly one scenario file" run -- "$NULLMX" --no-capture
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

# --- lint and explain: their exit statuses (docs/lint.md) -----------------

# A warning is exit 1: the backup beyond Postfix's smtp_mx_address_limit
# (5) in scenarios/mx-address-limit.lua.
if expect_status "lint mx-address-limit.lua" 1 lint "$SRC/scenarios/mx-address-limit.lua"; then
	has "$OUT" "warning: address-limit: example.test: mx2.example.test (preference 20) comes after 5 addresses" &&
		echo "check: lint mx-address-limit.lua: exit 1, the address-limit warning: ok" ||
		{ fail "lint mx-address-limit.lua: no address-limit warning"; show lint "$SRC/scenarios/mx-address-limit.lua"; }
fi
if expect_status "explain" 0 explain example.test --zone "$SRC/scenarios/zones/example.test.zone" --profile postfix; then
	has "$OUT" "How a 'postfix' sender delivers mail for example.test" &&
		echo "check: explain example.test --profile postfix: exit 0: ok" ||
		fail "explain: no 'How a 'postfix' sender' line"
fi
usage_error "explain without --zone" "zone" explain example.test

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
# --quiet on failure: exactly the failed expectation (line 14) with why,
# not the narrative, the summary table, the mailboxes, nor the expectation
# that held (line 13).  mx1 is the only MX and is up, so the rfc5321
# sender delivers to it at the first attempt (RFC 5321 §5.1): outcome
# delivered where line 14 asks for bounced.
cat >"$WORK/quiet.want" <<'EOF'
  FAIL failing.lua:14: bob@example.test outcome=bounced
       bob@example.test (msg 1): outcome is delivered, expected bounced
EOF
if expect_status "failing scenario --quiet" 1 run failing.lua --no-capture --quiet; then
	if cmp -s "$OUT" "$WORK/quiet.want" && [ ! -s "$ERR" ]; then
		echo "check: --quiet on failure: exit 1, only 'FAIL failing.lua:14: ...' and why: ok"
	else
		fail "--quiet on failure: stdout is not exactly the failed expectation (want below)"
		sed 's/^/      want: /' "$WORK/quiet.want"
		show run failing.lua --no-capture --quiet
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

# --- getopt_long conventions -----------------------------------------------

# --opt=VALUE and --opt VALUE are the same option: the seed reaches the
# trace's run.start either way.
for form in "--seed=7 --trace=eq.jsonl" "--seed 7 --trace eq.jsonl"; do
	rm -f "$WORK/eq.jsonl"
	# shellcheck disable=SC2086  # the form is several words
	mx run $form --no-capture --quiet "$UP"
	if [ "$rc" -eq 0 ] && head -n 1 "$WORK/eq.jsonl" 2>/dev/null | grep -q '"type":"run.start".*"seed":7,'; then
		echo "check: run $form: exit 0, the trace says seed 7: ok"
	else
		fail "run $form: exit $rc, or the trace lacks seed 7"
		show run $form --no-capture --quiet "$UP"
	fi
done
rm -f "$WORK/eq.jsonl"
# '--' ends the options: a file named like an option is read as a file
# (the failing scenario: exit 1 proves it ran).
cp failing.lua ./-dash.lua
if expect_status "run -- -dash.lua" 1 run --no-capture --quiet -- -dash.lua; then
	grep -q '^ *FAIL  *-dash\.lua:14: ' "$OUT" &&
		echo "check: run --no-capture --quiet -- -dash.lua: runs the file, exit 1: ok" ||
		{ fail "run -- -dash.lua: no FAIL verdict for -dash.lua:14"; show run --no-capture --quiet -- -dash.lua; }
fi
rm -f ./-dash.lua
# Options after the file are options too (getopt_long permutes).
expect_status "options after the file" 0 run "$UP" --no-capture --quiet &&
	echo "check: run FILE --no-capture --quiet: exit 0: ok"

# --- colour in the narrative ---------------------------------------------------
#
# https://no-color.org: colour only on a terminal, and NO_COLOR with any
# non-empty value turns it off; a command-line choice overrides it.
# ECMA-48 SGR: ESC [ 32 m green ... ESC [ 0 m.

GREEN_DELIVERED="${ESC}[32mdelivered msg 1 for bob@example.test via mx1.example.test"

mx run "$UP" --no-capture
[ "$rc" -eq 0 ] && ! has_esc "$OUT" &&
	echo "check: stdout not a terminal: no escape codes: ok" ||
	{ fail "run to a file: escape codes (or exit $rc)"; show run "$UP" --no-capture; }
cp "$OUT" "$WORK/plain.txt"
mx run "$UP" --no-capture --color=never
[ "$rc" -eq 0 ] && ! has_esc "$OUT" && echo "check: --color=never: no escape codes: ok" ||
	fail "--color=never: escape codes"
NO_COLOR=1 "$MXSIM" run "$UP" --no-capture --color=always >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ] && has "$OUT" "$GREEN_DELIVERED"; then
	echo "check: --color=always: the delivery in green (SGR 32), even with NO_COLOR=1: ok"
else
	fail "--color=always: no '\\033[32mdelivered msg 1...' (or exit $rc)"
	show run "$UP" --no-capture --color=always
fi
# Colour wraps the text only: without the escapes, byte for byte the
# plain output (columns aligned), and the summary is never coloured.
sed "s/${ESC}\[[0-9;]*m//g" "$OUT" >"$WORK/stripped.txt"
cmp -s "$WORK/stripped.txt" "$WORK/plain.txt" &&
	echo "check: --color=always minus its escapes is the plain output: ok" ||
	fail "--color=always differs from the plain output beyond the escapes"
sed -n '/^Summary of/,$p' "$OUT" >"$WORK/summary.txt"
[ -s "$WORK/summary.txt" ] && ! has_esc "$WORK/summary.txt" &&
	echo "check: the summary has no escape codes: ok" ||
	fail "--color=always: the summary is coloured (or missing)"
# A failed attempt in red (SGR 31), a bounce in bold red (SGR 1;31).
mx run "$SRC/scenarios/primary-down.lua" --no-capture --color=always
has "$OUT" "${ESC}[31mmx1.example.test: connect timeout after 30s" &&
	echo "check: --color=always: the connect timeout in red: ok" ||
	fail "--color=always: the timeout on mx1 is not red"
mx run "$NULLMX" --no-capture --color=always
grep -q "${ESC}\[1;31mbounced msg 1" "$OUT" &&
	echo "check: --color=always: the null MX bounce in bold red: ok" ||
	{ fail "--color=always: the bounce is not bold red"; show run "$NULLMX" --no-capture --color=always; }

# On a terminal (a pseudo-terminal from script(1), util-linux): colour by
# default, none with NO_COLOR=1 or --color=never, colour when NO_COLOR is
# set but empty.
if command -v script >/dev/null; then
	on_tty run "'$UP'" --no-capture
	[ "$rc" -eq 0 ] && has "$OUT" "$GREEN_DELIVERED" &&
		echo "check: on a terminal: colour by default: ok" ||
		{ fail "on a terminal: no colour by default (exit $rc)"; show run "$UP" --no-capture; }
	NO_COLOR=1 on_tty run "'$UP'" --no-capture
	[ "$rc" -eq 0 ] && has "$OUT" "delivered msg 1" && ! has_esc "$OUT" &&
		echo "check: on a terminal with NO_COLOR=1: no escape codes: ok" ||
		fail "on a terminal with NO_COLOR=1: escape codes (exit $rc)"
	NO_COLOR=0 on_tty run "'$UP'" --no-capture
	[ "$rc" -eq 0 ] && ! has_esc "$OUT" &&
		echo "check: on a terminal with NO_COLOR=0 (any non-empty value): no escape codes: ok" ||
		fail "on a terminal with NO_COLOR=0: escape codes"
	NO_COLOR= on_tty run "'$UP'" --no-capture
	[ "$rc" -eq 0 ] && has "$OUT" "$GREEN_DELIVERED" &&
		echo "check: on a terminal with NO_COLOR empty: colour: ok" ||
		fail "on a terminal with NO_COLOR empty: no colour"
	on_tty run "'$UP'" --no-capture --color=never
	[ "$rc" -eq 0 ] && ! has_esc "$OUT" &&
		echo "check: on a terminal with --color=never: no escape codes: ok" ||
		fail "on a terminal with --color=never: escape codes"
else
	fail "script(1) (util-linux) is needed to test colour on a terminal"
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

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

if [ $failed -ne 0 ]; then
	echo "FAIL: command line checks failed"
	exit 1
fi
echo "ok"
