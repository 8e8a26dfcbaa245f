#!/bin/bash
# Install time per step: parsed from the serial console log of an e2e install
# (tests/e2e/install.sh keeps it at out/e2e-install/logs/bios.log, uefi.log).
# The installer prints `step NAME: done in N s` as each step ends and, at the
# end, `ironpass-installer: install done in N s` with a per-step table.
# Nothing is run under QEMU here: run `make e2e` (or tests/e2e/install.sh) first.
#   BENCH_INSTALL_LOGS  logs to read (default: out/e2e-install/logs/{bios,uefi}.log)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
logs=${BENCH_INSTALL_LOGS:-out/e2e-install/logs/bios.log out/e2e-install/logs/uefi.log}
found=0
for log in $logs; do
	[ -s "$log" ] || continue
	tr -d '\r' <"$log" | grep -aq 'ironpass-installer: install done in' || {
		echo "$log: no finished install in this log"
		continue
	}
	found=1
	echo "$log ($(date -u -r "$log" +%FT%TZ)):"
	tr -d '\r' <"$log" | awk '
		/step [a-z-]+: done in [0-9.]+ s/ {
			sub(/^.*step /, "")
			name = $1; sub(/:$/, "", name)
			t = $4
			if (!(name in secs))
				order[n++] = name
			secs[name] = t
			sum += t
		}
		/ironpass-installer: install done in/ { total = $(NF - 1) }
		END {
			for (i = 0; i < n; i++)
				printf("  %-12s %8.1f s  %5.1f%%\n", order[i], secs[order[i]],
				       (sum > 0 ? 100 * secs[order[i]] / sum : 0))
			printf "  %-12s %8.1f s  (installer: %s s)\n", "sum", sum, total
		}'
done
if [ "$found" = 0 ]; then
	echo "skipped: no e2e install log (run tests/e2e/install.sh first)"
fi
exit 0
