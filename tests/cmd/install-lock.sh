#!/bin/bash
# Two consoles start an install: the one that finds the lock taken does not
# install, it shows the other's log (step lines and the outcome) until the
# other is done. A lock that cannot be taken for another reason than "busy"
# stops the install with a message.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/ironpass-installer
command -v flock >/dev/null || { echo "missing flock: run make deps"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sys/run/ironpass"
log=$tmp/sys/run/ironpass/install.log
: >"$log"
# the "other console": holds the lock while its install writes the log
flock "$tmp/sys/run/ironpass/install.lock" -c \
	"echo 'step partition: done in 1.0 s' >>'$log'; sleep 2; \
	 echo 'ironpass-installer: install done in 3 s' >>'$log'" &
holder=$!
sleep 0.5
out=$(timeout 30 "$bin" install --sysroot "$tmp/sys" --auto --dry-run --no-reboot 2>&1)
rc=$?
wait $holder
fail() { echo "FAIL: $*"; echo "$out"; exit 1; }
[ $rc -eq 0 ] || fail "exit status $rc"
grep -q "running on another console; its log follows" <<<"$out" || fail "no notice"
grep -q "step partition: done in 1.0 s" <<<"$out" || fail "the other console's step line is missing"
grep -q "install done in 3 s" <<<"$out" || fail "the outcome is missing"
grep -q "install started" <<<"$out" && fail "it installed although the lock was taken"

# /run/ironpass is a file: the lock cannot be made, so nothing installs
mkdir -p "$tmp/bad/run"
: >"$tmp/bad/run/ironpass"
out=$(timeout 30 "$bin" install --sysroot "$tmp/bad" --auto --dry-run --no-reboot 2>&1)
rc=$?
[ $rc -eq 1 ] || fail "lock error: exit status $rc, expected 1"
grep -q "^ironpass-installer: cannot lock '$tmp/bad/run/ironpass/install.lock': Not a directory$" \
	<<<"$out" || fail "lock error: no message naming the lock"
grep -q "install started" <<<"$out" && fail "it installed without the lock"
echo "install-lock: ok"
