#!/bin/bash
# `ironpass pxe node` on a minimal fake PXE tree (tftp/, http/ and the node/
# templates a build writes): --install and --localboot write the node's
# pxelinux, GRUB and iPXE files with the templates' exact content, both MAC
# spellings give the same files, a second run changes nothing, --json, and
# refusals (bad MAC, no tree, usage) that write nothing.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
ip=$BUILD/ironpass
[ -x "$ip" ] || { echo "missing $ip"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ironpass-pxe-node-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() {
	echo "FAIL: $*"
	fail=$((fail + 1))
}

t=$tmp/pxe
mkdir -p "$t/tftp/pxelinux.cfg" "$t/tftp/grub" "$t/http"
for m in unattended localboot; do
	mkdir -p "$t/node/$m"
	printf 'DEFAULT %s\n' $m >"$t/node/$m/pxelinux.cfg"
	printf 'set default=%s\n' $m >"$t/node/$m/grub.cfg"
	printf '#!ipxe\n# %s\n' $m >"$t/node/$m/ironpass.ipxe"
done
files() {
	echo "tftp/pxelinux.cfg/01-$1 tftp/grub/grub.cfg-01-$1 tftp/ipxe/01-$1.ipxe" \
		"http/ipxe/01-$1.ipxe"
}
# same MODE MAC: the node's four files hold node/MODE's templates
same() {
	local f tmpl
	for f in $(files "$2"); do
		case $f in
		*pxelinux*) tmpl=pxelinux.cfg ;; *grub*) tmpl=grub.cfg ;; *) tmpl=ironpass.ipxe ;;
		esac
		cmp -s "$t/node/$1/$tmpl" "$t/$f" || bad "$f is not node/$1/$tmpl"
	done
}
mac=52-54-00-ab-cd-0e

out=$("$ip" pxe node 52:54:00:AB:CD:0E --install --tree "$t" 2>&1)
[ $? -eq 0 ] || bad "--install: exit $?: $out"
[ "$out" = "pxelinux: $t/tftp/pxelinux.cfg/01-$mac
grub: $t/tftp/grub/grub.cfg-01-$mac
ipxe: $t/tftp/ipxe/01-$mac.ipxe
ipxe: $t/http/ipxe/01-$mac.ipxe" ] || bad "--install output: $out"
same unattended $mac
# the other spelling: the same files, unchanged
out=$("$ip" pxe node 52-54-00-ab-cd-0e --install --tree "$t" 2>&1)
[ "$(printf '%s\n' "$out" | grep -c ' (unchanged)$')" = 4 ] || bad "rerun changed files: $out"
same unattended $mac
[ "$(find "$t/tftp" "$t/http" -type f | wc -l)" = 4 ] || bad "stray files: $(find "$t" -type f)"

# --localboot replaces them; --json says what was written
out=$(cd "$tmp" && "$ip" pxe node 52:54:00:ab:cd:0e --localboot --json --tree pxe)
[ $? -eq 0 ] || bad "--localboot --json: exit $?"
same localboot $mac
printf '%s\n' "$out" | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["mac"] == "52-54-00-ab-cd-0e" and j["mode"] == "localboot" and j["tree"] == "pxe", j
assert [f["loader"] for f in j["written"]] == ["pxelinux", "grub", "ipxe", "ipxe"], j
assert [f["path"] for f in j["written"]] == sys.argv[1].split(), j
assert all(f["changed"] for f in j["written"]), j
' "$(files $mac)" || bad "--json: $out"

# refusals: exit 1 and nothing written
before=$(find "$t" -type f | sort)
out=$("$ip" pxe node 52:54:00:ab:cd --install --tree "$t" 2>&1)
rc=$?
[ $rc -eq 1 ] || bad "bad MAC: exit $rc"
[ "$out" = "ironpass pxe node: invalid MAC address '52:54:00:ab:cd': want six hex pairs separated by ':' or '-'" ] ||
	bad "bad MAC message: $out"
out=$("$ip" pxe node 52:54:00:ab:cd:0f --install --tree "$tmp/nope" 2>&1)
rc=$?
[ $rc -eq 1 ] || bad "no tree: exit $rc"
case $out in *"cannot use PXE tree '$tmp/nope': no tftp/ or http/ in it"*) ;;
*) bad "no tree message: $out" ;; esac
[ ! -e "$tmp/nope" ] || bad "no tree: created it"
# usage errors: exit 2
for args in "" "52:54:00:ab:cd:0f" "52:54:00:ab:cd:0f --install --localboot" \
	    "52:54:00:ab:cd:0f --install extra" "--bogus"; do
	# shellcheck disable=SC2086
	"$ip" pxe node $args --tree "$t" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 2 ] || bad "'pxe node $args': exit $rc, want 2"
done
"$ip" pxe frob >/dev/null 2>&1
[ $? -eq 2 ] || bad "'pxe frob': want exit 2"
[ "$(find "$t" -type f | sort)" = "$before" ] || bad "a refusal wrote files"
"$ip" pxe node --help | grep -q -- '--localboot' || bad "--help"

[ $fail -eq 0 ] || { echo "$fail failure(s)"; exit 1; }
echo "pxe-node: ok"
