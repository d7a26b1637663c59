/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_run_options.c - unit tests for `stanza run` option parsing, path cleaning and exit-status mapping */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_options.h"
#include "runtime/runtime.h"

/* Parse a NULL-terminated argument list; the options and error stay for the caller to check. */
static int parse(struct sz_run_options *o, sz_error_t *err, char **argv)
{
	int argc = 0;

	while (argv[argc] != NULL)
		argc++;
	*o = (struct sz_run_options){0};
	sz_spec_init(&o->spec);
	return sz_run_options_parse(o, argc, argv, err);
}

static void test_all_options(void **state)
{
	char *argv[] = {"run",
	                "--memory",
	                "32M",
	                "--pids",
	                "20",
	                "--cpus",
	                "0.5",
	                "--hostname",
	                "box",
	                "-v",
	                "/tmp:/app/../data:ro",
	                "--user",
	                "app",
	                "-e",
	                "A=1",
	                "-w",
	                "/srv",
	                "--net",
	                "host",
	                "--read-only",
	                "--timeout",
	                "1.5s",
	                "-t",
	                "--trace",
	                "--image",
	                "/opt/root",
	                "--",
	                "sh",
	                "-c",
	                "exit 3",
	                NULL};
	struct sz_run_options o;
	sz_error_t err = NULL;

	assert_int_equal(parse(&o, &err, argv), 0);
	assert_null(err);
	assert_int_equal(o.spec.limits.memory_bytes, 32 << 20);
	assert_int_equal(o.spec.limits.pids, 20);
	assert_int_equal(o.spec.limits.cpu_milli, 500);
	assert_string_equal(o.spec.hostname, "box");
	assert_int_equal(o.spec.n_volumes, 1);
	assert_string_equal(o.spec.volumes[0].host, "/tmp");
	assert_string_equal(o.spec.volumes[0].container, "/data");
	assert_true(o.spec.volumes[0].read_only);
	assert_string_equal(o.spec.user, "app");
	assert_string_equal(o.spec.env[0], "A=1");
	assert_null(o.spec.env[1]);
	assert_string_equal(o.spec.workdir, "/srv");
	assert_int_equal(o.spec.net, SZ_NET_HOST);
	assert_true(o.spec.read_only);
	assert_int_equal(o.spec.timeout_ns, 1500000000ULL);
	assert_true(o.spec.tty);
	assert_int_equal(o.spec.trace_fd, 2);
	assert_string_equal(o.spec.image, "/opt/root");
	assert_string_equal(o.spec.argv[0], "sh");
	assert_string_equal(o.spec.argv[2], "exit 3");
	sz_run_options_release(&o);
}

static void test_defaults_and_command_options(void **state)
{
	/* Options after the command belong to the command, not to stanza. */
	char *argv[] = {"run", "ls", "-l", "--memory", "1G", NULL};
	struct sz_run_options o;
	sz_error_t err = NULL;

	assert_int_equal(parse(&o, &err, argv), 0);
	assert_int_equal(o.spec.limits.memory_bytes, 0);
	assert_int_equal(o.spec.net, SZ_NET_NONE);
	assert_string_equal(o.spec.image, "busybox");
	assert_int_equal(o.spec.trace_fd, -1);
	assert_string_equal(o.spec.argv[0], "ls");
	assert_string_equal(o.spec.argv[2], "--memory");
	sz_run_options_release(&o);
}

/* Each bad command line is refused with a message containing `want`. */
static void expect_refused(char **argv, const char *want)
{
	struct sz_run_options o;
	sz_error_t err = NULL;

	if (parse(&o, &err, argv) == 0)
		fail_msg("'%s %s' was accepted", argv[1], argv[2] ? argv[2] : "");
	assert_non_null(err);
	if (strstr(sz_error_msg(err), want) == NULL)
		fail_msg("message '%s' does not contain '%s'", sz_error_msg(err), want);
	sz_error_release(&err);
	sz_run_options_release(&o);
}

static void test_bad_options(void **state)
{
	expect_refused((char *[]){"run", "--memory", "12Q", "true", NULL}, "invalid size '12Q'");
	expect_refused((char *[]){"run", "-v", "/nonexistent-stanza-src:/app", "true", NULL},
	               "volume source '/nonexistent-stanza-src'");
	expect_refused((char *[]){"run", "-v", "/tmp:relative", "true", NULL}, "must be an absolute path");
	expect_refused((char *[]){"run", "-v", "/tmp", "true", NULL}, "HOST:CONTAINER");
	expect_refused((char *[]){"run", "-v", "/tmp:/x:rx", "true", NULL}, "invalid volume mode 'rx'");
	expect_refused((char *[]){"run", "--cpus", "0", "true", NULL}, "--cpus");
	expect_refused((char *[]){"run", "--pids", "abc", "true", NULL}, "--pids");
	expect_refused((char *[]){"run", "--pids", "0", "true", NULL}, "out of range");
	expect_refused((char *[]){"run", "--timeout", "5x", "true", NULL}, "invalid duration '5x'");
	expect_refused((char *[]){"run", "--net", "bogus", "true", NULL}, "invalid network 'bogus'");
	expect_refused((char *[]){"run", "--hostname", "-bad", "true", NULL}, "invalid host name");
	expect_refused((char *[]){"run", "--user", "1000:abc", "true", NULL}, "invalid user");
	expect_refused((char *[]){"run", "-w", "srv", "true", NULL}, "must be an absolute path");
	expect_refused((char *[]){"run", "-e", "=x", "true", NULL}, "invalid environment variable");
	expect_refused((char *[]){"run", "--bogus", "true", NULL}, "unknown option '--bogus'");
	expect_refused((char *[]){"run", "--memory", NULL}, "needs a value");
	expect_refused((char *[]){"run", "--pids", "5", NULL}, "no command given");
}

static void test_clean_container_path(void **state)
{
	static const char *const cases[][2] = {
	    {"/app", "/app"},
	    {"/app/", "/app"},
	    {"//a//b", "/a/b"},
	    {"/a/./b", "/a/b"},
	    {"/../../tmp/x", "/tmp/x"},
	    {"/a/b/../../..", "/"},
	    {"/a/../b/../c", "/c"},
	    {"/", "/"},
	    {"/..", "/"},
	    {"/a/..b/c", "/a/..b/c"},
	    {"/...", "/..."},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = sz_clean_container_path(cases[i][0]);
		if (strcmp(got, cases[i][1]) != 0)
			fail_msg("clean('%s') = '%s', want '%s'", cases[i][0], got, cases[i][1]);
		free(got);
	}
}

static void test_exit_status(void **state)
{
	struct sz_result r = {0};

	r.exit_code = 3;
	assert_int_equal(sz_result_status(&r), 3);
	r = (struct sz_result){.exit_code = -1, .term_signal = SIGKILL};
	assert_int_equal(sz_result_status(&r), 137);
	r.oom_killed = true; /* an OOM kill is a SIGKILL: still 137 */
	assert_int_equal(sz_result_status(&r), 137);
	r = (struct sz_result){.exit_code = 0, .oom_killed = true, .oom_kills = 1};
	assert_int_equal(sz_result_status(&r), 0); /* a child was killed, the command exited 0 */
	r = (struct sz_result){.exit_code = -1, .term_signal = SIGKILL, .timed_out = true};
	assert_int_equal(sz_result_status(&r), 124);
	r = (struct sz_result){
	    .exit_code = -1, .term_signal = SIGKILL, .interrupted = true, .interrupt_signal = SIGINT};
	assert_int_equal(sz_result_status(&r), 130);
	r = (struct sz_result){.exec_errno = ENOENT};
	assert_int_equal(sz_result_status(&r), 127);
	r = (struct sz_result){.exec_errno = EACCES};
	assert_int_equal(sz_result_status(&r), 126);
	r = (struct sz_result){.exit_code = -1, .term_signal = SIGTERM};
	assert_int_equal(sz_result_status(&r), 143);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_all_options), cmocka_unit_test(test_defaults_and_command_options),
	    cmocka_unit_test(test_bad_options), cmocka_unit_test(test_clean_container_path),
	    cmocka_unit_test(test_exit_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
