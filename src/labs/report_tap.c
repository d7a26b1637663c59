/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_tap.c - lab runs as TAP version 13: one test point per step, YAML diagnostics for failures */
#include <string.h>

#include "labs/report.h"
#include "common/json.h"

/* A test point's description or directive on one line: newlines become
 * spaces, and '#' (which would start a directive) and '\' are escaped. */
static void write_line(FILE *out, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\t')
			fputc(' ', out);
		else if (*s == '#' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else
			fputc(*s, out);
	}
}

/* A lab that never got to its steps counts as one point. */
static bool lab_is_one_point(const struct sz_lab_record *lab)
{
	return lab->verdict == SZ_VERDICT_SKIP || lab->n_steps == 0;
}

static size_t count_points(const struct sz_report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += lab_is_one_point(&r->labs[i]) ? 1 : r->labs[i].n_steps;
	return n;
}

static void write_checks(FILE *out, const char *key, const struct sz_check_records *checks)
{
	if (checks->n == 0)
		return;
	fprintf(out, "  %s:\n", key);
	for (size_t i = 0; i < checks->n; i++) {
		fputs("    - check: ", out);
		sz_json_print_string(out, checks->items[i].text);
		fputc('\n', out);
		if (checks->items[i].label != NULL) {
			fputs("      label: ", out);
			sz_json_print_string(out, checks->items[i].label);
			fputc('\n', out);
		}
		fprintf(out, "      status: %s\n", checks->items[i].pass ? "pass" : "fail");
		if (checks->items[i].detail != NULL) {
			fputs("      detail: ", out);
			sz_json_print_string(out, checks->items[i].detail);
			fputc('\n', out);
		}
	}
}

/* The YAML block under a failed point: JSON strings are YAML too. */
static void write_diagnostics(FILE *out, const struct sz_step_record *s)
{
	fputs("  ---\n  message: ", out);
	sz_json_print_string(out, s->reason);
	fputc('\n', out);
	if (s->command != NULL) {
		fputs("  command: ", out);
		sz_json_print_string(out, s->command);
		fputc('\n', out);
	}
	if (s->ran)
		fprintf(out, "  status: %d\n", s->status);
	if (s->output != NULL) {
		fputs("  output: ", out);
		sz_json_print_string(out, s->output);
		fputc('\n', out);
	}
	write_checks(out, "before", &s->before);
	write_checks(out, "checks", &s->checks);
	fputs("  ...\n", out);
}

static void write_lab_point(FILE *out, size_t n, const struct sz_lab_record *lab)
{
	fprintf(out, "%s %zu - ", lab->verdict == SZ_VERDICT_FAIL ? "not ok" : "ok", n);
	write_line(out, lab->lab->name);
	if (lab->verdict == SZ_VERDICT_SKIP) {
		fputs(" # SKIP ", out);
		write_line(out, lab->reason);
	}
	fputc('\n', out);
	if (lab->verdict == SZ_VERDICT_FAIL) {
		fputs("  ---\n  message: ", out);
		sz_json_print_string(out, lab->reason);
		fputs("\n  ...\n", out);
	}
}

static void write_step_point(FILE *out, size_t n, const struct sz_lab_record *lab,
                             const struct sz_step_record *s)
{
	fprintf(out, "%s %zu - ", s->verdict == SZ_VERDICT_FAIL ? "not ok" : "ok", n);
	write_line(out, lab->lab->name);
	fputc(' ', out);
	write_line(out, s->step->id);
	if (s->verdict == SZ_VERDICT_SKIP) {
		fputs(" # SKIP ", out);
		write_line(out, s->reason);
	}
	fputc('\n', out);
	if (s->verdict == SZ_VERDICT_FAIL)
		write_diagnostics(out, s);
}

void sz_report_tap(const struct sz_report *r, FILE *out)
{
	size_t n = 0;

	fprintf(out, "TAP version 13\n1..%zu\n", count_points(r));
	for (size_t i = 0; i < r->n; i++) {
		const struct sz_lab_record *lab = &r->labs[i];

		if (lab_is_one_point(lab)) {
			write_lab_point(out, ++n, lab);
			continue;
		}
		for (size_t j = 0; j < lab->n_steps; j++)
			write_step_point(out, ++n, lab, &lab->steps[j]);
	}
}
