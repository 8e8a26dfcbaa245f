#!/bin/bash
# SIGTERM to a real `ironpass-installer install` while one of its commands
# hangs: the command's whole process group goes, the step fails "interrupted
# by SIGTERM", the target is marked as failed and unmounted, the webhook gets
# "failed", and the installer exits 143, all within seconds.
#
# Every disk command is a fake on PATH that logs its argv; the first bind
# mount for the chroot (packages step, after the root is mounted) hangs: a
# shell that waits for a background sleep. Nothing touches a disk:
# the sysroot is the QEMU e2e machine's captured tree, the target a temporary
# directory, the payload a tiny one made here.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/ironpass-installer
for t in tar zstd sha256sum python3; do
	command -v $t >/dev/null || { echo "missing '$t': run make deps"; exit 1; }
done
tmp=$(mktemp -d /tmp/ironpass-signal-XXXXXX)
inst=
cleanup() {
	[ -n "$inst" ] && kill -KILL "$inst" 2>/dev/null
	[ -n "${recv:-}" ] && kill "$recv" 2>/dev/null
	[ -s "$tmp/sleep.pid" ] && kill -KILL "$(cat "$tmp/sleep.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
	echo "FAIL: $*"
	echo "--- installer output"; cat "$tmp/out" 2>/dev/null
	echo "--- commands run"; cat "$tmp/calls" 2>/dev/null
	exit 1
}
# shellcheck source=tests/cmd/lib/signal.sh
. "$top/tests/cmd/lib/signal.sh"

cp -a "$top/tests/fixtures/qemu-e2e" "$tmp/sys"
mkdir -p "$tmp/target" "$tmp/payload/pool" "$tmp/base/etc/default" "$tmp/fake"

# the payload: a small base and an empty pool, with its manifest
printf 'root:x:0:0:root:/root:/bin/bash\n' >"$tmp/base/etc/passwd"
printf 'root:x:0:\n' >"$tmp/base/etc/group"
printf 'root:*:19000:0:99999:7:::\n' >"$tmp/base/etc/shadow"
printf 'GRUB_CMDLINE_LINUX_DEFAULT="quiet"\n' >"$tmp/base/etc/default/grub"
tar -C "$tmp/base" -cf - etc | zstd -q >"$tmp/payload/base.tar.zst"
: >"$tmp/payload/pool/Packages"
{
	printf '{"format":1,"source":"pool","standin":true,"suite":"bookworm","created":0,'
	printf '"packages":["proxmox-ve","postfix","open-iscsi","chrony"],"files":['
	sep=
	for f in base.tar.zst pool/Packages; do
		printf '%s{"path":"%s","size":%s,"sha256":"%s"}' "$sep" "$f" \
			"$(stat -c %s "$tmp/payload/$f")" "$(sha256sum <"$tmp/payload/$f" | cut -c1-64)"
		sep=,
	done
	printf ']}\n'
} >"$tmp/payload/manifest.json"

# a receiver for the webhook: every POST body on its own line
cat >"$tmp/recv.py" <<'EOF'
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "ab") as f:
            f.write(body + b"\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
EOF
python3 "$tmp/recv.py" "$tmp/port" "$tmp/events" &
recv=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || fail "the webhook receiver did not start"

cat >"$tmp/answer.toml" <<EOF
[global]
keyboard = "de"
country = "de"
fqdn = "pve1.example.com"
mailto = "root@example.com"
timezone = "Europe/Berlin"
root-password = "correct horse"
[network]
source = "from-answer"
cidr = "10.0.2.15/24"
gateway = "10.0.2.2"
dns = "10.0.2.3"
filter.ID_NET_NAME_MAC = "*525400123456"
[disk-setup]
filesystem = "ext4"
disk-list = ["vda"]
[passthrough]
gpu = "auto"
[ironpass]
wipe = "always"
[post-installation-webhook]
url = "http://127.0.0.1:$(cat "$tmp/port")/hook"
EOF
chmod 600 "$tmp/answer.toml"

# the fake programs: log the argv; a few print what the installer reads
cat >"$tmp/fake/fake" <<EOF
#!/bin/sh
prog=\$(basename "\$0")
echo "\$prog \$*" >>"$tmp/calls"
case "\$prog \$*" in
blkid*) echo 0f0e0d0c-1111-2222-3333-444455556666 ;;
"blockdev --getsize64"*) echo 30064771072 ;;
"mount -o bind"*)
	# the hang: a child in the same process group, and a shell that waits for it
	sleep 60 &
	echo \$! >"$tmp/sleep.pid"
	wait ;;
esac
exit 0
EOF
chmod +x "$tmp/fake/fake"
for p in blkid blockdev wipefs sfdisk partprobe udevadm pvs vgs lvs pvcreate vgcreate \
	vgchange lvcreate lvconvert mkfs.ext4 mkfs.xfs mkfs.fat mkswap mount umount sync ip; do
	ln -s fake "$tmp/fake/$p"
done

PATH="$tmp/fake:$PATH" "$bin" install --sysroot "$tmp/sys" --answer "$tmp/answer.toml" \
	--payload "$tmp/payload" --target "$tmp/target" --auto --no-reboot >"$tmp/out" 2>&1 &
inst=$!
term_when_hung "$inst" "the install never reached the bind mounts" 600
inst=

grep -q "step 'packages' failed: interrupted by SIGTERM" "$tmp/out" ||
	fail "no 'interrupted by SIGTERM' failure for the packages step"
grep -q "step configure" "$tmp/out" && fail "steps after the interrupted one ran"
# the root was mounted before the hang: marked, then unmounted (after the hang)
grep -q "install failed at step 'packages': interrupted by SIGTERM" \
	"$tmp/target/var/log/ironpass/install-failed" 2>/dev/null ||
	fail "the target is not marked as failed"
hang_line=$(grep -n "^mount -o bind" "$tmp/calls" | head -1 | cut -d: -f1)
umount_line=$(grep -n "^umount $tmp/target\$" "$tmp/calls" | tail -1 | cut -d: -f1)
[ -n "$umount_line" ] && [ "$umount_line" -gt "$hang_line" ] ||
	fail "the target was not unmounted after the interrupted command"
tail -n 1 "$tmp/events" | grep -q '"event":"failed","step":"packages"' ||
	fail "the last webhook event is not 'failed' for packages: $(tail -n 1 "$tmp/events")"
[ $took -le 20 ] || fail "took $took s"
echo "install-signal: ok (exit $rc ${took} s after SIGTERM)"
