#!/bin/bash
# Root-only: a real btrfs raid1 the way the install makes it, on two sparse
# 2 GiB images through loop devices, with the REAL runner: the mkfs step
# (vfat on the ESP, mkfs.btrfs -d raid1 -m raid1 over both), the mount step
# (both devices named, the subvolume var/lib/pve/local-btrfs made), unmount.
# Then checks with btrfs-progs that the filesystem spans both devices, that
# data and metadata are RAID1, and that the subvolume exists. Loop devices are
# always released. Skips (77) only when not root (or when the kernel gives no
# loop device); a missing tool is a failure ("run make deps").
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
for t in losetup mkfs.fat mkfs.btrfs btrfs blkid mount umount; do
	command -v $t >/dev/null || { echo "missing '$t': run make deps"; exit 1; }
done
[ -e "$BUILD/installer/libinstaller.a" ] || { echo "no '$BUILD/installer/libinstaller.a': build first"; exit 1; }

work=$(mktemp -d /tmp/ironpass-btrfs-XXXXXX)
loops=()
cleanup() {
	mountpoint -q "$work/check" 2>/dev/null && umount "$work/check"
	mountpoint -q "$work/target/boot/efi" 2>/dev/null && umount "$work/target/boot/efi"
	mountpoint -q "$work/target" 2>/dev/null && umount "$work/target"
	for ((i = ${#loops[@]} - 1; i >= 0; i--)); do losetup -d "${loops[i]}" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

truncate -s 2G "$work/a.img" "$work/b.img"
truncate -s 64M "$work/esp.img"
for f in a b esp; do
	dev=$(losetup -f --show "$work/$f.img" 2>/dev/null) || { echo "skip: losetup failed"; exit 77; }
	loops+=("$dev")
done
a=${loops[0]} b=${loops[1]} esp=${loops[2]}

san=
nm "$BUILD/lib/libironpass.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
cc -std=gnu17 -D_GNU_SOURCE $san -I"$top/lib" -I"$top/installer" \
	$(pkg-config --cflags libarchive) -o "$work/driver" "$top/tests/cmd/inst-disk-image.c" \
	"$BUILD/installer/libinstaller.a" "$BUILD/lib/libironpass.a" \
	$(pkg-config --libs libpci libarchive json-c libcurl libcrypto blkid) -lcrypt -lm || exit 1
export ASAN_OPTIONS=detect_leaks=0

# the install refuses raid1 on one device before running anything
if out=$("$work/driver" btrfs raid1 "$esp" "$work/target" "$a" 2>&1); then
	fail "made a raid1 on one device"
fi
grep -q "btrfs raid1 needs at least 2 disks, not 1" <<<"$out" || fail "refusal: $out"
[ -z "$(blkid -c /dev/null -o value -s TYPE "$a")" ] || fail "the device was written"
echo "ok: raid1 on one device is refused before anything is written"

mkdir -p "$work/target"
if grep -qw vfat /proc/filesystems; then
	out=$("$work/driver" btrfs raid1 "$esp" "$work/target" "$a" "$b") || fail "mkfs/mount: $out"
	echo "$out"
	grep -q "^mounts left 0$" <<<"$out" || fail "mounts left behind"
else
	# no vfat in this kernel (and no modprobe): the ESP mount fails after the
	# root was mounted and the subvolume made; the root mount must be undone
	out=$("$work/driver" btrfs raid1 "$esp" "$work/target" "$a" "$b" 2>&1) &&
		fail "the ESP mount succeeded without vfat?"
	echo "$out"
	grep -q "'mount' failed" <<<"$out" || fail "not the ESP mount that failed: $out"
	echo "ok: no vfat in this kernel: the ESP mount failed and the root mount was undone"
fi
mountpoint -q "$work/target" && fail "target still mounted"
uuid=$(blkid -c /dev/null -o value -s UUID "$a")
[ -n "$uuid" ] || fail "no UUID on the first device"
[ "$(blkid -c /dev/null -o value -s TYPE "$a")" = btrfs ] || fail "first device type"
[ "$(blkid -c /dev/null -o value -s TYPE "$b")" = btrfs ] || fail "second device type"
[ "$(blkid -c /dev/null -o value -s UUID "$b")" = "$uuid" ] || fail "one filesystem over both"
[ "$(blkid -c /dev/null -o value -s TYPE "$esp")" = vfat ] || fail "ESP type"
show=$(btrfs filesystem show "$uuid") || fail "btrfs filesystem show"
echo "$show"
grep -q "Total devices 2" <<<"$show" || fail "not two devices"

mkdir -p "$work/check"
mount -t btrfs -o "device=$b" "$a" "$work/check" || fail "mounting the result"
df=$(btrfs filesystem df "$work/check") || fail "btrfs filesystem df"
echo "$df"
grep -q "^Data, RAID1" <<<"$df" || fail "data not RAID1"
grep -q "^Metadata, RAID1" <<<"$df" || fail "metadata not RAID1"
subs=$(btrfs subvolume list "$work/check") || fail "btrfs subvolume list"
echo "$subs"
grep -q " path var/lib/pve/local-btrfs$" <<<"$subs" || fail "no subvolume var/lib/pve/local-btrfs"
[ -d "$work/check/var/lib/vz" ] && [ -d "$work/check/boot/efi" ] || fail "directories"
# nothing but the subvolume: the root is the filesystem's top level, as Proxmox has it
[ "$(wc -l <<<"$subs")" = 1 ] || fail "more subvolumes than local-btrfs"
umount "$work/check"
echo "ok: btrfs raid1 over two loop devices, with the subvolume var/lib/pve/local-btrfs"
