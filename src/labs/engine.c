/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.c - a lab from start to end: skip or set up, play the steps, tear everything down whatever happened
 */
#include "labs/engine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/selfexe.h"
#include "common/i18n.h"
#include "common/util.h"
#include "image/builtin.h"
#include "labs/engine_internal.h"
#include "labs/session.h"

/* ---- the engine -------------------------------------------------------- */

void sz_lab_engine_init(struct sz_lab_engine *e)
{
	memset(e, 0, sizeof(*e));
	e->mode = SZ_LAB_MODE_RUN;
	e->sigfd = -1;
}

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

int sz_lab_engine_open(struct sz_lab_engine *e, sz_error_t *err)
{
	sigset_t set, blocked;

	/* SIGPIPE too (a reader of `stanza lab run | head` that went away):
	 * writes then fail, the lab is still cleaned up, and the signal is
	 * delivered once sz_lab_engine_close() unblocks it. */
	stop_signals(&set);
	blocked = set;
	sigaddset(&blocked, SIGPIPE);
	if (sigprocmask(SIG_BLOCK, &blocked, &e->old_mask) < 0)
		return sz_error_make(err, errno, "sigprocmask");
	e->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (e->sigfd < 0) {
		int saved = errno;
		sigprocmask(SIG_SETMASK, &e->old_mask, NULL);
		return sz_error_make(err, saved, "signalfd");
	}
	e->open = true;
	return 0;
}

void sz_lab_engine_close(struct sz_lab_engine *e)
{
	if (!e->open)
		return;
	close(e->sigfd);
	e->sigfd = -1;
	sigprocmask(SIG_SETMASK, &e->old_mask, NULL);
	e->open = false;
}

/* A signal that came between two commands (sz_create leaves one pending). */
static bool stop_requested(struct sz_lab_engine *e)
{
	struct signalfd_siginfo si;

	if (e->stop_signal == 0 && e->sigfd >= 0 && read(e->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		e->stop_signal = (int)si.ssi_signo;
	return e->stop_signal != 0;
}

/* ---- placeholders ------------------------------------------------------ */

char *sz_lab_expand(const struct sz_lab_run *run, const char *text)
{
	char pid[24];
	const char *keys[] = {"{pid}", "{workdir}", "{stanza}"};
	const char *values[] = {pid, run->wd.path, run->stanza_exe};
	struct sz_buf out = SZ_BUF_INIT;

	snprintf(pid, sizeof(pid), "%d", run->h != NULL ? (int)sz_container_pid(run->h) : 0);
	while (*text != '\0') {
		size_t k = 0;

		while (k < 3 && !sz_str_has_prefix(text, keys[k]))
			k++;
		if (k < 3) {
			sz_buf_adds(&out, values[k]);
			text += strlen(keys[k]);
		} else {
			sz_buf_addch(&out, *text++);
		}
	}
	return sz_buf_detach(&out, NULL);
}

static char *self_exe(void)
{
	const char *exe = sz_self_exe();

	return sz_xstrdup(*exe != '\0' ? exe : "stanza");
}

/* ---- setting up and tearing down --------------------------------------- */

static bool uses_session(const struct sz_lab *lab)
{
	for (size_t i = 0; i < lab->n_steps; i++)
		if (lab->steps[i].kind == SZ_LAB_TASK || lab->steps[i].where == SZ_WHERE_SESSION)
			return true;
	return false;
}

static int create_container(struct sz_lab_run *run, sz_error_t *err)
{
	const struct sz_lab_container *lc = &run->lab->container;
	struct sz_volume *vols = sz_xcalloc(lc->n_volumes + 1, sizeof(*vols));
	char *argv[] = {"sleep", "2147483647", NULL};
	cleanup_close int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	/* The limits as the lab file sets them (container: memory, pids, cpus). */
	const char *const words[SZ_LIMIT_COUNT] = {
	    [SZ_LIMIT_MEMORY] = _("'memory' in the lab file"),
	    [SZ_LIMIT_PIDS] = _("'pids' in the lab file"),
	    [SZ_LIMIT_CPU] = _("'cpus' in the lab file"),
	};
	struct sz_image *img = &run->img;
	struct sz_spec spec;
	int r;

	/* The lab's image (busybox: the built-in one) from the store, as stanza
	 * run takes it; a root directory given by path as it is. */
	if (sz_image_is_name(lc->image) &&
	    sz_image_find(NULL, run->e->paths->image_dir, lc->image, img, err) < 0) {
		free(vols);
		return sz_error_wrap(err, _("cannot start the lab's container"));
	}
	for (size_t i = 0; i < lc->n_volumes; i++) {
		vols[i].host = sz_asprintf("%s/%s", run->wd.path, lc->volumes[i].host);
		vols[i].container = lc->volumes[i].container;
		vols[i].read_only = lc->volumes[i].read_only;
	}
	sz_spec_init(&spec);
	spec.image = lc->image;
	spec.layers_dir = img->layers_dir;
	spec.layers = (const char *const *)img->layers;
	spec.n_layers = img->n_layers;
	spec.argv = argv;
	spec.init = true; /* PID 1 reaps what exec'd commands leave behind */
	spec.hostname = lc->hostname;
	spec.user = lc->user;
	spec.volumes = vols;
	spec.n_volumes = lc->n_volumes;
	spec.limits = lc->limits;
	spec.limit_words = words;
	spec.net = lc->net;
	spec.read_only = lc->read_only;
	spec.stdio[0] = spec.stdio[1] = spec.stdio[2] = null;
	r = sz_create(&spec, run->e->paths, &run->h, err);
	for (size_t i = 0; i < lc->n_volumes; i++)
		free(vols[i].host);
	free(vols);
	return r < 0 ? sz_error_wrap(err, _("cannot start the lab's container")) : 0;
}

static int open_session(struct sz_lab_run *run, const struct sz_session_options *so, sz_error_t *err)
{
	struct sz_session_options o;

	if (so == NULL && !uses_session(run->lab))
		return 0;
	if (so != NULL) {
		o = *so;
	} else {
		sz_session_options_init(&o);
		o.user = run->lab->container.user;
	}
	if (sz_session_open(run->h, &o, &run->session, err) < 0)
		return sz_error_wrap(err, _("cannot open the lab's shell session"));
	return 0;
}

int sz_lab_run_set_up(struct sz_lab_run *run, const struct sz_session_options *so, sz_error_t *err)
{
	run->stanza_exe = run->e->stanza_exe != NULL ? sz_xstrdup(run->e->stanza_exe) : self_exe();
	run->host_hostname = sz_host_hostname();
	sz_workdir_collect(run->e->tmp_dir);
	if (sz_workdir_make(&run->wd, run->e->tmp_dir, run->lab, err) < 0 || create_container(run, err) < 0)
		return -1;
	run->kernel = (struct sz_lab_kernel){run->h, run->wd.fd, run->e->sigfd, 0};
	run->env = (struct sz_check_env){&sz_lab_kernel_ops, &run->kernel, run->host_hostname};
	if (stop_requested(run->e))
		return 0;
	return open_session(run, so, err);
}

int sz_lab_run_tear_down(struct sz_lab_run *run, sz_error_t *err)
{
	sz_error_t local = NULL, wd_err = NULL;
	int r = 0;

	sz_session_close(run->session);
	run->session = NULL;
	if (run->h != NULL && sz_destroy(run->h, NULL, &local) < 0)
		r = sz_error_wrap(&local, _("cannot remove the lab's container"));
	run->h = NULL;
	sz_image_release(&run->img); /* after the container: prune waits for it */
	if (sz_workdir_remove(&run->wd, &wd_err) < 0 && r == 0) {
		r = -1;
		local = steal_pointer(&wd_err);
	}
	sz_error_release(&wd_err);
	free(run->host_hostname);
	free(run->stanza_exe);
	run->host_hostname = run->stanza_exe = NULL;
	if (r < 0) {
		sz_error_release(err);
		*err = local;
	} else {
		sz_error_release(&local);
	}
	return r;
}

/* Everything goes, whatever happened; what could not be removed fails the lab. */
static void tear_down(struct sz_lab_run *run, struct sz_lab_record *rec)
{
	sz_error_t err = NULL;

	if (sz_lab_run_tear_down(run, &err) < 0 && rec->verdict != SZ_VERDICT_FAIL) {
		free(rec->reason);
		rec->verdict = SZ_VERDICT_FAIL;
		rec->reason = sz_xstrdup(sz_error_msg(err));
	}
	sz_error_release(&err);
}

/* ---- the steps --------------------------------------------------------- */

static void not_run(struct sz_step_record *rec, const struct sz_lab_step *step, const char *why)
{
	rec->step = step;
	rec->status = -1;
	rec->verdict = SZ_VERDICT_FAIL;
	rec->reason = sz_xstrdup(why);
}

static int play_steps(struct sz_lab_run *run, struct sz_lab_record *rec)
{
	const struct sz_lab_events *ev = run->e->events;

	rec->steps = sz_xcalloc(run->lab->n_steps + 1, sizeof(*rec->steps));
	for (size_t i = 0; i < run->lab->n_steps; i++) {
		struct sz_step_record *s = &rec->steps[i];
		int r = 0;

		if (stop_requested(run->e))
			return -1;
		rec->n_steps++;
		if (ev != NULL && ev->step_started != NULL)
			ev->step_started(ev->ctx, run->lab, i);
		if (!sz_container_running(run->h))
			not_run(s, &run->lab->steps[i],
			        _("not run: the container has stopped (its first process exited)"));
		else
			r = sz_lab_play_step(run, &run->lab->steps[i], s);
		if (ev != NULL && ev->step_done != NULL)
			ev->step_done(ev->ctx, run->lab, s);
		if (r < 0)
			return -1;
	}
	return 0;
}

static void judge(struct sz_lab_record *rec)
{
	for (size_t i = 0; i < rec->n_steps; i++) {
		if (rec->steps[i].verdict != SZ_VERDICT_FAIL)
			continue;
		rec->verdict = SZ_VERDICT_FAIL;
		rec->reason = sz_asprintf(_("step '%s': %s"), rec->steps[i].step->id, rec->steps[i].reason);
		return;
	}
	rec->verdict = SZ_VERDICT_PASS;
}

int sz_lab_play(struct sz_lab_engine *e, const struct sz_lab *lab, struct sz_lab_record *rec)
{
	struct sz_lab_run run = {.e = e, .lab = lab, .wd = {NULL, -1}};
	const struct sz_lab_events *ev = e->events;
	uint64_t t0 = sz_now_ns();
	sz_error_t err = NULL;
	int r = 0;

	if (ev != NULL && ev->lab_started != NULL)
		ev->lab_started(ev->ctx, lab);
	rec->lab = lab;
	rec->reason = e->probe != NULL ? sz_lab_skip_reason(lab, e->probe) : NULL;
	if (rec->reason != NULL) {
		rec->verdict = SZ_VERDICT_SKIP;
	} else if (sz_lab_run_set_up(&run, NULL, &err) < 0) {
		rec->verdict = SZ_VERDICT_FAIL;
		rec->reason = sz_xstrdup(sz_error_msg(err));
		r = stop_requested(e) ? -1 : 0;
	} else {
		r = play_steps(&run, rec);
		judge(rec);
	}
	if (rec->verdict != SZ_VERDICT_SKIP)
		tear_down(&run, rec);
	sz_error_release(&err);
	rec->ns = sz_now_ns() - t0;
	if (ev != NULL && ev->lab_done != NULL)
		ev->lab_done(ev->ctx, rec);
	return r < 0 || e->stop_signal != 0 ? -1 : 0;
}
