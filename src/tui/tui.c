/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.c - the full-screen tutorial: the main loop, keys to requests to views, frames, the terminal given back
 */
#include "tui/tui.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "tui/labplay.h"
#include "tui/signals.h"

static const struct tui_view_ops *const view_ops[TUI_VIEW_COUNT] = {
    [TUI_VIEW_CHAPTERS] = &tui_chapters_ops, [TUI_VIEW_READER] = &tui_reader_ops,
    [TUI_VIEW_LAB] = &tui_lab_ops,           [TUI_VIEW_QUIZ] = &tui_quiz_ops,
    [TUI_VIEW_GLOSSARY] = &tui_glossary_ops, [TUI_VIEW_HELP] = &tui_help_ops,
};

/* ---- what the views use -------------------------------------------------- */

void tui_message(struct tui *app, enum tui_style style, const char *fmt, ...)
{
	va_list ap;

	free(app->message);
	va_start(ap, fmt);
	app->message = sz_vasprintf(fmt, ap);
	va_end(ap);
	app->message_style = style;
}

void tui_model_changed(struct tui *app)
{
	for (int i = 0; i < TUI_VIEW_COUNT; i++)
		app->views[i].stale = true;
}

void tui_save(struct tui *app)
{
	sz_error_t err = NULL;

	if (sz_tutor_save(&app->tutor, &err) < 0)
		tui_message(app, TUI_STYLE_FAIL, "%s", sz_error_msg(err));
	sz_error_release(&err);
}

void tui_show(struct tui *app, enum tui_view_id id)
{
	if (id == TUI_VIEW_CHAPTERS) {
		app->focus_list = true;
		return;
	}
	app->page = id;
	app->focus_list = false;
}

bool tui_confirm(struct tui *app, enum tui_request req, const char *text)
{
	if (app->confirmed)
		return true;
	app->confirm = req;
	tui_message(app, TUI_STYLE_NOTE, "%s", text);
	return false;
}

void tui_follow_resize(struct tui *app)
{
	if (tui_signals_take_resize() && tui_display_resize(&app->display))
		tui_model_changed(app);
}

/* Poll what signals asked for (resize, stop); true when the TUI must stop. */
static bool tui_poll_signals(struct tui *app)
{
	int sig = tui_signals_stop();

	if (sig != 0) {
		app->stop_signal = sig;
		app->quit = true;
	}
	tui_follow_resize(app);
	return app->quit;
}

/* ---- frames -------------------------------------------------------------- */

static void draw_view(struct tui *app, enum tui_view_id id, struct tui_pane *p)
{
	struct tui_view *v = &app->views[id];

	if (v->ops->layout != NULL && (v->stale || v->cols != p->cols)) {
		v->ops->layout(v, app, p->cols);
		v->cols = p->cols;
	}
	v->stale = false;
	tui_draw_clear(p);
	if (v->ops->draw != NULL)
		v->ops->draw(v, app, p);
	else
		tui_view_draw_doc(v, p);
}

static const char *lang_name(const char *lang)
{
	if (strcmp(lang, "en") == 0)
		return "English";
	if (strcmp(lang, "it") == 0)
		return "italiano";
	return lang;
}

static void title(struct tui *app)
{
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);
	struct tui_view *v = &app->views[app->page];
	cleanup_free char *where = v->ops->where != NULL ? v->ops->where(v, app) : NULL;
	cleanup_free char *left = sz_asprintf("stanza · %u. %s", ch->number, ch->title);
	cleanup_free char *right = sz_asprintf("%s%s%s", where != NULL ? where : "",
	                                       where != NULL ? " · " : "", lang_name(app->tutor.lang));

	tui_display_title(&app->display, left, right);
}

static struct tui_view *focused(struct tui *app)
{
	if (app->help)
		return &app->views[TUI_VIEW_HELP];
	return &app->views[app->focus_list ? TUI_VIEW_CHAPTERS : app->page];
}

static void status(struct tui *app)
{
	struct tui_view *v = focused(app);

	if (app->message != NULL)
		tui_display_status(&app->display, app->message_style, app->message);
	else
		tui_display_status(&app->display, TUI_STYLE_BAR, v->ops->hint(v, app));
}

void tui_frame(struct tui *app)
{
	struct tui_display *d = &app->display;

	app->last_frame_ns = sz_now_ns();
	if (d->too_small) {
		tui_display_too_small(d);
		tui_display_update(d);
		return;
	}
	d->left.focused = app->focus_list && !app->help;
	d->main.focused = !app->focus_list && !app->help;
	draw_view(app, app->page, &d->main);
	draw_view(app, TUI_VIEW_CHAPTERS, &d->left);
	title(app);
	if (app->help)
		draw_view(app, TUI_VIEW_HELP, tui_display_overlay(d, d->rows, 72));
	status(app);
	tui_display_update(d);
}

/* ---- requests -------------------------------------------------------------- */

static void switch_lang(struct tui *app)
{
	struct sz_tutor *t = &app->tutor;
	sz_error_t err = NULL;
	size_t i = 0;

	if (t->n_langs < 2) {
		tui_message(app, TUI_STYLE_DIM, "%s", _("The course has only one language."));
		return;
	}
	while (i < t->n_langs && strcmp(t->langs[i], t->lang) != 0)
		i++;
	if (sz_tutor_set_lang(t, t->langs[(i + 1) % t->n_langs], &err) < 0) {
		tui_message(app, TUI_STYLE_FAIL, "%s", sz_error_msg(err));
		sz_error_release(&err);
		return;
	}
	tui_model_changed(app);
	tui_save(app);
}

/* What no view took. */
static void app_request(struct tui *app, enum tui_request req)
{
	switch (req) {
	case REQ_QUIT: app->quit = true; break;
	case REQ_HELP: app->help = true; break;
	case REQ_LANG: switch_lang(app); break;
	case REQ_TAB: app->focus_list = !app->focus_list; break;
	case REQ_LEFT:
	case REQ_VIEW_CHAPTERS: app->focus_list = true; break;
	case REQ_RIGHT: app->focus_list = false; break;
	case REQ_BACK:
		tui_show(app, app->page == TUI_VIEW_READER ? TUI_VIEW_CHAPTERS : TUI_VIEW_READER);
		break;
	case REQ_VIEW_READER: tui_show(app, TUI_VIEW_READER); break;
	case REQ_VIEW_LAB: tui_show(app, TUI_VIEW_LAB); break;
	case REQ_VIEW_QUIZ: tui_show(app, TUI_VIEW_QUIZ); break;
	case REQ_VIEW_GLOSSARY: tui_show(app, TUI_VIEW_GLOSSARY); break;
	case REQ_SEARCH:
		tui_show(app, TUI_VIEW_GLOSSARY);
		app->views[TUI_VIEW_GLOSSARY].ops->request(&app->views[TUI_VIEW_GLOSSARY], app, REQ_SEARCH);
		break;
	case REQ_REDRAW: tui_display_redraw(&app->display); break;
	default: break;
	}
}

static void handle_key(struct tui *app, int key)
{
	enum tui_request waiting = app->confirm;
	struct tui_view *v = focused(app);
	enum tui_request req;

	free(app->message);
	app->message = NULL;
	app->confirm = REQ_NONE;
	if (v->ops->key != NULL && v->ops->key(v, app, key))
		return;
	req = tui_key_request(v->ops->keymap, key);
	if (app->display.too_small && req != REQ_QUIT)
		return;
	app->confirmed = req != REQ_NONE && req == waiting;
	req = v->ops->request(v, app, req);
	app->confirmed = false;
	app_request(app, req);
}

/* ---- the loop -------------------------------------------------------------- */

/* Wait for a key or a signal; false when the terminal is gone. */
static bool wait_input(struct tui *app, const struct tui_signals *sigs)
{
	struct pollfd fds[2] = {{STDIN_FILENO, POLLIN, 0}, {-1, POLLIN, 0}};

	if (app->lab != NULL && app->lab->up)
		fds[1].fd = sz_live_lab_signal_fd(&app->lab->live);
	if (tui_signals_wait(sigs, fds, 2, -1) < 0)
		return errno == EINTR;
	if (fds[1].revents & POLLIN) {
		/* a signal that came while a lab step ran, left for us */
		struct signalfd_siginfo si;

		if (read(fds[1].fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
			app->stop_signal = (int)si.ssi_signo;
			app->quit = true;
		}
	}
	return !(fds[0].revents & (POLLHUP | POLLERR | POLLNVAL));
}

static void run(struct tui *app, const struct tui_signals *sigs)
{
	tui_frame(app);
	if (app->opts->exit_after_first_frame)
		return;
	while (!tui_poll_signals(app)) {
		int key;

		if (!wait_input(app, sigs)) {
			app->stop_signal = SIGHUP;
			break;
		}
		while (!app->quit && (key = tui_display_key(&app->display)) != ERR)
			handle_key(app, key);
		if (tui_poll_signals(app))
			break;
		tui_frame(app);
	}
}

static void views_init(struct tui *app)
{
	for (int i = 0; i < TUI_VIEW_COUNT; i++) {
		app->views[i].ops = view_ops[i];
		app->views[i].state = sz_xcalloc(1, view_ops[i]->state_size);
		tui_doc_init(&app->views[i].doc);
		app->views[i].stale = true;
	}
	app->page = TUI_VIEW_READER;
}

static void views_release(struct tui *app)
{
	for (int i = 0; i < TUI_VIEW_COUNT; i++) {
		tui_doc_release(&app->views[i].doc);
		free(app->views[i].state);
	}
}

/* The course opened where the learner left off, following a new version. */
static int open_tutor(struct tui *app, const struct sz_tui_options *o, char **notice, sz_error_t *err)
{
	const struct sz_progress *p = &app->tutor.progress;

	if (sz_tutor_open(&app->tutor, o->content_dir, o->lang, o->progress_dir, notice, err) < 0)
		return -1;
	/* nothing recorded yet: no language was last used */
	if (o->lang == NULL && o->new_learner_lang != NULL && p->n_entries == 0 && p->where_chapter == NULL &&
	    strcmp(app->tutor.lang, o->new_learner_lang) != 0 &&
	    sz_tutor_set_lang(&app->tutor, o->new_learner_lang, err) < 0)
		sz_error_release(err);
	if (o->course_version != NULL && sz_tutor_follow_version(&app->tutor, o->course_version, err) < 0) {
		free(*notice);
		*notice = sz_error_take_msg(err);
	}
	return 0;
}

int sz_tui_run(const struct sz_tui_options *o, sz_error_t *err)
{
	struct tui app;
	struct tui_signals sigs = {0};
	cleanup_free char *notice = NULL;

	memset(&app, 0, sizeof(app));
	app.opts = o;
	if (open_tutor(&app, o, &notice, err) < 0)
		return -1;
	tui_signals_install(&sigs);
	if (tui_display_open(&app.display, o->no_color, err) < 0) {
		tui_signals_restore(&sigs);
		sz_tutor_release(&app.tutor);
		return -1;
	}
	views_init(&app);
	if (notice != NULL)
		tui_message(&app, TUI_STYLE_FAIL, "%s", notice);
	run(&app, &sigs);
	tui_display_close(&app.display);
	tui_lab_free(&app);
	tui_signals_restore(&sigs);
	/* every change was saved as it was made (tui_save) */
	views_release(&app);
	free(app.message);
	sz_tutor_release(&app.tutor);
	return app.stop_signal != 0 ? 128 + app.stop_signal : 0;
}
