/* SPDX-License-Identifier: GPL-3.0-or-later */
/* image.c - a learner's private copy of an image, made on first use and refreshed when the image changes */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/image.h"

/*
 * Why a copy: in a user namespace that maps only the learner, files owned by
 * the host's root show up as owned by nobody and cannot be changed, not even
 * in the container's own overlay layer. In a copy owned by the learner, root
 * in the container owns /etc and can write it, as it expects.
 */

static int copy_entry(int from, int to, const char *name, const struct stat *st, sz_error_t *err);

static int copy_dir(int from, int to, sz_error_t *err)
{
	cleanup_dir DIR *dir = fdopendir(dup(from));
	struct dirent *de;

	if (dir == NULL)
		return sz_error_make(err, errno, _("cannot read the image"));
	while ((errno = 0, de = readdir(dir)) != NULL) {
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(from, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return sz_error_make(err, errno, _("cannot inspect '%s' in the image"), de->d_name);
		if (copy_entry(from, to, de->d_name, &st, err) < 0)
			return -1;
	}
	return errno != 0 ? sz_error_make(err, errno, _("cannot read the image")) : 0;
}

static int copy_file(int from, int to, const char *name, mode_t mode, sz_error_t *err)
{
	cleanup_close int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int out = -1;
	char buf[65536];
	ssize_t n;

	if (in < 0 && errno == EACCES)
		return 0; /* a file only the image's root may read stays out of the learner's copy */
	if (in < 0)
		return sz_error_make(err, errno, _("cannot read '%s' in the image"), name);
	out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
	if (out < 0)
		return sz_error_make(err, errno, _("cannot create '%s'"), name);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (sz_write_all(out, buf, (size_t)n) < 0)
			return sz_error_make(err, errno, _("cannot write '%s'"), name);
	if (n < 0)
		return sz_error_make(err, errno, _("cannot read '%s' in the image"), name);
	return fchmod(out, mode & 07777) < 0
	           ? sz_error_make(err, errno, _("cannot set the mode of '%s'"), name)
	           : 0;
}

static int copy_entry(int from, int to, const char *name, const struct stat *st, sz_error_t *err)
{
	if (S_ISDIR(st->st_mode)) {
		cleanup_close int sub_from = -1;
		cleanup_close int sub_to = -1;

		if (mkdirat(to, name, 0700) < 0)
			return sz_error_make(err, errno, _("cannot create '%s'"), name);
		sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub_to < 0 || (sub_from < 0 && errno != EACCES))
			return sz_error_make(err, errno, _("cannot open '%s'"), name);
		/* A directory private to the image's root (/root, 0700) is copied
		 * empty: the learner may not read it, and it is theirs inside. */
		if (sub_from >= 0 && copy_dir(sub_from, sub_to, err) < 0)
			return sz_error_wrap(err, "%s", name);
		/* The mode last: a 0555 directory could not have been filled. */
		return fchmod(sub_to, st->st_mode & 07777) < 0
		           ? sz_error_make(err, errno, _("cannot set the mode of '%s'"), name)
		           : 0;
	}
	if (S_ISLNK(st->st_mode)) {
		char target[4096];
		ssize_t n = readlinkat(from, name, target, sizeof(target) - 1);

		if (n < 0)
			return sz_error_make(err, errno, _("cannot read the link '%s'"), name);
		target[n] = '\0';
		return symlinkat(target, to, name) < 0
		           ? sz_error_make(err, errno, _("cannot create '%s'"), name)
		           : 0;
	}
	if (S_ISREG(st->st_mode))
		return copy_file(from, to, name, st->st_mode, err);
	return 0; /* device nodes, sockets, fifos: a learner could not make them, and need not */
}

static char *data_home(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (xdg != NULL && xdg[0] == '/')
		return sz_asprintf("%s/stanza/images", xdg);
	if (home != NULL && home[0] == '/')
		return sz_asprintf("%s/.local/share/stanza/images", home);
	return sz_asprintf("/tmp/stanza-%u/images", (unsigned)geteuid());
}

static bool same_version(const char *a, const char *b)
{
	cleanup_free char *va = NULL;
	cleanup_free char *vb = NULL;
	sz_error_t err = NULL;
	bool same;

	if (sz_read_file(a, &va, NULL, &err) < 0 || sz_read_file(b, &vb, NULL, &err) < 0) {
		sz_error_release(&err);
		return false;
	}
	same = strcmp(va, vb) == 0;
	return same;
}

/* Copy image_dir (rootfs/, VERSION, owners) into a fresh directory `tmp`
 * under `dir`, then rename it over `name`. */
static int refresh_copy(const char *image_dir, const char *dir, const char *name, sz_error_t *err)
{
	cleanup_free char *tmp = sz_asprintf(".%s.new.%ld", name, (long)getpid());
	cleanup_free char *old = sz_asprintf(".%s.old.%ld", name, (long)getpid());
	cleanup_close int from = open(image_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int to = -1;
	sz_error_t ignored = NULL;
	int ret;

	if (from < 0 || dirfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), from < 0 ? image_dir : dir);
	sz_rm_rf_at(dirfd, tmp, &ignored);
	sz_error_release(&ignored);
	if (mkdirat(dirfd, tmp, 0700) < 0 ||
	    (to = openat(dirfd, tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return sz_error_make(err, errno, _("cannot create '%s/%s'"), dir, tmp);
	ret = copy_dir(from, to, err);
	if (ret == 0 && renameat(dirfd, name, dirfd, old) < 0 && errno != ENOENT)
		ret = sz_error_make(err, errno, _("cannot replace '%s/%s'"), dir, name);
	if (ret == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		ret = sz_error_make(err, errno, _("cannot replace '%s/%s'"), dir, name);
	sz_rm_rf_at(dirfd, ret == 0 ? old : tmp, &ignored);
	sz_error_release(&ignored);
	return ret < 0 ? sz_error_wrap(err, _("cannot make your copy of the image")) : 0;
}

int sz_image_private_copy(const char *image_dir, const char *name, char **rootfs_out, sz_error_t *err)
{
	cleanup_free char *dir = data_home();
	cleanup_free char *copy = sz_asprintf("%s/%s", dir, name);
	cleanup_free char *want = sz_asprintf("%s/VERSION", image_dir);
	cleanup_free char *have = sz_asprintf("%s/VERSION", copy);
	cleanup_free char *lock = sz_asprintf("%s/.%s.lock", dir, name);
	cleanup_close int lockfd = -1;

	if (sz_mkdir_p(dir, 0700, err) < 0)
		return -1;
	lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0)
		return sz_error_make(err, errno, _("cannot lock '%s'"), lock);
	if (!same_version(want, have) && refresh_copy(image_dir, dir, name, err) < 0)
		return -1;
	*rootfs_out = sz_asprintf("%s/rootfs", copy);
	return 0;
}
