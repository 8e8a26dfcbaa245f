#!/bin/bash
# A rack installed from the network, end to end (issue 13, item 5), under QEMU
# TCG. One PXE tree (profiles/e2e-rack.toml: the menus boot the local disk
# unless a per-MAC entry says install) and one static directory of answers,
# served with the webhook receiver by tests/e2e/serve.py on 127.0.0.1:8092
# (10.0.2.2:8092 inside QEMU's user network; TFTP from QEMU's own server).
# Every node POSTs its system information for answers/<its MAC>.toml:
#
#   node-a  BIOS: SeaBIOS → QEMU's iPXE ROM → lpxelinux.0 → its per-MAC
#           pxelinux entry (install) → kernel and initrds over HTTP; its answer
#           isolates the GPU (gpu = "auto"), hostname node-a
#   node-b  UEFI (OVMF, Secure Boot off): shim → GRUB netboot → its per-MAC GRUB
#           entry → kernel and initrds over HTTP (GRUB's http module from the
#           tree); its answer isolates no GPU (gpu = "none"), hostname node-b
#   node-c  BIOS, the install entry too, but no answer file for its MAC: it
#           must say so on its console and to the boot webhook, power off, and
#           leave its disk untouched
#
# A and B install at the same time. The receiver records each node's webhook
# events (answers/… names a webhook path per node); when node-a's 'done'
# arrives, the harness does what docs/pxe.md tells a rack to do, `ironpass pxe
# node MAC --localboot`. Then node-a boots from the network again (network
# first in its boot order) and must come up as the installed node-a: the first
# boot's report on its serial console (tests/e2e/install-first-boot.sh) says
# hostname, vfio-pci on 00:03. Node B boots with the VARS its install wrote,
# its NIC still present: BootOrder must start the installed system.
#
# Usage: tests/e2e/rack.sh            (root: runs in its own network namespace)
# Environment:
#   BUILD              ironpass and ironpass-installer (default build)
#   E2E_RACK_OUT       images, disks, logs (default out/e2e-rack)
#   E2E_INSTALL_POOL   stand-in pool (default cache/standin-pool; built if missing)
#   E2E_INSTALL_TIMEOUT / E2E_BOOT_TIMEOUT / E2E_NEG_TIMEOUT   seconds (3600 / 900 / 900)
#   E2E_NO_BUILD=1     use the PXE tree as it is
#   E2E_RACK_NODES     "a b c" (default) or "c": only the node without an answer
# Exit: 0 pass, 1 a check failed (console tails printed).
# shellcheck disable=SC2054  # commas belong to QEMU's option syntax
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
say() { echo "rack-e2e: $*"; }

# a network namespace of our own: port 8092 is ours alone
if [ -z "${E2E_RACK_NS:-}" ] && [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
	# shellcheck disable=SC2016  # $0 is for the inner bash
	E2E_RACK_NS=1 exec unshare -n bash -c 'ip link set lo up && exec bash "$0"' "$0"
fi

BUILD=${BUILD:-build}
out=${E2E_RACK_OUT:-out/e2e-rack}
pool=${E2E_INSTALL_POOL:-cache/standin-pool}
t_install=${E2E_INSTALL_TIMEOUT:-3600}
t_boot=${E2E_BOOT_TIMEOUT:-900}
t_neg=${E2E_NEG_TIMEOUT:-900}
port=8092	# profiles/e2e-rack.toml names it
logs=$out/logs
www=$out/www
pxe=$out/pxe
hooks=$logs/webhook.jsonl
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
declare -A mac=([a]=52:54:00:1a:00:0a [b]=52:54:00:1b:00:0b [c]=52:54:00:1c:00:0c)
declare -A serial=([a]=RACK-SN-A1 [b]=RACK-SN-B2 [c]=RACK-SN-C3)

for t in qemu-system-x86_64 qemu-img python3; do
	command -v "$t" >/dev/null || { say "FAIL: '$t' is not installed (make deps)"; exit 1; }
done
mkdir -p "$logs"
pids=()
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the tree, the answers, the server ------------------------------------------

if [ ! -s "$pool/manifest.json" ]; then
	say "building the stand-in pool in '$pool'"
	"$BUILD/ironpass" standin-pool "$pool" || { say "FAIL: cannot build the pool"; exit 1; }
fi
if [ "${E2E_NO_BUILD:-0}" != 1 ] || [ ! -d "$pxe/http" ]; then
	say "building the PXE tree '$pxe'"
	if ! "$BUILD/ironpass" build --profile profiles/e2e-rack.toml --pool "$pool" \
		--pxe-url "http://10.0.2.2:$port" --cache cache -o "$out" >"$logs/build.log" 2>&1; then
		tail -n 30 "$logs/build.log"
		say "FAIL: ironpass build"
		exit 1
	fi
fi
grep -q 'GRUB loads kernel and initrds over HTTP' "$logs/build.log" 2>/dev/null ||
	say "note: the tree's GRUB loads over TFTP ($(grep -o 'over TFTP: .*' "$logs/build.log"))"
for n in a b c; do
	"$BUILD/ironpass" pxe node "${mac[$n]}" --install --tree "$pxe" >/dev/null ||
		{ say "FAIL: ironpass pxe node ${mac[$n]} --install"; exit 1; }
done

rm -rf "$www"
mkdir -p "$www/answers"
for f in "$pxe"/http/*; do ln -s "$(cd "$(dirname "$f")" && pwd)/$(basename "$f")" "$www/"; done
cp tests/e2e/install-first-boot.sh "$www/first-boot.sh"
# answers/<MAC with dashes>.toml: the e2e install answer with this node's name,
# webhook path and GPU choice (node-c has none)
answer() {	# NODE GPU
	local f
	f=$www/answers/$(echo "${mac[$1]}" | tr : -).toml
	sed -e "s/^fqdn = .*/fqdn = \"node-$1.rack.test\"/" \
	    -e "s#^url = \"http://10.0.2.2:8091/webhook\"#url = \"http://10.0.2.2:$port/webhook/node-$1\"#" \
	    -e "s#http://10.0.2.2:8091/#http://10.0.2.2:$port/#" \
	    -e "s/^gpu = .*/gpu = \"$2\"/" tests/e2e/answers/install.toml >"$f"
	grep -q "webhook/node-$1" "$f" || { say "FAIL: cannot make node-$1's answer"; exit 1; }
}
answer a auto
answer b none

: >"$hooks"
python3 tests/e2e/serve.py --port "$port" --dir "$www" --record "$hooks" --missing-post 404 \
	>"$logs/http.log" 2>&1 &
pids+=($!)
sleep 1
kill -0 "${pids[0]}" 2>/dev/null || { cat "$logs/http.log"; say "FAIL: no HTTP server"; exit 1; }

# --- QEMU -------------------------------------------------------------------------

# node NAME FW BOOT_NET(1|0) LOG: start one node in the background ($node_pid)
node() {
	local n=$1 fw=$2 netboot=$3 log=$4 nic fwargs=() netargs
	local disk=$out/disk-$n.qcow2 bootfile=lpxelinux.0
	[ "$fw" = uefi ] && bootfile=bootx64.efi
	netargs="user,id=n0,tftp=$pxe/tftp,bootfile=$bootfile"
	if [ "$fw" = uefi ]; then
		fwargs=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code"
			-drive "if=pflash,format=raw,unit=1,file=$out/vars-$n.fd")
		nic=virtio-net-pci,netdev=n0,romfile=,mac=${mac[$n]},addr=02.0
	else
		nic=e1000e,netdev=n0,mac=${mac[$n]},addr=02.0
	fi
	# network first (bootindex) unless told otherwise; the disk after it
	[ "$netboot" = 1 ] && nic=$nic,bootindex=1
	: >"$log"
	qemu-system-x86_64 -accel tcg -machine q35,kernel-irqchip=split \
		-device intel-iommu,intremap=on -cpu max -smp 1 -m 4096 -vga none \
		-device virtio-vga,addr=01.0 -device VGA,addr=03.0,multifunction=on \
		-device ich9-intel-hda,addr=03.1 "${fwargs[@]}" \
		-smbios "type=1,manufacturer=ironpass-e2e,product=rack-node,serial=${serial[$n]}" \
		-netdev "$netargs" -device "$nic" \
		-drive "file=$disk,format=qcow2,if=none,id=d0,cache=unsafe" \
		-device "virtio-blk-pci,drive=d0,serial=RACK-DISK-${n^^},addr=04.0$([ "$netboot" = 1 ] && echo ,bootindex=2)" \
		-display none -no-reboot -monitor none -serial "file:$log" \
		>"$log.qemu" 2>&1 &
	node_pid=$!
	pids+=("$node_pid")
}

# wait_node PID LOG LIMIT STOP_REGEX: until QEMU exits, the limit, or the regex
# shows (then 5 s more); sets how (exited|stopped|timeout) and took
wait_node() {
	local pid=$1 log=$2 limit=$3 stop=$4 start=$SECONDS
	how=timeout
	while [ $((SECONDS - start)) -lt "$limit" ]; do
		if ! kill -0 "$pid" 2>/dev/null; then how=exited; break; fi
		if [ -n "$stop" ] && tr -d '\r' <"$log" | grep -aqE "$stop"; then
			sleep 5; how=stopped; break
		fi
		sleep 2
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	took=$((SECONDS - start))
}

fails=0
fail() { say "FAIL: $*"; fails=$((fails + 1)); }
tail_of() { echo "---- $1 (last 30 lines)"; tr -d '\r' <"$1" | tail -n 30; echo "----"; }
fact() { tr -d '\r' <"$1" | sed -n "s/^.*E2E $2: //p" | tail -n 1; }

# events NODE: the event/step names the receiver got on /webhook/NODE, in order
events() {
	python3 - "$hooks" "/webhook/$1" <<'EOF'
import json, sys
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"] != sys.argv[2]:
        continue
    try:
        b = json.loads(r["body"])
    except ValueError:
        continue
    b = b.get("ironpass", b) if "event" not in b else b
    if isinstance(b, dict) and "event" in b:
        out.append(b["event"] + (":" + b["step"] if b.get("step") else ""))
print(" ".join(out))
EOF
}

# the POST of NODE's answer request carried its serial (the system information)
posted_serial() {
	python3 - "$hooks" "/answers/$(echo "${mac[$1]}" | tr : -).toml" "${serial[$1]}" <<'EOF'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    if r["path"] == sys.argv[2] and sys.argv[3] in r["body"]:
        sys.exit(0)
sys.exit(1)
EOF
}

# --- installs: A and B together, C beside them ------------------------------------

for n in a b c; do
	rm -f "$out/disk-$n.qcow2"
	qemu-img create -q -f qcow2 "$out/disk-$n.qcow2" 32G
done
qemu-img create -q -f qcow2 "$out/blank-ref.qcow2" 32G
cp "$ovmf_vars" "$out/vars-b.fd"
start_all=$SECONDS
only_c=0
[ "${E2E_RACK_NODES:-a b c}" = c ] && only_c=1
if [ $only_c = 0 ]; then
	node a bios 1 "$logs/install-a.log"; pid_a=$node_pid
	node b uefi 1 "$logs/install-b.log"; pid_b=$node_pid
	say "installing node-a (BIOS), node-b (UEFI)"
fi
node c bios 1 "$logs/install-c.log"; pid_c=$node_pid
say "booting node-c, which has no answer"

# node-c: refused before any disk step, power-off
wait_node "$pid_c" "$logs/install-c.log" "$t_neg" ''
log=$logs/install-c.log
if [ "$how" != exited ]; then
	fail "node-c did not power off ($how after $took s)"; tail_of "$log"
elif ! tr -d '\r' <"$log" | grep -aq 'no answer file: nothing was written to any disk' ||
     ! tr -d '\r' <"$log" | grep -aq 'ironpass-installer: powering off'; then
	fail "node-c stopped without saying it powers off"; tail_of "$log"
elif ! qemu-img compare -q "$out/blank-ref.qcow2" "$out/disk-c.qcow2"; then
	fail "node-c's disk was written"
else
	say "node-c: no answer, powered off after $took s, disk untouched"
fi
ev=$(events boot)
case " $ev " in
*" failed:answer "*) say "node-c: boot webhook got '$ev'" ;;
*) fail "the boot webhook got '$ev', want a failed:answer event from node-c" ;;
esac

if [ $only_c = 1 ]; then
	say "summary: $fails failure(s), total $((SECONDS - start_all)) s, logs in $logs"
	[ "$fails" = 0 ]
	exit
fi

# node-a: when the receiver has its 'done', switch it to localboot (docs/pxe.md)
switched=0
start=$SECONDS
while [ $((SECONDS - start)) -lt "$t_install" ] && kill -0 "$pid_a" 2>/dev/null; do
	if [ $switched = 0 ] && [[ " $(events node-a) " == *" done "* ]]; then
		"$BUILD/ironpass" pxe node "${mac[a]}" --localboot --tree "$pxe" >/dev/null &&
			switched=1 && say "node-a reported done: switched to localboot"
	fi
	sleep 5
done
wait_node "$pid_a" "$logs/install-a.log" 60 ''
t_a=$((SECONDS - start_all))
wait_node "$pid_b" "$logs/install-b.log" "$t_install" ''
t_b=$((SECONDS - start_all))
for n in a b; do
	log=$logs/install-$n.log
	if ! tr -d '\r' <"$log" | grep -aq 'ironpass-installer: install done in'; then
		fail "node-$n: no 'install done'"; tail_of "$log"
	fi
	posted_serial "$n" || fail "node-$n's answer request did not carry serial ${serial[$n]}"
	ev=$(events "node-$n")
	case "$ev" in
	"start step:fetch "*" done") say "node-$n: webhook events in order: $ev" ;;
	*) fail "node-$n: webhook events '$ev' (want start, the steps, done)" ;;
	esac
done
[ $switched = 1 ] || fail "node-a's done never reached the receiver before it stopped"
[ "$(sed -n 's/^DEFAULT //p' "$pxe/tftp/pxelinux.cfg/01-$(echo "${mac[a]}" | tr : -)" \
	2>/dev/null)" = localboot ] || fail "node-a's pxelinux entry is not localboot"
say "installs: node-a ${t_a} s, node-b ${t_b} s (together)"

# --- the next boots ---------------------------------------------------------------

# report_ok NODE LOG VFIO(1|0): the installed system's first-boot report
report_ok() {
	local n=$1 log=$2 vfio=$3 h
	if ! tr -d '\r' <"$log" | grep -aq 'E2E-FACTS-END'; then
		fail "node-$n: no first-boot report (not the installed system?)"; tail_of "$log"; return
	fi
	h=$(fact "$log" hostname)
	[ "$h" = "node-$n.rack.test" ] || fail "node-$n booted as '$h'"
	if tr -d '\r' <"$log" | grep -aq 'E2E lspci: .*Kernel driver in use: vfio-pci'; then
		[ "$vfio" = 1 ] || fail "node-$n: 00:03 is bound to vfio-pci, its answer said none"
	else
		[ "$vfio" = 0 ] || fail "node-$n: 00:03 is not bound to vfio-pci"
	fi
	say "node-$n: booted the installed system as $h (vfio-pci on 00:03: $vfio)"
}

# node-a: network first again; its per-MAC entry now boots the disk
node a bios 1 "$logs/boot-a.log"; pid_a=$node_pid
# node-b: its NIC without a boot index: the firmware's BootOrder decides
node b uefi 0 "$logs/boot-b.log"; pid_b=$node_pid
wait_node "$pid_a" "$logs/boot-a.log" "$t_boot" 'E2E-FACTS-END'
tr -d '\r' <"$logs/boot-a.log" | grep -aq 'ironpass-installer: ready' &&
	fail "node-a started the installer again instead of its disk"
report_ok a "$logs/boot-a.log" 1
wait_node "$pid_b" "$logs/boot-b.log" "$t_boot" 'E2E-FACTS-END'
report_ok b "$logs/boot-b.log" 0

say "summary: $fails failure(s), total $((SECONDS - start_all)) s, logs in $logs"
[ "$fails" = 0 ]
