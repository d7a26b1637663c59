/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_overlay.c - the host probe's overlay trial: mount one, copy up and delete through it */
#include "runtime/probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/util.h"

struct overlay_dirs {
	char *merged;
	char *options;           /* lowerdir=...,upperdir=...,workdir=... */
	char *options_userxattr; /* the same with userxattr (rootless, Linux 5.11+), or NULL */
};

/* `mv` of one of the image's directories: a rename where the overlay may
 * record a redirect; where it may not (rootless overlays, redirect_dir off)
 * the rename fails with EXDEV and mv copies instead, which makes the new
 * directory and removes the old one, its contents first. */
static int overlay_move_dir(int dir)
{
	if (renameat(dir, "moved", dir, "moved2") == 0)
		return 0;
	if (errno != EXDEV)
		return -1;
	if (mkdirat(dir, "moved2", 0755) < 0 || unlinkat(dir, "moved/file", 0) < 0)
		return -1;
	return unlinkat(dir, "moved", AT_REMOVEDIR);
}

/* What a container does to its root: create a file, change one of the
 * image's (copy-up), delete one (whiteout), remove one of the image's
 * directories and make it again (an opaque directory), and move another.
 * The last two need the overlay's extended attributes on the upper layer's
 * file system: without them (tmpfs before Linux 6.6, rootless) they fail
 * with EIO or ENOTSUP, where a file alone works. */
static int overlay_exercise(const char *merged)
{
	cleanup_close int dir = open(merged, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int created = -1;
	cleanup_close int changed = -1;

	if (dir < 0)
		return -1;
	created = openat(dir, "new", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (created < 0)
		return -1;
	changed = openat(dir, "kept", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (changed < 0 || sz_write_all(changed, "x", 1) < 0)
		return -1;
	if (unlinkat(dir, "gone", 0) < 0 || unlinkat(dir, "dir/file", 0) < 0 ||
	    unlinkat(dir, "dir", AT_REMOVEDIR) < 0 || mkdirat(dir, "dir", 0755) < 0)
		return -1;
	return overlay_move_dir(dir);
}

static int overlay_body(const void *arg, int *error)
{
	const struct overlay_dirs *o = arg;
	int rc = -1;

	if (o->options_userxattr != NULL)
		rc = mount("overlay", o->merged, "overlay", 0, o->options_userxattr);
	/* kernels before 5.11 do not know userxattr (EINVAL): try without */
	if (rc < 0 && (o->options_userxattr == NULL || errno == EINVAL))
		rc = mount("overlay", o->merged, "overlay", 0, o->options);
	if (rc < 0) {
		*error = errno;
		return SZ_STEP_MOUNT_OVERLAY;
	}
	if (overlay_exercise(o->merged) < 0) {
		*error = errno;
		return SZ_STEP_OVERLAY_WRITE;
	}
	umount2(o->merged, MNT_DETACH);
	return SZ_STEP_NONE;
}

static void remove_tmpdir(const char *dir)
{
	cleanup_free char *work = sz_asprintf("%s/work/work", dir);
	sz_error_t err = NULL;

	/* overlay leaves work/work with mode 0; its owner may open it again */
	chmod(work, 0700);
	sz_rm_rf_at(AT_FDCWD, dir, &err);
	sz_error_release(&err);
}

static const char *fstype_name(const char *path, char *buf, size_t len)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} known[] = {
	    {EXT4_SUPER_MAGIC, "ext4"},
	    {TMPFS_MAGIC, "tmpfs"},
	    {XFS_SUPER_MAGIC, "xfs"},
	    {BTRFS_SUPER_MAGIC, "btrfs"},
	    {OVERLAYFS_SUPER_MAGIC, "overlay"},
	    {NFS_SUPER_MAGIC, "nfs"},
	    {0x65735546UL, "fuse"},
	    {0x2fc12fc1UL, "zfs"},
	};
	struct statfs st;

	if (statfs(path, &st) < 0)
		return "?";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if ((unsigned long)st.f_type == known[i].magic)
			return known[i].name;
	snprintf(buf, len, "0x%lx", (unsigned long)st.f_type);
	return buf;
}

static int overlay_prepare(const char *tmp, bool rootless, struct overlay_dirs *o)
{
	static const char *const subdirs[] = {"lower", "lower/dir", "lower/moved", "upper", "work", "merged"};
	static const char *const files[] = {"lower/kept", "lower/gone", "lower/dir/file", "lower/moved/file"};
	sz_error_t err = NULL;

	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		cleanup_free char *dir = sz_asprintf("%s/%s", tmp, subdirs[i]);
		if (mkdir(dir, 0700) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cleanup_free char *file = sz_asprintf("%s/%s", tmp, files[i]);
		if (sz_write_file(file, "", 0, 0644, &err) < 0) {
			errno = err->errno_;
			sz_error_release(&err);
			return -1;
		}
	}
	o->merged = sz_asprintf("%s/merged", tmp);
	o->options = sz_asprintf("lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work", tmp, tmp, tmp);
	o->options_userxattr = rootless ? sz_asprintf("%s,userxattr", o->options) : NULL;
	return 0;
}

void probe_overlay(struct sz_probe *p, const char *root, const char *scratch)
{
	cleanup_free char *tmp = probe_make_tmpdir(scratch);
	cleanup_free char *filesystems = probe_read_host(root, "/proc/filesystems", NULL);
	struct overlay_dirs o = {0};
	struct trial t = {
	    .userns = !p->user.root,
	    .uid = p->user.euid,
	    .gid = p->user.egid,
	    .flags = CLONE_NEWNS,
	    .body = overlay_body,
	    .arg = &o,
	};
	char buf[32];

	p->overlay_listed = filesystems != NULL && sz_probe_filesystems_has(filesystems, "overlay");
	p->overlay_dir = sz_xstrdup(scratch);
	p->overlay_fstype = sz_xstrdup(fstype_name(scratch, buf, sizeof(buf)));
	if (tmp == NULL || overlay_prepare(tmp, !p->user.root, &o) < 0)
		probe_set_trial(&p->overlay, SZ_STEP_SETUP, errno);
	else
		probe_run_trial(&t, &p->overlay);
	free(o.merged);
	free(o.options);
	free(o.options_userxattr);
	if (tmp != NULL)
		remove_tmpdir(tmp);
}
