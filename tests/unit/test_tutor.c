/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tutor.c - unit tests for course/tutor.c: opening where the learner left off, moving, languages,
 * answers, the glossary, saving */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "course/tutor.h"

#define CONTENT FIXTURES_DIR "/content-cli"

/* A fresh XDG_STATE_HOME per test, removed afterwards. */
struct tmp {
	char dir[64];
	char *state; /* <dir>/stanza: the progress store's default directory */
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/stanza-test-tutor.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	setenv("XDG_STATE_HOME", t->dir, 1);
	t->state = sz_asprintf("%s/stanza", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "chmod -R u+rwx '%s'; rm -rf '%s'", t->dir, t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t->state);
	free(t);
	return 0;
}

static void write_progress(const struct tmp *t, const char *text)
{
	char *path = sz_asprintf("%s/progress", t->state);
	sz_error_t err = NULL;

	if (sz_mkdir_p(t->state, 0700, &err) < 0 || sz_write_file(path, text, strlen(text), 0600, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
	free(path);
}

static char *read_progress(const struct tmp *t)
{
	char *path = sz_asprintf("%s/progress", t->state), *data = NULL;
	sz_error_t err = NULL;

	if (sz_read_file(path, &data, NULL, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
	free(path);
	return data;
}

/* Open the fixture course in lang with the default progress directory. */
static void open_tutor(struct sz_tutor *tu, const char *lang, char **notice)
{
	sz_error_t err = NULL;

	if (sz_tutor_open(tu, CONTENT, lang, NULL, notice, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
}

static void test_open_fresh(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;
	char *notice = (char *)"unset";

	open_tutor(&tu, NULL, &notice);
	assert_null(notice);
	assert_string_equal(tu.lang, "en");
	assert_int_equal(tu.n_langs, 2);
	assert_string_equal(tu.langs[0], "en");
	assert_string_equal(tu.langs[1], "it");
	assert_true(tu.progress_writable);
	assert_string_equal(sz_tutor_chapter(&tu)->id, "alpha");
	assert_string_equal(sz_tutor_section(&tu)->id, "start");
	assert_string_equal(tu.progress.dir, t->state);
	sz_tutor_release(&tu);
}

static void test_resume_where_left(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;

	write_progress(t, "stanza-progress 1\nlang it\nwhere alpha wide\n");
	open_tutor(&tu, NULL, NULL);
	assert_string_equal(tu.lang, "it");
	assert_string_equal(tu.course.lang, "it");
	assert_int_equal(tu.chapter, 0);
	assert_int_equal(tu.section, 1);
	assert_string_equal(sz_tutor_section(&tu)->id, "wide");
	sz_tutor_release(&tu);

	/* An explicit language wins over the one last used. */
	open_tutor(&tu, "en", NULL);
	assert_string_equal(tu.lang, "en");
	assert_string_equal(sz_tutor_section(&tu)->id, "wide");
	sz_tutor_release(&tu);
}

static void test_resume_gone_place(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;

	write_progress(t, "stanza-progress 1\nwhere gamma intro\n");
	open_tutor(&tu, NULL, NULL);
	assert_int_equal(tu.chapter, 0);
	assert_int_equal(tu.section, 0);
	sz_tutor_release(&tu);

	/* A section that is gone: the chapter's first. */
	write_progress(t, "stanza-progress 1\nwhere beta nowhere\n");
	open_tutor(&tu, NULL, NULL);
	assert_int_equal(tu.chapter, 1);
	assert_int_equal(tu.section, 0);
	sz_tutor_release(&tu);
}

static void test_unknown_language(void **state)
{
	struct sz_tutor tu;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(sz_tutor_open(&tu, CONTENT, "fr", NULL, NULL, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "'fr'"));
	sz_error_release(&err);

	assert_int_equal(sz_tutor_open(&tu, "/nonexistent-stanza", NULL, NULL, NULL, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "/nonexistent-stanza/lessons"));
	sz_error_release(&err);
}

static void test_broken_course(void **state)
{
	struct tmp *t = *state;
	char *lessons = sz_asprintf("%s/content/lessons/en", t->dir);
	char *content = sz_asprintf("%s/content", t->dir);
	char *file = sz_asprintf("%s/01-bad.yaml", lessons);
	const char *yaml = "id: bad\ntitle: 3\nnope: x\n";
	struct sz_tutor tu;
	sz_error_t err = NULL;

	assert_int_equal(sz_mkdir_p(lessons, 0755, &err), 0);
	assert_int_equal(sz_write_file(file, yaml, strlen(yaml), 0644, &err), 0);
	assert_int_equal(sz_tutor_open(&tu, content, NULL, NULL, NULL, &err), -1);
	/* Every problem is located in the message. */
	assert_non_null(strstr(sz_error_msg(err), "01-bad.yaml:3:1"));
	assert_non_null(strstr(sz_error_msg(err), "problem"));
	sz_error_release(&err);
	free(lessons);
	free(content);
	free(file);
}

static void test_next_prev(void **state)
{
	struct sz_tutor tu;

	(void)state;
	open_tutor(&tu, NULL, NULL);
	assert_false(sz_tutor_prev(&tu));
	assert_true(sz_tutor_next(&tu));
	assert_string_equal(sz_tutor_section(&tu)->id, "wide");
	assert_false(sz_tutor_chapter_read(&tu, 0));
	/* Leaving alpha's last section marks it read. */
	assert_true(sz_tutor_next(&tu));
	assert_true(sz_tutor_chapter_read(&tu, 0));
	assert_string_equal(sz_tutor_chapter(&tu)->id, "beta");
	assert_string_equal(sz_tutor_section(&tu)->id, "only");
	/* The very end: nothing moves, but the last chapter is read. */
	assert_false(sz_tutor_next(&tu));
	assert_int_equal(tu.chapter, 1);
	assert_true(sz_tutor_chapter_read(&tu, 1));
	/* Back into the previous chapter's last section. */
	assert_true(sz_tutor_prev(&tu));
	assert_int_equal(tu.chapter, 0);
	assert_int_equal(tu.section, 1);
	assert_true(sz_tutor_prev(&tu));
	assert_int_equal(tu.section, 0);
	assert_false(sz_tutor_prev(&tu));
	assert_false(sz_tutor_chapter_read(&tu, 7));
	sz_tutor_release(&tu);
}

static void test_goto(void **state)
{
	struct sz_tutor tu;
	sz_error_t err = NULL;

	(void)state;
	open_tutor(&tu, NULL, NULL);
	assert_int_equal(sz_tutor_goto(&tu, "beta", &err), 0);
	assert_int_equal(tu.chapter, 1);
	assert_int_equal(sz_tutor_goto(&tu, "1", &err), 0);
	assert_int_equal(tu.chapter, 0);
	assert_int_equal(sz_tutor_goto(&tu, "gamma", &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "'gamma'"));
	sz_error_release(&err);
	assert_int_equal(tu.chapter, 0);

	sz_tutor_goto_index(&tu, 99, 99);
	assert_int_equal(tu.chapter, 1);
	assert_int_equal(tu.section, 0);
	sz_tutor_goto_index(&tu, 0, 99);
	assert_int_equal(tu.section, 1);
	assert_string_equal(tu.progress.where_chapter, "alpha");
	assert_string_equal(tu.progress.where_section, "wide");
	sz_tutor_release(&tu);
}

static void test_set_lang(void **state)
{
	struct sz_tutor tu;
	sz_error_t err = NULL;

	(void)state;
	open_tutor(&tu, "en", NULL);
	sz_tutor_goto_index(&tu, 0, 1);
	assert_int_equal(sz_tutor_set_lang(&tu, "it", &err), 0);
	assert_string_equal(tu.lang, "it");
	assert_string_equal(tu.course.lang, "it");
	assert_string_equal(tu.progress.lang, "it");
	assert_string_equal(getenv("LANGUAGE"), "it");
	assert_int_equal(tu.chapter, 0);
	assert_string_equal(sz_tutor_section(&tu)->id, "wide");

	/* A language the course lacks changes nothing. */
	assert_int_equal(sz_tutor_set_lang(&tu, "de", &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "'de'"));
	sz_error_release(&err);
	assert_string_equal(tu.lang, "it");
	assert_string_equal(tu.course.lang, "it");
	assert_int_equal(tu.section, 1);
	assert_int_equal(sz_tutor_set_lang(&tu, "en", &err), 0);
	sz_tutor_release(&tu);
}

static void test_answer(void **state)
{
	struct sz_tutor tu;

	(void)state;
	open_tutor(&tu, NULL, NULL);
	sz_tutor_goto_index(&tu, 1, 0);
	assert_int_equal(sz_tutor_answer(&tu, 0, 1), 0);
	assert_int_equal(sz_progress_answer(&tu.progress, "beta/one"), 1);
	assert_false(sz_progress_is_done(&tu.progress, SZ_PROGRESS_QUIZ, "beta/one"));
	assert_int_equal(sz_tutor_answer(&tu, 0, 0), 1);
	assert_int_equal(sz_progress_answer(&tu.progress, "beta/one"), 0);
	assert_true(sz_progress_is_done(&tu.progress, SZ_PROGRESS_QUIZ, "beta/one"));
	assert_int_equal(sz_tutor_answer(&tu, 2, 0), -1);
	assert_int_equal(sz_tutor_answer(&tu, 1, 2), -1);
	sz_tutor_release(&tu);
}

static void test_glossary(void **state)
{
	struct sz_tutor tu;
	const struct sz_term **found = NULL;

	(void)state;
	open_tutor(&tu, NULL, NULL);
	assert_int_equal(sz_tutor_glossary(&tu, NULL, &found), 2);
	assert_string_equal(found[0]->id, "fixture");
	assert_string_equal(found[1]->id, "beta-term");
	free(found);
	assert_int_equal(sz_tutor_glossary(&tu, "", &found), 2);
	free(found);
	/* Terms and definitions, ASCII letters folded. */
	assert_int_equal(sz_tutor_glossary(&tu, "GREEK", &found), 1);
	assert_string_equal(found[0]->id, "beta-term");
	free(found);
	assert_int_equal(sz_tutor_glossary(&tu, "FiXt", &found), 1);
	assert_string_equal(found[0]->id, "fixture");
	free(found);
	assert_int_equal(sz_tutor_glossary(&tu, "zebra", &found), 0);
	assert_null(found);
	sz_tutor_release(&tu);
}

static void test_save_and_reopen(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;
	sz_error_t err = NULL;
	char *text;

	open_tutor(&tu, "it", NULL);
	sz_tutor_next(&tu);
	sz_tutor_next(&tu);
	sz_tutor_mark_step(&tu, "alpha/try", "one");
	sz_tutor_mark_step(&tu, "alpha/try", "Not An Id");
	sz_tutor_mark_lab(&tu, "alpha/try");
	assert_int_equal(sz_tutor_save(&tu, &err), 0);
	sz_tutor_release(&tu);

	text = read_progress(t);
	assert_non_null(strstr(text, "lang it\n"));
	assert_non_null(strstr(text, "where beta only\n"));
	assert_non_null(strstr(text, "done chapter alpha\n"));
	assert_non_null(strstr(text, "done step alpha/try/one\n"));
	assert_non_null(strstr(text, "done lab alpha/try\n"));
	assert_null(strstr(text, "Not An Id"));
	free(text);

	open_tutor(&tu, NULL, NULL);
	assert_string_equal(tu.lang, "it");
	assert_int_equal(tu.chapter, 1);
	assert_true(sz_tutor_chapter_read(&tu, 0));
	sz_tutor_release(&tu);
}

static void test_damaged_progress(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;
	char *notice = NULL;

	write_progress(t, "this is not a progress file\n");
	open_tutor(&tu, NULL, &notice);
	assert_non_null(notice);
	assert_non_null(strstr(notice, "progress.damaged-"));
	assert_true(tu.progress_writable);
	free(notice);
	sz_tutor_release(&tu);
}

static void test_unreadable_progress(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;
	char *notice = NULL, *path = sz_asprintf("%s/progress", t->state);
	sz_error_t err = NULL;
	struct stat st;

	/* A directory where the file should be cannot be read, even by root. */
	assert_int_equal(sz_mkdir_p(path, 0700, &err), 0);
	open_tutor(&tu, NULL, &notice);
	assert_non_null(notice);
	assert_non_null(strstr(notice, path));
	assert_non_null(strstr(notice, "will not be saved"));
	assert_false(tu.progress_writable);
	sz_tutor_next(&tu);
	assert_int_equal(sz_tutor_save(&tu, &err), 0);
	sz_tutor_release(&tu);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	free(notice);
	free(path);
}

static void test_state_file_and_version(void **state)
{
	struct tmp *t = *state;
	struct sz_tutor tu;
	sz_error_t err = NULL;
	char *path, *text;

	write_progress(t, "stanza-progress 1\ncourse 0.0.1\ndone chapter alpha\ndone chapter gone\n"
	                  "done quiz beta/one\ndone quiz beta/gone\n");
	open_tutor(&tu, NULL, NULL);
	path = sz_tutor_state_file(&tu, "history");
	assert_non_null(path);
	assert_true(strncmp(path, t->state, strlen(t->state)) == 0);
	assert_string_equal(path + strlen(t->state), "/history");
	free(path);

	assert_int_equal(sz_tutor_follow_version(&tu, "9.9.9", &err), 2);
	assert_int_equal(sz_tutor_follow_version(&tu, "9.9.9", &err), 0);
	sz_tutor_release(&tu);
	text = read_progress(t);
	assert_non_null(strstr(text, "course 9.9.9\n"));
	assert_non_null(strstr(text, "done chapter alpha\n"));
	assert_null(strstr(text, "gone"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_open_fresh, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_resume_where_left, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_resume_gone_place, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_language, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_broken_course, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_next_prev, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_goto, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_set_lang, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_answer, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_glossary, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_save_and_reopen, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_progress, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable_progress, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_state_file_and_version, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
