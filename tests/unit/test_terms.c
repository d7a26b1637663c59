/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_terms.c - unit tests for the course's one vocabulary: i18n/terms.yaml and the check of the lessons */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "course/course.h"
#include "course/terms.h"

#define TERMS_DIR FIXTURES_DIR "/lessons/terms"
#define WORDS     TERMS_DIR "/lessons/it/01-words.yaml"

static void dump_diags(const struct sz_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  %s:%u:%u: %s\n", d->items[i].file, d->items[i].line, d->items[i].col,
		              d->items[i].message);
}

/* The i-th problem is at line:col and its message contains want. */
static void assert_problem(const struct sz_diags *d, size_t i, unsigned line, unsigned col, const char *want)
{
	if (i >= d->n || d->items[i].line != line || d->items[i].col != col ||
	    strstr(d->items[i].message, want) == NULL) {
		dump_diags(d);
		fail_msg("problem %zu: want %u:%u '%s'", i, line, col, want);
	}
}

static size_t check_file(const struct sz_terms *t, const char *lang, const char *path, struct sz_diags *d)
{
	char *data = NULL;
	sz_error_t err = NULL;
	size_t len, n;

	assert_int_equal(sz_read_file(path, &data, &len, &err), 0);
	n = sz_terms_check_buffer(t, lang, path, data, len, d);
	free(data);
	return n;
}

static void test_load_content(void **state)
{
	struct sz_diags d = {0};
	struct sz_terms t;

	(void)state;
	assert_int_equal(sz_terms_load_content(TERMS_DIR, &t, &d), 0);
	assert_int_equal(d.n, 0);
	/* One rule per avoided form: en lists none here. */
	assert_int_equal(t.n, 3);
	assert_string_equal(t.rules[0].concept, "user-namespace");
	assert_string_equal(t.rules[0].lang, "it");
	assert_string_equal(t.rules[0].use, "user namespace");
	assert_string_equal(t.rules[0].avoid, "namespace utente");
	sz_terms_release(&t);
	assert_null(t.rules);
}

/* A content without i18n/terms.yaml has an empty vocabulary. */
static void test_load_content_absent(void **state)
{
	struct sz_diags d = {0};
	struct sz_terms t;

	(void)state;
	assert_int_equal(sz_terms_load_content(FIXTURES_DIR "/lessons/good", &t, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(t.n, 0);
	sz_terms_release(&t);
}

/* Every avoided form outside code is found where it is written, across a
 * line break and in any case; ids, code blocks, code spans and longer words
 * are left alone. */
static void test_check_finds_avoided_forms(void **state)
{
	struct sz_diags d = {0};
	struct sz_terms t;

	(void)state;
	assert_int_equal(sz_terms_load_content(TERMS_DIR, &t, &d), 0);
	assert_int_equal(check_file(&t, "it", WORDS, &d), 6);
	assert_int_equal(d.n, 6);
	assert_problem(&d, 0, 3, 14, "'namespace utente' is not the course's word: write 'user namespace'");
	assert_problem(&d, 1, 10, 50, "'namespace utente'");
	assert_problem(&d, 2, 14, 28, "'genitore' is not the course's word: write 'padre' (parent-process");
	assert_problem(&d, 3, 14, 47, "'genitore'");
	assert_problem(&d, 4, 18, 25, "'genitore'");
	assert_problem(&d, 5, 35, 23, "'lab' is not the course's word: write 'laboratorio'");
	assert_string_equal(d.items[0].file, WORDS);
	assert_string_equal(d.items[0].source_line, "summary: \"Il namespace utente nel sommario.\"");
	sz_diags_release(&d);
	sz_terms_release(&t);
}

/* The same file passes in a language whose rules do not apply to it, and
 * with the word only inside a code span. */
static void test_check_passes(void **state)
{
	static const char text[] =
	    "id: x\ntitle: \"Il `namespace utente`\"\nsummary: \"Il `lab` e il laboratorio\"\n";
	struct sz_diags d = {0};
	struct sz_terms t;

	(void)state;
	assert_int_equal(sz_terms_load_content(TERMS_DIR, &t, &d), 0);
	assert_int_equal(check_file(&t, "en", WORDS, &d), 0);
	assert_int_equal(sz_terms_check_buffer(&t, "it", "inline.yaml", text, sizeof(text) - 1, &d), 0);
	if (d.n != 0) {
		dump_diags(&d);
		fail_msg("problems in text that keeps to the vocabulary");
	}
	sz_terms_release(&t);
}

struct bad_case {
	const char *text;
	unsigned line, col;
	const char *message;
};

static const struct bad_case bad_cases[] = {
    {"terms:\n  - concept: a\n    it: {use: x, avoid: [y], also: z}\n", 3, 30,
     "unknown key 'also' (expected one of: use, avoid)"},
    {"terms:\n  - concept: a\n    it: {use: x, avoid: [X]}\n", 3, 26,
     "'X' is both the form to use and one to avoid"},
    {"terms:\n  - concept: a\n    it: {avoid: [y]}\n", 3, 9, "missing required key 'use'"},
    {"terms:\n  - concept: a\n    it: {use: x, avoid: [\"two  spaces\"]}\n", 3, 26, "single spaces"},
    {"terms:\n  - concept: a\n    english: {use: x}\n", 3, 5, "unknown key 'english'"},
    {"terms:\n  - concept: A b\n", 2, 14, "invalid concept 'A b'"},
    {"words: []\n", 1, 1, "the one key 'terms'"},
};

static void test_bad_vocabulary(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct sz_diags d = {0};
		struct sz_terms t;

		assert_int_equal(sz_terms_load_buffer("terms.yaml", c->text, strlen(c->text), &t, &d), -1);
		assert_int_equal(t.n, 0);
		assert_null(t.rules);
		assert_problem(&d, 0, c->line, c->col, c->message);
		sz_diags_release(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_content),
	    cmocka_unit_test(test_load_content_absent),
	    cmocka_unit_test(test_check_finds_avoided_forms),
	    cmocka_unit_test(test_check_passes),
	    cmocka_unit_test(test_bad_vocabulary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
