#!/bin/sh
# tests/cli/params.sh - params (-D), include, math.random, and the editor
# annotations: the scenario language's reuse features
# (docs/scenario-reference.md "param", "include", "math.random", "Limits").
#
# Checks:
#  - param "name" { default = ... } returns its default, or the -D value
#    typed like the default (integer, number, duration, boolean, string);
#    'check --params' lists them with file:line, 'run' heads its narrative
#    with them, and the values change what the scenario declares (message
#    count and time in the narrative);
#  - -D errors: an unknown name suggests the closest param, a bad value
#    names the param and its declaration's file:line, malformed or
#    repeated -D are usage errors; all exit 2 with nothing on stdout;
#  - include: paths relative to the including file (nested includes, a
#    zone file next to the included file), return values, run from any
#    directory, an expectation declared in an included file reported with
#    that file's line after the run; errors inside included files name the
#    included file and line; cycles, depth, symbolic links out of the
#    folder and bytecode are refused;
#  - math.random: checked inside the scenario against a reference
#    xoshiro256** written in Lua from the published algorithm
#    (https://prng.di.unimi.it/, as sim/core/rng.c), for the scenario's
#    seed and for --seed; same seed, same draws; --seed changes them;
#  - lua/mxsim.meta.lua: Lua syntax, and names every declaration word,
#    every field the loader knows (sim/script/scenario.c) and every sender
#    knob (sim/mta/profile.c).
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
mkdir -p "$WORK/s/lib/zones" "$WORK/outside" || exit 1
S=$WORK/s

# mx ARGS...: common.sh's, but in $S (messages then name files relatively).
mx() {
	(cd "$S" && "$MXSIM" "$@") >"$OUT" 2>"$ERR"
	rc=$?
}

# same WHAT FILE EXPECTED: FILE's text is exactly EXPECTED.
same() {
	if [ "$(cat "$2")" = "$3" ]; then
		echo "check: $1: ok"
	else
		fail "$1"
		echo "    want:"
		printf '%s\n' "$3" | sed 's/^/      /'
		echo "    got:"
		sed 's/^/      /' "$2"
	fi
}

# rejected WHAT MESSAGE ARGS...: exit 2, nothing on stdout, and the first
# line of stderr is exactly MESSAGE.
rejected() {
	_what=$1
	_msg=$2
	shift 2
	mx "$@"
	if [ $rc -ne 2 ] || [ -s "$OUT" ] ||
	    [ "$(head -n 1 "$ERR")" != "$_msg" ]; then
		fail "$_what: want exit 2, no stdout, and '$_msg'"
		show
	else
		echo "check: $_what: exit 2, '$_msg': ok"
	fi
}

# --- the fixtures --------------------------------------------------------------

# One sender, one MX; the params decide how many messages, when, to whom.
cat >"$S/params.lua" <<'EOF'
scenario "params" { seed = 42, stop_at = "2h" }
local n = param "messages" { default = 2, description = "how many messages" }
local at = param "delay" { default = "5m", description = "when they are queued" }
local who = param "rcpt" { default = "bob" }
local fast = param "fast" { default = false }
local share = param "share" { default = 0.5 }
zone "example.test" {
  { "@", "NS", "ns1" }, { "@", "MX", 10, "mx1" },
  { "ns1", "A", "192.0.2.53" }, { "mx1", "A", "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7",
             sender = { resolver = "ns1", connect_timeout = fast and "10s" or "30s" } }
for i = 1, n do
  message { at = at, from = "alice@sender.test", to = who .. "@example.test",
            size = math.floor(share * 2000) }
end
expect { to = who .. "@example.test", outcome = "delivered", via = "mx1" }
EOF

# A scenario without params.
cat >"$S/plain.lua" <<'EOF'
host "mx1" { addr = "192.0.2.10", smtp = {} }
EOF

# --- params --------------------------------------------------------------------

# Defaults: each param's type is its default's (docs "param").
mx check params.lua --params
[ $rc -eq 0 ] || { fail "check --params: exit $rc"; show; }
same "check --params lists the defaults with file:line" "$OUT" \
"params.lua: ok: scenario 'params', 3 hosts, 1 zones, 0 outages, 2 messages, 1 expectations
params.lua:2: param messages = 2 (integer, default 2): how many messages
params.lua:3: param delay = \"5m\" (duration, default \"5m\"): when they are queued
params.lua:4: param rcpt = \"bob\" (string, default \"bob\")
params.lua:5: param fast = false (boolean, default false)
params.lua:6: param share = 0.5 (number, default 0.5)"

# Every type from -D text; an integer -D on a number param stays a number
# (1.0), as the default's type says.
mx check params.lua -D messages=3 -D delay=90s -Drcpt=carol -D fast=true \
    --define share=1 --params
[ $rc -eq 0 ] || { fail "check -D --params: exit $rc"; show; }
same "check -D --params lists the -D values, typed" "$OUT" \
"params.lua: ok: scenario 'params', 3 hosts, 1 zones, 0 outages, 3 messages, 1 expectations
params.lua:2: param messages = 3 (integer, default 2, set by -D): how many messages
params.lua:3: param delay = \"90s\" (duration, default \"5m\", set by -D): when they are queued
params.lua:4: param rcpt = \"carol\" (string, default \"bob\", set by -D)
params.lua:5: param fast = true (boolean, default false, set by -D)
params.lua:6: param share = 1.0 (number, default 0.5, set by -D)"

mx check plain.lua --params
same "check --params without params" "$OUT" \
"plain.lua: ok: scenario 'plain', 1 hosts, 0 zones, 0 outages, 0 messages, 0 expectations
plain.lua: no params"

# run: the header, then a narrative that follows the values: 3 messages
# queued at 90 s for carol, delivered (the expectation uses the param too).
mx run params.lua --no-capture -D messages=3 -D delay=90s -D rcpt=carol
if [ $rc -ne 0 ]; then
	fail "run -D: exit $rc, want 0"
	show
fi
head -n 6 "$OUT" >"$WORK/head"
same "run -D: the narrative's header, then a blank line" "$WORK/head" \
"param messages = 3 (integer, default 2, set by -D): how many messages
param delay = \"90s\" (duration, default \"5m\", set by -D): when they are queued
param rcpt = \"carol\" (string, default \"bob\", set by -D)
param fast = false (boolean, default false)
param share = 0.5 (number, default 0.5)"
[ "$(sed -n 6p "$OUT")" = "" ] || fail "run -D: line 6 is not blank: '$(sed -n 6p "$OUT")'"
n=$(grep -c ' mta queued msg [0-9]* alice@sender.test -> carol@example.test$' "$OUT")
t=$(grep ' mta queued msg 1 ' "$OUT" | awk '{ print $1 }')
if [ "$n" = 3 ] && [ "$t" = 90.000000 ]; then
	echo "check: run -D: 3 messages for carol queued at 90.000000: ok"
else
	fail "run -D: $n messages for carol, the first queued at '$t'; want 3 at 90.000000"
	show
fi
mx run params.lua --no-capture
n=$(grep -c ' mta queued msg [0-9]* alice@sender.test -> bob@example.test$' "$OUT")
t=$(grep ' mta queued msg 1 ' "$OUT" | awk '{ print $1 }')
[ "$n" = 2 ] && [ "$t" = 300.000000 ] && [ $rc -eq 0 ] &&
	echo "check: run without -D: the defaults, 2 messages for bob at 300.000000: ok" ||
	{ fail "run without -D: $n messages, first at '$t', exit $rc; want 2 at 300.000000, exit 0"; show; }
mx run params.lua --no-capture --quiet
[ $rc -eq 0 ] && [ ! -s "$OUT" ] && echo "check: run --quiet prints no param header: ok" ||
	{ fail "run --quiet: exit $rc or stdout not empty"; show; }

# Unknown names: the closest param, or the list, or none (docs "param").
rejected "-D with a typo" \
    "params.lua: -D mesages=3: no param 'mesages' in this scenario (did you mean 'messages'?)" \
    check params.lua -D mesages=3
rejected "-D far from every param" \
    "params.lua: -D zzz=1: no param 'zzz' in this scenario (its params: messages, delay, rcpt, fast, share)" \
    run params.lua --no-capture -D zzz=1
rejected "-D on a scenario without params" \
    "plain.lua: -D messages=3: no param 'messages' in this scenario (it declares none)" \
    check plain.lua -D messages=3

# Bad values: the param and the file:line of its declaration.
rejected "-D not a whole number" \
    "params.lua:2: param 'messages': -D messages=2.5: expected a whole number (the default is 2)" \
    run params.lua --no-capture -D messages=2.5
rejected "-D not a number" \
    "params.lua:6: param 'share': -D share=half: expected a number (the default is 0.5)" \
    check params.lua -D share=half
rejected "-D not a boolean" \
    "params.lua:5: param 'fast': -D fast=yes: expected true or false (the default is false)" \
    check params.lua -D fast=yes
rejected "-D duration without a unit" \
    "params.lua:3: param 'delay': -D delay=90: bad duration \"90\": missing or unknown unit (use ns, us, ms, s, m, h or d) (the default is \"5m\")" \
    check params.lua -D delay=90

# The command line itself.
rejected "-D without =" "mxsim: -D 'messages': expected NAME=VALUE" \
    check params.lua -D messages
rejected "-D without a name" "mxsim: -D '=3': expected NAME=VALUE" \
    run params.lua -D =3
rejected "-D twice" "mxsim: -D 'messages=3': 'messages' is given twice (first -D 'messages=2')" \
    check params.lua -D messages=2 -D messages=3
rejected "--params on run" "mxsim: 'run' takes no --params ('mxsim check FILE --params' lists them)" \
    run params.lua --params
rejected "check with a run option" "mxsim: 'check' takes no options but -D, --seed and --params" \
    check params.lua --no-capture

# --- include -------------------------------------------------------------------

cat >"$S/main.lua" <<'EOF'
scenario "inc" { stop_at = "1h" }
local lib = include "lib/hosts.lua"
lib.hosts("198.51.100.7")
message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }
if param "fail" { default = false } then include "lib/expect-fail.lua"
else include "./lib//expect.lua" end
EOF
# Relative to lib/, where it is: zone.lua, and the zone's master file.
cat >"$S/lib/hosts.lua" <<'EOF'
include "zone.lua"
local M = {}
function M.hosts(addr)
  host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
  host "mx1" { addr = "192.0.2.10", smtp = {} }
  host "mta" { addr = addr, sender = { resolver = "ns1" } }
end
return M
EOF
cat >"$S/lib/zone.lua" <<'EOF'
zone "example.test" { file = "zones/example.zone" }
EOF
cat >"$S/lib/zones/example.zone" <<'EOF'
$ORIGIN example.test.
$TTL 3600
@   IN NS ns1
@   IN MX 10 mx1
ns1 IN A 192.0.2.53
mx1 IN A 192.0.2.10
EOF
cat >"$S/lib/expect.lua" <<'EOF'
-- delivered by the only MX
expect { to = "bob@example.test", outcome = "delivered", via = "mx1" }
EOF
cat >"$S/lib/expect-fail.lua" <<'EOF'
-- the message is delivered: this one fails
expect { to = "bob@example.test", outcome = "bounced" }
EOF

mx check main.lua
same "include: nested, relative to the including file, zone file beside it" "$OUT" \
"main.lua: ok: scenario 'inc', 3 hosts, 1 zones, 0 outages, 1 messages, 1 expectations"
(cd / && "$MXSIM" check "$S/main.lua") >"$OUT" 2>"$ERR"
same "include: run from another directory" "$OUT" \
"$S/main.lua: ok: scenario 'inc', 3 hosts, 1 zones, 0 outages, 1 messages, 1 expectations"
mx run main.lua --no-capture
[ $rc -eq 0 ] && grep -q '^  ok   lib/expect.lua:2: bob@example.test' "$OUT" &&
	echo "check: include: the expectation from lib/expect.lua:2 holds: ok" ||
	{ fail "include: run main.lua: exit $rc, or no 'ok lib/expect.lua:2'"; show; }
# After the run, when the Lua state is long gone, a failed expectation
# still names the included file and line.
mx run main.lua --no-capture --quiet -D fail=true
[ $rc -eq 1 ] && grep -q '^  FAIL lib/expect-fail.lua:2: bob@example.test' "$OUT" &&
	echo "check: include: a failed expectation names lib/expect-fail.lua:2, exit 1: ok" ||
	{ fail "include: want exit 1 and 'FAIL lib/expect-fail.lua:2'"; show; }

# Errors inside included files name the included file and line.
printf 'scenario "e" {}\ninclude "lib/runtime.lua"\n' >"$S/e-runtime.lua"
printf -- '-- a mistake\n\nlocal x = nil + 1\n' >"$S/lib/runtime.lua"
rejected "include: a run-time error in the included file" \
    "lib/runtime.lua:3: attempt to perform arithmetic on a nil value" \
    check e-runtime.lua
printf 'scenario "e" {}\ninclude "lib/field.lua"\n' >"$S/e-field.lua"
printf 'host "mx1" { addr = "192.0.2.10",\n  smtp = { mailbox = {} } }\n' >"$S/lib/field.lua"
rejected "include: a declaration's error in the included file" \
    "lib/field.lua:1: host 'mx1', smtp: unknown field 'mailbox' (did you mean 'mailboxes'?)" \
    run e-field.lua --no-capture
printf 'scenario "e" {}\ninclude "lib/syntax.lua"\n' >"$S/e-syntax.lua"
printf 'local a = 1\nlocal b = = 2\n' >"$S/lib/syntax.lua"
rejected "include: a syntax error in the included file" \
    "lib/syntax.lua:2: unexpected symbol near '='" \
    check e-syntax.lua
printf 'scenario "e" {}\ninclude "lib/memory.lua"\n' >"$S/e-memory.lua"
printf 'local a = 1\nlocal s = ("x"):rep(1e9)\n' >"$S/lib/memory.lua"
rejected "include: the memory limit in the included file" \
    "lib/memory.lua:2: scenario exceeded its memory limit (64 MiB)" \
    check e-memory.lua

# A cycle through two files, reported with the chain.
printf 'scenario "e" {}\ninclude "lib/a.lua"\n' >"$S/e-cycle.lua"
printf 'include "b.lua"\n' >"$S/lib/a.lua"
printf -- '-- b includes a again\ninclude "a.lua"\n' >"$S/lib/b.lua"
rejected "include: a cycle" \
    "lib/b.lua:2: include 'a.lua': include cycle: e-cycle.lua -> lib/a.lua -> lib/b.lua -> lib/a.lua" \
    check e-cycle.lua

# 17 files deep: one more than MXL_INCLUDE_DEPTH (sim/script/sandbox.h).
mkdir -p "$S/deep"
i=1
while [ $i -le 17 ]; do
	printf 'include "d%d.lua"\n' $((i + 1)) >"$S/deep/d$i.lua"
	i=$((i + 1))
done
rejected "include: too deep" \
    "deep/d16.lua:1: include 'd17.lua': includes nest deeper than 16 files" \
    check deep/d1.lua

# A symbolic link may not lead out of the scenario's folder; one inside
# it is fine.
printf 'local x = 1\n' >"$WORK/outside/x.lua"
ln -s "$WORK/outside/x.lua" "$S/lib/out.lua"
printf 'scenario "e" {}\ninclude "lib/out.lua"\n' >"$S/e-link.lua"
rejected "include: a symbolic link out of the folder" \
    "e-link.lua:2: include 'lib/out.lua': lib/out.lua leads outside the scenario's folder (to $(cd "$WORK/outside" && pwd -P)/x.lua)" \
    check e-link.lua
ln -s expect.lua "$S/lib/alias.lua"
sed 's|"./lib//expect.lua"|"lib/alias.lua"|' "$S/main.lua" >"$S/link-in.lua"
mx check link-in.lua
[ $rc -eq 0 ] && echo "check: include: a symbolic link inside the folder: ok" ||
	{ fail "include: a link inside the folder: exit $rc"; show; }

# Bytecode, even when included (the header of a Lua 5.4 binary chunk).
printf '\033LuaT\000\031\223\r\n\032\n\004\010\010' >"$S/lib/binary.lua"
printf 'scenario "e" {}\ninclude "lib/binary.lua"\n' >"$S/e-binary.lua"
rejected "include: a precompiled chunk" \
    "lib/binary.lua:1: precompiled Lua is not accepted; give the scenario as text" \
    check e-binary.lua

# --- math.random ---------------------------------------------------------------

# The scenario checks each draw against a reference implementation of
# rng.c's stream "scenario.random" for the seed it is told (the param
# 'expect_seed'), prints the draws, and queues a message at the first.
cat >"$S/random.lua" <<'EOF'
scenario "random" { seed = 42, stop_at = "2h" }
local seed = param "expect_seed" { default = 42 }

-- xoshiro256** seeded by SplitMix64 from seed ~ rotl(FNV-1a(stream), 17),
-- as sim/core/rng.c; Lua integers wrap like uint64_t.
local function rotl(x, k) return (x << k) | (x >> (64 - k)) end
local function fnv1a(s)
  local h = 0xcbf29ce484222325
  for i = 1, #s do h = (h ~ s:byte(i)) * 0x100000001b3 end
  return h
end
local function splitmix(x)
  x = x + 0x9e3779b97f4a7c15
  local z = x
  z = (z ~ (z >> 30)) * 0xbf58476d1ce4e5b9
  z = (z ~ (z >> 27)) * 0x94d049bb133111eb
  return x, z ~ (z >> 31)
end
local s, x = {}, seed ~ rotl(fnv1a("scenario.random"), 17)
for i = 1, 4 do x, s[i] = splitmix(x) end
local function next64()
  local r = rotl(s[2] * 5, 7) * 9
  local t = s[2] << 17
  s[3] = s[3] ~ s[1]; s[4] = s[4] ~ s[2]
  s[2] = s[2] ~ s[3]; s[1] = s[1] ~ s[4]
  s[3] = s[3] ~ t;    s[4] = rotl(s[4], 45)
  return r
end
local function umod(v, n)          -- v % n with v unsigned, n > 0
  if v >= 0 then return v % n end
  local r = v - (((v >> 1) // n) << 1) * n
  if not math.ult(r, n) then r = r - n end
  return r
end
local function below(n)            -- rng_below: rejection sampling
  local limit = -1 - umod(-1, n)
  local v
  repeat v = next64() until math.ult(v, limit)
  return umod(v, n)
end

local a, b = math.random(1, 600), math.random(1, 600)
local c, d, e = math.random(0), math.random(), math.random(-5, 5)
local ra, rb = 1 + below(600), 1 + below(600)
local rc, rd, re = next64(), (next64() >> 11) * 2.0^-53, -5 + below(11)
assert(a == ra and b == rb, ("random(1, 600): %d %d, want %d %d"):format(a, b, ra, rb))
assert(c == rc, ("random(0): %d, want %d"):format(c, rc))
assert(d == rd, ("random(): %.17g, want %.17g"):format(d, rd))
assert(e == re, ("random(-5, 5): %d, want %d"):format(e, re))
print(a, b, c, d, e)

zone "example.test" {
  { "@", "NS", "ns1" }, { "@", "MX", 10, "mx1" },
  { "ns1", "A", "192.0.2.53" }, { "mx1", "A", "192.0.2.10" },
}
host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }
host "mx1" { addr = "192.0.2.10", smtp = {} }
host "mta" { addr = "198.51.100.7", sender = { resolver = "ns1" } }
message { at = a, from = "alice@sender.test", to = "bob@example.test" }
EOF

# draws NAME ARGS...: runs, expects exit 0, keeps the draws in $WORK/NAME.
draws() {
	_n=$1
	shift
	mx "$@"
	cp "$ERR" "$WORK/$_n"
	if [ $rc -ne 0 ] || [ "$(wc -l <"$ERR")" -ne 1 ]; then
		fail "math.random: $*: exit $rc, want 0 and one line of draws"
		show
	fi
}
draws r42 check random.lua
draws r42b check random.lua
draws r42s check random.lua --seed 42
draws r7 check random.lua --seed 7 -D expect_seed=7
draws r1 run random.lua --no-capture --seed 1 -D expect_seed=1
cmp -s "$WORK/r42" "$WORK/r42b" && cmp -s "$WORK/r42" "$WORK/r42s" &&
	echo "check: math.random: the reference's numbers; same seed (declared or --seed 42), same draws: ok" ||
	fail "math.random: seed 42 draws differ between runs"
! cmp -s "$WORK/r42" "$WORK/r7" && ! cmp -s "$WORK/r7" "$WORK/r1" &&
	echo "check: math.random: --seed 7 and --seed 1 draw other numbers: ok" ||
	fail "math.random: --seed did not change the draws"
# Pinned, so that a change of stream shows (the reference agreed above).
same "math.random: the draws of seed 42" "$WORK/r42" \
"373	89	4347702342647234810	0.48896466678002	-2"
# The first draw is the message's time: the draws shape the scenario.
t=$(grep ' mta queued msg 1 ' "$OUT" | awk '{ print $1 }')
first=$(cut -f 1 "$WORK/r1")
[ "$t" = "$first.000000" ] &&
	echo "check: math.random: with --seed 1 the message is queued at the first draw, $t: ok" ||
	{ fail "math.random: queued at '$t', want the first draw '$first'"; show; }

# --- lua/mxsim.meta.lua --------------------------------------------------------

META=$SRC/lua/mxsim.meta.lua
if command -v luac5.4 >/dev/null 2>&1; then
	luac5.4 -p -o /dev/null "$META" && echo "check: mxsim.meta.lua is Lua 5.4: ok" ||
		fail "mxsim.meta.lua: luac5.4 -p failed"
else
	fail "luac5.4 is not installed (scripts/install-deps.sh: lua5.4)"
fi
head -n 1 "$META" | grep -q '^---@meta' || fail "mxsim.meta.lua: the first line must be ---@meta"
# Every word, every field of the loader's key lists, every knob.
for w in scenario zone zone_change host site outage message expect param include; do
	grep -q "^function $w(" "$META" || fail "mxsim.meta.lua: no 'function $w('"
done
fields=$(awk '/static const char \*const [a-z]*keys\[\] = \{/,/\};/' "$SRC/sim/script/scenario.c" |
	grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
knobs=$(grep -o '^ *{"[a-z_0-9]*", KNOB_' "$SRC/sim/mta/profile.c" | grep -o '"[a-z_0-9]*"' | tr -d '"')
nf=0
for f in $fields $knobs profile resolver; do
	nf=$((nf + 1))
	grep -q -- "^---@field $f[? ]" "$META" || fail "mxsim.meta.lua: no '---@field $f'"
done
[ $nf -gt 60 ] && echo "check: mxsim.meta.lua annotates the $nf fields and knobs the loader knows: ok" ||
	fail "mxsim.meta.lua: only $nf fields found in scenario.c and profile.c: the extraction broke"

# Every capture this test wrote passes the capture lint.
. "$SRC/tests/cli/lib/lint.sh"
lint_all_captures "$WORK"

if [ $failed -ne 0 ]; then
	echo "FAIL: params, include and math.random checks failed"
	exit 1
fi
echo "ok"
