/* SPDX-License-Identifier: GPL-3.0-or-later */
/* builtin.c - the built-in images, made as OCI layouts at build time, run from the store like any image */
#include "image/builtin.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/import.h"

/* <images_dir>/<name> when name is a bare name that has a built-in image
 * directory (its oci/ layout may still be missing: said when read). */
static char *builtin_dir(const char *images_dir, const char *name)
{
	char *dir;

	if (images_dir == NULL || name[0] == '\0' || name[0] == '.' || strpbrk(name, ":@/") != NULL)
		return NULL;
	dir = sz_asprintf("%s/%s", images_dir, name);
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
	cleanup_json json_t *index = NULL;
	const char *digest;

	if (access(path, F_OK) < 0)
		return sz_error_make(
		    err, 0,
		    _("the built-in image has no OCI layout ('%s' is missing): stanza is not "
		      "installed whole (from a source tree: run 'make')"),
		    path);
	index = json_load_file(path, 0, &jerr);
	if (index == NULL)
		return sz_error_make(err, 0, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
	digest = json_string_value(
	    json_object_get(json_array_get(json_object_get(index, "manifests"), 0), "digest"));
	if (digest == NULL || !sz_digest_valid(digest))
		return sz_error_make(
		    err, 0, _("the built-in image's '%s' names no manifest; run 'make' to build it again"),
		    path);
	snprintf(out, SZ_DIGEST_LEN, "%s", digest);
	return 0;
}

/* out: the store's ref, when it is the layout's manifest. */
static bool have_builtin(const struct sz_store *s, const char *ref, const char *want, struct sz_image *out)
{
	sz_error_t miss = NULL;

	if (sz_store_load_image(s, ref, out, &miss) == 0 && strcmp(out->manifest_digest, want) == 0)
		return true;
	sz_error_release(&miss);
	sz_image_release(out);
	return false;
}

static int load_builtin(struct sz_store *s, const char *layout, const char *ref, const char *want,
                        struct sz_image *out, sz_error_t *err)
{
	struct sz_import_options o = {.path = layout, .name = ref, .log = NULL};
	struct sz_import_result res = {0};

	if (have_builtin(s, ref, want, out))
		return 0;
	if (s->lockfd < 0) {
		/* Import under the store's lock: reopen it for writing, and look
		 * again, in case another stanza imported it meanwhile. */
		cleanup_free char *root = sz_xstrdup(s->root);

		sz_store_close(s);
		if (sz_store_open(s, root, true, err) < 0)
			return -1;
		if (have_builtin(s, ref, want, out))
			return 0;
	}
	if (sz_image_import(s, &o, &res, err) < 0)
		return sz_error_wrap(err, _("cannot put the built-in image '%s' into the image store"), ref);
	sz_import_result_release(&res);
	return sz_store_load_image(s, ref, out, err);
}

bool sz_image_is_name(const char *image)
{
	return image[0] != '/' && image[0] != '.';
}

int sz_image_find(struct sz_store *s, const char *images_dir, const char *name, struct sz_image *out,
                  sz_error_t *err)
{
	cleanup_free char *dir = builtin_dir(images_dir, name);
	cleanup_free char *layout = dir ? sz_asprintf("%s/oci", dir) : NULL;
	cleanup_free char *ref = NULL;
	struct sz_store own = {.lockfd = -1};
	struct sz_store *st = s ? s : &own;
	sz_error_t no_store = NULL;
	char want[SZ_DIGEST_LEN];
	int hold, r;

	*out = (struct sz_image){0};
	if (layout != NULL && layout_manifest(layout, want, err) < 0)
		return -1;
	if (s == NULL && sz_store_open(&own, NULL, false, err) < 0) {
		sz_store_close(&own);
		return -1;
	}
	/* Held before the image is read, so that no prune removes its layers
	 * between the reading and the container's mount. A store not made
	 * yet has nothing to prune: held once the import made it. */
	hold = sz_store_hold(st, &no_store);
	if (hold < 0 && errno != ENOENT) {
		*err = no_store;
		sz_store_close(&own);
		return -1;
	}
	sz_error_release(&no_store);
	if (layout == NULL) {
		r = sz_store_load_image(st, name, out, err);
	} else {
		ref = sz_asprintf("%s:%s", name, SZ_BUILTIN_TAG);
		r = load_builtin(st, layout, ref, want, out, err);
	}
	if (r == 0 && hold < 0 && (hold = sz_store_hold(st, err)) < 0)
		r = -1;
	if (r == 0) {
		out->held = true;
		out->hold_fd = hold;
	} else {
		sz_image_release(out);
		if (hold >= 0)
			close(hold);
	}
	if (s == NULL)
		sz_store_close(&own);
	return r;
}
