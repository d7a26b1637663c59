/* SPDX-License-Identifier: GPL-3.0-or-later */
/* display.c - the terminal under curses: the windows, their layout, colours, resizing, suspending */
#include "tui/display.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "tui/draw.h"

#define ESCAPE_DELAY_MS 25
#define LEFT_COLS       26
#define LEFT_COLS_WIDE  32
#define WIDE_COLS       120

/* Colour pairs (foreground, -1: the terminal's background) and, without
 * colour, the attributes that stand for them. */
static const struct {
	short fg;
	attr_t color, mono;
} styles[TUI_STYLE_COUNT] = {
    [TUI_STYLE_BODY] = {-1, A_NORMAL, A_NORMAL},
    [TUI_STYLE_TITLE] = {COLOR_YELLOW, A_BOLD, A_BOLD | A_UNDERLINE},
    [TUI_STYLE_HEADING] = {COLOR_CYAN, A_BOLD, A_BOLD},
    [TUI_STYLE_CODE] = {COLOR_GREEN, A_NORMAL, A_NORMAL},
    [TUI_STYLE_NOTE] = {COLOR_YELLOW, A_NORMAL, A_NORMAL},
    [TUI_STYLE_TIP] = {COLOR_CYAN, A_NORMAL, A_NORMAL},
    [TUI_STYLE_DIM] = {-1, A_DIM, A_NORMAL},
    [TUI_STYLE_OK] = {COLOR_GREEN, A_BOLD, A_BOLD},
    [TUI_STYLE_FAIL] = {COLOR_RED, A_BOLD, A_BOLD},
    [TUI_STYLE_SELECTED] = {-1, A_REVERSE, A_REVERSE},
    [TUI_STYLE_OUTPUT] = {-1, A_NORMAL, A_NORMAL},
    [TUI_STYLE_BAR] = {-1, A_REVERSE, A_REVERSE},
};

static void set_attrs(struct tui_display *d)
{
	for (int s = 0; s < TUI_STYLE_COUNT; s++) {
		d->attrs[s] = d->color ? styles[s].color : styles[s].mono;
		if (d->color && styles[s].fg >= 0) {
			init_pair((short)(s + 1), styles[s].fg, -1);
			d->attrs[s] |= COLOR_PAIR(s + 1);
		}
	}
}

int tui_display_open(struct tui_display *d, bool no_color, sz_error_t *err)
{
	memset(d, 0, sizeof(*d));
	d->screen = newterm(NULL, stdout, stdin);
	if (d->screen == NULL) {
		const char *term = getenv("TERM");

		return sz_error_make(err, 0, _("cannot use the terminal '%s' (is TERM right?)"),
		                     term != NULL ? term : "");
	}
	d->active = true;
	set_escdelay(ESCAPE_DELAY_MS);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	if (!no_color && has_colors() && start_color() == OK) {
		use_default_colors();
		d->color = true;
	}
	set_attrs(d);
	tui_display_resize(d);
	return 0;
}

static void drop_window(WINDOW **w)
{
	if (*w != NULL)
		delwin(*w);
	*w = NULL;
}

static void drop_windows(struct tui_display *d)
{
	drop_window(&d->overlay.win);
	drop_window(&d->frame);
	drop_window(&d->left.win);
	drop_window(&d->main.win);
	drop_window(&d->title);
	drop_window(&d->status);
	drop_window(&d->sep);
}

void tui_display_close(struct tui_display *d)
{
	if (!d->active)
		return;
	drop_windows(d);
	curs_set(1);
	endwin();
	delscreen(d->screen);
	d->screen = NULL;
	d->active = false;
}

static void make_pane(struct tui_display *d, struct tui_pane *p, int rows, int cols, int y, int x)
{
	p->win = newwin(rows, cols, y, x);
	p->rows = rows;
	p->cols = cols;
	p->attrs = d->attrs;
	p->span = d->attrs[TUI_STYLE_CODE] | A_BOLD;
}

static void layout(struct tui_display *d)
{
	int left = d->cols >= WIDE_COLS ? LEFT_COLS_WIDE : LEFT_COLS;
	int body = d->rows - 2;

	d->title = newwin(1, d->cols, 0, 0);
	d->status = newwin(1, d->cols, d->rows - 1, 0);
	d->sep = newwin(body, 1, 1, left);
	make_pane(d, &d->left, body, left, 1, 0);
	/* a column of margin on each side of the page */
	make_pane(d, &d->main, body, d->cols - left - 3, 1, left + 2);
	wbkgdset(d->title, ' ' | d->attrs[TUI_STYLE_BAR]);
	wbkgdset(d->status, ' ' | d->attrs[TUI_STYLE_BAR]);
}

bool tui_display_resize(struct tui_display *d)
{
	struct winsize ws;
	int old_left = d->left.cols, old_main = d->main.cols, old_rows = d->main.rows;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	getmaxyx(stdscr, d->rows, d->cols);
	drop_windows(d);
	d->left.cols = d->main.cols = d->main.rows = 0;
	d->too_small = d->cols < TUI_MIN_COLS || d->rows < TUI_MIN_ROWS;
	if (!d->too_small)
		layout(d);
	tui_display_redraw(d);
	return d->left.cols != old_left || d->main.cols != old_main || d->main.rows != old_rows;
}

void tui_display_suspend(struct tui_display *d)
{
	if (!d->active)
		return;
	def_prog_mode();
	curs_set(1);
	endwin();
}

void tui_display_resume(struct tui_display *d)
{
	if (!d->active)
		return;
	reset_prog_mode();
	curs_set(0);
	tui_display_resize(d);
}

void tui_display_title(struct tui_display *d, const char *left, const char *right)
{
	int right_w = (int)sz_display_width(right);

	if (d->title == NULL)
		return;
	werase(d->title);
	tui_draw_text(d->title, 0, 1, d->cols - 2, d->attrs[TUI_STYLE_BAR], left);
	if (right_w + 2 < d->cols)
		tui_draw_text(d->title, 0, d->cols - right_w - 1, right_w, d->attrs[TUI_STYLE_BAR], right);
	/* the separator under the title runs down between the panes */
	werase(d->sep);
	mvwvline(d->sep, 0, 0, ACS_VLINE, d->rows - 2);
}

void tui_display_status(struct tui_display *d, enum tui_style style, const char *text)
{
	if (d->status == NULL)
		return;
	werase(d->status);
	tui_draw_text(d->status, 0, 1, d->cols - 2, d->attrs[TUI_STYLE_BAR] | d->attrs[style], text);
}

void tui_display_too_small(struct tui_display *d)
{
	cleanup_free char *msg = sz_asprintf(
	    _("stanza needs a terminal of at least %dx%d; this one is %dx%d. Please make it bigger."),
	    TUI_MIN_COLS, TUI_MIN_ROWS, d->cols, d->rows);
	struct sz_wrap w;
	int y;

	werase(stdscr);
	sz_wrap_init(&w, msg, d->cols > 4 ? (size_t)d->cols - 4 : 1);
	for (y = 0; sz_wrap_next(&w) && y < d->rows; y++)
		;
	sz_wrap_release(&w);
	y = (d->rows - y) / 2;
	sz_wrap_init(&w, msg, d->cols > 4 ? (size_t)d->cols - 4 : 1);
	for (; sz_wrap_next(&w) && y < d->rows; y++) {
		int width = (int)sz_display_width(w.line);

		tui_draw_text(stdscr, y, (d->cols - width) / 2, d->cols, A_BOLD, w.line);
	}
	sz_wrap_release(&w);
}

struct tui_pane *tui_display_overlay(struct tui_display *d, int rows, int cols)
{
	struct tui_pane *p = &d->overlay;
	int y, x;

	drop_window(&p->win);
	drop_window(&d->frame);
	if (rows > d->rows - 4)
		rows = d->rows - 4;
	if (cols > d->cols - 8)
		cols = d->cols - 8;
	y = (d->rows - rows) / 2;
	x = (d->cols - cols) / 2;
	/* a blank column each side inside the frame */
	d->frame = newwin(rows + 2, cols + 4, y - 1, x - 2);
	werase(d->frame);
	box(d->frame, 0, 0);
	make_pane(d, p, rows, cols, y, x);
	werase(p->win);
	return p;
}

void tui_display_overlay_close(struct tui_display *d)
{
	drop_window(&d->overlay.win);
	drop_window(&d->frame);
	tui_display_redraw(d);
}

void tui_display_update(struct tui_display *d)
{
	if (d->too_small) {
		wnoutrefresh(stdscr);
	} else {
		/* stdscr is never drawn on but here: keeping it untouched means
		 * that reading a key from it never paints it over the panes */
		wnoutrefresh(stdscr);
		wnoutrefresh(d->title);
		wnoutrefresh(d->left.win);
		wnoutrefresh(d->sep);
		wnoutrefresh(d->main.win);
		wnoutrefresh(d->status);
		if (d->overlay.win != NULL) {
			wnoutrefresh(d->frame);
			wnoutrefresh(d->overlay.win);
		}
	}
	doupdate();
}

void tui_display_redraw(struct tui_display *d)
{
	werase(stdscr);
	clearok(curscr, TRUE);
}

int tui_display_key(struct tui_display *d)
{
	int key = wgetch(stdscr);

	return key == KEY_RESIZE ? ERR : key;
}
