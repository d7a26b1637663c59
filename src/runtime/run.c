/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run.c - stanza's side of a container: state, cgroup, clone, wait, clean up */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"
#include "runtime/probe.h"

void sz_spec_init(struct sz_spec *spec)
{
	*spec = (struct sz_spec){.image = "busybox", .trace_fd = -1, .stdio = {0, 1, 2}};
}

int sz_result_status(const struct sz_result *res)
{
	if (res->exec_errno != 0)
		return res->exec_errno == ENOENT ? 127 : 126;
	if (res->timed_out)
		return 124;
	if (res->interrupted)
		return 128 + res->interrupt_signal;
	if (res->term_signal != 0)
		return 128 + res->term_signal;
	return res->exit_code;
}

/* Whether dir (made if missing) keeps user.* extended attributes, which a
 * rootless overlay's upper layer needs (tmpfs has them only from Linux 6.6
 * on). Unknown answers count as yes: the state root's own checks follow. */
static bool keeps_user_xattrs(const char *dir)
{
	sz_error_t err = NULL;

	if (sz_mkdir_p(dir, 0700, &err) < 0) {
		sz_error_release(&err);
		return false;
	}
	if (setxattr(dir, "user.stanza", "1", 1, 0) == 0 || (errno != ENOTSUP && errno != EOPNOTSUPP))
		return true;
	rmdir(dir); /* only when we made it and it is empty */
	return false;
}

/* A learner's state root: the first of these whose file system keeps user
 * xattrs, so that the overlay can make opaque and renamed directories. */
static void rootless_state_root(struct sz_paths *paths)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	const char *cache = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *cand[4] = {0};
	size_t n = 0;

	if (xdg != NULL && xdg[0] == '/')
		cand[n++] = sz_asprintf("%s/stanza", xdg);
	else
		cand[n++] = sz_asprintf("/tmp/stanza-%u", (unsigned)geteuid());
	if (cache != NULL && cache[0] == '/')
		cand[n++] = sz_asprintf("%s/stanza/run", cache);
	else if (home != NULL && home[0] == '/' && strcmp(home, "/") != 0)
		cand[n++] = sz_asprintf("%s/.cache/stanza/run", home);
	cand[n++] = sz_asprintf("/var/tmp/stanza-%u", (unsigned)geteuid());
	for (size_t i = 0; i < n && paths->state_root == NULL; i++) {
		if (!keeps_user_xattrs(cand[i]))
			continue;
		paths->state_root = steal_pointer(&cand[i]);
		if (i > 0)
			paths->state_note = sz_asprintf(
			    _("'%s' is on a file system without user extended attributes (tmpfs before Linux "
			      "6.6), which a rootless overlay needs: containers keep their state in '%s'"),
			    cand[0], paths->state_root);
	}
	if (paths->state_root == NULL)
		paths->state_root = steal_pointer(&cand[0]);
	for (size_t i = 0; i < n; i++)
		free(cand[i]);
}

int sz_paths_default(struct sz_paths *paths, const char *image_dir, sz_error_t *err)
{
	memset(paths, 0, sizeof(*paths));
	if (geteuid() == 0)
		paths->state_root = sz_xstrdup("/run/stanza");
	else
		rootless_state_root(paths);
	paths->image_dir = sz_xstrdup(image_dir);
	return 0;
}

void sz_paths_release(struct sz_paths *paths)
{
	free(paths->state_root);
	free(paths->image_dir);
	free(paths->state_note);
	paths->state_root = paths->image_dir = paths->state_note = NULL;
}

static int resolve_image(const struct sz_spec *spec, const struct sz_paths *paths, char **out,
                         sz_error_t *err)
{
	cleanup_free char *dir = NULL;
	struct stat st;

	if (spec->n_layers > 0) {
		/* The store's layers are the learner's own when rootless: no copy. */
		if (stat(spec->layers_dir, &st) < 0 || !S_ISDIR(st.st_mode))
			return sz_error_make(err, errno, _("the image's layers are not in '%s'"),
			                     spec->layers_dir);
		*out = NULL;
		return 0;
	}
	/* Image names are image/'s business (image/builtin.h): here, a root
	 * directory by its full path. */
	if (spec->image[0] != '/')
		return sz_error_make(err, 0, _("invalid image '%s': give a root directory's full path"),
		                     spec->image);
	dir = sz_xstrdup(spec->image);
	if (strpbrk(dir, ",:") != NULL)
		return sz_error_make(err, 0, _("image path '%s' may not contain ',' or ':'"), dir);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return sz_error_make(err, 0, _("image '%s' is not a directory"), dir);
	*out = steal_pointer(&dir);
	return 0;
}

/* The state directory: the mount point of the root, and the overlay's upper
 * and work directories unless the root is the image itself, read-only. */
static int prepare_state(struct sz_container *c, const struct sz_paths *paths, int *lockfd, sz_error_t *err)
{
	static const char *const subdirs[] = {"rootfs", "upper", "work"};
	size_t n = c->spec->read_only || c->spec->bind_root ? 1 : sizeof(subdirs) / sizeof(subdirs[0]);

	if (sz_state_create(paths->state_root, c->spec->id, &c->id, &c->state_dir, lockfd, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *p = sz_asprintf("%s/%s", c->state_dir, subdirs[i]);
		if (mkdir(p, 0755) < 0)
			return sz_error_make(err, errno, _("cannot create '%s'"), p);
	}
	c->rootfs_dir = sz_asprintf("%s/rootfs", c->state_dir);
	sz_trace(c, "state: %s (locked)", c->state_dir);
	return 0;
}

int sz_container_follow_setup(int sock, int *master, struct sz_result *res, sz_error_t *err)
{
	for (;;) {
		struct sz_msg msg;
		ssize_t n = sz_msg_recv(sock, &msg, master);

		if (n == 0)
			return 0;
		if (n != (ssize_t)sizeof(msg))
			return sz_error_make(err, n < 0 ? errno : EPROTO,
			                     _("lost contact with the container"));
		msg.text[sizeof(msg.text) - 1] = '\0';
		if (msg.type == SZ_MSG_ERROR)
			return sz_error_make(err, 0, "%s", msg.text);
		if (msg.type == SZ_MSG_EXEC_ERROR) {
			res->exec_errno = msg.errno_ ? msg.errno_ : ENOENT;
			return 1;
		}
		if (msg.type == SZ_MSG_READY)
			return 2;
	}
}

/* The child gets a copy of every descriptor, stanza's end of the socket pair
 * (sock) too: it closes that one first thing, so that the socket reads EOF
 * (and a send fails) once stanza is gone. Otherwise a stanza killed between
 * clone and the child's PR_SET_PDEATHSIG, or while the credentials change
 * clears it, would leave the child waiting for "go" forever, or running the
 * command with nobody to stop it. */
static pid_t clone_child(struct sz_container *c, int flags, int sock)
{
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid == 0) {
		close(sock);
		sz_child_main(c);
	}
	return pid;
}

/* Map the learner's uid and gid to 0 in the child's user namespace. setgroups
 * must be denied first: an unprivileged process may not write gid_map otherwise. */
static int write_id_maps(const struct sz_container *c, pid_t pid, sz_error_t *err)
{
	char path[64], map[64];

	snprintf(path, sizeof(path), "/proc/%ld/setgroups", (long)pid);
	if (sz_write_file_at(AT_FDCWD, path, "deny", 4, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/gid_map", (long)pid);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)c->host_gid);
	if (sz_write_file_at(AT_FDCWD, path, map, strlen(map), err) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/uid_map", (long)pid);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned)c->host_uid);
	if (sz_write_file_at(AT_FDCWD, path, map, strlen(map), err) < 0)
		return -1;
	sz_trace(c, "userns: setgroups deny, gid_map 0 %u 1, uid_map 0 %u 1", (unsigned)c->host_gid,
	         (unsigned)c->host_uid);
	return 0;
}

/* A send to the child failed: it has exited. If it failed during setup it
 * said why before it exited, and that message is still queued. */
static int lost_contact(int sock, int errno_, sz_error_t *err)
{
	struct sz_msg msg;
	ssize_t n;

	/* Not sz_msg_recv: this end of the pair is still open, so no EOF comes. */
	while ((n = recv(sock, &msg, sizeof(msg), MSG_DONTWAIT)) == (ssize_t)sizeof(msg) ||
	       (n < 0 && (errno == EINTR || errno == ECONNRESET))) {
		msg.text[sizeof(msg.text) - 1] = '\0';
		if (n > 0 && msg.type == SZ_MSG_ERROR)
			return sz_error_make(err, 0, "%s", msg.text);
	}
	return sz_error_make(err, errno_, _("lost contact with the container"));
}

/* Clone the child and do the parent's part of its setup. h->pid is set as
 * soon as the child exists (the caller kills and reaps it on failure); the
 * compiled seccomp filter stays in h->seccomp_fd for later execs. */
int sz_container_launch(struct sz_container_handle *h, int sock, sz_error_t *err)
{
	struct sz_container *c = &h->c;
	int flags = CLONE_NEWPID | (c->rootless ? CLONE_NEWUSER : 0);
	struct sz_msg go = {.type = SZ_MSG_GO};
	pid_t pid;

	if ((c->init_fd = sz_init_open(err)) < 0)
		return -1;
	sz_trace(c, "clone: %sCLONE_NEWPID (the %s will be PID 1)", c->rootless ? "CLONE_NEWUSER|" : "",
	         c->spec->init ? "init" : "command");
	pid = clone_child(c, flags, sock);
	if (c->init_fd >= 0) {
		int saved = errno;               /* clone's, read below */
		close(sz_steal_fd(&c->init_fd)); /* the child has its copy */
		errno = saved;
	}
	if (pid < 0 && c->rootless && (errno == EPERM || errno == ENOSPC || errno == EINVAL))
		return sz_error_make(
		    err, errno,
		    _("this host does not let you create a user namespace, which stanza needs "
		      "without root ('stanza doctor' says why and how to allow it)"));
	if (pid < 0)
		return sz_error_make(err, errno, _("cannot create the container process"));
	h->pid = pid;
	if (c->rootless && write_id_maps(c, pid, err) < 0)
		return sz_error_wrap(err, _("cannot map your user to root in the container"));
	if (c->has_cgroup && sz_cgroup_enter(&c->cgroup, pid, err) < 0)
		return -1;
	if (send(sock, &go, sizeof(go), MSG_NOSIGNAL) < 0)
		return lost_contact(sock, errno, err);
	if (c->spec->no_seccomp)
		return 0;
	/* Compiled while the child makes its mounts: the two run in parallel.
	 * A child that fails early (a --user refused) may be gone by then. */
	h->seccomp_fd = sz_seccomp_compile(c->spec->seccomp, err);
	if (h->seccomp_fd < 0)
		return -1;
	if (sz_msg_send(sock, SZ_MSG_SECCOMP, 0, NULL, h->seccomp_fd) < 0)
		return lost_contact(sock, errno, err);
	return 0;
}

void sz_container_fill_result(struct sz_container *c, int status, struct sz_result *res)
{
	struct sz_cgroup_stats stats = {0};
	sz_error_t ignored = NULL;

	if (WIFEXITED(status)) {
		res->exit_code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->exit_code = -1;
		res->term_signal = WTERMSIG(status);
	}
	if (c->has_cgroup && sz_cgroup_read_stats(&c->cgroup, &stats, &ignored) == 0) {
		res->oom_kills = stats.oom_kills;
		res->oom_killed = stats.oom_kills > 0;
		res->memory_peak = stats.memory_peak;
		res->cpu_usage_ns = stats.cpu_usage_ns;
	}
	sz_error_release(&ignored);
	res->wall_ns = sz_now_ns() - c->t0;
	sz_trace(c, "exit: status %d, cpu %.2f s, memory peak %llu bytes, oom kills %llu",
	         sz_result_status(res), (double)res->cpu_usage_ns / 1e9, (unsigned long long)res->memory_peak,
	         (unsigned long long)res->oom_kills);
}

/* Run the started child to its end. */
static int supervise(struct sz_container_handle *h, int sock, int sigfd, struct sz_result *res,
                     sz_error_t *err)
{
	struct sz_container *c = &h->c;
	cleanup_close int master = -1;
	struct sz_wait w = {.pid = h->pid, .sigfd = sigfd};
	int status = 0;
	int r = sz_container_follow_setup(sock, &master, res, err);

	w.pidfd = (int)syscall(SYS_pidfd_open, h->pid, 0);
	if (w.pidfd < 0)
		return sz_error_make(err, errno, "pidfd_open");
	if (r != 0)
		sz_kill_container(&w);
	else if (c->spec->timeout_ns != 0)
		w.deadline_ns = sz_now_ns() + c->spec->timeout_ns;
	if (r == 0 && c->spec->tty && master >= 0)
		r = sz_tty_proxy(c, master, &w, res, &status, err);
	else
		r = sz_wait_plain(c, &w, res, &status, err) < 0 ? -1 : r;
	close(w.pidfd);
	if (r < 0)
		return -1;
	h->reaped = true;
	h->status = status;
	sz_container_fill_result(c, status, res);
	return 0;
}

/* Kill and reap a child that was cloned but is not being waited for. */
static void abandon_child(struct sz_container_handle *h)
{
	if (h->pid <= 0 || h->reaped)
		return;
	kill(h->pid, SIGKILL);
	while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
		;
	h->reaped = true;
}

static int run_container(struct sz_container_handle *h, struct sz_result *res, sz_error_t *err)
{
	int pair[2];
	sigset_t old;
	int sigfd;
	int ret;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return sz_error_make(err, errno, "socketpair");
	sigfd = sz_block_signals(&old, err);
	if (sigfd < 0) {
		close(pair[0]);
		close(pair[1]);
		return -1;
	}
	h->c.sync_fd = pair[1];
	ret = sz_container_launch(h, pair[0], err);
	close(pair[1]);
	/* A run has no exec to keep the filter for. */
	if (h->seccomp_fd >= 0)
		close(sz_steal_fd(&h->seccomp_fd));
	if (ret == 0)
		ret = supervise(h, pair[0], sigfd, res, err);
	abandon_child(h);
	close(pair[0]);
	close(sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int sz_container_prepare(struct sz_container_handle *h, const struct sz_spec *spec,
                         const struct sz_paths *paths, sz_error_t *err)
{
	struct sz_container *c = &h->c;
	sz_error_t gc_err = NULL;

	c->spec = spec;
	c->t0 = sz_now_ns();
	if (c->trace_t0 == 0)
		c->trace_t0 = c->t0;
	c->sync_fd = -1;
	c->seccomp_fd = -1;
	c->init_fd = -1;
	c->fifo_fd = -1;
	c->lock_fd = -1;
	c->rootless = geteuid() != 0;
	c->host_uid = geteuid();
	c->host_gid = getegid();
	h->lockfd = h->pidfd = h->seccomp_fd = -1;
	if (sz_collect_garbage(paths, &gc_err) > 0)
		sz_trace(c, "state: collected containers of stanzas that are gone");
	sz_error_release(&gc_err);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if (resolve_image(spec, paths, &c->image_rootfs, err) < 0 ||
	    prepare_state(c, paths, &h->lockfd, err) < 0)
		return -1;
	c->lock_fd = h->lockfd;
	return sz_make_cgroup(c, err);
}

void sz_container_teardown(struct sz_container_handle *h, sz_error_t *err)
{
	struct sz_container *c = &h->c;
	sz_error_t e = NULL;
	bool cgroup_left = false;

	if (c->has_cgroup && sz_cgroup_destroy(&c->cgroup, &e) < 0) {
		cgroup_left = true;
		if (*err == NULL)
			*err = steal_pointer(&e);
	}
	sz_error_release(&e);
	/* A cgroup that could not be removed keeps the state directory, so that
	 * the next stanza's collector (its lock is free once we exit) finds it
	 * and removes both (sz_collect_garbage). */
	if (c->id != NULL && !cgroup_left && sz_state_remove(h->state_root, c->id, &e) < 0 && *err == NULL)
		*err = steal_pointer(&e);
	sz_error_release(&e);
	if (c->id != NULL && !cgroup_left)
		sz_trace(c, "cleanup: cgroup and %s removed", c->state_dir);
	else if (c->id != NULL)
		sz_trace(c, "cleanup: cgroup busy, %s kept for the next stanza's collector", c->state_dir);
	sz_cgroup_release(&c->cgroup);
	c->has_cgroup = false;
	free(c->id);
	free(c->state_dir);
	free(c->rootfs_dir);
	free(c->image_rootfs);
	c->id = c->state_dir = c->rootfs_dir = c->image_rootfs = NULL;
	if (h->lockfd >= 0)
		close(h->lockfd);
	if (h->seccomp_fd >= 0)
		close(h->seccomp_fd);
	h->lockfd = h->seccomp_fd = -1;
}

int sz_run(const struct sz_spec *spec, const struct sz_paths *paths, struct sz_result *res, sz_error_t *err)
{
	struct sz_container_handle h = {.state_root = paths->state_root};
	sz_error_t cleanup_err = NULL;
	int ret;

	*res = (struct sz_result){0};
	h.c.trace_t0 = sz_process_origin_ns();
	sz_trace_process(spec->trace_fd, h.c.trace_t0,
	                 "start: execve of stanza (this zero is main's start "
	                 "less the CPU time spent before it)");
	sz_trace_process(spec->trace_fd, sz_process_main_ns(),
	                 "main: entered (execve, dynamic linking done)");
	ret = sz_container_prepare(&h, spec, paths, err);
	if (ret == 0)
		ret = run_container(&h, res, err);
	sz_container_teardown(&h, ret < 0 ? &cleanup_err : err);
	sz_error_release(&cleanup_err);
	if (ret == 0 && *err != NULL)
		return -1;
	return ret;
}

void sz_runtime_profile(struct sz_runtime_profile *p)
{
	*p = (struct sz_runtime_profile){0};
	sz_mounts_profile(p);
	sz_security_profile(p);
}
