/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.c - per-user state root and per-container state directories, each held by a lock */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

/*
 * Layout: <state_root>/            0700, owned by the user
 *         <state_root>/.gc.lock     creators hold it shared, the collector exclusive
 *         <state_root>/<id>/lock    held (flock) by the stanza that runs <id>
 *
 * A container directory whose lock can be taken belongs to a stanza that is
 * gone. The .gc.lock closes the window between mkdir and flock, in which the
 * collector could otherwise take a newborn directory for an orphan.
 */

/* The state root, made when missing, as an open directory: yours and private (0700). */
static int sz_state_root_open(const char *state_root, sz_error_t *err)
{
	struct stat st;
	int fd;

	if (sz_mkdir_p(state_root, 0700, err) < 0)
		return sz_error_wrap(err, _("cannot create the state directory"));
	fd = open(state_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), state_root);
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		close(fd);
		return sz_error_make(err, 0, _("'%s' is not owned by you: remove it or set XDG_RUNTIME_DIR"),
		                     state_root);
	}
	if ((st.st_mode & 077) != 0 && fchmod(fd, 0700) < 0) {
		close(fd);
		return sz_error_make(err, errno, _("cannot make '%s' private"), state_root);
	}
	return fd;
}

static int lock_gc(int rootfd, int how, sz_error_t *err)
{
	int fd = openat(rootfd, ".gc.lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), ".gc.lock");
	while (flock(fd, how) < 0) {
		if (errno != EINTR) {
			close(fd);
			return sz_error_make(err, errno, _("cannot lock '%s'"), ".gc.lock");
		}
	}
	return fd;
}

static char *random_id(void)
{
	unsigned char bytes[6];
	char *id = sz_xmalloc(sizeof(bytes) * 2 + 1);

	if (getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes)) {
		uint64_t v = sz_now_ns() ^ ((uint64_t)getpid() << 32);
		memcpy(bytes, &v, sizeof(bytes));
	}
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(id + 2 * i, 3, "%02x", bytes[i]);
	return id;
}

bool sz_valid_id(const char *id)
{
	size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-");

	return n > 0 && n <= 128 && id[n] == '\0' && id[0] != '.';
}

/* *made tells the caller whether the directory is its own to remove. */
static int make_container_dir(int rootfd, const char *id, bool *made, sz_error_t *err)
{
	cleanup_close int dfd = -1;
	int lockfd;

	if (mkdirat(rootfd, id, 0700) < 0)
		return sz_error_make(err, errno,
		                     errno == EEXIST ? _("a container named '%s' exists already")
		                                     : _("cannot create state directory '%s'"),
		                     id);
	*made = true;
	dfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return sz_error_make(err, errno, _("cannot open state directory '%s'"), id);
	lockfd = openat(dfd, "lock", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lockfd < 0)
		return sz_error_make(err, errno, _("cannot create '%s/lock'"), id);
	if (flock(lockfd, LOCK_EX | LOCK_NB) < 0) {
		close(lockfd);
		return sz_error_make(err, errno, _("cannot lock '%s/lock'"), id);
	}
	return lockfd;
}

int sz_state_create(const char *state_root, const char *want_id, char **id_out, char **dir_out,
                    int *lock_fd_out, sz_error_t *err)
{
	cleanup_close int rootfd = -1;
	cleanup_close int gcfd = -1;
	cleanup_free char *id = NULL;
	bool made = false;
	int lockfd;

	if (want_id != NULL && !sz_valid_id(want_id))
		return sz_error_make(err, 0,
		                     _("invalid container id '%s': use letters, digits, '_', '.' and '-', "
		                       "not first '.', at most 128"),
		                     want_id);
	rootfd = sz_state_root_open(state_root, err);
	if (rootfd < 0)
		return -1;
	gcfd = lock_gc(rootfd, LOCK_SH, err);
	if (gcfd < 0)
		return sz_error_wrap(err, "'%s'", state_root);
	id = want_id != NULL ? sz_xstrdup(want_id) : random_id();
	lockfd = make_container_dir(rootfd, id, &made, err);
	if (lockfd < 0) {
		sz_error_t ignored = NULL;
		if (made)
			sz_rm_rf_at(rootfd, id, &ignored);
		sz_error_release(&ignored);
		return want_id != NULL ? -1 : sz_error_wrap(err, "'%s'", state_root);
	}
	*dir_out = sz_asprintf("%s/%s", state_root, id);
	*id_out = steal_pointer(&id);
	*lock_fd_out = lockfd;
	return 0;
}

int sz_state_remove(const char *state_root, const char *id, sz_error_t *err)
{
	cleanup_close int rootfd = open(state_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (rootfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), state_root);
	return sz_rm_rf_at(rootfd, id, err);
}

/* Take the lock of <root>/<name>; 1 if taken (owner gone), 0 if held, -1 on error. */
static int try_orphan_lock(int rootfd, const char *name)
{
	cleanup_close int dfd = openat(rootfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int lockfd = -1;

	if (dfd < 0)
		return -1;
	lockfd = openat(dfd, "lock", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (lockfd < 0)
		return errno == ENOENT ? 1 : -1; /* never locked: its creator died before flock */
	if (flock(lockfd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 0 : -1;
	return 1;
}

/* Whether dir is below mount (the record's paths have no "." or ".."
 * components: sz_cgroup_deserialize refuses them). */
static bool below(const char *mount, const char *dir)
{
	size_t n = mount != NULL ? strlen(mount) : 0;

	return n > 0 && strncmp(dir, mount, n) == 0 && dir[n] == '/';
}

/* The record's directories must be the container's own: named name, each
 * controller's in that controller's hierarchy (a truncated or foreign
 * record is not followed: collecting kills what a group holds). */
static int check_record(const struct sz_cgroup *cg, const struct sz_cgroup_layout *layout, const char *name,
                        sz_error_t *err)
{
	for (int c = 0; c <= SZ_CTRL_COUNT; c++) {
		const char *dir = c < SZ_CTRL_COUNT ? cg->path[c] : cg->unified;
		const char *mount = c < SZ_CTRL_COUNT ? layout->mount[c] : layout->v2_mount;

		if (dir != NULL && (strcmp(strrchr(dir, '/') + 1, name) != 0 || !below(mount, dir)))
			return sz_error_make(err, 0, _("'%s' is not a cgroup of container '%s'"), dir, name);
	}
	return 0;
}

/* The cgroup the container's stanza recorded (cgroup_place.c); none when it
 * was killed before it planned one. */
static int read_record(int rootfd, const char *id, const struct sz_cgroup_layout *layout,
                       struct sz_cgroup *cg, sz_error_t *err)
{
	cleanup_free char *rel = sz_asprintf("%s/%s", id, SZ_CGROUP_RECORD);
	cleanup_free char *name_rel = sz_asprintf("%s/%s", id, SZ_CGROUP_NAME_FILE);
	cleanup_free char *name = NULL;
	cleanup_free char *text = NULL;
	sz_error_t ignored = NULL;

	memset(cg, 0, sizeof(*cg));
	if (sz_read_file_at(rootfd, name_rel, &name, NULL, &ignored) < 0 || name[0] == '\0' ||
	    strchr(name, '/')) {
		sz_error_release(&ignored);
		free(name);
		name = sz_asprintf("stanza-%s", id);
	}
	if (sz_read_file_at(rootfd, rel, &text, NULL, err) < 0) {
		if ((*err)->errno_ != ENOENT)
			return -1;
		sz_error_release(err);
		return 0;
	}
	if (sz_cgroup_deserialize(cg, text, err) < 0 || check_record(cg, layout, name, err) < 0) {
		sz_cgroup_release(cg);
		return sz_error_wrap(err, _("cannot read '%s'"), rel);
	}
	return 0;
}

static int collect_one(int rootfd, const char *id, const struct sz_cgroup_layout *layout, sz_error_t *err)
{
	struct sz_cgroup cg;
	cleanup_free char *parent = NULL;
	int ret;

	if (read_record(rootfd, id, layout, &cg, err) < 0)
		return -1;
	if (cg.unified != NULL) {
		parent = sz_xstrdup(cg.unified);
		*strrchr(parent, '/') = '\0';
	}
	ret = sz_cgroup_destroy(&cg, err);
	/* Rootless v2: the killed stanza's own leaf is beside its container's group. */
	if (ret == 0 && parent != NULL)
		sz_cgroup_collect_leaves(parent);
	sz_cgroup_release(&cg);
	if (ret == 0)
		ret = sz_rm_rf_at(rootfd, id, err);
	return ret;
}

/* A container made by sz_create_detached: it lives on without its stanza,
 * until sz_detached_remove. */
static bool is_detached(int rootfd, const char *name)
{
	cleanup_free char *marker = sz_asprintf("%s/%s", name, SZ_DETACHED_FILE);

	return faccessat(rootfd, marker, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
}

int sz_state_read_cgroup(const char *state_root, const char *id, struct sz_cgroup *cg, sz_error_t *err)
{
	struct sz_cgroup_layout layout;
	cleanup_close int rootfd = open(state_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int r;

	memset(cg, 0, sizeof(*cg));
	if (rootfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), state_root);
	if (sz_cgroup_layout_load(&layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err) < 0)
		return -1;
	r = read_record(rootfd, id, &layout, cg, err);
	sz_cgroup_layout_release(&layout);
	return r;
}

int sz_state_collect(const char *state_root, const char *id, bool held, sz_error_t *err)
{
	struct sz_cgroup_layout layout;
	cleanup_close int rootfd = open(state_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_close int gcfd = -1;
	int r;

	if (rootfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), state_root);
	gcfd = lock_gc(rootfd, LOCK_EX, err);
	if (gcfd < 0)
		return -1;
	r = held ? 1 : try_orphan_lock(rootfd, id);
	if (r == 0)
		return sz_error_make(err, EBUSY,
		                     _("container '%s' is being created or removed by another stanza"), id);
	if (r < 0)
		return sz_error_make(err, errno, _("cannot open the state of container '%s'"), id);
	if (sz_cgroup_layout_load(&layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err) < 0)
		return -1;
	r = collect_one(rootfd, id, &layout, err);
	sz_cgroup_layout_release(&layout);
	return r;
}

/* What collecting needs beyond the state directory: where the cgroups are.
 * Loaded only when there is something to collect. */
struct gc_ctx {
	struct sz_cgroup_layout layout;
	bool loaded;
};

static int gc_load(struct gc_ctx *gc, sz_error_t *err)
{
	if (gc->loaded)
		return 0;
	if (sz_cgroup_layout_load(&gc->layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err) < 0)
		return -1;
	gc->loaded = true;
	return 0;
}

static void gc_release(struct gc_ctx *gc)
{
	if (gc->loaded)
		sz_cgroup_layout_release(&gc->layout);
}

int sz_collect_garbage(const struct sz_paths *paths, sz_error_t *err)
{
	struct gc_ctx gc = {0};
	cleanup_close int rootfd = -1;
	cleanup_close int gcfd = -1;
	cleanup_dir DIR *dir = NULL;
	struct dirent *de;
	int collected = 0;

	rootfd = open(paths->state_root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0)
		return errno == ENOENT ? 0
		                       : sz_error_make(err, errno, _("cannot open '%s'"), paths->state_root);
	gcfd = lock_gc(rootfd, LOCK_EX, err);
	if (gcfd < 0)
		return -1;
	dir = fdopendir(dup(rootfd));
	while (dir != NULL && (de = readdir(dir)) != NULL) {
		sz_error_t one = NULL;

		if (de->d_name[0] == '.' || is_detached(rootfd, de->d_name) ||
		    try_orphan_lock(rootfd, de->d_name) != 1)
			continue;
		if (gc_load(&gc, err) < 0)
			break;
		/* One that cannot be removed yet (its cgroup still busy) stays for a
		 * later collector; the others are collected all the same. */
		if (collect_one(rootfd, de->d_name, &gc.layout, &one) < 0) {
			if (*err == NULL)
				*err = steal_pointer(&one);
			sz_error_release(&one);
			continue;
		}
		collected++;
	}
	gc_release(&gc);
	return *err != NULL ? -1 : collected;
}
