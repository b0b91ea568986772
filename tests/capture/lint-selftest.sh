#!/bin/sh
# tests/capture/lint-selftest.sh - the lint of lib.sh catches what it claims.
#
# A lint that never fails proves nothing.  This takes the clean capture of
# primary-up.lua, plants one mistake at a time (with editcap, or by
# overwriting bytes in place) and asserts that the lint exits 1 and that the
# check meant to catch that mistake is the one that reports FAIL.  It also
# asserts that the unplanted capture passes, and that an allow-regex
# tolerates exactly the expert message it names.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
# Stable sort and grep whatever the caller's locale.
LC_ALL=C
export LC_ALL
: "${MXSIM:?MXSIM must name the mxsim program}"
: "${SRC:?SRC must name the source tree}"
: "${WORK:?WORK must name a scratch directory}"

. "$SRC/tests/capture/lib.sh"

rm -rf "$WORK"
mkdir -p "$WORK" || exit 1
for t in tshark editcap dd od; do
	command -v $t >/dev/null || { echo "FAIL: $t is not installed" >&2; exit 1; }
done

failed=0
fail() {
	echo "FAIL: $*"
	failed=1
}

CLEAN=$WORK/clean.pcap
REFUSED=$WORK/refused.pcap
(cd "$WORK" && "$MXSIM" run "$SRC/scenarios/primary-up.lua" --capture "$CLEAN" --quiet) ||
	{ echo "FAIL: mxsim run primary-up.lua failed" >&2; exit 1; }
(cd "$WORK" && "$MXSIM" run "$SRC/scenarios/primary-refuses.lua" --capture "$REFUSED" --quiet) ||
	{ echo "FAIL: mxsim run primary-refuses.lua failed" >&2; exit 1; }

# The layout this test relies on (primary-up.lua): frame 1 the MX query,
# 8 the SYN-ACK, 10 the 220 greeting, 19 the DATA body with the final dot,
# 21 QUIT, 25 mx1's ACK of the client's FIN.
layout=$(tsf "$CLEAN" -Y 'frame.number==1 || frame.number==8 || frame.number==10 || frame.number==19 || frame.number==21 || frame.number==25' \
    -T fields -e frame.number -e _ws.col.Info | tr '\t\n' '= ')
echo "capture layout: $layout"
case $layout in
*"1=Standard query "*"8=25 "*"[SYN, ACK]"*"10=S: 220 "*"19="*"21=C: QUIT"*"25=25 "*"[ACK]"*) ;;
*) echo "FAIL: primary-up.pcap no longer has the frame layout this test plants mistakes in; update lint-selftest.sh" >&2
   exit 1 ;;
esac

# offset_of N: byte offset of frame N's record header in $CLEAN (a classic
# pcap: 24-byte file header, then 16-byte record header + caplen each).
offset_of() {
	tsf "$CLEAN" -Y "frame.number < $1" -T fields -e frame.cap_len |
	    awk 'BEGIN { o = 24 } { o += 16 + $1 } END { print o }'
}
caplen_of() {
	tsf "$CLEAN" -Y "frame.number == $1" -T fields -e frame.cap_len
}
# poke FILE OFFSET OCTAL...: overwrite bytes in place.
poke() {
	_p_file=$1
	_p_off=$2
	shift 2
	for _p_b in "$@"; do
		printf "\\$_p_b" | dd of="$_p_file" bs=1 seek="$_p_off" conv=notrunc 2>/dev/null
		_p_off=$((_p_off + 1))
	done
}

# planted NAME FILE CHECK [ALLOW]: the lint must fail FILE, with CHECK
# (the name lint_capture prints) among the failing checks.
planted() {
	out=$(lint_capture "$2" "${4:-}")
	rc=$?
	if [ $rc -ne 1 ]; then
		fail "$1: lint exited $rc, want 1"
		printf '%s\n' "$out" | sed 's/^/    /'
	elif ! printf '%s\n' "$out" | grep -F -q "lint: $3: FAIL"; then
		fail "$1: the lint failed, but not in check '$3'"
		printf '%s\n' "$out" | sed 's/^/    /'
	else
		echo "check: $1: caught by '$3': ok"
	fi
}

# 0. The clean capture passes; the refused one passes when its RST is allowed.
out=$(lint_capture "$CLEAN") || { fail "the clean capture fails the lint"; printf '%s\n' "$out"; }
[ $failed -eq 0 ] && echo "check: the clean capture passes: ok"
if out=$(lint_capture "$REFUSED" '^Connection reset \(RST\)$'); then
	echo "check: an allowed expert message is tolerated: ok"
else
	fail "primary-refuses fails the lint with its RST allowed"
	printf '%s\n' "$out"
fi

# 1. An expert item nobody allowed.
planted "unexpected expert item (RST, nothing allowed)" "$REFUSED" \
    "expert items at Note and above (frame, severity, message)"
planted "allow-regex for another message" "$REFUSED" \
    "expert items at Note and above (frame, severity, message)" '^Connection refused$'

# 2. The last ACK is missing: the client's FIN is never acknowledged.
editcap -F nsecpcap "$CLEAN" "$WORK/no-last-ack.pcap" 25 2>/dev/null
planted "final ACK removed" "$WORK/no-last-ack.pcap" \
    "no data after FIN; peer acks all data and the FIN"

# 3. No SYN-ACK: half a handshake.
editcap -F nsecpcap "$CLEAN" "$WORK/no-synack.pcap" 8 2>/dev/null
planted "SYN-ACK removed" "$WORK/no-synack.pcap" "TCP completeness 31, 23, 37 or 1 per stream"

# 4. Frames cut at 60 bytes (caplen < len).
editcap -F nsecpcap -s 60 "$CLEAN" "$WORK/snapped.pcap" 2>/dev/null
planted "snaplen 60" "$WORK/snapped.pcap" "malformed or short frames"

# 5. A changed TTL without a new IP header checksum (frame 1).
cp "$CLEAN" "$WORK/bad-ipsum.pcap"
off=$(( $(offset_of 1) + 16 + 14 + 8 ))
poke "$WORK/bad-ipsum.pcap" "$off" 001
planted "IPv4 TTL changed, checksum not" "$WORK/bad-ipsum.pcap" "checksums ip/tcp/udp/icmp/icmpv6"

# 6. Frame 2 stamped at 1970: time goes backwards.
cp "$CLEAN" "$WORK/backwards.pcap"
poke "$WORK/backwards.pcap" "$(offset_of 2)" 000 000 000 000
planted "timestamp before the previous frame" "$WORK/backwards.pcap" "time order and frame size <= 1514"

# 7. The MX query removed: its response is unsolicited.
editcap -F nsecpcap "$CLEAN" "$WORK/no-query.pcap" 1 2>/dev/null
planted "DNS query removed" "$WORK/no-query.pcap" "DNS responses paired with their queries"

# 8. The 220 greeting ends in " \n" instead of "\r\n".
cp "$CLEAN" "$WORK/bare-lf.pcap"
off=$(( $(offset_of 10) + 16 + $(caplen_of 10) - 2 ))
poke "$WORK/bare-lf.pcap" "$off" 040
planted "bare LF in the 220 greeting" "$WORK/bare-lf.pcap" "SMTP payload bytes: no bare CR or LF"

# 9. The DATA body (and its final dot) removed: a 354 without an end.
editcap -F nsecpcap "$CLEAN" "$WORK/no-eom.pcap" 19 2>/dev/null
planted "DATA body removed" "$WORK/no-eom.pcap" "SMTP: one end-of-message per 354"

# 10. QUIT removed: a 221 that answers nothing visible.
editcap -F nsecpcap "$CLEAN" "$WORK/no-quit.pcap" 21 2>/dev/null
planted "QUIT removed" "$WORK/no-quit.pcap" "SMTP: one visible QUIT per 221"

# 11. A missing file.
out=$(lint_capture "$WORK/nosuch.pcap")
rc=$?
[ $rc -eq 1 ] && echo "check: a missing capture fails: ok" || fail "missing capture: lint exited $rc, want 1"

# 12. The command form: sh lib.sh FILE [ALLOW_REGEX].
sh "$SRC/tests/capture/lib.sh" "$CLEAN" >/dev/null ||
	fail "sh lib.sh on the clean capture exited $?"
sh "$SRC/tests/capture/lib.sh" "$REFUSED" >/dev/null
rc=$?
[ $rc -eq 1 ] || fail "sh lib.sh on primary-refuses without allow exited $rc, want 1"
sh "$SRC/tests/capture/lib.sh" >/dev/null 2>&1
rc=$?
[ $rc -eq 2 ] || fail "sh lib.sh without arguments exited $rc, want 2"
[ $failed -eq 0 ] && echo "check: sh lib.sh FILE [ALLOW] exit statuses 0/1/2: ok"

if [ $failed -ne 0 ]; then
	echo "FAIL: the lint missed planted mistakes"
	exit 1
fi
echo "ok"
