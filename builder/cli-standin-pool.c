// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass standin-pool DIR: generate the test stand-in payload (NOT Proxmox VE). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bld.h"
#include "builder-cmds.h"
#include "cli.h"
#include "log.h"
#include "payload/bld-payload.h"
#include "util.h"

static void standin_usage(void)
{
	fputs("Usage:\n"
	      " ironpass standin-pool [options] DIR\n"
	      "\n"
	      "Generate the test stand-in payload in DIR (base.tar.zst, pool/, manifest.json)\n"
	      "from Debian packages plus stand-in metapackages, with ZFS (zfsutils-linux,\n"
	      "zfs-initramfs and the OpenZFS modules built on this host by zfs-dkms, cached\n"
	      "in the cache directory). For tests and the demo only: it is NOT Proxmox VE.\n"
	      "An existing DIR that verifies and was made from the same inputs (DIR.key) is\n"
	      "reused.\n"
	      "\n"
	      "Options:\n"
	      "     --suite NAME     Debian suite (default bookworm)\n"
	      "     --mirror URL     Debian mirror for mmdebstrap (default: its own)\n"
	      "     --cache DIR      cache directory for the ZFS modules (default: cache)\n"
	      " -f, --force          rebuild even when DIR could be reused\n"
	      " -v, --verbose        show each command\n"
	      " -h, --help           display this help\n", stdout);
}

/* the ZFS module build reports as a builder stage */
static void standin_stage(void *data, const char *stage, int event, double seconds,
			  const char *detail)
{
	(void)data;
	(void)seconds;
	if (event == BLD_EV_PROGRESS || event == BLD_EV_CACHED)
		fprintf(stderr, "standin-pool: %s: %s%s\n", stage,
			event == BLD_EV_CACHED ? "cached " : "", detail);
}

static void standin_step(void *data, const char *step)
{
	double *start = data;
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	fprintf(stderr, "standin-pool: [%6.1fs] running %s\n",
		(double)ts.tv_sec + ts.tv_nsec / 1e9 - *start, step);
}

int cmd_standin_pool(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "mirror", required_argument, NULL, 'm' },
		{ "cache", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bld_payload_job job = { .suite = BLD_SUITE_DEFAULT };
	struct bld_ctx bctx;
	struct runner_sigsave sigs;
	struct runner run;
	struct timespec ts;
	bool force = false, cached = false;
	const char *cache = "cache";
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	uint64_t epoch = 0;
	double start;
	int c, ret;

	while ((c = getopt_long(argc, argv, "fvh", opts, NULL)) != -1) {
		switch (c) {
		case 's': job.suite = optarg; break;
		case 'm': job.mirror = optarg; break;
		case 'c': cache = optarg; break;
		case 'f': force = true; break;
		case 'v': ip_log_set_level(LOG_DEBUG); break;
		case 'h': standin_usage(); return 0;
		default: return cli_try_help("ironpass standin-pool");
		}
	}
	if (optind + 1 != argc) {
		cli_error("ironpass standin-pool", "expected one DIR");
		return cli_try_help("ironpass standin-pool");
	}
	if (sde && ip_strtou64(sde, 10, &epoch) < 0)
		return cli_error("ironpass standin-pool", "bad SOURCE_DATE_EPOCH '%s'", sde);
	job.source_date_epoch = sde ? (int64_t)epoch : 1704067200; /* as the build's default */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	start = (double)ts.tv_sec + ts.tv_nsec / 1e9;
	runner_spawn_init(&run);
	job.run = &run;
	job.on_step = standin_step;
	job.on_step_data = &start;
	/* Ctrl-C, SIGTERM, SIGHUP: stop the running tool's process group, not only us */
	runner_interrupt_reset();
	runner_signals_catch(&sigs, true);
	/* the ZFS modules first (cached); the pool's key includes their package */
	bld_ctx_init(&bctx);
	bctx.cachedir = cache;
	bctx.run = &run;
	bctx.on_stage = standin_stage;
	bctx.source_date_epoch = job.source_date_epoch;
	for (int attempt = 0;; attempt++) {
		ret = bld_zfs_modules(&bctx, job.suite, job.mirror, attempt > 0, &bctx.zfs);
		if (ret < 0) {
			ip_err_set(&job.err, ret, "%s", ip_err_msg(&bctx.err));
			break;
		}
		job.zfs_deb = bctx.zfs.deb;
		job.zfs_deb_name = bctx.zfs.deb_name;
		job.zfs_kver = bctx.zfs.info.kver;
		ret = bld_standin_pool(&job, argv[optind], force, &cached);
		if (ret != -ESTALE || attempt > 0)
			break;
		/* the archive's kernel moved on since the modules were built */
		fprintf(stderr, "standin-pool: %s: rebuilding the ZFS modules\n",
			ip_err_msg(&job.err));
	}
	runner_signals_restore(&sigs);
	if (ret < 0) {
		cli_error("ironpass standin-pool", "%s", ip_err_msg(&job.err));
		return runner_interrupted() ? 128 + runner_interrupted() : 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	printf("standin-pool: %s '%s' (test stand-in, NOT Proxmox VE) in %.1f s\n",
	       cached ? "reused" : "built", argv[optind],
	       (double)ts.tv_sec + ts.tv_nsec / 1e9 - start);
	printf("standin-pool: ZFS modules %s for %s: %u modules, %.1f MB of .ko, package %.1f MB"
	       " (built in %.0f s%s)\n", bctx.zfs.info.zfs_version, bctx.zfs.info.kver,
	       bctx.zfs.info.n_ko, bctx.zfs.info.ko_bytes / 1e6, bctx.zfs.deb_bytes / 1e6,
	       bctx.zfs.build_seconds, bctx.zfs.cached ? ", cached" : "");
	return 0;
}
