/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab.c - the shell's labs: list them, start one, and the lab's prompt where lines go to its container */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

static const char *lab_title(struct sz_shell *sh, const struct sz_lab *lab)
{
	const struct sz_chapter *ch = sz_course_find(&sh->tutor->course, lab->chapter);
	const struct sz_lab_text *t = ch != NULL ? sz_chapter_find_lab(ch, lab->id) : NULL;

	return t != NULL ? t->title : _("(no title in this language)");
}

static int lab_list(struct sz_shell *sh)
{
	const struct sz_labs *labs = sz_shell_labs(sh);

	if (labs == NULL)
		return -1;
	if (labs->n == 0)
		fprintf(sh->out, _("The course has no labs.\n"));
	for (size_t i = 0; i < labs->n; i++) {
		const struct sz_lab *lab = &labs->items[i];
		bool done = sz_progress_is_done(&sh->tutor->progress, SZ_PROGRESS_LAB, lab->name);
		cleanup_free char *line = sz_asprintf("%s: %s%s%s", lab->name, lab_title(sh, lab),
		                                      done ? " " : "", done ? _("(done)") : "");

		sz_shell_para(sh, line, "  ", "    ");
	}
	if (labs->n > 0)
		fprintf(sh->out, _("Type 'lab start ID' to start one.\n"));
	return 0;
}

/* What this host offers, found once. */
static int probe(struct sz_shell *sh)
{
	sz_error_t err = NULL;

	if (sz_lab_host_probe(sh->host, &err) == 0)
		return 0;
	sz_error_print_release(&err);
	return -1;
}

/* The session gets the learner's terminal type and size on a terminal,
 * and a dumb one (no escape codes) otherwise. */
static void terminal_options(struct sz_shell *sh, struct sz_live_lab_options *o)
{
	struct winsize ws;

	if (!sh->in.tty)
		return;
	o->term = getenv("TERM");
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		o->columns = ws.ws_col;
		o->rows = ws.ws_row;
	}
}

static int start(struct sz_shell *sh, const struct sz_lab *lab)
{
	struct sz_live_lab_options o;
	cleanup_free char *reason = NULL;
	sz_error_t err = NULL;
	int r;

	if (probe(sh) < 0)
		return -1;
	sz_shell_lab_events(sh, &sh->events);
	sz_lab_host_live_options(sh->host, &o);
	o.events = &sh->events;
	o.tutor = sh->tutor;
	terminal_options(sh, &o);
	fprintf(sh->out, _("Starting the lab '%s'...\n"), lab->name);
	fflush(sh->out);
	r = sz_live_lab_start(&sh->own_lab, lab, &o, &reason, &err);
	if (r == 1)
		sz_error_say(_("cannot run '%s' here: %s"), lab->name, reason);
	if (r < 0)
		sz_error_print_release(&err);
	if (r != 0)
		return -1;
	sh->lab = &sh->own_lab;
	return 0;
}

static void intro(struct sz_shell *sh)
{
	const struct sz_lab_text *t = sz_live_lab_texts(sh->lab, &sh->tutor->course);
	cleanup_free char *title = NULL;

	/* TRANSLATORS: the heading of a lab in `stanza shell`: "Lab cgroups/memory-kill: The kernel says no".
	 */
	title = sz_asprintf(_("Lab %s: %s"), sh->lab->lab->name, t != NULL ? t->title : "");
	fputc('\n', sh->out);
	sz_shell_heading(sh, title);
	if (t != NULL) {
		sz_shell_para(sh, t->intro, "", "");
		fputc('\n', sh->out);
	}
	sz_shell_para(
	    sh,
	    _("What you type runs in the lab's container. Lines that start with ':' are for stanza: "
	      ":check, :hint, :solution, :steps, :next, :quit (:help lists them)."),
	    "", "");
	fputc('\n', sh->out);
}

static int lab_loop(struct sz_shell *sh);

static int lab_start(struct sz_shell *sh, const char *id)
{
	const struct sz_labs *labs = sz_shell_labs(sh);
	const struct sz_lab *lab = labs != NULL ? sz_labs_find(labs, id) : NULL;
	int r;

	if (labs == NULL)
		return -1;
	if (lab == NULL) {
		sz_error_say(_("there is no lab '%s' (type 'lab list')"), id);
		return -1;
	}
	if (start(sh, lab) < 0)
		return -1;
	intro(sh);
	r = lab_loop(sh);
	sz_live_lab_stop(&sh->own_lab);
	sh->lab = NULL;
	sz_shell_save(sh);
	if (r == 0)
		fprintf(sh->out, _("You left the lab; its container is gone.\n"));
	return r;
}

int sz_shell_lab(struct sz_shell *sh, int argc, char **argv)
{
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0))
		return lab_list(sh);
	if (argc == 3 && strcmp(argv[1], "start") == 0)
		return lab_start(sh, argv[2]);
	if (argc == 2 && strcmp(argv[1], "start") != 0)
		return lab_start(sh, argv[1]);
	sz_error_say(_("usage: lab list | lab start ID"));
	return -1;
}

/* ---- the lab's prompt -------------------------------------------------- */

static void to_out(void *arg, const char *data, size_t len)
{
	struct sz_shell *sh = arg;

	fwrite(data, 1, len, sh->out);
	if (len > 0)
		sh->at_line_start = data[len - 1] == '\n';
}

/* A line for the container. Returns -1 when the lab cannot go on. */
static int type_line(struct sz_shell *sh, const char *line)
{
	sz_error_t err = NULL;
	int status, r;

	fflush(sh->out);
	sh->at_line_start = true;
	if (sh->in.tty)
		r = sz_live_lab_type_tty(sh->lab, line, STDIN_FILENO, STDOUT_FILENO, &status, &err);
	else
		r = sz_live_lab_type(sh->lab, line, to_out, sh, &status, &err);
	if (!sh->at_line_start)
		fputc('\n', sh->out);
	sh->at_line_start = true;
	if (r < 0)
		sz_error_print_release(&err);
	if (sh->lab->stop_signal != 0) {
		sh->stop_signal = sh->lab->stop_signal;
		return -1;
	}
	if (!sz_live_lab_alive(sh->lab)) {
		sz_error_say(_("the lab's container or its shell has stopped; leaving the lab"));
		return -1;
	}
	return 0;
}

static char *prompt(struct sz_shell *sh)
{
	cleanup_free char *where = NULL;

	if (!sh->in.tty)
		return sz_xstrdup("");
	where = sz_live_lab_where(sh->lab);
	return sz_asprintf("[%s] %s ", sh->lab->lab->name, where);
}

/* One line at the lab's prompt: 1 to leave the lab, -1 to end, 0 to go on. */
static int lab_line(struct sz_shell *sh, const char *line)
{
	const char *p = line + strspn(line, " \t");
	char **argv;
	int argc, r;

	if (*p == '\0')
		return 0;
	if (*p != ':') {
		if (strcmp(p, "exit") == 0 || strcmp(p, "logout") == 0)
			return 1;
		return type_line(sh, line) < 0 ? -1 : 0;
	}
	argv = sz_shell_split(p + 1, &argc);
	if (argc == 0)
		r = sz_shell_lab_help(sh, argc, argv);
	else
		r = sz_shell_dispatch(sh, sz_shell_lab_commands, argc, argv);
	free(argv);
	if (sh->lab->stop_signal != 0)
		sh->stop_signal = sh->lab->stop_signal;
	if (sh->stop_signal != 0)
		return -1;
	return r == 1 ? 1 : 0;
}

static int lab_loop(struct sz_shell *sh)
{
	if (sz_shell_lab_show_step(sh) < 0)
		return -1;
	while (sh->stop_signal == 0) {
		cleanup_free char *p = prompt(sh);
		cleanup_free char *line = NULL;
		enum sz_read r = sz_input_read(sh, p, &line);
		int done;

		if (r == SZ_READ_STOP)
			return -1;
		if (r == SZ_READ_EOF)
			return 0;
		if (r == SZ_READ_CANCEL)
			continue;
		done = lab_line(sh, line);
		fflush(sh->out);
		if (done != 0)
			return done < 0 && sh->stop_signal != 0 ? -1 : 0;
	}
	return -1;
}
