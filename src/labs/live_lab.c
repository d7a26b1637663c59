/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live_lab.c - a lab played by a learner: steps one at a time, checks on demand, hints, the reference
 * solution */
#include "labs/live_lab.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/util.h"
#include "labs/live_lab_internal.h"

/* How long a check asked for by the learner retries what reads kernel state
 * (a server that is still starting, a counter that moves a little late). */
#define CHECK_DEADLINE_NS (1000 * 1000 * 1000ull)

void sz_live_lab_options_init(struct sz_live_lab_options *o)
{
	memset(o, 0, sizeof(*o));
}

/* ---- signals ----------------------------------------------------------- */

int sz_live_lab_take_signal(struct sz_live_lab *l)
{
	struct signalfd_siginfo si;

	if (read(l->engine.sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	if (si.ssi_signo != SIGINT)
		l->stop_signal = (int)si.ssi_signo;
	return (int)si.ssi_signo;
}

int sz_live_lab_drain_signals(struct sz_live_lab *l)
{
	while (sz_live_lab_take_signal(l) != 0)
		;
	return l->stop_signal != 0 ? -1 : 0;
}

int sz_live_lab_signal_fd(const struct sz_live_lab *l)
{
	return l->engine.sigfd;
}

/* A command stopped by a signal: ^C only interrupts it; the others stop
 * the lab. Returns -1 for those. */
static int after_signal(struct sz_live_lab *l)
{
	int sig = l->engine.stop_signal;

	l->engine.stop_signal = 0;
	l->run->run.kernel.stop_signal = 0;
	if (sig != 0 && sig != SIGINT)
		l->stop_signal = sig;
	return l->stop_signal != 0 ? -1 : 0;
}

/* ---- the last typed command -------------------------------------------- */

void sz_live_last_reset(struct sz_live_last *last)
{
	sz_buf_release(&last->out);
	last->ran = false;
	last->status = 0;
}

void sz_live_last_add(struct sz_live_last *last, const char *data, size_t len)
{
	if (last->out.len + len > SZ_LIVE_LAST_MAX)
		len = SZ_LIVE_LAST_MAX - last->out.len;
	sz_buf_add(&last->out, data, len);
}

/* ---- starting and stopping --------------------------------------------- */

static void engine_set(struct sz_live_lab *l, const struct sz_live_lab_options *opts)
{
	sz_lab_engine_init(&l->engine);
	l->engine.mode = SZ_LAB_MODE_RUN;
	l->engine.paths = opts->paths;
	l->engine.probe = opts->probe;
	l->engine.events = opts->events;
}

static void per_step_alloc(struct sz_live_lab *l)
{
	size_t n = l->lab->n_steps + 1;

	l->records = sz_xcalloc(n, sizeof(*l->records));
	l->passed = sz_xcalloc(n, sizeof(*l->passed));
	l->solved = sz_xcalloc(n, sizeof(*l->solved));
	l->hints_shown = sz_xcalloc(n, sizeof(*l->hints_shown));
}

static void free_all(struct sz_live_lab *l)
{
	for (size_t i = 0; l->records != NULL && i < l->lab->n_steps; i++)
		sz_step_record_release(&l->records[i]);
	free(l->records);
	free(l->passed);
	free(l->solved);
	free(l->hints_shown);
	if (l->run != NULL) {
		sz_live_last_reset(&l->run->last);
		sz_prompt_scanner_release(&l->run->scanner);
		free(l->run);
	}
	memset(l, 0, sizeof(*l));
}

/* The session's marker, from its PS1 ("SZ<nonce>#$?#"). */
static void learn_marker(struct sz_live_lab_run *lr)
{
	struct sz_session_result res;
	sz_error_t err = NULL;
	char *out = NULL;
	size_t n;

	if (sz_session_run_capture(lr->run.session, "printf '%s' \"$PS1\"", 0, &out, &res, &err) < 0) {
		sz_error_release(&err);
		return;
	}
	n = strcspn(out, "#");
	if (strncmp(out, "SZ", 2) == 0 && n > 2 && n < 2 + sizeof(lr->scanner.marker) - 3) {
		out[n] = '\0';
		sz_prompt_scanner_init(&lr->scanner, out + 2);
		lr->scanning = true;
	}
	free(out);
}

/* Move to step i (clamped). */
static void go_to(struct sz_live_lab *l, size_t i)
{
	struct sz_lab_run *run = &l->run->run;
	sz_error_t err = NULL;

	if (l->lab->n_steps == 0)
		return;
	l->step = i < l->lab->n_steps ? i : l->lab->n_steps - 1;
	run->step = &l->lab->steps[l->step];
	l->run->has_oom_base =
	    run->env.ops->counter(run->env.ctx, SZ_COUNTER_OOM_KILL, &l->run->oom_base, &err) == 0;
	sz_error_release(&err);
	sz_live_last_reset(&l->run->last);
}

int sz_live_lab_start(struct sz_live_lab *l, const struct sz_lab *lab, const struct sz_live_lab_options *opts,
                      char **skip_reason, sz_error_t *err)
{
	memset(l, 0, sizeof(*l));
	*skip_reason = opts->probe != NULL ? sz_lab_skip_reason(lab, opts->probe) : NULL;
	if (*skip_reason != NULL)
		return 1;
	l->lab = lab;
	l->opts = *opts;
	engine_set(l, opts);
	per_step_alloc(l);
	l->run = sz_xcalloc(1, sizeof(*l->run));
	l->run->run = (struct sz_lab_run){.e = &l->engine, .lab = lab, .wd = {NULL, -1}};
	sz_live_last_reset(&l->run->last);
	if (sz_lab_engine_open(&l->engine, err) < 0) {
		free_all(l);
		return -1;
	}
	if (sz_live_lab_set_up(l->run, opts, err) < 0) {
		sz_live_lab_tear_down(l->run);
		sz_lab_engine_close(&l->engine);
		free_all(l);
		return -1;
	}
	learn_marker(l->run);
	go_to(l, 0);
	return 0;
}

void sz_live_lab_stop(struct sz_live_lab *l)
{
	if (l->run == NULL)
		return;
	sz_live_lab_tear_down(l->run);
	sz_lab_engine_close(&l->engine);
	free_all(l);
}

/* ---- where the learner is ---------------------------------------------- */

const struct sz_lab_step *sz_live_lab_step(const struct sz_live_lab *l)
{
	if (l->lab == NULL || l->step >= l->lab->n_steps)
		return NULL;
	return &l->lab->steps[l->step];
}

/* Whether the session's shell has exited (`exit` typed at its prompt): its
 * pidfd is readable then, even before it is reaped. */
static bool shell_gone(const struct sz_session *s)
{
	int fd = (int)syscall(SYS_pidfd_open, sz_session_pid(s), 0);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	bool gone;

	if (fd < 0)
		return errno == ESRCH;
	gone = poll(&p, 1, 0) > 0;
	close(fd);
	return gone;
}

bool sz_live_lab_alive(const struct sz_live_lab *l)
{
	const struct sz_lab_run *run = l->run != NULL ? &l->run->run : NULL;

	return run != NULL && run->h != NULL && run->session != NULL && sz_container_running(run->h) &&
	       !shell_gone(run->session);
}

bool sz_live_lab_finished(const struct sz_live_lab *l)
{
	for (size_t i = 0; l->lab != NULL && i < l->lab->n_steps; i++)
		if (!l->passed[i])
			return false;
	return l->lab != NULL;
}

bool sz_live_lab_next(struct sz_live_lab *l)
{
	if (l->step + 1 >= l->lab->n_steps)
		return false;
	go_to(l, l->step + 1);
	return true;
}

bool sz_live_lab_prev(struct sz_live_lab *l)
{
	if (l->step == 0)
		return false;
	go_to(l, l->step - 1);
	return true;
}

int sz_live_lab_next_hint(struct sz_live_lab *l, size_t n_hints)
{
	size_t *shown = &l->hints_shown[l->step];

	if (*shown >= n_hints)
		return -1;
	return (int)(*shown)++;
}

const struct sz_lab_text *sz_live_lab_texts(const struct sz_live_lab *l, const struct sz_course *course)
{
	const struct sz_chapter *ch = course != NULL ? sz_course_find(course, l->lab->chapter) : NULL;

	return ch != NULL ? sz_chapter_find_lab(ch, l->lab->id) : NULL;
}

const struct sz_step_text *sz_live_lab_step_text(const struct sz_live_lab *l, const struct sz_course *course)
{
	const struct sz_lab_text *t = sz_live_lab_texts(l, course);
	const struct sz_lab_step *step = sz_live_lab_step(l);

	for (size_t i = 0; t != NULL && step != NULL && i < t->n_steps; i++)
		if (strcmp(t->steps[i].id, step->id) == 0)
			return &t->steps[i];
	return NULL;
}

/* ---- progress ---------------------------------------------------------- */

/* A step passed: recorded as the learner's when no solution did it. */
static void step_passed(struct sz_live_lab *l)
{
	struct sz_tutor *t = l->opts.tutor;

	l->passed[l->step] = true;
	if (t == NULL || l->solved[l->step])
		return;
	sz_tutor_mark_step(t, l->lab->name, l->lab->steps[l->step].id);
	for (size_t i = 0; i < l->lab->n_steps; i++)
		if (!l->passed[i] || l->solved[i])
			return;
	sz_tutor_mark_lab(t, l->lab->name);
}

/* ---- demos, checks and solutions --------------------------------------- */

/* The current step, a demo: its command, then its expectations, into rec. */
static int run_demo(struct sz_live_lab *l, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	if (sz_lab_play_step(&l->run->run, step, rec) < 0) {
		free(rec->reason);
		rec->reason = sz_xstrdup(_("interrupted"));
		return after_signal(l);
	}
	if (rec->verdict != SZ_VERDICT_PASS)
		return 0;
	step_passed(l);
	return 1;
}

static void emit_phase(struct sz_live_lab *l, enum sz_lab_phase phase, const char *command)
{
	const struct sz_lab_events *ev = l->engine.events;

	l->run->run.phase = phase;
	if (ev != NULL && ev->phase != NULL)
		ev->phase(ev->ctx, &l->lab->steps[l->step], phase, command);
}

/* The checks of the current task against out (what a command did), into
 * the step's record, each told to the events. */
static int evaluate(struct sz_live_lab *l, const struct sz_outcome *o)
{
	const struct sz_lab_step *step = &l->lab->steps[l->step];
	const struct sz_lab_events *ev = l->engine.events;
	struct sz_step_record *rec = &l->records[l->step];
	struct sz_check_result *res = sz_xcalloc(step->n_check + 1, sizeof(*res));
	int r;

	emit_phase(l, SZ_PHASE_CHECKS, NULL);
	r = sz_checks_run(step->check, step->n_check, o, &l->run->run.env, sz_now_ns() + CHECK_DEADLINE_NS,
	                  res);
	sz_check_records_release(&rec->checks);
	rec->checks.items = sz_xcalloc(step->n_check + 1, sizeof(*rec->checks.items));
	rec->checks.n = step->n_check;
	for (size_t i = 0; i < step->n_check; i++) {
		struct sz_check_record *c = &rec->checks.items[i];

		*c = (struct sz_check_record){.text = sz_xstrdup(step->check[i].text),
		                              .index = i,
		                              .pass = res[i].pass,
		                              .detail = res[i].detail};
		if (ev != NULL && ev->check_done != NULL && r >= 0)
			ev->check_done(ev->ctx, step, SZ_PHASE_CHECKS, c);
	}
	free(res);
	if (r < 0) {
		l->engine.stop_signal = l->run->run.kernel.stop_signal;
		return after_signal(l) < 0 ? -1 : 0;
	}
	rec->verdict = r == 1 ? SZ_VERDICT_PASS : SZ_VERDICT_FAIL;
	if (r == 1)
		step_passed(l);
	return r;
}

static void outcome_base(const struct sz_live_lab *l, struct sz_outcome *o)
{
	memset(o, 0, sizeof(*o));
	o->oom_base = l->run->oom_base;
	o->has_oom_base = l->run->has_oom_base;
}

/* The current step, a task: its checks against the last command typed. */
static int check_task(struct sz_live_lab *l, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	const struct sz_live_last *last = &l->run->last;
	struct sz_outcome o;

	rec->step = step;
	rec->status = last->ran ? last->status : -1;
	rec->ran = last->ran;
	outcome_base(l, &o);
	o.ran = last->ran;
	o.status = last->status;
	o.out = last->out.buf;
	o.out_len = last->out.len;
	return evaluate(l, &o);
}

/* The current step's record, emptied for a new try; NULL when SIGTERM or
 * SIGHUP came first. */
static struct sz_step_record *fresh_record(struct sz_live_lab *l)
{
	struct sz_step_record *rec;

	if (sz_live_lab_drain_signals(l) < 0)
		return NULL;
	rec = &l->records[l->step];
	sz_step_record_release(rec);
	return rec;
}

/* A demo runs, a task is checked: the same whichever the learner asked. */
static int play(struct sz_live_lab *l)
{
	const struct sz_lab_step *step = sz_live_lab_step(l);
	struct sz_step_record *rec;

	if (step == NULL)
		return 0;
	if ((rec = fresh_record(l)) == NULL)
		return -1;
	return step->kind == SZ_LAB_DEMO ? run_demo(l, step, rec) : check_task(l, step, rec);
}

int sz_live_lab_run_demo(struct sz_live_lab *l)
{
	return play(l);
}

int sz_live_lab_check(struct sz_live_lab *l)
{
	return play(l);
}

int sz_live_lab_solve(struct sz_live_lab *l)
{
	const struct sz_lab_step *step = sz_live_lab_step(l);
	struct sz_step_record *rec;
	struct sz_captured c;
	struct sz_outcome o;

	if (step == NULL || step->kind != SZ_LAB_TASK)
		return sz_live_lab_run_demo(l);
	if ((rec = fresh_record(l)) == NULL)
		return -1;
	rec->step = step;
	rec->command = sz_lab_expand(&l->run->run, step->solution);
	l->solved[l->step] = true;
	emit_phase(l, SZ_PHASE_SOLUTION, rec->command);
	outcome_base(l, &o);
	if (sz_lab_exec_session(&l->run->run, rec->command, step->timeout_ns, &c) < 0) {
		sz_captured_release(&c);
		return after_signal(l) < 0 ? -1 : 0;
	}
	o.ran = c.ran;
	o.status = c.status;
	o.out = c.out;
	o.out_len = c.out_len;
	rec->ran = c.ran;
	rec->status = c.ran ? c.status : -1;
	if (c.error != NULL)
		rec->reason = sz_asprintf(_("the solution failed: %s"), c.error);
	rec->output = c.out;
	c.out = NULL;
	sz_captured_release(&c);
	return evaluate(l, &o);
}
