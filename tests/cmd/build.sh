#!/bin/bash
# ironpass build from the command line, without root or network: --dry-run
# prints every stage and the exact commands (nothing is written), --json gives
# a summary, a bad profile is reported as file:line:col, missing host tools
# are named all at once with their packages, and a failed stage is named.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
ip="$BUILD/ironpass"
[ -x "$ip" ] || { echo "no $ip"; exit 1; }
tmp=$(mktemp -d /tmp/ip-cmd-build.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {	# check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then echo "ok   $d"; else echo "FAIL $d"; fail=1; fi
}

# dry run: stage lines and commands, nothing written
"$ip" build --profile profiles/test.toml -o "$tmp/out" --cache "$tmp/cache" --dry-run \
	>"$tmp/dry.txt" 2>&1
rc=$?
check "dry run exits 0" [ $rc = 0 ]
for s in tools zfs-modules rootfs overlay seed boot iso; do
	check "dry run shows stage '$s'" grep -q "^==> $s\$" "$tmp/dry.txt"
done
check "dry run prints the mmdebstrap argv" \
	grep -q '^    + mmdebstrap --variant=minbase --mode=root --components=main,contrib --include=.*live-boot.*,zfsutils-linux,.* --include=/.*/zfs-modules/[0-9a-f]*/zfs-modules.deb bookworm ' "$tmp/dry.txt"
check "dry run prints the ZFS module build (dkms in a throw-away chroot)" \
	grep -q '^    + mmdebstrap --variant=minbase --mode=root --components=main,contrib --include=linux-headers-amd64,zfs-dkms,openssl .* bookworm /dev/null$' "$tmp/dry.txt"
check "dry run prints the xorriso argv" \
	grep -q -- '^    + xorriso -as mkisofs .*-isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin' "$tmp/dry.txt"
check "dry run writes nothing" test ! -e "$tmp/out" -a ! -e "$tmp/cache"

# --json: the summary on stdout, stage lines on stderr
"$ip" build --profile profiles/test.toml -o "$tmp/out" --cache "$tmp/cache" --dry-run --json \
	>"$tmp/json.txt" 2>"$tmp/json.err"
check "json summary" python3 -c '
import json,sys
d=json.load(open(sys.argv[1]))
assert d["ok"] is True and d["name"]=="test" and d["dry_run"] is True
assert d["iso"].endswith("/out/ironpass-test.iso")
assert [s["name"] for s in d["stages"]][:4]==["tools","zfs-modules","rootfs","overlay"]
assert len(d["zfs_modules"]["key"])==64 and d["zfs_modules"]["deb"].endswith("/zfs-modules.deb")
assert len(d["rootfs_key"])==64
' "$tmp/json.txt"

# the same inputs give the same cache keys; a different suite another rootfs key
key() { "$ip" build --profile "$1" -o "$tmp/out" --cache "$tmp/cache" --dry-run --json 2>/dev/null |
	sed -n 's/.*"rootfs_key":"\([0-9a-f]*\)".*/\1/p'; }
k1=$(key profiles/test.toml); k2=$(key profiles/test.toml)
printf '[profile]\nname = "t2"\nsuite = "trixie"\n' >"$tmp/trixie.toml"
k3=$(key "$tmp/trixie.toml")
check "cache key is stable" test -n "$k1" -a "$k1" = "$k2"
check "cache key follows the suite" test -n "$k3" -a "$k1" != "$k3"

# bad profile: file:line:col and exit 1
printf '[profile]\nname = "x"\ndefault-entry = "reboot"\n' >"$tmp/bad.toml"
"$ip" build --profile "$tmp/bad.toml" --dry-run >"$tmp/bad.out" 2>&1
rc=$?
check "bad profile exits 1" [ $rc = 1 ]
check "bad profile says file:line:col" grep -q "^$tmp/bad.toml:3:17: " "$tmp/bad.out"

# missing host tools: all at once, with their packages; the stage is named
PATH=/nonexistent "$ip" build --profile profiles/test.toml -o "$tmp/out" --cache "$tmp/cache" \
	--dry-run >"$tmp/tools.out" 2>&1
rc=$?
check "missing tools exit 1" [ $rc = 1 ]
check "missing tools are all named with packages" grep -q \
	"stage 'tools' failed: missing host tools: 'mmdebstrap' (mmdebstrap), 'mksquashfs' (squashfs-tools), 'xorriso' (xorriso), " \
	"$tmp/tools.out"
check "one install line" grep -q "install with: apt-get install mmdebstrap squashfs-tools xorriso dosfstools mtools" \
	"$tmp/tools.out"

# usage errors
"$ip" build >/dev/null 2>&1; rc=$?
check "no --profile is a usage error (2)" [ $rc = 2 ]
"$ip" build --profile profiles/test.toml --pool a --pve-repo >/dev/null 2>&1; rc=$?
check "two payload sources are a usage error (2)" [ $rc = 2 ]
exit $fail
