/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.c - `stanza shell`: the prompt loop, the table of commands, help, and what the commands share */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

static int cmd_help(struct sz_shell *sh, int argc, char **argv);
static int cmd_quit(struct sz_shell *sh, int argc, char **argv);

const struct sz_shell_command sz_shell_commands[] = {
    {"help", N_("[COMMAND]"), N_("list the commands, or explain one"), cmd_help},
    {"chapters", "", N_("list the chapters, with what you have read"), sz_shell_chapters},
    {"read", N_("[CHAPTER]"), N_("read the current section, or go to a chapter (id or number)"),
     sz_shell_read},
    {"next", "", N_("go to the next section"), sz_shell_next},
    {"prev", "", N_("go back to the previous section"), sz_shell_prev},
    {"quiz", "", N_("answer the chapter's quiz, one question at a time"), sz_shell_quiz},
    {"glossary", N_("[TERM]"), N_("look up a term, or list them all"), sz_shell_glossary},
    {"lab", N_("list | start ID"), N_("list the labs, or start one (chapter/lab)"), sz_shell_lab},
    {"lang", N_("[LANGUAGE]"), N_("switch the language of the course and of stanza (en, it)"), sz_shell_lang},
    {"progress", "", N_("show what you have done"), sz_shell_progress},
    {"quit", "", N_("leave (your place is saved)"), cmd_quit},
    {NULL, NULL, NULL, NULL},
};

void sz_shell_save(struct sz_shell *sh)
{
	sz_error_t err = NULL;

	if (sz_tutor_save(sh->tutor, &err) < 0)
		sz_error_print_release(&err);
}

char **sz_shell_split(const char *line, int *argc)
{
	size_t len = strlen(line), n = 0;
	/* At most one word every two bytes, and the NULL after them. */
	size_t slots = len / 2 + 2;
	char **argv = sz_xmalloc(slots * sizeof(char *) + len + 1);
	char *text = (char *)(argv + slots);

	memcpy(text, line, len + 1);
	for (char *p = text; *p != '\0';) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		argv[n++] = p;
		p += strcspn(p, " \t");
		if (*p != '\0')
			*p++ = '\0';
	}
	argv[n] = NULL;
	*argc = (int)n;
	return argv;
}

static const struct sz_shell_command *find(const struct sz_shell_command *table, const char *name)
{
	for (size_t i = 0; table[i].name != NULL; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

int sz_shell_dispatch(struct sz_shell *sh, const struct sz_shell_command *table, int argc, char **argv)
{
	const struct sz_shell_command *c;

	if (argc == 0)
		return 0;
	c = find(table, argv[0]);
	if (c == NULL && strcmp(argv[0], "exit") == 0)
		c = find(table, "quit");
	if (c == NULL && table == sz_shell_lab_commands)
		sz_error_say(_("unknown command ':%s' (type ':help')"), argv[0]);
	else if (c == NULL)
		sz_error_say(_("unknown command '%s' (type 'help')"), argv[0]);
	if (c == NULL)
		return -1;
	return c->fn(sh, argc, argv);
}

static void print_table(struct sz_shell *sh, const struct sz_shell_command *table)
{
	for (size_t i = 0; table[i].name != NULL; i++) {
		const char *args = _(table[i].args);
		cleanup_free char *usage =
		    sz_asprintf("%s%s%s", table[i].name, args[0] != '\0' ? " " : "", args);
		cleanup_free char *line = sz_asprintf("%s: %s", usage, _(table[i].summary));

		sz_shell_para(sh, line, "  ", "      ");
	}
}

static int cmd_help(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_shell_command *c = argc > 1 ? find(sz_shell_commands, argv[1]) : NULL;

	if (argc > 1 && c == NULL) {
		sz_error_say(_("unknown command '%s' (type 'help')"), argv[1]);
		return -1;
	}
	if (c != NULL) {
		fprintf(sh->out, "%s %s\n", c->name, _(c->args));
		sz_shell_para(sh, _(c->summary), "  ", "  ");
		return 0;
	}
	fprintf(sh->out, _("Commands:\n"));
	print_table(sh, sz_shell_commands);
	sz_shell_para(
	    sh,
	    _("Inside a lab, what you type runs in the lab's container; lines that start with ':' are "
	      "for stanza (type ':help' there)."),
	    "", "");
	return 0;
}

static int cmd_quit(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	sh->quit = true;
	return 0;
}

/* ---- the labs, on first use -------------------------------------------- */

const struct sz_labs *sz_shell_labs(struct sz_shell *sh)
{
	struct sz_lab_host_options o = {
	    .content_dir = sh->tutor->content_dir,
	    .course = &sh->tutor->course,
	    .images_dir = sh->opts->images_dir,
	    .command = "stanza shell",
	    .diags = stderr,
	};
	sz_error_t err = NULL;

	if (sh->host != NULL)
		return sz_lab_host_labs(sh->host);
	if (sz_lab_host_open(&sh->host, &o, &err) == 0)
		return sz_lab_host_labs(sh->host);
	sz_error_print_release(&err);
	sz_lab_host_free(sh->host);
	sh->host = NULL;
	return NULL;
}

/* ---- the loop ---------------------------------------------------------- */

static int shell_init(struct sz_shell *sh, struct sz_tutor *t, const struct sz_shell_options *o)
{
	cleanup_free char *history = sz_tutor_state_file(t, "history");
	sz_error_t err = NULL;

	memset(sh, 0, sizeof(*sh));
	sh->tutor = t;
	sh->opts = o;
	sh->out = stdout;
	sh->width = 80;
	sh->at_line_start = true;
	/* The history lives beside the progress: the directory may not exist yet. */
	if (history != NULL && t->progress_writable && sz_mkdir_p(t->progress.dir, 0700, &err) < 0) {
		sz_error_release(&err);
		free(history);
		history = NULL;
	}
	if (sz_input_open(&sh->in, sh, t->progress_writable ? history : NULL, &err) < 0) {
		sz_error_print_release(&err);
		return -1;
	}
	return 0;
}

static void shell_release(struct sz_shell *sh)
{
	if (sh->lab == &sh->own_lab)
		sz_live_lab_stop(&sh->own_lab);
	sh->lab = NULL;
	sz_input_close(&sh->in);
	sz_lab_host_free(sh->host);
}

static void welcome(struct sz_shell *sh)
{
	const struct sz_chapter *ch = sz_tutor_chapter(sh->tutor);
	const struct sz_section *s = sz_tutor_section(sh->tutor);

	if (!sh->in.tty || ch == NULL || s == NULL)
		return;
	fprintf(sh->out, _("stanza shell: the course, one line at a time. Type 'help' for the commands.\n"));
	fprintf(sh->out, _("You are at chapter %u (%s), section '%s': type 'read' to read it.\n"), ch->number,
	        ch->title, s->title);
}

static void tutorial_loop(struct sz_shell *sh)
{
	while (!sh->quit && sh->stop_signal == 0) {
		cleanup_free char *line = NULL;
		char **argv;
		int argc;
		enum sz_read r = sz_input_read(sh, sh->in.tty ? "stanza> " : "", &line);

		if (r == SZ_READ_EOF || r == SZ_READ_STOP)
			break;
		if (r == SZ_READ_CANCEL)
			continue;
		argv = sz_shell_split(line, &argc);
		sz_shell_dispatch(sh, sz_shell_commands, argc, argv);
		free(argv);
		fflush(sh->out);
	}
}

int sz_shell_main(struct sz_tutor *t, const struct sz_shell_options *o)
{
	struct sz_shell sh;
	int status;

	if (shell_init(&sh, t, o) < 0)
		return 1;
	welcome(&sh);
	tutorial_loop(&sh);
	sz_shell_save(&sh);
	status = sh.stop_signal != 0 ? 128 + sh.stop_signal : 0;
	fflush(sh.out);
	shell_release(&sh);
	return status;
}
