#!/bin/sh
# tests/cli/lint.sh - "mxsim lint" and "mxsim explain" (docs/lint.md).
#
# Every finding is pinned on a fixture under tests/lint/ whose comments say
# which rule it breaks and where the rule comes from (an RFC section or an
# MTA parameter of reference/mta-behavior.md); the whole output is compared
# byte for byte with a .expected file, so a changed line, order, severity,
# id, owner, line number or source fails the test.
#
# Exit status contract (docs/lint.md): lint 0 = nothing above info,
# 1 = a warning or an error, 2 = bad input (with file:line) or command
# line; explain 0, or 2 for bad input.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
# File names in the outputs are the ones given: relative to the tree.
cd "$SRC" || exit 1
L=tests/lint

# pinned WHAT STATUS EXPECTED ARGS...: exit STATUS, stdout equal to the
# file EXPECTED, nothing on stderr.
pinned() {
	_what=$1
	_want=$2
	_exp=$3
	shift 3
	mx "$@"
	if [ "$rc" -ne "$_want" ]; then
		fail "$_what: exit status $rc, want $_want"
		show "$@"
	elif ! diff -u "$_exp" "$OUT" >"$WORK/diff"; then
		fail "$_what: stdout differs from $_exp"
		sed 's/^/    /' "$WORK/diff"
	elif [ -s "$ERR" ]; then
		fail "$_what: printed on stderr"
		show "$@"
	else
		echo "check: $_what: exit $rc, output as $_exp: ok"
	fi
}

# bad WHAT TEXT ARGS...: exit 2, TEXT (fixed string) on stderr, nothing on
# stdout.
bad() {
	_what=$1
	_text=$2
	shift 2
	mx "$@"
	if [ "$rc" -ne 2 ]; then
		fail "$_what: exit status $rc, want 2"
		show "$@"
	elif ! grep -F -q -- "$_text" "$ERR"; then
		fail "$_what: stderr lacks '$_text'"
		show "$@"
	elif [ -s "$OUT" ]; then
		fail "$_what: printed on stdout"
		show "$@"
	else
		echo "check: $_what: exit 2, stderr says '$_text': ok"
	fi
}

# --- lint: a sound zone -------------------------------------------------------

# clean.zone breaks no rule (its comment lists the ones it keeps): no
# finding, exit 0, only the summary.
printf '%s\n' "$L/clean.zone: 0 errors, 0 warnings, 0 info (1 mail domain in 1 zone)" >"$WORK/clean.expected"
pinned "lint clean zone" 0 "$WORK/clean.expected" lint "$L/clean.zone"

# --- lint: one finding per mail domain ----------------------------------------

# findings.zone: mx-cname (RFC 2181 §10.3), mx-ip-literal twice (RFC 5321
# §5.1; Exim allow_mx_to_ip = false), mx-no-address three times (RFC 5321
# §5.1), mx-external twice, mx-localhost (RFC 6761 §6.3), null-mx-mixed
# and null-mx-pref (RFC 7505 §3), single-mx (RFC 5321 §4.5.4.1),
# equal-pref (RFC 5321 §5.1), address-limit (Postfix
# smtp_mx_address_limit = 5), ttl-long twice (RFC 1035 §3.2.1),
# shared-address and shared-network for IPv4 /24 and IPv6 /48 (RFC 2182
# §3.1), each at the line of the record at fault, sorted by line.  Errors
# and warnings: exit 1.
pinned "lint findings.zone" 1 "$L/findings.expected" lint "$L/findings.zone"

# The same as JSON: one document, the same findings in the same order.
pinned "lint findings.zone --format json" 1 "$L/findings.json.expected" \
	lint --format json "$L/findings.zone"
if ! command -v jq >/dev/null; then
	fail "jq is not installed (scripts/install-deps.sh)"
else
	n=$(jq '.findings | length' "$OUT")
	t=$(grep -c '^tests/lint/findings.zone:[0-9]' "$L/findings.expected")
	sum=$(jq '.errors + .warnings + .info' "$OUT")
	if [ "$n" = "$t" ] && [ "$sum" = "$t" ] &&
	    [ "$(jq -r '.findings[0].id' "$OUT")" = "mx-cname" ] &&
	    [ "$(jq '.findings[0].line' "$OUT")" = "18" ]; then
		echo "check: JSON parses, $n findings as in the text: ok"
	else
		fail "JSON: $n findings, $sum counted, text has $t"
	fi
fi

# no-mx.zone: no MX, an address at the apex: the implicit MX (RFC 5321
# §5.1), info only, on the SOA's line (4): exit 0.
pinned "lint no-mx.zone" 0 "$L/no-mx.expected" lint "$L/no-mx.zone"

# A zone whose origin the file does not say, given with --origin: a single
# MX host, info (RFC 5321 §4.5.4.1), exit 0.
printf '%s\n' \
	"$L/no-origin.zone:3: info: single-mx: example.test: mx1.example.test is the only MX host: while it is down, mail waits in the senders' queues and bounces after their give-up time [RFC 5321 §4.5.4.1]" \
	"$L/no-origin.zone: 0 errors, 0 warnings, 1 info (1 mail domain in 1 zone)" >"$WORK/origin.expected"
pinned "lint --origin" 0 "$WORK/origin.expected" lint --origin example.test. "$L/no-origin.zone"

# --- lint: a scenario -----------------------------------------------------------

# backup.lua: backup-accepts-all (Postfix STANDARD_CONFIGURATION_README,
# relay_recipient_maps), backup-rejects-users twice (RFC 5321 §4.2.1),
# mx-no-server twice (RFC 5321 §5.1), backup-no-relay (info), at the
# zones' declaration lines.
pinned "lint backup.lua" 1 "$L/backup.expected" lint "$L/backup.lua"

# --- lint: bad input and command lines: exit 2 -------------------------------------

bad "lint zone with a syntax error" "$L/bad-syntax.zone:6: cannot parse the record data" \
	lint "$L/bad-syntax.zone"
bad "lint zone without origin" "$L/no-origin.zone:1: no SOA record and no \$ORIGIN" \
	lint "$L/no-origin.zone"
bad "lint zone with a wrong --origin" "$L/clean.zone:9: owner 'example.test' is outside the zone 'other.test'" \
	lint --origin other.test "$L/clean.zone"
bad "lint missing file" "$L/nonexistent.zone: cannot open the zone file" \
	lint "$L/nonexistent.zone"
bad "lint scenario with a syntax error" "tests/bad/syntax-error.lua:5:" \
	lint tests/bad/syntax-error.lua
bad "lint no file" "lint needs exactly one zone file or scenario" lint
bad "lint two files" "lint needs exactly one zone file or scenario" \
	lint "$L/clean.zone" "$L/no-mx.zone"
bad "lint --format xml" "--format is 'text' or 'json', not 'xml'" \
	lint --format xml "$L/clean.zone"
bad "lint --origin on a scenario" "--origin is for zone files" \
	lint --origin example.test "$L/backup.lua"

# --- explain --------------------------------------------------------------------

# two-mx.zone, rfc5321 profile: mx1 (pref 10) then mx2 (pref 20) (RFC 5321
# §5.1 sorting), mx1's IPv6 address first (address_order = ipv6-first),
# all addresses (max_addresses = 0); mx1 down costs 2 x 30 s
# (connect_timeout = 30s) before mx2; a 5xx at RCPT bounces (RFC 5321
# §4.2.1); mx2 alone failing changes nothing; retry 30m then 2h, give_up
# 5d (lua/profiles/rfc5321.lua, RFC 5321 §4.5.4.1).
pinned "explain two-mx" 0 "$L/two-mx.expected" \
	explain example.test --zone "$L/two-mx.zone"

# three-equal.zone: three hosts at preference 10, shuffled for each
# delivery attempt (equal_pref = shuffle; RFC 5321 §5.1 MUST randomize),
# 3! = 6 orders; each host first in 1 of 3 attempts, then the next drawn.
pinned "explain three-equal" 0 "$L/three-equal.expected" \
	explain example.test. --zone "$L/three-equal.zone"

# The same zone with knobs changed: the explanation follows the knobs, not
# the profile's name: answer order (equal_pref = none), two addresses at
# most (max_addresses = 2: mx-c never tried), the kernel's 127 s SYN limit
# (connect_timeout = 0; Linux tcp_syn_retries = 6), another retry list
# (10m, 1h, then every 4h: the bounce comes at the first attempt past
# give_up = 5d, at 5d1h10m).
pinned "explain three-equal --set" 0 "$L/three-equal-set.expected" \
	explain example.test --zone "$L/three-equal.zone" --profile rfc5321 \
	--set equal_pref=none --set max_addresses=2 --set connect_timeout=0 \
	--set retry=10m,1h,4h

# two-mx.zone with the knobs step 6 reads set otherwise: greeting_4xx =
# defer and greeting_5xx = bounce (Haraka, mta-behavior.md §3.1),
# mx_session_limit = 2 (Postfix smtp_mx_session_limit): a 421 stops at
# mx1's first address, a 554 bounces, a 451 at RCPT on both of mx1's
# addresses uses up the sessions, mx2 untried; retry 10h.
pinned "explain two-mx --set" 0 "$L/two-mx-knobs.expected" \
	explain example.test --zone "$L/two-mx.zone" --set greeting_4xx=defer \
	--set greeting_5xx=bounce --set mx_session_limit=2 --set retry=10h

# The simulator does what the explanations say: the same zones run as
# scenarios whose expectations pin, per single failure, the attempts, the
# outcome and its time (see the comments of two-mx-run.lua,
# two-mx-knobs-run.lua and three-equal-run.lua).
for s in two-mx-run two-mx-knobs-run three-equal-run; do
	mx run --no-capture --quiet "$L/$s.lua"
	if [ "$rc" -eq 0 ]; then
		echo "check: run $s.lua: the explained failures happen: ok"
	else
		fail "run $s.lua: exit status $rc, want 0"
		show run --no-capture --quiet "$L/$s.lua"
	fi
done

bad "explain unknown profile" "no profile named 'nosuch'" \
	explain example.test --zone "$L/two-mx.zone" --profile nosuch
bad "explain domain outside the zone" "'other.test' is not in the zone 'example.test'" \
	explain other.test --zone "$L/two-mx.zone"
bad "explain below a zone cut" "'sub.example.test' is below a zone cut" \
	explain sub.example.test --zone "$L/findings.zone"
bad "explain without --zone" "explain needs --zone FILE" explain example.test
bad "explain unknown knob" "no knob named 'nosuch'" \
	explain example.test --zone "$L/two-mx.zone" --set nosuch=1
bad "explain bad knob value" "--set mx_cname: bad value 'maybe' (follow, refuse)" \
	explain example.test --zone "$L/two-mx.zone" --set mx_cname=maybe
bad "explain bad duration" "--set connect_timeout: bad value 'soon'" \
	explain example.test --zone "$L/two-mx.zone" --set connect_timeout=soon
bad "explain --set without =" "--set needs KNOB=VALUE, got 'retry'" \
	explain example.test --zone "$L/two-mx.zone" --set retry
bad "explain zone with a syntax error" "$L/bad-syntax.zone:6:" \
	explain example.test --zone "$L/bad-syntax.zone"

# --- help ------------------------------------------------------------------------

mx --help
if [ "$rc" -eq 0 ] && grep -F -q "mxsim lint FILE" "$OUT" &&
    grep -F -q "mxsim explain DOMAIN --zone FILE" "$OUT"; then
	echo "check: --help lists lint and explain: ok"
else
	fail "--help lacks lint or explain"
	show --help
fi

[ $failed -eq 0 ] && echo "all lint checks passed"
exit $failed
