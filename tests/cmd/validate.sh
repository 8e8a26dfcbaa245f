#!/bin/bash
# Runs `ironpass validate` and `ironpass-installer validate-answer` on every
# answer-file fixture: a good file must exit 0 and end with "FILE: ok" (and,
# when it has a FILE.expected, print exactly that); a bad file must exit 1
# and print exactly its FILE.expected. Also checks --json, --help and usage
# errors, standard input ("-"), and that no secret is ever printed.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
fix=$top/tests/fixtures/answers
progs=("$BUILD/ironpass validate" "$BUILD/ironpass-installer validate-answer")
fail=0 n_good=0 n_bad=0

for p in "${progs[@]}"; do
	set -- $p
	[ -x "$1" ] || { echo "missing $1"; exit 1; }
done

bad() {
	echo "FAIL: $*"
	fail=$((fail + 1))
}

cd "$fix/good" || exit 1
for f in *.toml; do
	n_good=$((n_good + 1))
	for p in "${progs[@]}"; do
		out=$($p "$f" 2>&1)
		rc=$?
		[ $rc -eq 0 ] || bad "$p $f: exit $rc, want 0: $out"
		[ "$(printf '%s\n' "$out" | tail -n 1)" = "$f: ok" ] || bad "$p $f: no '$f: ok' line"
		if [ -e "${f%.toml}.expected" ] && [ "$out" != "$(cat "${f%.toml}.expected")" ]; then
			bad "$p $f: output differs from ${f%.toml}.expected"
			diff <(printf '%s\n' "$out") "${f%.toml}.expected" | sed 's/^/    /'
		fi
	done
done

# refused_as FILE EXPECTED: each program exits 1 and prints exactly EXPECTED
refused_as() {
	local p out rc
	for p in "${progs[@]}"; do
		out=$($p "$1" 2>&1)
		rc=$?
		[ $rc -eq 1 ] || bad "$p $1: exit $rc, want 1"
		if [ "$out" != "$(cat "$2")" ]; then
			bad "$p $1: output differs from $2"
			diff <(printf '%s\n' "$out") "$2" | sed 's/^/    /'
		fi
	done
}

cd "$fix/bad" || exit 1
for f in *.toml; do
	n_bad=$((n_bad + 1))
	exp=${f%.toml}.expected
	[ -s "$exp" ] || { bad "$f: no $exp"; continue; }
	refused_as "$f" "$exp"
done

# the whole set at once: exit 1 when any file is bad, every file reported
cd "$fix" || exit 1
for p in "${progs[@]}"; do
	$p good/*.toml >/dev/null 2>&1 || bad "$p good/*.toml: not exit 0"
	$p good/01-proxmox-minimal.toml bad/unknown-key.toml >/dev/null 2>&1
	[ $? -eq 1 ] || bad "$p good+bad: not exit 1"
	# --json: one object per file, problems with line/col/severity/message
	out=$($p --json bad/swap-over-half.toml)
	want='{"file":"bad/swap-over-half.toml","ok":false,"problems":[{"line":16,"col":16,"severity":"error","message":"'"'lvm.swapsize' (40) must not exceed half of 'lvm.hdsize' (64)"'"}]}'
	[ "$out" = "$want" ] || bad "$p --json: got $out"
	out=$($p --json good/01-proxmox-minimal.toml)
	[ "$out" = '{"file":"good/01-proxmox-minimal.toml","ok":true,"problems":[]}' ] ||
		bad "$p --json good: got $out"
	# secrets never appear in any output
	if $p bad/short-password.toml bad/webhook-token-space.toml bad/subscription-key-bad.toml \
		good/*.toml 2>&1 |
		grep -q -e 'correct horse' -e 'Bearer abc' -e '"short"' -e 'tok-0123' \
			-e 'pve2c-0123' -e 'pve9x-secret'; then
		bad "$p printed a secret"
	fi
	# a password without quotes, URLs with credentials or tokens: never shown
	out=$($p bad/password-unquoted.toml bad/url-credentials.toml 2>&1)
	if printf '%s\n' "$out" | grep -q -e 'Secret-Marker' -e 'deploy:' -e 'token='; then
		bad "$p printed a secret: $out"
	fi
	printf '%s\n' "$out" | grep -q "invalid value for 'root-password' (strings need quotes)" ||
		bad "$p: the unquoted password's key is not named: $out"
	# usage
	$p --help | grep -q '^Usage:' || bad "$p --help"
	$p >/dev/null 2>&1
	[ $? -eq 2 ] || bad "$p without a file: not exit 2"
	$p --bogus x 2>&1 | grep -q "Try '.*--help' for more information." || bad "$p --bogus: no Try line"
	$p no-such-file.toml >/dev/null 2>&1
	[ $? -eq 1 ] || bad "$p no-such-file: not exit 1"
	out=$($p no-such-file.toml)
	[ "$out" = "no-such-file.toml: cannot read file: No such file or directory" ] ||
		bad "$p no-such-file: got $out"
	# "-" reads standard input, named <stdin> in the report
	out=$($p - <good/01-proxmox-minimal.toml); rc=$?
	[ $rc -eq 0 ] && [ "$out" = "<stdin>: ok" ] || bad "$p - (good): exit $rc, got $out"
	out=$(cat bad/password-unquoted.toml | $p - 2>&1); rc=$?
	want=$(sed 's/^password-unquoted\.toml:/<stdin>:/' bad/password-unquoted.expected)
	[ $rc -eq 1 ] && [ "$out" = "$want" ] || bad "$p - (bad): exit $rc, got $out"
	out=$($p --json - good/01-proxmox-minimal.toml <good/01-proxmox-minimal.toml)
	[ "$out" = '{"file":"<stdin>","ok":true,"problems":[]}
{"file":"good/01-proxmox-minimal.toml","ok":true,"problems":[]}' ] || bad "$p --json -: got $out"
	$p - - </dev/null >/dev/null 2>&1
	[ $? -eq 2 ] || bad "$p - -: not exit 2"
	out=$($p --partial bad/missing-sections.toml)
	[ "$out" = "bad/missing-sections.toml: ok" ] || bad "$p --partial: got $out"
done

echo "validate: $n_good good and $n_bad bad fixtures, $fail failure(s)"
[ $fail -eq 0 ]
