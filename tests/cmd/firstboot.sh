#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ironpass-installer firstboot on a fake node root: stub qm and pvesubscription
# on PATH record their argv; the staged subscription key is registered and its
# file removed, never shown; the VM is created and templated, the hook runs,
# the run is recorded, and a second run does nothing; --dry-run only shows the
# commands and leaves the node's tree byte for byte as it was.
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
key=pve2c-0123456789
cat >"$tmp/bin/pvesubscription" <<SUB
#!/bin/sh
echo "\$*" >>"$tmp/sub.log"
echo "checking key \$2" >&2
exit 0
SUB
chmod +x "$tmp/bin/pvesubscription"
mkdir -p "$root/usr/bin"
touch "$root/usr/sbin/qm" "$root/etc/pve/.version" "$root/usr/bin/pvesubscription"
(umask 077; echo "$key" >"$root/var/lib/ironpass/subscription-key")
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
[ "$(cat "$tmp/sub.log" 2>/dev/null)" = "set $key" ] || bad "pvesubscription: $(cat "$tmp/sub.log")"
[ -e "$root/var/lib/ironpass/subscription-key" ] && bad "the staged key was not removed"
grep -q "subscription key registered" "$tmp/out" || bad "no 'registered' line: $(cat "$tmp/out")"
grep -q "0123456789" "$tmp/out" "$root/var/log/ironpass/firstboot.log" && bad "the key was shown"
grep -q "first boot done" "$root/var/log/ironpass/firstboot.log" 2>/dev/null ||
	bad "no log in /var/log/ironpass/firstboot.log"

rm -f "$tmp/hook.out"
PATH="$tmp/bin:$PATH" "$bin" firstboot --root "$root" >"$tmp/out" 2>&1 || bad "second run failed"
[ "$(wc -l <"$tmp/qm.log")" -eq 3 ] || bad "second run called qm again"
[ -e "$tmp/hook.out" ] && bad "second run ran the hook again"
grep -q "nothing to do" "$tmp/out" || bad "second run said: $(cat "$tmp/out")"

# every entry under a root: path, type and mode, size, content hash (or link target)
listing() {
	(cd "$1" && find . -printf '%p %y %m %s %l\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# --dry-run prints the commands, never the key, and changes nothing on the node
root2=$tmp/root2
mkdir -p "$root2/etc/ironpass" "$root2/etc/pve" "$root2/usr/bin" "$root2/usr/sbin" \
	"$root2/var/lib/ironpass"
sed 's/"pve_wait_s": 5/"pve_wait_s": 0/' "$root/etc/ironpass/firstboot.json" \
	>"$root2/etc/ironpass/firstboot.json"
cp -a "$root/var/lib/ironpass/first-boot-hook" "$root2/var/lib/ironpass/"
touch "$root2/usr/bin/pvesubscription" "$root2/usr/sbin/qm" "$root2/etc/pve/.version"
(umask 077; echo "$key" >"$root2/var/lib/ironpass/subscription-key")
listing "$root2" >"$tmp/before"
rm -f "$tmp/sub.log" "$tmp/qm.log" "$tmp/hook.out"
PATH="$tmp/bin:$PATH" "$bin" firstboot --root "$root2" --dry-run >"$tmp/out" 2>&1 ||
	bad "dry run failed: $(tail -n 3 "$tmp/out")"
grep -qx "pvesubscription set '<secret>'" "$tmp/out" || bad "dry run said: $(cat "$tmp/out")"
grep -qx "qm status 9000" "$tmp/out" || bad "dry run did not show qm: $(cat "$tmp/out")"
grep -qx "$root2/var/lib/ironpass/first-boot-hook" "$tmp/out" ||
	bad "dry run did not show the hook: $(cat "$tmp/out")"
grep -q "would record '/var/lib/ironpass/firstboot.done'" "$tmp/out" ||
	bad "dry run did not say it would record the run: $(cat "$tmp/out")"
grep -q "0123456789" "$tmp/out" && bad "the dry run showed the key"
[ -e "$tmp/sub.log" ] && bad "the dry run ran pvesubscription"
[ -e "$tmp/qm.log" ] && bad "the dry run ran qm"
[ -e "$tmp/hook.out" ] && bad "the dry run ran the hook"
listing "$root2" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" ||
	bad "the dry run changed the node: $(diff "$tmp/before" "$tmp/after")"
# a dry run that fails (pve-cluster not up) leaves no failed marker either
rm "$root2/etc/pve/.version"
listing "$root2" >"$tmp/before"
"$bin" firstboot --root "$root2" --dry-run >"$tmp/out" 2>&1 && bad "dry run without pve-cluster: exit 0"
listing "$root2" >"$tmp/after"
cmp -s "$tmp/before" "$tmp/after" ||
	bad "the failed dry run changed the node: $(diff "$tmp/before" "$tmp/after")"

# no configuration: one clear line, non-zero exit
"$bin" firstboot --root "$tmp/empty" >"$tmp/out" 2>&1 && bad "no configuration: exit 0"
grep -q "cannot read '/etc/ironpass/firstboot.json'" "$tmp/out" || bad "message: $(cat "$tmp/out")"
"$bin" firstboot --bogus >/dev/null 2>&1 && bad "--bogus accepted"
"$bin" firstboot --help | grep -q "firstboot \[options\]" || bad "--help"
exit $fail
