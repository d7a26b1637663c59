/* SPDX-License-Identifier: GPL-3.0-or-later */
/* import.c - an OCI layout (or a tar of one, or docker's archive) verified and added to the store */
#include "image/import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/archive_dl.h"
#include "image/oci_json.h"
#include "image/unpack.h"

const char *sz_host_architecture(void)
{
	static const char *const names[][2] = {
	    {"x86_64", "amd64"},    {"aarch64", "arm64"}, {"armv7l", "arm"},      {"i686", "386"},
	    {"ppc64le", "ppc64le"}, {"s390x", "s390x"},   {"riscv64", "riscv64"},
	};
	static struct utsname u;

	if (uname(&u) < 0)
		return "unknown";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(u.machine, names[i][0]) == 0)
			return names[i][1];
	return u.machine;
}

/* What an import works with: the source's layout directory, and its own
 * scratch directory in the store's tmp/ (removed at the end). */
struct import {
	struct sz_store *store;
	const struct sz_archive_api *ar;
	const struct sz_import_options *o;
	char *src;     /* the layout being imported */
	char *shown;   /* how messages name src's files: "DIR/" or, for an archive
	                * unpacked into scratch (gone once the import ends), "app.tar:" */
	char *scratch; /* <store>/tmp/import-<pid> */
	json_t *links; /* an archive's symbolic links: path -> the path they lead to */
};

/* ---- a tar (oci-archive, docker-archive) into the scratch directory ---- */

static int write_entry(const struct sz_archive_api *ar, struct archive *a, int dir, const char *path,
                       const char *archive, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(path);
	char *slash = strrchr(copy, '/');
	cleanup_close int parent = -1;
	cleanup_close int out = -1;

	if (slash != NULL) {
		*slash = '\0';
		if (sz_mkdir_p(copy, 0700, err) < 0) /* relative to dir: the caller is in it */
			return -1;
		parent = open(copy, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	} else {
		parent = dup(dir);
	}
	if (parent < 0)
		return sz_error_make(err, errno, _("%s: cannot make '%s'"), archive, path);
	out = openat(parent, slash ? slash + 1 : copy, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	             0600);
	if (out < 0)
		return sz_error_make(err, errno, _("%s: cannot write '%s' (twice in the archive?)"), archive,
		                     path);
	for (;;) {
		const void *block;
		size_t len;
		la_int64_t off;
		int r = ar->archive_read_data_block(a, &block, &len, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r != ARCHIVE_OK)
			return sz_error_make(err, 0, _("%s: '%s': %s"), archive, path,
			                     ar->archive_error_string(a));
		if (pwrite(out, block, len, off) != (ssize_t)len)
			return sz_error_make(err, errno, _("cannot write '%s'"), path);
	}
}

/* "a/./b/../c" -> "a/c"; NULL when it is absolute, empty, or climbs out. */
static char *clean_rel(const char *path)
{
	cleanup_free char *copy = sz_xstrdup(path);
	struct sz_buf out;
	char *save = NULL;
	size_t depth = 0;

	if (path[0] == '/')
		return NULL;
	sz_buf_init(&out, strlen(path));
	for (char *c = strtok_r(copy, "/", &save); c != NULL; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			char *slash;

			if (depth == 0) {
				sz_buf_release(&out);
				return NULL;
			}
			depth--;
			slash = strrchr(out.buf, '/');
			out.len = slash ? (size_t)(slash - out.buf) : 0;
			out.buf[out.len] = '\0';
			continue;
		}
		sz_buf_addf(&out, "%s%s", out.len ? "/" : "", c);
		depth++;
	}
	if (out.len == 0) {
		sz_buf_release(&out);
		return NULL;
	}
	return sz_buf_detach(&out, NULL);
}

/*
 * A symbolic link of the archive (docker save links each <id>/layer.tar to
 * the blob beside it) is never made on disk, where a chain of links could
 * lead a later entry's file out of the scratch directory: it is kept in
 * im->links (its path -> its target as a path of the archive), and
 * docker_blob follows it there. A target outside the archive is refused.
 */
static int link_entry(struct import *im, struct archive_entry *e, const char *path, const char *archive,
                      sz_error_t *err)
{
	const char *target = im->ar->archive_entry_symlink(e);
	cleanup_free char *dir = sz_xstrdup(path);
	cleanup_free char *joined = NULL;
	cleanup_free char *resolved = NULL;
	char *slash = strrchr(dir, '/');

	if (slash != NULL)
		*slash = '\0';
	if (target != NULL && target[0] != '/')
		joined = slash != NULL ? sz_asprintf("%s/%s", dir, target) : sz_xstrdup(target);
	resolved = joined != NULL ? clean_rel(joined) : NULL;
	if (resolved == NULL)
		return sz_error_make(err, 0, _("%s: link '%s' points outside the archive ('%s')"), archive,
		                     path, target ? target : "");
	json_object_set_new(im->links, path, json_string(resolved));
	return 0;
}

/* Only directories, regular files and links inside it, with plain relative
 * names: an image archive has nothing else, and nothing it holds is
 * trusted yet. gzip or nothing: no external decompressor is ever started. */
static int untar(struct import *im, int fd, const char *name, sz_error_t *err)
{
	const struct sz_archive_api *ar = im->ar;
	cleanup_close int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int dir = open(im->scratch, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct archive *a = ar->archive_read_new();
	struct archive_entry *e;
	int r, ret = 0;

	ar->archive_read_support_filter_gzip(a);
	ar->archive_read_support_filter_none(a);
	ar->archive_read_support_format_tar(a);
	if (cwd < 0 || dir < 0 || fchdir(dir) < 0) {
		ar->archive_read_free(a);
		return sz_error_make(err, errno, _("cannot enter '%s'"), im->scratch);
	}
	if (ar->archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		ret = sz_error_make(err, 0, _("%s: %s"), name, ar->archive_error_string(a));
		goto out;
	}
	while ((r = ar->archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = ar->archive_entry_pathname(e);
		unsigned type = ar->archive_entry_filetype(e);
		cleanup_free char *clean = NULL;

		while (p != NULL && p[0] == '.' && p[1] == '/')
			p += 2;
		if (p != NULL && type == AE_IFDIR && (p[0] == '\0' || strcmp(p, ".") == 0))
			continue; /* the archive's own top directory */
		clean = p != NULL ? clean_rel(p) : NULL;
		/* Plain: nothing that cleaning changes, but a directory's final '/'. */
		if (clean == NULL || strncmp(clean, p, strlen(clean)) != 0 ||
		    strspn(p + strlen(clean), "/") != strlen(p + strlen(clean))) {
			ret =
			    sz_error_make(err, 0, _("%s: entry '%s' is not a plain name inside the archive"),
			                  name, p ? p : "");
			goto out;
		}
		if (type == AE_IFDIR)
			continue;
		if (type == AE_IFLNK && ar->archive_entry_hardlink(e) == NULL) {
			if (link_entry(im, e, p, name, err) < 0) {
				ret = -1;
				goto out;
			}
			continue;
		}
		if (type != AE_IFREG || ar->archive_entry_hardlink(e) != NULL) {
			ret = sz_error_make(
			    err, 0, _("%s: entry '%s' is not a file: an image archive holds only files"),
			    name, p);
			goto out;
		}
		if (write_entry(ar, a, dir, p, name, err) < 0) {
			ret = -1;
			goto out;
		}
	}
	if (r != ARCHIVE_EOF)
		ret = sz_error_make(err, 0, _("%s: %s"), name, ar->archive_error_string(a));
out:
	ar->archive_read_free(a);
	if (fchdir(cwd) < 0 && ret == 0)
		ret = sz_error_make(err, errno, "fchdir");
	return ret;
}

/* ---- blobs ---- */

/* Open the source's blob for desc (sz_oci_check_descriptor has accepted
 * it) after checking its size and digest. What is checked is what is
 * committed: a blob the store lacks is copied into the scratch directory as
 * it is hashed (blob-<hex>, which commit_blob renames into the store), and
 * the copy is returned, so a source that changes after the check changes
 * nothing; one the store has is only hashed. */
static int open_verified(const struct import *im, const json_t *desc, const char *what, sz_error_t *err)
{
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	json_t *size = json_object_get(desc, "size");
	cleanup_free char *path = NULL;
	cleanup_free char *stored = NULL;
	cleanup_free char *copy = NULL;
	cleanup_close int fd = -1;
	cleanup_close int out = -1;
	struct sz_hasher h;
	char got[SZ_DIGEST_LEN];
	char buf[65536];
	struct stat st;
	ssize_t n;

	path = sz_asprintf("%s/blobs/sha256/%s", im->src, sz_digest_hex(digest));
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sz_error_make(err, errno == ENOENT ? 0 : errno,
		                     _("the %s %s is missing from the image (no blobs/sha256/%.12s…)"), what,
		                     digest, sz_digest_hex(digest));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return sz_error_make(err, errno, _("the %s %s is not a file"), what, digest);
	if ((uint64_t)st.st_size != (uint64_t)json_integer_value(size))
		return sz_error_make(err, 0, _("the %s %s has %lld bytes where its descriptor says %lld"),
		                     what, digest, (long long)st.st_size,
		                     (long long)json_integer_value(size));
	stored = sz_store_blob_path(im->store, digest);
	if (access(stored, F_OK) < 0) {
		copy = sz_asprintf("%s/blob-%s", im->scratch, sz_digest_hex(digest));
		out = open(copy, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (out < 0)
			return sz_error_make(err, errno, _("cannot copy blob %s into the store"), digest);
	}
	sz_hasher_init(&h);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		sz_hasher_add(&h, buf, (size_t)n);
		if (out >= 0 && sz_write_all(out, buf, (size_t)n) < 0)
			return sz_error_make(err, errno, _("cannot copy blob %s into the store"), digest);
	}
	if (n < 0)
		return sz_error_make(err, errno, _("cannot read '%s'"), path);
	sz_hasher_finish(&h, got);
	if (strcmp(got, digest) != 0)
		return sz_error_make(
		    err, 0,
		    _("the %s's content does not match its digest: %sblobs/sha256/%s is named "
		      "%s but its sha256 is %s"),
		    what, im->shown, sz_digest_hex(digest), digest, got);
	if (out >= 0) {
		close(sz_steal_fd(&fd));
		fd = sz_steal_fd(&out);
	}
	if (lseek(fd, 0, SEEK_SET) < 0)
		return sz_error_make(err, errno, "lseek");
	return sz_steal_fd(&fd);
}

/* The blob desc names, verified and parsed: import's sz_oci_blobs. */
static json_t *read_verified_json(void *ctx, const json_t *desc, const char *what, sz_error_t *err)
{
	const struct import *im = ctx;
	cleanup_close int fd = -1;
	cleanup_free char *text = NULL;
	size_t len = (size_t)json_integer_value(json_object_get(desc, "size"));
	const char *digest = json_string_value(json_object_get(desc, "digest"));

	fd = open_verified(im, desc, what, err);
	if (fd < 0)
		return NULL;
	text = sz_xmalloc(len + 1);
	if (sz_read_all(fd, text, len) != (ssize_t)len) {
		sz_error_make(err, errno, _("cannot read the %s %s"), what, digest);
		return NULL;
	}
	return sz_json_parse(text, len, digest, err);
}

/* A verified blob into the store: the copy open_verified made, renamed. */
static int commit_blob(const struct import *im, const char *digest, sz_error_t *err)
{
	cleanup_free char *to = sz_store_blob_path(im->store, digest);
	cleanup_free char *copy = sz_asprintf("%s/blob-%s", im->scratch, sz_digest_hex(digest));
	cleanup_close int fd = -1;

	if (access(to, F_OK) == 0)
		return 0;
	fd = open(copy, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0 || rename(copy, to) < 0)
		return sz_error_make(err, errno, _("cannot add blob %s to the store"), digest);
	return 0;
}

/* ---- docker-archive: manifest.json to an OCI layout ---- */

static const char *sniff_layer_type(int fd)
{
	unsigned char m[4] = {0};

	if (pread(fd, m, sizeof(m), 0) < 2)
		return "application/vnd.oci.image.layer.v1.tar";
	if (m[0] == 0x1f && m[1] == 0x8b)
		return "application/vnd.oci.image.layer.v1.tar+gzip";
	if (m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
		return "application/vnd.oci.image.layer.v1.tar+zstd";
	return "application/vnd.oci.image.layer.v1.tar";
}

/* rel under dir, through no link (an archive's are not on disk: link_entry). */
static int open_beneath(const char *dir, const char *rel)
{
	struct open_how how = {.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC,
	                       .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS};
	cleanup_close int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return -1;
	return (int)syscall(SYS_openat2, dfd, rel, &how, sizeof(how));
}

/* Link the scratch file at rel as blobs/sha256/<its digest>; its descriptor. */
static json_t *docker_blob(const struct import *im, const char *rel, const char *type, sz_error_t *err)
{
	cleanup_free char *real = rel != NULL ? clean_rel(rel) : NULL;
	cleanup_free char *dest = NULL;
	cleanup_free char *from = NULL;
	cleanup_close int fd = -1;
	char digest[SZ_DIGEST_LEN];
	uint64_t size;

	/* Through the archive's links (link_entry), a few at most. */
	for (int hops = 0; real != NULL && hops < 8; hops++) {
		const char *to = json_string_value(json_object_get(im->links, real));
		if (to == NULL)
			break;
		free(real);
		real = sz_xstrdup(to);
	}
	if (real == NULL) {
		sz_error_make(err, 0, _("manifest.json names '%s', which is not a file of the archive"),
		              rel ? rel : "");
		return NULL;
	}
	fd = open_beneath(im->scratch, real);
	if (fd < 0 || sz_digest_fd(fd, digest, &size, err) < 0) {
		if (fd < 0)
			sz_error_make(err, errno == ENOENT ? 0 : errno,
			              _("manifest.json names '%s', which the archive does not have"), rel);
		return NULL;
	}
	from = sz_asprintf("%s/%s", im->scratch, real);
	dest = sz_asprintf("%s/blobs/sha256/%s", im->scratch, sz_digest_hex(digest));
	if (link(from, dest) < 0 && errno != EEXIST) {
		sz_error_make(err, errno, _("cannot file '%s' by its digest"), rel);
		return NULL;
	}
	return json_pack("{s:s, s:s, s:I}", "mediaType", type ? type : sniff_layer_type(fd), "digest", digest,
	                 "size", (json_int_t)size);
}

/* src's file rel (index.json, manifest.json), parsed; errors name it as shown. */
static json_t *load_member(const struct import *im, const char *rel, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%s/%s", im->src, rel);
	cleanup_free char *name = sz_asprintf("%s%s", im->shown, rel);
	cleanup_free char *text = NULL;
	size_t len = 0;

	if (sz_read_file(path, &text, &len, err) < 0)
		return NULL;
	return sz_json_parse(text, len, name, err);
}

static int docker_to_layout(struct import *im, sz_error_t *err)
{
	cleanup_free char *path = sz_asprintf("%smanifest.json", im->shown);
	cleanup_free char *blobs = sz_asprintf("%s/blobs/sha256", im->scratch);
	cleanup_json json_t *list = load_member(im, "manifest.json", err);
	cleanup_json json_t *manifest = NULL;
	cleanup_json json_t *index = NULL;
	cleanup_free char *text = NULL;
	json_t *entry, *layers, *l, *config, *desc;
	const char *tag;
	size_t i;

	if (list == NULL || sz_docker_check_manifest(list, path, err) < 0)
		return -1;
	entry = json_array_get(list, 0);
	if (sz_mkdir_p(blobs, 0700, err) < 0)
		return -1;
	config = docker_blob(im, json_string_value(json_object_get(entry, "Config")), SZ_MT_OCI_CONFIG, err);
	if (config == NULL)
		return -1;
	manifest = json_pack("{s:i, s:s, s:o, s:[]}", "schemaVersion", 2, "mediaType", SZ_MT_OCI_MANIFEST,
	                     "config", config, "layers");
	layers = json_object_get(entry, "Layers");
	json_array_foreach (layers, i, l) {
		json_t *d = docker_blob(im, json_string_value(l), NULL, err);
		if (d == NULL)
			return -1;
		json_array_append_new(json_object_get(manifest, "layers"), d);
	}
	text = json_dumps(manifest, JSON_COMPACT | JSON_PRESERVE_ORDER);
	{
		struct sz_hasher h;
		char digest[SZ_DIGEST_LEN];
		cleanup_free char *mpath = NULL;

		sz_hasher_init(&h);
		sz_hasher_add(&h, text, strlen(text));
		sz_hasher_finish(&h, digest);
		mpath = sz_asprintf("%s/%s", blobs, sz_digest_hex(digest));
		if (sz_write_file(mpath, text, strlen(text), 0600, err) < 0)
			return -1;
		desc = json_pack("{s:s, s:s, s:I}", "mediaType", SZ_MT_OCI_MANIFEST, "digest", digest, "size",
		                 (json_int_t)strlen(text));
	}
	tag = json_string_value(json_array_get(json_object_get(entry, "RepoTags"), 0));
	if (tag != NULL)
		json_object_set_new(desc, "annotations", json_pack("{s:s}", SZ_REF_NAME, tag));
	index = json_pack("{s:i, s:[o]}", "schemaVersion", 2, "manifests", desc);
	free(text);
	text = json_dumps(index, JSON_COMPACT);
	free(path);
	path = sz_asprintf("%s/index.json", im->scratch);
	return sz_write_file(path, text, strlen(text), 0600, err);
}

/* ---- the import ---- */

struct layer_work {
	const char *digest;
	const char *diff_id;
	char dir[SZ_LAYER_DIR_LEN];
	bool present; /* already in the store */
};

/* Verify layer i (its descriptor checked by sz_oci_check_manifest), then
 * unpack it into the scratch directory unless the store has it. */
static int prepare_layer(struct import *im, json_t *desc, size_t i, size_t n, struct layer_work *w,
                         sz_error_t *err)
{
	const char *type = json_string_value(json_object_get(desc, "mediaType"));
	cleanup_free char *existing = NULL;
	cleanup_free char *dir = NULL;
	cleanup_close int fd = -1;
	struct sz_unpack_stats st;
	char diff[SZ_DIGEST_LEN];
	enum sz_compression comp;

	w->digest = json_string_value(json_object_get(desc, "digest"));
	fd = open_verified(im, desc, _("layer"), err);
	if (fd < 0)
		return -1;
	comp = sz_layer_compression(type);
	if (sz_layer_diff_id(im->ar, fd, comp, diff, err) < 0)
		return sz_error_wrap(err, _("layer %s"), w->digest);
	if (strcmp(diff, w->diff_id) != 0)
		return sz_error_make(err, 0,
		                     _("layer %s unpacks to %s, but the config says its diff-id is %s"),
		                     w->digest, diff, w->diff_id);
	sz_layer_dir_name(w->diff_id, w->dir);
	existing = sz_asprintf("%s/layers/%s/diff-id", im->store->root, w->dir);
	if (access(existing, F_OK) == 0) {
		cleanup_free char *text = NULL;
		size_t len;

		if (sz_read_file(existing, &text, &len, err) < 0)
			return -1;
		if (strcmp(text, w->diff_id) != 0)
			return sz_error_make(
			    err, 0,
			    _("layers %s and %s share their first %d digits: stanza cannot hold both"), text,
			    w->diff_id, SZ_LAYER_DIR_LEN - 1);
		w->present = true;
		sz_image_log(im->o->log, _("layer %zu/%zu %.19s… already in the store"), i + 1, n, w->digest);
		return 0;
	}
	dir = sz_asprintf("%s/layer-%s/fs", im->scratch, w->dir);
	if (sz_mkdir_p(dir, 0755, err) < 0)
		return -1;
	if (sz_layer_unpack(im->ar, fd, comp, dir, im->store->rootless, w->digest, &st, err) < 0)
		return -1;
	sz_image_log(im->o->log,
	             _("layer %zu/%zu %.19s… unpacked: %zu entries, %zu whiteouts, %zu opaque directories"),
	             i + 1, n, w->digest, st.entries, st.whiteouts, st.opaque_dirs);
	if (st.devices_skipped > 0 && im->o->log != NULL)
		sz_error_say(_("layer %s: %zu device nodes skipped (without root they cannot be made)"),
		             w->digest, st.devices_skipped);
	free(dir);
	dir = sz_asprintf("%s/layer-%s/diff-id", im->scratch, w->dir);
	return sz_write_file(dir, w->diff_id, strlen(w->diff_id), 0644, err);
}

static int commit_layer(const struct import *im, const struct layer_work *w, sz_error_t *err)
{
	cleanup_free char *from = sz_asprintf("%s/layer-%s", im->scratch, w->dir);
	cleanup_free char *to = sz_asprintf("%s/layers/%s", im->store->root, w->dir);

	if (w->present)
		return 0;
	if (rename(from, to) < 0 && errno != EEXIST && errno != ENOTEMPTY)
		return sz_error_make(err, errno, _("cannot add layer %s to the store"), w->diff_id);
	return 0;
}

static int update_index(const struct import *im, json_t *desc, const char *ref, sz_error_t *err)
{
	cleanup_json json_t *index = sz_store_index(im->store, err);
	json_t *manifests, *entry, *m;
	size_t i;

	if (index == NULL)
		return -1;
	manifests = json_object_get(index, "manifests");
	/* The name moves to the new image, as docker load does. */
	for (i = json_array_size(manifests); i-- > 0;) {
		m = json_array_get(manifests, i);
		const char *r =
		    json_string_value(json_object_get(json_object_get(m, "annotations"), SZ_REF_NAME));
		if (r != NULL && strcmp(r, ref) == 0)
			json_array_remove(manifests, i);
	}
	entry = json_pack("{s:s, s:O, s:O, s:{s:s}}", "mediaType",
	                  json_string_value(json_object_get(desc, "mediaType")) ?: SZ_MT_OCI_MANIFEST,
	                  "digest", json_object_get(desc, "digest"), "size", json_object_get(desc, "size"),
	                  "annotations", SZ_REF_NAME, ref);
	json_array_append_new(manifests, entry);
	return sz_store_write_index(im->store, index, err);
}

static int import_layout(struct import *im, struct sz_import_result *res, sz_error_t *err)
{
	cleanup_free char *index_path = sz_asprintf("%sindex.json", im->shown);
	cleanup_json json_t *index = load_member(im, "index.json", err);
	cleanup_json json_t *desc = NULL;
	cleanup_json json_t *manifest = NULL;
	cleanup_json json_t *config = NULL;
	cleanup_free struct layer_work *work = NULL;
	cleanup_free char *ref = NULL;
	const struct sz_oci_blobs blobs = {.read_json = read_verified_json, .ctx = im};
	const char *arch = sz_host_architecture();
	const char *name;
	json_t *layers, *l;
	size_t n, i;

	if (index == NULL)
		return -1;
	desc = sz_oci_choose_manifest(index, index_path, arch, &blobs, err);
	if (desc == NULL)
		return -1;
	name = im->o->name
	           ? im->o->name
	           : json_string_value(json_object_get(json_object_get(desc, "annotations"), SZ_REF_NAME));
	if (name == NULL)
		return sz_error_make(
		    err, 0, _("%s gives the image no name: give it one with --name NAME[:TAG]"), im->o->path);
	ref = sz_image_ref(name, err);
	if (ref == NULL)
		return -1;
	if (sz_oci_read_image(desc, arch, &blobs, &manifest, &config, err) < 0)
		return -1;
	layers = json_object_get(manifest, "layers");
	n = json_array_size(layers);
	sz_image_log(im->o->log, _("manifest %.19s… and config verified: %s, %zu layers"),
	             json_string_value(json_object_get(desc, "digest")), ref, n);
	work = sz_xcalloc(n, sizeof(*work));
	json_array_foreach (layers, i, l) {
		work[i].diff_id = json_string_value(
		    json_array_get(json_object_get(json_object_get(config, "rootfs"), "diff_ids"), i));
		if (prepare_layer(im, l, i, n, &work[i], err) < 0)
			return -1;
	}
	/* Everything checked: now into the store, the index last. */
	for (i = 0; i < n; i++)
		if (commit_layer(im, &work[i], err) < 0 || commit_blob(im, work[i].digest, err) < 0)
			return -1;
	if (commit_blob(im, json_string_value(json_object_get(json_object_get(manifest, "config"), "digest")),
	                err) < 0 ||
	    commit_blob(im, json_string_value(json_object_get(desc, "digest")), err) < 0 ||
	    update_index(im, desc, ref, err) < 0)
		return -1;
	res->ref = steal_pointer(&ref);
	snprintf(res->manifest_digest, sizeof(res->manifest_digest), "%s",
	         json_string_value(json_object_get(desc, "digest")));
	res->n_layers = n;
	for (i = 0; i < n; i++)
		res->new_layers += !work[i].present;
	return 0;
}

int sz_image_import(struct sz_store *s, const struct sz_import_options *o, struct sz_import_result *res,
                    sz_error_t *err)
{
	struct import im = {.store = s, .o = o, .links = json_object()};
	struct stat st;
	int r = -1;

	*res = (struct sz_import_result){0};
	im.ar = sz_archive_api(err);
	if (im.ar == NULL)
		return -1;
	im.scratch = sz_asprintf("%s/tmp/import-%ld", s->root, (long)getpid());
	if (sz_mkdir_p(im.scratch, 0700, err) < 0)
		goto out;
	if (strcmp(o->path, "-") != 0 && stat(o->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cleanup_free char *layout = sz_asprintf("%s/oci-layout", o->path);
		if (access(layout, F_OK) < 0) {
			sz_error_make(
			    err, 0,
			    _("'%s' is a directory but not an OCI image layout (it has no oci-layout file)"),
			    o->path);
			goto out;
		}
		im.src = sz_xstrdup(o->path);
		im.shown = sz_asprintf("%s/", o->path);
	} else {
		cleanup_close int fd =
		    strcmp(o->path, "-") == 0 ? dup(0) : open(o->path, O_RDONLY | O_CLOEXEC);
		cleanup_free char *has = NULL;

		if (fd < 0) {
			sz_error_make(err, errno, _("cannot open '%s'"), o->path);
			goto out;
		}
		if (untar(&im, fd, o->path, err) < 0)
			goto out;
		im.src = sz_xstrdup(im.scratch);
		im.shown = sz_asprintf("%s:", strcmp(o->path, "-") == 0 ? _("standard input") : o->path);
		has = sz_asprintf("%s/index.json", im.scratch);
		if (access(has, F_OK) < 0) {
			free(has);
			has = sz_asprintf("%s/manifest.json", im.scratch);
			if (access(has, F_OK) < 0) {
				sz_error_make(
				    err, 0,
				    _("'%s' is neither an OCI archive (no index.json) nor a docker archive "
				      "(no manifest.json)"),
				    o->path);
				goto out;
			}
			if (docker_to_layout(&im, err) < 0)
				goto out;
		}
	}
	r = import_layout(&im, res, err);
out:
	if (im.scratch != NULL) {
		sz_error_t ignored = NULL;
		sz_rm_rf_at(AT_FDCWD, im.scratch, &ignored);
		sz_error_release(&ignored);
	}
	free(im.scratch);
	free(im.src);
	free(im.shown);
	json_decref(im.links);
	return r;
}

void sz_import_result_release(struct sz_import_result *res)
{
	free(res->ref);
	*res = (struct sz_import_result){0};
}
