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
# shellcheck source=tests/cmd/lib/signal.sh
. "$top/tests/cmd/lib/signal.sh"

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
term_when_hung "$pid" "the fake dpkg-deb never ran" 300
pid=
grep -q "'dpkg-deb' interrupted by SIGTERM" "$tmp/out" || fail "no 'interrupted' message"
[ $took -le 20 ] || fail "took $took s"
echo "build-signal: ok (exit $rc ${took} s after SIGTERM)"
