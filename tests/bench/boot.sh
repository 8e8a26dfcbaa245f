#!/bin/bash
# PXE versus ISO under QEMU (TCG): seconds from QEMU's start to the line
# "ironpass-installer: ready" on the serial console, and the memory in use
# then (the installer's next line: MemTotal - MemAvailable, from the guest's
# /proc/meminfo). PXE holds the live root in RAM (live-boot fetch=), the ISO
# reads it from the CD. Uses an image that exists; builds nothing.
#   BENCH_BOOT_IMG       ironpass build output with the ISO and pxe/ (default
#                        out/e2e/img, what make e2e builds)
#   BENCH_BOOT_MODES     default "iso-uefi pxe-uefi" (OVMF without Secure Boot, the
#                        same firmware for both); also iso-bios, pxe-bios (SeaBIOS,
#                        iPXE ROM → lpxelinux), pxe-uefi-sb
#   BENCH_BOOT_MEM       guest RAM in MiB (default 2048, as the e2e runs)
#   BENCH_BOOT_MINMEM=1  also the smallest RAM (in 128 MiB steps from 256) that
#                        still reaches ready, per mode, by bisection: about 4 boots each
#   BENCH_BOOT_TIMEOUT   seconds per boot (default 600)
# One QEMU at a time.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
img=${BENCH_BOOT_IMG:-out/e2e/img}
modes=${BENCH_BOOT_MODES:-iso-uefi pxe-uefi}
mem=${BENCH_BOOT_MEM:-2048}
timeout=${BENCH_BOOT_TIMEOUT:-600}
OVMF=/usr/share/OVMF
iso=$(ls "$img"/ironpass-*.iso 2>/dev/null | head -n 1)

command -v qemu-system-x86_64 >/dev/null || { echo "skipped: no qemu-system-x86_64 (make deps)"; exit 0; }
[ -n "$iso" ] || { echo "skipped: no ISO in '$img' (make e2e builds one; or BENCH_BOOT_IMG)"; exit 0; }
[ -d "$img/pxe/http" ] || { echo "skipped: no PXE tree in '$img'"; exit 0; }

work=$(mktemp -d /tmp/ironpass-bench-boot.XXXXXX)
qpid=
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
status=0

# the port the PXE tree was built for (its --pxe-url), so pxe.sh serves it there
port=$(sed -n -E 's|.*fetch=http://10\.0\.2\.2:([0-9]+)/.*|\1|p' "$img/pxe/tftp/grub/grub.cfg" | head -n 1)
port=${port:-80}

# memline LOG: "USED TOTAL" (MiB) from the installer's memory line, or nothing
memline() {
	tr -d '\r' <"$1" | sed -n -E \
		's/^ironpass-installer: memory at ready: ([0-9]+) MiB in use of ([0-9]+) MiB.*/\1 \2/p' |
		head -n 1
}

# iso_boot FIRMWARE MEM LOG: QEMU from the ISO (as tests/e2e/run.sh boots it);
# prints the seconds to ready, or nothing
iso_boot() {
	local fw=$1 m=$2 log=$3 start now el
	local args=(-cdrom "$iso")
	if [ "$fw" = uefi ]; then
		cp "$OVMF/OVMF_VARS_4M.fd" "$work/vars.fd"
		args=(-machine q35 -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF/OVMF_CODE_4M.fd"
		      -drive "if=pflash,format=raw,unit=1,file=$work/vars.fd" "${args[@]}")
	else
		args+=(-boot d)
	fi
	: >"$log"
	start=$(date +%s.%N)
	nice qemu-system-x86_64 -accel tcg -m "$m" -smp 2 -display none -monitor none \
		-no-reboot -serial "file:$log" "${args[@]}" >"$log.qemu" 2>&1 &
	qpid=$!
	while :; do
		now=$(date +%s.%N)
		el=$(awk -v a="$now" -v b="$start" 'BEGIN{printf "%.1f", a-b}')
		if grep -aq 'ironpass-installer: ready' "$log"; then
			for _ in 1 2 3 4 5; do grep -aq 'memory at ready' "$log" && break; sleep 1; done
			echo "$el"
			break
		fi
		kill -0 "$qpid" 2>/dev/null || break
		[ "${el%.*}" -ge "$timeout" ] && break
		sleep 1
	done
	kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; qpid=
}

# pxe_boot FIRMWARE MEM LOG: tests/e2e/pxe.sh; prints the seconds to ready, or nothing
pxe_boot() {
	local fw=$1 m=$2 log=$3 sb=0
	[ "$fw" = uefi-sb ] && { fw=uefi; sb=1; }
	PXE_FIRMWARE=$fw PXE_SECUREBOOT=$sb PXE_MEM=$m PXE_PORT=$port PXE_TIMEOUT=$timeout \
		E2E_LOG_DIR="$work/pxe-log" nice tests/e2e/pxe.sh "$img" >"$log.run" 2>&1
	cat "$work"/pxe-log/pxe-*.log >"$log" 2>/dev/null
	rm -rf "$work/pxe-log"
	sed -n 's/^pxe-ready-seconds //p' "$log.run" | head -n 1
}

# boot MODE MEM LOG: seconds to ready, or nothing
boot() {
	case $1 in
	iso-*) iso_boot "${1#iso-}" "$2" "$3" ;;
	pxe-*) pxe_boot "${1#pxe-}" "$2" "$3" ;;
	esac
}

echo "image: $iso and $img/pxe (PXE over http://10.0.2.2:$port), QEMU TCG, -smp 2, -m $mem"
printf '%-12s %10s %24s\n' "boot" "to ready" "memory in use at ready"
for mode in $modes; do
	case $mode in
	iso-bios | iso-uefi | pxe-bios | pxe-uefi | pxe-uefi-sb) ;;
	*) echo "unknown mode '$mode'"; status=1; continue ;;
	esac
	log=$work/$mode.log
	t=$(boot "$mode" "$mem" "$log")
	if [ -z "$t" ]; then
		echo "$mode: no ready line within ${timeout} s; console tail:"
		tail -n 15 "$log" 2>/dev/null | tr -d '\r\033' | cut -c1-160 | sed 's/^/    /'
		status=1
		continue
	fi
	read -r used total <<<"$(memline "$log")"
	printf '%-12s %8s s %24s\n' "$mode" "$t" \
		"${used:-?} MiB of ${total:-?} MiB"
	[ -n "${used:-}" ] || echo "    (no memory line: an image built before the installer printed it)"

	[ "${BENCH_BOOT_MINMEM:-0}" = 1 ] || continue
	# the smallest -m (256 MiB and up, 128 MiB steps) that still reaches ready, by
	# bisection (assumes that more RAM never hurts); a boot that has not reached
	# ready by twice the time above counts as a failure
	local_timeout=$timeout
	timeout=$(awk -v t="$t" 'BEGIN{t = 2 * t; printf "%d", t < 120 ? 120 : t}')
	lo=0 hi=$(((mem - 256) / 128))		# step indexes; hi is known to work
	while [ "$lo" -lt "$hi" ]; do
		mid=$(((lo + hi) / 2))
		m=$((256 + mid * 128))
		if [ -n "$(boot "$mode" "$m" "$work/min.log")" ]; then
			echo "    -m $m: ready"; hi=$mid
		else
			echo "    -m $m: no ready line within $timeout s"; lo=$((mid + 1))
		fi
	done
	timeout=$local_timeout
	echo "    smallest RAM that reaches ready: $((256 + hi * 128)) MiB (128 MiB steps)"
done
exit $status
