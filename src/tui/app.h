/* SPDX-License-Identifier: GPL-3.0-or-later */
/* app.h - the TUI's state shared by its views: the model, the display, the views, the status line */
#ifndef SZ_TUI_APP_H
#define SZ_TUI_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "course/tutor.h"
#include "tui/display.h"
#include "tui/tui.h"
#include "tui/view.h"

struct tui_lab;

struct tui {
	const struct sz_tui_options *opts;
	struct sz_tutor tutor; /* where the learner is: the one model */
	struct tui_display display;
	struct tui_view views[TUI_VIEW_COUNT];
	enum tui_view_id page; /* the view in the right pane */
	bool focus_list;       /* the chapter list has the keys, not the page */
	bool help;             /* the help overlay is open */
	char *message;         /* the status line until the next key, or NULL */
	enum tui_style message_style;
	enum tui_request confirm; /* a request waiting for its key again, or REQ_NONE */
	bool confirmed;           /* set while a confirmed request runs */
	bool quit;
	int stop_signal;        /* the signal that ended the TUI, 0 when none */
	struct tui_lab *lab;    /* the labs, loaded when first shown; NULL before */
	uint64_t last_frame_ns; /* when the last frame was drawn */
};

/* A message on the status line until the next key (printf format). */
void tui_message(struct tui *app, enum tui_style style, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The chapter, the section or the language changed: every view lays out again. */
void tui_model_changed(struct tui *app);

/* Save the learner's place and progress; a failure becomes the message. */
void tui_save(struct tui *app);

/* Show a view in the right pane, with the keys (or in the list). */
void tui_show(struct tui *app, enum tui_view_id id);

/* The pane a view draws in: the list, the page or the overlay. */
struct tui_pane *tui_pane_of(struct tui *app, enum tui_view_id id);

/* Ask for req to be pressed again before it runs: text says so on the
 * status line. Returns true when it was just pressed again (go ahead). */
bool tui_confirm(struct tui *app, enum tui_request req, const char *text);

/* Draw everything now (while a lab step runs and streams output). */
void tui_frame(struct tui *app);

/* Follow a resize only (while a lab step runs: the stop signals are the lab's). */
void tui_follow_resize(struct tui *app);

#endif
