/* SPDX-License-Identifier: GPL-3.0-or-later */
/* read.c - the shell's reading commands: chapters, read, next, prev, lang, progress */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "shell/shell_internal.h"

/* Show the section the tutor is at; showing a chapter's last one is
 * reading the chapter to its end. */
static void show(struct sz_shell *sh)
{
	const struct sz_chapter *ch = sz_tutor_chapter(sh->tutor);

	sz_shell_print_section(sh);
	if (ch != NULL && sh->tutor->section + 1 >= ch->n_sections)
		sz_tutor_mark_read(sh->tutor);
	sz_shell_save(sh);
}

static size_t quiz_done(const struct sz_tutor *t, const struct sz_chapter *ch)
{
	return sz_progress_count(&t->progress, SZ_PROGRESS_QUIZ, ch->id);
}

int sz_shell_chapters(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_tutor *t = sh->tutor;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < t->course.n_chapters; i++) {
		const struct sz_chapter *ch = &t->course.chapters[i];
		cleanup_free char *line = sz_asprintf("%u. %s: %s", ch->number, ch->id, ch->title);
		cleanup_free char *marks = NULL;

		if (sz_tutor_chapter_read(t, i) && i == t->chapter)
			marks = sz_xstrdup(_("(read; you are here)"));
		else if (sz_tutor_chapter_read(t, i))
			marks = sz_xstrdup(_("(read)"));
		else if (i == t->chapter)
			marks = sz_xstrdup(_("(you are here)"));
		if (marks != NULL) {
			char *both = sz_asprintf("%s %s", line, marks);
			free(line);
			line = both;
		}
		sz_shell_para(sh, line, i == t->chapter ? "> " : "  ", "     ");
	}
	fprintf(sh->out, _("Type 'read CHAPTER' (its id or number) to read one.\n"));
	return 0;
}

int sz_shell_read(struct sz_shell *sh, int argc, char **argv)
{
	sz_error_t err = NULL;

	if (argc > 2) {
		sz_error_say(_("usage: read [CHAPTER]"));
		return -1;
	}
	if (argc == 2 && sz_tutor_goto(sh->tutor, argv[1], &err) < 0) {
		sz_error_print_release(&err);
		return -1;
	}
	show(sh);
	return 0;
}

/* The next or the previous section, shown; the end of the course is saved. */
static int move(struct sz_shell *sh, bool forward)
{
	if (forward && !sz_tutor_next(sh->tutor)) {
		sz_shell_save(sh);
		fputs(_("This is the end of the course: there is nothing after it.\n"), sh->out);
		return 0;
	}
	if (!forward && !sz_tutor_prev(sh->tutor)) {
		fputs(_("This is the start of the course: there is nothing before it.\n"), sh->out);
		return 0;
	}
	show(sh);
	return 0;
}

int sz_shell_next(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return move(sh, true);
}

int sz_shell_prev(struct sz_shell *sh, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return move(sh, false);
}

static void print_langs(struct sz_shell *sh)
{
	const struct sz_tutor *t = sh->tutor;
	char *list = sz_xstrdup("");

	for (size_t i = 0; i < t->n_langs; i++) {
		char *more = sz_asprintf("%s%s%s", list, i > 0 ? ", " : "", t->langs[i]);
		free(list);
		list = more;
	}
	fprintf(sh->out, _("Language: %s (the course has: %s)\n"), t->lang, list);
	free(list);
}

int sz_shell_lang(struct sz_shell *sh, int argc, char **argv)
{
	sz_error_t err = NULL;

	if (argc == 1) {
		print_langs(sh);
		return 0;
	}
	if (argc != 2) {
		sz_error_say(_("usage: lang LANGUAGE (for example: lang it)"));
		return -1;
	}
	if (sz_tutor_set_lang(sh->tutor, argv[1], &err) < 0) {
		sz_error_print_release(&err);
		return -1;
	}
	sz_shell_save(sh);
	print_langs(sh);
	return 0;
}

static void chapter_progress(struct sz_shell *sh, size_t i)
{
	const struct sz_tutor *t = sh->tutor;
	const struct sz_chapter *ch = &t->course.chapters[i];
	size_t labs = sz_progress_count(&t->progress, SZ_PROGRESS_LAB, ch->id);
	cleanup_free char *line = NULL;

	/* TRANSLATORS: one chapter in `progress`: "3. cgroups: read; quiz 2 of 4; labs 1 of 3". */
	line = sz_asprintf(_("%u. %s: %s; quiz %zu of %zu; labs %zu of %zu"), ch->number, ch->id,
	                   sz_tutor_chapter_read(t, i) ? _("read") : _("not read yet"), quiz_done(t, ch),
	                   ch->n_quiz, labs, ch->n_labs);
	sz_shell_para(sh, line, "  ", "     ");
}

int sz_shell_progress(struct sz_shell *sh, int argc, char **argv)
{
	const struct sz_tutor *t = sh->tutor;
	size_t read = 0, quiz = 0, questions = 0, labs = 0;

	(void)argc;
	(void)argv;
	for (size_t i = 0; i < t->course.n_chapters; i++) {
		read += sz_tutor_chapter_read(t, i);
		quiz += quiz_done(t, &t->course.chapters[i]);
		questions += t->course.chapters[i].n_quiz;
		labs += t->course.chapters[i].n_labs;
	}
	fprintf(sh->out, _("Chapters read: %zu of %zu\n"), read, t->course.n_chapters);
	fprintf(sh->out, _("Quiz questions answered right: %zu of %zu\n"), quiz, questions);
	fprintf(sh->out, _("Labs done: %zu of %zu\n"), sz_progress_count(&t->progress, SZ_PROGRESS_LAB, NULL),
	        labs);
	for (size_t i = 0; i < t->course.n_chapters; i++)
		chapter_progress(sh, i);
	if (!t->progress_writable)
		fprintf(sh->out, _("(Your progress cannot be saved this time.)\n"));
	return 0;
}
