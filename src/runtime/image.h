/* SPDX-License-Identifier: GPL-3.0-or-later */
/* image.h - images: the learner's private copy for rootless mode */
#ifndef SZ_IMAGE_H
#define SZ_IMAGE_H

#include "common/error.h"

/*
 * Make sure the learner has a copy of the image in image_dir (rootfs/,
 * VERSION, owners) at $XDG_DATA_HOME/stanza/images/<name>/, owned by them:
 * made on first use, remade when image_dir/VERSION differs from the copy's,
 * swapped in by rename so a run never sees half a copy, serialised by a lock
 * between concurrent stanzas. *rootfs_out gets the copy's rootfs (caller frees).
 */
int sz_image_private_copy(const char *image_dir, const char *name, char **rootfs_out, sz_error_t *err);

#endif
