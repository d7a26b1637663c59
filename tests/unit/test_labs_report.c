/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_labs_report.c - unit tests for the reporters: TAP, JUnit and JSON written for a fake run, then parsed
 * back */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/util.h"
#include "labs/report.h"

/* ---- a fake run -------------------------------------------------------- */

/* A reason with everything that needs escaping somewhere. */
#define NASTY "expected <lab> & \"box\" 'ok' # not a directive\nsecond line"

struct fake_run {
	struct sz_lab labs[4];
	struct sz_lab_step steps[4][2];
	struct sz_report report;
};

static void fake_lab(struct fake_run *f, int i, const char *chapter, const char *id, size_t n_steps)
{
	struct sz_lab *lab = &f->labs[i];

	lab->id = (char *)id;
	lab->chapter = (char *)chapter;
	lab->name = sz_asprintf("%s/%s", chapter, id);
	lab->steps = f->steps[i];
	lab->n_steps = n_steps;
	for (size_t j = 0; j < n_steps; j++) {
		f->steps[i][j].id = sz_asprintf("step-%zu", j + 1);
		f->steps[i][j].kind = j == 1 ? SZ_LAB_TASK : SZ_LAB_DEMO;
	}
}

static void add_checks(struct sz_check_records *r, bool second_passes)
{
	r->n = 2;
	r->items = sz_xcalloc(2, sizeof(*r->items));
	r->items[0] = (struct sz_check_record){.text = sz_xstrdup("exit: 0"), .index = 0, .pass = true};
	r->items[1] = (struct sz_check_record){
	    .text = sz_xstrdup("stdout: ^<a&b>$"),
	    .index = 1,
	    .label = "the tag & \"it\" were printed",
	    .pass = second_passes,
	    .detail = second_passes ? NULL : sz_xstrdup("it said \"no\" & left"),
	};
}

static void add_steps(struct sz_lab_record *rec, const enum sz_verdict *verdicts)
{
	rec->n_steps = rec->lab->n_steps;
	rec->steps = sz_xcalloc(rec->n_steps, sizeof(*rec->steps));
	for (size_t j = 0; j < rec->n_steps; j++) {
		struct sz_step_record *s = &rec->steps[j];

		s->step = &rec->lab->steps[j];
		s->verdict = verdicts[j];
		s->ns = 310000000;
		s->ran = true;
		s->command = sz_xstrdup("echo hi");
		s->output = sz_xstrdup("hi\n");
		add_checks(&s->checks, s->verdict == SZ_VERDICT_PASS);
		if (s->verdict == SZ_VERDICT_FAIL)
			s->reason = sz_xstrdup(NASTY);
	}
}

/*
 * alpha/one:   step-1 pass, step-2 fail
 * alpha/two:   skipped (no steps played)
 * beta/three:  failed before any step (its container did not start)
 * beta/four:   step-1 pass, step-2 pass
 */
static void fake_run_init(struct fake_run *f)
{
	static const enum sz_verdict one[] = {SZ_VERDICT_PASS, SZ_VERDICT_FAIL};
	static const enum sz_verdict four[] = {SZ_VERDICT_PASS, SZ_VERDICT_PASS};
	struct sz_lab_record *r;

	memset(f, 0, sizeof(*f));
	fake_lab(f, 0, "alpha", "one", 2);
	fake_lab(f, 1, "alpha", "two", 2);
	fake_lab(f, 2, "beta", "three", 1);
	fake_lab(f, 3, "beta", "four", 2);
	r = sz_report_add(&f->report, &f->labs[0]);
	r->verdict = SZ_VERDICT_FAIL;
	r->reason = sz_xstrdup("step 'step-2': " NASTY);
	add_steps(r, one);
	r = sz_report_add(&f->report, &f->labs[1]);
	r->verdict = SZ_VERDICT_SKIP;
	r->reason = sz_xstrdup("needs cgroup-memory: no <memory> controller # here");
	r = sz_report_add(&f->report, &f->labs[2]);
	r->verdict = SZ_VERDICT_FAIL;
	r->reason = sz_xstrdup("cannot start the lab's container: no image");
	r = sz_report_add(&f->report, &f->labs[3]);
	r->verdict = SZ_VERDICT_PASS;
	r->ns = 1500000000;
	add_steps(r, four);
	f->report.ns = 18234000000ull;
}

static void fake_run_release(struct fake_run *f)
{
	sz_report_release(&f->report);
	for (int i = 0; i < 4; i++) {
		free(f->labs[i].name);
		for (int j = 0; j < 2; j++)
			free(f->steps[i][j].id);
	}
}

static char *render(const struct sz_report *r, void (*fn)(const struct sz_report *, FILE *))
{
	char *buf = NULL, *copy;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(r, f);
	fclose(f);
	copy = sz_xstrdup(buf);
	free(buf);
	return copy;
}

/* ---- TAP, parsed back --------------------------------------------------- */

struct tap {
	size_t plan, ok, not_ok, skip, points;
	char skip_reason[256];
	char descs[8][128];
};

/* A description up to an unescaped '#', with "\#" and "\\" unescaped. */
static const char *tap_desc(const char *p, char *out, size_t size)
{
	size_t n = 0;

	for (; *p != '\0' && *p != '#'; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		if (n + 1 < size)
			out[n++] = *p;
	}
	while (n > 0 && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return p;
}

static void tap_point(struct tap *t, const char *line, bool ok)
{
	char *end;
	unsigned long n = strtoul(line, &end, 10);
	const char *rest;

	assert_int_equal(n, ++t->points);
	assert_true(strncmp(end, " - ", 3) == 0);
	rest = tap_desc(end + 3, t->descs[t->points < 8 ? t->points : 0], sizeof(t->descs[0]));
	ok ? t->ok++ : t->not_ok++;
	if (strncmp(rest, "# SKIP ", 7) == 0) {
		t->skip++;
		tap_desc(rest + 7, t->skip_reason, sizeof(t->skip_reason));
	}
}

static void parse_tap(char *text, struct tap *t)
{
	bool in_yaml = false;
	char *save = NULL;
	char *line = strtok_r(text, "\n", &save);

	memset(t, 0, sizeof(*t));
	assert_string_equal(line, "TAP version 13");
	line = strtok_r(NULL, "\n", &save);
	assert_int_equal(sscanf(line, "1..%zu", &t->plan), 1);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		if (in_yaml) {
			in_yaml = strcmp(line, "  ...") != 0;
			assert_true(strncmp(line, "  ", 2) == 0); /* the block stays indented */
		} else if (strcmp(line, "  ---") == 0) {
			in_yaml = true;
		} else if (strncmp(line, "not ok ", 7) == 0) {
			tap_point(t, line + 7, false);
		} else if (strncmp(line, "ok ", 3) == 0) {
			tap_point(t, line + 3, true);
		} else {
			fail_msg("not a TAP line: '%s'", line);
		}
	}
	assert_false(in_yaml);
}

static void test_tap(void **state)
{
	struct fake_run f;
	struct tap t;
	char *text;

	fake_run_init(&f);
	text = render(&f.report, sz_report_tap);
	parse_tap(text, &t);
	assert_int_equal(t.plan, 6);
	assert_int_equal(t.points, 6);
	assert_int_equal(t.ok, 4);
	assert_int_equal(t.not_ok, 2);
	assert_int_equal(t.skip, 1);
	assert_string_equal(t.skip_reason, "needs cgroup-memory: no <memory> controller # here");
	assert_string_equal(t.descs[1], "alpha/one step-1");
	assert_string_equal(t.descs[2], "alpha/one step-2");
	assert_string_equal(t.descs[3], "alpha/two");
	assert_string_equal(t.descs[4], "beta/three");
	free(text);
	text = render(&f.report, sz_report_tap);
	assert_non_null(strstr(
	    text, "  message: \"expected <lab> & \\\"box\\\" 'ok' # not a directive\\nsecond line\"\n"));

	/* the check as written, and its label when it has one */
	assert_non_null(strstr(
	    text, "    - check: \"stdout: ^<a&b>$\"\n      label: \"the tag & \\\"it\\\" were printed\"\n"
	          "      status: fail\n"));
	assert_non_null(strstr(text, "    - check: \"exit: 0\"\n      status: pass\n"));
	free(text);
	fake_run_release(&f);
}

static void test_tap_empty(void **state)
{
	struct sz_report r = {0};
	char *text = render(&r, sz_report_tap);

	assert_string_equal(text, "TAP version 13\n1..0\n");
	free(text);
}

/* ---- JUnit, parsed back ------------------------------------------------- */

/* "&lt;" and friends back to characters, in place. */
static void xml_unescape(char *s)
{
	static const struct {
		const char *ent, *ch;
	} ents[] = {{"&lt;", "<"},   {"&gt;", ">"},   {"&amp;", "&"}, {"&quot;", "\""},
	            {"&apos;", "'"}, {"&#10;", "\n"}, {"&#9;", "\t"}};
	char *w = s;

	for (char *r = s; *r != '\0';) {
		size_t i, n = sizeof(ents) / sizeof(ents[0]);

		for (i = 0; i < n && strncmp(r, ents[i].ent, strlen(ents[i].ent)) != 0; i++)
			;
		assert_true(*r != '&' || i < n); /* no stray '&' */
		assert_true(*r != '<');
		if (i < n) {
			*w++ = ents[i].ch[0];
			r += strlen(ents[i].ent);
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The value of attribute name in tag text (up to '>'), unescaped; NULL when absent. */
static char *xml_attr(const char *tag, const char *name)
{
	size_t n = strlen(name);
	const char *end = strchr(tag, '>');

	for (const char *p = tag; p < end; p++) {
		if (p[-1] == ' ' && strncmp(p, name, n) == 0 && p[n] == '=' && p[n + 1] == '"') {
			const char *q = strchr(p + n + 2, '"');
			char *v = sz_asprintf("%.*s", (int)(q - (p + n + 2)), p + n + 2);
			xml_unescape(v);
			return v;
		}
	}
	return NULL;
}

static size_t attr_num(const char *tag, const char *name)
{
	char *v = xml_attr(tag, name);
	size_t n;

	assert_non_null(v);
	n = strtoul(v, NULL, 10);
	free(v);
	return n;
}

struct suite {
	size_t tests, failures, skipped;            /* as the attributes say */
	size_t cases, failure_elems, skipped_elems; /* as counted */
	char name[32];
};

/* Walk the tags: <testsuites>, then each <testsuite> and what it holds. */
static size_t parse_junit(const char *text, struct suite *suites, size_t max, char **first_failure)
{
	size_t n = 0;

	for (const char *p = strchr(text, '<'); p != NULL; p = strchr(p + 1, '<')) {
		struct suite *s = n > 0 ? &suites[n - 1] : NULL;

		if (strncmp(p, "<testsuite ", 11) == 0) {
			char *name = xml_attr(p, "name");
			assert_true(n < max);
			s = &suites[n++];
			memset(s, 0, sizeof(*s));
			snprintf(s->name, sizeof(s->name), "%s", name);
			free(name);
			s->tests = attr_num(p, "tests");
			s->failures = attr_num(p, "failures");
			s->skipped = attr_num(p, "skipped");
		} else if (strncmp(p, "<testcase ", 10) == 0) {
			s->cases++;
		} else if (strncmp(p, "<failure ", 9) == 0) {
			s->failure_elems++;
			if (*first_failure == NULL)
				*first_failure = xml_attr(p, "message");
		} else if (strncmp(p, "<skipped ", 9) == 0) {
			s->skipped_elems++;
		}
	}
	return n;
}

static void test_junit(void **state)
{
	struct fake_run f;
	struct suite suites[4];
	char *text, *failure = NULL, *all;
	size_t n;

	fake_run_init(&f);
	text = render(&f.report, sz_report_junit);
	assert_true(strncmp(text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites ", 51) == 0);
	all = strstr(text, "<testsuites ");
	assert_int_equal(attr_num(all, "tests"), 6);
	assert_int_equal(attr_num(all, "failures"), 2);
	assert_int_equal(attr_num(all, "skipped"), 1);
	assert_non_null(strstr(all, "time=\"18.234\""));
	n = parse_junit(text, suites, 4, &failure);
	assert_int_equal(n, 2);
	assert_string_equal(suites[0].name, "alpha");
	assert_string_equal(suites[1].name, "beta");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(suites[i].tests, suites[i].cases);
		assert_int_equal(suites[i].failures, suites[i].failure_elems);
		assert_int_equal(suites[i].skipped, suites[i].skipped_elems);
	}
	assert_int_equal(suites[0].cases, 3);
	assert_int_equal(suites[0].failures, 1);
	assert_int_equal(suites[0].skipped, 1);
	assert_int_equal(suites[1].cases, 3);
	assert_int_equal(suites[1].failures, 1);
	assert_string_equal(failure, NASTY); /* escaped, and back */
	assert_non_null(strstr(text, "classname=\"alpha.one\" name=\"step-2\" time=\"0.310\""));
	assert_null(strstr(text, "\"box\"")); /* never a raw quote inside an attribute */
	assert_non_null(
	    strstr(text, "FAIL: stdout: ^&lt;a&amp;b&gt;$ (the tag &amp; &quot;it&quot; were printed) -- "));
	free(failure);
	free(text);
	fake_run_release(&f);
}

static void test_junit_bad_bytes(void **state)
{
	struct fake_run f;
	char *text;

	fake_run_init(&f);
	free(f.report.labs[1].reason);
	f.report.labs[1].reason = sz_xstrdup("bell\a and \xff byte");
	text = render(&f.report, sz_report_junit);
	assert_non_null(strstr(text, "message=\"bell\xef\xbf\xbd and \xef\xbf\xbd byte\""));
	free(text);
	fake_run_release(&f);
}

/* ---- JSON, validated ---------------------------------------------------- */

/* jansson reads it back strictly: one value, nothing after it, every lab there. */
static void test_json(void **state)
{
	struct fake_run f;
	json_error_t e;
	json_t *back;
	char *text;

	fake_run_init(&f);
	text = render(&f.report, sz_report_json);
	back = json_loads(text, JSON_REJECT_DUPLICATES, &e);
	if (back == NULL)
		fail_msg("not JSON at %d:%d: %s\n%s", e.line, e.column, e.text, text);
	assert_int_equal(json_array_size(json_object_get(back, "labs")), f.report.n);
	json_decref(back);
	assert_non_null(
	    strstr(text, "\"summary\": {\"pass\": 1, \"fail\": 2, \"skip\": 1, \"seconds\": 18.234}"));
	assert_non_null(strstr(
	    text, "{\"id\": \"beta/four\", \"chapter\": \"beta\", \"status\": \"pass\", \"reason\": null, "
	          "\"seconds\": 1.5, \"steps\": ["));
	assert_non_null(strstr(
	    text, "{\"check\": \"exit: 0\", \"label\": null, \"status\": \"pass\", \"detail\": null}"));
	assert_non_null(
	    strstr(text, "{\"check\": \"stdout: ^<a&b>$\", \"label\": \"the tag & \\\"it\\\" were printed\", "
	                 "\"status\": \"fail\""));
	assert_non_null(strstr(text,
	                       "\"kind\": \"task\", \"status\": \"fail\", \"reason\": \"expected <lab> & "
	                       "\\\"box\\\" 'ok' # not a directive\\nsecond line\""));
	free(text);
	fake_run_release(&f);
}

static void test_human(void **state)
{
	struct fake_run f;
	char *text;

	fake_run_init(&f);
	text = render(&f.report, sz_report_human);
	assert_non_null(strstr(text, "FAIL  alpha/one  (0.00 s)\n      step-2: expected <lab>"));
	assert_non_null(strstr(text, "SKIP  alpha/two: needs cgroup-memory"));
	assert_non_null(strstr(text, "FAIL  beta/three: cannot start the lab's container: no image\n"));
	/* by its label; the check as written only when verbose */
	assert_non_null(strstr(text, "✓ exit: 0\n"));
	assert_non_null(strstr(text, "✗ the tag & \"it\" were printed — it said \"no\" & left\n"));
	assert_null(strstr(text, "^<a&b>$"));
	free(text);
	f.report.verbose = true;
	text = render(&f.report, sz_report_human);
	assert_non_null(strstr(text, "✗ the tag & \"it\" were printed — it said \"no\" & left\n"
	                             "            stdout: ^<a&b>$\n"));
	assert_non_null(strstr(text, "4 labs: 1 passed, 2 failed, 1 skipped (18.2 s)\n"));
	free(text);
	fake_run_release(&f);
}

static void test_format_seconds(void **state)
{
	char buf[32];

	assert_string_equal(sz_format_seconds(0, buf), "0.000");
	assert_string_equal(sz_format_seconds(310000000, buf), "0.310");
	assert_string_equal(sz_format_seconds(1999999999, buf), "2.000");
	assert_string_equal(sz_format_seconds(61234500000ull, buf), "61.235");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tap),
	    cmocka_unit_test(test_tap_empty),
	    cmocka_unit_test(test_junit),
	    cmocka_unit_test(test_junit_bad_bytes),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_human),
	    cmocka_unit_test(test_format_seconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
