/* SPDX-License-Identifier: GPL-3.0-or-later */
/* display.h - the terminal under curses: the windows, their layout, colours, resizing, suspending */
#ifndef SZ_TUI_DISPLAY_H
#define SZ_TUI_DISPLAY_H

#include <curses.h>
#include <stdbool.h>

#include "common/error.h"
#include "tui/doc.h"

/* The smallest terminal the TUI draws in; smaller, it asks for room. */
enum {
	TUI_MIN_COLS = 80,
	TUI_MIN_ROWS = 24,
};

/*
 * One rectangle a view draws in. Only display.c makes, moves and frees the
 * windows; views draw through draw.h into the pane they are given.
 */
struct tui_pane {
	WINDOW *win;
	int rows, cols;
	bool focused;
	const attr_t *attrs; /* by enum tui_style */
	attr_t span;         /* inline `code` */
};

/*
 * The screen: a title line, the list of chapters on the left, the page on
 * the right, a status line, and an overlay (the help) over them. When the
 * terminal is smaller than TUI_MIN_COLS x TUI_MIN_ROWS the panes have no
 * windows and tui_display_too_small() fills the screen instead.
 */
struct tui_display {
	SCREEN *screen;
	bool active; /* curses owns the terminal: tui_display_close() must run */
	bool color;
	int rows, cols;
	bool too_small;
	attr_t attrs[TUI_STYLE_COUNT];
	WINDOW *title, *status, *sep, *frame; /* frame: around the overlay */
	struct tui_pane left, main, overlay;
};

/* Take the terminal (stdin and stdout): curses, keypad, no echo, colours
 * unless no_color or the terminal has none. On failure nothing is left to
 * restore. */
int tui_display_open(struct tui_display *d, bool no_color, sz_error_t *err);
/* Give the terminal back as it was. Safe to call twice, and from any state. */
void tui_display_close(struct tui_display *d);

/* Follow the terminal's new size (after SIGWINCH): every window is made
 * again, blank. Returns whether the panes' sizes changed. */
bool tui_display_resize(struct tui_display *d);

/* Hand the terminal to another program (the lab's shell) and take it back;
 * the screen must then be drawn again in full. */
void tui_display_suspend(struct tui_display *d);
void tui_display_resume(struct tui_display *d);

/* The title line: left and right parts (right-aligned, cut first). */
void tui_display_title(struct tui_display *d, const char *left, const char *right);
/* The status line: text in style. */
void tui_display_status(struct tui_display *d, enum tui_style style, const char *text);
/* The whole screen asks for more room. */
void tui_display_too_small(struct tui_display *d);

/* A centred pane in a frame over the others, of about rows x cols inside
 * (within the screen); made again at each call. */
struct tui_pane *tui_display_overlay(struct tui_display *d, int rows, int cols);
void tui_display_overlay_close(struct tui_display *d);

/* Put everything drawn on the terminal. */
void tui_display_update(struct tui_display *d);
/* Everything will be drawn again from scratch at the next update. */
void tui_display_redraw(struct tui_display *d);

/* The next key, without waiting: ERR when none is ready. */
int tui_display_key(struct tui_display *d);

#endif
