/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oci_json.h - an image's JSON documents (index, manifest, config, docker's manifest.json) checked in memory
 */
#ifndef SZ_OCI_JSON_H
#define SZ_OCI_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "common/error.h"

#define SZ_MT_OCI_INDEX       "application/vnd.oci.image.index.v1+json"
#define SZ_MT_OCI_MANIFEST    "application/vnd.oci.image.manifest.v1+json"
#define SZ_MT_OCI_CONFIG      "application/vnd.oci.image.config.v1+json"
#define SZ_MT_DOCKER_LIST     "application/vnd.docker.distribution.manifest.list.v2+json"
#define SZ_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define SZ_MT_DOCKER_CONFIG   "application/vnd.docker.container.image.v1+json"

/* Manifests, configs and indexes are small; a bigger one is not what it says. */
#define SZ_OCI_JSON_MAX (4u << 20)

/*
 * Everything an import decides from the documents alone is decided here,
 * without a file: the import (import.c) and the fuzz target
 * (tests/fuzz/fuzz_image_json.c) run the same checks. Messages are the
 * learner's; what names the document in them ("manifest", "config",
 * "index", "layer") comes translated from the caller.
 *
 * What cannot be done in memory, reading the blob a descriptor names, is
 * the caller's read_json: it gets a descriptor sz_oci_check_descriptor has
 * accepted (at most SZ_OCI_JSON_MAX bytes) and returns the blob parsed, a
 * new reference, or NULL and err when the blob is missing, does not match
 * its descriptor or is not JSON.
 */
struct sz_oci_blobs {
	json_t *(*read_json)(void *ctx, const json_t *desc, const char *what, sz_error_t *err);
	void *ctx;
};

/* desc has a digest stanza verifies ("sha256:" and 64 lowercase hex
 * digits) and a size of 0 or more, of at most max bytes unless max is 0. */
int sz_oci_check_descriptor(const json_t *desc, const char *what, uint64_t max, sz_error_t *err);

/*
 * The descriptor, in index or in an index it names, of the image manifest
 * for linux/arch (OCI's architecture names: "amd64", "arm64"): a new
 * reference. An entry with no platform fits any; an entry that is itself an
 * index is read through blobs and chosen from in turn, 4 deep at most.
 * where names index in messages (its path). NULL and err when no entry
 * fits (the message names the platforms there are) or the one that fits is
 * no image manifest. The descriptor's digest and size are not checked yet:
 * sz_oci_read_image does that.
 */
json_t *sz_oci_choose_manifest(json_t *index, const char *where, const char *arch,
                               const struct sz_oci_blobs *blobs, sz_error_t *err);

/*
 * The manifest desc names and that manifest's config, read through blobs:
 * new references in *manifest and *config, desc checked by
 * sz_oci_check_descriptor, the manifest by sz_oci_check_manifest (before
 * its config is read) and the config by sz_oci_check_config. On error both
 * are NULL.
 */
int sz_oci_read_image(const json_t *desc, const char *arch, const struct sz_oci_blobs *blobs,
                      json_t **manifest, json_t **config, sz_error_t *err);

/* An image manifest: a config descriptor of an image config's media type,
 * and one layer or more, each of a layer media type stanza unpacks (one
 * sz_layer_compression names), with a checked descriptor. */
int sz_oci_check_manifest(const json_t *manifest, sz_error_t *err);

/* A config (the blob named digest) for linux/arch, with one diff-id, a
 * valid digest, for each of the manifest's n_layers layers, in order. */
int sz_oci_check_config(const json_t *config, const char *digest, size_t n_layers, const char *arch,
                        sz_error_t *err);

/* docker save's manifest.json (path in messages): a list whose first image
 * names its config and its layers ("Config", "Layers"), as strings. Whether
 * they are files of the archive is the import's to find. */
int sz_docker_check_manifest(const json_t *list, const char *path, sz_error_t *err);

#endif
