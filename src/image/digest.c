/* SPDX-License-Identifier: GPL-3.0-or-later */
/* digest.c - sha256 with nettle, for blobs and for the uncompressed layers (diff-ids) */
#include "image/digest.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/i18n.h"

void sz_hasher_init(struct sz_hasher *h)
{
	sha256_init(&h->ctx);
	h->size = 0;
}

void sz_hasher_add(struct sz_hasher *h, const void *data, size_t len)
{
	sha256_update(&h->ctx, len, data);
	h->size += len;
}

void sz_hasher_finish(struct sz_hasher *h, char out[SZ_DIGEST_LEN])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_DIGEST_SIZE];

	sha256_digest(&h->ctx, sizeof(d), d);
	memcpy(out, "sha256:", 7);
	for (size_t i = 0; i < sizeof(d); i++) {
		out[7 + 2 * i] = hex[d[i] >> 4];
		out[7 + 2 * i + 1] = hex[d[i] & 15];
	}
	out[SZ_DIGEST_LEN - 1] = '\0';
}

int sz_digest_fd(int fd, char out[SZ_DIGEST_LEN], uint64_t *size, sz_error_t *err)
{
	struct sz_hasher h;
	char buf[65536];
	ssize_t n;

	sz_hasher_init(&h);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sz_error_make(err, errno, _("cannot read"));
		sz_hasher_add(&h, buf, (size_t)n);
	}
	if (size != NULL)
		*size = h.size;
	sz_hasher_finish(&h, out);
	return 0;
}

bool sz_digest_valid(const char *digest)
{
	if (strncmp(digest, "sha256:", 7) != 0 || strlen(digest) != 7 + SZ_DIGEST_HEX)
		return false;
	return strspn(digest + 7, "0123456789abcdef") == SZ_DIGEST_HEX;
}
