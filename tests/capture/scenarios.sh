#!/bin/sh
# tests/capture/scenarios.sh - every scenario's capture, dissected by tshark.
#
# For each $SRC/scenarios/*.lua: run it (it must pass, exit 0), check that
# the capture is a nanosecond pcap, that its expert items at Note level and
# above are EXACTLY those listed below for that scenario (each message with
# its count), that it passes the lint of lib.sh with nothing else allowed,
# and a few structural facts read from tshark fields.
#
# A scenario without an entry below is held to the strictest default: no
# expert item at all, and no structural facts (the test says so).
#
# Helpers for the facts (each tshark run costs about 0.2 s, so a scenario's
# facts should need one or two):
#   eq WHAT GOT WANT         one check, printed either way
#   vals FILTER FIELD...     the fields of the matching frames (a tshark run)
#   count FILTER             the number of matching frames (a tshark run)
#   rows FILTER FIELD...     one tshark run kept in ROWS, then queried by
#   pick COND FIELD...       ...an awk condition (v("field"), query(),
#   npick COND               response(), syn(), rst(), udp(), tcp(),
#                            icmp(), src(), dst(), t()) without tshark
#   shape STRING             "a b a c" -> "1 2 1 3": which IDs or ports
#                            repeat, without pinning drawn values
#   words STRING             the number of words
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
command -v tshark >/dev/null || { echo "FAIL: tshark is not installed" >&2; exit 1; }
command -v captype >/dev/null || { echo "FAIL: captype (package tshark) is not installed" >&2; exit 1; }

failed=0
TOOLFAIL=$WORK/.toolfail
CAP=
SCN=

fail() {
	echo "FAIL: $SCN: $*"
	failed=1
}

# eq WHAT GOT WANT
eq() {
	if [ "$2" = "$3" ]; then
		echo "  check: $1: ok ($3)"
	else
		fail "$1: got '$2', want '$3'"
	fi
}

# vals FILTER FIELD...: the fields of every matching frame (two passes),
# fields of one frame joined with ';', frames joined with ' ', repeated
# occurrences of a field with ','.
vals() {
	_v_filter=$1
	shift
	_v_args=
	for _v_f in "$@"; do
		_v_args="$_v_args -e $_v_f"
	done
	# shellcheck disable=SC2086
	_v_out=$(tsf "$CAP" -2 -Y "$_v_filter" -T fields -E 'separator=;' \
	    -E occurrence=a -E aggregator=, $_v_args) || {
		: >"$TOOLFAIL"
		echo "(tshark failed)"
		return
	}
	printf '%s\n' "$_v_out" | sed '/^$/d' | tr '\n' ' ' | sed 's/ $//'
}

# count FILTER: the number of matching frames.
count() {
	_c_out=$(tsf "$CAP" -2 -Y "$1" -T fields -e frame.number) || {
		: >"$TOOLFAIL"
		echo "(tshark failed)"
		return
	}
	printf '%s\n' "$_c_out" | grep -c .
}

# words STRING: the number of space-separated words.
words() {
	# shellcheck disable=SC2086
	set -- $1
	echo $#
}

# shape STRING: each space-separated word replaced by the rank of its first
# appearance ("a b a c" -> "1 2 1 3"): which DNS IDs and ports repeat,
# without pinning the values the generator draws.
shape() {
	printf '%s\n' "$1" | awk '{
		for (i = 1; i <= NF; i++) {
			if (!($i in r))
				r[$i] = ++n
			printf "%s%s", (i > 1 ? " " : ""), r[$i]
		}
		printf "\n"
	}'
}

# rows FILTER [FIELD...]: ONE tshark run (two passes) over the frames that
# match FILTER, kept in ROWS: a line per frame, the fields of ROW_FIELDS and
# then FIELD..., joined with ';' (repeated occurrences with ',').  pick and
# npick then query ROWS with awk, at no tshark cost: a scenario's facts take
# one tshark run instead of one per check.
ROW_FIELDS='frame.number frame.time_relative ip.src ip.dst ipv6.src ipv6.dst
udp.srcport udp.dstport tcp.srcport tcp.dstport tcp.flags.syn tcp.flags.ack
tcp.flags.reset icmp.type icmpv6.type dns.flags.response'
ROWS=
ROW_NAMES=
ROW_FAILED=
rows() {
	_r_filter=$1
	shift
	ROW_FAILED=
	ROW_NAMES=
	_r_args=
	# shellcheck disable=SC2086  # one word per field
	for _r_f in $ROW_FIELDS "$@"; do
		ROW_NAMES="$ROW_NAMES $_r_f"
		_r_args="$_r_args -e $_r_f"
	done
	# shellcheck disable=SC2086
	ROWS=$(tsf "$CAP" -2 -Y "$_r_filter" -T fields -E 'separator=;' \
	    -E occurrence=a -E aggregator=, $_r_args) || {
		: >"$TOOLFAIL"
		ROWS=
		ROW_FAILED=1
	}
}

# The awk side of pick: v("field") is a field of the current frame (an
# unknown name is an error, not an empty string); the shorthands below
# leave out the headers an ICMP error quotes.
# shellcheck disable=SC2016  # awk code
ROW_AWK='
BEGIN {
	n = split(NAMES, nm, " ")
	for (i = 1; i <= n; i++)
		col[nm[i]] = i
}
function v(name) {
	if (!(name in col)) {
		err = "no field " name " in rows"
		exit 2
	}
	return $(col[name])
}
function t() { return v("frame.time_relative") + 0 }
function icmp() { return v("icmp.type") != "" || v("icmpv6.type") != "" }
function query() { return v("dns.flags.response") == "0" && !icmp() }
function response() { return v("dns.flags.response") == "1" && !icmp() }
function syn() { return v("tcp.flags.syn") == "1" && v("tcp.flags.ack") == "0" && !icmp() }
function rst() { return v("tcp.flags.reset") == "1" && !icmp() }
function udp() { return v("udp.srcport") != "" && !icmp() }
function tcp() { return v("tcp.srcport") != "" && !icmp() }
function src() { return v("ip.src") v("ipv6.src") }
function dst() { return v("ip.dst") v("ipv6.dst") }
function out(name) { return name == "src" ? src() : name == "dst" ? dst() : v(name) }'

# pick COND FIELD...: like vals, from ROWS: the FIELDs (or src, dst: the
# IPv4 or IPv6 address) of the frames where the awk expression COND holds,
# e.g. pick 'response() && src() == "192.0.2.53"' dns.flags.rcode.
pick() {
	_p_cond=$1
	shift
	if [ -n "$ROW_FAILED" ]; then
		echo "(tshark failed)"
		return
	fi
	_p_out=$(printf '%s\n' "$ROWS" | sed '/^$/d' | awk -F';' \
	    -v NAMES="$ROW_NAMES" -v OUT="$*" "$ROW_AWK"'
	('"$_p_cond"') {
		k = split(OUT, of, " ")
		line = ""
		for (i = 1; i <= k; i++)
			line = line (i > 1 ? ";" : "") out(of[i])
		res = res (res == "" ? "" : " ") line
	}
	END {
		if (err != "") {
			print "(pick: " err ")"
			exit 2
		}
		print res
	}') || {
		: >"$TOOLFAIL"
	}
	printf '%s\n' "$_p_out"
}

# npick COND: the number of frames of ROWS where COND holds.
npick() {
	words "$(pick "$1" frame.number)"
}

# Expert expectations: expert COUNT SEVERITY MESSAGE, one call per message.
EXPECTED=
expert() {
	EXPECTED="$EXPECTED$1	$2	$3
"
}

SMTP_OK='220 250 250 250 354 250 221'	# greeting EHLO MAIL RCPT DATA dot QUIT
SMTP_CMDS='EHLO MAIL RCPT DATA QUIT'

# --- per-scenario expectations ---------------------------------------------
#
# expect_<scenario> declares the expert items (with 'expert'); facts_<scenario>
# asserts structure.  Dashes in names become underscores.

expect_primary_up() {
	: # Everything works: no expert item at all.
}
facts_primary_up() {
	eq "MX answer preferences" "$(vals 'dns.flags.response==1 && dns.qry.type==15' dns.mx.preference)" "10,20"
	# RFC 5321 §5.1: the lowest preference (mx1) is tried first, and works.
	eq "SYNs to mx1 192.0.2.10" "$(count 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && tcp.flags.ack==0')" 1
	eq "frames to or from mx2 192.0.2.20" "$(count 'ip.addr==192.0.2.20')" 0
	eq "mx1 reply codes" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	eq "client commands to mx1" "$(vals 'ip.dst==192.0.2.10 && smtp.req.command' smtp.req.command)" "$SMTP_CMDS"
	eq "mx1 stream completeness" "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1' tcp.completeness)" 31
}

expect_primary_down() {
	# mx1 drops every packet: the first SYN and 4 retransmissions before
	# the 30 s connect timeout; Linux SYN backoff from a 1 s initial RTO
	# (RFC 6298 §2.1, §5.5): resends at 1, 3, 7, 15 s.  Each resend is
	# a byte-for-byte copy, which Wireshark marks as a retransmission.
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_primary_down() {
	eq "SYN times to mx1 192.0.2.10" \
	    "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && tcp.flags.ack==0' frame.time_relative)" \
	    "0.001200000 1.001200000 3.001200000 7.001200000 15.001200000"
	# A retransmitted SYN is the same SYN: one port, one ISN.
	_syns=$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1' tcp.srcport tcp.seq_raw)
	# shellcheck disable=SC2086  # one word per SYN
	eq "distinct (port, ISN) among SYNs to mx1" "$(words "$(printf '%s\n' $_syns | sort -u | tr '\n' ' ')")" 1
	eq "frames from mx1 192.0.2.10" "$(count 'ip.src==192.0.2.10')" 0
	eq "mx1 stream completeness (SYN only)" "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !tcp.analysis.retransmission' tcp.completeness)" 1
	# The 30 s connect timeout (rfc5321 profile) after the first SYN.
	eq "SYN times to mx2 192.0.2.20" "$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' frame.time_relative)" "30.001200000"
	eq "TCP streams to mx2" "$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' tcp.stream)" 1
	eq "mx2 stream completeness" "$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' tcp.completeness)" 31
	eq "mx2 reply codes, in order" "$(vals 'ip.src==192.0.2.20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	eq "client commands to mx2" "$(vals 'ip.dst==192.0.2.20 && smtp.req.command' smtp.req.command)" "$SMTP_CMDS"
	eq "RCPT parameter" "$(vals 'smtp.req.command == "RCPT"' smtp.req.parameter)" "TO:<bob@example.test>"
}

expect_primary_refuses() {
	# Nothing listens on mx1:25: its RST|ACK answers the SYN (RFC 9293
	# §3.10.7.1), which Wireshark reports as a Warning.
	expert 1 Warning 'Connection reset (RST)'
}
facts_primary_refuses() {
	eq "SYNs to mx1 (no retry after a RST)" "$(count 'ip.dst==192.0.2.10 && tcp.flags.syn==1')" 1
	eq "RST frames" "$(count 'tcp.flags.reset==1')" 1
	_isn=$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1' tcp.seq_raw)
	case $_isn in
	'' | *[!0-9]*) fail "client ISN towards mx1: got '$_isn'" ; _isn=0 ;;
	esac
	# RFC 9293 §3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>,
	# SEG.LEN counting the SYN; window 0 as Linux sends it.
	eq "RST from mx1: ack flag;seq_raw;ack_raw;window" \
	    "$(vals 'ip.src==192.0.2.10 && tcp.flags.reset==1' tcp.flags.ack tcp.seq_raw tcp.ack_raw tcp.window_size_value)" \
	    "1;0;$((_isn + 1));0"
	eq "mx1 stream completeness (SYN, RST|ACK)" "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1' tcp.completeness)" 37
	# Fail-over at once: the SYN to mx2 right after the RST, within 10 ms.
	_t=$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' frame.time_relative)
	eq "SYN to mx2 within 10 ms" "$(awk -v t="$_t" 'BEGIN { print (t != "" && t + 0 < 0.010) ? "yes" : "no (" t ")" }')" yes
	eq "RST before the SYN to mx2" \
	    "$(vals 'tcp.flags.reset==1 || (ip.dst==192.0.2.20 && tcp.flags.syn==1)' ip.dst)" \
	    "198.51.100.7 192.0.2.20"
	eq "mx2 reply codes, in order" "$(vals 'ip.src==192.0.2.20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	eq "mx2 stream completeness" "$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' tcp.completeness)" 31
}

expect_primary_421() {
	: # 421 is an SMTP reply, not a TCP fault: no expert item at all.
}
facts_primary_421() {
	eq "SYN destinations in order" "$(vals 'tcp.flags.syn==1 && tcp.flags.ack==0' ip.dst)" "192.0.2.10 192.0.2.20 192.0.2.10"
	# RFC 5321 §3.8: mx1 greets with 421 and closes; no command is sent.
	eq "stream 0 (mx1 during the outage) replies" "$(vals 'tcp.stream==0 && smtp.response.code' smtp.response.code)" 421
	eq "stream 0 client commands" "$(count 'tcp.stream==0 && smtp.req')" 0
	eq "stream 0 first FIN from" "$(vals 'tcp.stream==0 && tcp.flags.fin==1' ip.src | cut -d' ' -f1)" 192.0.2.10
	eq "stream 1 (mx2) reply codes" "$(vals 'tcp.stream==1 && smtp.response.code' ip.src smtp.response.code | sed 's#192\.0\.2\.20;##g')" "$SMTP_OK"
	# The second message (at 40 min) finds mx1 back (the outage ends at 30 min).
	eq "stream 2 (mx1 after the outage) reply codes" "$(vals 'tcp.stream==2 && smtp.response.code' ip.src smtp.response.code | sed 's#192\.0\.2\.10;##g')" "$SMTP_OK"
	eq "stream 2 starts at 2400 s" "$(vals 'tcp.stream==2 && tcp.flags.syn==1 && tcp.flags.ack==0' frame.time_relative | cut -d. -f1)" 2400
	eq "completeness of streams 0 1 2" "$(vals 'tcp.flags.syn==1 && tcp.flags.ack==0' tcp.completeness)" "31 31 31"
}

expect_dns_down() {
	# The stub resolver retries the MX query after 5 s with the same ID,
	# port and question (glibc send_dg(): RES_TIMEOUT 5 s, 2 attempts).
	# Wireshark's dns.retransmission_timer is also 5 s and its test is
	# strict (an interval < 5 s), so with default preferences a retry at
	# exactly 5.000 s is NOT flagged: no expert item.  facts_dns_down
	# proves with a 6 s timer that the retry is a genuine retransmission.
	:
}
facts_dns_down() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS dns.response_in
	# glibc res_send.c send_dg(): the wait is "seconds = (statp->retrans
	# << ns); if (ns > 0) seconds /= statp->nscount", ns the server's
	# index, not the round: the only server (ns 0) gets 5 s in both
	# rounds (RES_DFLRETRY 2), the lookup gives up at 10 s, and the
	# deferred message is tried again 30 min later (rfc5321 profile, RFC
	# 5321 §4.5.4.1): 10 s + 1800 s.
	eq "MX query times" "$(pick 'query() && v("dns.qry.type") == 15' frame.time_relative)" \
	    "0.000000000 5.000000000 1810.000000000"
	# The retry is the same buffer (res_nmkquery() ran once: the same ID)
	# from the same socket: reopen() opens EXT(statp).nssocks[ns] only
	# when it is closed, and a timeout closes nothing.  The lookup at
	# 1810 s is a new query (new ID) on a new socket (__res_iclose() ended
	# the first one: no RES_STAYOPEN), so a new random port.
	eq "MX queries' IDs" "$(shape "$(pick 'query() && v("dns.qry.type") == 15' dns.id)")" "1 1 2"
	eq "MX queries' source ports" "$(shape "$(pick 'query() && v("dns.qry.type") == 15' udp.srcport)")" "1 1 2"
	# Linux gives an unbound UDP socket a random port of its
	# ip_local_port_range, 32768-60999 by default (RFC 5452 §9.2 asks a
	# resolver for an unpredictable source port).
	eq "queries / with a source port outside 32768-60999" \
	    "$(npick 'query()') / $(npick 'query() && (v("udp.srcport") + 0 < 32768 || v("udp.srcport") + 0 > 60999)')" "4 / 0"
	eq "unanswered queries (frames)" "$(pick 'query() && v("dns.response_in") == ""' frame.number)" "1 2"
	# ns1 is down (its packets vanish): nothing answers late, nothing
	# else is sent until the retry.
	eq "frames between 5 s and 1810 s" "$(npick 't() > 5 && t() < 1810')" 0
	_es=$(expert_summary "$CAP" -o dns.retransmission_timer:6) || : >"$TOOLFAIL"
	eq "expert items with a 6 s DNS retransmission timer" "$_es" \
	    "1	Warning	DNS query retransmission. Original request in frame 1"
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;1810.000800000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_null_mx() {
	: # One query, one answer: nothing to flag.
}
facts_null_mx() {
	eq "frames" "$(count 'frame')" 2
	eq "TCP frames (RFC 7505 §4.3: no delivery attempt)" "$(count 'tcp')" 0
	eq "frame 1: query flags.response/qname/qtype" "$(vals 'frame.number==1' dns.flags.response dns.qry.name dns.qry.type)" "0;nomail.test;15"
	eq "frame 2: response to/rcode/answers/preference/exchange" \
	    "$(vals 'frame.number==2' dns.response_to dns.flags.rcode dns.count.answers dns.mx.preference dns.mx.mail_exchange)" \
	    "1;0;1;0;<Root>"
}

expect_no_mx_implicit() {
	: # NODATA is a normal answer: no expert item.
}
facts_no_mx_implicit() {
	# RFC 2308 §2.2: NODATA = NOERROR, no answer, the zone's SOA in the
	# authority section (and it is the only record: nothing additional).
	eq "MX response rcode/answers/authority/additional" \
	    "$(vals 'dns.flags.response==1 && dns.qry.type==15' dns.flags.rcode dns.count.answers dns.count.auth_rr dns.count.add_rr)" \
	    "0;0;1;0"
	eq "MX response record types / SOA mname" \
	    "$(vals 'dns.flags.response==1 && dns.qry.type==15' dns.resp.type dns.soa.mname)" "6;ns1.example.test"
	# RFC 5321 §5.1: the domain itself is the implicit MX.
	eq "queries (name/type)" "$(vals 'dns.flags.response==0' dns.qry.name dns.qry.type)" "example.test;15 example.test;1"
	eq "SYN destinations" "$(vals 'tcp.flags.syn==1 && tcp.flags.ack==0' ip.dst)" 192.0.2.25
	eq "reply codes, in order" "$(vals 'ip.src==192.0.2.25 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
}

expect_all_mx_down() {
	# Seven delivery attempts, each a connection to mx1 and one to mx2,
	# both down: every connection is a SYN and 4 retransmissions at 1, 3,
	# 7, 15 s (RFC 6298 §5.5) before the 30 s timeout: 14 x 4 = 56.
	expert 56 Note 'This frame is a (suspected) retransmission'
}
facts_all_mx_down() {
	eq "frames from mx1 or mx2" "$(count 'ip.src==192.0.2.10 || ip.src==192.0.2.20')" 0
	eq "SYNs (14 connections x 5)" "$(count 'tcp.flags.syn==1')" 70
	# Attempt starts: 0, then +60.0012 s for the attempt and 5 min, then
	# 10 min between the others (the scenario's retry = { "5m", "10m" }).
	eq "first SYN of each attempt to mx1" \
	    "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !tcp.analysis.retransmission' frame.time_relative)" \
	    "0.001200000 360.002400000 1020.003600000 1680.004800000 2340.006000000 3000.007200000 3660.008400000"
	eq "MX queries (one per attempt)" "$(count 'dns.flags.response==0 && dns.qry.type==15')" 7
}

facts_primary_554() {
	# RFC 5321 §3.1: after the 554 greeting the client sends QUIT and
	# mx1 answers 221; nothing else is said on that connection.
	eq "mx1 replies, in order" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' smtp.response.code)" "554 221"
	eq "commands to mx1" "$(vals 'ip.dst==192.0.2.10 && smtp.req.command' smtp.req.command)" "QUIT"
	eq "mx2 replies, in order" "$(vals 'ip.src==192.0.2.20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
}

expect_broken_ipv6() {
	# The dual-stack sender's SYN to mx1's IPv6 address and 4 resends
	# (RFC 6298 §5.5: 1, 3, 7, 15 s) vanish before its 30 s timeout.
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_broken_ipv6() {
	# RFC 6724: IPv6 first; getaddrinfo's AI_ADDRCONFIG: only the
	# dual-stack sender asks AAAA.
	eq "AAAA queries" "$(count 'dns.flags.response==0 && dns.qry.type==28')" 1
	eq "AAAA queries from the IPv4-only sender" "$(count 'ip.src==198.51.100.8 && dns.qry.type==28')" 0
	eq "SYN times to 2001:db8::10" \
	    "$(vals 'ipv6.dst==2001:db8::10 && tcp.flags.syn==1' frame.time_relative)" \
	    "0.001200000 1.001200000 3.001200000 7.001200000 15.001200000"
	eq "frames from 2001:db8::10" "$(count 'ipv6.src==2001:db8::10')" 0
	eq "SYN times from 198.51.100.7 to 192.0.2.10" \
	    "$(vals 'ip.src==198.51.100.7 && ip.dst==192.0.2.10 && tcp.flags.syn==1' frame.time_relative)" "30.001200000"
	eq "SYN times from 198.51.100.8 to 192.0.2.10" \
	    "$(vals 'ip.src==198.51.100.8 && ip.dst==192.0.2.10 && tcp.flags.syn==1' frame.time_relative)" "0.000800000"
	eq "complete SMTP streams" "$(count 'smtp.response.code==221')" 2
}

expect_primary_unreachable() {
	: # An ICMP error is not an expert item: none at all.
}
facts_primary_unreachable() {
	# RFC 792 type 3 code 1 from the last router (the core "internet",
	# 203.0.113.254), quoting the SYN's IP header and first 8 bytes.
	eq "ICMP errors (src;type;code)" "$(vals 'icmp' ip.src icmp.type icmp.code)" \
	    "203.0.113.254,198.51.100.7;3;1"
	eq "quoted transport header (ports)" "$(vals 'icmp' tcp.srcport tcp.dstport)" \
	    "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !icmp' tcp.srcport tcp.dstport)"
	# The error arrives one round trip after the SYN (Linux tcp_v4_err()
	# aborts the connect at once), and mx2 is tried at that instant.
	eq "SYN to mx1, ICMP, SYN to mx2" \
	    "$(vals '(tcp.flags.syn==1 && tcp.flags.ack==0 && !icmp) || icmp' frame.time_relative)" \
	    "0.001200000 0.001300000 0.001400000"
}

expect_primary_filtered() {
	:
}
facts_primary_filtered() {
	# RFC 1812 §5.2.7.1: code 13, communication administratively
	# prohibited.
	eq "ICMP errors (type;code)" "$(vals 'icmp' icmp.type icmp.code)" "3;13"
	eq "SYNs to mx1" "$(count 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !icmp')" 1
	eq "mx2 reply codes" "$(vals 'ip.src==192.0.2.20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
}

expect_site_link_down() {
	# The primary site's uplink is down: the SYN to mx1 and 4 resends.
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_site_link_down() {
	eq "frames from mx1 during the outage" "$(count 'ip.src==192.0.2.10 && frame.time_relative < 600')" 0
	# mta to ns1: 1 + 10 + 15 + 1 ms each way (three sites' links).
	eq "first MX answer at" "$(vals 'dns.flags.response==1' frame.time_relative | cut -d' ' -f1)" "0.027000000"
	eq "SMTP sessions (221 replies)" "$(count 'smtp.response.code==221')" 2
	eq "mx1's replies after the outage" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
}

expect_lossy_link() {
	# 5% loss both ways on the sender's link (seed 21): the receiver
	# answers segments beyond a hole with duplicate ACKs (RFC 5681 §4.2),
	# the sender resends on the third (§3.2) or on a timeout.
	expert 2 Note 'Duplicate ACK (#1)'
	_n=2
	while [ $_n -le 24 ]; do
		expert 1 Note "Duplicate ACK (#$_n)"
		_n=$((_n + 1))
	done
	expert 1 Note 'This frame is a (suspected) fast retransmission'
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_lossy_link() {
	eq "end-of-message markers" "$(count 'smtp.eom')" 1
	eq "mx1 reply codes" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	# 2 Mbit/s: a 1514-byte frame takes 6.056 ms to serialise, so
	# back-to-back data frames leave the sender that far apart... as the
	# whole-network view stamps them when they are handed to the link,
	# they share a timestamp; the peer's ACKs show the spacing instead.
	eq "largest frame" "$(vals 'frame.len==1514' frame.len | cut -d' ' -f1)" 1514
}

expect_dns_loss_burst() {
	:
}
facts_dns_loss_burst() {
	# glibc send_dg(): the first MX query is lost (a 100% loss burst on
	# ns1's link), the same query again 5 s later is answered.
	eq "MX query times" "$(vals 'dns.flags.response==0 && dns.qry.type==15' frame.time_relative)" "0.000000000 5.000000000"
	# The same buffer (one ID) from the same socket (reopen() keeps
	# EXT(statp).nssocks[ns] across a timeout): one (ID, port).
	eq "MX queries' (ID, port)" "$(shape "$(vals 'dns.flags.response==0 && dns.qry.type==15' dns.id udp.srcport)")" "1 1"
	eq "MX responses" "$(count 'dns.flags.response==1 && dns.qry.type==15')" 1
}

expect_ipv6_only() {
	# RFC 9293 §3.10.7.1: mx1 answers the SYN with RST, over IPv6.
	expert 1 Warning 'Connection reset (RST)'
}
facts_ipv6_only() {
	eq "IPv4 frames" "$(count 'ip')" 0
	eq "MSS in the SYNs (1500 - 40 - 20)" "$(vals 'tcp.flags.syn==1' tcp.options.mss_val)" "1440 1440 1440"
	eq "queries (name;type)" "$(vals 'dns.flags.response==0' dns.qry.name dns.qry.type)" \
	    "example.test;15 mx1.example.test;28 mx2.example.test;28"
	eq "mx2 reply codes" "$(vals 'ipv6.src==2001:db8::20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
}

expect_equal_preference() {
	# Seed 2024 draws mx1 (down) first for 7 of the 10 messages; each of
	# those sends a SYN and 4 retransmissions at 1, 3, 7, 15 s (RFC 6298
	# §5.5 backoff) before the 30 s timeout: 7 x 4 = 28.  Another seed
	# gives another count (tests/cli/determinism.sh changes the seed).
	expert 28 Note 'This frame is a (suspected) retransmission'
}
facts_equal_preference() {
	eq "frames from mx1 192.0.2.10" "$(count 'ip.src==192.0.2.10')" 0
	eq "TCP streams to mx1" "$(words "$(vals 'ip.dst==192.0.2.10 && tcp.flags.syn==1 && !tcp.analysis.retransmission' tcp.stream)")" 7
	eq "SYNs to mx1 (5 per stream)" "$(count 'ip.dst==192.0.2.10 && tcp.flags.syn==1')" 35
	eq "TCP streams to mx2, all complete" "$(vals 'ip.dst==192.0.2.20 && tcp.flags.syn==1' tcp.completeness)" \
	    "31 31 31 31 31 31 31 31 31 31"
	eq "end-of-message markers" "$(count 'smtp.eom')" 10
	eq "221 replies from mx2" "$(count 'ip.src==192.0.2.20 && smtp.response.code==221')" 10
	eq "recipients" "$(vals 'smtp.req.command == "RCPT"' smtp.req.parameter)" \
	    "$(i=1; while [ $i -le 10 ]; do printf 'TO:<user%d@example.test>' $i; [ $i -lt 10 ] && printf ' '; i=$((i + 1)); done)"
}

# The fields the DNS scenarios' facts read (rows FILTER $DNS_FIELDS).
DNS_FIELDS='dns.id dns.qry.name dns.qry.type dns.flags.recdesired
dns.flags.authoritative dns.flags.recavail dns.flags.truncated dns.flags.rcode
dns.count.answers dns.count.auth_rr dns.count.add_rr dns.resp.name
dns.resp.type dns.resp.ttl dns.resp.len dns.ns dns.a dns.aaaa dns.cname
dns.mx.preference dns.mx.mail_exchange dns.soa.mname dns.soa.minimum_ttl
dns.rr.udp_payload_size dns.length icmp.code tcp.len tcp.completeness
tcp.seq_raw smtp.response.code'

# smtp_codes HOST: the SMTP reply codes HOST sent, in order (from ROWS).
smtp_codes() {
	pick 'src() == "'"$1"'" && v("smtp.response.code") != ""' smtp.response.code
}

expect_dns_recursive() {
	: # Every query is answered at once: no expert item.
}
facts_dns_recursive() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# The stub resolver (glibc: RES_DEFAULT holds RES_RECURSE) asks with
	# RD=1 and without EDNS0; MX, then A of every exchange (Postfix
	# smtp_addr.c resolves all the MX hosts before it connects).
	eq "stub queries (name;type;RD;additional)" \
	    "$(pick 'query() && src() == "198.51.100.7"' dns.qry.name dns.qry.type dns.flags.recdesired dns.count.add_rr)" \
	    "example.test;15;1;0 mx1.example.test;1;1;0 mx2.example.test;1;1;0 example.test;15;1;0 mx1.example.test;1;1;0 mx2.example.test;1;1;0"
	# Iterative queries (RFC 1034 §4.3.1, §5.3.3): RD=0, an EDNS0 OPT
	# (RFC 6891 §6.2.5) offering 1232 bytes (DNS Flag Day 2020; Unbound's
	# edns-buffer-size).  The root, test.'s server, then ns1; A of mx1
	# and mx2 straight to ns1, whose NS and address are cached.  None at
	# 600 s: the second message is answered from the cache (RFC 1034
	# §5.3.3 step 1).
	eq "resolver's queries (server;name;type;RD;additional type;UDP size;time)" \
	    "$(pick 'query() && src() == "198.51.100.53"' dst dns.qry.name dns.qry.type dns.flags.recdesired dns.resp.type dns.rr.udp_payload_size frame.time_relative)" \
	    "203.0.113.1;example.test;15;0;41;1232;0.000200000 203.0.113.2;example.test;15;0;41;1232;0.000600000 192.0.2.53;example.test;15;0;41;1232;0.001000000 192.0.2.53;mx1.example.test;1;0;41;1232;0.001800000 192.0.2.53;mx2.example.test;1;0;41;1232;0.002600000"
	# RFC 5452 §9.2: a resolver sends each query from an unpredictable
	# port of a range as large as practicable; BIND's default
	# use-v4-udp-ports is the system's ephemeral range (Linux
	# ip_local_port_range, 32768-60999), and BIND and Unbound open a new
	# socket per upstream query: five queries, five ports, each answer
	# back to its query's port.
	_up=$(pick 'query() && src() == "198.51.100.53"' udp.srcport)
	eq "resolver's upstream query ports (shape)" "$(shape "$_up")" "1 2 3 4 5"
	eq "resolver's upstream query ports outside 32768-60999" \
	    "$(npick 'query() && src() == "198.51.100.53" && (v("udp.srcport") + 0 < 32768 || v("udp.srcport") + 0 > 60999)')" 0
	eq "upstream answers' destination ports" "$(pick 'response() && dst() == "198.51.100.53"' udp.dstport)" "$_up"
	# glibc closes the stub's sockets at the end of each query
	# (__res_context_send(): __res_iclose() without RES_STAYOPEN): each
	# of its six queries leaves from a port of its own.
	eq "stub's query ports (shape)" "$(shape "$(pick 'query() && src() == "198.51.100.7"' udp.srcport)")" "1 2 3 4 5 6"
	# RFC 1034 §4.2.1, §4.3.2 step 3.b: a referral is not authoritative
	# (AA=0), has no answer, the child zone's NS in the authority section
	# and the glue address of its server in the additional one, with an
	# OPT (RFC 6891 §7: a query with an OPT gets one back).
	eq "referrals (server;AA;rcode;answers;authority;owners;types;NS;glue)" \
	    "$(pick 'response() && (src() == "203.0.113.1" || src() == "203.0.113.2")' src dns.flags.authoritative dns.flags.rcode dns.count.answers dns.count.auth_rr dns.resp.name dns.resp.type dns.ns dns.a)" \
	    "203.0.113.1;0;0;0;1;test,ns.nic.test,<Root>;2,1,41;ns.nic.test;203.0.113.2 203.0.113.2;0;0;0;1;example.test,ns1.example.test,<Root>;2,1,41;ns1.example.test;192.0.2.53"
	# RFC 1035 §4.1.1: ns1 is an authority (AA=1), offers no recursion
	# (RA=0) and copies RD (0).
	eq "ns1's answers (AA;RA;RD;rcode;answers;addresses)" \
	    "$(pick 'response() && src() == "192.0.2.53"' dns.flags.authoritative dns.flags.recavail dns.flags.recdesired dns.flags.rcode dns.count.answers dns.a)" \
	    "1;0;0;0;2;192.0.2.10,192.0.2.20 1;0;0;0;1;192.0.2.10 1;0;0;0;1;192.0.2.20"
	# RFC 1035 §4.1.1: to the stub RA=1, RD copied, AA=0 (the resolver
	# is no authority); no OPT, the stub sent none (RFC 6891 §7).  TTLs
	# (RFC 1035 §3.2.1, RFC 2181 §8): what is left of the cached
	# record's, 3600 when fetched, 3600 - 600 = 3000 from the cache at
	# 600 s (BIND and Unbound count in whole seconds).
	eq "answers to the stub (time;name;RD;RA;AA;additional;TTLs)" \
	    "$(pick 'response() && dst() == "198.51.100.7"' frame.time_relative dns.qry.name dns.flags.recdesired dns.flags.recavail dns.flags.authoritative dns.count.add_rr dns.resp.ttl)" \
	    "0.001400000;example.test;1;1;0;0;3600,3600 0.002200000;mx1.example.test;1;1;0;0;3600 0.003000000;mx2.example.test;1;1;0;0;3600 600.000200000;example.test;1;1;0;0;3000,3000 600.000600000;mx1.example.test;1;1;0;0;3000 600.001000000;mx2.example.test;1;1;0;0;3000"
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;0.003200000;31 192.0.2.10;600.001200000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK $SMTP_OK"
}

expect_dns_servfail() {
	# A SERVFAIL is an answer, paired with its query.  The repeated query
	# reuses the ID, but its first copy was answered, and Wireshark flags
	# a repeat only while the first is unanswered (tshark 4.0.17, checked
	# with a 6 s dns.retransmission_timer): no expert item.
	:
}
facts_dns_servfail() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# glibc res_send.c send_dg(): SERVFAIL means "next server"; with one
	# server that is the second round (RES_DFLRETRY 2), at once, with the
	# same query (res_nquery() builds it once, __res_context_send() loops
	# over rounds and servers with it: the same ID).  Nothing else until
	# the retry 30 min after the deferral (rfc5321 profile; Postfix 4.4.3).
	eq "MX queries' IDs" "$(shape "$(pick 'query() && v("dns.qry.type") == 15' dns.id)")" "1 1 2"
	eq "MX query times" "$(pick 'query() && v("dns.qry.type") == 15' frame.time_relative)" \
	    "0.000000000 0.000400000 1800.000800000"
	# send_dg() on SERVFAIL: "return close_and_return_error (statp,
	# resplen2)", whose __res_iclose() closes every UDP socket; the next
	# round's reopen() opens a new one, whose port Linux draws at random
	# (ip_local_port_range; RFC 5452 §9.2): the same query (same ID) from
	# another port.  (A timeout keeps the socket: facts_dns_down.)
	eq "MX queries' source ports" "$(shape "$(pick 'query() && v("dns.qry.type") == 15' udp.srcport)")" "1 2 3"
	eq "MX queries' source ports outside 32768-60999" \
	    "$(npick 'query() && v("dns.qry.type") == 15 && (v("udp.srcport") + 0 < 32768 || v("udp.srcport") + 0 > 60999)')" 0
	# RFC 1035 §4.1.1: RCODE 2, no record, not authoritative; RD copied.
	eq "MX answers (time;rcode;AA;RA;RD;answers;authority;additional)" \
	    "$(pick 'response() && v("dns.qry.type") == 15' frame.time_relative dns.flags.rcode dns.flags.authoritative dns.flags.recavail dns.flags.recdesired dns.count.answers dns.count.auth_rr dns.count.add_rr)" \
	    "0.000200000;2;0;0;1;0;0;0 0.000600000;2;0;0;1;0;0;0 1800.001000000;0;1;0;1;1;0;1"
	eq "frames between the 2nd SERVFAIL and 1800 s" "$(npick 't() > 0.0006 && t() < 1800')" 0
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;1800.001600000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_dns_nxdomain() {
	: # NXDOMAIN is an answer like another: no expert item.
}
facts_dns_nxdomain() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 2308 §2.1: NXDOMAIN (RCODE 3, RFC 1035 §4.1.1) from the
	# authority (AA=1), no answer, the zone's SOA alone in the authority
	# section; RFC 2308 §3: its TTL is min(SOA TTL 3600, MINIMUM 300).
	eq "first MX answer (rcode;AA;answers;authority;additional;type;SOA mname;TTL;MINIMUM)" \
	    "$(pick 'response() && t() < 1' dns.flags.rcode dns.flags.authoritative dns.count.answers dns.count.auth_rr dns.count.add_rr dns.resp.type dns.soa.mname dns.resp.ttl dns.soa.minimum_ttl)" \
	    "3;1;0;1;0;6;ns1.example.test;300;300"
	# RFC 1035 §4.1.1, RFC 5321 §5.1: final, the message bounces at once:
	# no A query, no SYN, no retry (the fix at 10 min changes nothing for
	# it); the second message (20 min) is delivered.
	eq "queries (time;name;type)" "$(pick 'query()' frame.time_relative dns.qry.name dns.qry.type)" \
	    "0.000000000;example.test;15 1200.000000000;example.test;15 1200.000400000;mx1.example.test;1"
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;1200.000800000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_dns_truncate() {
	: # TC is a flag, the TCP retry a new connection: no expert item.
}
facts_dns_truncate() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 1035 §4.2.1, §4.1.1: over UDP ns1 sets TC and sends the
	# question alone (RFC 2181 §9: a truncated answer is not used).
	eq "UDP DNS (from;QR;name;type;TC;answers;authority;additional)" \
	    "$(pick 'udp() && v("dns.flags.response") != ""' src dns.flags.response dns.qry.name dns.qry.type dns.flags.truncated dns.count.answers dns.count.auth_rr dns.count.add_rr)" \
	    "198.51.100.7;0;example.test;15;0;0;0;0 192.0.2.53;1;example.test;15;1;0;0;0 198.51.100.7;0;mx1.example.test;1;0;0;0;0 192.0.2.53;1;mx1.example.test;1;1;0;0;0"
	# glibc send_dg(): TC -> send_vc() to the same server, a new TCP
	# connection per lookup (closed after the answer, no RES_STAYOPEN),
	# complete (31).
	eq "SYNs (destination;port;time;completeness)" "$(pick 'syn()' dst tcp.dstport frame.time_relative tcp.completeness)" \
	    "192.0.2.53;53;0.000400000;31 192.0.2.53;53;0.001600000;31 192.0.2.10;25;0.002400000;31"
	# RFC 1035 §4.2.2, RFC 7766 §8: each message in one segment behind
	# its 2-byte length (tcp.len = dns.length + 2); the same query (the
	# ID too: glibc sends the same buffer) and the whole answer.
	eq "DNS over TCP (from;QR;name;type;tcp.len;dns.length;TC;answers;exchange;address)" \
	    "$(pick 'tcp() && v("dns.flags.response") != ""' src dns.flags.response dns.qry.name dns.qry.type tcp.len dns.length dns.flags.truncated dns.count.answers dns.mx.mail_exchange dns.a)" \
	    "198.51.100.7;0;example.test;15;32;30;0;0;; 192.0.2.53;1;example.test;15;68;66;0;1;mx1.example.test;192.0.2.10 198.51.100.7;0;mx1.example.test;1;36;34;0;0;; 192.0.2.53;1;mx1.example.test;1;52;50;0;1;;192.0.2.10"
	eq "IDs of the UDP query, its TCP copy and their answers" \
	    "$(shape "$(pick 'v("dns.flags.response") != "" && !icmp()' dns.id)")" "1 1 1 1 2 2 2 2"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_dns_no_tcp() {
	# The firewall drops TCP to ns1:53: each lookup's SYN is resent 6
	# times (Linux tcp_syn_retries 6, backoff from a 1 s initial RTO, RFC
	# 6298 §2.1, §5.5) before the kernel gives up: 2 lookups x 6 = 12.
	expert 12 Note 'This frame is a (suspected) retransmission'
}
facts_dns_no_tcp() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 1035 §4.2.1: ns1 truncates (TC=1, no record).  glibc send_dg()
	# takes a TC answer as "use TCP with same server" (v_circuit), and
	# __res_context_send() then sets "try = statp->retry": the rest of the
	# query is TCP only, one try per remaining server.  So the only UDP
	# queries are each lookup's first, to ns1, and ns2 never sees UDP.
	eq "UDP answers (from;name;type;TC;answers)" \
	    "$(pick 'udp() && response()' src dns.qry.name dns.qry.type dns.flags.truncated dns.count.answers)" \
	    "192.0.2.53;example.test;15;1;0 192.0.2.53;mx1.example.test;1;1;0"
	eq "UDP queries (server;name;type;time)" \
	    "$(pick 'udp() && query()' dst dns.qry.name dns.qry.type frame.time_relative)" \
	    "192.0.2.53;example.test;15;0.000000000 192.0.2.53;mx1.example.test;1;127.001200000"
	eq "UDP queries to ns2 198.51.100.53" "$(npick 'udp() && query() && dst() == "198.51.100.53"')" 0
	# glibc send_vc(): a blocking connect() without a timeout of its own;
	# Linux sends the SYN and resends it after 1, 3, 7, 15, 31, 63 s
	# (tcp_syn_retries 6, the RTO doubling from 1 s: RFC 6298 §2.1,
	# §5.5) and fails the connect 64 s after the last, at 127 s
	# (Documentation/networking/ip-sysctl.rst).  Each lookup pays it.
	eq "MX lookup's SYN times to ns1 192.0.2.53:53" \
	    "$(pick 'syn() && dst() == "192.0.2.53" && v("tcp.dstport") == 53 && t() < 127' frame.time_relative)" \
	    "0.000400000 1.000400000 3.000400000 7.000400000 15.000400000 31.000400000 63.000400000"
	eq "A lookup's SYN times to ns1 192.0.2.53:53" \
	    "$(pick 'syn() && dst() == "192.0.2.53" && v("tcp.dstport") == 53 && t() > 127' frame.time_relative)" \
	    "127.001600000 128.001600000 130.001600000 134.001600000 142.001600000 158.001600000 190.001600000"
	# A resent SYN is the same SYN (one port, one ISN); each lookup's
	# connect() is a socket of its own.
	eq "SYNs to ns1: (port, ISN)" \
	    "$(shape "$(pick 'syn() && dst() == "192.0.2.53"' tcp.srcport tcp.seq_raw)")" "1 1 1 1 1 1 1 2 2 2 2 2 2 2"
	eq "SYNs to ns1 whose stream is more than a SYN (completeness != 1)" \
	    "$(npick 'syn() && dst() == "192.0.2.53" && v("tcp.completeness") != 1')" 0
	eq "TCP frames from ns1" "$(npick 'tcp() && src() == "192.0.2.53"')" 0
	# The failed connect() ends send_vc() ("return close_and_return_error"):
	# next_ns, ns2 over TCP at once, 127 s after the first SYN; ns2's TCP
	# works.  The delivery follows the A answer.
	eq "other SYNs (destination;port;time;completeness)" \
	    "$(pick 'syn() && dst() != "192.0.2.53"' dst tcp.dstport frame.time_relative tcp.completeness)" \
	    "198.51.100.53;53;127.000400000;31 198.51.100.53;53;254.001600000;31 192.0.2.10;25;254.002400000;31"
	# RFC 1035 §4.2.2, RFC 7766 §8: the length and the message in one
	# segment (tcp.len = dns.length + 2).
	eq "DNS over TCP (from;QR;name;tcp.len;dns.length;answers)" \
	    "$(pick 'tcp() && v("dns.flags.response") != ""' src dns.flags.response dns.qry.name tcp.len dns.length dns.count.answers)" \
	    "203.0.113.7;0;example.test;32;30;0 198.51.100.53;1;example.test;68;66;1 203.0.113.7;0;mx1.example.test;36;34;0 198.51.100.53;1;mx1.example.test;52;50;1"
	# send_vc() sends the buffer send_dg() sent: the UDP query to ns1 and
	# the TCP query to ns2 share their ID, and so do the answers.
	eq "IDs of the DNS messages (UDP and TCP, in order)" \
	    "$(shape "$(pick 'v("dns.flags.response") != "" && !icmp()' dns.id)")" "1 1 1 1 2 2 2 2"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_dns_slow() {
	# ns1 answers each copy of the MX query, and of the A query, 8 s
	# after it: the answer to the second copy repeats the first answer
	# (same ID, ports and content), which Wireshark's DNS dissector
	# reports as a response retransmission.  The query copies, exactly
	# 5 s apart, are not flagged with the default 5 s timer (its test is
	# strict); facts_dns_slow checks them with a 6 s timer.
	expert 1 Warning 'DNS response retransmission. Original response in frame 3'
	expert 1 Warning 'DNS response retransmission. Original response in frame 8'
}
facts_dns_slow() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS udp.length udp.checksum
	# glibc send_dg(): after RES_TIMEOUT (5 s; ns1 is server 0, so
	# "retrans << 0") without an answer the same query is sent again from
	# the same socket (same ID and port: reopen() keeps
	# EXT(statp).nssocks[ns]); an answer to either copy is taken.  Each
	# lookup is a query of its own: a new ID and a new socket.
	eq "queries (time;name)" "$(pick 'query()' frame.time_relative dns.qry.name)" \
	    "0.000000000;example.test 5.000000000;example.test 8.000400000;mx1.example.test 13.000400000;mx1.example.test"
	eq "queries' (ID, port)" "$(shape "$(pick 'query()' dns.id udp.srcport)")" "1 1 2 2"
	eq "answers (time;name;rcode;answers)" "$(pick 'response()' frame.time_relative dns.qry.name dns.flags.rcode dns.count.answers)" \
	    "8.000200000;example.test;0;1 13.000200000;example.test;0;1 16.000600000;mx1.example.test;0;1 21.000600000;mx1.example.test;0;1"
	# glibc closes its sockets once it has an answer (__res_context_send():
	# __res_iclose(), no RES_STAYOPEN): the answer to the second copy
	# finds the port closed and the stub answers it with ICMP port
	# unreachable (RFC 1122 §4.1.3.1: type 3, code 3) as it arrives, 0.2
	# ms (the one-way delay) after ns1 sent it.
	eq "ICMP errors (time;type;code)" "$(pick 'icmp()' frame.time_relative icmp.type icmp.code)" \
	    "13.000400000;3;3 21.000800000;3;3"
	# From the stub to ns1, quoting (RFC 792: the IP header and the first
	# 64 bits of the datagram) the answer from ns1 to the stub: the
	# addresses below are the outer header's, then the quoted one's.
	eq "ICMP errors (IP sources;IP destinations)" "$(pick 'icmp()' ip.src ip.dst)" \
	    "198.51.100.7,192.0.2.53;192.0.2.53,198.51.100.7 198.51.100.7,192.0.2.53;192.0.2.53,198.51.100.7"
	# The quoted UDP header is the late answer's (the second answer with
	# its ID), byte for byte: ports, length, checksum.
	eq "quoted UDP headers (ports;length;checksum) = the late answers'" \
	    "$(pick 'icmp()' udp.srcport udp.dstport udp.length udp.checksum)" \
	    "$(pick 'response() && ans[v("dns.id")]++ > 0' udp.srcport udp.dstport udp.length udp.checksum)"
	eq "ICMP errors' quoted source port" "$(pick 'icmp()' udp.srcport)" "53 53"
	eq "ports: queries, then the ICMP errors' quoted destinations" \
	    "$(shape "$(pick 'query()' udp.srcport) $(pick 'icmp()' udp.dstport)")" "1 1 2 2 1 2"
	_es=$(expert_summary "$CAP" -o dns.retransmission_timer:6) || : >"$TOOLFAIL"
	eq "expert items with a 6 s DNS retransmission timer" "$(printf '%s\n' "$_es" | grep 'query retransmission')" \
	    "1	Warning	DNS query retransmission. Original request in frame 1
1	Warning	DNS query retransmission. Original request in frame 4"
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;16.000800000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_dns_lame() {
	: # REFUSED and SERVFAIL are answers: no expert item.
}
facts_dns_lame() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# The walk from the root; test. lists ns-old first, which refuses
	# (RFC 1912 §2.8: lame); the A query skips it (BIND lame-ttl 600 s).
	# At 30 min ns-old is no longer remembered as lame (600 s), and ns1
	# refuses too (its outage): no query for the stub's repeat, nobody
	# left.  At the retry (60 min) the cached delegations have expired
	# (TTL 3600): from the root again.
	eq "resolver's queries (server;name;type;time)" \
	    "$(pick 'query() && src() == "198.51.100.53"' dst dns.qry.name dns.qry.type frame.time_relative)" \
	    "203.0.113.1;example.test;15;0.000200000 203.0.113.2;example.test;15;0.000600000 198.51.100.54;example.test;15;0.001000000 192.0.2.53;example.test;15;0.001400000 192.0.2.53;mx1.example.test;1;0.002200000 198.51.100.54;example.test;15;1800.000200000 192.0.2.53;example.test;15;1800.000600000 203.0.113.1;example.test;15;3600.001800000 203.0.113.2;example.test;15;3600.002200000 198.51.100.54;example.test;15;3600.002600000 192.0.2.53;example.test;15;3600.003000000 192.0.2.53;mx1.example.test;1;3600.003800000"
	# The delegation, old server first, each with its glue.
	eq "test.'s referral (NS;glue)" "$(pick 'response() && src() == "203.0.113.2" && t() < 1' dns.ns dns.a)" \
	    "ns-old.example.test,ns1.example.test;198.51.100.54,192.0.2.53"
	# RFC 1035 §4.1.1: REFUSED is RCODE 5, not authoritative, no record.
	eq "REFUSED answers (from;time;AA;answers;authority)" \
	    "$(pick 'response() && v("dns.flags.rcode") == 5' src frame.time_relative dns.flags.authoritative dns.count.answers dns.count.auth_rr)" \
	    "198.51.100.54;0.001200000;0;0;0 198.51.100.54;1800.000400000;0;0;0 192.0.2.53;1800.000800000;0;0;0 198.51.100.54;3600.002800000;0;0;0"
	# The stub gets SERVFAIL (RCODE 2, RA=1) twice: glibc send_dg() takes
	# SERVFAIL as "next server", the second round asks the same question
	# with the same ID.
	eq "answers to the stub (time;name;rcode;RA;answers)" \
	    "$(pick 'response() && dst() == "198.51.100.7"' frame.time_relative dns.qry.name dns.flags.rcode dns.flags.recavail dns.count.answers)" \
	    "0.001800000;example.test;0;1;1 0.002600000;mx1.example.test;0;1;1 1800.001000000;example.test;2;1;0 1800.001400000;example.test;2;1;0 3600.003400000;example.test;0;1;1 3600.004200000;mx1.example.test;0;1;1"
	eq "stub's MX queries at 30 min: same ID" "$(shape "$(pick 'query() && src() == "198.51.100.7" && t() > 1000 && t() < 2000' dns.id)")" "1 1"
	# ...from another port: the SERVFAIL closed the socket (send_dg():
	# close_and_return_error()), the second round opens a new one.
	eq "stub's MX queries at 30 min: ports" "$(shape "$(pick 'query() && src() == "198.51.100.7" && t() > 1000 && t() < 2000' udp.srcport)")" "1 2"
	# RFC 5321 §4.5.4.1 / Postfix 4.4.3: deferred, retried 30 min later.
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;0.002800000;31 192.0.2.10;3600.004400000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK $SMTP_OK"
}

expect_dns_stale_mx() {
	# The message at 20 min tries the stale address: its SYN and 4
	# resends (RFC 6298 §5.5: 1, 3, 7, 15 s) before the 30 s timeout.
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_dns_stale_mx() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# ns1's answers for mx1's address: the old one at 0 s, the new one
	# only when the resolver asks again, at 70 min; nothing leaves the
	# resolver in between (RFC 1035 §3.2.1: the record may be cached for
	# its TTL, 1 h).
	eq "ns1's A answers for mx1 (time;address)" \
	    "$(pick 'response() && src() == "192.0.2.53" && v("dns.qry.name") == "mx1.example.test"' frame.time_relative dns.a)" \
	    "0.001600000;192.0.2.10 4200.001600000;192.0.2.11"
	eq "resolver's queries between 1 s and 4200 s" "$(npick 'query() && src() == "198.51.100.53" && t() > 1 && t() < 4200')" 0
	# The resolver answers the old address at 20 min, with what is left
	# of the TTL (RFC 1035 §3.2.1, RFC 2181 §8): 3600 - 1200 = 2400 s,
	# the time the stale address still has to live.
	eq "answers to the stub for mx1 (time;address;TTL)" \
	    "$(pick 'response() && dst() == "198.51.100.7" && v("dns.qry.name") == "mx1.example.test"' frame.time_relative dns.a dns.resp.ttl)" \
	    "0.001800000;192.0.2.10;3600 1200.000600000;192.0.2.10;2400 4200.001800000;192.0.2.11;3600"
	eq "MX answers to the stub (time;TTLs)" \
	    "$(pick 'response() && dst() == "198.51.100.7" && v("dns.qry.type") == 15' frame.time_relative dns.resp.ttl)" \
	    "0.001000000;3600,3600 1200.000200000;2400,2400 4200.001000000;3600,3600"
	# RFC 5321 §5.1: mx1's (stale) address, 30 s of SYNs (rfc5321
	# connect_timeout), then mx2; at 70 min the new address.
	eq "SYNs (destination;time)" "$(pick 'syn()' dst frame.time_relative)" \
	    "192.0.2.10;0.002800000 192.0.2.10;1200.001200000 192.0.2.10;1201.001200000 192.0.2.10;1203.001200000 192.0.2.10;1207.001200000 192.0.2.10;1215.001200000 198.51.100.20;1230.001200000 192.0.2.11;4200.002800000"
	eq "frames from 192.0.2.10 after 10 min" "$(npick 'src() == "192.0.2.10" && t() > 600')" 0
	eq "reply codes: mx1-old, mx2, mx1" \
	    "$(smtp_codes 192.0.2.10) / $(smtp_codes 198.51.100.20) / $(smtp_codes 192.0.2.11)" \
	    "$SMTP_OK / $SMTP_OK / $SMTP_OK"
}

expect_dns_negative_cache() {
	: # NXDOMAIN answers, no TCP failure: no expert item.
}
facts_dns_negative_cache() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 2308 §2.1, §3: ns1's NXDOMAIN, authoritative, with the SOA whose
	# TTL is min(SOA TTL 3600, MINIMUM 3600).
	eq "ns1's NXDOMAIN (rcode;AA;answers;SOA mname;TTL;MINIMUM)" \
	    "$(pick 'response() && src() == "192.0.2.53" && t() < 1' dns.flags.rcode dns.flags.authoritative dns.count.answers dns.soa.mname dns.resp.ttl dns.soa.minimum_ttl)" \
	    "3;1;0;ns1.example.test;3600;3600"
	# RFC 2308 §5: the resolver caches the NXDOMAIN for that TTL and
	# answers the 10 min query itself; the SOA's TTL "decrements in a
	# similar manner to a normal cached answer": 3600 - 600 = 3000.
	eq "NXDOMAIN answers to the stub (time;rcode;AA;RA;authority type;SOA TTL)" \
	    "$(pick 'response() && dst() == "198.51.100.7" && v("dns.flags.rcode") == 3' frame.time_relative dns.flags.rcode dns.flags.authoritative dns.flags.recavail dns.resp.type dns.resp.ttl)" \
	    "0.001000000;3;0;1;6;3600 600.000200000;3;0;1;6;3000"
	eq "resolver's queries (time;server)" "$(pick 'query() && src() == "198.51.100.53"' frame.time_relative dst)" \
	    "0.000200000;203.0.113.1 0.000600000;192.0.2.53 4200.000200000;203.0.113.1 4200.000600000;192.0.2.53 4200.001400000;192.0.2.53"
	eq "MX answer at 70 min (rcode;exchange)" \
	    "$(pick 'response() && dst() == "198.51.100.7" && v("dns.qry.type") == 15 && t() > 4000' dns.flags.rcode dns.mx.mail_exchange)" \
	    "0;mx1.example.test"
	# Two bounces without a connection, then the delivery.
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;4200.002000000;31"
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_mx_cname() {
	: # A CNAME, a REFUSED and two deliveries: no expert item.
}
facts_mx_cname() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 1034 §4.3.2 step 3.a: ns1 answers the alias with the CNAME
	# alone (its target is in no zone of ns1), authoritative.
	eq "ns1's answers for mail.example.test (AA;rcode;answers;type;CNAME;address)" \
	    "$(pick 'response() && v("dns.qry.name") == "mail.example.test"' dns.flags.authoritative dns.flags.rcode dns.count.answers dns.resp.type dns.cname dns.a)" \
	    "1;0;1;5;mx1.hosting.test; 1;0;1;5;mx1.hosting.test;"
	# Postfix dns_lookup.c follows the CNAME with a query of its own;
	# ns1 refuses the foreign name (RCODE 5), glibc send_dg() asks the
	# next server, nsh, the same query (same ID).
	eq "mta's queries (server;name;type)" "$(pick 'query() && src() == "198.51.100.7"' dst dns.qry.name dns.qry.type)" \
	    "192.0.2.53;example.test;15 192.0.2.53;mail.example.test;1 192.0.2.53;mx1.hosting.test;1 203.0.113.53;mx1.hosting.test;1 192.0.2.53;mx2.example.test;1"
	eq "answers for mx1.hosting.test (from;AA;rcode;address)" \
	    "$(pick 'response() && v("dns.qry.name") == "mx1.hosting.test"' src dns.flags.authoritative dns.flags.rcode dns.a)" \
	    "192.0.2.53;0;5; 203.0.113.53;1;0;203.0.113.10"
	eq "IDs of the two queries for mx1.hosting.test" "$(shape "$(pick 'query() && v("dns.qry.name") == "mx1.hosting.test"' dns.id)")" "1 1"
	# RFC 2181 §10.3 read strictly: the alias is not followed.
	eq "strict sender's queries (name;type)" "$(pick 'query() && src() == "198.51.100.8"' dns.qry.name dns.qry.type)" \
	    "example.test;15 mail.example.test;1 mx2.example.test;1"
	eq "SYNs (source;destination;completeness)" "$(pick 'syn()' src dst tcp.completeness)" \
	    "198.51.100.7;203.0.113.10;31 198.51.100.8;192.0.2.20;31"
	eq "reply codes: mx1, mx2" "$(smtp_codes 203.0.113.10) / $(smtp_codes 192.0.2.20)" "$SMTP_OK / $SMTP_OK"
}

expect_mx_ip_literal() {
	: # Two deliveries: no expert item.
}
facts_mx_ip_literal() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# RFC 1035 §3.3.9: the exchange is a domain name.  "192.0.2.10." is
	# four labels: RDLENGTH 2 + (1+3)+(1+1)+(1+1)+(1+2)+1 = 14 (mx2's is
	# 2 + 4 + a 2-byte pointer = 8; the additional A is 4), and no
	# address record comes with it.
	eq "MX answer (exchanges;preferences;RDLENGTHs;additional addresses)" \
	    "$(pick 'response() && v("dns.qry.type") == 15 && t() < 1' dns.mx.mail_exchange dns.mx.preference dns.resp.len dns.a)" \
	    "192.0.2.10,mx2.example.test;10,20;14,8,4;192.0.2.20"
	# Neither sender looks the literal up (Exim drops it, Postfix
	# smtp_addr.c uses it as an address).
	eq "queries (source;name;type)" "$(pick 'query()' src dns.qry.name dns.qry.type)" \
	    "198.51.100.7;example.test;15 198.51.100.7;mx2.example.test;1 198.51.100.8;example.test;15 198.51.100.8;mx2.example.test;1"
	eq "SYNs (source;destination;completeness)" "$(pick 'syn()' src dst tcp.completeness)" \
	    "198.51.100.7;192.0.2.20;31 198.51.100.8;192.0.2.10;31"
	eq "reply codes: mx2, mx1" "$(smtp_codes 192.0.2.20) / $(smtp_codes 192.0.2.10)" "$SMTP_OK / $SMTP_OK"
}

expect_mx_self() {
	# mx1 is down at the first attempt: its SYN and 4 resends (RFC 6298
	# §5.5: 1, 3, 7, 15 s) before the 30 s timeout.
	expert 4 Note 'This frame is a (suspected) retransmission'
}
facts_mx_self() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# The relay resolves every MX host, its own name too (Postfix
	# smtp_addr.c finds itself by address).
	eq "queries (time;name;type)" "$(pick 'query()' frame.time_relative dns.qry.name dns.qry.type)" \
	    "0.000000000;example.test;15 0.000400000;mx1.example.test;1 0.000800000;relay.example.test;1 60.000000000;solo.test;15 60.000400000;relay.example.test;1 1830.001200000;example.test;15 1830.001600000;mx1.example.test;1 1830.002000000;relay.example.test;1"
	eq "solo.test MX (preference;exchange)" "$(pick 'response() && v("dns.qry.name") == "solo.test"' dns.mx.preference dns.mx.mail_exchange)" \
	    "10;relay.example.test"
	# RFC 5321 §5.1: never a connection to itself (192.0.2.25); mx1 at
	# once, and again at the retry 30 min after the 30 s timeout; none
	# for solo.test (the relay is its best MX: bounce 5.4.6).
	eq "SYNs (destination;time)" "$(pick 'syn()' dst frame.time_relative)" \
	    "192.0.2.10;0.001200000 192.0.2.10;1.001200000 192.0.2.10;3.001200000 192.0.2.10;7.001200000 192.0.2.10;15.001200000 192.0.2.10;1830.002400000"
	eq "frames to 192.0.2.25 port 25" "$(npick 'dst() == "192.0.2.25" && v("tcp.dstport") == 25')" 0
	eq "mx1 reply codes" "$(smtp_codes 192.0.2.10)" "$SMTP_OK"
}

expect_zone_file() {
	# mx1 refuses port 25 on both addresses: a RST|ACK for each SYN (RFC
	# 9293 §3.10.7.1), which Wireshark reports as a Warning.
	expert 2 Warning 'Connection reset (RST)'
}
facts_zone_file() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# The master file's records as ns1 serves them.  "@ 300 IN MX 10
	# mx1" is followed by "MX 20 mx.backup.test." without a TTL; both
	# are one RRset, whose TTLs must be equal (RFC 2181 §5.2): BIND
	# loads this file with "TTL set to prior TTL (300)".
	eq "MX answer (preferences;exchanges;TTLs;additional names;types)" \
	    "$(pick 'response() && v("dns.qry.type") == 15' dns.mx.preference dns.mx.mail_exchange dns.resp.ttl dns.resp.name dns.resp.type)" \
	    "10,20;mx1.example.test,mx.backup.test;300,300,3600,3600;example.test,example.test,mx1.example.test,mx1.example.test;15,15,1,28"
	# The dual-stack sender asks AAAA and A of every exchange; ns1 refuses
	# backup.test names (not its zone, RCODE 5), glibc send_dg() asks ns2
	# next.
	eq "queries (server;name;type)" "$(pick 'query()' dst dns.qry.name dns.qry.type)" \
	    "192.0.2.53;example.test;15 192.0.2.53;mx1.example.test;28 192.0.2.53;mx1.example.test;1 192.0.2.53;mx.backup.test;28 198.51.100.53;mx.backup.test;28 192.0.2.53;mx.backup.test;1 198.51.100.53;mx.backup.test;1"
	eq "mx1's addresses from ns1 (type;AA;address)" \
	    "$(pick 'response() && v("dns.qry.name") == "mx1.example.test"' dns.qry.type dns.flags.authoritative dns.aaaa dns.a)" \
	    "28;1;2001:db8::10; 1;1;;192.0.2.10"
	# RFC 2308 §2.2: mx.backup.test has no AAAA: NODATA from ns2, the SOA
	# of backup.test in the authority section, TTL min(3600, 300).
	eq "answers for mx.backup.test (from;type;rcode;AA;answers;SOA mname;TTL;address)" \
	    "$(pick 'response() && v("dns.qry.name") == "mx.backup.test"' src dns.qry.type dns.flags.rcode dns.flags.authoritative dns.count.answers dns.soa.mname dns.resp.ttl dns.a)" \
	    "192.0.2.53;28;5;0;0;;; 198.51.100.53;28;0;1;0;ns2.backup.test;300; 192.0.2.53;1;5;0;0;;; 198.51.100.53;1;0;1;1;;3600;198.51.100.20"
	# RFC 5321 §5.1: mx1's IPv6 then IPv4 address (RFC 6724), each
	# refused (RST|ACK, completeness 37), then the backup.
	eq "SYNs (destination;completeness)" "$(pick 'syn()' dst tcp.completeness)" \
	    "2001:db8::10;37 192.0.2.10;37 198.51.100.20;31"
	eq "RSTs (source;seq_raw)" "$(pick 'rst()' src tcp.seq_raw)" "2001:db8::10;0 192.0.2.10;0"
	eq "backup reply codes" "$(smtp_codes 198.51.100.20)" "$SMTP_OK"
}

# --- mail exchangers that fail the way real ones do -------------------------

# The fields the mail exchanger scenarios' facts read (rows FILTER
# $MX_FIELDS): SMTP per stream, and the message and its MIME parts.
MX_FIELDS='tcp.stream tcp.len tcp.completeness tcp.flags.fin
tcp.analysis.retransmission smtp.req.command smtp.req.parameter
smtp.response.code smtp.eom imf.message_id'

# stream_codes N / stream_cmds N: the SMTP reply codes / commands of TCP
# stream N, in order (from ROWS).
stream_codes() {
	pick 'v("tcp.stream") == '"$1"' && v("smtp.response.code") != ""' smtp.response.code
}
stream_cmds() {
	pick 'v("tcp.stream") == '"$1"' && v("smtp.req.command") != ""' smtp.req.command
}
# first_syns: "source;destination;time;completeness" of every SYN that is
# not a resend (from ROWS).
first_syns() {
	pick 'syn() && v("tcp.analysis.retransmission") == ""' src dst frame.time_relative tcp.completeness
}

expect_greylist_primary() {
	: # A 450 is an SMTP reply, not a TCP fault: no expert item.
}
facts_greylist_primary() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS smtp.rsp.parameter
	# RFC 5321 §5.1: after mx1's 450 the sender connects to mx2 at once
	# (3.2 ms: the 450 left mx1 at 3.0 ms); mx2 forwards to mx1 when it
	# has stored the message and looked up MX, A mx1, A mx2 (7.0 ms),
	# and again 30 min after that attempt's 450 (rfc5321 retry, RFC 5321
	# §4.5.4.1): 9.0 ms + 1800 s + 1.2 ms of lookups.
	eq "SYNs (source;destination;time;completeness)" "$(first_syns)" \
	    "198.51.100.7;192.0.2.10;0.001200000;31 198.51.100.7;192.0.2.20;0.003200000;31 192.0.2.20;192.0.2.10;0.007000000;31 192.0.2.20;192.0.2.10;1800.010200000;31"
	# postgrey behind Postfix: DEFER_IF_PERMIT at RCPT, 450 with
	# postgrey's 4.2.0, then QUIT (RFC 5321 §4.1.1.10).
	eq "stream 0 (mta to mx1) replies / commands" "$(stream_codes 0) / $(stream_cmds 0)" \
	    "220 250 250 450 221 / EHLO MAIL RCPT QUIT"
	eq "450 replies (time;text)" "$(pick 'v("smtp.response.code") == 450' frame.time_relative smtp.rsp.parameter)" \
	    "0.003000000;4.2.0 <bob@example.test>: Recipient address rejected: Greylisted 0.008800000;4.2.0 <bob@example.test>: Recipient address rejected: Greylisted"
	eq "stream 1 (mta to mx2) replies" "$(stream_codes 1)" "$SMTP_OK"
	# mx2's own triplet (its address, alice, bob) is new to mx1.
	eq "stream 2 (mx2 to mx1) replies / commands" "$(stream_codes 2) / $(stream_cmds 2)" \
	    "220 250 250 450 221 / EHLO MAIL RCPT QUIT"
	eq "stream 3 (mx2 to mx1, 30 min later) replies" "$(stream_codes 3)" "$SMTP_OK"
	eq "EHLO names (stream;name)" "$(pick 'v("smtp.req.command") == "EHLO"' tcp.stream smtp.req.parameter)" \
	    "0;mta.test 1;mta.test 2;mx2.example.test 3;mx2.example.test"
	eq "end-of-message markers (stream)" "$(pick 'v("smtp.eom") != ""' tcp.stream)" "1 3"
	eq "Message-IDs sent (stream;id)" "$(pick 'v("imf.message_id") != ""' tcp.stream imf.message_id)" \
	    "1;<1.12@mta.test> 3;<1.12@mta.test>"
}

expect_duplicate_delivery() {
	# A server that stays silent is no TCP fault: nothing is resent,
	# nothing is flagged.
	:
}
facts_duplicate_delivery() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS
	# Two complete DATA transactions: DATA, 354, the message and its
	# "." each time; only the second gets its 250.
	eq "stream 0 replies / commands" "$(stream_codes 0) / $(stream_cmds 0)" \
	    "220 250 250 250 354 / EHLO MAIL RCPT DATA"
	eq "stream 1 replies / commands" "$(stream_codes 1) / $(stream_cmds 1)" \
	    "$SMTP_OK / $SMTP_CMDS"
	eq "end-of-message markers (stream;time)" "$(pick 'v("smtp.eom") != ""' tcp.stream frame.time_relative)" \
	    "0;0.003200000 1;2400.006400000"
	# The same message both times (RFC 5322 §3.6.4: one Message-ID).
	eq "Message-IDs of the two transactions" "$(pick 'v("imf.message_id") != ""' imf.message_id)" \
	    "<1.8@mta.test> <1.8@mta.test>"
	# Nothing at all during the 10 minutes after the end of data (the
	# ACK of the message leaves at 3.4 ms) ...
	eq "frames between 3.4 ms and 600 s" "$(npick 't() > 0.0034 && t() < 600')" 0
	# ... then the client gives up (RFC 5321 §4.5.3.2.6, 10 min after
	# the "." at 3.2 ms) and closes without QUIT; the retry 30 min later
	# (rfc5321 retry) ends with QUIT and 221.
	eq "FINs (stream;source;time)" "$(pick 'tcp() && v("tcp.flags.fin") == 1' tcp.stream src frame.time_relative)" \
	    "0;198.51.100.7;600.003200000 0;192.0.2.10;600.003400000 1;192.0.2.10;2400.007000000 1;198.51.100.7;2400.007200000"
	eq "SYNs (destination;time;completeness)" "$(pick 'syn()' dst frame.time_relative tcp.completeness)" \
	    "192.0.2.10;0.000800000;31 192.0.2.10;2400.004000000;31"
}

expect_mx_loop() {
	: # Two clean sessions: no expert item.
}
facts_mx_loop() {
	# shellcheck disable=SC2086
	rows frame $MX_FIELDS dns.qry.name dns.qry.type
	# The backup resolves its own name too (Postfix smtp_addr.c finds
	# itself by address), then the DSN's destination.
	eq "backup's queries (name;type)" "$(pick 'query() && src() == "192.0.2.20"' dns.qry.name dns.qry.type)" \
	    "example.test;15 backup.example.test;1 sender.test;15 mail.sender.test;1"
	# RFC 5321 §5.1: never a connection to itself; the only one it
	# makes carries the DSN to sender.test's MX.
	eq "SYNs (source;destination;time;completeness)" "$(pick 'syn()' src dst frame.time_relative tcp.completeness)" \
	    "198.51.100.7;192.0.2.20;0.000800000;31 192.0.2.20;198.51.100.25;0.005000000;31"
	eq "stream 0 (mta to backup) replies" "$(stream_codes 0)" "$SMTP_OK"
	# RFC 5321 §4.5.5: a DSN has the null reverse-path.
	eq "stream 1 (the DSN) MAIL parameter / replies" \
	    "$(pick 'v("tcp.stream") == 1 && v("smtp.req.command") == "MAIL"' smtp.req.parameter) / $(stream_codes 1)" \
	    "FROM:<> SIZE=1167 / $SMTP_OK"
	# RFC 3464 §2 (RFC 6522): a multipart/report of report-type
	# delivery-status: the human part, the delivery-status part, the
	# original's headers.
	eq "DSN (Message-ID;parts)" "$(vals 'imf && ip.src==192.0.2.20' imf.message_id mime_multipart.header.content-type)" \
	    "<1.dsn1@backup.example.test>;text/plain,message/delivery-status,text/rfc822-headers"
	eq "DSN Content-Type" "$(vals 'imf && ip.src==192.0.2.20' imf.content.type)" \
	    'multipart/report; report-type=delivery-status;\r\n\tboundary="mxsim-dsn"'
}

expect_random_outages() {
	# Seed 7 draws mx1 down at the connect of 13 of the 96 messages;
	# each of those sends a SYN and 4 resends at 1, 3, 7, 15 s (RFC 6298
	# §5.5) before the 30 s connect timeout: 13 x 4 = 52.  Another seed
	# draws other windows (tests/cli/determinism.sh changes it).
	expert 52 Note 'This frame is a (suspected) retransmission'
}
facts_random_outages() {
	# shellcheck disable=SC2086
	rows 'tcp.flags.syn==1 && tcp.flags.ack==0' $MX_FIELDS
	# A message every 30 min: one first SYN to mx1 each (after MX, A
	# mx1, A mx2: 1.2 ms).
	eq "first SYNs to mx1" "$(pick 'syn() && dst() == "192.0.2.10" && v("tcp.analysis.retransmission") == ""' frame.time_relative)" \
	    "$(awk 'BEGIN { for (i = 0; i < 96; i++) printf "%s%d.001200000", (i ? " " : ""), i * 1800 }')"
	eq "SYN resends to mx1" "$(npick 'syn() && dst() == "192.0.2.10" && v("tcp.analysis.retransmission") != ""')" 52
	# The drawn windows that cover a connect (narrative: 8h10m35s-
	# 9h22m21s covers 8h30 and 9h, 9h27m5s-9h32m56s 9h30, ...): mx1
	# silent, mx2 30 s later (rfc5321 connect_timeout, RFC 5321 §5.1).
	eq "unanswered connects to mx1 (time)" "$(pick 'syn() && dst() == "192.0.2.10" && v("tcp.analysis.retransmission") == "" && v("tcp.completeness") == 1' frame.time_relative)" \
	    "30600.001200000 32400.001200000 34200.001200000 45000.001200000 93600.001200000 97200.001200000 99000.001200000 104400.001200000 120600.001200000 122400.001200000 133200.001200000 142200.001200000 167400.001200000"
	eq "connects to mx2 (time;completeness)" "$(pick 'syn() && dst() == "192.0.2.20"' frame.time_relative tcp.completeness)" \
	    "30630.001200000;31 32430.001200000;31 34230.001200000;31 45030.001200000;31 93630.001200000;31 97230.001200000;31 99030.001200000;31 104430.001200000;31 120630.001200000;31 122430.001200000;31 133230.001200000;31 142230.001200000;31 167430.001200000;31"
	eq "complete connects to mx1" "$(npick 'syn() && dst() == "192.0.2.10" && v("tcp.completeness") == 31')" 83
	eq "end-of-message markers" "$(count 'smtp.eom')" 96
}

expect_smtp_slow_tarpit() {
	: # Slowness is no TCP fault: no expert item.
}
facts_smtp_slow_tarpit() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS
	eq "SYNs (source;destination;time)" "$(pick 'syn()' src dst frame.time_relative)" \
	    "198.51.100.7;192.0.2.10;0.001200000 198.51.100.8;192.0.2.10;0.001200000 198.51.100.8;192.0.2.20;60.001600000"
	# hasty: greeting_timeout 1 min from the moment its connection is up
	# (the SYN-ACK arrives at 1.6 ms); it closes without a word, mx1
	# closes too, its greeting never sent: SYN, SYN-ACK, ACK, FIN and no
	# data (Wireshark completeness 23).
	eq "stream 1 (hasty to mx1): payload bytes" "$(pick 'v("tcp.stream") == 1 && v("tcp.len") + 0 > 0' frame.number)" ""
	eq "stream 1 FINs (source;time)" "$(pick 'v("tcp.stream") == 1 && v("tcp.flags.fin") == 1' src frame.time_relative)" \
	    "198.51.100.8;60.001600000 192.0.2.10;60.001800000"
	eq "stream 1 completeness" "$(pick 'syn() && v("tcp.stream") == 1' tcp.completeness)" 23
	eq "stream 2 (hasty to mx2) replies" "$(stream_codes 2)" "$SMTP_OK"
	# patient: the greeting 2 min after mx1 accepted (1.8 ms), within
	# RFC 5321 §4.5.3.2.1's 5 min; the rest at network speed.
	eq "mx1's greetings (stream;time)" "$(pick 'v("smtp.response.code") == 220 && src() == "192.0.2.10"' tcp.stream frame.time_relative)" \
	    "0;120.001800000"
	eq "stream 0 (patient to mx1) replies" "$(stream_codes 0)" "$SMTP_OK"
}

expect_connection_limit() {
	: # A 421 is an SMTP reply: no expert item.
}
facts_connection_limit() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS smtp.rsp.parameter
	eq "SYNs (destination;time)" "$(pick 'syn()' dst frame.time_relative)" \
	    "192.0.2.10;0.001200000 192.0.2.10;0.001200000 192.0.2.20;0.002000000 192.0.2.10;60.001200000"
	# The first session holds mx1's only slot (max_conns = 1) ...
	eq "stream 0 (msg 1 to mx1) replies" "$(stream_codes 0)" "$SMTP_OK"
	# ... the second is greeted with 421 (Postfix anvil wording) and
	# closed by mx1 (RFC 5321 §3.8): no command, no QUIT.
	eq "stream 1 (msg 2 to mx1) replies / commands" "$(stream_codes 1) / $(stream_cmds 1)" "421 / "
	eq "421 text" "$(pick 'v("smtp.response.code") == 421' smtp.rsp.parameter)" \
	    "4.7.0 mx1.example.test Error: too many connections from 198.51.100.7"
	eq "stream 1 first FIN from" "$(pick 'v("tcp.stream") == 1 && v("tcp.flags.fin") == 1' src | cut -d' ' -f1)" 192.0.2.10
	eq "stream 2 (msg 2 to mx2) replies" "$(stream_codes 2)" "$SMTP_OK"
	eq "stream 3 (msg 3, alone, to mx1) replies" "$(stream_codes 3)" "$SMTP_OK"
}

expect_backup_relay() {
	# Three connects to a dark mx1: the sender's, and mx2's first two
	# forwarding attempts; each a SYN and 4 resends (RFC 6298 §5.5: 1,
	# 3, 7, 15 s) before the 30 s timeout: 3 x 4 = 12.
	expert 12 Note 'This frame is a (suspected) retransmission'
}
facts_backup_relay() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS
	# The sender: mx1 for 30 s, then mx2.  mx2: mx1 only (RFC 5321
	# §5.1: its own preference and worse dropped) at once, 30 min and
	# 2 h after each failure (rfc5321 retry, RFC 5321 §4.5.4.1).
	eq "first SYNs (source;destination;time;completeness)" "$(first_syns)" \
	    "198.51.100.7;192.0.2.10;0.001200000;1 198.51.100.7;192.0.2.20;30.001200000;31 192.0.2.20;192.0.2.10;30.005000000;1 192.0.2.20;192.0.2.10;1860.006200000;1 192.0.2.20;192.0.2.10;9090.007400000;31"
	eq "frames from mx1 before 1 h" "$(npick 'src() == "192.0.2.10" && t() < 3600')" 0
	eq "mx2's replies to mta / mx1's to mx2" "$(pick 'src() == "192.0.2.20" && dst() == "198.51.100.7" && v("smtp.response.code") != ""' smtp.response.code) / $(pick 'src() == "192.0.2.10" && v("smtp.response.code") != ""' smtp.response.code)" \
	    "$SMTP_OK / $SMTP_OK"
	# The same message twice on the wire: from mta without trace
	# headers, from mx2 with the Received: line mx2 added (RFC 5321
	# §4.4), which the capture shows as it went.
	eq "messages sent (source;Message-ID)" "$(pick 'v("imf.message_id") != ""' src imf.message_id)" \
	    "198.51.100.7;<1.42@mta.test> 192.0.2.20;<1.42@mta.test>"
	# (One field per tshark run: the line holds the ';' of the rows.)
	eq "messages with a Received: line" "$(count 'imf.received')" 1
	eq "Received: line from mx2" "$(vals 'imf.received && ip.src==192.0.2.20' imf.received)" \
	    'from mta.test (mta [198.51.100.7])\r\n\tby mx2.example.test (mxsim) with ESMTP id 1\r\n\tfor <bob@example.test>; Mon, 01 Jan 2024 00:00:30 +0000'
}

expect_backscatter() {
	# Two connects to a dark mx1 (the sender's and mx2's first forward),
	# each a SYN and 4 resends (RFC 6298 §5.5): 2 x 4 = 8.
	expert 8 Note 'This frame is a (suspected) retransmission'
}
facts_backscatter() {
	# shellcheck disable=SC2086
	rows tcp $MX_FIELDS smtp.rsp.parameter
	eq "first SYNs (source;destination;time;completeness)" "$(first_syns)" \
	    "198.51.100.7;192.0.2.10;0.001200000;1 198.51.100.7;192.0.2.20;30.001200000;31 192.0.2.20;192.0.2.10;30.005000000;1 192.0.2.20;192.0.2.10;1860.006200000;31 192.0.2.20;198.51.100.25;1860.009000000;31"
	# The backup accepted the unknown user (no recipient validation) ...
	eq "stream 1 (mta to mx2) replies" "$(stream_codes 1)" "$SMTP_OK"
	# ... the primary refuses it at RCPT (Postfix's wording) ...
	eq "stream 3 (mx2 to mx1) replies / commands" "$(stream_codes 3) / $(stream_cmds 3)" \
	    "220 250 250 550 221 / EHLO MAIL RCPT QUIT"
	eq "550 text" "$(pick 'v("smtp.response.code") == 550' smtp.rsp.parameter)" \
	    "5.1.1 <nobody@example.test>: Recipient address rejected: User unknown"
	# ... and mx2 sends the DSN from <> (RFC 5321 §4.5.5) to
	# sender.test's MX at once.
	eq "stream 4 (the DSN) MAIL / RCPT / replies" \
	    "$(pick 'v("tcp.stream") == 4 && v("smtp.req.command") ~ /MAIL|RCPT/' smtp.req.parameter) / $(stream_codes 4)" \
	    "FROM:<> SIZE=1263 TO:<alice@sender.test> / $SMTP_OK"
	eq "DSN (Message-ID;To;parts)" "$(vals 'imf && ip.src==192.0.2.20' imf.message_id imf.to mime_multipart.header.content-type)" \
	    "<1.dsn1@mx2.example.test>;<alice@sender.test>;text/plain,message/delivery-status,text/rfc822-headers"
}

expect_mx_address_limit() {
	# Fifteen connections to mx1's addresses time out (ten from postfix,
	# five from strict), each a SYN and 4 byte-identical resends at 1, 3,
	# 7, 15 s (RFC 6298 §2.1, §5.5) before the 30 s connect timeout.
	expert 60 Note 'This frame is a (suspected) retransmission'
}
facts_mx_address_limit() {
	_new='tcp.flags.syn==1 && tcp.flags.ack==0 && !tcp.analysis.retransmission'
	# Postfix: smtp_mx_address_limit = 5 (mta-behavior.md §4) fills a
	# delivery with mx1's five addresses; delivery attempts at 0, 600
	# and 1500 s (postfix backoff on the 300 s scan, qmgr_active.c).
	eq "postfix's new SYNs, times" "$(vals "ip.src==198.51.100.7 && $_new" frame.time_relative)" \
	    "0.001200000 30.001200000 60.001200000 90.001200000 120.001200000 600.001200000 630.001200000 660.001200000 690.001200000 720.001200000 1500.001200000"
	# The addresses are shuffled (smtp_randomize_addresses = yes), so
	# only which ones a round covers is pinned: all five, each once.
	eq "postfix's first round, addresses" \
	    "$(vals "ip.src==198.51.100.7 && $_new && frame.time_relative < 200" ip.dst | tr ' ' '\n' | sort | tr '\n' ' ')" \
	    "192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.14 192.0.2.15 "
	eq "frames between postfix and the backup mx2" "$(count 'ip.addr==198.51.100.7 && ip.addr==192.0.2.20')" 0
	# rfc5321 (no address limit, RFC 5321 §5.1): mx1's five addresses,
	# then mx2 at 150 s, delivered there.
	eq "strict's new SYNs (destination;time)" "$(vals "ip.src==198.51.100.8 && $_new" ip.dst frame.time_relative)" \
	    "192.0.2.11;0.001200000 192.0.2.12;30.001200000 192.0.2.13;60.001200000 192.0.2.14;90.001200000 192.0.2.15;120.001200000 192.0.2.20;150.001200000"
	eq "mx2 reply codes" "$(vals 'ip.src==192.0.2.20 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	eq "mx1 replies (only at 1500 s, to postfix)" "$(vals 'ip.src in {192.0.2.11..192.0.2.15} && smtp.response.code' ip.dst smtp.response.code | sed 's#198\.51\.100\.7;##g')" "$SMTP_OK"
}

expect_dns_timeout_no_mx() {
	# The MX queries resent at 5 s are not flagged: Wireshark's
	# dns.retransmission_timer is 5 s and its test is strict (see
	# expect_dns_down).  The 554 is an SMTP reply: no expert item.
	:
}
facts_dns_timeout_no_mx() {
	# shellcheck disable=SC2086
	rows frame $DNS_FIELDS
	# Both resolvers ask at 0 and 5 s (glibc RES_TIMEOUT 5 s,
	# RES_DFLRETRY 2); ns1 is down until 8 s: no answer.
	eq "MX queries before 10 s (source;time)" "$(pick 'query() && v("dns.qry.type") == 15 && t() < 10' ip.src frame.time_relative)" \
	    "198.51.100.7;0.000000000 198.51.100.8;0.000000000 198.51.100.7;5.000000000 198.51.100.8;5.000000000"
	eq "DNS answers before 10 s" "$(npick 'response() && t() < 10')" 0
	# postal: no MX taken as "no MX", the implicit MX example.test itself
	# (RFC 5321 §5.1): an A query at 10 s, answered with the web server.
	eq "queries from postal (qtype;qname;time)" "$(pick 'query() && src() == "198.51.100.8"' dns.qry.type dns.qry.name frame.time_relative)" \
	    "15;example.test;0.000000000 15;example.test;5.000000000 1;example.test;10.000000000"
	# rfc5321: the next MX lookup at 1810 s (10 s + 30 min, RFC 5321
	# §4.5.4.1), answered.
	eq "queries from mta after 10 s (qtype;qname;time)" "$(pick 'query() && src() == "198.51.100.7" && t() > 10' dns.qry.type dns.qry.name frame.time_relative)" \
	    "15;example.test;1810.000000000 1;mx1.example.test;1810.000400000"
	# The web server's MTA relays for nobody: 554 at RCPT, then QUIT.
	eq "www replies / client commands" \
	    "$(vals 'ip.src==192.0.2.80 && smtp.response.code' smtp.response.code) / $(vals 'ip.dst==192.0.2.80 && smtp.req.command' smtp.req.command)" \
	    "220 250 250 554 221 / EHLO MAIL RCPT QUIT"
	eq "mx1 replies (to mta only)" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' ip.dst smtp.response.code | sed 's#198\.51\.100\.7;##g')" "$SMTP_OK"
}

expect_greeting_5xx_postfix() {
	: # 554 greetings are SMTP replies, not TCP faults: no expert item.
}
facts_greeting_5xx_postfix() {
	# Postfix (smtp_skip_5xx_greeting = yes) defers and tries again:
	# 108 sessions over five days, each the 554 greeting, QUIT and 221
	# (RFC 5321 §3.1: after a 554 greeting the client may only QUIT).
	eq "postfix: replies it got (count code)" \
	    "$(vals 'ip.dst==198.51.100.7 && smtp.response.code' smtp.response.code | tr ' ' '\n' | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" \
	    "108 221 108 554 "
	eq "postfix: commands it sent (count command)" \
	    "$(vals 'ip.src==198.51.100.7 && smtp.req.command' smtp.req.command | tr ' ' '\n' | sort | uniq -c | awk '{ printf "%s %s ", $1, $2 }')" \
	    "108 QUIT "
	# Postfix's schedule: clamp(time in queue, 300 s, 4000 s) rounded
	# up to the 300 s queue scan (qmgr_active.c); the last attempt at
	# 5d20m is the first failure after maximal_queue_lifetime = 5d.
	_syn=$(vals 'ip.src==198.51.100.7 && tcp.flags.syn==1' frame.time_relative)
	eq "postfix: first nine connection times" "$(echo "$_syn" | cut -d' ' -f1-9)" \
	    "0.000800000 300.000800000 600.000800000 1200.000800000 2400.000800000 4800.000800000 9000.000800000 13200.000800000 17400.000800000"
	eq "postfix: connections, last one" "$(words "$_syn") $(echo "$_syn" | awk '{ print $NF }')" "108 433200.000800000"
	# Exim: the last host's 5xx greeting bounces at once: one session.
	eq "exim: replies / commands" \
	    "$(vals 'ip.dst==198.51.100.8 && smtp.response.code' smtp.response.code) / $(vals 'ip.src==198.51.100.8 && smtp.req.command' smtp.req.command)" \
	    "554 221 / QUIT"
}

expect_sweep_three_mx() {
	: # Under its seed 3 every MX is up at 12h: no expert item at all.
}
facts_sweep_three_mx() {
	eq "MX answer preferences" "$(vals 'dns.flags.response==1 && dns.qry.type==15' dns.mx.preference)" "10,10,20"
	# RFC 5321 §5.1: mx1 and mx2 (both 10) come in shuffled order; under
	# seed 3 mx1 is first, is up, and takes the message in one connection.
	eq "SYNs, to whom" "$(vals 'tcp.flags.syn==1 && tcp.flags.ack==0' ip.dst)" "192.0.2.10"
	eq "frames to or from mx3 192.0.2.20" "$(count 'ip.addr==192.0.2.20')" 0
	eq "mx1 reply codes" "$(vals 'ip.src==192.0.2.10 && smtp.response.code' smtp.response.code)" "$SMTP_OK"
	eq "client commands to mx1" "$(vals 'ip.dst==192.0.2.10 && smtp.req.command' smtp.req.command)" "$SMTP_CMDS"
}

# --- the run -----------------------------------------------------------------

nscn=0
for lua in "$SRC"/scenarios/*.lua; do
	[ -e "$lua" ] || { echo "FAIL: no scenarios in $SRC/scenarios" >&2; exit 1; }
	SCN=$(basename "$lua" .lua)
	CAP=$WORK/$SCN.pcap
	fn=$(echo "$SCN" | tr -- '-' '_')
	nscn=$((nscn + 1))
	echo "== $SCN"

	# Run from $WORK, so that a default ./<name>.pcap would land there.
	(cd "$WORK" && "$MXSIM" run "$lua" --capture "$CAP" --quiet) >"$WORK/$SCN.out" 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		fail "mxsim run exited $rc, want 0:"
		sed 's/^/    /' "$WORK/$SCN.out"
		continue
	fi
	if [ ! -s "$CAP" ]; then
		fail "no capture written at $CAP"
		continue
	fi

	# pcap.md §1.1: a nanosecond pcap (magic a1b23c4d), as captype names it.
	eq "file type (captype)" "$(captype "$CAP" 2>/dev/null)" "$CAP: nsecpcap"

	# Exact expert items, each with its count.
	EXPECTED=
	if command -v "expect_$fn" >/dev/null 2>&1; then
		"expect_$fn"
	else
		echo "  note: no expectations written for $SCN: holding it to no expert item at all"
	fi
	want=$(printf '%s' "$EXPECTED" | sed '/^$/d' | sort)
	got=$(expert_summary "$CAP") || : >"$TOOLFAIL"
	# Both sides in one order (count first), whatever the messages.
	got=$(printf '%s\n' "$got" | sed '/^$/d' | sort)
	if [ "$got" = "$want" ]; then
		if [ -n "$want" ]; then
			echo "  check: expert items (count, severity, message): ok"
			printf '%s\n' "$want" | sed 's/^/      /'
		else
			echo "  check: expert items: ok (none)"
		fi
	else
		fail "expert items (count, severity, message) differ"
		echo "    want:"
		printf '%s\n' "${want:-(none)}" | sed 's/^/      /'
		echo "    got:"
		printf '%s\n' "${got:-(none)}" | sed 's/^/      /'
	fi

	# The lint, allowing exactly the expected messages and nothing else.
	allow=
	if [ -n "$want" ]; then
		allow=$(printf '%s\n' "$want" | cut -f3 | while IFS= read -r m; do
			lint_regex_quote "$m"
		done | paste -sd'|' -)
		allow="^($allow)\$"
	fi
	lint_capture "$CAP" "$allow"
	case $? in
	0) ;;
	2) : >"$TOOLFAIL" ;;
	*) fail "the lint found problems (above)" ;;
	esac

	# Every scenario pins what its capture shows: a new scenario without
	# facts is a gap to fill, not a pass.
	if command -v "facts_$fn" >/dev/null 2>&1; then
		"facts_$fn"
	else
		fail "no structural facts (facts_$fn) written for $SCN"
	fi
done

if [ -e "$TOOLFAIL" ]; then
	echo "FAIL: tshark failed on a filter or field (see above)"
	failed=1
fi
if [ "$failed" != 0 ]; then
	echo "FAIL: capture checks failed"
	exit 1
fi
echo "checked $nscn scenarios"
echo "ok"
