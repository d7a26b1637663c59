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
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"
#include "runtime/image.h"
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

int sz_paths_default(struct sz_paths *paths, const char *image_dir, sz_error_t *err)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (geteuid() == 0)
		paths->state_root = sz_xstrdup("/run/stanza");
	else if (xdg != NULL && xdg[0] == '/')
		paths->state_root = sz_asprintf("%s/stanza", xdg);
	else
		paths->state_root = sz_asprintf("/tmp/stanza-%u", (unsigned)geteuid());
	paths->image_dir = sz_xstrdup(image_dir);
	return 0;
}

void sz_paths_release(struct sz_paths *paths)
{
	free(paths->state_root);
	free(paths->image_dir);
	paths->state_root = paths->image_dir = NULL;
}

static int resolve_image(const struct sz_spec *spec, const struct sz_paths *paths, char **out,
                         sz_error_t *err)
{
	cleanup_free char *dir = NULL;
	struct stat st;

	if (spec->image[0] == '/')
		dir = sz_xstrdup(spec->image);
	else if (strchr(spec->image, '/') == NULL && spec->image[0] != '.')
		dir = sz_asprintf("%s/%s/rootfs", paths->image_dir, spec->image);
	else
		return sz_error_make(err, 0, _("invalid image name '%s'"), spec->image);
	if (strpbrk(dir, ",:") != NULL)
		return sz_error_make(err, 0, _("image path '%s' may not contain ',' or ':'"), dir);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return sz_error_make(err, 0,
		                     _("image '%s' not found (looked in '%s'); run 'make' to build it"),
		                     spec->image, dir);
	if (geteuid() != 0 && spec->image[0] != '/') {
		/* dir is <image_dir>/<name>/rootfs: copy <image_dir>/<name>. */
		*strrchr(dir, '/') = '\0';
		return sz_image_private_copy(dir, spec->image, out, err);
	}
	*out = steal_pointer(&dir);
	return 0;
}

static void cgroup_trace(void *arg, const char *what, const char *path, const char *value)
{
	const struct sz_container *c = arg;

	if (value != NULL)
		sz_trace(c, "cgroup: %s %s = %s", what, path, value);
	else
		sz_trace(c, "cgroup: %s %s", what, path);
}

static bool wants_limits(const struct sz_cgroup_limits *l)
{
	return l->memory_bytes || l->pids || l->cpu_milli;
}

/* The sentence that says why a limit cannot be had here, and how to get it. */
static int refuse_limits(const struct sz_spec *spec, sz_error_t *err)
{
	struct sz_probe_options opts;
	struct sz_probe_user user;
	struct sz_probe_cgroup pc;
	sz_error_t ignored = NULL;
	const char *opt = spec->limits.memory_bytes ? "--memory" : spec->limits.pids ? "--pids" : "--cpus";

	sz_probe_options_init(&opts);
	sz_probe_user(&user, "");
	if (sz_probe_cgroup(&pc, &user, &opts, &ignored) < 0 || pc.fix == NULL) {
		sz_error_release(&ignored);
		free(user.name);
		return sz_error_make(
		    err, 0, _("%s needs a cgroup you may write, and there is none (see 'stanza doctor')"),
		    opt);
	}
	sz_error_make(err, 0,
	              _("%s needs a cgroup you may write, and there is none; this would make one:\n%s"), opt,
	              pc.fix);
	sz_probe_cgroup_release(&pc);
	free(user.name);
	return -1;
}

static bool bases_cover(const struct sz_cgroup_layout *layout, char *const base[SZ_CTRL_COUNT],
                        const struct sz_cgroup_limits *l)
{
	if (l->memory_bytes && base[SZ_CTRL_MEMORY] == NULL)
		return false;
	if (l->pids && base[SZ_CTRL_PIDS] == NULL)
		return false;
	return !l->cpu_milli || base[SZ_CTRL_CPU] != NULL;
}

/* Rootless on v2: leave the delegated cgroup to the containers. */
static int prepare_v2_base(struct sz_container *c, const struct sz_cgroup_layout *layout,
                           char *const base[SZ_CTRL_COUNT], sz_error_t *err)
{
	const char *v2 = NULL;

	for (int i = 0; i < SZ_CTRL_COUNT; i++)
		if (base[i] != NULL && sz_cgroup_layout_on_v2(layout, i))
			v2 = base[i];
	if (!c->rootless || v2 == NULL)
		return 0;
	sz_cgroup_collect_leaves(layout, v2);
	if (sz_cgroup_enter_own_leaf(layout, v2, err) < 0)
		return -1;
	sz_trace(c, "cgroup: stanza moved into %s/stanza-self-%ld (v2 allows processes only in leaves)", v2,
	         (long)getpid());
	return 0;
}

/* A cgroup only when a limit is asked for: without one the PID namespace
 * already ends every process with PID 1, and creating, joining and removing
 * groups is most of a bare run's cost. */
static int make_cgroup(struct sz_container *c, sz_error_t *err)
{
	struct sz_cgroup_layout layout = {0};
	char *base[SZ_CTRL_COUNT] = {0};
	cleanup_free char *name = sz_asprintf("stanza-%s", c->id);
	int ret;

	if (!wants_limits(&c->spec->limits)) {
		sz_trace(c, "cgroup: none (no limit asked for)");
		return 0;
	}
	if (sz_cgroup_layout_load(&layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err) < 0)
		return -1;
	sz_cgroup_bases(&layout, c->rootless, base, err);
	if (!bases_cover(&layout, base, &c->spec->limits))
		ret = refuse_limits(c->spec, err);
	else
		ret = prepare_v2_base(c, &layout, base, err);
	if (ret == 0)
		ret = sz_cgroup_create(&c->cgroup, &layout, (const char *const *)base, name, &c->spec->limits,
		                       c->spec->trace_fd >= 0 ? cgroup_trace : NULL, c, err);
	for (int i = 0; i < SZ_CTRL_COUNT; i++)
		free(base[i]);
	sz_cgroup_layout_release(&layout);
	if (ret < 0)
		return -1;
	c->has_cgroup = true;
	return 0;
}

static int prepare_state(struct sz_container *c, const struct sz_paths *paths, int *lockfd, sz_error_t *err)
{
	static const char *const subdirs[] = {"upper", "work", "rootfs"};

	if (sz_state_create(paths->state_root, &c->id, &c->state_dir, lockfd, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		cleanup_free char *p = sz_asprintf("%s/%s", c->state_dir, subdirs[i]);
		if (mkdir(p, 0755) < 0)
			return sz_error_make(err, errno, _("cannot create '%s'"), p);
	}
	c->rootfs_dir = sz_asprintf("%s/rootfs", c->state_dir);
	sz_trace(c, "state: %s (locked)", c->state_dir);
	return 0;
}

/* Follow the child's setup until execve succeeded (the socket closes) or
 * failed. Returns 0 when running, 1 when the command could not be executed
 * (res->exec_errno set), -1 on a setup error. */
static int follow_setup(int sock, int *master, struct sz_result *res, sz_error_t *err)
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
	}
}

static pid_t clone_child(struct sz_container *c, int flags)
{
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, 0);

	if (pid == 0)
		sz_child_main(c);
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

static int start_child(struct sz_container *c, int sock, pid_t *pid_out, sz_error_t *err)
{
	int flags = CLONE_NEWPID | (c->rootless ? CLONE_NEWUSER : 0);
	struct sz_msg go = {.type = SZ_MSG_GO};
	cleanup_close int seccomp_fd = -1;
	pid_t pid;

	sz_trace(c, "clone: %sCLONE_NEWPID (the command will be PID 1)", c->rootless ? "CLONE_NEWUSER|" : "");
	pid = clone_child(c, flags);
	if (pid < 0)
		return sz_error_make(err, errno, _("cannot create the container process"));
	*pid_out = pid;
	if (c->rootless && write_id_maps(c, pid, err) < 0)
		return sz_error_wrap(err, _("cannot map your user to root in the container"));
	if (c->has_cgroup && sz_cgroup_enter(&c->cgroup, pid, err) < 0)
		return -1;
	if (send(sock, &go, sizeof(go), MSG_NOSIGNAL) < 0)
		return sz_error_make(err, errno, _("lost contact with the container"));
	/* Compiled while the child makes its mounts: the two run in parallel. */
	seccomp_fd = sz_seccomp_compile(err);
	if (seccomp_fd < 0)
		return -1;
	if (sz_msg_send(sock, SZ_MSG_SECCOMP, 0, NULL, seccomp_fd) < 0)
		return sz_error_make(err, errno, _("lost contact with the container"));
	return 0;
}

int sz_wait_timeout_ms(const struct sz_wait *w)
{
	uint64_t now;

	if (w->deadline_ns == 0)
		return -1;
	now = sz_now_ns();
	if (now >= w->deadline_ns)
		return 0;
	return (int)((w->deadline_ns - now + 999999) / 1000000);
}

static void kill_container(const struct sz_wait *w)
{
	if (syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL, 0) < 0)
		kill(w->pid, SIGKILL);
}

int sz_read_signal(int sigfd)
{
	struct signalfd_siginfo si;

	if (read(sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	return (int)si.ssi_signo;
}

int sz_wait_event(const struct sz_container *c, struct sz_wait *w, bool pid_ready, int signo, bool timed_out,
                  struct sz_result *res, int *status, sz_error_t *err)
{
	if (timed_out && !res->timed_out) {
		res->timed_out = true;
		w->deadline_ns = 0;
		sz_trace(c, "timeout: killing the container");
		kill_container(w);
	}
	if (signo != 0 && signo != SIGCHLD && signo != SIGWINCH && !res->interrupted) {
		res->interrupted = true;
		res->interrupt_signal = signo;
		sz_trace(c, "signal %d: stopping the container", signo);
		kill_container(w);
	}
	if (pid_ready) {
		pid_t r = waitpid(w->pid, status, WNOHANG);
		if (r == w->pid)
			return 1;
		if (r < 0 && errno != EINTR)
			return sz_error_make(err, errno, "waitpid");
	}
	return 0;
}

static int wait_plain(const struct sz_container *c, struct sz_wait *w, struct sz_result *res, int *status,
                      sz_error_t *err)
{
	for (;;) {
		struct pollfd fds[2] = {{.fd = w->pidfd, .events = POLLIN},
		                        {.fd = w->sigfd, .events = POLLIN}};
		int timeout = sz_wait_timeout_ms(w);
		int n = poll(fds, 2, timeout);
		int r;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sz_error_make(err, errno, "poll");
		r = sz_wait_event(c, w, fds[0].revents & (POLLIN | POLLHUP),
		                  (fds[1].revents & POLLIN) ? sz_read_signal(w->sigfd) : 0,
		                  n == 0 && timeout >= 0, res, status, err);
		if (r != 0)
			return r < 0 ? -1 : 0;
	}
}

static void fill_result(struct sz_container *c, int status, struct sz_result *res)
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
static int supervise(struct sz_container *c, int sock, pid_t pid, int sigfd, struct sz_result *res,
                     sz_error_t *err)
{
	cleanup_close int master = -1;
	struct sz_wait w = {.pid = pid, .sigfd = sigfd};
	int status = 0;
	int r = follow_setup(sock, &master, res, err);

	w.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (w.pidfd < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return sz_error_make(err, errno, "pidfd_open");
	}
	if (r != 0)
		kill_container(&w);
	else if (c->spec->timeout_ns != 0)
		w.deadline_ns = sz_now_ns() + c->spec->timeout_ns;
	if (r == 0 && c->spec->tty && master >= 0)
		r = sz_tty_proxy(c, master, &w, res, &status, err);
	else
		r = wait_plain(c, &w, res, &status, err) < 0 ? -1 : r;
	close(w.pidfd);
	if (r < 0)
		return -1;
	fill_result(c, status, res);
	return 0;
}

static int block_signals(sigset_t *old, sz_error_t *err)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &set, old) < 0)
		return sz_error_make(err, errno, "sigprocmask");
	fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return sz_error_make(err, errno, "signalfd");
	}
	return fd;
}

static int run_container(struct sz_container *c, struct sz_result *res, sz_error_t *err)
{
	int pair[2];
	sigset_t old;
	pid_t pid = -1;
	int sigfd;
	int ret;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return sz_error_make(err, errno, "socketpair");
	sigfd = block_signals(&old, err);
	if (sigfd < 0) {
		close(pair[0]);
		close(pair[1]);
		return -1;
	}
	c->sync_fd = pair[1];
	ret = start_child(c, pair[0], &pid, err);
	close(pair[1]);
	if (ret == 0)
		ret = supervise(c, pair[0], pid, sigfd, res, err);
	else if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	close(pair[0]);
	close(sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static void cleanup_container(struct sz_container *c, const struct sz_paths *paths, sz_error_t *err)
{
	sz_error_t e = NULL;

	if (c->has_cgroup && sz_cgroup_destroy(&c->cgroup, &e) < 0 && *err == NULL)
		*err = steal_pointer(&e);
	sz_error_release(&e);
	if (c->id != NULL && sz_state_remove(paths->state_root, c->id, &e) < 0 && *err == NULL)
		*err = steal_pointer(&e);
	sz_error_release(&e);
	if (c->id != NULL)
		sz_trace(c, "cleanup: cgroup and %s removed", c->state_dir);
	sz_cgroup_release(&c->cgroup);
	free(c->id);
	free(c->state_dir);
	free(c->rootfs_dir);
	free(c->image_rootfs);
}

int sz_run(const struct sz_spec *spec, const struct sz_paths *paths, struct sz_result *res, sz_error_t *err)
{
	struct sz_container c = {.spec = spec, .t0 = sz_now_ns(), .sync_fd = -1};
	cleanup_close int lockfd = -1;
	sz_error_t gc_err = NULL;
	int ret;

	*res = (struct sz_result){0};
	c.rootless = geteuid() != 0;
	c.host_uid = geteuid();
	c.host_gid = getegid();
	if (sz_collect_garbage(paths, &gc_err) > 0)
		sz_trace(&c, "state: collected containers of stanzas that are gone");
	sz_error_release(&gc_err);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	ret = resolve_image(spec, paths, &c.image_rootfs, err);
	if (ret == 0)
		ret = prepare_state(&c, paths, &lockfd, err);
	if (ret == 0)
		ret = make_cgroup(&c, err);
	if (ret == 0)
		ret = run_container(&c, res, err);
	cleanup_container(&c, paths, ret < 0 ? &gc_err : err);
	sz_error_release(&gc_err);
	if (ret == 0 && *err != NULL)
		return -1;
	return ret;
}
