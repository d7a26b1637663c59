/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab.c - the lab view: the chapter's labs to choose from, then one lab's steps, live output, checks, hints
 */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "tui/app.h"
#include "tui/labplay.h"

#define TAG_CURSOR 1 /* the line the choice's cursor is on */

struct lab_view {
	size_t cursor; /* the lab chosen among the chapter's */
	bool to_end;   /* show the end of the doc at the next draw (output came) */
};

/* ---- choosing a lab ------------------------------------------------------ */

static void choice(struct tui_view *v, struct tui *app, size_t i, const struct sz_lab_text *text)
{
	const struct lab_view *s = v->state;
	struct tui_lab *tl = app->lab;
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);
	const struct sz_lab *lab = tui_lab_find(tl, ch->id, text->id);
	cleanup_free char *name = sz_asprintf("%s/%s", ch->id, text->id);
	cleanup_free char *reason = lab != NULL ? tui_lab_skip_reason(tl, lab) : NULL;
	bool done = sz_progress_is_done(&app->tutor.progress, SZ_PROGRESS_LAB, name);
	cleanup_free char *title =
	    sz_asprintf("%s%s%s", i == s->cursor ? "▸ " : "  ", done ? "✓ " : "", text->title);
	int tag = i == s->cursor ? TAG_CURSOR : -1;

	tui_doc_line(&v->doc, i == s->cursor ? TUI_STYLE_SELECTED : TUI_STYLE_HEADING, tag, title);
	tui_doc_wrap(&v->doc, TUI_STYLE_BODY, tag, "    ", "    ", text->intro);
	if (lab == NULL)
		tui_doc_wrap(&v->doc, TUI_STYLE_FAIL, tag, "    ", "    ", _("(no lab file: it cannot run)"));
	else if (reason != NULL)
		tui_doc_wrap(&v->doc, TUI_STYLE_FAIL, tag, "    ", "    ", reason);
	tui_doc_blank(&v->doc);
}

static void layout_choose(struct tui_view *v, struct tui *app)
{
	struct lab_view *s = v->state;
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);

	/* TRANSLATORS: the lab view's heading: "Labs: 3. cgroups: how much you can use" */
	tui_doc_linef(&v->doc, TUI_STYLE_TITLE, -1, _("Labs: %u. %s"), ch->number, ch->title);
	tui_doc_blank(&v->doc);
	if (ch->n_labs == 0) {
		tui_doc_wrap(&v->doc, TUI_STYLE_DIM, -1, "", "", _("This chapter has no labs."));
		return;
	}
	if (app->lab->error != NULL)
		tui_doc_wrap(&v->doc, TUI_STYLE_FAIL, -1, "", "", app->lab->error);
	else
		tui_doc_wrap(
		    &v->doc, TUI_STYLE_DIM, -1, "", "",
		    _("Choose a lab and press Enter: stanza starts its container, and you go through "
		      "its steps one at a time."));
	tui_doc_blank(&v->doc);
	if (s->cursor >= ch->n_labs)
		s->cursor = 0;
	for (size_t i = 0; i < ch->n_labs; i++)
		choice(v, app, i, &ch->labs[i]);
}

/* ---- a lab in play ------------------------------------------------------- */

static const char *kind_name(enum sz_lab_step_kind kind)
{
	return kind == SZ_LAB_TASK ? _("task") : _("demo");
}

/* ✓ done (now, or recorded before), ✗ tried and not done, · not tried. */
static const char *mark(const struct tui *app, const struct sz_live_lab *l, size_t i)
{
	cleanup_free char *id = sz_asprintf("%s/%s", l->lab->name, l->lab->steps[i].id);

	if (l->passed[i] || sz_progress_is_done(&app->tutor.progress, SZ_PROGRESS_STEP, id))
		return "✓";
	if (l->records[i].ran || l->records[i].checks.n > 0)
		return "✗";
	return "·";
}

/* One line per step: its mark, number, kind and the start of its text. */
static void step_list(struct tui_view *v, struct tui *app, const struct sz_lab_text *texts)
{
	const struct sz_live_lab *l = &app->lab->live;
	size_t demo_w = sz_display_width(kind_name(SZ_LAB_DEMO)),
	       task_w = sz_display_width(kind_name(SZ_LAB_TASK));
	size_t kind_w = demo_w > task_w ? demo_w : task_w;

	for (size_t i = 0; i < l->lab->n_steps; i++) {
		const struct sz_lab_step *step = &l->lab->steps[i];
		const struct sz_step_text *t = NULL;
		size_t pad = kind_w - sz_display_width(kind_name(step->kind));

		for (size_t j = 0; texts != NULL && j < texts->n_steps; j++)
			if (strcmp(texts->steps[j].id, step->id) == 0)
				t = &texts->steps[j];
		tui_doc_linef(&v->doc, i == l->step ? TUI_STYLE_SELECTED : TUI_STYLE_BODY, -1,
		              "%s%s %zu %s%*s %s", i == l->step ? "▸ " : "  ", mark(app, l, i), i + 1,
		              kind_name(step->kind), (int)pad, "", t != NULL ? t->text : step->id);
		v->doc.lines[v->doc.n - 1].spans = true; /* `code` in the text */
	}
}

/* The verdict of the step's last run, once it is over. */
static void verdict(struct tui_view *v, const struct sz_live_lab *l)
{
	const struct sz_step_record *rec = &l->records[l->step];

	if (!rec->ran && rec->checks.n == 0)
		return;
	if (rec->verdict == SZ_VERDICT_PASS)
		/* TRANSLATORS: a lab step's verdict */
		tui_doc_line(&v->doc, TUI_STYLE_OK, -1, _("✓ Done."));
	else if (rec->reason != NULL)
		/* TRANSLATORS: a lab step's verdict, then why: "✗ Not yet: exit status 1, not 137" */
		tui_doc_linef(&v->doc, TUI_STYLE_FAIL, -1, _("✗ Not yet: %s"), rec->reason);
	else
		tui_doc_line(&v->doc, TUI_STYLE_FAIL, -1, _("✗ Not yet: the checks above do not hold."));
}

static void hints(struct tui_view *v, const struct sz_live_lab *l, const struct sz_step_text *t)
{
	size_t shown = l->hints_shown[l->step];

	for (size_t i = 0; t != NULL && i < shown && i < t->n_hints; i++) {
		/* TRANSLATORS: before a lab task's hint: "Hint 1: look at ..." */
		cleanup_free char *label = sz_asprintf(_("Hint %zu:"), i + 1);
		cleanup_free char *first = sz_asprintf("%s ", label);

		tui_doc_wrap(&v->doc, TUI_STYLE_NOTE, -1, first, "  ", t->hints[i]);
	}
}

/* A check by its label in the learner's language (as written when it has none). */
static void check_line(struct tui_view *v, struct tui *app, const struct tui_entry *e)
{
	const struct sz_live_lab *l = &app->lab->live;
	const char *label =
	    sz_lab_check_label(&app->tutor.course, l->lab, sz_live_lab_step(l), (size_t)e->check);
	cleanup_free char *line = sz_asprintf(
	    "%s %s%s%s", e->style == TUI_STYLE_OK ? "✓" : "✗", label != NULL ? label : e->text.buf,
	    e->detail != NULL ? " — " : "", e->detail != NULL ? e->detail : "");

	tui_doc_wrap(&v->doc, e->style, -1, "", "  ", line);
}

static void transcript(struct tui_view *v, struct tui *app, const struct tui_transcript *t)
{
	for (size_t i = 0; i < t->n; i++) {
		const struct tui_entry *e = &t->items[i];

		if (e->check >= 0)
			check_line(v, app, e);
		else if (e->style == TUI_STYLE_OUTPUT || e->style == TUI_STYLE_CODE)
			tui_doc_verbatim(&v->doc, e->style, -1, e->style == TUI_STYLE_OUTPUT ? "  " : "",
			                 e->text.buf, e->text.len, true);
		else
			tui_doc_wrap(&v->doc, e->style, -1, "", "  ", e->text.buf);
	}
}

/* What to do now, under the step's text. */
static const char *what_now(const struct sz_live_lab *l, const struct sz_lab_step *step)
{
	if (step->kind == SZ_LAB_DEMO)
		return l->records[l->step].ran ? _("Enter runs it again; n goes to the next step.")
		                               : _("Press Enter to run it.");
	return _("Do it in the lab's shell (!), then press Enter to check. h gives a hint, s the solution.");
}

static void current_step(struct tui_view *v, struct tui *app, const struct sz_step_text *t)
{
	struct tui_lab *tl = app->lab;
	const struct sz_live_lab *l = &tl->live;
	const struct sz_lab_step *step = sz_live_lab_step(l);

	/* TRANSLATORS: a lab step's heading: "Step 2 of 5: task" */
	tui_doc_linef(&v->doc, TUI_STYLE_HEADING, -1, _("Step %zu of %zu: %s"), l->step + 1, l->lab->n_steps,
	              kind_name(step->kind));
	tui_doc_wrap(&v->doc, TUI_STYLE_BODY, -1, "", "",
	             t != NULL ? t->text : _("[this text is missing in this language]"));
	hints(v, l, t);
	tui_doc_blank(&v->doc);
	tui_doc_wrap(&v->doc, TUI_STYLE_DIM, -1, "", "", what_now(l, step));
	tui_doc_blank(&v->doc);
	transcript(v, app, &tl->transcripts[l->step]);
	if (!tl->streaming)
		verdict(v, l);
	if (l->passed[l->step] && t != NULL && t->explain != NULL && !tl->streaming) {
		tui_doc_blank(&v->doc);
		tui_doc_wrap(&v->doc, TUI_STYLE_TIP, -1, "", "", t->explain);
	}
	if (sz_live_lab_finished(l) && !tl->streaming) {
		tui_doc_blank(&v->doc);
		tui_doc_wrap(
		    &v->doc, TUI_STYLE_OK, -1, "", "",
		    _("Every step of this lab is done. Esc leaves the lab and removes its container."));
	}
}

static void layout_live(struct tui_view *v, struct tui *app)
{
	const struct sz_live_lab *l = &app->lab->live;
	const struct sz_lab_text *texts = sz_live_lab_texts(l, &app->tutor.course);

	/* TRANSLATORS: the heading of a lab in play: "Lab cgroups/memory-kill: Eat too much, get killed" */
	tui_doc_linef(&v->doc, TUI_STYLE_TITLE, -1, _("Lab %s: %s"), l->lab->name,
	              texts != NULL ? texts->title : "");
	if (texts != NULL)
		tui_doc_wrap(&v->doc, TUI_STYLE_DIM, -1, "", "", texts->intro);
	tui_doc_blank(&v->doc);
	step_list(v, app, texts);
	tui_doc_blank(&v->doc);
	current_step(v, app, sz_live_lab_step_text(l, &app->tutor.course));
}

static void layout(struct tui_view *v, struct tui *app, int cols)
{
	struct lab_view *s = v->state;
	struct tui_lab *tl = tui_lab_get(app);

	tui_doc_reset(&v->doc, (size_t)cols);
	if (tl->up)
		layout_live(v, app);
	else
		layout_choose(v, app);
	if (tl->streaming)
		s->to_end = true;
}

static void draw(struct tui_view *v, struct tui *app, struct tui_pane *p)
{
	struct lab_view *s = v->state;
	long cursor = tui_doc_find(&v->doc, TAG_CURSOR);

	v->rows = (size_t)p->rows;
	if (s->to_end)
		tui_doc_scroll_to(&v->doc, v->doc.n, v->rows);
	else if (cursor >= 0 && ((size_t)cursor < v->doc.top || (size_t)cursor >= v->doc.top + v->rows))
		tui_doc_scroll_to(&v->doc, (size_t)cursor, v->rows);
	s->to_end = false;
	tui_view_draw_doc(v, p);
}

/* ---- requests ------------------------------------------------------------ */

static void start(struct tui_view *v, struct tui *app)
{
	struct lab_view *s = v->state;
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);
	const struct sz_lab *lab;

	if (s->cursor >= ch->n_labs)
		return;
	lab = tui_lab_find(app->lab, ch->id, ch->labs[s->cursor].id);
	if (lab == NULL) {
		tui_message(app, TUI_STYLE_FAIL, "%s", _("This lab has no lab file: it cannot run."));
		return;
	}
	tui_message(app, TUI_STYLE_DIM, "%s", _("Starting the lab's container..."));
	tui_frame(app);
	if (tui_lab_start(app->lab, lab) == 0)
		tui_message(app, TUI_STYLE_DIM, "%s", _("The lab is up."));
	v->doc.top = 0;
	v->stale = true;
}

static void hint_request(struct tui *app)
{
	struct sz_live_lab *l = &app->lab->live;
	const struct sz_step_text *t = sz_live_lab_step_text(l, &app->tutor.course);

	if (sz_live_lab_step(l)->kind != SZ_LAB_TASK || t == NULL || t->n_hints == 0)
		tui_message(app, TUI_STYLE_DIM, "%s", _("This step has no hints."));
	else if (sz_live_lab_next_hint(l, t->n_hints) < 0)
		tui_message(app, TUI_STYLE_DIM, "%s", _("That was the last hint: s shows the solution."));
}

static void solution_request(struct tui *app)
{
	if (sz_live_lab_step(&app->lab->live)->kind != SZ_LAB_TASK) {
		tui_message(app, TUI_STYLE_DIM, "%s",
		            _("Only a task has a solution: press Enter to run this step."));
		return;
	}
	if (tui_confirm(
	        app, REQ_SOLUTION,
	        _("Press s again to have the solution typed into the lab's shell (any other key: no).")))
		tui_lab_solve(app->lab);
}

static void move_step(struct tui *app, bool forward)
{
	struct sz_live_lab *l = &app->lab->live;

	if (!(forward ? sz_live_lab_next(l) : sz_live_lab_prev(l)))
		tui_message(app, TUI_STYLE_DIM, "%s",
		            forward ? _("This is the lab's last step.") : _("This is the lab's first step."));
}

static enum tui_request live_request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct lab_view *s = v->state;

	switch (req) {
	case REQ_UP:
	case REQ_DOWN:
	case REQ_PAGE_UP:
	case REQ_PAGE_DOWN: tui_view_scroll(v, req); return REQ_NONE;
	case REQ_ENTER: tui_lab_run_step(app->lab); break;
	case REQ_NEXT: move_step(app, true); break;
	case REQ_PREV: move_step(app, false); break;
	case REQ_HINT: hint_request(app); break;
	case REQ_SOLUTION: solution_request(app); break;
	case REQ_SHELL: tui_lab_shell(app->lab); break;
	case REQ_BACK:
		if (!tui_confirm(app, REQ_BACK,
		                 _("Press Esc again to leave the lab: its container will be removed.")))
			return REQ_NONE;
		tui_lab_stop(app->lab);
		tui_message(app, TUI_STYLE_DIM, "%s", _("You left the lab; its container is gone."));
		break;
	default: return req;
	}
	v->stale = true;
	s->to_end = req == REQ_ENTER || req == REQ_SOLUTION;
	return REQ_NONE;
}

static enum tui_request choose_request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct lab_view *s = v->state;
	size_t n = sz_tutor_chapter(&app->tutor)->n_labs;

	switch (req) {
	case REQ_UP:
	case REQ_PREV:
		if (s->cursor > 0)
			s->cursor--;
		break;
	case REQ_DOWN:
	case REQ_NEXT:
		if (s->cursor + 1 < n)
			s->cursor++;
		break;
	case REQ_ENTER: start(v, app); break;
	case REQ_HINT: return REQ_LEFT; /* h is h outside a lab */
	case REQ_SOLUTION: return REQ_NONE;
	case REQ_SHELL:
		tui_message(app, TUI_STYLE_DIM, "%s",
		            _("Start a lab first (Enter): its shell is in its container."));
		return REQ_NONE;
	default: return req;
	}
	v->stale = true;
	return REQ_NONE;
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct tui_lab *tl = tui_lab_get(app);

	return tl->up ? live_request(v, app, req) : choose_request(v, app, req);
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	if (app->lab == NULL || !app->lab->up)
		return _("Up/Down: choose  Enter: start the lab  r: read  ?: help  q: quit");
	if (sz_live_lab_step(&app->lab->live)->kind == SZ_LAB_TASK)
		return _(
		    "!: shell  Enter: check  h: hint  s: solution  n/p: step  Esc: leave the lab  ?: help");
	return _("Enter: run  n/p: step  !: shell  Esc: leave the lab  ?: help  q: quit");
}

static char *where(struct tui_view *v, struct tui *app)
{
	if (app->lab == NULL || !app->lab->up)
		return sz_xstrdup(_("labs"));
	/* TRANSLATORS: the title line in a lab: the lab's name, step 2 of 4 */
	return sz_asprintf(_("%s step %zu/%zu"), app->lab->live.lab->name, app->lab->live.step + 1,
	                   app->lab->live.lab->n_steps);
}

const struct tui_view_ops tui_lab_ops = {
    .keymap = TUI_KEYMAP_LAB,
    .state_size = sizeof(struct lab_view),
    .layout = layout,
    .draw = draw,
    .request = request,
    .hint = hint,
    .where = where,
};
