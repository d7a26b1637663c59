/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_junit.c - lab runs as JUnit XML: a testsuite per chapter, a testcase per step */
#include <string.h>

#include "labs/report.h"

/* Text for an attribute or element: markup escaped, characters XML 1.0
 * forbids (most control characters) and bytes that are not UTF-8 become
 * U+FFFD. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;

	if (s[0] < 0x80)
		return 1;
	n = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
	    : (s[0] & 0xf0) == 0xe0        ? 3
	    : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
	                                   : 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void write_escaped(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");

	while (*p != '\0') {
		size_t n = utf8_len(p);

		if (n == 0 || (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f) {
			fputs("\xef\xbf\xbd", out);
			p++;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		case '\n': fputs("&#10;", out); break;
		case '\t': fputs("&#9;", out); break;
		default: fwrite(p, 1, n, out);
		}
		p += n;
	}
}

struct suite_counts {
	size_t tests, failures, skipped;
	uint64_t ns;
};

static struct suite_counts count_chapter(const struct sz_report *r, const char *chapter)
{
	struct suite_counts c = {0};

	for (size_t i = 0; i < r->n; i++) {
		const struct sz_lab_record *lab = &r->labs[i];

		if (strcmp(lab->lab->chapter, chapter) != 0)
			continue;
		c.ns += lab->ns;
		if (lab->verdict == SZ_VERDICT_SKIP || lab->n_steps == 0) {
			c.tests++;
			c.failures += lab->verdict == SZ_VERDICT_FAIL;
			c.skipped += lab->verdict == SZ_VERDICT_SKIP;
			continue;
		}
		for (size_t j = 0; j < lab->n_steps; j++) {
			c.tests++;
			c.failures += lab->steps[j].verdict == SZ_VERDICT_FAIL;
			c.skipped += lab->steps[j].verdict == SZ_VERDICT_SKIP;
		}
	}
	return c;
}

static void write_check_lines(FILE *out, const char *what, const struct sz_check_records *checks)
{
	for (size_t i = 0; i < checks->n; i++) {
		fprintf(out, "%s%s: ", what, checks->items[i].pass ? "pass" : "FAIL");
		write_escaped(out, checks->items[i].text);
		if (checks->items[i].label != NULL) {
			fputs(" (", out);
			write_escaped(out, checks->items[i].label);
			fputc(')', out);
		}
		if (checks->items[i].detail != NULL) {
			fputs(" -- ", out);
			write_escaped(out, checks->items[i].detail);
		}
		fputs("\n", out);
	}
}

/* A testcase: classname "chapter.lab", name the step's id (or the lab's). */
static void write_case(FILE *out, const struct sz_lab_record *lab, const char *name, enum sz_verdict v,
                       const char *reason, uint64_t ns, const struct sz_step_record *step)
{
	char t[32];

	fputs("    <testcase classname=\"", out);
	write_escaped(out, lab->lab->chapter);
	fputc('.', out);
	write_escaped(out, lab->lab->id);
	fputs("\" name=\"", out);
	write_escaped(out, name);
	fprintf(out, "\" time=\"%s\"", sz_format_seconds(ns, t));
	if (v == SZ_VERDICT_PASS) {
		fputs("/>\n", out);
		return;
	}
	fprintf(out, ">\n      <%s message=\"", v == SZ_VERDICT_SKIP ? "skipped" : "failure");
	write_escaped(out, reason);
	if (v == SZ_VERDICT_SKIP || step == NULL) {
		fputs(v == SZ_VERDICT_SKIP ? "\"/>\n" : "\"></failure>\n", out);
	} else {
		fputs("\">", out);
		write_check_lines(out, "before the solution, ", &step->before);
		write_check_lines(out, "", &step->checks);
		fputs("</failure>\n", out);
	}
	fputs("    </testcase>\n", out);
}

static void write_suite(FILE *out, const struct sz_report *r, const char *chapter)
{
	struct suite_counts c = count_chapter(r, chapter);
	char t[32];

	fputs("  <testsuite name=\"", out);
	write_escaped(out, chapter);
	fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%s\">\n", c.tests,
	        c.failures, c.skipped, sz_format_seconds(c.ns, t));
	for (size_t i = 0; i < r->n; i++) {
		const struct sz_lab_record *lab = &r->labs[i];

		if (strcmp(lab->lab->chapter, chapter) != 0)
			continue;
		if (lab->verdict == SZ_VERDICT_SKIP || lab->n_steps == 0) {
			write_case(out, lab, lab->lab->id, lab->verdict, lab->reason, lab->ns, NULL);
			continue;
		}
		for (size_t j = 0; j < lab->n_steps; j++) {
			const struct sz_step_record *s = &lab->steps[j];
			write_case(out, lab, s->step->id, s->verdict, s->reason, s->ns, s);
		}
	}
	fputs("  </testsuite>\n", out);
}

/* Whether chapter came before index i (so its suite is written already). */
static bool seen_before(const struct sz_report *r, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (strcmp(r->labs[j].lab->chapter, r->labs[i].lab->chapter) == 0)
			return true;
	return false;
}

void sz_report_junit(const struct sz_report *r, FILE *out)
{
	struct suite_counts all = {0};
	char t[32];

	for (size_t i = 0; i < r->n; i++) {
		if (seen_before(r, i))
			continue;
		struct suite_counts c = count_chapter(r, r->labs[i].lab->chapter);
		all.tests += c.tests;
		all.failures += c.failures;
		all.skipped += c.skipped;
	}
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out,
	        "<testsuites name=\"stanza lab verify\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
	        "skipped=\"%zu\" "
	        "time=\"%s\">\n",
	        all.tests, all.failures, all.skipped, sz_format_seconds(r->ns, t));
	for (size_t i = 0; i < r->n; i++)
		if (!seen_before(r, i))
			write_suite(out, r, r->labs[i].lab->chapter);
	fputs("</testsuites>\n", out);
}
