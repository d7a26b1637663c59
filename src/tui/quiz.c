/* SPDX-License-Identifier: GPL-3.0-or-later */
/* quiz.c - the chapter's quiz: one question at a time, an option chosen, why it is right or wrong */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"
#include "tui/draw.h"

#define MAX_OPTIONS 26 /* lettered a) to z) */

struct quiz {
	size_t question;
	size_t cursor;  /* the option under the cursor */
	size_t chapter; /* the chapter question and cursor are for */
	bool have_chapter;
};

static const struct sz_question *current(const struct quiz *s, const struct tui *app)
{
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);

	return s->question < ch->n_quiz ? &ch->quiz[s->question] : NULL;
}

static char *quiz_id(const struct tui *app, const struct sz_question *q)
{
	return sz_asprintf("%s/%s", sz_tutor_chapter(&app->tutor)->id, q->id);
}

/* The option last chosen for q, or -1. */
static int chosen(const struct tui *app, const struct sz_question *q)
{
	cleanup_free char *id = quiz_id(app, q);

	return sz_progress_answer(&app->tutor.progress, id);
}

static void option(struct tui_view *v, const struct sz_option *o, size_t i, int answer)
{
	const struct quiz *s = v->state;
	bool picked = answer >= 0 && (size_t)answer == i;
	const char *mark = !picked ? "  " : o->correct ? "✓ " : "✗ ";
	cleanup_free char *first =
	    sz_asprintf("%s%s%c) ", i == s->cursor ? "▸ " : "  ", mark, (char)('a' + i));
	enum tui_style style = i == s->cursor ? TUI_STYLE_SELECTED : TUI_STYLE_BODY;

	tui_doc_wrap(&v->doc, style, (int)i, first, "       ", o->text);
	if (picked) {
		tui_doc_wrap(&v->doc, o->correct ? TUI_STYLE_OK : TUI_STYLE_FAIL, (int)i, "       ",
		             "       ", o->correct ? _("Right.") : _("Not quite: try another one."));
		tui_doc_wrap(&v->doc, TUI_STYLE_DIM, (int)i, "       ", "       ", o->why);
	}
	tui_doc_blank(&v->doc);
}

static void layout(struct tui_view *v, struct tui *app, int cols)
{
	struct quiz *s = v->state;
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);
	const struct sz_question *q;
	size_t done = sz_progress_count(&app->tutor.progress, SZ_PROGRESS_QUIZ, ch->id);

	if (!s->have_chapter || s->chapter != app->tutor.chapter) {
		s->chapter = app->tutor.chapter;
		s->have_chapter = true;
		s->question = s->cursor = 0;
	}
	tui_doc_reset(&v->doc, (size_t)cols);
	/* TRANSLATORS: the quiz's heading: "Quiz: 3. cgroups: how much you can use" */
	tui_doc_linef(&v->doc, TUI_STYLE_TITLE, -1, _("Quiz: %u. %s"), ch->number, ch->title);
	/* TRANSLATORS: under the quiz's heading: questions answered right, of all */
	tui_doc_linef(&v->doc, TUI_STYLE_DIM, -1, _("%zu of %zu answered right"), done, ch->n_quiz);
	tui_doc_blank(&v->doc);
	if ((q = current(s, app)) == NULL)
		return;
	tui_doc_wrap(&v->doc, TUI_STYLE_HEADING, -1, "", "", q->question);
	tui_doc_blank(&v->doc);
	for (size_t i = 0; i < q->n_options && i < MAX_OPTIONS; i++)
		option(v, &q->options[i], i, chosen(app, q));
}

static void draw(struct tui_view *v, struct tui *app, struct tui_pane *p)
{
	struct quiz *s = v->state;
	long cursor = tui_doc_find(&v->doc, (int)s->cursor);
	size_t last = cursor;

	v->rows = (size_t)p->rows;
	/* the cursor's option and what is said about it stay in sight */
	while (cursor >= 0 && last + 1 < v->doc.n && v->doc.lines[last + 1].tag == (int)s->cursor)
		last++;
	if (cursor >= 0 && last >= v->doc.top + v->rows)
		tui_doc_scroll_to(&v->doc, last - v->rows + 1, v->rows);
	if (cursor >= 0 && (size_t)cursor < v->doc.top)
		tui_doc_scroll_to(&v->doc, (size_t)cursor, v->rows);
	tui_draw_doc(p, 0, p->rows, &v->doc);
}

static void answer(struct tui_view *v, struct tui *app)
{
	struct quiz *s = v->state;
	const struct sz_question *q = current(s, app);

	if (q == NULL || sz_tutor_answer(&app->tutor, s->question, s->cursor) < 0)
		return;
	tui_save(app);
	v->stale = true;
}

static void move_question(struct tui_view *v, struct tui *app, long delta)
{
	struct quiz *s = v->state;
	long to = (long)s->question + delta;
	size_t n = sz_tutor_chapter(&app->tutor)->n_quiz;

	if (to < 0 || (size_t)to >= n) {
		tui_message(app, TUI_STYLE_DIM, "%s",
		            to < 0 ? _("This is the first question.") : _("This is the last question."));
		return;
	}
	s->question = (size_t)to;
	s->cursor = 0;
	v->doc.top = 0;
	v->stale = true;
}

static void move_cursor(struct tui_view *v, struct tui *app, long delta)
{
	struct quiz *s = v->state;
	const struct sz_question *q = current(s, app);
	long to = (long)s->cursor + delta;

	if (q == NULL || to < 0 || (size_t)to >= q->n_options)
		return;
	s->cursor = (size_t)to;
	v->stale = true;
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	switch (req) {
	case REQ_UP: move_cursor(v, app, -1); break;
	case REQ_DOWN: move_cursor(v, app, 1); break;
	case REQ_ENTER: answer(v, app); break;
	case REQ_NEXT:
	case REQ_PAGE_DOWN: move_question(v, app, 1); break;
	case REQ_PREV:
	case REQ_PAGE_UP: move_question(v, app, -1); break;
	default: return req;
	}
	return REQ_NONE;
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	return _("Up/Down: choose  Enter: answer  n/p: question  r: read  ?: help  q: quit");
}

static char *where(struct tui_view *v, struct tui *app)
{
	struct quiz *s = v->state;

	/* TRANSLATORS: the title line in the quiz: question 2 of 4 */
	return sz_asprintf(_("question %zu/%zu"), s->question + 1, sz_tutor_chapter(&app->tutor)->n_quiz);
}

const struct tui_view_ops tui_quiz_ops = {
    .keymap = TUI_KEYMAP_GENERIC,
    .state_size = sizeof(struct quiz),
    .layout = layout,
    .draw = draw,
    .request = request,
    .hint = hint,
    .where = where,
};
