/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unpack.h - a layer tar (plain, gzip or zstd) into a directory overlayfs can stack */
#ifndef SZ_UNPACK_H
#define SZ_UNPACK_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "image/archive_dl.h"
#include "image/digest.h"

/* How a layer is compressed, from its media type; only that decompressor is
 * enabled (libarchive's "all" would start external programs for lrzip,
 * lzop or grzip data). -1 for a media type that is no layer. */
enum sz_compression { SZ_COMP_NONE, SZ_COMP_GZIP, SZ_COMP_ZSTD };
int sz_layer_compression(const char *media_type);

/* The digest of the layer's uncompressed tar (its diff-id), from fd's start. */
int sz_layer_diff_id(const struct sz_archive_api *ar, int fd, enum sz_compression comp,
                     char out[SZ_DIGEST_LEN], sz_error_t *err);

struct sz_unpack_stats {
	size_t entries;
	size_t whiteouts;
	size_t opaque_dirs;
	size_t devices_skipped; /* rootless: device nodes cannot be made */
};

/*
 * Unpack the layer at fd (from its start) into dir, an empty directory.
 * OCI whiteouts become overlayfs's: ".wh.NAME" a 0:0 character device NAME,
 * ".wh..wh..opq" the opaque attribute on its directory (trusted.overlay.opaque,
 * or user.overlay.opaque rootless, for an overlay mounted with userxattr).
 * Entries with an absolute path or "..", and paths through a symbolic link,
 * are refused with the entry's name (libarchive's secure extraction checks
 * the links' targets too; not ARCHIVE_EXTRACT_UNLINK, which would replace a
 * symbolic link in the way by a directory and go on). As root owners, modes
 * and extended attributes
 * are kept (but a tar's trusted.overlay.* and user.overlay.*, which would
 * speak to the overlay); rootless every file is the learner's (root in the
 * container) and device nodes are skipped. AUFS's own ".wh..wh." entries
 * are skipped, as Docker does. name is the blob, for messages.
 */
int sz_layer_unpack(const struct sz_archive_api *ar, int fd, enum sz_compression comp, const char *dir,
                    bool rootless, const char *name, struct sz_unpack_stats *stats, sz_error_t *err);

#endif
