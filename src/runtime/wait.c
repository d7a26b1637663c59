/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wait.c - stanza waits for its container: the pidfd, signals for stanza itself, the deadline */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/util.h"
#include "runtime/container.h"

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

void sz_kill_container(const struct sz_wait *w)
{
	if (syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL, 0) < 0)
		kill(w->pid, SIGKILL);
	if (w->kill_group)
		kill(-w->pid, SIGKILL);
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
		sz_kill_container(w);
	}
	if (signo != 0 && signo != SIGCHLD && signo != SIGWINCH && !res->interrupted) {
		res->interrupted = true;
		res->interrupt_signal = signo;
		sz_trace(c, "signal %d: stopping the container", signo);
		sz_kill_container(w);
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

int sz_wait_plain(const struct sz_container *c, struct sz_wait *w, struct sz_result *res, int *status,
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

int sz_block_signals(sigset_t *old, sz_error_t *err)
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

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void sz_hold_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		sigaddset(&set, stop_signals[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

bool sz_stop_pending(const sigset_t *old)
{
	sigset_t pending;

	if (sigpending(&pending) < 0)
		return false;
	for (size_t i = 0; i < sizeof(stop_signals) / sizeof(stop_signals[0]); i++)
		if (sigismember(&pending, stop_signals[i]) && !sigismember(old, stop_signals[i]))
			return true;
	return false;
}
