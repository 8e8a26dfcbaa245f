#!/bin/bash
# usage: tests/fuzz/run.sh SECONDS [NAME...]
#
# Builds every tests/fuzz/fuzz-<name>.c with clang's libFuzzer, ASan and
# UBSan (LeakSanitizer on) against the core sources (lib/ and installer/,
# without installer/main.c and installer/cli-*.c) and runs each for SECONDS
# seconds, one after another in one process (no -jobs), starting from a
# temporary copy of tests/fuzz/corpus-<name>/ when that exists. Prints the
# exec count of each target; exits 1 when one crashed (the reproducer is
# kept in $FUZZ_BUILD, build/fuzz by default). With NAMEs, only fuzz-NAME.c.
#
# The targets, each with a seed corpus in corpus-<name>/:
#   answer     the answer file: TOML parser, schema, report (lib/answer*.c)
#   toml       the TOML parser alone (lib/toml/)
#   manifest   the payload manifest JSON, payload_manifest_parse (lib/payload.c)
#   cmdline    the kernel command line, inst_cmdline_parse
#              (installer/install/inst-answer-src-cmdline.c)
#   mountinfo  /proc/self/mountinfo lines, inst_mountinfo_line, and device
#              mapper names, inst_dm_lvm_name (installer/install/inst-disk-users.c)
#   udev       udev database files, inst_udev_parse and inst_udev_value
#              (installer/install/inst-disk-udev.c)
#   efiboot    `efibootmgr` output, inst_boot_parse (installer/install/inst-boot.c)
#
# Objects are cached in $FUZZ_BUILD/obj (rebuilt when their .c or any header
# under lib/ or installer/ is newer); the core is linked as an archive.
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
# the libraries the Makefile links (its PKGS line)
pkgs=$(sed -n 's/^PKGS[[:space:]]*:=[[:space:]]*//p' Makefile)
[ -n "$pkgs" ] || { echo "fuzz: no PKGS line in the Makefile" >&2; exit 1; }
pkg_cflags=$(pkg-config --cflags $pkgs) || { echo "fuzz: pkg-config cannot find '$pkgs':" \
	"run 'make deps' first" >&2; exit 1; }
cflags="-std=gnu17 -g -O1 -D_GNU_SOURCE -I. -Ilib -Iinstaller -Ibuilder $pkg_cflags"
libs="$(pkg-config --libs $pkgs) -lcrypt"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# the newest header: an object older than it is rebuilt
newest_h=$(find lib installer -name '*.h' -printf '%T@ %p\n' | sort -n | tail -n 1 | cut -d' ' -f2-)
srcs=()
for src in lib/*.c lib/*/*.c installer/*.c installer/*/*.c; do
	case $src in installer/main.c | installer/cli-*.c) continue ;; esac
	[ -e "$src" ] && srcs+=("$src")
done
objs=() rebuilt=0
for src in "${srcs[@]}"; do
	obj="$out/obj/${src%.c}.o"
	if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || { [ -n "$newest_h" ] && [ "$newest_h" -nt "$obj" ]; }; then
		mkdir -p "$(dirname "$obj")"
		"$CLANG" $cflags $san -fsanitize=fuzzer-no-link -c -o "$obj" "$src" || exit 1
		rebuilt=1
	fi
	objs+=("$obj")
done
core="$out/libfuzzcore.a"
if [ $rebuilt -eq 1 ] || [ ! -e "$core" ]; then
	rm -f "$core" && ar rcs "$core" "${objs[@]}" || exit 1
fi

status=0
for src in tests/fuzz/fuzz-*.c; do
	[ -e "$src" ] || continue
	name=$(basename "$src" .c)
	name=${name#fuzz-}
	[ "$only" = "  " ] || [[ "$only" == *" $name "* ]] || continue
	bin="$out/fuzz-$name"
	"$CLANG" $cflags -Wall -Wextra $san -fsanitize=fuzzer -o "$bin" "$src" "$core" $libs ||
		exit 1
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
