// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Signatures for test images (see sig-images.h). Formats: LVM2's label
 * header and PV header (lvm2 lib/format_text/layout.h, label.h), md's
 * version-1 superblock (linux include/uapi/linux/raid/md_p.h), the LUKS1
 * header (cryptsetup's LUKS1 on-disk format specification).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sig-images.h"

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int write_at(const char *path, const void *buf, size_t len, uint64_t off)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pwrite(fd, buf, len, (off_t)off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* LVM's label CRC: reflected CRC-32 (0xEDB88320), its own seed, no final xor. */
static uint32_t lvm_crc(const unsigned char *p, size_t n)
{
	uint32_t crc = 0xf597a6cfu;

	for (size_t i = 0; i < n; i++) {
		crc ^= p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return crc;
}

int sigimg_lvm_pv(const char *path, uint64_t off, uint64_t pv_bytes)
{
	unsigned char l[512] = { 0 };

	memcpy(l, "LABELONE", 8);
	put_le64(l + 8, 1);			/* the sector this label is in */
	put_le32(l + 20, 32);			/* offset of the PV header */
	memcpy(l + 24, "LVM2 001", 8);
	memcpy(l + 32, "IrnPssTestPVuuid0123456789abcdef", 32);
	put_le64(l + 64, pv_bytes);
	put_le32(l + 16, lvm_crc(l + 20, sizeof(l) - 20));
	return write_at(path, l, sizeof(l), off + 512);
}

int sigimg_md_member(const char *path, uint64_t off, uint64_t member_bytes)
{
	unsigned char m[4096] = { 0 };
	const uint32_t max_dev = 2;
	uint64_t sum = 0, sectors = member_bytes / 512;
	size_t len = 256 + max_dev * 2;

	put_le32(m, 0xa92b4efc);		/* magic */
	put_le32(m + 4, 1);			/* major version */
	memcpy(m + 16, "ironpass-md-set!", 16);	/* set uuid */
	memcpy(m + 32, "ironpass:e2e", 12);	/* set name */
	put_le32(m + 72, 1);			/* level: raid1 */
	put_le64(m + 80, sectors > 4096 ? sectors - 4096 : 0);	/* array size */
	put_le32(m + 92, 2);			/* raid disks */
	put_le64(m + 128, 2048);		/* data offset (sectors) */
	put_le64(m + 136, sectors > 4096 ? sectors - 4096 : 0);	/* data size */
	put_le64(m + 144, 8);			/* super offset: 4 KiB, version 1.2 */
	memcpy(m + 168, "ironpass-md-dev!", 16);	/* device uuid */
	put_le64(m + 200, 1);			/* events */
	put_le64(m + 208, UINT64_MAX);		/* resync offset: clean */
	put_le32(m + 220, max_dev);
	m[258] = m[259] = 0xff;			/* dev_roles[1]: spare slot unused */
	/* checksum: 32-bit little-endian words, sb_csum itself left out, carry folded */
	for (size_t i = 0; i + 4 <= len; i += 4)
		if (i != 216)
			sum += (uint32_t)m[i] | (uint32_t)m[i + 1] << 8 |
			       (uint32_t)m[i + 2] << 16 | (uint32_t)m[i + 3] << 24;
	if (len % 4 == 2)
		sum += (uint32_t)m[len - 2] | (uint32_t)m[len - 1] << 8;
	put_le32(m + 216, (uint32_t)((sum & 0xffffffffu) + (sum >> 32)));
	return write_at(path, m, sizeof(m), off + 4096);
}

int sigimg_luks1(const char *path, uint64_t off)
{
	unsigned char h[592] = { 0 };

	memcpy(h, "LUKS\xba\xbe", 6);
	h[7] = 1;				/* version, big-endian */
	memcpy(h + 8, "aes", 3);		/* cipher name */
	memcpy(h + 40, "xts-plain64", 11);	/* cipher mode */
	memcpy(h + 72, "sha256", 6);		/* hash spec */
	h[106] = 0x10;				/* payload offset 4096 sectors, big-endian */
	h[111] = 64;				/* key bytes */
	memcpy(h + 168, "3f2a9c1e-6b4d-4e8a-9c0b-1a2b3c4d5e6f", 36);	/* uuid */
	return write_at(path, h, sizeof(h), off);
}

int sigimg_copy_in(const char *path, uint64_t off, const char *src)
{
	unsigned char buf[65536];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (in < 0 || out < 0) {
		ret = -errno;
		goto out;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (pwrite(out, buf, (size_t)n, (off_t)off) != n) {
			ret = -EIO;
			break;
		}
		off += (uint64_t)n;
	}
	if (n < 0)
		ret = -errno;
out:
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return ret;
}
