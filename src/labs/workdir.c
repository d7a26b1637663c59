/* SPDX-License-Identifier: GPL-3.0-or-later */
/* workdir.c - a lab's private directory on the host: its files and the host side of its volumes */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/engine_internal.h"

/* mkdir -p of a clean relative path under dirfd (the loader made sure
 * it has no "." or ".." and the directory is new and ours, so no link can
 * be in the way). */
static int mkdirs_at(int dirfd, const char *rel, const char *shown, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(rel);

	for (char *p = copy;; p++) {
		char *slash = strchr(p, '/');

		if (slash != NULL)
			*slash = '\0';
		if (mkdirat(dirfd, copy, 0755) < 0 && errno != EEXIST)
			return sz_error_make(err, errno, _("cannot create directory '%s/%s'"), shown, copy);
		if (slash == NULL)
			return 0;
		*slash = '/';
		p = slash;
	}
}

static int write_lab_file(struct sz_workdir *w, const struct sz_lab_file *f, sz_error_t *err)
{
	cleanup_free char *dir = sz_xstrdup(f->path);
	cleanup_close int fd = -1;
	char *slash = strrchr(dir, '/');

	if (slash != NULL) {
		*slash = '\0';
		if (mkdirs_at(w->fd, dir, w->path, err) < 0)
			return -1;
	}
	fd = openat(w->fd, f->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || sz_write_all(fd, f->content, strlen(f->content)) < 0 || fchmod(fd, f->mode) < 0)
		return sz_error_make(err, errno, _("cannot write '%s/%s'"), w->path, f->path);
	return 0;
}

static const char *tmp_base(const char *tmp_dir)
{
	const char *env = getenv("TMPDIR");

	if (tmp_dir != NULL)
		return tmp_dir;
	return env != NULL && env[0] == '/' ? env : "/tmp";
}

int sz_workdir_make(struct sz_workdir *w, const char *tmp_dir, const struct sz_lab *lab, sz_error_t *err)
{
	char *path = sz_asprintf("%s/stanza-lab-%s-XXXXXX", tmp_base(tmp_dir), lab->id);

	w->fd = -1;
	if (mkdtemp(path) == NULL) {
		sz_error_make(err, errno, _("cannot create the lab's work directory '%s'"), path);
		free(path);
		return -1;
	}
	w->path = path;
	/* Locked for as long as it is open: a later stanza removes it only when
	 * this one is gone (sz_workdir_collect). */
	w->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->fd < 0 || flock(w->fd, LOCK_EX) < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), path);
	for (size_t i = 0; i < lab->container.n_volumes; i++)
		if (mkdirs_at(w->fd, lab->container.volumes[i].host, path, err) < 0)
			return -1;
	for (size_t i = 0; i < lab->container.n_files; i++)
		if (write_lab_file(w, &lab->container.files[i], err) < 0)
			return -1;
	return 0;
}

int sz_workdir_remove(struct sz_workdir *w, sz_error_t *err)
{
	cleanup_free char *parent = NULL;
	cleanup_close int pfd = -1;
	int r = 0;

	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	if (w->path == NULL)
		return 0;
	parent = sz_xstrdup(w->path);
	pfd = open(dirname(parent), O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		r = sz_error_make(err, errno, _("cannot open '%s'"), parent);
	else if (sz_rm_rf_at(pfd, strrchr(w->path, '/') + 1, err) < 0)
		r = sz_error_wrap(err, _("cannot remove the lab's work directory '%s'"), w->path);
	free(w->path);
	w->path = NULL;
	return r;
}

/* A work directory of this user whose stanza is gone: its lock is free. Young
 * ones are left alone, in case their stanza has not locked them yet. */
static bool abandoned(int base, const char *name)
{
	cleanup_close int fd = -1;
	struct stat st;

	if (!sz_str_has_prefix(name, "stanza-lab-") || fstatat(base, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || st.st_mtime > time(NULL) - 60)
		return false;
	fd = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
}

void sz_workdir_collect(const char *tmp_dir)
{
	cleanup_dir DIR *d = opendir(tmp_base(tmp_dir));
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		sz_error_t err = NULL;

		if (abandoned(dirfd(d), e->d_name))
			sz_rm_rf_at(dirfd(d), e->d_name, &err);
		sz_error_release(&err);
	}
}
