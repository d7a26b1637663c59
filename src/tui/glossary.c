/* SPDX-License-Identifier: GPL-3.0-or-later */
/* glossary.c - the course's glossary, every chapter's terms, narrowed as a search is typed */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "tui/app.h"

#define MAX_NEEDLE 64
#define KEY_ESC    27

struct glossary {
	char needle[MAX_NEEDLE + 1];
	bool searching; /* keys go to the needle */
	char hint[MAX_NEEDLE + 128];
};

static size_t count_all(const struct tui *app)
{
	const struct sz_term **all = NULL;
	size_t n = sz_tutor_glossary(&app->tutor, NULL, &all);

	free(all);
	return n;
}

static void layout(struct tui_view *v, struct tui *app, int cols)
{
	struct glossary *s = v->state;
	const struct sz_term **found = NULL;
	size_t n = sz_tutor_glossary(&app->tutor, s->needle, &found);

	tui_doc_reset(&v->doc, (size_t)cols);
	/* TRANSLATORS: the heading of the glossary view */
	tui_doc_line(&v->doc, TUI_STYLE_TITLE, -1, _("Glossary"));
	if (s->needle[0] == '\0')
		tui_doc_linef(&v->doc, TUI_STYLE_DIM, -1, Q_("%zu term", "%zu terms", n), n);
	else
		/* TRANSLATORS: "3 of 40 terms match 'cgroup'" */
		tui_doc_linef(&v->doc, TUI_STYLE_DIM, -1, _("%zu of %zu terms match '%s'"), n, count_all(app),
		              s->needle);
	tui_doc_blank(&v->doc);
	for (size_t i = 0; i < n; i++) {
		tui_doc_wrap(&v->doc, TUI_STYLE_HEADING, (int)i, "", "", found[i]->term);
		tui_doc_wrap(&v->doc, TUI_STYLE_BODY, (int)i, "  ", "  ", found[i]->definition);
		tui_doc_blank(&v->doc);
	}
	if (n == 0)
		tui_doc_wrap(&v->doc, TUI_STYLE_DIM, -1, "", "",
		             _("No term matches. Esc clears the search."));
	free(found);
	tui_doc_scroll(&v->doc, 0, v->rows);
}

/* Drop the needle's last character (a whole UTF-8 sequence). */
static void backspace(struct glossary *s)
{
	size_t len = strlen(s->needle);

	while (len > 0 && ((unsigned char)s->needle[len - 1] & 0xc0) == 0x80)
		len--;
	if (len > 0)
		len--;
	s->needle[len] = '\0';
}

static bool key(struct tui_view *v, struct tui *app, int k)
{
	struct glossary *s = v->state;
	size_t len = strlen(s->needle);

	if (!s->searching)
		return false;
	if (k == '\n' || k == '\r' || k == KEY_ENTER) {
		s->searching = false;
	} else if (k == KEY_ESC) {
		s->searching = false;
		s->needle[0] = '\0';
	} else if (k == KEY_BACKSPACE || k == 127 || k == '\b') {
		backspace(s);
	} else if (k >= 0x20 && k <= 0xff && k != 0x7f && len < MAX_NEEDLE) {
		s->needle[len] = (char)k;
		s->needle[len + 1] = '\0';
	} else {
		return true;
	}
	v->doc.top = 0;
	v->stale = true;
	return true;
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	struct glossary *s = v->state;

	if (tui_view_scroll(v, req))
		return REQ_NONE;
	switch (req) {
	case REQ_SEARCH: s->searching = true; break;
	case REQ_BACK:
		if (s->needle[0] == '\0')
			return req;
		s->needle[0] = '\0';
		v->stale = true;
		break;
	default: return req;
	}
	return REQ_NONE;
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	struct glossary *s = v->state;

	if (!s->searching)
		return _("/: search  Esc: clear  Space/b: page  r: read  ?: help  q: quit");
	/* TRANSLATORS: the status line while a glossary search is typed */
	snprintf(s->hint, sizeof(s->hint), _("Search: %s_   (Enter: done, Esc: clear)"), s->needle);
	return s->hint;
}

const struct tui_view_ops tui_glossary_ops = {
    .keymap = TUI_KEYMAP_GENERIC,
    .state_size = sizeof(struct glossary),
    .layout = layout,
    .request = request,
    .key = key,
    .hint = hint,
};
