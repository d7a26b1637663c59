/* SPDX-License-Identifier: GPL-3.0-or-later */
/* quiz.c - the shell's quiz (a question at a time, answered by letter, explained) and glossary */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

#define MAX_OPTIONS 26 /* lettered a) to z) */

static void print_question(struct sz_shell *sh, const struct sz_chapter *ch, size_t q)
{
	const struct sz_question *qu = &ch->quiz[q];
	/* TRANSLATORS: "Question 2 of 4: Which file limits memory?" */
	cleanup_free char *head = sz_asprintf(_("Question %zu of %zu: %s"), q + 1, ch->n_quiz, qu->question);

	fputc('\n', sh->out);
	sz_shell_para(sh, head, "", "");
	for (size_t i = 0; i < qu->n_options && i < MAX_OPTIONS; i++) {
		cleanup_free char *letter = sz_asprintf("  %c) ", (char)('a' + i));
		sz_shell_para(sh, qu->options[i].text, letter, "     ");
	}
}

/* An answer: a letter or a number; -1 for something else, -2 to stop. */
static int parse_answer(const char *line, size_t n_options)
{
	size_t len;

	line += strspn(line, " \t");
	len = strcspn(line, " \t");
	if (len == 0 || strncmp(line, "q", len) == 0 || strncmp(line, "quit", len) == 0)
		return -2;
	if (len == 1 && tolower((unsigned char)line[0]) >= 'a' &&
	    (size_t)(tolower((unsigned char)line[0]) - 'a') < n_options)
		return tolower((unsigned char)line[0]) - 'a';
	if (len <= 2 && isdigit((unsigned char)line[0])) {
		long v = strtol(line, NULL, 10);
		if (v >= 1 && (size_t)v <= n_options)
			return (int)v - 1;
	}
	return -1;
}

/* The learner's answer to question q: its index, -2 to stop, -3 when the
 * shell must end. */
static int ask(struct sz_shell *sh, size_t n_options)
{
	for (;;) {
		/* TRANSLATORS: the prompt for an answer: the letters run from a to the last option's. */
		cleanup_free char *prompt =
		    sz_asprintf(_("Your answer (a-%c, q to stop): "), (char)('a' + n_options - 1));
		cleanup_free char *line = NULL;
		enum sz_read r = sz_input_read(sh, prompt, &line);
		int a;

		if (r == SZ_READ_STOP)
			return -3;
		if (r == SZ_READ_EOF || r == SZ_READ_CANCEL)
			return -2;
		a = parse_answer(line, n_options);
		if (a != -1)
			return a;
		fprintf(sh->out, _("Answer with a letter from a to %c, or q to stop.\n"),
		        (char)('a' + n_options - 1));
	}
}

static void explain(struct sz_shell *sh, const struct sz_question *qu, size_t a, int right)
{
	size_t good = 0;

	sz_shell_para(sh, right ? _("Right.") : _("Not quite."), "", "");
	if (qu->options[a].why != NULL)
		sz_shell_para(sh, qu->options[a].why, "  ", "  ");
	if (right)
		return;
	while (good < qu->n_options && !qu->options[good].correct)
		good++;
	if (good == qu->n_options)
		return;
	{
		cleanup_free char *line =
		    sz_asprintf(_("The right answer is %c) %s"), (char)('a' + good), qu->options[good].text);
		sz_shell_para(sh, line, "", "  ");
	}
	if (qu->options[good].why != NULL)
		sz_shell_para(sh, qu->options[good].why, "  ", "  ");
}

int sz_shell_quiz(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_chapter *ch = sz_tutor_chapter(sh->tutor);
	size_t right = 0, asked = 0;

	(void)argc;
	(void)argv;
	if (ch == NULL || ch->n_quiz == 0) {
		fprintf(sh->out, _("This chapter has no quiz.\n"));
		return 0;
	}
	fprintf(sh->out, _("Quiz: %s\n"), ch->title);
	for (size_t q = 0; q < ch->n_quiz; q++) {
		int a, r;

		print_question(sh, ch, q);
		a = ask(sh, ch->quiz[q].n_options < MAX_OPTIONS ? ch->quiz[q].n_options : MAX_OPTIONS);
		if (a < 0)
			break;
		r = sz_tutor_answer(sh->tutor, q, (size_t)a);
		sz_shell_save(sh);
		explain(sh, &ch->quiz[q], (size_t)a, r == 1);
		asked++;
		right += r == 1;
	}
	fputc('\n', sh->out);
	fprintf(sh->out,
	        Q_("You answered %zu of %zu question right.\n", "You answered %zu of %zu questions right.\n",
	           asked),
	        right, asked);
	return 0;
}

int sz_shell_glossary(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_term **found = NULL;
	cleanup_free char *needle = sz_xstrdup("");
	size_t n;

	for (int i = 1; i < argc; i++) {
		char *more = sz_asprintf("%s%s%s", needle, i > 1 ? " " : "", argv[i]);
		free(needle);
		needle = more;
	}
	n = sz_tutor_glossary(sh->tutor, needle, &found);
	if (n == 0)
		fprintf(sh->out, _("No glossary entry matches '%s'.\n"), needle);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *line = sz_asprintf("%s: %s", found[i]->term, found[i]->definition);
		sz_shell_para(sh, line, "", "  ");
	}
	free(found);
	return 0;
}
