# tests/cli/lib/lint.sh - sourced by command-line tests that write
# captures; needs $SRC, $WORK and a fail() function.

# lint_all_captures DIR: the capture lint (tests/capture/lib.sh) on every
# capture under DIR.  The scenarios' own captures are held to their exact
# expert items in capture.scenarios; here, where the same stories run
# under other profiles, seeds or student variants, the only expert notes
# tolerated are those of failures we simulate on purpose: unanswered SYNs
# and lossy links (retransmissions, duplicate ACKs), refused connections
# (RST), DNS retries and slow servers (query and response
# retransmissions).  Everything else (checksums, malformed frames,
# sequence numbers, SMTP framing) must be clean.
LINT_ALLOWED='^This frame is a \(suspected\) (fast )?retransmission$|^Duplicate ACK|^Connection reset \(RST\)$|^DNS (query|response) retransmission'
lint_all_captures() {
	. "$SRC/tests/capture/lib.sh"
	_la_n=0
	for _la_f in $(find "$1" -name '*.pcap' -o -name '*.pcapng' | sort); do
		_la_n=$((_la_n + 1))
		if ! lint_capture "$_la_f" "$LINT_ALLOWED" >"$WORK/lint.out" 2>&1; then
			fail "capture lint: $_la_f"
			sed 's/^/    /' "$WORK/lint.out"
		fi
	done
	echo "check: capture lint on the $_la_n captures this test wrote: done"
}
