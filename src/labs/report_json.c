/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report_json.c - lab runs as one JSON object, in the shape docs/lab-format.md documents */
#include "labs/report.h"

#include "common/json.h"
#include "config.h"

/* Seconds to the millisecond, as the other reporters round them. */
static json_t *seconds(uint64_t ns)
{
	uint64_t ms = (ns + 500000) / 1000000;

	return json_real((double)ms / 1000);
}

static json_t *checks_json(const struct sz_check_records *checks)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < checks->n; i++) {
		json_t *c = json_object();

		sz_json_set(c, "check", sz_json_string(checks->items[i].text));
		sz_json_set(c, "label", sz_json_string(checks->items[i].label));
		sz_json_set(c, "status", json_string(checks->items[i].pass ? "pass" : "fail"));
		sz_json_set(c, "detail", sz_json_string(checks->items[i].detail));
		sz_json_push(arr, c);
	}
	return arr;
}

static json_t *step_json(const struct sz_step_record *s)
{
	json_t *o = json_object();

	sz_json_set(o, "id", sz_json_string(s->step->id));
	sz_json_set(o, "kind", json_string(s->step->kind == SZ_LAB_TASK ? "task" : "demo"));
	sz_json_set(o, "status", json_string(sz_verdict_name(s->verdict)));
	sz_json_set(o, "reason", sz_json_string(s->reason));
	sz_json_set(o, "seconds", seconds(s->ns));
	if (s->step->kind == SZ_LAB_TASK && s->before.n > 0)
		sz_json_set(o, "before", checks_json(&s->before));
	sz_json_set(o, "checks", checks_json(&s->checks));
	return o;
}

static json_t *lab_json(const struct sz_lab_record *lab)
{
	json_t *o = json_object();
	json_t *steps = json_array();

	sz_json_set(o, "id", sz_json_string(lab->lab->name));
	sz_json_set(o, "chapter", sz_json_string(lab->lab->chapter));
	sz_json_set(o, "status", json_string(sz_verdict_name(lab->verdict)));
	sz_json_set(o, "reason", sz_json_string(lab->reason));
	sz_json_set(o, "seconds", seconds(lab->ns));
	for (size_t i = 0; i < lab->n_steps; i++)
		sz_json_push(steps, step_json(&lab->steps[i]));
	sz_json_set(o, "steps", steps);
	return o;
}

/* One lab to a line. */
void sz_report_json(const struct sz_report *r, FILE *out)
{
	struct sz_report_counts c = sz_report_count_labs(r);
	cleanup_json json_t *root = json_object();
	json_t *labs = json_array();
	json_t *summary = json_object();

	sz_json_set(root, "stanza", json_string(STANZA_VERSION));
	for (size_t i = 0; i < r->n; i++)
		sz_json_push(labs, lab_json(&r->labs[i]));
	sz_json_set(root, "labs", labs);
	sz_json_set(summary, "pass", json_integer((json_int_t)c.pass));
	sz_json_set(summary, "fail", json_integer((json_int_t)c.fail));
	sz_json_set(summary, "skip", json_integer((json_int_t)c.skip));
	sz_json_set(summary, "seconds", seconds(r->ns));
	sz_json_set(root, "summary", summary);
	sz_json_dumpf(root, out, (const char *const[]){"labs", NULL});
	fputc('\n', out);
}
