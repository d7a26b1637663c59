/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import.h - images into the store: OCI layouts, oci-archive and docker-archive tars, every blob verified */
#ifndef SZ_IMPORT_H
#define SZ_IMPORT_H

#include <stdio.h>

#include "common/error.h"
#include "image/store.h"

struct sz_import_options {
	const char *path; /* an OCI layout directory, an oci-archive or docker-archive tar, or "-" */
	const char *name; /* the name to give it; NULL: the one the source gives */
	FILE *log;        /* a line per blob and layer; NULL: quiet */
};

struct sz_import_result {
	char *ref;
	char manifest_digest[SZ_DIGEST_LEN];
	size_t n_layers;
	size_t new_layers; /* not in the store before */
};

/*
 * Import into s (opened for writing). The manifest for this host's
 * architecture is chosen (an index lists several); every blob's size and
 * digest, and every layer's diff-id, is checked against what names it before
 * anything enters the store; layers are unpacked in tmp/ and renamed into
 * layers/, blobs into blobs/, and index.json replaced last. On error nothing
 * of the import is visible and err names the file or blob.
 */
int sz_image_import(struct sz_store *s, const struct sz_import_options *o, struct sz_import_result *res,
                    sz_error_t *err);
void sz_import_result_release(struct sz_import_result *res);

/* The host's architecture as OCI names it ("amd64", "arm64", ...). */
const char *sz_host_architecture(void);

#endif
