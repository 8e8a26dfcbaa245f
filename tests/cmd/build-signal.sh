#!/bin/bash
# SIGTERM to the builder while one of its tools hangs: the tool's whole
# process group goes (a run has its own group, so the terminal's Ctrl-C no
# longer reaches it directly: the builder must stop it), the builder says
# why and exits 143 within seconds. The tool is a fake dpkg-deb on PATH (the
# stand-in pool's first command) that waits for a background sleep.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/ironpass
tmp=$(mktemp -d /tmp/ironpass-build-signal-XXXXXX)
pid=
cleanup() {
	[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null
	[ -s "$tmp/sleep.pid" ] && kill -KILL "$(cat "$tmp/sleep.pid")" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out" 2>/dev/null; exit 1; }

mkdir -p "$tmp/fake"
cat >"$tmp/fake/dpkg-deb" <<FAKE
#!/bin/sh
sleep 60 &
echo \$! >"$tmp/sleep.pid"
wait
FAKE
chmod +x "$tmp/fake/dpkg-deb"

PATH="$tmp/fake:$PATH" "$bin" standin-pool "$tmp/pool" >"$tmp/out" 2>&1 &
pid=$!
for _ in $(seq 300); do [ -s "$tmp/sleep.pid" ] && break; sleep 0.1; done
[ -s "$tmp/sleep.pid" ] || fail "the fake dpkg-deb never ran"
start=$SECONDS
kill -TERM "$pid"
wait "$pid"
rc=$?
pid=
took=$((SECONDS - start))
hung=$(cat "$tmp/sleep.pid")
[ $rc -eq 143 ] || fail "exit status $rc, expected 143 (128 + SIGTERM)"
kill -0 "$hung" 2>/dev/null && [ "$(ps -o stat= -p "$hung" | cut -c1)" != Z ] &&
	fail "the tool's child (pid $hung) is still running"
grep -q "'dpkg-deb' interrupted by SIGTERM" "$tmp/out" || fail "no 'interrupted' message"
[ $took -le 20 ] || fail "took $took s"
echo "build-signal: ok (exit $rc ${took} s after SIGTERM)"
