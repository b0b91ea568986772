#!/bin/sh
# tests/cli/labs.sh - the classroom labs (labs/README.md) and 'mxsim lab'.
#
# For every labs/NN-*/ folder and two student IDs:
#  - 'lab make --key' writes the variant and its key; making it again for
#    the same ID gives identical bytes, the other ID a different variant;
#  - the variant runs with 'mxsim run' and exits 0 (its expectations hold);
#  - the key's extra runs ("# run NAME <tab> -D P=V ..." lines, lab.lua's
#    runs) run too, with those options, each to its own capture;
#  - every capture question of the key (a "# capture N <tab> take <tab>
#    field <tab> filter <tab> run [<tab> extract]" line) is answered again
#    with tshark from that run's capture: take first/last = that frame's
#    first occurrence of the field, list = every occurrence in the first
#    frame, count = the number of frames, span = the last frame's value
#    minus the first's (frame.time_relative: the time between them);
#    'extract' (an ERE with one group) keeps the group's text of the
#    value; those answers replace the key's and 'lab check' must still
#    accept them (same tolerances as students get);
#  - a lab with a sweep (a "# sweep <tab> OPTIONS" line): the variant is
#    swept with 'mxsim sweep scenario.lua OPTIONS --csv', as its handout
#    says, and every "# sweepcell N <tab> variant <tab> column <tab>
#    scale" answer is replaced by that CSV cell times scale: 'lab check'
#    must accept those too;
#  - 'lab check' accepts the key (exit 0) and rejects a wrong answer to
#    the first question (exit 1, that question marked wrong, others right);
#  - a malformed answers file is bad input (exit 2).
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
cd "$WORK" || exit 1

TAB=$(printf '\t')

# The value tshark gives for one capture line of a key.
tshark_value() { # capture take field filter
	case $2 in
	count)
		tshark -n -r "$1" -Y "$4" -T fields -e frame.number | wc -l |
		    tr -d ' '
		;;
	list)
		tshark -n -r "$1" -Y "$4" -T fields -e "$3" | head -n 1
		;;
	first)
		tshark -n -r "$1" -Y "$4" -T fields -E occurrence=f -e "$3" |
		    head -n 1
		;;
	last)
		tshark -n -r "$1" -Y "$4" -T fields -E occurrence=f -e "$3" |
		    tail -n 1
		;;
	span)
		tshark -n -r "$1" -Y "$4" -T fields -E occurrence=f -e "$3" |
		    awk 'NR == 1 { a = $1 } NF { b = $1 } END {
			if (NR > 1) printf "%.6f\n", b - a }'
		;;
	esac
}

# The cell of a sweep CSV (docs/sweep.md) in row 'variant', column
# 'column', times 'scale'; the labs' variant labels hold no comma.
sweep_cell() { # csv variant column scale
	awk -F, -v v="$2" -v c="$3" -v k="$4" '
	NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) col = i; next }
	$1 == v && col { printf "%.6f\n", $col * k; found = 1; exit }
	END { if (!found) exit 1 }' "$1"
}

nlabs=0
ncapture=0
nsweep=0
ncell=0
for labdir in "$SRC"/labs/[0-9][0-9]-*/; do
	lab=$(basename "$labdir")
	nlabs=$((nlabs + 1))
	for id in s0001 s0002; do
		v="$WORK/$lab-$id"
		if ! "$MXSIM" lab make "$labdir" --student "$id" --out "$v" \
		    --key >/dev/null; then
			fail "$lab $id: lab make"
			continue
		fi
		"$MXSIM" lab make "$labdir" --student "$id" --out "$v.again" \
		    --key >/dev/null || fail "$lab $id: lab make again"
		cmp -s "$v/scenario.lua" "$v.again/scenario.lua" ||
		    fail "$lab $id: variant differs on a second make"
		cmp -s "$v/key.txt" "$v.again/key.txt" ||
		    fail "$lab $id: key differs on a second make"
		(cd "$v" && "$MXSIM" run scenario.lua --quiet \
		    --capture main.pcapng) || fail "$lab $id: variant run"
		grep "^# run " "$v/key.txt" | sed 's/^# run //' >"$v/run.lines"
		while IFS="$TAB" read -r name opts; do
			# shellcheck disable=SC2086 # opts: -D P=V words
			(cd "$v" && "$MXSIM" run scenario.lua --quiet $opts \
			    --capture "$name.pcapng" >/dev/null) ||
			    fail "$lab $id: run $name ($opts)"
		done <"$v/run.lines"
		# Capture questions: the key's answer, re-derived with tshark
		# (the calls run side by side: tshark's start-up dominates).
		cp "$v/key.txt" "$v/tshark.txt"
		grep "^# capture " "$v/key.txt" | sed 's/^# capture //' \
		    >"$v/capture.lines"
		while IFS="$TAB" read -r n take field filter run extract; do
			[ -f "$v/$run.pcapng" ] || fail "$lab $id q$n: no run '$run'"
			tshark_value "$v/$run.pcapng" "$take" "$field" \
			    "$filter" >"$v/q$n.raw" 2>"$v/q$n.err" &
		done <"$v/capture.lines"
		wait
		while IFS="$TAB" read -r n take field filter run extract; do
			if [ -n "$extract" ]; then
				sed -nE "s/$extract/\1/p" "$v/q$n.raw" >"$v/q$n.val"
			else
				cp "$v/q$n.raw" "$v/q$n.val"
			fi
			val=$(cat "$v/q$n.val")
			[ -n "$val" ] || echo "$lab $id q$n: tshark found" \
			    "nothing for '$filter': $(cat "$v/q$n.err")" >>"$v/tshark.err"
			sed "s|^$n: .*|$n: $val|" "$v/tshark.txt" \
			    >"$v/tshark.tmp" && mv "$v/tshark.tmp" "$v/tshark.txt"
		done <"$v/capture.lines"
		[ -s "$v/tshark.err" ] && fail "$(cat "$v/tshark.err")"
		# Sweep questions: the key's answer, re-derived from the CLI.
		sweep_opts=$(grep "^# sweep$TAB" "$v/key.txt" | cut -f2)
		if [ -n "$sweep_opts" ]; then
			nsweep=$((nsweep + 1))
			# shellcheck disable=SC2086 # sweep_opts: option words
			(cd "$v" && "$MXSIM" sweep scenario.lua $sweep_opts \
			    --jobs 2 --quiet --csv sweep.csv) ||
			    fail "$lab $id: mxsim sweep $sweep_opts"
			grep "^# sweepcell " "$v/key.txt" |
			    sed 's/^# sweepcell //' >"$v/sweep.lines"
			[ -s "$v/sweep.lines" ] ||
			    fail "$lab $id: a sweep and no sweep question"
			while IFS="$TAB" read -r n variant column scale; do
				val=$(sweep_cell "$v/sweep.csv" "$variant" \
				    "$column" "$scale") ||
				    fail "$lab $id q$n: no '$variant' in sweep.csv"
				sed "s|^$n: .*|$n: $val|" "$v/tshark.txt" \
				    >"$v/tshark.tmp" &&
				    mv "$v/tshark.tmp" "$v/tshark.txt"
				ncell=$((ncell + 1))
			done <"$v/sweep.lines"
		fi
		ncapture=$((ncapture + $(grep -c "^# capture " "$v/key.txt")))
		"$MXSIM" lab check "$labdir" --student "$id" "$v/tshark.txt" \
		    >"$v/tshark.out" ||
		    fail "$lab $id: the capture or sweep disagrees with the key:" \
		        "$(grep wrong "$v/tshark.out")" \
		        "$(diff "$v/key.txt" "$v/tshark.txt" | grep '^>')"
		"$MXSIM" lab check "$labdir" --student "$id" "$v/key.txt" \
		    >"$v/check.out" || fail "$lab $id: check rejects the key"
		# A wrong answer to the first question.
		first=$(grep -m1 '^[0-9]*:' "$v/key.txt" | cut -d: -f1)
		sed "s|^$first: .*|$first: 999999|" "$v/key.txt" >"$v/wrong.txt"
		if cmp -s "$v/key.txt" "$v/wrong.txt"; then
			fail "$lab $id: could not make a wrong answer"
		fi
		"$MXSIM" lab check "$labdir" --student "$id" "$v/wrong.txt" \
		    >"$v/wrong.out"
		[ $? -eq 1 ] || fail "$lab $id: check accepts a wrong answer"
		grep -q "^$first: wrong" "$v/wrong.out" ||
		    fail "$lab $id: question $first not marked wrong"
		[ "$(grep -c ': wrong' "$v/wrong.out")" -eq 1 ] ||
		    fail "$lab $id: more than one question marked wrong"
		grep -q "999999" "$v/wrong.out" &&
		    fail "$lab $id: the report repeats the answer"
	done
	cmp -s "$WORK/$lab-s0001/scenario.lua" "$WORK/$lab-s0002/scenario.lua" &&
	    fail "$lab: two students got the same variant"
done
[ "$nlabs" -ge 9 ] || fail "only $nlabs labs"
[ "$nsweep" -ge 2 ] || fail "only $nsweep sweeps re-derived"
[ "$ncapture" -ge "$nlabs" ] || fail "only $ncapture capture answers re-derived"

# Bad input: a line that is not 'N: answer', an unknown question.
lab1=$(ls -d "$SRC"/labs/01-*/)
printf '1: 15\nthis is not an answer\n' >bad1.txt
"$MXSIM" lab check "$lab1" --student s0001 bad1.txt >/dev/null 2>bad1.err
[ $? -eq 2 ] || fail "malformed answers not exit 2"
grep -q "line 2" bad1.err || fail "malformed answers: no line number"
printf '99: 1\n' >bad2.txt
"$MXSIM" lab check "$lab1" --student s0001 bad2.txt >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown question not exit 2"
"$MXSIM" lab check "$lab1" --student s0001 missing.txt >/dev/null 2>&1
[ $? -eq 2 ] || fail "missing answers file not exit 2"
"$MXSIM" lab make "$SRC/labs/99" --student x >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown lab not exit 2"
# Durations in any spelling, host names in any case, comments.
key="$WORK/$(basename "$lab1")-s0001/key.txt"
sed -e 's/^7: \(.*\)s$/7: 0m\1s   # the SYN/' -e 's/^5: \(.*\)/5: \U\1/' \
    "$key" >spell.txt
# Both rewrites must have matched, or the check below proves nothing.
[ "$(diff "$key" spell.txt | grep -c '^>')" -eq 2 ] ||
    fail "spell.txt: lab 1's key has no answer 7 in seconds or no answer 5"
"$MXSIM" lab check "$lab1" --student s0001 spell.txt >spell.out ||
    fail "check rejects 0m..s or an upper-case host: $(cat spell.out)"

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

echo "labs: $nlabs, capture answers checked with tshark: $ncapture," \
    "sweep answers checked with mxsim sweep: $ncell"
exit $failed
