/* SPDX-License-Identifier: GPL-3.0-or-later */
/* oci_json.c - an image's index, manifest, config and docker's manifest.json, checked in memory */
#include "image/oci_json.h"

#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "image/digest.h"

/* Each of these has a compression sz_layer_compression names. */
static const char *const layer_types[] = {
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
};

static bool type_in(const char *type, const char *const *types, size_t n)
{
	for (size_t i = 0; type != NULL && i < n; i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

static bool is_type(const json_t *desc, const char *a, const char *b)
{
	const char *type = json_string_value(json_object_get(desc, "mediaType"));

	return type != NULL && (strcmp(type, a) == 0 || strcmp(type, b) == 0);
}

int sz_oci_check_descriptor(const json_t *desc, const char *what, uint64_t max, sz_error_t *err)
{
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	json_t *size = json_object_get(desc, "size");

	if (digest == NULL || !json_is_integer(size) || json_integer_value(size) < 0)
		return sz_error_make(err, 0, _("the %s's descriptor has no digest or no size"), what);
	if (!sz_digest_valid(digest)) {
		if (strncmp(digest, "sha256:", 7) != 0)
			return sz_error_make(
			    err, 0, _("the %s's digest '%s' is not sha256: stanza verifies sha256 only"),
			    what, digest);
		return sz_error_make(err, 0, _("the %s's digest '%s' is not 64 lowercase hex digits"), what,
		                     digest);
	}
	if (max != 0 && (uint64_t)json_integer_value(size) > max)
		return sz_error_make(err, 0, _("the %s %s is %zu bytes: too big to be one"), what, digest,
		                     (size_t)json_integer_value(size));
	return 0;
}

/* ---- choosing the manifest ---- */

static json_t *choose(json_t *index, const char *where, const char *arch, const struct sz_oci_blobs *blobs,
                      int depth, sz_error_t *err);

/* The index d names, chosen from in turn. */
static json_t *choose_nested(const json_t *d, const char *arch, const struct sz_oci_blobs *blobs, int depth,
                             sz_error_t *err)
{
	cleanup_json json_t *nested = NULL;

	if (sz_oci_check_descriptor(d, _("index"), SZ_OCI_JSON_MAX, err) < 0)
		return NULL;
	nested = blobs->read_json(blobs->ctx, d, _("index"), err);
	if (nested == NULL)
		return NULL;
	return choose(nested, json_string_value(json_object_get(d, "digest")), arch, blobs, depth + 1, err);
}

/* The first entry of manifests for linux/arch, with no platform or that
 * one; "os/arch" of each entry passed over is added to seen. */
static json_t *first_fit(json_t *manifests, const char *arch, struct sz_buf *seen)
{
	size_t i;
	json_t *d;

	json_array_foreach (manifests, i, d) {
		json_t *platform = json_object_get(d, "platform");
		const char *a = json_string_value(json_object_get(platform, "architecture"));
		const char *os = json_string_value(json_object_get(platform, "os"));

		if (platform == NULL ||
		    (a != NULL && strcmp(a, arch) == 0 && os != NULL && strcmp(os, "linux") == 0))
			return d;
		sz_buf_addf(seen, "%s%s/%s", seen->len ? ", " : "", os ? os : "?", a ? a : "?");
	}
	return NULL;
}

static json_t *choose(json_t *index, const char *where, const char *arch, const struct sz_oci_blobs *blobs,
                      int depth, sz_error_t *err)
{
	json_t *manifests = json_object_get(index, "manifests");
	cleanup_buf struct sz_buf seen = SZ_BUF_INIT;
	json_t *d;

	if (depth > 4) {
		sz_error_make(err, 0, _("%s: indexes nested more than 4 deep"), where);
		return NULL;
	}
	if (json_array_size(manifests) == 0) {
		sz_error_make(err, 0, _("%s lists no manifest"), where);
		return NULL;
	}
	d = first_fit(manifests, arch, &seen);
	if (d == NULL) {
		sz_error_make(
		    err, 0,
		    _("%s has no image for linux/%s, only for %s: its programs would fail with \"exec "
		      "format error\", the kernel's word for machine code of another processor"),
		    where, arch, seen.buf);
		return NULL;
	}
	if (is_type(d, SZ_MT_OCI_INDEX, SZ_MT_DOCKER_LIST))
		return choose_nested(d, arch, blobs, depth, err);
	return json_incref(d);
}

json_t *sz_oci_choose_manifest(json_t *index, const char *where, const char *arch,
                               const struct sz_oci_blobs *blobs, sz_error_t *err)
{
	json_t *desc = choose(index, where, arch, blobs, 0, err);
	const char *type = json_string_value(json_object_get(desc, "mediaType"));

	if (desc == NULL || is_type(desc, SZ_MT_OCI_MANIFEST, SZ_MT_DOCKER_MANIFEST))
		return desc;
	sz_error_make(err, 0, _("%s names a '%s', not an image manifest"), where,
	              type ? type : "(no media type)");
	json_decref(desc);
	return NULL;
}

/* ---- the manifest and its config ---- */

int sz_oci_check_manifest(const json_t *manifest, sz_error_t *err)
{
	json_t *config = json_object_get(manifest, "config");
	json_t *layers = json_object_get(manifest, "layers");
	const char *type = json_string_value(json_object_get(config, "mediaType"));
	size_t i;
	json_t *l;

	if (!is_type(config, SZ_MT_OCI_CONFIG, SZ_MT_DOCKER_CONFIG))
		return sz_error_make(err, 0,
		                     _("the manifest's config has media type '%s', not an image config"),
		                     type ? type : "(none)");
	if (sz_oci_check_descriptor(config, _("config"), SZ_OCI_JSON_MAX, err) < 0)
		return -1;
	if (json_array_size(layers) == 0)
		return sz_error_make(err, 0, _("the manifest lists no layers"));
	json_array_foreach (layers, i, l) {
		type = json_string_value(json_object_get(l, "mediaType"));
		if (!type_in(type, layer_types, sizeof(layer_types) / sizeof(layer_types[0])))
			return sz_error_make(
			    err, 0, _("layer %zu has media type '%s', which is not a layer stanza knows"),
			    i + 1, type ? type : "(none)");
		if (sz_oci_check_descriptor(l, _("layer"), 0, err) < 0)
			return -1;
	}
	return 0;
}

int sz_oci_check_config(const json_t *config, const char *digest, size_t n_layers, const char *arch,
                        sz_error_t *err)
{
	const char *a = json_string_value(json_object_get(config, "architecture"));
	const char *os = json_string_value(json_object_get(config, "os"));
	json_t *ids = json_object_get(json_object_get(config, "rootfs"), "diff_ids");
	size_t i;
	json_t *id;

	if (os != NULL && strcmp(os, "linux") != 0)
		return sz_error_make(err, 0, _("the image is for %s, not Linux"), os);
	if (a != NULL && strcmp(a, arch) != 0)
		return sz_error_make(
		    err, 0,
		    _("the image is for %s, this machine is %s: its programs would fail with \"exec "
		      "format error\", the kernel's word for machine code of another processor"),
		    a, arch);
	if (!json_is_array(ids) || json_array_size(ids) != n_layers)
		return sz_error_make(err, 0, _("the config %s lists %zu diff-ids for %zu layers"), digest,
		                     json_array_size(ids), n_layers);
	json_array_foreach (ids, i, id)
		if (!json_is_string(id) || !sz_digest_valid(json_string_value(id)))
			return sz_error_make(err, 0, _("the config %s has a bad diff-id at %zu"), digest, i);
	return 0;
}

int sz_oci_read_image(const json_t *desc, const char *arch, const struct sz_oci_blobs *blobs,
                      json_t **manifest, json_t **config, sz_error_t *err)
{
	cleanup_json json_t *m = NULL;
	cleanup_json json_t *c = NULL;
	json_t *cdesc;

	*manifest = *config = NULL;
	if (sz_oci_check_descriptor(desc, _("manifest"), SZ_OCI_JSON_MAX, err) < 0)
		return -1;
	m = blobs->read_json(blobs->ctx, desc, _("manifest"), err);
	if (m == NULL || sz_oci_check_manifest(m, err) < 0)
		return -1;
	cdesc = json_object_get(m, "config");
	c = blobs->read_json(blobs->ctx, cdesc, _("config"), err);
	if (c == NULL || sz_oci_check_config(c, json_string_value(json_object_get(cdesc, "digest")),
	                                     json_array_size(json_object_get(m, "layers")), arch, err) < 0)
		return -1;
	*manifest = steal_pointer(&m);
	*config = steal_pointer(&c);
	return 0;
}

/* ---- docker save's manifest.json ---- */

int sz_docker_check_manifest(const json_t *list, const char *path, sz_error_t *err)
{
	json_t *entry = json_array_get(list, 0);
	json_t *layers = json_object_get(entry, "Layers");
	size_t i;
	json_t *l;

	if (!json_is_array(list) || json_array_size(list) == 0)
		return sz_error_make(err, 0,
		                     _("%s: a docker archive's manifest.json lists its images; this one "
		                       "lists none"),
		                     path);
	if (!json_is_string(json_object_get(entry, "Config")))
		return sz_error_make(err, 0,
		                     _("manifest.json names '%s', which is not a file of the archive"), "");
	if (!json_is_array(layers))
		return sz_error_make(err, 0, _("%s: the image has no \"Layers\" list"), path);
	json_array_foreach (layers, i, l)
		if (!json_is_string(l))
			return sz_error_make(
			    err, 0, _("manifest.json names '%s', which is not a file of the archive"), "");
	return 0;
}
