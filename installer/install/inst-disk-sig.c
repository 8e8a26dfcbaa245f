// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a disk holds, by signature (design §5 "Safety"): libblkid looks at
 * the whole device for every signature it knows (partition tables,
 * filesystems, swap, LVM PV, md/RAID members, ZFS labels, LUKS …, including
 * ones with a bad checksum), then at every partition the table lists. A disk
 * is empty only when nothing is found anywhere and the kernel lists no
 * partition for it; a disk that cannot be read is not empty either.
 *
 * Devices are read at <sysroot>/dev/<name>: tests put image files there.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <blkid.h>

#include "install/inst-disk.h"
#include "path.h"
#include "util.h"

static void sig_add(struct inst_disk_sigs *s, const char *dev, const char *type,
		    const char *usage, const char *label, unsigned long long offset)
{
	struct inst_sig *g;

	if (s->n == INST_SIG_MAX) {
		s->more = true;
		return;
	}
	g = &s->sig[s->n++];
	snprintf(g->dev, sizeof(g->dev), "%s", dev);
	snprintf(g->type, sizeof(g->type), "%s", type && *type ? type : "unknown");
	snprintf(g->usage, sizeof(g->usage), "%s", usage ? usage : "");
	snprintf(g->label, sizeof(g->label), "%s", label ? label : "");
	g->offset = offset;
}

static const char *lookup(blkid_probe pr, const char *name)
{
	const char *v = NULL;

	return blkid_probe_lookup_value(pr, name, &v, NULL) == 0 ? v : NULL;
}

/*
 * Every signature in [off, off + size) of @fd, the way wipefs lists them:
 * each blkid_do_probe() call goes on with the next prober and returns what
 * it found, until none is left.
 */
static int sigs_in(int fd, const char *dev, blkid_loff_t off, blkid_loff_t size, bool parts,
		   struct inst_disk_sigs *s)
{
	blkid_probe pr = blkid_new_probe();
	int rc, ret = 0;

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, off, size) < 0) {
		ret = -EIO;
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_MAGIC | BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE | BLKID_SUBLKS_LABEL |
					  BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr, parts);
	if (parts)
		blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC | BLKID_PARTS_FORCE_GPT);
	while ((rc = blkid_do_probe(pr)) == 0) {
		const char *type = lookup(pr, "TYPE"), *pttype = lookup(pr, "PTTYPE");
		const char *o = lookup(pr, type ? "SBMAGIC_OFFSET" : "PTMAGIC_OFFSET");
		uint64_t at = 0;

		if (o && ip_strtou64(o, 10, &at) < 0)
			at = 0;
		if (type)
			sig_add(s, dev, type, lookup(pr, "USAGE"), lookup(pr, "LABEL"), at);
		else if (pttype)
			sig_add(s, dev, pttype, "partition table", NULL, at);
		else
			sig_add(s, dev, "unknown", NULL, NULL, at);
	}
	if (rc < 0)
		ret = -EIO;
out:
	blkid_free_probe(pr);
	return ret;
}

/* The partitions the table on @fd lists, each probed for signatures of its own. */
static int sigs_of_parts(int fd, const char *disk_dev, struct inst_disk_sigs *s)
{
	blkid_probe pr = blkid_new_probe();
	blkid_partlist pl;
	int ret = 0, n;

	if (!pr)
		return -ENOMEM;
	if (blkid_probe_set_device(pr, fd, 0, 0) < 0) {
		ret = -EIO;
		goto out;
	}
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_FORCE_GPT);
	if (blkid_do_fullprobe(pr) < 0) {
		ret = -EIO;
		goto out;
	}
	pl = blkid_probe_get_partitions(pr);
	n = pl ? blkid_partlist_numof_partitions(pl) : 0;
	for (int i = 0; i < n && !ret; i++) {
		blkid_partition p = blkid_partlist_get_partition(pl, i);
		char dev[80];
		int no = p ? blkid_partition_get_partno(p) : -1;

		if (!p || no < 1 || inst_part_name(dev, sizeof(dev), disk_dev, (unsigned)no) < 0)
			continue;
		s->n_parts++;
		ret = sigs_in(fd, dev, blkid_partition_get_start(p) * 512,
			      blkid_partition_get_size(p) * 512, false, s);
	}
out:
	blkid_free_probe(pr);
	return ret;
}

int inst_disk_sigs_probe(const char *sysroot, const char *name, struct inst_disk_sigs *s,
			 struct ip_err *err)
{
	char path[PATH_MAX], dev[80];
	int fd, ret;

	memset(s, 0, sizeof(*s));
	if (snprintf(dev, sizeof(dev), "/dev/%s", name) >= (int)sizeof(dev))
		return ip_err_set(err, -ENAMETOOLONG, "disk name '%s' is too long", name);
	ret = path_join(path, sizeof(path), sysroot, dev);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s'", dev);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ip_err_errno(err, -errno, "cannot read '%s' to see what it holds", dev);
	ret = sigs_in(fd, dev, 0, 0, true, s);
	if (ret == 0)
		ret = sigs_of_parts(fd, dev, s);
	close(fd);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot probe '%s' for signatures", dev);
	return 0;
}

void inst_disk_sigs_str(const struct inst_disk_sigs *s, char *buf, size_t size)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; i < s->n; i++) {
		const struct inst_sig *g = &s->sig[i];

		sb_printf(&sb, "%s%s%s%s%s%s on %s", i ? ", " : "", g->type,
			  strcmp(g->usage, "partition table") ? "" : " partition table",
			  g->label[0] ? " '" : "", g->label, g->label[0] ? "'" : "", g->dev);
	}
	if (s->more)
		sb_puts(&sb, ", and more");
	snprintf(buf, size, "%s", sb.buf ? sb.buf : "no signature");
	sb_release(&sb);
}
