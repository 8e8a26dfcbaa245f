#!/bin/bash
# PXE boot end to end (design §11): UEFI firmware (OVMF, Secure Boot enforced
# with Microsoft's keys by default) → TFTP bootfile shim (bootx64.efi) →
# Debian's signed GRUB netboot (grubx64.efi, grub/grub.cfg) → kernel and
# initrds → live-boot fetches filesystem.squashfs over HTTP from a Python
# http.server on 127.0.0.1 (10.0.2.2 inside QEMU's user network).
# Passes when the installer's ready line reaches the serial console. UEFI:
# GRUB loads kernel and initrds over HTTP when the tree carries its http
# module and Secure Boot is off, over TFTP under Secure Boot (GRUB loads no
# modules then); the run checks GRUB took the way expected and prints how long
# the load took (from GRUB's line to the kernel's first line, 1 s steps).
# Prints "pxe-ready-seconds N" and "pxe-ready-memory-mib USED TOTAL" (the
# installer's memory line: MemTotal - MemAvailable at ready, when the image has it).
#
# Usage: tests/e2e/pxe.sh [OUT]      OUT/pxe from `ironpass build` (default: out)
# Environment:
#   PXE_TIMEOUT     seconds until we give up (default 900; TCG is slow)
#   PXE_PORT        HTTP port; must match the tree's --pxe-url (default 8080)
#   PXE_SECUREBOOT  1: OVMF MS keys + Secure Boot (default); 0: plain OVMF
#   PXE_FIRMWARE    uefi (default); bios: SeaBIOS + QEMU's iPXE ROM as the PXE
#                   client → lpxelinux.0 → pxelinux.cfg/default, kernel/initrds over
#                   HTTP; ipxe: the same ROM chains http://…/ironpass.ipxe directly
#   PXE_MEM         guest memory in MiB (default 2048: the squashfs lives in RAM)
#   PXE_QEMU_ARGS   extra QEMU arguments (word-split), e.g. an IOMMU and a GPU
#   E2E_LOG_DIR     where the console log goes (default OUT/e2e)
# Exit: 0 pass, 1 fail (console log tail printed; also when QEMU or OVMF is missing).
# shellcheck disable=SC2054  # commas belong to QEMU's option syntax
set -u
out=${1:-out}
pxe=$out/pxe
timeout=${PXE_TIMEOUT:-900}
port=${PXE_PORT:-8080}
sb=${PXE_SECUREBOOT:-1}
mem=${PXE_MEM:-2048}
logdir=${E2E_LOG_DIR:-$out/e2e}
ready='ironpass-installer: ready'
fw=${PXE_FIRMWARE:-uefi}
name=pxe-uefi$([ "$sb" = 1 ] && echo -sb)
[ "$fw" = bios ] && name='pxe-bios'
[ "$fw" = ipxe ] && name='pxe-ipxe'

say() { echo "pxe: $*"; }

for t in qemu-system-x86_64 python3; do
	command -v "$t" >/dev/null || { say "FAIL: '$t' is not installed (make deps)"; exit 1; }
done
if [ "$sb" = 1 ]; then
	code=/usr/share/OVMF/OVMF_CODE_4M.ms.fd vars_src=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
else
	code=/usr/share/OVMF/OVMF_CODE_4M.fd vars_src=/usr/share/OVMF/OVMF_VARS_4M.fd
fi
if [ "$fw" = uefi ] && { [ ! -r "$code" ] || [ ! -r "$vars_src" ]; }; then
	say "FAIL: OVMF ($code) is not installed (make deps)"
	exit 1
fi
for f in tftp/lpxelinux.0 tftp/pxelinux.cfg/default tftp/bootx64.efi tftp/grubx64.efi tftp/grub/grub.cfg http/vmlinuz http/initrd.img \
	http/seed.img http/filesystem.squashfs http/SHA256SUMS; do
	[ -s "$pxe/$f" ] || { say "FAIL: '$pxe/$f' is missing (run ironpass build first)"; exit 1; }
done
hostport=10.0.2.2:$port
[ "$port" = 80 ] && hostport=10.0.2.2
if ! grep -q "fetch=http://$hostport/" "$pxe/tftp/grub/grub.cfg"; then
	say "FAIL: '$pxe' was not built for http://10.0.2.2:$port (--pxe-url / PXE_PORT)"
	exit 1
fi
# the tree is what we serve: check it first
if ! (cd "$pxe/http" && sha256sum --quiet -c SHA256SUMS); then
	say "FAIL: SHA256SUMS does not match '$pxe/http'"
	exit 1
fi

mkdir -p "$logdir"
log=$logdir/$name.log
httplog=$logdir/$name-http.log
vars=$(mktemp "${TMPDIR:-/tmp}/ironpass-pxe-vars.XXXXXX")
[ "$fw" = uefi ] && cp "$vars_src" "$vars"
: >"$log"
qemu_pid='' http_pid=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null
	wait 2>/dev/null
	rm -f "$vars"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

python3 -m http.server "$port" --bind 127.0.0.1 --directory "$pxe/http" >"$httplog" 2>&1 &
http_pid=$!
for _ in $(seq 50); do
	python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
		"$port" 2>/dev/null && break
	kill -0 "$http_pid" 2>/dev/null || { say "FAIL: HTTP server on port $port did not start"; cat "$httplog"; exit 1; }
	sleep 0.2
done

read -ra extra <<<"${PXE_QEMU_ARGS:-}"
if [ "$fw" = bios ] || [ "$fw" = ipxe ]; then
	# QEMU's default option ROM (iPXE) is the BIOS PXE client
	bootfile=lpxelinux.0
	[ "$fw" = ipxe ] && bootfile=http://$hostport/ironpass.ipxe
	boot=(-machine q35 -netdev "user,id=n0,tftp=$pxe/tftp,bootfile=$bootfile"
	      -device virtio-net-pci,netdev=n0,bootindex=1)
else
	boot=(-machine q35)
	[ "$sb" = 1 ] && boot=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on)
	boot+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$code"
	       -drive "if=pflash,format=raw,unit=1,file=$vars"
	       -netdev "user,id=n0,tftp=$pxe/tftp,bootfile=bootx64.efi"
	       -device virtio-net-pci,netdev=n0,romfile=,bootindex=1)
fi
start=$(date +%s)
qemu-system-x86_64 -accel tcg "${boot[@]}" -m "$mem" -smp 2 \
	-display none -monitor none -serial file:"$log" -no-reboot "${extra[@]}" &
qemu_pid=$!
say "booting $name (timeout ${timeout}s, log $log)"

# the way GRUB loads kernel and initrds (UEFI), and when it started and ended
expect_way=''
if [ "$fw" = uefi ]; then
	expect_way=TFTP
	[ "$sb" != 1 ] && [ -s "$pxe/tftp/grub/x86_64-efi/http.mod" ] && expect_way=HTTP
fi
t_grub='' t_kernel=''
rc=1
while :; do
	now=$(date +%s)
	[ -z "$t_grub" ] && grep -aq 'ironpass: kernel and initrds over' "$log" && t_grub=$now
	[ -z "$t_kernel" ] && grep -aq 'Linux version' "$log" && t_kernel=$now
	if grep -aq "$ready" "$log"; then
		if [ -n "$expect_way" ]; then
			way=$(grep -ao 'ironpass: kernel and initrds over [A-Z]*' "$log" | head -n 1)
			way=${way##* }
			if [ "$way" != "$expect_way" ]; then
				say "FAIL: GRUB loaded kernel and initrds over '${way:-?}', expected $expect_way"
				break
			fi
			if [ -n "$t_grub" ] && [ -n "$t_kernel" ]; then
				say "GRUB loaded kernel and initrds over $way in $((t_kernel - t_grub)) s"
				echo "pxe-load-seconds $way $((t_kernel - t_grub))"
			fi
		fi
		say "PASS: ready line after $((now - start)) s"
		echo "pxe-ready-seconds $((now - start))"
		# the installer's memory line next to it: MemTotal - MemAvailable at ready
		for _ in $(seq 5); do
			grep -aq 'memory at ready:' "$log" && break
			sleep 1
		done
		tr -d '\r' <"$log" | sed -n -E 's/^ironpass-installer: memory at ready: ([0-9]+) MiB in use of ([0-9]+) MiB.*/pxe-ready-memory-mib \1 \2/p' |
			head -n 1
		# the detect verdict follows the ready line (give it a minute under TCG)
		for _ in $(seq 30); do
			grep -aq '^verdict:' "$log" && break
			sleep 2
		done
		tr -d '\r' <"$log" | grep -a -A3 -E "^($ready|verdict:)" | head -n 12 |
			sed 's/^/    /'
		rc=0
		break
	fi
	if ! kill -0 "$qemu_pid" 2>/dev/null; then
		say "FAIL: QEMU exited before the ready line"
		break
	fi
	if [ $((now - start)) -ge "$timeout" ]; then
		say "FAIL: no ready line within ${timeout}s"
		break
	fi
	sleep 1
done
if [ $rc -ne 0 ]; then
	echo "---- last 60 lines of $log ----"
	tail -n 60 "$log" | tr -d '\r'
	echo "---- HTTP requests ----"
	tail -n 10 "$httplog"
fi
exit $rc
