#!/bin/bash
# make deps: install every Debian package ironpass needs to build, test and
# make images. Idempotent: says what it installs, installs only what is missing.
set -eu
pkgs=(
	# build
	build-essential pkg-config clang libclang-rt-14-dev scdoc
	libpci-dev pci.ids libarchive-dev libjson-c-dev libcmocka-dev
	libcurl4-openssl-dev libssl-dev libcrypt-dev libblkid-dev
	# images: live root, squashfs, ISO, boot loaders, ESP
	mmdebstrap squashfs-tools xorriso isolinux syslinux-common pxelinux
	shim-signed grub-efi-amd64-signed grub-pc-bin grub-efi-amd64-bin grub-common
	mtools dosfstools zstd cpio libarchive-tools fdisk
	# tests: xmllint checks the Windows answer file (tests/unit/xml-check.c)
	libxml2-utils
	# tests: a DNS server on 127.0.0.1 for the answer's TXT records
	# (tests/unit/test-inst-answer-discover.c); the binary only, no system service
	dnsmasq-base
	# tests: a real btrfs raid1 on two loop devices (tests/cmd/inst-btrfs-image.sh)
	btrfs-progs
	# e2e refusals: a whole-disk LVM PV made on the host (pvcreate, vgcreate)
	lvm2
	# tests: modinfo on the ZFS modules built (tests/e2e/zfs-build.sh)
	kmod
	# payload: pool index (dpkg-scanpackages), stand-in packages (dpkg-deb)
	dpkg-dev
	# tests: QEMU, firmware, screens; ip for the e2e lanes' own network namespaces
	qemu-system-x86 qemu-utils ovmf ipxe-qemu dialog tmux python3 curl
	ca-certificates iproute2
	# bench: the rack load test's web server (a private instance on loopback; Debian
	# also enables its own nginx.service, which the bench does not use); dnsmasq-base
	# above also checks docs/pxe.md's dnsmasq configuration
	nginx
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages already installed"
	exit 0
fi
echo "deps: installing ${#missing[@]} package(s): ${missing[*]}"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
echo "deps: done"
