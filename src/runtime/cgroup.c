/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup.c - a container's cgroup: check the limits, make the groups, write the limits, enter, undo */
#include "runtime/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/cgroup_internal.h"

#define CFS_PERIOD_US 100000
#define MIN_CPU_MILLI 10 /* the kernel's smallest CFS quota is 1 ms */

/* ---- the limits ---- */

struct sz_cgroup_writer;
static int write_memory_limit(const struct sz_cgroup_writer *w, uint64_t bytes, sz_error_t *err);
static int write_pids_limit(const struct sz_cgroup_writer *w, uint64_t n, sz_error_t *err);
static int write_cpu_limit(const struct sz_cgroup_writer *w, uint64_t milli, sz_error_t *err);

const struct sz_cgroup_limit sz_cgroup_limit_table[SZ_LIMIT_COUNT] = {
    [SZ_LIMIT_MEMORY] = {N_("the memory limit"), "cgroup-memory", SZ_CTRL_MEMORY, SZ_CTRL_COUNT,
                         offsetof(struct sz_cgroup_limits, memory_bytes), "memory.limit_in_bytes",
                         "memory.max", 1, write_memory_limit},
    [SZ_LIMIT_PIDS] = {N_("the pids limit"), "cgroup-pids", SZ_CTRL_PIDS, SZ_CTRL_COUNT,
                       offsetof(struct sz_cgroup_limits, pids), "pids.max", "pids.max", 1, write_pids_limit},
    [SZ_LIMIT_CPU] = {N_("the cpu limit"), "cgroup-cpu", SZ_CTRL_CPU, SZ_CTRL_CPUACCT,
                      offsetof(struct sz_cgroup_limits, cpu_milli), "cpu.cfs_quota_us", "cpu.max",
                      CFS_PERIOD_US / 1000, write_cpu_limit},
};

uint64_t sz_cgroup_limit_value(const struct sz_cgroup_limits *limits, enum sz_cgroup_limit_id id)
{
	return *(const uint64_t *)((const char *)limits + sz_cgroup_limit_table[id].offset);
}

bool sz_cgroup_limits_any(const struct sz_cgroup_limits *limits)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++)
		if (sz_cgroup_limit_value(limits, i) != 0)
			return true;
	return false;
}

int sz_cgroup_check_limits(const struct sz_cgroup_layout *layout, const struct sz_cgroup_limits *limits,
                           const char *const words[SZ_LIMIT_COUNT], sz_error_t *err)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		const struct sz_cgroup_limit *d = &sz_cgroup_limit_table[i];

		if (sz_cgroup_limit_value(limits, i) != 0 && layout->mount[d->controller] == NULL)
			/* TRANSLATORS: the first %s is a controller (memory, pids, cpu), the second a
			 * limit as its user asked for it ("--memory", "the memory limit"). */
			return sz_error_make(
			    err, 0, _("this host has no %s cgroup controller: %s cannot be enforced"),
			    sz_controller_name(d->controller), sz_cgroup_limit_words(words, i));
	}
	return 0;
}

const char *sz_cgroup_limit_words(const char *const words[SZ_LIMIT_COUNT], enum sz_cgroup_limit_id id)
{
	if (words != NULL && words[id] != NULL)
		return words[id];
	return _(sz_cgroup_limit_table[id].name);
}

/* ---- the directories of a group ---- */

size_t cg_distinct_dirs(const struct sz_cgroup *cg, const char *dirs[CG_DIRS_MAX])
{
	const char *all[CG_DIRS_MAX];
	size_t n = 0;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		all[c] = cg->path[c];
	all[SZ_CTRL_COUNT] = cg->unified;
	for (size_t i = 0; i < CG_DIRS_MAX; i++) {
		bool seen = all[i] == NULL;

		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(dirs[j], all[i]) == 0;
		if (!seen)
			dirs[n++] = all[i];
	}
	return n;
}

bool cg_is_unified(const struct sz_cgroup *cg, const char *dir)
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

/* ---- writing files, with a trace ---- */

/* What making a group and writing its limits needs; a limit's writer gets it. */
struct sz_cgroup_writer {
	struct sz_cgroup *cg;
	const struct sz_cgroup_layout *layout;
	const struct sz_cgroup_limits *limits;
	sz_cgroup_trace_fn trace;
	void *trace_arg;
	unsigned made; /* bit c: cg->path[c] is a directory made here */
};

static void trace(const struct sz_cgroup_writer *ctx, const char *what, const char *path, const char *value)
{
	if (ctx->trace != NULL)
		ctx->trace(ctx->trace_arg, what, path, value);
}

static int write_value(const struct sz_cgroup_writer *ctx, const char *dir, const char *file,
                       const char *value, sz_error_t *err)
{
	cleanup_free char *path = cg_path_join(dir, file);

	if (sz_write_file_at(AT_FDCWD, path, value, strlen(value), err) < 0)
		return -1;
	trace(ctx, "write", path, value);
	return 0;
}

/* Like write_value, for a file the kernel may not offer (memsw without swap
 * accounting, memory.swap.max without swap): then there is nothing to limit. */
static int write_optional(const struct sz_cgroup_writer *ctx, const char *dir, const char *file,
                          const char *value, sz_error_t *err)
{
	cleanup_free char *path = cg_path_join(dir, file);

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	return write_value(ctx, dir, file, value, err);
}

/* ---- parents: the base and, on v2, subtree_control ---- */

/* A controller's group is made only for a limit that needs it (and cpuacct
 * with cpu, to account what the limit allowed): every group a container joins
 * costs a cgroup.procs write and an rmdir on v1, most of a short run. */
static bool wanted(const struct sz_cgroup_limits *limits, enum sz_controller c)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		const struct sz_cgroup_limit *d = &sz_cgroup_limit_table[i];

		if ((d->controller == c || d->also == c) && sz_cgroup_limit_value(limits, i) != 0)
			return true;
	}
	return false;
}

/* "+memory +pids +cpu" for the v2 controllers this group uses that dir has not
 * enabled for its children yet, or NULL. */
static char *missing_controllers(const struct sz_cgroup_writer *ctx, const char *enabled)
{
	char *out = NULL;

	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const char *name = sz_controller_name(c);
		char *longer;

		if (c == SZ_CTRL_CPUACCT || !wanted(ctx->limits, c) ||
		    !sz_cgroup_layout_on_v2(ctx->layout, c) || cg_list_has(enabled, name, " \n"))
			continue;
		longer = sz_asprintf("%s%s+%s", out != NULL ? out : "", out != NULL ? " " : "", name);
		free(out);
		out = longer;
	}
	return out;
}

static int enable_controllers(const struct sz_cgroup_writer *ctx, const char *dir, sz_error_t *err)
{
	cleanup_free char *control = cg_path_join(dir, "cgroup.subtree_control");
	cleanup_free char *enabled = NULL;
	cleanup_free char *want = NULL;

	if (sz_read_file(control, &enabled, NULL, err) < 0)
		return -1;
	want = missing_controllers(ctx, enabled);
	if (want == NULL)
		return 0;
	return write_value(ctx, dir, "cgroup.subtree_control", want, err);
}

static int make_base_dir(const struct sz_cgroup_writer *ctx, const char *dir, sz_error_t *err)
{
	if (mkdir(dir, 0755) == 0)
		trace(ctx, "mkdir", dir, NULL);
	else if (errno != EEXIST)
		return sz_error_make(err, errno, _("cannot create directory '%s'"), dir);
	return 0;
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

/* Make what is missing of base under mount and return the directory the
 * group goes in; on v2 every level enables the controllers for the next. */
static int prepare_parent(const struct sz_cgroup_writer *ctx, const char *mount, const char *base, char **out,
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
		next = cg_path_join(cur, part);
		free(cur);
		cur = next;
		if (make_base_dir(ctx, cur, err) < 0)
			return -1;
	}
	*out = steal_pointer(&cur);
	return 0;
}

/* ---- the groups ---- */

/* mount + the components of base + name, without doubled slashes. */
static char *plan_dir(const char *mount, const char *base, const char *name)
{
	cleanup_free char *copy = sz_xstrdup(base != NULL ? base : "");
	char *dir = sz_xstrdup(mount);
	char *rest = copy;
	char *part, *next;

	while ((part = next_component(&rest)) != NULL) {
		next = cg_path_join(dir, part);
		free(dir);
		dir = next;
	}
	next = cg_path_join(dir, name);
	free(dir);
	return next;
}

/* The directory already planned for an earlier controller of c's hierarchy. */
static const char *shared_dir(const struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                              enum sz_controller c)
{
	for (int d = 0; d < (int)c; d++)
		if (cg->path[d] != NULL && strcmp(layout->mount[d], layout->mount[c]) == 0)
			return cg->path[d];
	return NULL;
}

static int check_names(const char *const base[SZ_CTRL_COUNT], const char *name, sz_error_t *err)
{
	if (name == NULL || *name == '\0' || strchr(name, '/') != NULL || cg_has_dot_component(name))
		return sz_error_make(err, 0, "invalid cgroup name '%s'", name != NULL ? name : "");
	for (int c = 0; base != NULL && c < SZ_CTRL_COUNT; c++)
		if (base[c] != NULL && cg_has_dot_component(base[c]))
			return sz_error_make(err, 0, "invalid cgroup base '%s'", base[c]);
	return 0;
}

int sz_cgroup_plan(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                   const char *const base[SZ_CTRL_COUNT], const char *name,
                   const struct sz_cgroup_limits *limits, sz_error_t *err)
{
	static const struct sz_cgroup_limits no_limits;

	memset(cg, 0, sizeof(*cg));
	limits = limits != NULL ? limits : &no_limits;
	if (check_names(base, name, err) < 0 || sz_cgroup_check_limits(layout, limits, NULL, err) < 0)
		return -1;
	cg->mode = layout->mode;
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const char *shared;

		if (layout->mount[c] == NULL || !wanted(limits, c))
			continue;
		shared = shared_dir(cg, layout, c);
		cg->path[c] = shared != NULL
		                  ? sz_xstrdup(shared)
		                  : plan_dir(layout->mount[c], base != NULL ? base[c] : NULL, name);
		if (sz_cgroup_layout_on_v2(layout, c) && cg->unified == NULL)
			cg->unified = sz_xstrdup(cg->path[c]);
	}
	return 0;
}

static int make_group(struct sz_cgroup_writer *w, enum sz_controller c, const char *base, sz_error_t *err)
{
	cleanup_free char *parent = NULL;
	const char *dir = w->cg->path[c];

	if (prepare_parent(w, w->layout->mount[c], base, &parent, err) < 0)
		return -1;
	if (mkdir(dir, 0755) < 0)
		return sz_error_make(err, errno, _("cannot create directory '%s'"), dir);
	w->made |= 1u << c;
	trace(w, "mkdir", dir, NULL);
	return 0;
}

static int make_groups(struct sz_cgroup_writer *w, const char *const base[SZ_CTRL_COUNT], sz_error_t *err)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		if (w->cg->path[c] == NULL || shared_dir(w->cg, w->layout, c) != NULL)
			continue;
		if (make_group(w, c, base != NULL ? base[c] : NULL, err) < 0)
			return -1;
	}
	return 0;
}

/* ---- the limits' writers ---- */

static int write_memory_limit(const struct sz_cgroup_writer *w, uint64_t bytes, sz_error_t *err)
{
	const char *dir = w->cg->path[SZ_CTRL_MEMORY];
	char value[32];

	uint64_t total = w->limits->memory_swap_bytes != 0 ? w->limits->memory_swap_bytes : bytes;
	char swap[32];

	snprintf(value, sizeof(value), "%" PRIu64, bytes);
	if (cg_is_unified(w->cg, dir)) {
		if (write_value(w, dir, "memory.max", value, err) < 0)
			return -1;
		/* v2 limits swap alone. */
		if (total == UINT64_MAX)
			snprintf(swap, sizeof(swap), "max");
		else
			snprintf(swap, sizeof(swap), "%" PRIu64, total > bytes ? total - bytes : 0);
		return write_optional(w, dir, "memory.swap.max", swap, err);
	}
	/* Memory first: the kernel refuses a memory+swap limit below the memory
	 * limit. With memsw equal to it, swap cannot hide an OOM kill. */
	if (write_value(w, dir, "memory.limit_in_bytes", value, err) < 0)
		return -1;
	if (total == UINT64_MAX)
		snprintf(swap, sizeof(swap), "-1");
	else
		snprintf(swap, sizeof(swap), "%" PRIu64, total);
	return write_optional(w, dir, "memory.memsw.limit_in_bytes", swap, err);
}

static int write_pids_limit(const struct sz_cgroup_writer *w, uint64_t n, sz_error_t *err)
{
	char value[32];

	snprintf(value, sizeof(value), "%" PRIu64, n);
	return write_value(w, w->cg->path[SZ_CTRL_PIDS], "pids.max", value, err);
}

static int write_cpu_limit(const struct sz_cgroup_writer *w, uint64_t milli, sz_error_t *err)
{
	const char *dir = w->cg->path[SZ_CTRL_CPU];
	uint64_t per_milli = CFS_PERIOD_US / 1000;
	/* too large for the kernel, which then says so, rather than wrapped around */
	uint64_t quota = milli > UINT64_MAX / per_milli ? UINT64_MAX : milli * per_milli;
	char value[64];

	if (milli < MIN_CPU_MILLI)
		quota = MIN_CPU_MILLI * per_milli;
	if (cg_is_unified(w->cg, dir)) {
		snprintf(value, sizeof(value), "%" PRIu64 " %d", quota, CFS_PERIOD_US);
		return write_value(w, dir, "cpu.max", value, err);
	}
	snprintf(value, sizeof(value), "%d", CFS_PERIOD_US);
	if (write_value(w, dir, "cpu.cfs_period_us", value, err) < 0)
		return -1;
	snprintf(value, sizeof(value), "%" PRIu64, quota);
	return write_value(w, dir, "cpu.cfs_quota_us", value, err);
}

static int write_limits(const struct sz_cgroup_writer *w, sz_error_t *err)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		uint64_t value = sz_cgroup_limit_value(w->limits, i);

		if (value != 0 && sz_cgroup_limit_table[i].write(w, value, err) < 0)
			return -1;
	}
	return 0;
}

int sz_cgroup_update(struct sz_cgroup *cg, const struct sz_cgroup_limits *limits, sz_error_t *err)
{
	struct sz_cgroup_writer w = {.cg = cg, .limits = limits};

	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		const struct sz_cgroup_limit *d = &sz_cgroup_limit_table[i];

		if (sz_cgroup_limit_value(limits, i) != 0 && cg->path[d->controller] == NULL)
			return sz_error_make(
			    err, 0,
			    _("the container has no %s cgroup: only the limits it was created with "
			      "can change"),
			    sz_controller_name(d->controller));
	}
	return write_limits(&w, err);
}

int sz_cgroup_read_limit(const struct sz_cgroup *cg, enum sz_cgroup_limit_id id, uint64_t *value,
                         sz_error_t *err)
{
	const struct sz_cgroup_limit *d = &sz_cgroup_limit_table[id];
	const char *dir = cg->path[d->controller];
	cleanup_free char *path = NULL;
	cleanup_free char *text = NULL;

	*value = 0;
	if (dir == NULL)
		return 0;
	path = cg_path_join(dir, cg_is_unified(cg, dir) ? d->v2_file : d->v1_file);
	if (sz_read_file(path, &text, NULL, err) < 0)
		return -1;
	if (strncmp(text, "max", 3) == 0 || text[0] == '-')
		return 0; /* no limit (v1 cfs_quota_us says -1) */
	if (sscanf(text, "%" SCNu64, value) != 1)
		return sz_error_make(err, 0, _("cannot read a number in '%s'"), path);
	*value /= d->scale;
	return 0;
}

/* ---- create, undo, enter ---- */

/* Nothing has joined yet, so a plain rmdir undoes each mkdir. */
static void undo_create(const struct sz_cgroup_writer *w)
{
	for (int c = SZ_CTRL_COUNT; c-- > 0;)
		if ((w->made & (1u << c)) && rmdir(w->cg->path[c]) == 0)
			trace(w, "rmdir", w->cg->path[c], NULL);
	sz_cgroup_release(w->cg);
}

int sz_cgroup_create_planned(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                             const char *const base[SZ_CTRL_COUNT], const struct sz_cgroup_limits *limits,
                             sz_cgroup_trace_fn trace_fn, void *trace_arg, sz_error_t *err)
{
	static const struct sz_cgroup_limits no_limits;
	struct sz_cgroup_writer w = {cg,       layout,    limits != NULL ? limits : &no_limits,
	                             trace_fn, trace_arg, 0};

	if (make_groups(&w, base, err) < 0 || write_limits(&w, err) < 0) {
		undo_create(&w);
		return -1;
	}
	return 0;
}

int sz_cgroup_create(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                     const char *const base[SZ_CTRL_COUNT], const char *name,
                     const struct sz_cgroup_limits *limits, sz_cgroup_trace_fn trace_fn, void *trace_arg,
                     sz_error_t *err)
{
	if (sz_cgroup_plan(cg, layout, base, name, limits, err) < 0)
		return -1;
	return sz_cgroup_create_planned(cg, layout, base, limits, trace_fn, trace_arg, err);
}

int sz_cgroup_enter(const struct sz_cgroup *cg, pid_t pid, sz_error_t *err)
{
	const char *dirs[CG_DIRS_MAX];
	size_t n = cg_distinct_dirs(cg, dirs);
	char value[32];

	snprintf(value, sizeof(value), "%d", (int)pid);
	for (size_t i = 0; i < n; i++) {
		cleanup_free char *procs = cg_path_join(dirs[i], "cgroup.procs");

		if (sz_write_file_at(AT_FDCWD, procs, value, strlen(value), err) < 0)
			return -1;
	}
	return 0;
}
