/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tty.c - relay between the user's terminal and the container's pty, with window-size forwarding */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "common/util.h"
#include "runtime/container.h"

static void copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) == 0)
		ioctl(to, TIOCSWINSZ, &ws);
}

/* Copy what is available from `from` to `to`; 0 at end of input or error. */
static int pump(int from, int to)
{
	char buf[8192];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 1;
	if (n <= 0)
		return 0;
	return sz_write_all(to, buf, (size_t)n) == 0;
}

static void drain(int master)
{
	while (pump(master, STDOUT_FILENO) == 1) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
			break;
	}
}

int sz_tty_proxy(const struct sz_container *c, int master, struct sz_wait *w, struct sz_result *res,
                 int *status, sz_error_t *err)
{
	struct termios saved, raw;
	bool is_tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
	bool stdin_open = true;
	int r = 0;

	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
		copy_winsize(STDIN_FILENO, master);
	}
	while (r == 0) {
		struct pollfd fds[4] = {
		    {.fd = w->pidfd, .events = POLLIN},
		    {.fd = w->sigfd, .events = POLLIN},
		    {.fd = master, .events = POLLIN},
		    {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
		};
		int timeout = sz_wait_timeout_ms(w);
		int n = poll(fds, 4, timeout);
		int signo;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = sz_error_make(err, errno, "poll");
			break;
		}
		if (fds[2].revents & (POLLIN | POLLHUP))
			pump(master, STDOUT_FILENO);
		if ((fds[3].revents & (POLLIN | POLLHUP)) && !pump(STDIN_FILENO, master))
			stdin_open = false;
		signo = (fds[1].revents & POLLIN) ? sz_read_signal(w->sigfd) : 0;
		if (signo == SIGWINCH)
			copy_winsize(STDIN_FILENO, master);
		if (fds[0].revents & (POLLIN | POLLHUP))
			drain(master);
		r = sz_wait_event(c, w, fds[0].revents & (POLLIN | POLLHUP), signo, n == 0 && timeout >= 0,
		                  res, status, err);
	}
	if (is_tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	return r < 0 ? -1 : 0;
}
