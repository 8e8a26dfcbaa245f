#!/bin/sh
# The e2e answer's first-boot hook (tests/e2e/install.sh serves it over HTTP;
# [first-boot] source = "from-url"). It runs once, from ironpass-firstboot.service.
# It counts its own runs and installs ironpass-e2e-report.service, which on this
# and every later boot waits for the first-boot unit to finish, prints the facts
# the harness checks to /dev/ttyS0 between two marker lines, and powers off.
set -u
state=/var/lib/ironpass-e2e
mkdir -p "$state"
echo "hook ran $(date -u +%FT%TZ)" >>"$state/hook-runs"

cat >/usr/local/sbin/ironpass-e2e-report <<'REPORT'
#!/bin/sh
# Facts for tests/e2e/install.sh, printed on the serial console, then power-off.
set -u
state=/var/lib/ironpass-e2e
mkdir -p "$state"
echo boot >>"$state/boots"
# the first-boot unit is ordered before us; wait a little more for its stamp anyway
# (it is Type=exec: started, not finished, when we start)
i=0
while [ ! -e /var/lib/ironpass/firstboot.done ] && [ $i -lt 600 ]; do
	sleep 1
	i=$((i + 1))
done
# agetty on ttyS0 hangs the line up when it starts (vhangup), which cuts off a
# writer holding it open: stop it, collect the facts in a file, then print them
systemctl stop serial-getty@ttyS0.service 2>/dev/null
out=$state/facts.txt
{
	echo "E2E-FACTS-BEGIN"
	echo "E2E boots: $(wc -l <"$state/boots")"
	echo "E2E hook-runs: $(wc -l <"$state/hook-runs" 2>/dev/null || echo 0)"
	echo "E2E firstboot-done: $([ -e /var/lib/ironpass/firstboot.done ] && echo yes || echo no)"
	echo "E2E firstboot-log-runs: $(grep -c 'running the first-boot hook' \
		/var/log/ironpass/firstboot.log 2>/dev/null || echo 0)"
	echo "E2E firstboot-unit: $(systemctl is-active ironpass-firstboot.service)"
	echo "E2E iommu-groups: $(ls /sys/kernel/iommu_groups 2>/dev/null | wc -l)"
	echo "E2E cmdline: $(cat /proc/cmdline)"
	echo "E2E hostname: $(hostname --fqdn 2>/dev/null || hostname)"
	echo "E2E shadow-root: $(sed -n 's/^root:\([^:]*\):.*/\1/p' /etc/shadow)"
	echo "E2E modprobe-sha256: $(sha256sum </etc/modprobe.d/ironpass-vfio.conf | cut -d' ' -f1)"
	lspci -nnk -s 00:03 | sed 's/^/E2E lspci: /'
	sed 's/^/E2E modprobe: /' /etc/modprobe.d/ironpass-vfio.conf
	sed 's/^/E2E hosts: /' /etc/hosts
	sed 's/^/E2E interfaces: /' /etc/network/interfaces
	# the cluster configuration the installer seeded, as the stand-in
	# create_pmxcfs_db kept it (the real one builds pmxcfs's database)
	for f in storage datacenter user; do
		sed "s/^/E2E pve-$f: /" "/var/lib/pve-cluster/standin-config/$f.cfg" 2>/dev/null
	done
	echo "E2E pve-config-db: $([ -s /var/lib/pve-cluster/config.db ] && echo yes || echo no)"
	# /etc/pve itself, under the stand-in pmxcfs's bind mount: a bind of / shows it
	mkdir -p /run/ironpass-e2e-root
	if mount --bind / /run/ironpass-e2e-root 2>/dev/null; then
		echo "E2E pve-mount-attrs: $(lsattr -d /run/ironpass-e2e-root/etc/pve 2>/dev/null |
			cut -d' ' -f1)"
		umount /run/ironpass-e2e-root
	fi
	echo "E2E pve-mounted: $(mountpoint -q /etc/pve && echo yes || echo no)"
	echo "E2E pve-version: $([ -e /etc/pve/.version ] && echo yes || echo no)"
	# the VM template: the id made, how often qm create/template ran over all
	# boots (the stand-in qm logs every call), its config as qm prints it, and
	# the qm options the installer's plan gave the first boot
	vmid=$(cat /var/lib/ironpass/vm-template 2>/dev/null)
	echo "E2E vm-id: ${vmid:-none}"
	echo "E2E qm-creates: $(grep -c '^create ' /var/log/ironpass-standin/qm.log 2>/dev/null)"
	echo "E2E qm-templates: $(grep -c '^template ' /var/log/ironpass-standin/qm.log 2>/dev/null)"
	[ -n "$vmid" ] && qm config "$vmid" 2>&1 | sed 's/^/E2E qm-config: /'
	perl -0ne 'if (/"qm":\s*\[(.*?\])\s*\]/s) { my $q = $1;
		while ($q =~ /\[\s*"([^"]+)",\s*"((?:[^"\\]|\\.)*)"\s*\]/g) {
			my ($k, $v) = ($1, $2); $v =~ s/\\(.)/$1/g;	# JSON escapes (\/)
			print "E2E fb-qm: $k $v\n" } }' /etc/ironpass/firstboot.json 2>/dev/null
	grep -h 'VM [0-9]* created\|is now a template\|empty CD drive' \
		/var/log/ironpass/firstboot.log 2>/dev/null | sed 's/^/E2E fb-log: /'
	echo "E2E unattend-iso: $(ls -l /var/lib/vz/template/iso/ironpass-autounattend-*.iso \
		2>/dev/null | cut -d' ' -f1,5)"
	ip -4 -o addr show 2>/dev/null | sed 's/^/E2E addr: /'
	# Secure Boot, three ways: mokutil (shim-signed's dependency), the
	# kernel's own line, and the SecureBoot efivar's data byte (after the
	# 4 attribute bytes); and which boot entry the firmware started
	echo "E2E sb-state: $(mokutil --sb-state 2>&1 | head -n 1)"
	echo "E2E sb-kernel: $(dmesg 2>/dev/null | grep -m1 -o 'Secure boot [a-z]*')"
	echo "E2E sb-efivar: $(od -An -tu1 -j4 -N1 \
		/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c \
		2>/dev/null | tr -d ' ')"
	efibootmgr 2>/dev/null | sed 's/^/E2E efiboot: /'
	# the root filesystem (btrfs runs: its devices, profiles and subvolumes)
	echo "E2E rootfs: $(findmnt -no FSTYPE,OPTIONS / 2>/dev/null)"
	if command -v btrfs >/dev/null && [ "$(findmnt -no FSTYPE /)" = btrfs ]; then
		echo "E2E btrfs-devices: $(btrfs filesystem show / 2>/dev/null | grep -c devid)"
		btrfs filesystem df / 2>/dev/null | sed 's/^/E2E btrfs-df: /'
		btrfs subvolume list / 2>/dev/null | sed 's/^/E2E btrfs-subvol: /'
		grep ' / btrfs ' /etc/fstab | sed 's/^/E2E fstab-root: /'
	fi
	# zfs runs: the root dataset, the pool's health and its leaf devices, and
	# whether the zfs module is signed (Secure Boot: its key came through MokList)
	if command -v zpool >/dev/null && [ "$(findmnt -no FSTYPE /)" = zfs ]; then
		echo "E2E zfs-root: $(findmnt -no SOURCE /)"
		echo "E2E zpool-health: $(zpool list -H -o health rpool 2>&1)"
		zpool status -P rpool 2>&1 | sed 's/^/E2E zpool-status: /'
		echo "E2E zpool-online-leaves: $(zpool status -P rpool 2>/dev/null |
			grep -c '^[[:space:]]*/dev/.*ONLINE')"
		echo "E2E zfs-signer: $(modinfo -F signer zfs 2>/dev/null)"
		echo "E2E zfs-datasets: $(zfs list -H -o name 2>/dev/null | paste -sd' ')"
		echo "E2E zfs-arc-conf: $(cat /etc/modprobe.d/zfs.conf 2>/dev/null)"
	fi
	echo "E2E-FACTS-END"
} >"$out" 2>&1
cat "$out" >/dev/ttyS0
systemctl poweroff --no-block
REPORT
chmod 0755 /usr/local/sbin/ironpass-e2e-report

cat >/etc/systemd/system/ironpass-e2e-report.service <<'UNIT'
[Unit]
Description=ironpass e2e: print the checked facts on ttyS0 and power off
After=ironpass-firstboot.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/ironpass-e2e-report

[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/ironpass-e2e-report.service \
	/etc/systemd/system/multi-user.target.wants/ironpass-e2e-report.service
systemctl daemon-reload
# queued now, it starts once this unit (ironpass-firstboot) has finished
systemctl start --no-block ironpass-e2e-report.service
exit 0
