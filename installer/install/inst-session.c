// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "answer.h"
#include "detect/hw-report.h"
#include "detect/hw.h"
#include "firstboot/inst-firstboot.h"
#include "install/inst-answer-src.h"
#include "install/inst-disk.h"
#include "install/inst-flow.h"
#include "install/inst-http.h"
#include "install/inst-payload-fetch.h"
#include "install/inst-resolv.h"
#include "install/inst-session.h"
#include "install/inst-steps.h"
#include "install/inst-webhook.h"
#include "log.h"
#include "path.h"
#include "payload.h"
#include "plan/plan.h"
#include "target/inst-cfg.h"
#include "ui/inst-ask.h"
#include "util.h"

struct session {
	const struct inst_session_opts *o;
	struct inst_ctx ctx;
	struct inst_flow flow;
	struct inst_webhook wh;
	struct ui *ui;			/* gauge during the install, or NULL */
	int log_fd;
	ip_log_fn prev_sink;
	void *prev_data;
	char payload_dir[PATH_MAX];
	char answer_where[512];		/* where a found answer came from, for messages */
	uint64_t answer_deadline_ms;	/* ironpass.answer=…'s deadline, or 0 */
	bool no_answer;			/* see inst_session_result.no_answer */
};

/* Log tee: the live log file, the flow's tail, then the CLI's sink. */
static void session_sink(void *data, int prio, const char *file, int line, const char *func,
			 const char *msg)
{
	struct session *s = data;

	if (s->log_fd >= 0 && prio <= LOG_INFO) {
		dprintf(s->log_fd, "%s%s\n", prio <= LOG_ERR ? "error: " :
			prio == LOG_WARNING ? "warning: " : "", msg);
	}
	if (prio <= LOG_INFO)
		inst_flow_note(&s->flow, msg);
	if (s->prev_sink)
		s->prev_sink(s->prev_data, prio, file, line, func, msg);
}

static void session_progress(void *data, const char *step, int percent, const char *detail)
{
	struct session *s = data;
	char text[256];

	if (!s->ui || !s->ui->gauge)
		return;
	snprintf(text, sizeof(text), "Installing Proxmox VE: %s (%s)", step,
		 detail ? detail : "");
	s->ui->gauge(s->ui, "Installing", text, percent);
}

static void session_event(void *data, enum inst_event ev, const char *step, int status,
			  double seconds, const char *detail)
{
	static const enum inst_wh_event map[] = {
		[INST_EV_START] = INST_WH_START,
		[INST_EV_STEP] = INST_WH_STEP,
		[INST_EV_DONE] = INST_WH_DONE,
		[INST_EV_FAILED] = INST_WH_FAILED,
	};
	struct session *s = data;
	const char *tail[INST_LOG_TAIL];
	char *copy = NULL;
	size_t n = 0;

	if (ev == INST_EV_FAILED && detail) {
		copy = strdup(detail);
		for (char *line = copy, *nl; line && *line && n < INST_LOG_TAIL; line = nl) {
			nl = strchr(line, '\n');
			if (nl)
				*nl++ = '\0';
			tail[n++] = line;
		}
	}
	/* the done event carries what the Proxmox auto-installer reports (inst-facts.h) */
	s->wh.facts = ev == INST_EV_DONE ? s->ctx.facts : NULL;
	inst_webhook_send(&s->wh, map[ev], step, status < 0 ? "failed" : "ok", seconds,
			  tail, n);
	s->wh.facts = NULL;
	free(copy);
}

/* Step: check every payload file against manifest.json before any disk is touched. */
static int step_payload(struct inst_ctx *ctx)
{
	struct payload_info pi = { 0 };
	const struct payload_file *base;
	int ret;

	ret = payload_verify(ctx->payload_dir, &pi, &ctx->err);
	if (ret < 0)
		goto out;
	base = payload_info_find(&pi, "base.tar.zst");
	if (!base) {
		ret = ip_err_set(&ctx->err, -ENOENT, "payload '%s' has no 'base.tar.zst'",
				 ctx->payload_dir);
		goto out;
	}
	snprintf(ctx->base_sha256, sizeof(ctx->base_sha256), "%s", base->sha256);
	ctx->base_size = base->size;
	ctx->payload_standin = pi.standin;
	ip_info("payload '%s' verified: %zu files%s", ctx->payload_dir, pi.n_files,
		pi.standin ? " (test stand-in pool, not Proxmox VE)" : "");
out:
	payload_info_release(&pi);
	return ret;
}

/* Step: the PXE payload into the live system's RAM, or the medium's against its pin. */
static int step_fetch(struct inst_ctx *ctx)
{
	return inst_fetch(ctx);
}

static int step_network(struct inst_ctx *ctx)
{
	return inst_cfg_net_prepare(ctx);
}

/* Step: keep the install log on the target. */
static int step_logs(struct inst_ctx *ctx)
{
	char *text = NULL;
	size_t len = 0;
	int ret;

	ret = path_read_all(ctx->sysroot, INST_LIVE_LOG, 16u << 20, &text, &len);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot read '%s'", INST_LIVE_LOG);
	ret = path_write_file(ctx->target, INST_TARGET_LOGDIR "/install.log", text, len, 0600);
	free(text);
	if (ret < 0)
		return ip_err_errno(&ctx->err, ret, "cannot write '%s%s'", ctx->target,
				    INST_TARGET_LOGDIR "/install.log");
	return 0;
}

static bool target_mounted(const struct inst_ctx *ctx)
{
	for (unsigned i = 0; i < ctx->mounts.n; i++)
		if (strcmp(ctx->mounts.path[i], ctx->target) == 0)
			return true;
	return false;
}

/*
 * After the first failure, before unmounting: mark the target as failed
 * (INST_FAILED_MARK: the step and the error; the first-boot unit does not
 * run on such a system) and keep the log there.
 */
static void mark_target_failed(void *data, const char *step)
{
	struct session *s = data;
	struct inst_ctx *ctx = &s->ctx;
	struct ip_err saved = ctx->err;
	char text[IP_ERR_MSG_MAX + 256];
	int n, ret;

	if (ctx->dry_run || !target_mounted(ctx))
		return;
	n = snprintf(text, sizeof(text), "install failed at step '%s': %s\n", step,
		     ip_err_msg(&saved));
	ret = path_write_file(ctx->target, INST_FAILED_MARK, text,
			      n < (int)sizeof(text) ? (size_t)n : sizeof(text) - 1, 0644);
	if (ret < 0)
		ip_warn("cannot mark the target as failed: cannot write '%s%s': %s, ignoring",
			ctx->target, INST_FAILED_MARK, strerror(-ret));
	else
		ip_info("marked the target as failed: '%s%s' (written before unmounting)",
			ctx->target, INST_FAILED_MARK);
	if (step_logs(ctx) < 0)
		ip_warn("%s, ignoring", ip_err_msg(&ctx->err));
	ctx->err = saved;
}

static const struct inst_step install_steps[] = {
	{ "fetch", step_fetch, 5, false },
	{ "payload", step_payload, 5, false },
	{ "disk", inst_disk_select, 1, false },
	{ "network", step_network, 1, false },
	{ "partition", inst_partition, 2, false },
	{ "lvm", inst_lvm, 2, false },
	{ "mkfs", inst_mkfs, 3, false },
	{ "mount", inst_mount, 1, false },
	{ "unpack", inst_unpack, 25, false },
	{ "packages", inst_pkgs, 35, false },
	{ "configure", inst_cfg_all, 15, false },
	{ "first-boot", inst_firstboot, 2, false },
	{ "bootloader", inst_boot, 8, false },
	{ "facts", inst_facts, 1, false },
	{ "logs", step_logs, 1, false },
	{ "unmount", inst_umount, 1, true },
};

/* How the answer is used: as it is, offered on screen first, or none (ask on screen). */
enum answer_use { USE_UNATTENDED, USE_OFFER, USE_SCREENS };

/* Found on a medium or in the seed rather than named by ironpass.answer= or --answer. */
static bool origin_found(enum inst_answer_origin o)
{
	return o == INST_ANS_PARTITION || o == INST_ANS_MEDIUM || o == INST_ANS_SEED;
}

static int parse_answer(const char *text, size_t len, const char *name, struct answer **a,
			struct ip_err *err)
{
	struct answer_diags diags = { 0 };
	int ret;

	ret = answer_parse(text, len, name, ANSWER_ALLOW_PROFILE, a, &diags);
	for (size_t i = 0; i < diags.len; i++) {
		char *line = answer_diag_str(&diags.items[i]);

		if (line)
			ip_log(diags.items[i].warning ? LOG_WARNING : LOG_ERR, "%s", line);
		free(line);
	}
	if (ret < 0 && diags.n_errors)
		ip_err_set(err, ret, "answer file '%s' has %zu error(s)", name, diags.n_errors);
	else if (ret < 0)
		ip_err_errno(err, ret, "cannot parse answer file '%s'", name);
	answer_diags_release(&diags);
	return ret;
}

static int load_answer(struct session *s, const struct inst_cmdline *cl, const struct hw *hw,
		       struct answer **a, enum answer_use *use, struct ip_err *err)
{
	const struct inst_session_opts *o = s->o;
	const struct inst_answer_src_opts src_opts = {
		.hw = hw,
		.deadline_ms = s->answer_deadline_ms,
	};
	bool automatic = o->automatic || cl->automatic;
	struct inst_answer_src src = { 0 };
	const char *name = o->answer_file;
	char *text = NULL;
	size_t len = 0;
	int ret;

	*use = USE_UNATTENDED;
	if (o->answer_file) {
		ret = path_read_all(NULL, o->answer_file, INST_ANSWER_MAX, &text, &len);
		if (ret < 0)
			return ip_err_errno(err, ret, "cannot read answer file '%s'",
					    o->answer_file);
	} else {
		ret = inst_answer_src_find(o->sysroot, o->runner, cl, &src_opts, &src, err);
		if (ret < 0) {
			s->no_answer = true;
			return ret;
		}
		/* the seed's profile only drives an install with ironpass.auto */
		if (src.origin == INST_ANS_INTERACTIVE ||
		    (src.origin == INST_ANS_PROFILE && !automatic)) {
			inst_answer_src_release(&src);
			s->no_answer = automatic;
			if (automatic)
				return ip_err_set(err, -ENOENT,
						  "unattended install requested but no answer "
						  "file was found");
			*use = USE_SCREENS;
			return 0;
		}
		ip_info("answer file from %s: %s", inst_answer_origin_name(src.origin),
			src.where);
		/* found rather than named: unattended only with ironpass.auto */
		if (origin_found(src.origin) && !automatic)
			*use = USE_OFFER;
		snprintf(s->answer_where, sizeof(s->answer_where), "%s", src.where);
		text = src.text;
		len = src.len;
		src.text = NULL;
		name = "answer.toml";
		inst_answer_src_release(&src);
	}
	ret = parse_answer(text, len, name, a, err);
	explicit_bzero(text, len);
	free(text);
	return ret;
}

/*
 * A found answer without ironpass.auto: shown and offered on screen, naming
 * the disk it would erase; without a screen it is refused. 0 to use it
 * (the "yes" is the wipe confirmation), 1 to ask on screen instead.
 */
static int offer_found(struct session *s, const struct hw *hw, const struct answer *a,
		       struct ip_err *err)
{
	char text[4096], disk[2048];
	struct ui *ui = s->o->ui;

	if (!ui)
		return ip_err_set(err, -EPERM,
				  "an answer file was found on %s, but a found answer file runs "
				  "unattended only with 'ironpass.auto' on the kernel command line "
				  "(or --auto): refusing to use it", s->answer_where);
	inst_disk_preview(s->o->sysroot, hw, a, disk, sizeof(disk));
	snprintf(text, sizeof(text),
		 "An answer file was found on %s.\n\nThe installer was not started with "
		 "ironpass.auto, so it is not used without your consent. With it, %s.\n\n"
		 "Install with this answer file? No: answer the questions on screen instead.",
		 s->answer_where, disk);
	ip_info("offering the found answer file on screen: %s", disk);
	switch (ui->yesno(ui, "Answer file found", text, true)) {
	case UI_OK:
		ip_info("the found answer file was accepted on screen");
		s->ctx.wipe_confirmed = true;
		return 0;
	case UI_CANCEL:
	case UI_BACK:
		ip_info("the found answer file was declined: asking on screen");
		return 1;
	default:
		return ip_err_set(err, -EIO, "cannot show the found answer file on screen");
	}
}

/* [ironpass] wipe of the seed's profile, for on-screen installs (empty-only when unset). */
static enum answer_wipe profile_wipe(const char *sysroot)
{
	struct answer_diags diags = { 0 };
	enum answer_wipe w = ANSWER_WIPE_EMPTY_ONLY;
	struct answer *p = NULL;
	char path[PATH_MAX];

	if (path_join(path, sizeof(path), sysroot, INST_SEED_PROFILE) == 0 &&
	    answer_load(path, ANSWER_ALLOW_PROFILE | ANSWER_PARTIAL, &p, &diags) == 0)
		w = p->ironpass.wipe;
	answer_free(p);
	answer_diags_release(&diags);
	return w;
}

static int ask_on_screen(struct session *s, const struct hw *hw, struct answer **a,
			 struct ip_err *err)
{
	struct answer_diags diags = { 0 };
	struct ask_state st;
	struct hw_verdict v;
	struct strbuf verdict = { 0 };
	struct ask_input in = { .hw = hw };
	enum answer_wipe wipe = profile_wipe(s->o->sysroot);
	char **holds = NULL;
	char *toml;
	int ret;

	if (inst_disk_contents(s->o->sysroot, hw, &holds) == 0)
		in.disk_contents = (const char *const *)holds;
	in.wipe_never = wipe == ANSWER_WIPE_NEVER;
	hw_verdict(hw, &v);
	sb_printf(&verdict, "Passthrough readiness: %s", hw_readiness_str(v.level));
	for (size_t i = 0; i < v.n_reasons; i++)
		sb_printf(&verdict, "\n  %s %s", v.reasons[i].blocking ? "-" : "!",
			  v.reasons[i].text);
	in.verdict = verdict.buf;
	ask_state_defaults(&st);
	if (s->o->serial_console)
		snprintf(st.serial_console, sizeof(st.serial_console), "%s",
			 s->o->serial_console);
	for (;;) {
		ret = inst_ask(s->o->ui, &in, &st, err);
		if (ret < 0)
			break;
		toml = inst_ask_to_toml(&st);
		if (!toml) {
			ret = ip_err_set(err, -ENOMEM, "out of memory");
			break;
		}
		ret = answer_parse(toml, strlen(toml), "screens", 0, a, &diags);
		explicit_bzero(toml, strlen(toml));
		free(toml);
		if (ret == 0)
			break;
		/* show what the schema refused and go through the screens again */
		struct strbuf msg = { 0 };

		sb_puts(&msg, "Please correct:\n");
		for (size_t i = 0; i < diags.len; i++)
			if (!diags.items[i].warning)
				sb_printf(&msg, "\n- %s", diags.items[i].msg);
		s->o->ui->msg(s->o->ui, "Check your answers", msg.buf ? msg.buf : "");
		sb_release(&msg);
		answer_diags_release(&diags);
	}
	answer_diags_release(&diags);
	if (ret == 0 && wipe == ANSWER_WIPE_NEVER)
		(*a)->ironpass.wipe = ANSWER_WIPE_NEVER;
	s->ctx.wipe_confirmed = st.confirmed_wipe;
	ask_state_wipe(&st);
	sb_release(&verdict);
	inst_disk_contents_free(holds, hw->n_disks);
	return ret;
}

static void fill_result(struct session *s, struct inst_session_result *res, int ret)
{
	res->success = ret == 0;
	res->failed_step = s->flow.failed_step;
	res->log_tail = inst_flow_tail(&s->flow);
	res->seconds = s->flow.total_seconds;
	res->notes = s->ctx.notes;
	s->ctx.notes = NULL;
	for (size_t i = 0; i < s->flow.n_steps && i < ARRAY_SIZE(res->step_seconds); i++) {
		res->step_names[i] = s->flow.steps[i].name;
		res->step_seconds[i] = s->flow.seconds[i];
		res->n_steps = i + 1;
	}
}

/*
 * Before the first network use: the live system's resolv.conf from the DHCP
 * lease when it names no nameserver (inst-resolv.h), so that curl resolves a
 * host name in the answer, payload or webhook URL. With such a URL on the
 * command line and no lease yet, it waits for one: as long as the answer
 * search may take when the answer comes over the network (the search gets
 * what is left; without a lease it could not fetch anything), else briefly.
 * A failure to write is logged: the fetch that needs it says the rest.
 */
static void ensure_resolv(struct session *s, const struct inst_cmdline *cl, const char *payload)
{
	bool answer_net = cl->answer && !str_startswith(cl->answer, "label:") &&
			  !s->o->answer_file;
	bool discover = answer_net && !strcmp(cl->answer, INST_ANSWER_DISCOVER);
	struct inst_resolv_opts ro = { 0 };
	struct ip_err e = { 0 };
	uint64_t now = inst_now_ms();

	if (answer_net)
		s->answer_deadline_ms = now + 1000ull * (cl->answer_deadline_s ?
				cl->answer_deadline_s : INST_ANSWER_DEADLINE_S);
	/* a discovered URL may name its host: discovery needs a lease anyway */
	if (discover || (answer_net && (inst_url_has_host_name(cl->answer) ||
					inst_url_has_host_name(cl->answer_default))))
		ro.deadline_ms = s->answer_deadline_ms;
	else if (inst_url_has_host_name(payload) || inst_url_has_host_name(cl->webhook))
		ro.deadline_ms = now + 1000ull * INST_RESOLV_WAIT_S;
	if (inst_resolv_ensure(s->o->sysroot, &ro, &e) < 0)
		ip_warn("%s, ignoring", ip_err_msg(&e));
}

int inst_session_run(const struct inst_session_opts *o, struct inst_session_result *res,
		     struct ip_err *err)
{
	struct session s = { .o = o, .log_fd = -1 };
	struct runner_sigsave sigs;
	struct inst_cmdline cl = { 0 };
	struct answer *a = NULL;
	struct plan plan = { 0 };
	struct hw hw = { 0 };
	bool have_hw = false, have_plan = false, have_wh = false;
	enum answer_use use = USE_SCREENS;
	const char *payload;
	char logpath[PATH_MAX];
	int ret;

	memset(res, 0, sizeof(*res));
	ip_log_get_sink(&s.prev_sink, &s.prev_data);
	if (path_mkdirs(o->sysroot, "/run/ironpass", 0700) == 0 &&
	    path_join(logpath, sizeof(logpath), o->sysroot, INST_LIVE_LOG) == 0)
		s.log_fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	ip_log_set_sink(session_sink, &s);
	/* SIGTERM, SIGINT, SIGHUP: the step fails, unmount, "failed" event (inst-flow.h) */
	runner_interrupt_reset();
	ret = runner_signals_catch(&sigs, false);
	if (ret < 0)
		ip_warn("cannot catch signals: %s, ignoring", strerror(-ret));

	ret = inst_cmdline_read(o->sysroot, &cl, err);
	if (ret < 0)
		goto out;
	ensure_resolv(&s, &cl, o->payload_dir ? o->payload_dir : cl.payload);
	ret = hw_detect(o->sysroot, &hw, err);
	if (ret < 0)
		goto out;
	have_hw = true;
	ret = load_answer(&s, &cl, &hw, &a, &use, err);
	if (ret < 0)
		goto out;
	if (use == USE_OFFER) {
		ret = offer_found(&s, &hw, a, err);
		if (ret < 0)
			goto out;
		if (ret == 1) {
			a = answer_free(a);
			use = USE_SCREENS;
		}
	}
	res->interactive = use == USE_SCREENS;
	if (res->interactive) {
		if (!o->ui) {
			ret = ip_err_set(err, -ENOTTY,
					 "no answer file and no screen to ask on; give --answer "
					 "or boot with ironpass.auto and an answer");
			goto out;
		}
		ret = ask_on_screen(&s, &hw, &a, err);
		if (ret < 0)
			goto out;
		s.ui = o->ui;
	}
	res->reboot = a->global.reboot_mode == ANSWER_REBOOT;
	res->power_off = a->global.reboot_mode == ANSWER_POWER_OFF;
	res->reboot_on_error = a->global.reboot_on_error;

	ret = plan_build(&hw, &a->passthrough, &a->vm, &plan, err);
	if (ret < 0)
		goto out;
	have_plan = true;
	for (size_t i = 0; i < plan.n_decisions; i++)
		ip_info("plan: %s", plan.decisions[i]);
	for (size_t i = 0; i < plan.n_warnings; i++)
		ip_warn("plan: %s", plan.warnings[i]);
	if (!plan.plan_ok) {
		for (size_t i = 0; i < plan.n_refusals; i++)
			ip_err_log("plan: %s", plan.refusals[i]);
		ret = ip_err_set(err, -EINVAL, "the passthrough plan was refused: %s",
				 plan.n_refusals ? plan.refusals[0] : "no reason given");
		goto out;
	}

	ret = inst_webhook_init(&s.wh, a, cl.webhook, a->global.fqdn, err);
	if (ret < 0)
		goto out;
	have_wh = true;

	payload = o->payload_dir ? o->payload_dir : cl.payload;
	if (inst_payload_is_url(payload)) {
		s.ctx.payload_url = payload;
		path_join(s.payload_dir, sizeof(s.payload_dir), o->sysroot, INST_FETCHED_PAYLOAD);
	} else if (payload) {
		snprintf(s.payload_dir, sizeof(s.payload_dir), "%s", payload);
	} else {
		path_join(s.payload_dir, sizeof(s.payload_dir), o->sysroot, INST_DEFAULT_PAYLOAD);
	}

	s.ctx.sysroot = o->sysroot ? o->sysroot : "";
	s.ctx.target = o->target ? o->target : "/target";
	s.ctx.payload_dir = s.payload_dir;
	s.ctx.payload_sha256 = cl.payload_sha256;
	s.ctx.runner = o->runner;
	s.ctx.answer = a;
	s.ctx.hw = &hw;
	s.ctx.plan = &plan;
	s.ctx.uefi = hw.fw == HW_FW_UEFI;
	s.ctx.dry_run = o->dry_run;
	s.ctx.automatic = o->automatic || cl.automatic;
	s.ctx.on_progress = session_progress;
	s.ctx.webhook = &s.wh;
	s.ctx.progress_data = &s;

	/* the flow's log tail already holds the lines logged so far: keep them */
	s.flow.ctx = &s.ctx;
	s.flow.steps = install_steps;
	s.flow.n_steps = ARRAY_SIZE(install_steps);
	s.flow.on_event = session_event;
	s.flow.on_failure = mark_target_failed;
	s.flow.event_data = &s;
	ret = inst_flow_run(&s.flow);
	if (ret < 0)
		ip_err_set(err, ret, "step '%s' failed: %s", s.flow.failed_step,
			   ip_err_msg(&s.ctx.err));
out:
	if (ret < 0 && !s.flow.failed_step) {
		/* failed before the steps: still tell the webhook when we know one */
		ip_err_log("%s", ip_err_msg(err));
		if (!have_wh && inst_webhook_init(&s.wh, a, cl.webhook, a ? a->global.fqdn : NULL,
						  NULL) == 0)
			have_wh = true;
		if (have_wh) {
			const char *line = ip_err_msg(err);

			inst_webhook_send(&s.wh, INST_WH_FAILED, s.no_answer ? "answer" : "prepare",
					  "failed", 0, &line, 1);
		}
	}
	fill_result(&s, res, ret);
	res->no_answer = ret < 0 && s.no_answer;
	if (have_wh)
		inst_webhook_release(&s.wh);
	res->signal = ret < 0 ? runner_interrupted() : 0;
	runner_signals_restore(&sigs);
	json_object_put(s.ctx.facts);
	free(s.ctx.notes);
	if (have_plan)
		plan_release(&plan);
	if (have_hw)
		hw_release(&hw);
	answer_free(a);
	inst_cmdline_release(&cl);
	ip_log_set_sink(s.prev_sink, s.prev_data);
	if (s.log_fd >= 0)
		close(s.log_fd);
	return ret;
}

void inst_session_result_release(struct inst_session_result *res)
{
	free(res->log_tail);
	res->log_tail = NULL;
	free(res->notes);
	res->notes = NULL;
}
