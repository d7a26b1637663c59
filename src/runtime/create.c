/* SPDX-License-Identifier: GPL-3.0-or-later */
/* create.c - containers that stay: sz_create starts PID 1 and returns, sz_destroy removes it all */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

int sz_container_start(struct sz_container_handle *h, int *master, sz_error_t *err)
{
	struct sz_result res = {0};
	int pair[2];
	int ret;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) < 0)
		return sz_error_make(err, errno, "socketpair");
	h->c.sync_fd = pair[1];
	ret = sz_container_launch(h, pair[0], err);
	close(pair[1]);
	h->c.sync_fd = -1;
	if (ret == 0)
		ret = sz_container_follow_setup(pair[0], master, &res, err);
	close(pair[0]);
	if (ret == 1) {
		cleanup_free char *why = sz_exec_error_text(&res, h->c.spec->argv[0]);
		return sz_error_make(err, 0, _("cannot start the container: %s"), why);
	}
	/* A detached PID 1 must say it is ready: the end of the stream without
	 * that is a PID 1 that died during its setup (killed, out of memory). */
	if (h->c.spec->detached && ret == 0)
		return sz_error_make(err, 0, _("the container's first process ended during its setup"));
	return ret < 0 ? -1 : 0;
}

/* Clone PID 1 and follow its setup until its execve. */
static int start(struct sz_container_handle *h, sz_error_t *err)
{
	cleanup_close int master = -1;

	if (sz_container_start(h, &master, err) < 0)
		return -1;
	h->pidfd = (int)syscall(SYS_pidfd_open, h->pid, 0);
	if (h->pidfd < 0)
		return sz_error_make(err, errno, "pidfd_open");
	return 0;
}

/* What execs and traces need once the caller's spec is gone. */
static void keep_spec(struct sz_container_handle *h, const struct sz_spec *spec)
{
	h->hostname = sz_xstrdup(spec->hostname != NULL ? spec->hostname : "stanza");
	h->workdir = sz_xstrdup(spec->workdir != NULL ? spec->workdir : "/");
	if (!spec->read_only)
		h->upper_dir = sz_asprintf("%s/upper", h->c.state_dir);
	h->spec = (struct sz_spec){
	    .hostname = h->hostname,
	    .workdir = h->workdir,
	    .limits = spec->limits,
	    .net = spec->net,
	    .read_only = spec->read_only,
	    .trace_fd = spec->trace_fd,
	    .stdio = {-1, -1, -1},
	};
	h->c.spec = &h->spec;
}

static void free_handle(struct sz_container_handle *h)
{
	if (h->pidfd >= 0)
		close(h->pidfd);
	free(h->hostname);
	free(h->workdir);
	free(h->upper_dir);
	free(h->state_root);
	free(h);
}

int sz_create(const struct sz_spec *spec, const struct sz_paths *paths, struct sz_container_handle **out,
              sz_error_t *err)
{
	struct sz_container_handle *h;
	sz_error_t ignored = NULL;
	sigset_t old;
	int ret;

	*out = NULL;
	if (spec->argv == NULL || spec->argv[0] == NULL)
		return sz_error_make(err, EINVAL, "sz_create: no command for PID 1");
	if (spec->tty)
		return sz_error_make(err, EINVAL, "sz_create: PID 1 gets no terminal (give one to an exec)");
	h = sz_xcalloc(1, sizeof(*h));
	h->state_root = sz_xstrdup(paths->state_root);
	sz_hold_signals(&old);
	ret = sz_container_prepare(h, spec, paths, err);
	if (ret == 0)
		ret = start(h, err);
	if (ret == 0 && sz_stop_pending(&old))
		ret = sz_error_make(err, 0, _("interrupted while the container was being created"));
	if (ret < 0) {
		if (h->pid > 0) {
			kill(h->pid, SIGKILL);
			reap(h->pid, NULL);
		}
		sz_container_teardown(h, &ignored);
		sz_error_release(&ignored);
		free_handle(h);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	keep_spec(h, spec);
	sz_trace(&h->c, "created: PID 1 is host pid %ld, ready for exec", (long)h->pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	*out = h;
	return 0;
}

/* Every exec'd process not yet reaped: killed (the PID namespace's end
 * would kill it too, but PID 1 cannot finish exiting until stanza, their
 * parent, has reaped them) and reaped. Their structs stay the caller's. */
static void reap_processes(struct sz_container_handle *h)
{
	while (h->procs != NULL) {
		struct sz_process *p = h->procs;

		h->procs = p->next;
		syscall(SYS_pidfd_send_signal, p->pidfd, SIGKILL, NULL, 0);
		kill(-p->pid, SIGKILL);
		reap(p->pid, &p->status);
		p->reaped = true;
		p->next = NULL;
		p->h = NULL;
	}
}

int sz_destroy(struct sz_container_handle *h, struct sz_result *res, sz_error_t *err)
{
	struct sz_result r = {0};
	sz_error_t e = NULL;
	sigset_t old;

	if (h == NULL)
		return 0;
	sz_hold_signals(&old);
	if (!h->reaped && syscall(SYS_pidfd_send_signal, h->pidfd, SIGKILL, NULL, 0) < 0 && errno != ESRCH)
		kill(h->pid, SIGKILL);
	reap_processes(h);
	if (!h->reaped)
		reap(h->pid, &h->status);
	h->reaped = true;
	sz_trace(&h->c, "destroy: PID 1 and every process of the container killed and reaped");
	sz_container_fill_result(&h->c, h->status, &r);
	sz_container_teardown(h, &e);
	free_handle(h);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (res != NULL)
		*res = r;
	if (e != NULL) {
		sz_error_release(err);
		*err = steal_pointer(&e);
		return -1;
	}
	return 0;
}

void sz_exec_spec_init(struct sz_exec_spec *x)
{
	*x = (struct sz_exec_spec){.stdio = {0, 1, 2}};
}

pid_t sz_container_pid(const struct sz_container_handle *h)
{
	return h->pid;
}

int sz_container_pidfd(const struct sz_container_handle *h)
{
	return h->pidfd;
}

bool sz_container_running(const struct sz_container_handle *h)
{
	struct pollfd p = {.fd = h->pidfd, .events = POLLIN};

	if (h->reaped)
		return false;
	return poll(&p, 1, 0) == 0;
}

bool sz_container_rootless(const struct sz_container_handle *h)
{
	return h->c.rootless;
}

const char *sz_container_id(const struct sz_container_handle *h)
{
	return h->c.id;
}

const char *sz_container_state_dir(const struct sz_container_handle *h)
{
	return h->c.state_dir;
}

const char *sz_container_upper_dir(const struct sz_container_handle *h)
{
	return h->upper_dir;
}

const char *sz_container_cgroup_dir(const struct sz_container_handle *h, enum sz_controller c)
{
	if (!h->c.has_cgroup || c < 0 || c >= SZ_CTRL_COUNT)
		return NULL;
	return h->c.cgroup.path[c];
}

int sz_container_stats(const struct sz_container_handle *h, struct sz_cgroup_stats *stats, sz_error_t *err)
{
	memset(stats, 0, sizeof(*stats));
	if (!h->c.has_cgroup)
		return 0;
	return sz_cgroup_read_stats(&h->c.cgroup, stats, err);
}
