#!/bin/bash
# Every console offers the install (issue 13, item 3): `start` in install mode
# asks for Enter before it takes the lock; Enter wins it; a console that waits
# while another one claims switches to following that console's log and ends
# with its outcome when the lock is let go; unattended, nothing is asked. The
# "other console" is a flock holder plus the owner file; installs are dry runs
# on the e2e fixture, and no screen is there, so the one that wins stops at
# "no screen to ask on".
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/ironpass-installer
command -v flock >/dev/null || { echo "missing flock: run make deps"; exit 1; }
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
cp -a "$top/tests/fixtures/qemu-e2e" "$tmp/sys"
sed -i 's/ ironpass.auto//' "$tmp/sys/proc/cmdline"
run=$tmp/sys/run/ironpass
mkdir -p "$run"
out=
fail() { echo "FAIL: $*"; echo "--- output:"; echo "$out"; cat "$tmp/out" 2>/dev/null; exit 1; }
start() { timeout 30 "$bin" start --sysroot "$tmp/sys" --dry-run "$@"; }

# 1. nobody else: Enter on this console takes the install here
out=$(printf '\n' | start --mode install 2>&1)
rc=$?
grep -q "press Enter to install from this console (this console)" <<<"$out" ||
	fail "no prompt in install mode"
grep -q "install started" <<<"$out" || fail "Enter did not start the install here"
grep -q "no answer file and no screen to ask on" <<<"$out" || fail "not the expected stop"
[ $rc -eq 1 ] || fail "exit status $rc, expected 1"
[ -e "$run/install.console" ] && fail "the owner file is left behind"
grep -q "install failed" "$run/install.log" || fail "the outcome is not in the live log"
rm -f "$run/install.log"

# 2. waiting, nobody pressed anything: it waits and installs nothing; then
# ttyS0 claims: this console follows ttyS0's log and ends with its outcome
mkfifo "$tmp/keys"
sleep 60 >"$tmp/keys" &	# the keyboard: open, nothing typed
pids+=($!)
start --mode install <"$tmp/keys" >"$tmp/out" 2>&1 &
waiter=$!
pids+=($waiter)
sleep 2
kill -0 $waiter 2>/dev/null || fail "it did not wait for Enter"
grep -q "press Enter to install from this console" "$tmp/out" || fail "no prompt while waiting"
grep -q "install started" "$tmp/out" && fail "it installed without Enter"
: >"$run/install.log"
flock "$run/install.lock" -c "echo ttyS0 >'$run/install.console'; \
	echo 'step partition: done in 1.0 s' >>'$run/install.log'; sleep 3; \
	echo 'ironpass-installer: install done in 4 s' >>'$run/install.log'; \
	rm -f '$run/install.console'" &
holder=$!
pids+=($holder)
wait $holder
for _ in $(seq 1 50); do kill -0 $waiter 2>/dev/null || break; sleep 0.2; done
kill -0 $waiter 2>/dev/null && fail "the follower did not end when the lock was let go"
wait $waiter
rc=$?
out=$(cat "$tmp/out")
[ $rc -eq 0 ] || fail "follower exit status $rc"
grep -q "installing on ttyS0; its log follows" <<<"$out" || fail "no notice naming ttyS0"
grep -q "step partition: done in 1.0 s" <<<"$out" || fail "ttyS0's step line is missing"
grep -q "the install on ttyS0 has ended: ironpass-installer: install done in 4 s" <<<"$out" ||
	fail "the outcome is missing"
grep -q "install started" <<<"$out" && fail "the follower installed"

# 3. unattended while ttyS0 installs: no prompt, it follows at once
: >"$run/install.log"
flock "$run/install.lock" -c "echo ttyS0 >'$run/install.console'; sleep 2; \
	echo 'ironpass-installer: install failed at step '\\''disk'\\'': no disk' >>'$run/install.log'; \
	rm -f '$run/install.console'" &
holder=$!
pids+=($holder)
for _ in $(seq 1 50); do [ -e "$run/install.console" ] && break; sleep 0.1; done
out=$(start --mode auto </dev/null 2>&1)
rc=$?
wait $holder
[ $rc -eq 0 ] || fail "unattended follower: exit status $rc"
grep -q "press Enter" <<<"$out" && fail "unattended mode asked for Enter"
grep -q "installing on ttyS0; its log follows" <<<"$out" || fail "unattended: no notice"
grep -q "the install on ttyS0 has ended: .*install failed at step 'disk'" <<<"$out" ||
	fail "unattended: the outcome is missing"

# 4. install mode, started after ttyS0 claimed: nothing to offer, it follows at once
: >"$run/install.log"
flock "$run/install.lock" -c "echo ttyS0 >'$run/install.console'; sleep 2; \
	echo 'ironpass-installer: install done in 2 s' >>'$run/install.log'; \
	rm -f '$run/install.console'" &
holder=$!
pids+=($holder)
for _ in $(seq 1 50); do [ -e "$run/install.console" ] && break; sleep 0.1; done
out=$(start --mode install <"$tmp/keys" 2>&1)
rc=$?
wait $holder
[ $rc -eq 0 ] || fail "late console: exit status $rc"
grep -q "press Enter" <<<"$out" && fail "a console started after the claim offered the install"
grep -q "the install on ttyS0 has ended: ironpass-installer: install done in 2 s" <<<"$out" ||
	fail "late console: the outcome is missing"
echo "start-claim: ok"
