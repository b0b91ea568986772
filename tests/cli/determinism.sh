#!/bin/sh
# tests/cli/determinism.sh - same scenario and seed, same bytes.
#
# Checks:
#  - every scenario run twice with the same seed gives byte-identical
#    captures, traces and narratives (cmp), in different output paths;
#  - '--seed N' with the scenario's own seed is the same as no --seed;
#  - another seed on equal-preference.lua changes the trace (the equal
#    preference shuffle, RFC 5321 §5.1), and both runs still pass (exit 0);
#  - the trace is JSON Lines of the expected shape: every line starts with
#    {"t": and ends with }, has no control character, t never decreases,
#    the first line is run.start and the last run.end;
#  - the capture's clock is the scenario's fixed epoch (2024-01-01T00:00:00Z
#    by default), not the wall clock: the first record's seconds are
#    1704067200 in a nanosecond pcap.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
mkdir -p "$WORK/a" "$WORK/b" || exit 1

# run DIR SCENARIO [ARGS...]: runs from DIR, outputs DIR/NAME.{pcap,jsonl,out}.
run() {
	_dir=$1
	_lua=$2
	shift 2
	_n=$(basename "$_lua" .lua)
	(cd "$_dir" && "$MXSIM" run "$_lua" --capture "$_dir/$_n.pcap" \
	    --trace "$_dir/$_n.jsonl" "$@") >"$_dir/$_n.out" 2>"$_dir/$_n.err"
}

# check_trace FILE: the JSON Lines shape.
check_trace() {
	_bad=$(awk '
	    function fail(m) { print FILENAME ":" NR ": " m; bad = 1; exit }
	    {
		if (substr($0, 1, 5) != "{\"t\":") fail("does not start with {\"t\":")
		if (substr($0, length($0), 1) != "}") fail("does not end with }")
		if ($0 ~ /[\001-\037\177]/) fail("holds a raw control character")
		t = substr($0, 6); sub(/[^0-9].*/, "", t)
		if (t == "") fail("\"t\" is not a whole number")
		if (NR > 1 && t + 0 < last) fail("t goes backwards (" last " then " t ")")
		last = t + 0
		if (NR == 1 && $0 !~ /"type":"run\.start"/) fail("first line is not type run.start")
		end = ($0 ~ /"type":"run\.end"/)
	    }
	    END {
		if (bad) exit
		if (NR == 0) { print FILENAME ": empty"; exit }
		if (!end) print FILENAME ": last line is not type run.end"
	    }' "$1")
	if [ -n "$_bad" ]; then
		fail "trace shape: $_bad"
		return 1
	fi
	return 0
}

# The pcap file magic and the first record's seconds, in host order (as
# libpcap writes them).
pcap_magic() { od -A n -t x4 -N 4 "$1" | tr -d ' '; }
pcap_first_sec() { od -A n -t u4 -j 24 -N 4 "$1" | tr -d ' '; }

n=0
for lua in "$SRC"/scenarios/*.lua; do
	name=$(basename "$lua" .lua)
	n=$((n + 1))
	ok=1
	run "$WORK/a" "$lua" || { fail "$name: first run exited $?"; cat "$WORK/a/$name.err"; continue; }
	run "$WORK/b" "$lua" || { fail "$name: second run exited $?"; cat "$WORK/b/$name.err"; continue; }
	for ext in pcap jsonl out; do
		if ! cmp -s "$WORK/a/$name.$ext" "$WORK/b/$name.$ext"; then
			fail "$name: the two runs differ in their .$ext output"
			cmp "$WORK/a/$name.$ext" "$WORK/b/$name.$ext"
			ok=0
		fi
	done
	check_trace "$WORK/a/$name.jsonl" || ok=0
	magic=$(pcap_magic "$WORK/a/$name.pcap")
	[ "$magic" = a1b23c4d ] || { fail "$name: pcap magic $magic, want a1b23c4d (nanosecond pcap)"; ok=0; }
	sec=$(pcap_first_sec "$WORK/a/$name.pcap")
	# The first packet leaves when the first message is queued (its MX
	# query): 2024-01-01T00:00:00Z plus that simulated time, in seconds.
	q=$(grep -m1 '"type":"mta.queued"' "$WORK/a/$name.jsonl" | sed 's/^{"t":\([0-9]*\),.*/\1/')
	want=$((1704067200 + ${q:-0} / 1000000000))
	[ "$sec" = "$want" ] || { fail "$name: first packet at $sec s since 1970, want $want (2024-01-01T00:00:00Z + the first message's time)"; ok=0; }
	[ $ok = 1 ] && echo "check: $name: two runs byte-identical (capture, trace, narrative); trace shape; epoch clock: ok"
done
[ $n -gt 0 ] || fail "no scenarios in $SRC/scenarios"

# Every trace line is one JSON object whose keys are unique (a repeated
# key would be lost by most parsers).
if python3 - "$WORK"/a/*.jsonl <<'PY'
import json, sys
def pairs(kv):
    keys = [k for k, _ in kv]
    dup = {k for k in keys if keys.count(k) > 1}
    if dup:
        raise ValueError("repeated key(s) %s" % sorted(dup))
    return dict(kv)
bad = 0
for path in sys.argv[1:]:
    with open(path) as f:
        for n, line in enumerate(f, 1):
            try:
                json.loads(line, object_pairs_hook=pairs)
            except ValueError as e:
                print("%s:%d: %s" % (path, n, e))
                bad = 1
                break
sys.exit(bad)
PY
then
	echo "check: every trace line parses as JSON with unique keys: ok"
else
	fail "trace lines that do not parse or repeat a key (above)"
fi

# The trace schema (docs/trace.md) names every event type the scenarios
# produce: a new type must be documented.
types=$(cat "$WORK"/a/*.jsonl | sed -n 's/.*"type":"\([^"]*\)".*/\1/p' | sort -u)
undoc=""
for t in $types; do
	grep -q "\`$t\`" "$SRC/docs/trace.md" || undoc="$undoc $t"
done
if [ -n "$undoc" ]; then
	fail "event types missing from docs/trace.md:$undoc"
else
	echo "check: every event type in the traces ($(echo "$types" | wc -l)) is in docs/trace.md: ok"
fi

# And every key: each (type, key) pair of the traces is documented, the
# key among the common keys, or in a table row that names the type, or in
# the table under the heading or line that names it (docs/trace.md says
# so).  Keys are read as JSON: escapes and string contents cannot pass
# for a key.
trace_pairs() {
	awk '{
		s = $0
		gsub(/\\./, "_", s)
		type = s; sub(/.*"type":"/, "", type); sub(/".*/, "", type)
		while (match(s, /"[^"]*":/)) {
			print type, substr(s, RSTART + 1, RLENGTH - 3)
			s = substr(s, RSTART + RLENGTH)
		}
	}' "$@" | sort -u
}
doc_pairs() {
	awk '
	function ticks(line, out,    n) {
		n = 0
		while (match(line, /`[^`]+`/)) {
			out[++n] = substr(line, RSTART + 1, RLENGTH - 2)
			line = substr(line, RSTART + RLENGTH)
		}
		return n
	}
	/^#/ {
		common = ($0 ~ /^## Common keys/)
		delete sect; ns = ticks($0, sect)
		next
	}
	/^\|/ {
		delete row; nr = ticks($0, row)
		for (i = 1; i <= nr; i++) {
			if (common)
				print "*", row[i]
			for (j = 1; j <= nr; j++)
				print row[j], row[i]
			for (j = 1; j <= ns; j++)
				print sect[j], row[i]
		}
		next
	}
	/^`/ { delete sect; ns = ticks($0, sect) }
	' "$1" | sort -u
}
trace_pairs "$WORK"/a/*.jsonl >"$WORK/pairs.trace"
doc_pairs "$SRC/docs/trace.md" >"$WORK/pairs.doc"
undoc=$(awk 'NR == FNR { doc[$1 " " $2] = 1; next }
	!doc[$0] && !doc["* " $2] { printf " %s:%s", $1, $2 }' \
    "$WORK/pairs.doc" "$WORK/pairs.trace")
if [ ! -s "$WORK/pairs.trace" ]; then
	fail "no (type, key) pairs read from the traces"
elif [ -n "$undoc" ]; then
	fail "keys missing from docs/trace.md (type:key):$undoc"
else
	echo "check: every key of every event type in the traces ($(wc -l <"$WORK/pairs.trace") pairs) is in docs/trace.md: ok"
fi

# --seed with the scenario's own seed (equal-preference.lua: seed = 2024).
EP=$SRC/scenarios/equal-preference.lua
mkdir -p "$WORK/s2024" "$WORK/s5"
if ! grep -q 'seed = 2024,' "$EP"; then
	fail "equal-preference.lua no longer declares seed = 2024; update determinism.sh"
fi
run "$WORK/s2024" "$EP" --seed 2024 || fail "equal-preference --seed 2024 exited $?"
if cmp -s "$WORK/a/equal-preference.jsonl" "$WORK/s2024/equal-preference.jsonl" &&
    cmp -s "$WORK/a/equal-preference.pcap" "$WORK/s2024/equal-preference.pcap"; then
	echo "check: --seed 2024 equals the scenario's own seed 2024: ok"
else
	fail "--seed 2024 differs from the scenario's own seed = 2024"
fi

# Another seed: another shuffle, and the expectations still hold.
if run "$WORK/s5" "$EP" --seed 5; then
	echo "check: equal-preference --seed 5 passes (exit 0): ok"
else
	fail "equal-preference --seed 5 exited $?, want 0"
	cat "$WORK/s5/equal-preference.out" "$WORK/s5/equal-preference.err"
fi
check_trace "$WORK/s5/equal-preference.jsonl" && echo "check: --seed 5 trace shape: ok"
if cmp -s "$WORK/a/equal-preference.jsonl" "$WORK/s5/equal-preference.jsonl"; then
	fail "equal-preference: --seed 5 gives the same trace as seed 2024"
else
	echo "check: --seed 5 changes the trace: ok"
fi
if grep -q '"type":"run\.start".*"seed":5[,}]' "$WORK/s5/equal-preference.jsonl"; then
	echo "check: run.start records seed 5: ok"
else
	fail "the run.start line of the --seed 5 trace does not say \"seed\":5"
fi
# And the same other seed twice is still the same.
mkdir -p "$WORK/s5b"
run "$WORK/s5b" "$EP" --seed 5 || fail "equal-preference --seed 5 (again) exited $?"
if cmp -s "$WORK/s5/equal-preference.jsonl" "$WORK/s5b/equal-preference.jsonl" &&
    cmp -s "$WORK/s5/equal-preference.pcap" "$WORK/s5b/equal-preference.pcap"; then
	echo "check: --seed 5 twice is byte-identical: ok"
else
	fail "equal-preference --seed 5 twice gives different outputs"
fi

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

if [ $failed -ne 0 ]; then
	echo "FAIL: determinism checks failed"
	exit 1
fi
echo "ok"
