#!/bin/bash
# The installer's screens driven like a person would, with tmux: go through
# every question (btrfs chosen, Esc on the host name and forward again keeps
# it, a refused e-mail address asked again, Esc on the keyboard back to the
# time zone), press Esc on the summary to go back, confirm, and see the
# failure screen name the failing step (the screens' answer passed the
# schema; the payload is missing on purpose, so nothing is installed;
# commands would only be printed: --dry-run).
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
bin=$top/$BUILD/ironpass-installer
command -v tmux >/dev/null && command -v dialog >/dev/null || { echo "tmux or dialog missing: run make deps"; exit 1; }
[ -x "$bin" ] || { echo "no $bin"; exit 1; }

tmp=$(mktemp -d)
sock=ironpass-ui-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
cp -a "$top/tests/fixtures/qemu-e2e" "$tmp/sys"
# an interactive boot: no ironpass.auto
sed -i 's/ ironpass.auto//' "$tmp/sys/proc/cmdline"
mkdir -p "$tmp/target" "$tmp/nopayload"

tmux -L "$sock" new-session -d -x 110 -y 32 -s ui \
	"ASAN_OPTIONS=detect_leaks=0 $bin install --sysroot $tmp/sys --payload $tmp/nopayload --target $tmp/target --dry-run --no-reboot 2>$tmp/stderr; echo EXIT=\$? >$tmp/exit; sleep 60"

screen() { tmux -L "$sock" capture-pane -p -t ui; }
fail() {
	echo "FAIL: $*"
	echo "--- screen:"; screen
	echo "--- stderr:"; tail -n 20 "$tmp/stderr"
	exit 1
}
wait_for() {
	local i
	for i in $(seq 1 100); do
		screen | grep -q -- "$1" && return 0
		sleep 0.2
	done
	fail "screen never showed '$1'"
}
keys() { tmux -L "$sock" send-keys -t ui "$@"; sleep 0.3; }

wait_for "Welcome to ironpass";		screen | grep -q "Passthrough readiness" || fail "no verdict"
keys Enter
wait_for "Choose the disk";		screen | grep -q "sr0" && fail "boot medium offered"
keys Enter
# btrfs is offered (the third item): on the one disk it is raid0
wait_for "Root filesystem";		screen | grep -q "btrfs" || fail "btrfs not offered"
keys Down; keys Down; keys Enter
wait_for "management bridge vmbr0";	keys Enter
wait_for "How does this host";		keys Enter
wait_for "Fully qualified domain name"
for _ in $(seq 1 30); do keys BSpace; done
keys "pve1.example.com" Enter
# Esc back through the host name to the network mode, then forward again: the name stays
wait_for "Password for root";		keys Escape
wait_for "Fully qualified domain name";	keys Escape
wait_for "How does this host";		keys Enter
wait_for "Fully qualified domain name"
screen | grep -v "e\.g\." | grep -q "pve1\.example\.com" || fail "host name lost after Esc"
keys Enter
wait_for "Password for root";		keys "password1" Enter
wait_for "The same password again";	keys "password1" Enter
# an e-mail address the answer schema refuses is shown with its reason and asked again
wait_for "E-mail address for the node"
for _ in $(seq 1 30); do keys BSpace; done
keys "admin" Enter
wait_for "must be an e-mail address";	keys Enter
wait_for "E-mail address for the node"
for _ in $(seq 1 10); do keys BSpace; done
keys "admin@example.com" Enter
wait_for "Country, as a two-letter code"
for _ in $(seq 1 5); do keys BSpace; done
keys "de" Enter
wait_for "Time zone (e.g."
for _ in $(seq 1 10); do keys BSpace; done
keys "Europe/Berlin" Enter
wait_for "Keyboard layout of the installed"
screen | grep -q "Swiss German" || fail "keyboard menu lacks a layout"
# Esc on the keyboard goes back to the time zone, which kept its value
keys Escape
wait_for "Time zone (e.g.";		screen | grep -q "Europe/Berlin" || fail "time zone lost"
keys Enter
# from en-us (the default) to the first layout (de), then the next (de-ch)
wait_for "Keyboard layout of the installed"; keys Home; keys Down; keys Enter
wait_for "Which GPU should be isolated"; keys Enter
wait_for "ALL DATA ON /dev/vda"
screen | grep -q "pve1.example.com" || fail "summary lacks the host name"
screen | grep -q "Filesystem: btrfs (raid0, one disk)" || fail "summary lacks the filesystem"
screen | grep -q "E-mail: admin@example.com" || fail "summary lacks the e-mail"
screen | grep -q "Country: de, time zone: Europe/Berlin, keyboard: de-ch" ||
	fail "summary lacks country, time zone or keyboard"
# Esc on the summary goes back to the GPU screen
keys Escape
wait_for "Which GPU should be isolated"; keys Enter
wait_for "ALL DATA ON /dev/vda";	keys y
wait_for "The installation failed at step 'payload'"
screen | grep -q "Open a shell" || fail "no shell offered"
keys n
for _ in $(seq 1 50); do [ -s "$tmp/exit" ] && break; sleep 0.2; done
grep -q "EXIT=1" "$tmp/exit" || fail "exit status: $(cat "$tmp/exit" 2>/dev/null)"
grep -q "step payload: failed" "$tmp/stderr" || fail "no failure line on stderr"
# the password never reaches the log
grep -q password1 "$tmp/sys/run/ironpass/install.log" && fail "password in the log"
echo "ui-tmux: ok"
