/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tutor.h - where the learner is: the course in their language, their progress, the chapter and section they
 * read */
#ifndef SZ_TUTOR_H
#define SZ_TUTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "course/course.h"
#include "course/progress.h"

/*
 * One model for both front ends (the TUI and the shell): neither keeps its
 * own idea of the current chapter, language or progress. Every move is
 * recorded in the progress store (saved by sz_tutor_save(), which the front
 * ends call after each change the learner would not want to lose), so that
 * the next start resumes where the learner left off.
 *
 * Owned by the struct: the course, the progress, the strings. The
 * chapter/section indexes are always valid for the loaded course.
 */
struct sz_tutor {
	char *content_dir; /* holds lessons/ and labs/ */
	char *lang;        /* "en", "it": the course's and the interface's language */
	char **langs;      /* the languages present, sorted */
	size_t n_langs;
	struct sz_course course;
	struct sz_progress progress;
	bool progress_writable; /* false when the progress could not be read: never saved */
	size_t chapter;         /* index in course.chapters */
	size_t section;         /* index in the chapter's sections */
};

/*
 * Load the course in lang (NULL: the language the learner last used, else
 * "en") and the progress (progress_dir NULL: the default), and go where the
 * learner left off. *notice (when not NULL) gets a message for the learner
 * (a damaged progress file moved aside), or NULL. Returns 0 or -1 with *err
 * (the course does not load: its problems are in *err's message).
 */
int sz_tutor_open(struct sz_tutor *t, const char *content_dir, const char *lang, const char *progress_dir,
                  char **notice, sz_error_t *err);
void sz_tutor_release(struct sz_tutor *t);

const struct sz_chapter *sz_tutor_chapter(const struct sz_tutor *t);
const struct sz_section *sz_tutor_section(const struct sz_tutor *t);

/* Go to a chapter by id or number ("cgroups", "3"), at its first section. */
int sz_tutor_goto(struct sz_tutor *t, const char *key, sz_error_t *err);
/* Go to chapter index i (and section s). Out-of-range indexes are clamped. */
void sz_tutor_goto_index(struct sz_tutor *t, size_t chapter, size_t section);
/* Next section, or the next chapter's first; leaving a chapter's last section
 * marks the chapter read. Returns false at the very end (nothing moves). */
bool sz_tutor_next(struct sz_tutor *t);
bool sz_tutor_prev(struct sz_tutor *t);
/* Mark the current chapter read (the TUI does so when its end is shown). */
void sz_tutor_mark_read(struct sz_tutor *t);

/* Switch the course and the interface to another language, keeping the place
 * (ids are the same in every language). Returns -1 with *err for a language
 * that is not present or a course that does not load (then nothing changed). */
int sz_tutor_set_lang(struct sz_tutor *t, const char *lang, sz_error_t *err);

/* Answer question q of the current chapter with option o: records the answer,
 * and the question as done when it is right. Returns 1 right, 0 wrong, -1
 * for an index out of range. */
int sz_tutor_answer(struct sz_tutor *t, size_t q, size_t o);

/* Glossary entries of the whole course whose term or definition contains
 * needle (case-insensitive, UTF-8 aware for ASCII letters; NULL or "": all),
 * in course order. Returns the count; *out (freed by the caller, the entries
 * are the course's) lists them. */
size_t sz_tutor_glossary(const struct sz_tutor *t, const char *needle, const struct sz_term ***out);

/* Save the progress (place, language, completions). No-op returning 0 when
 * the progress could not be read at open. */
int sz_tutor_save(struct sz_tutor *t, sz_error_t *err);

/* ---- for the front ends' finer needs ---- */

/* Whether chapter i has been read (a mark for a chapter list). */
bool sz_tutor_chapter_read(const struct sz_tutor *t, size_t i);

/* Record a lab step ("cgroups/memory-kill", "eat") or a whole lab as done.
 * Saved by sz_tutor_save(). Ids of the wrong shape are ignored. */
void sz_tutor_mark_step(struct sz_tutor *t, const char *lab, const char *step);
void sz_tutor_mark_lab(struct sz_tutor *t, const char *lab);

/* "<the progress store's directory>/name" ("history": the shell's readline
 * history lives beside the progress), for the caller to free; NULL when the
 * store has no directory. */
char *sz_tutor_state_file(const struct sz_tutor *t, const char *name);

/* When the progress was recorded against another version of the course than
 * version: forget what the course no longer has, record version, and save.
 * For the course installed with stanza (not a --content of the learner's).
 * Returns the number of entries forgotten, or -1 with *err when saving failed. */
int sz_tutor_follow_version(struct sz_tutor *t, const char *version, sz_error_t *err);

#endif
