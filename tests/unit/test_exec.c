/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_exec.c - create/exec/destroy and the lab session against real containers (run by
 * integration/test_14_exec) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "common/cleanup.h"
#include "common/util.h"
#include "labs/session.h"
#include "runtime/runtime.h"

/*
 * Without arguments: the checks that need no container. With --containers
 * (tests/integration/test_14_exec.sh passes it, as root and as a learner):
 * real containers from the build's busybox image. The environment says what
 * the host allows: SZIT_EXEC_LIMITS=1 when this user may have cgroup limits
 * (as root always; a learner with a delegated cgroup).
 */

#define SECOND (1000ULL * 1000ULL * 1000ULL)
#define MS     (1000ULL * 1000ULL)

struct fixture {
	struct sz_paths paths;
	char *rootfs; /* the build's busybox rootfs: the runtime takes a root directory */
	bool rootfs_copied;
	struct sz_container_handle *h;
	bool rootless;
	bool limits;
	int devnull;
};

static struct fixture fx = {.devnull = -1};

/* ---- helpers ---- */

static void check(int ret, sz_error_t *err)
{
	if (ret < 0)
		fail_msg("unexpected error: %s", sz_error_msg(*err));
}

static char *image_dir(void)
{
	const char *build = getenv("STANZA_BUILD_DIR");

	return sz_asprintf("%s/images", build != NULL && build[0] == '/' ? build : STANZA_BUILD_DIR);
}

static void base_spec(struct sz_spec *spec, bool limits)
{
	static char *const init[] = {"sleep", "2147483647", NULL};

	sz_spec_init(spec);
	spec->image = fx.rootfs;
	spec->argv = init;
	spec->hostname = "lab-box";
	for (int i = 0; i < 3; i++)
		spec->stdio[i] = fx.devnull;
	if (limits) {
		spec->limits.memory_bytes = 32ULL << 20;
		spec->limits.pids = 64;
	}
}

/* Run argv in the container; stdout and stderr go to *out. */
static int exec_capture(struct sz_container_handle *h, struct sz_exec_spec *x, char **out,
                        struct sz_result *res, sz_error_t *err)
{
	cleanup_close int fd = memfd_create("test-exec", MFD_CLOEXEC);
	char buf[65536];
	ssize_t n;
	int ret;

	assert_true(fd >= 0);
	x->stdio[0] = fx.devnull;
	x->stdio[1] = x->stdio[2] = fd;
	ret = sz_exec(h, x, res, err);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	assert_true(n >= 0);
	buf[n] = '\0';
	*out = sz_xstrdup(buf);
	return ret;
}

/* The output of argv run in the fixture's container, which must succeed. */
static char *run_ok(char *const *argv, int want_status)
{
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	char *out = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	if (sz_result_status(&res) != want_status)
		fail_msg("'%s': status %d, expected %d; output: %s", argv[0], sz_result_status(&res),
		         want_status, out);
	return out;
}

static char *read_text(const char *path)
{
	char *text = NULL;
	sz_error_t err = NULL;

	check(sz_read_file(path, &text, NULL, &err), &err);
	return text;
}

/* The value of "Key:" in /proc/<pid>/status. */
static char *status_field(pid_t pid, const char *key)
{
	cleanup_free char *path = sz_asprintf("/proc/%ld/status", (long)pid);
	cleanup_free char *text = read_text(path);
	size_t klen = strlen(key);

	for (char *line = text; line != NULL && *line != '\0';) {
		char *nl = strchr(line, '\n');

		if (nl != NULL)
			*nl = '\0';
		if (strncmp(line, key, klen) == 0 && line[klen] == ':')
			return sz_xstrdup(line + klen + 1 + strspn(line + klen + 1, " \t"));
		line = nl != NULL ? nl + 1 : NULL;
	}
	fail_msg("no %s in %s", key, path);
	return NULL;
}

/* "0 1 2": the descriptors pid has open, as the host sees them. */
static char *fd_list(pid_t pid)
{
	cleanup_free char *path = sz_asprintf("/proc/%ld/fd", (long)pid);
	cleanup_dir DIR *d = opendir(path);
	int fds[64];
	size_t n = 0;
	struct dirent *de;
	char *out = sz_xstrdup("");

	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n < 64)
		if (de->d_name[0] != '.')
			fds[n++] = atoi(de->d_name);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (fds[j] < fds[i]) {
				int t = fds[i];
				fds[i] = fds[j];
				fds[j] = t;
			}
	for (size_t i = 0; i < n; i++) {
		char *longer = sz_asprintf("%s%s%d", out, i ? " " : "", fds[i]);
		free(out);
		out = longer;
	}
	return out;
}

static struct sz_process *start_sleep_in(struct sz_container_handle *h, const char *seconds)
{
	char *argv[] = {"sleep", (char *)seconds, NULL};
	struct sz_exec_spec x;
	struct sz_process *p = NULL;
	sz_error_t err = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	x.stdio[0] = x.stdio[1] = x.stdio[2] = fx.devnull;
	check(sz_exec_start(h, &x, &p, &err), &err);
	return p;
}

static struct sz_process *start_sleep(const char *seconds)
{
	return start_sleep_in(fx.h, seconds);
}

/* ---- without a container ---- */

static void test_exec_spec_defaults(void **state)
{
	struct sz_exec_spec x;

	sz_exec_spec_init(&x);
	assert_null(x.argv);
	assert_false(x.tty);
	assert_int_equal(x.timeout_ns, 0);
	assert_int_equal(x.stdio[0], 0);
	assert_int_equal(x.stdio[1], 1);
	assert_int_equal(x.stdio[2], 2);
}

/* Misuse is refused before anything is made: no state root appears. */
static void test_create_refuses_before_acting(void **state)
{
	char tmpl[] = "/tmp/test-exec.XXXXXX";
	char *dir = mkdtemp(tmpl);
	cleanup_free char *root = sz_asprintf("%s/state", dir);
	struct sz_paths paths = {.state_root = root, .image_dir = dir};
	struct sz_container_handle *h = (void *)1;
	struct sz_spec spec;
	sz_error_t err = NULL;

	assert_non_null(dir);
	base_spec(&spec, false);
	spec.tty = true;
	assert_int_equal(sz_create(&spec, &paths, &h, &err), -1);
	assert_null(h);
	assert_non_null(strstr(sz_error_msg(err), "terminal"));
	sz_error_release(&err);
	spec.tty = false;
	spec.argv = NULL;
	assert_int_equal(sz_create(&spec, &paths, &h, &err), -1);
	sz_error_release(&err);
	assert_int_equal(access(root, F_OK), -1);
	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(sz_destroy(NULL, NULL, &err), 0);
	sz_session_close(NULL);
	sz_process_free(NULL);
}

static void test_exec_error_text(void **state)
{
	struct sz_result res = {0};
	cleanup_free char *missing = NULL;
	cleanup_free char *denied = NULL;

	assert_null(sz_exec_error_text(&res, "ls"));
	res.exec_errno = ENOENT;
	missing = sz_exec_error_text(&res, "nope");
	assert_string_equal(missing, "'nope': command not found in the container");
	assert_int_equal(sz_result_status(&res), 127);
	res.exec_errno = EACCES;
	denied = sz_exec_error_text(&res, "/etc");
	assert_non_null(strstr(denied, "'/etc' cannot be executed"));
	assert_int_equal(sz_result_status(&res), 126);
}

/* ---- one container for many checks ---- */

static int setup_container(void **state)
{
	struct sz_spec spec;
	sz_error_t err = NULL;

	base_spec(&spec, fx.limits);
	if (sz_create(&spec, &fx.paths, &fx.h, &err) < 0) {
		print_error("sz_create: %s\n", sz_error_msg(err));
		sz_error_release(&err);
		return -1;
	}
	return 0;
}

static int teardown_container(void **state)
{
	struct sz_result res;
	sz_error_t err = NULL;
	int ret = sz_destroy(fx.h, &res, &err);

	fx.h = NULL;
	if (ret < 0)
		print_error("sz_destroy: %s\n", sz_error_msg(err));
	sz_error_release(&err);
	return ret;
}

/* Runs first: later tests leave zombies to PID 1 (sleep does not reap). */
static void test_pid_namespace(void **state)
{
	char *argv[] = {"ps", "-o", "pid,args", NULL};
	cleanup_free char *out = run_ok(argv, 0);
	int lines = 0;

	for (const char *p = out; *p != '\0'; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 3); /* the header, PID 1 and ps */
	assert_non_null(strstr(out, " 1 sleep 2147483647\n"));
	assert_non_null(strstr(out, " ps -o pid,args\n"));
}

static void test_hostname(void **state)
{
	char *argv[] = {"hostname", NULL};
	cleanup_free char *out = run_ok(argv, 0);

	assert_string_equal(out, "lab-box\n");
}

/* Inside: every namespace of PID 1 (compared from the host). */
static void test_same_namespaces(void **state)
{
	static const char *const ns[] = {"mnt", "uts", "ipc", "net", "pid", "cgroup", "user"};
	struct sz_process *p = start_sleep("30");

	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		char a[128], b[128];
		cleanup_free char *pa = sz_asprintf("/proc/%ld/ns/%s", (long)sz_container_pid(fx.h), ns[i]);
		cleanup_free char *pb = sz_asprintf("/proc/%ld/ns/%s", (long)sz_process_pid(p), ns[i]);
		ssize_t na = readlink(pa, a, sizeof(a) - 1);
		ssize_t nb = readlink(pb, b, sizeof(b) - 1);

		assert_true(na > 0 && nb > 0);
		a[na] = b[nb] = '\0';
		if (strcmp(a, b) != 0)
			fail_msg("%s: PID 1 has %s, the exec'd process %s", ns[i], a, b);
	}
	sz_process_free(p);
}

static void test_cgroup(void **state)
{
	struct sz_process *p = start_sleep("30");
	cleanup_free char *pid1_path = sz_asprintf("/proc/%ld/cgroup", (long)sz_container_pid(fx.h));
	cleanup_free char *path = sz_asprintf("/proc/%ld/cgroup", (long)sz_process_pid(p));
	cleanup_free char *pid1_cg = read_text(pid1_path);
	cleanup_free char *cg = read_text(path);
	cleanup_free char *name = sz_asprintf("/stanza-%s", sz_container_id(fx.h));
	char *argv[] = {"cat", "/proc/self/cgroup", NULL};
	cleanup_free char *inside = run_ok(argv, 0);

	assert_string_equal(cg, pid1_cg);
	if (fx.limits) {
		const char *dir = sz_container_cgroup_dir(fx.h, SZ_CTRL_MEMORY);

		assert_non_null(strstr(cg, name));
		assert_non_null(dir);
		assert_true(strlen(dir) > strlen(name));
		assert_string_equal(dir + strlen(dir) - strlen(name), name);
	} else {
		assert_null(sz_container_cgroup_dir(fx.h, SZ_CTRL_MEMORY));
	}
	/* the cgroup namespace: every group is its root from inside */
	for (char *line = inside; *line != '\0';) {
		char *nl = strchr(line, '\n');

		assert_non_null(nl);
		*nl = '\0';
		if (strcmp(nl - 2, ":/") != 0)
			fail_msg("not the root of its cgroup namespace: %s", line);
		line = nl + 1;
	}
	sz_process_free(p);
}

static void test_user(void **state)
{
	char *argv[] = {"id", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	x.user = "app";
	if (fx.rootless) {
		/* One user is mapped: the learner, as root. */
		assert_int_equal(exec_capture(fx.h, &x, &out, &res, &err), -1);
		assert_non_null(strstr(sz_error_msg(err), "--user app"));
		sz_error_release(&err);
		return;
	}
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_int_equal(sz_result_status(&res), 0);
	assert_non_null(strstr(out, "uid=1000(app) gid=1000(app)"));
}

/* The same capabilities, no_new_privs and seccomp as a fresh run. */
static void test_hardening_same_as_run(void **state)
{
	static char *const argv[] = {
	    "grep", "-E", "^(CapPrm|CapEff|CapBnd|CapInh|CapAmb|NoNewPrivs|Seccomp):", "/proc/self/status",
	    NULL};
	cleanup_close int fd = memfd_create("test-run", MFD_CLOEXEC);
	cleanup_free char *exec_out = run_ok(argv, 0);
	struct sz_spec spec;
	struct sz_result res;
	sz_error_t err = NULL;
	char run_out[4096];
	ssize_t n;

	sz_spec_init(&spec);
	spec.image = fx.rootfs;
	spec.argv = argv;
	spec.stdio[0] = fx.devnull;
	spec.stdio[1] = spec.stdio[2] = fd;
	check(sz_run(&spec, &fx.paths, &res, &err), &err);
	assert_int_equal(sz_result_status(&res), 0);
	n = pread(fd, run_out, sizeof(run_out) - 1, 0);
	assert_true(n > 0);
	run_out[n] = '\0';
	assert_string_equal(exec_out, run_out);
	assert_non_null(strstr(exec_out, "Seccomp:\t2\n"));
	assert_non_null(strstr(exec_out, "NoNewPrivs:\t1\n"));
	assert_non_null(strstr(exec_out, "CapInh:\t0000000000000000\n"));
	if (!fx.rootless)
		assert_non_null(strstr(exec_out, "CapEff:\t00000000800405fb\n"));
}

/* From the host, while it runs: seccomp on, no_new_privs, fds 0 1 2 only,
 * though the caller had a descriptor open without close-on-exec. */
static void test_seen_from_host(void **state)
{
	int stray = dup(fx.devnull); /* dup: not close-on-exec */
	struct sz_process *p;
	cleanup_free char *seccomp = NULL;
	cleanup_free char *nnp = NULL;
	cleanup_free char *fds = NULL;

	assert_true(stray > 2);
	p = start_sleep("30");
	seccomp = status_field(sz_process_pid(p), "Seccomp");
	nnp = status_field(sz_process_pid(p), "NoNewPrivs");
	fds = fd_list(sz_process_pid(p));
	assert_string_equal(seccomp, "2");
	assert_string_equal(nnp, "1");
	assert_string_equal(fds, "0 1 2");
	sz_process_free(p);
	close(stray);
}

static void test_fds_inside(void **state)
{
	char *argv[] = {"ls", "/proc/self/fd", NULL};
	cleanup_free char *out = run_ok(argv, 0);

	assert_string_equal(out, "0\n1\n2\n3\n"); /* 3: ls's own directory */
}

static void test_missing_command(void **state)
{
	char *argv[] = {"no-such-command", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;
	cleanup_free char *why = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_int_equal(res.exec_errno, ENOENT);
	assert_int_equal(sz_result_status(&res), 127);
	why = sz_exec_error_text(&res, argv[0]);
	assert_string_equal(why, "'no-such-command': command not found in the container");
}

/* CVE-2019-5736 through an exec: a script whose interpreter is
 * /proc/self/exe, executed as an exec's command, makes the kernel run the
 * program that executes it. That must be the sealed stanza-init (which
 * refuses the arguments and says its usage), never stanza's binary. */
static void test_exec_proc_self_exe(void **state)
{
	char *plant[] = {"sh", "-c",
	                 "printf '#!/proc/self/exe\\n' >/tmp/szit-evil && chmod 755 /tmp/szit-evil", NULL};
	char *argv[] = {"/tmp/szit-evil", "x", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *planted = run_ok(plant, 0);
	cleanup_free char *out = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	if (strstr(out, "usage: stanza-init") == NULL || sz_result_status(&res) != 2)
		fail_msg("/proc/self/exe as an interpreter: status %d, output: %s", sz_result_status(&res),
		         out);
}

static void test_env_and_workdir(void **state)
{
	char *argv[] = {"sh", "-c", "pwd; echo \"$FOO $HOME $HOSTNAME\"", NULL};
	char *env[] = {"FOO=bar", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;
	cleanup_free char *out2 = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	x.env = env;
	x.workdir = "/tmp";
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_string_equal(out, "/tmp\nbar /root lab-box\n");
	/* as docker exec: a missing working directory is an error, not made */
	x.workdir = "/no/such/dir";
	assert_int_equal(exec_capture(fx.h, &x, &out2, &res, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "/no/such/dir"));
	sz_error_release(&err);
}

static void test_tty(void **state)
{
	char *argv[] = {"sh", "-c", "tty; echo done", NULL};
	struct sz_exec_spec x;
	struct sz_process *p = NULL;
	struct sz_result res;
	sz_error_t err = NULL;
	char buf[512];
	size_t len = 0;

	sz_exec_spec_init(&x);
	x.argv = argv;
	x.tty = true;
	check(sz_exec_start(fx.h, &x, &p, &err), &err);
	assert_true(sz_process_pty(p) >= 0);
	for (;;) {
		ssize_t n = read(sz_process_pty(p), buf + len, sizeof(buf) - 1 - len);

		if (n <= 0)
			break; /* EIO: the command and its terminal are gone */
		len += (size_t)n;
	}
	buf[len] = '\0';
	check(sz_exec_wait(p, &res, &err), &err);
	assert_int_equal(sz_result_status(&res), 0);
	assert_non_null(strstr(buf, "/dev/pts/"));
	assert_non_null(strstr(buf, "done"));
	sz_process_free(p);
}

static void test_timeout(void **state)
{
	char *argv[] = {"sh", "-c", "sleep 100; echo never", NULL};
	char *ps[] = {"ps", "-o", "pid,stat,args", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;
	cleanup_free char *left = NULL;

	sz_exec_spec_init(&x);
	x.argv = argv;
	x.timeout_ns = 300 * MS;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_true(res.timed_out);
	assert_int_equal(sz_result_status(&res), 124);
	assert_true(res.wall_ns < 5 * SECOND);
	assert_string_equal(out, "");
	/* the whole group was killed: no `sleep 100` left (a zombie shows no args) */
	left = run_ok(ps, 0);
	assert_null(strstr(left, "sleep 100"));
	assert_true(sz_container_running(fx.h));
}

static void refused_without_cgroup(void)
{
	struct sz_container_handle *h = NULL;
	struct sz_spec spec;
	sz_error_t err = NULL;

	base_spec(&spec, true);
	assert_int_equal(sz_create(&spec, &fx.paths, &h, &err), -1);
	assert_null(h);
	assert_non_null(strstr(sz_error_msg(err), "needs a cgroup you may write"));
	sz_error_release(&err);
}

/* An OOM kill in an exec is its own, and leaves PID 1 alive even when the
 * kernel picks more than one victim; without a cgroup for this user, a limit
 * is refused with the reason instead. */
static void test_memory_limit(void **state)
{
	char *argv[] = {"sh", "-c", "head -c 64m /dev/zero | tail >/dev/null", NULL};
	char *ok[] = {"true", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	struct sz_cgroup_stats stats;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;
	char *adj[] = {"cat", "/proc/self/oom_score_adj", "/proc/1/oom_score_adj", NULL};

	/* the command is the kernel's first choice, PID 1 its last */
	out = run_ok(adj, 0);
	assert_string_equal(out, "500\n0\n");
	free(out);
	out = NULL;
	if (!fx.limits) {
		refused_without_cgroup();
		return;
	}
	sz_exec_spec_init(&x);
	x.argv = argv;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_true(res.oom_killed);
	assert_true(res.oom_kills >= 1);
	assert_int_not_equal(sz_result_status(&res), 0);
	assert_true(sz_container_running(fx.h));
	/* counted per exec: the next command saw none */
	free(out);
	out = NULL;
	x.argv = ok;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	assert_false(res.oom_killed);
	assert_int_equal(res.oom_kills, 0);
	check(sz_container_stats(fx.h, &stats, &err), &err);
	assert_true(stats.has_oom && stats.oom_kills >= 1);
	assert_true(stats.has_pids && stats.pids_current >= 1);
}

static void ignore(int sig)
{
}

/* SIGINT while a command runs stops it and says so. */
static void test_interrupted(void **state)
{
	char *argv[] = {"sleep", "30", NULL};
	struct sigaction sa = {.sa_handler = ignore}, old;
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;
	cleanup_free char *out = NULL;
	pid_t sender;

	sigaction(SIGINT, &sa, &old);
	sender = fork();
	if (sender == 0) {
		usleep(400 * 1000);
		kill(getppid(), SIGINT);
		_exit(0);
	}
	sz_exec_spec_init(&x);
	x.argv = argv;
	check(exec_capture(fx.h, &x, &out, &res, &err), &err);
	waitpid(sender, NULL, 0);
	sigaction(SIGINT, &old, NULL);
	assert_true(res.interrupted);
	assert_int_equal(res.interrupt_signal, SIGINT);
	assert_int_equal(sz_result_status(&res), 130);
	assert_true(res.wall_ns < 10 * SECOND);
}

/* ---- containers of their own ---- */

static struct sz_container_handle *create(bool limits)
{
	struct sz_container_handle *h = NULL;
	struct sz_spec spec;
	sz_error_t err = NULL;

	base_spec(&spec, limits);
	check(sz_create(&spec, &fx.paths, &h, &err), &err);
	return h;
}

static bool mounts_name(const char *id)
{
	cleanup_free char *text = read_text("/proc/self/mountinfo");

	return strstr(text, id) != NULL;
}

/* Destroy with a command and a session still running: everything goes. */
static void test_destroy_removes_everything(void **state)
{
	struct sz_container_handle *h = create(fx.limits);
	cleanup_free char *id = sz_xstrdup(sz_container_id(h));
	cleanup_free char *dir = sz_xstrdup(sz_container_state_dir(h));
	cleanup_free char *upper = sz_xstrdup(sz_container_upper_dir(h));
	cleanup_free char *cg = NULL;
	cleanup_free char *pid1 = sz_asprintf("/proc/%ld", (long)sz_container_pid(h));
	struct sz_session *s = NULL;
	struct sz_process *p;
	struct sz_result res;
	sz_error_t err = NULL;
	struct stat st;

	if (sz_container_cgroup_dir(h, SZ_CTRL_MEMORY) != NULL)
		cg = sz_xstrdup(sz_container_cgroup_dir(h, SZ_CTRL_MEMORY));
	assert_int_equal(fx.limits, cg != NULL);
	assert_int_equal(stat(upper, &st), 0);
	p = start_sleep_in(h, "100");
	check(sz_session_open(h, NULL, &s, &err), &err);
	check(sz_destroy(h, &res, &err), &err);
	assert_int_equal(res.term_signal, SIGKILL);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(errno, ENOENT);
	if (cg != NULL)
		assert_int_equal(stat(cg, &st), -1);
	assert_false(mounts_name(id));
	assert_int_equal(access(pid1, F_OK), -1);
	/* the caller's structs outlive the container */
	assert_int_equal(sz_process_pidfd(p), -1);
	check(sz_exec_wait(p, &res, &err), &err);
	assert_int_equal(res.term_signal, SIGKILL);
	sz_process_free(p);
	sz_session_close(s);
}

/* PID 1 is dead: exec refuses through the pidfd, never joins another process. */
static void test_exec_after_pid1_died(void **state)
{
	struct sz_container_handle *h = create(false);
	struct pollfd pfd = {.fd = sz_container_pidfd(h), .events = POLLIN};
	char *argv[] = {"true", NULL};
	struct sz_exec_spec x;
	struct sz_result res;
	sz_error_t err = NULL;

	assert_true(sz_container_running(h));
	assert_int_equal(kill(sz_container_pid(h), SIGKILL), 0);
	assert_int_equal(poll(&pfd, 1, 5000), 1);
	assert_false(sz_container_running(h));
	sz_exec_spec_init(&x);
	x.argv = argv;
	assert_int_equal(sz_exec(h, &x, &res, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "has stopped"));
	sz_error_release(&err);
	check(sz_destroy(h, &res, &err), &err);
	assert_int_equal(res.term_signal, SIGKILL);
}

/* --net host: the exec joins every namespace but the network, which is the host's. */
static void test_net_host(void **state)
{
	struct sz_container_handle *h = NULL;
	struct sz_process *p;
	struct sz_spec spec;
	sz_error_t err = NULL;
	struct sz_result res;
	char host[128], mine[128], uts1[128], uts2[128];
	cleanup_free char *net = NULL;
	cleanup_free char *uts_pid1 = NULL;
	cleanup_free char *uts = NULL;
	ssize_t n;

	base_spec(&spec, false);
	spec.net = SZ_NET_HOST;
	check(sz_create(&spec, &fx.paths, &h, &err), &err);
	p = start_sleep_in(h, "30");
	net = sz_asprintf("/proc/%ld/ns/net", (long)sz_process_pid(p));
	uts = sz_asprintf("/proc/%ld/ns/uts", (long)sz_process_pid(p));
	uts_pid1 = sz_asprintf("/proc/%ld/ns/uts", (long)sz_container_pid(h));
	n = readlink("/proc/self/ns/net", host, sizeof(host) - 1);
	assert_true(n > 0);
	host[n] = '\0';
	n = readlink(net, mine, sizeof(mine) - 1);
	assert_true(n > 0);
	mine[n] = '\0';
	assert_string_equal(mine, host);
	n = readlink(uts, uts1, sizeof(uts1) - 1);
	assert_true(n > 0);
	uts1[n] = '\0';
	n = readlink(uts_pid1, uts2, sizeof(uts2) - 1);
	assert_true(n > 0);
	uts2[n] = '\0';
	assert_string_equal(uts1, uts2);
	sz_process_free(p);
	check(sz_destroy(h, &res, &err), &err);
}

static void test_create_missing_init(void **state)
{
	static char *const argv[] = {"no-such-init", NULL};
	struct sz_container_handle *h = NULL;
	struct sz_spec spec;
	sz_error_t err = NULL;

	base_spec(&spec, false);
	spec.argv = argv;
	assert_int_equal(sz_create(&spec, &fx.paths, &h, &err), -1);
	assert_null(h);
	assert_non_null(strstr(sz_error_msg(err), "'no-such-init': command not found"));
	sz_error_release(&err);
}

/* ---- the session ---- */

static char *session_ok(struct sz_session *s, const char *line, int want)
{
	struct sz_session_result res;
	sz_error_t err = NULL;
	char *out = NULL;

	check(sz_session_run_capture(s, line, 10 * SECOND, &out, &res, &err), &err);
	if (res.status != want || res.timed_out)
		fail_msg("'%s': status %d%s, expected %d; output: %s", line, res.status,
		         res.timed_out ? " (timed out)" : "", want, out);
	return out;
}

static bool listening(struct sz_session *s, const char *port)
{
	for (int i = 0; i < 50; i++) {
		cleanup_free char *out = session_ok(s, "netstat -ltn", 0);

		if (strstr(out, port) != NULL)
			return true;
		usleep(100 * 1000);
	}
	return false;
}

static void test_session(void **state)
{
	struct sz_session *s = NULL;
	struct sz_session_result res;
	sz_error_t err = NULL;
	cleanup_free char *seccomp = NULL;
	char *out;

	check(sz_session_open(fx.h, NULL, &s, &err), &err);
	seccomp = status_field(sz_session_pid(s), "Seccomp");
	assert_string_equal(seccomp, "2");
	free(session_ok(s, "cd /tmp", 0));
	out = session_ok(s, "pwd", 0);
	assert_string_equal(out, "/tmp\n");
	free(out);
	free(session_ok(s, "X=1", 0));
	out = session_ok(s, "echo $X", 0);
	assert_string_equal(out, "1\n");
	free(out);
	free(session_ok(s, "false", 1));
	out = session_ok(s, "printf 'no newline'", 0);
	assert_string_equal(out, "no newline");
	free(out);
	free(session_ok(s, "nc -l -p 8080 >/dev/null &", 0));
	assert_true(listening(s, ":8080 "));

	/* a timeout sends ^C: the command stops, the background job does not */
	check(sz_session_run_capture(s, "sleep 100", 300 * MS, &out, &res, &err), &err);
	assert_true(res.timed_out);
	assert_int_equal(res.status, 130);
	free(out);
	out = session_ok(s, "echo ok; pwd", 0);
	assert_string_equal(out, "ok\n/tmp\n");
	free(out);
	assert_true(listening(s, ":8080 "));

	/* refused lines leave the session usable */
	assert_int_equal(sz_session_run_capture(s, "echo \"open", SECOND, &out, &res, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "incomplete"));
	sz_error_release(&err);
	assert_int_equal(sz_session_run_capture(s, "echo a\necho b", SECOND, &out, &res, &err), -1);
	sz_error_release(&err);
	out = session_ok(s, "echo $X", 0);
	assert_string_equal(out, "1\n");
	free(out);
	sz_session_close(s);
}

/* The shell may end: `exit`, the OOM killer, or ash taking the SIGCHLD of a
 * background job that ends while it waits at its prompt for the end of its
 * input. The next line gets a new shell in the same container. */
static void test_session_revived(void **state)
{
	struct sz_session *s = NULL;
	struct sz_session_result res;
	sz_error_t err = NULL;
	char *out = NULL;
	pid_t first;

	check(sz_session_open(fx.h, NULL, &s, &err), &err);
	first = sz_session_pid(s);
	free(session_ok(s, "sleep 0.2 &", 0));
	usleep(600 * 1000);
	check(sz_session_run_capture(s, "echo still here", 10 * SECOND, &out, &res, &err), &err);
	assert_string_equal(out, "still here\n");
	assert_int_equal(res.status, 0);
	free(out);
	/* a shell that exits with the line reports how, and is replaced */
	check(sz_session_run_capture(s, "exit 7", 10 * SECOND, &out, &res, &err), &err);
	assert_true(res.restarted);
	assert_int_equal(res.status, 7);
	free(out);
	assert_int_not_equal(sz_session_pid(s), first);
	out = session_ok(s, "echo again", 0);
	assert_string_equal(out, "again\n");
	free(out);
	sz_session_close(s);
}

/* A foreground job that ignores ^C is killed after the grace period. */
static void test_session_stubborn_job(void **state)
{
	struct sz_session *s = NULL;
	struct sz_session_result res;
	sz_error_t err = NULL;
	char *out = NULL;

	check(sz_session_open(fx.h, NULL, &s, &err), &err);
	check(sz_session_run_capture(s, "sh -c 'trap \"\" INT; sleep 100'", 200 * MS, &out, &res, &err),
	      &err);
	assert_true(res.timed_out);
	assert_int_not_equal(res.status, 0);
	free(out);
	out = session_ok(s, "echo still here", 0);
	assert_string_equal(out, "still here\n");
	free(out);
	sz_session_close(s);
}

static void test_session_cancel_fd(void **state)
{
	struct sz_session *s = NULL;
	struct sz_session_result res;
	sz_error_t err = NULL;
	cleanup_close int efd = eventfd(1, EFD_CLOEXEC); /* readable from the start */
	char *out = NULL;
	uint64_t t0;

	check(sz_session_open(fx.h, NULL, &s, &err), &err);
	sz_session_set_cancel_fd(s, efd);
	t0 = sz_now_ns();
	check(sz_session_run_capture(s, "sleep 100", 0, &out, &res, &err), &err);
	assert_true(res.interrupted);
	assert_false(res.timed_out);
	assert_true(sz_now_ns() - t0 < 10 * SECOND);
	free(out);
	sz_session_set_cancel_fd(s, -1);
	out = session_ok(s, "echo ok", 0);
	assert_string_equal(out, "ok\n");
	free(out);
	sz_session_close(s);
}

/* ---- main ---- */

static int group_setup(void **state)
{
	sz_error_t err = NULL;
	cleanup_free char *images = image_dir();
	cleanup_free char *busybox = sz_asprintf("%s/busybox/rootfs/bin/busybox", images);
	const char *limits = getenv("SZIT_EXEC_LIMITS");

	if (access(busybox, R_OK) < 0) {
		print_error("no busybox image at %s: build it first\n", busybox);
		return -1;
	}
	fx.rootless = geteuid() != 0;
	fx.limits = limits != NULL ? strcmp(limits, "1") == 0 : !fx.rootless;
	fx.devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	check(sz_paths_default(&fx.paths, images, &err), &err);
	fx.rootfs = sz_asprintf("%s/busybox/rootfs", images);
	if (fx.rootless) {
		/* The build's files are not the learner's when another user built
		 * them, and overlay cannot copy up what an unmapped user owns: a
		 * copy of the learner's own (root's /root, unreadable, stays out). */
		char tmpl[] = "/tmp/test-exec-rootfs.XXXXXX";
		cleanup_free char *cmd = NULL;

		if (mkdtemp(tmpl) == NULL) {
			print_error("cannot make a directory for the image's copy\n");
			return -1;
		}
		cmd = sz_asprintf("cp -a '%s/.' '%s/' 2>/dev/null", fx.rootfs, tmpl);
		(void)!system(cmd);
		free(fx.rootfs);
		fx.rootfs = sz_xstrdup(tmpl);
		fx.rootfs_copied = true;
	}
	return 0;
}

static int group_teardown(void **state)
{
	sz_paths_release(&fx.paths);
	if (fx.rootfs_copied) {
		sz_error_t err = NULL;

		if (sz_rm_rf_at(AT_FDCWD, fx.rootfs, &err) < 0)
			sz_error_print_release(&err);
	}
	free(fx.rootfs);
	if (fx.devnull >= 0)
		close(fx.devnull);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest plain[] = {
	    cmocka_unit_test(test_exec_spec_defaults),
	    cmocka_unit_test(test_create_refuses_before_acting),
	    cmocka_unit_test(test_exec_error_text),
	};
	const struct CMUnitTest shared[] = {
	    cmocka_unit_test(test_pid_namespace),
	    cmocka_unit_test(test_hostname),
	    cmocka_unit_test(test_same_namespaces),
	    cmocka_unit_test(test_cgroup),
	    cmocka_unit_test(test_user),
	    cmocka_unit_test(test_hardening_same_as_run),
	    cmocka_unit_test(test_seen_from_host),
	    cmocka_unit_test(test_fds_inside),
	    cmocka_unit_test(test_missing_command),
	    cmocka_unit_test(test_exec_proc_self_exe),
	    cmocka_unit_test(test_env_and_workdir),
	    cmocka_unit_test(test_tty),
	    cmocka_unit_test(test_timeout),
	    cmocka_unit_test(test_memory_limit),
	    cmocka_unit_test(test_interrupted),
	    cmocka_unit_test(test_session),
	    cmocka_unit_test(test_session_revived),
	    cmocka_unit_test(test_session_stubborn_job),
	    cmocka_unit_test(test_session_cancel_fd),
	};
	const struct CMUnitTest own[] = {
	    cmocka_unit_test(test_destroy_removes_everything),
	    cmocka_unit_test(test_exec_after_pid1_died),
	    cmocka_unit_test(test_net_host),
	    cmocka_unit_test(test_create_missing_init),
	};
	int failed;

	if (argc < 2 || strcmp(argv[1], "--containers") != 0) {
		print_message("# containers: run by integration/test_14_exec (test_exec --containers)\n");
		return cmocka_run_group_tests_name("exec-plain", plain, NULL, NULL);
	}
	if (group_setup(NULL) < 0)
		return 1;
	failed = cmocka_run_group_tests_name("exec-shared", shared, setup_container, teardown_container);
	failed += cmocka_run_group_tests_name("exec-own", own, NULL, NULL);
	group_teardown(NULL);
	return failed;
}
