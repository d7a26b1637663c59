/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kernel.c - reading a running container's kernel state from outside, for the check evaluator */
#include "labs/kernel.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#define MAX_FILE_BYTES (1024 * 1024)

static pid_t pid_of(void *ctx)
{
	return sz_container_pid(((struct sz_lab_kernel *)ctx)->container);
}

/* ---- namespaces -------------------------------------------------------- */

static int ns_inode(void *ctx, bool host, const char *ns, uint64_t *ino, sz_error_t *err)
{
	cleanup_free char *path =
	    host ? sz_asprintf("/proc/self/ns/%s", ns) : sz_asprintf("/proc/%d/ns/%s", (int)pid_of(ctx), ns);
	struct stat st;

	if (stat(path, &st) < 0)
		return sz_error_make(err, errno, _("cannot read '%s'"), path);
	*ino = (uint64_t)st.st_ino;
	return 0;
}

static int uid_map(void *ctx, char **text, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("/proc/%d/uid_map", (int)pid_of(ctx));

	return sz_read_file(path, text, NULL, err);
}

/* ---- files ------------------------------------------------------------- */

/* Open path below rootfd as if rootfd were "/", for reading, without
 * blocking on a FIFO and without following magic links. */
static int open_in_root(int rootfd, const char *path)
{
	struct open_how how = {
	    .flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* A regular file's contents (up to MAX_FILE_BYTES); anything else that
 * exists reads as empty. */
static int read_fd(int fd, const char *shown, char **data, size_t *len, sz_error_t *err)
{
	struct stat st;
	char *buf;
	ssize_t n;

	if (fstat(fd, &st) < 0)
		return sz_error_make(err, errno, _("cannot read '%s'"), shown);
	buf = sz_xmalloc(MAX_FILE_BYTES + 1);
	n = S_ISREG(st.st_mode) ? sz_read_all(fd, buf, MAX_FILE_BYTES) : 0;
	if (n < 0) {
		free(buf);
		return sz_error_make(err, errno, _("cannot read '%s'"), shown);
	}
	buf[n] = '\0';
	*data = buf;
	*len = (size_t)n;
	return 0;
}

static int read_file(void *ctx, bool host, const char *path, char **data, size_t *len, sz_error_t *err)
{
	struct sz_lab_kernel *k = ctx;
	cleanup_free char *root_path = host ? NULL : sz_asprintf("/proc/%d/root", (int)pid_of(ctx));
	cleanup_close int root = host ? -1 : open(root_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int fd = -1;

	if (!host && root < 0)
		return sz_error_make(err, errno, _("cannot open the container's root '%s'"), root_path);
	fd = open_in_root(host ? k->workdir_fd : root, path);
	if (fd < 0)
		return sz_error_make(err, errno,
		                     host ? _("cannot open '%s' in the work directory")
		                          : _("cannot open '%s' in the container"),
		                     path);
	return read_fd(fd, path, data, len, err);
}

/* ---- the cgroup -------------------------------------------------------- */

/* The number in dir/file, or after "key " on one of its lines. */
static int read_number(const char *dir, const char *file, const char *key, uint64_t *value, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/%s", dir, file);
	cleanup_free char *text = NULL;
	const char *p;

	if (sz_read_file(path, &text, NULL, err) < 0)
		return -1;
	p = text;
	if (key != NULL) {
		size_t n = strlen(key);

		for (p = text; p != NULL; p = strchr(p, '\n') != NULL ? strchr(p, '\n') + 1 : NULL)
			if (strncmp(p, key, n) == 0 && p[n] == ' ')
				break;
		if (p == NULL)
			return sz_error_make(err, 0, _("no '%s' in '%s'"), key, path);
		p += n + 1;
	}
	*value = strtoull(p, NULL, 10);
	return 0;
}

static bool is_unified(const char *dir)
{
	cleanup_free char *path = sz_asprintf("%s/cgroup.controllers", dir);

	return access(path, F_OK) == 0;
}

struct counter_source {
	enum sz_controller ctrl;
	const char *v2_file, *v2_key; /* on the unified hierarchy */
	const char *v1_file, *v1_key; /* on a v1 one */
	enum sz_controller v1_ctrl;
};

static const struct counter_source sources[SZ_COUNTER_COUNT] = {
    [SZ_COUNTER_OOM_KILL] = {SZ_CTRL_MEMORY, "memory.events", "oom_kill", "memory.oom_control", "oom_kill",
                             SZ_CTRL_MEMORY},
    [SZ_COUNTER_NR_THROTTLED] = {SZ_CTRL_CPU, "cpu.stat", "nr_throttled", "cpu.stat", "nr_throttled",
                                 SZ_CTRL_CPU},
    [SZ_COUNTER_CPU_USEC] = {SZ_CTRL_CPU, "cpu.stat", "usage_usec", "cpuacct.usage", NULL, SZ_CTRL_CPUACCT},
    [SZ_COUNTER_PIDS_CURRENT] = {SZ_CTRL_PIDS, "pids.current", NULL, "pids.current", NULL, SZ_CTRL_PIDS},
    [SZ_COUNTER_PIDS_MAX_HITS] = {SZ_CTRL_PIDS, "pids.events", "max", "pids.events", "max", SZ_CTRL_PIDS},
    [SZ_COUNTER_MEMORY_CURRENT] = {SZ_CTRL_MEMORY, "memory.current", NULL, "memory.usage_in_bytes", NULL,
                                   SZ_CTRL_MEMORY},
};

static int counter(void *ctx, enum sz_cgroup_counter c, uint64_t *value, sz_error_t *err)
{
	struct sz_lab_kernel *k = ctx;
	const struct counter_source *s = &sources[c];
	const char *dir = sz_container_cgroup_dir(k->container, s->ctrl);
	bool v2 = dir != NULL && is_unified(dir);

	if (dir != NULL && !v2)
		dir = sz_container_cgroup_dir(k->container, s->v1_ctrl);
	if (dir == NULL)
		return sz_error_make(err, 0, _("the container has no %s cgroup (the lab sets no such limit)"),
		                     sz_controller_name(s->ctrl));
	if (read_number(dir, v2 ? s->v2_file : s->v1_file, v2 ? s->v2_key : s->v1_key, value, err) < 0)
		return -1;
	if (c == SZ_COUNTER_CPU_USEC && !v2)
		*value /= 1000; /* cpuacct.usage counts nanoseconds */
	return 0;
}

/* ---- names ------------------------------------------------------------- */

char *sz_host_hostname(void)
{
	struct utsname u;

	return uname(&u) == 0 ? sz_xstrdup(u.nodename) : sz_xstrdup("?");
}

/* The child: never dumpable (the container must not ptrace it), joins the
 * UTS namespace through PID 1's pidfd, with its user namespace first when
 * the container has one of its own (the kernel then lets it in), and
 * writes the name; or a newline and errno. */
__attribute__((noreturn)) static void hostname_child(const struct sz_container_handle *h, int out)
{
	int flags = CLONE_NEWUTS | (sz_container_rootless(h) ? CLONE_NEWUSER : 0);
	struct utsname u;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (setns(sz_container_pidfd(h), flags) < 0 || uname(&u) < 0) {
		int e = errno;
		dprintf(out, "\n%d", e);
		_exit(1);
	}
	dprintf(out, "%s", u.nodename);
	_exit(0);
}

/* The errno hostname_child wrote after its newline; 0 when it is not one. */
static int child_errno(const char *text)
{
	sz_error_t err = NULL;
	uint64_t v = 0;

	if (sz_parse_uint(text, 1, INT_MAX, &v, &err) < 0)
		sz_error_release(&err);
	return (int)v;
}

static int container_hostname(const struct sz_container_handle *h, char **name, sz_error_t *err)
{
	char buf[128];
	int fds[2], status;
	ssize_t n;
	pid_t child;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return sz_error_make(err, errno, _("cannot read the container's host name"));
	child = fork();
	if (child == 0)
		hostname_child(h, fds[1]);
	close(fds[1]);
	n = child < 0 ? -1 : sz_read_all(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	while (child > 0 && waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	buf[n > 0 ? n : 0] = '\0';
	if (child < 0 || n <= 0 || buf[0] == '\n')
		return sz_error_make(err, buf[0] == '\n' ? child_errno(buf + 1) : errno,
		                     _("cannot read the container's host name"));
	*name = sz_xstrdup(buf);
	return 0;
}

static int hostname(void *ctx, bool host, char **name, sz_error_t *err)
{
	if (host) {
		*name = sz_host_hostname();
		return 0;
	}
	return container_hostname(((struct sz_lab_kernel *)ctx)->container, name, err);
}

/* ---- sockets and processes --------------------------------------------- */

static int net_table(void *ctx, bool host, enum sz_net_proto proto, char **text, sz_error_t *err)
{
	const char *names[2] = {proto == SZ_PROTO_UDP ? "udp" : "tcp",
	                        proto == SZ_PROTO_UDP ? "udp6" : "tcp6"};
	char *all = sz_xstrdup("");

	for (int i = 0; i < 2; i++) {
		cleanup_free char *path = host ? sz_asprintf("/proc/self/net/%s", names[i])
		                               : sz_asprintf("/proc/%d/net/%s", (int)pid_of(ctx), names[i]);
		cleanup_free char *part = NULL;
		sz_error_t local = NULL;
		char *joined;

		if (sz_read_file(path, &part, NULL, &local) < 0) {
			/* No IPv6 in this kernel: no tcp6 file. */
			bool missing = local->errno_ == ENOENT && i == 1;
			if (!missing) {
				free(all);
				sz_error_release(err);
				*err = local;
				return -1;
			}
			sz_error_release(&local);
			continue;
		}
		joined = sz_asprintf("%s%s", all, part);
		free(all);
		all = joined;
	}
	*text = all;
	return 0;
}

/* /proc/<pid>/cmdline with its NULs as spaces; NULL for a kernel thread or
 * a process gone meanwhile. */
static char *cmdline(const char *pid)
{
	cleanup_free char *path = sz_asprintf("/proc/%s/cmdline", pid);
	char *text = NULL;
	size_t len = 0;
	sz_error_t err = NULL;

	if (sz_read_file(path, &text, &len, &err) < 0 || len == 0) {
		sz_error_release(&err);
		free(text);
		return NULL;
	}
	while (len > 0 && text[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	text[len] = '\0';
	return text;
}

/* Whether host process pid is in the PID namespace whose inode is ino. */
static bool in_pid_ns(const char *pid, const struct stat *ns)
{
	cleanup_free char *path = sz_asprintf("/proc/%s/ns/pid", pid);
	struct stat st;

	return stat(path, &st) == 0 && st.st_ino == ns->st_ino && st.st_dev == ns->st_dev;
}

static int processes(void *ctx, char ***cmdlines, size_t *n, sz_error_t *err)
{
	cleanup_free char *ns_path = sz_asprintf("/proc/%d/ns/pid", (int)pid_of(ctx));
	cleanup_dir DIR *d = opendir("/proc");
	struct dirent *e;
	struct stat ns;

	*cmdlines = NULL;
	*n = 0;
	if (stat(ns_path, &ns) < 0)
		return sz_error_make(err, errno, _("cannot read '%s'"), ns_path);
	if (d == NULL)
		return sz_error_make(err, errno, _("cannot read directory '%s'"), "/proc");
	while ((e = readdir(d)) != NULL) {
		char *line;

		if (e->d_name[strspn(e->d_name, "0123456789")] != '\0' || !in_pid_ns(e->d_name, &ns))
			continue;
		if ((line = cmdline(e->d_name)) == NULL)
			continue;
		*cmdlines = sz_xrealloc(*cmdlines, (*n + 1) * sizeof(**cmdlines));
		(*cmdlines)[(*n)++] = line;
	}
	return 0;
}

/* ---- time -------------------------------------------------------------- */

static uint64_t now_ns(void *ctx)
{
	return sz_now_ns();
}

/* Wait ns, or less when a signal that stops stanza comes. */
static int pause_ns(void *ctx, uint64_t ns)
{
	struct sz_lab_kernel *k = ctx;
	struct pollfd p = {.fd = k->sigfd, .events = POLLIN};
	int ms = (int)((ns + 999999) / 1000000);
	struct signalfd_siginfo si;

	if (k->stop_signal != 0)
		return -1;
	if (k->sigfd < 0) {
		struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
		nanosleep(&ts, NULL);
		return 0;
	}
	if (poll(&p, 1, ms) > 0 && read(k->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		k->stop_signal = (int)si.ssi_signo;
		return -1;
	}
	return 0;
}

const struct sz_kernel_ops sz_lab_kernel_ops = {
    .ns_inode = ns_inode,
    .read_file = read_file,
    .uid_map = uid_map,
    .counter = counter,
    .hostname = hostname,
    .net_table = net_table,
    .processes = processes,
    .now_ns = now_ns,
    .pause = pause_ns,
};
