#!/bin/bash
# The include floors (tests/lint/floors.sh): the tree passes, and each kind
# of violation, planted in a copy of the tree, is caught and named.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
lint="$top/tests/lint/floors.sh"
work=$(mktemp -d /tmp/ironpass-floors-XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$lint" "$top" || fail "the tree breaks a floor"

# plant FILE LINE: in a fresh copy, add LINE after the first #include of
# FILE; the check must fail and name FILE
plant() {
	local file=$1 line=$2 out
	rm -rf "$work/t" && mkdir -p "$work/t"
	cp -r "$top/lib" "$top/builder" "$top/installer" "$work/t/"
	grep -q '^#include' "$work/t/$file" || fail "no #include in $file"
	sed -i "0,/^#include/s||$line\n&|" "$work/t/$file"
	if out=$("$lint" "$work/t" 2>&1); then
		fail "'$line' in $file was not caught"
	fi
	grep -q "^floors: $file:[0-9]*: " <<<"$out" || fail "no line naming $file: $out"
	echo "caught: $(grep "^floors: $file:" <<<"$out")"
}
plant installer/detect/hw-cpu.c '#include "plan/plan.h"'
plant installer/detect/hw-pci.c '#include "ui/ui.h"'
plant installer/plan/plan-gpu.c '#include "install/inst.h"'
plant installer/plan/plan-vm.c '#include "ui/inst-ask.h"'
plant installer/install/inst-boot.c '#include "ui/ui-dialog.h"'
plant installer/target/inst-cfg-net.c '#include "install/inst-steps.h"'
plant installer/firstboot/inst-firstboot-vm.c '#include "install/inst-session.h"'
plant installer/host/host-apply.c '#include "install/inst-steps.h"'
plant installer/host/host-undo.c '#include "firstboot/inst-firstboot.h"'
plant lib/answer.c '#include "detect/hw.h"'
plant lib/toml/toml-lex.c '#include "payload/bld-payload.h"'
plant builder/bld-iso.c '#include "plan/plan.h"'
plant installer/install/inst-lvm.c '#include "plan/plan-internal.h"'
plant lib/answer.c '#include "toml/toml-internal.h"'
plant installer/detect/hw-mem.c '#include "no-such-header.h"'

# each folder's main header opens with the rule that docs/architecture.md gives
doc="$top/docs/architecture.md"
n=0
for hdr in installer/detect/hw.h installer/plan/plan.h installer/install/inst.h \
	   installer/target/inst-cfg.h installer/firstboot/inst-firstboot.h installer/host/host.h installer/ui/ui.h \
	   installer/installer-cmds.h lib/toml/toml.h builder/bld.h builder/payload/bld-payload.h; do
	para=$(awk '/^ \* Folder /{f=1} f && /^ \*\/$/{exit} f{sub(/^ \* ?/, ""); printf "%s ", $0}' \
		"$top/$hdr")
	para=${para% }
	[ -n "$para" ] || fail "$hdr does not open with its folder's rule"
	folder=${para#Folder }
	folder=${folder%%: *}
	text=${para#*: }
	line=$(grep -F -- "- \`$folder\` — " "$doc") || fail "docs/architecture.md has no rule for '$folder'"
	[ "${line#*\` — }" = "$text" ] || fail "the rule of '$folder' differs between $hdr and docs/architecture.md"
	n=$((n + 1))
done
echo "$n folder rules match docs/architecture.md"
echo "ok"
