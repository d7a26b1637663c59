/* SPDX-License-Identifier: GPL-3.0-or-later */
/* render.c - a chapter as plain text for a stream: wrapped prose, verbatim code, the quiz without its answers
 */
#include "course/render.h"

#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"

#define BODY_INDENT   "  "
#define CODE_INDENT   "    "
#define DETAIL_INDENT "      "
#define BOLD          "\033[1m"
#define NORMAL        "\033[22m"
#define RESET         "\033[0m"
#define MAX_OPTIONS   26 /* options are lettered a) to z) */

void sz_render_options_init(struct sz_render_options *o)
{
	memset(o, 0, sizeof(*o));
	o->width = 80;
	o->quiz = true;
	o->glossary = true;
	o->labs = true;
}

/* One wrapped line; when styled, `code` is shown in bold without its
 * backticks, a span carried over from the line before included. */
static void emit_line(FILE *out, const char *line, bool styled, bool *in_code)
{
	if (!styled) {
		fputs(line, out);
		return;
	}
	if (*in_code)
		fputs(BOLD, out);
	for (const char *p = line; *p != '\0'; p++) {
		if (*p != '`') {
			fputc(*p, out);
			continue;
		}
		*in_code = !*in_code;
		fputs(*in_code ? BOLD : NORMAL, out);
	}
	if (*in_code)
		fputs(NORMAL, out);
}

void sz_render_paragraph(FILE *out, const char *text, const char *first_indent, const char *indent,
                         const struct sz_render_options *o)
{
	size_t first_w = sz_display_width(first_indent), rest_w = sz_display_width(indent);
	const char *prefix = first_indent;
	bool in_code = false;
	struct sz_wrap w;

	sz_wrap_init(&w, text, o->width > first_w ? o->width - first_w : 1);
	while (sz_wrap_next(&w)) {
		fputs(prefix, out);
		emit_line(out, w.line, o->styled, &in_code);
		fputc('\n', out);
		prefix = indent;
		w.width = o->width > rest_w ? o->width - rest_w : 1;
	}
	sz_wrap_release(&w);
}

/* A title on its own lines, underlined with c (as wide as the title, within the width). */
static void heading(FILE *out, const char *title, char c, const struct sz_render_options *o)
{
	size_t width = sz_display_width(title);
	struct sz_wrap w;

	sz_wrap_init(&w, title, o->width);
	while (sz_wrap_next(&w))
		fprintf(out, "%s%s%s\n", o->styled ? BOLD : "", w.line, o->styled ? RESET : "");
	sz_wrap_release(&w);
	for (size_t i = 0; i < width && i < o->width; i++)
		fputc(c, out);
	fputs("\n\n", out);
}

static char *spaces(size_t n)
{
	char *s = sz_xmalloc(n + 1);

	memset(s, ' ', n);
	s[n] = '\0';
	return s;
}

/* A label ("Note:") and the text after it, the next lines under the text. */
static void labelled(FILE *out, const char *label, const char *text, const struct sz_render_options *o)
{
	cleanup_free char *first = sz_asprintf("%s%s ", BODY_INDENT, label);
	cleanup_free char *indent = spaces(sz_display_width(first));

	sz_render_paragraph(out, text, first, indent, o);
}

void sz_render_code(FILE *out, const char *text)
{
	size_t len = strlen(text);

	while (len > 0 && text[len - 1] == '\n')
		len--;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;

		if (n > 0)
			fprintf(out, "%s%.*s", CODE_INDENT, (int)n, text + at);
		fputc('\n', out);
		at += n + 1;
	}
}

static void block(FILE *out, const struct sz_block *b, const struct sz_render_options *o)
{
	switch (b->kind) {
	case SZ_BLOCK_PARA: sz_render_paragraph(out, b->text, BODY_INDENT, BODY_INDENT, o); break;
	case SZ_BLOCK_CODE: sz_render_code(out, b->text); break;
	/* TRANSLATORS: the label before a note in a chapter: "Note: a limit does not change..." */
	case SZ_BLOCK_NOTE: labelled(out, _("Note:"), b->text, o); break;
	/* TRANSLATORS: the label before a tip in a chapter: "Tip: try it with..." */
	case SZ_BLOCK_TIP: labelled(out, _("Tip:"), b->text, o); break;
	}
	fputc('\n', out);
}

static void render_quiz(FILE *out, const struct sz_chapter *ch, const struct sz_render_options *o)
{
	/* TRANSLATORS: the heading of a chapter's quiz in `stanza lessons show` */
	heading(out, _("Quiz"), '-', o);
	for (size_t q = 0; q < ch->n_quiz; q++) {
		const struct sz_question *qu = &ch->quiz[q];
		cleanup_free char *number = sz_asprintf("%s%zu. ", BODY_INDENT, q + 1);
		cleanup_free char *hang = spaces(strlen(number));

		sz_render_paragraph(out, qu->question, number, hang, o);
		for (size_t i = 0; i < qu->n_options && i < MAX_OPTIONS; i++) {
			cleanup_free char *letter = sz_asprintf("%s%c) ", DETAIL_INDENT, (char)('a' + i));

			sz_render_paragraph(out, qu->options[i].text, letter, DETAIL_INDENT "   ", o);
		}
		fputc('\n', out);
	}
}

static void render_glossary(FILE *out, const struct sz_chapter *ch, const struct sz_render_options *o)
{
	/* TRANSLATORS: the heading of a chapter's glossary in `stanza lessons show` */
	heading(out, _("Glossary"), '-', o);
	for (size_t i = 0; i < ch->n_glossary; i++) {
		sz_render_paragraph(out, ch->glossary[i].term, BODY_INDENT, BODY_INDENT, o);
		sz_render_paragraph(out, ch->glossary[i].definition, DETAIL_INDENT, DETAIL_INDENT, o);
		fputc('\n', out);
	}
}

static void render_labs(FILE *out, const struct sz_chapter *ch, const struct sz_render_options *o)
{
	/* TRANSLATORS: the heading of the list of a chapter's labs in `stanza lessons show` */
	heading(out, _("Labs"), '-', o);
	for (size_t i = 0; i < ch->n_labs; i++) {
		cleanup_free char *title =
		    sz_asprintf("%s/%s: %s", ch->id, ch->labs[i].id, ch->labs[i].title);

		sz_render_paragraph(out, title, BODY_INDENT, DETAIL_INDENT, o);
		sz_render_paragraph(out, ch->labs[i].intro, DETAIL_INDENT, DETAIL_INDENT, o);
		fputc('\n', out);
	}
}

void sz_render_chapter(FILE *out, const struct sz_chapter *ch, const struct sz_render_options *o)
{
	cleanup_free char *title = sz_asprintf("%u. %s", ch->number, ch->title);
	/* TRANSLATORS: before a chapter's summary: "In one sentence: a cgroup puts a ceiling..." */
	cleanup_free char *summary = sz_asprintf("%s %s", _("In one sentence:"), ch->summary);

	heading(out, title, '=', o);
	sz_render_paragraph(out, summary, "", "", o);
	fputc('\n', out);
	for (size_t s = 0; s < ch->n_sections; s++) {
		heading(out, ch->sections[s].title, '-', o);
		for (size_t b = 0; b < ch->sections[s].n_blocks; b++)
			block(out, &ch->sections[s].blocks[b], o);
	}
	if (o->quiz && ch->n_quiz > 0)
		render_quiz(out, ch, o);
	if (o->glossary && ch->n_glossary > 0)
		render_glossary(out, ch, o);
	if (o->labs && ch->n_labs > 0)
		render_labs(out, ch, o);
}
