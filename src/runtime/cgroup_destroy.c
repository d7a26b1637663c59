/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_destroy.c - removing a container's cgroup: kill what is inside, wait for it, rmdir, idempotently */
#include "runtime/cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/cgroup_internal.h"

#define MAX_NESTING 16 /* child groups destroy descends into */
/* How long a group that refuses rmdir (EBUSY) is retried: its processes are
 * still exiting, or something outside stanza holds it for a while. Between
 * tries stanza pauses, from DESTROY_STEP_NS doubling up to DESTROY_STEP_MAX_NS. */
#define DESTROY_TIMEOUT_S   5
#define DESTROY_TIMEOUT_NS  (DESTROY_TIMEOUT_S * 1000000000ULL)
#define DESTROY_STEP_NS     (5ULL * 1000000ULL)
#define DESTROY_STEP_MAX_NS (250ULL * 1000000ULL)

/* ---- system helpers ---- */

/* An O_PATH descriptor for a directory reached without any symbolic link. */
static int open_dir_nofollow(const char *path)
{
	struct open_how how = {.flags = O_PATH | O_DIRECTORY | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS};
	int fd;

	do
		fd = (int)syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	while (fd < 0 && errno == EINTR);
	if (fd < 0 && (errno == ENOSYS || errno == EPERM))
		fd = open(path, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = {.tv_sec = (time_t)(ns / 1000000000ULL), .tv_nsec = (long)(ns % 1000000000ULL)};

	nanosleep(&ts, NULL);
}

/* Write value to name under dfd; errors name dir/name. */
static int write_at(int dfd, const char *dir, const char *name, const char *value, sz_error_t *err)
{
	int errno_;

	if (sz_write_file_at(dfd, name, value, strlen(value), err) == 0)
		return 0;
	errno_ = (*err)->errno_;
	return sz_error_make(err, errno_, _("cannot write '%s/%s'"), dir, name);
}

/* ---- killing the members ---- */

static bool procs_hold(const char *procs, pid_t pid)
{
	for (const char *p = procs;;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			return false;
		if (v == (long)pid)
			return true;
		p = end;
	}
}

static void kill_procs(const char *procs)
{
	for (const char *p = procs;;) {
		char *end;
		long v = strtol(p, &end, 10);

		if (end == p)
			return;
		if (v > 0)
			kill((pid_t)v, SIGKILL);
		p = end;
	}
}

/* SIGKILL the processes in the group: through cgroup.kill where v2 has it
 * (which also reaches child groups and cannot race with fork), else one by
 * one from cgroup.procs. Refuses when this process is inside. */
static int kill_members(int dfd, const char *path, sz_error_t *err)
{
	cleanup_free char *shown = cg_path_join(path, "cgroup.procs");
	cleanup_free char *procs = NULL;

	if (cg_read_optional_at(dfd, "cgroup.procs", shown, &procs, err) < 0)
		return -1;
	if (procs == NULL || procs[0] == '\0')
		return 0;
	if (procs_hold(procs, getpid()))
		return sz_error_make(err, 0, _("cannot remove '%s': stanza itself is inside it"), path);
	if (faccessat(dfd, "cgroup.kill", F_OK, 0) == 0)
		return write_at(dfd, path, "cgroup.kill", "1", err);
	kill_procs(procs);
	return 0;
}

/* ---- removing a group and its children ---- */

static int remove_at(int pfd, const char *name, const char *path, uint64_t deadline, int depth,
                     sz_error_t *err);

static bool is_subdir(int dfd, const struct dirent *de)
{
	struct stat st;

	if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
		return false;
	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_DIR;
	return fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Groups the container made inside its own keep rmdir from working. */
static int remove_children(int dfd, const char *path, uint64_t deadline, int depth, sz_error_t *err)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *dir = NULL;
	struct dirent *de;

	if (fd < 0 || (dir = fdopendir(fd)) == NULL) {
		int errno_ = errno;

		if (fd >= 0)
			close(fd);
		return sz_error_make(err, errno_, _("cannot open '%s'"), path);
	}
	while ((de = readdir(dir)) != NULL) {
		cleanup_free char *child = NULL;

		if (!is_subdir(dfd, de))
			continue;
		child = cg_path_join(path, de->d_name);
		if (remove_at(dfd, de->d_name, child, deadline, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

/* Still busy at the deadline: the group stays, and so does the container's
 * state directory (see sz_container_teardown), whose lock is free once this
 * stanza exits, so that the next stanza's collector removes both. */
static int busy_error(const char *path, sz_error_t *err)
{
	sz_error_make(err, 0,
	              _("cannot remove the cgroup '%s': still busy after %d s (%s); it is left behind "
	                "and the next stanza to start a container will remove it"),
	              path, DESTROY_TIMEOUT_S, strerror(EBUSY));
	(*err)->errno_ = EBUSY;
	return -1;
}

/* Whether dfd, reached from pfd, is another file system mounted there. */
static bool mounted_over(int pfd, int dfd)
{
	struct stat ps, ds;

	return fstat(pfd, &ps) == 0 && fstat(dfd, &ds) == 0 && ps.st_dev != ds.st_dev;
}

/* Kill the group's processes and remove its child groups: the work before
 * rmdir, done again before every retry (a killed process may have left a
 * child group behind, and it may be removable now). A file system mounted
 * on the group is never entered: it is not the group, and rmdir says EBUSY
 * until it is unmounted. */
static int empty_group(int pfd, const char *name, const char *path, uint64_t deadline, int depth,
                       sz_error_t *err)
{
	cleanup_close int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd < 0)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot open '%s'"), path);
	if (mounted_over(pfd, dfd))
		return 0;
	if (kill_members(dfd, path, err) < 0 || remove_children(dfd, path, deadline, depth, err) < 0)
		return -1;
	return 0;
}

/* Empty and remove the group name under pfd. Exiting processes leave a
 * group asynchronously, and a group may be held for a while (a process stuck
 * in the kernel, a mount on a child group): rmdir is retried on EBUSY, and
 * only then, with a growing pause, until the deadline. Nothing of the group
 * is held open while stanza waits. */
static int remove_at(int pfd, const char *name, const char *path, uint64_t deadline, int depth,
                     sz_error_t *err)
{
	uint64_t step = DESTROY_STEP_NS;

	if (depth > MAX_NESTING)
		return sz_error_make(err, ELOOP, _("cannot remove '%s'"), path);
	for (;;) {
		uint64_t now;

		if (empty_group(pfd, name, path, deadline, depth, err) < 0)
			return -1;
		if (unlinkat(pfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return sz_error_make(err, errno, _("cannot remove '%s'"), path);
		now = sz_now_ns();
		if (now >= deadline)
			return busy_error(path, err);
		sleep_ns(step < deadline - now ? step : deadline - now);
		step = step * 2 < DESTROY_STEP_MAX_NS ? step * 2 : DESTROY_STEP_MAX_NS;
	}
}

static int remove_group(const char *path, uint64_t deadline, sz_error_t *err)
{
	cleanup_free char *parent = sz_xstrdup(path);
	cleanup_close int pfd = -1;
	char *slash = strrchr(parent, '/');

	if (slash == NULL || slash[1] == '\0')
		return sz_error_make(err, EINVAL, _("cannot remove '%s'"), path);
	*slash = '\0';
	pfd = open_dir_nofollow(slash == parent ? "/" : parent);
	if (pfd < 0)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot open '%s'"), parent);
	return remove_at(pfd, slash + 1, path, deadline, 0, err);
}

/* ---- destroy ---- */

/* Drop every entry of cg naming dir, which is gone. */
static void forget_dir(struct sz_cgroup *cg, const char *dir)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		if (cg->path[c] != NULL && strcmp(cg->path[c], dir) == 0) {
			free(cg->path[c]);
			cg->path[c] = NULL;
		}
	}
	if (cg->unified != NULL && strcmp(cg->unified, dir) == 0) {
		free(cg->unified);
		cg->unified = NULL;
	}
}

int sz_cgroup_destroy(struct sz_cgroup *cg, sz_error_t *err)
{
	uint64_t deadline = sz_now_ns() + DESTROY_TIMEOUT_NS;
	const char *dirs[CG_DIRS_MAX];
	char *copies[CG_DIRS_MAX];
	size_t n = cg_distinct_dirs(cg, dirs);
	int ret = 0;

	/* Copies, since forget_dir frees the strings dirs points into. */
	for (size_t i = 0; i < n; i++)
		copies[i] = sz_xstrdup(dirs[i]);
	/* Try every directory even after a failure, and report the first. */
	for (size_t i = 0; i < n; i++) {
		sz_error_t later = NULL;

		if (remove_group(copies[i], deadline, ret == 0 ? err : &later) == 0)
			forget_dir(cg, copies[i]);
		else
			ret = -1;
		sz_error_release(&later);
		free(copies[i]);
	}
	return ret;
}
