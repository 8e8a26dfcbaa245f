#!/bin/bash
# make demo: the main job on this machine. Generates the test stand-in pool
# (Debian packages plus stand-in metapackages — NOT Proxmox VE), builds the
# demo image from it with profiles/default.toml, and says where the ISO and
# the PXE tree are and how to boot them.
#
# Environment: BUILD (build), OUT (out), CACHE (cache), PROFILE
# (profiles/default.toml), POOL (a pool directory instead of the stand-in).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
BUILD=${BUILD:-build}
OUT=${OUT:-out}
CACHE=${CACHE:-cache}
PROFILE=${PROFILE:-profiles/default.toml}
IRONPASS="$BUILD/ironpass"

pool=${POOL:-}
if [ -z "$pool" ]; then
	pool="$CACHE/standin-pool"
	# reused when it is already there and verifies against its manifest
	echo "==> stand-in pool: Debian packages + stand-in metapackages (test only, NOT Proxmox VE)"
	mkdir -p "$CACHE"
	"$IRONPASS" standin-pool "$pool"
fi
"$IRONPASS" build --profile "$PROFILE" --pool "$pool" -o "$OUT" --cache "$CACHE"
iso=$(ls -t "$OUT"/ironpass-*.iso 2>/dev/null | head -n 1)
cat <<MSG

The demo image is ready (its payload is the test stand-in, not Proxmox VE):
  ISO       $iso          (CD, or dd to a USB stick: BIOS and UEFI/Secure Boot)
  PXE tree  $OUT/pxe/     (tftp/ for the first stage, http/ for the rest; docs/pxe.md)
Boot it in QEMU (serial console in this terminal, Ctrl-A X quits):
  make run-qemu ISO=$iso                  UEFI with Secure Boot
  make run-qemu ISO=$iso QEMU_FW=bios     BIOS
MSG
