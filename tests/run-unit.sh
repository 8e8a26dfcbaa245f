#!/bin/bash
# Runs every unit test binary in $BUILD/tests and the command-level tests in
# tests/cmd/*.sh; prints one summary line "N passed, N failed, N skipped".
# A test binary that exits 77 is counted as skipped.
set -u
BUILD=${BUILD:-build}
export BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
export TOML_TEST_DIR=${TOML_TEST_DIR:-$top/../shared/toml-test}
export IRONPASS_TOP=$top
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
pass=0 fail=0 skip=0 failed=()
start=$(date +%s)
run_one() {
	local name=$1; shift
	local log="$BUILD/tests/$name.log" t0=$SECONDS
	mkdir -p "$(dirname "$log")"
	"$@" >"$log" 2>&1
	local rc=$? took=$((SECONDS - t0))
	if [ $rc -eq 0 ]; then
		pass=$((pass + 1)); echo "PASS  $name (${took} s)"
	elif [ $rc -eq 77 ]; then
		skip=$((skip + 1)); echo "SKIP  $name (${took} s)"
	else
		fail=$((fail + 1)); failed+=("$name"); echo "FAIL  $name (exit $rc, log: $log)"
		tail -n 40 "$log" | sed 's/^/    /'
	fi
}
for t in "$BUILD"/tests/test-*; do
	case $t in *.log|*.d|*.o) continue ;; esac
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" "$t"
done
for t in tests/cmd/*.sh; do
	[ -e "$t" ] || continue
	run_one "cmd/$(basename "$t" .sh)" bash "$t"
done
echo
echo "unit and command tests: $(( $(date +%s) - start )) s"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
