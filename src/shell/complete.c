/* SPDX-License-Identifier: GPL-3.0-or-later */
/* complete.c - tab completion: commands, then chapter ids, lab ids, languages and help topics after them */
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include "common/util.h"
#include "shell/shell_internal.h"

/* readline's completion functions take no context: the shell that
 * installed them (one per process, from sz_input_open to its end). */
static struct sz_shell *completing;

/* The words that may come at this point, for the caller to free (the
 * strings are borrowed). */
struct words {
	const char **v;
	size_t n;
};

static void add(struct words *w, const char *s)
{
	w->v = sz_xrealloc(w->v, (w->n + 1) * sizeof(*w->v));
	w->v[w->n++] = s;
}

static void add_commands(struct words *w, const struct sz_shell_command *table)
{
	for (size_t i = 0; table[i].name != NULL; i++)
		add(w, table[i].name);
}

static void add_chapters(struct words *w, const struct sz_tutor *t)
{
	for (size_t i = 0; i < t->course.n_chapters; i++)
		add(w, t->course.chapters[i].id);
}

static void add_labs(struct words *w, struct sz_shell *sh)
{
	const struct sz_labs *labs = sh->host != NULL ? sz_lab_host_labs(sh->host) : NULL;

	for (size_t i = 0; labs != NULL && i < labs->n; i++)
		add(w, labs->items[i].name);
}

/* What may follow "first" as the word at index pos (from 1). */
static void arguments(struct words *w, struct sz_shell *sh, const char *first, const char *second, int pos)
{
	if (strcmp(first, "read") == 0 && pos == 1)
		add_chapters(w, sh->tutor);
	else if (strcmp(first, "lang") == 0 && pos == 1)
		for (size_t i = 0; i < sh->tutor->n_langs; i++)
			add(w, sh->tutor->langs[i]);
	else if (strcmp(first, "help") == 0 && pos == 1)
		add_commands(w, sz_shell_commands);
	else if (strcmp(first, "lab") == 0 && pos == 1) {
		add(w, "list");
		add(w, "start");
	} else if (strcmp(first, "lab") == 0 && pos == 2 && second != NULL && strcmp(second, "start") == 0) {
		sz_shell_labs(sh);
		add_labs(w, sh);
	}
}

/* readline's generator is called again and again with a state of 0 first:
 * the words of this completion, what goes before each (':' for the lab's
 * meta-commands) and how far it got. */
static struct words candidates;
static const char *prefix = "";
static size_t next_candidate;

/* The words before the one being completed, which starts at start. */
static void context_words(struct sz_shell *sh, int start, struct words *w)
{
	char *before = strndup(rl_line_buffer, (size_t)start);
	int argc = 0;
	char **argv = sz_shell_split(before != NULL ? before : "", &argc);

	free(before);
	if (sh->lab != NULL) {
		if (argc == 0 && rl_line_buffer[start] == ':')
			add_commands(w, sz_shell_lab_commands);
		prefix = argc == 0 && rl_line_buffer[start] == ':' ? ":" : "";
	} else if (argc == 0) {
		add_commands(w, sz_shell_commands);
	} else {
		arguments(w, sh, argv[0], argc > 1 ? argv[1] : NULL, argc);
	}
	free(argv);
}

static char *generate(const char *text, int state)
{
	size_t skip = strlen(prefix), len;

	if (strncmp(text, prefix, skip) != 0)
		return NULL;
	text += skip;
	len = strlen(text);
	if (state == 0)
		next_candidate = 0;
	while (next_candidate < candidates.n) {
		const char *c = candidates.v[next_candidate++];
		if (strncmp(c, text, len) == 0)
			return sz_asprintf("%s%s", prefix, c);
	}
	return NULL;
}

static char **complete(const char *text, int start, int end)
{
	char **matches;

	rl_attempted_completion_over = 1; /* never file names: they are the host's, not the lab's */
	if (completing == NULL)
		return NULL;
	free(candidates.v);
	candidates = (struct words){0};
	prefix = "";
	context_words(completing, start, &candidates);
	matches = rl_completion_matches(text, generate);
	free(candidates.v);
	candidates = (struct words){0};
	return matches;
}

void sz_complete_install(struct sz_shell *sh)
{
	completing = sh;
	rl_attempted_completion_function = complete;
	/* ':' starts a lab's meta-command and belongs to the word. */
	rl_basic_word_break_characters = " \t\n\"'><;|&(";
	rl_completer_word_break_characters = (char *)rl_basic_word_break_characters;
}
