/* SPDX-License-Identifier: GPL-3.0-or-later */
/* export.c - the store's blobs of one image written out as an OCI layout, as a directory or a tar */
#include "image/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/archive_dl.h"

static const char layout_text[] = "{\"imageLayoutVersion\":\"1.0.0\"}";

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The image's blobs' digests, sorted, without repeats (two layers may be
 * one blob). */
static json_t *blob_list(const struct sz_image *img)
{
	cleanup_json json_t *set = json_object();
	cleanup_free const char **names = NULL;
	json_t *list = json_array();
	const char *key;
	size_t i = 0, n;
	json_t *v, *l;

	json_object_set_new(set, img->manifest_digest, json_true());
	json_object_set_new(
	    set, json_string_value(json_object_get(json_object_get(img->manifest, "config"), "digest")),
	    json_true());
	json_array_foreach (json_object_get(img->manifest, "layers"), n, l)
		json_object_set_new(set, json_string_value(json_object_get(l, "digest")), json_true());
	names = sz_xcalloc(json_object_size(set), sizeof(*names));
	json_object_foreach (set, key, v)
		names[i++] = key;
	qsort(names, i, sizeof(*names), by_name);
	for (n = 0; n < i; n++)
		json_array_append_new(list, json_string(names[n]));
	return list;
}

static char *index_text(const struct sz_image *img)
{
	cleanup_json json_t *index = json_pack(
	    "{s:i, s:s, s:[{s:s, s:s, s:I, s:{s:s}}]}", "schemaVersion", 2, "mediaType",
	    "application/vnd.oci.image.index.v1+json", "manifests", "mediaType",
	    json_string_value(json_object_get(img->manifest, "mediaType"))
	        ?: "application/vnd.oci.image.manifest.v1+json",
	    "digest", img->manifest_digest, "size", (json_int_t)0, "annotations", SZ_REF_NAME, img->ref);
	return json_dumps(index, JSON_COMPACT | JSON_PRESERVE_ORDER);
}

/* The manifest's size, which index.json must give. */
static int set_manifest_size(const struct sz_store *s, const struct sz_image *img, char **text,
                             sz_error_t *err)
{
	cleanup_free char *path = sz_store_blob_path(s, img->manifest_digest);
	cleanup_json json_t *index = NULL;
	struct stat st;

	if (stat(path, &st) < 0)
		return sz_error_make(err, errno, _("cannot read blob %s"), img->manifest_digest);
	index = json_loads(*text, 0, NULL);
	json_object_set_new(json_array_get(json_object_get(index, "manifests"), 0), "size",
	                    json_integer((json_int_t)st.st_size));
	free(*text);
	*text = json_dumps(index, JSON_COMPACT | JSON_PRESERVE_ORDER);
	return 0;
}

static int copy_fd(int in, int out)
{
	ssize_t n;

	while ((n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) > 0)
		;
	if (n == 0)
		return 0;
	if (errno != EXDEV && errno != ENOSYS && errno != EINVAL)
		return -1;
	for (char buf[65536]; (n = read(in, buf, sizeof(buf))) > 0;)
		if (sz_write_all(out, buf, (size_t)n) < 0)
			return -1;
	return n < 0 ? -1 : 0;
}

static int export_dir(const struct sz_store *s, json_t *blobs, const char *index, const char *path,
                      sz_error_t *err)
{
	cleanup_free char *tmp = sz_asprintf("%s.partial-%ld", path, (long)getpid());
	cleanup_free char *dir = sz_asprintf("%s/blobs/sha256", tmp);
	cleanup_free char *file = NULL;
	size_t i;
	json_t *d;

	if (access(path, F_OK) == 0)
		return sz_error_make(err, EEXIST,
		                     _("'%s' exists: give a new directory, or a name ending in .tar"), path);
	if (sz_mkdir_p(dir, 0755, err) < 0)
		return -1;
	json_array_foreach (blobs, i, d) {
		cleanup_free char *from = sz_store_blob_path(s, json_string_value(d));
		cleanup_free char *to = sz_asprintf("%s/%s", dir, sz_digest_hex(json_string_value(d)));
		cleanup_close int in = open(from, O_RDONLY | O_CLOEXEC);
		cleanup_close int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

		if (in < 0 || out < 0 || copy_fd(in, out) < 0)
			goto fail;
	}
	file = sz_asprintf("%s/oci-layout", tmp);
	if (sz_write_file(file, layout_text, strlen(layout_text), 0644, err) < 0)
		goto fail_quiet;
	free(file);
	file = sz_asprintf("%s/index.json", tmp);
	if (sz_write_file(file, index, strlen(index), 0644, err) < 0)
		goto fail_quiet;
	if (rename(tmp, path) < 0)
		goto fail;
	return 0;
fail:
	sz_error_make(err, errno, _("cannot write '%s'"), path);
fail_quiet : {
	sz_error_t ignored = NULL;
	sz_rm_rf_at(AT_FDCWD, tmp, &ignored);
	sz_error_release(&ignored);
}
	return -1;
}

/* One tar entry: a directory (data NULL, fd -1), bytes, or a file's content. */
static int tar_entry(const struct sz_archive_api *ar, struct archive *a, const char *name, const char *data,
                     int fd, int64_t size, time_t mtime)
{
	struct archive_entry *e = ar->archive_entry_new();
	int r;

	ar->archive_entry_set_pathname(e, name);
	ar->archive_entry_set_filetype(e, data == NULL && fd < 0 ? AE_IFDIR : AE_IFREG);
	ar->archive_entry_set_perm(e, data == NULL && fd < 0 ? 0755 : 0644);
	ar->archive_entry_set_size(e, data == NULL && fd < 0 ? 0 : size);
	ar->archive_entry_set_mtime(e, mtime, 0);
	ar->archive_entry_set_uid(e, 0);
	ar->archive_entry_set_gid(e, 0);
	r = ar->archive_write_header(a, e);
	ar->archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return -1;
	if (data != NULL)
		return ar->archive_write_data(a, data, (size_t)size) == size ? 0 : -1;
	if (fd >= 0) {
		char buf[65536];
		ssize_t n;

		while ((n = read(fd, buf, sizeof(buf))) > 0)
			if (ar->archive_write_data(a, buf, (size_t)n) != n)
				return -1;
		return n < 0 ? -1 : 0;
	}
	return 0;
}

static time_t source_date(void)
{
	const char *env = getenv("SOURCE_DATE_EPOCH");
	uint64_t t;
	sz_error_t ignored = NULL;

	if (env == NULL || sz_parse_uint(env, 0, INT64_MAX, &t, &ignored) < 0) {
		sz_error_release(&ignored);
		return 0;
	}
	return (time_t)t;
}

static int export_tar(const struct sz_store *s, json_t *blobs, const char *index, const char *path,
                      sz_error_t *err)
{
	const struct sz_archive_api *ar = sz_archive_api(err);
	bool to_stdout = strcmp(path, "-") == 0;
	cleanup_free char *tmp = sz_asprintf("%s.partial-%ld", path, (long)getpid());
	cleanup_close int fd = -1;
	struct archive *a;
	time_t mtime = source_date();
	int r = 0;
	size_t i;
	json_t *d;

	if (ar == NULL)
		return -1;
	fd = to_stdout ? dup(1) : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot write '%s'"),
		                     to_stdout ? _("standard output") : tmp);
	a = ar->archive_write_new();
	ar->archive_write_set_format_pax_restricted(a);
	if (ar->archive_write_open_fd(a, fd) != ARCHIVE_OK)
		r = -1;
	/* In name order: blobs/, blobs/sha256/, its files, index.json, oci-layout. */
	if (r == 0)
		r = tar_entry(ar, a, "blobs", NULL, -1, 0, mtime);
	if (r == 0)
		r = tar_entry(ar, a, "blobs/sha256", NULL, -1, 0, mtime);
	json_array_foreach (blobs, i, d) {
		cleanup_free char *from = sz_store_blob_path(s, json_string_value(d));
		cleanup_free char *name = sz_asprintf("blobs/sha256/%s", sz_digest_hex(json_string_value(d)));
		cleanup_close int in = open(from, O_RDONLY | O_CLOEXEC);
		struct stat st;

		if (r == 0 && (in < 0 || fstat(in, &st) < 0))
			r = sz_error_make(err, errno, _("cannot read blob %s"), json_string_value(d));
		if (r == 0)
			r = tar_entry(ar, a, name, NULL, in, st.st_size, mtime);
	}
	if (r == 0)
		r = tar_entry(ar, a, "index.json", index, -1, (int64_t)strlen(index), mtime);
	if (r == 0)
		r = tar_entry(ar, a, "oci-layout", layout_text, -1, (int64_t)strlen(layout_text), mtime);
	if (ar->archive_write_close(a) != ARCHIVE_OK && r == 0)
		r = -1;
	if (r < 0 && *err == NULL)
		sz_error_make(err, ar->archive_errno(a), _("cannot write '%s': %s"), path,
		              ar->archive_error_string(a) ?: "?");
	ar->archive_write_free(a);
	if (to_stdout)
		return r;
	if (r == 0 && (fsync(fd) < 0 || rename(tmp, path) < 0))
		r = sz_error_make(err, errno, _("cannot write '%s'"), path);
	if (r < 0)
		unlink(tmp);
	return r;
}

int sz_image_export(const struct sz_store *s, const char *name, const char *path, sz_error_t *err)
{
	struct sz_image img;
	cleanup_json json_t *blobs = NULL;
	cleanup_free char *index = NULL;
	size_t len = strlen(path);
	int r;

	if (sz_store_load_image(s, name, &img, err) < 0)
		return -1;
	blobs = blob_list(&img);
	index = index_text(&img);
	r = set_manifest_size(s, &img, &index, err);
	if (r == 0 && (strcmp(path, "-") == 0 || (len > 4 && strcmp(path + len - 4, ".tar") == 0)))
		r = export_tar(s, blobs, index, path, err);
	else if (r == 0)
		r = export_dir(s, blobs, index, path, err);
	sz_image_release(&img);
	return r;
}
