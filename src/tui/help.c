/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help.c - the help overlay (`?`): every key and what it does, from the keymap's table */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "tui/app.h"
#include "tui/draw.h"

#define KEYS_COLS 24 /* the columns the keys take */

struct help {
	struct tui_doc doc;
	size_t rows;
};

static void key_line(struct tui_doc *d, const struct tui_key_help *h)
{
	size_t w = sz_display_width(h->keys);
	cleanup_free char *first = NULL;
	char pad[KEYS_COLS + 1];

	memset(pad, ' ', KEYS_COLS);
	pad[KEYS_COLS] = '\0';
	first = sz_asprintf("  %s%s", h->keys, w + 3 <= KEYS_COLS ? pad + w + 2 : " ");
	tui_doc_wrap(d, TUI_STYLE_BODY, -1, first, pad, h->help);
}

static void layout(struct tui_view *v, struct tui *app, int cols)
{
	struct help *s = v->state;
	size_t n = tui_keymap_help_count();
	cleanup_free struct tui_key_help *lines = sz_xcalloc(n, sizeof(*lines));

	tui_doc_reset(&s->doc, (size_t)cols);
	/* TRANSLATORS: the title of the help overlay */
	tui_doc_line(&s->doc, TUI_STYLE_TITLE, -1, _("stanza: the keys"));
	n = tui_keymap_help(lines, n);
	for (size_t i = 0; i < n; i++) {
		if (lines[i].section != NULL) {
			tui_doc_blank(&s->doc);
			tui_doc_line(&s->doc, TUI_STYLE_HEADING, -1, lines[i].section);
		}
		key_line(&s->doc, &lines[i]);
	}
	tui_doc_blank(&s->doc);
	tui_doc_wrap(
	    &s->doc, TUI_STYLE_DIM, -1, "", "",
	    _("Your place, your answers and your labs are saved as you go. Esc, q or ? closes this help."));
}

static void draw(struct tui_view *v, struct tui *app, struct tui_pane *p)
{
	struct help *s = v->state;

	s->rows = (size_t)p->rows;
	tui_doc_scroll(&s->doc, 0, s->rows);
	tui_draw_doc(p, 0, p->rows, &s->doc);
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct help *s = v->state;
	long page = s->rows > 2 ? (long)s->rows - 2 : 1;

	switch (req) {
	case REQ_UP: tui_doc_scroll(&s->doc, -1, s->rows); break;
	case REQ_DOWN: tui_doc_scroll(&s->doc, 1, s->rows); break;
	case REQ_PAGE_UP: tui_doc_scroll(&s->doc, -page, s->rows); break;
	case REQ_PAGE_DOWN: tui_doc_scroll(&s->doc, page, s->rows); break;
	case REQ_TOP: tui_doc_scroll_to(&s->doc, 0, s->rows); break;
	case REQ_BOTTOM: tui_doc_scroll_to(&s->doc, s->doc.n, s->rows); break;
	case REQ_QUIT:
	case REQ_BACK:
	case REQ_HELP:
	case REQ_ENTER:
		app->help = false;
		tui_display_overlay_close(&app->display);
		break;
	case REQ_LANG:
	case REQ_REDRAW: return req;
	default: break;
	}
	return REQ_NONE;
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	return _("Up/Down: scroll  Esc, q or ?: close the help");
}

static void release(struct tui_view *v)
{
	struct help *s = v->state;

	tui_doc_release(&s->doc);
}

const struct tui_view_ops tui_help_ops = {
    .name = "help",
    .keymap = TUI_KEYMAP_GENERIC,
    .state_size = sizeof(struct help),
    .layout = layout,
    .draw = draw,
    .request = request,
    .hint = hint,
    .release = release,
};
