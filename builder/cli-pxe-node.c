// SPDX-License-Identifier: GPL-2.0-or-later
/* ironpass pxe node MAC --install|--localboot: one node's menus in a PXE tree. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "bld-pxe.h"
#include "builder-cmds.h"
#include "cli.h"

#define PROG "ironpass pxe node"

static void pxe_usage(void)
{
	fputs("Usage:\n"
	      " ironpass pxe node MAC --install|--localboot [options]\n"
	      "\n"
	      "Give one node its own boot menu in a PXE tree built by `ironpass build`:\n"
	      "--install makes the unattended install its default, --localboot the local\n"
	      "disk. Writes the pxelinux (BIOS), GRUB (UEFI) and iPXE files named after the\n"
	      "MAC; the rest of the menu stays the tree's. MAC: six hex pairs separated by\n"
	      "':' or '-'.\n"
	      "\n"
	      "Options:\n"
	      "     --install        boot the unattended install (wipes the disk)\n"
	      "     --localboot      boot the local disk\n"
	      "     --tree DIR       the PXE tree (default: out/pxe)\n"
	      "     --json           print what was written as JSON\n"
	      " -h, --help           display this help\n", stdout);
}

static void print_json(const struct bld_pxe_node *n, const char *tree)
{
	struct json_object *o = json_object_new_object(), *files = json_object_new_array();

	json_object_object_add(o, "mac", json_object_new_string(n->mac_norm));
	json_object_object_add(o, "mode", json_object_new_string(
		n->entry == BLD_ENTRY_LOCALBOOT ? "localboot" : "install"));
	json_object_object_add(o, "tree", json_object_new_string(tree));
	for (size_t i = 0; i < n->n_files; i++) {
		struct json_object *f = json_object_new_object();

		json_object_object_add(f, "loader", json_object_new_string(n->files[i].loader));
		json_object_object_add(f, "path", json_object_new_string(n->files[i].rel));
		json_object_object_add(f, "changed", json_object_new_boolean(n->files[i].changed));
		json_object_array_add(files, f);
	}
	json_object_object_add(o, "written", files);
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int cmd_pxe_node(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "install", no_argument, NULL, 'i' },
		{ "localboot", no_argument, NULL, 'l' },
		{ "tree", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bld_pxe_node n = { .dir = "out/pxe", .entry = -1 };
	bool json = false;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
		case 'l': {
			int e = c == 'i' ? BLD_ENTRY_AUTO : BLD_ENTRY_LOCALBOOT;

			if (n.entry >= 0 && n.entry != e) {
				cli_error(PROG, "--install and --localboot exclude each other");
				return cli_try_help(PROG);
			}
			n.entry = e;
			break;
		}
		case 't': n.dir = optarg; break;
		case 'j': json = true; break;
		case 'h': pxe_usage(); return 0;
		default: return cli_try_help(PROG);
		}
	}
	if (optind >= argc) {
		cli_error(PROG, "no MAC address given");
		return cli_try_help(PROG);
	}
	n.mac = argv[optind++];
	if (cli_no_more_args(PROG, argc, argv))
		return 2;
	if (n.entry < 0) {
		cli_error(PROG, "say --install or --localboot");
		return cli_try_help(PROG);
	}
	if (bld_pxe_node_set(&n) < 0)
		return cli_error(PROG, "%s", ip_err_msg(&n.err));
	if (json) {
		print_json(&n, n.dir);
		return 0;
	}
	for (size_t i = 0; i < n.n_files; i++)
		printf("%s: %s/%s%s\n", n.files[i].loader, n.dir, n.files[i].rel,
		       n.files[i].changed ? "" : " (unchanged)");
	return 0;
}

int cmd_pxe(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "node"))
		return cmd_pxe_node(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		pxe_usage();
		return 0;
	}
	if (argc < 2)
		cli_error("ironpass pxe", "no subcommand given (node)");
	else
		cli_error("ironpass pxe", "unknown subcommand '%s'", argv[1]);
	return cli_try_help("ironpass pxe");
}
