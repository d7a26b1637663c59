/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live_lab_type.c - the learner's lines in a live lab's session: plainly, or with their terminal handed over
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/live_lab_internal.h"

#define GRACE_NS     (1500 * 1000 * 1000ull) /* after ^C, before the foreground job is killed */
#define SYNC_WAIT_NS (5000 * 1000 * 1000ull) /* for the session to answer the sync */
#define TICK_MS      200                     /* how often the terminal's size and modes are looked at */

/* ---- plainly ----------------------------------------------------------- */

struct relay {
	struct sz_live_last *last;
	sz_session_output_fn out;
	void *arg;
};

static void relay_output(void *arg, const char *data, size_t len)
{
	struct relay *r = arg;

	sz_live_last_add(r->last, data, len);
	if (r->out != NULL)
		r->out(r->arg, data, len);
}

int sz_live_lab_type(struct sz_live_lab *l, const char *line, sz_session_output_fn out, void *arg,
                     int *status, sz_error_t *err)
{
	struct sz_live_lab_run *lr = l->run;
	struct relay relay = {&lr->last, out, arg};
	struct sz_session_result res;

	*status = -1;
	if (sz_live_lab_drain_signals(l) < 0)
		return sz_error_make(err, 0, _("stopped by SIG%s"), sigabbrev_np(l->stop_signal));
	sz_live_last_reset(&lr->last);
	sz_session_set_cancel_fd(lr->run.session, l->engine.sigfd);
	if (sz_session_run(lr->run.session, line, 0, relay_output, &relay, &res, err) < 0)
		return -1;
	lr->last.ran = true;
	lr->last.status = *status = res.status;
	if (res.interrupted && sz_live_lab_take_signal(l) != SIGINT && l->stop_signal != 0)
		return sz_error_make(err, 0, _("stopped by SIG%s"), sigabbrev_np(l->stop_signal));
	return 0;
}

char *sz_live_lab_where(struct sz_live_lab *l)
{
	const struct sz_lab_container *lc = &l->lab->container;
	const char *user = lc->user != NULL ? lc->user : "root";
	bool root = strcmp(user, "root") == 0 || strcmp(user, "0") == 0;
	struct sz_session_result res;
	sz_error_t err = NULL;
	cleanup_free char *cwd = NULL;

	/* $? is expanded before eval runs printf, and given back after it. */
	if (l->run->run.session == NULL ||
	    sz_session_run_capture(l->run->run.session, "eval \"printf '%s' \\\"\\$PWD\\\"; (exit $?)\"",
	                           SYNC_WAIT_NS, &cwd, &res, &err) < 0) {
		sz_error_release(&err);
		cwd = sz_xstrdup("?");
	}
	return sz_asprintf("%s@%s:%s%c", user, lc->hostname != NULL ? lc->hostname : "lab", cwd,
	                   root ? '#' : '$');
}

/* ---- with the terminal handed over ------------------------------------- */

enum pump_phase { RUNNING, INTERRUPTED, SYNCING };

struct pump {
	struct sz_live_lab *l;
	int master, in_fd, out_fd;
	enum pump_phase phase;
	uint64_t deadline; /* INTERRUPTED: the grace; SYNCING: giving up */
	bool killed, synced, incomplete, done;
	int status;
	struct termios cooked; /* the learner's terminal as it was */
	bool have_cooked, raw;
	struct winsize size;
};

static int write_all_nb(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			poll(&p, 1, 100);
			continue;
		}
		if (n < 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Echo off and canonical input with signals, as the session keeps its pty
 * between commands (a command may have changed it). */
static int session_modes(int master)
{
	struct termios t;

	if (tcgetattr(master, &t) < 0)
		return -1;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL | ECHOKE);
	t.c_lflag |= ICANON | ISIG;
	t.c_oflag &= ~(tcflag_t)OPOST;
	return tcsetattr(master, TCSANOW, &t);
}

/* The learner's terminal follows the session's: raw while a program has
 * the session's terminal out of canonical mode (a full-screen program), as
 * it was otherwise. Output processing stays on: \n still starts a line. */
static void follow_modes(struct pump *p)
{
	struct termios t;
	bool want_raw;

	if (!p->have_cooked || tcgetattr(p->master, &t) < 0)
		return;
	want_raw = !(t.c_lflag & ICANON);
	if (want_raw == p->raw)
		return;
	if (want_raw) {
		struct termios r = p->cooked;
		cfmakeraw(&r);
		r.c_oflag |= OPOST | ONLCR;
		tcsetattr(p->in_fd, TCSADRAIN, &r);
	} else {
		tcsetattr(p->in_fd, TCSADRAIN, &p->cooked);
	}
	p->raw = want_raw;
}

static void follow_size(struct pump *p)
{
	struct winsize ws;

	if (ioctl(p->out_fd, TIOCGWINSZ, &ws) < 0 || ws.ws_col == 0)
		return;
	if (ws.ws_col == p->size.ws_col && ws.ws_row == p->size.ws_row)
		return;
	p->size = ws;
	ioctl(p->master, TIOCSWINSZ, &ws);
}

static int send_interrupt(struct pump *p)
{
	sz_error_t err = NULL;

	p->phase = INTERRUPTED;
	p->deadline = sz_now_ns() + GRACE_NS;
	if (sz_session_interrupt(p->l->run->run.session, &err) < 0) {
		sz_error_release(&err);
		return -1;
	}
	return 0;
}

/* After ^C ash may print a second prompt: a numbered token, then the prompt
 * after it, tell the line's end for sure (as the session does). */
static int start_sync(struct pump *p)
{
	struct sz_live_lab_run *lr = p->l->run;
	cleanup_free char *line = NULL;

	p->phase = SYNCING;
	p->deadline = sz_now_ns() + SYNC_WAIT_NS;
	line = sz_asprintf("eval \"printf '%s@%u@'; (exit $?)\"\n", lr->scanner.marker,
	                   900000000u + ++lr->sync_seq);
	return write_all_nb(p->master, line, strlen(line));
}

static int on_event(struct pump *p, enum sz_prompt_event ev, int value)
{
	struct sz_live_lab_run *lr = p->l->run;

	switch (ev) {
	case SZ_PROMPT_CONTINUE:
		if (p->incomplete || p->phase == SYNCING)
			return 0;
		p->incomplete = true;
		return send_interrupt(p);
	case SZ_PROMPT_SYNC:
		p->synced =
		    p->synced || (p->phase == SYNCING && (unsigned)value == 900000000u + lr->sync_seq);
		return 0;
	case SZ_PROMPT_DONE:
		if (p->phase == RUNNING || (p->phase == SYNCING && p->synced)) {
			p->status = value;
			p->done = true;
			return 0;
		}
		return p->phase == SYNCING ? 0 : start_sync(p);
	case SZ_PROMPT_NONE: break;
	}
	return 0;
}

static void to_learner(void *arg, const char *data, size_t len)
{
	struct pump *p = arg;

	sz_live_last_add(&p->l->run->last, data, len);
	write_all_nb(p->out_fd, data, len);
}

/* What the session's terminal says; -1 when the shell is gone. */
static int from_session(struct pump *p)
{
	char buf[4096];
	ssize_t n = read(p->master, buf, sizeof(buf));
	const char *data = buf;
	size_t len = n > 0 ? (size_t)n : 0;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0)
		return -1;
	while (!p->done) {
		int value = 0;
		enum sz_prompt_event ev = sz_prompt_scanner_feed(
		    &p->l->run->scanner, data, len, p->phase == SYNCING ? NULL : to_learner, p, &value);

		data = NULL;
		len = 0;
		if (ev == SZ_PROMPT_NONE)
			break;
		if (on_event(p, ev, value) < 0)
			return -1;
	}
	return 0;
}

/* What the learner types; at the end of their input (^D) the command gets
 * the session's end-of-file character. */
static int from_learner(struct pump *p)
{
	char buf[1024];
	ssize_t n = read(p->in_fd, buf, sizeof(buf));
	struct termios t;

	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (n > 0)
		return write_all_nb(p->master, buf, (size_t)n);
	if (tcgetattr(p->master, &t) < 0)
		return -1;
	buf[0] = (char)t.c_cc[VEOF];
	return write_all_nb(p->master, buf, 1);
}

/* A signal: ^C interrupts the command; SIGTERM and SIGHUP also stop the lab. */
static int on_signal(struct pump *p)
{
	int sig = sz_live_lab_take_signal(p->l);

	if (sig == 0 || p->phase != RUNNING)
		return 0;
	return send_interrupt(p);
}

/* The grace after ^C is over: kill the foreground job (never the shell);
 * the sync that does not come back means the shell is gone. */
static int on_timeout(struct pump *p)
{
	pid_t pgrp;

	if (p->deadline == 0 || sz_now_ns() < p->deadline)
		return 0;
	if (p->phase == SYNCING || p->killed)
		return -1;
	pgrp = tcgetpgrp(p->master);
	if (pgrp > 0 && pgrp != sz_session_pid(p->l->run->run.session))
		kill(-pgrp, SIGKILL);
	p->killed = true;
	p->deadline = sz_now_ns() + GRACE_NS;
	return 0;
}

static int pump_loop(struct pump *p)
{
	while (!p->done) {
		bool reading = p->in_fd >= 0 && p->phase == RUNNING;
		struct pollfd fds[3] = {{p->master, POLLIN, 0},
		                        {reading ? p->in_fd : -1, POLLIN, 0},
		                        {p->l->engine.sigfd, POLLIN, 0}};
		int n = poll(fds, 3, TICK_MS);

		if (n < 0 && errno != EINTR)
			return -1;
		follow_modes(p);
		follow_size(p);
		if (n > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && from_session(p) < 0)
			return -1;
		if (n > 0 && (fds[1].revents & (POLLIN | POLLHUP)) && from_learner(p) < 0)
			p->in_fd = -1;
		if (n > 0 && (fds[2].revents & POLLIN) && on_signal(p) < 0)
			return -1;
		if (on_timeout(p) < 0)
			return -1;
	}
	return 0;
}

static void pump_init(struct pump *p, struct sz_live_lab *l, int in_fd, int out_fd)
{
	memset(p, 0, sizeof(*p));
	p->l = l;
	p->master = sz_session_fd(l->run->run.session);
	p->in_fd = in_fd;
	p->out_fd = out_fd;
	p->have_cooked = tcgetattr(in_fd, &p->cooked) == 0;
}

int sz_live_lab_type_tty(struct sz_live_lab *l, const char *line, int in_fd, int out_fd, int *status,
                         sz_error_t *err)
{
	cleanup_free char *text = NULL;
	struct pump p;
	int r;

	if (!l->run->scanning || strpbrk(line, "\r\n") != NULL)
		return sz_live_lab_type(l, line, NULL, NULL, status, err);
	*status = -1;
	if (sz_live_lab_drain_signals(l) < 0)
		return sz_error_make(err, 0, _("stopped by SIG%s"), sigabbrev_np(l->stop_signal));
	sz_live_last_reset(&l->run->last);
	pump_init(&p, l, in_fd, out_fd);
	follow_size(&p);
	text = sz_asprintf("%s\n", line);
	r = session_modes(p.master) < 0 || write_all_nb(p.master, text, strlen(text)) < 0 ? -1
	                                                                                  : pump_loop(&p);
	if (p.raw)
		tcsetattr(in_fd, TCSADRAIN, &p.cooked);
	if (r < 0)
		return sz_error_make(err, 0, _("the session's shell does not answer"));
	l->run->last.ran = true;
	l->run->last.status = *status = p.status;
	if (l->stop_signal != 0)
		return sz_error_make(err, 0, _("stopped by SIG%s"), sigabbrev_np(l->stop_signal));
	if (p.incomplete)
		return sz_error_make(err, 0, _("the command line is incomplete (an unclosed quote?): '%s'"),
		                     line);
	return 0;
}
