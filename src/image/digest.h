/* SPDX-License-Identifier: GPL-3.0-or-later */
/* digest.h - sha256 digests as OCI writes them ("sha256:" and 64 lowercase hex digits) */
#ifndef SZ_DIGEST_H
#define SZ_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nettle/sha2.h>

#include "common/error.h"

#define SZ_DIGEST_HEX 64
/* "sha256:" + 64 hex digits + NUL */
#define SZ_DIGEST_LEN (7 + SZ_DIGEST_HEX + 1)

struct sz_hasher {
	struct sha256_ctx ctx;
	uint64_t size;
};

void sz_hasher_init(struct sz_hasher *h);
void sz_hasher_add(struct sz_hasher *h, const void *data, size_t len);
/* out gets "sha256:<hex>"; the hasher is spent. */
void sz_hasher_finish(struct sz_hasher *h, char out[SZ_DIGEST_LEN]);

/* Digest and size of everything fd reads from its offset to its end. */
int sz_digest_fd(int fd, char out[SZ_DIGEST_LEN], uint64_t *size, sz_error_t *err);

/* A digest stanza can verify and store: "sha256:" and 64 lowercase hex
 * digits. Another algorithm the OCI spec registers (sha512) is refused by
 * the caller with its name, never read as a path. */
bool sz_digest_valid(const char *digest);
/* The hex part of a valid digest. */
static inline const char *sz_digest_hex(const char *digest)
{
	return digest + 7;
}

#endif
