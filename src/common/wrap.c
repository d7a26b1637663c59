/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wrap.c - display width of UTF-8 text (mbrtowc, wcwidth) and a word-wrapping iterator */
#include "common/wrap.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "common/util.h"

#define SEPARATORS " \t\n"

/* The next character of s (at most len bytes): its length in bytes and its
 * columns. An undecodable byte is one byte, one column. */
static size_t next_char(const char *s, size_t len, mbstate_t *st, size_t *cols)
{
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, len, st);
	int w;

	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		memset(st, 0, sizeof(*st));
		*cols = 1;
		return 1;
	}
	w = wcwidth(wc);
	*cols = w < 0 ? 0 : (size_t)w;
	return n;
}

size_t sz_display_width_n(const char *s, size_t len)
{
	mbstate_t st;
	size_t total = 0, cols;

	memset(&st, 0, sizeof(st));
	while (len > 0 && *s != '\0') {
		size_t n = next_char(s, len, &st, &cols);

		total += cols;
		s += n;
		len -= n;
	}
	return total;
}

size_t sz_display_width(const char *s)
{
	return sz_display_width_n(s, strlen(s));
}

size_t sz_display_prefix(const char *s, size_t cols)
{
	size_t len = strlen(s), used = 0, at = 0, c;
	mbstate_t st;

	memset(&st, 0, sizeof(st));
	while (at < len) {
		size_t n = next_char(s + at, len - at, &st, &c);

		if (used + c > cols)
			break;
		used += c;
		at += n;
	}
	return at;
}

void sz_wrap_init(struct sz_wrap *w, const char *text, size_t width)
{
	memset(w, 0, sizeof(*w));
	w->width = width;
	w->next = text;
	sz_buf_init(&w->buf, 0);
	w->line = w->buf.buf;
}

void sz_wrap_release(struct sz_wrap *w)
{
	sz_buf_release(&w->buf);
	memset(w, 0, sizeof(*w));
}

static void put(struct sz_wrap *w, const char *s, size_t n)
{
	sz_buf_add(&w->buf, s, n);
	w->line_len = w->buf.len;
}

/* A word wider than the whole line: as much of it as fits, at least one character. */
static void cut_word(struct sz_wrap *w, size_t width, size_t word_len)
{
	size_t n = sz_display_prefix(w->next, width);
	mbstate_t st;
	size_t cols;

	if (n == 0) {
		memset(&st, 0, sizeof(st));
		n = next_char(w->next, word_len, &st, &cols);
	}
	if (n > word_len)
		n = word_len;
	put(w, w->next, n);
	w->next += n;
}

bool sz_wrap_next(struct sz_wrap *w)
{
	size_t width = w->width > 0 ? w->width : 1, used = 0;

	sz_buf_reset(&w->buf);
	w->line_len = 0;
	w->line = w->buf.buf;
	w->next += strspn(w->next, SEPARATORS);
	if (*w->next == '\0')
		return false;
	while (*w->next != '\0') {
		size_t len = strcspn(w->next, SEPARATORS);
		size_t cols = sz_display_width_n(w->next, len);

		if (used == 0 && cols > width) {
			cut_word(w, width, len);
			break;
		}
		if (used > 0 && used + 1 + cols > width)
			break;
		if (used > 0)
			put(w, " ", 1);
		put(w, w->next, len);
		used += (used > 0 ? 1 : 0) + cols;
		w->next += len;
		w->next += strspn(w->next, SEPARATORS);
	}
	w->line = w->buf.buf;
	return true;
}

void sz_wrap_print(FILE *out, const char *text, size_t width, const char *first_indent, const char *indent)
{
	size_t first_w = sz_display_width(first_indent), rest_w = sz_display_width(indent);
	const char *prefix = first_indent;
	struct sz_wrap w;

	sz_wrap_init(&w, text, width > first_w ? width - first_w : 1);
	while (sz_wrap_next(&w)) {
		fprintf(out, "%s%s\n", prefix, w.line);
		prefix = indent;
		w.width = width > rest_w ? width - rest_w : 1;
	}
	sz_wrap_release(&w);
}
