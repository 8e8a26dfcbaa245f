#!/bin/bash
# ironpass-installer plan --json on every fixture tree, compared with the tree's
# expected-plan.json (python3, sorted keys; a diff on mismatch). A fixture may hold
# plan-answer.toml: then the plan is made with --answer from it.
# Device names come from the build host's pci.ids, so "ADDR (name)" is compared as
# "ADDR (…)"; everything else must match exactly.
# UPDATE=1 writes the expected files from the current output: review them by hand.
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin="$BUILD/ironpass-installer"
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
cd "$top" || exit 1
[ -x "$bin" ] || { echo "no $bin"; exit 1; }
command -v python3 >/dev/null || { echo "python3 missing: run make deps"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0 n=0

for dir in tests/fixtures/*/; do
	dir=${dir%/}
	[ -d "$dir/sys" ] || continue
	name=$(basename "$dir")
	args=(plan --sysroot "$dir" --json)
	[ -f "$dir/plan-answer.toml" ] && args+=(--answer "$dir/plan-answer.toml")
	"$bin" "${args[@]}" >"$tmp/$name.json" 2>"$tmp/$name.err"
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
		echo "FAIL $name: plan exited $rc"; cat "$tmp/$name.err"; fail=1; continue
	fi
	if [ "${UPDATE:-0}" = 1 ]; then
		python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
open(sys.argv[2],"w").write(json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False)+"\n")' \
			"$tmp/$name.json" "$dir/expected-plan.json" || fail=1
		echo "wrote $dir/expected-plan.json"
		continue
	fi
	if [ ! -f "$dir/expected-plan.json" ]; then
		echo "FAIL $name: no $dir/expected-plan.json (UPDATE=1 $0 writes it; review it)"
		fail=1; continue
	fi
	n=$((n + 1))
	python3 - "$dir/expected-plan.json" "$tmp/$name.json" "$name" <<'PY' || fail=1
import difflib, json, re, sys
name_re = re.compile(r"((?:[0-9a-f]{4}:)?[0-9a-f]{2}:[0-9a-f]{2}(?:\.[0-9a-f])?'?) "
                     r"\((?:[^()]|\([^()]*\))*\)")
def norm(v):
    if isinstance(v, str):
        return name_re.sub(r"\1 (…)", v)
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, dict):
        return {k: norm(x) for k, x in v.items()}
    return v
def dump(path):
    with open(path) as f:
        d = norm(json.load(f))
    return json.dumps(d, indent=2, sort_keys=True, ensure_ascii=False).splitlines()
exp, got = dump(sys.argv[1]), dump(sys.argv[2])
if exp != got:
    print("FAIL %s: plan differs from expected-plan.json" % sys.argv[3])
    for line in difflib.unified_diff(exp, got, "expected", "got", lineterm=""):
        print(line)
    sys.exit(1)
print("ok   %s" % sys.argv[3])
PY
done
[ "${UPDATE:-0}" = 1 ] && exit $fail
[ $n -gt 0 ] || [ $fail -ne 0 ] || { echo "no fixture with an expected plan"; exit 77; }
exit $fail
