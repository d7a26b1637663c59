/* SPDX-License-Identifier: GPL-3.0-or-later */
/* input.c - the learner's lines: readline with history on a terminal, plain lines otherwise, signals on a
 * signalfd */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

#define HISTORY_MAX 1000

/* readline's callback takes no context: the input waiting for a line. Set
 * only while sz_input_read runs on a terminal. */
static struct sz_input *reading;

static void signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGWINCH);
}

static void load_history(struct sz_input *in)
{
	int fd;

	using_history();
	stifle_history(HISTORY_MAX);
	if (in->history == NULL)
		return;
	/* The file must exist for append_history; it is private to the learner. */
	fd = open(in->history, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		free(in->history);
		in->history = NULL;
		return;
	}
	close(fd);
	read_history(in->history);
}

int sz_input_open(struct sz_input *in, struct sz_shell *sh, const char *history, sz_error_t *err)
{
	sigset_t set;

	memset(in, 0, sizeof(*in));
	sz_buf_init(&in->pending, 0);
	in->tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &in->old_mask) < 0)
		return sz_error_make(err, errno, "sigprocmask");
	in->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (in->sigfd < 0)
		return sz_error_make(err, errno, "signalfd");
	if (!in->tty)
		return 0;
	rl_readline_name = "stanza";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	in->history = history != NULL ? sz_xstrdup(history) : NULL;
	load_history(in);
	sz_complete_install(sh);
	return 0;
}

void sz_input_close(struct sz_input *in)
{
	if (in->tty && in->history != NULL)
		history_truncate_file(in->history, HISTORY_MAX);
	if (in->tty)
		clear_history();
	if (in->sigfd >= 0)
		close(in->sigfd);
	/* As it was: a live lab of the caller's may still need them blocked. */
	sigprocmask(SIG_SETMASK, &in->old_mask, NULL);
	free(in->history);
	sz_buf_release(&in->pending);
	free(in->line);
	memset(in, 0, sizeof(*in));
	in->sigfd = -1;
}

static void remember(struct sz_input *in, const char *line)
{
	HIST_ENTRY *prev = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;

	if (line[strspn(line, " \t")] == '\0' || (prev != NULL && strcmp(prev->line, line) == 0))
		return;
	add_history(line);
	if (in->history != NULL)
		append_history(1, in->history);
}

/* ---- signals ----------------------------------------------------------- */

static void terminal_width(struct sz_shell *sh)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		sh->width = ws.ws_col > 100 ? 100 : ws.ws_col;
}

/* The signal that came: 0 for none or one that changes nothing here. */
static int take_signal(struct sz_shell *sh)
{
	struct signalfd_siginfo si;

	if (read(sh->in.sigfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	if (si.ssi_signo == SIGWINCH) {
		terminal_width(sh);
		if (sh->in.tty)
			rl_resize_terminal();
		return 0;
	}
	return (int)si.ssi_signo;
}

/* ---- a terminal -------------------------------------------------------- */

static void on_line(char *line)
{
	if (line == NULL)
		reading->got_eof = true;
	else
		reading->line = line;
	reading->got_line = true;
	rl_callback_handler_remove();
}

/* ^C: the line being typed is dropped, as in a shell. "^C" goes after it
 * before the terminal is given back (which may return the cursor to the
 * line's start). */
static void cancel_line(void)
{
	FILE *out = rl_outstream != NULL ? rl_outstream : stdout;

	rl_point = rl_end;
	rl_redisplay();
	fputs("^C\n", out);
	fflush(out);
	rl_replace_line("", 0);
	rl_callback_sigcleanup();
	rl_callback_handler_remove();
}

static enum sz_read tty_read(struct sz_shell *sh, const char *prompt, char **line)
{
	struct sz_input *in = &sh->in;

	reading = in;
	in->got_line = in->got_eof = false;
	rl_callback_handler_install(prompt, on_line);
	while (!in->got_line) {
		struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {in->sigfd, POLLIN, 0}};
		int sig;

		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			break;
		if ((fds[1].revents & POLLIN) && (sig = take_signal(sh)) != 0) {
			cancel_line();
			if (sig == SIGINT)
				return SZ_READ_CANCEL;
			sh->stop_signal = sig;
			return SZ_READ_STOP;
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
			rl_callback_read_char();
	}
	reading = NULL;
	if (!in->got_line || in->got_eof) {
		fputc('\n', stdout);
		return SZ_READ_EOF;
	}
	*line = in->line;
	in->line = NULL;
	remember(in, *line);
	return SZ_READ_LINE;
}

/* ---- plain lines ------------------------------------------------------- */

/* A whole line from the buffer, without its newline; NULL when there is none. */
static char *take_line(struct sz_input *in)
{
	char *nl = in->pending.len > 0 ? memchr(in->pending.buf, '\n', in->pending.len) : NULL;
	size_t n = nl != NULL ? (size_t)(nl - in->pending.buf) : in->pending.len;
	char *line;

	if (nl == NULL && !(in->eof && in->pending.len > 0))
		return NULL;
	line = sz_xmalloc(n + 1);
	memcpy(line, in->pending.buf, n);
	line[n] = '\0';
	if (n > 0 && line[n - 1] == '\r')
		line[n - 1] = '\0';
	n = nl != NULL ? n + 1 : n;
	memmove(in->pending.buf, in->pending.buf + n, in->pending.len - n);
	in->pending.len -= n;
	if (n > 0)
		in->pending.buf[in->pending.len] = '\0';
	return line;
}

static int fill(struct sz_input *in)
{
	ssize_t n;

	sz_buf_grow(&in->pending, 4096);
	n = read(STDIN_FILENO, in->pending.buf + in->pending.len, in->pending.alloc - in->pending.len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		in->eof = true;
	in->pending.len += (size_t)n;
	in->pending.buf[in->pending.len] = '\0';
	return 0;
}

static enum sz_read plain_read(struct sz_shell *sh, char **line)
{
	struct sz_input *in = &sh->in;

	fflush(sh->out);
	while ((*line = take_line(in)) == NULL) {
		struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {in->sigfd, POLLIN, 0}};
		int sig;

		if (in->eof)
			return SZ_READ_EOF;
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return SZ_READ_EOF;
		if ((fds[1].revents & POLLIN) && (sig = take_signal(sh)) != 0) {
			sh->stop_signal = sig;
			return SZ_READ_STOP;
		}
		if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) && fill(in) < 0)
			in->eof = true;
	}
	return SZ_READ_LINE;
}

enum sz_read sz_input_read(struct sz_shell *sh, const char *prompt, char **line)
{
	*line = NULL;
	if (sh->stop_signal != 0)
		return SZ_READ_STOP;
	if (sh->in.tty) {
		terminal_width(sh);
		fflush(sh->out);
		return tty_read(sh, prompt, line);
	}
	return plain_read(sh, line);
}

bool sz_input_confirm(struct sz_shell *sh, const char *question)
{
	cleanup_free char *prompt = NULL, *line = NULL;
	/* TRANSLATORS: the first letter of "yes", the answer that confirms ("s" for "sì"). */
	const char *yes = _("y");

	if (!sh->in.tty)
		return true;
	/* TRANSLATORS: after a question: the answers, yes first, no (the default) second. */
	prompt = sz_asprintf("%s %s ", question, _("[y/N]"));
	if (sz_input_read(sh, prompt, &line) != SZ_READ_LINE)
		return false;
	return line[0] != '\0' && (line[0] == 'y' || line[0] == 'Y' || line[0] == yes[0]);
}
