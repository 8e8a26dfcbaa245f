#!/bin/bash
# Root-only and opt-in: the REAL ZFS module build (issue 11), into a cache of
# its own, then its figures: the wall time of the build (mmdebstrap with
# linux-headers-amd64 and zfs-dkms from the Debian archive, dkms compiling
# OpenZFS), the size of the .ko files, of the package and of the cache entry.
# It checks the package (name, Provides: zfs-modules, test stand-in mark, every
# module under lib/modules/<kver>/updates/dkms/, vermagic of zfs.ko = the
# kernel, signer when signed), that the build chroot is gone, and that a
# second run is served from the cache.
#
#   tests/e2e/zfs-build.sh  (make zfs-build)  the module build only
#   ... ZFS_BUILD_LIVE=1    also the live root (ironpass build, profile test):
#                           the package and zfsutils-linux installed, zfs.ko in
#                           the kernel's modules.dep, and the squashfs size
#   ... ZFS_BUILD_POOL=1    also the stand-in pool: zfsutils-linux, zfs-initramfs
#                           and the package in it, no zfs-dkms, dkms or compiler
#   ZFS_BUILD_DIR=DIR       work there (default a new /var/tmp/ironpass-zfs-build-*)
#   ZFS_BUILD_KEEP=1        keep it afterwards
#
# It needs root and the Debian archive (like `make e2e`, unlike `make check`),
# and takes about 9 minutes on two cores: `make zfs-build` runs it.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
[ "$(id -u)" = 0 ] || { echo "FAIL: the ZFS module build needs root (mmdebstrap --mode=root)"; exit 1; }
for t in mmdebstrap dpkg-deb modinfo python3 du; do
	command -v $t >/dev/null || { echo "missing '$t': run make deps"; exit 1; }
done
ip=$top/$BUILD/ironpass
[ -x "$ip" ] || { echo "no '$ip': build first (make)"; exit 1; }

work=${ZFS_BUILD_DIR:-$(mktemp -d /var/tmp/ironpass-zfs-build-XXXXXX)}
mkdir -p "$work"
cache=$work/cache
cleanup() { [ "${ZFS_BUILD_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$work"; }
trap cleanup EXIT
fails=0
ok() { echo "PASS  $*"; }
bad() { echo "FAIL  $*"; fails=$((fails + 1)); }
check() {	# check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; else bad "$d"; fi
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1e6 }'; }
jget() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }

echo "== 1. the module build (work: $work)"
t0=$(now)
if ! "$ip" zfs-modules --cache "$cache" --json >"$work/zfs.json" 2>"$work/zfs.log"; then
	tail -n 40 "$work/zfs.log"
	echo "FAIL  ironpass zfs-modules (log: $work/zfs.log)"
	ZFS_BUILD_KEEP=1
	exit 1
fi
t1=$(now)
deb=$(jget "$work/zfs.json" deb)
kver=$(jget "$work/zfs.json" kernel)
nko=$(jget "$work/zfs.json" modules)
nsig=$(jget "$work/zfs.json" signed)
entry=$(dirname "$deb")
check "not from the cache the first time" [ "$(jget "$work/zfs.json" cached)" = False ]
check "package name" [ "$(dpkg-deb -f "$deb" Package)" = ironpass-standin-zfs-modules ]
check "Provides: zfs-modules (zfs-initramfs takes it instead of zfs-dkms)" \
	[ "$(dpkg-deb -f "$deb" Provides)" = zfs-modules ]
check "Depends: kmod only" [ "$(dpkg-deb -f "$deb" Depends)" = kmod ]
check "marked as a test stand-in" sh -c "dpkg-deb -f '$deb' Description | grep -q 'NOT Proxmox VE'"
dpkg-deb -c "$deb" | awk '{ print $NF }' >"$work/files.txt"
check "zfs.ko and spl.ko under lib/modules/$kver/updates/dkms/" \
	grep -qx "./lib/modules/$kver/updates/dkms/zfs.ko" "$work/files.txt"
check "spl.ko too" grep -qx "./lib/modules/$kver/updates/dkms/spl.ko" "$work/files.txt"
check "every module dkms installed is in the package ($nko)" \
	[ "$(grep -c "^\./lib/modules/$kver/updates/dkms/.*\.ko" "$work/files.txt")" = "$nko" ]
mkdir -p "$work/x" && dpkg-deb -x "$deb" "$work/x"
ko=$work/x/lib/modules/$kver/updates/dkms/zfs.ko
check "zfs.ko was built for $kver (vermagic)" \
	sh -c "modinfo -F vermagic '$ko' | grep -q '^$kver '"
if [ "$nsig" -gt 0 ]; then
	check "zfs.ko is signed by dkms's key" \
		sh -c "modinfo -F signer '$ko' | grep -q 'DKMS module signing key'"
	check "dkms's certificate is kept in the entry (for MOK enrolment)" [ -s "$entry/mok.der" ]
fi
check "the build chroot is gone (no temp entries, no work dir)" \
	sh -c "! ls -d '$cache'/zfs-modules/.tmp-* '$entry/work' 2>/dev/null | grep -q ."
t2=$(now)
"$ip" zfs-modules --cache "$cache" --json >"$work/zfs2.json" 2>>"$work/zfs.log"
t3=$(now)
check "a second run comes from the cache" [ "$(jget "$work/zfs2.json" cached)" = True ]
check "... in seconds" [ "$(secs "$t2" "$t3")" -le 10 ]

echo
echo "ZFS build cost (for the closing note):"
echo "  kernel            $kver (linux-headers-amd64 $(jget "$work/zfs.json" headers_version))"
echo "  zfs-dkms          $(jget "$work/zfs.json" zfs_version)"
echo "  wall time         $(secs "$t0" "$t1") s for 'ironpass zfs-modules' (build: $(jget "$work/zfs.json" build_seconds | cut -d. -f1) s)"
echo "  modules           $nko .ko files, $nsig signed, $(mb "$(jget "$work/zfs.json" ko_bytes)")"
echo "  package           $(mb "$(jget "$work/zfs.json" deb_bytes)") ($(basename "$(jget "$work/zfs.json" deb_name)"))"
echo "  cache entry       $(du -sh "$entry" | cut -f1)"

if [ "${ZFS_BUILD_LIVE:-0}" = 1 ]; then
	echo
	echo "== 2. the live root with ZFS (ironpass build, profile test, no payload)"
	t0=$(now)
	if "$ip" build --profile profiles/test.toml --cache "$cache" -o "$work/out" --json \
		>"$work/build.json" 2>"$work/build.log"; then
		t1=$(now)
		key=$(jget "$work/build.json" rootfs_key)
		root=$cache/rootfs/$key/root
		check "the live root has the kernel the modules were built for" \
			[ -e "$root/boot/vmlinuz-$kver" ]
		check "zfs.ko is in that kernel's modules.dep" \
			grep -q "^updates/dkms/zfs.ko:" "$root/lib/modules/$kver/modules.dep"
		check "zfsutils-linux and the package are installed" sh -c \
			"grep -A1 -x 'Package: zfsutils-linux' '$root/var/lib/dpkg/status' | grep -q 'installed' &&
			 grep -A1 -x 'Package: ironpass-standin-zfs-modules' '$root/var/lib/dpkg/status' | grep -q 'installed'"
		check "zpool and zfs are there" test -x "$root/sbin/zpool" -a -x "$root/sbin/zfs"
		check "the package was not left in the root" \
			sh -c "! find '$root' -xdev -name zfs-modules.deb | grep -q ."
		sq=$(jget "$work/build.json" squashfs)
		echo "  live root build   $(secs "$t0" "$t1") s (rootfs + squashfs + ISO)"
		echo "  zfs in the root   $(du -sh "$root/lib/modules/$kver/updates/dkms" | cut -f1) of modules"
		echo "  squashfs          $(mb "$(stat -c %s "$sq")")"
	else
		tail -n 30 "$work/build.log"
		bad "ironpass build (log: $work/build.log)"
	fi
fi

if [ "${ZFS_BUILD_POOL:-0}" = 1 ]; then
	echo
	echo "== 3. the stand-in pool with ZFS"
	t0=$(now)
	if "$ip" standin-pool --cache "$cache" "$work/pool" >"$work/pool.log" 2>&1; then
		t1=$(now)
		p=$work/pool/pool
		check "zfsutils-linux in the pool" sh -c "ls '$p'/zfsutils-linux_*.deb >/dev/null"
		check "zfs-initramfs in the pool" sh -c "ls '$p'/zfs-initramfs_*.deb >/dev/null"
		check "the module package in the pool" \
			sh -c "ls '$p'/ironpass-standin-zfs-modules_*_amd64.deb >/dev/null"
		check "no zfs-dkms, dkms, compiler or headers in the pool" \
			sh -c "! ls '$p' | grep -E '^(zfs-dkms|dkms|gcc-[0-9]+|cpp-[0-9]+|linux-headers-)_'"
		check "the index says what it Provides" grep -qx "Provides: zfs-modules" "$p/Packages"
		echo "  stand-in pool     $(secs "$t0" "$t1") s, $(du -sh "$p" | cut -f1) in all"
		echo "  zfs in the pool   $(du -ch "$p"/*zfs* "$p"/libzpool* "$p"/libnvpair* \
			"$p"/libuutil* 2>/dev/null | tail -n 1 | cut -f1)"
	else
		tail -n 30 "$work/pool.log"
		bad "ironpass standin-pool (log: $work/pool.log)"
	fi
fi

echo
if [ $fails -ne 0 ]; then
	ZFS_BUILD_KEEP=1
	echo "zfs-build: $fails check(s) failed; kept $work"
	exit 1
fi
echo "zfs-build: ok"
