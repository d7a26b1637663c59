/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.h - the image store: an OCI image layout, plus each layer unpacked once */
#ifndef SZ_STORE_H
#define SZ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "common/error.h"
#include "image/digest.h"

/*
 * One store per user: $STANZA_STORE, else /var/lib/stanza as root and
 * $XDG_DATA_HOME/stanza (~/.local/share/stanza) without root.
 *
 *	oci-layout, index.json     the OCI image layout (image-spec's image-layout.md)
 *	blobs/sha256/<hex>         manifests, configs and layers, named by digest
 *	layers/<32 hex>/fs         a layer unpacked, whiteouts made overlayfs's;
 *	layers/<32 hex>/diff-id    its full diff-id (the sha256 of the plain tar)
 *	tmp/                       work in progress, on the same file system
 *	.lock                      writers hold it (flock) while they change the store
 *	.in-use                    runs hold it shared while their container lives
 *
 * Every file appears by rename(2) once it is complete, so a reader (a run)
 * needs no writer's lock and a killed writer leaves nothing but tmp/, which
 * the next writer empties. A name ("alpine:3.19"; "latest" when no tag) maps to a
 * manifest through index.json's org.opencontainers.image.ref.name.
 */
struct sz_store {
	char *root;
	int lockfd; /* -1: not locked */
	bool rootless;
};

#define SZ_REF_NAME "org.opencontainers.image.ref.name"

/* The default root (caller frees). */
char *sz_store_default_root(void);
/* Open the store at root (NULL: the default), creating it. With write, the
 * store's lock is taken (waiting for another writer) and tmp/ emptied. */
int sz_store_open(struct sz_store *s, const char *root, bool write, sz_error_t *err);
void sz_store_close(struct sz_store *s);

/* "name" -> "name:latest"; NULL and err for a name the store cannot hold. */
char *sz_image_ref(const char *name, sz_error_t *err);

/* index.json (an empty index when there is none yet); new reference. */
json_t *sz_store_index(const struct sz_store *s, sz_error_t *err);
int sz_store_write_index(const struct sz_store *s, json_t *index, sz_error_t *err);

/* "<root>/blobs/sha256/<hex>" (caller frees). */
char *sz_store_blob_path(const struct sz_store *s, const char *digest);
/* A blob's JSON, its digest checked again (a store can be damaged). */
json_t *sz_store_read_json_blob(const struct sz_store *s, const char *digest, sz_error_t *err);

/* The directory name of a layer under layers/: the first 32 hex digits of
 * its diff-id (128 bits: no one makes two layers that share them; 60 such
 * names, with "/fs", take 2.1 KB of the overlay's one page of options). */
#define SZ_LAYER_DIR_LEN 33
void sz_layer_dir_name(const char *diff_id, char out[SZ_LAYER_DIR_LEN]);

/* An image of the store, ready to run. */
struct sz_image {
	char *ref; /* "name:tag" */
	char manifest_digest[SZ_DIGEST_LEN];
	json_t *manifest;
	json_t *config;   /* the whole config blob */
	char *layers_dir; /* <root>/layers */
	char **layers;    /* "<32 hex>/fs", top layer first */
	size_t n_layers;
	bool held; /* hold_fd holds the store's .in-use lock, shared */
	int hold_fd;
};

/* Find name (or a digest's unique prefix of 12+ hex digits) in the store. */
int sz_store_load_image(const struct sz_store *s, const char *name, struct sz_image *out, sz_error_t *err);
void sz_image_release(struct sz_image *img);

/* A line of an import's or a build's progress on log (a newline added,
 * flushed: a RUN's output comes in between); nothing when log is NULL. */
void sz_image_log(FILE *log, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Remove name from index.json (a digest's prefix: every name of that image).
 * Its blobs and layers stay until sz_store_prune. s open for writing. */
int sz_store_forget(const struct sz_store *s, const char *name, sz_error_t *err);
/* Give the image name also the name new_name (taken from any other image).
 * s open for writing. */
int sz_store_tag(const struct sz_store *s, const char *name, const char *new_name, sz_error_t *err);
/* While a container runs from an image, its stanza holds the store's
 * .in-use lock, shared: prune will not remove layers under a running
 * container. The descriptor holding it, or -1 (errno ENOENT when the store
 * is not made yet). */
int sz_store_hold(const struct sz_store *s, sz_error_t *err);

/* Remove every blob and layer no image in index.json uses; how many of
 * each. s open for writing. Refused while a container runs from the store
 * (the .in-use lock is held). */
int sz_store_prune(const struct sz_store *s, size_t *blobs, size_t *layers, sz_error_t *err);

#endif
