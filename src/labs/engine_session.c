/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_session.c - a step's command typed into the lab's shell session, one line at a time */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/engine_internal.h"
#include "labs/session.h"

struct sink {
	struct sz_lab_run *run;
	struct sz_buf out;
};

static void on_output(void *arg, const char *data, size_t len)
{
	struct sink *s = arg;
	const struct sz_lab_events *ev = s->run->e->events;

	if (ev != NULL && ev->output != NULL)
		ev->output(ev->ctx, s->run->step, s->run->phase, 1, data, len);
	if (s->out.len + len > 1024 * 1024)
		return;
	sz_buf_add(&s->out, data, len);
}

/* The signal that interrupted the session (it only polls the signalfd). */
static void take_signal(struct sz_lab_engine *e)
{
	struct signalfd_siginfo si;

	if (read(e->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		e->stop_signal = (int)si.ssi_signo;
	else
		e->stop_signal = SIGINT;
}

/* One line; returns 1 to go on, 0 when the command is over (failed or
 * timed out), -1 when stanza must stop. */
static int run_line(struct sz_lab_run *run, const char *line, uint64_t deadline_ns, struct sink *sink,
                    struct sz_captured *c)
{
	struct sz_session_result res = {0};
	uint64_t now = sz_now_ns();
	sz_error_t err = NULL;

	if (now >= deadline_ns) {
		c->timed_out = true;
		return 0;
	}
	if (sz_session_run(run->session, line, deadline_ns - now, on_output, sink, &res, &err) < 0) {
		c->error = sz_asprintf(_("'%s' in the session: %s"), line, sz_error_msg(err));
		sz_error_release(&err);
		return 0;
	}
	c->ran = true;
	c->status = res.status;
	if (res.restarted) {
		const char *note =
		    _("[the lab's shell had ended; stanza started a new one in the same container: "
		      "cd, variables and background jobs are lost]\n");
		on_output(sink, note, strlen(note));
	}
	if (res.interrupted) {
		take_signal(run->e);
		return -1;
	}
	if (res.timed_out) {
		c->timed_out = true;
		return 0;
	}
	return 1;
}

int sz_lab_exec_session(struct sz_lab_run *run, const char *command, uint64_t timeout_ns,
                        struct sz_captured *c)
{
	cleanup_free char *copy = sz_xstrdup(command);
	struct sink sink = {.run = run, .out = SZ_BUF_INIT};
	uint64_t deadline = sz_now_ns() + timeout_ns;
	char *next;
	int r = 1;

	memset(c, 0, sizeof(*c));
	sz_session_set_cancel_fd(run->session, run->e->sigfd);
	for (char *line = copy; line != NULL && r > 0; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[strspn(line, " \t")] != '\0')
			r = run_line(run, line, deadline, &sink, c);
	}
	c->out = sz_buf_detach(&sink.out, &c->out_len);
	if (c->timed_out) {
		char t[32];
		free(c->error);
		c->error =
		    sz_asprintf(_("the command ran longer than its timeout (%s s) and was interrupted"),
		                sz_format_seconds(timeout_ns, t));
	}
	return r < 0 ? -1 : 0;
}
