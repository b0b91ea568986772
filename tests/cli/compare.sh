#!/bin/sh
# tests/cli/compare.sh - compare mode: 'mxsim run FILE --profiles a,b,c'
# (docs/compare.md).
#
# Checks:
#  - the tables of scenarios/primary-down.lua and scenarios/all-mx-down.lua
#    under rfc5321, postfix, exim and first-mx-only, byte for byte, with
#    exit status 1 (the scenarios' expectations were written for rfc5321);
#    and primary-down under rfc5321 alone, exit 0;
#  - for every shipped profile P (whatever 'mxsim profiles' lists), the
#    run of P in compare mode is the single run of the scenario with
#    profile = "P" written into it: same trace, same classic pcap, byte for
#    byte (the profile replaced, the scenario's knob overrides kept);
#  - --profiles-for HOST replaces only that host's profile (the same
#    check, with only that sender's line rewritten);
#  - output names (<scenario>.<profile>.pcapng by default, the profile
#    before the extension of --capture, --trace and --timeline paths), no
#    .part left; a run that fails (status 2) leaves no file and does not
#    replace an existing one;
#  - bad input: unknown profile (closest name and the list), empty list,
#    empty name, duplicate, --profiles-for without --profiles, on a host
#    that is not a sender, on an unknown host: exact messages, exit 2,
#    nothing on stdout;
#  - determinism: the same command twice gives the same bytes, and a
#    profile's rows do not depend on the order of the list;
#  - --quiet, --verbose and --seed.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
cd "$WORK" || exit 1

# same_output WHAT WANT_STATUS WANT_FILE ARGS...: exact stdout and status,
# nothing on stderr.
same_output() {
	_what=$1
	_want=$2
	_file=$3
	shift 3
	mx "$@"
	if [ "$rc" -ne "$_want" ]; then
		fail "$_what: exit status $rc, want $_want"
		show "$@"
	elif ! cmp -s "$_file" "$OUT"; then
		fail "$_what: the table differs (want, then got)"
		diff "$_file" "$OUT"
	elif [ -s "$ERR" ]; then
		fail "$_what: wrote on stderr"
		show "$@"
	else
		echo "check: $_what: exit $rc, table as pinned: ok"
	fi
}

# usage_error WHAT MESSAGE ARGS...: exit 2, exactly MESSAGE on stderr,
# nothing on stdout, no file written in $WORK/empty.
usage_error() {
	_what=$1
	_msg=$2
	shift 2
	rm -rf "$WORK/empty"
	mkdir "$WORK/empty"
	(cd "$WORK/empty" && "$MXSIM" "$@") >"$OUT" 2>"$ERR"
	rc=$?
	if [ "$rc" -ne 2 ]; then
		fail "$_what: exit status $rc, want 2"
		show "$@"
	elif [ "$(cat "$ERR")" != "$_msg" ]; then
		fail "$_what: stderr is not '$_msg'"
		show "$@"
	elif [ -s "$OUT" ]; then
		fail "$_what: printed on stdout"
		show "$@"
	elif [ -n "$(ls -A "$WORK/empty")" ]; then
		fail "$_what: left files: $(ls -A "$WORK/empty")"
	else
		echo "check: $_what: exit 2, '$_msg': ok"
	fi
}

DOWN=$SRC/scenarios/primary-down.lua
ALLDOWN=$SRC/scenarios/all-mx-down.lua

# The expectations' lines, read from the scenarios so that an edited
# comment does not break the tables.
D1=$(grep -n '^expect' "$DOWN" | sed -n 1p | cut -d: -f1)
D2=$(grep -n '^expect' "$DOWN" | sed -n 2p | cut -d: -f1)
A1=$(grep -n '^expect' "$ALLDOWN" | sed -n 1p | cut -d: -f1)

# Every shipped profile, in the order 'mxsim profiles' lists them.
PROFILES=$("$MXSIM" profiles | awk '{ print $1 }')
PLIST=$(echo $PROFILES | tr ' ' ',')
if [ -z "$PLIST" ]; then
	fail "'mxsim profiles' lists no profile"
	PLIST=rfc5321
fi

# --- pinned tables ----------------------------------------------------------

# primary-down: mx1 drops everything for the first hour.
#  - rfc5321: 30 s connect timeout (lua/profiles/rfc5321.lua: common
#    practice, RFC 5321 has none), then mx2 by preference (RFC 5321 §5.1):
#    delivered 4 ms after the timeout (DNS and the SMTP dialogue);
#  - postfix: smtp_connect_timeout = 30s (mta-behavior.md §6, Postfix
#    DEF_SMTP_CONN_TMOUT): the same;
#  - exim: connect_timeout = 5m (Exim transports/smtp.c) is longer than
#    the kernel's patience: Linux gives up after tcp_syn_retries = 6, at
#    1+2+4+8+16+32+64 = 127 s, then mx2;
#  - first-mx-only: only the best MX (mta-behavior.md §5 item 18: smtp-cli,
#    swaks), retried after 30 min (RFC 5321 §4.5.4.1) while mx1 is still
#    down, next at 2h31m: still deferred at stop_at = 2h.
# The scenario's expectations (30 s < t < 31 s, mx1 then mx2) hold for
# rfc5321 and postfix only: status 1.
cat >"$WORK/want-down" <<EOF
Comparison of primary-down (seed 42, stopped at 2h)
Profile of every sender, the scenario's knob overrides kept: rfc5321, postfix, exim, first-mx-only

msg 1 mta -> bob@example.test
  profile        outcome     time        attempts  rounds  hosts tried
  rfc5321        delivered   30.004000   2         1       mx1:timeout mx2:delivered
  postfix        delivered   30.004000   2         1       mx1:timeout mx2:delivered
  exim           delivered   127.004000  2         1       mx1:timeout mx2:delivered
  first-mx-only  deferred    -           2         2       [mx1:timeout] x2

  expectation               rfc5321  postfix  exim  first-mx-only
  line $D1 bob@example.test  ok       ok       FAIL  FAIL
  line $D2 bob@example.test  ok       ok       ok    FAIL
  exim, line $D1: bob@example.test (msg 1): delivered at 127.004000, expected before 31s
  first-mx-only, line $D1: bob@example.test (msg 1): outcome is deferred, expected delivered
  first-mx-only, line $D2: bob@example.test (msg 1): attempts were { "mx1:timeout", "mx1:timeout" }
Held with: rfc5321, postfix. Failed with: exim, first-mx-only.
EOF
same_output "primary-down, four profiles" 1 "$WORK/want-down" \
    run "$DOWN" --profiles rfc5321,postfix,exim,first-mx-only --no-capture

# all-mx-down: both MX down for good; the scenario overrides retry =
# { 5m, 10m } and give_up = 1h, and compare mode keeps both.
#  - rfc5321: rounds at 0, 6m, 17m, 28m, 39m, 50m, 61m, each two 30 s
#    timeouts; the seventh ends past the 1 h give-up: bounced at 1h2m
#    (RFC 5321 §4.5.4.1; the scenario's own comment);
#  - postfix: 'retry' overrides the whole schedule, queue-run grid
#    included (SCENARIO-DSL.md, sim/mta/profile.c), so Postfix's 300 s
#    scan does not apply: the same as rfc5321;
#  - exim: 127 s connects (as above) and a retry record per IP address
#    (Exim retry_include_ip_address; first rule F,2h,15m: not retried for
#    15 min, lua/profiles/exim.lua): every other round finds no host due
#    ("retry time not reached for any host", shown '-'); the eighth, at
#    3935 s, is past the give-up: bounced;
#  - first-mx-only: mx1 only, 30 s a round, rounds at 0, 5m30s, 16m,
#    26m30s, 37m, 47m30s, 58m, 68m30s; the last fails past 1 h: bounced at
#    69m0.0064s.
cat >"$WORK/want-alldown" <<EOF
Comparison of all-mx-down (seed 5, stopped at 2h)
Profile of every sender, the scenario's knob overrides kept: rfc5321, postfix, exim, first-mx-only

msg 1 mta -> bob@example.test
  profile        outcome     time         attempts  rounds  hosts tried
  rfc5321        bounced     3720.008400  14        7       [mx1:timeout mx2:timeout] x7
  postfix        bounced     3720.008400  14        7       [mx1:timeout mx2:timeout] x7
  exim           bounced     3935.002400  8         8       [mx1:timeout mx2:timeout | -] x4
  first-mx-only  bounced     4140.006400  8         8       [mx1:timeout] x8

  expectation               rfc5321  postfix  exim  first-mx-only
  line $A1 bob@example.test  ok       ok       FAIL  FAIL
  exim, line $A1: bob@example.test (msg 1): bounced at 3935.002400, expected before 1h3m
  first-mx-only, line $A1: bob@example.test (msg 1): bounced at 4140.006400, expected before 1h3m
Held with: rfc5321, postfix. Failed with: exim, first-mx-only.
EOF
same_output "all-mx-down, four profiles" 1 "$WORK/want-alldown" \
    run "$ALLDOWN" --profiles rfc5321,postfix,exim,first-mx-only --no-capture

# One profile, the scenario's own: every expectation holds, status 0.
cat >"$WORK/want-one" <<EOF
Comparison of primary-down (seed 42, stopped at 2h)
Profile of every sender, the scenario's knob overrides kept: rfc5321

msg 1 mta -> bob@example.test
  profile  outcome     time       attempts  rounds  hosts tried
  rfc5321  delivered   30.004000  2         1       mx1:timeout mx2:delivered

  expectation               rfc5321
  line $D1 bob@example.test  ok
  line $D2 bob@example.test  ok
Expectations held with every profile.
EOF
same_output "primary-down, rfc5321 alone" 0 "$WORK/want-one" \
    run "$DOWN" --profiles rfc5321 --no-capture

# --- every profile: compare mode = the scenario with that profile -----------

# same_file WHAT A B: A and B hold the same bytes.
same_file() {
	if cmp -s "$2" "$3"; then
		return 0
	fi
	fail "$1: $2 and $3 differ"
	return 1
}

for s in "$DOWN" "$ALLDOWN"; do
	n=$(basename "$s" .lua)
	rm -rf "$WORK/c" "$WORK/p"
	mkdir -p "$WORK/c" "$WORK/p"
	cp "$s" "$WORK/c/s.lua"
	(cd "$WORK/c" && "$MXSIM" run s.lua --profiles "$PLIST" \
	    --capture x.pcap --trace t.jsonl --quiet) >"$OUT" 2>"$ERR"
	rc=$?
	if [ "$rc" -gt 1 ]; then
		fail "$n: every profile: exit status $rc"
		show run s.lua --profiles "$PLIST"
		continue
	fi
	ok=0
	for p in $PROFILES; do
		sed "s/profile = \"rfc5321\"/profile = \"$p\"/" \
		    "$WORK/c/s.lua" >"$WORK/p/s.lua"
		(cd "$WORK/p" && "$MXSIM" run s.lua --capture x.pcap \
		    --trace t.jsonl --quiet) >/dev/null 2>&1
		if same_file "$n, $p: trace" "$WORK/c/t.$p.jsonl" \
		    "$WORK/p/t.jsonl" &&
		    same_file "$n, $p: capture" "$WORK/c/x.$p.pcap" \
		    "$WORK/p/x.pcap"; then
			ok=$((ok + 1))
		fi
	done
	echo "check: $n: $ok of $(echo $PROFILES | wc -w) profiles run as the scenario with that profile written in: trace and pcap identical"
	if ls "$WORK/c" | grep -q '\.part$'; then
		fail "$n: a .part file is left: $(ls "$WORK/c")"
	fi
done

# --- --profiles-for: one sender's profile -----------------------------------

# Two senders, each with a knob override, one message each, and the
# primary down for the first hour.  The marker comments let sed rewrite
# one sender's line.
cat >"$WORK/two.lua" <<'EOF'
scenario "two-senders" { seed = 3, stop_at = "3h" }
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mx2" { addr = "192.0.2.20", smtp = {} }
host "mta1" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1", retry = { "20m" } } } -- A
host "mta2" { addr = "198.51.100.8", sender = { profile = "rfc5321", resolver = "ns1", connect_timeout = "10s" } } -- B
outage "mx1" { from = "0s", to = "1h", kind = "down" }
message { at = "0s", from = "a@sender.test", to = "bob@example.test", sender = "mta1" }
message { at = "0s", from = "b@sender.test", to = "carol@example.test", sender = "mta2" }
EOF
for p in $PROFILES; do
	for h in mta1 mta2; do
		case $h in mta1) mark=A ;; *) mark=B ;; esac
		rm -rf "$WORK/c" "$WORK/p"
		mkdir -p "$WORK/c" "$WORK/p"
		cp "$WORK/two.lua" "$WORK/c/s.lua"
		sed "/-- $mark\$/s/profile = \"rfc5321\"/profile = \"$p\"/" \
		    "$WORK/two.lua" >"$WORK/p/s.lua"
		(cd "$WORK/c" && "$MXSIM" run s.lua --profiles "$p" \
		    --profiles-for "$h" --no-capture --trace t.jsonl \
		    --quiet) >/dev/null 2>&1
		(cd "$WORK/p" && "$MXSIM" run s.lua --no-capture \
		    --trace t.jsonl --quiet) >/dev/null 2>&1
		same_file "--profiles-for $h, $p" "$WORK/c/t.$p.jsonl" \
		    "$WORK/p/t.jsonl"
	done
done
echo "check: --profiles-for mta1 and mta2, every profile: only that sender's profile replaced (trace identical to the scenario with that line rewritten)"

# The header says whose profile changed.
mx run "$WORK/two.lua" --profiles rfc5321 --profiles-for mta2 --no-capture
if [ "$rc" -eq 0 ] &&
    sed -n 2p "$OUT" | grep -qxF "Profile of sender mta2, the scenario's knob overrides kept: rfc5321" &&
    grep -qxF "msg 1 mta1 -> bob@example.test" "$OUT" &&
    grep -qxF "msg 2 mta2 -> carol@example.test" "$OUT" &&
    grep -qxF "No expectations." "$OUT"; then
	echo "check: --profiles-for mta2: header, one block per message with its sender, no expectations: ok"
else
	fail "--profiles-for mta2: header or rows"
	show run two.lua --profiles rfc5321 --profiles-for mta2
fi

# A scenario's params: the value every run had, under the header (the
# same line as the run's header, without the description).
sed 's/^outage "mx1" { from = "0s", to = "1h", kind = "down" }$/local up = param "outage" { default = "1h", description = "how long mx1 is down" }\
outage "mx1" { from = "0s", to = up, kind = "down" }/' "$DOWN" >"$WORK/param.lua"
mx run "$WORK/param.lua" --profiles rfc5321 --no-capture
if [ "$rc" -eq 0 ] && grep -q '^local up = param' "$WORK/param.lua" &&
    [ "$(sed -n 3p "$OUT")" = 'param outage = "1h" (duration, default "1h")' ]; then
	echo "check: params listed under the header: ok"
else
	fail "params under the header"
	show run param.lua --profiles rfc5321
fi

# --- output names -----------------------------------------------------------

# names_are WHAT WANT ARGS...: runs in a fresh directory, lists the files.
names_are() {
	_what=$1
	_want=$2
	shift 2
	rm -rf "$WORK/o"
	mkdir -p "$WORK/o/sub"
	(cd "$WORK/o" && "$MXSIM" "$@") >"$OUT" 2>"$ERR"
	rc=$?
	_got=$(cd "$WORK/o" && find . -type f | sort | tr '\n' ' ')
	if [ "$rc" -gt 1 ] || [ "$_got" != "$_want" ]; then
		fail "$_what: files '$_got', want '$_want' (status $rc)"
		show "$@"
	else
		echo "check: $_what: $_want: ok"
	fi
}

names_are "default capture names" \
    "./primary-down.postfix.pcapng ./primary-down.rfc5321.pcapng " \
    run "$DOWN" --profiles rfc5321,postfix --quiet
names_are "--capture, --trace, --timeline names" \
    "./sub/t.postfix.jsonl ./sub/t.rfc5321.jsonl ./sub/x.postfix.pcap ./sub/x.rfc5321.pcap ./tl.postfix.svg ./tl.rfc5321.svg " \
    run "$DOWN" --profiles rfc5321,postfix --capture sub/x.pcap \
    --trace sub/t.jsonl --timeline tl.svg --quiet
names_are "a trace name without an extension" \
    "./t.postfix ./t.rfc5321 " \
    run "$DOWN" --profiles rfc5321,postfix --trace t --no-capture --quiet

# A run that cannot write its trace (a directory where its temporary file
# goes) fails with status 2 after the first run: nothing is left, and the
# existing file of the first profile is not replaced.
rm -rf "$WORK/o"
mkdir -p "$WORK/o/t.postfix.jsonl.part"
echo old >"$WORK/o/t.rfc5321.jsonl"
(cd "$WORK/o" && "$MXSIM" run "$DOWN" --profiles rfc5321,postfix \
    --trace t.jsonl) >"$OUT" 2>"$ERR"
rc=$?
rmdir "$WORK/o/t.postfix.jsonl.part"
if [ "$rc" -eq 2 ] &&
    [ "$(cat "$ERR")" = "mxsim: cannot write trace 't.postfix.jsonl': Is a directory" ] &&
    [ ! -s "$OUT" ] &&
    [ "$(cd "$WORK/o" && ls -A)" = "t.rfc5321.jsonl" ] &&
    [ "$(cat "$WORK/o/t.rfc5321.jsonl")" = "old" ]; then
	echo "check: a failing second run: exit 2, nothing written, nothing replaced: ok"
else
	fail "a failing second run: status $rc, files: $(cd "$WORK/o" && ls -A)"
	show run primary-down.lua --profiles rfc5321,postfix --trace t.jsonl
fi

# --- bad input --------------------------------------------------------------

KNOWN=$(echo $PROFILES | sed 's/ /, /g')
usage_error "unknown profile, near a known one" \
    "mxsim: --profiles: no profile named 'rfc5312' (did you mean 'rfc5321'?); the profiles are: $KNOWN" \
    run "$DOWN" --profiles rfc5312
usage_error "unknown profile after a good one" \
    "mxsim: --profiles: no profile named 'zzzzzzzz'; the profiles are: $KNOWN" \
    run "$DOWN" --profiles rfc5321,zzzzzzzz
usage_error "empty list" \
    "mxsim: --profiles needs a list of profile names, like --profiles rfc5321,postfix ('mxsim profiles' lists them)" \
    run "$DOWN" --profiles ""
usage_error "trailing comma" \
    "mxsim: --profiles 'rfc5321,': an empty name (separate the names with single commas)" \
    run "$DOWN" --profiles rfc5321,
usage_error "a lone comma" \
    "mxsim: --profiles ',': an empty name (separate the names with single commas)" \
    run "$DOWN" --profiles ,
usage_error "duplicate profile" \
    "mxsim: --profiles 'rfc5321,rfc5321': 'rfc5321' is listed twice" \
    run "$DOWN" --profiles rfc5321,rfc5321
usage_error "--profiles-for without --profiles" \
    "mxsim: --profiles-for needs --profiles
Try 'mxsim --help'." \
    run "$DOWN" --profiles-for mta
usage_error "--profiles-for a host without a sender role" \
    "mxsim: --profiles-for: host 'mx1' has no sender role (senders: mta)" \
    run "$DOWN" --profiles rfc5321 --profiles-for mx1
usage_error "--profiles-for an unknown host" \
    "mxsim: --profiles-for: no host named 'mtaa' (did you mean 'mta'?)" \
    run "$DOWN" --profiles rfc5321 --profiles-for mtaa
usage_error "--capture-at an unknown host" \
    "mxsim: --capture-at: no host named 'nope'" \
    run "$DOWN" --profiles rfc5321,postfix --capture-at nope
# Outputs that cannot be opened are named as the user will look for them
# (not by their temporary names), as 'mxsim run' names them.
usage_error "capture in a missing directory" \
    "mxsim: cannot write capture 'nodir/x.rfc5321.pcap': nodir/x.rfc5321.pcap.part: No such file or directory" \
    run "$DOWN" --profiles rfc5321,postfix --capture nodir/x.pcap
usage_error "timeline in a missing directory" \
    "mxsim: cannot write timeline 'nodir/x.rfc5321.svg': No such file or directory" \
    run "$DOWN" --profiles rfc5321,postfix --timeline nodir/x.svg --no-capture
# A bad scenario is reported as 'mxsim run' reports it: file and line.
BAD=$SRC/tests/bad/duplicate-host.lua
BADMSG=$("$MXSIM" run "$BAD" --no-capture 2>&1 >/dev/null)
case $BADMSG in
"$BAD":[0-9]*) ;;
*) fail "run $BAD: the message does not start with file:line: $BADMSG" ;;
esac
usage_error "a bad scenario" "$BADMSG" run "$BAD" --profiles rfc5321

# --- determinism, order, --quiet, --verbose, --seed --------------------------

mx run "$ALLDOWN" --profiles "$PLIST" --no-capture
cp "$OUT" "$WORK/all1"
mx run "$ALLDOWN" --profiles "$PLIST" --no-capture
if cmp -s "$WORK/all1" "$OUT"; then
	echo "check: every profile twice: same bytes: ok"
else
	fail "every profile twice: the output differs"
fi
# Each run is independent: a profile's line is the same whatever the
# order of the list.
REV=$(echo $PROFILES | tr ' ' '\n' | sort -r | tr '\n' ',' | sed 's/,$//')
mx run "$ALLDOWN" --profiles "$REV" --no-capture
for p in $PROFILES; do
	a=$(grep "^  $p " "$WORK/all1")
	b=$(grep "^  $p " "$OUT")
	if [ -z "$a" ] || [ "$a" != "$b" ]; then
		fail "profile $p: its lines depend on the order of the list"
	fi
done
echo "check: reversed list: every profile's lines unchanged"

mx run "$DOWN" --profiles rfc5321,postfix --no-capture --quiet
if [ "$rc" -eq 0 ] && [ ! -s "$OUT" ]; then
	echo "check: --quiet, every expectation held: exit 0, silent: ok"
else
	fail "--quiet with every expectation held"
	show run "$DOWN" --profiles rfc5321,postfix --quiet
fi
mx run "$DOWN" --profiles rfc5321,postfix,exim,first-mx-only --no-capture --quiet
if [ "$rc" -eq 1 ] && cmp -s "$WORK/want-down" "$OUT"; then
	echo "check: --quiet, an expectation failed: exit 1, the table: ok"
else
	fail "--quiet with a failed expectation"
	show run "$DOWN" --profiles rfc5321,postfix,exim,first-mx-only --quiet
fi
mx run "$DOWN" --profiles rfc5321,postfix --no-capture --verbose
h1=$(grep -n '^== primary-down with profile rfc5321 ==$' "$OUT" | cut -d: -f1)
h2=$(grep -n '^== primary-down with profile postfix ==$' "$OUT" | cut -d: -f1)
t=$(grep -n '^Comparison of primary-down' "$OUT" | cut -d: -f1)
if [ "$rc" -eq 0 ] && [ -n "$h1" ] && [ -n "$h2" ] && [ -n "$t" ] &&
    [ "$h1" -lt "$h2" ] && [ "$h2" -lt "$t" ] &&
    [ "$(grep -c 'connect timeout after 30s' "$OUT")" -eq 2 ]; then
	echo "check: --verbose: each run's narrative in order, then the table: ok"
else
	fail "--verbose: narratives and table"
	show run "$DOWN" --profiles rfc5321,postfix --verbose
fi
cp "$OUT" "$WORK/verbose-plain"

# --- colour in the narratives ------------------------------------------------
#
# As for one run (tests/cli/commands.sh): colour only on a terminal, off
# with a non-empty NO_COLOR (https://no-color.org), --color deciding over
# both; ECMA-48 SGR 31 (red) wraps a failed attempt, 32 (green) a
# delivery.  mx1 is down for the first hour and both rfc5321 (RFC 5321
# §4.5.3.2) and postfix (smtp_connect_timeout = 30s) give up on it after
# 30s, then deliver to mx2.
RED_TIMEOUT="${ESC}[31mmx1.example.test: connect timeout after 30s"
GREEN_DELIVERED="${ESC}[32mdelivered msg 1 for bob@example.test via mx2.example.test"
NO_COLOR=1 "$MXSIM" run "$DOWN" --profiles rfc5321,postfix --no-capture \
    --verbose --color=always >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(grep -cF "$RED_TIMEOUT" "$OUT")" -eq 2 ] &&
    [ "$(grep -cF "$GREEN_DELIVERED" "$OUT")" -eq 2 ]; then
	echo "check: --verbose --color=always (NO_COLOR=1): both narratives coloured: ok"
else
	fail "--verbose --color=always: want 2 red timeouts and 2 green deliveries"
	show run "$DOWN" --profiles rfc5321,postfix --verbose --color=always
fi
# Colour wraps the text only, and the table is never coloured.
sed "s/${ESC}\[[0-9;]*m//g" "$OUT" >"$WORK/verbose-stripped"
cmp -s "$WORK/verbose-stripped" "$WORK/verbose-plain" &&
	echo "check: --color=always minus its escapes is the plain --verbose output: ok" ||
	fail "compare --color=always differs from the plain output beyond the escapes"
sed -n '/^Comparison of/,$p' "$OUT" >"$WORK/table"
[ -s "$WORK/table" ] && ! has_esc "$WORK/table" &&
	echo "check: --color=always: the table has no escape codes: ok" ||
	fail "compare --color=always: the table is coloured (or missing)"
mx run "$DOWN" --profiles rfc5321,postfix --no-capture --verbose --color=never
[ "$rc" -eq 0 ] && ! has_esc "$OUT" && cmp -s "$OUT" "$WORK/verbose-plain" &&
	echo "check: --verbose --color=never: the plain output: ok" ||
	fail "compare --color=never: escape codes, or not the plain output"
# On a pseudo-terminal (script(1), util-linux): colour by default, none
# with NO_COLOR=1.
if command -v script >/dev/null; then
	on_tty run "'$DOWN'" --profiles rfc5321,postfix --no-capture --verbose
	[ "$rc" -eq 0 ] && [ "$(grep -cF "$RED_TIMEOUT" "$OUT")" -eq 2 ] &&
		echo "check: compare --verbose on a terminal: colour by default: ok" ||
		{ fail "compare --verbose on a terminal: no colour (exit $rc)"; show run "$DOWN" --profiles rfc5321,postfix --verbose; }
	NO_COLOR=1 on_tty run "'$DOWN'" --profiles rfc5321,postfix --no-capture --verbose
	[ "$rc" -eq 0 ] && grep -qF "connect timeout after 30s" "$OUT" && ! has_esc "$OUT" &&
		echo "check: compare --verbose on a terminal with NO_COLOR=1: no escape codes: ok" ||
		fail "compare --verbose on a terminal with NO_COLOR=1: escape codes (exit $rc)"
else
	fail "script(1) (util-linux) is needed to test colour on a terminal"
fi
rm -rf "$WORK/o"
mkdir -p "$WORK/o"
(cd "$WORK/o" && "$MXSIM" run "$DOWN" --profiles rfc5321,postfix --seed 7 \
    --no-capture --trace t.jsonl) >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 0 ] &&
    head -n 1 "$OUT" | grep -qxF "Comparison of primary-down (seed 7, stopped at 2h)" &&
    head -n 1 "$WORK/o/t.rfc5321.jsonl" | grep -qF '"seed":7,' &&
    head -n 1 "$WORK/o/t.postfix.jsonl" | grep -qF '"seed":7,'; then
	echo "check: --seed 7: every run and the header: ok"
else
	fail "--seed 7"
	show run "$DOWN" --profiles rfc5321,postfix --seed 7
fi

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

exit $failed
