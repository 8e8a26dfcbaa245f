#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ironpass-installer firstboot on a fake node root: a stub qm on PATH records
# its argv; the VM is created and templated, the hook runs, the run is
# recorded, and a second run does nothing.
set -u
BUILD=${BUILD:-build}
bin="$(cd "$(dirname "$BUILD/ironpass-installer")" 2>/dev/null && pwd)/ironpass-installer"
[ -x "$bin" ] || { echo "no '$bin': build first"; exit 1; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
tmp=$(mktemp -d /tmp/ironpass-firstboot-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$tmp/bin" "$root/etc/ironpass" "$root/etc/pve" "$root/usr/sbin" \
	"$root/var/lib/ironpass"

cat >"$tmp/bin/qm" <<QM
#!/bin/sh
echo "\$*" >>"$tmp/qm.log"
[ "\$1" = status ] && exit 2
exit 0
QM
chmod +x "$tmp/bin/qm"
touch "$root/usr/sbin/qm" "$root/etc/pve/.version"
printf '#!/bin/sh\necho hook ran >"%s/hook.out"\n' "$tmp" >"$root/var/lib/ironpass/first-boot-hook"
chmod 700 "$root/var/lib/ironpass/first-boot-hook"
cat >"$root/etc/ironpass/firstboot.json" <<'JSON'
{ "format": 1, "vmid": 9000, "template": true, "standin": false, "pve_wait_s": 5,
  "hook": "/var/lib/ironpass/first-boot-hook",
  "qm": [ [ "name", "win11-passthrough" ], [ "ostype", "win11" ],
          [ "hostpci0", "0000:01:00,pcie=1,x-vga=1" ], [ "boot", "order=scsi0;ide2" ] ] }
JSON

PATH="$tmp/bin:$PATH" "$bin" firstboot --root "$root" >"$tmp/out" 2>&1 ||
	bad "first run failed: $(tail -n 3 "$tmp/out")"
printf 'status 9000\ncreate 9000 --name win11-passthrough --ostype win11 --hostpci0 0000:01:00,pcie=1,x-vga=1 --boot order=scsi0;ide2\ntemplate 9000\n' >"$tmp/want"
cmp -s "$tmp/want" "$tmp/qm.log" || bad "qm calls: $(cat "$tmp/qm.log" 2>/dev/null)"
[ -s "$tmp/hook.out" ] || bad "the hook did not run"
[ -f "$root/var/lib/ironpass/firstboot.done" ] || bad "no firstboot.done"
grep -q "first boot done" "$root/var/log/ironpass/firstboot.log" 2>/dev/null ||
	bad "no log in /var/log/ironpass/firstboot.log"

rm -f "$tmp/hook.out"
PATH="$tmp/bin:$PATH" "$bin" firstboot --root "$root" >"$tmp/out" 2>&1 || bad "second run failed"
[ "$(wc -l <"$tmp/qm.log")" -eq 3 ] || bad "second run called qm again"
[ -e "$tmp/hook.out" ] && bad "second run ran the hook again"
grep -q "nothing to do" "$tmp/out" || bad "second run said: $(cat "$tmp/out")"

# no configuration: one clear line, non-zero exit
"$bin" firstboot --root "$tmp/empty" >"$tmp/out" 2>&1 && bad "no configuration: exit 0"
grep -q "cannot read '/etc/ironpass/firstboot.json'" "$tmp/out" || bad "message: $(cat "$tmp/out")"
"$bin" firstboot --bogus >/dev/null 2>&1 && bad "--bogus accepted"
"$bin" firstboot --help | grep -q "firstboot \[options\]" || bad "--help"
exit $fail
