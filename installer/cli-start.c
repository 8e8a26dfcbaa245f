// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ironpass-installer start: the live environment's entry point, run by
 * ironpass-installer@tty1 and @ttyS0 (overlay/). It announces itself with
 * the line "ironpass-installer: ready" and the memory in use then, prints
 * the detect verdict and then does what the boot menu asked (ironpass.mode=
 * on the kernel command line, or --mode): the hardware report, the install
 * flow, or a rescue shell.
 *
 * The install flow itself is issue 5; this file keeps the start-up
 * contract the boot tests rely on: ready line, then the verdict.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"
#include "detect/hw-report.h"
#include "detect/hw.h"
#include "installer-cmds.h"
#include "util.h"

#define PROG "ironpass-installer"

enum start_mode { MODE_INSTALL, MODE_AUTO, MODE_REPORT, MODE_RESCUE };
static const char *const mode_names[] = { "install", "auto", "report", "rescue" };

static void start_usage(void)
{
	fputs("\nUsage:\n " PROG " start [options]\n\n"
	      "Start the installer in the live environment (run by systemd on tty1 and the\n"
	      "serial console). Prints 'ironpass-installer: ready' and the detect verdict.\n\n"
	      "Options:\n"
	      "     --console <dev>  use this terminal for input and output (e.g. /dev/ttyS0)\n"
	      "     --mode <mode>    install, auto, report or rescue\n"
	      "                      (default: ironpass.mode= on the kernel command line)\n"
	      "     --sysroot <dir>  read /sys and /proc under <dir> (default /)\n"
	      " -n, --dry-run        install: print each command instead of running it,\n"
	      "                      and do not reboot\n"
	      " -h, --help           display this help\n\n"
	      "In install mode every console first offers 'press Enter to install from this\n"
	      "console'; the first one answered gets the screens, the others follow its log.\n"
	      "Unattended (auto), the first instance installs at once.\n", stdout);
}

static int mode_parse(const char *s, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(mode_names); i++)
		if (strlen(mode_names[i]) == len && !strncmp(s, mode_names[i], len))
			return (int)i;
	if (len == 10 && !strncmp(s, "unattended", len))
		return MODE_AUTO;
	return -EINVAL;
}

/* ironpass.mode=WORD on the command line; "ironpass.auto" alone means auto. */
static int mode_from_cmdline(const char *cmdline)
{
	int mode = MODE_INSTALL;

	for (const char *p = cmdline; p && *p;) {
		size_t n;

		p += strspn(p, " \t\n");
		n = strcspn(p, " \t\n");
		if (n > 14 && !strncmp(p, "ironpass.mode=", 14)) {
			int m = mode_parse(p + 14, n - 14);

			if (m >= 0)
				mode = m;
		} else if (n == 13 && !strncmp(p, "ironpass.auto", 13) && mode == MODE_INSTALL) {
			mode = MODE_AUTO;
		}
		p += n;
	}
	return mode;
}

static int use_console(const char *dev)
{
	int fd = open(dev, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	fflush(stdout);
	fflush(stderr);
	if (dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0) {
		close(fd);
		return -errno;
	}
	if (fd > 2)
		close(fd);
	return 0;
}

/*
 * What the live system uses at this point (make bench compares PXE, where the
 * live root sits in RAM, with the ISO): one line, or none when meminfo has no
 * MemAvailable.
 */
static void print_memory(const char *sysroot)
{
	struct hw_mem_now m;

	if (hw_mem_now(sysroot, &m) < 0)
		return;
	printf("%s: memory at ready: %" PRIu64 " MiB in use of %" PRIu64 " MiB "
	       "(MemTotal - MemAvailable)\n", PROG, m.used_kib >> 10, m.total_kib >> 10);
}

/*
 * A serial console (ttyS*, ttyAMA*: IPMI Serial-over-LAN, a console server)
 * as the kernel's console= word, with the line's speed: "ttyS0,115200".
 * Empty for anything else.
 */
static void serial_word(const char *dev, int fd, char *buf, size_t size)
{
	static const struct { speed_t code; unsigned long baud; } speeds[] = {
		{ B9600, 9600 }, { B19200, 19200 }, { B38400, 38400 }, { B57600, 57600 },
		{ B115200, 115200 }, { B230400, 230400 }, { B460800, 460800 },
		{ B921600, 921600 },
	};
	const char *name = dev && !strncmp(dev, "/dev/", 5) ? dev + 5 : dev;
	unsigned long baud = 115200;
	struct termios t;

	buf[0] = '\0';
	if (!name || (strncmp(name, "ttyS", 4) && strncmp(name, "ttyAMA", 6)))
		return;
	if (tcgetattr(fd, &t) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(speeds); i++)
			if (cfgetospeed(&t) == speeds[i].code)
				baud = speeds[i].baud;
	snprintf(buf, size, "%s,%lu", name, baud);
}

static void print_verdict(const struct hw *hw)
{
	struct hw_verdict v;

	hw_verdict(hw, &v);
	printf("verdict: %s\n", hw_readiness_str(v.level));
	for (size_t i = 0; i < v.n_reasons; i++)
		printf("  %s %s\n", v.reasons[i].blocking ? "-" : "!", v.reasons[i].text);
}

int cmd_start(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "console", required_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "sysroot", required_argument, NULL, 'S' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *console = NULL, *sysroot = NULL;
	char serial[64];
	struct ip_err err = { 0 };
	int c, mode = -1;
	bool dry_run = false;
	struct hw hw;

	optind = 1;
	while ((c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			console = optarg;
			break;
		case 'm':
			mode = mode_parse(optarg, strlen(optarg));
			if (mode < 0) {
				cli_error(PROG, "invalid mode '%s'", optarg);
				return cli_try_help(PROG);
			}
			break;
		case 'S':
			sysroot = optarg;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'h':
			start_usage();
			return 0;
		default:
			return cli_try_help(PROG);
		}
	}
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (console && use_console(console) < 0)
		return cli_error(PROG, "cannot open console '%s'", console);
	serial_word(console, STDIN_FILENO, serial, sizeof(serial));
	/*
	 * A serial line's far end is a terminal emulator (IPMI SOL, a console
	 * server), not the Linux console: vt220 draws the screens' boxes there.
	 */
	if (serial[0] && (!getenv("TERM") || !strcmp(getenv("TERM"), "linux")))
		setenv("TERM", "vt220", 1);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (hw_detect(sysroot, &hw, &err) < 0) {
		printf("%s: ready\n", PROG);
		return cli_error(PROG, "%s", ip_err_msg(&err));
	}
	if (mode < 0)
		mode = mode_from_cmdline(hw.cmdline);
	printf("\n%s: ready (mode %s%s%s)\n", PROG, mode_names[mode], console ? ", console " : "",
	       console ? console : "");
	print_memory(sysroot);
	if (mode == MODE_REPORT) {
		struct strbuf sb = { 0 };

		hw_report_text(&hw, &sb);
		if (!sb.err)
			fputs(sb.buf, stdout);
		sb_release(&sb);
		printf("%s: report done\n", PROG);
	} else {
		print_verdict(&hw);
	}
	hw_release(&hw);
	fflush(stdout);

	switch (mode) {
	case MODE_RESCUE:
		printf("%s: rescue shell (exit to leave)\n", PROG);
		fflush(stdout);
		execl("/bin/bash", "bash", "-l", (char *)NULL);
		return cli_error(PROG, "cannot start '/bin/bash'");
	case MODE_INSTALL:
	case MODE_AUTO:
	{
		struct cli_install_opts io = {
			.sysroot = sysroot,
			.target = "/target",
			.console = console,
			.serial_console = serial[0] ? serial : NULL,
			.automatic = mode == MODE_AUTO,
			.dry_run = dry_run,
			.no_reboot = dry_run,
			/* every console offers the install; the first Enter wins */
			.wait_enter = mode == MODE_INSTALL,
		};

		return cli_install_run(&io);
	}
	default:
		return 0;
	}
}
