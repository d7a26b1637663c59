/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layer_tar.h - a directory (an overlay's upper layer, what COPY made) written as an OCI layer tar */
#ifndef SZ_LAYER_TAR_H
#define SZ_LAYER_TAR_H

#include <stdbool.h>

#include "common/error.h"
#include "image/archive_dl.h"

/*
 * Write the contents of dir to fd as a plain tar an OCI image can carry as a
 * layer: entries sorted by name, overlayfs's whiteouts (0:0 character
 * devices) as ".wh.NAME", a directory marked opaque (trusted.overlay.opaque
 * or user.overlay.opaque "y") followed by its ".wh..wh..opq", hard links as
 * links, numeric owners (rootless, the learner's files are the container's
 * root's, 0:0), no access or change times, and modification times no later
 * than $SOURCE_DATE_EPOCH when it is set. Extended attributes are not kept.
 */
int sz_layer_tar(const struct sz_archive_api *ar, const char *dir, int fd, bool rootless, sz_error_t *err);

#endif
