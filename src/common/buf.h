/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf.h - a growable byte buffer, always NUL-terminated (git's strbuf) */
#ifndef SZ_BUF_H
#define SZ_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Contract:
 *
 * - `buf` is never NULL. After sz_buf_init (or SZ_BUF_INIT) it points at a
 *   shared static "" that must not be written or freed; the first growth
 *   replaces it with a malloc'd block. So `b.buf` can always be read as a C
 *   string, and `b.buf[b.len]` is always '\0'.
 * - `len` is the number of bytes in use, without the terminating NUL; the data
 *   may itself hold NUL bytes (sz_buf_add with binary data).
 * - `alloc` is the size of the malloc'd block, 0 while `buf` is the static "".
 * - Every function that grows the buffer aborts on exhaustion, as sz_xmalloc
 *   does: none can fail.
 * - sz_buf_init allocates nothing; a buffer that was only initialised needs no
 *   release. sz_buf_release frees the block and re-initialises the buffer, so it
 *   can be used again or released twice. sz_buf_detach hands the block to the
 *   caller (who frees it with free()) and re-initialises the buffer; it never
 *   returns NULL nor the static "".
 * - A pointer into `buf` is invalid after any call that adds to the buffer.
 */

struct sz_buf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char sz_buf_slopbuf[];
#define SZ_BUF_INIT                                                                                          \
	{                                                                                                    \
		.alloc = 0, .len = 0, .buf = sz_buf_slopbuf                                                  \
	}

void sz_buf_init(struct sz_buf *b, size_t hint); /* hint > 0 allocates room for hint bytes */
void sz_buf_release(struct sz_buf *b);
char *sz_buf_detach(struct sz_buf *b, size_t *len);
/* Make room for extra more bytes (and the NUL) without changing len. */
void sz_buf_grow(struct sz_buf *b, size_t extra);
/* Empty the buffer (len 0), keeping its block for reuse. */
void sz_buf_reset(struct sz_buf *b);

void sz_buf_add(struct sz_buf *b, const void *data, size_t len);
void sz_buf_adds(struct sz_buf *b, const char *s);
void sz_buf_addch(struct sz_buf *b, int c);
void sz_buf_addf(struct sz_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sz_buf_vaddf(struct sz_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static inline void sz_buf_releasep(struct sz_buf *b)
{
	sz_buf_release(b);
}
#define cleanup_buf __attribute__((cleanup(sz_buf_releasep)))

#endif
