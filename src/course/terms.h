/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms.h - the course's one vocabulary (i18n/terms.yaml) and the check that the lessons keep to it */
#ifndef SZ_TERMS_H
#define SZ_TERMS_H

#include <stddef.h>

#include "course/course.h"

/*
 * i18n/terms.yaml names each concept once per language and lists the forms
 * that must not stand for it (docs/lesson-format.md, "One vocabulary"):
 *
 *   terms:
 *     - concept: user-namespace
 *       it: {use: "user namespace", avoid: ["namespace utente"]}
 *
 * The model keeps one rule per avoided form. Everything is owned by struct
 * sz_terms and freed by sz_terms_release(); on failure the output is empty.
 */
struct sz_term_rule {
	char *concept;
	char *lang;
	char *use;   /* the one form */
	char *avoid; /* a form to refuse: words separated by single spaces */
};

struct sz_terms {
	struct sz_term_rule *rules;
	size_t n;
};

/* Read the vocabulary from data (name for diagnostics). Returns 0, or -1
 * with the problems, located, in *diags. */
int sz_terms_load_buffer(const char *name, const char *data, size_t len, struct sz_terms *out,
                         struct sz_diags *diags);

/* <content_dir>/i18n/terms.yaml; a content without one has an empty
 * vocabulary (0, no rule). */
int sz_terms_load_content(const char *content_dir, struct sz_terms *out, struct sz_diags *diags);

void sz_terms_release(struct sz_terms *t);

/*
 * Report, at its file:line:col, every avoided form of language lang in the
 * prose of a lesson file (titles, paragraphs, notes, tips, quiz, glossary,
 * lab texts). Matching ignores ASCII case, takes whole words only, lets a
 * space of the form match any run of blanks or line breaks, and skips code
 * blocks and `code spans`. A file that does not parse is left to the
 * loader. Returns the number of problems added.
 */
size_t sz_terms_check_buffer(const struct sz_terms *t, const char *lang, const char *name, const char *data,
                             size_t len, struct sz_diags *diags);

/* The same for every chapter of a loaded course (read again from its path). */
size_t sz_terms_check_course(const struct sz_terms *t, const struct sz_course *c, struct sz_diags *diags);

#endif
