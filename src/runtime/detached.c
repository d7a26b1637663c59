/* SPDX-License-Identifier: GPL-3.0-or-later */
/* detached.c - containers that outlive their stanza: create, start on the exec fifo, kill, remove (the OCI
 * lifecycle) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

/* How long sz_detached_remove waits for the killed processes to exit. */
#define REMOVE_WAIT_MS 10000

char *sz_detached_dir(const struct sz_paths *paths, const char *id)
{
	return sz_asprintf("%s/%s", paths->state_root, id);
}

/* Field 22 of /proc/PID/stat (the start time in clock ticks) and the state
 * letter; -1 when the process does not exist. */
static int proc_stat(pid_t pid, unsigned long long *start_time, char *state)
{
	char path[64];
	cleanup_free char *text = NULL;
	const char *p;

	sz_error_t ignored = NULL;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (sz_read_file_at(AT_FDCWD, path, &text, NULL, &ignored) < 0) {
		sz_error_release(&ignored);
		return -1;
	}
	p = strrchr(text, ')'); /* the command name may hold spaces and parentheses */
	if (p == NULL ||
	    sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
	           state, start_time) != 2)
		return -1;
	return 0;
}

/* Clone PID 1 and follow its setup until it waits on the fifo; its
 * terminal, if it has one, goes to the console socket. */
static int launch(struct sz_container_handle *h, sz_error_t *err)
{
	cleanup_close int master = -1;

	if (sz_container_start(h, &master, err) < 0)
		return -1;
	if (h->c.spec->tty)
		return sz_send_console(h->c.spec->console_socket, master, err);
	return 0;
}

int sz_send_console(const char *path, int master, sz_error_t *err)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	cleanup_close int sock = -1;
	char name[64] = "/dev/ptmx";
	char cbuf[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = name, .iov_len = 0};
	struct msghdr msg = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	unsigned int n = 0;

	if (master < 0)
		return sz_error_make(err, EPROTO, _("the container's terminal did not come"));
	if (strlen(path) >= sizeof(addr.sun_path))
		return sz_error_make(err, ENAMETOOLONG, _("console socket '%s'"), path);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	/* The payload is the terminal's name, as runc sends it. */
	if (ioctl(master, TIOCGPTN, &n) == 0)
		snprintf(name, sizeof(name), "/dev/pts/%u", n);
	iov.iov_len = strlen(name);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &master, sizeof(int));
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return sz_error_make(err, errno, _("cannot connect to the console socket '%s'"), path);
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return sz_error_make(err, errno, _("cannot send the terminal to the console socket '%s'"),
		                     path);
	return 0;
}

/* "PID START_TIME\n" in <dir>/detached, by rename: the collector skips the
 * directory from then on. */
static int write_marker(struct sz_container_handle *h, sz_error_t *err)
{
	unsigned long long start_time;
	char state, text[64];
	cleanup_free char *path = sz_asprintf("%s/%s", h->c.state_dir, SZ_DETACHED_FILE);

	if (proc_stat(h->pid, &start_time, &state) < 0)
		return sz_error_make(err, ESRCH, _("the container's process is gone"));
	snprintf(text, sizeof(text), "%ld %llu\n", (long)h->pid, start_time);
	return sz_write_file_atomic(path, text, strlen(text), 0600, err);
}

int sz_create_detached(const struct sz_spec *spec, const struct sz_paths *paths, pid_t *pid, sz_error_t *err)
{
	struct sz_container_handle h = {.state_root = paths->state_root};
	cleanup_free char *fifo = NULL;
	sz_error_t ignored = NULL;
	sigset_t old;
	int ret;

	if ((spec->tty && spec->console_socket == NULL) || !spec->detached || spec->id == NULL)
		return sz_error_make(err, EINVAL,
		                     "sz_create_detached: an id, detached, a tty only with a console socket");
	sz_hold_signals(&old);
	ret = sz_container_prepare(&h, spec, paths, err);
	if (ret == 0) {
		fifo = sz_asprintf("%s/%s", h.c.state_dir, SZ_EXEC_FIFO);
		/* Writable by all, as runc's: PID 1 opens it after it became the
		 * config's user. The state directory (0700) keeps others out. */
		if (mkfifo(fifo, 0622) < 0 || chmod(fifo, 0622) < 0)
			ret = sz_error_make(err, errno, _("cannot create '%s'"), fifo);
	}
	if (ret == 0)
		ret = launch(&h, err);
	if (ret == 0)
		ret = write_marker(&h, err);
	if (ret == 0 && sz_stop_pending(&old))
		ret = sz_error_make(err, 0, _("interrupted while the container was being created"));
	if (ret < 0 && h.pid > 0) {
		kill(h.pid, SIGKILL);
		while (waitpid(h.pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (ret < 0) {
		/* The marker is the last step: without it the directory goes. */
		sz_container_teardown(&h, &ignored);
		sz_error_release(&ignored);
	} else {
		*pid = h.pid;
		sz_trace(&h.c, "created: PID 1 is host pid %ld, blocked on %s until start", (long)h.pid,
		         fifo);
		sz_cgroup_release(&h.c.cgroup);
		free(h.c.id);
		free(h.c.state_dir);
		free(h.c.rootfs_dir);
		free(h.c.image_rootfs);
		if (h.lockfd >= 0)
			close(h.lockfd);
		if (h.seccomp_fd >= 0)
			close(h.seccomp_fd);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

/* The container's directory, open, with its lock held and its state read
 * into *d: shared to read the state, exclusive to change it (every change to one container is one at a
 * time; none is held while a command waits on something else). */
static int read_at(int dfd, const char *id, struct sz_detached *d, sz_error_t *err);

static int open_state(const struct sz_paths *paths, const char *id, int how, int *lockfd,
                      struct sz_detached *d, sz_error_t *err)
{
	cleanup_free char *dir = NULL;
	int dfd;

	*lockfd = -1;
	if (!sz_valid_id(id))
		return sz_error_make(err, EINVAL, _("invalid container id '%s'"), id);
	dir = sz_detached_dir(paths, id);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0 || faccessat(dfd, SZ_DETACHED_FILE, F_OK, AT_SYMLINK_NOFOLLOW) < 0) {
		if (dfd >= 0)
			close(dfd);
		/* runc's words, which podman and containerd look for: "does not exist". */
		sz_error_make(err, 0, _("container '%s' does not exist"), id);
		(*err)->errno_ = ENOENT; /* for delete --force; the message says it already */
		return -1;
	}
	*lockfd = openat(dfd, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (*lockfd < 0 || flock(*lockfd, how) < 0) {
		int e = errno;
		if (*lockfd >= 0)
			close(sz_steal_fd(lockfd));
		close(dfd);
		return sz_error_make(err, e, _("cannot lock the state of container '%s'"), id);
	}
	if (read_at(dfd, id, d, err) < 0) {
		close(sz_steal_fd(lockfd));
		close(dfd);
		return -1;
	}
	return dfd;
}

static int read_at(int dfd, const char *id, struct sz_detached *d, sz_error_t *err)
{
	cleanup_free char *text = NULL;
	unsigned long long start_time = 0;
	long pid = 0;
	char state = 0;

	memset(d, 0, sizeof(*d));
	if (sz_read_file_at(dfd, SZ_DETACHED_FILE, &text, NULL, err) < 0)
		return -1;
	if (sscanf(text, "%ld %llu", &pid, &d->start_time) != 2 || pid <= 0)
		return sz_error_make(err, EINVAL, _("the state of container '%s' is damaged"), id);
	d->pid = (pid_t)pid;
	d->alive = proc_stat(d->pid, &start_time, &state) == 0 && start_time == d->start_time &&
	           state != 'Z' && state != 'X';
	d->created = faccessat(dfd, SZ_EXEC_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
	return 0;
}

int sz_detached_read(const struct sz_paths *paths, const char *id, struct sz_detached *d, sz_error_t *err)
{
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_SH, &lockfd, d, err);

	return dfd < 0 ? -1 : 0;
}

/* PID 1's pidfd, once it is sure to be the container's (not a reused pid). */
static int open_pid(const struct sz_detached *d)
{
	unsigned long long start_time;
	char state;
	int fd = (int)syscall(SYS_pidfd_open, d->pid, 0);

	if (fd >= 0 && (proc_stat(d->pid, &start_time, &state) < 0 || start_time != d->start_time)) {
		close(fd);
		errno = ESRCH;
		return -1;
	}
	return fd;
}

int sz_detached_start(const struct sz_paths *paths, const char *id, sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);
	cleanup_close int fifo = -1;
	cleanup_close int pidfd = -1;
	char byte;

	if (dfd < 0)
		return -1;
	if (!d.created)
		return sz_error_make(err, 0, _("container '%s' has already been started"), id);
	if (!d.alive || (pidfd = open_pid(&d)) < 0)
		return sz_error_make(err, 0, _("container '%s' has stopped: it cannot be started"), id);
	fifo = openat(dfd, SZ_EXEC_FIFO, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fifo < 0)
		return sz_error_make(err, errno, _("cannot open the exec fifo of container '%s'"), id);
	/* The wait holds no lock: a stopped PID 1 (SIGSTOP) must not block
	 * state, kill and delete. Of two starts, one reads the byte; the other
	 * sees the writer gone (POLLHUP, nothing to read). */
	close(sz_steal_fd(&lockfd));
	for (;;) {
		struct pollfd p[2] = {{.fd = fifo, .events = POLLIN}, {.fd = pidfd, .events = POLLIN}};
		ssize_t n;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return sz_error_make(err, errno, "poll");
		}
		n = read(fifo, &byte, 1);
		if (n == 1)
			break;
		if (n == 0 && (p[0].revents & POLLHUP))
			return sz_error_make(err, 0, _("container '%s' has already been started"), id);
		if (p[1].revents != 0)
			return sz_error_make(err, 0,
			                     _("the process of container '%s' exited before it started"), id);
	}
	if (unlinkat(dfd, SZ_EXEC_FIFO, 0) < 0 && errno != ENOENT)
		return sz_error_make(err, errno, _("cannot remove the exec fifo of container '%s'"), id);
	return 0;
}

/* Every process in the PID namespace of d's PID 1 (PID 1 first), as the
 * host numbers them; -1 when PID 1 is gone. */
static int namespace_pids(const struct sz_detached *d, pid_t **out, size_t *n)
{
	char path[64];
	struct stat ns, st;
	cleanup_dir DIR *dir = NULL;
	struct dirent *de;
	size_t cap = 16;

	*n = 0;
	*out = NULL;
	snprintf(path, sizeof(path), "/proc/%ld/ns/pid", (long)d->pid);
	if (stat(path, &ns) < 0)
		return -1;
	*out = sz_xcalloc(cap, sizeof(pid_t));
	(*out)[(*n)++] = d->pid;
	dir = opendir("/proc");
	while (dir != NULL && (de = readdir(dir)) != NULL) {
		long pid = strtol(de->d_name, NULL, 10);

		if (pid <= 0 || pid == d->pid)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", pid);
		if (stat(path, &st) < 0 || st.st_ino != ns.st_ino || st.st_dev != ns.st_dev)
			continue;
		if (*n == cap) {
			cap *= 2;
			*out = sz_xrealloc(*out, cap * sizeof(pid_t));
		}
		(*out)[(*n)++] = (pid_t)pid;
	}
	return 0;
}

/* Send sig to every process in the PID namespace of d's PID 1 but PID 1,
 * each through a pidfd opened before its namespace is checked: a pid reused
 * meanwhile is not signalled. */
static int kill_namespace(const struct sz_detached *d, int sig)
{
	cleanup_free pid_t *pids = NULL;
	char path[64];
	struct stat ns, st;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%ld/ns/pid", (long)d->pid);
	if (stat(path, &ns) < 0 || namespace_pids(d, &pids, &n) < 0)
		return -1;
	for (size_t i = 1; i < n; i++) {
		cleanup_close int fd = (int)syscall(SYS_pidfd_open, pids[i], 0);

		snprintf(path, sizeof(path), "/proc/%ld/ns/pid", (long)pids[i]);
		if (fd >= 0 && stat(path, &st) == 0 && st.st_ino == ns.st_ino && st.st_dev == ns.st_dev)
			syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	}
	return 0;
}

int sz_detached_pids(const struct sz_paths *paths, const char *id, pid_t **pids, size_t *n, sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);

	*pids = NULL;
	*n = 0;
	if (dfd < 0)
		return -1;
	if (!d.alive || namespace_pids(&d, pids, n) < 0)
		return sz_error_make(err, ESRCH, _("container '%s' is not running"), id);
	return 0;
}

int sz_detached_kill(const struct sz_paths *paths, const char *id, int sig, bool all, sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);
	cleanup_close int pidfd = -1;

	if (dfd < 0)
		return -1;
	if (!d.alive || (pidfd = open_pid(&d)) < 0)
		/* runc's words, which containerd looks for: "container not running". */
		return sz_error_make(err, 0, _("cannot signal '%s': container not running"), id);
	if (all)
		kill_namespace(&d, sig);
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0 && errno != ESRCH)
		return sz_error_make(err, errno, _("cannot send signal %d to container '%s'"), sig, id);
	return 0;
}

int sz_detached_remove(const struct sz_paths *paths, const char *id, bool force, sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);
	cleanup_close int pidfd = -1;

	if (dfd < 0)
		return -1;
	/* A created container is removed without --force, as runc does. */
	if (d.alive && !d.created && !force)
		return sz_error_make(
		    err, 0,
		    _("container '%s' is running: stop it first ('stanza kill %s KILL') or use "
		      "--force"),
		    id, id);
	if (d.alive && (pidfd = open_pid(&d)) >= 0) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};

		/* PID 1's end ends every other process of its namespace. */
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		while (poll(&p, 1, REMOVE_WAIT_MS) < 0 && errno == EINTR)
			;
		if (!(p.revents & POLLIN))
			return sz_error_make(err, ETIMEDOUT, _("the process of container '%s' did not exit"),
			                     id);
	}
	/* Still holding the lock: no state or start can come in between. */
	return sz_state_collect(paths->state_root, id, true, err);
}

void sz_detached_view_free(struct sz_container_handle *h)
{
	if (h == NULL)
		return;
	if (h->pidfd >= 0)
		close(h->pidfd);
	if (h->seccomp_fd >= 0)
		close(h->seccomp_fd);
	sz_cgroup_release(&h->c.cgroup);
	free(h->c.id);
	free(h->c.state_dir);
	free(h->workdir);
	free(h->state_root);
	free(h);
}

struct sz_container_handle *sz_detached_view(const struct sz_paths *paths, const char *id,
                                             const struct sz_spec *spec, sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);
	struct sz_container_handle *h;

	if (dfd < 0)
		return NULL;
	if (!d.alive || d.created) {
		sz_error_make(err, 0,
		              d.alive ? _("container '%s' has not been started: start it first")
		                      : _("container '%s' is not running"),
		              id);
		return NULL;
	}
	h = sz_xcalloc(1, sizeof(*h));
	h->state_root = sz_xstrdup(paths->state_root);
	h->spec = *spec;
	h->c.spec = &h->spec;
	h->c.id = sz_xstrdup(id);
	h->c.state_dir = sz_detached_dir(paths, id);
	h->c.rootless = geteuid() != 0;
	h->c.host_uid = geteuid();
	h->c.host_gid = getegid();
	h->c.sync_fd = h->c.seccomp_fd = h->c.init_fd = h->c.fifo_fd = h->c.lock_fd = -1;
	h->c.t0 = h->c.trace_t0 = sz_now_ns();
	h->lockfd = h->seccomp_fd = -1;
	h->pid = d.pid;
	h->workdir = sz_xstrdup(spec->workdir != NULL ? spec->workdir : "/");
	h->pidfd = open_pid(&d);
	if (h->pidfd < 0) {
		sz_error_make(err, 0, _("container '%s' is not running"), id);
		goto fail;
	}
	if (sz_state_read_cgroup(paths->state_root, id, &h->c.cgroup, err) < 0)
		goto fail;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		h->c.has_cgroup |= h->c.cgroup.path[c] != NULL;
	h->c.has_cgroup |= h->c.cgroup.unified != NULL;
	if (!spec->no_seccomp && (h->seccomp_fd = sz_seccomp_compile(spec->seccomp, err)) < 0)
		goto fail;
	return h;
fail:
	sz_detached_view_free(h);
	return NULL;
}

int sz_detached_update(const struct sz_paths *paths, const char *id, const struct sz_cgroup_limits *limits,
                       sz_error_t *err)
{
	struct sz_detached d;
	cleanup_close int lockfd = -1;
	cleanup_close int dfd = open_state(paths, id, LOCK_EX, &lockfd, &d, err);
	struct sz_cgroup cg;
	int ret;

	if (dfd < 0)
		return -1;
	if (!d.alive)
		return sz_error_make(err, 0, _("container '%s' is not running"), id);
	if (sz_state_read_cgroup(paths->state_root, id, &cg, err) < 0)
		return -1;
	ret = sz_cgroup_update(&cg, limits, err);
	sz_cgroup_release(&cg);
	return ret;
}
