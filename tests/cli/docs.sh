#!/bin/sh
# tests/cli/docs.sh - the documentation holds: its examples run, its lists
# are complete.
#
# 1. Every ```lua block of README.md and docs/*.md is given to 'mxsim
#    check'.  A block that declares a scenario and hosts is a whole
#    scenario and is checked as written.  Any other block is a fragment:
#    it is checked followed by the skeleton below (a zone example.test,
#    its nameserver ns1, mx1, mx2, a root server and the sender mta, as
#    the reference's examples assume, and for an expectation or an
#    include without a message, a message to bob@example.test), minus the skeleton's zones and
#    hosts the fragment declares itself; the fragment comes first, so
#    an error's line is the block's own line.  The line before the
#    opening fence may hold a marker:
#      <!-- doc-test: alternatives -->  each top-level declaration (a
#          line starting in column 1) is an alternative to the others
#          and is checked alone;
#      <!-- doc-test: expect-error -->  'mxsim check' must exit 2
#          (a bad scenario) and print the first line of the next fenced
#          block, 'NAME.lua:LINE: message', with LINE counted in the block;
#      <!-- fragment: not checked (reason) -->  skipped, with the reason.
# 2. Every line of a ```sh or ```console block that is an mxsim command
#    ('mxsim ...', './build/mxsim ...', after a '$ ' prompt in console
#    blocks) is run from the tree's root when it is safe: 'check',
#    'lint', 'explain', 'profiles', '--help', and 'run' on a file of the
#    tree with --no-capture added (not when it names --capture, --trace
#    or --timeline).  Commands naming a .lua or .zone file the tree does
#    not have are illustrations and are skipped.  The exit status must
#    be 0, or N after a marker <!-- doc-test: exit=N --> before the
#    block, where the text says so.  In a console block, the lines
#    after a command are its output (stderr then stdout), compared byte
#    for byte unless the marker says output=abridged.
# 3. Every command and long option 'mxsim --help' and 'mxsim run --help'
#    print is in docs/mxsim.1 and README.md; every knob 'mxsim profiles
#    rfc5321' prints is in docs/scenario-reference.md or docs/profiles.md.
#
# Environment (tests/CMakeLists.txt): MXSIM, SRC, WORK.

set -u
. "${SRC:?SRC must name the source tree}/tests/cli/lib/common.sh"
cd "$WORK" || exit 1

B=$WORK/blocks
mkdir -p "$B" "$WORK/scen/zones" "$WORK/scen/lib" || exit 1

# --- extract the blocks ------------------------------------------------------

# For block N: N.kind (lua, sh, console), N.src (file:line of its first
# line), N.mark (the marker before it, or empty), N.body, N.next (the
# first line of the next fenced block).
extract() {
	(cd "$SRC" && awk -v dir="$B" '
	FNR == 1 { inb = 0; prev = "" }
	/^```/ {
		if (inb) { inb = 0; close(body); next }
		tag = substr($0, 4)
		if (want_next != "") {
			getline nl
			print nl > want_next; close(want_next)
			want_next = ""
			if (nl ~ /^```/) { next }
		}
		if (tag == "lua" || tag == "sh" || tag == "console") {
			n++
			f = sprintf("%s/%03d", dir, n)
			print tag > (f ".kind"); close(f ".kind")
			print FILENAME ":" FNR + 1 > (f ".src"); close(f ".src")
			m = (prev ~ /^<!--.*-->$/) ? prev : ""
			print m > (f ".mark"); close(f ".mark")
			body = f ".body"
			printf "" > body
			inb = 1
			if (m ~ /expect-error/)
				want_next = f ".next"
		} else {
			inb = 2
			body = "/dev/null"
		}
		next
	}
	inb { print > body; next }
	NF { prev = $0 }
	' README.md docs/*.md scenarios/README.md labs/README.md)
}
extract || fail "cannot extract the blocks"

# --- 1. the Lua blocks -------------------------------------------------------

# Fixtures the reference's fragments name (zone files, included files).
cat >"$WORK/scen/zones/example.test.zone" <<'EOF'
$ORIGIN example.test.
$TTL 1h
@	IN NS	ns1
@	IN MX	10 mx1
@	IN MX	20 mx2
ns1	IN A	192.0.2.53
mx1	IN A	192.0.2.10
mx2	IN A	192.0.2.20
EOF
cat >"$WORK/scen/lib/hosts.lua" <<'EOF'
-- Helpers for scenario-reference.md's include example.
return {
  mail_exchangers = function(labels)
    site "receivers" { hosts = labels }
  end,
}
EOF
cat >"$WORK/scen/lib/expectations.lua" <<'EOF'
expect { to = "bob@example.test", attempts = { min = 1, max = 3 } }
EOF

# skeleton FRAGMENT: the declarations FRAGMENT relies on and does not make.
skeleton() {
	echo "-- the skeleton of tests/cli/docs.sh"
	grep -q 'zone "example.test"' "$1" || cat <<'EOF'
zone "example.test" {
  { "@",   "NS", "ns1" },
  { "@",   "MX", 10, "mx1" },
  { "@",   "MX", 20, "mx2" },
  { "ns1", "A",  "192.0.2.53" },
  { "mx1", "A",  "192.0.2.10" },
  { "mx2", "A",  "192.0.2.20" },
}
EOF
	grep -q 'zone "\."' "$1" || cat <<'EOF'
zone "." {
  { "@",    "NS", "root" },
  { "root", "A",  "192.0.2.1" },
  { "test", "NS", "ns1.example.test." },
  { "ns1.example.test.", "A", "192.0.2.53" },
}
EOF
	grep -q -e 'expect {' -e 'include "' "$1" && ! grep -q 'message {' "$1" &&
	    echo 'message { at = "0s", from = "alice@sender.test", to = "bob@example.test" }'
	for h in root ns1 mx1 mx2 mta; do
		grep -q "host \"$h\"" "$1" && continue
		case $h in
		root) echo 'host "root" { addr = "192.0.2.1", dns = { serves = { "." } } }' ;;
		ns1) echo 'host "ns1" { addr = "192.0.2.53", dns = { serves = { "example.test" } } }' ;;
		mx1) echo 'host "mx1" { addr = "192.0.2.10", smtp = {} }' ;;
		mx2) echo 'host "mx2" { addr = "192.0.2.20", smtp = {} }' ;;
		mta) echo 'host "mta" { addr = "198.51.100.7", sender = { profile = "rfc5321", resolver = "ns1" } }' ;;
		esac
	done
}

# check_lua SRC FILE MARK NEXT: check the Lua text FILE from SRC (file:line).
check_lua() {
	_src=$1
	_f=$WORK/scen/block.lua
	if grep -q '^scenario "' "$2" && grep -q '^host "' "$2"; then
		cp "$2" "$_f"
		_what="$_src (scenario)"
	else
		{
			cat "$2"
			skeleton "$2"
		} >"$_f"
		_what="$_src (fragment + skeleton)"
	fi
	(cd "$WORK/scen" && "$MXSIM" check block.lua >"$OUT" 2>"$ERR")
	rc=$?
	case $3 in
	*expect-error*)
		# The doc shows 'NAME.lua:LINE: message'; ours is block.lua.
		_want=$(sed 's/^[^ :]*\.lua:/block.lua:/' "$4")
		if [ "$rc" -ne 2 ]; then
			fail "$_what: exit status $rc, want 2 (expect-error)"
			show check block.lua
		elif [ "$(cat "$ERR")" != "$_want" ]; then
			fail "$_what: stderr is not the doc's message '$_want'"
			show check block.lua
		else
			echo "check: $_what: exit 2, '$_want': ok"
		fi
		;;
	*)
		if [ "$rc" -ne 0 ]; then
			fail "$_what: mxsim check: exit status $rc, want 0"
			show check block.lua
			sed 's/^/      | /' "$_f"
		else
			echo "check: $_what: mxsim check: ok"
		fi
		;;
	esac
}

nlua=0
nskip=0
for k in "$B"/*.kind; do
	[ -e "$k" ] || break
	[ "$(cat "$k")" = lua ] || continue
	n=${k%.kind}
	src=$(cat "$n.src")
	mark=$(cat "$n.mark")
	case $mark in
	*"fragment: not checked"*)
		nskip=$((nskip + 1))
		mark=${mark#<!-- }
		echo "skip: $src: ${mark% -->}"
		continue
		;;
	*alternatives*)
		# Split at lines starting a declaration in column 1.
		file=${src%:*}
		line=${src##*:}
		awk -v p="$n.alt" -v l="$line" '
		/^[A-Za-z]/ { i++; f = p i; printf "" > f
			print l + NR - 1 > (f ".line") }
		i { print > (p i) }' "$n.body"
		for a in "$n".alt[0-9]*; do
			case $a in *.line) continue ;; esac
			nlua=$((nlua + 1))
			check_lua "$file:$(cat "$a.line")" "$a" "$mark" ""
		done
		continue
		;;
	esac
	nlua=$((nlua + 1))
	check_lua "$src" "$n.body" "$mark" "$n.next"
done
echo "lua blocks: $nlua checked, $nskip marked not checked"
[ "$nlua" -ge 15 ] || fail "only $nlua Lua examples found: did the extraction break?"

# --- 2. the commands ---------------------------------------------------------

# Turn the sh and console blocks into one command a line (continuations
# joined), each followed, in console blocks, by its shown output.
# Output: N.cmds, lines 'CMD<TAB>WANTFILE'.
split_cmds() {
	awk -v p="$1" -v console="$2" '
	function flush() { if (cmd != "") print cmd "\t" want > (p ".cmds"); cmd = "" }
	{
		line = $0
		if (cont) { sub(/^ */, "", line); cmd = cmd " " line; cont = sub(/ *\\$/, "", cmd); next }
		if (console) {
			if (line ~ /^\$ /) { flush(); line = substr(line, 3) }
			else { if (cmd != "") print line > want; next }
		}
		if (line ~ /^(\.\/build\/)?mxsim /) {
			flush()
			k++
			want = p ".want" k
			printf "" > want
			cmd = line
			cont = sub(/ *\\$/, "", cmd)
		}
	}
	END { flush(); printf "" > (p ".cmds") }' "$1.body"
}

# safe WORDS...: why a documented command is not run, or nothing.
safe() {
	_run=
	case $1 in
	check | lint | explain | profiles) ;;
	run) _run=1 ;;
	*)
		case " $* " in
		*" --help "*) ;;
		*) echo "'$1' is not on the allow-list" ;;
		esac
		return
		;;
	esac
	for _w in "$@"; do
		case $_w in
		--capture | --capture=* | --trace* | --timeline* | -c | -t | -T)
			echo "it writes files"
			return
			;;
		*.lua | *.zone)
			[ -f "$SRC/$_w" ] || {
				echo "$_w is not a file of the tree"
				return
			}
			;;
		esac
	done
}

ncmd=0
nnot=0
for k in "$B"/*.kind; do
	[ -e "$k" ] || break
	kind=$(cat "$k")
	case $kind in sh) con=0 ;; console) con=1 ;; *) continue ;; esac
	n=${k%.kind}
	src=$(cat "$n.src")
	mark=$(cat "$n.mark")
	want_rc=0
	case $mark in *"exit="[0-9]*) want_rc=$(echo "$mark" | sed 's/.*exit=\([0-9]*\).*/\1/') ;; esac
	split_cmds "$n" "$con"
	while IFS='	' read -r cmd wantf; do
		args=${cmd#./build/}
		args=${args#mxsim }
		case $args in
		*[\$\*\|\;\&\>\<\`\(]*)
			nnot=$((nnot + 1))
			echo "skip: $src: '$cmd': shell syntax"
			continue
			;;
		esac
		eval "set -- $args"
		why=$(safe "$@")
		if [ -n "$why" ]; then
			nnot=$((nnot + 1))
			echo "skip: $src: '$cmd': $why"
			continue
		fi
		[ "$1" = run ] && set -- "$@" --no-capture
		ncmd=$((ncmd + 1))
		(cd "$SRC" && "$MXSIM" "$@" >"$OUT" 2>"$ERR")
		rc=$?
		if [ "$rc" -ne "$want_rc" ]; then
			fail "$src: '$cmd': exit status $rc, want $want_rc"
			show "$@"
			continue
		fi
		if [ "$con" = 1 ]; then
			case $mark in
			*output=abridged*) ;;
			*)
				cat "$ERR" "$OUT" >"$WORK/got"
				if ! diff -u "$wantf" "$WORK/got" >"$WORK/diff"; then
					fail "$src: '$cmd': output differs from the doc"
					sed 's/^/    /' "$WORK/diff"
					continue
				fi
				;;
			esac
		fi
		echo "check: $src: '$cmd': exit $rc: ok"
	done <"$n.cmds"
done
echo "commands: $ncmd run, $nnot not run"
[ "$ncmd" -ge 5 ] || fail "only $ncmd documented commands ran: did the extraction break?"

# --- 3. the lists ------------------------------------------------------------

# in_doc WORD FILE...: WORD is in one of the FILEs (the manual page's '\-'
# read as '-'), not as part of a longer option or name.
in_doc() {
	_w=$1
	shift
	sed 's/\\-/-/g' "$@" | grep -q -E -- "(^|[^a-z_-])$_w([^a-z_-]|$)"
}

mx --help
cmds=$(sed -n 's/^ *\(usage: \)*mxsim \([a-z][a-z]*\).*/\2/p' "$OUT" | sort -u)
opts=$(sed 's/\[/ /g' "$OUT" | grep -o -E -- '--[a-z][a-z-]*' | sort -u)
mx run --help
opts=$(
	echo "$opts"
	grep -o -E -- '--[a-z][a-z-]*' "$OUT"
)
opts=$(echo "$opts" | sort -u)
[ "$(echo "$cmds" | wc -w)" -ge 8 ] || fail "mxsim --help lists only: $cmds"
for w in $cmds $opts; do
	for d in docs/mxsim.1 README.md; do
		if in_doc "$w" "$SRC/$d"; then
			:
		else
			fail "'$w' (mxsim --help, run --help) is not in $d"
		fi
	done
done
echo "check: $(echo $cmds $opts | wc -w) commands and options of --help in docs/mxsim.1 and README.md"

mx profiles rfc5321
knobs=$(awk '/^Source/ { exit } /^  [a-z_0-9]+ / { print $1 }' "$OUT")
[ "$(echo "$knobs" | wc -w)" -ge 40 ] || fail "profiles rfc5321 lists few knobs: $knobs"
for w in $knobs; do
	in_doc "$w" "$SRC/docs/scenario-reference.md" "$SRC/docs/profiles.md" ||
	    fail "knob '$w' (mxsim profiles rfc5321) is in neither docs/scenario-reference.md nor docs/profiles.md"
done
echo "check: $(echo $knobs | wc -w) knobs of profiles rfc5321 documented"

exit $failed
