/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IRONPASS_INST_FIRSTBOOT_H
#define IRONPASS_INST_FIRSTBOOT_H

/*
 * Folder installer/firstboot/: the first-boot unit and what it runs on the
 * installed node (the VM template, the Windows answer medium, the user's
 * hook). Includes lib/, detect/, plan/, target/, firstboot/ and, from
 * install/, only the context (inst.h), the HTTP client (inst-http.h) and
 * the webhook (inst-webhook.h).
 */

/*
 * First boot of the installed system (design §7, issue 5).
 *
 * At install time inst_firstboot_setup() writes, under the target:
 *   /usr/local/sbin/ironpass-installer      this binary (its non-glibc shared
 *   /usr/local/lib/ironpass/ (.so files)     libraries beside it)
 *   /etc/ironpass/firstboot.json            what to do (qm options, hook), 0600
 *   /var/lib/ironpass/first-boot-hook       the answer's hook (from-iso / from-url), 0700
 *   /var/lib/ironpass/subscription-key      [global] subscription-key, 0600 (only with one)
 *   /var/lib/vz/template/iso/<answer ISO>   autounattend.xml for Windows, 0600 (optional)
 *   /etc/systemd/system/ironpass-firstboot.service, enabled in multi-user.target.wants,
 *     ordered by [first-boot] ordering: fully-up (default) after pveproxy,
 *     network-online after network-online.target
 *   /etc/systemd/system/ironpass-firstboot-hook.service, enabled in network.target.wants,
 *     only with ordering = "before-network": runs the hook before network-pre.target
 *     (then the main unit does only the VM template)
 *
 * At first boot the unit runs `ironpass-installer firstboot`, i.e.
 * inst_firstboot_run(): wait (bounded) for pve-cluster (/etc/pve/.version),
 * `qm create` the Windows 11 VM unless it exists, `qm template`, run the hook,
 * record /var/lib/ironpass/firstboot.done. A second run does nothing. Before
 * the VM template a staged subscription key is registered with
 * `pvesubscription set KEY` (the key a secret word of the argv: never shown
 * or logged) and its file removed, whether that worked or not; a failure is
 * logged and the first boot goes on.
 */

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "install/inst.h"
#include "runner.h"

struct plan_vm;
struct strbuf;

#define INST_FB_UNIT		"/etc/systemd/system/ironpass-firstboot.service"
#define INST_FB_WANTS \
	"/etc/systemd/system/multi-user.target.wants/ironpass-firstboot.service"
/* [first-boot] ordering = "before-network": the hook's own unit */
#define INST_FB_HOOK_UNIT	"/etc/systemd/system/ironpass-firstboot-hook.service"
#define INST_FB_HOOK_WANTS \
	"/etc/systemd/system/network.target.wants/ironpass-firstboot-hook.service"
#define INST_FB_HOOK_DONE	"/var/lib/ironpass/first-boot-hook.done"
#define INST_FB_BIN		"/usr/local/sbin/ironpass-installer"
#define INST_FB_LIBDIR		"/usr/local/lib/ironpass"
#define INST_FB_CONF		"/etc/ironpass/firstboot.json"
#define INST_FB_HOOK		"/var/lib/ironpass/first-boot-hook"
#define INST_FB_SUBSCRIPTION	"/var/lib/ironpass/subscription-key"
#define INST_FB_PVESUBSCRIPTION	"/usr/bin/pvesubscription"
#define INST_FB_DONE		"/var/lib/ironpass/firstboot.done"
#define INST_FB_FAILED		"/var/lib/ironpass/firstboot.failed"
#define INST_FB_LOCK		"/var/lib/ironpass/firstboot.lock"
#define INST_FB_LOG		"/var/log/ironpass/firstboot.log"
#define INST_FB_PVE_READY	"/etc/pve/.version"
#define INST_FB_ISO_DIR		"/var/lib/vz/template/iso"
/* the id of the VM this node's first boot made (one line); ids it did not make are not touched */
#define INST_FB_VM_STATE	"/var/lib/ironpass/vm-template"
/* where a from-iso hook is looked for on the live system (sysroot) */
#define INST_FB_HOOK_MEDIUM	"/run/live/medium/ironpass/first-boot"
#define INST_FB_HOOK_SEED	"/etc/ironpass/first-boot"

struct inst_fb_opt {
	char *key, *value;		/* qm option without "--", and its value */
};

/* An ISO the VM's CD drive @key names, fetched at first boot when it has a URL */
struct inst_fb_media {
	char *key;			/* "ide2" */
	char *what;			/* "Windows 11 ISO" */
	char *volume;			/* "local:iso/Win11.iso" */
	char *url;			/* https://… or NULL: the file is put there otherwise */
	char *sha256;			/* with url: what the file must hash to */
	bool carried;			/* install time only: the image carries it (not in JSON) */
};

struct inst_fb_conf {
	unsigned vmid;			/* 0: no VM template */
	bool make_template;
	bool standin;			/* stand-in payload: no qm is fine */
	unsigned pve_wait_s;		/* how long to wait for pve-cluster */
	char *hook;			/* path on the target, or NULL */
	struct inst_fb_opt *opts;	/* qm create options, in order */
	size_t n_opts;
	/*
	 * The install's status webhook, for the first boot's own events (step
	 * events "firstboot-…"); url NULL: none. The token is a secret: the file
	 * is 0600 and nothing logs it.
	 */
	char *wh_url, *wh_fingerprint, *wh_token, *wh_node;
	unsigned wh_events;		/* 1u << enum inst_wh_event */
	struct inst_fb_media *media;	/* the ISOs of the CD drives, fetched before qm create */
	size_t n_media;
};

/* --- configuration (inst-firstboot-conf.c) --- */
int inst_fb_conf_from_plan(struct inst_fb_conf *c, const struct plan_vm *vm, struct ip_err *err);
int inst_fb_conf_add(struct inst_fb_conf *c, const char *key, const char *value);
/* Move the VM disks (efidisk0, tpmstate0, scsi0) that are on storage @from to @to. */
int inst_fb_conf_storage(struct inst_fb_conf *c, const char *from, const char *to);
const char *inst_fb_conf_get(const struct inst_fb_conf *c, const char *key);
char *inst_fb_conf_json(const struct inst_fb_conf *c);
int inst_fb_conf_parse(const char *text, struct inst_fb_conf *c, struct ip_err *err);
void inst_fb_conf_release(struct inst_fb_conf *c);

/* --- qm (inst-firstboot-vm.c) --- */
/*
 * argv for `qm create VMID --key value …` (NULL-terminated, strings owned by
 * the returned array; free with inst_fb_argv_free). ISO volumes on 'local'
 * that do not exist under root are replaced by an empty drive.
 */
char **inst_fb_qm_create_argv(const struct inst_fb_conf *c, const char *root,
			      struct ip_err *err);
void inst_fb_argv_free(char **argv);
/*
 * Make the template: `qm create` (unless an earlier run made it: its id is in
 * INST_FB_VM_STATE), then `qm template`. The planned id, or the next free one
 * when a VM that ironpass did not make has it. A failure removes the VM this
 * call created (`qm destroy`) and says why. @made_id: the id used. @dry:
 * nothing is recorded under @root. Before qm create, the ISOs are fetched
 * (inst_fb_fetch_media); what is missing is appended to @missing (may be NULL).
 */
int inst_fb_make_vm(const struct inst_fb_conf *c, const char *root, struct runner *r, bool dry,
		    unsigned *made_id, struct strbuf *missing, struct ip_err *err);

/* --- the VM's ISOs (inst-fb-media.c) --- */
int inst_fb_media_add(struct inst_fb_conf *c, const char *key, const char *what,
		      const char *volume, const char *url, const char *sha256);
/*
 * Where a storage keeps its ISOs on the node: "local" /var/lib/vz/template/iso,
 * "local-btrfs" /var/lib/pve/local-btrfs/template/iso; NULL for others (not
 * checked, not fetched into).
 */
const char *inst_fb_iso_dir(const char *volume, char *name, size_t size);
/*
 * Fetch every ISO that has a URL and is not on the node yet (SHA-256 checked,
 * progress logged). A failure is not fatal: the VM gets an empty drive, and
 * the message says which file to put where. Returns how many are missing
 * (their messages appended to @missing, one per line).
 */
int inst_fb_fetch_media(const struct inst_fb_conf *c, const char *root, unsigned vmid, bool dry,
			struct strbuf *missing);
/* where the builder's --windows-iso / --virtio-iso files are on the live system */
#define INST_FB_MEDIA_ON_MEDIUM	"/run/live/medium/ironpass/media"
/*
 * Install time, for each "carried" ISO: copied from the medium into the
 * target's ISO storage (progress logged); booted over the network (no
 * medium, @payload_url set), the PXE tree's media/NAME is fetched at first
 * boot instead: its URL and SHA-256 (from the tree's SHA256SUMS) go into @c.
 * What cannot be found is left to the notes (inst_fb_media_hint).
 */
int inst_fb_carry_media(struct inst_fb_conf *c, const char *sysroot, const char *target,
			const char *payload_url, bool dry, struct ip_err *err);
/* "put FILE into DIR and run `qm set ID --KEY VOLUME,media=cdrom`" for one drive */
char *inst_fb_media_hint(const char *what, const char *key, const char *volume, unsigned vmid);

/* --- a running Proxmox VE host (inst-fb-storage.c) --- */
/*
 * The storage for the template's disks on @root: the first one in
 * /etc/pve/storage.cfg that is enabled and has content "images".
 */
int inst_fb_host_storage(const char *root, char *out, size_t size, struct ip_err *err);

/* --- Windows answer file (docs/windows-unattend.md) --- */
/*
 * What autounattend.xml says (inst-firstboot-unattend.c). Every string is
 * written XML-escaped; NULL strings take the defaults noted.
 */
struct inst_fb_unattend {
	const char *edition;		/* InstallFrom /IMAGE/NAME; "Windows 11 Pro" */
	const char *product_key;	/* the edition's generic key, or NULL: none written */
	const char *language;		/* the medium's UI language; "en-US" */
	const char *input_locale;	/* "0407:00000407" or a language tag; language */
	const char *user_locale;	/* also the system locale; language */
	const char *timezone_win;	/* a Windows time zone id; "UTC" */
	const char *computer_name;	/* NetBIOS name; "*": Setup makes one up */
	const char *admin_user;		/* "admin" */
	/* NULL: no account, no autologon, and OOBE shows its local-account page */
	const char *admin_password;
};

/*
 * The answer file, malloc'ed (NULL when out of memory). With a password it
 * holds the password (encoded as Microsoft's answer files do, not
 * encrypted): wipe it (explicit_bzero over strlen) before freeing.
 */
char *inst_fb_unattend_xml(const struct inst_fb_unattend *u);

/* Settings from an answer (inst-fb-unattend-conf.c) */
struct inst_fb_unattend_conf {
	struct inst_fb_unattend u;
	bool tz_unknown;		/* [global] timezone not in win_timezone()'s table */
	bool no_product_key;		/* the edition has no generic key: Setup will ask */
	char locale[24], computer_name[16];
};
/* The generic (KMS client) product key of a Windows 11 edition, or NULL. */
const char *inst_fb_product_key(const char *edition);
/* "win11-passthrough.lab" -> "win11-passthrou": NetBIOS-safe, at most 15; "*" if none. */
void inst_fb_computer_name(const char *vm_name, char buf[16]);
/* @a may be NULL (every default); @vm_name names the VM (the computer name's default). */
void inst_fb_unattend_conf(struct inst_fb_unattend_conf *c, const struct answer *a,
			   const char *vm_name);

/*
 * An ISO 9660 image (Joliet and Rock Ridge names) holding one file @name
 * with @len bytes of @data, written with libarchive to @path: created under
 * a temporary name with O_CREAT|O_EXCL, mode 0600, then renamed
 * (inst-fb-iso.c).
 */
#define INST_FB_ISO_VOLUME	"IRONPASS_UNATTEND"
int inst_fb_iso_write(const char *path, const char *volume_id, const char *name,
		      const void *data, size_t len, struct ip_err *err);

/*
 * Build the answer ISO named by the plan's ide1 volume ("local:iso/NAME.iso")
 * under the target, from ctx->answer (NULL: defaults) and the plan's VM
 * name. The answer file exists only in memory and in the ISO
 * (inst-fb-unattend-iso.c).
 */
int inst_fb_unattend_iso(struct inst_ctx *ctx, const char *ide1);

/* --- install time (inst-firstboot.c) --- */
/* the unit, ordered by [first-boot] ordering (Proxmox's orderings) */
char *inst_fb_unit_text(enum answer_first_boot_order ord);
/* the before-network hook's own unit */
char *inst_fb_hook_unit_text(void);
/*
 * Shared libraries to bundle: every line's path (from its first '/') that
 * names a .so outside glibc, each once. NULL-terminated; caller frees.
 */
char **inst_fb_bundle_libs(const char *maps, size_t *n);
/*
 * @self_bin: the installer binary to copy; @maps: its libraries, one path per
 * line, named as the loader looks them up (NULL: this process's, through
 * dl_iterate_phdr).
 */
int inst_firstboot_setup(struct inst_ctx *ctx, const char *self_bin, const char *maps);
/*
 * [global] subscription-key staged for the first boot: INST_FB_SUBSCRIPTION
 * under the target, the key and a newline, mode 0600. Nothing without a key.
 * Called by inst_firstboot_setup().
 */
int inst_fb_stage_subscription(struct inst_ctx *ctx);
/* The install step: inst_firstboot_setup(ctx, "/proc/self/exe", NULL). */
int inst_firstboot(struct inst_ctx *ctx);

/* --- first boot (inst-firstboot-run.c) --- */
struct inst_fb_run_opts {
	int pve_wait_s;			/* -1: from the configuration */
	unsigned poll_ms;		/* 0 = 1000 */
	/*
	 * --dry-run (with a dry runner): the commands are only shown, and nothing
	 * under @root changes: no lock, no done or failed marker, the staged
	 * subscription key stays. What would be written or removed is logged.
	 */
	bool dry_run;
};

/* 0 when done now, 1 when it was already done, negative errno on failure. */
int inst_firstboot_run(const char *root, struct runner *r, const struct inst_fb_run_opts *o,
		       struct ip_err *err);

#endif
