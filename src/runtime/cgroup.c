/* cgroup.c - cgroup v1, hybrid and v2: find the controllers, make a container's group, limit, read, remove */
#include "runtime/cgroup.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#define ARRAY_SIZE(a)      (sizeof(a) / sizeof((a)[0]))
#define DIRS_MAX           (SZ_CTRL_COUNT + 1) /* one per controller, plus the unified one */
#define MAX_FIELDS         64                  /* a mountinfo line has 10 plus its optional fields */
#define MAX_NESTING        16                  /* child groups destroy descends into */
#define DESTROY_TIMEOUT_NS (2000ULL * 1000000ULL)
#define DESTROY_STEP_NS    (5ULL * 1000000ULL)
#define CFS_PERIOD_US      100000
#define MIN_CPU_MILLI      10 /* the kernel's smallest CFS quota is 1 ms */

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

/* ---- strings and files ---- */

/* Whether word is one of the items of list, separated by any of seps. */
static bool list_has(const char *list, const char *word, const char *seps)
{
	size_t len = strlen(word);
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, seps);

		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		if (*p != '\0')
			p++;
	}
	return false;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Decode octal escapes ("\040" for a space, as mountinfo writes them) in
 * place. "\000" would cut the string short and is left as it is. */
static void unescape_octal(char *s)
{
	char *out = s;

	while (*s != '\0') {
		if (s[0] == '\\' && is_octal(s[1]) && is_octal(s[2]) && is_octal(s[3])) {
			int v = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');

			if (v > 0 && v < 256) {
				*out++ = (char)v;
				s += 4;
				continue;
			}
		}
		*out++ = *s++;
	}
	*out = '\0';
}

/* dir + "/" + name without doubling the slash; an empty name gives dir. */
static char *path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir);

	while (*name == '/')
		name++;
	if (*name == '\0')
		return sz_xstrdup(dir);
	if (len > 0 && dir[len - 1] == '/')
		return sz_asprintf("%s%s", dir, name);
	return sz_asprintf("%s/%s", dir, name);
}

/* Cut the next line out of *cursor; NULL at the end. */
static char *next_line(char **cursor)
{
	char *line = *cursor;
	char *nl;

	if (*line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	return line;
}

/* Cut the next component of a slash-separated path out of *rest; NULL at the end. */
static char *next_component(char **rest)
{
	char *p = *rest;
	char *end;

	while (*p == '/')
		p++;
	if (*p == '\0')
		return NULL;
	end = p + strcspn(p, "/");
	if (*end != '\0')
		*end++ = '\0';
	*rest = end;
	return p;
}

static bool has_dot_component(const char *path)
{
	const char *p = path;

	while (*p != '\0') {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p += n;
	}
	return false;
}

/*
 * Read name (under dfd) into *out, which stays NULL when the file does not
 * exist: the kernel leaves out files for features it lacks (memory.peak,
 * memsw without swap accounting), and a group being removed answers ENODEV.
 * shown is the path named in errors.
 */
static int read_optional_at(int dfd, const char *name, const char *shown, char **out, sz_error_t *err)
{
	sz_error_t local = NULL;
	int errno_;

	*out = NULL;
	if (sz_read_file_at(dfd, name, out, NULL, &local) == 0)
		return 0;
	errno_ = local->errno_;
	sz_error_release(&local);
	if (errno_ == ENOENT || errno_ == ENODEV)
		return 0;
	return sz_error_make(err, errno_, _("cannot read '%s'"), shown);
}

static int read_optional(const char *path, char **out, sz_error_t *err)
{
	return read_optional_at(AT_FDCWD, path, path, out, err);
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

/* ---- layout ---- */

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
		if (list_has(opts, v1_controllers[i], ","))
			scan->v1_controllers = true;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (layout->mount[c] == NULL && list_has(opts, controller_names[c], ","))
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
	unescape_octal(f[4]);
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
	while ((line = next_line(&cursor)) != NULL)
		scan_mount_line(layout, line, prefix, scan);
	return 0;
}

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
		if (layout->self[c] == NULL && list_has(ctrls, controller_names[c], ","))
			layout->self[c] = sz_xstrdup(path);
}

static int read_self_cgroup(struct sz_cgroup_layout *layout, const char *path, sz_error_t *err)
{
	cleanup_free char *buf = NULL;
	char *cursor, *line;

	if (sz_read_file(path, &buf, NULL, err) < 0)
		return -1;
	cursor = buf;
	while ((line = next_line(&cursor)) != NULL)
		scan_cgroup_line(layout, line);
	return 0;
}

static int read_v2_controllers(struct sz_cgroup_layout *layout, sz_error_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *buf = NULL;

	if (layout->v2_mount == NULL)
		return 0;
	path = path_join(layout->v2_mount, "cgroup.controllers");
	if (read_optional(path, &buf, err) < 0)
		return -1;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		layout->v2_has[c] =
		    buf != NULL && c != SZ_CTRL_CPUACCT && list_has(buf, controller_names[c], " \n");
	return 0;
}

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

static uint64_t limit_for(const struct sz_cgroup_limits *limits, enum sz_controller c)
{
	switch (c) {
	case SZ_CTRL_MEMORY: return limits->memory_bytes;
	case SZ_CTRL_PIDS: return limits->pids;
	case SZ_CTRL_CPU: return limits->cpu_milli;
	default: return 0;
	}
}

int sz_cgroup_check_limits(const struct sz_cgroup_layout *layout, const struct sz_cgroup_limits *limits,
                           sz_error_t *err)
{
	static const char *const flags[SZ_CTRL_COUNT] = {
	    [SZ_CTRL_MEMORY] = "--memory",
	    [SZ_CTRL_PIDS] = "--pids",
	    [SZ_CTRL_CPU] = "--cpus",
	};

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (limit_for(limits, c) != 0 && layout->mount[c] == NULL)
			/* TRANSLATORS: the first %s is a controller (memory, pids, cpu), the second an
			 * option. */
			return sz_error_make(
			    err, 0, _("this host has no %s cgroup controller: %s cannot be enforced"),
			    controller_names[c], flags[c]);
	return 0;
}

/* ---- the container's group ---- */

/* The distinct directories of cg: controllers sharing a hierarchy share one. */
static size_t distinct_dirs(const struct sz_cgroup *cg, const char *dirs[DIRS_MAX])
{
	const char *all[DIRS_MAX];
	size_t n = 0;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		all[c] = cg->path[c];
	all[SZ_CTRL_COUNT] = cg->unified;
	for (size_t i = 0; i < DIRS_MAX; i++) {
		bool seen = all[i] == NULL;

		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(dirs[j], all[i]) == 0;
		if (!seen)
			dirs[n++] = all[i];
	}
	return n;
}

static bool is_unified(const struct sz_cgroup *cg, const char *dir)
{
	return cg->unified != NULL && strcmp(cg->unified, dir) == 0;
}

void sz_cgroup_release(struct sz_cgroup *cg)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		free(cg->path[c]);
	free(cg->unified);
	memset(cg, 0, sizeof(*cg));
}

struct create_ctx {
	struct sz_cgroup *cg;
	const struct sz_cgroup_layout *layout;
	const struct sz_cgroup_limits *limits;
	sz_cgroup_trace_fn trace;
	void *trace_arg;
};

static void trace(const struct create_ctx *ctx, const char *what, const char *path, const char *value)
{
	if (ctx->trace != NULL)
		ctx->trace(ctx->trace_arg, what, path, value);
}

static int write_value(const struct create_ctx *ctx, const char *dir, const char *file, const char *value,
                       sz_error_t *err)
{
	cleanup_free char *path = path_join(dir, file);

	if (sz_write_file_at(AT_FDCWD, path, value, strlen(value), err) < 0)
		return -1;
	trace(ctx, "write", path, value);
	return 0;
}

/* Like write_value, for a file the kernel may not offer (memsw without swap
 * accounting, memory.swap.max without swap): then there is nothing to limit. */
static int write_optional(const struct create_ctx *ctx, const char *dir, const char *file, const char *value,
                          sz_error_t *err)
{
	cleanup_free char *path = path_join(dir, file);

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	return write_value(ctx, dir, file, value, err);
}

/* A controller's group is made only for a limit that needs it (and cpuacct
 * with cpu, to account what the limit allowed): every group a container joins
 * costs a cgroup.procs write and an rmdir on v1, most of a short run. */
static bool wanted(const struct sz_cgroup_limits *limits, enum sz_controller c)
{
	if (c == SZ_CTRL_CPUACCT)
		return limits->cpu_milli != 0;
	return limit_for(limits, c) != 0;
}

/* "+memory +pids +cpu" for the v2 controllers this group uses that dir has not
 * enabled for its children yet, or NULL. */
static char *missing_controllers(const struct create_ctx *ctx, const char *enabled)
{
	char *out = NULL;

	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const char *name = controller_names[c];
		char *longer;

		if (c == SZ_CTRL_CPUACCT || !wanted(ctx->limits, c) ||
		    !sz_cgroup_layout_on_v2(ctx->layout, c) || list_has(enabled, name, " \n"))
			continue;
		longer = sz_asprintf("%s%s+%s", out != NULL ? out : "", out != NULL ? " " : "", name);
		free(out);
		out = longer;
	}
	return out;
}

static int enable_controllers(const struct create_ctx *ctx, const char *dir, sz_error_t *err)
{
	cleanup_free char *control = path_join(dir, "cgroup.subtree_control");
	cleanup_free char *enabled = NULL;
	cleanup_free char *want = NULL;

	if (sz_read_file(control, &enabled, NULL, err) < 0)
		return -1;
	want = missing_controllers(ctx, enabled);
	if (want == NULL)
		return 0;
	return write_value(ctx, dir, "cgroup.subtree_control", want, err);
}

static int make_base_dir(const struct create_ctx *ctx, const char *dir, sz_error_t *err)
{
	if (mkdir(dir, 0755) == 0)
		trace(ctx, "mkdir", dir, NULL);
	else if (errno != EEXIST)
		return sz_error_make(err, errno, _("cannot create directory '%s'"), dir);
	return 0;
}

/* Make what is missing of base under mount and return the directory the
 * group goes in; on v2 every level enables the controllers for the next. */
static int prepare_parent(const struct create_ctx *ctx, const char *mount, const char *base, char **out,
                          sz_error_t *err)
{
	bool v2 = ctx->layout->v2_mount != NULL && strcmp(mount, ctx->layout->v2_mount) == 0;
	cleanup_free char *copy = sz_xstrdup(base != NULL ? base : "");
	cleanup_free char *cur = sz_xstrdup(mount);
	char *rest = copy;
	char *part, *next;

	for (;;) {
		if (v2 && enable_controllers(ctx, cur, err) < 0)
			return -1;
		part = next_component(&rest);
		if (part == NULL)
			break;
		next = path_join(cur, part);
		free(cur);
		cur = next;
		if (make_base_dir(ctx, cur, err) < 0)
			return -1;
	}
	*out = steal_pointer(&cur);
	return 0;
}

static int make_group(const struct create_ctx *ctx, enum sz_controller c, const char *base, const char *name,
                      sz_error_t *err)
{
	cleanup_free char *parent = NULL;
	cleanup_free char *dir = NULL;

	if (prepare_parent(ctx, ctx->layout->mount[c], base, &parent, err) < 0)
		return -1;
	dir = path_join(parent, name);
	if (mkdir(dir, 0755) < 0)
		return sz_error_make(err, errno, _("cannot create directory '%s'"), dir);
	trace(ctx, "mkdir", dir, NULL);
	if (sz_cgroup_layout_on_v2(ctx->layout, c))
		ctx->cg->unified = sz_xstrdup(dir);
	ctx->cg->path[c] = steal_pointer(&dir);
	return 0;
}

/* The directory already made for an earlier controller of c's hierarchy. */
static const char *shared_dir(const struct create_ctx *ctx, enum sz_controller c)
{
	for (int d = 0; d < (int)c; d++)
		if (ctx->cg->path[d] != NULL && strcmp(ctx->layout->mount[d], ctx->layout->mount[c]) == 0)
			return ctx->cg->path[d];
	return NULL;
}

static int make_groups(const struct create_ctx *ctx, const char *const base[SZ_CTRL_COUNT], const char *name,
                       sz_error_t *err)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const char *shared;

		if (ctx->layout->mount[c] == NULL || !wanted(ctx->limits, c))
			continue;
		shared = shared_dir(ctx, c);
		if (shared != NULL)
			ctx->cg->path[c] = sz_xstrdup(shared);
		else if (make_group(ctx, c, base != NULL ? base[c] : NULL, name, err) < 0)
			return -1;
	}
	return 0;
}

static int write_memory_limit(const struct create_ctx *ctx, sz_error_t *err)
{
	const char *dir = ctx->cg->path[SZ_CTRL_MEMORY];
	char value[32];

	if (ctx->limits->memory_bytes == 0)
		return 0;
	snprintf(value, sizeof(value), "%" PRIu64, ctx->limits->memory_bytes);
	if (is_unified(ctx->cg, dir)) {
		if (write_value(ctx, dir, "memory.max", value, err) < 0)
			return -1;
		return write_optional(ctx, dir, "memory.swap.max", "0", err);
	}
	/* Memory first: the kernel refuses a memory+swap limit below the memory
	 * limit. With memsw equal to it, swap cannot hide an OOM kill. */
	if (write_value(ctx, dir, "memory.limit_in_bytes", value, err) < 0)
		return -1;
	return write_optional(ctx, dir, "memory.memsw.limit_in_bytes", value, err);
}

static int write_pids_limit(const struct create_ctx *ctx, sz_error_t *err)
{
	char value[32];

	if (ctx->limits->pids == 0)
		return 0;
	snprintf(value, sizeof(value), "%" PRIu64, ctx->limits->pids);
	return write_value(ctx, ctx->cg->path[SZ_CTRL_PIDS], "pids.max", value, err);
}

static int write_cpu_limit(const struct create_ctx *ctx, sz_error_t *err)
{
	const char *dir = ctx->cg->path[SZ_CTRL_CPU];
	uint64_t milli = ctx->limits->cpu_milli;
	uint64_t per_milli = CFS_PERIOD_US / 1000;
	/* too large for the kernel, which then says so, rather than wrapped around */
	uint64_t quota = milli > UINT64_MAX / per_milli ? UINT64_MAX : milli * per_milli;
	char value[64];

	if (milli == 0)
		return 0;
	if (milli < MIN_CPU_MILLI)
		quota = MIN_CPU_MILLI * per_milli;
	if (is_unified(ctx->cg, dir)) {
		snprintf(value, sizeof(value), "%" PRIu64 " %d", quota, CFS_PERIOD_US);
		return write_value(ctx, dir, "cpu.max", value, err);
	}
	snprintf(value, sizeof(value), "%d", CFS_PERIOD_US);
	if (write_value(ctx, dir, "cpu.cfs_period_us", value, err) < 0)
		return -1;
	snprintf(value, sizeof(value), "%" PRIu64, quota);
	return write_value(ctx, dir, "cpu.cfs_quota_us", value, err);
}

/* Nothing has joined yet, so a plain rmdir undoes each mkdir. */
static void undo_create(const struct create_ctx *ctx)
{
	const char *dirs[DIRS_MAX];
	size_t n = distinct_dirs(ctx->cg, dirs);

	for (size_t i = n; i-- > 0;)
		if (rmdir(dirs[i]) == 0)
			trace(ctx, "rmdir", dirs[i], NULL);
	sz_cgroup_release(ctx->cg);
}

static int check_names(const char *const base[SZ_CTRL_COUNT], const char *name, sz_error_t *err)
{
	if (name == NULL || *name == '\0' || strchr(name, '/') != NULL || has_dot_component(name))
		return sz_error_make(err, 0, "invalid cgroup name '%s'", name != NULL ? name : "");
	for (int c = 0; base != NULL && c < SZ_CTRL_COUNT; c++)
		if (base[c] != NULL && has_dot_component(base[c]))
			return sz_error_make(err, 0, "invalid cgroup base '%s'", base[c]);
	return 0;
}

int sz_cgroup_create(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                     const char *const base[SZ_CTRL_COUNT], const char *name,
                     const struct sz_cgroup_limits *limits, sz_cgroup_trace_fn trace_fn, void *trace_arg,
                     sz_error_t *err)
{
	static const struct sz_cgroup_limits no_limits;
	struct create_ctx ctx = {cg, layout, limits != NULL ? limits : &no_limits, trace_fn, trace_arg};

	memset(cg, 0, sizeof(*cg));
	if (check_names(base, name, err) < 0 || sz_cgroup_check_limits(layout, ctx.limits, err) < 0)
		return -1;
	cg->mode = layout->mode;
	if (make_groups(&ctx, base, name, err) < 0 || write_memory_limit(&ctx, err) < 0 ||
	    write_pids_limit(&ctx, err) < 0 || write_cpu_limit(&ctx, err) < 0) {
		undo_create(&ctx);
		return -1;
	}
	return 0;
}

int sz_cgroup_enter(const struct sz_cgroup *cg, pid_t pid, sz_error_t *err)
{
	const char *dirs[DIRS_MAX];
	size_t n = distinct_dirs(cg, dirs);
	char value[32];

	snprintf(value, sizeof(value), "%d", (int)pid);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *procs = path_join(dirs[i], "cgroup.procs");

		if (sz_write_file_at(AT_FDCWD, procs, value, strlen(value), err) < 0)
			return -1;
	}
	return 0;
}

/* ---- statistics ---- */

static int parse_u64(const char *path, const char *text, uint64_t *out, bool *found, sz_error_t *err)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (!isdigit((unsigned char)*text) || errno != 0 || (*end != '\0' && *end != '\n'))
		return sz_error_make(err, 0, _("cannot parse '%s': unexpected '%.*s'"), path,
		                     (int)strcspn(text, "\n"), text);
	*out = v;
	*found = true;
	return 0;
}

/* The number in dir/file, or with a key, after "key " on one of its lines
 * (memory.events, cpu.stat). A missing file or key leaves *found false. */
static int read_stat(const char *dir, const char *file, const char *key, uint64_t *out, bool *found,
                     sz_error_t *err)
{
	cleanup_free char *path = path_join(dir, file);
	cleanup_free char *buf = NULL;
	size_t len = key != NULL ? strlen(key) : 0;
	char *cursor, *line;

	if (read_optional(path, &buf, err) < 0)
		return -1;
	if (buf == NULL)
		return 0;
	if (key == NULL)
		return parse_u64(path, buf, out, found, err);
	cursor = buf;
	while ((line = next_line(&cursor)) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ' ')
			return parse_u64(path, line + len + 1, out, found, err);
	return 0;
}

static int read_memory_stats(const struct sz_cgroup *cg, const char *dir, struct sz_cgroup_stats *stats,
                             sz_error_t *err)
{
	bool v2 = is_unified(cg, dir);

	if (read_stat(dir, v2 ? "memory.events" : "memory.oom_control", "oom_kill", &stats->oom_kills,
	              &stats->has_oom, err) < 0)
		return -1;
	return read_stat(dir, v2 ? "memory.peak" : "memory.max_usage_in_bytes", NULL, &stats->memory_peak,
	                 &stats->has_peak, err);
}

static int read_cpu_stats(const struct sz_cgroup *cg, const char *dir, struct sz_cgroup_stats *stats,
                          sz_error_t *err)
{
	if (!is_unified(cg, dir))
		return read_stat(dir, "cpuacct.usage", NULL, &stats->cpu_usage_ns, &stats->has_cpu, err);
	if (read_stat(dir, "cpu.stat", "usage_usec", &stats->cpu_usage_ns, &stats->has_cpu, err) < 0)
		return -1;
	stats->cpu_usage_ns *= 1000;
	return 0;
}

int sz_cgroup_read_stats(const struct sz_cgroup *cg, struct sz_cgroup_stats *stats, sz_error_t *err)
{
	const char *mem = cg->path[SZ_CTRL_MEMORY];
	const char *acct = cg->path[SZ_CTRL_CPUACCT] != NULL ? cg->path[SZ_CTRL_CPUACCT] : cg->unified;

	memset(stats, 0, sizeof(*stats));
	if (mem != NULL && read_memory_stats(cg, mem, stats, err) < 0)
		return -1;
	if (acct != NULL && read_cpu_stats(cg, acct, stats, err) < 0)
		return -1;
	return 0;
}

/* ---- removal ---- */

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
	cleanup_free char *shown = path_join(path, "cgroup.procs");
	cleanup_free char *procs = NULL;

	if (read_optional_at(dfd, "cgroup.procs", shown, &procs, err) < 0)
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
		child = path_join(path, de->d_name);
		if (remove_at(dfd, de->d_name, child, deadline, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

/* Empty and remove the group name under pfd. Exiting processes leave a
 * group asynchronously, so rmdir is retried on EBUSY until the deadline. */
static int remove_at(int pfd, const char *name, const char *path, uint64_t deadline, int depth,
                     sz_error_t *err)
{
	cleanup_close int dfd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (dfd < 0)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot open '%s'"), path);
	if (depth > MAX_NESTING)
		return sz_error_make(err, ELOOP, _("cannot remove '%s'"), path);
	if (kill_members(dfd, path, err) < 0 || remove_children(dfd, path, deadline, depth, err) < 0)
		return -1;
	for (;;) {
		int errno_;

		if (unlinkat(pfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
		errno_ = errno;
		if (errno_ != EBUSY || sz_now_ns() >= deadline)
			return sz_error_make(err, errno_, _("cannot remove '%s'"), path);
		sleep_ns(DESTROY_STEP_NS);
		if (kill_members(dfd, path, err) < 0)
			return -1;
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
	const char *dirs[DIRS_MAX];
	char *copies[DIRS_MAX];
	size_t n = distinct_dirs(cg, dirs);
	int ret = 0;

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

/* ---- state ---- */

static char *escape_path(const char *path)
{
	char *out = sz_xmalloc(strlen(path) * 4 + 1);
	char *o = out;

	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p == '\\' || *p < 0x20 || *p == 0x7f)
			o += snprintf(o, 5, "\\%03o", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

static void append_entry(char **text, const char *key, const char *path)
{
	cleanup_free char *escaped = NULL;
	char *longer;

	if (path == NULL)
		return;
	escaped = escape_path(path);
	longer = sz_asprintf("%s%s %s\n", *text, key, escaped);
	free(*text);
	*text = longer;
}

char *sz_cgroup_serialize(const struct sz_cgroup *cg)
{
	char *text = sz_asprintf("mode %s\n", sz_cgroup_mode_name(cg->mode));

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		append_entry(&text, controller_names[c], cg->path[c]);
	append_entry(&text, "unified", cg->unified);
	return text;
}

static char **entry_slot(struct sz_cgroup *cg, const char *key)
{
	if (strcmp(key, "unified") == 0)
		return &cg->unified;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (strcmp(key, controller_names[c]) == 0)
			return &cg->path[c];
	return NULL;
}

static int parse_mode(const char *name, enum sz_cgroup_mode *mode, sz_error_t *err)
{
	for (int m = SZ_CGROUP_NONE; m <= SZ_CGROUP_V2; m++) {
		if (strcmp(name, sz_cgroup_mode_name(m)) == 0) {
			*mode = m;
			return 0;
		}
	}
	return sz_error_make(err, 0, _("unknown cgroup mode '%s'"), name);
}

static int parse_entry(struct sz_cgroup *cg, char *line, bool *has_mode, sz_error_t *err)
{
	char *path = strchr(line, ' ');
	char **slot;

	if (path == NULL)
		return sz_error_make(err, 0, _("expected '<controller> <path>', got '%s'"), line);
	*path++ = '\0';
	if (strcmp(line, "mode") == 0 && !*has_mode) {
		*has_mode = true;
		return parse_mode(path, &cg->mode, err);
	}
	slot = entry_slot(cg, line);
	if (slot == NULL)
		return sz_error_make(err, 0, _("unknown controller '%s'"), line);
	if (*slot != NULL)
		return sz_error_make(err, 0, _("'%s' is given twice"), line);
	unescape_octal(path);
	if (path[0] != '/' || path[1] == '\0' || has_dot_component(path))
		return sz_error_make(err, 0, _("'%s' is not a clean absolute path"), path);
	*slot = sz_xstrdup(path);
	return 0;
}

static enum sz_cgroup_mode derive_mode(const struct sz_cgroup *cg)
{
	bool v1 = false;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (cg->path[c] != NULL && !is_unified(cg, cg->path[c]))
			v1 = true;
	if (cg->unified != NULL)
		return v1 ? SZ_CGROUP_HYBRID : SZ_CGROUP_V2;
	return v1 ? SZ_CGROUP_V1 : SZ_CGROUP_NONE;
}

int sz_cgroup_deserialize(struct sz_cgroup *cg, const char *text, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(text);
	char *cursor = copy;
	char *line;
	size_t lineno = 0;
	bool has_mode = false;

	memset(cg, 0, sizeof(*cg));
	while ((line = next_line(&cursor)) != NULL) {
		lineno++;
		if (*line == '\0')
			continue;
		if (parse_entry(cg, line, &has_mode, err) < 0) {
			sz_cgroup_release(cg);
			return sz_error_wrap(err, _("cgroup state, line %zu"), lineno);
		}
	}
	if (!has_mode)
		cg->mode = derive_mode(cg);
	return 0;
}
