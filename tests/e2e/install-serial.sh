# shellcheck shell=bash
# The interactive install over the serial console (issue 13, item 3), as a
# person on IPMI Serial-over-LAN would do it. Sourced by tests/e2e/install.sh,
# whose helpers it uses (machine, disk, serve, fail, has, blank_qcow2, $out,
# $logs, $good, $t_boot); runs there as 'serial' and 'boot-serial'.
#
#   serial       boot profiles/e2e-serial.toml's image (default entry: the
#                interactive install; the installer on tty1 and on ttyS0) with
#                QEMU's serial port on the pane of a detached tmux session
#                (-serial stdio). The serial console must offer "press Enter to
#                install from this console (ttyS0)"; Enter there takes the
#                install (tty1 keeps waiting on the VGA screen, then follows).
#                A third installer runs on the second serial port (ttyS1, a
#                file): nobody answers it; it must offer the install too, then
#                say "installing on ttyS0; its log follows", show the step lines
#                and end with "the install on ttyS0 has ended: … install done".
#                Then every screen is answered by keystrokes (tmux send-keys):
#                the disk, ext4, DHCP, a host name, the root password twice, an
#                e-mail address, the country; the summary must show them and
#                get "y". Pass: "install done", the "Installation complete"
#                screen, Enter, the machine restarts (QEMU exits: -no-reboot);
#                the password is neither on the console nor on the disk.
#   boot-serial  boot that disk in tmux: the node's kernel must use the serial
#                console the install came from (console=ttyS0,115200 on its
#                command line: the screens' answer got [ironpass] serial-console),
#                a login prompt comes up there, root logs in with the password
#                typed on the screens, and the shell shows the host name, the
#                GPU on vfio-pci and the command line; then poweroff.

serial_iso=${E2E_SERIAL_ISO:-$out/serial-img/ironpass-e2e-serial.iso}
serial_sock=ironpass-e2e-serial-$$
serial_fqdn=pve-serial.ironpass.test
# typed on the screens; must appear nowhere but as a hash
serial_password=IronpassSerial-3d9f0b42

# the install alone is about 15 minutes under TCG on an idle host; the screens
# and a host shared with other VMs add to it
t_serial=${E2E_SERIAL_TIMEOUT:-3600}

serial_cleanup() {
	local i
	tmux -L "$serial_sock" kill-server 2>/dev/null || return 0
	# a new server on the same socket before the old one is gone fails to start
	for i in $(seq 1 50); do
		tmux -L "$serial_sock" list-sessions >/dev/null 2>&1 || break
		sleep 0.1
	done
	sleep 0.5
}

# the image with the interactive default entry (built next to the install image)
serial_build() {
	[ "${E2E_NO_BUILD:-0}" = 1 ] && [ -s "$serial_iso" ] && return 0
	say "building '$serial_iso'"
	"$BUILD/ironpass" build --profile profiles/e2e-serial.toml --cache cache \
		-o "$(dirname "$serial_iso")" >"$logs/build-serial.log" 2>&1 ||
		{ tail -n 30 "$logs/build-serial.log"; say "FAIL: ironpass build (serial)"; return 1; }
}

tm() { tmux -L "$serial_sock" "$@"; }

# tmux_qemu NAME QEMU-ARGS…: QEMU in a detached 80x24 tmux session with its
# serial port on the pane; what the pane shows is also appended to $logs/NAME.log
tmux_qemu() {
	local name=$1
	shift
	log=$logs/$name.log
	: >"$log"
	serial_cleanup
	tm -f /dev/null new-session -d -s e2e -x 80 -y 24 -- \
		qemu-system-x86_64 "${machine[@]}" -serial stdio "$@" || return 1
	tm set-option -t e2e remain-on-exit on
	tm pipe-pane -t e2e "cat >>'$log'"
	qemu_pid=$(tm display -p -t e2e '#{pane_pid}')
	serial_start=$SECONDS
}

pane() { tm capture-pane -p -t e2e 2>/dev/null; }
pane_dead() { [ "$(tm display -p -t e2e '#{pane_dead}' 2>/dev/null)" = 1 ]; }

# wait_pane REGEX SECONDS: the screen shows REGEX (1 when it does not in time,
# or QEMU has gone)
wait_pane() {
	local end=$((SECONDS + $2))
	while [ $SECONDS -lt $end ]; do
		pane | grep -qE -- "$1" && return 0
		pane_dead && break
		sleep 1
	done
	fail "the serial console never showed '$1' (after $((SECONDS - serial_start)) s)"
	echo "---- screen:"
	pane
	return 1
}

# keys KEY…: tmux key names; text TEXT: literal characters. The serial line
# and the emulated machine are slow: a pause after each.
keys() { tm send-keys -t e2e "$@"; sleep 1; }
text() { tm send-keys -t e2e -l "$1"; sleep 1; }
clear_field() {
	local i
	for i in $(seq 1 "$1"); do tm send-keys -t e2e BSpace; done
	sleep 1
}

# the pane's log without escape sequences and carriage returns
plain_log() { sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1b[()][0-9A-Za-z]//g; s/\r//g' "$log"; }

serial_took() { took=$((SECONDS - serial_start)); }

do_serial() {
	local dsk=$out/disk-serial.qcow2 end
	serial_build || { fail "no image"; return 1; }
	blank_qcow2 "$dsk"
	serve tests/e2e/answers/install.toml "$good"	# only the payload is used
	rm -f "$logs/$run-ttyS1.log"
	# shellcheck disable=SC2046
	tmux_qemu "$run" $(disk "$dsk" qcow2 IRONPASS-E2E-OS 04.0) \
		-serial "file:$logs/$run-ttyS1.log" \
		-cdrom "$serial_iso" -boot order=d || { fail "tmux could not start QEMU"; return 1; }

	wait_pane 'press Enter to install from this console \(ttyS0\)' 600 || return 1
	pane | grep -q 'installing on' && { fail "ttyS0 follows before anyone pressed Enter"; return 1; }
	keys Enter
	wait_pane 'Welcome to ironpass' 300 || return 1
	has 'installing on tty1|running on another console' &&
		{ fail "Enter on ttyS0 did not take the install"; return 1; }
	keys Enter
	wait_pane 'Choose the disk' 120 || return 1;		keys Enter
	wait_pane 'Root filesystem' 60 || return 1;		keys Enter
	wait_pane 'management bridge vmbr0' 60 || return 1;	keys Enter
	wait_pane 'How does this host' 60 || return 1;		keys Enter
	wait_pane 'Fully qualified domain name' 60 || return 1
	clear_field 30
	text "$serial_fqdn";	keys Enter
	wait_pane 'Password for root' 60 || return 1
	text "$serial_password";	keys Enter
	wait_pane 'The same password again' 60 || return 1
	text "$serial_password";	keys Enter
	wait_pane 'E-mail address for the node' 60 || return 1
	clear_field 30
	text "admin@ironpass.test";	keys Enter
	wait_pane 'Country, as a two-letter code' 60 || return 1
	clear_field 5
	text "at";	keys Enter
	wait_pane 'Time zone' 60 || return 1;			keys Enter
	wait_pane 'Keyboard layout of the installed' 60 || return 1;	keys Enter
	wait_pane 'Which GPU should be isolated' 60 || return 1;	keys Enter
	wait_pane 'ALL DATA ON /dev/vda' 60 || return 1
	pane | grep -q "$serial_fqdn" || { fail "the summary lacks the host name"; pane; return 1; }
	pane | grep -q 'E-mail: admin@ironpass.test' || { fail "the summary lacks the e-mail"; pane; return 1; }
	keys y
	say "serial: screens answered after $((SECONDS - serial_start)) s; installing"

	end=$((serial_start + t_serial))
	how=timeout
	while [ $SECONDS -lt $end ]; do
		if has 'install failed'; then how=failed; break; fi
		if pane | grep -q 'Installation complete'; then how=done; break; fi
		pane_dead && { how=exited; break; }
		sleep 5
	done
	if [ $how != done ]; then
		serial_took
		fail "no 'Installation complete' screen ($how after ${took} s)"
		pane
		return 1
	fi
	has 'ironpass-installer: install done in' || { fail "no 'install done' line"; return 1; }
	keys Enter
	# the answer's default reboot-mode: the machine restarts (QEMU exits)
	end=$((SECONDS + 300))
	while [ $SECONDS -lt $end ] && ! pane_dead; do sleep 2; done
	serial_took
	pane_dead || { fail "the machine did not restart after the last screen"; return 1; }
	qemu_pid=''
	grep -aqF "$serial_password" "$log" && { fail "the root password appears on the serial console"; return 1; }
	follower_ok "$logs/$run-ttyS1.log" || return 1
	grep -aqF "$serial_password" "$dsk" && { fail "the root password appears on the installed disk"; return 1; }
	return 0
}

# follower_ok LOG: the console nobody answered offered the install, then
# followed ttyS0's and said how it ended
follower_ok() {
	local f
	f=$(tr -d '\r' <"$1" 2>/dev/null)
	grep -q 'press Enter to install from this console (ttyS1)' <<<"$f" ||
		{ fail "ttyS1 did not offer the install"; return 1; }
	grep -q 'installing on ttyS0; its log follows' <<<"$f" ||
		{ fail "ttyS1 did not switch to following ttyS0"; tail -n 20 "$1"; return 1; }
	grep -q 'step disk: ' <<<"$f" || { fail "ttyS1 did not show ttyS0's step lines"; return 1; }
	grep -q 'the install on ttyS0 has ended: ironpass-installer: install done in' <<<"$f" ||
		{ fail "ttyS1 did not show the outcome"; tail -n 20 "$1"; return 1; }
	grep -q 'install started' <<<"$f" && { fail "ttyS1 installed too"; return 1; }
	grep -aqF "$serial_password" "$1" && { fail "the root password appears on ttyS1"; return 1; }
	return 0
}

do_boot_serial() {
	local dsk=$out/disk-serial.qcow2 bad=0 v
	[ -s "$dsk" ] || { fail "no installed disk '$dsk' (run 'serial' first)"; return 1; }
	# shellcheck disable=SC2046
	tmux_qemu "$run" $(disk "$dsk" qcow2 IRONPASS-E2E-OS 04.0) ||
		{ fail "tmux could not start QEMU"; return 1; }
	wait_pane "login:" "$t_boot" || return 1
	text root;	keys Enter
	wait_pane 'Password:' 60 || return 1
	text "$serial_password";	keys Enter
	# $((6*7)): the shell's output, not the echo of what was typed
	wait_pane '# *$' 120 || return 1
	text 'echo E2E-IN-$((6*7)); cat /proc/cmdline; hostname -f; lspci -nnk -s 00:03.0; echo E2E-OUT-$((6*7))'
	keys Enter
	wait_pane 'E2E-OUT-42' 120 || return 1
	keys C-d
	serial_took
	v=$(plain_log | sed -n '/E2E-IN-42/,/E2E-OUT-42/p')
	echo "$v" | grep -q "console=ttyS0,115200" ||
		{ fail "the node's kernel command line lacks console=ttyS0,115200"; bad=1; }
	echo "$v" | grep -qx "$serial_fqdn" || { fail "hostname -f is not $serial_fqdn"; bad=1; }
	echo "$v" | grep -q 'Kernel driver in use: vfio-pci' ||
		{ fail "00:03.0 is not bound to vfio-pci"; bad=1; }
	[ $bad = 0 ] || echo "$v"
	tm kill-session -t e2e 2>/dev/null
	qemu_pid=''
	return $bad
}
