/* SPDX-License-Identifier: GPL-3.0-or-later */
/* labshell.c - `!` in a lab: curses put aside, the lab's shell on the whole terminal until exit or Ctrl-D */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"
#include "tui/labplay.h"

#define MAX_LINE 4096

enum line_result {
	LINE_OK,
	LINE_EOF,       /* Ctrl-D at the prompt: back to the TUI */
	LINE_INTERRUPT, /* ^C at the prompt: a new prompt */
	LINE_STOP,      /* SIGTERM or SIGHUP: stanza ends */
};

static void say(const char *text)
{
	sz_write_all(STDOUT_FILENO, text, strlen(text));
}

/* What came on the lab's signalfd while the learner was at the prompt. */
static enum line_result prompt_signal(struct tui_lab *tl)
{
	struct signalfd_siginfo si;
	ssize_t n = read(sz_live_lab_signal_fd(&tl->live), &si, sizeof(si));

	if (n != (ssize_t)sizeof(si) || si.ssi_signo == SIGINT)
		return LINE_INTERRUPT;
	tl->app->stop_signal = (int)si.ssi_signo;
	tl->app->quit = true;
	return LINE_STOP;
}

/* One line from the terminal in its usual (canonical) mode, newline dropped. */
static enum line_result read_line(struct tui_lab *tl, char *buf, size_t size)
{
	struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {sz_live_lab_signal_fd(&tl->live), POLLIN, 0}};
	ssize_t n;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return LINE_EOF;
		}
		if (fds[1].revents & POLLIN)
			return prompt_signal(tl);
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
			break;
	}
	n = read(STDIN_FILENO, buf, size - 1);
	if (n <= 0)
		return LINE_EOF;
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	return LINE_OK;
}

static bool is_exit(const char *line)
{
	line += strspn(line, " \t");
	return strcmp(line, "exit") == 0 || strcmp(line, "logout") == 0 || strcmp(line, "\x1d") == 0;
}

/* Run the learner's lines until they come back; false when stanza must end. */
static void session(struct tui_lab *tl)
{
	struct sz_live_lab *l = &tl->live;
	char line[MAX_LINE];

	while (sz_live_lab_alive(l)) {
		cleanup_free char *where = sz_live_lab_where(l);
		cleanup_free char *prompt = sz_asprintf("[%s] %s ", l->lab->name, where);
		enum line_result r;
		sz_error_t err = NULL;
		int status;

		say(prompt);
		r = read_line(tl, line, sizeof(line));
		if (r == LINE_INTERRUPT) {
			say("\n");
			continue;
		}
		if (r != LINE_OK || is_exit(line))
			break;
		if (line[strspn(line, " \t")] == '\0')
			continue;
		if (sz_live_lab_type_tty(l, line, STDIN_FILENO, STDOUT_FILENO, &status, &err) < 0) {
			cleanup_free char *msg = sz_asprintf("stanza: %s\n", sz_error_msg(err));

			say(msg);
		}
		sz_error_release(&err);
		if (l->stop_signal != 0) {
			tl->app->stop_signal = l->stop_signal;
			tl->app->quit = true;
			break;
		}
	}
}

void tui_lab_shell(struct tui_lab *tl)
{
	struct tui *app = tl->app;
	cleanup_free char *banner = NULL;

	if (!sz_live_lab_alive(&tl->live)) {
		tui_message(app, TUI_STYLE_FAIL, "%s",
		            _("The lab's container is gone: leave the lab (Esc) and start it again."));
		return;
	}
	tui_display_suspend(&app->display);
	banner = sz_asprintf(_("\nThe shell of the lab %s, in its container. Type commands as at any shell;\n"
	                       "'exit' or Ctrl-D brings you back to stanza (the lab keeps running).\n\n"),
	                     tl->live.lab->name);
	say(banner);
	session(tl);
	say("\n");
	tui_display_resume(&app->display);
	app->views[TUI_VIEW_LAB].stale = true;
	if (!app->quit)
		tui_message(app, TUI_STYLE_DIM, "%s",
		            sz_live_lab_step(&tl->live)->kind == SZ_LAB_TASK
		                ? _("Back from the lab's shell: Enter checks the task.")
		                : _("Back from the lab's shell."));
}
