#!/bin/sh
# tests/capture/lib.sh - the capture lint (/work/shared/reference/pcap.md
# §0.2 and §8, in our own words).
#
# Named lib.sh so that tests/CMakeLists.txt does not run it as a test by
# itself.  Two ways to use it:
#
#   sh tests/capture/lib.sh FILE [ALLOW_REGEX]
#       Lints one capture.  ALLOW_REGEX is an extended regular expression
#       (grep -E) matched against each expert message alone; matching
#       messages are tolerated.  Exit 0 clean, 1 findings, 2 tshark failed.
#
#   . "$SRC/tests/capture/lib.sh"
#       Defines, for a test script:
#         lint_capture FILE [ALLOW_REGEX]   the same lint, as a function
#         expert_summary FILE [TSHARK_OPT...]
#             "COUNT<TAB>SEVERITY<TAB>MESSAGE" per distinct expert message
#             at Note level and above, minus the benign connection-closing
#             notes, sorted: for exact per-scenario expectations
#         tsf FILE TSHARK_ARG...            tshark -n -r FILE with checksum
#             validation on; stdout only; on a tshark error prints its
#             stderr and returns 2 (a misspelled field is an error, not an
#             empty answer)
#         lint_regex_quote STRING           STRING as a literal ERE
#
# The lint reads the capture ONCE (tshark -2, one line of fields per frame)
# and applies every check to that table with awk; each check is commented
# with the display filter of pcap.md it stands for.  One tshark run costs
# about 0.3 s, so this is ten times faster than a filter per check.
#
# Gotchas (pcap.md §8.1):
#  - tshark exits 0 whatever it finds: the checks read its stdout.
#  - As root, tshark writes "Running as user root ..." on stderr: stderr is
#    never parsed, only shown when tshark fails.
#  - Flag fields are always present: test their value (==0 / ==1), never
#    their presence.
#  - Forward references (dns.response_to/response_in, the final
#    tcp.completeness, tcp.reassembled_in on a first segment) need -2.
#  - Repeated fields are joined with an explicit aggregator (here \037,
#    which tshark never prints raw: it escapes control characters).

LINT_CK='-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE'
LINT_AGG=$(printf '\037')
LINT_TAB=$(printf '\t')

# Expert severities as tshark prints them (epan/proto.h PI_*).
LINT_SEV_NOTE=4194304		# 0x00400000
LINT_SEV_WARN=6291456		# 0x00600000
LINT_SEV_ERROR=8388608		# 0x00800000

# The fields of the one pass, in column order.
LINT_FIELDS='frame.number frame.time_delta frame.len frame.cap_len
frame.protocols _ws.malformed _ws.short _ws.expert.severity _ws.expert.message
ip.checksum.status tcp.checksum.status udp.checksum.status icmp.checksum.status
icmpv6.checksum.status
tcp.stream tcp.srcport tcp.flags.fin tcp.flags.reset tcp.flags.ack tcp.len
tcp.nxtseq tcp.ack tcp.completeness tcp.reassembled_in tcp.payload
tcp.analysis.retransmission tcp.analysis.fast_retransmission
tcp.analysis.spurious_retransmission
dns.flags.response dns.response_to dns.retransmission dns.qry.name
dns.resp.name dns.mx.mail_exchange dns.ns dns.cname dns.soa.mname
dns.soa.rname
icmp.type icmpv6.type
smtp.req smtp.rsp smtp.command_line smtp.response smtp.response.code smtp.eom
smtp.req.command'

# The lint's checks: id and the name it prints, in order.
LINT_CHECKS='expert|expert items at Note and above (frame, severity, message)
short|malformed or short frames
cksum|checksums ip/tcp/udp/icmp/icmpv6
time|time order and frame size <= 1514
undissected|TCP payload dissected as smtp or dns
complete|TCP completeness 31, 23, 37 or 1 per stream
fin|no data after FIN; peer acks all data and the FIN
dnspair|DNS responses paired with their queries
dnsname|DNS names decode
icmpquote|ICMP errors quote a transport header
crlf|SMTP command and reply lines end in CRLF
bytes|SMTP payload bytes: no bare CR or LF
eom|SMTP: one end-of-message per 354
quit|SMTP: one visible QUIT per 221'

tsf() {
	_tsf_file=$1
	shift
	_tsf_err=$(mktemp "${TMPDIR:-/tmp}/tsf.XXXXXX") || return 2
	# shellcheck disable=SC2086  # LINT_CK is a list of words
	if tshark -n -r "$_tsf_file" $LINT_CK "$@" 2>"$_tsf_err"; then
		rm -f "$_tsf_err"
		return 0
	fi
	{
		echo "tshark failed: tshark -n -r $_tsf_file $*"
		grep -v 'Running as user' "$_tsf_err" | sed 's/^/    /'
	} >&2
	rm -f "$_tsf_err"
	return 2
}

lint_regex_quote() {
	printf '%s\n' "$1" | sed 's/[][\\.*^$()+?{}|]/\\&/g'
}

# The awk code shared by the expert functions: from the severity and
# message columns (aggregated with \037), every item at Note and above
# except the benign notes of an orderly TCP close ("This frame initiates /
# undergoes the connection closing"; SYN and FIN themselves are Chats).
LINT_AWK_EXPERT='
function expert_items(frame, sevs, msgs,    ns, nm, i, s, sev, msg, name, out) {
	out = ""
	if (sevs == "")
		return out
	ns = split(sevs, sev, AGG)
	nm = split(msgs, msg, AGG)
	if (ns != nm)
		return frame "\tError\tlint: " ns " severities but " nm " messages\n"
	for (i = 1; i <= ns; i++) {
		s = sev[i] + 0
		if (s < NOTE)
			continue
		if (msg[i] == "This frame initiates the connection closing" ||
		    msg[i] == "This frame undergoes the connection closing")
			continue
		name = s >= ERROR ? "Error" : s >= WARN ? "Warning" : "Note"
		out = out frame "\t" name "\t" msg[i] "\n"
	}
	return out
}'

# lint_expert_items FILE [TSHARK_OPT...]: "FRAME<TAB>SEVERITY<TAB>MESSAGE"
# per expert item at Note and above, minus the benign closing notes.
lint_expert_items() {
	_lei_file=$1
	shift
	_lei_out=$(tsf "$_lei_file" -2 "$@" -Y '_ws.expert' -T fields \
	    -E occurrence=a -E "aggregator=$LINT_AGG" \
	    -e frame.number -e _ws.expert.severity -e _ws.expert.message) ||
		return 2
	[ -n "$_lei_out" ] || return 0
	printf '%s\n' "$_lei_out" | awk -F'\t' -v AGG="$LINT_AGG" \
	    -v NOTE="$LINT_SEV_NOTE" -v WARN="$LINT_SEV_WARN" \
	    -v ERROR="$LINT_SEV_ERROR" "$LINT_AWK_EXPERT"'
	{ printf "%s", expert_items($1, $2, $3) }'
}

expert_summary() {
	_es_items=$(lint_expert_items "$@") || return 2
	[ -n "$_es_items" ] || return 0
	printf '%s\n' "$_es_items" | cut -f2- | sort | uniq -c |
	    awk '{ n = $1; sub(/^ *[0-9]+ /, ""); print n "\t" $0 }'
}

# The checks, over the one-pass table.  Prints "CHECKID<TAB>finding".
LINT_AWK_CHECKS='
function v(name) { return $(col[name]) }
function has(name) { return $(col[name]) != "" }
# Any occurrence of field "name" equal to "x".
function any(name, x,    n, a, i) {
	n = split($(col[name]), a, AGG)
	for (i = 1; i <= n; i++)
		if (a[i] == x)
			return 1
	return 0
}
# frame.protocols holds protocol "p" (the display filter "p").
function proto(p) { return index(":" v("frame.protocols") ":", ":" p ":") > 0 }
function out(id, msg) { print id "\t" msg }
BEGIN {
	n = split(FIELDS, nm, /[ \n]+/)
	for (i = 1; i <= n; i++)
		col[nm[i]] = i
}
{
	fr = v("frame.number")

	# 1. _ws.expert.severity >= "Note", minus benign notes (the allowed
	#    regex is applied by the shell).
	printf "%s", expert_out(fr, v("_ws.expert.severity"), v("_ws.expert.message"))

	# 2. _ws.malformed || _ws.short || frame.cap_len < frame.len
	if (has("_ws.malformed") || has("_ws.short") || v("frame.cap_len") + 0 < v("frame.len") + 0)
		out("short", "frame " fr ": malformed or cut short (" v("frame.cap_len") " of " v("frame.len") " bytes)")

	# 3. ip/tcp/udp/icmp/icmpv6.checksum.status == 0 (0 = bad)
	split("ip tcp udp icmp icmpv6", cp, " ")
	for (i = 1; i <= 5; i++)
		if (any(cp[i] ".checksum.status", "0"))
			out("cksum", "frame " fr ": bad " cp[i] " checksum")

	# 4. frame.time_delta < 0 || frame.len > 1514
	if (v("frame.time_delta") + 0 < 0)
		out("time", "frame " fr ": time goes backwards by " v("frame.time_delta") " s")
	if (v("frame.len") + 0 > 1514)
		out("time", "frame " fr ": " v("frame.len") " bytes, over 1514")

	tcp = proto("tcp") && !proto("icmp") && !proto("icmpv6")

	# 5. tcp.len > 0 && !smtp && !dns && !icmp && !icmpv6 && !tcp.reassembled_in,
	#    retransmissions excepted: Wireshark does not dissect a payload it
	#    has already seen (simulated loss makes them on purpose).
	rexmit = has("tcp.analysis.retransmission") || has("tcp.analysis.fast_retransmission") ||
	    has("tcp.analysis.spurious_retransmission")
	if (tcp && !rexmit && v("tcp.len") + 0 > 0 && !proto("smtp") && !proto("dns") && !has("tcp.reassembled_in"))
		out("undissected", "frame " fr " (stream " v("tcp.stream") "): payload not dissected as smtp or dns")

	# 6. tcp.completeness per stream (its final value, two passes).
	if (tcp)
		compl[v("tcp.stream")] = v("tcp.completeness")

	# 7. Per direction (stream, source port), frames without RST: no
	#    payload after the FIN; remember the highest next sequence number
	#    sent and the highest ack received.
	if (tcp && v("tcp.flags.reset") != 1) {
		k = v("tcp.stream") " " v("tcp.srcport")
		if (fin[k] && v("tcp.len") + 0 > 0)
			out("fin", "stream " v("tcp.stream") ": " v("tcp.len") " bytes from port " v("tcp.srcport") " after its FIN (frame " fr ")")
		if (v("tcp.flags.fin") == 1)
			fin[k] = 1
		if (has("tcp.nxtseq") && v("tcp.nxtseq") + 0 > nxt[k])
			nxt[k] = v("tcp.nxtseq") + 0
		if (v("tcp.flags.ack") == 1 && v("tcp.ack") + 0 > ack[k])
			ack[k] = v("tcp.ack") + 0
		st[k] = v("tcp.stream")
		if (!(k in seen)) { seen[k] = 1; keys[++nk] = k }
	}

	# 8. dns.flags.response==1 && !dns.response_to && !dns.retransmission
	if (any("dns.flags.response", "1") && !has("dns.response_to") && !has("dns.retransmission"))
		out("dnspair", "frame " fr ": DNS response to no query seen")
	#    Names that do not decode ("<Name contains a pointer that loops>", ...).
	if (index(v("dns.qry.name"), "<") > 0)
		out("dnsname", "frame " fr ": query name " v("dns.qry.name"))
	split("dns.resp.name dns.mx.mail_exchange dns.ns dns.cname dns.soa.mname dns.soa.rname", dn, " ")
	for (i = 1; i <= 6; i++)
		if (index(v(dn[i]), "<Name") > 0 || index(v(dn[i]), "<Unknown") > 0)
			out("dnsname", "frame " fr ": " dn[i] " " v(dn[i]))

	# 9. (icmp.type==3 || icmp.type==11 || icmpv6.type 1-4) && !(udp || tcp)
	if ((any("icmp.type", "3") || any("icmp.type", "11") || any("icmpv6.type", "1") ||
	    any("icmpv6.type", "2") || any("icmpv6.type", "3") || any("icmpv6.type", "4")) &&
	    !proto("udp") && !proto("tcp"))
		out("icmpquote", "frame " fr ": ICMP error without the quoted transport header")

	# 10. (smtp.req && !(smtp.command_line matches "\r\n$")) ||
	#     (smtp.rsp && !(smtp.response matches "\r\n$")); tshark prints
	#     CR LF as the four characters \r\n.
	if (has("smtp.req") && !crlf_all(v("smtp.command_line")))
		out("crlf", "frame " fr ": command line without CRLF: " v("smtp.command_line"))
	if (has("smtp.rsp") && !crlf_all(v("smtp.response")))
		out("crlf", "frame " fr ": reply line without CRLF: " v("smtp.response"))
	#     The dissector shows the first line of a reply only: check the
	#     bytes of every SMTP segment for a LF without CR before it and a
	#     CR without LF after it.
	#     A CR LF may straddle two segments: remember, per direction,
	#     whether the previous segment ended with CR.
	if (proto("smtp") && v("tcp.len") + 0 > 0) {
		p = tolower(v("tcp.payload")); gsub(/:/, "", p)
		m = length(p) / 2
		dk = v("tcp.stream") " " v("tcp.srcport")
		prevcr = endcr[dk]
		endcr[dk] = substr(p, 2 * m - 1, 2) == "0d"
		for (i = 1; i <= m; i++) {
			b = substr(p, 2 * i - 1, 2)
			if (b == "0a" && (i == 1 ? !prevcr : substr(p, 2 * i - 3, 2) != "0d")) {
				out("bytes", "frame " fr ": bare LF at payload byte " i); break
			}
			if (b == "0d" && i < m && substr(p, 2 * i + 1, 2) != "0a") {
				out("bytes", "frame " fr ": bare CR at payload byte " i); break
			}
		}
	}

	# 11, 12. Frames with a 354 / an smtp.eom; with a 221 / a QUIT.
	if (any("smtp.response.code", "354")) n354++
	if (has("smtp.eom")) neom++
	if (any("smtp.response.code", "221")) n221++
	if (any("smtp.req.command", "QUIT")) nquit++
}
function crlf_all(s,    n, a, i) {
	if (s == "")
		return 0
	n = split(s, a, AGG)
	for (i = 1; i <= n; i++)
		if (substr(a[i], length(a[i]) - 3) != "\\r\\n")
			return 0
	return 1
}
function expert_out(frame, sevs, msgs,    items, n, it, i) {
	items = expert_items(frame, sevs, msgs)
	n = split(items, it, "\n")
	items = ""
	for (i = 1; i < n; i++)
		items = items "expert\t" it[i] "\n"
	return items
}
END {
	# 6. Complete with data 31 (SYN, SYN-ACK, ACK, data, FIN), closed
	#    before any data 23 (a client whose greeting timeout ran out),
	#    refused 37 (SYN, ACK, RST), SYN only 1 (a dead host).
	for (s in compl)
		if (compl[s] != 31 && compl[s] != 23 && compl[s] != 37 &&
		    compl[s] != 1)
			out("complete", "stream " s ": completeness " compl[s])
	# 7. The peer acknowledged everything each side sent, its FIN included.
	for (a = 1; a <= nk; a++) {
		k = keys[a]
		peer = 0
		for (b = 1; b <= nk; b++) {
			j = keys[b]
			if (j == k || st[j] != st[k])
				continue
			peer = 1
			if (nxt[k] > ack[j])
				out("fin", "stream " st[k] ": port " substr(k, index(k, " ") + 1) " sent up to " nxt[k] " but the peer acked only " ack[j])
		}
		if (!peer && fin[k])
			out("fin", "stream " st[k] ": a FIN that nobody acknowledged")
	}
	# 11. One end-of-message per DATA phase.
	if (n354 + 0 != neom + 0)
		out("eom", (n354 + 0) " replies 354 but " (neom + 0) " end-of-message markers")
	# 12. Every 221 answers a QUIT that Wireshark shows.
	if (n221 + 0 != nquit + 0)
		out("quit", (n221 + 0) " replies 221 but " (nquit + 0) " visible QUIT commands")
}'

# lint_capture FILE [ALLOW_REGEX]: prints one line per check and every
# finding; returns 0 clean, 1 findings, 2 tshark failed.
lint_capture() {
	_lc_f=$1
	_lc_allow=${2:-}

	if [ ! -s "$_lc_f" ]; then
		echo "$_lc_f: no such capture, or empty"
		return 1
	fi
	_lc_e=
	for _lc_x in $LINT_FIELDS; do
		_lc_e="$_lc_e -e $_lc_x"
	done
	# shellcheck disable=SC2086
	_lc_table=$(tsf "$_lc_f" -2 -T fields -E occurrence=a \
	    -E "aggregator=$LINT_AGG" $_lc_e) || {
		echo "$_lc_f: lint could not run tshark"
		return 2
	}
	_lc_found=$(printf '%s\n' "$_lc_table" | awk -F'\t' -v AGG="$LINT_AGG" \
	    -v NOTE="$LINT_SEV_NOTE" -v WARN="$LINT_SEV_WARN" \
	    -v ERROR="$LINT_SEV_ERROR" -v FIELDS="$LINT_FIELDS" \
	    "$LINT_AWK_EXPERT$LINT_AWK_CHECKS") || {
		echo "$_lc_f: the lint's awk program failed"
		return 2
	}
	# The allowed expert messages (grep -E on the message alone).
	if [ -n "$_lc_allow" ] && [ -n "$_lc_found" ]; then
		_lc_found=$(printf '%s\n' "$_lc_found" | while IFS= read -r _lc_l; do
			case $_lc_l in
			expert"$LINT_TAB"*)
				_lc_m=$(printf '%s\n' "$_lc_l" | cut -f4-)
				printf '%s\n' "$_lc_m" | grep -q -E -e "$_lc_allow" && continue
				;;
			esac
			printf '%s\n' "$_lc_l"
		done)
	fi
	_lc_bad=0
	_lc_ids=$(printf '%s\n' "$LINT_CHECKS" | cut -d'|' -f1)
	for _lc_id in $_lc_ids; do
		_lc_name=$(printf '%s\n' "$LINT_CHECKS" | grep "^$_lc_id|" | cut -d'|' -f2-)
		_lc_out=$(printf '%s\n' "$_lc_found" | grep "^$_lc_id$LINT_TAB" | cut -f2-)
		if [ -n "$_lc_out" ]; then
			echo "  lint: $_lc_name: FAIL"
			printf '%s\n' "$_lc_out" | sed 's/^/      /'
			_lc_bad=1
		else
			echo "  lint: $_lc_name: ok"
		fi
	done
	if [ "$_lc_bad" != 0 ]; then
		echo "$_lc_f: lint FAILED"
		return 1
	fi
	echo "$_lc_f: lint ok"
	return 0
}

# Run as a command (sh lib.sh FILE [ALLOW_REGEX]), not when sourced.
case ${0##*/} in
lib.sh)
	if [ $# -lt 1 ] || [ $# -gt 2 ]; then
		echo "usage: sh lib.sh FILE [ALLOW_REGEX]" >&2
		exit 2
	fi
	lint_capture "$@"
	exit $?
	;;
esac
