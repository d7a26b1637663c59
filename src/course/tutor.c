/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tutor.c - where the learner is: the course in their language, their progress, the chapter and section */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/tutor.h"

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static bool has_lang(const struct sz_tutor *t, const char *lang)
{
	for (size_t i = 0; i < t->n_langs; i++)
		if (strcmp(t->langs[i], lang) == 0)
			return true;
	return false;
}

/* The language to open in: the one asked for, else the one last used, else
 * English, else the first there is. NULL with *err when the one asked for is
 * not in the course. */
static const char *choose_lang(const struct sz_tutor *t, const char *lang, sz_error_t *err)
{
	if (lang != NULL) {
		if (has_lang(t, lang))
			return lang;
		sz_error_make(err, 0, _("the course has no language '%s'"), lang);
		return NULL;
	}
	if (t->progress.lang != NULL && has_lang(t, t->progress.lang))
		return t->progress.lang;
	if (has_lang(t, "en") || t->n_langs == 0)
		return "en";
	return t->langs[0];
}

/* Load the course in lang into *out; its problems, each located, become the
 * message of *err. */
static int load_course(const char *content_dir, const char *lang, struct sz_course *out, sz_error_t *err)
{
	struct sz_diags diags = {0};
	char *text = NULL, *summary;
	size_t len = 0;
	FILE *f;

	if (sz_course_load(content_dir, lang, out, &diags, err) == 0)
		return 0;
	if (diags.n == 0)
		return -1;
	f = open_memstream(&text, &len);
	if (f == NULL)
		abort();
	sz_diags_print(&diags, f);
	fclose(f);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	/* TRANSLATORS: after the list of the course's problems, each located. */
	summary =
	    sz_asprintf(Q_("the course has %zu problem", "the course has %zu problems", diags.n), diags.n);
	sz_error_make(err, 0, "%s\n%s", text, summary);
	free(summary);
	free(text);
	sz_diags_release(&diags);
	return -1;
}

static size_t find_section(const struct sz_chapter *ch, const char *id)
{
	for (size_t i = 0; id != NULL && i < ch->n_sections; i++)
		if (strcmp(ch->sections[i].id, id) == 0)
			return i;
	return 0;
}

/* The place recorded in the progress, when the course still has it. */
static void resume(struct sz_tutor *t)
{
	const struct sz_chapter *ch;

	t->chapter = 0;
	t->section = 0;
	if (t->progress.where_chapter == NULL)
		return;
	ch = sz_course_find(&t->course, t->progress.where_chapter);
	if (ch == NULL)
		return;
	t->chapter = (size_t)(ch - t->course.chapters);
	t->section = find_section(ch, t->progress.where_section);
}

/* The progress is read; when it cannot be, the learner is told why and
 * nothing will be written over it. */
static void open_progress(struct sz_tutor *t, const char *progress_dir, char **notice)
{
	sz_error_t err = NULL;
	char *moved = NULL;

	t->progress_writable = sz_progress_load(&t->progress, progress_dir, &moved, &err) == 0;
	if (!t->progress_writable) {
		free(moved);
		moved = sz_asprintf(_("%s; your progress will not be saved this time"), sz_error_msg(err));
		sz_error_release(&err);
	}
	if (notice != NULL)
		*notice = moved;
	else
		free(moved);
}

int sz_tutor_open(struct sz_tutor *t, const char *content_dir, const char *lang, const char *progress_dir,
                  char **notice, sz_error_t *err)
{
	const char *chosen;
	int n;

	memset(t, 0, sizeof(*t));
	if (notice != NULL)
		*notice = NULL;
	t->content_dir = sz_xstrdup(content_dir);
	n = sz_course_languages(content_dir, &t->langs, err);
	if (n < 0)
		goto fail;
	t->n_langs = (size_t)n;
	open_progress(t, progress_dir, notice);
	chosen = choose_lang(t, lang, err);
	if (chosen == NULL)
		goto fail;
	t->lang = sz_xstrdup(chosen);
	if (load_course(content_dir, t->lang, &t->course, err) < 0)
		goto fail;
	sz_progress_set_lang(&t->progress, t->lang);
	sz_i18n_set_lang(t->lang);
	resume(t);
	return 0;
fail:
	if (notice != NULL) {
		free(*notice);
		*notice = NULL;
	}
	sz_tutor_release(t);
	return -1;
}

void sz_tutor_release(struct sz_tutor *t)
{
	free(t->content_dir);
	free(t->lang);
	free_strv(t->langs, t->n_langs);
	sz_course_release(&t->course);
	sz_progress_release(&t->progress);
	memset(t, 0, sizeof(*t));
}

const struct sz_chapter *sz_tutor_chapter(const struct sz_tutor *t)
{
	if (t->chapter >= t->course.n_chapters)
		return NULL;
	return &t->course.chapters[t->chapter];
}

const struct sz_section *sz_tutor_section(const struct sz_tutor *t)
{
	const struct sz_chapter *ch = sz_tutor_chapter(t);

	if (ch == NULL || t->section >= ch->n_sections)
		return NULL;
	return &ch->sections[t->section];
}

/* Record the place in the progress (in memory; sz_tutor_save writes it). */
static void note_place(struct sz_tutor *t)
{
	const struct sz_chapter *ch = sz_tutor_chapter(t);
	const struct sz_section *s = sz_tutor_section(t);

	if (ch != NULL && s != NULL)
		sz_progress_set_where(&t->progress, ch->id, s->id);
}

void sz_tutor_goto_index(struct sz_tutor *t, size_t chapter, size_t section)
{
	const struct sz_chapter *ch;

	if (t->course.n_chapters == 0)
		return;
	t->chapter = chapter < t->course.n_chapters ? chapter : t->course.n_chapters - 1;
	ch = &t->course.chapters[t->chapter];
	t->section = ch->n_sections == 0 ? 0 : section < ch->n_sections ? section : ch->n_sections - 1;
	note_place(t);
}

int sz_tutor_goto(struct sz_tutor *t, const char *key, sz_error_t *err)
{
	const struct sz_chapter *ch = sz_course_find(&t->course, key);

	if (ch == NULL)
		return sz_error_make(err, 0, _("there is no chapter '%s' (try 'chapters')"), key);
	sz_tutor_goto_index(t, (size_t)(ch - t->course.chapters), 0);
	return 0;
}

/* Ids come from a validated course, so a refusal can only be a bug there:
 * nothing the learner could act on. */
static void mark(struct sz_tutor *t, enum sz_progress_kind kind, const char *id)
{
	sz_error_t err = NULL;

	sz_progress_mark(&t->progress, kind, id, &err);
	sz_error_release(&err);
}

void sz_tutor_mark_read(struct sz_tutor *t)
{
	const struct sz_chapter *ch = sz_tutor_chapter(t);

	if (ch != NULL)
		mark(t, SZ_PROGRESS_CHAPTER, ch->id);
}

bool sz_tutor_next(struct sz_tutor *t)
{
	const struct sz_chapter *ch = sz_tutor_chapter(t);

	if (ch == NULL)
		return false;
	if (t->section + 1 < ch->n_sections) {
		sz_tutor_goto_index(t, t->chapter, t->section + 1);
		return true;
	}
	sz_tutor_mark_read(t);
	if (t->chapter + 1 >= t->course.n_chapters)
		return false;
	sz_tutor_goto_index(t, t->chapter + 1, 0);
	return true;
}

bool sz_tutor_prev(struct sz_tutor *t)
{
	if (sz_tutor_chapter(t) == NULL)
		return false;
	if (t->section > 0) {
		sz_tutor_goto_index(t, t->chapter, t->section - 1);
		return true;
	}
	if (t->chapter == 0)
		return false;
	/* SIZE_MAX is clamped to the previous chapter's last section. */
	sz_tutor_goto_index(t, t->chapter - 1, (size_t)-1);
	return true;
}

int sz_tutor_set_lang(struct sz_tutor *t, const char *lang, sz_error_t *err)
{
	const struct sz_chapter *old = sz_tutor_chapter(t);
	const struct sz_section *old_s = sz_tutor_section(t);
	cleanup_free char *ch_id = old != NULL ? sz_xstrdup(old->id) : NULL;
	cleanup_free char *s_id = old_s != NULL ? sz_xstrdup(old_s->id) : NULL;
	struct sz_course course;
	const struct sz_chapter *ch;

	if (!has_lang(t, lang))
		return sz_error_make(err, 0, _("the course has no language '%s'"), lang);
	if (load_course(t->content_dir, lang, &course, err) < 0)
		return -1;
	sz_course_release(&t->course);
	t->course = course;
	free(t->lang);
	t->lang = sz_xstrdup(lang);
	sz_progress_set_lang(&t->progress, lang);
	sz_i18n_set_lang(lang);
	ch = ch_id != NULL ? sz_course_find(&t->course, ch_id) : NULL;
	if (ch != NULL)
		sz_tutor_goto_index(t, (size_t)(ch - t->course.chapters), find_section(ch, s_id));
	else
		sz_tutor_goto_index(t, t->chapter, t->section);
	return 0;
}

int sz_tutor_answer(struct sz_tutor *t, size_t q, size_t o)
{
	const struct sz_chapter *ch = sz_tutor_chapter(t);
	cleanup_free char *id = NULL;
	const struct sz_question *question;
	sz_error_t err = NULL;

	if (ch == NULL || q >= ch->n_quiz || o >= ch->quiz[q].n_options)
		return -1;
	question = &ch->quiz[q];
	id = sz_asprintf("%s/%s", ch->id, question->id);
	if (sz_progress_set_answer(&t->progress, id, (unsigned)o, &err) < 0)
		sz_error_release(&err);
	if (!question->options[o].correct)
		return 0;
	mark(t, SZ_PROGRESS_QUIZ, id);
	return 1;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether hay contains needle, ASCII letters folded; other bytes (those of
 * accented letters among them) must match exactly. */
static bool contains_folded(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay != '\0'; hay++) {
		size_t i = 0;

		while (i < n && hay[i] != '\0' && ascii_lower(hay[i]) == ascii_lower(needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return n == 0;
}

size_t sz_tutor_glossary(const struct sz_tutor *t, const char *needle, const struct sz_term ***out)
{
	const struct sz_term **found = NULL;
	size_t n = 0;

	for (size_t c = 0; c < t->course.n_chapters; c++) {
		const struct sz_chapter *ch = &t->course.chapters[c];

		for (size_t i = 0; i < ch->n_glossary; i++) {
			const struct sz_term *term = &ch->glossary[i];

			if (needle != NULL && !contains_folded(term->term, needle) &&
			    !contains_folded(term->definition, needle))
				continue;
			found = sz_xrealloc(found, (n + 1) * sizeof(*found));
			found[n++] = term;
		}
	}
	*out = found;
	return n;
}

int sz_tutor_save(struct sz_tutor *t, sz_error_t *err)
{
	if (!t->progress_writable)
		return 0;
	note_place(t);
	sz_progress_set_lang(&t->progress, t->lang);
	return sz_progress_save(&t->progress, err);
}

bool sz_tutor_chapter_read(const struct sz_tutor *t, size_t i)
{
	if (i >= t->course.n_chapters)
		return false;
	return sz_progress_is_done(&t->progress, SZ_PROGRESS_CHAPTER, t->course.chapters[i].id);
}

void sz_tutor_mark_step(struct sz_tutor *t, const char *lab, const char *step)
{
	cleanup_free char *id = sz_asprintf("%s/%s", lab, step);

	mark(t, SZ_PROGRESS_STEP, id);
}

void sz_tutor_mark_lab(struct sz_tutor *t, const char *lab)
{
	mark(t, SZ_PROGRESS_LAB, lab);
}

char *sz_tutor_state_file(const struct sz_tutor *t, const char *name)
{
	if (t->progress.dir == NULL)
		return NULL;
	return sz_asprintf("%s/%s", t->progress.dir, name);
}

int sz_tutor_follow_version(struct sz_tutor *t, const char *version, sz_error_t *err)
{
	struct sz_progress *p = &t->progress;
	size_t dropped;

	if (!t->progress_writable || (p->course_version != NULL && strcmp(p->course_version, version) == 0))
		return 0;
	sz_progress_set_course_version(p, version);
	if (p->n_entries == 0)
		return 0;
	dropped = sz_progress_prune(p, sz_progress_in_course, &t->course);
	if (sz_tutor_save(t, err) < 0)
		return -1;
	return (int)dropped;
}
