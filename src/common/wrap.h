/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wrap.h - display width of UTF-8 text and word wrapping to a number of terminal columns */
#ifndef SZ_WRAP_H
#define SZ_WRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/buf.h"

/*
 * Columns the first len bytes of s take on a terminal: wcwidth() of each
 * character, so accented letters count one and wide (CJK) characters two.
 * That needs a UTF-8 LC_CTYPE (sz_i18n_set_lang() makes sure of one); bytes
 * that do not decode count one column each, control characters none.
 */
size_t sz_display_width_n(const char *s, size_t len);
size_t sz_display_width(const char *s);

/* The longest prefix of s (in bytes, whole characters) at most cols wide. */
size_t sz_display_prefix(const char *s, size_t cols);

/*
 * Word wrapping, one line at a time, for any front end. Words are separated
 * by ASCII spaces, tabs and newlines (a no-break space joins words); each
 * line gets as many words as fit in width columns, joined by one space. A
 * word wider than width is cut between characters.
 *
 *     struct sz_wrap w;
 *     sz_wrap_init(&w, text, 72);
 *     while (sz_wrap_next(&w))
 *             printf("  %s\n", w.line);
 *     sz_wrap_release(&w);
 *
 * width may be changed between calls (a first line with a label, say); a
 * width of 0 counts as 1.
 */
struct sz_wrap {
	size_t width;
	const char *line; /* the current line, NUL-terminated; valid until the next call */
	size_t line_len;  /* its length in bytes */
	/* private */
	const char *next;
	struct sz_buf buf;
};

void sz_wrap_init(struct sz_wrap *w, const char *text, size_t width);
/* Move to the next line; false when the text is used up. */
bool sz_wrap_next(struct sz_wrap *w);
void sz_wrap_release(struct sz_wrap *w);

/* Print text wrapped so that no line is wider than width columns with its
 * indent: the first line after first_indent, the others after indent. */
void sz_wrap_print(FILE *out, const char *text, size_t width, const char *first_indent, const char *indent);

#endif
