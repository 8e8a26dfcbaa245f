#!/bin/bash
# make bench: every benchmark prints its figures. Sections run in order; each
# section is one function called at the bottom. To add a benchmark, add a
# section function and its name to the list at the end. BENCH_SECTIONS picks
# some: BENCH_SECTIONS="rack boot" make bench.
# Binaries come from $BUILD (the Makefile builds tests/bench/bench-*.c into $BUILD/bench/).
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
status=0

section() {
	echo
	echo "== $1"
}

# detect+plan on the largest fixture (goal: median under 10 ms)
bench_plan() {
	local fixture=${BENCH_PLAN_FIXTURE:-tests/fixtures/dual-socket-server}
	section "detect+plan"
	if [ ! -d "$fixture" ]; then
		echo "skipped: no fixture '$fixture'"
		return
	fi
	"$BUILD/bench/bench-plan" "$fixture" "${BENCH_PLAN_RUNS:-50}" || status=1
}

# unpack throughput against zstd -dc | tar -x (goal: ratio >= 0.9); see tests/bench/unpack.sh
bench_unpack() {
	section "unpack base.tar.zst"
	BUILD=$BUILD bash tests/bench/unpack.sh || status=1
}

# what the status webhook adds to one install (start, 15 steps, done) with a live,
# a dead and a silent receiver on loopback (tests/bench/bench-webhook.c)
bench_webhook() {
	section "webhook: time added to an install by the receiver"
	"$BUILD/bench/bench-webhook" "${BENCH_WEBHOOK_EVENTS:-17}" || status=1
}

# a rack against one nginx on loopback: N nodes (default 50) fetch their answer and the
# payload at once, then through a caching proxy; p50/p99 per node, bytes sent (tests/bench/rack.sh)
bench_rack() {
	section "rack: ${BENCH_RACK_NODES:-50} nodes against one nginx (answer + payload)"
	BUILD=$BUILD bash tests/bench/rack.sh || status=1
}

# PXE versus ISO: QEMU start to installer-ready and the memory in use then, on the
# image make e2e built (tests/bench/boot.sh; skipped without one)
bench_boot() {
	section "PXE versus ISO: time to installer-ready, memory in use at ready"
	bash tests/bench/boot.sh || status=1
}

# install time per step, from the serial log of the last e2e install (tests/bench/install.sh)
bench_install() {
	section "install time per step (e2e serial log)"
	bash tests/bench/install.sh || status=1
}

# builder: cold/warm/profile-only build times, sizes, boot to ready (tests/bench/builder.sh)
bench_builder() {
	section "builder"
	BUILD=$BUILD bash tests/bench/builder.sh || status=1
}

# BENCH_SECTIONS="rack boot" runs only those (the names after bench_); default all
for s in plan webhook unpack rack boot builder install; do
	case " ${BENCH_SECTIONS:-$s} " in
	*" $s "*) "bench_$s" ;;
	esac
done
exit $status
