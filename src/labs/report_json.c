/* report_json.c - lab runs as one JSON object, in the shape docs/lab-format.md documents */
#include "labs/report.h"
#include "config.h"
#include "runtime/probe.h"

static void write_checks(FILE *out, const char *key, const struct sz_check_records *checks)
{
	fprintf(out, ", \"%s\": [", key);
	for (size_t i = 0; i < checks->n; i++) {
		fputs(i > 0 ? ", {\"check\": " : "{\"check\": ", out);
		sz_json_write_string(out, checks->items[i].text);
		fprintf(out, ", \"status\": \"%s\", \"detail\": ", checks->items[i].pass ? "pass" : "fail");
		sz_json_write_string(out, checks->items[i].detail);
		fputc('}', out);
	}
	fputc(']', out);
}

static void write_step(FILE *out, const struct sz_step_record *s)
{
	char t[32];

	fputs("{\"id\": ", out);
	sz_json_write_string(out, s->step->id);
	fprintf(out, ", \"kind\": \"%s\", \"status\": \"%s\", \"reason\": ",
	        s->step->kind == SZ_LAB_TASK ? "task" : "demo", sz_verdict_name(s->verdict));
	sz_json_write_string(out, s->reason);
	fprintf(out, ", \"seconds\": %s", sz_format_seconds(s->ns, t));
	if (s->step->kind == SZ_LAB_TASK && s->before.n > 0)
		write_checks(out, "before", &s->before);
	write_checks(out, "checks", &s->checks);
	fputc('}', out);
}

static void write_lab(FILE *out, const struct sz_lab_record *lab)
{
	char t[32];

	fputs("    {\"id\": ", out);
	sz_json_write_string(out, lab->lab->name);
	fputs(", \"chapter\": ", out);
	sz_json_write_string(out, lab->lab->chapter);
	fprintf(out, ", \"status\": \"%s\", \"reason\": ", sz_verdict_name(lab->verdict));
	sz_json_write_string(out, lab->reason);
	fprintf(out, ", \"seconds\": %s, \"steps\": [", sz_format_seconds(lab->ns, t));
	for (size_t i = 0; i < lab->n_steps; i++) {
		fputs(i > 0 ? ",\n      " : "\n      ", out);
		write_step(out, &lab->steps[i]);
	}
	fputs(lab->n_steps > 0 ? "\n    ]}" : "]}", out);
}

void sz_report_json(const struct sz_report *r, FILE *out)
{
	struct sz_report_counts c = sz_report_count_labs(r);
	char t[32];

	fputs("{\n  \"stanza\": ", out);
	sz_json_write_string(out, STANZA_VERSION);
	fputs(",\n  \"labs\": [", out);
	for (size_t i = 0; i < r->n; i++) {
		fputs(i > 0 ? ",\n" : "\n", out);
		write_lab(out, &r->labs[i]);
	}
	fputs(r->n > 0 ? "\n  ],\n" : "],\n", out);
	fprintf(out, "  \"summary\": {\"pass\": %zu, \"fail\": %zu, \"skip\": %zu, \"seconds\": %s}\n}\n",
	        c.pass, c.fail, c.skip, sz_format_seconds(r->ns, t));
}
