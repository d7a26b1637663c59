/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_meta.c - the lab's meta-commands (:check, :hint, :solution, :steps, :next, ...) and how a step is shown
 */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

static const struct sz_step_text *step_text(struct sz_shell *sh)
{
	return sz_live_lab_step_text(sh->lab, &sh->tutor->course);
}

/* -1 when the lab must end (a signal), 0 otherwise. */
static int after(struct sz_shell *sh, int r)
{
	sz_shell_save(sh);
	if (r < 0 || sh->lab->stop_signal != 0) {
		sh->stop_signal = sh->lab->stop_signal;
		return -1;
	}
	return 0;
}

/* After a step passed: what it showed, and where to go. */
static void passed(struct sz_shell *sh)
{
	const struct sz_step_text *t = step_text(sh);
	const struct sz_live_lab *l = sh->lab;

	if (t != NULL && t->explain != NULL) {
		fputc('\n', sh->out);
		sz_shell_para(sh, t->explain, "", "");
	}
	fputc('\n', sh->out);
	if (sz_live_lab_finished(l))
		fprintf(sh->out, _("Every step of the lab is done. Well done! Type :quit to leave it.\n"));
	else if (l->step + 1 < l->lab->n_steps)
		fprintf(sh->out, _("Step done. Type :next for the next step.\n"));
	else
		fprintf(sh->out, _("Step done. Some steps are not done yet: type :steps to see which.\n"));
}

/* A demo runs; a task waits for the learner. */
static int play(struct sz_shell *sh)
{
	const struct sz_lab_step *step = sz_live_lab_step(sh->lab);
	const struct sz_step_record *rec;
	int r;

	if (step->kind == SZ_LAB_TASK) {
		sz_shell_para(
		    sh,
		    _("Your turn: type the commands at the lab's prompt; :check when you think it is done, "
		      ":hint if you are stuck."),
		    "", "");
		return 0;
	}
	r = sz_live_lab_run_demo(sh->lab);
	rec = &sh->lab->records[sh->lab->step];
	if (r == 1)
		passed(sh);
	else if (r == 0)
		fprintf(sh->out, _("The demo did not go as expected: %s\n"),
		        rec->reason != NULL ? rec->reason : _("a check failed"));
	return after(sh, r);
}

int sz_shell_lab_show_step(struct sz_shell *sh)
{
	const struct sz_live_lab *l = sh->lab;
	const struct sz_lab_step *step = sz_live_lab_step(l);
	const struct sz_step_text *t = step_text(sh);
	cleanup_free char *head = NULL;

	if (step == NULL)
		return 0;
	/* TRANSLATORS: "Step 2 of 3 (task): limit" */
	head = sz_asprintf(_("Step %zu of %zu (%s): %s"), l->step + 1, l->lab->n_steps,
	                   step->kind == SZ_LAB_TASK ? _("task") : _("demo"), step->id);
	sz_shell_heading(sh, head);
	if (t != NULL)
		sz_shell_para(sh, t->text, "", "");
	else
		sz_shell_para(sh, _("(The text of this step is missing in this language.)"), "", "");
	fputc('\n', sh->out);
	return play(sh);
}

static int meta_check(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_lab_step *step = sz_live_lab_step(sh->lab);
	int r;

	(void)argc;
	(void)argv;
	if (step != NULL && step->kind == SZ_LAB_DEMO)
		return play(sh);
	r = sz_live_lab_check(sh->lab);
	if (r == 1)
		passed(sh);
	else if (r == 0)
		fprintf(sh->out, _("Not done yet. Type :hint for a hint.\n"));
	return after(sh, r);
}

static int meta_hint(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_step_text *t = step_text(sh);
	size_t n = t != NULL ? t->n_hints : 0;
	cleanup_free char *line = NULL;
	int i;

	(void)argc;
	(void)argv;
	if (n == 0) {
		fprintf(sh->out, _("This step has no hints.\n"));
		return 0;
	}
	i = sz_live_lab_next_hint(sh->lab, n);
	if (i < 0) {
		fprintf(sh->out,
		        _("That was the last hint. Type :solution to see the reference solution.\n"));
		i = (int)n - 1;
	}
	/* TRANSLATORS: "Hint 1 of 3: look at /proc/self/ns" */
	line = sz_asprintf(_("Hint %d of %zu: %s"), i + 1, n, t->hints[i]);
	sz_shell_para(sh, line, "", "  ");
	return 0;
}

static void show_solution(struct sz_shell *sh, const char *solution)
{
	const char *p = solution;

	fprintf(sh->out, _("The reference solution (type it at the lab's prompt, or ':solution run'):\n"));
	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (n > 0)
			fprintf(sh->out, "    %.*s\n", (int)n, p);
		p += n;
		p += *p == '\n';
	}
}

static int meta_solution(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_lab_step *step = sz_live_lab_step(sh->lab);
	bool run = argc > 1 && strcmp(argv[1], "run") == 0;
	int r;

	if (step == NULL || step->kind != SZ_LAB_TASK) {
		fprintf(sh->out, _("This step is a demo: there is nothing to solve.\n"));
		return 0;
	}
	if (!sz_input_confirm(sh, run ? _("Type the reference solution for you?")
	                              : _("Show the reference solution?")))
		return 0;
	if (!run) {
		show_solution(sh, step->solution);
		return 0;
	}
	r = sz_live_lab_solve(sh->lab);
	if (r == 1)
		passed(sh);
	else if (r == 0)
		fprintf(
		    sh->out,
		    _("Even the reference solution did not pass the checks; the lab may be broken here.\n"));
	return after(sh, r);
}

static int meta_steps(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_live_lab *l = sh->lab;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < l->lab->n_steps; i++) {
		const struct sz_lab_step *s = &l->lab->steps[i];
		const char *state =
		    l->passed[i] ? (l->solved[i] ? _("done by the solution") : _("done")) : "";
		cleanup_free char *line = sz_asprintf(
		    "%zu. %s (%s)%s%s%s", i + 1, s->id, s->kind == SZ_LAB_TASK ? _("task") : _("demo"),
		    state[0] != '\0' ? ": " : "", state, i == l->step ? _(" <- you are here") : "");

		sz_shell_para(sh, line, "  ", "     ");
	}
	return 0;
}

/* n and p: the next or the previous step, shown. */
static int move_step(struct sz_shell *sh, bool forward)
{
	if (!(forward ? sz_live_lab_next(sh->lab) : sz_live_lab_prev(sh->lab))) {
		fputs(forward ? _("This is the lab's last step. Type :quit to leave the lab.\n")
		              : _("This is the lab's first step.\n"),
		      sh->out);
		return 0;
	}
	fputc('\n', sh->out);
	return sz_shell_lab_show_step(sh);
}

static int meta_next(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return move_step(sh, true);
}

static int meta_prev(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return move_step(sh, false);
}

static int meta_run(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_lab_step *step = sz_live_lab_step(sh->lab);

	if (step != NULL && step->kind == SZ_LAB_TASK)
		return meta_check(sh, argc, argv);
	return play(sh);
}

static int meta_quit(struct sz_shell *sh, int argc, char **argv)
{
	(void)sh;
	(void)argc;
	(void)argv;
	return 1;
}

const struct sz_shell_command sz_shell_lab_commands[] = {
    {"check", "", N_("check whether the task is done"), meta_check},
    {"hint", "", N_("a hint for the task: a nudge first, more each time"), meta_hint},
    {"solution", N_("[run]"), N_("show the reference solution; 'run' types it for you"), meta_solution},
    {"steps", "", N_("list the lab's steps, with what you have done"), meta_steps},
    {"next", "", N_("go to the next step"), meta_next},
    {"prev", "", N_("go back to the previous step"), meta_prev},
    {"run", "", N_("run the demo again, or check the task"), meta_run},
    {"help", "", N_("list these commands"), sz_shell_lab_help},
    {"quit", "", N_("leave the lab (its container is removed)"), meta_quit},
    {NULL, NULL, NULL, NULL},
};

int sz_shell_lab_help(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(sh->out,
	        _("In a lab, what you type runs in its container. Commands for stanza start with ':':\n"));
	for (size_t i = 0; sz_shell_lab_commands[i].name != NULL; i++) {
		const struct sz_shell_command *c = &sz_shell_lab_commands[i];
		const char *args = _(c->args);
		cleanup_free char *line =
		    sz_asprintf(":%s%s%s: %s", c->name, args[0] != '\0' ? " " : "", args, _(c->summary));

		sz_shell_para(sh, line, "  ", "      ");
	}
	return 0;
}
