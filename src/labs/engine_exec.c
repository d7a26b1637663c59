/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_exec.c - a step's command in the container or on the host: its output streamed and captured, its
 * time bounded */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/engine_internal.h"

#define MAX_CAPTURE (1024 * 1024) /* per stream; more is read and dropped */

void sz_captured_release(struct sz_captured *c)
{
	free(c->out);
	free(c->err);
	free(c->error);
	memset(c, 0, sizeof(*c));
}

/* ---- the pump: pipes, a pidfd, signals and a deadline ------------------- */

struct pump {
	struct sz_lab_run *run;
	int fds[2];           /* read ends of stdout and stderr; -1 once at their end */
	struct sz_buf out[2]; /* what came on stdout and stderr */
	int pidfd;
	uint64_t deadline_ns;
};

static void pump_take(struct pump *p, int i, const char *data, size_t n)
{
	const struct sz_lab_events *ev = p->run->e->events;

	if (ev != NULL && ev->output != NULL)
		ev->output(ev->ctx, p->run->step, p->run->phase, i + 1, data, n);
	if (p->out[i].len + n > MAX_CAPTURE)
		n = MAX_CAPTURE - p->out[i].len;
	sz_buf_add(&p->out[i], data, n);
}

/* Read what is there; close the pipe at its end. */
static void pump_read(struct pump *p, int i)
{
	char data[4096];
	ssize_t n;

	while (p->fds[i] >= 0) {
		n = read(p->fds[i], data, sizeof(data));
		if (n > 0) {
			pump_take(p, i, data, (size_t)n);
			continue;
		}
		if (n < 0 && (errno == EINTR))
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(p->fds[i]);
			p->fds[i] = -1;
		}
		return;
	}
}

static int poll_timeout_ms(uint64_t deadline_ns)
{
	uint64_t now = sz_now_ns();

	if (deadline_ns == 0)
		return -1;
	return now >= deadline_ns ? 0 : (int)((deadline_ns - now + 999999) / 1000000);
}

/* Until the process ends (0), the deadline passes (1) or a signal asks
 * stanza to stop (-1). Output that is left is read at the end; a process
 * left in the background holding the pipes does not hold the pump. */
static int pump_run(struct pump *p)
{
	struct sz_lab_engine *e = p->run->e;

	for (;;) {
		struct pollfd pfd[4] = {{p->fds[0], POLLIN, 0},
		                        {p->fds[1], POLLIN, 0},
		                        {p->pidfd, POLLIN, 0},
		                        {e->sigfd, POLLIN, 0}};
		struct signalfd_siginfo si;
		int r = poll(pfd, 4, poll_timeout_ms(p->deadline_ns));

		if (r < 0 && errno != EINTR)
			return 0;
		if (r == 0)
			return 1;
		for (int i = 0; i < 2; i++)
			if (pfd[i].revents != 0)
				pump_read(p, i);
		if (pfd[3].revents != 0 && read(e->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			e->stop_signal = (int)si.ssi_signo;
			return -1;
		}
		if (pfd[2].revents != 0) {
			pump_read(p, 0);
			pump_read(p, 1);
			return 0;
		}
	}
}

static void pump_finish(struct pump *p, struct sz_captured *c)
{
	for (int i = 0; i < 2; i++)
		if (p->fds[i] >= 0)
			close(p->fds[i]);
	c->out = sz_buf_detach(&p->out[0], &c->out_len);
	c->err = sz_buf_detach(&p->out[1], &c->err_len);
}

/* Two pipes: fds[0..1] the read ends (non-blocking), w[0..1] the write ends. */
static int make_pipes(struct pump *p, int w[2], sz_error_t *err)
{
	for (int i = 0; i < 2; i++) {
		int fds[2];

		if (pipe2(fds, O_CLOEXEC) < 0)
			return sz_error_make(err, errno, "pipe2");
		fcntl(fds[0], F_SETFL, O_NONBLOCK);
		p->fds[i] = fds[0];
		w[i] = fds[1];
	}
	return 0;
}

static char *timeout_text(uint64_t ns)
{
	char t[32];

	return sz_asprintf(_("the command ran longer than its timeout (%s s) and was stopped"),
	                   sz_format_seconds(ns, t));
}

/* ---- in the container --------------------------------------------------- */

/* How every exec ends: the output kept, then the error or the timeout (r is
 * pump_run's) said in c. Takes err. */
static int exec_done(struct pump *p, struct sz_captured *c, sz_error_t *err, int r, uint64_t timeout_ns)
{
	pump_finish(p, c);
	if (*err != NULL)
		c->error = sz_error_take_msg(err);
	if (r == 1) {
		c->timed_out = true;
		free(c->error);
		c->error = timeout_text(timeout_ns);
	}
	return r < 0 ? -1 : 0;
}

static void finish_exec(struct sz_process *p, struct sz_captured *c, const char *command)
{
	struct sz_result res;
	sz_error_t err = NULL;

	if (sz_exec_wait(p, &res, &err) < 0) {
		c->error = sz_error_take_msg(&err);
		return;
	}
	c->ran = res.exec_errno == 0;
	c->status = sz_result_status(&res);
	c->oom_killed = res.oom_killed;
	if (res.exec_errno != 0)
		c->error = sz_exec_error_text(&res, command);
}

int sz_lab_exec_container(struct sz_lab_run *run, const char *command, uint64_t timeout_ns,
                          struct sz_captured *c)
{
	struct pump p = {.run = run, .fds = {-1, -1}, .out = {SZ_BUF_INIT, SZ_BUF_INIT}};
	char *argv[] = {"sh", "-c", (char *)command, NULL};
	cleanup_close int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct sz_exec_spec x;
	struct sz_process *proc = NULL;
	sz_error_t err = NULL;
	int w[2] = {-1, -1}, r = 0;

	memset(c, 0, sizeof(*c));
	sz_exec_spec_init(&x);
	x.argv = argv;
	x.user = run->lab->container.user;
	x.timeout_ns = timeout_ns + 1000000000ull; /* a backstop: the pump stops it first */
	if (make_pipes(&p, w, &err) == 0) {
		x.stdio[0] = null;
		x.stdio[1] = w[0];
		x.stdio[2] = w[1];
		if (sz_exec_start(run->h, &x, &proc, &err) == 0) {
			close(w[0]);
			close(w[1]);
			w[0] = w[1] = -1;
			p.pidfd = sz_process_pidfd(proc);
			p.deadline_ns = sz_now_ns() + timeout_ns;
			r = pump_run(&p);
			if (r != 0) {
				/* and what it started in the background: its process group
				 * (the command leads one of its own; not yet reaped, its
				 * number cannot have been reused) */
				sz_process_signal(proc, SIGKILL);
				kill(-sz_process_pid(proc), SIGKILL);
			}
			finish_exec(proc, c, "sh");
			sz_process_free(proc);
		}
	}
	for (int i = 0; i < 2; i++)
		if (w[i] >= 0)
			close(w[i]);
	return exec_done(&p, c, &err, r, timeout_ns);
}

/* ---- on the host -------------------------------------------------------- */

__attribute__((noreturn)) static void host_child(struct sz_lab_run *run, const char *command, int w[2])
{
	int null = open("/dev/null", O_RDONLY);

	sigprocmask(SIG_SETMASK, &run->e->old_mask, NULL);
	setsid();
	if (null < 0 || dup2(null, 0) < 0 || dup2(w[0], 1) < 0 || dup2(w[1], 2) < 0 || fchdir(run->wd.fd) < 0)
		_exit(126);
	execl("/bin/sh", "sh", "-c", command, (char *)NULL);
	_exit(127);
}

static void reap_host(pid_t pid, struct sz_captured *c)
{
	int status;

	kill(-pid, SIGKILL); /* what it left in the background goes too */
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return;
	c->ran = true;
	c->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int sz_lab_exec_host(struct sz_lab_run *run, const char *command, uint64_t timeout_ns, struct sz_captured *c)
{
	struct pump p = {.run = run, .fds = {-1, -1}, .out = {SZ_BUF_INIT, SZ_BUF_INIT}, .pidfd = -1};
	sz_error_t err = NULL;
	int w[2] = {-1, -1}, r = 0;
	pid_t pid = -1;

	memset(c, 0, sizeof(*c));
	if (make_pipes(&p, w, &err) == 0) {
		pid = fork();
		if (pid == 0)
			host_child(run, command, w);
		if (pid < 0)
			sz_error_make(&err, errno, "fork");
	}
	for (int i = 0; i < 2; i++)
		if (w[i] >= 0)
			close(w[i]);
	if (pid > 0) {
		p.pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		p.deadline_ns = sz_now_ns() + timeout_ns;
		r = p.pidfd < 0 ? 0 : pump_run(&p);
		reap_host(pid, c);
		if (p.pidfd >= 0)
			close(p.pidfd);
	}
	return exec_done(&p, c, &err, r, timeout_ns);
}
