/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_human.c - lab runs for people: the verdict of each lab and step, what failed and why, a summary */
#include <string.h>

#include "common/i18n.h"
#include "common/wrap.h"
#include "labs/report.h"

static const char *verdict_word(enum sz_verdict v)
{
	switch (v) {
	/* TRANSLATORS: verdicts of `stanza lab verify`, in a column at the start of each line. */
	case SZ_VERDICT_PASS: return _("PASS");
	case SZ_VERDICT_FAIL: return _("FAIL");
	case SZ_VERDICT_SKIP: return _("SKIP");
	}
	return "?";
}

/* The verdict, padded to the widest of the three words. */
static void print_verdict(FILE *out, enum sz_verdict v)
{
	size_t width = 0, w = sz_display_width(verdict_word(v));

	for (int i = SZ_VERDICT_PASS; i <= SZ_VERDICT_SKIP; i++)
		if (sz_display_width(verdict_word((enum sz_verdict)i)) > width)
			width = sz_display_width(verdict_word((enum sz_verdict)i));
	fputs(verdict_word(v), out);
	for (; w < width; w++)
		fputc(' ', out);
}

/* A check by its label, the check as written under it when verbose. */
static void print_checks(FILE *out, const struct sz_report *r, const char *heading,
                         const struct sz_check_records *checks)
{
	if (checks->n == 0)
		return;
	fprintf(out, "        %s\n", heading);
	for (size_t i = 0; i < checks->n; i++) {
		const struct sz_check_record *c = &checks->items[i];
		const char *label = c->label;

		fprintf(out, "          %s %s", c->pass ? "✓" : "✗", label != NULL ? label : c->text);
		if (c->detail != NULL)
			fprintf(out, " — %s", c->detail);
		fputc('\n', out);
		if (r->verbose && label != NULL)
			fprintf(out, "            %s\n", c->text);
	}
}

static void print_failed_step(FILE *out, const struct sz_report *r, const struct sz_step_record *s)
{
	fprintf(out, "      %s: %s\n", s->step->id, s->reason != NULL ? s->reason : "");
	if (s->command != NULL)
		fprintf(out, "        $ %s\n", s->command);
	print_checks(out, r, _("before the solution:"), &s->before);
	print_checks(out, r, _("checks:"), &s->checks);
}

/* The human summary line: "3 labs: 2 passed, 1 failed, 0 skipped (12.3 s)". */
static void sz_report_summary(const struct sz_report *r, FILE *out)
{
	struct sz_report_counts c = sz_report_count_labs(r);

	/* TRANSLATORS: the summary of `stanza lab verify`, as in "12 labs: 10 passed, 1 failed,
	 * 1 skipped (18.2 s)". Every count is of labs; the plural follows the first one. */
	fprintf(out,
	        Q_("%zu lab: %zu passed, %zu failed, %zu skipped (%.1f s)\n",
	           "%zu labs: %zu passed, %zu failed, %zu skipped (%.1f s)\n", r->n),
	        r->n, c.pass, c.fail, c.skip, (double)r->ns / 1e9);
}

void sz_report_human(const struct sz_report *r, FILE *out)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct sz_lab_record *lab = &r->labs[i];

		bool steps_say_why = false;

		for (size_t j = 0; j < lab->n_steps; j++)
			steps_say_why |= lab->steps[j].verdict == SZ_VERDICT_FAIL;
		print_verdict(out, lab->verdict);
		fprintf(out, "  %s", lab->lab->name);
		if (lab->verdict == SZ_VERDICT_SKIP || (lab->verdict == SZ_VERDICT_FAIL && !steps_say_why))
			fprintf(out, ": %s\n", lab->reason != NULL ? lab->reason : "");
		else
			fprintf(out, "  (%.2f s)\n", (double)lab->ns / 1e9);
		for (size_t j = 0; j < lab->n_steps; j++)
			if (lab->steps[j].verdict == SZ_VERDICT_FAIL)
				print_failed_step(out, r, &lab->steps[j]);
	}
	sz_report_summary(r, out);
}
