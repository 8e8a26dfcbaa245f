#!/bin/bash
# The README's first command on a machine that has none of the libraries yet:
# here pkg-config answers only once `make deps` has run (a stand-in for
# apt-get installing them). `make deps <goal>` must work in one invocation,
# and without deps the build stops at once with one line saying what to do.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/ironpass-first-run-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
real=$(command -v pkg-config) || fail "no pkg-config"

cat >"$work/pkg-config" <<EOS
#!/bin/sh
[ -e "$work/deps-done" ] || exit 1
exec "$real" "\$@"
EOS
cat >"$work/deps" <<EOS
#!/bin/sh
echo "deps: (test) installing"
touch "$work/deps-done"
EOS
chmod +x "$work/pkg-config" "$work/deps"
args=(-C "$top" BUILD="$work/b" PKG_CONFIG="$work/pkg-config" DEPS_CMD="$work/deps"
      CFLAGS=-O0 SANITIZE=)

# before deps: refused at once, naming the cure, nothing compiled
if out=$(make "${args[@]}" "$work/b/ironpass" 2>&1); then
	fail "the build worked although pkg-config knew nothing"
fi
grep -q "run 'make deps' first" <<<"$out" || fail "no hint to run make deps: $out"
[ -z "$(find "$work/b" -name '*.o' 2>/dev/null)" ] || fail "objects were compiled before deps"

# deps and the build in one invocation, in parallel too
make -j2 "${args[@]}" deps "$work/b/ironpass" >"$work/log" 2>&1 ||
	{ tail -n 20 "$work/log"; fail "make deps ironpass failed"; }
[ -x "$work/b/ironpass" ] || fail "no ironpass binary"
d=$(grep -n '^deps: (test) installing' "$work/log" | head -n 1 | cut -d: -f1)
c=$(grep -n ' -c -o ' "$work/log" | head -n 1 | cut -d: -f1)
[ -n "$d" ] && [ -n "$c" ] && [ "$d" -lt "$c" ] ||
	fail "deps did not run before the first compile (lines $d and $c)"
"$work/b/ironpass" --help >/dev/null || fail "the binary does not run"
echo "ok"
