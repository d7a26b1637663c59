/* SPDX-License-Identifier: GPL-3.0-or-later */
/* builtin.h - an image name to a runnable image: the built-in images through the store, like every other */
#ifndef SZ_BUILTIN_H
#define SZ_BUILTIN_H

#include "common/error.h"
#include "image/store.h"

/* The tag the store gives a built-in image: busybox is "busybox:builtin", so
 * that an image the learner imports as busybox:latest is never replaced. */
#define SZ_BUILTIN_TAG "builtin"

/*
 * The image name means, for stanza run, the labs and FROM in a build: a bare
 * name (no tag, no digest, no '/') that has a built-in image (an OCI layout
 * the build made, <images_dir>/<name>/oci) is that image, as the store's
 * "<name>:builtin": imported on first use, and again whenever the data
 * directory's manifest is not the one the store has (a new stanza). Any other
 * name is looked up in the store. s is the store, open for writing (a build
 * holds its lock), or NULL: the default store is opened here, and locked only
 * when the built-in image has to be imported. out as sz_store_load_image,
 * and holding the store's .in-use lock until sz_image_release: run the
 * container before releasing it.
 */
/* Whether image is a name for sz_image_find rather than a root directory
 * for the runtime (which takes it by full path, and refuses "./x"). */
bool sz_image_is_name(const char *image);

int sz_image_find(struct sz_store *s, const char *images_dir, const char *name, struct sz_image *out,
                  sz_error_t *err);

#endif
