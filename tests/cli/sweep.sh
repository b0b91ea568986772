#!/bin/sh
# tests/cli/sweep.sh - seeded sweeps: mxsim sweep and mxsim merge
# (docs/sweep.md).
#
# What must hold:
#  - a run depends only on (scenario, variant, seed): the same table and
#    the same result file at --jobs 1 and --jobs 2, and the shards 0/3,
#    1/3, 2/3 merged (in any order) give byte for byte what one run gives;
#  - CSV (RFC 4180) and JSON parse, with the documented columns and keys;
#    the SVG plot is well-formed XML that rsvg-convert rasterises;
#  - an analytic case: one MX whose random outage (mtbf 3h, mttr 1h) makes
#    it up a fraction mtbf / (mtbf + mttr) = 0.75 of the time; the share
#    of runs delivered on the first attempt lands in the central 99 %
#    interval of Binomial(n, p);
#  - a -D grid over a declared param gives each point its own analytic
#    value; a --knob grid changes exactly what the knob governs;
#  - a --profiles grid gives each sender the profile as compare mode does
#    (the same numbers as the scenario edited to name that profile), and
#    combines with -D and --knob in the documented order;
#  - the plot gives every curve its own colour and dash and a legend line;
#  - the GNU parallel example of docs/sweep.md, run as written (small N),
#    and the SLURM script's command under the variables SLURM sets, merge
#    to exactly the one-run results;
#  - the shard hash covers every file the scenario loaded (included
#    files, zone master files), not the paths it was run from;
#  - bad input exits 2 with a message and leaves no file behind.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
cd "$WORK" || exit 1
ok() { echo "check: $*: ok"; }

S3=$SRC/scenarios/sweep-three-mx.lua
N=120

# --- the same results whatever the workers --------------------------------

"$MXSIM" sweep "$S3" --runs $N --jobs 1 --deadline 1m,1h --out j1.sweep \
	--csv j1.csv --json j1.json --plot j1.svg >j1.txt 2>j1.err ||
	fail "sweep --jobs 1 exited $?: $(cat j1.err)"
"$MXSIM" sweep "$S3" --runs $N --jobs 2 --deadline 1m,1h --out j2.sweep \
	--csv j2.csv --json j2.json >j2.txt 2>j2.err ||
	fail "sweep --jobs 2 exited $?: $(cat j2.err)"
for f in txt sweep csv json; do
	cmp -s j1.$f j2.$f && ok "--jobs 1 and --jobs 2 give the same .$f" ||
		fail "--jobs 1 and --jobs 2 differ in .$f"
done
# stderr is not a terminal here: no progress bar.
[ ! -s j1.err ] && ok "no progress bar when stderr is not a terminal" ||
	fail "stderr not empty: $(cat j1.err)"
# The seeds are the scenario's (3) onwards: runs 0..N-1 are seeds 3..N+2.
grep -q "^Sweep of sweep-three-mx: $N runs (seeds 3-$((N + 2))), 1 variant" j1.txt &&
	ok "table header names runs and seeds" || { fail "table header"; cat j1.txt; }
[ "$(grep -c '^r ' j1.sweep)" = $N ] && ok "one outcome per run in the result file" ||
	fail "result file has $(grep -c '^r ' j1.sweep) records, want $N"

# --- shards merged == one run -----------------------------------------------

for i in 0 1 2; do
	"$MXSIM" sweep "$S3" --runs $N --jobs 2 --deadline 1m,1h --shard $i/3 \
		--out s$i.sweep >s$i.txt 2>&1 || fail "shard $i/3 exited $?: $(cat s$i.txt)"
done
# Contiguous blocks of 40 runs each: seeds 3-42, 43-82, 83-122.
grep -q "^shard 1/3: runs 40-79 (seeds 43-82)" s1.txt &&
	ok "shard 1/3 runs the middle block" || { fail "shard 1/3 slice"; cat s1.txt; }
"$MXSIM" merge s2.sweep s0.sweep s1.sweep --out m.sweep --csv m.csv \
	--json m.json >m.txt 2>m.err || fail "merge exited $?: $(cat m.err)"
for f in txt sweep csv json; do
	cmp -s j1.$f m.$f && ok "shards 0/3 1/3 2/3 merged give the one-run .$f" ||
		{ fail "merged shards differ from one run in .$f"; diff j1.$f m.$f | head; }
done

# --- CSV, JSON, SVG ----------------------------------------------------------

python3 - j1.csv j1.json <<'PY' && ok "CSV and JSON parse with the documented fields" || fail "CSV/JSON"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
for k in ("variant", "sender", "profile", "recipient", "samples",
          "delivered", "bounced", "deferred", "mean_attempts", "p50_s",
          "p90_s", "p99_s", "max_s", "within_1m", "within_1m_lo",
          "within_1m_hi", "within_1h", "within_1h_lo", "within_1h_hi"):
    assert k in r, k
assert (r["variant"], r["sender"], r["profile"], r["recipient"]) == \
    ("default", "mta", "rfc5321", "bob@example.test"), r
n = int(r["samples"])
assert n == 120 and int(r["delivered"]) + int(r["bounced"]) + int(r["deferred"]) == n
lo, f, hi = float(r["within_1h_lo"]), float(r["within_1h"]), float(r["within_1h_hi"])
assert 0 <= lo <= f <= hi <= 1, (lo, f, hi)
assert float(r["p50_s"]) <= float(r["p90_s"]) <= float(r["p99_s"]) <= float(r["max_s"])
j = json.load(open(sys.argv[2]))
assert j["scenario"] == "sweep-three-mx" and j["runs"] == 120 and j["seed"] == 3
assert j["deadlines_s"] == [60.0, 3600.0]
row = j["variants"][0]["rows"][0]
assert row["samples"] == n and row["recipient"] == "bob@example.test"
w = row["within"][1]
assert w["deadline_s"] == 3600.0 and abs(w["fraction"] - f) < 1e-9
assert abs(row["latency_s"]["p90"] - float(r["p90_s"])) < 1e-9
PY
if xmllint --noout j1.svg 2>svg.err; then
	ok "the plot is well-formed XML"
else
	fail "xmllint: $(cat svg.err)"
fi
if rsvg-convert j1.svg -o j1.png 2>svg.err && [ -s j1.png ]; then
	ok "rsvg-convert rasterises the plot"
else
	fail "rsvg-convert: $(cat svg.err)"
fi

# --- an analytic case ---------------------------------------------------------

# One MX, down at random with mtbf 3h and mttr 1h (exponential up and down
# times, docs/scenario-reference.md "Random outages"); the message leaves at
# 10h.  An alternating renewal process that starts up is up at t with
# probability A + (1 - A) exp(-(1/mtbf + 1/mttr) t), A = mtbf / (mtbf +
# mttr) = 0.75 (Ross, Introduction to Probability Models, §7.5); at 10h the
# second term is e^-13.3 < 2e-6.  The first attempt also succeeds when a
# down MX comes back before the SYN sent at 15 s (the kernel's 1, 2, 4, 8 s
# backoff; the rfc5321 profile's 30 s connect timeout ends the attempt
# before the next SYN at 31 s): exp(-15s / 1h) gives 0.25 * (1 - e^(-1/240))
# = 0.00104 more.  p = 0.75104.  A failed first attempt waits for the retry
# at 30m (rfc5321 profile retry = { 30m, 2h }), so "within 1m" and "within
# 29m" count the same runs: the first attempt's successes.
cat >one-mx.lua <<'LUA'
scenario "one-mx-random" { seed = 1, stop_at = "11h" }
zone "example.test" {
  { "@", "NS", "ns1" }, { "@", "MX", 10, "mx1" },
  { "ns1", "A", "192.0.2.53" }, { "mx1", "A", "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
outage "mx1" { kind = "down", model = "random", mtbf = "3h", mttr = "1h" }
message { at = "10h", from = "alice@sender.test", to = "bob@example.test" }
LUA
NA=400
"$MXSIM" sweep one-mx.lua --runs $NA --deadline 1m,29m,31m --csv one.csv \
	--quiet 2>one.err || fail "analytic sweep exited $?: $(cat one.err)"
python3 - one.csv $NA <<'PY' && ok "analytic case: first-attempt deliveries in the binomial 99 % interval" || fail "analytic case"
import csv, math, sys
r = next(csv.DictReader(open(sys.argv[1], newline="")))
n = int(sys.argv[2])
assert int(r["samples"]) == n
k = round(float(r["within_1m"]) * n)
k29 = round(float(r["within_29m"]) * n)
assert k == k29, (k, k29)   # nothing between the first attempt and 30m
p = 0.75 + 0.25 * (1 - math.exp(-15 / 3600))
def cdf(x):
    return sum(math.comb(n, i) * p**i * (1 - p)**(n - i) for i in range(x + 1))
lo = next(x for x in range(n + 1) if cdf(x) >= 0.005)
hi = next(x for x in range(n + 1) if cdf(x) >= 0.995)
print("    first attempt: %d of %d (%.3f), Binomial(%d, %.5f) 99%% interval [%d, %d]"
      % (k, n, k / n, n, p, lo, hi))
assert lo <= k <= hi, (k, lo, hi)
# The ones that missed it were delivered by the retry at 30m + the 30 s
# timeout of the first attempt, unless the MX was still down then.
k31 = round(float(r["within_31m"]) * n)
assert k31 > k, (k31, k)
PY

# The same case as a -D grid over the scenario's param (the param feature):
# mttr = 1h gives p = 0.75104 as above; mttr = 3h gives A = 3h / 6h = 0.5
# and 0.5 * (1 - exp(-15s / 3h)) = 0.00069 more.  Each variant runs the
# same seeds (1..400).
sed -e 's/mttr = "1h"/mttr = mttr/' -e '1i\
local mttr = param "mttr" { default = "1h", description = "mx1 repair time" }' \
	one-mx.lua >one-mx-param.lua
"$MXSIM" sweep one-mx-param.lua --runs $NA -D mttr=1h,3h --deadline 1m \
	--csv onep.csv --quiet 2>onep.err || fail "-D sweep exited $?: $(cat onep.err)"
python3 - onep.csv one.csv $NA <<'PY' && ok "-D grid: each point in its binomial 99 % interval" || fail "-D grid"
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
plain = next(csv.DictReader(open(sys.argv[2], newline="")))
n = int(sys.argv[3])
assert [r["variant"] for r in rows] == ["mttr=1h", "mttr=3h"], rows
# mttr=1h is the scenario above: the same seeds, the same outcomes.
assert rows[0]["within_1m"] == plain["within_1m"], (rows[0], plain)
for r, mttr in zip(rows, (3600.0, 10800.0)):
    A = 3 * 3600.0 / (3 * 3600.0 + mttr)
    p = A + (1 - A) * (1 - math.exp(-15 / mttr))
    k = round(float(r["within_1m"]) * n)
    cdf = lambda x: sum(math.comb(n, i) * p**i * (1 - p)**(n - i) for i in range(x + 1))
    lo = next(x for x in range(n + 1) if cdf(x) >= 0.005)
    hi = next(x for x in range(n + 1) if cdf(x) >= 0.995)
    print("    %s: %d of %d, Binomial(%d, %.5f) 99%% interval [%d, %d]" % (r["variant"], k, n, n, p, lo, hi))
    assert lo <= k <= hi, (r["variant"], k, lo, hi)
PY

# --- a knob grid ----------------------------------------------------------------

# A down first MX costs the connect timeout before the next one is tried
# (rfc5321 profile connect_timeout, Postfix smtp_connect_timeout): the p90
# of sweep-three-mx falls in the runs where exactly that happened, so it
# is connect_timeout plus the same delivery as the p50's (one MX up at
# once).
"$MXSIM" sweep "$S3" --runs $N --knob connect_timeout=10s,30s --csv k.csv \
	--json k.json >k.txt 2>k.err || fail "knob sweep exited $?: $(cat k.err)"
python3 - k.csv k.json <<'PY' && ok "--knob grid: two variants, p90 = connect_timeout + p50" || fail "knob grid"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["variant"] for r in rows] == ["connect_timeout=10s", "connect_timeout=30s"], rows
for r, ct in zip(rows, (10, 30)):
    d = float(r["p90_s"]) - float(r["p50_s"])
    assert abs(d - ct) < 1e-6, (r["variant"], d)
j = json.load(open(sys.argv[2]))
assert [v["knobs"] for v in j["variants"]] == [{"connect_timeout": "10s"}, {"connect_timeout": "30s"}]
PY
# The 30s variant is the scenario as written: the same numbers as no grid.
sed -n 2p k.csv | cut -d, -f5- >k30.row
sed -n 3p k.csv | cut -d, -f5- >k30b.row
"$MXSIM" sweep "$S3" --runs $N --csv plain.csv --quiet
sed -n 2p plain.csv | cut -d, -f5- >plain.row
cmp -s k30b.row plain.row && ok "the grid's connect_timeout=30s row equals the plain sweep" ||
	fail "connect_timeout=30s differs from the scenario's own value (30s)"

# --- a grid of profiles ----------------------------------------------------------

# --profiles gives every sender role the named profile, as 'mxsim compare'
# does (script/scenario.h struct mxl_override): the scenario's own knob
# overrides still apply on top.  The p90 of sweep-three-mx falls in the runs
# where one down MX was tried first (the knob grid above): p90 - p50 is the
# time a sender spends on a dead MX.  rfc5321: connect_timeout 30 s (its
# profile); postfix: smtp_connect_timeout = 30s (mta-behavior.md §4.1,
# mail_params.h); exim: connect_timeout = 5m, but Linux gives up the SYNs
# first, after 127 s (tcp_syn_retries = 6, "the final timeout for an active
# TCP connection attempt will happen after 127 seconds",
# Documentation/networking/ip-sysctl.rst; mta-behavior.md "Silent drop").
"$MXSIM" sweep "$S3" --runs $N --profiles rfc5321,postfix,exim --csv pr.csv \
	--json pr.json --out pr.sweep >pr.txt 2>pr.err ||
	fail "--profiles sweep exited $?: $(cat pr.err)"
python3 - pr.csv pr.json <<'PY' && ok "--profiles grid: one variant per profile, p90 - p50 = each one's time on a dead MX" || fail "profiles grid"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert [(r["variant"], r["profile"]) for r in rows] == [
    ("profile=rfc5321", "rfc5321"), ("profile=postfix", "postfix"),
    ("profile=exim", "exim")], rows
for r, dead in zip(rows, (30, 30, 127)):
    d = float(r["p90_s"]) - float(r["p50_s"])
    assert abs(d - dead) < 1e-6, (r["variant"], d)
j = json.load(open(sys.argv[2]))
assert [v["knobs"] for v in j["variants"]] == [{"profile": p} for p in ("rfc5321", "postfix", "exim")]
assert [v["rows"][0]["profile"] for v in j["variants"]] == ["rfc5321", "postfix", "exim"]
PY
# The override is what editing the scenario would do: each variant's row
# has the numbers of a plain sweep of a copy that names that profile.
for p in rfc5321 postfix exim; do
	sed "s/profile = \"rfc5321\"/profile = \"$p\"/" "$S3" >three-$p.lua
	"$MXSIM" sweep three-$p.lua --runs $N --csv three-$p.csv --quiet ||
		fail "sweep of three-$p.lua exited $?"
	grep "^profile=$p," pr.csv | cut -d, -f3- >pr-$p.row
	sed -n 2p three-$p.csv | cut -d, -f3- >three-$p.row
	[ -s pr-$p.row ] && cmp -s pr-$p.row three-$p.row &&
		ok "profile=$p row = the scenario edited to profile \"$p\"" ||
		fail "profile=$p differs from the edited scenario: $(cat pr-$p.row) / $(cat three-$p.row)"
done
# Shards of a profile grid merge to the one run (the 'profile' lines too).
"$MXSIM" sweep "$S3" --runs $N --profiles rfc5321,postfix,exim --shard 0/2 \
	--out prs0.sweep --quiet && "$MXSIM" sweep "$S3" --runs $N \
	--profiles rfc5321,postfix,exim --shard 1/2 --out prs1.sweep --quiet &&
	"$MXSIM" merge prs1.sweep prs0.sweep --out prm.sweep --quiet ||
	fail "profile grid shards or merge failed"
cmp -s pr.sweep prm.sweep && ok "profile grid: shards merged = one run" ||
	fail "profile grid: merged shards differ from one run"
grep -q '^profile 2 0 exim$' pr.sweep && ok "result file names variant 2's profile" ||
	fail "no 'profile 2 0 exim' line in pr.sweep"

# All three kinds of axis: -D first, then the profiles, then the knobs; the
# last varies fastest.  On the one-MX case the first attempt decides
# "within 1m" for every variant: the connect timeout (the knob, over the
# profile's: at most 30 s) ends a failed attempt before 1m, and the next
# attempt comes much later (rfc5321 retry 30m; exim retry rule F,2h,15m:
# 15 min, mta-behavior.md §4.5).  A down MX still answers a SYN sent
# before the timeout when it comes back: with SYNs at 0, 1, 3, 7, 15 s
# (Linux initial RTO 1 s, doubling; ip-sysctl.rst) the last one inside a
# 10 s timeout leaves at 7 s, inside 30 s at 15 s, so
# p = A + (1 - A)(1 - exp(-last / mttr)), A = 3h / (3h + mttr).
"$MXSIM" sweep one-mx-param.lua --runs $NA -D mttr=1h,3h --profiles rfc5321,exim \
	--knob connect_timeout=10s,30s --deadline 1m --csv grid.csv --quiet \
	2>grid.err || fail "-D/--profiles/--knob sweep exited $?: $(cat grid.err)"
python3 - grid.csv onep.csv $NA <<'PY' && ok "-D x --profiles x --knob: labels in order, each point in its binomial 99 % interval" || fail "combined grid"
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
onep = {r["variant"]: r for r in csv.DictReader(open(sys.argv[2], newline=""))}
n = int(sys.argv[3])
want = ["mttr=%s profile=%s connect_timeout=%s" % (m, p, c)
        for m in ("1h", "3h") for p in ("rfc5321", "exim") for c in ("10s", "30s")]
assert [r["variant"] for r in rows] == want, [r["variant"] for r in rows]
assert [r["profile"] for r in rows] == ["rfc5321", "rfc5321", "exim", "exim"] * 2
for r in rows:
    mttr = 3600.0 if "mttr=1h" in r["variant"] else 10800.0
    last = 7.0 if "connect_timeout=10s" in r["variant"] else 15.0
    A = 3 * 3600.0 / (3 * 3600.0 + mttr)
    p = A + (1 - A) * (1 - math.exp(-last / mttr))
    k = round(float(r["within_1m"]) * n)
    cdf = lambda x: sum(math.comb(n, i) * p**i * (1 - p)**(n - i) for i in range(x + 1))
    lo = next(x for x in range(n + 1) if cdf(x) >= 0.005)
    hi = next(x for x in range(n + 1) if cdf(x) >= 0.995)
    print("    %s: %d of %d, Binomial(%d, %.5f) 99%% interval [%d, %d]" % (r["variant"], k, n, n, p, lo, hi))
    assert lo <= k <= hi, (r["variant"], k, lo, hi)
# rfc5321 with its own 30 s is the -D sweep above, seed for seed.
for m in ("1h", "3h"):
    a = next(r for r in rows if r["variant"] == "mttr=%s profile=rfc5321 connect_timeout=30s" % m)
    assert a["within_1m"] == onep["mttr=" + m]["within_1m"], m
PY

# --- the plot with several variants ---------------------------------------------

"$MXSIM" sweep "$S3" --runs 40 --profiles rfc5321,postfix,exim \
	--knob connect_timeout=10s,30s --plot six.svg --quiet ||
	fail "six-variant plot sweep exited $?"
python3 - six.svg <<'PY' && ok "plot: 6 curves, each its own (colour, dash), a legend line each, inside the picture" || fail "plot legend"
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.w3.org/2000/svg"}
root = ET.parse(sys.argv[1]).getroot()
curves = root.findall("s:polyline", ns)
style = lambda e: (e.get("stroke"), e.get("stroke-dasharray", ""))
assert len(curves) == 6, len(curves)
assert len({style(c) for c in curves}) == 6, [style(c) for c in curves]
assert len({c for c, d in map(style, curves)}) == 6     # colours alone
assert len({d for c, d in map(style, curves)}) == 4     # every dash used
texts = [t.text for t in root.findall("s:text", ns)]
labels = [t for t in texts if t and t.startswith("profile=")]
assert labels[0] == "profile=rfc5321 connect_timeout=10s (100.0% delivered)", labels
assert len(labels) == 6, labels
# Each legend sample is drawn in its curve's style, in the same order.
samples = [l for l in root.findall("s:line", ns) if l.get("stroke-width") == "2"]
assert [style(l) for l in samples] == [style(c) for c in curves]
h = float(root.get("height"))
assert all(float(t.get("y")) <= h for t in root.findall("s:text", ns)), h
PY
rsvg-convert six.svg -o six.png 2>svg.err && [ -s six.png ] &&
	ok "rsvg-convert rasterises the six-variant plot" || fail "rsvg-convert six.svg: $(cat svg.err)"

# --- GNU parallel and SLURM, as docs/sweep.md shows them -------------------------

# The documented commands, extracted from docs/sweep.md (the block after
# its "test: parallel" marker) and run with a small N: the merge must give
# what one run gives, byte for byte.  'mxsim' is found on PATH as the doc
# assumes.
mkdir -p bin && ln -sf "$MXSIM" bin/mxsim
NP=96
"$MXSIM" sweep "$S3" --runs $NP --csv one.csv --json one.json --plot one.svg \
	--out one.sweep >one.txt || fail "one-run sweep for the doc examples"
doc_block() { # the fenced block after "<!-- test: $1 -->"
	awk -v m="<!-- test: $1 -->" '$0 == m { on = 1; next }
		on && /^```/ { if (in_) exit; in_ = 1; next } in_ { print }' \
		"$SRC/docs/sweep.md"
}
if ! parallel --version 2>/dev/null | grep -q "GNU parallel"; then
	fail "GNU parallel is missing (Debian package 'parallel': scripts/install-deps.sh)"
else
	mkdir gp && doc_block parallel >gp/example.sh
	sed -i -e "s|^S=[^ ]*|S=$S3|" -e "s|N=100000|N=$NP|" gp/example.sh
	grep -q "^S=$S3 N=$NP\$" gp/example.sh && grep -q '^parallel ' gp/example.sh ||
		fail "docs/sweep.md: the parallel example lost its 'S=... N=100000' line or its parallel command"
	(cd gp && PATH="$WORK/bin:$PATH" sh -e example.sh >merge.txt 2>merge.err </dev/null) ||
		fail "the documented GNU parallel example failed: $(cat gp/merge.err)"
	[ "$(ls gp/shard-*.sweep | wc -l)" = 8 ] && ok "GNU parallel ran the 8 documented shards" ||
		fail "GNU parallel left $(ls gp/shard-*.sweep | wc -l) shard files"
	cmp -s one.txt gp/merge.txt && cmp -s one.csv gp/result.csv &&
		cmp -s one.json gp/result.json && cmp -s one.svg gp/cdf.svg &&
		ok "GNU parallel example: table, CSV, JSON and SVG = one run's, byte for byte" ||
		fail "GNU parallel example differs from one run"
fi
# SLURM needs a cluster (slurmctld and slurmd): sbatch cannot run here.
# What can run is the job script's command under the variables SLURM
# sets for each task of the array (sbatch(1), "OUTPUT ENVIRONMENT
# VARIABLES"), then the merge.
mkdir sl && doc_block slurm >sl/job.sh
sed -i -e "s|--runs 1000000|--runs $NP|" -e "s| sweep-three-mx.lua| $S3|" sl/job.sh
grep -q -- "--runs $NP" sl/job.sh && grep -q "$S3" sl/job.sh ||
	fail "docs/sweep.md: the SLURM script lost 'sweep-three-mx.lua --runs 1000000'"
for t in 0 1 2 3; do
	(cd sl && SLURM_ARRAY_TASK_ID=$t SLURM_ARRAY_TASK_COUNT=4 \
		SLURM_CPUS_PER_TASK=2 PATH="$WORK/bin:$PATH" sh -e job.sh) ||
		fail "the SLURM job script failed as task $t"
done
(cd sl && "$MXSIM" merge shard-*.sweep --out merged.sweep >merge.txt) &&
	cmp -s one.sweep sl/merged.sweep && cmp -s one.txt sl/merge.txt &&
	ok "SLURM script as tasks 0-3 of 4, merged = one run" || fail "SLURM script emulation"

# --- the hash covers every file the scenario loaded ------------------------------

# A scenario in a folder of its own, with an included file that declares
# nothing (it returns the outage's rates) and a zone master file: a shard
# run after either changed is another sweep.
mkdir -p site/lib site/zones
cat >site/lib/rates.lua <<'LUA'
return { mtbf = "3h", mttr = "1h" }
LUA
cat >site/zones/example.test.zone <<'ZONE'
$ORIGIN example.test.
$TTL 1h
@    IN NS ns1
@    IN MX 10 mx1
ns1  IN A  192.0.2.53
mx1  IN A  192.0.2.10
ZONE
cat >site/main.lua <<'LUA'
local rates = include "lib/rates.lua"
scenario "one-mx-files" { seed = 1, stop_at = "11h" }
zone "example.test" { file = "zones/example.test.zone" }
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }
outage "mx1" { kind = "down", model = "random", mtbf = rates.mtbf, mttr = rates.mttr }
message { at = "10h", from = "alice@sender.test", to = "bob@example.test" }
LUA
"$MXSIM" sweep site/main.lua --runs 10 --shard 0/2 --out h0.sweep --quiet 2>h.err ||
	fail "site/main.lua sweep exited $?: $(cat h.err)"
# The same files reached by another path: the same sweep.
(cd site && "$MXSIM" sweep main.lua --runs 10 --shard 1/2 --out ../h1.sweep --quiet) ||
	fail "site/main.lua from its folder"
"$MXSIM" merge h0.sweep h1.sweep --quiet && ok "hash: the same files from another working directory merge" ||
	fail "hash depends on the path the scenario was run by"
sed -i 's/mttr = "1h"/mttr = "2h"/' site/lib/rates.lua
"$MXSIM" sweep site/main.lua --runs 10 --shard 1/2 --out h1i.sweep --quiet
"$MXSIM" merge h0.sweep h1i.sweep --quiet 2>hm.err
[ $? = 2 ] && grep -q "is from another sweep" hm.err &&
	ok "hash: an edited included file (that declares nothing) is another sweep" ||
	fail "a shard run after editing lib/rates.lua merged: $(cat hm.err)"
sed -i 's/mttr = "2h"/mttr = "1h"/' site/lib/rates.lua
sed -i 's/^\$TTL 1h/$TTL 2h/' site/zones/example.test.zone
"$MXSIM" sweep site/main.lua --runs 10 --shard 1/2 --out h1z.sweep --quiet
"$MXSIM" merge h0.sweep h1z.sweep --quiet 2>hm.err
[ $? = 2 ] && grep -q "is from another sweep" hm.err &&
	ok "hash: an edited zone master file is another sweep" ||
	fail "a shard run after editing the zone file merged: $(cat hm.err)"

# --- bad input: exit 2, a message, no file ------------------------------------

mkdir bad && cd bad || exit 1
bad() {
	_want=$1
	shift
	"$MXSIM" "$@" >out 2>err
	_rc=$?
	if [ $_rc -ne 2 ]; then
		fail "mxsim $*: exit $_rc, want 2"
	elif ! grep -q -- "$_want" err; then
		fail "mxsim $*: stderr lacks '$_want': $(cat err)"
	else
		ok "mxsim $* -> 2, '$_want'"
	fi
}
bad "--runs N is required" sweep "$S3"
bad "--runs needs a whole number" sweep "$S3" --runs 0
bad "--runs needs a whole number" sweep "$S3" --runs 12x
bad "--jobs needs a whole number" sweep "$S3" --runs 3 --jobs 0
bad "--shard needs I/N" sweep "$S3" --runs 3 --shard 3/3 --out x
bad "--shard needs I/N" sweep "$S3" --runs 3 --shard 1 --out x
bad "--shard needs --out" sweep "$S3" --runs 3 --shard 0/2
bad "--deadline: 'soon' is not a positive duration" sweep "$S3" --runs 3 --deadline 1h,soon
bad "no param 'nosuch'" sweep "$WORK/one-mx-param.lua" --runs 3 -D nosuch=1,2
bad "bad duration" sweep "$WORK/one-mx-param.lua" --runs 3 -D mttr=1h,abc
bad "no sender knob named 'conect_timeout'" sweep "$S3" --runs 3 --knob conect_timeout=1s
bad "'fast' is not a valid value" sweep "$S3" --runs 3 --knob connect_timeout=fast
bad "needs exactly one scenario file" sweep --runs 3
bad "cannot" sweep "$WORK/nonexistent.lua" --runs 3 --csv x.csv
bad "needs the shard files" merge
"$MXSIM" sweep "$S3" --runs 10 --shard 0/2 --out a0 >/dev/null
"$MXSIM" sweep "$S3" --runs 10 --shard 1/2 --out a1 >/dev/null
"$MXSIM" sweep "$S3" --runs 12 --shard 1/2 --out b1 >/dev/null
bad "shard 1/2 is missing" merge a0 --csv x.csv
bad "given twice" merge a0 a0 a1
bad "is from another sweep" merge a0 b1 --json x.json
head -n 8 a1 >trunc
bad "truncated" merge a0 trunc
grep -v '^end' a1 >noend
bad "no 'end' line" merge a0 noend
sed 's/^r 5 /r 0 /' a1 >outside
bad "out of range" merge a0 outside
bad "not an mxsim sweep file" merge "$S3"
sed '1s/ 2$/ 1/' a1 >v1
bad "version 2" merge a0 v1
bad "no profile named 'postfx' (did you mean 'postfix'?)" sweep "$S3" --runs 3 --profiles rfc5321,postfx
bad "'exim' is listed twice" sweep "$S3" --runs 3 --profiles exim,exim
bad "--profiles-for needs --profiles" sweep "$S3" --runs 3 --profiles-for mta
bad "host 'ns1' has no sender role" sweep "$S3" --runs 3 --profiles exim --profiles-for ns1
bad "no host named 'mtx' (did you mean 'mta'?)" sweep "$S3" --runs 3 --profiles exim --profiles-for mtx
left=$(ls -A | grep -v -x -e out -e err -e a0 -e a1 -e b1 -e trunc -e noend -e outside -e v1)
[ -z "$left" ] && ok "failed commands wrote no file" || fail "left behind: $left"
cd ..

# --- quiet ---------------------------------------------------------------------

"$MXSIM" sweep "$S3" --runs 5 --quiet >q.out 2>&1
[ $? -eq 0 ] && [ ! -s q.out ] && ok "--quiet prints nothing" || fail "--quiet printed: $(cat q.out)"

[ $failed = 0 ] || { echo "FAIL: sweep tests failed"; exit 1; }
echo "sweep: all checks passed"
