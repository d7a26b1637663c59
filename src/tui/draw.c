/* SPDX-License-Identifier: GPL-3.0-or-later */
/* draw.c - text on a pane: clipped to columns by display width, styled, inline code highlighted */
#include "tui/draw.h"

#include <string.h>

#include "common/wrap.h"

void tui_draw_clear(struct tui_pane *p)
{
	werase(p->win);
}

void tui_draw_fill(struct tui_pane *p, int y, attr_t attr)
{
	wattrset(p->win, attr);
	mvwhline(p->win, y, 0, ' ', p->cols);
	wattrset(p->win, A_NORMAL);
}

/* The first len bytes of text, as tui_draw_text(). */
static int draw_n(WINDOW *win, int y, int x, int cols, attr_t attr, const char *text, size_t len)
{
	size_t n;

	if (cols <= 0 || len == 0)
		return 0;
	/* the widest prefix of whole characters that fits, within len */
	n = sz_display_prefix(text, (size_t)cols);
	if (n > len)
		n = len;
	wattrset(win, attr);
	mvwaddnstr(win, y, x, text, (int)n);
	wattrset(win, A_NORMAL);
	return (int)sz_display_width_n(text, n);
}

int tui_draw_text(WINDOW *win, int y, int x, int cols, attr_t attr, const char *text)
{
	return draw_n(win, y, x, cols, attr, text, strlen(text));
}

int tui_draw_clipped(WINDOW *win, int y, int x, int cols, attr_t attr, const char *text)
{
	int used;

	if (sz_display_width(text) <= (size_t)cols)
		return tui_draw_text(win, y, x, cols, attr, text);
	used = tui_draw_text(win, y, x, cols - 1, attr, text);
	return used + tui_draw_text(win, y, x + used, 1, attr, "…");
}

/* Text with `code` spans: the backticks are not shown, the spans get the
 * pane's span attribute. Returns the columns used. */
static int draw_spans(struct tui_pane *p, int y, int x, attr_t attr, const char *text, bool open)
{
	int used = 0;

	while (*text != '\0' && used < p->cols - x) {
		const char *tick = strchr(text, '`');
		size_t len = tick != NULL ? (size_t)(tick - text) : strlen(text);

		used +=
		    draw_n(p->win, y, x + used, p->cols - x - used, open ? attr | p->span : attr, text, len);
		if (tick == NULL)
			break;
		open = !open;
		text = tick + 1;
	}
	return used;
}

/* One doc line on row y of pane: its style, `code` spans highlighted, and a
 * selected line filled to the edge. */
static void tui_draw_line(struct tui_pane *p, int y, const struct tui_line *line)
{
	attr_t attr = p->attrs[line->style];
	int used;

	if (line->spans)
		used = draw_spans(p, y, 0, attr, line->text, line->code_open);
	else
		used = tui_draw_text(p->win, y, 0, p->cols, attr, line->text);
	if (line->style == TUI_STYLE_SELECTED && used < p->cols) {
		wattrset(p->win, attr);
		mvwhline(p->win, y, used, ' ', p->cols - used);
		wattrset(p->win, A_NORMAL);
	}
}

void tui_draw_doc(struct tui_pane *p, int y, int rows, const struct tui_doc *doc)
{
	for (int i = 0; i < rows && doc->top + (size_t)i < doc->n; i++)
		tui_draw_line(p, y + i, &doc->lines[doc->top + (size_t)i]);
}
