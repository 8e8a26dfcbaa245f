/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_PAYLOAD_H
#define IRONPASS_PAYLOAD_H

/*
 * The payload contract (design §3). Whatever the source, the builder
 * normalises the payload into one directory:
 *
 *	base.tar.zst	root filesystem to unpack onto the target
 *	pool/		.deb files plus a flat apt index (Packages, Packages.gz, Release)
 *	manifest.json	{"format":1, "source":…, "standin":…, "suite":…, "created":…,
 *			 "packages":[…], "files":[{"path","size","sha256"}…]}
 *
 * Every file except manifest.json is listed, sorted by path (bytewise).
 * The builder writes the manifest (payload_scan + payload_manifest_write);
 * the installer checks it (payload_verify) before it touches a disk, and
 * hashes base.tar.zst while unpacking it (payload_hashread).
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "err.h"
#include "hash.h"

#define PAYLOAD_FORMAT		1
#define PAYLOAD_MANIFEST	"manifest.json"
#define PAYLOAD_BASE		"base.tar.zst"
#define PAYLOAD_POOL		"pool"

struct payload_file {
	char *path;			/* relative, '/'-separated, e.g. "pool/chrony_4.3-2_amd64.deb" */
	unsigned long long size;
	char sha256[SHA256_HEX_LEN + 1];
};

struct payload_info {
	int format;			/* PAYLOAD_FORMAT */
	char *source;			/* "standin", "pve-iso", "pve-repo" or "pool" */
	bool standin;			/* true: a test stand-in, NOT Proxmox VE */
	char *suite;			/* "bookworm" */
	long long created;		/* SOURCE_DATE_EPOCH */
	char **packages;		/* what the installer installs from pool/ */
	size_t n_packages;
	struct payload_file *files;
	size_t n_files;
};

/* The packages every payload provides (design §3). NULL-terminated. */
extern const char *const payload_default_packages[];

/* Fill @pi's header fields (strings are copied); files stay empty. */
int payload_info_init(struct payload_info *pi, const char *source, bool standin,
		      const char *suite, long long created, const char *const *packages);
void payload_info_release(struct payload_info *pi);

int payload_info_add_file(struct payload_info *pi, const char *path, unsigned long long size,
			  const char *sha256);
/* Sort files by path; -EEXIST (with a message) on a duplicate path. */
int payload_info_sort(struct payload_info *pi, struct ip_err *err);
const struct payload_file *payload_info_find(const struct payload_info *pi, const char *path);

/*
 * Replace pi->files by every regular file under @dir (recursively, except
 * manifest.json), hashed and sorted. Symlinks, devices etc. are an error:
 * a payload holds only plain files and directories.
 */
int payload_scan(const char *dir, struct payload_info *pi, struct ip_err *err);

/* The manifest as JSON text (pretty, stable key order). Caller frees. */
char *payload_manifest_format(const struct payload_info *pi);
/* Write dir/manifest.json atomically. */
int payload_manifest_write(const char *dir, const struct payload_info *pi, struct ip_err *err);

/*
 * Parse manifest text / read dir/manifest.json into @pi (release it after).
 * Checks format, types, that every path is relative without "..", that
 * sha256 is 64 hex digits and that paths are sorted and unique.
 */
int payload_manifest_parse(const char *json, size_t len, struct payload_info *pi,
			   struct ip_err *err);
int payload_manifest_read(const char *dir, struct payload_info *pi, struct ip_err *err);

/* Check one listed file's size and SHA-256 under @dir. -ENOENT / -EBADMSG. */
int payload_verify_file(const char *dir, const struct payload_file *f, struct ip_err *err);

/*
 * Verify a payload directory: read its manifest, check every listed file's
 * size and SHA-256, and refuse files present but not listed. Returns 0, or
 * -ENOENT (missing), -EBADMSG (size/checksum mismatch or an unlisted file),
 * -EINVAL (bad manifest); err names the file. @pi may be NULL; otherwise it
 * receives the manifest (release it after, also on failure).
 */
int payload_verify(const char *dir, struct payload_info *pi, struct ip_err *err);

/*
 * Streaming verification: hash bytes while libarchive (or anyone) reads
 * them, e.g. base.tar.zst from the ISO or over HTTP.
 *
 *	struct payload_hashread h;
 *	payload_hashread_init_fd(&h, fd, payload_info_find(&pi, PAYLOAD_BASE));
 *	payload_hashread_archive_open(a, &h);	// archive_read_open with our callbacks
 *	... archive_read_next_header / data ...
 *	ret = payload_hashread_finish(&h, &err);	// drains the rest, compares
 *
 * A custom source (e.g. an HTTP body) supplies read_fn: it returns the bytes
 * read (0 at end) or a negative errno.
 */
typedef ssize_t (*payload_read_fn)(void *src, void *buf, size_t len);

#define PAYLOAD_HASHREAD_BUF (64 * 1024)

struct payload_hashread {
	payload_read_fn read_fn;
	void *src;
	int fd;				/* for the fd source */
	const struct payload_file *expect;	/* may be NULL: only hash and count */
	struct sha256_ctx *sha;
	unsigned long long done;	/* bytes read so far */
	int read_err;			/* first negative errno from the source */
	char *buf;
	char hex[SHA256_HEX_LEN + 1];	/* after finish */
};

int payload_hashread_init(struct payload_hashread *h, payload_read_fn fn, void *src,
			  const struct payload_file *expect);
int payload_hashread_init_fd(struct payload_hashread *h, int fd,
			     const struct payload_file *expect);
/* Next chunk: returns bytes (0 at end) or a negative errno; *data points into h->buf. */
ssize_t payload_hashread_next(struct payload_hashread *h, const void **data);

struct archive;
/* archive_read_open(a, h, …) with hashing callbacks; returns libarchive's status. */
int payload_hashread_archive_open(struct archive *a, struct payload_hashread *h);

/*
 * Read whatever is left, then compare size and SHA-256 with h->expect.
 * 0, -EBADMSG (mismatch, message names the file), or the source's error.
 * Frees the buffers; the fd is not closed.
 */
int payload_hashread_finish(struct payload_hashread *h, struct ip_err *err);
void payload_hashread_release(struct payload_hashread *h);

#endif
