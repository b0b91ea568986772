#!/bin/sh
# tests/cli/timeline.sh - 'mxsim run FILE --timeline out.svg' (docs/timeline.md).
#
# For primary-down, all-mx-down, lossy-link and the hundred-message fixture
# tests/cli/fixtures/many-messages.lua, this asserts:
#  - the run exits as without --timeline (0), the SVG is well-formed XML
#    (xmllint --noout) and rasterises (rsvg-convert, a PNG of the picture's
#    width), and two runs in different directories give identical bytes;
#  - it holds what the run did, read back through the ids and classes the
#    picture defines (class="lane|outage|conn|dns-q|mark|tick|break" with
#    data-* attributes): lanes in order, outage windows, each connection
#    attempt's ends in simulated ns and its drawn x against the axis ticks,
#    DNS tries, marks; counts cross-checked with the JSON Lines trace;
#  - text from the scenario is escaped, and the amount of text does not
#    grow with the number of messages;
#  - a path in a directory that does not exist: exit 2 before the run, a
#    message, no file and no .part left; a path that is a directory: the
#    run happens, the rename fails, exit 2, no .part left.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
mkdir -p "$WORK/a" "$WORK/b" "$WORK/bad" || exit 1
ok() { echo "check: $*: ok"; }

for tool in xmllint rsvg-convert; do
	command -v $tool >/dev/null 2>&1 ||
	    { echo "FAIL: $tool is missing (scripts/install-deps.sh installs it)"; exit 1; }
done

# xp FILE XPATH: the XPath's value (elements are in the SVG namespace,
# hence local-name() for element names).
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }
# near A B EPS: |A - B| <= EPS.
near() {
	awk -v a="$1" -v b="$2" -v e="$3" \
	    'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= e) }'
}
# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 = $3"
	else
		fail "$1: got '$2', want '$3'"
	fi
}
# tick_x FILE T: x of the axis tick at T ns ("" if there is none).
tick_x() { xp "$1" "string(//*[@class='tick'][@data-t='$2']/*[local-name()='line']/@x1)"; }
# lane_y FILE HOST: y of the centre line of HOST's lane.
lane_y() { xp "$1" "string(//*[@class='lane'][@data-host='$2']/*[local-name()='line']/@y1)"; }
# conn_d FILE N: the path of the N-th connection arrow, as "x0 y0 x1 y1".
conn_d() { xp "$1" "string((//*[@class='conn'])[$2]/@d)" | sed 's/[ML]/ /g; s/,/ /g'; }
# count FILE TRACE TYPE: trace records of TYPE.
count() { grep -c "\"type\":\"$2\"" "$1"; }

# run NAME LUA: runs LUA from $WORK/a and $WORK/b, timeline and trace in
# each; checks exit 0, XML, PNG, identical bytes.  Leaves $WORK/a/NAME.svg.
run() {
	_n=$1
	_lua=$2
	for _d in a b; do
		(cd "$WORK/$_d" && "$MXSIM" run "$_lua" --no-capture --quiet \
		    --trace "$WORK/$_d/$_n.jsonl" --timeline "$WORK/$_d/$_n.svg") \
		    >"$WORK/$_d/$_n.out" 2>"$WORK/$_d/$_n.err"
		_rc=$?
		if [ $_rc -ne 0 ]; then
			fail "$_n: run in $_d exited $_rc, want 0"
			cat "$WORK/$_d/$_n.err"
			return 1
		fi
	done
	[ -e "$WORK/a/$_n.svg.part" ] && fail "$_n: $_n.svg.part left behind"
	if xmllint --noout "$WORK/a/$_n.svg"; then
		ok "$_n: well-formed XML"
	else
		fail "$_n: xmllint rejects the SVG"
	fi
	if rsvg-convert "$WORK/a/$_n.svg" -o "$WORK/a/$_n.png" 2>"$WORK/a/$_n.rsvg"; then
		# PNG: the width is the big-endian word at byte 16 of IHDR.
		_w=$(od -A n -t u1 -j 16 -N 4 "$WORK/a/$_n.png" |
		    awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
		expect_eq "$_n: PNG width" "$_w" 1200
		[ -s "$WORK/a/$_n.rsvg" ] && fail "$_n: rsvg-convert complained: $(cat "$WORK/a/$_n.rsvg")"
	else
		fail "$_n: rsvg-convert cannot draw it: $(cat "$WORK/a/$_n.rsvg")"
	fi
	if cmp -s "$WORK/a/$_n.svg" "$WORK/b/$_n.svg"; then
		ok "$_n: two runs give identical bytes"
	else
		fail "$_n: two runs give different SVGs"
	fi
	# Nothing from outside: no links, scripts or images.
	if grep -q -E 'href|<script|<image|<foreignObject|@import' "$WORK/a/$_n.svg"; then
		fail "$_n: the SVG refers to outside resources or has scripts"
	else
		ok "$_n: standalone"
	fi
	return 0
}

# --- primary-down --------------------------------------------------------------
# scenarios/primary-down.lua: mx1 down 0s-1h; the MX lookup and the two A
# lookups take 0.4 ms each (ns1 one round trip away, 200 us one way), so
# the connect to mx1 starts at 1.2 ms; it times out after the rfc5321
# profile's connect_timeout = "30s" (lua/profiles/rfc5321.lua: Postfix
# smtp_connect_timeout), then mx2, the next preference (RFC 5321 §5.1),
# takes the message: stored at 30.0038 s, its 250 seen at 30.004 s.
if run primary-down "$SRC/scenarios/primary-down.lua"; then
	F=$WORK/a/primary-down.svg
	lanes=$(xp "$F" "//*[@class='lane']/@data-host" | tr -d ' ' | tr '\n' ' ')
	expect_eq "primary-down: lanes (senders, MX hosts, DNS servers)" "$lanes" \
	    'data-host="mta" data-host="mx1" data-host="mx2" data-host="ns1" '
	expect_eq "primary-down: outages" "$(xp "$F" "count(//*[@class='outage'])")" 1
	O="//*[@class='outage'][@data-host='mx1']"
	expect_eq "primary-down: mx1 outage kind" "$(xp "$F" "string($O/@data-kind)")" down
	expect_eq "primary-down: mx1 outage from" "$(xp "$F" "string($O/@data-from)")" 0
	expect_eq "primary-down: mx1 outage to" "$(xp "$F" "string($O/@data-to)")" 3600000000000
	expect_eq "primary-down: legend has the outage kind" \
	    "$(xp "$F" "count(//*[@class='legend-item'][@data-key='outage-down'])")" 1
	x0=$(tick_x "$F" 0)
	x30=$(tick_x "$F" 30000000000)
	x1h=$(tick_x "$F" 3600000000000)
	x2h=$(tick_x "$F" 7200000000000)
	if [ -z "$x0" ] || [ -z "$x30" ] || [ -z "$x1h" ] || [ -z "$x2h" ]; then
		fail "primary-down: ticks at 0, 30s, 1h, 2h expected, got x '$x0' '$x30' '$x1h' '$x2h'"
		x0=0 x30=1 x1h=0 x2h=0
	else
		ok "primary-down: ticks at 0s, 30s, 1h and 2h"
	fi
	# The plot spans x 170 to 1160; the thirty seconds of action get most
	# of it (the idle hours are compressed), and ticks go left to right.
	expect_eq "primary-down: x of the 0s and 2h ticks" "$x0 $x2h" "170.0 1160.0"
	if awk -v a="$x0" -v b="$x30" 'BEGIN { exit !(b - a >= 600) }'; then
		ok "primary-down: 0s to 30s takes $(awk -v a="$x0" -v b="$x30" 'BEGIN { print b - a }') px of 990"
	else
		fail "primary-down: 0s to 30s takes only $x0 to $x30"
	fi
	txs=$(xp "$F" "//*[@class='tick']/*[local-name()='line']/@x1" | sed 's/^.*="//; s/"$//')
	if echo $txs | awk '{ for (i = 2; i <= NF; i++) if ($i <= $(i - 1)) exit 1 }'; then
		ok "primary-down: ticks increase left to right"
	else
		fail "primary-down: ticks out of order: $txs"
	fi
	expect_eq "primary-down: label of the 1h tick" \
	    "$(xp "$F" "string(//*[@class='tick'][@data-t='3600000000000'])")" 1h
	# The shade covers the window on the axis: from the 0s to the 1h tick.
	rx=$(xp "$F" "string($O/*[local-name()='rect']/@x)")
	rw=$(xp "$F" "string($O/*[local-name()='rect']/@width)")
	if near "$rx" "$x0" 0.11 && near "$(awk -v a="$rx" -v b="$rw" 'BEGIN { print a + b }')" "$x1h" 0.11; then
		ok "primary-down: mx1's shade spans the 0s to 1h ticks"
	else
		fail "primary-down: mx1's shade is x $rx width $rw; ticks 0s at $x0, 1h at $x1h"
	fi
	# Thirty seconds of action, then idle to 1h and to 2h: two compressed gaps.
	expect_eq "primary-down: compressed idle gaps" "$(xp "$F" "count(//*[@class='break'])")" 2
	expect_eq "primary-down: connection arrows" "$(xp "$F" "count(//*[@class='conn'])")" 2
	C1="(//*[@class='conn'])[1]"
	C2="(//*[@class='conn'])[2]"
	expect_eq "primary-down: arrow 1" \
	    "$(xp "$F" "concat($C1/@data-from,'>',$C1/@data-to,' ',$C1/@data-result,' ',$C1/@data-start,'-',$C1/@data-end)")" \
	    "mta>mx1 timeout 1200000-30001200000"
	expect_eq "primary-down: arrow 2" \
	    "$(xp "$F" "concat($C2/@data-from,'>',$C2/@data-to,' ',$C2/@data-result,' ',$C2/@data-start,'-',$C2/@data-end)")" \
	    "mta>mx2 delivered 30001200000-30004000000"
	# Drawn where the axis says: x(t) = x(0s) + t * (x(30s) - x(0s)) / 30 s
	# on the first stretch; y from the sender's lane to the MX's lane.
	xt() { awk -v a="$x0" -v b="$x30" -v t="$1" 'BEGIN { print a + t * (b - a) / 30e9 }'; }
	ym=$(lane_y "$F" mta)
	y1=$(lane_y "$F" mx1)
	y2=$(lane_y "$F" mx2)
	set -- $(conn_d "$F" 1)
	if near "$1" "$(xt 1200000)" 0.11 && near "$3" "$(xt 30001200000)" 0.11 &&
	    near "$2" "$ym" 4 && near "$4" "$y1" 4; then
		ok "primary-down: the timeout arrow runs from mta at 1.2ms to mx1 at 30.0012s"
	else
		fail "primary-down: timeout arrow at $*; want x $(xt 1200000) -> $(xt 30001200000), y $ym -> $y1"
	fi
	set -- $(conn_d "$F" 2)
	if near "$1" "$(xt 30001200000)" 0.11 && near "$3" "$(xt 30004000000)" 0.11 &&
	    near "$2" "$ym" 4 && near "$4" "$y2" 4; then
		ok "primary-down: the delivered arrow runs from mta to mx2 at 30.0012s-30.004s"
	else
		fail "primary-down: delivered arrow at $*; want x $(xt 30001200000) -> $(xt 30004000000), y $ym -> $y2"
	fi
	expect_eq "primary-down: DNS queries (MX, A mx1, A mx2 at 0, 0.4, 0.8 ms)" \
	    "$(xp "$F" "//*[@class='dns-q'][@data-from='mta'][@data-to='ns1'][@data-result='ok']/@data-t" | tr -d ' \n')" \
	    'data-t="0"data-t="400000"data-t="800000"'
	expect_eq "primary-down: stored mark on mx2" \
	    "$(xp "$F" "string(//*[@class='mark'][@data-kind='stored']/@data-host)")@$(xp "$F" "string(//*[@class='mark'][@data-kind='stored']/@data-t)")" \
	    "mx2@30003800000"
	expect_eq "primary-down: queued mark on mta" \
	    "$(xp "$F" "string(//*[@class='mark'][@data-kind='queued']/@data-host)")@$(xp "$F" "string(//*[@class='mark'][@data-kind='queued']/@data-t)")" \
	    "mta@0"
	expect_eq "primary-down: title" "$(xp "$F" "string(//*[@class='title'])")" \
	    "primary-down · seed 42 · 0s to 2h"
fi

# --- all-mx-down -------------------------------------------------------------
# scenarios/all-mx-down.lua: both MX hosts down for the whole run; the
# sender (retry = { "5m", "10m" }, give_up = "1h") makes 7 delivery
# attempts of 2 connections each, all 30 s timeouts, and bounces at
# 3720.0084 s (its expectation: after 1h2m, before 1h3m, 14 attempts).
if run all-mx-down "$SRC/scenarios/all-mx-down.lua"; then
	F=$WORK/a/all-mx-down.svg
	T=$WORK/a/all-mx-down.jsonl
	expect_eq "all-mx-down: timeout arrows" \
	    "$(xp "$F" "count(//*[@class='conn'][@data-result='timeout'])")" 14
	expect_eq "all-mx-down: arrows of another result" \
	    "$(xp "$F" "count(//*[@class='conn'][@data-result!='timeout'])")" 0
	expect_eq "all-mx-down: arrows to mx1 / mx2" \
	    "$(xp "$F" "count(//*[@class='conn'][@data-to='mx1'])")/$(xp "$F" "count(//*[@class='conn'][@data-to='mx2'])")" 7/7
	# The arrows start when the trace says each connect started.
	want=$(grep '"type":"mta.connect"' "$T" | sed 's/^{"t":\([0-9]*\),.*/\1/' | tr '\n' ' ')
	got=$(xp "$F" "//*[@class='conn']/@data-start" | sed 's/[^0-9]/ /g' | tr -s ' \n' '  ' | sed 's/^ //')
	expect_eq "all-mx-down: arrow starts = mta.connect times" "$got" "$want"
	expect_eq "all-mx-down: retry marks (6 retries after the first attempt)" \
	    "$(xp "$F" "count(//*[@class='mark'][@data-kind='retry'])")" 6
	expect_eq "all-mx-down: waits in the queue (one per retry)" \
	    "$(xp "$F" "count(//*[@class='wait'])")" 6
	expect_eq "all-mx-down: bounce" \
	    "$(xp "$F" "string(//*[@class='mark'][@data-kind='bounce']/@data-t)")" 3720008400000
	# Outages without 'to' last to the end (data-to -1) and shade to the
	# right end of the plot, the 2h tick.
	expect_eq "all-mx-down: open outages" \
	    "$(xp "$F" "count(//*[@class='outage'][@data-to='-1'])")" 2
	xe=$(tick_x "$F" 7200000000000)
	rx=$(xp "$F" "string(//*[@class='outage'][@data-host='mx2']/*[local-name()='rect']/@x)")
	rw=$(xp "$F" "string(//*[@class='outage'][@data-host='mx2']/*[local-name()='rect']/@width)")
	if near "$(awk -v a="$rx" -v b="$rw" 'BEGIN { print a + b }')" "$xe" 0.11; then
		ok "all-mx-down: mx2's shade reaches the 2h tick"
	else
		fail "all-mx-down: mx2's shade ends at $rx + $rw, the 2h tick is at $xe"
	fi
	# Retries every few minutes are not idle enough to compress; the
	# hour after the bounce is (3720 s to 7200 s).
	expect_eq "all-mx-down: compressed gaps" "$(xp "$F" "count(//*[@class='break'])")" 1
fi

# --- lossy-link ----------------------------------------------------------------
# scenarios/lossy-link.lua: 5% loss on the sender's link; the answer to
# the first A query is lost, so glibc asks again after RES_TIMEOUT = 5 s
# (mta-behavior.md, res_send.c send_dg()): try 1 at 45.320432 ms is drawn
# as "lost" (its answer did not reach the client in time), try 2 at
# 5.045320432 s as answered; then one delivered session.
if run lossy-link "$SRC/scenarios/lossy-link.lua"; then
	F=$WORK/a/lossy-link.svg
	T=$WORK/a/lossy-link.jsonl
	expect_eq "lossy-link: lost try" \
	    "$(xp "$F" "concat(//*[@class='dns-q'][@data-result='lost']/@data-t,' try ',//*[@class='dns-q'][@data-result='lost']/@data-try)")" \
	    "45320432 try 1"
	expect_eq "lossy-link: its retry, answered" \
	    "$(xp "$F" "count(//*[@class='dns-q'][@data-result='ok'][@data-t='5045320432'][@data-try='2'])")" 1
	expect_eq "lossy-link: DNS lines = dns.query records" \
	    "$(xp "$F" "count(//*[@class='dns-q'])")" "$(count "$T" dns.query)"
	expect_eq "lossy-link: one delivered arrow" \
	    "$(xp "$F" "count(//*[@class='conn'][@data-result='delivered'][@data-to='mx1'])")/$(xp "$F" "count(//*[@class='conn'])")" 1/1
	# The 5 s wait is not idle (a query is in flight): the only compressed
	# gap is after the delivery, up to the 1h horizon.
	expect_eq "lossy-link: compressed gaps" "$(xp "$F" "count(//*[@class='break'])")" 1
	bf=$(xp "$F" "string(//*[@class='break']/@data-from)")
	if [ "${bf:-0}" -gt 6144903000 ] && [ "${bf:-0}" -lt 6300000000 ]; then
		ok "lossy-link: the gap starts just after the delivery at 6.144903 s"
	else
		fail "lossy-link: the compressed gap starts at $bf ns"
	fi
fi

# --- a hundred messages --------------------------------------------------------
# tests/cli/fixtures/many-messages.lua.  What it must give (derivation in
# the fixture's comment; RFC 5321 §5.1 order mx1, mx2, mx3):
#  - 110 delivered sessions: 100 messages + 10 second domains (other.test);
#    the 10 extra example.test recipients share their message's session;
#  - 30 refused: messages 21-50 (10 to 24.5 min) meet mx1's RST;
#  - 10 4xx: messages 41-50 (20 to 24.5 min) then meet mx2's 451;
#  - 10 timeouts: messages 81-90 (40 to 44.5 min) meet mx1 down;
#  - 120 stored: 100 + 10 extra + 10 other.test recipients.
if run many-messages "$SRC/tests/cli/fixtures/many-messages.lua"; then
	F=$WORK/a/many-messages.svg
	T=$WORK/a/many-messages.jsonl
	n() { xp "$F" "count(//*[@class='conn'][@data-result='$1'])"; }
	expect_eq "many-messages: delivered/refused/4xx/timeout arrows" \
	    "$(n delivered)/$(n refused)/$(n 4xx)/$(n timeout)" 110/30/10/10
	expect_eq "many-messages: arrows = mta.connect records" \
	    "$(xp "$F" "count(//*[@class='conn'])")" "$(count "$T" mta.connect)"
	expect_eq "many-messages: failed arrows = mta.fail records" \
	    "$(xp "$F" "count(//*[@class='conn'][@data-result!='delivered'])")" "$(count "$T" mta.fail)"
	expect_eq "many-messages: stored marks" \
	    "$(xp "$F" "count(//*[@class='mark'][@data-kind='stored'])")" 120
	expect_eq "many-messages: queued marks" \
	    "$(xp "$F" "count(//*[@class='mark'][@data-kind='queued'])")" 100
	expect_eq "many-messages: DNS lines = dns.query records" \
	    "$(xp "$F" "count(//*[@class='dns-q'])")" "$(count "$T" dns.query)"
	expect_eq "many-messages: lanes" \
	    "$(xp "$F" "//*[@class='lane']/@data-host" | tr -d ' \n')" \
	    'data-host="mta1"data-host="mta2"data-host="mx1"data-host="mx2"data-host="mx3"data-host="ns1"'
	expect_eq "many-messages: legend count of 4xx" \
	    "$(xp "$F" "string(//*[@class='legend-item'][@data-key='conn-4xx'])")" "4xx reply (10)"
	# Escaped text comes back as written in the scenario.
	expect_eq "many-messages: description" \
	    "$(xp "$F" "substring-before(string(//*[@class='subtitle']),' — ')")" \
	    "100 messages <&> \"three\" MX hosts with 'overlapping' outages"
	# Text does not grow with the messages: titles (tooltips) aside, the
	# picture has lane, axis, legend and outage words only.
	nt=$(xp "$F" "count(//*[local-name()='text'])")
	if [ "$nt" -le 60 ]; then
		ok "many-messages: $nt text elements (<= 60)"
	else
		fail "many-messages: $nt text elements, a hundred messages should not add text"
	fi
	# Tick labels do not overlap: shown labels at least 30 px apart.
	xs=$(xp "$F" "//*[@class='tick'][*[local-name()='text']]/*[local-name()='text']/@x" | sed 's/^.*="//; s/"$//')
	if echo $xs | awk '{ for (i = 2; i <= NF; i++) if ($i - $(i - 1) < 30) exit 1 }'; then
		ok "many-messages: tick labels are apart"
	else
		fail "many-messages: tick labels overlap: $xs"
	fi
fi

# --- outputs that cannot be written ------------------------------------------------
# A directory that does not exist: refused before the run, like --trace.
B=$WORK/bad
(cd "$B" && "$MXSIM" run "$SRC/scenarios/primary-down.lua" --no-capture --quiet \
    --trace "$B/t.jsonl" --timeline "$B/no-such-dir/t.svg") >"$B/out" 2>"$B/err"
rc=$?
expect_eq "missing directory: exit status" $rc 2
if grep -q "mxsim: cannot write timeline '$B/no-such-dir/t.svg': No such file or directory" "$B/err"; then
	ok "missing directory: the message names the path and the reason"
else
	fail "missing directory: stderr is '$(cat "$B/err")'"
fi
left=$(cd "$B" && ls | grep -v -x -e out -e err)
expect_eq "missing directory: files left behind" "$left" ""
# A path that is a directory: the run goes on, the final rename fails.
mkdir -p "$B/dir.svg"
(cd "$B" && "$MXSIM" run "$SRC/scenarios/primary-down.lua" --no-capture --quiet \
    --timeline "$B/dir.svg") >"$B/out2" 2>"$B/err2"
rc=$?
expect_eq "path is a directory: exit status" $rc 2
if grep -q "cannot rename timeline to '$B/dir.svg'" "$B/err2"; then
	ok "path is a directory: the message says so"
else
	fail "path is a directory: stderr is '$(cat "$B/err2")'"
fi
[ -e "$B/dir.svg.part" ] && fail "path is a directory: dir.svg.part left behind"
[ -z "$(ls "$B/dir.svg")" ] || fail "path is a directory: something was written into it"

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

if [ $failed -ne 0 ]; then
	echo "FAIL: timeline checks failed"
	exit 1
fi
echo "ok"
