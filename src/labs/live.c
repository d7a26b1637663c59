/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live.c - a lab told as it plays, on a plain stream; and the one-line progress meter */
#include "labs/live.h"

#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"

/* ---- the lab told as it plays ------------------------------------------ */

void sz_live_init(struct sz_live *l, FILE *out, const struct sz_course *course, size_t width)
{
	memset(l, 0, sizeof(*l));
	l->out = out;
	l->course = course;
	l->width = width < 20 ? 20 : width;
	l->line_start = true;
}

static const struct sz_step_text *step_text(const struct sz_live *l, const char *id)
{
	for (size_t i = 0; l->texts != NULL && i < l->texts->n_steps; i++)
		if (strcmp(l->texts->steps[i].id, id) == 0)
			return &l->texts->steps[i];
	return NULL;
}

static void missing(const struct sz_live *l)
{
	/* TRANSLATORS: shown where a lab's text is missing from the lesson files in this language. */
	fprintf(l->out, "  %s\n", _("[this text is missing in this language]"));
}

static void lab_started(void *ctx, const struct sz_lab *lab)
{
	struct sz_live *l = ctx;
	const struct sz_chapter *ch = l->course != NULL ? sz_course_find(l->course, lab->chapter) : NULL;

	l->lab = lab;
	l->texts = ch != NULL ? sz_chapter_find_lab(ch, lab->id) : NULL;
	fprintf(l->out, "%s — %s\n\n", lab->name, l->texts != NULL ? l->texts->title : "");
	if (l->texts != NULL)
		sz_wrap_print(l->out, l->texts->intro, l->width, "  ", "  ");
	else
		missing(l);
}

static void step_started(void *ctx, const struct sz_lab *lab, size_t index)
{
	struct sz_live *l = ctx;
	const struct sz_lab_step *step = &lab->steps[index];
	const struct sz_step_text *t = step_text(l, step->id);

	/* TRANSLATORS: a step's heading: "Step 2 of 5: demo", "Step 3 of 5: task". */
	fprintf(l->out, _("\nStep %zu of %zu: %s\n"), index + 1, lab->n_steps,
	        step->kind == SZ_LAB_TASK ? _("task") : _("demo"));
	if (t != NULL)
		sz_wrap_print(l->out, t->text, l->width, "  ", "  ");
	else
		missing(l);
}

static const char *where_label(enum sz_lab_where where)
{
	switch (where) {
	case SZ_WHERE_SESSION: return _("in the lab's shell:");
	case SZ_WHERE_CONTAINER: return _("in a new process in the container:");
	case SZ_WHERE_HOST: return _("on the host, to compare:");
	}
	return "";
}

/* Each line of command after a prompt sign. */
static void print_command(FILE *out, const char *command)
{
	const char *p = command;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		fprintf(out, "  $ %.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void phase(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase ph, const char *command)
{
	struct sz_live *l = ctx;

	if (!l->line_start)
		fputc('\n', l->out);
	l->line_start = true;
	if (ph == SZ_PHASE_CHECKS || ph == SZ_PHASE_BEFORE || command == NULL)
		return;
	fputc('\n', l->out);
	if (ph == SZ_PHASE_SOLUTION)
		fprintf(l->out, "  %s\n", _("Reference solution, typed into the lab's shell:"));
	else if (ph == SZ_PHASE_HOST)
		fprintf(l->out, "  %s\n", where_label(SZ_WHERE_HOST));
	else
		fprintf(l->out, "  %s\n", where_label(step->where));
	print_command(l->out, command);
}

/* Output indented under its command, as it comes. */
static void output(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase ph, int fd, const char *data,
                   size_t len)
{
	struct sz_live *l = ctx;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\r')
			continue;
		if (l->line_start)
			fputs("  ", l->out);
		fputc(data[i], l->out);
		l->line_start = data[i] == '\n';
	}
	fflush(l->out);
}

static void check_done(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase ph,
                       const struct sz_check_record *c)
{
	struct sz_live *l = ctx;

	const char *label = sz_lab_check_label(l->course, l->lab, step, c->index);

	fprintf(l->out, "  %s %s", c->pass ? "✓" : "✗", label != NULL ? label : c->text);
	if (c->detail != NULL)
		fprintf(l->out, " — %s", c->detail);
	fputc('\n', l->out);
	if (l->verbose && label != NULL)
		fprintf(l->out, "    %s\n", c->text);
}

char *sz_live_reason(const struct sz_live *l, const struct sz_lab *lab, const struct sz_step_record *rec)
{
	for (size_t i = 0; !l->verbose && i < rec->checks.n; i++) {
		const struct sz_check_record *c = &rec->checks.items[i];
		const char *label = c->pass ? NULL : sz_lab_check_label(l->course, lab, rec->step, c->index);

		if (label != NULL)
			return sz_asprintf(_("check '%s' failed: %s"), label,
			                   c->detail != NULL ? c->detail : "?");
	}
	return sz_xstrdup(rec->reason != NULL ? rec->reason : "");
}

static void step_done(void *ctx, const struct sz_lab *lab, const struct sz_step_record *rec)
{
	struct sz_live *l = ctx;
	const struct sz_step_text *t = step_text(l, rec->step->id);

	if (rec->verdict == SZ_VERDICT_FAIL) {
		cleanup_free char *reason = sz_live_reason(l, lab, rec);

		fprintf(l->out, "  %s %s\n", _("This step failed:"), reason);
	} else if (t != NULL && t->explain != NULL)
		sz_wrap_print(l->out, t->explain, l->width, "  → ", "    ");
	fflush(l->out);
}

void sz_live_events(struct sz_live *l, struct sz_lab_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ctx = l;
	ev->lab_started = lab_started;
	ev->step_started = step_started;
	ev->phase = phase;
	ev->output = output;
	ev->check_done = check_done;
	ev->step_done = step_done;
}

/* ---- the meter --------------------------------------------------------- */

void sz_meter_init(struct sz_meter *m, FILE *out, size_t total)
{
	memset(m, 0, sizeof(*m));
	m->out = out;
	m->total = total;
}

void sz_meter_clear(struct sz_meter *m)
{
	fputs("\r\033[K", m->out);
	fflush(m->out);
}

static void meter_show(struct sz_meter *m, const char *step)
{
	int digits = snprintf(NULL, 0, "%zu", m->total);

	fprintf(m->out, "\r\033[K[%*zu/%zu] %s%s%s", digits, m->done + 1, m->total, m->lab->name,
	        step != NULL ? ": " : "", step != NULL ? step : "");
	fflush(m->out);
}

static void meter_lab(void *ctx, const struct sz_lab *lab)
{
	struct sz_meter *m = ctx;

	m->lab = lab;
	meter_show(m, NULL);
}

static void meter_step(void *ctx, const struct sz_lab *lab, size_t index)
{
	meter_show(ctx, lab->steps[index].id);
}

static void meter_done(void *ctx, const struct sz_lab_record *rec)
{
	struct sz_meter *m = ctx;

	m->done++;
}

void sz_meter_events(struct sz_meter *m, struct sz_lab_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ctx = m;
	ev->lab_started = meter_lab;
	ev->step_started = meter_step;
	ev->lab_done = meter_done;
}
