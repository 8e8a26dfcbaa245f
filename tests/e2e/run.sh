#!/bin/bash
# make e2e: build the test image and boot it under QEMU (TCG), one run after
# the other: BIOS CD, UEFI CD, UEFI with Secure Boot enforced (OVMF MS keys),
# the ISO written to a USB disk, and PXE when the builder made a PXE tree.
# Each run must show "ironpass-installer: ready" and the detect verdict on
# the serial console before its timeout; otherwise the console log's tail is
# printed and the harness exits non-zero. Also checks that two builds of the
# same inputs give byte-identical ISOs.
#
# Environment:
#   BUILD          build directory with ironpass and ironpass-installer (build)
#   E2E_OUT        work/output directory (out/e2e; not under build/, whose *.d
#                  files the Makefile includes)
#   E2E_CACHE      builder cache (cache)
#   E2E_RUNS       runs to do (default: "bios uefi secureboot usb pxe install")
#                  "install" is tests/e2e/install.sh: the unattended install onto a
#                  virtual disk, then the installed disk booted and checked
#                  (E2E_INSTALL_RUNS picks its runs)
#   E2E_TIMEOUT    seconds per boot (default 720: the install e2e runs alongside)
#   E2E_POOL       payload pool dir; "standin" makes the stand-in pool; "none" skips
#   E2E_KEEP=1     keep the console logs of passing runs
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
OUT=${E2E_OUT:-out/e2e}
CACHE=${E2E_CACHE:-cache}
RUNS=${E2E_RUNS:-bios uefi secureboot usb pxe install}
TIMEOUT=${E2E_TIMEOUT:-720}
POOL=${E2E_POOL:-standin}
# SOURCE_DATE_EPOCH: the builder's fixed default unless set (it is part of the
# squashfs cache key, so a per-commit value would rebuild the live root each time)
OVMF=/usr/share/OVMF
IRONPASS="$BUILD/ironpass"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/results.txt"
: >"$RESULTS"

qpid=
hpid=
cleanup() {
	[ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null
	[ -n "$hpid" ] && kill "$hpid" 2>/dev/null && wait "$hpid" 2>/dev/null
	[ -n "${ipid:-}" ] && kill "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail=0
say() { printf '%s\n' "$*"; }
note() { printf '%s\n' "$*" | tee -a "$RESULTS"; }

for t in qemu-system-x86_64 xorriso; do
	command -v "$t" >/dev/null || { say "e2e: missing '$t' (make deps)"; exit 1; }
done
[ -x "$IRONPASS" ] || { say "e2e: no '$IRONPASS' (make first)"; exit 1; }

# ---- build ---------------------------------------------------------------
payload_args=()
case $POOL in
none) ;;
standin)
	if "$IRONPASS" --help 2>&1 | grep -q standin-pool; then
		# reused when it is already there and verifies against its manifest
		say "==> stand-in pool (test payload, NOT Proxmox VE)"
		"$IRONPASS" standin-pool "$CACHE/standin-pool" >"$OUT/standin.log" 2>&1 ||
			{ say "e2e: stand-in pool failed"; tail -n 20 "$OUT/standin.log"; exit 1; }
		payload_args=(--pool "$CACHE/standin-pool")
	fi ;;
*) payload_args=(--pool "$POOL") ;;
esac

build() {	# build OUTDIR LOG [CACHE]
	"$IRONPASS" build --profile profiles/test.toml --cache "${3:-$CACHE}" -o "$1" \
		"${payload_args[@]}" --json >"$1.json" 2>"$2"
}
say "==> build (profile test)"
t0=$(date +%s.%N)
if ! build "$OUT/img" "$OUT/build.log"; then
	say "e2e: build failed"; tail -n 30 "$OUT/build.log"; exit 1
fi
t1=$(date +%s.%N)
ISO="$OUT/img/ironpass-test.iso"
note "build: $(printf '%.1f' "$(awk -v a="$t1" -v b="$t0" 'BEGIN{print a-b}')") s, ISO $(stat -c %s "$ISO") bytes"

say "==> reproducibility: a second build of the same inputs (squashfs made again)"
# the second build shares only the mmdebstrap root (hard links), so the
# overlay, squashfs, seed, ESP and ISO are all made again, seconds later
# (and the ZFS modules: a dkms build made again is not the same package)
rm -rf "$OUT/cache2" && mkdir -p "$OUT/cache2" &&
	cp -al "$CACHE/rootfs" "$CACHE/zfs-modules" "$OUT/cache2/"
sleep 2
if ! build "$OUT/img2" "$OUT/build2.log" "$OUT/cache2"; then
	say "e2e: second build failed"; tail -n 30 "$OUT/build2.log"; exit 1
fi
if cmp -s "$ISO" "$OUT/img2/ironpass-test.iso"; then
	note "PASS  reproducible: two builds give byte-identical ISOs ($(sha256sum <"$ISO" | cut -c1-16))"
else
	note "FAIL  reproducible: the two ISOs differ"
	cmp "$ISO" "$OUT/img2/ironpass-test.iso" | head -3
	fail=1
fi
rm -rf "$OUT/img2" "$OUT/img2.json" "$OUT/cache2"

# ---- boots ----------------------------------------------------------------
# ready_memory LOG: ", 412 of 1987 MiB in use" from the installer's line next to
# its ready line (MemTotal - MemAvailable then), or nothing
ready_memory() {
	tr -d '\r' <"$1" | sed -n -E \
		's/^ironpass-installer: memory at ready: ([0-9]+) MiB in use of ([0-9]+) MiB.*/, \1 of \2 MiB in use/p' |
		head -n 1
}

# boot NAME LOG QEMU-ARGS... : wait for the ready line and the verdict
boot() {
	local name=$1 log=$2; shift 2
	local start now elapsed ready=0 extra=
	rm -f "$log"
	start=$(date +%s.%N)
	qemu-system-x86_64 -accel tcg -m 2048 -smp 2 -display none -monitor none \
		-no-reboot -serial "file:$log" "$@" >"$log.qemu" 2>&1 &
	qpid=$!
	while :; do
		now=$(date +%s.%N)
		elapsed=$(awk -v a="$now" -v b="$start" 'BEGIN{print a-b}')
		if [ -f "$log" ] && grep -aq 'ironpass-installer: ready' "$log" &&
		   grep -aq '^verdict: ' "$log"; then
			ready=1; break
		fi
		kill -0 "$qpid" 2>/dev/null || break
		[ "${elapsed%.*}" -ge "$TIMEOUT" ] && break
		sleep 1
	done
	# the verdict must be the real thing, and Secure Boot must really be on
	if [ $ready = 1 ] && [ "$name" = secureboot ] &&
	   ! grep -aq 'Secure boot enabled' "$log"; then
		ready=0; extra=" (no 'Secure boot enabled' on the console)"
	fi
	# and the installer's own report must have seen the same firmware
	local fwline=
	case $name in
	bios) fwline='BIOS, Secure Boot no' ;;
	uefi) fwline='UEFI, Secure Boot no' ;;
	secureboot) fwline='UEFI, Secure Boot yes' ;;
	esac
	if [ $ready = 1 ] && [ -n "$fwline" ] && ! tr -d '\r' <"$log" | grep -aq "^  $fwline\$"; then
		ready=0
		extra=" (the report does not say '$fwline': $(tr -d '\r' <"$log" | grep -a -m1 -E '^  (UEFI|BIOS), Secure Boot'))"
	fi
	kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null; qpid=
	if [ $ready = 1 ]; then
		note "PASS  $name: ready in $(printf '%.1f' "$elapsed") s$(ready_memory "$log") — $(grep -a -m1 '^verdict: ' "$log" | tr -d '\r')"
		[ "${E2E_KEEP:-0}" = 1 ] || rm -f "$log.qemu"
	else
		note "FAIL  $name: no ready line + verdict after $(printf '%.0f' "$elapsed") s$extra"
		say "---- console log tail ($log) ----"
		tail -n 40 "$log" 2>/dev/null | tr -d '\033' | cut -c1-200
		say "---- qemu ----"; tail -n 5 "$log.qemu" 2>/dev/null
		fail=1
	fi
}

# sub_result NAME RC START LOG PASS_FORMAT: note a harness script's outcome
# (tests/e2e/NAME.sh; exit 77 = cannot run here); %s in PASS_FORMAT = seconds
sub_result() {
	local el
	el=$(awk -v a="$(date +%s.%N)" -v b="$3" 'BEGIN{printf "%.1f", a-b}')
	if [ "$2" = 0 ]; then
		# shellcheck disable=SC2059  # the format is ours
		note "PASS  $1: $(printf "$5" "$el") (tests/e2e/$1.sh)"
	elif [ "$2" = 77 ]; then
		note "SKIP  $1: $(tail -n 1 "$4")"
	else
		note "FAIL  $1: tests/e2e/$1.sh exited $2 after $el s"
		tail -n 60 "$4"
		fail=1
	fi
}

uefi_args() {	# uefi_args CODE VARS-TEMPLATE VARS-COPY
	cp "$2" "$3"
	printf '%s\n' -drive "if=pflash,format=raw,unit=0,readonly=on,file=$1" \
		-drive "if=pflash,format=raw,unit=1,file=$3"
}

# The install e2e (its own image, HTTP servers in its own network namespaces)
# runs alongside the boots: the boots leave a host core idle much of the time.
ipid=
case " $RUNS " in
*" install "*)
	say "==> install e2e started in the background (log: $OUT/install-run.log)"
	istart=$(date +%s.%N)
	BUILD=$BUILD tests/e2e/install.sh >"$OUT/install-run.log" 2>&1 &
	ipid=$! ;;
esac

for run in $RUNS; do
	log="$OUT/console-$run.log"
	say "==> boot: $run"
	case $run in
	bios)
		boot bios "$log" -cdrom "$ISO" -boot d ;;
	uefi)
		mapfile -t fw < <(uefi_args $OVMF/OVMF_CODE_4M.fd $OVMF/OVMF_VARS_4M.fd "$OUT/vars-uefi.fd")
		boot uefi "$log" -machine q35 "${fw[@]}" -cdrom "$ISO" ;;
	secureboot)
		mapfile -t fw < <(uefi_args $OVMF/OVMF_CODE_4M.ms.fd $OVMF/OVMF_VARS_4M.ms.fd \
			"$OUT/vars-sb.fd")
		boot secureboot "$log" -machine q35,smm=on \
			-global driver=cfi.pflash01,property=secure,value=on "${fw[@]}" -cdrom "$ISO" ;;
	usb)
		# the ISO written to a stick, as dd would
		cp "$ISO" "$OUT/usb.img"
		mapfile -t fw < <(uefi_args $OVMF/OVMF_CODE_4M.fd $OVMF/OVMF_VARS_4M.fd "$OUT/vars-usb.fd")
		boot usb "$log" -machine q35 "${fw[@]}" \
			-drive "if=none,id=stick,format=raw,file=$OUT/usb.img" \
			-device qemu-xhci -device usb-storage,drive=stick,bootindex=1
		rm -f "$OUT/usb.img" ;;
	usb-bios)
		cp "$ISO" "$OUT/usb.img"
		boot usb-bios "$log" -drive "if=none,id=stick,format=raw,file=$OUT/usb.img" \
			-device qemu-xhci -device usb-storage,drive=stick,bootindex=1
		rm -f "$OUT/usb.img" ;;
	pxe)
		# the PXE tree's own harness (UEFI + Secure Boot: shim → GRUB netboot →
		# HTTP live root); exit 77 means it cannot run here
		if [ -d "$OUT/img/pxe" ] && [ -x tests/e2e/pxe.sh ]; then
			start=$(date +%s.%N)
			E2E_LOG_DIR="$OUT" PXE_TIMEOUT=$TIMEOUT tests/e2e/pxe.sh "$OUT/img" \
				>"$OUT/pxe-run.log" 2>&1
			sub_result pxe $? "$start" "$OUT/pxe-run.log" "ready in %s s"
		else
			note "SKIP  pxe: no PXE tree in this build"
		fi ;;
	install)
		say "    (running alongside since the build: tests/e2e/install.sh)" ;;
	*)
		note "FAIL  unknown run '$run'"; fail=1 ;;
	esac
done

if [ -n "$ipid" ]; then
	say "==> waiting for the install e2e"
	wait "$ipid"
	rc=$?
	n=$(grep -cE "^install-e2e(\[[ab]\])?: run '.*': pass" "$OUT/install-run.log")
	sub_result install $rc "$istart" "$OUT/install-run.log" "$n runs in %s s"
fi

say
say "e2e summary:"
cat "$RESULTS"
exit $fail
