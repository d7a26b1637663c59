/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.h - a chapter as plain text for a stream: wrapped prose, verbatim code, the quiz without its answers
 */
#ifndef SZ_RENDER_H
#define SZ_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "course/course.h"

struct sz_render_options {
	size_t width; /* columns; no line of prose is wider (code blocks keep their lines) */
	bool styled;  /* bold headings and inline code through ANSI escapes, for a terminal
	               * that allows them; otherwise plain text, `code` keeping its backticks */
	bool quiz;    /* the quiz's questions and options (never which one is right) */
	bool glossary;
	bool labs; /* the chapter's labs: title and introduction */
};

/* Everything but width on, width 80, not styled. */
void sz_render_options_init(struct sz_render_options *o);

/* The chapter: its number and title, "In one sentence: " and the summary,
 * every section with its blocks, then what o asks for. Labels go through
 * gettext. Write errors are the stream's (check ferror()). */
void sz_render_chapter(FILE *out, const struct sz_chapter *ch, const struct sz_render_options *o);

/* Text wrapped to o->width, the first line after first_indent and the
 * others after indent, inline `code` styled as o says. */
void sz_render_paragraph(FILE *out, const char *text, const char *first_indent, const char *indent,
                         const struct sz_render_options *o);

/* Each line of a code block as it is, indented; no trailing empty line. */
void sz_render_code(FILE *out, const char *text);

#endif
