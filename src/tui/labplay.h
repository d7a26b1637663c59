/* SPDX-License-Identifier: GPL-3.0-or-later */
/* labplay.h - the labs behind the lab view: loaded when first shown, one played live, its steps' transcripts
 */
#ifndef SZ_TUI_LABPLAY_H
#define SZ_TUI_LABPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "labs/engine.h"
#include "labs/lab.h"
#include "labs/lab_host.h"
#include "labs/live_lab.h"
#include "tui/doc.h"

struct tui;

/* What happened in one step, as the engine told it: commands, their output,
 * checks. Each entry owns its text. */
struct tui_entry {
	enum tui_style style;
	struct sz_buf text;
	/* A check's result: text is the check as written, shown by its label
	 * (looked up when drawn, in the language of the moment). */
	int check;    /* its index in the step's checks, -1 for other entries */
	char *detail; /* why it did not hold, NULL when it did */
};

struct tui_transcript {
	struct tui_entry *items;
	size_t n, cap;
};

/*
 * The labs are language-neutral and stay loaded across language switches;
 * their words come from the tutor's course each time they are shown. At
 * most one lab is up (its container and shell live) at a time.
 */
struct tui_lab {
	struct tui *app;
	char *error;              /* why the labs cannot be loaded or run here, or NULL */
	struct sz_lab_host *host; /* the labs, the probe and the paths */
	bool up;                  /* live is started */
	struct sz_live_lab live;
	struct tui_transcript *transcripts; /* one per step of the live lab */
	struct sz_lab_events events;
	bool streaming; /* a command of the live lab is running */
};

/* Load the labs and probe the host, the first time only. Never fails: a
 * problem is kept in app->lab->error for the view to show. */
struct tui_lab *tui_lab_get(struct tui *app);
/* Stop the lab that is up, and free everything. */
void tui_lab_free(struct tui *app);

/* The lab of chapter ch with id, or NULL. */
const struct sz_lab *tui_lab_find(struct tui_lab *tl, const char *chapter, const char *id);
/* Why the host cannot run lab (for the caller to free), or NULL. */
char *tui_lab_skip_reason(struct tui_lab *tl, const struct sz_lab *lab);

/* Start lab (its container and shell); a failure or a skip becomes the
 * status message. Returns 0 when it is up. */
int tui_lab_start(struct tui_lab *tl, const struct sz_lab *lab);
void tui_lab_stop(struct tui_lab *tl);

/* Enter on the current step: a demo runs, a task is checked. s: the task's
 * solution is typed and checked. Output streams to the screen as it comes.
 * A signal that asks stanza to stop sets app->quit. */
void tui_lab_run_step(struct tui_lab *tl);
void tui_lab_solve(struct tui_lab *tl);

/* `!`: the lab's shell on the whole terminal, line by line, until exit or
 * Ctrl-D; then the TUI again. */
void tui_lab_shell(struct tui_lab *tl);

#endif
