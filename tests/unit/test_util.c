/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_util.c - unit tests for common/util.c: parsers, size formatting, atomic writes, safe removal */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"

/* Parse text with fn and expect success with the value want. */
#define ASSERT_PARSES(fn, text, want)                                                                        \
	do {                                                                                                 \
		uint64_t v_ = 0;                                                                             \
		sz_error_t e_ = NULL;                                                                        \
		if (fn((text), &v_, &e_) != 0)                                                               \
			fail_msg("%s(\"%s\") failed: %s", #fn, (text), sz_error_msg(e_));                    \
		assert_null(e_);                                                                             \
		if (v_ != (uint64_t)(want))                                                                  \
			fail_msg("%s(\"%s\") = %llu, want %llu", #fn, (text), (unsigned long long)v_,        \
			         (unsigned long long)(want));                                                \
	} while (0)

/* Parse text with fn and expect a failure that names the text and leaves the output alone. */
#define ASSERT_REJECTS(fn, text)                                                                             \
	do {                                                                                                 \
		uint64_t v_ = 12345;                                                                         \
		sz_error_t e_ = NULL;                                                                        \
		if (fn((text), &v_, &e_) == 0)                                                               \
			fail_msg("%s(\"%s\") accepted it as %llu", #fn, (text), (unsigned long long)v_);     \
		assert_non_null(e_);                                                                         \
		assert_non_null(strstr(sz_error_msg(e_), (text)));                                           \
		assert_int_equal(v_, 12345);                                                                 \
		sz_error_release(&e_);                                                                       \
	} while (0)

static void test_parse_size(void **state)
{
	ASSERT_PARSES(sz_parse_size, "32M", 33554432);
	ASSERT_PARSES(sz_parse_size, "32m", 33554432);
	ASSERT_PARSES(sz_parse_size, "32MiB", 33554432);
	ASSERT_PARSES(sz_parse_size, "32Mi", 33554432);
	ASSERT_PARSES(sz_parse_size, "32MB", 33554432);
	ASSERT_PARSES(sz_parse_size, "1g", 1073741824);
	ASSERT_PARSES(sz_parse_size, "1G", 1073741824);
	ASSERT_PARSES(sz_parse_size, "512k", 524288);
	ASSERT_PARSES(sz_parse_size, "2t", 2199023255552ULL);
	ASSERT_PARSES(sz_parse_size, "100", 100);
	ASSERT_PARSES(sz_parse_size, "100b", 100);
	ASSERT_PARSES(sz_parse_size, "18446744073709551615", UINT64_MAX);
	ASSERT_PARSES(sz_parse_size, "16777215T", 16777215ULL << 40);
}

static void test_parse_size_rejects(void **state)
{
	ASSERT_REJECTS(sz_parse_size, "12Q");
	ASSERT_REJECTS(sz_parse_size, "");
	ASSERT_REJECTS(sz_parse_size, "0");
	ASSERT_REJECTS(sz_parse_size, "0M");
	ASSERT_REJECTS(sz_parse_size, "-1");
	ASSERT_REJECTS(sz_parse_size, "M");
	ASSERT_REJECTS(sz_parse_size, " 32M");
	ASSERT_REJECTS(sz_parse_size, "32 M");
	ASSERT_REJECTS(sz_parse_size, "32M ");
	ASSERT_REJECTS(sz_parse_size, "1.5G");
	ASSERT_REJECTS(sz_parse_size, "32MiBB");
	ASSERT_REJECTS(sz_parse_size, "32iB");
	/* Overflow in the digits, and in the unit. */
	ASSERT_REJECTS(sz_parse_size, "18446744073709551616");
	ASSERT_REJECTS(sz_parse_size, "99999999999999999999999");
	ASSERT_REJECTS(sz_parse_size, "16777216T");
	ASSERT_REJECTS(sz_parse_size, "17179869184G");
}

#define NS_PER_S 1000000000ULL

static void test_parse_duration(void **state)
{
	ASSERT_PARSES(sz_parse_duration, "10s", 10 * NS_PER_S);
	ASSERT_PARSES(sz_parse_duration, "500ms", 500000000ULL);
	ASSERT_PARSES(sz_parse_duration, "2m", 120 * NS_PER_S);
	ASSERT_PARSES(sz_parse_duration, "1h", 3600 * NS_PER_S);
	ASSERT_PARSES(sz_parse_duration, "1.5s", 1500000000ULL);
	ASSERT_PARSES(sz_parse_duration, "3", 3 * NS_PER_S);
	ASSERT_PARSES(sz_parse_duration, "0.25", 250000000ULL);
	ASSERT_PARSES(sz_parse_duration, "1ms", 1000000ULL);
	ASSERT_PARSES(sz_parse_duration, "0.5m", 30 * NS_PER_S);
}

static void test_parse_duration_rejects(void **state)
{
	ASSERT_REJECTS(sz_parse_duration, "0s");
	ASSERT_REJECTS(sz_parse_duration, "0");
	ASSERT_REJECTS(sz_parse_duration, "abc");
	ASSERT_REJECTS(sz_parse_duration, "5x");
	ASSERT_REJECTS(sz_parse_duration, "");
	ASSERT_REJECTS(sz_parse_duration, "s");
	ASSERT_REJECTS(sz_parse_duration, "-1s");
	ASSERT_REJECTS(sz_parse_duration, "10 s");
	ASSERT_REJECTS(sz_parse_duration, "1.5.5s");
	/* Too large for 64-bit nanoseconds, not wrapped around to a small value. */
	ASSERT_REJECTS(sz_parse_duration, "99999999999999999999h");
	ASSERT_REJECTS(sz_parse_duration, "6000000h");
	ASSERT_REJECTS(sz_parse_duration, "18446744073709552s");
	ASSERT_REJECTS(sz_parse_duration, "18446744073709551.999ms");
}

static void test_parse_fraction(void **state)
{
	ASSERT_PARSES(sz_parse_fraction, "0.5", 500);
	ASSERT_PARSES(sz_parse_fraction, "2", 2000);
	ASSERT_PARSES(sz_parse_fraction, "0.001", 1);
	ASSERT_PARSES(sz_parse_fraction, "1.25", 1250);
	/* A leading "." is a number, as in printf; digits past the third are dropped. */
	ASSERT_PARSES(sz_parse_fraction, ".5", 500);
	ASSERT_PARSES(sz_parse_fraction, "1.2345", 1234);

	ASSERT_REJECTS(sz_parse_fraction, "0");
	ASSERT_REJECTS(sz_parse_fraction, "0.0");
	ASSERT_REJECTS(sz_parse_fraction, "0.0004");
	ASSERT_REJECTS(sz_parse_fraction, "");
	ASSERT_REJECTS(sz_parse_fraction, ".");
	ASSERT_REJECTS(sz_parse_fraction, "abc");
	ASSERT_REJECTS(sz_parse_fraction, "-1");
	ASSERT_REJECTS(sz_parse_fraction, "1.5x");
	ASSERT_REJECTS(sz_parse_fraction, "1,5");
	ASSERT_REJECTS(sz_parse_fraction, "18446744073709552");
}

static int parse_uint_1_10(const char *text, uint64_t *out, sz_error_t *err)
{
	return sz_parse_uint(text, 1, 10, out, err);
}

static int parse_uint_any(const char *text, uint64_t *out, sz_error_t *err)
{
	return sz_parse_uint(text, 0, UINT64_MAX, out, err);
}

static void test_parse_uint(void **state)
{
	ASSERT_PARSES(parse_uint_1_10, "1", 1);
	ASSERT_PARSES(parse_uint_1_10, "10", 10);
	ASSERT_PARSES(parse_uint_1_10, "007", 7);
	ASSERT_PARSES(parse_uint_any, "0", 0);
	ASSERT_PARSES(parse_uint_any, "18446744073709551615", UINT64_MAX);

	ASSERT_REJECTS(parse_uint_1_10, "0");
	ASSERT_REJECTS(parse_uint_1_10, "11");
	ASSERT_REJECTS(parse_uint_1_10, "");
	ASSERT_REJECTS(parse_uint_1_10, "-1");
	ASSERT_REJECTS(parse_uint_1_10, "+1");
	ASSERT_REJECTS(parse_uint_1_10, " 1");
	ASSERT_REJECTS(parse_uint_1_10, "1 ");
	ASSERT_REJECTS(parse_uint_1_10, "1x");
	ASSERT_REJECTS(parse_uint_1_10, "0x5");
	ASSERT_REJECTS(parse_uint_any, "18446744073709551616");
}

static void test_parse_uint_range_message(void **state)
{
	uint64_t v;
	sz_error_t err = NULL;

	assert_int_equal(sz_parse_uint("20", 1, 10, &v, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "1 to 10"));
	sz_error_release(&err);
}

static void assert_formats(uint64_t bytes, const char *want)
{
	char buf[32];

	assert_ptr_equal(sz_format_size(bytes, buf, sizeof(buf)), buf);
	assert_string_equal(buf, want);
}

static void test_format_size(void **state)
{
	char small[4];

	assert_formats(0, "0 B");
	assert_formats(512, "512 B");
	assert_formats(1023, "1023 B");
	assert_formats(1024, "1 KiB");
	assert_formats(1536, "1.5 KiB");
	assert_formats(33554432, "32 MiB");
	assert_formats(1610612736, "1.5 GiB");
	assert_formats(1ULL << 40, "1 TiB");
	assert_formats(1ULL << 50, "1024 TiB");

	/* Truncated to the buffer, always terminated. */
	sz_format_size(33554432, small, sizeof(small));
	assert_string_equal(small, "32 ");
}

/* A fresh temporary directory per test, removed afterwards. */
struct tmp {
	char dir[64];
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	assert_non_null(t);
	snprintf(t->dir, sizeof(t->dir), "/tmp/stanza-test-util.XXXXXX");
	assert_non_null(mkdtemp(t->dir));
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		return -1;
	free(t);
	return 0;
}

static char *path_in(struct tmp *t, const char *name)
{
	return sz_asprintf("%s/%s", t->dir, name);
}

static void assert_file_is(const char *path, const char *want)
{
	char *data = NULL;
	size_t len = 0;
	sz_error_t err = NULL;

	if (sz_read_file(path, &data, &len, &err) != 0)
		fail_msg("%s", sz_error_msg(err));
	assert_int_equal(len, strlen(want));
	assert_string_equal(data, want);
	free(data);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void test_write_file_atomic(void **state)
{
	struct tmp *t = *state;
	const char *old = "old contents, longer than the new\n";
	char *path = path_in(t, "progress");
	sz_error_t err = NULL;
	struct stat st;

	assert_int_equal(sz_write_file(path, old, strlen(old), 0644, &err), 0);
	assert_int_equal(sz_write_file_atomic(path, "new\n", 4, 0600, &err), 0);
	assert_null(err);
	assert_file_is(path, "new\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	/* No temporary file left beside it. */
	assert_int_equal(count_entries(t->dir), 1);

	/* Creates the file when it does not exist. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sz_write_file_atomic(path, "", 0, 0644, &err), 0);
	assert_file_is(path, "");
	assert_int_equal(count_entries(t->dir), 1);
	free(path);
}

static void test_write_file_atomic_replaces_symlink(void **state)
{
	struct tmp *t = *state;
	char *target = path_in(t, "target");
	char *link = path_in(t, "link");
	sz_error_t err = NULL;
	struct stat st;

	assert_int_equal(sz_write_file(target, "target\n", 7, 0644, &err), 0);
	assert_int_equal(symlink(target, link), 0);
	assert_int_equal(sz_write_file_atomic(link, "new\n", 4, 0644, &err), 0);
	/* The link was replaced by a file; what it pointed to is untouched. */
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_file_is(link, "new\n");
	assert_file_is(target, "target\n");
	assert_int_equal(count_entries(t->dir), 2);
	free(target);
	free(link);
}

static void test_write_file_atomic_fails_cleanly(void **state)
{
	struct tmp *t = *state;
	char *path = path_in(t, "missing-dir/progress");
	sz_error_t err = NULL;

	assert_int_equal(sz_write_file_atomic(path, "x", 1, 0644, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "missing-dir/progress"));
	assert_int_equal(err->errno_, ENOENT);
	sz_error_release(&err);
	assert_int_equal(count_entries(t->dir), 0);
	free(path);
}

static void test_read_file_large(void **state)
{
	struct tmp *t = *state;
	char *path = path_in(t, "large");
	size_t n = 3 * 4096 + 17;
	char *want = malloc(n + 1);
	char *got = NULL;
	size_t len = 0;
	sz_error_t err = NULL;

	assert_non_null(want);
	for (size_t i = 0; i < n; i++)
		want[i] = (char)('a' + i % 26);
	want[n] = '\0';
	assert_int_equal(sz_write_file(path, want, n, 0644, &err), 0);
	assert_int_equal(sz_read_file(path, &got, &len, &err), 0);
	assert_int_equal(len, n);
	assert_memory_equal(got, want, n + 1);
	free(got);
	free(want);
	free(path);
}

static void test_mkdir_p(void **state)
{
	struct tmp *t = *state;
	char *deep = path_in(t, "a/b//c/");
	char *c = path_in(t, "a/b/c");
	sz_error_t err = NULL;
	struct stat st;

	assert_int_equal(sz_mkdir_p(deep, 0755, &err), 0);
	assert_int_equal(stat(c, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	/* Existing directories are fine. */
	assert_int_equal(sz_mkdir_p(deep, 0755, &err), 0);
	assert_null(err);
	free(deep);
	free(c);
}

static void make_file(const char *dir, const char *name, const char *text)
{
	char *path = sz_asprintf("%s/%s", dir, name);
	sz_error_t err = NULL;

	if (sz_write_file(path, text, strlen(text), 0644, &err) != 0)
		fail_msg("%s", sz_error_msg(err));
	free(path);
}

static void make_dir(const char *dir, const char *name)
{
	char *path = sz_asprintf("%s/%s", dir, name);

	assert_int_equal(mkdir(path, 0755), 0);
	free(path);
}

static void make_link(const char *target, const char *dir, const char *name)
{
	char *path = sz_asprintf("%s/%s", dir, name);

	assert_int_equal(symlink(target, path), 0);
	free(path);
}

/*
 * tree/               (removed)
 *   file
 *   sub/deeper/file
 *   out-abs  -> <tmp>/outside    (a directory outside the tree)
 *   sub/out-rel -> ../../outside
 *   sub/file-link -> <tmp>/outside/keep
 *   dangling -> /nonexistent
 * outside/keep, outside/inner/keep   (must survive)
 */
static void test_rm_rf_at_does_not_follow_links(void **state)
{
	struct tmp *t = *state;
	char *tree = path_in(t, "tree");
	char *outside = path_in(t, "outside");
	char *keep = path_in(t, "outside/keep");
	char *inner_keep = path_in(t, "outside/inner/keep");
	sz_error_t err = NULL;
	struct stat st;
	int dirfd;

	make_dir(t->dir, "outside");
	make_dir(outside, "inner");
	make_file(outside, "keep", "keep\n");
	make_file(outside, "inner/keep", "inner\n");
	make_dir(t->dir, "tree");
	make_file(tree, "file", "x");
	make_dir(tree, "sub");
	make_dir(tree, "sub/deeper");
	make_file(tree, "sub/deeper/file", "y");
	make_link(outside, tree, "out-abs");
	make_link("../../outside", tree, "sub/out-rel");
	make_link(keep, tree, "sub/file-link");
	make_link("/nonexistent", tree, "dangling");

	dirfd = open(t->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(dirfd >= 0);
	if (sz_rm_rf_at(dirfd, "tree", &err) != 0)
		fail_msg("%s", sz_error_msg(err));
	assert_int_equal(lstat(tree, &st), -1);
	assert_int_equal(errno, ENOENT);
	assert_file_is(keep, "keep\n");
	assert_file_is(inner_keep, "inner\n");
	assert_int_equal(count_entries(outside), 2);

	/* Missing is not an error. */
	assert_int_equal(sz_rm_rf_at(dirfd, "tree", &err), 0);
	assert_null(err);
	close(dirfd);
	free(tree);
	free(outside);
	free(keep);
	free(inner_keep);
}

static void test_rm_rf_at_on_a_link_removes_only_the_link(void **state)
{
	struct tmp *t = *state;
	char *outside = path_in(t, "outside");
	char *link = path_in(t, "link");
	char *keep = path_in(t, "outside/keep");
	sz_error_t err = NULL;
	struct stat st;

	make_dir(t->dir, "outside");
	make_file(outside, "keep", "keep\n");
	make_link(outside, t->dir, "link");
	assert_int_equal(sz_rm_rf_at(AT_FDCWD, link, &err), 0);
	assert_int_equal(lstat(link, &st), -1);
	assert_file_is(keep, "keep\n");
	free(outside);
	free(link);
	free(keep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_size),
	    cmocka_unit_test(test_parse_size_rejects),
	    cmocka_unit_test(test_parse_duration),
	    cmocka_unit_test(test_parse_duration_rejects),
	    cmocka_unit_test(test_parse_fraction),
	    cmocka_unit_test(test_parse_uint),
	    cmocka_unit_test(test_parse_uint_range_message),
	    cmocka_unit_test(test_format_size),
	    cmocka_unit_test_setup_teardown(test_write_file_atomic, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_write_file_atomic_replaces_symlink, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_write_file_atomic_fails_cleanly, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_read_file_large, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_mkdir_p, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_rm_rf_at_does_not_follow_links, tmp_setup, tmp_teardown),
	    cmocka_unit_test_setup_teardown(test_rm_rf_at_on_a_link_removes_only_the_link, tmp_setup,
	                                    tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
