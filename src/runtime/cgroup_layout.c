/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_layout.c - where this host's cgroup controllers live: mountinfo, /proc/<pid>/cgroup, the mode */
#include "runtime/cgroup.h"

#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/util.h"
#include "runtime/cgroup_internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_FIELDS    64 /* a mountinfo line has 10 plus its optional fields */

static const char *const controller_names[SZ_CTRL_COUNT] = {
    [SZ_CTRL_MEMORY] = "memory",
    [SZ_CTRL_PIDS] = "pids",
    [SZ_CTRL_CPU] = "cpu",
    [SZ_CTRL_CPUACCT] = "cpuacct",
};

/* The v1 controllers the kernel knows: a hierarchy with none of them (such as
 * systemd's name=systemd) holds no controller. */
static const char *const v1_controllers[] = {
    "cpuset",  "cpu",        "cpuacct",  "blkio",   "io",   "memory", "devices", "freezer",
    "net_cls", "perf_event", "net_prio", "hugetlb", "pids", "rdma",   "misc",
};

const char *sz_controller_name(enum sz_controller c)
{
	return (unsigned)c < SZ_CTRL_COUNT ? controller_names[c] : "?";
}

const char *sz_cgroup_mode_name(enum sz_cgroup_mode mode)
{
	switch (mode) {
	case SZ_CGROUP_NONE: return "none";
	case SZ_CGROUP_V1: return "v1";
	case SZ_CGROUP_HYBRID: return "hybrid";
	case SZ_CGROUP_V2: return "v2";
	}
	return "?";
}

/* ---- mountinfo ---- */

struct mount_scan {
	bool v1_any;         /* some v1 hierarchy is mounted */
	bool v1_controllers; /* and one of them holds a controller */
};

static size_t split_fields(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		fields[n++] = p;
		p += strcspn(p, " ");
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

static void add_v1_mount(struct sz_cgroup_layout *layout, const char *mnt, const char *opts,
                         struct mount_scan *scan)
{
	scan->v1_any = true;
	for (size_t i = 0; i < ARRAY_SIZE(v1_controllers); i++)
		if (cg_list_has(opts, v1_controllers[i], ","))
			scan->v1_controllers = true;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (layout->mount[c] == NULL && cg_list_has(opts, controller_names[c], ","))
			layout->mount[c] = sz_xstrdup(mnt);
}

/* One mountinfo line: "id parent maj:min root mountpoint opts [optional...] - fstype source superopts". */
static void scan_mount_line(struct sz_cgroup_layout *layout, char *line, const char *prefix,
                            struct mount_scan *scan)
{
	char *f[MAX_FIELDS];
	size_t n = split_fields(line, f, MAX_FIELDS);
	size_t sep = 6;
	cleanup_free char *mnt = NULL;

	while (sep < n && strcmp(f[sep], "-") != 0)
		sep++;
	if (sep + 3 >= n)
		return;
	cg_unescape_octal(f[4]);
	mnt = sz_asprintf("%s%s", prefix, f[4]);
	if (strcmp(f[sep + 1], "cgroup2") == 0 && layout->v2_mount == NULL)
		layout->v2_mount = steal_pointer(&mnt);
	else if (strcmp(f[sep + 1], "cgroup") == 0)
		add_v1_mount(layout, mnt, f[sep + 3], scan);
}

static int read_mountinfo(struct sz_cgroup_layout *layout, const char *path, const char *prefix,
                          struct mount_scan *scan, sz_error_t *err)
{
	cleanup_free char *buf = NULL;
	char *cursor, *line;

	if (sz_read_file(path, &buf, NULL, err) < 0)
		return -1;
	cursor = buf;
	while ((line = cg_next_line(&cursor)) != NULL)
		scan_mount_line(layout, line, prefix, scan);
	return 0;
}

/* ---- /proc/<pid>/cgroup and cgroup.controllers ---- */

/* One /proc/<pid>/cgroup line: "id:controller,controller:path", "0::path" for v2. */
static void scan_cgroup_line(struct sz_cgroup_layout *layout, char *line)
{
	char *ctrls = strchr(line, ':');
	char *path = ctrls != NULL ? strchr(ctrls + 1, ':') : NULL;

	if (path == NULL)
		return;
	*ctrls++ = '\0';
	*path++ = '\0';
	if (*ctrls == '\0') {
		if (layout->v2_self == NULL && strcmp(line, "0") == 0)
			layout->v2_self = sz_xstrdup(path);
		return;
	}
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (layout->self[c] == NULL && cg_list_has(ctrls, controller_names[c], ","))
			layout->self[c] = sz_xstrdup(path);
}

static int read_self_cgroup(struct sz_cgroup_layout *layout, const char *path, sz_error_t *err)
{
	cleanup_free char *buf = NULL;
	char *cursor, *line;

	if (sz_read_file(path, &buf, NULL, err) < 0)
		return -1;
	cursor = buf;
	while ((line = cg_next_line(&cursor)) != NULL)
		scan_cgroup_line(layout, line);
	return 0;
}

static int read_v2_controllers(struct sz_cgroup_layout *layout, sz_error_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *buf = NULL;

	if (layout->v2_mount == NULL)
		return 0;
	path = cg_path_join(layout->v2_mount, "cgroup.controllers");
	if (cg_read_optional(path, &buf, err) < 0)
		return -1;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		layout->v2_has[c] =
		    buf != NULL && c != SZ_CTRL_CPUACCT && cg_list_has(buf, controller_names[c], " \n");
	return 0;
}

/* ---- the layout ---- */

static enum sz_cgroup_mode pick_mode(const struct sz_cgroup_layout *layout, const struct mount_scan *scan)
{
	if (layout->v2_mount != NULL)
		return scan->v1_controllers ? SZ_CGROUP_HYBRID : SZ_CGROUP_V2;
	return scan->v1_any ? SZ_CGROUP_V1 : SZ_CGROUP_NONE;
}

/* Controllers no v1 hierarchy holds live on v2 when it offers them. */
static void place_on_v2(struct sz_cgroup_layout *layout)
{
	if (layout->v2_mount == NULL)
		return;
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		bool on_v2 = layout->v2_has[c];

		if (c == SZ_CTRL_CPUACCT)
			on_v2 = layout->mode == SZ_CGROUP_V2 || sz_cgroup_layout_on_v2(layout, SZ_CTRL_CPU);
		if (layout->mount[c] != NULL || !on_v2)
			continue;
		layout->mount[c] = sz_xstrdup(layout->v2_mount);
		free(layout->self[c]);
		layout->self[c] = layout->v2_self != NULL ? sz_xstrdup(layout->v2_self) : NULL;
	}
}

int sz_cgroup_layout_load(struct sz_cgroup_layout *layout, const char *mountinfo_path,
                          const char *self_cgroup_path, const char *root_prefix, sz_error_t *err)
{
	struct mount_scan scan = {0};

	memset(layout, 0, sizeof(*layout));
	if (read_mountinfo(layout, mountinfo_path, root_prefix != NULL ? root_prefix : "", &scan, err) < 0 ||
	    read_self_cgroup(layout, self_cgroup_path, err) < 0 || read_v2_controllers(layout, err) < 0) {
		sz_cgroup_layout_release(layout);
		return -1;
	}
	layout->mode = pick_mode(layout, &scan);
	place_on_v2(layout);
	return 0;
}

int sz_cgroup_layout_load_self(struct sz_cgroup_layout *layout, sz_error_t *err)
{
	return sz_cgroup_layout_load(layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err);
}

void sz_cgroup_layout_release(struct sz_cgroup_layout *layout)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		free(layout->mount[c]);
		free(layout->self[c]);
	}
	free(layout->v2_mount);
	free(layout->v2_self);
	memset(layout, 0, sizeof(*layout));
}

bool sz_cgroup_layout_on_v2(const struct sz_cgroup_layout *layout, enum sz_controller c)
{
	return (unsigned)c < SZ_CTRL_COUNT && layout->mount[c] != NULL && layout->v2_mount != NULL &&
	       strcmp(layout->mount[c], layout->v2_mount) == 0;
}
