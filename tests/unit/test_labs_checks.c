/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_labs_checks.c - unit tests for the check evaluator against a fake kernel: every kind, retries,
 * timeouts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "labs/check_kinds.h"
#include "labs/checks.h"
#include "labs/lab.h"

/* ---- a fake kernel ----------------------------------------------------- */

struct fake_file {
	bool host;
	const char *path, *data; /* data NULL: EACCES */
	int appears_after;       /* pauses before it exists */
};

struct fake {
	uint64_t ns_container, ns_host; /* every namespace alike */
	struct fake_file files[4];
	const char *uid_map;
	bool has_cgroup;
	uint64_t counters[SZ_COUNTER_COUNT];
	const char *hostname, *host_hostname;
	const char *net_container, *net_host;
	const char *procs[4];
	uint64_t now;
	int pauses;
	int stop_after; /* pause returns -1 at this pause (from 1), 0: never */
};

static int f_ns(void *ctx, bool host, const char *ns, uint64_t *ino, sz_error_t *err)
{
	struct fake *f = ctx;

	*ino = host ? f->ns_host : f->ns_container;
	return 0;
}

static int f_read(void *ctx, bool host, const char *path, char **data, size_t *len, sz_error_t *err)
{
	struct fake *f = ctx;

	for (size_t i = 0; i < 4; i++) {
		const struct fake_file *ff = &f->files[i];

		if (ff->path == NULL || ff->host != host || strcmp(ff->path, path) != 0 ||
		    f->pauses < ff->appears_after)
			continue;
		if (ff->data == NULL)
			return sz_error_make(err, EACCES, "cannot open '%s'", path);
		*data = sz_xstrdup(ff->data);
		*len = strlen(ff->data);
		return 0;
	}
	return sz_error_make(err, ENOENT, "cannot open '%s'", path);
}

static int f_uid_map(void *ctx, char **text, sz_error_t *err)
{
	*text = sz_xstrdup(((struct fake *)ctx)->uid_map);
	return 0;
}

static int f_counter(void *ctx, enum sz_cgroup_counter c, uint64_t *value, sz_error_t *err)
{
	struct fake *f = ctx;

	if (!f->has_cgroup)
		return sz_error_make(err, 0, "the container has no cgroup");
	*value = f->counters[c];
	return 0;
}

static int f_hostname(void *ctx, bool host, char **name, sz_error_t *err)
{
	struct fake *f = ctx;

	*name = sz_xstrdup(host ? f->host_hostname : f->hostname);
	return 0;
}

static int f_net(void *ctx, bool host, enum sz_net_proto proto, char **text, sz_error_t *err)
{
	struct fake *f = ctx;

	*text = sz_xstrdup(host ? f->net_host : f->net_container);
	return 0;
}

static int f_procs(void *ctx, char ***cmdlines, size_t *n, sz_error_t *err)
{
	struct fake *f = ctx;

	*n = 0;
	*cmdlines = sz_xcalloc(5, sizeof(char *));
	for (size_t i = 0; i < 4 && f->procs[i] != NULL; i++)
		(*cmdlines)[(*n)++] = sz_xstrdup(f->procs[i]);
	return 0;
}

static uint64_t f_now(void *ctx)
{
	return ((struct fake *)ctx)->now;
}

/* Time passes only in pauses. */
static int f_pause(void *ctx, uint64_t ns)
{
	struct fake *f = ctx;

	f->pauses++;
	f->now += ns;
	return f->stop_after != 0 && f->pauses >= f->stop_after ? -1 : 0;
}

static const struct sz_kernel_ops fake_ops = {f_ns,  f_read,  f_uid_map, f_counter, f_hostname,
                                              f_net, f_procs, f_now,     f_pause};

static const char tcp_listen_8080[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n";
static const char tcp6_established_8080[] =
    "  sl  local_address                         remote_address                        st\n"
    "   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:D431 01 0\n";
static const char tcp_none[] = "  sl  local_address rem_address   st\n";

static struct fake fake_default(void)
{
	return (struct fake){
	    .ns_container = 4026532001,
	    .ns_host = 4026531836,
	    .files = {{false, "/etc/hostname", "box\n", 0},
	              {true, "shared/out.txt", "done\n", 0},
	              {false, "/secret", NULL, 0}},
	    .uid_map = "         0       1000          1\n",
	    .has_cgroup = true,
	    .counters = {[SZ_COUNTER_PIDS_CURRENT] = 3, [SZ_COUNTER_MEMORY_CURRENT] = 1 << 20},
	    .hostname = "box",
	    .host_hostname = "laptop",
	    .net_container = tcp_listen_8080,
	    .net_host = tcp_none,
	    .procs = {"sleep 2147483647", "/bin/sh", "nc -l -p 8080"},
	};
}

/* ---- checks from YAML -------------------------------------------------- */

struct ctx {
	struct sz_lab lab;
	struct fake fake;
	struct sz_check_env env;
	struct sz_outcome o;
};

/* A lab with one container demo whose expectations are lines; the
 * outcome: exit 0, "hello\r\nworld\n" on stdout, "oops\n" on stderr. */
static void setup_checks(struct ctx *c, const char *lines)
{
	struct sz_diags d = {0};
	char *text =
	    sz_asprintf("id: t\nsteps:\n  - id: s\n    kind: demo\n    where: container\n    run: x\n"
	                "    expect:\n%s",
	                lines);

	if (sz_lab_load_buffer("t.yaml", "alpha", text, strlen(text), &c->lab, &d) < 0) {
		for (size_t i = 0; i < d.n; i++)
			print_message("%u:%u: %s\n", d.items[i].line, d.items[i].col, d.items[i].message);
		fail();
	}
	free(text);
	c->fake = fake_default();
	c->env = (struct sz_check_env){&fake_ops, &c->fake, "laptop"};
	c->o = (struct sz_outcome){.ran = true,
	                           .status = 0,
	                           .out = "hello\r\nworld\n",
	                           .out_len = 13,
	                           .err = "oops\n",
	                           .err_len = 5,
	                           .has_oom_base = true};
}

static const struct sz_check *check(struct ctx *c, size_t i)
{
	return &c->lab.steps[0].expect[i];
}

/* Check i once: whether it holds; its detail must contain want (NULL: none). */
static bool eval_one(struct ctx *c, size_t i, const char *want)
{
	char *detail = NULL;
	bool ok = sz_check_eval(check(c, i), &c->o, &c->env, &detail);

	if (want == NULL) {
		if (detail != NULL)
			print_message("unexpected detail: %s\n", detail);
		assert_null(detail);
	} else {
		if (detail == NULL || strstr(detail, want) == NULL)
			fail_msg("check %zu: detail '%s' lacks '%s'", i, detail != NULL ? detail : "(none)",
			         want);
	}
	free(detail);
	return ok;
}

static void teardown(struct ctx *c)
{
	sz_lab_release(&c->lab);
}

/* ---- the table of kinds ------------------------------------------------ */

/* Every row has a key, a shape, a loader and an evaluator; keys are unique;
 * only the rows that read the command's output say so. */
static void test_kind_table(void **state)
{
	for (size_t i = 0; i < SZ_CHECK_KIND_COUNT; i++) {
		const struct sz_field *f = &sz_check_fields[i];
		const struct sz_check_kind_ops *ops = sz_check_kind_ops((enum sz_check_kind)i);

		assert_non_null(f->key);
		assert_true(f->key[0] != '\0');
		assert_true(f->kind == SZ_YNODE_SCALAR || f->kind == SZ_YNODE_MAP);
		assert_non_null(f->load);
		assert_non_null(ops);
		assert_ptr_equal(ops, f->data);
		assert_non_null(ops->eval);
		for (size_t j = 0; j < i; j++)
			if (strcmp(sz_check_fields[j].key, f->key) == 0)
				fail_msg("check kinds %zu and %zu are both '%s'", j, i, f->key);
	}
	assert_null(sz_check_fields[SZ_CHECK_KIND_COUNT].key);
	assert_null(sz_check_kind_ops(SZ_CHECK_KIND_COUNT));
	assert_true(sz_check_reads_output(SZ_CHECK_STDERR));
	assert_false(sz_check_reads_output(SZ_CHECK_FILE));
	assert_false(sz_check_reads_output(SZ_CHECK_KIND_COUNT));
}

/* One check of each kind, in the table's order, and whether it holds
 * against fake_default() and setup_checks()'s outcome. */
static const struct {
	const char *line;
	bool holds;
	const char *detail; /* when it does not hold */
} each_kind[SZ_CHECK_KIND_COUNT] = {
    {"exit: 0", true, NULL},
    {"stdout: '^hello$'", true, NULL},
    {"stderr: '^oops$'", true, NULL},
    {"stdout-not: 'secret'", true, NULL},
    {"oom-killed: false", true, NULL},
    {"file: {path: /etc/hostname, contains: '^box'}", true, NULL},
    {"host-file: {path: shared/out.txt, contains: done}", true, NULL},
    {"ns-differs: net", true, NULL},
    {"ns-same: user", false, "has a user namespace of its own"},
    {"uid-map: '^ *0 +1000 +1$'", true, NULL},
    {"cgroup: {counter: pids_current, min: 1, max: 3}", true, NULL},
    {"hostname: '^box$'", true, NULL},
    {"host-hostname-unchanged: true", true, NULL},
    {"listening: {port: 8080}", true, NULL},
    {"process: '^nc '", true, NULL},
};

/* A lab file with a check of every kind loads each as its kind, and each
 * evaluates through its row's evaluator. */
static void test_each_kind_loads_and_evaluates(void **state)
{
	char *lines = sz_xstrdup("");
	struct ctx c;

	for (size_t i = 0; i < SZ_CHECK_KIND_COUNT; i++) {
		char *more = sz_asprintf("%s      - %s\n", lines, each_kind[i].line);

		free(lines);
		lines = more;
	}
	setup_checks(&c, lines);
	free(lines);
	assert_int_equal(c.lab.steps[0].n_expect, SZ_CHECK_KIND_COUNT);
	for (size_t i = 0; i < SZ_CHECK_KIND_COUNT; i++) {
		assert_int_equal(check(&c, i)->kind, (enum sz_check_kind)i);
		assert_int_equal(eval_one(&c, i, each_kind[i].detail), each_kind[i].holds);
	}
	teardown(&c);
}

/* ---- what the command did ---------------------------------------------- */

static void test_exit(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - exit: 0\n      - exit: 137\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "the exit status was 0, not 137"));
	c.o.ran = false;
	assert_false(eval_one(&c, 0, "no command ran"));
	teardown(&c);
}

static void test_output(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - stdout: '^hello$'\n      - stdout: '^hel$'\n      - stdout-not: 'wor'\n"
	                 "      - stdout-not: '^x'\n      - stderr: '^oops$'\n      - stderr: 'hello'\n"
	                 "      - stdout: 'o (w|x)'\n");
	assert_true(eval_one(&c, 0, NULL)); /* the \r of a terminal is dropped */
	assert_false(eval_one(&c, 1, "no line of stdout matches; it was: 'hello  world '"));
	assert_false(eval_one(&c, 2, "a line of stdout matches: 'world'"));
	assert_true(eval_one(&c, 3, NULL));
	assert_true(eval_one(&c, 4, NULL));
	assert_false(eval_one(&c, 5, "no line of stderr matches"));
	assert_false(eval_one(&c, 6, "no line of stdout matches")); /* lines, not the whole text */
	teardown(&c);
}

static void test_oom(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - oom-killed: true\n      - oom-killed: false\n");
	assert_false(eval_one(&c, 0, "no process of the container was killed"));
	assert_true(eval_one(&c, 1, NULL));
	c.fake.counters[SZ_COUNTER_OOM_KILL] = 1; /* the counter grew during the step */
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "the kernel's OOM killer killed"));
	c.o.oom_base = 1; /* it had grown before the step */
	assert_false(eval_one(&c, 0, "no process"));
	c.o.oom_killed = true; /* the runtime saw it */
	assert_true(eval_one(&c, 0, NULL));
	teardown(&c);
}

/* ---- files ------------------------------------------------------------- */

static void test_files(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - file: {path: /etc/hostname}\n"
	                 "      - file: {path: /etc/hostname, contains: '^box$'}\n"
	                 "      - file: {path: /etc/hostname, contains: '^lab$'}\n"
	                 "      - file: {path: /nope, exists: false}\n"
	                 "      - file: {path: /etc/hostname, exists: false}\n"
	                 "      - file: {path: /nope}\n"
	                 "      - file: {path: /secret}\n"
	                 "      - host-file: {path: shared/out.txt, contains: done}\n"
	                 "      - host-file: {path: etc/hostname}\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_true(eval_one(&c, 1, NULL));
	assert_false(eval_one(&c, 2, "no line of '/etc/hostname' matches; it holds: 'box '"));
	assert_true(eval_one(&c, 3, NULL));
	assert_false(eval_one(&c, 4, "'/etc/hostname' exists in the container"));
	assert_false(eval_one(&c, 5, "'/nope' does not exist in the container"));
	assert_false(eval_one(&c, 6, "cannot open '/secret': Permission denied"));
	assert_true(eval_one(&c, 7, NULL));
	assert_false(eval_one(&c, 8, "'etc/hostname' does not exist in the work directory"));
	teardown(&c);
}

/* ---- kernel state ------------------------------------------------------ */

static void test_namespaces(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - ns-differs: net\n      - ns-same: net\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "the container has a net namespace of its own (net:[4026532001]"));
	c.fake.ns_container = c.fake.ns_host;
	assert_false(eval_one(&c, 0, "the container shares the host's net namespace (net:[4026531836])"));
	assert_true(eval_one(&c, 1, NULL));
	teardown(&c);
}

static void test_uid_map_and_names(void **state)
{
	struct ctx c;

	setup_checks(
	    &c, "      - uid-map: '^ *0 +1000 +1$'\n      - uid-map: '^ *0 +0 '\n      - hostname: '^box$'\n"
	        "      - hostname: '^lab$'\n      - host-hostname-unchanged: true\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "no line of uid_map matches"));
	assert_true(eval_one(&c, 2, NULL));
	assert_false(eval_one(&c, 3, "the container's host name is 'box'"));
	assert_true(eval_one(&c, 4, NULL));
	c.fake.host_hostname = "box";
	assert_false(eval_one(&c, 4, "the host's name changed from 'laptop' to 'box'"));
	teardown(&c);
}

static void test_cgroup(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - cgroup: {counter: pids_current, min: 2, max: 3}\n"
	                 "      - cgroup: {counter: pids_current, min: 4}\n"
	                 "      - cgroup: {counter: memory_current, max: 1000}\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "pids_current is 3, less than 4"));
	assert_false(eval_one(&c, 2, "memory_current is 1048576, more than 1000"));
	c.fake.has_cgroup = false;
	assert_false(eval_one(&c, 0, "the container has no cgroup"));
	teardown(&c);
}

static void test_net_table(void **state)
{
	static const char udp[] = "  sl  local_address rem_address   st\n"
	                          "  12: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000\n"
	                          "  13: 0100007F:0044 0200007F:1F90 01 00000000:00000000 00:00000000\n";

	assert_true(sz_net_table_listens(tcp_listen_8080, SZ_PROTO_TCP, 8080));
	assert_false(sz_net_table_listens(tcp_listen_8080, SZ_PROTO_TCP, 80));
	assert_false(sz_net_table_listens(tcp6_established_8080, SZ_PROTO_TCP, 8080));
	assert_false(sz_net_table_listens(tcp_none, SZ_PROTO_TCP, 8080));
	assert_true(sz_net_table_listens(udp, SZ_PROTO_UDP, 53));
	assert_false(sz_net_table_listens(udp, SZ_PROTO_UDP, 68)); /* connected: not a listener */
	assert_false(sz_net_table_listens("", SZ_PROTO_TCP, 8080));
}

static void test_listening_and_process(void **state)
{
	struct ctx c;

	setup_checks(&c, "      - listening: {port: 8080}\n      - listening: {port: 80}\n"
	                 "      - process: '^nc -l'\n      - process: '^httpd'\n");
	assert_true(eval_one(&c, 0, NULL));
	assert_false(eval_one(&c, 1, "nothing listens on tcp port 80 in the container"));
	c.fake.net_host = tcp_listen_8080; /* --net host, or a listener on the host */
	assert_false(eval_one(&c, 0, "tcp port 8080 listens on the host too"));
	assert_true(eval_one(&c, 2, NULL));
	assert_false(eval_one(&c, 3, "no process of the container matches (it has 3 processes)"));
	teardown(&c);
}

/* ---- rounds, retries and timeouts -------------------------------------- */

static void test_retry_until_it_holds(void **state)
{
	struct ctx c;
	struct sz_check_result res[2];

	setup_checks(&c, "      - exit: 0\n      - file: {path: /tmp/late}\n");
	c.fake.files[3] = (struct fake_file){false, "/tmp/late", "x", 3};
	assert_int_equal(sz_checks_run(check(&c, 0), 2, &c.o, &c.env, 10 * SZ_CHECK_RETRY_NS, res), 1);
	assert_int_equal(c.fake.pauses, 3);
	assert_true(res[0].pass && res[1].pass);
	assert_ptr_equal(res[1].check, check(&c, 1));
	sz_check_result_release(&res[0]);
	sz_check_result_release(&res[1]);
	teardown(&c);
}

static void test_timeout(void **state)
{
	struct ctx c;
	struct sz_check_result res[1];

	setup_checks(&c, "      - file: {path: /tmp/late}\n");
	c.fake.files[3] = (struct fake_file){false, "/tmp/late", "x", 100};
	/* 0.12 s: two full pauses and a short one, then the deadline. */
	assert_int_equal(sz_checks_run(check(&c, 0), 1, &c.o, &c.env, 120000000, res), 0);
	assert_int_equal(c.fake.pauses, 3);
	assert_int_equal(c.fake.now, 120000000);
	assert_false(res[0].pass);
	assert_non_null(strstr(res[0].detail, "does not exist"));
	sz_check_result_release(&res[0]);
	/* Deadline 0: one try, no pause. */
	c.fake.pauses = 0;
	assert_int_equal(sz_checks_run(check(&c, 0), 1, &c.o, &c.env, 0, res), 0);
	assert_int_equal(c.fake.pauses, 0);
	sz_check_result_release(&res[0]);
	teardown(&c);
}

/* What a command printed does not change: no waiting for it. */
static void test_no_retry_for_output(void **state)
{
	struct ctx c;
	struct sz_check_result res[2];

	setup_checks(&c, "      - exit: 1\n      - hostname: '^box$'\n");
	assert_int_equal(sz_checks_run(check(&c, 0), 2, &c.o, &c.env, 10 * SZ_CHECK_RETRY_NS, res), 0);
	assert_int_equal(c.fake.pauses, 0);
	assert_false(res[0].pass);
	assert_true(res[1].pass);
	sz_check_result_release(&res[0]);
	sz_check_result_release(&res[1]);
	teardown(&c);
}

/* Every check must hold in the same round. */
static void test_same_round(void **state)
{
	struct ctx c;
	struct sz_check_result res[2];

	setup_checks(&c,
	             "      - file: {path: /tmp/late}\n      - file: {path: /etc/hostname, exists: false}\n");
	c.fake.files[3] = (struct fake_file){false, "/tmp/late", "x", 1};
	assert_int_equal(sz_checks_run(check(&c, 0), 2, &c.o, &c.env, 3 * SZ_CHECK_RETRY_NS, res), 0);
	assert_true(res[0].pass);
	assert_false(res[1].pass);
	sz_check_result_release(&res[0]);
	sz_check_result_release(&res[1]);
	teardown(&c);
}

static void test_stopped(void **state)
{
	struct ctx c;
	struct sz_check_result res[1];

	setup_checks(&c, "      - process: '^never$'\n");
	c.fake.stop_after = 2;
	assert_int_equal(sz_checks_run(check(&c, 0), 1, &c.o, &c.env, 100 * SZ_CHECK_RETRY_NS, res), -1);
	assert_int_equal(c.fake.pauses, 2);
	sz_check_result_release(&res[0]);
	teardown(&c);
}

static void test_text_has_line(void **state)
{
	regex_t re;

	assert_int_equal(regcomp(&re, "^b$", REG_EXTENDED | REG_NOSUB), 0);
	assert_true(sz_text_has_line(&re, "a\nb", 3));
	assert_true(sz_text_has_line(&re, "a\r\nb\r\n", 6));
	assert_false(sz_text_has_line(&re, "ab\n", 3));
	assert_false(sz_text_has_line(&re, "", 0));
	assert_false(sz_text_has_line(&re, NULL, 0));
	assert_true(sz_text_has_line(&re, "a\nbc", 3)); /* len counts */
	regfree(&re);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_table),
	    cmocka_unit_test(test_each_kind_loads_and_evaluates),
	    cmocka_unit_test(test_exit),
	    cmocka_unit_test(test_output),
	    cmocka_unit_test(test_oom),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_namespaces),
	    cmocka_unit_test(test_uid_map_and_names),
	    cmocka_unit_test(test_cgroup),
	    cmocka_unit_test(test_net_table),
	    cmocka_unit_test(test_listening_and_process),
	    cmocka_unit_test(test_retry_until_it_holds),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_no_retry_for_output),
	    cmocka_unit_test(test_same_round),
	    cmocka_unit_test(test_stopped),
	    cmocka_unit_test(test_text_has_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
