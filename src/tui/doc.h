/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doc.h - a page of styled, wrapped lines that a view builds and the display draws and scrolls */
#ifndef SZ_TUI_DOC_H
#define SZ_TUI_DOC_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Views lay their text out once, for the width of their pane, into a doc:
 * lines of UTF-8 that already fit, each with a style. Drawing is then only
 * copying lines (draw.h). A view lays out again when the width, the
 * language or the model changes; nothing in a doc points into the course.
 */

enum tui_style {
	TUI_STYLE_BODY,
	TUI_STYLE_TITLE,   /* the chapter's title */
	TUI_STYLE_HEADING, /* a section's */
	TUI_STYLE_CODE,    /* a code block: shown as is, cut at the edge */
	TUI_STYLE_NOTE,
	TUI_STYLE_TIP,
	TUI_STYLE_DIM, /* secondary: explanations, counts */
	TUI_STYLE_OK,
	TUI_STYLE_FAIL,
	TUI_STYLE_SELECTED, /* the item under the cursor */
	TUI_STYLE_OUTPUT,   /* what a lab's command printed */
	TUI_STYLE_BAR,      /* the title and status lines */
	TUI_STYLE_COUNT,
};

struct tui_line {
	char *text;
	enum tui_style style;
	int tag;        /* the view's: a section's or an option's index; -1 for none */
	bool spans;     /* `backticks` in text mark inline code (drawn highlighted) */
	bool code_open; /* the line starts inside an inline code span */
};

struct tui_doc {
	struct tui_line *lines;
	size_t n, cap;
	size_t width; /* columns the lines are laid out for */
	size_t top;   /* the first line shown */
};

/* Zero d. No allocation. */
void tui_doc_init(struct tui_doc *d);
/* Drop the lines (keeping the memory) for a new layout at width. top stays. */
void tui_doc_reset(struct tui_doc *d, size_t width);
void tui_doc_release(struct tui_doc *d);

/* One line as it is (cut at width when drawn). */
void tui_doc_line(struct tui_doc *d, enum tui_style style, int tag, const char *text);
void tui_doc_linef(struct tui_doc *d, enum tui_style style, int tag, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tui_doc_blank(struct tui_doc *d);

/* Prose wrapped to the width: the first line after first (a label, a
 * number), the others after indent; `code` spans highlighted. */
void tui_doc_wrap(struct tui_doc *d, enum tui_style style, int tag, const char *first, const char *indent,
                  const char *text);

/* Text of several lines (a code block, a command's output), each line as it
 * is after indent; a trailing newline makes no empty line. A line wider than
 * the width is cut at the edge when drawn, or with fold, continued on the
 * next line. Control characters but tabs (as spaces) are dropped. */
void tui_doc_verbatim(struct tui_doc *d, enum tui_style style, int tag, const char *indent, const char *text,
                      size_t len, bool fold);

/* The first line with tag, or -1. */
long tui_doc_find(const struct tui_doc *d, int tag);

/* Scrolling a doc shown height lines at a time: top stays within the lines. */
void tui_doc_scroll(struct tui_doc *d, long delta, size_t height);
void tui_doc_scroll_to(struct tui_doc *d, size_t line, size_t height);
/* Whether the last line is on screen. */
bool tui_doc_at_end(const struct tui_doc *d, size_t height);

#endif
