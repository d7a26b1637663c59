/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_lab_host.c - unit tests for labs/lab_host.c: the front ends' one door loads the labs and reports their
 * problems */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "course/course.h"
#include "labs/lab_host.h"

#define CONTENT_DIR FIXTURES_DIR "/labs/content"
#define UNKNOWN_DIR FIXTURES_DIR "/labs/unknown-chapter"

static void load_course(const char *dir, struct sz_course *course)
{
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(dir, "en", course, &d, &err), 0);
	sz_diags_release(&d);
}

/* Good labs: loaded, and nothing known of the host until it is probed. */
static void test_open(void **state)
{
	struct sz_course course;
	struct sz_lab_host *h = NULL;
	struct sz_lab_host_options o = {.content_dir = CONTENT_DIR, .course = &course, .command = "stanza"};
	struct sz_live_lab_options lo;
	sz_error_t err = NULL;
	const struct sz_labs *labs;

	load_course(CONTENT_DIR, &course);
	assert_int_equal(sz_lab_host_open(&h, &o, &err), 0);
	assert_null(err);
	labs = sz_lab_host_labs(h);
	assert_int_equal(labs->n, 2);
	assert_string_equal(labs->items[0].name, "alpha/tiny");
	assert_null(sz_lab_host_skip_reason(h, &labs->items[0]));
	sz_lab_host_live_options(h, &lo);
	assert_null(lo.probe);
	assert_null(lo.paths);
	sz_lab_host_free(h);
	sz_course_release(&course);
}

/* Broken labs: each problem printed where asked, one error that counts
 * them and says where to look, and the labs that loaded kept. */
static void test_problems(void **state)
{
	struct sz_course course;
	struct sz_lab_host *h = NULL;
	struct sz_lab_host_options o = {.content_dir = UNKNOWN_DIR, .course = &course, .command = "stanza"};
	sz_error_t err = NULL;
	cleanup_free char *printed = NULL;
	size_t len = 0;
	FILE *f;

	load_course(UNKNOWN_DIR, &course);
	f = o.diags = open_memstream(&printed, &len);
	assert_int_equal(sz_lab_host_open(&h, &o, &err), -1);
	fclose(f);
	assert_string_equal(sz_error_msg(err), "the labs have 3 problems (see above)");
	assert_non_null(strstr(printed, "unknown step kind 'dmo'"));
	assert_non_null(strstr(printed, "the course has no chapter 'zeta'"));
	assert_int_equal(sz_lab_host_labs(h)->n, 1);
	sz_error_release(&err);
	sz_lab_host_free(h);

	/* Nowhere to print them: the error says where they are listed. */
	h = NULL;
	o.diags = NULL;
	assert_int_equal(sz_lab_host_open(&h, &o, &err), -1);
	assert_string_equal(sz_error_msg(err), "the labs have 3 problems (see 'stanza lessons check')");
	sz_error_release(&err);
	sz_lab_host_free(h);
	sz_course_release(&course);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_open),
	    cmocka_unit_test(test_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
