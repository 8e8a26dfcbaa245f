#!/bin/bash
# usage: tests/fuzz/run.sh SECONDS [NAME...]
#
# Builds every tests/fuzz/fuzz-<name>.c with clang's libFuzzer, ASan and
# UBSan against the lib/ sources and runs each for SECONDS seconds,
# starting from a temporary copy of tests/fuzz/corpus-<name>/ when that
# exists. Prints the exec count of each target; exits 1 when one crashed
# (the reproducer is kept in $FUZZ_BUILD). With NAMEs, only fuzz-NAME.c.
set -u
secs=${1:-60}
shift $(( $# > 0 ? 1 : 0 ))
only=" $* "
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
CLANG=${CLANG:-}
if [ -z "$CLANG" ]; then
	for c in clang clang-14; do
		command -v "$c" >/dev/null 2>&1 && { CLANG=$c; break; }
	done
fi
[ -n "$CLANG" ] || { echo "fuzz: clang not found" >&2; exit 77; }
out=${FUZZ_BUILD:-$top/build/fuzz}
mkdir -p "$out/obj"
san="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
pkgs="libpci libarchive json-c libcurl libcrypto"
cflags="-std=gnu17 -g -O1 -D_GNU_SOURCE -I. -Ilib -Iinstaller -Ibuilder $(pkg-config --cflags $pkgs 2>/dev/null)"
libs="$(pkg-config --libs $pkgs 2>/dev/null) -lcrypt"

objs=()
for src in lib/*.c lib/*/*.c; do
	obj="$out/obj/$(basename "$src" .c).o"
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ -n "$(find lib -name '*.h' -newer "$obj")" ]; then
		"$CLANG" $cflags $san -fsanitize=fuzzer-no-link -c -o "$obj" "$src" || exit 1
	fi
	objs+=("$obj")
done

status=0
for src in tests/fuzz/fuzz-*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz-}
	[ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || continue
	bin="$out/fuzz-$name"
	"$CLANG" $cflags $san -fsanitize=fuzzer -o "$bin" "$src" "${objs[@]}" $libs || exit 1
	work=$(mktemp -d)
	[ -d "tests/fuzz/corpus-$name" ] && cp -r "tests/fuzz/corpus-$name/." "$work/"
	log="$out/fuzz-$name.log"
	echo "fuzz-$name: running for $secs s (log: $log)"
	start=$(date +%s)
	"$bin" -max_total_time="$secs" -print_final_stats=1 -max_len=16384 -timeout=10 \
		-artifact_prefix="$out/$name-" "$work" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "fuzz-$name: ${execs:-?} execs in $(( $(date +%s) - start )) s, exit $rc," \
		"corpus $(find "$work" -type f | wc -l) inputs"
	if [ $rc -ne 0 ]; then
		status=1
		grep -m1 -A30 'ERROR\|runtime error\|deadly signal' "$log"
	fi
	rm -rf "$work"
done
exit $status
