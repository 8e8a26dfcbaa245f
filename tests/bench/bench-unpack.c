// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bench-unpack ARCHIVE TARGET: unpack a tar.zst into TARGET (an empty
 * directory) with the installer's inst_unpack_file (libarchive, streaming
 * SHA-256 check) and print "seconds bytes entries". The SHA-256 it checks
 * against is computed first and not timed, as the manifest supplies it.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "install/inst-disk.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct inst_ctx ctx = { 0 };
	struct inst_unpack_stats st;
	char hex[SHA256_HEX_LEN + 1];
	unsigned long long size;
	double t0, t1;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-unpack ARCHIVE TARGET\n");
		return 2;
	}
	if (sha256_file(NULL, argv[1], hex, &size) < 0) {
		fprintf(stderr, "bench-unpack: cannot hash '%s'\n", argv[1]);
		return 1;
	}
	ctx.target = argv[2];
	t0 = now_s();
	if (inst_unpack_file(&ctx, argv[1], hex, size, &st) < 0) {
		fprintf(stderr, "bench-unpack: %s\n", ip_err_msg(&ctx.err));
		return 1;
	}
	t1 = now_s();
	printf("%.3f %llu %llu\n", t1 - t0, st.bytes, st.entries);
	return 0;
}
