#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ironpass-installer passthrough on fixture hosts (tests/fixtures/hosts: a hardware
# tree with a host's /etc laid over it): --dry-run shows each file and the
# "would run:" lines and changes nothing; --json says the same; --apply writes
# and runs stand-ins of update-initramfs, update-grub and proxmox-boot-tool (on
# PATH, recording their argv); a second --apply changes nothing; --undo leaves the
# tree as it was; a refused plan, a file edited after the apply and bad usage
# are refused.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin="$(cd "$(dirname "$BUILD/ironpass-installer")" 2>/dev/null && pwd)/ironpass-installer"
[ -x "$bin" ] || { echo "no '$bin': build first"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing: run make deps"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d /tmp/ironpass-passthrough-XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# host NAME [MACHINE]: a sysroot in $tmp/NAME from the host fixture over its machine
host() {
	local name=$1 machine=${2:-$(cat "$top/tests/fixtures/hosts/$1/machine")}
	rm -rf "${tmp:?}/$name"
	mkdir -p "$tmp/$name"
	cp -r "$top/tests/fixtures/$machine/." "$tmp/$name/"
	cp -r "$top/tests/fixtures/hosts/$1/." "$tmp/$name/"
	rm -f "$tmp/$name/machine"
}
# listing DIR: every path but /var, with mode, size and hash
listing() {
	(cd "$1" && find . -path ./var -prune -o -printf '%p %M %s\n' | sort &&
		find . -path ./var -prune -o -type f -print0 | sort -z | xargs -0 sha256sum)
}
run() { PATH="$tmp/bin:$PATH" "$bin" passthrough "$@"; }

mkdir -p "$tmp/bin"
for p in update-initramfs update-grub; do
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n' "$p" "$tmp" >"$tmp/bin/$p"
done
cat >"$tmp/bin/proxmox-boot-tool" <<EOF
#!/bin/sh
echo "proxmox-boot-tool \$*" >>"$tmp/calls"
if [ "\$1" = status ]; then
	echo "System currently booted with uefi"
	echo "5A3C-91F2 is configured with: uefi (versions: 6.8.12-4-pve)"
	echo "5A3D-0B17 is configured with: uefi (versions: 6.8.12-4-pve)"
fi
exit 0
EOF
chmod +x "$tmp/bin/"*

# --- dry run: what would change, nothing changes ---
host grub
host pbt-sdboot
for h in grub pbt-sdboot; do
	listing "$tmp/$h" >"$tmp/$h.before"
	: >"$tmp/calls"
	run --dry-run --sysroot "$tmp/$h" >"$tmp/$h.out" 2>"$tmp/$h.err" ||
		bad "$h: --dry-run failed: $(cat "$tmp/$h.err")"
	echo "--- $h: passthrough --dry-run"
	sed "s|$tmp|TMP|g" "$tmp/$h.out"
	grep -qx 'would run: update-initramfs -u -k all' "$tmp/$h.out" ||
		bad "$h: no 'would run: update-initramfs -u -k all'"
	grep -q '^would create /etc/modprobe.d/ironpass-vfio.conf (' "$tmp/$h.out" ||
		bad "$h: no 'would create' line for the modprobe file"
	grep -qx 'dry run: nothing was changed; --apply does the above' "$tmp/$h.out" ||
		bad "$h: no dry-run last line"
	listing "$tmp/$h" | cmp -s - "$tmp/$h.before" || bad "$h: --dry-run changed the tree"
	run --dry-run --json --sysroot "$tmp/$h" >"$tmp/$h.json" 2>"$tmp/$h.err" ||
		bad "$h: --dry-run --json failed: $(cat "$tmp/$h.err")"
done
grep -qx 'boot loader: GRUB: .*' "$tmp/grub.out" || bad "grub: boot loader line"
grep -qx 'would run: update-grub' "$tmp/grub.out" || bad "grub: no 'would run: update-grub'"
grep -qx '+GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT intel_iommu=on iommu=pt"' \
	"$tmp/grub.out" || bad "grub: the drop-in's line is not shown"
grep -q 'kernel/cmdline\|proxmox-boot-tool' "$tmp/grub.out" && bad "grub: names the other loader"
grep -qx 'boot loader: proxmox-boot-tool (systemd-boot): .*2 configured with uefi.*' \
	"$tmp/pbt-sdboot.out" || bad "pbt-sdboot: boot loader line"
grep -qx 'would run: proxmox-boot-tool refresh' "$tmp/pbt-sdboot.out" ||
	bad "pbt-sdboot: no 'would run: proxmox-boot-tool refresh'"
grep -qx -- '-root=ZFS=rpool/ROOT/pve-1 boot=zfs' "$tmp/pbt-sdboot.out" &&
	grep -qx '+root=ZFS=rpool/ROOT/pve-1 boot=zfs intel_iommu=on iommu=pt' "$tmp/pbt-sdboot.out" ||
	bad "pbt-sdboot: the /etc/kernel/cmdline change is not shown"
grep -q 'grub.d/ironpass.cfg\|update-grub' "$tmp/pbt-sdboot.out" &&
	bad "pbt-sdboot: names GRUB's files"
grep -qx 'proxmox-boot-tool status' "$tmp/calls" || bad "pbt-sdboot: status was not asked"
grep -vx 'proxmox-boot-tool status' "$tmp/calls" &&
	bad "dry runs ran more than the status query"

python3 - "$tmp/grub.json" "$tmp/pbt-sdboot.json" <<'PY' || fail=1
import json, sys
want = {
    "grub": ("grub", "/etc/default/grub.d/ironpass.cfg", ["update-grub"]),
    "pbt-sdboot": ("pbt-systemd-boot", "/etc/kernel/cmdline", ["proxmox-boot-tool", "refresh"]),
}
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[1][:-5]
    d = json.load(open(path))
    loader, cmdline, refresh = want[name]
    ok = (d["mode"] == "dry-run" and d["plan_ok"] is True and d["changed"] is True
          and d["boot"]["loader"] == loader and d["backup"] is None
          and d["commands"] == [["update-initramfs", "-u", "-k", "all"], refresh]
          and d["commands_ran"] is False and d["reboot_needed"] is False
          and d["error"] is None)
    files = {f["path"]: f for f in d["files"]}
    ok = ok and files[cmdline]["action"] in ("create", "change") and "diff" in files[cmdline]
    ok = ok and files["/etc/modprobe.d/ironpass-vfio.conf"]["action"] == "create"
    ok = ok and files["/etc/initramfs-tools/modules"]["action"] == "change"
    other = "/etc/kernel/cmdline" if name == "grub" else "/etc/default/grub.d/ironpass.cfg"
    ok = ok and other not in files
    print(("ok   " if ok else "FAIL ") + name + " --dry-run --json")
    if not ok:
        print(json.dumps(d, indent=1))
        sys.exit(1)
PY

# --- apply, apply again, undo ---
for h in grub pbt-sdboot; do
	refresh="update-grub "
	[ $h = pbt-sdboot ] && refresh="proxmox-boot-tool refresh"
	status=
	[ $h = pbt-sdboot ] && status="proxmox-boot-tool status"$'\n'
	: >"$tmp/calls"
	run --apply --sysroot "$tmp/$h" >"$tmp/$h.apply" 2>&1 || bad "$h: --apply: $(cat "$tmp/$h.apply")"
	[ "$(cat "$tmp/calls")" = "${status}update-initramfs -u -k all"$'\n'"$refresh" ] ||
		bad "$h: --apply ran: $(cat "$tmp/calls")"
	grep -q '^done: reboot' "$tmp/$h.apply" || bad "$h: --apply does not say to reboot"
	backup=$(sed -n 's/^backup: //p' "$tmp/$h.apply")
	[ -f "$backup/manifest.json" ] || bad "$h: no manifest in '$backup'"
	listing "$tmp/$h" >"$tmp/$h.applied"
	: >"$tmp/calls"
	run --apply --json --sysroot "$tmp/$h" >"$tmp/$h.again" 2>&1 || bad "$h: second --apply failed"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if d["changed"] is False and d["backup"] is None and d["commands"] == [] else 1)' \
		"$tmp/$h.again" || bad "$h: the second --apply changed something: $(cat "$tmp/$h.again")"
	[ "$(cat "$tmp/calls")" = "${status%$'\n'}" ] || bad "$h: second --apply ran: $(cat "$tmp/calls")"
	[ "$(ls "$tmp/$h/var/lib/ironpass/backup" | wc -l)" = 1 ] || bad "$h: a second backup"
	listing "$tmp/$h" | cmp -s - "$tmp/$h.applied" || bad "$h: the second --apply changed files"
	: >"$tmp/calls"
	run --undo --sysroot "$tmp/$h" >"$tmp/$h.undo" 2>&1 || bad "$h: --undo: $(cat "$tmp/$h.undo")"
	listing "$tmp/$h" | cmp -s - "$tmp/$h.before" || bad "$h: --undo left the tree changed"
	[ "$(cat "$tmp/calls")" = "update-initramfs -u -k all"$'\n'"$refresh" ] ||
		bad "$h: --undo ran: $(cat "$tmp/calls")"
	grep -q '"restored": "[0-9]\{8\}T[0-9]\{6\}Z"' "$backup/manifest.json" ||
		bad "$h: the backup is not marked restored"
	run --undo --sysroot "$tmp/$h" >"$tmp/$h.undo2" 2>&1 && bad "$h: a second --undo worked"
	grep -q 'no backup left to undo' "$tmp/$h.undo2" || bad "$h: second --undo: $(cat "$tmp/$h.undo2")"
done

# --- undo refuses a file edited after the apply, and names it ---
host pbt-sdboot
listing "$tmp/pbt-sdboot" >"$tmp/orig"
run --apply --sysroot "$tmp/pbt-sdboot" >/dev/null 2>&1 || bad "apply before the edit failed"
echo "options vfio-pci ids=10de:1e87" >>"$tmp/pbt-sdboot/etc/modprobe.d/ironpass-vfio.conf"
listing "$tmp/pbt-sdboot" >"$tmp/edited"
run --undo --json --sysroot "$tmp/pbt-sdboot" >"$tmp/edit.json" 2>"$tmp/edit.err"
rc=$?
[ $rc -eq 1 ] || bad "undo after an edit exited $rc"
grep -q "'/etc/modprobe.d/ironpass-vfio.conf' was changed after the apply" "$tmp/edit.err" ||
	bad "undo after an edit does not name the file: $(cat "$tmp/edit.err")"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if "--force" in d["error"] else 1)' \
	"$tmp/edit.json" || bad "undo --json after an edit: $(cat "$tmp/edit.json")"
listing "$tmp/pbt-sdboot" | cmp -s - "$tmp/edited" || bad "the refused undo changed files"
run --undo --force --sysroot "$tmp/pbt-sdboot" >/dev/null 2>&1 || bad "undo --force failed"
listing "$tmp/pbt-sdboot" | cmp -s - "$tmp/orig" || bad "undo --force did not restore"

# --- a refused plan: the reasons, exit 3, nothing written ---
host grub iommu-off
listing "$tmp/grub" >"$tmp/off"
run --apply --sysroot "$tmp/grub" >"$tmp/off.out" 2>"$tmp/off.err"
rc=$?
[ $rc -eq 3 ] || bad "refused plan: exit $rc"
grep -q 'no IOMMU is active' "$tmp/off.err" || bad "refused plan: no reason: $(cat "$tmp/off.err")"
listing "$tmp/grub" | cmp -s - "$tmp/off" || bad "refused plan: files changed"
run --dry-run --json --sysroot "$tmp/grub" >"$tmp/off.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
sys.exit(0 if d["plan_ok"] is False and d["refusals"] and d["files"] == [] else 1)' \
	"$tmp/off.json" || bad "refused plan --json: $(cat "$tmp/off.json")"

# --- usage ---
run --sysroot "$tmp/grub" >/dev/null 2>&1; [ $? -eq 2 ] || bad "no mode: not exit 2"
run --apply --undo >/dev/null 2>&1; [ $? -eq 2 ] || bad "two modes: not exit 2"
run --apply --force >/dev/null 2>&1; [ $? -eq 2 ] || bad "--force with --apply: not exit 2"
run --undo=yesterday --sysroot "$tmp/grub" >/dev/null 2>"$tmp/u.err"
[ $? -eq 1 ] && grep -q "'yesterday' is not a backup time" "$tmp/u.err" || bad "--undo=yesterday"
run --help | grep -q -- '--undo\[=<time>\]' || bad "--help does not list --undo"

[ $fail -eq 0 ] && echo "passthrough: ok"
exit $fail
