/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_progress.c - unit tests for course/progress.c: the file's round trip, damage, atomic saves, prune,
 * reset */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "course/course.h"
#include "course/progress.h"

/* A fresh state directory per test, removed afterwards. */
struct tmp {
	char dir[64];
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/stanza-test-progress.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
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
	free(t);
	return 0;
}

static void write_text(const char *dir, const char *name, const char *text)
{
	char *path = sz_asprintf("%s/%s", dir, name);
	sz_error_t err = NULL;

	if (sz_write_file(path, text, strlen(text), 0644, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
	free(path);
}

static char *read_text(const char *dir, const char *name)
{
	char *path = sz_asprintf("%s/%s", dir, name), *data = NULL;
	sz_error_t err = NULL;

	if (sz_read_file(path, &data, NULL, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
	free(path);
	return data;
}

/* The names in dir, sorted, joined by spaces. */
static char *listing(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	char *out = sz_xstrdup("");

	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			char *next = sz_asprintf("%s%s%s", out, *out ? " " : "", names[i]->d_name);
			free(out);
			out = next;
		}
		free(names[i]);
	}
	free(names);
	return out;
}

static void load_ok(struct sz_progress *p, const char *dir)
{
	char *notice = NULL;
	sz_error_t err = NULL;

	if (sz_progress_load(p, dir, &notice, &err) < 0)
		fail_msg("load: %s", sz_error_msg(err));
	if (notice != NULL)
		fail_msg("unexpected notice: %s", notice);
}

static void save_ok(const struct sz_progress *p)
{
	sz_error_t err = NULL;

	if (sz_progress_save(p, &err) < 0)
		fail_msg("save: %s", sz_error_msg(err));
}

static const char full_file[] = "stanza-progress 1\n"
                                "course 0.1.0\n"
                                "lang it\n"
                                "where cgroups limits\n"
                                "done chapter kernel\n"
                                "done quiz cgroups/exit-137\n"
                                "done lab cgroups/memory-kill\n"
                                "done step cgroups/memory-kill/eat\n"
                                "answer cgroups/exit-137 2\n";

static void test_round_trip(void **state)
{
	struct tmp *t = *state;
	struct sz_progress p, q;
	sz_error_t err = NULL;
	char *text;

	load_ok(&p, t->dir);
	assert_int_equal(p.n_entries, 0);
	sz_progress_set_course_version(&p, "0.1.0");
	sz_progress_set_lang(&p, "it");
	sz_progress_set_where(&p, "cgroups", "limits");
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "kernel", &err), 1);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_QUIZ, "cgroups/exit-137", &err), 1);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_LAB, "cgroups/memory-kill", &err), 1);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_STEP, "cgroups/memory-kill/eat", &err), 1);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "kernel", &err), 0);
	assert_int_equal(sz_progress_set_answer(&p, "cgroups/exit-137", 1, &err), 0);
	assert_int_equal(sz_progress_set_answer(&p, "cgroups/exit-137", 2, &err), 0);
	assert_null(err);
	save_ok(&p);

	text = read_text(t->dir, "progress");
	assert_string_equal(text, full_file);
	free(text);

	load_ok(&q, t->dir);
	assert_string_equal(q.course_version, "0.1.0");
	assert_string_equal(q.lang, "it");
	assert_string_equal(q.where_chapter, "cgroups");
	assert_string_equal(q.where_section, "limits");
	assert_true(sz_progress_is_done(&q, SZ_PROGRESS_CHAPTER, "kernel"));
	assert_false(sz_progress_is_done(&q, SZ_PROGRESS_CHAPTER, "cgroups"));
	assert_true(sz_progress_is_done(&q, SZ_PROGRESS_QUIZ, "cgroups/exit-137"));
	assert_false(sz_progress_is_done(&q, SZ_PROGRESS_LAB, "cgroups/exit-137"));
	assert_true(sz_progress_is_done(&q, SZ_PROGRESS_STEP, "cgroups/memory-kill/eat"));
	assert_int_equal(sz_progress_answer(&q, "cgroups/exit-137"), 2);
	assert_int_equal(sz_progress_answer(&q, "cgroups/other"), -1);
	assert_int_equal(sz_progress_count(&q, SZ_PROGRESS_STEP, "cgroups"), 1);
	assert_int_equal(sz_progress_count(&q, SZ_PROGRESS_STEP, "cgroup"), 0);
	assert_int_equal(sz_progress_count(&q, SZ_PROGRESS_QUIZ, NULL), 1);
	sz_progress_release(&p);
	sz_progress_release(&q);
}

static void test_tolerated(void **state)
{
	struct tmp *t = *state;
	struct sz_progress p;

	/* Blank lines, extra spaces, no final newline, repeats: all fine. */
	write_text(t->dir, "progress",
	           "stanza-progress 1\n\ndone  chapter   kernel\ndone chapter kernel\nanswer a/b 0");
	load_ok(&p, t->dir);
	assert_int_equal(p.n_entries, 2);
	assert_int_equal(sz_progress_answer(&p, "a/b"), 0);
	assert_null(p.course_version);
	sz_progress_release(&p);
}

static void test_rejects_bad_ids(void **state)
{
	struct sz_progress p;
	sz_error_t err = NULL;

	sz_progress_init(&p);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "cgroups/x", &err), -1);
	sz_error_release(&err);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_QUIZ, "cgroups", &err), -1);
	sz_error_release(&err);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_STEP, "a/b/c d", &err), -1);
	sz_error_release(&err);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "Cgroups", &err), -1);
	sz_error_release(&err);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_ANSWER, "a/b", &err), -1);
	sz_error_release(&err);
	assert_int_equal(sz_progress_set_answer(&p, "a/b", 100, &err), -1);
	sz_error_release(&err);
	assert_false(sz_progress_id_valid(SZ_PROGRESS_LAB, "a//b"));
	assert_false(sz_progress_id_valid(SZ_PROGRESS_LAB, "a/b/"));
	assert_false(sz_progress_id_valid(SZ_PROGRESS_CHAPTER, ""));
	assert_true(sz_progress_id_valid(SZ_PROGRESS_STEP, "a-1/b-2/c-3"));
	/* Header values that would break the file are not taken. */
	sz_progress_set_lang(&p, "it\ndone chapter x");
	assert_null(p.lang);
	sz_progress_set_where(&p, "a b", "c");
	assert_null(p.where_chapter);
	assert_int_equal(p.n_entries, 0);
	sz_progress_release(&p);
}

static void test_missing_is_empty(void **state)
{
	struct tmp *t = *state;
	char *dir = sz_asprintf("%s/not/yet", t->dir);
	struct sz_progress p;

	load_ok(&p, dir);
	assert_int_equal(p.n_entries, 0);
	assert_false(p.unread);
	/* Saving creates the directories, private to the learner. */
	save_ok(&p);
	{
		struct stat st;

		assert_int_equal(stat(dir, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		assert_int_equal(stat(p.path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	sz_progress_release(&p);
	free(dir);
}

/* Each damaged file is moved aside, with a notice naming both names. */
static void expect_moved_aside(struct tmp *t, const char *text)
{
	struct sz_progress p;
	char *notice = NULL, *names, *kept, *aside;
	sz_error_t err = NULL;

	write_text(t->dir, "progress", text);
	if (sz_progress_load(&p, t->dir, &notice, &err) < 0)
		fail_msg("load of %s: %s", text, sz_error_msg(err));
	if (notice == NULL)
		fail_msg("no notice for a damaged file: \"%s\"", text);
	assert_int_equal(p.n_entries, 0);
	assert_null(p.where_chapter);
	assert_false(p.unread);
	names = listing(t->dir);
	assert_true(sz_str_has_prefix(names, "progress.damaged-"));
	assert_null(strchr(names, ' ')); /* progress itself is gone */
	assert_non_null(strstr(notice, p.path));
	assert_non_null(strstr(notice, names));
	kept = read_text(t->dir, names);
	assert_string_equal(kept, text);
	aside = sz_asprintf("%s/%s", t->dir, names);
	assert_int_equal(unlink(aside), 0);
	free(aside);
	free(kept);
	free(names);
	free(notice);
	sz_progress_release(&p);
}

static void test_damaged_moved_aside(void **state)
{
	struct tmp *t = *state;
	static const char binary[] = "stanza-progress 1\n\0done chapter x\n";
	char *path = sz_asprintf("%s/progress", t->dir);
	struct sz_progress p;
	char *notice = NULL, *names;
	sz_error_t err = NULL;

	expect_moved_aside(t, "");
	expect_moved_aside(t, "garbage\n");
	expect_moved_aside(t, "stanza-progress 2\n");
	expect_moved_aside(t, "stanza-progress 1\ndone chapter kernel\nfrobnicate x\n");
	expect_moved_aside(t, "stanza-progress 1\ndone chapter Kernel\n");
	expect_moved_aside(t, "stanza-progress 1\ndone chapter a/b\n");
	expect_moved_aside(t, "stanza-progress 1\ndone thing a\n");
	expect_moved_aside(t, "stanza-progress 1\ndone chapter a extra\n");
	expect_moved_aside(t, "stanza-progress 1\nanswer a/b x\n");
	expect_moved_aside(t, "stanza-progress 1\nanswer a/b 100\n");
	expect_moved_aside(t, "stanza-progress 1\nwhere a\n");

	/* A NUL byte in the middle. */
	assert_int_equal(sz_write_file(path, binary, sizeof(binary) - 1, 0644, &err), 0);
	assert_int_equal(sz_progress_load(&p, t->dir, &notice, &err), 0);
	assert_non_null(notice);
	assert_int_equal(p.n_entries, 0);
	free(notice);
	sz_progress_release(&p);

	/* Two damaged files in the same second keep both. */
	write_text(t->dir, "progress", "garbage\n");
	assert_int_equal(sz_progress_load(&p, t->dir, &notice, &err), 0);
	free(notice);
	sz_progress_release(&p);
	names = listing(t->dir);
	assert_non_null(strchr(names, ' '));
	free(names);
	free(path);
}

static void test_save_is_atomic(void **state)
{
	struct tmp *t = *state;
	struct sz_progress p;
	sz_error_t err = NULL;
	char *names;

	write_text(t->dir, "progress", full_file);
	load_ok(&p, t->dir);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "cgroups", &err), 1);
	save_ok(&p);
	names = listing(t->dir);
	assert_string_equal(names, "progress"); /* no temporary file left */
	free(names);
	sz_progress_release(&p);
	load_ok(&p, t->dir);
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "cgroups"));
	assert_int_equal(p.n_entries, 6);
	sz_progress_release(&p);
}

/* A state directory nobody can create: named in one line with the fix; nothing on disk changes. */
static void test_unwritable(void **state)
{
	struct tmp *t = *state;
	char *file_dir = sz_asprintf("%s/a-file/stanza", t->dir);
	struct sz_progress p;
	sz_error_t err = NULL;

	write_text(t->dir, "a-file", "not a directory\n");
	load_ok(&p, file_dir); /* ENOTDIR reads as nothing recorded yet */
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "kernel", &err), 1);
	assert_int_equal(sz_progress_save(&p, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), file_dir));
	assert_non_null(strstr(sz_error_msg(err), "XDG_STATE_HOME"));
	assert_null(strchr(sz_error_msg(err), '\n'));
	assert_int_equal(err->errno_, ENOTDIR);
	sz_error_release(&err);
	/* Still in memory, for a later try. */
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "kernel"));
	sz_progress_release(&p);
	free(file_dir);

	if (geteuid() == 0)
		return; /* root writes through any mode: the part below cannot fail */
	write_text(t->dir, "progress", full_file);
	load_ok(&p, t->dir);
	assert_int_equal(chmod(t->dir, 0500), 0);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "cgroups", &err), 1);
	assert_int_equal(sz_progress_save(&p, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), t->dir));
	assert_int_equal(err->errno_, EACCES);
	sz_error_release(&err);
	assert_int_equal(chmod(t->dir, 0700), 0);
	{
		char *text = read_text(t->dir, "progress");

		assert_string_equal(text, full_file);
		free(text);
	}
	sz_progress_release(&p);
}

/* A file that is there but cannot be read is never written over. */
static void test_unreadable_not_overwritten(void **state)
{
	struct tmp *t = *state;
	char *path = sz_asprintf("%s/progress", t->dir);
	struct sz_progress p;
	sz_error_t err = NULL;

	assert_int_equal(mkdir(path, 0700), 0); /* EISDIR on read, for root too */
	assert_int_equal(sz_progress_load(&p, t->dir, NULL, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), path));
	sz_error_release(&err);
	assert_true(p.unread);
	assert_int_equal(sz_progress_save(&p, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), path));
	assert_int_equal(err->errno_, 0); /* refused, not tried */
	sz_error_release(&err);
	sz_progress_release(&p);

	if (geteuid() == 0) {
		free(path);
		return; /* root reads through any mode: the part below cannot fail */
	}
	assert_int_equal(rmdir(path), 0);
	write_text(t->dir, "progress", "stanza-progress 1\ndone chapter kernel\n");
	assert_int_equal(chmod(path, 0), 0);
	assert_int_equal(sz_progress_load(&p, t->dir, NULL, &err), -1);
	assert_int_equal(err->errno_, EACCES);
	sz_error_release(&err);
	assert_int_equal(sz_progress_save(&p, &err), -1);
	sz_error_release(&err);
	assert_int_equal(chmod(path, 0600), 0);
	{
		char *text = read_text(t->dir, "progress");

		assert_string_equal(text, "stanza-progress 1\ndone chapter kernel\n");
		free(text);
	}
	sz_progress_release(&p);
	free(path);
}

/* Only chapters "kernel" and "cgroups", quiz "cgroups/exit-137", step "cgroups/memory-kill/eat". */
static bool fake_exists(enum sz_progress_kind kind, const char *id, void *data)
{
	int *calls = data;

	(*calls)++;
	switch (kind) {
	case SZ_PROGRESS_CHAPTER: return strcmp(id, "kernel") == 0 || strcmp(id, "cgroups") == 0;
	case SZ_PROGRESS_QUIZ:
	case SZ_PROGRESS_ANSWER: return strcmp(id, "cgroups/exit-137") == 0;
	case SZ_PROGRESS_LAB: return false;
	case SZ_PROGRESS_STEP: return strcmp(id, "cgroups/memory-kill/eat") == 0;
	}
	return false;
}

static void test_prune(void **state)
{
	struct tmp *t = *state;
	struct sz_progress p;
	int calls = 0;

	write_text(
	    t->dir, "progress",
	    "stanza-progress 1\nwhere gone intro\ndone chapter gone\ndone chapter kernel\n"
	    "done quiz cgroups/exit-137\ndone quiz cgroups/removed\ndone lab cgroups/memory-kill\n"
	    "done step cgroups/memory-kill/eat\nanswer cgroups/removed 1\nanswer cgroups/exit-137 0\n");
	load_ok(&p, t->dir);
	assert_int_equal(sz_progress_prune(&p, fake_exists, &calls), 4);
	assert_true(calls >= 8);
	assert_null(p.where_chapter);
	assert_int_equal(p.n_entries, 4);
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "kernel"));
	assert_false(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "gone"));
	assert_false(sz_progress_is_done(&p, SZ_PROGRESS_QUIZ, "cgroups/removed"));
	assert_int_equal(sz_progress_answer(&p, "cgroups/removed"), -1);
	assert_int_equal(sz_progress_answer(&p, "cgroups/exit-137"), 0);
	sz_progress_release(&p);
}

static void test_in_course(void **state)
{
	struct sz_step_text steps[] = {{.id = "eat"}};
	struct sz_lab_text labs[] = {{.id = "memory-kill", .steps = steps, .n_steps = 1}};
	struct sz_question quiz[] = {{.id = "exit-137"}};
	struct sz_chapter chapters[] = {
	    {.id = "kernel"},
	    {.id = "cgroups", .quiz = quiz, .n_quiz = 1, .labs = labs, .n_labs = 1},
	};
	struct sz_course c = {.lang = "en", .chapters = chapters, .n_chapters = 2};

	assert_true(sz_progress_in_course(SZ_PROGRESS_CHAPTER, "kernel", &c));
	assert_true(sz_progress_in_course(SZ_PROGRESS_CHAPTER, "cgroups", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_CHAPTER, "cgroup", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_CHAPTER, "cgroups-x", &c));
	assert_true(sz_progress_in_course(SZ_PROGRESS_QUIZ, "cgroups/exit-137", &c));
	assert_true(sz_progress_in_course(SZ_PROGRESS_ANSWER, "cgroups/exit-137", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_QUIZ, "kernel/exit-137", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_QUIZ, "cgroups/exit-13", &c));
	assert_true(sz_progress_in_course(SZ_PROGRESS_LAB, "cgroups/memory-kill", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_LAB, "cgroups/exit-137", &c));
	assert_true(sz_progress_in_course(SZ_PROGRESS_STEP, "cgroups/memory-kill/eat", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_STEP, "cgroups/memory-kill/drink", &c));
	assert_false(sz_progress_in_course(SZ_PROGRESS_STEP, "cgroups/memory-kill", &c));
}

static void test_reset(void **state)
{
	struct tmp *t = *state;
	struct sz_progress p;
	sz_error_t err = NULL;

	write_text(t->dir, "progress", full_file);
	load_ok(&p, t->dir);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "cgroups-v2", &err), 1);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_STEP, "cgroups/memory-kill/look", &err), 1);

	/* A step, then a lab with its steps, then nothing for an unknown id. */
	assert_int_equal(sz_progress_reset(&p, "cgroups/memory-kill/look"), 1);
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_STEP, "cgroups/memory-kill/eat"));
	assert_int_equal(sz_progress_reset(&p, "cgroups/memory-kill"), 2);
	assert_false(sz_progress_is_done(&p, SZ_PROGRESS_LAB, "cgroups/memory-kill"));
	assert_int_equal(sz_progress_reset(&p, "nothing-here"), 0);
	assert_int_equal(sz_progress_reset(&p, "not valid"), 0);
	assert_non_null(p.where_chapter);

	/* A chapter: its quiz and answers, and where the learner was in it; not cgroups-v2. */
	assert_int_equal(sz_progress_reset(&p, "cgroups"), 2);
	assert_null(p.where_chapter);
	assert_int_equal(sz_progress_answer(&p, "cgroups/exit-137"), -1);
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "cgroups-v2"));
	assert_true(sz_progress_is_done(&p, SZ_PROGRESS_CHAPTER, "kernel"));

	sz_progress_set_where(&p, "kernel", "intro");
	sz_progress_reset_all(&p);
	assert_int_equal(p.n_entries, 0);
	assert_null(p.where_chapter);
	assert_string_equal(p.lang, "it");
	assert_string_equal(p.course_version, "0.1.0");
	save_ok(&p);
	sz_progress_release(&p);
	{
		char *text = read_text(t->dir, "progress");

		assert_string_equal(text, "stanza-progress 1\ncourse 0.1.0\nlang it\n");
		free(text);
	}
}

static void test_xdg_state_home(void **state)
{
	struct tmp *t = *state;
	char *home = sz_asprintf("%s/home", t->dir), *want;
	struct sz_progress p;
	sz_error_t err = NULL;
	char *dir;

	setenv("XDG_STATE_HOME", t->dir, 1);
	dir = sz_progress_default_dir(&err);
	want = sz_asprintf("%s/stanza", t->dir);
	assert_string_equal(dir, want);
	free(dir);

	/* load(NULL) uses it. */
	load_ok(&p, NULL);
	assert_string_equal(p.dir, want);
	assert_int_equal(sz_progress_mark(&p, SZ_PROGRESS_CHAPTER, "kernel", &err), 1);
	save_ok(&p);
	sz_progress_release(&p);
	free(want);
	want = read_text(t->dir, "stanza/progress");
	assert_string_equal(want, "stanza-progress 1\ndone chapter kernel\n");
	free(want);

	/* Relative or empty: ignored, as the XDG spec says; HOME then. */
	setenv("HOME", home, 1);
	want = sz_asprintf("%s/.local/state/stanza", home);
	setenv("XDG_STATE_HOME", "relative/dir", 1);
	dir = sz_progress_default_dir(&err);
	assert_string_equal(dir, want);
	free(dir);
	setenv("XDG_STATE_HOME", "", 1);
	dir = sz_progress_default_dir(&err);
	assert_string_equal(dir, want);
	free(dir);
	unsetenv("XDG_STATE_HOME");
	dir = sz_progress_default_dir(&err);
	assert_string_equal(dir, want);
	free(dir);
	assert_null(err);
	free(want);
	free(home);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_tolerated, tmp_setup, tmp_teardown),
	    cmocka_unit_test(test_rejects_bad_ids),
	    cmocka_unit_test_setup_teardown(test_missing_is_empty, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_moved_aside, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_save_is_atomic, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_unwritable, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_unreadable_not_overwritten, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_prune, tmp_setup, tmp_teardown),
	    cmocka_unit_test(test_in_course),
	    cmocka_unit_test_setup_teardown(test_reset, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_xdg_state_home, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
