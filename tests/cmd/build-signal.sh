#!/bin/bash
# SIGTERM to the builder while one of its tools hangs: the tool's whole
# process group goes (a run has its own group, so the terminal's Ctrl-C no
# longer reaches it directly: the builder must stop it), the builder says
# why and exits 143 within seconds. The tool is a fake mmdebstrap on PATH (the
# stand-in pool's first command: the ZFS module build, into a cache of its own
# here) that waits for a background sleep; nothing real is ever built.
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
for t in mmdebstrap dpkg-deb; do
	cat >"$tmp/fake/$t" <<FAKE
#!/bin/sh
sleep 60 &
echo \$! >"$tmp/sleep.pid"
wait
FAKE
	chmod +x "$tmp/fake/$t"
done

PATH="$tmp/fake:$PATH" "$bin" standin-pool --cache "$tmp/cache" "$tmp/pool" >"$tmp/out" 2>&1 &
pid=$!
term_when_hung "$pid" "the fake mmdebstrap never ran" 300
pid=
grep -q "'mmdebstrap' interrupted by SIGTERM" "$tmp/out" || fail "no 'interrupted' message"
[ $took -le 20 ] || fail "took $took s"
echo "build-signal: ok (exit $rc ${took} s after SIGTERM)"
