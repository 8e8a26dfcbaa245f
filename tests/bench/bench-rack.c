// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-rack: N simulated nodes install from one web server at once
 * (tests/bench/rack.sh starts nginx on loopback and runs this).
 *
 *   bench-rack run SYSROOT ANSWER-URL PAYLOAD-URL ANSWERS-DIR WORK-DIR NODES
 *   bench-rack manifest DIR      write DIR/manifest.json for the files under DIR
 *   bench-rack port              print a TCP port on 127.0.0.1 that is free now
 *
 * "run" detects the machine in SYSROOT once (a captured fixture), then makes
 * NODES copies of it, each with its own NIC MACs, DMI serial and UUID. For
 * each node it writes ANSWERS-DIR/nodes/<mac-dashes>.toml (its own fqdn),
 * then starts one thread per node, all released together. A node does what
 * the installer does, with its code and its defaults: ironpass.answer=
 * ANSWER-URL (placeholders filled in, the system information POSTed:
 * inst_answer_src_find), the answer parsed and its fqdn checked, then the
 * payload downloaded into WORK-DIR/node-NNN (inst_payload_fetch). The timed
 * part ends there; then the payload is verified against its manifest
 * (payload_verify, as the install's payload step does) and removed, so the
 * disk holds at most NODES payloads at once. A node that fails any of this
 * counts as a failure. Prints figures; exits 1 when a node failed or it
 * cannot run.
 */
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "answer.h"
#include "detect/hw.h"
#include "install/inst-answer-src.h"
#include "install/inst-payload-fetch.h"
#include "install/inst-sysinfo.h"
#include "path.h"
#include "payload.h"
#include "util.h"

#define MAX_NODES	1000u
#define FQDN_FMT	"node-%03u.rack.example"

/* An answer a rack would hold per node: file 17 of tests/fixtures/answers/good, its own fqdn. */
static const char answer_fmt[] =
	"[global]\n"
	"keyboard = \"de\"\n"
	"country = \"at\"\n"
	"fqdn = \"" FQDN_FMT "\"\n"
	"mailto = \"root@example.com\"\n"
	"timezone = \"Europe/Vienna\"\n"
	"root-password-hashed = \"$y$j9T$cpDmUMfNn82Pq/uVH3PV2.$kszvWxLoDIG79TlyTm5BQD9h2w8yIhF4"
	"lTxZNpgd6U1\"\n"
	"\n"
	"[network]\n"
	"source = \"from-dhcp\"\n"
	"\n"
	"[disk-setup]\n"
	"filesystem = \"ext4\"\n"
	"disk-list = [\"sda\"]\n";

struct node {
	unsigned id;
	struct hw hw;			/* the fixture's, with its own NICs and DMI ids */
	const char *answer_url, *payload_url, *work;
	pthread_barrier_t *start;
	/* out */
	double t_answer, t_total;	/* seconds */
	unsigned long long bytes;	/* payload bytes received (verified) */
	int ret;
	char msg[512];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int fail(struct node *n, int ret, const char *what, const struct ip_err *err)
{
	n->ret = ret < 0 ? ret : -EIO;
	snprintf(n->msg, sizeof(n->msg), "%s: %s", what, err ? ip_err_msg(err) : strerror(-n->ret));
	return n->ret;
}

/* Remove what the fetch wrote: the listed files, manifest.json, their directories. */
static void node_clean(const char *dir, const struct payload_info *pi)
{
	char p[PATH_MAX];

	for (size_t i = 0; pi && i < pi->n_files; i++)
		path_unlink(dir, pi->files[i].path);
	path_unlink(dir, PAYLOAD_MANIFEST);
	for (size_t i = 0; pi && i < pi->n_files; i++) {
		const char *slash = strrchr(pi->files[i].path, '/');

		if (slash && path_fmt(p, sizeof(p), dir, "/%.*s", (int)(slash - pi->files[i].path),
				      pi->files[i].path) == 0)
			rmdir(p);
	}
	rmdir(dir);
}

static int node_run(struct node *n)
{
	struct inst_answer_src_opts o = { .hw = &n->hw };	/* the installer's defaults */
	struct payload_info pi = { 0 };
	struct inst_answer_src src;
	struct inst_cmdline c;
	struct answer_diags d = { 0 };
	struct answer *a = NULL;
	struct ip_err err = { 0 };
	char line[1024], fqdn[64], dir[PATH_MAX];
	double t0 = now_s();
	int ret;

	snprintf(line, sizeof(line), "boot=live ironpass.auto ironpass.answer=%s", n->answer_url);
	ret = inst_cmdline_parse(line, &c, &err);
	if (ret < 0)
		return fail(n, ret, "command line", &err);
	ret = inst_answer_src_find(NULL, NULL, &c, &o, &src, &err);
	inst_cmdline_release(&c);
	if (ret < 0)
		return fail(n, ret, "answer", &err);
	ret = answer_parse(src.text, src.len, src.where, 0, &a, &d);
	inst_answer_src_release(&src);
	if (ret < 0) {
		n->ret = ret;
		snprintf(n->msg, sizeof(n->msg), "answer does not parse (%zu errors)", d.n_errors);
		answer_diags_release(&d);
		return ret;
	}
	answer_diags_release(&d);
	snprintf(fqdn, sizeof(fqdn), FQDN_FMT, n->id);
	if (!a->global.fqdn || strcmp(a->global.fqdn, fqdn) != 0) {
		n->ret = -EBADMSG;
		snprintf(n->msg, sizeof(n->msg), "answer is for '%s', not '%s'",
			 a->global.fqdn ? a->global.fqdn : "(none)", fqdn);
		answer_free(a);
		return n->ret;
	}
	answer_free(a);
	n->t_answer = now_s() - t0;

	snprintf(dir, sizeof(dir), "%s/node-%03u", n->work, n->id);
	ret = inst_payload_fetch(n->payload_url, dir, NULL, &err);
	n->t_total = now_s() - t0;
	if (ret < 0) {
		fail(n, ret, "payload", &err);
		goto out_clean;
	}
	ret = payload_verify(dir, &pi, &err);
	if (ret < 0) {
		fail(n, ret, "payload verify", &err);
		goto out_clean;
	}
	for (size_t i = 0; i < pi.n_files; i++)
		n->bytes += pi.files[i].size;
out_clean:
	node_clean(dir, &pi);
	payload_info_release(&pi);
	return ret;
}

static void *node_thread(void *data)
{
	struct node *n = data;

	pthread_barrier_wait(n->start);
	node_run(n);
	return NULL;
}

/* Node @id: the fixture with locally administered MACs 02:1b:<id>:<nic> and its own DMI ids. */
static int node_make(struct node *n, unsigned id, const struct hw *tmpl)
{
	n->id = id;
	n->hw = *tmpl;
	n->hw.nics = calloc(tmpl->n_nics ? tmpl->n_nics : 1, sizeof(*n->hw.nics));
	if (!n->hw.nics)
		return -ENOMEM;
	for (size_t i = 0; i < tmpl->n_nics; i++) {
		n->hw.nics[i] = tmpl->nics[i];
		if (!n->hw.nics[i].is_virtual)
			snprintf(n->hw.nics[i].mac, sizeof(n->hw.nics[i].mac),
				 "02:1b:%02x:%02x:00:%02x", (id >> 8) & 0xffu, id & 0xffu,
				 (unsigned)(i & 0xff));
	}
	snprintf(n->hw.dmi.product_serial, sizeof(n->hw.dmi.product_serial), "BENCH%05u", id);
	snprintf(n->hw.dmi.product_uuid, sizeof(n->hw.dmi.product_uuid),
		 "6c1a0000-0000-4000-8000-%012x", id);
	return 0;
}

/* ANSWERS-DIR/nodes/<mac-dashes>.toml for @n (the NIC {mac} names on it) */
static int node_answer_write(const struct node *n, const char *answers)
{
	const struct hw_nic *nic = inst_sysinfo_mgmt_nic(&n->hw);
	char name[64], text[sizeof(answer_fmt) + 16];
	int len;

	if (!nic)
		return -ENODEV;
	snprintf(name, sizeof(name), "/nodes/%s.toml", nic->mac);
	for (char *p = name; *p; p++)
		if (*p == ':')
			*p = '-';
	len = snprintf(text, sizeof(text), answer_fmt, n->id);
	return path_write_file(answers, name, text, (size_t)len, 0644);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of the sorted @v. */
static double pct(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);

	return n ? v[k ? k - 1 : 0] : 0;
}

static void print_times(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	printf("%-34s p50 %6.3f s   p99 %6.3f s   max %6.3f s\n", what, pct(v, n, 0.50),
	       pct(v, n, 0.99), n ? v[n - 1] : 0);
}

static int cmd_run(char **argv)
{
	const char *sysroot = argv[0], *answers = argv[3], *work = argv[4];
	struct ip_err err = { 0 };
	pthread_barrier_t start;
	pthread_t *tids = NULL;
	struct node *nodes = NULL;
	double *ta = NULL, *tt = NULL, t0, wall;
	unsigned long long bytes = 0;
	unsigned n, failed = 0, started = 0;
	struct hw tmpl;
	size_t ok = 0;
	int ret = 1;

	if (ip_strtouint(argv[5], 10, &n) < 0 || n == 0 || n > MAX_NODES) {
		fprintf(stderr, "bench-rack: NODES must be 1..%u\n", MAX_NODES);
		return 2;
	}
	if (hw_detect(sysroot, &tmpl, &err) < 0) {
		fprintf(stderr, "bench-rack: %s\n", ip_err_msg(&err));
		return 1;
	}
	/* once, before any thread: libcurl's global state is not thread-safe to set up */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "bench-rack: cannot initialise libcurl\n");
		goto out_hw;
	}
	nodes = calloc(n, sizeof(*nodes));
	tids = calloc(n, sizeof(*tids));
	ta = calloc(n, sizeof(*ta));
	tt = calloc(n, sizeof(*tt));
	if (!nodes || !tids || !ta || !tt) {
		fprintf(stderr, "bench-rack: out of memory\n");
		goto out_free;
	}
	for (unsigned i = 0; i < n; i++) {
		int r = node_make(&nodes[i], i, &tmpl);

		if (r == 0)
			r = node_answer_write(&nodes[i], answers);
		if (r < 0) {
			fprintf(stderr, "bench-rack: cannot set up node %u: %s\n", i, strerror(-r));
			goto out_free;
		}
		nodes[i].answer_url = argv[1];
		nodes[i].payload_url = argv[2];
		nodes[i].work = work;
		nodes[i].start = &start;
	}
	pthread_barrier_init(&start, NULL, n + 1);
	for (; started < n; started++)
		if (pthread_create(&tids[started], NULL, node_thread, &nodes[started]) != 0)
			break;
	if (started < n) {
		/* the barrier would never open: report it and let the others go by aborting */
		fprintf(stderr, "bench-rack: cannot start thread %u of %u\n", started + 1, n);
		exit(1);
	}
	t0 = now_s();
	pthread_barrier_wait(&start);
	for (unsigned i = 0; i < n; i++)
		pthread_join(tids[i], NULL);
	wall = now_s() - t0;
	pthread_barrier_destroy(&start);

	for (unsigned i = 0; i < n; i++) {
		if (nodes[i].ret < 0) {
			if (failed++ < 5)
				printf("node %03u failed: %s\n", i, nodes[i].msg);
			continue;
		}
		ta[ok] = nodes[i].t_answer;
		tt[ok] = nodes[i].t_total;
		bytes += nodes[i].bytes;
		ok++;
	}
	printf("nodes:                             %u at once (one thread each; client and "
	       "server share this host)\n", n);
	printf("failures:                          %u\n", failed);
	if (ok) {
		print_times("time per node (answer + payload):", tt, ok);
		print_times("  answer only (POST + parse):", ta, ok);
		printf("payload per node:                  %llu bytes\n", nodes[0].bytes ?
		       nodes[0].bytes : bytes / ok);
	}
	printf("wall time, all nodes (+ verify):   %.3f s (%.1f MiB/s received in total)\n", wall,
	       wall > 0 ? (double)bytes / wall / 1048576.0 : 0);
	ret = failed ? 1 : 0;
out_free:
	for (unsigned i = 0; nodes && i < n; i++)
		free(nodes[i].hw.nics);
	free(nodes);
	free(tids);
	free(ta);
	free(tt);
	curl_global_cleanup();
out_hw:
	hw_release(&tmpl);
	return ret;
}

static int cmd_manifest(const char *dir)
{
	struct payload_info pi = { 0 };
	struct ip_err err = { 0 };
	int ret;

	ret = payload_info_init(&pi, "standin", true, "bookworm", 1704067200,
				payload_default_packages);
	if (ret == 0)
		ret = payload_scan(dir, &pi, &err);
	if (ret == 0)
		ret = payload_manifest_write(dir, &pi, &err);
	if (ret < 0)
		fprintf(stderr, "bench-rack: %s\n", err.msg[0] ? ip_err_msg(&err) : strerror(-ret));
	payload_info_release(&pi);
	return ret < 0;
}

static int cmd_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
		perror("bench-rack: port");
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	printf("%u\n", ntohs(sa.sin_port));
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: bench-rack run SYSROOT ANSWER-URL PAYLOAD-URL ANSWERS-DIR "
		"WORK-DIR NODES\n"
		"       bench-rack manifest DIR\n"
		"       bench-rack port\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc == 8 && !strcmp(argv[1], "run"))
		return cmd_run(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "manifest"))
		return cmd_manifest(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "port"))
		return cmd_port();
	return usage();
}
