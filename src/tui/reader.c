/* SPDX-License-Identifier: GPL-3.0-or-later */
/* reader.c - the reading pane: the current chapter laid out (headings, wrapped prose, code, notes), scrolled
 */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "tui/app.h"

#define TAG_END (-2) /* the lines after the last section */

struct reader {
	bool scroll_to_section; /* after a layout: show the tutor's section */
};

static char *spaces(size_t n)
{
	char *s = sz_xmalloc(n + 1);

	memset(s, ' ', n);
	s[n] = '\0';
	return s;
}

/* A label ("Note:") and the text after it, the next lines under the text. */
static void labelled(struct tui_doc *d, enum tui_style style, int tag, const char *label, const char *text)
{
	cleanup_free char *first = sz_asprintf("%s ", label);
	cleanup_free char *indent = spaces(sz_display_width(first));

	tui_doc_wrap(d, style, tag, first, indent, text);
}

static void block(struct tui_doc *d, int tag, const struct sz_block *b)
{
	switch (b->kind) {
	case SZ_BLOCK_PARA: tui_doc_wrap(d, TUI_STYLE_BODY, tag, "", "", b->text); break;
	case SZ_BLOCK_CODE:
		tui_doc_verbatim(d, TUI_STYLE_CODE, tag, "  ", b->text, strlen(b->text), false);
		break;
	/* TRANSLATORS: the label before a note in a chapter: "Note: a limit does not change..." */
	case SZ_BLOCK_NOTE: labelled(d, TUI_STYLE_NOTE, tag, _("Note:"), b->text); break;
	/* TRANSLATORS: the label before a tip in a chapter: "Tip: try it with..." */
	case SZ_BLOCK_TIP: labelled(d, TUI_STYLE_TIP, tag, _("Tip:"), b->text); break;
	}
	tui_doc_line(d, TUI_STYLE_BODY, tag, "");
}

/* What to do at the end of a chapter. */
static void footer(struct tui_doc *d, const struct sz_chapter *ch, bool last)
{
	if (ch->n_labs > 0)
		tui_doc_wrap(d, TUI_STYLE_DIM, TAG_END, "", "",
		             _("End of the chapter. Try its labs (a), its quiz (z), or go on (n)."));
	else
		tui_doc_wrap(d, TUI_STYLE_DIM, TAG_END, "", "",
		             _("End of the chapter. Try its quiz (z), or go on (n)."));
	if (last)
		tui_doc_wrap(d, TUI_STYLE_DIM, TAG_END, "", "", _("This is the last chapter of the course."));
}

static void layout(struct tui_view *v, struct tui *app, int cols)
{
	struct reader *s = v->state;
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);
	cleanup_free char *title = sz_asprintf("%u. %s", ch->number, ch->title);
	/* TRANSLATORS: before a chapter's summary: "In one sentence: a cgroup puts a ceiling..." */
	cleanup_free char *summary = sz_asprintf("%s %s", _("In one sentence:"), ch->summary);

	tui_doc_reset(&v->doc, (size_t)cols);
	tui_doc_wrap(&v->doc, TUI_STYLE_TITLE, 0, "", "", title);
	tui_doc_blank(&v->doc);
	tui_doc_wrap(&v->doc, TUI_STYLE_DIM, 0, "", "", summary);
	tui_doc_line(&v->doc, TUI_STYLE_BODY, 0, "");
	/* each block ends with a blank line: none is needed before a heading */
	for (size_t i = 0; i < ch->n_sections; i++) {
		const struct sz_section *sec = &ch->sections[i];

		tui_doc_wrap(&v->doc, TUI_STYLE_HEADING, (int)i, "", "", sec->title);
		tui_doc_line(&v->doc, TUI_STYLE_BODY, (int)i, "");
		for (size_t b = 0; b < sec->n_blocks; b++)
			block(&v->doc, (int)i, &sec->blocks[b]);
	}
	footer(&v->doc, ch, app->tutor.chapter + 1 == app->tutor.course.n_chapters);
	s->scroll_to_section = true;
}

/* The first line of section i: its heading (for the first section, the
 * chapter's title: the top). */
static size_t section_line(const struct tui_view *v, size_t i)
{
	long at = i == 0 ? 0 : tui_doc_find(&v->doc, (int)i);

	return at < 0 ? 0 : (size_t)at;
}

/* The tutor follows what is read: the section at the top of the pane (at
 * the end, a later one whose heading is shown stays), and the chapter is
 * read once its end has been shown. */
static void follow(struct tui_view *v, struct tui *app)
{
	size_t top = v->doc.top;
	int tag = top < v->doc.n ? v->doc.lines[top].tag : 0;
	bool at_end = tui_doc_at_end(&v->doc, v->rows);
	bool changed = false;

	if (at_end && (size_t)tag < app->tutor.section && section_line(v, app->tutor.section) >= top)
		tag = (int)app->tutor.section;
	if (tag >= 0 && (size_t)tag != app->tutor.section) {
		sz_tutor_goto_index(&app->tutor, app->tutor.chapter, (size_t)tag);
		changed = true;
	}
	if (at_end && !sz_progress_is_done(&app->tutor.progress, SZ_PROGRESS_CHAPTER,
	                                   sz_tutor_chapter(&app->tutor)->id)) {
		sz_tutor_mark_read(&app->tutor);
		changed = true;
	}
	if (changed)
		tui_save(app);
}

static void draw(struct tui_view *v, struct tui *app, struct tui_pane *p)
{
	struct reader *s = v->state;

	v->rows = (size_t)p->rows;
	if (s->scroll_to_section) {
		tui_doc_scroll_to(&v->doc, section_line(v, app->tutor.section), v->rows);
		s->scroll_to_section = false;
	}
	tui_view_draw_doc(v, p);
	follow(v, app);
}

/* n and p: the next section (or chapter) with the tutor, then show it. */
static void step(struct tui_view *v, struct tui *app, bool forward)
{
	size_t chapter = app->tutor.chapter;
	bool moved = forward ? sz_tutor_next(&app->tutor) : sz_tutor_prev(&app->tutor);

	if (!moved) {
		tui_message(app, TUI_STYLE_DIM, "%s",
		            forward ? _("This is the end of the course.")
		                    : _("This is the start of the course."));
		return;
	}
	if (app->tutor.chapter != chapter)
		tui_model_changed(app);
	else
		tui_doc_scroll_to(&v->doc, section_line(v, app->tutor.section), v->rows);
	tui_save(app);
}

static enum tui_request request(struct tui_view *v, struct tui *app, enum tui_request req)
{
	switch (req) {
	case REQ_NEXT: step(v, app, true); return REQ_NONE;
	case REQ_PREV: step(v, app, false); return REQ_NONE;
	default: break;
	}
	if (!tui_view_scroll(v, req == REQ_ENTER ? REQ_PAGE_DOWN : req))
		return req;
	/* now, not at the next frame: keys may come faster than frames */
	if (!v->stale)
		follow(v, app);
	return REQ_NONE;
}

static const char *hint(struct tui_view *v, struct tui *app)
{
	return _("Space/b: page  n/p: section  a: labs  z: quiz  g: glossary  L: language  ?: help  q: quit");
}

static char *where(struct tui_view *v, struct tui *app)
{
	const struct sz_chapter *ch = sz_tutor_chapter(&app->tutor);

	/* TRANSLATORS: the title line while reading: section 2 of 5 */
	return sz_asprintf(_("section %zu/%zu"), app->tutor.section + 1, ch->n_sections);
}

const struct tui_view_ops tui_reader_ops = {
    .keymap = TUI_KEYMAP_GENERIC,
    .state_size = sizeof(struct reader),
    .layout = layout,
    .draw = draw,
    .request = request,
    .hint = hint,
    .where = where,
};
