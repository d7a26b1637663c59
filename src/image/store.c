/* SPDX-License-Identifier: GPL-3.0-or-later */
/* store.c - the image store's layout, lock, index and names */
#include "image/store.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"

char *sz_store_default_root(void)
{
	const char *env = getenv("STANZA_STORE");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env != NULL && env[0] != '\0')
		return sz_xstrdup(env);
	if (geteuid() == 0)
		return sz_xstrdup("/var/lib/stanza");
	if (xdg != NULL && xdg[0] == '/')
		return sz_asprintf("%s/stanza", xdg);
	if (home != NULL && home[0] == '/')
		return sz_asprintf("%s/.local/share/stanza", home);
	return NULL;
}

static int make_dirs(const char *root, sz_error_t *err)
{
	static const char *const dirs[] = {"blobs/sha256", "layers", "tmp"};

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		cleanup_free char *p = sz_asprintf("%s/%s", root, dirs[i]);

		if (sz_mkdir_p(p, 0700, err) < 0)
			return sz_error_wrap(err, _("cannot make the image store in '%s'"), root);
	}
	return 0;
}

int sz_store_open(struct sz_store *s, const char *root, bool write, sz_error_t *err)
{
	cleanup_free char *layout = NULL;
	cleanup_free char *lock = NULL;
	cleanup_free char *tmp = NULL;

	*s = (struct sz_store){.root = root ? sz_xstrdup(root) : sz_store_default_root(),
	                       .lockfd = -1,
	                       .rootless = geteuid() != 0};
	/* Layers are named by full paths in the mount's options: no relative root. */
	if (s->root == NULL)
		return sz_error_make(err, 0,
		                     _("no place for the image store: HOME is not set to a full path (set "
		                       "HOME, XDG_DATA_HOME or STANZA_STORE)"));
	if (s->root[0] != '/')
		return sz_error_make(
		    err, 0, _("the image store '%s' is not a full path (check STANZA_STORE)"), s->root);
	if (!write)
		return 0;
	if (make_dirs(s->root, err) < 0)
		return -1;
	lock = sz_asprintf("%s/.lock", s->root);
	s->lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (s->lockfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), lock);
	while (flock(s->lockfd, LOCK_EX) < 0)
		if (errno != EINTR)
			return sz_error_make(err, errno, _("cannot lock '%s'"), lock);
	/* What a killed writer left: nothing in tmp/ is referenced. */
	tmp = sz_asprintf("%s/tmp", s->root);
	if (sz_rm_rf_at(AT_FDCWD, tmp, err) < 0 || sz_mkdir_p(tmp, 0700, err) < 0)
		return -1;
	layout = sz_asprintf("%s/oci-layout", s->root);
	if (access(layout, F_OK) < 0) {
		static const char text[] = "{\"imageLayoutVersion\": \"1.0.0\"}";
		return sz_write_file_atomic(layout, text, sizeof(text) - 1, 0644, err);
	}
	return 0;
}

void sz_store_close(struct sz_store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);
	free(s->root);
	*s = (struct sz_store){.lockfd = -1};
}

/* Docker's reference grammar, simplified: path components of lowercase
 * letters, digits and separators (".", "_", "__", "-"), an optional
 * registry host (may have a port), a tag of up to 128 word characters. */
char *sz_image_ref(const char *name, sz_error_t *err)
{
	const char *slash = strrchr(name, '/');
	const char *colon = strrchr(slash ? slash : name, ':');
	size_t name_len = colon ? (size_t)(colon - name) : strlen(name);

	if (name_len == 0 || name_len > 255 || name[0] == '/' || name[0] == '.' || name[0] == '-' ||
	    strstr(name, "//") != NULL || strstr(name, "..") != NULL)
		goto bad;
	for (size_t i = 0; i < name_len; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789._-/:", name[i]) == NULL)
			goto bad;
	if (colon != NULL) {
		size_t tag_len = strlen(colon + 1);
		if (tag_len == 0 || tag_len > 128 || colon[1] == '.' || colon[1] == '-' ||
		    strspn(colon + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") !=
		        tag_len)
			goto bad;
		return sz_xstrdup(name);
	}
	return sz_asprintf("%s:latest", name);
bad:
	sz_error_make(err, 0,
	              _("'%s' is not an image name: lowercase letters, digits, '.', '_', '-' and '/', "
	                "then ':' and a tag if you like (alpine:3.19)"),
	              name);
	return NULL;
}

json_t *sz_store_index(const struct sz_store *s, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/index.json", s->root);
	json_t *index;

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return json_pack("{s:i, s:s, s:[]}", "schemaVersion", 2, "mediaType",
		                 "application/vnd.oci.image.index.v1+json", "manifests");
	index = sz_json_load_file(path, err);
	if (index == NULL)
		return NULL;
	if (!json_is_array(json_object_get(index, "manifests"))) {
		json_decref(index);
		sz_error_make(err, 0, _("'%s' has no \"manifests\" list: the image store is damaged"), path);
		return NULL;
	}
	return index;
}

int sz_store_write_index(const struct sz_store *s, json_t *index, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/index.json", s->root);
	cleanup_free char *text = json_dumps(index, JSON_INDENT(2) | JSON_PRESERVE_ORDER);

	return sz_write_file_atomic(path, text, strlen(text), 0644, err);
}

char *sz_store_blob_path(const struct sz_store *s, const char *digest)
{
	return sz_asprintf("%s/blobs/sha256/%s", s->root, sz_digest_hex(digest));
}

json_t *sz_store_read_json_blob(const struct sz_store *s, const char *digest, sz_error_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *text = NULL;
	char got[SZ_DIGEST_LEN];
	struct sz_hasher h;
	size_t len;

	if (!sz_digest_valid(digest)) {
		sz_error_make(err, 0, _("'%s' is not a sha256 digest"), digest);
		return NULL;
	}
	path = sz_store_blob_path(s, digest);
	if (sz_read_file(path, &text, &len, err) < 0)
		return NULL;
	sz_hasher_init(&h);
	sz_hasher_add(&h, text, len);
	sz_hasher_finish(&h, got);
	if (strcmp(got, digest) != 0) {
		sz_error_make(err, 0,
		              _("blob '%s' has changed on disk (its digest is now %s): remove the image and "
		                "import it again"),
		              path, got);
		return NULL;
	}
	return sz_json_parse(text, len, path, err);
}

void sz_layer_dir_name(const char *diff_id, char out[SZ_LAYER_DIR_LEN])
{
	memcpy(out, sz_digest_hex(diff_id), SZ_LAYER_DIR_LEN - 1);
	out[SZ_LAYER_DIR_LEN - 1] = '\0';
}

/* The index entry for name, which is a reference or a digest's prefix. */
static json_t *find_entry(json_t *manifests, const char *name, sz_error_t *err)
{
	cleanup_free char *ref = NULL;
	size_t len = strlen(name);
	json_t *found = NULL;
	size_t i;
	json_t *m;

	if (len >= 12 && strspn(name, "0123456789abcdef") == len) {
		json_array_foreach (manifests, i, m) {
			const char *d = json_string_value(json_object_get(m, "digest"));
			if (d != NULL && sz_str_has_prefix(d, "sha256:") && strncmp(d + 7, name, len) == 0) {
				if (found != NULL && !json_equal(json_object_get(found, "digest"),
				                                 json_object_get(m, "digest")))
					return sz_error_make(
					           err, 0,
					           _("'%s' names more than one image: give more digits"),
					           name),
					       NULL;
				found = m;
			}
		}
		if (found != NULL)
			return found;
	}
	ref = sz_image_ref(name, err);
	if (ref == NULL)
		return NULL;
	json_array_foreach (manifests, i, m) {
		const char *r =
		    json_string_value(json_object_get(json_object_get(m, "annotations"), SZ_REF_NAME));
		if (r != NULL && strcmp(r, ref) == 0)
			return m;
	}
	sz_error_make(err, 0,
	              _("no image '%s' in the store (see 'stanza image ls'; 'stanza image import' adds one)"),
	              ref);
	return NULL;
}

int sz_store_load_image(const struct sz_store *s, const char *name, struct sz_image *out, sz_error_t *err)
{
	cleanup_json json_t *index = sz_store_index(s, err);
	json_t *entry, *layers, *diff_ids, *l;
	const char *digest;
	size_t n, i;

	*out = (struct sz_image){0};
	if (index == NULL)
		return -1;
	entry = find_entry(json_object_get(index, "manifests"), name, err);
	if (entry == NULL)
		return -1;
	digest = json_string_value(json_object_get(entry, "digest"));
	if (digest == NULL || !sz_digest_valid(digest))
		return sz_error_make(err, 0, _("the image store's index.json has a bad digest for '%s'"),
		                     name);
	snprintf(out->manifest_digest, sizeof(out->manifest_digest), "%s", digest);
	out->ref = sz_xstrdup(
	    json_string_value(json_object_get(json_object_get(entry, "annotations"), SZ_REF_NAME)) ?: digest);
	out->manifest = sz_store_read_json_blob(s, digest, err);
	if (out->manifest == NULL)
		goto fail;
	out->config = sz_store_read_json_blob(
	    s, json_string_value(json_object_get(json_object_get(out->manifest, "config"), "digest")) ?: "",
	    err);
	if (out->config == NULL)
		goto fail;
	layers = json_object_get(out->manifest, "layers");
	diff_ids = json_object_get(json_object_get(out->config, "rootfs"), "diff_ids");
	n = json_array_size(diff_ids);
	if (n == 0 || n != json_array_size(layers)) {
		sz_error_make(err, 0, _("image '%s' has %zu layers and %zu diff-ids: the store is damaged"),
		              out->ref, json_array_size(layers), n);
		goto fail;
	}
	out->layers_dir = sz_asprintf("%s/layers", s->root);
	out->layers = sz_xcalloc(n + 1, sizeof(char *));
	out->n_layers = n;
	/* The manifest lists the base layer first; overlay wants the top first. */
	json_array_foreach (diff_ids, i, l) {
		const char *id = json_string_value(l);
		char dir[SZ_LAYER_DIR_LEN];
		cleanup_free char *path = NULL;
		struct stat st;

		if (id == NULL || !sz_digest_valid(id)) {
			sz_error_make(err, 0, _("image '%s' has a bad diff-id"), out->ref);
			goto fail;
		}
		sz_layer_dir_name(id, dir);
		out->layers[n - 1 - i] = sz_asprintf("%s/fs", dir);
		path = sz_asprintf("%s/%s", out->layers_dir, out->layers[n - 1 - i]);
		if (stat(path, &st) < 0) {
			sz_error_make(err, errno,
			              _("layer %s of image '%s' is missing: import the image again"), id,
			              out->ref);
			goto fail;
		}
	}
	return 0;
fail:
	sz_image_release(out);
	return -1;
}

void sz_image_release(struct sz_image *img)
{
	free(img->ref);
	json_decref(img->manifest);
	json_decref(img->config);
	free(img->layers_dir);
	for (size_t i = 0; img->layers != NULL && i < img->n_layers; i++)
		free(img->layers[i]);
	free(img->layers);
	if (img->held)
		close(img->hold_fd);
	*img = (struct sz_image){0};
}

/* The .in-use lock file: made when missing, read-only when the store is not
 * the user's to write (flock needs no write access). -1 with errno ENOENT
 * when the store itself is not there yet. */
static int open_in_use(const struct sz_store *s, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/.in-use", s->root);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM))
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		int e = errno;

		sz_error_make(err, e, _("cannot open '%s'"), path);
		errno = e;
	}
	return fd;
}

int sz_store_hold(const struct sz_store *s, sz_error_t *err)
{
	int fd = open_in_use(s, err);

	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_SH) < 0)
		if (errno != EINTR) {
			close(fd);
			return sz_error_make(err, errno, _("cannot lock '%s/.in-use'"), s->root);
		}
	return fd;
}

int sz_store_forget(const struct sz_store *s, const char *name, sz_error_t *err)
{
	cleanup_json json_t *index = sz_store_index(s, err);
	json_t *manifests, *entry;
	cleanup_free char *digest = NULL;
	cleanup_free char *ref = NULL;

	if (index == NULL)
		return -1;
	manifests = json_object_get(index, "manifests");
	entry = find_entry(manifests, name, err);
	if (entry == NULL)
		return -1;
	digest = sz_xstrdup(json_string_value(json_object_get(entry, "digest")) ?: "");
	ref = sz_xstrdup(
	    json_string_value(json_object_get(json_object_get(entry, "annotations"), SZ_REF_NAME)) ?: "");
	/* A name forgets that name; a digest, every name of the image. */
	for (size_t i = json_array_size(manifests); i-- > 0;) {
		json_t *m = json_array_get(manifests, i);
		const char *r =
		    json_string_value(json_object_get(json_object_get(m, "annotations"), SZ_REF_NAME));
		const char *d = json_string_value(json_object_get(m, "digest"));
		bool by_digest = strspn(name, "0123456789abcdef") == strlen(name) && strlen(name) >= 12;

		if ((by_digest && d != NULL && strcmp(d, digest) == 0) ||
		    (!by_digest && r != NULL && strcmp(r, ref) == 0))
			json_array_remove(manifests, i);
	}
	return sz_store_write_index(s, index, err);
}

/* The blob digests' hex and the layer directories the index's images use. */
static int collect_used(const struct sz_store *s, json_t *used, sz_error_t *err)
{
	cleanup_json json_t *index = sz_store_index(s, err);
	size_t i, j;
	json_t *m, *l;

	if (index == NULL)
		return -1;
	json_array_foreach (json_object_get(index, "manifests"), i, m) {
		const char *digest = json_string_value(json_object_get(m, "digest"));
		cleanup_json json_t *manifest = NULL;
		cleanup_json json_t *config = NULL;
		const char *config_digest;

		if (digest == NULL || !sz_digest_valid(digest))
			return sz_error_make(err, 0,
			                     _("index.json has a bad digest: not pruning a damaged store"));
		json_object_set_new(used, sz_digest_hex(digest), json_true());
		manifest = sz_store_read_json_blob(s, digest, err);
		if (manifest == NULL)
			return -1;
		config_digest =
		    json_string_value(json_object_get(json_object_get(manifest, "config"), "digest"));
		config = sz_store_read_json_blob(s, config_digest ?: "", err);
		if (config == NULL)
			return -1;
		json_object_set_new(used, sz_digest_hex(config_digest), json_true());
		json_array_foreach (json_object_get(manifest, "layers"), j, l) {
			const char *d = json_string_value(json_object_get(l, "digest"));
			if (d != NULL && sz_digest_valid(d))
				json_object_set_new(used, sz_digest_hex(d), json_true());
		}
		json_array_foreach (json_object_get(json_object_get(config, "rootfs"), "diff_ids"), j, l) {
			char dir[SZ_LAYER_DIR_LEN];
			if (!sz_digest_valid(json_string_value(l) ?: ""))
				continue;
			sz_layer_dir_name(json_string_value(l), dir);
			json_object_set_new(used, dir, json_true());
		}
	}
	return 0;
}

static int remove_unused(const char *dir, json_t *used, size_t *removed, sz_error_t *err)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot read '%s'"), dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || json_object_get(used, de->d_name) != NULL)
			continue;
		if (sz_rm_rf_at(dirfd(d), de->d_name, err) < 0)
			return -1;
		(*removed)++;
	}
	return 0;
}

int sz_store_prune(const struct sz_store *s, size_t *blobs, size_t *layers, sz_error_t *err)
{
	cleanup_json json_t *used = json_object();
	cleanup_free char *blob_dir = sz_asprintf("%s/blobs/sha256", s->root);
	cleanup_free char *layer_dir = sz_asprintf("%s/layers", s->root);

	cleanup_close int in_use = open_in_use(s, err);

	*blobs = *layers = 0;
	if (in_use < 0)
		return -1;
	if (flock(in_use, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			return sz_error_make(err, 0,
			                     _("containers are running from images of this store: prune when "
			                       "they have ended"));
		return sz_error_make(err, errno, _("cannot lock '%s/.in-use'"), s->root);
	}
	if (collect_used(s, used, err) < 0)
		return -1;
	if (remove_unused(blob_dir, used, blobs, err) < 0)
		return -1;
	return remove_unused(layer_dir, used, layers, err);
}

int sz_store_tag(const struct sz_store *s, const char *name, const char *new_name, sz_error_t *err)
{
	cleanup_json json_t *index = sz_store_index(s, err);
	cleanup_free char *ref = NULL;
	json_t *manifests, *entry, *copy;

	if (index == NULL)
		return -1;
	ref = sz_image_ref(new_name, err);
	if (ref == NULL)
		return -1;
	manifests = json_object_get(index, "manifests");
	entry = find_entry(manifests, name, err);
	if (entry == NULL)
		return -1;
	copy = json_deep_copy(entry);
	json_object_set_new(copy, "annotations", json_pack("{s:s}", SZ_REF_NAME, ref));
	/* The name leaves the image that had it, as docker tag does. */
	for (size_t i = json_array_size(manifests); i-- > 0;) {
		const char *r = json_string_value(json_object_get(
		    json_object_get(json_array_get(manifests, i), "annotations"), SZ_REF_NAME));
		if (r != NULL && strcmp(r, ref) == 0)
			json_array_remove(manifests, i);
	}
	json_array_append_new(manifests, copy);
	return sz_store_write_index(s, index, err);
}

void sz_image_log(FILE *log, const char *fmt, ...)
{
	va_list ap;

	if (log == NULL)
		return;
	va_start(ap, fmt);
	vfprintf(log, fmt, ap);
	va_end(ap);
	fputc('\n', log);
	fflush(log);
}
