#!/bin/bash
# Builder figures for make bench: cold build (empty cache), warm rebuild
# (everything cached), profile-only rebuild (goal <= 10 s), ISO and squashfs
# sizes, and QEMU start → "ironpass-installer: ready" for the ISO (BIOS CD)
# and PXE (when the build makes a PXE tree).
#   BENCH_COLD=0        skip the cold build (it fetches Debian: minutes)
#   BENCH_BOOT=0        skip the boot timings
#   BENCH_BOOT_RUNS     default "bios pxe"
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
IRONPASS="$BUILD/ironpass"
CACHE=${BENCH_CACHE:-cache}
work=$(mktemp -d /tmp/ironpass-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
status=0

secs() { awk -v a="$2" -v b="$1" 'BEGIN{printf "%.1f", a-b}'; }
now() { date +%s.%N; }
build() {	# build PROFILE CACHE OUT
	"$IRONPASS" build --profile "$1" --cache "$2" -o "$3" >"$work/build.log" 2>&1 ||
		{ echo "build failed:"; tail -n 20 "$work/build.log"; return 1; }
}

[ -x "$IRONPASS" ] || { echo "no '$IRONPASS' (make first)"; exit 1; }
cp profiles/test.toml "$work/bench.toml"

if [ "${BENCH_COLD:-1}" = 1 ]; then
	t0=$(now)
	build "$work/bench.toml" "$work/cold-cache" "$work/cold" || status=1
	echo "cold build (empty cache, mmdebstrap + squashfs):  $(secs "$t0" "$(now)") s"
	rm -rf "$work/cold-cache" "$work/cold"
else
	echo "cold build: skipped (BENCH_COLD=0)"
fi

build "$work/bench.toml" "$CACHE" "$work/out" || exit 1	# fills the cache if needed
t0=$(now)
build "$work/bench.toml" "$CACHE" "$work/out" || status=1
echo "warm rebuild (everything cached):                $(secs "$t0" "$(now)") s"

sed -i 's/^menu-timeout = .*/menu-timeout = 2/' "$work/bench.toml"
t0=$(now)
build "$work/bench.toml" "$CACHE" "$work/out" || status=1
t=$(secs "$t0" "$(now)")
echo "profile-only rebuild (seed + ISO, goal <= 10 s): $t s"
grep -q 'overlay: cached' "$work/build.log" || { echo "  (the squashfs was rebuilt!)"; status=1; }
awk -v t="$t" 'BEGIN{exit !(t <= 10)}' || status=1

iso=$(ls "$work"/out/ironpass-*.iso | head -n 1)
sqfs=$("$IRONPASS" build --profile "$work/bench.toml" --cache "$CACHE" -o "$work/out" \
	--dry-run --json 2>/dev/null | sed -n 's/.*"squashfs":"\(.*\)".*/\1/p')
echo "ISO size:       $(stat -c %s "$iso") bytes ($(du -m "$iso" | cut -f1) MiB)"
[ -n "$sqfs" ] && [ -f "$sqfs" ] &&
	echo "squashfs size:  $(stat -c %s "$sqfs") bytes ($(du -m "$sqfs" | cut -f1) MiB)"

if [ "${BENCH_BOOT:-1}" = 1 ]; then
	E2E_OUT="$work/e2e" E2E_RUNS="${BENCH_BOOT_RUNS:-bios pxe}" E2E_CACHE="$CACHE" \
		BUILD="$BUILD" tests/e2e/run.sh >"$work/e2e.log" 2>&1 || status=1
	grep -E '^(PASS|FAIL|SKIP)  (bios|pxe|uefi|secureboot|usb)' "$work/e2e.log" |
		sed 's/^/QEMU start → ready: /'
fi
exit $status
