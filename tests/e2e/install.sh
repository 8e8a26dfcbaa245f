#!/bin/bash
# Unattended install end to end (issue 5, item 5), under QEMU TCG on the e2e
# machine (tests/fixtures/machines/qemu-e2e.toml): q35 + emulated Intel IOMMU,
# std VGA + HDA audio in slot 00:03 as "the GPU", virtio-vga as boot display.
#
# The image is built from profiles/e2e-install.toml: its default boot entry is
# the unattended install, and its boot words point the installer at this
# script's HTTP server (127.0.0.1:8091 = 10.0.2.2:8091 in QEMU's user network)
# for the answer (answer.toml), the payload (payload/) and the first-boot hook
# (first-boot.sh = tests/e2e/install-first-boot.sh). Each run serves its own
# answer, so one image serves every run.
#
# Runs, in the order given within a lane (E2E_INSTALL_RUNS; default: all):
#   bios         install onto a blank 32 GiB qcow2 (SeaBIOS), wait for power-off
#   boot-bios    boot that disk alone; the hook's report on ttyS0 must show IOMMU
#                groups, vfio-pci on 00:03.0 and 00:03.1, the planned kernel
#                command line and modprobe file, /etc/hosts, vmbr0, first boot once
#   reboot-bios  boot it again: the first-boot unit must not run a second time
#   two-disks    two blank disks, a filter matching both → refused, both still blank
#   partitioned  a disk holding partitions, wipe = "empty-only" → refused, unchanged
#   raw-ext4     ext4 on the whole disk (no partition table), "empty-only" → refused
#   lvm-pv       the whole disk an LVM PV of a volume group (pvcreate + vgcreate on a
#                loop device), "empty-only" → refused
#   md-member    the whole disk an md v1.2 member (superblock written by mksig: this
#                host has no md driver), "empty-only" → refused
#   swap-active  a GPT disk whose swap partition the live system activated (live-boot's
#                swap word), wipe = "always" → refused as in use, naming the swap
#                (each of these four: at step 'disk', the disk byte-identical after)
#   bad-payload  base.tar.zst corrupted → stopped at step 'payload', disk still blank
#   uefi         the install with OVMF (pflash, fresh VARS copy); answers/install-uefi.toml
#                names the GPU slot, as OVMF makes the std VGA the boot GPU
#   boot-uefi    boot the UEFI-installed disk, same checks as boot-bios
#
# Runs not in the default list (time: each chain adds ~20 minutes; `make e2e-extra`
# runs them):
#   btrfs-raid1  BIOS install onto two blank disks, btrfs raid1 with compress=zstd
#                (answers/install-btrfs-raid1.toml)
#   boot-btrfs   boot both disks: the checks of boot-bios, storage.cfg
#                with btrfs: local-btrfs, root on btrfs over 2 devices, data and metadata
#                RAID1, the subvolume var/lib/pve/local-btrfs, compress=zstd in fstab
#   secureboot   the install under OVMF's Secure Boot firmware with Microsoft's
#                keys enrolled (OVMF_CODE_4M.ms.fd, a fresh copy of
#                OVMF_VARS_4M.ms.fd, smm=on, secure pflash; as tests/e2e/run.sh
#                boots the ISO): the installer sees Secure Boot on and must put
#                the signed shim + GRUB chain on the ESP
#   boot-secureboot     boot that disk with the install's VARS (the NVRAM entry
#                'proxmox' → \EFI\proxmox\shimx64.efi), same checks as
#                boot-uefi, plus: the kernel says "Secure boot enabled",
#                mokutil --sb-state says "SecureBoot enabled", the SecureBoot
#                efivar is 1, and the firmware started the 'proxmox' entry
#   boot-secureboot-rm  boot it with a fresh copy of the MS-key VARS (no NVRAM
#                entry: the removable path EFI/BOOT/BOOTX64.EFI = shim), same
#                checks, and the entry started is not 'proxmox'
#   zfs-sb       the install under the Secure Boot firmware (as 'secureboot') onto
#                two blank disks, a zfs raid1 (answers/install-zfs-mirror.toml); the
#                VARS copy also holds the stand-in zfs modules' signing certificate
#                as shim's MokList (mokvar): the live system and the node load the
#                module with Secure Boot enforced
#   boot-zfs-sb  boot both disks with the install's VARS: the checks of
#                boot-secureboot, storage.cfg with zfspool: local-zfs, root on
#                rpool/ROOT/pve-1, the pool ONLINE with both disks ONLINE,
#                the zfs module signed, zfs.conf written
#   (`make e2e-zfs` runs this chain: about 40 minutes alone)
#   serial       the interactive install driven over the serial console through
#                tmux: "press Enter" on ttyS0, every screen by keystrokes, the
#                install to its end (tests/e2e/install-serial.sh says what it checks)
#   boot-serial  boot that disk in tmux: the node's console is ttyS0, root logs
#                in there with the password typed on the screens
#   (`make e2e-extra` runs this chain too)
#
# Lanes: with root and network namespaces (unshare -n), the runs go to two
# lanes that run at the same time, each in its own network namespace with its
# own HTTP server on 127.0.0.1:8091 and its own served tree (www-a, www-b):
# the install chains (bios → boot-bios → reboot-bios; uefi → boot-uefi) stay
# in one lane each, the refused runs go to the lane with less work. Each VM
# gets one vCPU (TCG runs a single-vCPU guest fastest: no cross-vCPU TLB
# flushes), so two lanes keep both host cores busy.
#
# Usage: tests/e2e/install.sh
# Environment:
#   BUILD               where ironpass and ironpass-installer are (default build)
#   E2E_INSTALL_OUT     images, logs and the served tree (default out/e2e-install)
#   E2E_INSTALL_RUNS    runs to do (default: bios boot-bios reboot-bios uefi
#                       boot-uefi two-disks partitioned raw-ext4 lvm-pv md-member
#                       swap-active bad-payload; the Secure Boot and btrfs
#                       runs are only done when named here, see above)
#   E2E_INSTALL_POOL    stand-in pool (default cache/standin-pool; built if missing)
#   E2E_INSTALL_TIMEOUT seconds for one install run (default 2400)
#   E2E_BOOT_TIMEOUT    seconds for one boot of the installed disk (default 900)
#   E2E_NEG_TIMEOUT     seconds for one refused run (default 600)
#   E2E_NO_BUILD=1      use the existing image as it is
#   E2E_INSTALL_ISO     the image to boot (default OUT/ironpass-e2e-install.iso)
#   E2E_NO_HTTP=1       another run of this script serves $E2E_INSTALL_OUT/www already
#   E2E_INSTALL_LANES   2 (default) or 1: runs at the same time, see above
#   E2E_SMP             vCPUs per VM (default 1)
# Exit: 0 all pass, 1 a run failed (its console log tail is printed) or a tool is missing.
# shellcheck disable=SC2054  # commas belong to QEMU's option syntax
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
BUILD=${BUILD:-build}
out=${E2E_INSTALL_OUT:-out/e2e-install}
# the Secure Boot and btrfs chains are left out for time: `make e2e-extra` runs them
runs=${E2E_INSTALL_RUNS:-bios boot-bios reboot-bios uefi boot-uefi two-disks partitioned raw-ext4 lvm-pv md-member swap-active bad-payload}
mksig=$BUILD/tests/mksig
mokvar=$BUILD/tests/mokvar
pool=${E2E_INSTALL_POOL:-cache/standin-pool}
t_install=${E2E_INSTALL_TIMEOUT:-2400}
t_boot=${E2E_BOOT_TIMEOUT:-900}
t_neg=${E2E_NEG_TIMEOUT:-600}
port=8091	# fixed: profiles/e2e-install.toml names it
profile=profiles/e2e-install.toml
iso=${E2E_INSTALL_ISO:-$out/ironpass-e2e-install.iso}
logs=$out/logs
www=${E2E_WWW:-$out/www}
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
ovmf_code_sb=/usr/share/OVMF/OVMF_CODE_4M.ms.fd
ovmf_vars_sb=/usr/share/OVMF/OVMF_VARS_4M.ms.fd

say() { echo "install-e2e${E2E_LANE:+[$E2E_LANE]}: $*"; }

for t in qemu-system-x86_64 qemu-img python3 sfdisk mkfs.ext4 mkswap losetup pvcreate vgcreate; do
	command -v "$t" >/dev/null || { say "FAIL: '$t' is not installed (make deps)"; exit 1; }
done

mkdir -p "$logs" "$www"
http_pid='' qemu_pid=''
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	declare -F serial_cleanup >/dev/null && serial_cleanup
	[ -n "${lane_pids:-}" ] && kill $lane_pids 2>/dev/null	# word splitting wanted
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
	[ -n "$http_pid" ] && kill "$http_pid" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the image and what we serve ----------------------------------------------

if [ ! -s "$pool/manifest.json" ]; then
	say "building the stand-in pool in '$pool'"
	"$BUILD/ironpass" standin-pool "$pool" || { say "FAIL: cannot build the pool"; exit 1; }
fi
# the serial runs (sourced: they use this script's helpers)
. tests/e2e/install-serial.sh
case " $runs " in
*" serial "*|*" boot-serial "*)
	command -v tmux >/dev/null || { say "FAIL: 'tmux' is not installed (make deps)"; exit 1; }
	[ -n "${E2E_LANE:-}" ] || serial_build || exit 1 ;;
esac
if [ "${E2E_NO_BUILD:-0}" != 1 ] || [ ! -s "$iso" ]; then
	say "building '$iso'"
	if ! "$BUILD/ironpass" build --profile "$profile" --cache cache -o "$out" \
		>"$logs/build.log" 2>&1; then
		tail -n 30 "$logs/build.log"
		say "FAIL: ironpass build"
		exit 1
	fi
fi

# payload-good: the pool as it is; payload-bad: base.tar.zst with 4 KiB changed
# in the middle (same size: only the SHA-256 can tell)
good=$top/$pool
bad=$out/payload-bad
if [ ! -s "$bad/base.tar.zst" ] || [ "$bad/manifest.json" -ot "$good/manifest.json" ]; then
	rm -rf "$bad"
	mkdir -p "$bad"
	cp -a "$good/pool" "$good/manifest.json" "$bad/"
	cp "$good/base.tar.zst" "$bad/base.tar.zst"
	size=$(stat -c %s "$bad/base.tar.zst")
	dd if=/dev/urandom of="$bad/base.tar.zst" bs=4096 count=1 conv=notrunc \
		seek=$((size / 8192)) status=none
fi

# --- lanes: this script again, twice, each in its own network namespace --------

lane_cost() {	# minutes, roughly, under TCG
	case $1 in bios|uefi|secureboot|btrfs-raid1|zfs-sb|serial) echo 18 ;; boot-*|reboot-*) echo 3 ;; *) echo 4 ;; esac
}

if [ -z "${E2E_LANE:-}" ] && [ "${E2E_INSTALL_LANES:-2}" -ge 2 ]; then
	if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null &&
	   unshare -n true 2>/dev/null; then
		lane_a='' lane_b='' cost_a=0 cost_b=0
		# a chain (an install and the boots of its disk) stays in one lane;
		# each chain, then each lone run, goes to the lane with less work
		add() {
			local c=0 r
			for r in "$@"; do c=$((c + $(lane_cost "$r"))); done
			if [ "$cost_a" -le "$cost_b" ]; then
				lane_a="$lane_a $*"; cost_a=$((cost_a + c))
			else
				lane_b="$lane_b $*"; cost_b=$((cost_b + c))
			fi
		}
		chain_bios='' chain_uefi='' chain_sb='' chain_btrfs='' chain_zfs='' chain_serial='' rest=''
		for r in $runs; do
			case $r in
			bios|boot-bios|reboot-bios) chain_bios="$chain_bios $r" ;;
			uefi|boot-uefi) chain_uefi="$chain_uefi $r" ;;
			secureboot|boot-secureboot|boot-secureboot-rm) chain_sb="$chain_sb $r" ;;
			btrfs-raid1|boot-btrfs) chain_btrfs="$chain_btrfs $r" ;;
			zfs-sb|boot-zfs-sb) chain_zfs="$chain_zfs $r" ;;
			serial|boot-serial) chain_serial="$chain_serial $r" ;;
			*) rest="$rest $r" ;;
			esac
		done
		# the zfs chain first: the longest install (two disks, Secure Boot)
		for ch in "$chain_zfs" "$chain_bios" "$chain_uefi" "$chain_sb" "$chain_btrfs" \
			  "$chain_serial"; do
			# shellcheck disable=SC2086
			[ -z "$ch" ] || add $ch
		done
		for r in $rest; do add "$r"; done
		# made once here, not raced for by the lanes
		[ -e "$out/blank-ref.qcow2" ] || qemu-img create -q -f qcow2 "$out/blank-ref.qcow2" 32G
		total_start=$SECONDS
		declare -A lane_pid
		lane_logs=()
		for lane in a b; do
			lr=lane_$lane
			[ -n "${!lr}" ] || continue
			say "lane $lane:${!lr}"
			: >"$logs/lane-$lane.out"
			lane_logs+=("$logs/lane-$lane.out")
			# unshare and bash -c exec: the PID is the lane's own script
			E2E_LANE=$lane E2E_NO_BUILD=1 E2E_NO_HTTP=0 E2E_INSTALL_RUNS="${!lr}" \
			E2E_WWW="$out/www-$lane" BUILD=$BUILD E2E_INSTALL_OUT=$out \
				unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0" \
				>"$logs/lane-$lane.out" 2>&1 &
			lane_pid[$lane]=$!
		done
		lane_pids="${lane_pid[*]}"
		# follow both lanes' progress lines while they run
		tail -n +1 -q -F "${lane_logs[@]}" 2>/dev/null &
		tail_pid=$!
		rc=0
		for lane in a b; do
			[ -n "${lane_pid[$lane]:-}" ] || continue
			wait "${lane_pid[$lane]}" || rc=1
		done
		lane_pids=''
		sleep 1
		kill "$tail_pid" 2>/dev/null
		wait "$tail_pid" 2>/dev/null
		echo
		say "summary of both lanes (total $((SECONDS - total_start)) s, logs in $logs)"
		for lane in a b; do
			[ -n "${lane_pid[$lane]:-}" ] || continue
			sed -n '/summary (total/,$p' "$logs/lane-$lane.out" | sed 1d
		done
		exit $rc
	fi
	say "no network namespaces here (needs root and unshare): one lane"
fi
smp=${E2E_SMP:-1}

# serve ANSWER and PAYLOAD_DIR for the next run
serve() {
	rm -f "$www/answer.toml" "$www/payload" "$www/first-boot.sh"
	cp "$1" "$www/answer.toml"
	ln -s "$(cd "$2" && pwd)" "$www/payload"
	cp tests/e2e/install-first-boot.sh "$www/first-boot.sh"
}

# what the webhook receiver got (this lane's), one JSON line per event
hooks=$logs/webhook${E2E_LANE:+-$E2E_LANE}.jsonl
if [ "${E2E_NO_HTTP:-0}" != 1 ]; then
	python3 tests/e2e/serve.py --port "$port" --dir "$www" --record "$hooks" \
		>"$logs/http${E2E_LANE:+-$E2E_LANE}.log" 2>&1 &
	http_pid=$!
	sleep 1
	kill -0 "$http_pid" 2>/dev/null ||
		{ cat "$logs/http${E2E_LANE:+-$E2E_LANE}.log"; say "FAIL: no HTTP server"; exit 1; }
fi

# --- QEMU -----------------------------------------------------------------------

machine=(-accel tcg -machine q35,kernel-irqchip=split -device intel-iommu,intremap=on
	 -cpu max -smp "$smp" -m 4096 -vga none -device virtio-vga,addr=01.0
	 -device VGA,addr=03.0,multifunction=on -device ich9-intel-hda,addr=03.1
	 -netdev user,id=n0 -device e1000e,netdev=n0,addr=02.0
	 -display none -no-reboot -monitor none)

# disk FILE FORMAT SERIAL [ADDR]: the QEMU words for one virtio disk
disk() {
	echo "-drive file=$1,format=$2,if=none,id=d$3,cache=unsafe" \
	     "-device virtio-blk-pci,drive=d$3,serial=$3${4:+,addr=$4}"
}

# qemu_run NAME TIMEOUT STOP_REGEX QEMU_ARGS…: QEMU with the serial console in
# $logs/NAME.log, until it exits, the timeout passes, or STOP_REGEX appears in
# the log (then 5 s more, then it is killed). Sets $took (s) and $how
# (exited|stopped|timeout).
qemu_run() {
	local name=$1 limit=$2 stop=$3 start
	shift 3
	log=$logs/$name.log
	: >"$log"
	start=$SECONDS
	qemu-system-x86_64 "${machine[@]}" -serial "file:$log" "$@" \
		>"$logs/$name.qemu.log" 2>&1 &
	qemu_pid=$!
	how=timeout
	while [ $((SECONDS - start)) -lt "$limit" ]; do
		if ! kill -0 "$qemu_pid" 2>/dev/null; then
			how=exited
			break
		fi
		if [ -n "$stop" ] && tr -d '\r' <"$log" | grep -aqE "$stop"; then
			sleep 5
			how=stopped
			break
		fi
		sleep 2
	done
	kill "$qemu_pid" 2>/dev/null
	wait "$qemu_pid" 2>/dev/null
	qemu_pid=''
	took=$((SECONDS - start))
}

fails=0
declare -A result
fail() {
	say "FAIL: $run: $*"
	fails=$((fails + 1))
	result[$run]="FAIL ($*)"
}
show_tail() {
	echo "---- $log (last 40 lines)"
	tr -d '\r' <"$log" | tail -n 40
	echo "----"
	[ -s "$logs/$run.qemu.log" ] && cat "$logs/$run.qemu.log"
}
has() { tr -d '\r' <"$log" | grep -aqE "$1"; }

blank_qcow2() {
	rm -f "$1"
	qemu-img create -q -f qcow2 "$1" 32G
}

# the disk is still all zeros (a qcow2 with no data, or equal to a fresh one)
still_blank() {
	local ref=$out/blank-ref.qcow2
	[ -e "$ref" ] || qemu-img create -q -f qcow2 "$ref" 32G
	qemu-img compare -q "$ref" "$1"
}

# --- checks on the installed system's report ------------------------------------

# the answer each firmware's install is given
answer_for() {
	case $1 in
	uefi|secureboot) echo tests/e2e/answers/install-uefi.toml ;;
	btrfs) echo tests/e2e/answers/install-btrfs-raid1.toml ;;
	zfs) echo tests/e2e/answers/install-zfs-mirror.toml ;;
	*) echo tests/e2e/answers/install.toml ;;
	esac
}

expected_modprobe_sha() {	# ANSWER
	"$BUILD/ironpass-installer" plan --sysroot tests/fixtures/qemu-e2e \
		--answer "$1" --json |
		python3 -c '
import hashlib, json, sys
p = json.load(sys.stdin)
for f in p["files"]:
    if f["path"] == "/etc/modprobe.d/ironpass-vfio.conf":
        print(hashlib.sha256(f["text"].encode()).hexdigest())'
}

fact() { tr -d '\r' <"$log" | sed -n "s/^.*E2E $1: //p" | tail -n 1; }

# check_report FIRST_BOOT(1|0) ANSWER: the facts the hook's report unit printed
check_report() {
	local first=$1 answer=$2 bad=0 v want lsp
	if ! has 'E2E-FACTS-END'; then
		fail "no fact report on the serial console"
		return
	fi
	v=$(fact iommu-groups)
	[ "${v:-0}" -gt 0 ] 2>/dev/null || { fail "no IOMMU groups ('$v')"; bad=1; }
	lsp=$(tr -d '\r' <"$log" | sed -n 's/^.*E2E lspci: //p')
	for fn in 00:03.0 00:03.1; do
		if ! echo "$lsp" | awk -v f="$fn" '/^[0-9a-f][0-9a-f]:/ { cur = $1 }
			cur == f && /Kernel driver in use: vfio-pci/ { ok = 1 } END { exit !ok }'; then
			fail "$fn is not bound to vfio-pci"
			bad=1
		fi
	done
	v=$(fact cmdline)
	case " $v " in
	*" intel_iommu=on iommu=pt "*) ;;
	*) fail "kernel command line lacks 'intel_iommu=on iommu=pt': '$v'"; bad=1 ;;
	esac
	case " $v " in
	*" console=ttyS0,115200 "*) ;;
	*) fail "kernel command line lacks console=ttyS0,115200: '$v'"; bad=1 ;;
	esac
	want=$(expected_modprobe_sha "$answer")
	v=$(fact modprobe-sha256)
	{ [ -n "$want" ] && [ "$v" = "$want" ]; } ||
		{ fail "modprobe.d/ironpass-vfio.conf differs from the plan ($v, want $want)"; bad=1; }
	tr -d '\r' <"$log" | grep -aqE 'E2E hosts: 10\.0\.2\.15[[:space:]]+pve-e2e\.ironpass\.test([[:space:]]|$)' ||
		{ fail "/etc/hosts lacks '10.0.2.15 pve-e2e.ironpass.test'"; bad=1; }
	tr -d '\r' <"$log" | grep -aqE 'E2E interfaces: (auto|iface) vmbr0' ||
		{ fail "/etc/network/interfaces has no vmbr0"; bad=1; }
	tr -d '\r' <"$log" | grep -aqE 'E2E addr: [0-9]+: vmbr0 +inet 10\.0\.2\.15/' ||
		{ fail "vmbr0 did not come up with 10.0.2.15"; bad=1; }
	[ "$(fact firstboot-done)" = yes ] || { fail "firstboot.done is missing"; bad=1; }
	[ "$(fact hook-runs)" = 1 ] || { fail "the first-boot hook ran $(fact hook-runs) times"; bad=1; }
	[ "$(fact firstboot-log-runs)" = 1 ] ||
		{ fail "firstboot.log shows $(fact firstboot-log-runs) hook runs"; bad=1; }
	if [ "$first" = 1 ]; then
		[ "$(fact boots)" = 1 ] || { fail "report says boot $(fact boots), want 1"; bad=1; }
	else
		[ "$(fact boots)" -ge 2 ] 2>/dev/null ||
			{ fail "report says boot $(fact boots), want a later one"; bad=1; }
	fi
	[ "$how" = exited ] || { fail "the node did not power off ($how)"; bad=1; }
	shadow_ok || bad=1
	cluster_ok "$answer" || bad=1
	if ! awk '/^\[vm-template\]/ { s = 1; next } /^\[/ { s = 0 }
		s && /^enabled *= *false/ { off = 1 } END { exit !off }' "$answer"; then
		template_ok "$first" || bad=1
	fi
	return $bad
}

# template_ok FIRST_BOOT(1|0): the Windows VM template was made once over all
# boots (the stand-in qm logs every call), as a template, and its config as qm
# prints it is what the installer's plan gave the first boot (firstboot.json):
# every option, with the disks qm allocated on the planned storage with the
# planned options (base volumes: a template's), ISOs with the size qm adds, q35
# pinned to a version as qm does for Windows, and the GPU's hostpci that the
# fixture plan of this VM says; the Windows ISO that the answer does not give
# is an empty drive and the log says where to put it;
# the answer ISO is there, 0600; on the first boot, the webhook heard it.
template_ok() {
	local first=$1 bad=0 want
	[ "$(fact vm-id)" = 9000 ] || { fail "the template's id is '$(fact vm-id)', want 9000"; bad=1; }
	[ "$(fact qm-creates)" = 1 ] || { fail "qm create ran $(fact qm-creates) times, want 1"; bad=1; }
	[ "$(fact qm-templates)" = 1 ] || { fail "qm template ran $(fact qm-templates) times, want 1"; bad=1; }
	want=$("$BUILD/ironpass-installer" plan --sysroot tests/fixtures/qemu-e2e --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["vm"]["hostpci"][0])')
	python3 - "$want" "$log" <<'PY' || bad=1
import re, sys
lines = open(sys.argv[2], errors="replace").read().replace("\r", "").split("\n")
def facts(name):
    out = []
    for l in lines:
        m = re.search(r"E2E %s: (.*)$" % re.escape(name), l)
        if m:
            out.append(m.group(1))
    return out
want = [tuple(x.replace("\\/", "/").split(" ", 1)) for x in facts("fb-qm")]
cfg = {}
for l in facts("qm-config"):
    k, _, v = l.partition(": ")
    cfg[k] = v
bad = []
if not want:
    bad.append("no qm options in firstboot.json")
for k, v in want:
    got = cfg.get(k)
    if got is None:
        bad.append("option %s missing from the config" % k)
        continue
    m = re.match(r"^([a-z][a-z0-9-]*):(\d+)(,.*)?$", v)
    if k in ("efidisk0", "tpmstate0", "scsi0") and m:
        # a template's disks are base volumes (base-9000-disk-N, as qm template renames them)
        opts = [o for o in (m.group(3) or "").split(",") if o]
        gopts = got.split(",")
        if not re.match(re.escape(m.group(1)) + r":(9000/)?base-9000-disk-\d+", got) \
                or any(o not in gopts for o in opts) \
                or not any(o.startswith("size=") for o in gopts):
            bad.append("%s is '%s', planned '%s'" % (k, got, v))
    elif k == "machine" and v == "q35":
        if not re.match(r"^(q35|pc-q35-\d+\.\d+(\+pve\d+)?)$", got):
            bad.append("machine is '%s', planned q35" % got)
    elif re.match(r"^(ide|sata|scsi)\d+$", k) and "media=cdrom" in v:
        # qm adds the size of an ISO it found
        if re.sub(r",size=[^,]+", "", got) != v:
            bad.append("%s is '%s', planned '%s'" % (k, got, v))
    elif got != v:
        bad.append("%s is '%s', planned '%s'" % (k, got, v))
if cfg.get("template") != "1":
    bad.append("not a template (template: %s)" % cfg.get("template"))
if dict(want).get("hostpci0") != sys.argv[1]:
    bad.append("hostpci0 '%s' is not the fixture plan's '%s'" % (dict(want).get("hostpci0"), sys.argv[1]))
if not any("ide2 is an empty CD drive; upload the ISO" in l for l in facts("fb-log")):
    bad.append("the first-boot log does not say where the missing Windows ISO goes")
for b in bad:
    print("FAIL: template: " + b)
print("template: %d planned options checked against qm config" % len(want))
sys.exit(1 if bad else 0)
PY
	case $(fact unattend-iso) in
	"-rw------- "[1-9]*) ;;
	*) fail "no 0600 answer ISO in the ISO storage ('$(fact unattend-iso)')"; bad=1 ;;
	esac
	if [ "$first" = 1 ] && ! python3 - "$hooks" <<'PY'; then
import json, sys
bodies = [json.loads(json.loads(l)["body"]) for l in open(sys.argv[1]) if l.strip()]
steps = [(b["ironpass"].get("step"), b["ironpass"].get("status")) for b in bodies
         if b.get("ironpass", {}).get("event") == "step"]
sys.exit(0 if ("firstboot-vm-template", "ok") in steps and ("firstboot", "done") in steps
         else 1)
PY
		fail "the webhook did not hear the first boot make the template"; bad=1
	fi
	return $bad
}

# --- secrets --------------------------------------------------------------------

# the root password of answers/install*.toml: a marker that must appear nowhere
marker=IronpassMarker-5c1e9a77

# no_secret DISK: not on the serial console, not in a webhook body, not in any
# block of the installed disk (the qcow2 stores guest data as it is: searching
# the file searches every file, log and free block the install wrote); and the
# webhook did hear the install end
no_secret() {
	if tr -d '\r' <"$log" | grep -aqF "$marker"; then
		fail "the root password appears on the serial console"
		return 1
	fi
	if grep -aqF "$marker" "$hooks"; then
		fail "the root password appears in a webhook body"
		return 1
	fi
	if grep -aqF "$marker" "$1"; then
		fail "the root password appears on the installed disk"
		return 1
	fi
	python3 - "$hooks" <<'PY' || { fail "the webhook received no 'done' event with Proxmox's fields"; return 1; }
import json, sys
# our fields are in "ironpass"; "done" also carries the Proxmox auto-installer's
bodies = [json.loads(json.loads(l)["body"]) for l in open(sys.argv[1]) if l.strip()]
done = [b for b in bodies if b.get("ironpass", {}).get("event") == "done"]
sys.exit(0 if done and done[-1].get("$schema", {}).get("version") == "1.2"
         and done[-1].get("fqdn") == "pve-e2e.ironpass.test"
         and done[-1].get("reboot-mode") == "power-off" else 1)
PY
}

# boot_info_ok FW: the install's 'done' body says what the installer detected:
# boot-info.mode efi or bios, and secureboot true exactly under the Secure Boot firmware
boot_info_ok() {
	python3 - "$hooks" "$1" <<'PY' || { fail "the 'done' body's boot-info does not match firmware '$1'"; return 1; }
import json, sys
bodies = [json.loads(json.loads(l)["body"]) for l in open(sys.argv[1]) if l.strip()]
done = [b for b in bodies if b.get("ironpass", {}).get("event") == "done"]
bi = done[-1].get("boot-info", {}) if done else {}
fw = sys.argv[2]
want = {"mode": "bios" if fw == "bios" else "efi"}
if fw == "secureboot":
    want["secureboot"] = True
print("boot-info:", bi, file=sys.stderr)
sys.exit(0 if bi == want else 1)
PY
}

# the root hash in /etc/shadow (printed by the report) is a yescrypt hash of the marker
shadow_ok() {
	local h
	h=$(fact shadow-root)
	case $h in '$y$'*) ;; *) fail "root's hash is not yescrypt: '${h:0:8}…'"; return 1 ;; esac
	python3 -W ignore - "$marker" "$h" <<'PY' || { fail "root's hash does not match the answer's password"; return 1; }
import crypt, sys
sys.exit(0 if crypt.crypt(sys.argv[1], sys.argv[2]) == sys.argv[2] else 1)
PY
}

# the lines of a multi-line fact in the last report, whitespace squeezed, blank
# lines dropped, joined with '|'
fact_lines() {
	tr -d '\r' <"$log" | awk '/E2E-FACTS-BEGIN/ { n = 0 } { l[n++] = $0 } END {
		for (i = 0; i < n; i++) print l[i] }' | sed -n "s/^.*E2E $1: //p" |
		tr -s ' \t' '  ' | sed 's/^ //; s/ $//' | grep -v '^$' | paste -sd'|'
}

# cluster_ok ANSWER: the seeded storage.cfg (ext4 on LVM; the 32 GiB disk has the
# thin pool data), datacenter.cfg (the answer's keyboard as Proxmox's console
# keymap) and user.cfg (root@pam with the answer's mailto), the database written,
# the bare /etc/pve immutable and the stand-in pve-cluster's mount on it with .version
cluster_ok() {
	local answer=$1 bad=0 kb mail want got
	kb=$(sed -n 's/^keyboard *= *"\(.*\)"/\1/p' "$answer")
	mail=$(sed -n 's/^mailto *= *"\(.*\)"/\1/p' "$answer")
	case $kb in dk) kb=da ;; jp) kb=ja ;; se) kb=sv ;; si) kb=sl ;; esac
	if grep -q '^filesystem = "btrfs"' "$answer"; then
		want='dir: local|path /var/lib/vz|content iso,vztmpl,backup|disable|btrfs: local-btrfs'
		want+='|path /var/lib/pve/local-btrfs|content iso,vztmpl,backup,images,rootdir,import'
	elif grep -q '^filesystem = "zfs"' "$answer"; then
		want='dir: local|path /var/lib/vz|content iso,vztmpl,backup,import|zfspool: local-zfs'
		want+='|pool rpool/data|sparse|content images,rootdir'
	else
		want='dir: local|path /var/lib/vz|content iso,vztmpl,backup,import|lvmthin: local-lvm'
		want+='|thinpool data|vgname pve|content rootdir,images'
	fi
	got=$(fact_lines pve-storage)
	[ "$got" = "$want" ] || { fail "storage.cfg is '$got', want '$want'"; bad=1; }
	got=$(fact_lines pve-datacenter)
	[ "$got" = "keyboard: $kb" ] || { fail "datacenter.cfg is '$got', want 'keyboard: $kb'"; bad=1; }
	got=$(fact_lines pve-user)
	want="user:root@pam:1:0:::$mail::"
	[ "$got" = "$want" ] || { fail "user.cfg is '$got', want '$want'"; bad=1; }
	[ "$(fact pve-config-db)" = yes ] || { fail "no /var/lib/pve-cluster/config.db"; bad=1; }
	case $(fact pve-mount-attrs) in
	*i*) ;;
	*) fail "/etc/pve is not immutable ('$(fact pve-mount-attrs)')"; bad=1 ;;
	esac
	# the stand-in pve-cluster.service mounted it, as pmxcfs would be
	[ "$(fact pve-mounted)" = yes ] && [ "$(fact pve-version)" = yes ] ||
		{ fail "/etc/pve is not mounted or has no .version"; bad=1; }
	return $bad
}

# sb_ok NVRAM(1|0): Secure Boot was on for the node's kernel, and the firmware
# started the 'proxmox' NVRAM entry (1) or another one, the removable path (0)
sb_ok() {
	local bad=0 cur label
	[ "$(fact sb-kernel)" = "Secure boot enabled" ] ||
		{ fail "the kernel did not report 'Secure boot enabled' ('$(fact sb-kernel)')"; bad=1; }
	[ "$(fact sb-state)" = "SecureBoot enabled" ] ||
		{ fail "mokutil --sb-state says '$(fact sb-state)'"; bad=1; }
	[ "$(fact sb-efivar)" = 1 ] ||
		{ fail "the SecureBoot efivar is '$(fact sb-efivar)', want 1"; bad=1; }
	cur=$(fact_lines efiboot | tr '|' '\n' | sed -n 's/^BootCurrent: //p')
	label=$(fact_lines efiboot | tr '|' '\n' |
		sed -n "s/^Boot${cur:-none}[* ] \([^[:space:]]*\).*/\1/p")
	if [ "$1" = 1 ] && [ "$label" != proxmox ]; then
		fail "the firmware started Boot${cur:-?} '$label', not the 'proxmox' entry"
		bad=1
	elif [ "$1" = 0 ] && { [ -z "$cur" ] || [ "$label" = proxmox ]; }; then
		fail "want the removable path, the firmware started Boot${cur:-?} '$label'"
		bad=1
	fi
	return $bad
}

# fw_args FW VARS: the firmware words for QEMU into the array fwargs (none for
# bios); secureboot as tests/e2e/run.sh boots the ISO (design §11)
fw_args() {
	case $1 in
	uefi)
		fwargs=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code"
			-drive "if=pflash,format=raw,unit=1,file=$2") ;;
	secureboot)
		fwargs=(-machine q35,kernel-irqchip=split,smm=on
			-global driver=cfi.pflash01,property=secure,value=on
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code_sb"
			-drive "if=pflash,format=raw,unit=1,file=$2") ;;
	*) fwargs=() ;;
	esac
}

# --- the runs -------------------------------------------------------------------

# install_verdict FW DISK…: the install run just made said "install done" and
# powered off, the root password is on none of its disks, and the 'done' body's
# boot-info matches FW
install_verdict() {
	local fw=$1 d
	shift
	if has 'install failed'; then
		fail "$(tr -d '\r' <"$log" | grep -a 'install failed' | tail -n 1)"
		return 1
	elif ! has 'ironpass-installer: install done in'; then
		fail "no 'install done' ($how after ${took} s)"
		return 1
	elif [ "$how" != exited ]; then
		fail "install done but no power-off ($how after ${took} s)"
		return 1
	fi
	for d in "$@"; do
		no_secret "$d" || return 1
	done
	boot_info_ok "$fw"
}

# install NAME DISK FW: the unattended install; the machine must power off after
# "install done"
do_install() {
	local fw=$2 dsk=$out/disk-$2.qcow2 fwargs=()
	blank_qcow2 "$dsk"
	case $fw in
	uefi) cp "$ovmf_vars" "$out/vars-uefi.fd" ;;
	secureboot) cp "$ovmf_vars_sb" "$out/vars-secureboot.fd" ;;
	esac
	fw_args "$fw" "$out/vars-$fw.fd"
	serve "$(answer_for "$fw")" "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_install" 'install failed' "${fwargs[@]}" \
		$(disk "$dsk" qcow2 IRONPASS-E2E-OS 04.0) -cdrom "$iso" -boot order=d
	install_verdict "$fw" "$dsk"
}

# boot NAME FW FIRST [VARS]: boot the disk FW's install wrote, with that
# install's VARS unless VARS names another copy
do_boot() {
	local fw=$2 first=$3 dsk=$out/disk-$2.qcow2 fwargs=()
	[ -s "$dsk" ] || { fail "no installed disk '$dsk' (run '$fw' first)"; return 1; }
	fw_args "$fw" "${4:-$out/vars-$fw.fd}"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_boot" '' "${fwargs[@]}" $(disk "$dsk" qcow2 IRONPASS-E2E-OS 04.0)
	check_report "$first" "$(answer_for "$fw")"
}

# btrfs raid1 over two disks (BIOS): the install, then the boot of both disks
do_install_btrfs() {
	local a=$out/disk-btrfs-a.qcow2 b=$out/disk-btrfs-b.qcow2
	blank_qcow2 "$a"
	blank_qcow2 "$b"
	serve "$(answer_for btrfs)" "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_install" 'install failed' \
		$(disk "$a" qcow2 IRONPASS-E2E-OS 04.0) $(disk "$b" qcow2 IRONPASS-E2E-OS2 05.0) \
		-cdrom "$iso" -boot order=d
	install_verdict bios "$a" "$b"
}

do_boot_btrfs() {
	local a=$out/disk-btrfs-a.qcow2 b=$out/disk-btrfs-b.qcow2 bad=0
	[ -s "$a" ] && [ -s "$b" ] || { fail "no installed disks (run 'btrfs-raid1' first)"; return 1; }
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_boot" '' \
		$(disk "$a" qcow2 IRONPASS-E2E-OS 04.0) $(disk "$b" qcow2 IRONPASS-E2E-OS2 05.0)
	check_report 1 "$(answer_for btrfs)" || bad=1
	case $(fact rootfs) in
	btrfs*) ;;
	*) fail "the root is not btrfs ('$(fact rootfs)')"; bad=1 ;;
	esac
	[ "$(fact btrfs-devices)" = 2 ] || { fail "btrfs over $(fact btrfs-devices) devices, want 2"; bad=1; }
	has 'E2E btrfs-df: Data, RAID1' || { fail "data is not RAID1"; bad=1; }
	has 'E2E btrfs-df: Metadata, RAID1' || { fail "metadata is not RAID1"; bad=1; }
	has 'E2E btrfs-subvol: .* path var/lib/pve/local-btrfs' ||
		{ fail "no subvolume var/lib/pve/local-btrfs"; bad=1; }
	has 'E2E fstab-root: UUID=[0-9a-f-]+ / btrfs defaults,compress=zstd 0 1' ||
		{ fail "fstab's root line is not 'UUID=… / btrfs defaults,compress=zstd 0 1'"; bad=1; }
	return $bad
}

# the certificate the stand-in zfs modules are signed with (the newest module
# build in the cache: the one the image and the pool were made with)
zfs_cert() {
	ls -t cache/zfs-modules/*/mok.der 2>/dev/null | head -n 1
}

# zfs raid1 over two disks under Secure Boot: the MS-key VARS plus the module
# key as MokList, the install, then the boot of both disks
do_install_zfs() {
	local a=$out/disk-zfs-a.qcow2 b=$out/disk-zfs-b.qcow2 vars=$out/vars-zfs.fd cert fwargs=()
	cert=$(zfs_cert)
	[ -s "$cert" ] || { fail "no zfs module certificate in cache/zfs-modules (build the image)"; return 1; }
	[ -x "$mokvar" ] || { fail "no '$mokvar' (make $mokvar)"; return 1; }
	cp "$ovmf_vars_sb" "$vars"
	"$mokvar" "$vars" "$cert" || { fail "mokvar could not enroll '$cert'"; return 1; }
	blank_qcow2 "$a"
	blank_qcow2 "$b"
	fw_args secureboot "$vars"
	serve "$(answer_for zfs)" "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_install" 'install failed' "${fwargs[@]}" \
		$(disk "$a" qcow2 IRONPASS-E2E-OS 04.0) $(disk "$b" qcow2 IRONPASS-E2E-OS2 05.0) \
		-cdrom "$iso" -boot order=d
	install_verdict secureboot "$a" "$b"
}

do_boot_zfs() {
	local a=$out/disk-zfs-a.qcow2 b=$out/disk-zfs-b.qcow2 bad=0 fwargs=() ds
	[ -s "$a" ] && [ -s "$b" ] || { fail "no installed disks (run 'zfs-sb' first)"; return 1; }
	fw_args secureboot "$out/vars-zfs.fd"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_boot" '' "${fwargs[@]}" \
		$(disk "$a" qcow2 IRONPASS-E2E-OS 04.0) $(disk "$b" qcow2 IRONPASS-E2E-OS2 05.0)
	check_report 1 "$(answer_for zfs)" || bad=1
	sb_ok 1 || bad=1
	[ "$(fact zfs-root)" = rpool/ROOT/pve-1 ] ||
		{ fail "the root is '$(fact zfs-root)', not rpool/ROOT/pve-1"; bad=1; }
	[ "$(fact zpool-health)" = ONLINE ] ||
		{ fail "rpool is '$(fact zpool-health)', not ONLINE"; bad=1; }
	[ "$(fact zpool-online-leaves)" = 2 ] ||
		{ fail "rpool has $(fact zpool-online-leaves) ONLINE disks, want 2"; bad=1; }
	has 'E2E zpool-status:[[:space:]]+mirror-0[[:space:]]+ONLINE' ||
		{ fail "rpool is not a mirror"; bad=1; }
	[ -n "$(fact zfs-signer)" ] || { fail "the zfs module is not signed"; bad=1; }
	for ds in rpool/ROOT/pve-1 rpool/data rpool/var-lib-vz; do
		case " $(fact zfs-datasets) " in
		*" $ds "*) ;;
		*) fail "no dataset $ds in '$(fact zfs-datasets)'"; bad=1 ;;
		esac
	done
	case $(fact zfs-arc-conf) in
	"options zfs zfs_arc_max="[0-9]*) ;;
	*) fail "zfs.conf is '$(fact zfs-arc-conf)'"; bad=1 ;;
	esac
	return $bad
}

# a refused run: the failing step and message, and the disks as they were
# neg STEP MESSAGE_REGEX
neg_expect() {
	if ! has "install failed at step '$1'"; then
		fail "not refused at step '$1' ($how after ${took} s)"
		return 1
	fi
	if ! has "$2"; then
		fail "refused, but without '$2'"
		return 1
	fi
	has 'step partition: started' && { fail "partitioning started"; return 1; }
	return 0
}

do_two_disks() {
	local a=$out/neg-a.qcow2 b=$out/neg-b.qcow2
	blank_qcow2 "$a"
	blank_qcow2 "$b"
	serve tests/e2e/answers/two-disks-filter.toml "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_neg" 'install failed|install done' \
		$(disk "$a" qcow2 IRONPASS-E2E-A 04.0) $(disk "$b" qcow2 IRONPASS-E2E-B 05.0) \
		-cdrom "$iso" -boot order=d
	neg_expect disk 'filter matches 2 disks' || return 1
	still_blank "$a" || { fail "disk A was written"; return 1; }
	still_blank "$b" || { fail "disk B was written"; return 1; }
}

do_partitioned() {
	local d=$out/neg-parts.raw ref=$out/neg-parts.ref.raw
	rm -f "$d" "$ref"
	truncate -s 32G "$d"
	printf 'label: gpt\n,1GiB,L\n,4GiB,L\n' | sfdisk -q "$d" >/dev/null ||
		{ fail "sfdisk could not partition '$d'"; return 1; }
	cp --sparse=always "$d" "$ref"
	serve tests/e2e/answers/partitioned-no-wipe.toml "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_neg" 'install failed|install done' \
		$(disk "$d" raw IRONPASS-E2E-P 04.0) -cdrom "$iso" -boot order=d
	neg_expect disk "is not empty \\(gpt partition table on /dev/vda" || return 1
	qemu-img compare -q -f raw -F raw "$ref" "$d" || { fail "the disk was changed"; return 1; }
	rm -f "$ref"
}

# neg_disk DISK ANSWER REGEX: boot with the prepared raw DISK as /dev/vda, expect the
# refusal at step 'disk' with REGEX, and the disk byte-identical afterwards
neg_disk() {
	local d=$1 ref=$1.ref
	cp --sparse=always "$d" "$ref" || { fail "cannot copy '$d'"; return 1; }
	serve "$2" "$good"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_neg" 'install failed|install done' \
		$(disk "$d" raw IRONPASS-E2E-N 04.0) -cdrom "$iso" -boot order=d
	neg_expect disk "$3" || return 1
	qemu-img compare -q -f raw -F raw "$ref" "$d" || { fail "the disk was changed"; return 1; }
	rm -f "$ref" "$d"
}

new_raw() { rm -f "$1" "$1.ref" && truncate -s 32G "$1"; }

do_raw_ext4() {
	local d=$out/neg-ext4.raw
	new_raw "$d"
	mkfs.ext4 -F -q -L olddata "$d" || { fail "mkfs.ext4 on '$d'"; return 1; }
	neg_disk "$d" tests/e2e/answers/partitioned-no-wipe.toml \
		"disk 'vda' is not empty \\(ext4 'olddata' on /dev/vda\\)"
}

do_lvm_pv() {
	local d=$out/neg-pv.raw loop ok=0
	new_raw "$d"
	loop=$(losetup -f --show "$d") || { fail "losetup '$d'"; return 1; }
	pvcreate -q -y "$loop" 2>/dev/null && vgcreate -q olddata "$loop" 2>/dev/null && ok=1
	vgchange -q -a n olddata >/dev/null 2>&1
	losetup -d "$loop"
	[ $ok = 1 ] || { fail "pvcreate/vgcreate on '$loop'"; return 1; }
	neg_disk "$d" tests/e2e/answers/partitioned-no-wipe.toml \
		"disk 'vda' is not empty \\(LVM2_member on /dev/vda\\)"
}

do_md_member() {
	local d=$out/neg-md.raw
	new_raw "$d"
	"$mksig" md "$d" || { fail "mksig md '$d'"; return 1; }
	neg_disk "$d" tests/e2e/answers/partitioned-no-wipe.toml \
		"disk 'vda' is not empty \\(linux_raid_member 'ironpass:e2e' on /dev/vda\\)"
}

# a swap partition the live system uses: even wipe = "always" is refused
do_swap_active() {
	local d=$out/neg-swap.raw sw=$out/neg-swap.area
	new_raw "$d"
	printf 'label: gpt\nsize=1GiB, type=S\n' | sfdisk -q "$d" >/dev/null ||
		{ fail "sfdisk on '$d'"; return 1; }
	rm -f "$sw" && truncate -s 1G "$sw" && mkswap -q -L oldswap "$sw" >/dev/null &&
		dd if="$sw" of="$d" bs=1M seek=1 conv=notrunc,sparse status=none ||
		{ fail "making the swap partition"; return 1; }
	rm -f "$sw"
	neg_disk "$d" tests/e2e/answers/wipe-always.toml \
		"refusing to write to '/dev/vda': '/dev/vda1' is in use: active swap" || return 1
}

do_bad_payload() {
	local d=$out/neg-payload.qcow2
	blank_qcow2 "$d"
	serve tests/e2e/answers/install.toml "$bad"
	# shellcheck disable=SC2046
	qemu_run "$run" "$t_neg" 'install failed|install done' \
		$(disk "$d" qcow2 IRONPASS-E2E-OS 04.0) -cdrom "$iso" -boot order=d
	neg_expect payload 'base\.tar\.zst' || return 1
	has 'step disk: started' && { fail "disk selection started"; return 1; }
	still_blank "$d" || { fail "the disk was written"; return 1; }
}

total_start=$SECONDS
order=()
for run in $runs; do
	say "run '$run' ..."
	log=$logs/$run.log
	took=0 how=''
	case $run in
	bios) do_install "$run" bios ;;
	uefi)
		if [ ! -r "$ovmf_code" ] || [ ! -r "$ovmf_vars" ]; then
			fail "no OVMF ($ovmf_code): make deps"
		else
			do_install "$run" uefi
		fi ;;
	boot-bios) do_boot "$run" bios 1 ;;
	reboot-bios) do_boot "$run" bios 0 ;;
	boot-uefi) do_boot "$run" uefi 1 ;;
	secureboot)
		if [ ! -r "$ovmf_code_sb" ] || [ ! -r "$ovmf_vars_sb" ]; then
			fail "no OVMF with Microsoft's keys ($ovmf_code_sb): make deps"
		else
			do_install "$run" secureboot
		fi ;;
	boot-secureboot)
		do_boot "$run" secureboot 1 && sb_ok 1 ;;
	boot-secureboot-rm)
		# fresh MS-key VARS: no NVRAM entry, so the removable path
		cp "$ovmf_vars_sb" "$out/vars-secureboot-rm.fd"
		do_boot "$run" secureboot 0 "$out/vars-secureboot-rm.fd" && sb_ok 0 ;;
	btrfs-raid1) do_install_btrfs ;;
	boot-btrfs) do_boot_btrfs ;;
	zfs-sb)
		if [ ! -r "$ovmf_code_sb" ] || [ ! -r "$ovmf_vars_sb" ]; then
			fail "no OVMF with Microsoft's keys ($ovmf_code_sb): make deps"
		else
			do_install_zfs
		fi ;;
	boot-zfs-sb) do_boot_zfs ;;
	serial) do_serial ;;
	boot-serial) do_boot_serial ;;
	two-disks) do_two_disks ;;
	partitioned) do_partitioned ;;
	raw-ext4) do_raw_ext4 ;;
	lvm-pv) do_lvm_pv ;;
	md-member) do_md_member ;;
	swap-active) do_swap_active ;;
	bad-payload) do_bad_payload ;;
	*) say "unknown run '$run'"; exit 2 ;;
	esac
	st=$?
	order+=("$run")
	if [ $st -eq 0 ] && [ -z "${result[$run]:-}" ]; then
		result[$run]="pass"
	else
		[ -z "${result[$run]:-}" ] && fail "failed"
		show_tail
	fi
	result[$run]="${result[$run]} in ${took} s"
	say "run '$run': ${result[$run]}"
	# the install's own per-step times, from its serial console
	case $run in bios|uefi|secureboot|btrfs-raid1|zfs-sb)
		tr -d '\r' <"$log" | sed -n '/install done in/,/powering off/p' | sed 's/^/    /' ;;
	serial)
		plain_log | sed -n '/install done in/,/rebooting/p' | sed 's/^/    /' ;;
	esac
done

echo
say "summary (total $((SECONDS - total_start)) s, logs in $logs)"
for run in "${order[@]}"; do
	printf '  %-12s %s\n' "$run" "${result[$run]}"
done
[ "$fails" -eq 0 ]
