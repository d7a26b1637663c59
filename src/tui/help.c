/* SPDX-License-Identifier: GPL-3.0-or-later */
/* help.c - the help overlay (`?`): every key and what it does, from the keymap's table */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "tui/app.h"

#define KEYS_COLS 24 /* the columns the keys take */

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
	size_t n = tui_keymap_help_count();
	cleanup_free struct tui_key_help *lines = sz_xcalloc(n, sizeof(*lines));

	tui_doc_reset(&v->doc, (size_t)cols);
	/* TRANSLATORS: the title of the help overlay */
	tui_doc_line(&v->doc, TUI_STYLE_TITLE, -1, _("stanza: the keys"));
	n = tui_keymap_help(lines, n);
	for (size_t i = 0; i < n; i++) {
		if (lines[i].section != NULL) {
			tui_doc_blank(&v->doc);
			tui_doc_line(&v->doc, TUI_STYLE_HEADING, -1, lines[i].section);
		}
		key_line(&v->doc, &lines[i]);
	}
	tui_doc_blank(&v->doc);
	tui_doc_wrap(
	    &v->doc, TUI_STYLE_DIM, -1, "", "",
	    _("Your place, your answers and your labs are saved as you go. Esc, q or ? closes this help."));
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	if (tui_view_scroll(v, req))
		return REQ_NONE;
	switch (req) {
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

const struct tui_view_ops tui_help_ops = {
    .keymap = TUI_KEYMAP_GENERIC,
    .layout = layout,
    .request = request,
    .hint = hint,
};
