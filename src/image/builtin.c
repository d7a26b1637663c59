/* SPDX-License-Identifier: GPL-3.0-or-later */
/* builtin.c - the built-in images, made as OCI layouts at build time, run from the store like any image */
#include "image/builtin.h"

#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/import.h"

/* <images_dir>/<name>/oci when name is a bare name with a built-in layout. */
static char *builtin_layout(const char *images_dir, const char *name)
{
	char *dir;

	if (images_dir == NULL || name[0] == '\0' || name[0] == '.' || strpbrk(name, ":@/") != NULL)
		return NULL;
	dir = sz_asprintf("%s/%s/oci", images_dir, name);
	if (access(dir, F_OK) == 0)
		return dir;
	free(dir);
	return NULL;
}

/* The digest of the one manifest the layout's index.json names. */
static int layout_manifest(const char *layout, char out[SZ_DIGEST_LEN], sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/index.json", layout);
	json_error_t jerr;
	cleanup_json json_t *index = json_load_file(path, 0, &jerr);
	const char *digest;

	digest = json_string_value(
	    json_object_get(json_array_get(json_object_get(index, "manifests"), 0), "digest"));
	if (digest == NULL || !sz_digest_valid(digest))
		return sz_error_make(
		    err, 0, _("the built-in image's '%s' names no manifest; run 'make' to build it again"),
		    path);
	snprintf(out, SZ_DIGEST_LEN, "%s", digest);
	return 0;
}

static int load_builtin(struct sz_store *s, const char *layout, const char *ref, const char *want,
                        struct sz_image *out, sz_error_t *err)
{
	struct sz_import_options o = {.path = layout, .name = ref, .log = NULL};
	struct sz_import_result res = {0};
	sz_error_t miss = NULL;

	if (sz_store_load_image(s, ref, out, &miss) == 0 && strcmp(out->manifest_digest, want) == 0)
		return 0;
	sz_error_release(&miss);
	sz_image_release(out);
	if (s->lockfd < 0) {
		/* Import under the store's lock: reopen it for writing. */
		cleanup_free char *root = sz_xstrdup(s->root);

		sz_store_close(s);
		if (sz_store_open(s, root, true, err) < 0)
			return -1;
	}
	if (sz_image_import(s, &o, &res, err) < 0)
		return sz_error_wrap(err, _("cannot put the built-in image '%s' into the image store"), ref);
	sz_import_result_release(&res);
	return sz_store_load_image(s, ref, out, err);
}

int sz_image_find(struct sz_store *s, const char *images_dir, const char *name, struct sz_image *out,
                  sz_error_t *err)
{
	cleanup_free char *layout = builtin_layout(images_dir, name);
	cleanup_free char *ref = NULL;
	struct sz_store own;
	char want[SZ_DIGEST_LEN];
	int r;

	*out = (struct sz_image){0};
	if (layout != NULL && layout_manifest(layout, want, err) < 0)
		return -1;
	if (s == NULL && sz_store_open(&own, NULL, false, err) < 0)
		return -1;
	if (layout == NULL) {
		r = sz_store_load_image(s ? s : &own, name, out, err);
	} else {
		ref = sz_asprintf("%s:%s", name, SZ_BUILTIN_TAG);
		r = load_builtin(s ? s : &own, layout, ref, want, out, err);
	}
	if (r == 0 && sz_store_hold(s ? s : &own, out, err) < 0) {
		sz_image_release(out);
		r = -1;
	}
	if (s == NULL)
		sz_store_close(&own);
	return r;
}
