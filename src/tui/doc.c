/* SPDX-License-Identifier: GPL-3.0-or-later */
/* doc.c - a page of styled, wrapped lines that a view builds and the display draws and scrolls */
#include "tui/doc.h"

#include <stdarg.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/util.h"
#include "common/wrap.h"

#define TAB_STOP 8

void tui_doc_init(struct tui_doc *d)
{
	memset(d, 0, sizeof(*d));
}

static void free_lines(struct tui_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->lines[i].text);
	d->n = 0;
}

void tui_doc_reset(struct tui_doc *d, size_t width)
{
	free_lines(d);
	d->width = width > 0 ? width : 1;
}

void tui_doc_release(struct tui_doc *d)
{
	free_lines(d);
	free(d->lines);
	tui_doc_init(d);
}

/* Append a line that takes ownership of text. */
static struct tui_line *push(struct tui_doc *d, enum tui_style style, int tag, char *text)
{
	struct tui_line *l;

	if (d->n == d->cap) {
		d->cap = d->cap > 0 ? d->cap * 2 : 64;
		d->lines = sz_xrealloc(d->lines, d->cap * sizeof(*d->lines));
	}
	l = &d->lines[d->n++];
	memset(l, 0, sizeof(*l));
	l->text = text;
	l->style = style;
	l->tag = tag;
	return l;
}

void tui_doc_line(struct tui_doc *d, enum tui_style style, int tag, const char *text)
{
	push(d, style, tag, sz_xstrdup(text));
}

void tui_doc_linef(struct tui_doc *d, enum tui_style style, int tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(d, style, tag, sz_vasprintf(fmt, ap));
	va_end(ap);
}

void tui_doc_blank(struct tui_doc *d)
{
	push(d, TUI_STYLE_BODY, -1, sz_xstrdup(""));
}

static bool odd_backticks(const char *s)
{
	bool odd = false;

	for (; *s != '\0'; s++)
		if (*s == '`')
			odd = !odd;
	return odd;
}

void tui_doc_wrap(struct tui_doc *d, enum tui_style style, int tag, const char *first, const char *indent,
                  const char *text)
{
	size_t first_w = sz_display_width(first), rest_w = sz_display_width(indent);
	const char *prefix = first;
	bool open = false;
	struct sz_wrap w;

	sz_wrap_init(&w, text, d->width > first_w ? d->width - first_w : 1);
	while (sz_wrap_next(&w)) {
		struct tui_line *l = push(d, style, tag, sz_asprintf("%s%s", prefix, w.line));

		l->spans = true;
		l->code_open = open;
		if (odd_backticks(w.line))
			open = !open;
		prefix = indent;
		w.width = d->width > rest_w ? d->width - rest_w : 1;
	}
	sz_wrap_release(&w);
	if (text[0] == '\0')
		push(d, style, tag, sz_xstrdup(first));
}

/* One line of output made printable: tabs expanded, control characters
 * (escape sequences' introducers, a carriage return) dropped. */
static char *printable(const char *s, size_t len)
{
	struct sz_buf out = SZ_BUF_INIT;
	size_t col = 0;

	sz_buf_grow(&out, len);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t') {
			do
				sz_buf_addch(&out, ' ');
			while (++col % TAB_STOP != 0);
		} else if (c >= 0x20 && c != 0x7f) {
			sz_buf_addch(&out, c);
			if ((c & 0xc0) != 0x80)
				col++;
		}
	}
	return sz_buf_detach(&out, NULL);
}

static void fold_line(struct tui_doc *d, enum tui_style style, int tag, const char *indent, const char *line)
{
	size_t indent_w = sz_display_width(indent);
	size_t room = d->width > indent_w ? d->width - indent_w : 1;

	do {
		size_t n = sz_display_prefix(line, room);

		if (n == 0 && *line != '\0')
			n = 1; /* a character wider than the room: shown anyway, cut */
		push(d, style, tag, sz_asprintf("%s%.*s", indent, (int)n, line));
		line += n;
	} while (*line != '\0');
}

void tui_doc_verbatim(struct tui_doc *d, enum tui_style style, int tag, const char *indent, const char *text,
                      size_t len, bool fold)
{
	while (len > 0 && text[len - 1] == '\n')
		len--;
	if (len == 0) {
		push(d, style, tag, sz_xstrdup(indent));
		return;
	}
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl != NULL ? (size_t)(nl - (text + at)) : len - at;
		cleanup_free char *line = printable(text + at, n);

		if (fold)
			fold_line(d, style, tag, indent, line);
		else
			push(d, style, tag, sz_asprintf("%s%s", indent, line));
		at += n + 1;
	}
}

long tui_doc_find(const struct tui_doc *d, int tag)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->lines[i].tag == tag)
			return (long)i;
	return -1;
}

static size_t max_top(const struct tui_doc *d, size_t height)
{
	return d->n > height ? d->n - height : 0;
}

void tui_doc_scroll(struct tui_doc *d, long delta, size_t height)
{
	long top = (long)d->top + delta;

	if (top < 0)
		top = 0;
	d->top = (size_t)top;
	if (d->top > max_top(d, height))
		d->top = max_top(d, height);
}

void tui_doc_scroll_to(struct tui_doc *d, size_t line, size_t height)
{
	d->top = line;
	if (d->top > max_top(d, height))
		d->top = max_top(d, height);
}

bool tui_doc_at_end(const struct tui_doc *d, size_t height)
{
	return d->top + height >= d->n;
}
