/* SPDX-License-Identifier: GPL-3.0-or-later */
/* labplay.c - the labs behind the lab view: loaded when first shown, one played live, its steps' transcripts
 */
#include "tui/labplay.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"

#define FRAME_EVERY_NS (40 * 1000 * 1000ull) /* while output streams, at most 25 frames a second */
#define MAX_OUTPUT     (256 * 1024)          /* of one command kept for the screen; the rest is dropped */

/* ---- transcripts ------------------------------------------------------- */

static struct tui_entry *add_entry(struct tui_transcript *t, enum tui_style style, const char *text,
                                   size_t len)
{
	struct tui_entry *e;

	if (t->n == t->cap) {
		t->cap = t->cap > 0 ? t->cap * 2 : 8;
		t->items = sz_xrealloc(t->items, t->cap * sizeof(*t->items));
	}
	e = &t->items[t->n++];
	e->style = style;
	e->check = -1;
	e->detail = NULL;
	sz_buf_init(&e->text, 0);
	sz_buf_add(&e->text, text, len);
	return e;
}

static void clear_transcript(struct tui_transcript *t)
{
	for (size_t i = 0; i < t->n; i++) {
		sz_buf_release(&t->items[i].text);
		free(t->items[i].detail);
	}
	t->n = 0;
}

static void free_transcripts(struct tui_lab *tl)
{
	for (size_t i = 0; tl->transcripts != NULL && i < tl->live.lab->n_steps; i++) {
		clear_transcript(&tl->transcripts[i]);
		free(tl->transcripts[i].items);
	}
	free(tl->transcripts);
	tl->transcripts = NULL;
}

/* ---- the engine's events ------------------------------------------------ */

static struct tui_transcript *transcript_of(struct tui_lab *tl, const struct sz_lab_step *step)
{
	return &tl->transcripts[step - tl->live.lab->steps];
}

/* Show what came, not more often than FRAME_EVERY_NS (force: now). */
static void show(struct tui_lab *tl, bool force)
{
	uint64_t now = sz_now_ns();
	struct tui *app = tl->app;

	app->views[TUI_VIEW_LAB].stale = true;
	if (!force && now - app->last_frame_ns < FRAME_EVERY_NS)
		return;
	tui_follow_resize(app);
	tui_frame(app);
}

static void on_phase(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase, const char *command)
{
	struct tui_lab *tl = ctx;
	struct tui_transcript *t = transcript_of(tl, step);
	cleanup_free char *line = NULL;

	if (command == NULL)
		return;
	if (phase == SZ_PHASE_SOLUTION) {
		/* TRANSLATORS: in a lab, before the solution stanza types for the learner */
		const char *label = _("The solution, typed into the lab's shell:");
		add_entry(t, TUI_STYLE_DIM, label, strlen(label));
	}
	line = sz_asprintf("%s %s",
	                   phase == SZ_PHASE_HOST         ? "host$"
	                   : step->where == SZ_WHERE_HOST ? "host$"
	                                                  : "$",
	                   command);
	add_entry(t, TUI_STYLE_CODE, line, strlen(line));
	show(tl, true);
}

static void on_output(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase, int fd,
                      const char *data, size_t len)
{
	struct tui_lab *tl = ctx;
	struct tui_transcript *t = transcript_of(tl, step);
	struct tui_entry *last = t->n > 0 ? &t->items[t->n - 1] : NULL;

	if (last == NULL || last->style != TUI_STYLE_OUTPUT) {
		add_entry(t, TUI_STYLE_OUTPUT, data, len);
	} else if (last->text.len < MAX_OUTPUT) {
		if (len > MAX_OUTPUT - last->text.len)
			len = MAX_OUTPUT - last->text.len;
		sz_buf_add(&last->text, data, len);
	}
	show(tl, false);
}

static void on_check(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase,
                     const struct sz_check_record *check)
{
	struct tui_lab *tl = ctx;
	struct tui_transcript *t = transcript_of(tl, step);
	struct tui_entry *e =
	    add_entry(t, check->pass ? TUI_STYLE_OK : TUI_STYLE_FAIL, check->text, strlen(check->text));

	e->check = (int)check->index;
	e->detail = check->detail != NULL ? sz_xstrdup(check->detail) : NULL;
	show(tl, true);
}

/* ---- loading ------------------------------------------------------------ */

static void load(struct tui_lab *tl)
{
	struct tui *app = tl->app;
	struct sz_lab_host_options o = {
	    .content_dir = app->tutor.content_dir,
	    .course = &app->tutor.course,
	    .images_dir = app->opts->image_dir,
	    .command = "stanza",
	    .probe = true,
	};
	sz_error_t err = NULL;

	if (sz_lab_host_open(&tl->host, &o, &err) < 0)
		tl->error = sz_error_take_msg(&err);
}

struct tui_lab *tui_lab_get(struct tui *app)
{
	struct tui_lab *tl = app->lab;

	if (tl != NULL)
		return tl;
	tl = app->lab = sz_xcalloc(1, sizeof(*tl));
	tl->app = app;
	tl->events.ctx = tl;
	tl->events.phase = on_phase;
	tl->events.output = on_output;
	tl->events.check_done = on_check;
	load(tl);
	return tl;
}

void tui_lab_free(struct tui *app)
{
	struct tui_lab *tl = app->lab;

	if (tl == NULL)
		return;
	tui_lab_stop(tl);
	sz_lab_host_free(tl->host);
	free(tl->error);
	free(tl);
	app->lab = NULL;
}

const struct sz_lab *tui_lab_find(struct tui_lab *tl, const char *chapter, const char *id)
{
	cleanup_free char *name = sz_asprintf("%s/%s", chapter, id);
	const struct sz_lab *lab = sz_labs_find(sz_lab_host_labs(tl->host), name);

	return lab != NULL && strcmp(lab->chapter, chapter) == 0 ? lab : NULL;
}

char *tui_lab_skip_reason(struct tui_lab *tl, const struct sz_lab *lab)
{
	return sz_lab_host_skip_reason(tl->host, lab);
}

/* ---- playing ------------------------------------------------------------ */

int tui_lab_start(struct tui_lab *tl, const struct sz_lab *lab)
{
	struct sz_live_lab_options o;
	cleanup_free char *skip = NULL;
	struct winsize ws = {0};
	sz_error_t err = NULL;
	int r;

	if (tl->error != NULL) {
		tui_message(tl->app, TUI_STYLE_FAIL, "%s", tl->error);
		return -1;
	}
	sz_lab_host_live_options(tl->host, &o);
	o.events = &tl->events;
	o.tutor = &tl->app->tutor;
	o.term = getenv("TERM");
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
		o.columns = ws.ws_col;
		o.rows = ws.ws_row;
	}
	r = sz_live_lab_start(&tl->live, lab, &o, &skip, &err);
	if (r == 1)
		tui_message(tl->app, TUI_STYLE_FAIL, "%s", skip);
	else if (r < 0)
		tui_message(tl->app, TUI_STYLE_FAIL, "%s", sz_error_msg(err));
	sz_error_release(&err);
	if (r != 0)
		return -1;
	tl->up = true;
	tl->transcripts = sz_xcalloc(lab->n_steps, sizeof(*tl->transcripts));
	return 0;
}

void tui_lab_stop(struct tui_lab *tl)
{
	if (!tl->up)
		return;
	free_transcripts(tl);
	sz_live_lab_stop(&tl->live);
	tl->up = false;
}

/* After a step ran: progress saved, a stop obeyed. */
static void ran(struct tui_lab *tl, int r)
{
	struct sz_live_lab *l = &tl->live;

	if (r < 0) {
		tl->app->quit = true;
		tl->app->stop_signal = l->stop_signal;
		return;
	}
	if (!sz_live_lab_alive(l))
		tui_message(tl->app, TUI_STYLE_FAIL, "%s",
		            _("The lab's container is gone: leave the lab (Esc) and start it again."));
	tui_save(tl->app);
	show(tl, true);
}

/* A demo run or a task's solution typed, its output streamed as it comes. */
static void play(struct tui_lab *tl, int (*act)(struct sz_live_lab *l))
{
	struct sz_live_lab *l = &tl->live;

	clear_transcript(&tl->transcripts[l->step]);
	tl->streaming = true;
	ran(tl, act(l));
	tl->streaming = false;
}

void tui_lab_run_step(struct tui_lab *tl)
{
	play(tl, sz_live_lab_run_demo);
}

void tui_lab_solve(struct tui_lab *tl)
{
	play(tl, sz_live_lab_solve);
}
