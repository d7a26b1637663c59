/* SPDX-License-Identifier: GPL-3.0-or-later */
/* build.h - `stanza build`: a Containerfile's steps, RUN in stanza containers, each step's layer cached */
#ifndef SZ_BUILD_H
#define SZ_BUILD_H

#include <stdio.h>

#include "common/error.h"
#include "image/store.h"

struct sz_build_options {
	const char *context;     /* the directory COPY reads from */
	const char *file;        /* NULL: <context>/Containerfile, else <context>/Dockerfile */
	const char *tag;         /* name[:tag] for the result; NULL: by digest only */
	char *const *build_args; /* "K=V" for ARG, NULL-terminated; may be NULL */
	const char *images_dir;  /* the built-in images: FROM busybox (image/builtin.h) */
	FILE *log;               /* the steps and what each did */
};

/*
 * Build into s (open for writing): FROM an image of the store or scratch;
 * RUN in a stanza container over the layers so far, its writable layer (the
 * overlay's upper directory, deletions as whiteouts) becoming the next
 * layer; COPY from the context (never out of it, .dockerignore honoured);
 * ENV, ARG, WORKDIR, USER, LABEL, EXPOSE, ENTRYPOINT and CMD in the config.
 * A RUN or COPY whose layers below, instruction, environment and (COPY) file
 * contents are those of an earlier build reuses that build's layer. On
 * success *digest gets the manifest's digest.
 */
int sz_image_build(struct sz_store *s, const struct sz_build_options *o, char digest[SZ_DIGEST_LEN],
                   sz_error_t *err);

#endif
