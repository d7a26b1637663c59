/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf.c - a growable byte buffer, always NUL-terminated */
#include "common/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

/* The shared empty string of every buffer that has not grown: never written. */
char sz_buf_slopbuf[1];

void sz_buf_init(struct sz_buf *b, size_t hint)
{
	b->alloc = 0;
	b->len = 0;
	b->buf = sz_buf_slopbuf;
	if (hint > 0)
		sz_buf_grow(b, hint);
}

void sz_buf_release(struct sz_buf *b)
{
	if (b->alloc > 0)
		free(b->buf);
	sz_buf_init(b, 0);
}

char *sz_buf_detach(struct sz_buf *b, size_t *len)
{
	char *out;

	if (b->alloc == 0)
		sz_buf_grow(b, 0);
	out = b->buf;
	if (len != NULL)
		*len = b->len;
	sz_buf_init(b, 0);
	return out;
}

void sz_buf_grow(struct sz_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		abort();
	need = b->len + extra + 1;
	if (b->alloc > 0 && need <= b->alloc)
		return;
	size_t alloc = b->alloc > 0 ? b->alloc : 64;
	while (alloc < need)
		alloc = alloc > SIZE_MAX / 2 ? need : alloc * 2;
	if (b->alloc == 0) {
		b->buf = sz_xmalloc(alloc);
		b->buf[0] = '\0';
	} else {
		b->buf = sz_xrealloc(b->buf, alloc);
	}
	b->alloc = alloc;
}

void sz_buf_reset(struct sz_buf *b)
{
	if (b->alloc == 0)
		return;
	b->len = 0;
	b->buf[0] = '\0';
}

void sz_buf_add(struct sz_buf *b, const void *data, size_t len)
{
	sz_buf_grow(b, len);
	if (len > 0)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void sz_buf_adds(struct sz_buf *b, const char *s)
{
	sz_buf_add(b, s, strlen(s));
}

void sz_buf_addch(struct sz_buf *b, int c)
{
	sz_buf_grow(b, 1);
	b->buf[b->len++] = (char)c;
	b->buf[b->len] = '\0';
}

void sz_buf_vaddf(struct sz_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(b->buf + b->len, b->alloc > 0 ? b->alloc - b->len : 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		abort();
	if ((size_t)n >= (b->alloc > 0 ? b->alloc - b->len : 0)) {
		sz_buf_grow(b, (size_t)n);
		n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
		if (n < 0)
			abort();
	}
	b->len += (size_t)n;
}

void sz_buf_addf(struct sz_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_buf_vaddf(b, fmt, ap);
	va_end(ap);
}
