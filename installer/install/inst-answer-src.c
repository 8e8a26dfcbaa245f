// SPDX-License-Identifier: GPL-2.0-or-later
/* Finding the answer file: kernel command line, labelled partition, medium, seed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <blkid.h>

#include "install/inst-answer-discover.h"
#include "install/inst-answer-src.h"
#include "install/inst-answer-url.h"
#include "install/inst-http.h"
#include "install/inst-sysinfo.h"
#include "log.h"
#include "path.h"
#include "util.h"

static const char *const part_labels[] = { "IRONPASS", "PROXMOX-AIS" };

const char *inst_answer_origin_name(enum inst_answer_origin o)
{
	switch (o) {
	case INST_ANS_URL:
		return "url";
	case INST_ANS_LABEL:
		return "label";
	case INST_ANS_PARTITION:
		return "partition";
	case INST_ANS_MEDIUM:
		return "medium";
	case INST_ANS_SEED:
		return "seed";
	case INST_ANS_PROFILE:
		return "profile";
	default:
		return "interactive";
	}
}

static bool label_ok(const char *l)
{
	if (!*l || strlen(l) > 64)
		return false;
	for (; *l; l++)
		if (!(*l >= 'A' && *l <= 'Z') && !(*l >= 'a' && *l <= 'z') &&
		    !(*l >= '0' && *l <= '9') && *l != '-' && *l != '_' && *l != '.')
			return false;
	return true;
}

/* One answer URL, POSTed: *status is the HTTP status it answered (0 when none). */
static int url_fetch(const char *url, const struct inst_http_opts *h,
		     struct inst_answer_src *out, long *status, struct ip_err *err)
{
	_cleanup_free_ char *shown = inst_http_url_redact(url);

	snprintf(out->where, sizeof(out->where), "%s", shown ? shown : "");
	if (str_startswith(url, "http://"))
		ip_warn("answer file '%s' comes over plain http: anyone on the network can read "
			"it (password hash, tokens) and change it; serve it over https and pin "
			"the server's certificate with ironpass.answer-fingerprint=<its SHA-256>",
			out->where);
	*status = 0;
	return inst_http_fetch(url, h, &out->text, &out->len, status, err);
}

static char *url_free(char *url)
{
	if (url)
		explicit_bzero(url, strlen(url));
	free(url);
	return NULL;
}

/*
 * The answer fetch's bearer token: ironpass.answer-token= (with a warning),
 * else the seed's INST_SEED_TOKEN (one line), else none (*out NULL). The
 * token itself never appears in a message.
 */
static int answer_token(const char *sysroot, const struct inst_cmdline *c, char **out,
			struct ip_err *err)
{
	char path[PATH_MAX];
	struct stat st;
	size_t len;
	int ret;

	*out = NULL;
	if (c->answer_token) {
		ip_warn("the answer token comes from the kernel command line "
			"('ironpass.answer-token'): whoever can read /proc/cmdline or the boot "
			"configuration can read it; put it into the image with 'ironpass build "
			"--answer-token-file FILE' instead");
		*out = strdup(c->answer_token);
		if (!*out)
			return ip_err_set(err, -ENOMEM, "out of memory");
		if (str_token_line(*out, strlen(*out)) < 0) {
			*out = url_free(*out);
			return ip_err_set(err, -EINVAL, "invalid 'ironpass.answer-token': a bearer "
					  "token is printable ASCII without spaces");
		}
		return 0;
	}
	ret = path_read_all(sysroot, INST_SEED_TOKEN, INST_ANSWER_TOKEN_MAX, out, &len);
	if (ret == -ENOENT)
		return 0;
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s%s'", sysroot ? sysroot : "",
				    INST_SEED_TOKEN);
	if (str_token_line(*out, len) < 0) {
		explicit_bzero(*out, len);
		*out = url_free(*out);
		return ip_err_set(err, -EINVAL, "'%s' does not hold a bearer token: one line of "
				  "printable ASCII without spaces", INST_SEED_TOKEN);
	}
	if (path_join(path, sizeof(path), sysroot, INST_SEED_TOKEN) == 0 &&
	    stat(path, &st) == 0 && (st.st_mode & 0077))
		ip_warn("'%s' is readable by others (mode %04o): it should be 0600, ignoring",
			path, (unsigned)(st.st_mode & 07777));
	return 0;
}

/*
 * An answer URL (from ironpass.answer=, named @what in messages, or
 * discovered): the node's system information POSTed as JSON (as Proxmox's
 * fetcher does; it has no GET), the answer TOML comes back. The URL's
 * placeholders are filled in first; when that is not possible for this
 * machine, or the server answers 404, ironpass.answer-default is asked.
 */
static int src_url(const char *sysroot, const struct inst_cmdline *c, const char *answer,
		   const char *what, const char *fp, const struct inst_answer_src_opts *o,
		   uint64_t deadline, struct inst_answer_src *out, struct ip_err *err)
{
	struct inst_http_opts h = {
		.content_type = "application/json",
		.accept = "application/toml",
		.fingerprint = fp,
		.tries = o->tries,
		.backoff_ms = o->backoff_ms ? o->backoff_ms : 2000,
		.timeout_s = o->timeout_s ? o->timeout_s : 30,
		.max_size = INST_ANSWER_MAX,
		.deadline_ms = deadline,
	};
	_cleanup_free_ char *body = NULL;
	char *url = NULL, *dflt = NULL, *token = NULL;
	struct ip_err dflt_err = { 0 };
	int ret, dflt_ret = 0;
	long status;

	ret = inst_answer_url_form(answer, what, o->hw, &url, err);
	if (ret == -EINVAL || ret == -ENOMEM)
		return ret;
	/* a bad placeholder in the fallback is refused now, not when it is needed */
	if (c->answer_default) {
		dflt_ret = inst_answer_url_form(c->answer_default, "ironpass.answer-default",
						o->hw, &dflt, &dflt_err);
		if (dflt_ret == -EINVAL || dflt_ret == -ENOMEM) {
			ip_err_set(err, dflt_ret, "%s", ip_err_msg(&dflt_err));
			ret = dflt_ret;
			goto out_free;
		}
	}
	if (ret < 0 && !c->answer_default)
		goto out_free;
	ret = answer_token(sysroot, c, &token, err);
	if (ret < 0)
		goto out_free;
	h.bearer = token;
	ret = inst_sysinfo_json(o->hw, &body, err);
	if (ret < 0)
		goto out_free;
	h.body = body;
	h.body_len = strlen(body);
	if (url) {
		ret = url_fetch(url, &h, out, &status, err);
		if (ret == 0 || status != 404 || !c->answer_default)
			goto out_done;
		ip_info("no answer file for this node at '%s' (HTTP 404), asking "
			"'ironpass.answer-default'", out->where);
	} else {
		ip_info("%s, asking 'ironpass.answer-default'", ip_err_msg(err));
	}
	if (dflt_ret < 0) {
		ret = ip_err_set(err, dflt_ret, "%s", ip_err_msg(&dflt_err));
		goto out_free;
	}
	ret = url_fetch(dflt, &h, out, &status, err);
out_done:
	if (ret == 0)
		out->origin = INST_ANS_URL;
out_free:
	url_free(url);
	url_free(dflt);
	url_free(token);
	return ret;
}

/* ironpass.answer=http: the URL (and fingerprint) from DHCP or DNS, then as above. */
static int src_discover(const char *sysroot, const struct inst_cmdline *c,
			const struct inst_answer_src_opts *o, uint64_t deadline,
			struct inst_answer_src *out, struct ip_err *err)
{
	const struct inst_discover_opts d_opts = {
		.deadline_ms = deadline,
		.dns_port = o->dns_port,
		.poll_ms = o->poll_ms,
	};
	struct inst_discovered d;
	const char *fp;
	int ret;

	ret = inst_answer_discover(sysroot, &d_opts, &d, err);
	if (ret < 0)
		return ret;
	/* as Proxmox: a fingerprint given on the command line wins over a discovered one */
	fp = c->answer_fp ? c->answer_fp : d.fp;
	if (c->answer_fp && d.fp)
		ip_info("using the certificate fingerprint of 'ironpass.answer-fingerprint', not "
			"the one from %s", d.where);
	ret = src_url(sysroot, c, d.url, d.where, fp, o, deadline, out, err);
	inst_discovered_release(&d);
	return ret;
}

/* Filesystems an answer partition may hold: mounted with an explicit -t, never guessed. */
static bool answer_fs_ok(const char *t)
{
	static const char *const ok[] = { "vfat", "exfat", "iso9660", "udf", "ext2", "ext3",
					  "ext4", "xfs", "btrfs" };

	for (size_t i = 0; i < ARRAY_SIZE(ok); i++)
		if (!strcmp(t, ok[i]))
			return true;
	return false;
}

struct labelled {
	char dev[NAME_MAX + 8];		/* "/dev/sdb1" */
	char type[32];			/* "vfat" */
};

/*
 * Every block device (<sysroot>/sys/class/block) whose filesystem label is
 * @label, as libblkid reads it from <sysroot>/dev/<name>. Returns how many
 * (up to @max are kept in @found).
 */
static size_t find_labelled(const char *sysroot, const char *label, struct labelled *found,
			    size_t max)
{
	char dir[PATH_MAX];
	struct dirent **ents = NULL;
	size_t n = 0;
	int k;

	if (path_join(dir, sizeof(dir), sysroot, "/sys/class/block") < 0)
		return 0;
	k = scandir(dir, &ents, NULL, versionsort);
	for (int i = 0; i < k; i++) {
		const char *name = ents[i]->d_name;
		char rel[NAME_MAX + 8], path[PATH_MAX];
		const char *l = NULL, *t = NULL;
		blkid_probe pr = NULL;
		int fd = -1;

		if (name[0] == '.' || snprintf(rel, sizeof(rel), "/dev/%s", name) >= (int)sizeof(rel) ||
		    path_join(path, sizeof(path), sysroot, rel) < 0)
			goto next;
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0 || !(pr = blkid_new_probe()) || blkid_probe_set_device(pr, fd, 0, 0) < 0)
			goto next;
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_TYPE);
		blkid_probe_enable_partitions(pr, 0);
		if (blkid_do_safeprobe(pr) != 0 || blkid_probe_lookup_value(pr, "LABEL", &l, NULL) < 0 ||
		    strcmp(l, label) != 0)
			goto next;
		if (blkid_probe_lookup_value(pr, "TYPE", &t, NULL) < 0)
			t = "";
		if (n < max) {
			snprintf(found[n].dev, sizeof(found[n].dev), "%s", rel);
			snprintf(found[n].type, sizeof(found[n].type), "%s", t);
		}
		n++;
next:
		if (pr)
			blkid_free_probe(pr);
		if (fd >= 0)
			close(fd);
		free(ents[i]);
	}
	free(ents);
	return n;
}

/*
 * The partition labelled LABEL, mounted read-only, nosuid, nodev, noexec with
 * its type named (-t): answer.toml is read and the partition unmounted again.
 * Two partitions with the label: refused, naming both.
 */
static int src_label(const char *sysroot, struct runner *r, const char *label,
		     enum inst_answer_origin origin, struct inst_answer_src *out,
		     struct ip_err *err)
{
	struct labelled found[2];
	char mnt[PATH_MAX];
	const char *mount_argv[] = { "mount", "-t", found[0].type, "-o", "ro,nosuid,nodev,noexec",
				     found[0].dev, mnt, NULL };
	const char *umount_argv[] = { "umount", mnt, NULL };
	size_t n;
	int ret;

	if (!label_ok(label))
		return ip_err_set(err, -EINVAL, "invalid partition label '%s'", label);
	n = find_labelled(sysroot, label, found, ARRAY_SIZE(found));
	if (n == 0)
		return -ENOENT;		/* no such partition */
	snprintf(out->where, sizeof(out->where), "%s (label %s)", found[0].dev, label);
	if (n > 1)
		return ip_err_set(err, -ENOTUNIQ,
				  "%zu partitions are labelled '%s' ('%s' and '%s'%s): refusing to "
				  "guess which answer file is meant; relabel or remove the others",
				  n, label, found[0].dev, found[1].dev, n > 2 ? ", …" : "");
	if (!answer_fs_ok(found[0].type))
		return ip_err_set(err, -EMEDIUMTYPE,
				  "cannot read the answer on '%s' labelled '%s': filesystem '%s' "
				  "is not one of vfat, exfat, iso9660, udf, ext2/3/4, xfs, btrfs",
				  found[0].dev, label, found[0].type[0] ? found[0].type : "unknown");
	ret = path_join(mnt, sizeof(mnt), sysroot, INST_ANSWER_MNT);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot mount '%s'", found[0].dev);
	ret = path_mkdirs(sysroot, INST_ANSWER_MNT, 0700);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot create '%s'", mnt);
	ret = runner_check(r, mount_argv, NULL, NULL);
	if (ret < 0)
		return ip_err_set(err, ret, "cannot mount '%s' labelled '%s': %s", found[0].dev,
				  label, ip_err_msg(&r->err));
	ret = path_read_all(mnt, "/answer.toml", INST_ANSWER_MAX, &out->text, &out->len);
	if (ret < 0)
		ip_err_errno(err, ret, "cannot read 'answer.toml' on '%s' labelled '%s'",
			     found[0].dev, label);
	if (runner_check(r, umount_argv, NULL, NULL) < 0)
		ip_warn("cannot unmount '%s': %s, ignoring", mnt, ip_err_msg(&r->err));
	if (ret < 0)
		return ret;
	out->origin = origin;
	return 0;
}

static int src_file(const char *sysroot, const char *path, enum inst_answer_origin origin,
		    struct inst_answer_src *out, struct ip_err *err)
{
	int ret = path_read_all(sysroot, path, INST_ANSWER_MAX, &out->text, &out->len);

	if (ret == -ENOENT)
		return ret;
	snprintf(out->where, sizeof(out->where), "%s", path);
	if (ret < 0)
		return ip_err_errno(err, ret, "cannot read '%s%s'", sysroot ? sysroot : "", path);
	out->origin = origin;
	return 0;
}

int inst_answer_src_find(const char *sysroot, struct runner *r, const struct inst_cmdline *c,
			 const struct inst_answer_src_opts *o, struct inst_answer_src *out,
			 struct ip_err *err)
{
	static const struct inst_answer_src_opts none;
	static const struct {
		const char *path;
		enum inst_answer_origin origin;
	} files[] = {
		{ INST_MEDIUM_ANSWER, INST_ANS_MEDIUM },
		{ INST_SEED_ANSWER, INST_ANS_SEED },
		{ INST_SEED_PROFILE, INST_ANS_PROFILE },
	};
	int ret;

	memset(out, 0, sizeof(*out));
	if (!o)
		o = &none;
	if (c && c->answer) {
		unsigned secs = o->deadline_s ? o->deadline_s : c->answer_deadline_s ?
				c->answer_deadline_s : INST_ANSWER_DEADLINE_S;
		uint64_t deadline = o->deadline_ms ? o->deadline_ms :
				    inst_now_ms() + 1000ull * secs;

		if (!strcmp(c->answer, INST_ANSWER_DISCOVER))
			return src_discover(sysroot, c, o, deadline, out, err);
		if (str_startswith(c->answer, "label:")) {
			ret = src_label(sysroot, r, c->answer + 6, INST_ANS_LABEL, out, err);
			if (ret == -ENOENT && !out->where[0])
				return ip_err_set(err, ret, "no partition labelled '%s' "
						  "(from ironpass.answer)", c->answer + 6);
			return ret;
		}
		return src_url(sysroot, c, c->answer, "ironpass.answer", c->answer_fp, o, deadline,
			       out, err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(part_labels); i++) {
		ret = src_label(sysroot, r, part_labels[i], INST_ANS_PARTITION, out, err);
		if (ret != -ENOENT || out->where[0])
			return ret;
	}
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		ret = src_file(sysroot, files[i].path, files[i].origin, out, err);
		if (ret != -ENOENT)
			return ret;
	}
	out->origin = INST_ANS_INTERACTIVE;
	snprintf(out->where, sizeof(out->where), "(none)");
	if (c && c->automatic)
		return ip_err_set(err, -ENOENT,
				  "no answer file found and 'ironpass.auto' is set: "
				  "refusing to ask on screen");
	return 0;
}

void inst_answer_src_release(struct inst_answer_src *s)
{
	if (s->text)
		memset(s->text, 0, s->len);
	free(s->text);
	memset(s, 0, sizeof(*s));
}
