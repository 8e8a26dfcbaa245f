#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ironpass-installer template --dry-run on three fixture machines, each with a
# Proxmox VE storage.cfg: one `would run: qm …` line per command, the plan's
# hostpci and fitted cores/memory, the disks on the storage that takes images;
# refusals (no storage for images, a refused plan, usage) change nothing.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin="$BUILD/ironpass-installer"
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
[ -x "$bin" ] || { echo "no '$bin': build first"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d /tmp/ironpass-template-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# machine, storage.cfg kind, the hostpci0 value the plan gives it
node() {	# node DIR KIND: a copy of fixture DIR with a storage.cfg of KIND
	local dir=$tmp/$1-$2
	cp -a "$top/tests/fixtures/$1/." "$dir/"
	mkdir -p "$dir/etc/pve"
	case $2 in
	lvm) printf 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n'`
		`'lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n' ;;
	zfs) printf 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n'`
		`'zfspool: tank-off\n\tpool tank\n\tcontent images\n\tdisable\n\n'`
		`'zfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n' ;;
	none) printf 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n' ;;
	esac >"$dir/etc/pve/storage.cfg"
	echo "$dir"
}

check() {	# check FIXTURE KIND STORAGE HOSTPCI0
	local root out
	root=$(node "$1" "$2")
	out=$("$bin" template --dry-run --sysroot "$root" 2>"$tmp/err") ||
		{ bad "$1/$2: exit $? ($(cat "$tmp/err"))"; return; }
	[ "$(grep -c . <<<"$out")" = 3 ] || bad "$1/$2: not three lines: $out"
	grep -vq '^would run: qm ' <<<"$out" && bad "$1/$2: a line that is not 'would run: qm': $out"
	[ "$(sed -n 1p <<<"$out")" = "would run: qm status 9000" ] || bad "$1/$2: no status first"
	[ "$(sed -n 3p <<<"$out")" = "would run: qm template 9000" ] || bad "$1/$2: no template last"
	local create
	create=$(sed -n 2p <<<"$out")
	for want in "qm create 9000 --name win11-passthrough --ostype win11 --machine q35 --bios ovmf" \
		" --efidisk0 $3:1,efitype=4m,pre-enrolled-keys=1 --tpmstate0 $3:1,version=v2.0" \
		" --scsi0 $3:128,iothread=1,discard=on,ssd=1" " --hostpci0 $4 " " --vga none --agent 1"; do
		grep -qF -- "$want" <<<"$create" || bad "$1/$2: '$want' missing in: $create"
	done
	# the same cores and memory as the plan
	local plan cores mem
	plan=$("$bin" plan --json --sysroot "$root")
	cores=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["vm"]["cores"])' <<<"$plan")
	mem=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["vm"]["memory"])' <<<"$plan")
	grep -qF -- " --cores $cores " <<<"$create" || bad "$1/$2: cores not $cores: $create"
	grep -qF -- " --memory $mem " <<<"$create" || bad "$1/$2: memory not $mem: $create"
	echo "$1 ($2): $create"
}

check amd-dual-navi10 lvm local-lvm "0000:0b:00,pcie=1,x-vga=1"
check intel-hybrid-nvidia zfs local-zfs "0000:01:00,pcie=1,x-vga=1"
check dual-socket-server lvm local-lvm "0000:5e:00,pcie=1"

# no storage that takes images: refused, saying what to do
root=$(node amd-dual-navi10 none)
if out=$("$bin" template --dry-run --sysroot "$root" 2>&1); then
	bad "no images storage: accepted: $out"
fi
grep -q "no storage in '/etc/pve/storage.cfg' takes VM disks" <<<"$out" || bad "no storage: $out"
grep -q "would run" <<<"$out" && bad "no storage: still showed commands: $out"
# the answer's storage wins
printf '[vm-template]\nstorage = "fast"\nvmid = 123\n' >"$tmp/answer.toml"
out=$("$bin" template --dry-run --sysroot "$root" --answer "$tmp/answer.toml" 2>&1) ||
	bad "answer storage: exit $?: $out"
grep -qF "qm create 123 " <<<"$out" || bad "answer vmid: $out"
grep -qF -- "--scsi0 fast:128," <<<"$out" || bad "answer storage: $out"

# a refused plan: exit 3, the reason, no command
out=$("$bin" template --dry-run --sysroot "$top/tests/fixtures/single-gpu" 2>&1)
rc=$?
[ $rc = 3 ] || bad "single-gpu: exit $rc, not 3"
grep -q "plan refused: this host has a single GPU" <<<"$out" || bad "single-gpu: $out"
grep -q "would run" <<<"$out" && bad "single-gpu: showed commands"

# usage
"$bin" template --sysroot "$root" >/dev/null 2>&1; [ $? = 2 ] || bad "no mode: not exit 2"
"$bin" template --apply --sysroot "$root" >/dev/null 2>&1; [ $? = 2 ] || bad "--apply --sysroot: not 2"
"$bin" template --dry-run --apply >/dev/null 2>&1; [ $? = 2 ] || bad "both modes: not 2"
"$bin" template --help | grep -q -- "--dry-run" || bad "--help"
[ $fail = 0 ] && echo ok
exit $fail
