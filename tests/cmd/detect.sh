#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ironpass-installer detect on every fixture tree (text and --json), on broken
# trees (one clear line, never a crash) and its option handling.
set -u
BUILD=${BUILD:-build}
bin="$BUILD/ironpass-installer"
top=$(cd "$(dirname "$0")/../.." && pwd)
[ -x "$bin" ] || { echo "no '$bin': build first"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d /tmp/ironpass-detect-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

n=0
for fx in "$top"/tests/fixtures/*/; do
	fx=${fx%/}
	[ -d "$fx/sys" ] || continue
	name=${fx##*/}
	n=$((n + 1))
	"$bin" detect --sysroot "$fx" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 0 ] || bad "$name: exit $rc: $(head -n 3 "$tmp/err")"
	[ -s "$tmp/err" ] && bad "$name: stderr not empty: $(head -n 3 "$tmp/err")"
	head -n 1 "$tmp/out" | grep -Eqx 'verdict: (ready|ready with warnings|not ready)' ||
		bad "$name: first line is '$(head -n 1 "$tmp/out")'"
	for s in CPU Memory Firmware IOMMU GPUs Disks NICs DMI; do
		grep -q "^$s" "$tmp/out" || bad "$name: no '$s' section"
	done
	"$bin" detect --sysroot "$fx" --json >"$tmp/json" 2>"$tmp/err" || bad "$name: --json failed"
	python3 -m json.tool "$tmp/json" >/dev/null 2>&1 || bad "$name: --json is not JSON"
	# the JSON verdict agrees with the text one
	jv=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"]["level"])' \
		"$tmp/json" 2>/dev/null)
	[ "verdict: $jv" = "$(head -n 1 "$tmp/out")" ] || bad "$name: JSON verdict '$jv' differs"
done
[ $n -ge 9 ] || bad "only $n fixture trees found"

# capture.sh round trip: re-capturing a tree (serials kept) gives the same report
for m in intel-hybrid-nvidia dual-socket-server qemu-e2e; do
	rm -rf "$tmp/recap"
	bash "$top/tests/fixtures/capture.sh" --keep-serials --from "$top/tests/fixtures/$m" \
		"$tmp/recap" >/dev/null 2>&1 || bad "capture.sh --from $m failed"
	"$bin" detect --sysroot "$top/tests/fixtures/$m" >"$tmp/a" 2>&1
	"$bin" detect --sysroot "$tmp/recap" >"$tmp/b" 2>&1
	cmp -s "$tmp/a" "$tmp/b" || bad "capture of $m differs: $(diff "$tmp/a" "$tmp/b" | head -n 4)"
done
# and anonymises by default: serials, UUID, the device part of MACs
rm -rf "$tmp/recap"
bash "$top/tests/fixtures/capture.sh" --from "$top/tests/fixtures/shared-group-nic" "$tmp/recap" \
	>/dev/null 2>&1
"$bin" detect --sysroot "$tmp/recap" >"$tmp/b" 2>&1
grep -q "serial 'S4EVNX0N000004'" "$tmp/b" && bad "capture kept a disk serial"
grep -q "18:c0:4d:00:00:01 driver e1000e" "$tmp/b" || bad "capture: MAC not anonymised as expected"
grep -q "18:c0:4d:00:00:02 driver igb" "$tmp/b" || bad "capture: MACs not numbered"

# a sysroot that does not exist: exactly one line, exit 1
"$bin" detect --sysroot "$tmp/nope" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || bad "missing sysroot: exit $rc"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || bad "missing sysroot: $(wc -l <"$tmp/err") lines on stderr"
grep -q "^ironpass-installer: cannot read sysroot '.*nope': No such file or directory$" "$tmp/err" ||
	bad "missing sysroot: message '$(cat "$tmp/err")'"
[ -s "$tmp/out" ] && bad "missing sysroot: stdout not empty"

# not a system tree
mkdir -p "$tmp/empty/etc"
"$bin" detect --sysroot "$tmp/empty" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] || bad "empty tree: exit $rc, $(cat "$tmp/err")"

# a broken tree: garbage everywhere still gives a report (exit 0) with notes
b="$tmp/broken"
mkdir -p "$b/sys/bus/pci/devices/0000:01:00.0" "$b/sys/kernel/iommu_groups/x" "$b/sys/block/sda" \
	"$b/proc/self" "$b/sys/class/net/eth0" "$b/sys/devices/cpu_core" "$b/sys/devices/cpu_atom"
printf '0x10de\n' >"$b/sys/bus/pci/devices/0000:01:00.0/vendor"
printf 'zz\n' >"$b/sys/bus/pci/devices/0000:01:00.0/device"
ln -s ../../../nowhere "$b/sys/bus/pci/devices/0000:02:00.0"
ln -s nowhere "$b/sys/bus/pci/devices/garbage"
head -c 300 /dev/urandom >"$b/proc/cpuinfo"
printf 'a-b\n' >"$b/sys/devices/cpu_core/cpus"
printf '\0\0\0\n' >"$b/sys/devices/cpu_atom/cpus"
printf -- '-5\n' >"$b/sys/block/sda/size"
printf 'garbage\n' >"$b/proc/self/mountinfo"
ln -s ../../nowhere "$b/sys/class/net/eth0/device"
"$bin" detect --sysroot "$b" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 0 ] || bad "broken tree: exit $rc: $(cat "$tmp/err")"
head -n 1 "$tmp/out" | grep -qx 'verdict: not ready' || bad "broken tree: $(head -n 1 "$tmp/out")"
grep -q "^Notes" "$tmp/out" || bad "broken tree: no notes"
"$bin" detect --sysroot "$b" --json | python3 -m json.tool >/dev/null 2>&1 ||
	bad "broken tree: --json is not JSON"

# options
"$bin" detect --help | grep -q -- '--sysroot' || bad "--help does not mention --sysroot"
"$bin" detect --bogus >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || bad "--bogus: wrong exit"
grep -q "Try 'ironpass-installer --help'" "$tmp/err" || bad "--bogus: no Try line"
"$bin" detect extra >/dev/null 2>&1
[ $? -eq 2 ] || bad "extra argument accepted"

[ $fail -eq 0 ] && echo "detect: $n fixtures ok"
exit $fail
