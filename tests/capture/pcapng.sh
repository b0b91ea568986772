#!/bin/sh
# tests/capture/pcapng.sh - the annotated capture: pcapng by default, host
# names from its Name Resolution Block, the simulator's decisions as packet
# comments, and vantage points (--capture-at) as tcpdump on that host
# would see them.  Every file written here also passes the lint.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
LC_ALL=C
export LC_ALL
: "${MXSIM:?}" "${SRC:?}" "${WORK:?}"
. "$SRC/tests/capture/lib.sh"
rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
failed=0
fail() { echo "FAIL: $*"; failed=1; }
eq() {
	if [ "$2" = "$3" ]; then echo "check: $1: ok ($3)"; else fail "$1: got '$2', want '$3'"; fi
}
# fields FILE FILTER FIELD...: one line per frame, fields joined by ';'.
fields() {
	_f=$1; _y=$2; shift 2
	_a=
	for _x in "$@"; do _a="$_a -e $_x"; done
	# shellcheck disable=SC2086
	tsf "$_f" -2 -Y "$_y" -T fields -E separator=';' -E occurrence=a -E aggregator='|' $_a
}
run() {
	(cd "$WORK" && "$MXSIM" run "$@" --quiet) || fail "mxsim run $* exited $?"
}

# --- the default: ./<name>.pcapng -----------------------------------------
run "$SRC/scenarios/primary-down.lua"
PD=$WORK/primary-down.pcapng
[ -f "$PD" ] || { fail "no default capture $PD"; exit 1; }
eq "file type" "$(captype "$PD" 2>/dev/null | sed 's/.*: //')" pcapng
# NRB: the four hosts and the core router, IPv4 (and the router's IPv6).
eq "resolved IPv4 addresses (capinfos)" \
    "$(capinfos -n "$PD" 2>/dev/null | sed -n 's/.*resolved IPv4 addresses in file: *//p')" 5
eq "names with -N n (frame 1)" \
    "$(tshark -r "$PD" -N n -T fields -e ip.src_host -e ip.dst_host -Y frame.number==1 2>/dev/null)" \
    "mta	ns1"
eq "capture comment" \
    "$(capinfos -k "$PD" 2>/dev/null | sed -n 's/^Capture comment: *//p')" \
    "mxsim scenario primary-down, seed 42, seen from the whole network"

# Comments: what the simulator decided at each of these packets.
eq "comment on the first SYN to mx1" \
    "$(fields "$PD" 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !tcp.analysis.retransmission' frame.comment)" \
    "msg 1, delivery attempt 1: mx1.example.test (pref 10)|mx1 is down (outage 0, 0s-1h): frame dropped"
eq "comments on the resent SYNs" \
    "$(fields "$PD" 'ip.dst==192.0.2.10 && tcp.analysis.retransmission' frame.comment | tr '\n' '/')" \
    "SYN retransmission 1 (no answer for 1s)|mx1 is down (outage 0, 0s-1h): frame dropped/SYN retransmission 2 (no answer for 2s)|mx1 is down (outage 0, 0s-1h): frame dropped/SYN retransmission 3 (no answer for 4s)|mx1 is down (outage 0, 0s-1h): frame dropped/SYN retransmission 4 (no answer for 8s)|mx1 is down (outage 0, 0s-1h): frame dropped/"
eq "comment on the SYN to mx2" \
    "$(fields "$PD" 'ip.dst==192.0.2.20 && tcp.flags.syn==1' frame.comment)" \
    "msg 1, delivery attempt 1: mx2.example.test (pref 20) after mx1.example.test: connect timeout after 30s (5 SYNs unanswered)"
eq "frames without a comment carry none" "$(fields "$PD" 'smtp && frame.comment' frame.number)" ""
lint_capture "$PD" 'This frame is a \(suspected\) retransmission' >/dev/null ||
	fail "lint of $PD"

# --- a vantage point: the sender's interface -------------------------------
run "$SRC/scenarios/primary-down.lua" --capture "$WORK/at-mta.pcapng" --capture-at mta
AT=$WORK/at-mta.pcapng
eq "interface name" "$(capinfos -I "$AT" 2>/dev/null | sed -n 's/^ *Name = //p' | head -1)" "mta eth0"
# Every frame of this scenario involves the sender, so it sees them all:
# outbound (flags 2) with TTL 64, inbound (flags 1) after the core
# router, TTL 63 (RFC 1812 §5.3.1), and stamped when they arrive.
eq "frames (whole network, at mta)" \
    "$(tshark -r "$PD" 2>/dev/null | wc -l | tr -d ' '), $(tshark -r "$AT" 2>/dev/null | wc -l | tr -d ' ')" "30, 30"
eq "outbound frames not TTL 64" "$(fields "$AT" 'frame.packet_flags_direction==2 && ip.ttl!=64' frame.number)" ""
eq "inbound frames not TTL 63" "$(fields "$AT" 'frame.packet_flags_direction==1 && ip.ttl!=63' frame.number)" ""
eq "first DNS answer arrives at" "$(fields "$AT" 'dns.flags.response==1' frame.time_relative | head -1)" "0.000400000"
lint_capture "$AT" 'This frame is a \(suspected\) retransmission' >/dev/null || fail "lint of $AT"

# --- a vantage point: mx2, which sees only its own traffic -----------------
run "$SRC/scenarios/primary-down.lua" --capture "$WORK/at-mx2.pcap" --capture-at mx2
AT2=$WORK/at-mx2.pcap
eq "classic pcap by extension" "$(captype "$AT2" 2>/dev/null | sed 's/.*: //')" nsecpcap
eq "mx2 sees only mx2's frames" "$(fields "$AT2" '!(ip.addr==192.0.2.20)' frame.number)" ""
# Time 0 of every run is 2024-01-01T00:00:00Z (1704067200).
eq "mx2 receives the SYN 0.2 ms after it was sent" \
    "$(fields "$AT2" 'tcp.flags.syn==1 && tcp.flags.ack==0' frame.time_epoch)" "1704067230.001400000"
lint_capture "$AT2" >/dev/null || fail "lint of $AT2"

# --- comments on network failures -------------------------------------------
run "$SRC/scenarios/primary-unreachable.lua"
eq "comment on the ICMP error's cause" \
    "$(fields "$WORK/primary-unreachable.pcapng" 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !icmp' frame.comment)" \
    "msg 1, delivery attempt 1: mx1.example.test (pref 10)|mx1 is unreachable (outage 0, 0s-30m): internet answers host unreachable"
run "$SRC/scenarios/lossy-link.lua"
eq "a frame lost on the lossy link says where" \
    "$(fields "$WORK/lossy-link.pcapng" 'frame.comment contains "lost on link"' frame.comment | sort -u | head -1)" \
    "lost on link mta-internet (5% loss)"
lint_capture "$WORK/lossy-link.pcapng" 'retransmission|Duplicate ACK' >/dev/null || fail "lint of lossy-link.pcapng"
run "$SRC/scenarios/site-link-down.lua"
eq "a frame lost on a down uplink says which" \
    "$(fields "$WORK/site-link-down.pcapng" 'frame.comment contains "is down (outage"' frame.comment | head -1)" \
    "msg 1, delivery attempt 1: mx1.example.test (pref 10)|link primary-internet is down (outage 0): frame lost"

# --- bad capture options: exit 2, nothing written ---------------------------
rm -rf "$WORK/bad" && mkdir -p "$WORK/bad"
(cd "$WORK/bad" && "$MXSIM" run "$SRC/scenarios/primary-up.lua" --capture-at mx9 >out 2>err)
rc=$?
eq "--capture-at with an unknown host: exit" "$rc" 2
grep -q "no host named 'mx9' (did you mean 'mx1'?)" "$WORK/bad/err" && echo "check: suggestion: ok" ||
	fail "--capture-at mx9: $(cat "$WORK/bad/err")"
(cd "$WORK/bad" && "$MXSIM" run "$SRC/scenarios/primary-up.lua" --capture out.txt >out 2>err)
eq "--capture with an unknown extension: exit" "$?" 2
eq "files left by the failed runs" "$(ls -A "$WORK/bad" | grep -v -x -e out -e err | tr '\n' ' ')" ""

[ $failed -eq 0 ] && echo ok
exit $failed
