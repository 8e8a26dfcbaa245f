#!/bin/bash
# Root-only: partition a sparse 12 GiB image through a loop device with the
# REAL runner (wipefs, sfdisk script on stdin), check the table with
# sfdisk --dump, then mkfs the ESP, swap and root (through partition loop
# devices when the kernel's partition nodes do not appear, e.g. without
# udev) and check the UUIDs and types with blkid. Loop devices are always
# released. Skips (77) unless root with working losetup and the tools.
# LVM is not exercised here (device-mapper is often missing in containers).
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
for t in losetup sfdisk wipefs mkfs.fat mkfs.ext4 mkswap blkid blockdev; do
	command -v $t >/dev/null || { echo "missing '$t': run make deps"; exit 1; }
done
[ -e "$BUILD/installer/libinstaller.a" ] || { echo "no '$BUILD/installer/libinstaller.a': build first"; exit 1; }

work=$(mktemp -d /tmp/ironpass-image-XXXXXX)
loops=()
cleanup() {
	for ((i = ${#loops[@]} - 1; i >= 0; i--)); do losetup -d "${loops[i]}" 2>/dev/null; done
	rm -rf "$work"
}
trap cleanup EXIT

truncate -s 12G "$work/disk.img"
disk=$(losetup -fP --show "$work/disk.img" 2>/dev/null) || { echo "skip: losetup failed"; exit 77; }
loops+=("$disk")

# the driver links the same archives as the unit tests
san=
nm "$BUILD/lib/libironpass.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
cc -std=gnu17 -D_GNU_SOURCE $san -I"$top/lib" -I"$top/installer" \
	$(pkg-config --cflags libarchive) -o "$work/driver" "$top/tests/cmd/inst-disk-image.c" \
	"$BUILD/installer/libinstaller.a" "$BUILD/lib/libironpass.a" \
	$(pkg-config --libs libpci libarchive json-c libcurl libcrypto blkid) -lcrypt -lm || exit 1
export ASAN_OPTIONS=detect_leaks=0

fail() { echo "FAIL: $*"; exit 1; }

# a filesystem on the whole disk, mounted: the disk step refuses, naming the
# device and the mount point, and the disk is left exactly as it was
mkfs.ext4 -F -q -L busy "$disk" || fail "mkfs.ext4 on the whole disk"
before=$(dd if="$disk" bs=1M count=4 status=none | sha256sum)
# read-only, no journal: the mount itself writes nothing
mkdir -p "$work/busy" && mount -o ro,noload "$disk" "$work/busy" || fail "mounting the whole disk"
if out=$("$work/driver" part "$disk" 2>&1); then
	umount "$work/busy"
	fail "partitioned a disk that is mounted"
fi
umount "$work/busy"
echo "$out"
grep -q "refusing to write to '$disk': '$disk' is in use: mounted on '$work/busy'" <<<"$out" ||
	fail "the refusal does not name the mounted disk"
[ "$(dd if="$disk" bs=1M count=4 status=none | sha256sum)" = "$before" ] ||
	fail "the disk changed"
[ "$(blkid -c /dev/null -o value -s LABEL "$disk")" = busy ] || fail "the filesystem is gone"
echo "ok: a mounted disk is refused before anything is written"

# some old signature that must disappear
printf 'label: dos\n\ntype=83\n' | sfdisk -q "$disk" >/dev/null || fail "seeding an MBR"
"$work/driver" part "$disk" || fail "partition step"
dump=$(sfdisk --dump "$disk") || fail "sfdisk --dump"
echo "$dump"
grep -q '^label: gpt' <<<"$dump" || fail "not GPT"
grep -Eq "${disk}p1 : start= *2048, size= *2048, type=21686148-6449-6E6F-744E-656564454649" \
	<<<"$dump" || fail "BIOS boot partition"
grep -Eq "${disk}p2 : start= *4096, size= *1048576, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B" \
	<<<"$dump" || fail "ESP (512 MiB on a 12 GiB disk)"
grep -Eq "${disk}p3 : start= *1052672, .*type=E6D6D379-F507-44C2-A23C-238F2A3DF928" \
	<<<"$dump" || fail "LVM partition"
[ "$(grep -c "^${disk}p" <<<"$dump")" = 3 ] || fail "expected 3 partitions"

# partition devices: the kernel's, or loop devices over the same ranges
part_dev() {
	local n=$1 start size
	if [ -b "${disk}p$n" ]; then echo "${disk}p$n"; return; fi
	start=$(sed -n "s|^${disk}p$n : start= *\([0-9]*\),.*|\1|p" <<<"$dump")
	size=$(sed -n "s|^${disk}p$n : .*size= *\([0-9]*\),.*|\1|p" <<<"$dump")
	losetup -f --show -o $((start * 512)) --sizelimit $((size * 512)) "$work/disk.img"
}
esp=$(part_dev 2) && loops+=("$esp") || fail "ESP device"
root=$(part_dev 3) && loops+=("$root") || fail "root device"
# swap lives in an LV in the real install; a small separate image stands in for it here
truncate -s 64M "$work/swap.img"
swap=$(losetup -f --show "$work/swap.img") && loops+=("$swap") || fail "swap device"

out=$("$work/driver" mkfs "$esp" "$root" "$swap") || fail "mkfs step"
echo "$out"
[ "$(blkid -c /dev/null -o value -s TYPE "$esp")" = vfat ] || fail "ESP type"
[ "$(blkid -c /dev/null -o value -s TYPE "$root")" = ext4 ] || fail "root type"
[ "$(blkid -c /dev/null -o value -s UUID "$root")" = "$(sed -n 's/^root //p' <<<"$out")" ] ||
	fail "root UUID"
[ "$(blkid -c /dev/null -o value -s UUID "$esp")" = "$(sed -n 's/^esp //p' <<<"$out")" ] ||
	fail "ESP UUID"
[ "$(blkid -c /dev/null -o value -s TYPE "$swap")" = swap ] || fail "swap type"
[ "$(blkid -c /dev/null -o value -s UUID "$swap")" = "$(sed -n 's/^swap //p' <<<"$out")" ] ||
	fail "swap UUID"

# GRUB for BIOS must find the BIOS boot partition by its type and embed core.img
# there; with /boot on another device (as with LVM) it refuses to install otherwise.
setup=/usr/lib/grub/i386-pc/grub-bios-setup
if [ -x "$setup" ] && command -v grub-mkimage >/dev/null; then
	# GRUB cannot size loop partition nodes: a plain loop device over the same range
	start=$(sed -n "s|^${disk}p3 : start= *\([0-9]*\),.*|\1|p" <<<"$dump")
	groot=$(losetup -f --show -o $((start * 512)) "$work/disk.img") && loops+=("$groot") ||
		fail "loop device for GRUB"
	mkdir -p "$work/check" && mount "$groot" "$work/check" || fail "mounting root for GRUB"
	mkdir -p "$work/check/grub"
	cp /usr/lib/grub/i386-pc/boot.img "$work/check/grub/" &&
		grub-mkimage -O i386-pc -o "$work/check/grub/core.img" -p /boot/grub \
			biosdisk part_gpt ext2 || { umount "$work/check"; fail "grub-mkimage"; }
	gout=$("$setup" -d "$work/check/grub" "$disk" 2>&1)
	grc=$?
	umount "$work/check"
	echo "$gout"
	[ $grc = 0 ] || fail "grub-bios-setup could not embed core.img (BIOS boot partition type?)"
	grep -q "no BIOS Boot Partition" <<<"$gout" && fail "GRUB did not see the BIOS boot partition"
	# the first sector of the BIOS boot partition now holds core.img
	[ "$(dd if="$disk" bs=512 skip=2048 count=1 status=none | tr -d '\0' | wc -c)" -gt 0 ] ||
		fail "BIOS boot partition still empty"
	echo "ok: grub-bios-setup embedded core.img into the BIOS boot partition"
fi

# mount root + ESP through the runner, unpack a small tar.zst, unmount
command -v zstd >/dev/null || { echo "ok: GPT + mkfs (no zstd: unpack not checked)"; exit 0; }
mkdir -p "$work/tree/etc" "$work/tree/usr/bin" "$work/tree/home/u" "$work/target" "$work/check"
echo hello > "$work/tree/etc/hello"
ln "$work/tree/etc/hello" "$work/tree/etc/hello.link"
ln -s usr/bin "$work/tree/bin"
chmod 0700 "$work/tree/home/u"
echo mine > "$work/tree/home/u/notes"
chown -R 1234:1234 "$work/tree/home/u"
tar -C "$work/tree" --numeric-owner -cf - . | zstd -q -o "$work/base.tar.zst" || fail "making the archive"
if ! grep -qw vfat /proc/filesystems && ! modprobe -q vfat 2>/dev/null; then
	# without vfat the ESP mount fails: the root mount before it must be undone
	"$work/driver" unpack "$esp" "$root" "$work/target" "$work/base.tar.zst" &&
		fail "ESP mount succeeded without vfat?"
	mountpoint -q "$work/target" && fail "root mount not undone after the ESP failed"
	echo "ok: GPT + mkfs; no vfat in this kernel: checked the undo of a failed mount instead"
	exit 0
fi
"$work/driver" unpack "$esp" "$root" "$work/target" "$work/base.tar.zst" || fail "mount/unpack/umount"
mountpoint -q "$work/target" && fail "target still mounted"
mount -o ro "$root" "$work/check" || fail "mounting the result"
ok=1
[ "$(cat "$work/check/etc/hello")" = hello ] || ok=0
[ "$(stat -c %h "$work/check/etc/hello")" = 2 ] || ok=0
[ "$(readlink "$work/check/bin")" = usr/bin ] || ok=0
[ "$(stat -c %a:%u "$work/check/home/u")" = 700:1234 ] || ok=0
[ -d "$work/check/boot/efi" ] || ok=0
umount "$work/check"
[ $ok = 1 ] || fail "unpacked tree differs"
echo "ok: GPT + mkfs + mount + unpack + umount on a 12 GiB image"
