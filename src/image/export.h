/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export.h - an image of the store out as an OCI layout directory or an oci-archive tar */
#ifndef SZ_EXPORT_H
#define SZ_EXPORT_H

#include "common/error.h"
#include "image/store.h"

/*
 * Write image name of s to path: a tar of an OCI layout (oci-archive) when
 * path ends in ".tar" or is "-" (stdout), else a new layout directory. The
 * blobs are the store's, byte for byte, so an image imported and exported
 * keeps every digest. The tar is reproducible: entries sorted, owned 0:0 by
 * number, mtime $SOURCE_DATE_EPOCH (0 when unset), no atime or ctime. Both
 * appear whole or not at all (written beside path, then renamed).
 */
int sz_image_export(const struct sz_store *s, const char *name, const char *path, sz_error_t *err);

#endif
