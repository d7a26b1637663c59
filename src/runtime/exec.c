/* SPDX-License-Identifier: GPL-3.0-or-later */
/* exec.c - a command in a created container, as docker exec: the cgroup, then the namespaces through a pidfd,
 * a fork inside */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

/*
 * stanza forks a helper, which
 *   1. makes itself non-dumpable: from the moment it joins, processes of the
 *      container could otherwise ptrace it or open /proc/<pid>/fd, and it
 *      still holds stanza's descriptors and privileges;
 *   2. writes itself into the container's cgroup.procs, while the host's
 *      /sys/fs/cgroup is still reachable (the mount namespace comes next), so
 *      that nothing of the command ever runs outside the limits;
 *   3. joins every namespace of the container with one setns() on PID 1's
 *      pidfd: the user namespace first (rootless) as the kernel orders it, and
 *      never a process that merely reused PID 1's number;
 *   4. forks with CLONE_PARENT: setns(CLONE_NEWPID) places only children in
 *      the PID namespace, and CLONE_PARENT makes the child stanza's own, so
 *      stanza waits for it by pid and holds its pidfd without a race;
 * and exits. The child is then set up like a fresh run's command
 * (sz_child_exec_main) and reports over the socket as that one does.
 */

static int ns_flags(const struct sz_container_handle *h)
{
	int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWCGROUP;

	if (h->spec.net == SZ_NET_NONE)
		flags |= CLONE_NEWNET;
	/* Root's containers share the host's user namespace: joining it is EINVAL. */
	if (h->c.rootless)
		flags |= CLONE_NEWUSER;
	return flags;
}

__attribute__((noreturn)) static void helper_fail(struct sz_container *c, sz_error_t *err)
{
	sz_msg_send(c->sync_fd, SZ_MSG_ERROR, 0, sz_error_msg(*err), -1);
	_exit(125);
}

static int join_namespaces(struct sz_container *c, int pidfd, int flags, sz_error_t *err)
{
	if (setns(pidfd, flags) == 0)
		return 0;
	if (errno == ESRCH)
		return sz_error_make(err, 0, _("the container has stopped: its first process has exited"));
	if (errno == EINVAL || errno == EBADF)
		return sz_error_make(err, errno,
		                     _("cannot join the container's namespaces through its pidfd (Linux 5.8 "
		                       "or later is needed)"));
	return sz_error_make(err, errno, _("cannot join the container's namespaces"));
}

/* A command run in a running container is the kernel's first choice when the
 * container's memory limit is hit, its first process (which keeps the
 * container alive) the last: when the first victim's memory is not freed at
 * once, the kernel picks again, and without this it could pick PID 1. Raising
 * one's own score needs no privilege, but the file is only writable while
 * the process is dumpable: the helper does it, the command inherits it. */
static void prefer_for_oom_kill(struct sz_container *c)
{
	cleanup_close int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	char value[16];
	int n;

	/* An OCI process's own oomScoreAdj, else 500. */
	n = snprintf(value, sizeof(value), "%d", c->spec->oom_set ? c->spec->oom_score_adj : 500);
	if (fd < 0 || write(fd, value, (size_t)n) != n)
		sz_trace(c, "exec: cannot set oom_score_adj to %s: %s", value, strerror(errno));
}

/* The helper: joins the cgroup and, through PID 1's pidfd, the namespaces,
 * then forks (CLONE_PARENT) the process sz_child_exec_main sets up. Never
 * returns. */
__attribute__((noreturn)) static void sz_exec_helper_main(struct sz_container *c, int pidfd, int flags)
{
	sz_error_t err = NULL;
	char text[32];
	pid_t pid;

	prefer_for_oom_kill(c);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0) {
		sz_error_make(&err, errno, "prctl");
		helper_fail(c, &err);
	}
	if (c->has_cgroup && sz_cgroup_enter(&c->cgroup, getpid(), &err) < 0) {
		sz_error_wrap(&err, _("cannot join the container's cgroup"));
		helper_fail(c, &err);
	}
	sz_trace(c, "exec: helper non-dumpable%s", c->has_cgroup ? ", in the container's cgroup" : "");
	if (join_namespaces(c, pidfd, flags, &err) < 0)
		helper_fail(c, &err);
	sz_trace(c, "exec: setns(pidfd of PID 1, %s%sNEWNS|NEWUTS|NEWIPC|NEWPID|NEWCGROUP)",
	         (flags & CLONE_NEWUSER) ? "NEWUSER|" : "", (flags & CLONE_NEWNET) ? "NEWNET|" : "");
	pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_PARENT | SIGCHLD), NULL, NULL, NULL, 0);
	if (pid == 0)
		sz_child_exec_main(c);
	if (pid < 0) {
		/* ENOMEM: the PID namespace's init has exited, it takes no one new. */
		if (errno == ENOMEM)
			sz_error_make(&err, 0, _("the container has stopped: its first process has exited"));
		else
			sz_error_make(&err, errno, _("cannot create the process in the container"));
		helper_fail(c, &err);
	}
	snprintf(text, sizeof(text), "%ld", (long)pid);
	sz_msg_send(c->sync_fd, SZ_MSG_PID, 0, text, -1);
	_exit(0);
}

/* The pid the helper reports, if it is stanza's child (the helper clones it
 * with CLONE_PARENT); else 0. Once stanza-init has the socket, a process of the
 * container might write to it: a pid that is not ours (1, say) would have
 * stanza wait on, and kill, a process of the host. Only the first is taken. */
static pid_t own_child(const char *text)
{
	siginfo_t info;
	long pid = strtol(text, NULL, 10);

	if (pid <= 0 || pid > INT32_MAX)
		return 0;
	if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0 && errno == ECHILD)
		return 0;
	return (pid_t)pid;
}

/* The helper's and the child's reports, until both have closed the socket
 * (the child on execve). The first error is kept; the child's pid is always
 * taken, so that a child that failed is still reaped. */
static int follow_exec(int sock, struct sz_process *p, sz_error_t *err)
{
	int ret = 0;

	for (;;) {
		struct sz_msg msg;
		int fd = -1;
		ssize_t n = sz_msg_recv(sock, &msg, &fd);

		if (n == 0)
			return ret;
		if (n != (ssize_t)sizeof(msg)) {
			if (ret == 0)
				ret = sz_error_make(err, n < 0 ? errno : EPROTO,
				                    _("lost contact with the process in the container"));
			return ret;
		}
		if (msg.type == SZ_MSG_PID && p->pid <= 0)
			p->pid = own_child(msg.text);
		else if (msg.type == SZ_MSG_PTY && p->master < 0)
			p->master = sz_steal_fd(&fd);
		else if (msg.type == SZ_MSG_EXEC_ERROR)
			p->exec_errno = msg.errno_ ? msg.errno_ : ENOENT;
		else if (msg.type == SZ_MSG_ERROR && ret == 0)
			ret = sz_error_make(err, 0, "%s", msg.text);
		if (fd >= 0)
			close(fd);
	}
}

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

static void unlink_process(struct sz_process *p)
{
	struct sz_process **pp;

	if (p->h == NULL)
		return;
	for (pp = &p->h->procs; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	p->next = NULL;
}

static void kill_process(struct sz_process *p)
{
	if (p->pid <= 0 || p->reaped)
		return;
	if (p->pidfd < 0 || syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0) < 0)
		kill(p->pid, SIGKILL);
	kill(-p->pid, SIGKILL);
	reap(p->pid, &p->status);
	p->reaped = true;
}

/* Counters at the start, so that the result shows what this command did. */
static void take_baseline(struct sz_process *p)
{
	struct sz_cgroup_stats stats;
	sz_error_t ignored = NULL;

	if (sz_container_stats(p->h, &stats, &ignored) == 0) {
		p->oom_before = stats.oom_kills;
		p->cpu_before = stats.cpu_usage_ns;
	}
	sz_error_release(&ignored);
}

/* What the helper and the command's process see: the created container,
 * with x as its command. */
static void exec_context(const struct sz_container_handle *h, const struct sz_exec_spec *x,
                         const struct sz_process *p, struct sz_spec *xs, struct sz_container *ec)
{
	*xs = h->spec;
	xs->argv = x->argv;
	xs->env = x->env;
	xs->user = x->user;
	xs->workdir = x->workdir != NULL ? x->workdir : h->workdir;
	xs->tty = x->tty;
	memcpy(xs->stdio, x->stdio, sizeof(xs->stdio));
	*ec = h->c;
	ec->spec = xs;
	ec->seccomp_fd = h->seccomp_fd;
	ec->joining = true;
	ec->tty_noecho = x->tty && x->tty_noecho;
	ec->t0 = p->t0;
	ec->trace_t0 = p->t0;
}

/* Fork the helper and follow both processes until the command runs. */
static int launch(struct sz_container_handle *h, const struct sz_exec_spec *x, struct sz_process *p,
                  sz_error_t *err)
{
	struct sz_spec xs;
	struct sz_container ec;
	int pair[2];
	pid_t helper;
	int status = 0;
	int ret;

	exec_context(h, x, p, &xs, &ec);
	if ((ec.init_fd = sz_init_open(err)) < 0)
		return -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0) {
		close(ec.init_fd);
		return sz_error_make(err, errno, "socketpair");
	}
	ec.sync_fd = pair[1];
	sz_trace(&ec, "exec: %s in container %s (PID 1 is host pid %ld)", x->argv[0], h->c.id, (long)h->pid);
	helper = fork();
	if (helper == 0) {
		close(pair[0]);
		sz_exec_helper_main(&ec, h->pidfd, ns_flags(h));
	}
	close(pair[1]);
	close(ec.init_fd);
	if (helper < 0) {
		close(pair[0]);
		return sz_error_make(err, errno, _("cannot create the process in the container"));
	}
	ret = follow_exec(pair[0], p, err);
	close(pair[0]);
	reap(helper, &status);
	if (ret == 0 && p->pid <= 0)
		ret = sz_error_make(err, 0, _("lost contact with the process in the container"));
	if (p->pid > 0)
		p->pidfd = (int)syscall(SYS_pidfd_open, p->pid, 0);
	if (ret == 0 && p->pidfd < 0)
		ret = sz_error_make(err, errno, "pidfd_open");
	return ret;
}

int sz_exec_start(struct sz_container_handle *h, const struct sz_exec_spec *x, struct sz_process **out,
                  sz_error_t *err)
{
	struct sz_process *p;
	sigset_t old;
	int ret;

	*out = NULL;
	if (x->argv == NULL || x->argv[0] == NULL)
		return sz_error_make(err, EINVAL, "sz_exec_start: no command");
	if (h->reaped)
		return sz_error_make(err, 0, _("the container has stopped: its first process has exited"));
	p = sz_xcalloc(1, sizeof(*p));
	*p = (struct sz_process){.h = h, .pid = -1, .pidfd = -1, .master = -1};
	p->command = sz_xstrdup(x->argv[0]);
	p->t0 = sz_now_ns();
	if (x->timeout_ns != 0)
		p->deadline_ns = p->t0 + x->timeout_ns;
	take_baseline(p);
	sz_hold_signals(&old);
	ret = launch(h, x, p, err);
	if (ret == 0 && sz_stop_pending(&old))
		ret = sz_error_make(err, 0, _("interrupted while the command was being started"));
	if (ret < 0) {
		kill_process(p);
		p->h = NULL;
		sz_process_free(p);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	p->next = h->procs;
	h->procs = p;
	sigprocmask(SIG_SETMASK, &old, NULL);
	*out = p;
	return 0;
}

static void fill_exec_result(struct sz_process *p, struct sz_result *res)
{
	struct sz_cgroup_stats stats = {0};
	sz_error_t ignored = NULL;

	if (WIFEXITED(p->status)) {
		res->exit_code = WEXITSTATUS(p->status);
	} else if (WIFSIGNALED(p->status)) {
		res->exit_code = -1;
		res->term_signal = WTERMSIG(p->status);
	}
	res->exec_errno = p->exec_errno;
	if (p->h != NULL && sz_container_stats(p->h, &stats, &ignored) == 0 && stats.has_oom) {
		res->oom_kills = stats.oom_kills - p->oom_before;
		res->oom_killed = res->oom_kills > 0;
	}
	if (p->h != NULL && stats.has_peak)
		res->memory_peak = stats.memory_peak;
	if (p->h != NULL && stats.has_cpu)
		res->cpu_usage_ns = stats.cpu_usage_ns - p->cpu_before;
	sz_error_release(&ignored);
	res->wall_ns = sz_now_ns() - p->t0;
}

/* Wait for p, relaying its pty to stanza's own terminal when proxy is set. */
static int wait_process(struct sz_process *p, bool proxy, struct sz_result *res, sz_error_t *err)
{
	struct sz_wait w = {
	    .pidfd = p->pidfd, .pid = p->pid, .deadline_ns = p->deadline_ns, .kill_group = true};
	struct sz_container *c = &p->h->c;
	sigset_t old;
	int r;

	w.sigfd = sz_block_signals(&old, err);
	if (w.sigfd < 0)
		return -1;
	if (proxy && p->master >= 0)
		r = sz_tty_proxy(c, p->master, &w, res, &p->status, err);
	else
		r = sz_wait_plain(c, &w, res, &p->status, err);
	close(w.sigfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (r < 0)
		return -1;
	p->reaped = true;
	unlink_process(p);
	return 0;
}

static int exec_wait(struct sz_process *p, bool proxy, struct sz_result *res, sz_error_t *err)
{
	*res = (struct sz_result){0};
	if (p->pid <= 0)
		return sz_error_make(err, EINVAL, "sz_exec_wait: no process");
	if (!p->reaped && p->h == NULL)
		return sz_error_make(err, EINVAL, "sz_exec_wait: the container is gone");
	if (!p->reaped && wait_process(p, proxy, res, err) < 0)
		return -1;
	fill_exec_result(p, res);
	if (p->h != NULL)
		sz_trace(&p->h->c, "exec: %s ended with status %d after %.3f s", p->command,
		         sz_result_status(res), (double)res->wall_ns / 1e9);
	return 0;
}

int sz_exec_wait(struct sz_process *p, struct sz_result *res, sz_error_t *err)
{
	return exec_wait(p, false, res, err);
}

int sz_exec(struct sz_container_handle *h, const struct sz_exec_spec *x, struct sz_result *res,
            sz_error_t *err)
{
	struct sz_process *p = NULL;
	int ret;

	*res = (struct sz_result){0};
	if (sz_exec_start(h, x, &p, err) < 0)
		return -1;
	ret = exec_wait(p, x->tty, res, err);
	sz_process_free(p);
	return ret;
}

void sz_process_free(struct sz_process *p)
{
	if (p == NULL)
		return;
	if (p->h != NULL) {
		kill_process(p);
		unlink_process(p);
	}
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->master >= 0)
		close(p->master);
	free(p->command);
	free(p);
}

pid_t sz_process_pid(const struct sz_process *p)
{
	return p->pid;
}

int sz_process_pidfd(const struct sz_process *p)
{
	return p->reaped ? -1 : p->pidfd;
}

int sz_process_pty(const struct sz_process *p)
{
	return p->master;
}

int sz_process_signal(struct sz_process *p, int sig)
{
	if (p->reaped || p->pidfd < 0) {
		errno = ESRCH;
		return -1;
	}
	return syscall(SYS_pidfd_send_signal, p->pidfd, sig, NULL, 0) < 0 ? -1 : 0;
}

char *sz_exec_error_text(const struct sz_result *res, const char *command)
{
	if (res->exec_errno == 0)
		return NULL;
	if (res->exec_errno == ENOENT)
		return sz_asprintf(_("'%s': command not found in the container"), command);
	return sz_asprintf(_("'%s' cannot be executed: %s"), command, strerror(res->exec_errno));
}

int sz_detached_exec_start(const struct sz_paths *paths, const char *id, const struct sz_spec *spec,
                           const struct sz_exec_spec *x, struct sz_process **out, sz_error_t *err)
{
	struct sz_container_handle *h = sz_detached_view(paths, id, spec, err);
	struct sz_exec_spec xx = *x;

	*out = NULL;
	if (h == NULL)
		return -1;
	xx.argv = spec->argv;
	xx.env = spec->env;
	xx.user = spec->user;
	xx.workdir = spec->workdir;
	if (sz_exec_start(h, &xx, out, err) < 0) {
		sz_detached_view_free(h);
		return -1;
	}
	if (x->tty && spec->console_socket != NULL &&
	    sz_send_console(spec->console_socket, (*out)->master, err) < 0) {
		sz_process_free(*out);
		*out = NULL;
		sz_detached_view_free(h);
		return -1;
	}
	return 0;
}

int sz_detached_exec_end(struct sz_process *p, bool wait, bool tty, struct sz_result *res, sz_error_t *err)
{
	struct sz_container_handle *h = p->h;
	int ret = 0;

	if (wait) {
		ret = exec_wait(p, tty, res, err);
	} else {
		/* Left running: it is no longer stanza's to kill. */
		unlink_process(p);
		p->h = NULL;
	}
	sz_process_free(p);
	sz_detached_view_free(h);
	return ret;
}
