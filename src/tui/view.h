/* SPDX-License-Identifier: GPL-3.0-or-later */
/* view.h - a view: its own state and a table of operations (tig's struct view_ops) */
#ifndef SZ_TUI_VIEW_H
#define SZ_TUI_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/display.h"
#include "tui/doc.h"
#include "tui/keymap.h"

struct tui;
struct tui_view;

enum tui_view_id {
	TUI_VIEW_CHAPTERS, /* the list on the left */
	TUI_VIEW_READER,   /* the pages on the right: */
	TUI_VIEW_LAB,
	TUI_VIEW_QUIZ,
	TUI_VIEW_GLOSSARY,
	TUI_VIEW_HELP, /* the overlay */
	TUI_VIEW_COUNT,
};

/*
 * What a view does. A view reads the model (app->tutor) and keeps only its
 * own state (a cursor, a scroll position, a search), never a pointer into
 * the course: the course is loaded again when the language changes.
 */
struct tui_view_ops {
	enum tui_keymap keymap;
	size_t state_size; /* zeroed state, freed with the view */
	/* Lay out again for a pane cols wide: the chapter, the language or the
	 * width changed. May be NULL. */
	void (*layout)(struct tui_view *v, struct tui *app, int cols);
	/* NULL: the view's doc, scrolled (tui_view_draw_doc). */
	void (*draw)(struct tui_view *v, struct tui *app, struct tui_pane *p);
	/* Handle req: REQ_NONE when done, else a request for the app. */
	enum tui_request (*request)(struct tui_view *v, struct tui *app, enum tui_request req);
	/* Take a key before the keymap does (text being typed): true when
	 * taken. May be NULL. */
	bool (*key)(struct tui_view *v, struct tui *app, int key);
	/* The status line when there is no message: the view's main keys. */
	const char *(*hint)(struct tui_view *v, struct tui *app);
	/* The view's place in the title line ("Quiz 2/4"), translated; the
	 * caller frees it. May be NULL. */
	char *(*where)(struct tui_view *v, struct tui *app);
};

struct tui_view {
	const struct tui_view_ops *ops;
	void *state;
	bool stale; /* lay out before the next draw */
	int cols;   /* the width it was laid out for */
	/* What the view shows, laid out by its layout (tig's view lines); a
	 * view that draws no doc leaves it empty. Freed with the view. */
	struct tui_doc doc;
	size_t rows; /* the pane's height at the last draw */
};

/* v's doc on the pane, its top kept within the lines. */
void tui_view_draw_doc(struct tui_view *v, struct tui_pane *p);

/* The scrolling requests on v's doc (a page: the pane less two lines):
 * true when req was one of them (up, down, page up and down, top, bottom). */
bool tui_view_scroll(struct tui_view *v, enum tui_request req);

extern const struct tui_view_ops tui_chapters_ops;
extern const struct tui_view_ops tui_reader_ops;
extern const struct tui_view_ops tui_lab_ops;
extern const struct tui_view_ops tui_quiz_ops;
extern const struct tui_view_ops tui_glossary_ops;
extern const struct tui_view_ops tui_help_ops;

#endif
