# shellcheck shell=bash
# Sourced by tests/cmd/build-signal.sh and install-signal.sh.
#
# term_when_hung PID WHAT TENTHS: wait (at most TENTHS tenths of a second)
# until the fake tool has written $tmp/sleep.pid, failing with WHAT when it
# never does; then SIGTERM to PID and wait for it. Sets rc and took (seconds
# from the signal to the exit); fails unless PID exited 143 (128 + SIGTERM)
# and the hung tool's background child is gone. Needs $tmp and fail().
term_when_hung() {
	local pid=$1 what=$2 tenths=$3 start hung
	for _ in $(seq "$tenths"); do [ -s "$tmp/sleep.pid" ] && break; sleep 0.1; done
	[ -s "$tmp/sleep.pid" ] || fail "$what"
	start=$SECONDS
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	took=$((SECONDS - start))
	hung=$(cat "$tmp/sleep.pid")
	[ $rc -eq 143 ] || fail "exit status $rc, expected 143 (128 + SIGTERM)"
	if kill -0 "$hung" 2>/dev/null && [ "$(ps -o stat= -p "$hung" | cut -c1)" != Z ]; then
		fail "the hung tool's child (pid $hung) is still running"
	fi
}
