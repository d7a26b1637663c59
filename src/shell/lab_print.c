/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_print.c - a live lab's events as plain text: commands, their output as it comes, check results */
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

static void end_line(struct sz_shell *sh)
{
	if (!sh->at_line_start)
		fputc('\n', sh->out);
	sh->at_line_start = true;
}

/* Each line of a command as the learner would type it. */
static void print_command(struct sz_shell *sh, const char *command)
{
	const char *p = command;
	const char *mark = "$";

	end_line(sh);
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (n > 0) {
			fprintf(sh->out, "%s %.*s\n", mark, (int)n, p);
			mark = ">"; /* the shell's PS2: the same command goes on */
		}
		p += n;
		p += *p == '\n';
	}
}

static void on_phase(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase, const char *command)
{
	struct sz_shell *sh = ctx;

	(void)step;
	if (phase == SZ_PHASE_SOLUTION)
		fprintf(sh->out, _("The reference solution, typed for you:\n"));
	if (command != NULL && (phase == SZ_PHASE_RUN || phase == SZ_PHASE_SOLUTION))
		print_command(sh, command);
	fflush(sh->out);
}

static void on_output(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase, int fd,
                      const char *data, size_t len)
{
	struct sz_shell *sh = ctx;

	(void)step;
	(void)phase;
	(void)fd;
	if (len == 0)
		return;
	fwrite(data, 1, len, sh->out);
	sh->at_line_start = data[len - 1] == '\n';
	fflush(sh->out);
}

/* A check by its label in the learner's language (as written when it has none). */
static void print_check(struct sz_shell *sh, const struct sz_lab_step *step, const struct sz_check_record *c)
{
	/* TRANSLATORS: before a check that holds: "  passed: the host name is lab" */
	const char *verdict = c->pass ? _("passed:") : _("failed:");
	const char *label = sz_lab_check_label(&sh->tutor->course, sh->lab->lab, step, c->index);
	char *line;

	if (label == NULL)
		label = c->text;
	if (c->pass || c->detail == NULL)
		line = sz_asprintf("%s %s", verdict, label);
	else
		line = sz_asprintf("%s %s (%s)", verdict, label, c->detail);
	sz_shell_para(sh, line, "  ", "    ");
	free(line);
}

static void on_check(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase,
                     const struct sz_check_record *check)
{
	struct sz_shell *sh = ctx;

	(void)phase;
	end_line(sh);
	print_check(sh, step, check);
	fflush(sh->out);
}

void sz_shell_lab_events(struct sz_shell *sh, struct sz_lab_events *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->ctx = sh;
	ev->phase = on_phase;
	ev->output = on_output;
	ev->check_done = on_check;
}
