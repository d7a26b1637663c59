/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_lessons_check.c - `stanza lessons check`: the lessons against the schema, the rules and each other */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/course.h"
#include "course/terms.h"
#include "labs/lab.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza lessons check\n"
	        "\n"
	        "Check every lesson file of every language under lessons/: the schema of\n"
	        "docs/lesson-format.md, the content rules (words of prose, quiz questions,\n"
	        "glossary entries), parity (every id of one language is in every other) and\n"
	        "the one vocabulary of i18n/terms.yaml (no avoided form outside `code`).\n"
	        "Every problem is printed on stderr as file:line:col: message; a summary\n"
	        "line goes to stdout.\n"
	        "\n"
	        "Options:\n"
	        "  -h, --help  show this help\n"
	        "\n"
	        "Exit status: 0 when there is no problem, 1 when there is any, 2 for a bad option.\n"),
	      out);
}

/* Every language, with the chapters that loaded, and every problem found. */
struct check {
	const char *content_dir;
	char **langs;
	int n_langs;
	struct sz_course *courses;
	char ***failed; /* per language: the files that did not load, NULL-terminated */
	struct sz_diags diags;
	size_t unreadable; /* languages whose directory could not be read (printed already) */
};

/* A file that did not load costs its language the course-wide rules, which
 * would count without it, but not the rules of the chapters that loaded. */
static void load_all(struct check *c)
{
	for (int i = 0; i < c->n_langs; i++) {
		sz_error_t err = NULL;

		if (sz_course_load_partial(c->content_dir, c->langs[i], &c->courses[i], &c->failed[i],
		                           &c->diags, &err) < 0) {
			sz_error_print_release(&err);
			c->unreadable++;
			continue;
		}
		if (c->failed[i][0] == NULL) {
			sz_course_check_rules(&c->courses[i], &c->diags);
			continue;
		}
		for (size_t j = 0; j < c->courses[i].n_chapters; j++)
			sz_chapter_check_rules(&c->courses[i].chapters[j], &c->diags);
	}
}

/* English when it was read, else the first language that was. */
static int reference(const struct check *c)
{
	int first = -1;

	for (int i = 0; i < c->n_langs; i++) {
		if (c->failed[i] == NULL)
			continue;
		if (strcmp(c->langs[i], "en") == 0)
			return i;
		if (first < 0)
			first = i;
	}
	return first;
}

/* Whether the chapter's file (NN-<id>.yaml) is among the names. */
static bool chapter_failed(const struct sz_chapter *ch, char **names)
{
	size_t len = strlen(ch->id);

	for (; *names != NULL; names++)
		if (strlen(*names) == len + 8 && strncmp(*names + 3, ch->id, len) == 0)
			return true;
	return false;
}

/* A view of c without the chapters that did not load in a or in b, so that
 * a broken file is not also reported as a missing chapter. The chapters are
 * borrowed: free only the array. */
static struct sz_course comparable(const struct sz_course *c, char **a, char **b)
{
	struct sz_course view = *c;

	view.chapters = sz_xcalloc(c->n_chapters + 1, sizeof(*view.chapters));
	view.n_chapters = 0;
	for (size_t i = 0; i < c->n_chapters; i++)
		if (!chapter_failed(&c->chapters[i], a) && !chapter_failed(&c->chapters[i], b))
			view.chapters[view.n_chapters++] = c->chapters[i];
	return view;
}

/* Each language against the reference finds every id one of them lacks;
 * an id only two other languages share is found once the reference has it. */
static void parity_all(struct check *c)
{
	int ref = reference(c);

	for (int i = 0; ref >= 0 && i < c->n_langs; i++) {
		struct sz_course a, b;

		if (i == ref || c->failed[i] == NULL)
			continue;
		a = comparable(&c->courses[ref], c->failed[ref], c->failed[i]);
		b = comparable(&c->courses[i], c->failed[ref], c->failed[i]);
		sz_course_parity(&a, &b, &c->diags);
		free(a.chapters);
		free(b.chapters);
	}
}

/* The lab files (their chapters checked against the reference language when
 * all of its files loaded), and their texts in each language whose files all
 * loaded. */
static void check_labs(struct check *c)
{
	int ref = reference(c);
	bool whole = ref >= 0 && c->failed[ref][0] == NULL;
	struct sz_labs labs;
	sz_error_t err = NULL;

	if (sz_labs_load_all(c->content_dir, whole ? &c->courses[ref] : NULL, &labs, &c->diags, &err) < 0 &&
	    err != NULL) {
		sz_error_print_release(&err);
		c->unreadable++;
	}
	for (int i = 0; i < c->n_langs; i++)
		if (c->failed[i] != NULL && c->failed[i][0] == NULL)
			sz_labs_check_texts(&labs, &c->courses[i], &c->diags);
	sz_labs_release(&labs);
}

/* The vocabulary of i18n/terms.yaml, in every language's chapters that loaded. */
static void check_terms(struct check *c)
{
	struct sz_terms terms;

	if (sz_terms_load_content(c->content_dir, &terms, &c->diags) < 0)
		return;
	for (int i = 0; i < c->n_langs; i++)
		sz_terms_check_course(&terms, &c->courses[i], &c->diags);
	sz_terms_release(&terms);
}

static void print_summary(const struct check *c, size_t problems)
{
	size_t chapters = 0;
	cleanup_free char *langs = NULL, *chaps = NULL, *probs = NULL;

	for (int i = 0; i < c->n_langs; i++) {
		size_t n = c->courses[i].n_chapters;

		for (char **f = c->failed[i]; f != NULL && *f != NULL; f++)
			n++;
		chapters = n > chapters ? n : chapters;
	}
	langs = sz_asprintf(Q_("%d language", "%d languages", (unsigned long)c->n_langs), c->n_langs);
	chaps = sz_asprintf(Q_("%zu chapter", "%zu chapters", chapters), chapters);
	probs = sz_asprintf(Q_("%zu problem", "%zu problems", problems), problems);
	/* TRANSLATORS: the summary of `stanza lessons check`: "lessons: 2 languages, 8 chapters, 0 problems".
	 */
	printf(_("lessons: %s, %s, %s\n"), langs, chaps, probs);
}

static void check_release(struct check *c)
{
	for (int i = 0; i < c->n_langs; i++) {
		for (char **f = c->failed[i]; f != NULL && *f != NULL; f++)
			free(*f);
		free(c->failed[i]);
		sz_course_release(&c->courses[i]);
		free(c->langs[i]);
	}
	free(c->langs);
	free(c->courses);
	free(c->failed);
	sz_diags_release(&c->diags);
}

static int parse_options(int argc, char **argv, bool *help)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			*help = true;
			continue;
		}
		sz_error_say(
		    _("unknown option '%s' for 'stanza lessons check' (see 'stanza lessons check --help')"),
		    argv[i]);
		return SZ_EXIT_USAGE;
	}
	return 0;
}

int sz_lessons_check(struct sz_cli *cli, const char *content_dir, int argc, char **argv)
{
	struct check c = {.content_dir = content_dir};
	sz_error_t err = NULL;
	bool help = false;
	size_t problems;

	if (parse_options(argc, argv, &help) != 0)
		return SZ_EXIT_USAGE;
	if (help) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	c.n_langs = sz_course_languages(content_dir, &c.langs, &err);
	if (c.n_langs < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	c.courses = sz_xcalloc((size_t)c.n_langs + 1, sizeof(*c.courses));
	c.failed = sz_xcalloc((size_t)c.n_langs + 1, sizeof(*c.failed));
	load_all(&c);
	parity_all(&c);
	check_labs(&c);
	check_terms(&c);
	sz_diags_print(&c.diags, stderr);
	problems = c.diags.n + c.unreadable + (c.n_langs == 0);
	if (c.n_langs == 0)
		sz_error_say(_("no languages in '%s/lessons'"), content_dir);
	print_summary(&c, problems);
	check_release(&c);
	return problems > 0 ? SZ_EXIT_FAIL : SZ_EXIT_OK;
}
