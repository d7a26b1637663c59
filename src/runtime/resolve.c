/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve.c - create and open paths inside a container's root without ever leaving it */
#include "runtime/resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

static long openat2_in_root(int rootfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
	    .flags = (uint64_t)flags | O_CLOEXEC,
	    .mode = mode,
	    .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	return syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/*
 * The walk keeps `cur`, the in-root path resolved so far (no symlinks, no
 * ".."), and a queue of components still to go. A symlink met on the way is
 * read and its target's components put at the front of the queue (from "/"
 * when it is absolute), so it is followed as the container would follow it,
 * and a missing component is created where the link leads *inside* the root.
 */
struct walk {
	int rootfd;
	char cur[4096];
	char todo[4096]; /* components still to resolve, '/'-separated */
	int links;
};

static int walk_push_front(struct walk *w, const char *target)
{
	char joined[sizeof(w->todo)];

	if (snprintf(joined, sizeof(joined), "%s/%s", target, w->todo) >= (int)sizeof(joined))
		return -ENAMETOOLONG;
	snprintf(w->todo, sizeof(w->todo), "%s", joined);
	return 0;
}

/* Take the next component from todo into comp; false when none is left. */
static bool walk_next(struct walk *w, char *comp, size_t len)
{
	char *p = w->todo;
	size_t n;

	while (*p == '/')
		p++;
	n = strcspn(p, "/");
	if (n == 0)
		return false;
	snprintf(comp, len, "%.*s", (int)n, p);
	memmove(w->todo, p + n, strlen(p + n) + 1);
	return true;
}

static bool walk_done(const struct walk *w)
{
	return w->todo[strspn(w->todo, "/")] == '\0';
}

/* Resolve or create comp under cur. Returns 0, or -errno. */
static int walk_step(struct walk *w, const char *comp, bool is_dir)
{
	cleanup_close int dir =
	    (int)openat2_in_root(w->rootfd, w->cur[0] ? w->cur : "/", O_PATH | O_DIRECTORY, 0);
	struct stat st;
	char target[4096];
	ssize_t n;

	if (dir < 0)
		return -errno;
	if (strcmp(comp, "..") == 0) {
		char *slash = strrchr(w->cur, '/');
		if (slash != NULL)
			*slash = '\0';
		return 0;
	}
	if (strcmp(comp, ".") == 0)
		return 0;
	if (fstatat(dir, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		int fd;
		if (errno != ENOENT)
			return -errno;
		if (is_dir || !walk_done(w)) {
			if (mkdirat(dir, comp, 0755) < 0)
				return -errno;
		} else {
			fd = openat(dir, comp, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
			if (fd < 0)
				return -errno;
			close(fd);
		}
	} else if (S_ISLNK(st.st_mode)) {
		if (++w->links > 40)
			return -ELOOP;
		n = readlinkat(dir, comp, target, sizeof(target) - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		if (target[0] == '/')
			w->cur[0] = '\0';
		return walk_push_front(w, target);
	}
	n = (ssize_t)strlen(w->cur);
	if (snprintf(w->cur + n, sizeof(w->cur) - (size_t)n, "/%s", comp) >= (int)sizeof(w->cur) - n)
		return -ENAMETOOLONG;
	return 0;
}

int sz_open_in_root(int rootfd, const char *path, bool is_dir, sz_error_t *err)
{
	struct walk w = {.rootfd = rootfd};
	char comp[256];
	long fd;

	if (snprintf(w.todo, sizeof(w.todo), "%s", path) >= (int)sizeof(w.todo))
		return sz_error_make(err, ENAMETOOLONG, _("cannot resolve '%s' in the container"), path);
	while (walk_next(&w, comp, sizeof(comp))) {
		int r = walk_step(&w, comp, is_dir);
		if (r < 0)
			return sz_error_make(err, -r, _("cannot create '%s' in the container"), path);
	}
	/* The kernel has the last word: RESOLVE_IN_ROOT again on the result. */
	fd = openat2_in_root(rootfd, w.cur[0] ? w.cur : "/", O_PATH, 0);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot resolve '%s' in the container"), path);
	return (int)fd;
}
