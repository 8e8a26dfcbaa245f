#!/bin/bash
# make run-qemu: boot an ironpass ISO in QEMU (TCG) with the serial console on
# this terminal (Ctrl-A X quits, Ctrl-A C for QEMU's monitor).
#   ISO=FILE        the image (default: the newest out/ironpass-*.iso)
#   QEMU_FW=sb      UEFI + Secure Boot enforced (OVMF MS keys; default),
#          uefi     UEFI without Secure Boot, bios  SeaBIOS
#   QEMU_USB=1      attach the ISO as a USB stick instead of a CD
#   QEMU_DISK=SIZE  add a blank virtio disk to install onto (e.g. 32G)
#   QEMU_MEM=MiB    memory (default 4096)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
iso=${ISO:-$(ls -t "$top"/out/ironpass-*.iso 2>/dev/null | head -n 1)}
[ -n "$iso" ] && [ -r "$iso" ] || { echo "run-qemu: no ISO (make demo, or ISO=FILE)" >&2; exit 1; }
fw=${QEMU_FW:-sb}
work=$(mktemp -d /tmp/ironpass-qemu.XXXXXX)
trap 'rm -rf "$work"' EXIT
args=(-accel tcg -m "${QEMU_MEM:-4096}" -smp 2 -nographic)
case $fw in
bios) ;;
uefi)
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
	args+=(-machine q35
	       -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
	       -drive "if=pflash,format=raw,unit=1,file=$work/vars.fd") ;;
sb)
	cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$work/vars.fd"
	args+=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
	       -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.ms.fd
	       -drive "if=pflash,format=raw,unit=1,file=$work/vars.fd") ;;
*) echo "run-qemu: QEMU_FW must be sb, uefi or bios" >&2; exit 2 ;;
esac
if [ "${QEMU_USB:-0}" = 1 ]; then
	args+=(-drive "if=none,id=stick,format=raw,readonly=on,file=$iso"
	       -device qemu-xhci -device usb-storage,drive=stick,bootindex=1)
else
	args+=(-cdrom "$iso")
fi
if [ -n "${QEMU_DISK:-}" ]; then
	qemu-img create -q -f qcow2 "$work/disk.qcow2" "$QEMU_DISK"
	args+=(-drive "if=virtio,format=qcow2,file=$work/disk.qcow2")
fi
echo "run-qemu: $iso ($fw); the installer prints on this serial console"
qemu-system-x86_64 "${args[@]}"
