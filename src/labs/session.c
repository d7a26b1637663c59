/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session.c - a lab's persistent shell session: one command line at a time over the pty, prompts as markers
 */
#include "labs/session.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#define DEFAULT_START_TIMEOUT_NS (10ULL * 1000000000ULL)
#define GRACE_NS                 (1500ULL * 1000000ULL) /* after ^C, before the foreground job is killed */
#define MAX_LINE                 3000                   /* a canonical-mode pty takes 4095 bytes a line */
#define MAX_CAPTURE              (1024 * 1024)

struct sz_session {
	struct sz_process *shell;
	int master;
	int cancel_fd;
	unsigned int sync_seq;
	bool broken;
	char nonce[17];
	struct sz_prompt_scanner scanner;
	/* What it takes to start the shell again when it ends (see revive). */
	struct sz_container_handle *h;
	struct sz_session_options opts; /* strings below owned */
	char **env;
	unsigned int restarts;
};

/* ---- the prompt scanner ---- */

void sz_prompt_scanner_init(struct sz_prompt_scanner *sc, const char *nonce)
{
	memset(sc, 0, sizeof(*sc));
	snprintf(sc->marker, sizeof(sc->marker), "SZ%s", nonce);
	sc->marker_len = strlen(sc->marker);
	sz_buf_init(&sc->pending, 0);
}

void sz_prompt_scanner_release(struct sz_prompt_scanner *sc)
{
	sz_buf_release(&sc->pending);
}

static void emit(sz_session_output_fn out, void *arg, const char *data, size_t len)
{
	if (out != NULL && len > 0)
		out(arg, data, len);
}

/* Drop the first n bytes of the buffer. */
static void consume(struct sz_prompt_scanner *sc, size_t n)
{
	if (n == 0)
		return;
	memmove(sc->pending.buf, sc->pending.buf + n, sc->pending.len - n);
	sc->pending.len -= n;
	sc->pending.buf[sc->pending.len] = '\0';
}

/* The longest tail of buf[0, len) that could start a marker. */
static size_t partial_marker(const struct sz_prompt_scanner *sc, const char *buf, size_t len)
{
	size_t n = len < sc->marker_len - 1 ? len : sc->marker_len - 1;

	for (; n > 0; n--)
		if (memcmp(buf + len - n, sc->marker, n) == 0)
			return n;
	return 0;
}

/* Digits (one to max) after buf[j] and then term: 1 with *value and *end
 * past term, 0 when more bytes are needed, -1 when it is not that. */
static int parse_number(const struct sz_prompt_scanner *sc, size_t j, char term, size_t max, int *value,
                        size_t *end)
{
	size_t k;

	for (k = j + 1; k < sc->pending.len && k - j <= max && isdigit((unsigned char)sc->pending.buf[k]);
	     k++)
		;
	if (k == sc->pending.len)
		return 0;
	if (k == j + 1 || sc->pending.buf[k] != term)
		return -1;
	*value = 0;
	for (size_t i = j + 1; i < k; i++)
		*value = *value * 10 + (sc->pending.buf[i] - '0');
	*end = k + 1;
	return 1;
}

/* What follows the marker at the start of the buffer: an event with *end
 * past it, SZ_PROMPT_NONE when more bytes are needed, -1 when it is output
 * that merely looks like a marker ("SZ<nonce>#$?#" from `echo $PS1`). */
static int parse_suffix(const struct sz_prompt_scanner *sc, int *value, size_t *end)
{
	size_t j = sc->marker_len;
	int r;

	if (j >= sc->pending.len)
		return SZ_PROMPT_NONE;
	switch (sc->pending.buf[j]) {
	case '+': *end = j + 1; return SZ_PROMPT_CONTINUE;
	case '#': /* $? has at most three digits */
		r = parse_number(sc, j, '#', 3, value, end);
		return r < 0 ? -1 : r == 0 ? SZ_PROMPT_NONE : SZ_PROMPT_DONE;
	case '@':
		r = parse_number(sc, j, '@', 9, value, end);
		return r < 0 ? -1 : r == 0 ? SZ_PROMPT_NONE : SZ_PROMPT_SYNC;
	default: return -1;
	}
}

enum sz_prompt_event sz_prompt_scanner_feed(struct sz_prompt_scanner *sc, const char *data, size_t len,
                                            sz_session_output_fn out, void *arg, int *value)
{
	sz_buf_add(&sc->pending, data, len);
	for (;;) {
		char *m = memmem(sc->pending.buf, sc->pending.len, sc->marker, sc->marker_len);
		size_t end = 0, keep;
		int ev;

		if (m == NULL) {
			keep = partial_marker(sc, sc->pending.buf, sc->pending.len);
			emit(out, arg, sc->pending.buf, sc->pending.len - keep);
			consume(sc, sc->pending.len - keep);
			return SZ_PROMPT_NONE;
		}
		emit(out, arg, sc->pending.buf, (size_t)(m - sc->pending.buf));
		consume(sc, (size_t)(m - sc->pending.buf));
		ev = parse_suffix(sc, value, &end);
		if (ev == SZ_PROMPT_NONE)
			return SZ_PROMPT_NONE;
		if (ev < 0) {
			emit(out, arg, sc->pending.buf, 1);
			consume(sc, 1);
			continue;
		}
		consume(sc, end);
		return (enum sz_prompt_event)ev;
	}
}

/* ---- the terminal ---- */

/* Echo off (what comes back is only output), output processing off (no
 * \r\n), canonical input and signals on (^C interrupts). Applied before each
 * line: a command may have changed it (stty). */
static int set_termios(int master, sz_error_t *err)
{
	struct termios t;

	if (tcgetattr(master, &t) < 0)
		return sz_error_make(err, errno, _("cannot read the settings of the session's terminal"));
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL | ECHOKE);
	t.c_lflag |= ICANON | ISIG;
	t.c_oflag &= ~(tcflag_t)OPOST;
	if (tcsetattr(master, TCSANOW, &t) < 0)
		return sz_error_make(err, errno, _("cannot set up the session's terminal"));
	return 0;
}

static int send_text(struct sz_session *s, const char *text, size_t len, sz_error_t *err)
{
	while (len > 0) {
		ssize_t n = write(s->master, text, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = s->master, .events = POLLOUT};
			poll(&p, 1, 100);
			continue;
		}
		if (n < 0) {
			s->broken = true;
			return sz_error_make(err, errno, _("cannot write to the session's shell"));
		}
		text += n;
		len -= (size_t)n;
	}
	return 0;
}

int sz_session_interrupt(struct sz_session *s, sz_error_t *err)
{
	struct termios t;
	char intr = 3; /* ^C, unless the terminal says otherwise */

	if (tcgetattr(s->master, &t) == 0 && t.c_cc[VINTR] != _POSIX_VDISABLE)
		intr = (char)t.c_cc[VINTR];
	return send_text(s, &intr, 1, err);
}

/* The foreground job ignored ^C: kill its process group, never the shell's. */
static void kill_foreground(struct sz_session *s)
{
	pid_t pgrp = tcgetpgrp(s->master);

	if (pgrp > 0 && pgrp != sz_process_pid(s->shell))
		kill(-pgrp, SIGKILL);
}

/* ---- running a line ---- */

/*
 * Waiting for the prompt goes through phases. RUNNING: output is passed on
 * until a prompt ends the command. INTERRUPTED: ^C was sent (timeout, cancel
 * fd, or an incomplete line); if the prompt does not come back within the
 * grace period the foreground job is killed (KILLED), and then the session
 * is broken. A ^C that reaches the shell at its prompt, before it read the
 * line, flushes the line and makes ash print two prompts; so after any ^C
 * the session SYNCs: it sends a line that prints a numbered token and keeps
 * $?, drops everything up to that token, and takes the prompt after it.
 */
enum phase { RUNNING, INTERRUPTED, KILLED, SYNCING, OPENING };

struct wait_state {
	enum phase phase;
	uint64_t deadline; /* RUNNING: the timeout, 0 for none; other phases: when to give up or escalate */
	unsigned int sync_seq;
	bool synced;     /* the token came back: the next prompt is the line's */
	bool incomplete; /* PS2 was seen: the line was cancelled */
	struct sz_session_result *res;
};

static int poll_timeout(const struct wait_state *ws)
{
	uint64_t now = sz_now_ns();

	if (ws->deadline == 0)
		return -1;
	return ws->deadline <= now ? 0 : (int)((ws->deadline - now + 999999) / 1000000);
}

static int broken(struct sz_session *s, sz_error_t *err)
{
	s->broken = true;
	return sz_error_make(err, 0, _("the session's shell does not answer"));
}

static int interrupt(struct sz_session *s, struct wait_state *ws, sz_error_t *err)
{
	ws->phase = INTERRUPTED;
	ws->deadline = sz_now_ns() + GRACE_NS;
	return sz_session_interrupt(s, err);
}

/* The deadline passed, or the cancel fd is readable. */
static int on_wake(struct sz_session *s, struct wait_state *ws, bool cancelled, sz_error_t *err)
{
	bool late = ws->deadline != 0 && sz_now_ns() >= ws->deadline;

	switch (ws->phase) {
	case RUNNING:
		if (cancelled)
			ws->res->interrupted = true;
		else if (late)
			ws->res->timed_out = true;
		else
			return 0;
		return interrupt(s, ws, err);
	case INTERRUPTED:
		if (!late)
			return 0;
		kill_foreground(s);
		ws->phase = KILLED;
		ws->deadline = sz_now_ns() + GRACE_NS;
		return 0;
	default: return late ? broken(s, err) : 0;
	}
}

/* Print a numbered token and end with the status the line left in $?. */
static int start_sync(struct sz_session *s, struct wait_state *ws, sz_error_t *err)
{
	cleanup_free char *line = NULL;

	ws->sync_seq = ++s->sync_seq;
	ws->phase = SYNCING;
	ws->deadline = sz_now_ns() + 2 * GRACE_NS;
	line = sz_asprintf("eval \"printf 'SZ%s@%u@'; (exit $?)\"\n", s->nonce, ws->sync_seq);
	return send_text(s, line, strlen(line), err);
}

/* One event of the scanner: 1 when the line's prompt came back. */
static int on_event(struct sz_session *s, struct wait_state *ws, enum sz_prompt_event ev, int value,
                    sz_error_t *err)
{
	if (ev == SZ_PROMPT_CONTINUE) {
		if (ws->incomplete || ws->phase == SYNCING)
			return 0;
		ws->incomplete = true;
		return interrupt(s, ws, err);
	}
	if (ev == SZ_PROMPT_SYNC) {
		ws->synced = ws->synced || (ws->phase == SYNCING && (unsigned int)value == ws->sync_seq);
		return 0;
	}
	/* SZ_PROMPT_DONE */
	if (ws->phase == RUNNING || ws->phase == OPENING || (ws->phase == SYNCING && ws->synced)) {
		ws->res->status = value;
		return 1;
	}
	if (ws->phase == SYNCING)
		return 0; /* a second prompt from before the token */
	return start_sync(s, ws, err) < 0 ? -1 : 0;
}

/* Read what the pty has; 1 when the line's prompt came back. */
static int on_output(struct sz_session *s, struct wait_state *ws, sz_session_output_fn out, void *arg,
                     sz_error_t *err)
{
	char buf[4096];
	ssize_t n = read(s->master, buf, sizeof(buf));
	const char *data = buf;
	size_t len;

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		/* EIO: the shell and everything on its terminal are gone. */
		s->broken = true;
		return sz_error_make(err, 0, _("the session's shell has exited"));
	}
	/* Output counts until the first prompt after ^C; what follows is the sync. */
	for (len = (size_t)n;; data = NULL, len = 0) {
		bool passing = ws->phase == RUNNING || ws->phase == INTERRUPTED || ws->phase == KILLED;
		int value = 0;
		enum sz_prompt_event ev =
		    sz_prompt_scanner_feed(&s->scanner, data, len, passing ? out : NULL, arg, &value);
		int r;

		if (ev == SZ_PROMPT_NONE)
			return 0;
		r = on_event(s, ws, ev, value, err);
		if (r != 0)
			return r;
	}
}

static int wait_prompt(struct sz_session *s, struct wait_state *ws, sz_session_output_fn out, void *arg,
                       sz_error_t *err)
{
	for (;;) {
		bool watch_cancel = ws->phase == RUNNING && s->cancel_fd >= 0;
		struct pollfd fds[2] = {{.fd = s->master, .events = POLLIN},
		                        {.fd = watch_cancel ? s->cancel_fd : -1, .events = POLLIN}};
		int timeout = poll_timeout(ws);
		int n = poll(fds, 2, timeout);
		int r = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sz_error_make(err, errno, "poll");
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
			r = on_output(s, ws, out, arg, err);
		if (r != 0)
			return r < 0 ? -1 : 0;
		if ((n == 0 || (fds[1].revents & POLLIN)) && on_wake(s, ws, fds[1].revents & POLLIN, err) < 0)
			return -1;
	}
}

static int start_shell(struct sz_session *s, struct sz_container_handle *h,
                       const struct sz_session_options *o, sz_error_t *err);
static int first_prompt(struct sz_session *s, const struct sz_session_options *o, sz_error_t *err);

static char *dup_or_null(const char *t)
{
	return t != NULL ? sz_xstrdup(t) : NULL;
}

static void keep_options(struct sz_session *s, struct sz_container_handle *h,
                         const struct sz_session_options *o)
{
	size_t n = 0;

	s->h = h;
	s->opts = *o;
	s->opts.user = dup_or_null(o->user);
	s->opts.workdir = dup_or_null(o->workdir);
	s->opts.term = dup_or_null(o->term);
	while (o->env != NULL && o->env[n] != NULL)
		n++;
	s->env = sz_xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		s->env[i] = sz_xstrdup(o->env[i]);
	s->opts.env = s->env;
}

static void forget_options(struct sz_session *s)
{
	for (size_t i = 0; s->env != NULL && s->env[i] != NULL; i++)
		free(s->env[i]);
	free(s->env);
	free((char *)s->opts.user);
	free((char *)s->opts.workdir);
	free((char *)s->opts.term);
}

/*
 * The shell ended (the OOM killer chose it, the learner typed `exit`, or
 * busybox ash, reading its line with echo off, took a SIGCHLD from a
 * finished background job for the end of its input). A lab must go on:
 * start a new shell in the same container. What it ended with goes to
 * *status (128+N for signal N). cd, variables and jobs are lost, and the
 * caller says so.
 */
static int revive(struct sz_session *s, int *status, sz_error_t *err)
{
	struct sz_result r = {0};
	sz_error_t ignored = NULL;

	*status = -1;
	if (sz_exec_wait(s->shell, &r, &ignored) == 0)
		*status = r.term_signal != 0 ? 128 + r.term_signal : r.exit_code;
	sz_error_release(&ignored);
	sz_process_free(s->shell);
	s->shell = NULL;
	s->master = -1;
	sz_prompt_scanner_release(&s->scanner);
	sz_prompt_scanner_init(&s->scanner, s->nonce);
	s->broken = false;
	s->restarts++;
	if (start_shell(s, s->h, &s->opts, err) < 0 || first_prompt(s, &s->opts, err) < 0) {
		s->broken = true;
		return -1;
	}
	return 0;
}

/* Whether the shell has exited, waiting up to wait_ms for it: the pty hangs
 * up a moment before the process is gone. */
static bool shell_gone(const struct sz_session *s, int wait_ms)
{
	struct pollfd p = {.fd = s->shell != NULL ? sz_process_pidfd(s->shell) : -1, .events = POLLIN};

	if (p.fd < 0)
		return s->shell != NULL;
	while (poll(&p, 1, wait_ms) < 0 && errno == EINTR)
		;
	return (p.revents & POLLIN) != 0;
}

static int check_line(const struct sz_session *s, const char *line, sz_error_t *err)
{
	if (s->broken)
		return sz_error_make(err, 0, _("the session's shell is gone: open a new session"));
	if (strpbrk(line, "\n\r") != NULL)
		return sz_error_make(err, 0, _("a session runs one line at a time: '%s' has a line break"),
		                     line);
	if (strlen(line) > MAX_LINE)
		return sz_error_make(err, 0, _("the command line is too long (at most %d bytes)"), MAX_LINE);
	return 0;
}

int sz_session_run(struct sz_session *s, const char *line, uint64_t timeout_ns, sz_session_output_fn out,
                   void *out_arg, struct sz_session_result *res, sz_error_t *err)
{
	struct wait_state ws = {.phase = RUNNING, .res = res};
	cleanup_free char *text = NULL;

	*res = (struct sz_session_result){0};
	if (s->h != NULL && shell_gone(s, 0)) {
		int ended;
		if (revive(s, &ended, err) < 0)
			return -1;
		res->restarted = true;
	}
	if (check_line(s, line, err) < 0 || set_termios(s->master, err) < 0)
		return -1;
	if (timeout_ns != 0)
		ws.deadline = sz_now_ns() + timeout_ns;
	text = sz_asprintf("%s\n", line);
	if (send_text(s, text, strlen(text), err) < 0)
		return -1;
	if (wait_prompt(s, &ws, out, out_arg, err) < 0) {
		/* The shell itself ended with the line: its status is the line's. */
		if (!s->broken || s->h == NULL || !shell_gone(s, 1000))
			return -1;
		sz_error_release(err);
		if (revive(s, &res->status, err) < 0)
			return -1;
		res->restarted = true;
		return 0;
	}
	if (ws.incomplete)
		return sz_error_make(err, 0, _("the command line is incomplete (an unclosed quote?): '%s'"),
		                     line);
	return 0;
}

static void capture_output(void *arg, const char *data, size_t len)
{
	struct sz_buf *c = arg;

	if (c->len + len > MAX_CAPTURE)
		len = MAX_CAPTURE - c->len;
	sz_buf_add(c, data, len);
}

int sz_session_run_capture(struct sz_session *s, const char *line, uint64_t timeout_ns, char **output,
                           struct sz_session_result *res, sz_error_t *err)
{
	struct sz_buf c = SZ_BUF_INIT;

	if (sz_session_run(s, line, timeout_ns, capture_output, &c, res, err) < 0) {
		sz_buf_release(&c);
		return -1;
	}
	*output = sz_buf_detach(&c, NULL);
	return 0;
}

/* ---- opening and closing ---- */

void sz_session_options_init(struct sz_session_options *o)
{
	*o = (struct sz_session_options){0};
}

static void make_nonce(char out[17])
{
	unsigned char bytes[8];

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		uint64_t v = sz_now_ns() ^ ((uint64_t)getpid() << 40);
		memcpy(bytes, &v, sizeof(bytes));
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static int start_shell(struct sz_session *s, struct sz_container_handle *h,
                       const struct sz_session_options *o, sz_error_t *err)
{
	static char *const argv[] = {"/bin/sh", NULL};
	cleanup_free char *term = sz_asprintf("TERM=%s", o->term != NULL ? o->term : "dumb");
	size_t n_extra = 0;
	cleanup_free char **env = NULL;
	struct sz_exec_spec x;
	struct winsize ws = {.ws_row = o->rows ? o->rows : 40, .ws_col = o->columns ? o->columns : 120};

	while (o->env != NULL && o->env[n_extra] != NULL)
		n_extra++;
	env = sz_xcalloc(n_extra + 2, sizeof(char *));
	env[0] = term;
	for (size_t i = 0; i < n_extra; i++)
		env[i + 1] = o->env[i];
	sz_exec_spec_init(&x);
	x.argv = argv;
	x.env = env;
	x.user = o->user;
	x.workdir = o->workdir;
	x.tty = true;
	x.tty_noecho = true;
	if (sz_exec_start(h, &x, &s->shell, err) < 0)
		return sz_error_wrap(err, _("cannot start the session's shell"));
	s->master = sz_process_pty(s->shell);
	if (s->master < 0)
		return sz_error_make(err, 0, _("cannot start the session's shell: it got no terminal"));
	fcntl(s->master, F_SETFL, fcntl(s->master, F_GETFL) | O_NONBLOCK);
	ioctl(s->master, TIOCSWINSZ, &ws);
	return set_termios(s->master, err);
}

/* Set the prompts and wait for the first one: the shell is then ready. */
static int first_prompt(struct sz_session *s, const struct sz_session_options *o, sz_error_t *err)
{
	uint64_t timeout = o->start_timeout_ns ? o->start_timeout_ns : DEFAULT_START_TIMEOUT_NS;
	struct sz_session_result res = {0};
	struct wait_state ws = {.phase = OPENING, .res = &res, .deadline = sz_now_ns() + timeout};
	cleanup_free char *setup = sz_asprintf("PS1='SZ%s#$?#'; PS2='SZ%s+'\n", s->nonce, s->nonce);

	if (send_text(s, setup, strlen(setup), err) < 0)
		return -1;
	/* The banner and the default prompt before ours are dropped. A timeout
	 * here is an error: the shell did not start. */
	if (wait_prompt(s, &ws, NULL, NULL, err) < 0)
		return sz_error_wrap(err, _("the session's shell did not start"));
	return 0;
}

int sz_session_open(struct sz_container_handle *h, const struct sz_session_options *o,
                    struct sz_session **out, sz_error_t *err)
{
	struct sz_session_options defaults;
	struct sz_session *s = sz_xcalloc(1, sizeof(*s));

	*out = NULL;
	if (o == NULL) {
		sz_session_options_init(&defaults);
		o = &defaults;
	}
	s->master = -1;
	s->cancel_fd = -1;
	keep_options(s, h, o);
	make_nonce(s->nonce);
	sz_prompt_scanner_init(&s->scanner, s->nonce);
	if (start_shell(s, h, o, err) < 0 || first_prompt(s, o, err) < 0) {
		sz_session_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

void sz_session_set_cancel_fd(struct sz_session *s, int fd)
{
	s->cancel_fd = fd;
}

int sz_session_fd(const struct sz_session *s)
{
	return s->master;
}

pid_t sz_session_pid(const struct sz_session *s)
{
	return sz_process_pid(s->shell);
}

void sz_session_close(struct sz_session *s)
{
	if (s == NULL)
		return;
	/* Kills the shell's process group and reaps it; the kernel hangs up its
	 * foreground job with it. The master goes with the process. */
	sz_process_free(s->shell);
	forget_options(s);
	sz_prompt_scanner_release(&s->scanner);
	free(s);
}
