/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_step.c - one step: a demo's command and expectations, a task's checks before and after its solution
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/engine_internal.h"

static void emit_phase(struct sz_lab_run *run, enum sz_lab_phase phase, const char *command)
{
	const struct sz_lab_events *ev = run->e->events;

	run->phase = phase;
	if (ev != NULL && ev->phase != NULL)
		ev->phase(ev->ctx, run->step, phase, command);
}

static int run_command(struct sz_lab_run *run, enum sz_lab_where where, const char *command,
                       uint64_t timeout_ns, struct sz_captured *c)
{
	switch (where) {
	case SZ_WHERE_CONTAINER: return sz_lab_exec_container(run, command, timeout_ns, c);
	case SZ_WHERE_HOST: return sz_lab_exec_host(run, command, timeout_ns, c);
	case SZ_WHERE_SESSION: break;
	}
	return sz_lab_exec_session(run, command, timeout_ns, c);
}

/* The oom_kill counter now, so that `oom-killed` sees the kills of this step only. */
static void outcome_init(struct sz_lab_run *run, struct sz_outcome *o)
{
	sz_error_t err = NULL;

	memset(o, 0, sizeof(*o));
	o->has_oom_base = run->env.ops->counter(run->env.ctx, SZ_COUNTER_OOM_KILL, &o->oom_base, &err) == 0;
	sz_error_release(&err);
}

static void outcome_set(struct sz_outcome *o, const struct sz_captured *c)
{
	o->ran = c->ran;
	o->status = c->status;
	o->out = c->out;
	o->out_len = c->out_len;
	o->err = c->err;
	o->err_len = c->err_len;
	o->oom_killed = c->oom_killed;
}

/* Keep what the command did in the record (the strings move). */
static void record_command(struct sz_step_record *rec, struct sz_captured *c)
{
	rec->ran = c->ran;
	rec->status = c->ran ? c->status : -1;
	rec->output = c->out;
	c->out = NULL;
	if (c->err != NULL && c->err_len > 0) {
		rec->errors = c->err;
		c->err = NULL;
	}
}

static void fail(struct sz_step_record *rec, char *reason)
{
	if (rec->verdict == SZ_VERDICT_FAIL) {
		free(reason);
		return;
	}
	rec->verdict = SZ_VERDICT_FAIL;
	rec->reason = reason;
}

/* Evaluate checks (until deadline_ns; 0: once) into out, telling the events. */
static int evaluate(struct sz_lab_run *run, const struct sz_check *checks, size_t n,
                    const struct sz_outcome *o, uint64_t deadline_ns, struct sz_check_records *out, bool *all)
{
	const struct sz_lab_events *ev = run->e->events;
	struct sz_check_result *res = sz_xcalloc(n + 1, sizeof(*res));
	int r = sz_checks_run(checks, n, o, &run->env, deadline_ns, res);

	out->items = sz_xcalloc(n + 1, sizeof(*out->items));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		out->items[i].text = sz_xstrdup(checks[i].text);
		out->items[i].index = i;
		out->items[i].pass = res[i].pass;
		out->items[i].detail = res[i].detail;
		if (ev != NULL && ev->check_done != NULL && r >= 0)
			ev->check_done(ev->ctx, run->step, run->phase, &out->items[i]);
	}
	free(res);
	*all = r == 1;
	if (r < 0)
		run->e->stop_signal = run->kernel.stop_signal;
	return r < 0 ? -1 : 0;
}

/* "exit: 137: the exit status was 0, not 137", for the step's reason. */
static char *first_failure(const struct sz_check_records *checks)
{
	for (size_t i = 0; i < checks->n; i++)
		if (!checks->items[i].pass)
			return sz_asprintf(_("check '%s' failed: %s"), checks->items[i].text,
			                   checks->items[i].detail != NULL ? checks->items[i].detail : "?");
	return sz_xstrdup(_("a check failed"));
}

/* ---- isolation --------------------------------------------------------- */

/* The start of text on one line, for a reason. */
static char *one_line(const char *text)
{
	size_t n = strlen(text) > 100 ? 100 : strlen(text);
	char *q = sz_asprintf("%.*s%s", (int)n, text, strlen(text) > n ? "..." : "");

	for (char *p = q; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return q;
}

/* Whether the demo's output expectations hold for what the host printed;
 * without any, whether the host printed the same as the container. */
static bool passes_on_host(const struct sz_lab_step *step, const struct sz_captured *host,
                           const struct sz_step_record *rec, char **why)
{
	struct sz_outcome o = {0};
	size_t n = 0;

	outcome_set(&o, host);
	for (size_t i = 0; i < step->n_expect; i++) {
		char *detail = NULL;
		if (!sz_check_reads_output(step->expect[i].kind))
			continue;
		n++;
		if (!sz_check_eval(&step->expect[i], &o, NULL, &detail)) {
			free(detail);
			return false;
		}
	}
	if (n > 0) {
		cleanup_free char *q = one_line(host->out);
		*why = sz_asprintf(
		    _("isolation not shown: the demo's expectations hold on the host too (there it "
		      "printed: '%s')"),
		    q);
		return true;
	}
	if (host->ran && rec->ran && host->status == rec->status && rec->output != NULL &&
	    strcmp(host->out, rec->output) == 0) {
		*why = sz_xstrdup(_("isolation not shown: the command prints the same on the host"));
		return true;
	}
	return false;
}

/* The checks on what command c did, recorded in rec, the first that does not
 * hold as its failure. Releases c. */
static int judge(struct sz_lab_run *run, const struct sz_check *checks, size_t n, const struct sz_outcome *o,
                 uint64_t deadline_ns, struct sz_captured *c, struct sz_step_record *rec)
{
	bool all;
	int r;

	emit_phase(run, SZ_PHASE_CHECKS, NULL);
	r = evaluate(run, checks, n, o, deadline_ns, &rec->checks, &all);
	record_command(rec, c);
	sz_captured_release(c);
	if (r < 0)
		return -1;
	if (!all)
		fail(rec, first_failure(&rec->checks));
	return 0;
}

static int check_isolation(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	struct sz_captured host;
	char *why = NULL;

	emit_phase(run, SZ_PHASE_HOST, rec->command);
	if (sz_lab_exec_host(run, rec->command, step->timeout_ns, &host) < 0) {
		sz_captured_release(&host);
		return -1;
	}
	rec->isolation_checked = true;
	if (passes_on_host(step, &host, rec, &why))
		fail(rec, why);
	rec->host_output = host.out;
	host.out = NULL;
	sz_captured_release(&host);
	return 0;
}

/* ---- demos and tasks --------------------------------------------------- */

static int play_demo(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	uint64_t t0 = sz_now_ns();
	struct sz_captured c;
	struct sz_outcome o;

	rec->command = sz_lab_expand(run, step->run);
	emit_phase(run, SZ_PHASE_RUN, rec->command);
	outcome_init(run, &o);
	if (run_command(run, step->where, rec->command, step->timeout_ns, &c) < 0) {
		sz_captured_release(&c);
		return -1;
	}
	outcome_set(&o, &c);
	if (c.error != NULL)
		fail(rec, sz_xstrdup(c.error));
	if (judge(run, step->expect, step->n_expect, &o, t0 + step->timeout_ns, &c, rec) < 0)
		return -1;
	if (run->e->mode == SZ_LAB_MODE_VERIFY && step->isolation && rec->verdict != SZ_VERDICT_FAIL)
		return check_isolation(run, step, rec);
	return 0;
}

/* verify: the checks must not hold before the solution, or they prove nothing. */
static int checks_before(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	struct sz_outcome o;
	bool all;

	emit_phase(run, SZ_PHASE_BEFORE, NULL);
	outcome_init(run, &o);
	if (evaluate(run, step->check, step->n_check, &o, 0, &rec->before, &all) < 0)
		return -1;
	if (all)
		fail(rec,
		     sz_xstrdup(_("the checks hold before the solution was applied: they prove nothing")));
	return 0;
}

static int play_task(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	struct sz_captured c;
	struct sz_outcome o;

	if (run->e->mode == SZ_LAB_MODE_VERIFY && checks_before(run, step, rec) < 0)
		return -1;
	rec->command = sz_lab_expand(run, step->solution);
	emit_phase(run, SZ_PHASE_SOLUTION, rec->command);
	outcome_init(run, &o);
	if (sz_lab_exec_session(run, rec->command, step->timeout_ns, &c) < 0) {
		sz_captured_release(&c);
		return -1;
	}
	outcome_set(&o, &c);
	if (c.error != NULL)
		fail(rec, sz_asprintf(_("the solution failed: %s"), c.error));
	return judge(run, step->check, step->n_check, &o, sz_now_ns() + step->timeout_ns, &c, rec);
}

int sz_lab_play_step(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec)
{
	uint64_t t0 = sz_now_ns();
	int r;

	run->step = step;
	rec->step = step;
	rec->status = -1;
	rec->verdict = SZ_VERDICT_PASS;
	r = step->kind == SZ_LAB_DEMO ? play_demo(run, step, rec) : play_task(run, step, rec);
	rec->ns = sz_now_ns() - t0;
	if (r < 0) {
		free(rec->reason);
		rec->verdict = SZ_VERDICT_FAIL;
		rec->reason = sz_asprintf(_("interrupted by SIG%s"), sigabbrev_np(run->e->stop_signal));
	}
	return r;
}
