// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass-installer detect: report the hardware and its passthrough readiness. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "cli.h"
#include "detect/hw-json.h"
#include "detect/hw-report.h"
#include "detect/hw.h"
#include "installer-cmds.h"
#include "util.h"

#define PROG "ironpass-installer"

static void detect_usage(void)
{
	fputs("\nUsage:\n " PROG " detect [options]\n\n"
	      "Report this machine's hardware and whether a GPU can be passed through.\n"
	      "Reads only; runs without root on a captured tree with --sysroot.\n\n"
	      "Options:\n"
	      "     --sysroot <dir>  read /sys and /proc under <dir> (default /)\n"
	      "     --json           print everything as JSON\n"
	      " -h, --help           display this help\n\n"
	      "The report starts with 'verdict: ready', 'verdict: ready with warnings' or\n"
	      "'verdict: not ready', followed by the reasons.\n"
	      "For more details see " PROG "(8).\n", stdout);
}

int cmd_detect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "sysroot", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *sysroot = NULL;
	struct ip_err err = { 0 };
	bool json = false;
	struct hw hw;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			sysroot = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			detect_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (hw_detect(sysroot, &hw, &err) < 0)
		return cli_error(PROG, "%s", ip_err_msg(&err));
	if (json) {
		struct json_object *o = hw_to_json(&hw);

		ret = o ? 0 : 1;
		if (o)
			puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		struct strbuf sb = { 0 };

		hw_report_text(&hw, &sb);
		ret = sb.err ? 1 : 0;
		if (!sb.err)
			fputs(sb.buf, stdout);
		sb_release(&sb);
	}
	hw_release(&hw);
	if (ret)
		return cli_error(PROG, "cannot write the report: out of memory");
	return fflush(stdout) == 0 ? 0 : cli_error(PROG, "cannot write the report");
}
