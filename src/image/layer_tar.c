/* SPDX-License-Identifier: GPL-3.0-or-later */
/* layer_tar.c - a directory tree to a reproducible layer tar, overlayfs whiteouts to OCI ones */
#include "image/layer_tar.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"

struct walk {
	const struct sz_archive_api *ar;
	struct archive *a;
	bool rootless;
	uid_t me;
	gid_t my_gid;
	time_t clamp;   /* 0: none */
	json_t *inodes; /* "dev:ino" -> the first path of a file with several links */
};

static bool is_opaque(int dir)
{
	char v[2];

	return (fgetxattr(dir, "trusted.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y') ||
	       (fgetxattr(dir, "user.overlay.opaque", v, sizeof(v)) == 1 && v[0] == 'y');
}

static int add(struct walk *w, const char *name, const struct stat *st, const char *link, bool hardlink,
               int data)
{
	const struct sz_archive_api *ar = w->ar;
	struct archive_entry *e = ar->archive_entry_new();
	int r;

	if (st != NULL) {
		struct stat s = *st;
		if (w->rootless) {
			s.st_uid = s.st_uid == w->me ? 0 : s.st_uid;
			s.st_gid = s.st_gid == w->my_gid ? 0 : s.st_gid;
		}
		ar->archive_entry_copy_stat(e, &s);
		if (w->clamp != 0 && s.st_mtime > w->clamp)
			ar->archive_entry_set_mtime(e, w->clamp, 0);
	} else { /* an OCI whiteout: an empty file */
		ar->archive_entry_set_filetype(e, AE_IFREG);
		ar->archive_entry_set_perm(e, 0644);
		ar->archive_entry_set_mtime(e, w->clamp, 0);
	}
	ar->archive_entry_unset_atime(e);
	ar->archive_entry_unset_ctime(e);
	ar->archive_entry_unset_birthtime(e);
	ar->archive_entry_set_pathname(e, name);
	if (link != NULL && hardlink) {
		ar->archive_entry_set_hardlink(e, link);
		ar->archive_entry_set_size(e, 0);
	} else if (link != NULL) {
		ar->archive_entry_set_symlink(e, link);
	}
	if (st == NULL || (data < 0 && !S_ISREG(st->st_mode)))
		ar->archive_entry_set_size(e, 0);
	r = ar->archive_write_header(w->a, e);
	ar->archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return -1;
	if (data >= 0) {
		char buf[65536];
		ssize_t n;

		while ((n = read(data, buf, sizeof(buf))) > 0)
			if (ar->archive_write_data(w->a, buf, (size_t)n) != n)
				return -1;
		if (n < 0)
			return -1;
	}
	return 0;
}

/* openat, and for a file or directory of the owner's own that its mode
 * keeps them out of (an image's 0000 /etc/shadow, built without root):
 * access given for the open, *opened_up set; the caller puts the mode back
 * (a directory's after its walk, which needs the search bit), so that the
 * tar records it as it was. */
static int open_own(int dir, const char *name, const struct stat *st, int flags, bool *opened_up)
{
	int fd = openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC);

	*opened_up = false;
	if (fd >= 0 || errno != EACCES || st->st_uid != geteuid() || S_ISLNK(st->st_mode))
		return fd;
	if (fchmodat(dir, name, (st->st_mode & 07777) | (S_ISDIR(st->st_mode) ? 0500 : 0400), 0) < 0) {
		errno = EACCES;
		return -1;
	}
	fd = openat(dir, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		(void)!fchmodat(dir, name, st->st_mode & 07777, 0);
		errno = e;
		return -1;
	}
	*opened_up = true;
	return fd;
}

static int walk_dir(struct walk *w, int dir, const char *prefix, sz_error_t *err)
{
	size_t n = 0;
	char **names = sz_read_dir_sorted(dir, &n, err);
	int r = 0;

	if (names == NULL)
		return -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		cleanup_free char *path = sz_asprintf("%s%s", prefix, names[i]);
		struct stat st;

		if (fstatat(dir, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			r = sz_error_make(err, errno, _("cannot read '%s' in the layer"), path);
			break;
		}
		if (S_ISCHR(st.st_mode) && st.st_rdev == 0) {
			cleanup_free char *wh = sz_asprintf("%s.wh.%s", prefix, names[i]);
			r = add(w, wh, NULL, NULL, false, -1);
		} else if (S_ISDIR(st.st_mode)) {
			bool opened_up;
			cleanup_close int sub =
			    open_own(dir, names[i], &st, O_RDONLY | O_DIRECTORY, &opened_up);
			cleanup_free char *sub_prefix = sz_asprintf("%s/", path);

			if (sub < 0) {
				r = sz_error_make(err, errno, _("cannot read '%s' in the layer"), path);
				break;
			}
			r = add(w, path, &st, NULL, false, -1);
			if (r == 0 && is_opaque(sub)) {
				cleanup_free char *opq = sz_asprintf("%s.wh..wh..opq", sub_prefix);
				r = add(w, opq, NULL, NULL, false, -1);
			}
			if (r == 0)
				r = walk_dir(w, sub, sub_prefix, err);
			if (opened_up)
				(void)!fchmod(sub, st.st_mode & 07777);
		} else if (S_ISLNK(st.st_mode)) {
			char target[4096];
			ssize_t len = readlinkat(dir, names[i], target, sizeof(target) - 1);

			if (len < 0) {
				r = sz_error_make(err, errno, _("cannot read '%s' in the layer"), path);
				break;
			}
			target[len] = '\0';
			r = add(w, path, &st, target, false, -1);
		} else if (S_ISREG(st.st_mode)) {
			char key[64];
			json_t *first;

			snprintf(key, sizeof(key), "%lu:%lu", (unsigned long)st.st_dev,
			         (unsigned long)st.st_ino);
			first = st.st_nlink > 1 ? json_object_get(w->inodes, key) : NULL;
			if (first != NULL) {
				r = add(w, path, &st, json_string_value(first), true, -1);
			} else {
				bool opened_up;
				cleanup_close int fd = open_own(dir, names[i], &st, O_RDONLY, &opened_up);

				if (opened_up && fd >= 0)
					(void)!fchmod(fd, st.st_mode & 07777);

				if (fd < 0) {
					r = sz_error_make(err, errno, _("cannot read '%s' in the layer"),
					                  path);
					break;
				}
				if (st.st_nlink > 1)
					json_object_set_new(w->inodes, key, json_string(path));
				r = add(w, path, &st, NULL, false, fd);
			}
		} else if (S_ISFIFO(st.st_mode)) {
			r = add(w, path, &st, NULL, false, -1);
		} /* sockets and device nodes do not travel in a layer */
		if (r < 0 && *err == NULL)
			r = sz_error_make(err, w->ar->archive_errno(w->a),
			                  _("cannot write '%s' into the layer: %s"), path,
			                  w->ar->archive_error_string(w->a) ?: "?");
	}
	sz_free_names(names, n);
	return r;
}

int sz_layer_tar(const struct sz_archive_api *ar, const char *dir, int fd, bool rootless, sz_error_t *err)
{
	cleanup_close int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_json json_t *inodes = json_object();
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	struct walk w = {
	    .ar = ar, .rootless = rootless, .me = getuid(), .my_gid = getgid(), .inodes = inodes};
	uint64_t t;
	int r;

	if (epoch != NULL) {
		sz_error_t ignored = NULL;
		if (sz_parse_uint(epoch, 1, INT64_MAX, &t, &ignored) == 0)
			w.clamp = (time_t)t;
		sz_error_release(&ignored);
	}
	if (root < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), dir);
	w.a = ar->archive_write_new();
	ar->archive_write_set_format_pax_restricted(w.a);
	if (ar->archive_write_open_fd(w.a, fd) != ARCHIVE_OK) {
		sz_error_make(err, 0, _("cannot write the layer: %s"), ar->archive_error_string(w.a) ?: "?");
		ar->archive_write_free(w.a);
		return -1;
	}
	r = walk_dir(&w, root, "", err);
	if (ar->archive_write_close(w.a) != ARCHIVE_OK && r == 0)
		r = sz_error_make(err, 0, _("cannot write the layer: %s"),
		                  ar->archive_error_string(w.a) ?: "?");
	ar->archive_write_free(w.a);
	return r;
}
