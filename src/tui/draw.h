/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw.h - text on a pane: clipped to columns by display width, styled, inline code highlighted */
#ifndef SZ_TUI_DRAW_H
#define SZ_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "tui/display.h"
#include "tui/doc.h"

/* Blank the pane, to draw it again. */
void tui_draw_clear(struct tui_pane *p);

/* Row y of the pane blank in attr (a highlighted row). */
void tui_draw_fill(struct tui_pane *p, int y, attr_t attr);

/* Draw text at (y, x) of win in at most cols columns (whole characters:
 * a wide one that does not fit is left out). Returns the columns used. */
int tui_draw_text(WINDOW *win, int y, int x, int cols, attr_t attr, const char *text);

/* The same, ending in "…" when text does not fit. */
int tui_draw_clipped(WINDOW *win, int y, int x, int cols, attr_t attr, const char *text);

/* The doc's lines from its top, on rows y to y + rows - 1 of pane. */
void tui_draw_doc(struct tui_pane *p, int y, int rows, const struct tui_doc *doc);

#endif
