/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_resolve.c - unit tests for resolving volume targets inside a root: no symlink or ".." leads out */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/util.h"
#include "runtime/resolve.h"

struct fixture {
	char dir[64];     /* holds root/ and outside/ */
	char root[96];    /* the fake container root */
	char outside[96]; /* a host directory the links point at */
	int rootfd;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[160];

	snprintf(f->dir, sizeof(f->dir), "/tmp/stanza-resolve-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->root, sizeof(f->root), "%s/root", f->dir);
	snprintf(f->outside, sizeof(f->outside), "%s/outside", f->dir);
	mkdir(f->root, 0755);
	mkdir(f->outside, 0755);
	snprintf(path, sizeof(path), "%s/etc", f->root);
	mkdir(path, 0755);
	/* The image's traps: absolute and relative links that point out of the root. */
	snprintf(path, sizeof(path), "%s/evil", f->root);
	if (symlink(f->outside, path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/evil2", f->root);
	if (symlink("../../../../../../../..", path) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/etc/proclink", f->root);
	if (symlink("/proc/self/root/tmp", path) < 0)
		return -1;
	f->rootfd = open(f->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	*state = f;
	return f->rootfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sz_error_t err = NULL;

	close(f->rootfd);
	sz_rm_rf_at(AT_FDCWD, f->dir, &err);
	sz_error_release(&err);
	free(f);
	return 0;
}

/* Open path in the root and return the host path it really is. */
static char *resolve(struct fixture *f, const char *path, bool is_dir)
{
	sz_error_t err = NULL;
	int fd = sz_open_in_root(f->rootfd, path, is_dir, &err);
	char link[64], *real;

	if (fd < 0)
		fail_msg("open_in_root('%s'): %s", path, sz_error_msg(err));
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	real = realpath(link, NULL);
	close(fd);
	return real;
}

static void expect_inside(struct fixture *f, const char *path, const char *want_rel)
{
	char *got = resolve(f, path, true);
	char want[256];

	snprintf(want, sizeof(want), "%s%s", f->root, want_rel);
	if (strcmp(got, want) != 0)
		fail_msg("'%s' resolved to '%s', want '%s'", path, got, want);
	free(got);
}

static void test_plain_and_created(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	char path[160];

	expect_inside(f, "/etc", "/etc");
	expect_inside(f, "/app/data/deep", "/app/data/deep");
	snprintf(path, sizeof(path), "%s/app/data/deep", f->root);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
}

static void test_dotdot_stays_inside(void **state)
{
	struct fixture *f = *state;

	expect_inside(f, "/../../../tmp/x", "/tmp/x");
	expect_inside(f, "etc/../../..", "");
}

static void test_symlinks_stay_inside(void **state)
{
	struct fixture *f = *state;
	DIR *d;
	int entries = 0;

	/* "evil" points at the host's outside/: inside the root it means root/<outside path>. */
	{
		char want_rel[128];
		snprintf(want_rel, sizeof(want_rel), "%s/target", f->outside);
		expect_inside(f, "/evil/target", want_rel);
	}
	expect_inside(f, "/evil2/x", "/x");
	/* Nothing was created in the real outside directory. */
	d = opendir(f->outside);
	assert_non_null(d);
	while (readdir(d) != NULL)
		entries++;
	closedir(d);
	assert_int_equal(entries, 2);
}

static void test_proc_links_are_plain_paths(void **state)
{
	struct fixture *f = *state;

	/* A link to /proc/self/root is read as a path inside the root, never as
	 * the kernel's magic link to the host's root. */
	expect_inside(f, "/etc/proclink/x", "/proc/self/root/tmp/x");
}

static void test_link_loop(void **state)
{
	struct fixture *f = *state;
	sz_error_t err = NULL;
	char path[160];

	snprintf(path, sizeof(path), "%s/loop", f->root);
	assert_int_equal(symlink("/loop", path), 0);
	assert_int_equal(sz_open_in_root(f->rootfd, "/loop/x", true, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "symbolic links"));
	sz_error_release(&err);
}

static void test_file_target(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	char path[160];
	char *got = resolve(f, "/etc/app.conf", false);

	snprintf(path, sizeof(path), "%s/etc/app.conf", f->root);
	assert_string_equal(got, path);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_plain_and_created, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dotdot_stays_inside, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_symlinks_stay_inside, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_proc_links_are_plain_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_link_loop, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_target, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
