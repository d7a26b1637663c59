/* SPDX-License-Identifier: GPL-3.0-or-later */
/* chapters.c - the chapter list: each chapter with its progress marks, the current one highlighted */
#include <stdio.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"
#include "tui/draw.h"

#define ROWS_PER_CHAPTER 2

struct chapters {
	size_t cursor; /* the chapter chosen in the list */
	size_t top;    /* the first chapter shown */
	bool follow;   /* the cursor is the current chapter (the list has not had the keys) */
};

static size_t n_chapters(const struct tui *app)
{
	return app->tutor.course.n_chapters;
}

/* "quiz 2/4 · labs 1/3" under a chapter's title. */
static char *counts(const struct tui *app, const struct sz_chapter *ch)
{
	const struct sz_progress *p = &app->tutor.progress;
	size_t quiz = sz_progress_count(p, SZ_PROGRESS_QUIZ, ch->id);
	size_t labs = sz_progress_count(p, SZ_PROGRESS_LAB, ch->id);

	if (ch->n_labs == 0)
		/* TRANSLATORS: under a chapter in the list: questions answered right, of all */
		return sz_asprintf(_("quiz %zu/%zu"), quiz, ch->n_quiz);
	/* TRANSLATORS: under a chapter in the list: questions answered right, labs done */
	return sz_asprintf(_("quiz %zu/%zu · labs %zu/%zu"), quiz, ch->n_quiz, labs, ch->n_labs);
}

static void draw_chapter(struct tui *app, struct tui_pane *p, int y, size_t i, bool cursor)
{
	const struct sz_chapter *ch = &app->tutor.course.chapters[i];
	bool done = sz_progress_is_done(&app->tutor.progress, SZ_PROGRESS_CHAPTER, ch->id);
	attr_t attr = cursor ? p->attrs[TUI_STYLE_SELECTED] : i == app->tutor.chapter ? A_BOLD : A_NORMAL;
	cleanup_free char *title =
	    sz_asprintf("%s%s%u %s", cursor ? "▸" : " ", done ? "✓ " : "  ", ch->number, ch->title);
	cleanup_free char *sub = counts(app, ch);

	if (cursor)
		tui_draw_fill(p, y, attr);
	tui_draw_clipped(p->win, y, 0, p->cols - 1, attr, title);
	tui_draw_clipped(p->win, y + 1, 5, p->cols - 6, p->attrs[TUI_STYLE_DIM], sub);
}

static void draw(struct tui_view *v, struct tui *app, struct tui_pane *p)
{
	struct chapters *s = v->state;
	size_t fit = (size_t)p->rows / ROWS_PER_CHAPTER;

	s->follow = !p->focused;
	if (s->follow)
		s->cursor = app->tutor.chapter;
	if (s->cursor < s->top)
		s->top = s->cursor;
	else if (fit > 0 && s->cursor >= s->top + fit)
		s->top = s->cursor - fit + 1;
	for (size_t i = s->top; i < n_chapters(app) && i < s->top + fit; i++)
		draw_chapter(app, p, (int)(i - s->top) * ROWS_PER_CHAPTER, i, p->focused && i == s->cursor);
}

static void move_cursor(struct chapters *s, struct tui *app, long delta)
{
	long to = (long)s->cursor + delta, last = (long)n_chapters(app) - 1;

	s->cursor = (size_t)(to < 0 ? 0 : to > last ? last : to);
}

static void open_chapter(struct chapters *s, struct tui *app)
{
	if (s->cursor != app->tutor.chapter) {
		sz_tutor_goto_index(&app->tutor, s->cursor, 0);
		tui_model_changed(app);
		tui_save(app);
	}
	tui_show(app, TUI_VIEW_READER);
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct chapters *s = v->state;

	if (s->follow) { /* the first key since the list got them, maybe before a frame */
		s->cursor = app->tutor.chapter;
		s->follow = false;
	}
	switch (req) {
	case REQ_UP:
	case REQ_PREV: move_cursor(s, app, -1); return REQ_NONE;
	case REQ_DOWN:
	case REQ_NEXT: move_cursor(s, app, 1); return REQ_NONE;
	case REQ_TOP:
	case REQ_PAGE_UP: s->cursor = 0; return REQ_NONE;
	case REQ_BOTTOM:
	case REQ_PAGE_DOWN: move_cursor(s, app, (long)n_chapters(app)); return REQ_NONE;
	case REQ_ENTER:
	case REQ_RIGHT: open_chapter(s, app); return REQ_NONE;
	case REQ_LEFT: return REQ_NONE;
	default: return req;
	}
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	return _("Up/Down: choose  Enter: read  Tab: the page  L: language  ?: help  q: quit");
}

const struct tui_view_ops tui_chapters_ops = {
    .keymap = TUI_KEYMAP_GENERIC,
    .state_size = sizeof(struct chapters),
    .draw = draw,
    .request = request,
    .hint = hint,
};
