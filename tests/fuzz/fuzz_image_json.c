/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_image_json.c - libFuzzer target: an image's index, manifest and config, and docker's manifest.json */
#include <string.h>

#include "common/json.h"
#include "fuzz.h"
#include "image/digest.h"
#include "image/oci_json.h"
#include "image/unpack.h"

/*
 * The first byte chooses what the rest is (its value mod 4):
 *
 *   0  an OCI layout's index.json, then the blobs an import reads after it,
 *      in that order (the nested indexes it follows, the manifest, the
 *      config), a NUL byte before each: sz_oci_choose_manifest, then
 *      sz_oci_read_image, as `stanza image import` runs them;
 *   1  a manifest: sz_oci_check_manifest;
 *   2  a config, after a byte giving the manifest's number of layers:
 *      sz_oci_check_config;
 *   3  docker save's manifest.json: sz_docker_check_manifest.
 *
 * The host is taken to be amd64, so that an input does the same on every
 * machine. Each document is parsed by sz_json_parse, as the import parses
 * it. A refusal comes with a message and leaves nothing allocated (the
 * leak checker sees to that); what is accepted is what the import relies on
 * next: every blob it opens has a sha256 digest that is a safe file name and
 * a size, every layer a compression, every layer its diff-id.
 */

#define ARCH "amd64"

static void expect(bool ok)
{
	if (!ok)
		abort();
}

static void expect_refused(sz_error_t *err)
{
	expect(*err != NULL && sz_error_msg(*err)[0] != '\0');
	sz_error_release(err);
}

/* What the import checks before it opens the blob desc names. */
static void expect_descriptor(const json_t *desc, uint64_t max)
{
	json_t *size = json_object_get(desc, "size");

	expect(sz_digest_valid(json_string_value(json_object_get(desc, "digest"))));
	expect(json_is_integer(size) && json_integer_value(size) >= 0);
	expect(max == 0 || (uint64_t)json_integer_value(size) <= max);
}

/* The input's documents after the index, handed out in turn. */
struct blobs {
	const char *next, *end;
};

static json_t *read_json(void *ctx, const json_t *desc, const char *what, sz_error_t *err)
{
	struct blobs *b = ctx;
	const char *text = b->next;
	const char *nul;

	expect_descriptor(desc, SZ_OCI_JSON_MAX);
	if (text == b->end) {
		sz_error_make(err, 0, "the %s is not in the input", what);
		return NULL;
	}
	nul = memchr(text, '\0', (size_t)(b->end - text));
	b->next = nul != NULL ? nul + 1 : b->end;
	return sz_json_parse(text, (size_t)((nul != NULL ? nul : b->end) - text),
	                     json_string_value(json_object_get(desc, "digest")), err);
}

static void expect_manifest(const json_t *manifest)
{
	json_t *layers = json_object_get(manifest, "layers");
	size_t i;
	json_t *l;

	expect_descriptor(json_object_get(manifest, "config"), SZ_OCI_JSON_MAX);
	expect(json_array_size(layers) > 0);
	json_array_foreach (layers, i, l) {
		expect(sz_layer_compression(json_string_value(json_object_get(l, "mediaType"))) >= 0);
		expect_descriptor(l, 0);
	}
}

static void expect_config(const json_t *config, size_t n_layers)
{
	json_t *ids = json_object_get(json_object_get(config, "rootfs"), "diff_ids");
	size_t i;
	json_t *id;

	expect(json_array_size(ids) == n_layers);
	json_array_foreach (ids, i, id)
		expect(sz_digest_valid(json_string_value(id)));
}

static void fuzz_layout(const char *data, size_t size)
{
	const char *nul = memchr(data, '\0', size);
	struct blobs b = {.next = nul ? nul + 1 : data + size, .end = data + size};
	const struct sz_oci_blobs blobs = {.read_json = read_json, .ctx = &b};
	cleanup_json json_t *index = NULL;
	cleanup_json json_t *desc = NULL;
	json_t *manifest, *config;
	sz_error_t err = NULL;
	const char *type;

	index = sz_json_parse(data, (size_t)((nul ? nul : data + size) - data), "index.json", &err);
	desc = index != NULL ? sz_oci_choose_manifest(index, "index.json", ARCH, &blobs, &err) : NULL;
	if (desc == NULL) {
		expect_refused(&err);
		return;
	}
	type = json_string_value(json_object_get(desc, "mediaType"));
	expect(type != NULL &&
	       (strcmp(type, SZ_MT_OCI_MANIFEST) == 0 || strcmp(type, SZ_MT_DOCKER_MANIFEST) == 0));
	if (sz_oci_read_image(desc, ARCH, &blobs, &manifest, &config, &err) < 0) {
		expect(manifest == NULL && config == NULL);
		expect_refused(&err);
		return;
	}
	expect(err == NULL);
	expect_descriptor(desc, SZ_OCI_JSON_MAX);
	expect_manifest(manifest);
	expect_config(config, json_array_size(json_object_get(manifest, "layers")));
	json_decref(manifest);
	json_decref(config);
}

static void fuzz_manifest(const char *data, size_t size)
{
	sz_error_t err = NULL;
	cleanup_json json_t *manifest = sz_json_parse(data, size, "manifest", &err);

	if (manifest == NULL || sz_oci_check_manifest(manifest, &err) < 0)
		expect_refused(&err);
	else
		expect_manifest(manifest);
}

static void fuzz_config(const char *data, size_t size)
{
	const char *digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
	size_t n_layers;
	sz_error_t err = NULL;
	cleanup_json json_t *config = NULL;

	if (size == 0)
		return;
	n_layers = (unsigned char)data[0];
	config = sz_json_parse(data + 1, size - 1, digest, &err);
	if (config == NULL || sz_oci_check_config(config, digest, n_layers, ARCH, &err) < 0)
		expect_refused(&err);
	else
		expect_config(config, n_layers);
}

static void fuzz_docker(const char *data, size_t size)
{
	sz_error_t err = NULL;
	cleanup_json json_t *list = sz_json_parse(data, size, "manifest.json", &err);
	json_t *entry, *l;
	size_t i;

	if (list == NULL || sz_docker_check_manifest(list, "manifest.json", &err) < 0) {
		expect_refused(&err);
		return;
	}
	entry = json_array_get(list, 0);
	expect(json_is_string(json_object_get(entry, "Config")));
	json_array_foreach (json_object_get(entry, "Layers"), i, l)
		expect(json_is_string(l));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static void (*const kinds[])(const char *, size_t) = {fuzz_layout, fuzz_manifest, fuzz_config,
	                                                      fuzz_docker};

	if (size == 0)
		return 0;
	kinds[data[0] % 4]((const char *)data + 1, size - 1);
	return 0;
}
