/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.c - lab run records: verdict names, counting, releasing */
#include "labs/report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

const char *sz_verdict_name(enum sz_verdict v)
{
	switch (v) {
	case SZ_VERDICT_PASS: return "pass";
	case SZ_VERDICT_FAIL: return "fail";
	case SZ_VERDICT_SKIP: return "skip";
	}
	return "?";
}

void sz_check_records_release(struct sz_check_records *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->items[i].text);
		free(r->items[i].detail);
	}
	free(r->items);
	r->items = NULL;
	r->n = 0;
}

void sz_step_record_release(struct sz_step_record *r)
{
	free(r->reason);
	free(r->command);
	free(r->output);
	free(r->errors);
	free(r->host_output);
	sz_check_records_release(&r->before);
	sz_check_records_release(&r->checks);
	memset(r, 0, sizeof(*r));
}

static void sz_lab_record_release(struct sz_lab_record *r)
{
	for (size_t i = 0; i < r->n_steps; i++)
		sz_step_record_release(&r->steps[i]);
	free(r->steps);
	free(r->reason);
	memset(r, 0, sizeof(*r));
}

void sz_report_release(struct sz_report *r)
{
	for (size_t i = 0; i < r->n; i++)
		sz_lab_record_release(&r->labs[i]);
	free(r->labs);
	r->labs = NULL;
	r->n = 0;
}

static void label_checks(struct sz_check_records *checks, const struct sz_course *course,
                         const struct sz_lab *lab, const struct sz_lab_step *step)
{
	for (size_t i = 0; i < checks->n; i++)
		checks->items[i].label = sz_lab_check_label(course, lab, step, checks->items[i].index);
}

void sz_report_label(struct sz_report *r, const struct sz_course *course)
{
	for (size_t i = 0; i < r->n; i++) {
		struct sz_lab_record *lab = &r->labs[i];

		for (size_t j = 0; j < lab->n_steps; j++) {
			label_checks(&lab->steps[j].before, course, lab->lab, lab->steps[j].step);
			label_checks(&lab->steps[j].checks, course, lab->lab, lab->steps[j].step);
		}
	}
}

struct sz_lab_record *sz_report_add(struct sz_report *r, const struct sz_lab *lab)
{
	struct sz_lab_record *rec;

	r->labs = sz_xrealloc(r->labs, (r->n + 1) * sizeof(*r->labs));
	rec = &r->labs[r->n++];
	memset(rec, 0, sizeof(*rec));
	rec->lab = lab;
	return rec;
}

struct sz_report_counts sz_report_count_labs(const struct sz_report *r)
{
	struct sz_report_counts c = {0};

	for (size_t i = 0; i < r->n; i++) {
		switch (r->labs[i].verdict) {
		case SZ_VERDICT_PASS: c.pass++; break;
		case SZ_VERDICT_FAIL: c.fail++; break;
		case SZ_VERDICT_SKIP: c.skip++; break;
		}
	}
	return c;
}

const char *sz_format_seconds(uint64_t ns, char *buf)
{
	uint64_t ms = (ns + 500000) / 1000000;

	snprintf(buf, 32, "%" PRIu64 ".%03" PRIu64, ms / 1000, ms % 1000);
	return buf;
}
