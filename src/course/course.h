/* SPDX-License-Identifier: GPL-3.0-or-later */
/* course.h - the course model: chapters of one language, loaded from lessons/<lang>/NN-<id>.yaml */
#ifndef SZ_COURSE_H
#define SZ_COURSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/error.h"

/*
 * The model is plain data, owned by its struct sz_course: every string and
 * array below is allocated by the loader and freed by sz_course_release().
 * Raw YAML never leaves the loader. The schema is docs/lesson-format.md.
 */

enum sz_block_kind {
	SZ_BLOCK_PARA,
	SZ_BLOCK_CODE,
	SZ_BLOCK_NOTE,
	SZ_BLOCK_TIP,
};

struct sz_block {
	enum sz_block_kind kind;
	char *text;
};

struct sz_section {
	char *id;
	char *title;
	struct sz_block *blocks;
	size_t n_blocks;
};

struct sz_option {
	char *text;
	bool correct;
	char *why;
};

struct sz_question {
	char *id;
	char *question;
	struct sz_option *options;
	size_t n_options;
};

struct sz_term {
	char *id;
	char *term;
	char *definition;
};

/* The words of one lab step in one language; the mechanics are in labs/. */
struct sz_step_text {
	char *id;
	char *text;
	char *explain; /* NULL when absent */
	char **hints;
	size_t n_hints;
	char **checks; /* a label per check (expect: or check:), in the lab file's order */
	size_t n_checks;
};

struct sz_lab_text {
	char *id; /* the lab's id inside its chapter */
	char *title;
	char *intro;
	struct sz_step_text *steps;
	size_t n_steps;
};

struct sz_chapter {
	char *id;
	unsigned number; /* NN of the file name */
	char *path;      /* the file it came from */
	char *title;
	char *summary;
	struct sz_section *sections;
	size_t n_sections;
	struct sz_question *quiz;
	size_t n_quiz;
	struct sz_term *glossary;
	size_t n_glossary;
	struct sz_lab_text *labs;
	size_t n_labs;
};

struct sz_course {
	char *lang;                  /* "en", "it": the directory name under lessons/ */
	char *dir;                   /* <content_dir>/lessons/<lang>, for naming files it lacks */
	struct sz_chapter *chapters; /* ordered by number */
	size_t n_chapters;
};

/*
 * Problems found in content, each located: "file:line:col: message", then the
 * offending line and a caret under col. line and col count from 1; 0 means
 * "the file as a whole" (then no source line is shown).
 */
struct sz_diag {
	char *file;
	unsigned line;
	unsigned col;
	char *message;
	char *source_line; /* NULL when not known */
};

struct sz_diags {
	struct sz_diag *items;
	size_t n;
};

void sz_diags_add(struct sz_diags *d, const char *file, unsigned line, unsigned col, const char *source_line,
                  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Read the file at path whole into *data (NUL-terminated; the caller frees
 * it) and *len: 0, or -1 with why it could not be read added to d. */
int sz_diags_read_file(struct sz_diags *d, const char *path, char **data, size_t *len);
void sz_diags_print(const struct sz_diags *d, FILE *out);
void sz_diags_release(struct sz_diags *d);

/*
 * Load one chapter file. Returns 0 and fills *out, or -1 with every problem
 * found in the file appended to *diags and *out left zeroed (nothing to free).
 */
int sz_chapter_load_file(const char *path, struct sz_chapter *out, struct sz_diags *diags);
/* The same from a buffer; name is used in the diagnostics. */
int sz_chapter_load_buffer(const char *name, const char *data, size_t len, struct sz_chapter *out,
                           struct sz_diags *diags);
void sz_chapter_release(struct sz_chapter *ch);

/*
 * Load every lessons/<lang>/NN-*.yaml under content_dir. Returns 0, or -1
 * when any file had problems (all of them in *diags, *out zeroed) or when the
 * directory cannot be read (*err, nothing in *diags).
 * Cross-file checks (glossary ids unique in the course, chapter numbers
 * unique) are made here.
 */
int sz_course_load(const char *content_dir, const char *lang, struct sz_course *out, struct sz_diags *diags,
                   sz_error_t *err);
void sz_course_release(struct sz_course *c);

/*
 * For checking tools, which report every problem they can: like
 * sz_course_load, but *out keeps the chapters that loaded even when others
 * did not, and *failed gets the names of the files that did not
 * ("03-cgroups.yaml"), NULL-terminated; the caller frees each name, the
 * array and *out. Returns the number of problems (in *diags), or -1 with
 * *err when the directory cannot be read (*out zeroed, *failed NULL).
 * A course with problems is not for learners.
 */
int sz_course_load_partial(const char *content_dir, const char *lang, struct sz_course *out, char ***failed,
                           struct sz_diags *diags, sz_error_t *err);

/* The languages present: the sub-directories of <content_dir>/lessons, sorted.
 * Returns the count, or -1 with *err. The caller frees each and the array. */
int sz_course_languages(const char *content_dir, char ***langs, sz_error_t *err);

/* Every id in a that is missing from b (and the other way round) becomes a
 * diagnostic naming the file it is missing from. Returns the number found. */
size_t sz_course_parity(const struct sz_course *a, const struct sz_course *b, struct sz_diags *diags);

/* A chapter by id ("cgroups") or by number ("3"); NULL when none. */
const struct sz_chapter *sz_course_find(const struct sz_course *c, const char *key);
const struct sz_lab_text *sz_chapter_find_lab(const struct sz_chapter *ch, const char *lab_id);

/* Words of prose (paragraphs, notes, tips) in a chapter: runs of
 * non-blanks holding a letter or a digit. */
size_t sz_chapter_word_count(const struct sz_chapter *ch);

/* The content rules of docs/lesson-format.md, beyond the schema. */
enum {
	SZ_COURSE_MIN_WORDS = 700,   /* words of prose in each chapter */
	SZ_COURSE_MIN_QUIZ = 4,      /* quiz questions in each chapter */
	SZ_COURSE_MIN_GLOSSARY = 30, /* glossary entries in the course */
};

/* Check a loaded chapter against the content rules: its words of prose, a
 * summary, its quiz questions and a why for every option. Each broken rule
 * becomes a diagnostic about the whole file (line 0). Returns the number
 * found. */
size_t sz_chapter_check_rules(const struct sz_chapter *ch, struct sz_diags *diags);
/* The same for every chapter, and the glossary entries of the course. */
size_t sz_course_check_rules(const struct sz_course *c, struct sz_diags *diags);

#endif
