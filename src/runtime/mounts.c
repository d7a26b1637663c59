/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mounts.c - assemble the container's root: overlay, /proc, /dev, /sys, cgroups, volumes; pivot_root */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"
#include "runtime/resolve.h"

/* Docker's masked paths (read as empty) and read-only paths. */
static const char *const masked_paths[] = {
    "/proc/acpi",        "/proc/kcore",
    "/proc/keys",        "/proc/latency_stats",
    "/proc/timer_list",  "/proc/timer_stats",
    "/proc/sched_debug", "/proc/scsi",
    "/sys/firmware",     "/sys/devices/virtual/powercap",
};
static const char *const readonly_paths[] = {
    "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
static const char *const dev_nodes[] = {"null", "zero", "full", "random", "urandom", "tty"};

static int do_mount(const struct sz_container *c, const char *src, const char *target, const char *type,
                    unsigned long flags, const char *data, sz_error_t *err)
{
	if (mount(src, target, type, flags, data) < 0)
		return sz_error_make(err, errno, _("cannot mount %s on '%s'"), type ? type : src, target);
	sz_trace(c, "mount: %s on %s%s%s", type ? type : src, target, data ? " " : "", data ? data : "");
	return 0;
}

/* Bind-remount with these flags, keeping those the kernel may have locked. */
static int remount_bind(const char *target, unsigned long extra)
{
	struct statfs sfs;
	unsigned long flags = MS_BIND | MS_REMOUNT | extra;

	if (statfs(target, &sfs) == 0)
		flags |= (unsigned long)sfs.f_flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME |
		                                       MS_NOATIME | MS_NODIRATIME | MS_RDONLY);
	return mount(NULL, target, NULL, flags, NULL);
}

/* Bind-remount read-only, keeping the flags the kernel may have locked. */
static int remount_ro(const struct sz_container *c, const char *target, unsigned long extra, sz_error_t *err)
{
	struct statfs sfs;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | extra;

	if (statfs(target, &sfs) == 0)
		flags |= (unsigned long)sfs.f_flags &
		         (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME | MS_NOATIME | MS_NODIRATIME);
	if (mount(NULL, target, NULL, flags, NULL) < 0)
		return sz_error_make(err, errno, _("cannot make '%s' read-only"), target);
	return 0;
}

static int mount_at_fd(const struct sz_container *c, const char *src, int fd, const char *what,
                       unsigned long flags, sz_error_t *err)
{
	char proc_path[64];

	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", fd);
	if (mount(src, proc_path, NULL, flags, NULL) < 0)
		return sz_error_make(err, errno, _("cannot mount '%s' on '%s'"), src, what);
	sz_trace(c, "mount: bind %s on %s", src, what);
	return 0;
}

/*
 * An O_PATH descriptor of the top-level directory name in the root, reached
 * without following a symbolic link, made when missing. An image whose /dev,
 * /proc or /sys is a link (to "/", say) would otherwise have these mounts,
 * and the device nodes made after them, land outside the container.
 */
static int open_mount_target(int rootfd, const char *name, sz_error_t *err)
{
	struct open_how how = {
	    .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
	    .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	long fd = syscall(SYS_openat2, rootfd, name, &how, sizeof(how));

	if (fd < 0 && errno == ENOENT && mkdirat(rootfd, name, 0755) == 0)
		fd = syscall(SYS_openat2, rootfd, name, &how, sizeof(how));
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR || errno == EXDEV))
		return sz_error_make(
		    err, 0,
		    _("the image's '/%s' is not a plain directory (a symbolic link?): refusing to "
		      "mount over it"),
		    name);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '/%s' in the container's root"), name);
	return (int)fd;
}

/* mount(2) onto a directory held open, so that no path is resolved again. */
static int do_mount_fd(const struct sz_container *c, const char *src, int fd, const char *what,
                       const char *type, unsigned long flags, const char *data, sz_error_t *err)
{
	char proc_path[64];

	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", fd);
	if (mount(src, proc_path, type, flags, data) < 0)
		return sz_error_make(err, errno, _("cannot mount %s on '%s'"), type ? type : src, what);
	sz_trace(c, "mount: %s on %s%s%s", type ? type : src, what, data ? " " : "", data ? data : "");
	return 0;
}

static int mount_volumes(const struct sz_container *c, int rootfd, sz_error_t *err)
{
	for (size_t i = 0; i < c->spec->n_volumes; i++) {
		const struct sz_volume *v = &c->spec->volumes[i];
		struct stat st;
		cleanup_close int fd = -1;
		char proc_path[64];

		if (v->fstype != NULL) {
			fd = sz_open_in_root(rootfd, v->container, true, err);
			if (fd < 0 ||
			    do_mount_fd(c, v->host, fd, v->container, v->fstype,
			                v->flags | (v->read_only ? MS_RDONLY : 0), v->data, err) < 0)
				return -1;
			continue;
		}
		if (stat(v->host, &st) < 0)
			return sz_error_make(err, errno, _("volume source '%s'"), v->host);
		fd = sz_open_in_root(rootfd, v->container, S_ISDIR(st.st_mode), err);
		if (fd < 0)
			return -1;
		if (mount_at_fd(c, v->host, fd, v->container, MS_BIND | MS_REC, err) < 0)
			return -1;
		if (!v->read_only && v->flags == 0)
			continue;
		/* The new mount is on top of the fd's path: reopen it to reach it. */
		close(sz_steal_fd(&fd));
		fd = sz_open_in_root(rootfd, v->container, S_ISDIR(st.st_mode), err);
		if (fd < 0)
			return -1;
		snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", fd);
		if (!v->read_only && remount_bind(proc_path, v->flags) < 0)
			return sz_error_make(err, errno, _("cannot set the options of volume '%s'"),
			                     v->container);
		if (v->read_only && remount_ro(c, proc_path, MS_REC | v->flags, err) < 0)
			return sz_error_wrap(err, _("volume '%s'"), v->container);
	}
	return 0;
}

/* An image's layers, top first, as the overlay's lower directories, by their
 * full paths, as /proc/self/mountinfo then shows them. When those would not
 * fit in the one page the options may take (60 layers of a store under a long
 * path do not), by names relative to the store's layer directory, which the
 * mount resolves from this process's working directory; so too when the
 * store's path has a ',' or ':'. Read-only without an
 * upper directory; an overlay needs two lowers for that, so one layer alone
 * is bound instead. */
/* The overlay's options for the image's layers, named by full path or
 * relative to the store's layer directory. */
static void layer_options(const struct sz_container *c, bool relative, struct sz_buf *opts)
{
	const struct sz_spec *spec = c->spec;

	sz_buf_init(opts, 0);
	sz_buf_adds(opts, "lowerdir=");
	for (size_t i = 0; i < spec->n_layers; i++)
		sz_buf_addf(opts, "%s%s%s%s", i > 0 ? ":" : "", relative ? "" : spec->layers_dir,
		            relative ? "" : "/", spec->layers[i]);
	/* An upper directory that becomes a layer as it is (a build's RUN) must
	 * hold plain files and whiteouts only: no redirect of a renamed
	 * directory, no metadata-only copy-up, no index (rootless userxattr
	 * already means all three). */
	if (!spec->read_only && spec->upper_dir != NULL)
		sz_buf_addf(opts, ",upperdir=%s,workdir=%s%s", spec->upper_dir, spec->work_dir,
		            c->rootless ? "" : ",redirect_dir=off,metacopy=off,index=off");
	else if (!spec->read_only)
		sz_buf_addf(opts, ",upperdir=%s/upper,workdir=%s/work", c->state_dir, c->state_dir);
	if (c->rootless)
		sz_buf_adds(opts, ",userxattr");
}

static int mount_layers(struct sz_container *c, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;
	/* mount(2) copies one page of options, NUL included: the rest is lost. */
	const size_t limit = (size_t)sysconf(_SC_PAGESIZE) - 1;
	struct sz_buf opts;
	bool relative;
	int r;

	if (spec->read_only && spec->n_layers == 1) {
		cleanup_free char *dir = sz_asprintf("%s/%s", spec->layers_dir, spec->layers[0]);

		if (do_mount(c, dir, c->rootfs_dir, NULL, MS_BIND | MS_REC, NULL, err) < 0)
			return -1;
		return remount_ro(c, c->rootfs_dir, MS_NODEV, err);
	}
	/* A ',' or ':' in the store's path would split the option. */
	relative = strpbrk(spec->layers_dir, ",:") != NULL;
	layer_options(c, relative, &opts);
	if (!relative && opts.len > limit) {
		sz_buf_release(&opts);
		relative = true;
		layer_options(c, relative, &opts);
	}
	if (opts.len > limit) {
		size_t len = opts.len;

		sz_buf_release(&opts);
		return sz_error_make(
		    err, 0,
		    _("the image's %zu layers do not fit in the overlay's options (%zu bytes, "
		      "the kernel takes %zu)"),
		    spec->n_layers, len, limit);
	}
	if (relative && chdir(spec->layers_dir) < 0) {
		sz_buf_release(&opts);
		return sz_error_make(err, errno, _("cannot enter '%s'"), spec->layers_dir);
	}
	r = do_mount(c, "overlay", c->rootfs_dir, "overlay", MS_NODEV | (spec->read_only ? MS_RDONLY : 0),
	             opts.buf, err);
	sz_buf_release(&opts);
	if (r < 0)
		return -1;
	sz_trace(c, "mount: %zu layers from %s, top first%s", spec->n_layers, spec->layers_dir,
	         relative ? " (named relative to it)" : "");
	return relative && chdir("/") < 0 ? sz_error_make(err, errno, "chdir /") : 0;
}

/* An overlay whose work directory the kernel cannot make mounts read-only
 * rather than fail ("mounting read-only" in dmesg): say so here, where the
 * cause is known, not at the container's first write. A full file system is
 * the usual cause, and the one named when the state root is full. */
static int check_writable(const struct sz_container *c, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;
	cleanup_free char *work =
	    spec->upper_dir != NULL ? sz_xstrdup(spec->work_dir) : sz_asprintf("%s/work", c->state_dir);
	struct statvfs st, fs;
	bool full;

	if (spec->read_only || statvfs(c->rootfs_dir, &st) < 0 || !(st.f_flag & ST_RDONLY))
		return 0;
	full = statvfs(work, &fs) == 0 && (fs.f_favail == 0 || fs.f_bavail == 0);
	return sz_error_make(err, full ? ENOSPC : 0,
	                     _("the overlay came up read-only: the kernel could not make its work "
	                       "directory in '%s' (see dmesg)"),
	                     work);
}

static int mount_root(struct sz_container *c, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;
	cleanup_free char *opts = NULL;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return sz_error_make(err, errno, _("cannot make '/' private"));
	if (spec->n_layers > 0)
		return mount_layers(c, err) < 0 ? -1 : check_writable(c, err);
	if (spec->read_only || spec->bind_root) {
		/* Read-only from the first moment: nothing below may write the image.
		 * An OCI bundle's root that is not read-only is written as it is. */
		if (do_mount(c, c->image_rootfs, c->rootfs_dir, NULL, MS_BIND | MS_REC, NULL, err) < 0)
			return -1;
		if (spec->read_only)
			return remount_ro(c, c->rootfs_dir, MS_NODEV, err);
		/* nodev: with no device cgroup, a node in the bundle (b 8 0, a
		 * host's disk) must not open; stanza's own /dev is mounted over. */
		if (remount_bind(c->rootfs_dir, MS_NODEV) < 0)
			return sz_error_make(err, errno, _("cannot make '%s' nodev"), c->rootfs_dir);
		sz_trace(c, "mount: %s nodev", c->rootfs_dir);
		return 0;
	}
	opts = sz_asprintf("lowerdir=%s,upperdir=%s/upper,workdir=%s/work%s", c->image_rootfs, c->state_dir,
	                   c->state_dir, c->rootless ? ",userxattr" : "");
	if (do_mount(c, "overlay", c->rootfs_dir, "overlay", MS_NODEV, opts, err) < 0)
		return -1;
	return check_writable(c, err);
}

static int make_dev(const struct sz_container *c, const char *dev, int devfd, sz_error_t *err)
{
	static const char *const links[][2] = {
	    {"fd", "/proc/self/fd"},       {"stdin", "/proc/self/fd/0"}, {"stdout", "/proc/self/fd/1"},
	    {"stderr", "/proc/self/fd/2"}, {"ptmx", "pts/ptmx"},
	};

	if (do_mount_fd(c, "tmpfs", devfd, dev, "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV,
	                "mode=755,size=65536k", err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dev_nodes) / sizeof(dev_nodes[0]); i++) {
		cleanup_free char *target = sz_asprintf("%s/%s", dev, dev_nodes[i]);
		cleanup_free char *src = sz_asprintf("/dev/%s", dev_nodes[i]);
		int fd = open(target, O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0666);

		if (fd < 0)
			return sz_error_make(err, errno, _("cannot create '%s'"), target);
		close(fd);
		if (mount(src, target, NULL, MS_BIND, NULL) < 0)
			return sz_error_make(err, errno, _("cannot bind '%s' on '%s'"), src, target);
	}
	sz_trace(c, "mount: /dev: null zero full random urandom tty bound from the host, tmpfs nodev");
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		cleanup_free char *target = sz_asprintf("%s/%s", dev, links[i][0]);
		if (symlink(links[i][1], target) < 0)
			return sz_error_make(err, errno, _("cannot create '%s'"), target);
	}
	return 0;
}

/* Whether a volume goes on path. */
static bool bound_over(const struct sz_container *c, const char *path)
{
	for (size_t i = 0; i < c->spec->n_volumes; i++)
		if (strcmp(c->spec->volumes[i].container, path) == 0)
			return true;
	return false;
}

static int make_dev_subdirs(const struct sz_container *c, const char *dev, sz_error_t *err)
{
	cleanup_free char *pts = sz_asprintf("%s/pts", dev);
	cleanup_free char *shm = sz_asprintf("%s/shm", dev);
	cleanup_free char *mq = sz_asprintf("%s/mqueue", dev);

	if (mkdir(pts, 0755) < 0 || mkdir(shm, 01777) < 0 || mkdir(mq, 0755) < 0)
		return sz_error_make(err, errno, _("cannot create directories in '%s'"), dev);
	if (do_mount(c, "devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC,
	             c->rootless ? "newinstance,ptmxmode=0666,mode=620"
	                         : "newinstance,ptmxmode=0666,mode=620,gid=5",
	             err) < 0)
		return -1;
	/* podman binds its own /dev/shm (a volume, mounted later): none of ours under it. */
	if (!bound_over(c, "/dev/shm") && do_mount(c, "shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
	                                           "mode=1777,size=65536k", err) < 0)
		return -1;
	return do_mount(c, "mqueue", mq, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err);
}

static int ensure_dir(const char *path, sz_error_t *err)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		return sz_error_make(err, errno, _("cannot create '%s'"), path);
	return 0;
}

/* /sys/fs/cgroup shows the container's own cgroup, read-only: on v2 its
 * directory; on v1 a tmpfs with one read-only bind per controller. */
static int mount_cgroups(const struct sz_container *c, const char *root, sz_error_t *err)
{
	cleanup_free char *target = sz_asprintf("%s/sys/fs/cgroup", root);
	const struct sz_cgroup *cg = &c->cgroup;

	if (!c->has_cgroup)
		return 0;
	if (cg->unified != NULL) {
		if (do_mount(c, cg->unified, target, NULL, MS_BIND | MS_REC, NULL, err) < 0)
			return -1;
		return remount_ro(c, target, 0, err);
	}
	if (do_mount(c, "tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755", err) < 0)
		return -1;
	for (int i = 0; i < SZ_CTRL_COUNT; i++) {
		cleanup_free char *dst = NULL;
		const char *name;

		if (cg->path[i] == NULL)
			continue;
		name = sz_controller_name(i);
		dst = sz_asprintf("%s/%s", target, name);
		if (ensure_dir(dst, err) < 0 || do_mount(c, cg->path[i], dst, NULL, MS_BIND, NULL, err) < 0 ||
		    remount_ro(c, dst, 0, err) < 0)
			return -1;
	}
	return remount_ro(c, target, 0, err);
}

static int mount_sys(const struct sz_container *c, const char *root, int sysfd, sz_error_t *err)
{
	cleanup_free char *sys = sz_asprintf("%s/sys", root);
	char proc_path[64];
	unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;

	snprintf(proc_path, sizeof(proc_path), "/proc/self/fd/%d", sysfd);
	if (mount("sysfs", proc_path, "sysfs", flags, NULL) == 0) {
		sz_trace(c, "mount: sysfs on %s (read-only)", sys);
		return mount_cgroups(c, root, err);
	}
	/* A user namespace that does not own the network namespace (--net host
	 * rootless) may not mount sysfs: show the host's, read-only. */
	if (do_mount_fd(c, "/sys", sysfd, sys, NULL, MS_BIND | MS_REC, NULL, err) < 0 ||
	    remount_ro(c, sys, MS_REC, err) < 0)
		return -1;
	return mount_cgroups(c, root, err);
}

static int mask_paths(const struct sz_container *c, const char *root, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;
	const char *const *masked = spec->paths_set ? spec->masked_paths : masked_paths;
	const char *const *ro = spec->paths_set ? spec->readonly_paths : readonly_paths;
	size_t n_masked =
	    spec->paths_set ? spec->n_masked_paths : sizeof(masked_paths) / sizeof(masked_paths[0]);
	size_t n_ro =
	    spec->paths_set ? spec->n_readonly_paths : sizeof(readonly_paths) / sizeof(readonly_paths[0]);

	for (size_t i = 0; i < n_masked; i++) {
		cleanup_free char *p = sz_asprintf("%s%s", root, masked[i]);
		struct stat st;

		if (lstat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0") < 0)
				return sz_error_make(err, errno, _("cannot mask '%s'"), masked[i]);
		} else if (mount("/dev/null", p, NULL, MS_BIND, NULL) < 0) {
			return sz_error_make(err, errno, _("cannot mask '%s'"), masked[i]);
		}
	}
	for (size_t i = 0; i < n_ro; i++) {
		cleanup_free char *p = sz_asprintf("%s%s", root, ro[i]);

		if (access(p, F_OK) < 0)
			continue;
		if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0 || remount_ro(c, p, MS_REC, err) < 0)
			return sz_error_make(err, errno, _("cannot make '%s' read-only"), ro[i]);
	}
	sz_trace(c, "mount: %zu paths masked, %zu read-only (%s)", n_masked, n_ro,
	         spec->paths_set ? "the config's lists" : "Docker's lists");
	return 0;
}

/* Kernel parameters of the container's own namespaces, through its /proc
 * before /proc/sys is made read-only. */
static int write_sysctls(const struct sz_container *c, const char *root, sz_error_t *err)
{
	for (size_t i = 0; i < c->spec->n_sysctl; i++) {
		const char *kv = c->spec->sysctl[i];
		size_t klen = strcspn(kv, "=");
		cleanup_free char *path = sz_asprintf("%s/proc/sys/%.*s", root, (int)klen, kv);

		for (char *p = path + strlen(root) + strlen("/proc/sys/"); *p != '\0'; p++)
			if (*p == '.')
				*p = '/';
		if (sz_write_file_at(AT_FDCWD, path, kv + klen + 1, strlen(kv + klen + 1), err) < 0)
			return sz_error_wrap(err, _("cannot set sysctl %.*s"), (int)klen, kv);
		sz_trace(c, "sysctl: %s", kv);
	}
	return 0;
}

static int pivot(const struct sz_container *c, const char *root, sz_error_t *err)
{
	if (chdir(root) < 0)
		return sz_error_make(err, errno, _("cannot enter '%s'"), root);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return sz_error_make(err, errno, _("pivot_root into '%s' failed"), root);
	if (umount2(".", MNT_DETACH) < 0)
		return sz_error_make(err, errno, _("cannot detach the old root"));
	if (chdir("/") < 0)
		return sz_error_make(err, errno, _("cannot enter the new root"));
	sz_trace(c, "pivot_root: %s is now /, old root detached", root);
	return 0;
}

int sz_setup_rootfs(struct sz_container *c, sz_error_t *err)
{
	const char *root = c->rootfs_dir;
	cleanup_free char *proc = sz_asprintf("%s/proc", root);
	cleanup_free char *dev = sz_asprintf("%s/dev", root);
	cleanup_close int rootfd = -1;
	cleanup_close int procfd = -1;
	cleanup_close int devfd = -1;
	cleanup_close int sysfd = -1;

	if (mount_root(c, err) < 0)
		return -1;
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), root);
	if ((procfd = open_mount_target(rootfd, "proc", err)) < 0 ||
	    (devfd = open_mount_target(rootfd, "dev", err)) < 0 ||
	    (sysfd = open_mount_target(rootfd, "sys", err)) < 0)
		return -1;
	if (do_mount_fd(c, "proc", procfd, proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, err) < 0)
		return -1;
	if (make_dev(c, dev, devfd, err) < 0 || make_dev_subdirs(c, dev, err) < 0)
		return -1;
	if (mount_sys(c, root, sysfd, err) < 0 || mount_volumes(c, rootfd, err) < 0)
		return -1;
	if (write_sysctls(c, root, err) < 0 || mask_paths(c, root, err) < 0)
		return -1;
	return pivot(c, root, err);
}

void sz_mounts_profile(struct sz_runtime_profile *p)
{
	p->masked_paths = masked_paths;
	p->n_masked_paths = sizeof(masked_paths) / sizeof(masked_paths[0]);
	p->readonly_paths = readonly_paths;
	p->n_readonly_paths = sizeof(readonly_paths) / sizeof(readonly_paths[0]);
}
