/* SPDX-License-Identifier: GPL-3.0-or-later */
/* yaml_source.c - the text of a lesson file: its lines for diagnostics, and the checks made before parsing */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/yaml_tree.h"

/* libyaml skips a byte order mark without counting it as a column. */
static size_t bom_len(const char *data, size_t len)
{
	return len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Length of the well-formed UTF-8 sequence at p (at most left bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		n = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF)
		n = 3;
	else if (p[0] >= 0xF0 && p[0] <= 0xF4)
		n = 4;
	else
		return 0;
	if (p[0] == 0xE0)
		lo = 0xA0;
	else if (p[0] == 0xED)
		hi = 0x9F;
	else if (p[0] == 0xF0)
		lo = 0x90;
	else if (p[0] == 0xF4)
		hi = 0x8F;
	if (left < n || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return n;
}

void sz_ysource_init(struct sz_ysource *src, const char *name, const char *data, size_t len)
{
	memset(src, 0, sizeof(*src));
	src->name = name;
	src->data = data;
	src->len = len;
}

void sz_ysource_release(struct sz_ysource *src)
{
	free(src->line_starts);
	src->line_starts = NULL;
	src->n_lines = 0;
}

static void index_lines(struct sz_ysource *src)
{
	size_t cap = 64;
	const char *p = src->data, *end = src->data + src->len;

	src->line_starts = sz_xmalloc(cap * sizeof(*src->line_starts));
	src->line_starts[0] = 0;
	src->n_lines = 1;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p++;
		if (src->n_lines == cap) {
			cap *= 2;
			src->line_starts = sz_xrealloc(src->line_starts, cap * sizeof(*src->line_starts));
		}
		src->line_starts[src->n_lines++] = (size_t)(p - src->data);
	}
}

/* Copy [p, end) replacing what a terminal should not get with '?'. */
static char *sanitize(const unsigned char *p, const unsigned char *end)
{
	char *out = sz_xmalloc((size_t)(end - p) + 1);
	size_t o = 0;

	while (p < end) {
		size_t n = utf8_len(p, (size_t)(end - p));

		if (n == 0 || (n == 1 && ((*p < 0x20 && *p != '\t') || *p == 0x7F))) {
			out[o++] = '?';
			p++;
			continue;
		}
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}

/* Line number line (from 1) as a terminal can show it: invalid UTF-8 and
 * control characters but tab become '?', no line break. The caller frees it;
 * NULL when there is no such line. */
static char *sz_ysource_line(struct sz_ysource *src, unsigned line)
{
	size_t start, end;

	if (src->line_starts == NULL)
		index_lines(src);
	if (line == 0 || line > src->n_lines)
		return NULL;
	start = src->line_starts[line - 1];
	end = line < src->n_lines ? src->line_starts[line] - 1 : src->len;
	if (start == src->len && line > 1)
		return NULL;
	if (line == 1)
		start += bom_len(src->data, src->len);
	if (end > start && src->data[end - 1] == '\r')
		end--;
	return sanitize((const unsigned char *)src->data + start, (const unsigned char *)src->data + end);
}

/* Where the scan has got to: offset at is line:col. Moves forward only. */
struct cursor {
	size_t at;
	unsigned line, col;
};

static void cursor_init(const struct sz_ysource *src, struct cursor *cur)
{
	cur->at = bom_len(src->data, src->len);
	cur->line = 1;
	cur->col = 1;
}

static void cursor_advance(const struct sz_ysource *src, struct cursor *cur, size_t offset)
{
	const unsigned char *p = (const unsigned char *)src->data;

	for (; cur->at < offset && cur->at < src->len; cur->at++) {
		if (p[cur->at] == '\n') {
			cur->line++;
			cur->col = 1;
		} else if ((p[cur->at] & 0xC0) != 0x80) {
			cur->col++;
		}
	}
}

void sz_ysource_locate(struct sz_ysource *src, size_t offset, unsigned *line, unsigned *col)
{
	struct cursor cur;

	cursor_init(src, &cur);
	cursor_advance(src, &cur, offset);
	*line = cur.line;
	*col = cur.col;
}

size_t sz_ysource_offset(struct sz_ysource *src, unsigned line, unsigned col)
{
	const unsigned char *p = (const unsigned char *)src->data;
	size_t at;

	if (src->line_starts == NULL)
		index_lines(src);
	if (line == 0 || line > src->n_lines)
		return src->len;
	at = src->line_starts[line - 1] + (line == 1 ? bom_len(src->data, src->len) : 0);
	for (unsigned c = 1; c < col && at < src->len && p[at] != '\n'; c++)
		for (at++; at < src->len && (p[at] & 0xC0) == 0x80; at++)
			;
	return at;
}

void sz_ysource_verror(struct sz_ysource *src, struct sz_diags *diags, unsigned line, unsigned col,
                       const char *fmt, va_list ap)
{
	cleanup_free char *msg = sz_vasprintf(fmt, ap);
	cleanup_free char *text = sz_ysource_line(src, line);

	sz_diags_add(diags, src->name, line, col, text, "%s", msg);
}

void sz_ysource_error(struct sz_ysource *src, struct sz_diags *diags, unsigned line, unsigned col,
                      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_ysource_verror(src, diags, line, col, fmt, ap);
	va_end(ap);
}

/* Eight bytes of ASCII without a tab, tested a word at a time. */
static bool plain_ascii8(const unsigned char *p)
{
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
	uint64_t w, tabs;

	memcpy(&w, p, sizeof(w));
	tabs = w ^ (ones * '\t'); /* a zero byte where w has a tab */
	return (w & highs) == 0 && ((tabs - ones) & ~tabs & highs) == 0;
}

/* Plain ASCII is skipped fast; line and column are counted only for what
 * is reported. */
size_t sz_ysource_check(struct sz_ysource *src, struct sz_diags *diags)
{
	const unsigned char *p = (const unsigned char *)src->data;
	size_t problems = 0, quiet_until = 0; /* one tab reported per line */
	struct cursor cur;

	cursor_init(src, &cur);
	for (size_t i = cur.at; i < src->len; i++) {
		size_t n;

		while (i + 8 <= src->len && plain_ascii8(p + i))
			i += 8;
		if (i == src->len)
			break;
		if (p[i] == '\t' && i >= quiet_until) {
			const unsigned char *nl = memchr(p + i, '\n', src->len - i);

			cursor_advance(src, &cur, i);
			sz_ysource_error(src, diags, cur.line, cur.col,
			                 _("tab character (indent with spaces)"));
			quiet_until = nl != NULL ? (size_t)(nl - p) : src->len;
			problems++;
		}
		if (p[i] < 0x80)
			continue;
		n = utf8_len(p + i, src->len - i);
		if (n == 0) {
			cursor_advance(src, &cur, i);
			sz_ysource_error(src, diags, cur.line, cur.col, _("invalid UTF-8 (byte 0x%02X)"),
			                 p[i]);
			return problems + 1;
		}
		i += n - 1;
	}
	return problems;
}
