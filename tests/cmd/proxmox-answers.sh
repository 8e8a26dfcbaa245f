#!/bin/bash
# Judges our answer-file cases (tests/fixtures/proxmox-answers/, listed in
# its `cases` file), each named after the Proxmox VE installer's test case
# whose fact it checks, as Proxmox does: a case Proxmox accepts must
# validate, or fail only because ironpass cannot install its filesystem yet;
# a case Proxmox refuses must fail with the error named in `cases`. Both
# programs must print exactly the case's FILE.expected. Every .toml is
# listed in `cases` and every case has a file.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
fix=$top/tests/fixtures/proxmox-answers
progs=("$BUILD/ironpass validate" "$BUILD/ironpass-installer validate-answer")
fail=0 n=0 n_ok=0 n_rejected=0

bad() {
	echo "FAIL: $*"
	fail=$((fail + 1))
}

for p in "${progs[@]}"; do
	set -- $p
	[ -x "$1" ] || { echo "missing $1"; exit 1; }
done

# the errors in a report (not its warnings, not its "ok" line)
other_errors() {
	grep -v -e ': warning: ' -e ': ok$' <<<"$1"
}

while IFS='|' read -r name verdict want; do
	name=$(echo $name) want=$(sed 's/^ *//; s/ *$//' <<<"$want")
	case $name in '' | '#'*) continue ;; esac
	n=$((n + 1))
	dir=${name%%/*} f=${name#*/}.toml
	[ -f "$fix/$name.toml" ] || { bad "$name: no $name.toml"; continue; }
	exp=$fix/$name.expected
	[ -f "$exp" ] || { bad "$name: no $name.expected"; continue; }
	for p in "${progs[@]}"; do
		out=$(cd "$fix/$dir" && $p "$f" 2>&1)
		rc=$?
		if [ "$out" != "$(cat "$exp")" ]; then
			bad "$p $name: output differs from $name.expected"
			diff <(printf '%s\n' "$out") "$exp" | sed 's/^/    /'
		fi
		case $dir in
		accept | dhcp)
			if [ $rc -eq 0 ] && [ "$out" = "$f: ok" ]; then
				continue
			fi
			bad "$p $name: Proxmox accepts it, we do not (exit $rc): $out"
			;;
		reject)
			[ $rc -eq 1 ] || bad "$p $name: Proxmox refuses it ($verdict), we exit $rc"
			grep -qF -- "$want" <<<"$out" ||
				bad "$p $name: Proxmox refuses it ($verdict), we do not say '$want': $out"
			[ -n "$(other_errors "$out")" ] ||
				bad "$p $name: refused, but with no error ($verdict)"
			;;
		*) bad "$name: unknown folder '$dir'" ;;
		esac
	done
	case $dir in
	reject) n_rejected=$((n_rejected + 1)) ;;
	*) n_ok=$((n_ok + 1)) ;;
	esac
done <"$fix/cases"

# every fixture is a case
for t in "$fix"/*/*.toml; do
	rel=${t#$fix/}
	grep -q "^${rel%.toml} |" "$fix/cases" || bad "$rel is not listed in cases"
done

echo "proxmox-answers: $n cases ($n_ok accepted, $n_rejected rejected), $fail failure(s)"
[ $fail -eq 0 ]
