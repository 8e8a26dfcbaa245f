#!/bin/bash
# Unpack throughput: the installer's libarchive unpack (with its streaming
# SHA-256 check) against `zstd -dc base.tar.zst | tar -x`, on the same disk,
# RUNS times each, alternating; prints both medians and the ratio
# tar_time / our_time (goal >= 0.9).
#   BENCH_UNPACK_ARCHIVE  a base.tar.zst to use (default: the payload's, else
#                         one made once from BENCH_UNPACK_TREE, default /usr/share)
#   BENCH_UNPACK_DIR      where to unpack (default $BUILD/bench/unpack-work)
#   BENCH_UNPACK_RUNS     default 3
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
bin=$BUILD/bench/bench-unpack
[ -x "$bin" ] || { echo "skipped: no $bin (make bench builds it)"; exit 0; }
for t in zstd tar; do command -v $t >/dev/null || { echo "skipped: no $t"; exit 0; }; done
runs=${BENCH_UNPACK_RUNS:-3}
work=${BENCH_UNPACK_DIR:-$BUILD/bench/unpack-work}
archive=${BENCH_UNPACK_ARCHIVE:-}
if [ -z "$archive" ]; then
	for c in out/payload/base.tar.zst "$BUILD"/payload/base.tar.zst; do
		[ -f "$c" ] && { archive=$c; break; }
	done
fi
if [ -z "$archive" ]; then
	tree=${BENCH_UNPACK_TREE:-/usr/share}
	archive=$BUILD/bench/unpack-base.tar.zst
	if [ ! -f "$archive" ]; then
		echo "making $archive from $tree (once)"
		mkdir -p "$(dirname "$archive")"
		tar -C "$tree" -cf - . 2>/dev/null | zstd -q -T0 -3 -o "$archive.tmp" &&
			mv "$archive.tmp" "$archive" || { echo "cannot make $archive"; exit 1; }
	fi
fi
mkdir -p "$work"
echo "archive: $archive ($(du -h "$archive" | cut -f1) compressed), target: $work"

now() { date +%s.%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
fresh() { rm -rf "$work/t"; mkdir "$work/t"; sync; }

ours=() theirs=()
for ((i = 0; i < runs; i++)); do
	fresh
	out=$("$bin" "$archive" "$work/t") || { echo "bench-unpack failed"; exit 1; }
	ours+=("${out%% *}")
	fresh
	t0=$(now)
	zstd -dc "$archive" | tar -x -C "$work/t" || { echo "tar failed"; exit 1; }
	t1=$(now)
	theirs+=("$(awk -v a="$t1" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')")
done
rm -rf "$work/t"
o=$(printf '%s\n' "${ours[@]}" | median)
t=$(printf '%s\n' "${theirs[@]}" | median)
size=$(stat -c %s "$archive")
printf 'ironpass unpack:   %.3f s median (%s)  %.0f MB/s compressed\n' "$o" "${ours[*]}" \
	"$(awk -v s="$size" -v o="$o" 'BEGIN { print s / o / 1e6 }')"
printf 'zstd -dc | tar -x: %.3f s median (%s)\n' "$t" "${theirs[*]}"
ratio=$(awk -v t="$t" -v o="$o" 'BEGIN { print t / o }')
printf 'ratio (tar time / our time): %.2f  (goal >= 0.9)\n' "$ratio"
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.9) }' || echo "below goal"
exit 0
