// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass zfs-modules: build (or find in the cache) the ZFS module package alone. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "bld.h"
#include "builder-cmds.h"
#include "cli.h"
#include "log.h"
#include "util.h"

static void zfs_usage(void)
{
	fputs("Usage:\n"
	      " ironpass zfs-modules [options]\n"
	      "\n"
	      "Build the OpenZFS kernel modules with Debian's zfs-dkms in a throw-away\n"
	      "mmdebstrap chroot (contrib, linux-headers-amd64) and pack them as the package\n"
	      BLD_ZFS_PACKAGE " in the cache, or reuse the cached one; print\n"
	      "the kernel, the build time and the sizes. `ironpass build` and\n"
	      "`ironpass standin-pool` do the same as their first step. Needs root.\n"
	      "\n"
	      "Options:\n"
	      "     --suite NAME     Debian suite (default bookworm)\n"
	      "     --mirror URL     Debian mirror for mmdebstrap (default: its own)\n"
	      "     --cache DIR      cache directory (default: cache)\n"
	      " -f, --force          build again even when the cache has it\n"
	      "     --json           print the result as JSON\n"
	      " -v, --verbose        show the output of the tools\n"
	      " -h, --help           display this help\n", stdout);
}

static void zfs_stage(void *data, const char *stage, int event, double seconds,
		      const char *detail)
{
	(void)data;
	(void)seconds;
	if (event == BLD_EV_PROGRESS || event == BLD_EV_CACHED)
		fprintf(stderr, "%s: %s%s\n", stage, event == BLD_EV_CACHED ? "cached " : "",
			detail);
}

static void print_json(const struct bld_zfs *z)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "key", json_object_new_string(z->key));
	json_object_object_add(o, "deb", json_object_new_string(z->deb));
	json_object_object_add(o, "deb_name", json_object_new_string(z->deb_name));
	json_object_object_add(o, "deb_sha256", json_object_new_string(z->deb_sha256));
	json_object_object_add(o, "kernel", json_object_new_string(z->info.kver));
	json_object_object_add(o, "zfs_version", json_object_new_string(z->info.zfs_version));
	json_object_object_add(o, "headers_version",
			       json_object_new_string(z->info.headers_version));
	json_object_object_add(o, "modules", json_object_new_int((int)z->info.n_ko));
	json_object_object_add(o, "signed", json_object_new_int((int)z->info.n_signed));
	json_object_object_add(o, "mok_certificate", json_object_new_boolean(z->have_mok));
	json_object_object_add(o, "ko_bytes", json_object_new_int64((int64_t)z->info.ko_bytes));
	json_object_object_add(o, "deb_bytes", json_object_new_int64((int64_t)z->deb_bytes));
	json_object_object_add(o, "build_seconds", json_object_new_double(z->build_seconds));
	json_object_object_add(o, "cached", json_object_new_boolean(z->cached));
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

int cmd_zfs_modules(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "mirror", required_argument, NULL, 'm' },
		{ "cache", required_argument, NULL, 'c' },
		{ "force", no_argument, NULL, 'f' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *suite = "bookworm", *mirror = NULL;
	struct runner_sigsave sigs;
	struct runner run;
	struct bld_ctx ctx;
	bool force = false, json = false;
	int c, ret;

	bld_ctx_init(&ctx);
	while ((c = getopt_long(argc, argv, "fvh", opts, NULL)) != -1) {
		switch (c) {
		case 's': suite = optarg; break;
		case 'm': mirror = optarg; break;
		case 'c': ctx.cachedir = optarg; break;
		case 'f': force = true; break;
		case 'j': json = true; break;
		case 'v': ctx.verbose = true; ip_log_set_level(LOG_DEBUG); break;
		case 'h': zfs_usage(); return 0;
		default: return cli_try_help("ironpass zfs-modules");
		}
	}
	if (optind != argc) {
		cli_error("ironpass zfs-modules", "unexpected argument '%s'", argv[optind]);
		return cli_try_help("ironpass zfs-modules");
	}
	runner_spawn_init(&run);
	ctx.run = &run;
	ctx.on_stage = zfs_stage;
	runner_interrupt_reset();
	runner_signals_catch(&sigs, true);
	ret = bld_zfs_modules(&ctx, suite, mirror, force, &ctx.zfs);
	runner_signals_restore(&sigs);
	if (ret < 0) {
		cli_error("ironpass zfs-modules", "%s", ip_err_msg(&ctx.err));
		return runner_interrupted() ? 128 + runner_interrupted() : 1;
	}
	if (json) {
		print_json(&ctx.zfs);
		return 0;
	}
	printf("zfs-modules: %s: zfs %s for kernel %s, %u modules (%u signed), %.1f MB of .ko,"
	       " package %.1f MB, built in %.0f s%s\n", ctx.zfs.deb, ctx.zfs.info.zfs_version,
	       ctx.zfs.info.kver, ctx.zfs.info.n_ko, ctx.zfs.info.n_signed,
	       ctx.zfs.info.ko_bytes / 1e6, ctx.zfs.deb_bytes / 1e6, ctx.zfs.build_seconds,
	       ctx.zfs.cached ? " (cached)" : "");
	return 0;
}
