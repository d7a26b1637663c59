/* SPDX-License-Identifier: GPL-3.0-or-later */
/* unpack.c - layer tars unpacked with libarchive's secure extraction, OCI whiteouts made overlayfs's */
#include "image/unpack.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#define WH_PREFIX ".wh."
#define WH_OPAQUE ".wh..wh..opq"

int sz_layer_compression(const char *media_type)
{
	size_t n = media_type ? strlen(media_type) : 0;

	if (n == 0 || (!sz_str_has_prefix(media_type, "application/vnd.oci.image.layer.") &&
	               !sz_str_has_prefix(media_type, "application/vnd.docker.image.rootfs.")))
		return -1;
	if ((n > 5 && strcmp(media_type + n - 5, "+gzip") == 0) ||
	    (n > 5 && strcmp(media_type + n - 5, ".gzip") == 0))
		return SZ_COMP_GZIP;
	if (n > 5 && strcmp(media_type + n - 5, "+zstd") == 0)
		return SZ_COMP_ZSTD;
	if (n > 4 && strcmp(media_type + n - 4, ".tar") == 0)
		return SZ_COMP_NONE;
	return -1;
}

static struct archive *open_reader(const struct sz_archive_api *ar, int fd, enum sz_compression comp,
                                   bool raw, const char *name, sz_error_t *err)
{
	struct archive *a;

	if (lseek(fd, 0, SEEK_SET) < 0) {
		sz_error_make(err, errno, _("cannot read blob %s"), name);
		return NULL;
	}
	a = ar->archive_read_new();
	if (comp == SZ_COMP_GZIP)
		ar->archive_read_support_filter_gzip(a);
	else if (comp == SZ_COMP_ZSTD)
		ar->archive_read_support_filter_zstd(a);
	else
		ar->archive_read_support_filter_none(a);
	if (raw)
		ar->archive_read_support_format_raw(a);
	else
		ar->archive_read_support_format_tar(a);
	if (ar->archive_read_open_fd(a, fd, 65536) != ARCHIVE_OK) {
		if (name[0] == '\0') /* the caller names the blob */
			sz_error_make(err, 0, "%s", ar->archive_error_string(a) ?: _("cannot decompress"));
		else
			sz_error_make(err, 0, _("blob %s: %s"), name, ar->archive_error_string(a));
		ar->archive_read_free(a);
		return NULL;
	}
	return a;
}

int sz_layer_diff_id(const struct sz_archive_api *ar, int fd, enum sz_compression comp,
                     char out[SZ_DIGEST_LEN], sz_error_t *err)
{
	struct archive *a = open_reader(ar, fd, comp, true, "", err);
	struct archive_entry *e;
	struct sz_hasher h;
	int r;

	if (a == NULL)
		return -1;
	sz_hasher_init(&h);
	r = ar->archive_read_next_header(a, &e);
	while (r == ARCHIVE_OK) {
		const void *block;
		size_t len;
		la_int64_t off;

		r = ar->archive_read_data_block(a, &block, &len, &off);
		if (r == ARCHIVE_OK)
			sz_hasher_add(&h, block, len);
	}
	if (r != ARCHIVE_EOF) {
		sz_error_make(err, 0, "%s", ar->archive_error_string(a) ?: _("cannot decompress"));
		ar->archive_read_free(a);
		return -1;
	}
	ar->archive_read_free(a);
	sz_hasher_finish(&h, out);
	return 0;
}

/* "./a/b/" -> "a/b"; NULL for an absolute path or one with "..", and for
 * the layer's root itself ("." or ""). */
static char *clean_path(const char *path, bool *bad)
{
	char *p, *q;

	*bad = false;
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	if (path[0] == '/') {
		*bad = true;
		return NULL;
	}
	p = sz_xstrdup(path);
	for (size_t n = strlen(p); n > 0 && p[n - 1] == '/'; n--)
		p[n - 1] = '\0';
	if (p[0] == '\0' || strcmp(p, ".") == 0) {
		free(p);
		return NULL;
	}
	for (q = p; q != NULL; q = strchr(q, '/') ? strchr(q, '/') + 1 : NULL)
		if (strncmp(q, "..", 2) == 0 && (q[2] == '/' || q[2] == '\0')) {
			*bad = true;
			free(p);
			return NULL;
		}
	return p;
}

/* Open (making what is missing) the directory path under root, never
 * through a symbolic link. */
static int open_dir_beneath(int root, const char *path, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(path);
	int fd = dup(root);
	char *save = NULL;

	for (char *c = strtok_r(copy, "/", &save); c != NULL && fd >= 0; c = strtok_r(NULL, "/", &save)) {
		int next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		if (next < 0 && errno == ENOENT && mkdirat(fd, c, 0755) == 0)
			next = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			sz_error_make(err, errno, _("cannot make directory '%s' in the layer"), path);
			close(fd);
			return -1;
		}
		close(fd);
		fd = next;
	}
	return fd;
}

static int make_whiteout(int root, const char *path, bool rootless, struct sz_unpack_stats *stats,
                         sz_error_t *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	cleanup_free char *parent = slash ? sz_asprintf("%.*s", (int)(slash - path), path) : sz_xstrdup("");
	cleanup_close int dir = open_dir_beneath(root, parent, err);

	if (dir < 0)
		return -1;
	if (strcmp(base, WH_OPAQUE) == 0) {
		const char *attr = rootless ? "user.overlay.opaque" : "trusted.overlay.opaque";

		if (fsetxattr(dir, attr, "y", 1, 0) < 0)
			return sz_error_make(err, errno, _("cannot mark '%s' opaque (%s)"),
			                     parent[0] ? parent : "/", attr);
		stats->opaque_dirs++;
		return 0;
	}
	base += strlen(WH_PREFIX);
	if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return sz_error_make(err, 0, _("'%s' is not a whiteout of anything"), path);
	/* A 0:0 character device: which any user may make (Linux 5.8). */
	if (mknodat(dir, base, S_IFCHR | 0000, makedev(0, 0)) < 0 && errno != EEXIST)
		return sz_error_make(err, errno, _("cannot make the whiteout of '%s'"), path);
	stats->whiteouts++;
	return 0;
}

/* A layer's trusted.overlay.* and user.overlay.* would be read by the
 * overlay the layer is mounted in (a redirect, an opaque mark, an origin):
 * only whiteouts made here say that. The other attributes stay. */
static void drop_overlay_xattrs(const struct sz_archive_api *ar, struct archive_entry *e)
{
	struct kept {
		const char *name;
		const void *value;
		size_t size;
	} kept[64];
	size_t n = 0;
	bool drop = false;
	const char *name;
	const void *value;
	size_t size;

	if (ar->archive_entry_xattr_reset(e) == 0)
		return;
	while (ar->archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
		if (sz_str_has_prefix(name, "trusted.overlay.") || sz_str_has_prefix(name, "user.overlay."))
			drop = true;
		else if (n < sizeof(kept) / sizeof(kept[0]))
			kept[n++] = (struct kept){name, value, size};
	}
	if (!drop)
		return;
	/* The names and values belong to the entry: copy them before clearing. */
	{
		char *names[64];
		void *values[64];

		for (size_t i = 0; i < n; i++) {
			names[i] = sz_xstrdup(kept[i].name);
			values[i] = sz_xmalloc(kept[i].size ? kept[i].size : 1);
			memcpy(values[i], kept[i].value, kept[i].size);
		}
		ar->archive_entry_xattr_clear(e);
		for (size_t i = 0; i < n; i++) {
			ar->archive_entry_xattr_add_entry(e, names[i], values[i], kept[i].size);
			free(names[i]);
			free(values[i]);
		}
	}
}

static int copy_data(const struct sz_archive_api *ar, struct archive *in, struct archive *out)
{
	for (;;) {
		const void *block;
		size_t len;
		la_int64_t off;
		int r = ar->archive_read_data_block(in, &block, &len, &off);

		if (r == ARCHIVE_EOF)
			return ARCHIVE_OK;
		if (r != ARCHIVE_OK)
			return r;
		if (ar->archive_write_data_block(out, block, len, off) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
	}
}

static int unpack_entries(const struct sz_archive_api *ar, struct archive *in, struct archive *out, int root,
                          bool rootless, const char *name, struct sz_unpack_stats *stats, sz_error_t *err)
{
	struct archive_entry *e;
	int r;

	while ((r = ar->archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *raw = ar->archive_entry_pathname(e);
		const char *link = ar->archive_entry_hardlink(e);
		cleanup_free char *path = NULL;
		cleanup_free char *target = NULL;
		const char *base;
		bool bad;

		if (raw == NULL)
			return sz_error_make(err, 0, _("layer %s: an entry has no name"), name);
		path = clean_path(raw, &bad);
		if (bad)
			return sz_error_make(err, 0, _("layer %s: entry '%s' points outside the layer"), name,
			                     raw);
		if (path == NULL)
			continue;
		stats->entries++;
		base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (sz_str_has_prefix(base, ".wh..wh.") && strcmp(base, WH_OPAQUE) != 0)
			continue; /* AUFS's hard link directory and the like */
		if (sz_str_has_prefix(base, WH_PREFIX)) {
			if (make_whiteout(root, path, rootless, stats, err) < 0)
				return sz_error_wrap(err, _("layer %s"), name);
			continue;
		}
		if (link != NULL) {
			target = clean_path(link, &bad);
			if (bad || target == NULL)
				return sz_error_make(
				    err, 0, _("layer %s: hard link '%s' points outside the layer ('%s')"),
				    name, raw, link);
			ar->archive_entry_set_hardlink(e, target);
		}
		if (rootless && (ar->archive_entry_filetype(e) == AE_IFCHR ||
		                 ar->archive_entry_filetype(e) == AE_IFBLK)) {
			stats->devices_skipped++;
			continue;
		}
		ar->archive_entry_set_pathname(e, path);
		if (!rootless)
			drop_overlay_xattrs(ar, e);
		r = ar->archive_write_header(out, e);
		if (r == ARCHIVE_OK && ar->archive_entry_size(e) > 0)
			r = copy_data(ar, in, out);
		if (r == ARCHIVE_OK || r == ARCHIVE_WARN)
			r = ar->archive_write_finish_entry(out);
		if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
			return sz_error_make(err, ar->archive_errno(out), _("layer %s: entry '%s': %s"), name, raw,
			                     ar->archive_error_string(out) ?: ar->archive_error_string(in) ?: "?");
	}
	if (r != ARCHIVE_EOF)
		return sz_error_make(err, 0, _("layer %s: %s"), name, ar->archive_error_string(in) ?: "?");
	return 0;
}

int sz_layer_unpack(const struct sz_archive_api *ar, int fd, enum sz_compression comp, const char *dir,
                    bool rootless, const char *name, struct sz_unpack_stats *stats, sz_error_t *err)
{
	int flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT |
	            ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS | ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME |
	            ARCHIVE_EXTRACT_SPARSE; /* holes stay holes: a 2 GiB sparse file costs no 2 GiB */
	cleanup_close int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int root = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct archive *in = NULL;
	struct archive *out = NULL;
	int r = -1;

	*stats = (struct sz_unpack_stats){0};
	if (!rootless)
		flags |= ARCHIVE_EXTRACT_OWNER | ARCHIVE_EXTRACT_XATTR;
	if (cwd < 0 || root < 0 || fchdir(root) < 0)
		return sz_error_make(err, errno, _("cannot enter '%s'"), dir);
	in = open_reader(ar, fd, comp, false, name, err);
	if (in != NULL) {
		out = ar->archive_write_disk_new();
		ar->archive_write_disk_set_options(out, flags);
		r = unpack_entries(ar, in, out, root, rootless, name, stats, err);
		if (ar->archive_write_close(out) != ARCHIVE_OK && r == 0)
			r = sz_error_make(err, 0, _("layer %s: %s"), name, ar->archive_error_string(out));
		ar->archive_write_free(out);
		ar->archive_read_free(in);
	}
	if (fchdir(cwd) < 0 && r == 0)
		r = sz_error_make(err, errno, "fchdir");
	return r;
}
