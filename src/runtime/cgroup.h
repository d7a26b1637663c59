/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup.h - cgroup v1, hybrid and v2: find the controllers, make a container's group, limit, read, remove */
#ifndef SZ_CGROUP_H
#define SZ_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

enum sz_cgroup_mode {
	SZ_CGROUP_NONE = 0, /* no cgroup filesystem at all */
	SZ_CGROUP_V1,       /* only v1 hierarchies */
	SZ_CGROUP_HYBRID,   /* v1 controllers plus a cgroup2 mount (systemd's "hybrid") */
	SZ_CGROUP_V2,       /* the unified hierarchy only */
};

/* The controllers stanza uses. */
enum sz_controller {
	SZ_CTRL_MEMORY,
	SZ_CTRL_PIDS,
	SZ_CTRL_CPU,
	SZ_CTRL_CPUACCT, /* v1 only; on v2 CPU accounting is in cpu.stat */
	SZ_CTRL_COUNT,
};

/*
 * Where each controller lives on this host, read from mountinfo and the
 * process's cgroup file (never from fixed paths: hosts mount cpu and cpuacct
 * together or apart, under /sys/fs/cgroup or elsewhere).
 *
 * mount[c]   absolute path of the hierarchy's mount point holding controller c
 *            (on v2 every entry is the cgroup2 mount), NULL when c is not there
 * self[c]    this process's cgroup in that hierarchy ("/" or "/a/b")
 * v2_mount   the cgroup2 mount point, NULL when there is none
 */
struct sz_cgroup_layout {
	enum sz_cgroup_mode mode;
	char *mount[SZ_CTRL_COUNT];
	char *self[SZ_CTRL_COUNT];
	char *v2_mount;
	char *v2_self;
	bool v2_has[SZ_CTRL_COUNT]; /* controller listed in the v2 root's cgroup.controllers */
};

/*
 * Fill layout from a mountinfo file and a /proc/<pid>/cgroup file.
 * root_prefix is prepended to every path read from the kernel (mount points
 * and cgroup.controllers): "" on a real host, a fake tree's directory in
 * tests. The layout owns its strings; release with sz_cgroup_layout_release.
 */
int sz_cgroup_layout_load(struct sz_cgroup_layout *layout, const char *mountinfo_path,
                          const char *self_cgroup_path, const char *root_prefix, sz_error_t *err);
void sz_cgroup_layout_release(struct sz_cgroup_layout *layout);
const char *sz_cgroup_mode_name(enum sz_cgroup_mode mode);
const char *sz_controller_name(enum sz_controller c);

/*
 * Details of sz_cgroup_layout_load:
 *  - every path the layout stores (mount[], v2_mount) already has root_prefix
 *    in front, so later functions use them as they are;
 *  - the mode is HYBRID when a cgroup2 mount and at least one v1 hierarchy
 *    with a controller (not only "name=systemd") are both mounted;
 *  - a controller is found on v1 first; when no v1 hierarchy holds it and the
 *    v2 root's cgroup.controllers lists it, mount[c] is the cgroup2 mount;
 *  - SZ_CTRL_CPUACCT has no v2 controller: its mount[] is the cgroup2 mount
 *    when cpu lives there (or the host is pure v2), since cpu.stat is always
 *    present in a v2 group. v2_has[SZ_CTRL_CPUACCT] is always false;
 *  - a cgroup.controllers that does not exist counts as empty.
 */

/* The same, for this process on this host: /proc/self/mountinfo, /proc/self/cgroup, prefix "". */
int sz_cgroup_layout_load_self(struct sz_cgroup_layout *layout, sz_error_t *err);
/* Whether controller c lives on the cgroup2 hierarchy (false when it is absent). */
bool sz_cgroup_layout_on_v2(const struct sz_cgroup_layout *layout, enum sz_controller c);

/*
 * Where a user may make groups (cgroup_place.c); the one answer both the
 * runtime and `stanza doctor` use.
 *  root:          each hierarchy's root;
 *  others, v1:    <mount>/stanza-<token>, made by an administrator and given
 *                 to the user (dir and cgroup.procs writable);
 *  others, v2:    the highest ancestor of stanza's own cgroup that is
 *                 delegated: owned by the user, cgroup.procs and
 *                 cgroup.subtree_control writable.
 */
struct sz_cgroup_user {
	bool root;
	uid_t euid;
	const char *token; /* sz_cgroup_user_token() */
};

struct sz_cgroup_place {
	char *looked; /* where it looked, relative to the mount (the caller frees) */
	int error;    /* 0, or why `looked` will not do: ENOENT, EACCES, EPERM (not the user's) */
	bool enabled; /* v2: the controller is listed in looked's cgroup.controllers */
};

/* The user as written in directory names and commands: the name when it is
 * plain, else the uid. */
char *sz_cgroup_user_token(const char *name, uid_t euid);
/* Every controller's base relative to its mount ("" for the root), or NULL
 * with why[c] saying where it looked and why that will not do: what
 * `stanza doctor` shows and where the runtime makes groups, one answer.
 * The caller frees each base and releases why with sz_cgroup_places_release. */
void sz_cgroup_user_bases(const struct sz_cgroup_layout *layout, const struct sz_cgroup_user *user,
                          char *base[SZ_CTRL_COUNT], struct sz_cgroup_place why[SZ_CTRL_COUNT]);
void sz_cgroup_places_release(struct sz_cgroup_place why[SZ_CTRL_COUNT]);
/* The highest delegated ancestor of stanza's own v2 cgroup, relative to the
 * mount, or NULL. */
char *sz_cgroup_v2_delegated(const struct sz_cgroup_layout *layout, uid_t euid);

/* What a container asks for; 0 means no limit. */
struct sz_cgroup_limits {
	uint64_t memory_bytes;
	uint64_t pids;
	uint64_t cpu_milli; /* thousandths of a CPU: 500 = half a CPU */
	/* With memory_bytes: memory and swap together (OCI's memory.swap),
	 * UINT64_MAX for no swap limit; 0: memory_bytes, so no swap at all. */
	uint64_t memory_swap_bytes;
};

/*
 * The limits, one descriptor each: adding one is a field above, a row of
 * sz_cgroup_limit_table and its writer (cgroup.c). Messages name a limit as
 * its user asked for it: callers pass words[] ("--memory" for `stanza run`),
 * NULL or a NULL entry for the runtime's name ("the memory limit").
 */
enum sz_cgroup_limit_id {
	SZ_LIMIT_MEMORY,
	SZ_LIMIT_PIDS,
	SZ_LIMIT_CPU,
	SZ_LIMIT_COUNT,
};

struct sz_cgroup_writer;

struct sz_cgroup_limit {
	const char *name;              /* untranslated (N_): "the memory limit" */
	const char *need;              /* the lab need it implies: "cgroup-memory" */
	enum sz_controller controller; /* whose group holds it */
	enum sz_controller also;       /* a group it wants too (cpuacct for cpu), SZ_CTRL_COUNT: none */
	size_t offset;                 /* of its uint64_t in struct sz_cgroup_limits */
	const char *v1_file, *v2_file; /* where it is read back: the file holding the value */
	uint64_t scale;                /* the file's number divided by this is the value */
	/* Write value (not 0) into the group, on v1 or v2 as cg_is_unified says. */
	int (*write)(const struct sz_cgroup_writer *w, uint64_t value, sz_error_t *err);
};

extern const struct sz_cgroup_limit sz_cgroup_limit_table[SZ_LIMIT_COUNT];

uint64_t sz_cgroup_limit_value(const struct sz_cgroup_limits *limits, enum sz_cgroup_limit_id id);
/* Whether any limit is asked for. */
bool sz_cgroup_limits_any(const struct sz_cgroup_limits *limits);
/* words[id] when given, else the limit's translated name. */
const char *sz_cgroup_limit_words(const char *const words[SZ_LIMIT_COUNT], enum sz_cgroup_limit_id id);

/* 0, or -1 with a sentence for the learner when a limit asks for a controller
 * this host does not have ("this host has no memory cgroup controller: --memory
 * cannot be enforced", with words as above). sz_cgroup_create checks this
 * first; call it early to refuse options before anything is created. */
int sz_cgroup_check_limits(const struct sz_cgroup_layout *layout, const struct sz_cgroup_limits *limits,
                           const char *const words[SZ_LIMIT_COUNT], sz_error_t *err);

/* Called for each file written and directory made, for --trace. */
typedef void (*sz_cgroup_trace_fn)(void *arg, const char *what, const char *path, const char *value);

/*
 * One container's cgroup: a directory named `name` in each hierarchy it uses,
 * under `base[c]` (a path relative to the hierarchy's mount; "" for its root,
 * or a delegated subtree).
 *
 * Lifecycle: sz_cgroup_create makes the directories and writes the limits
 * (memory.limit_in_bytes before memory.memsw.limit_in_bytes on v1; memory.max
 * and memory.swap.max = 0 on v2; pids.max; cpu.cfs_quota_us/cpu.cfs_period_us
 * or cpu.max), so nothing can run in it unlimited. On failure everything it
 * made is removed again. sz_cgroup_destroy kills what is left inside, waits
 * for it to go and removes the directories; it is safe to call twice.
 */
struct sz_cgroup {
	char *path[SZ_CTRL_COUNT]; /* absolute directory per controller, NULL if unused */
	char *unified;             /* absolute directory on v2, else NULL */
	enum sz_cgroup_mode mode;
};

int sz_cgroup_create(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                     const char *const base[SZ_CTRL_COUNT], const char *name,
                     const struct sz_cgroup_limits *limits, sz_cgroup_trace_fn trace, void *trace_arg,
                     sz_error_t *err);
/* sz_cgroup_create in two steps, so that the caller can record where the
 * groups will be before any exists: plan fills cg's paths (checking names
 * and limits, touching nothing), create_planned makes them as
 * sz_cgroup_create does (on failure cg is zeroed). */
int sz_cgroup_plan(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                   const char *const base[SZ_CTRL_COUNT], const char *name,
                   const struct sz_cgroup_limits *limits, sz_error_t *err);
int sz_cgroup_create_planned(struct sz_cgroup *cg, const struct sz_cgroup_layout *layout,
                             const char *const base[SZ_CTRL_COUNT], const struct sz_cgroup_limits *limits,
                             sz_cgroup_trace_fn trace, void *trace_arg, sz_error_t *err);
/* Read limit id back from its group's file into *value: 0 when the group
 * has none (or "max"). */
/* Write the non-zero limits into cg's existing groups (runc update); a
 * limit whose controller has no group in cg is an error. */
int sz_cgroup_update(struct sz_cgroup *cg, const struct sz_cgroup_limits *limits, sz_error_t *err);
int sz_cgroup_read_limit(const struct sz_cgroup *cg, enum sz_cgroup_limit_id id, uint64_t *value,
                         sz_error_t *err);
/*
 * Details of sz_cgroup_create:
 *  - cg is overwritten (pass a zeroed or released one); on failure it is left
 *    zeroed and every directory made is removed again;
 *  - base may be NULL, and base[c] NULL, for "" (the hierarchy's root). Parts
 *    of a base that do not exist are made (0755) and never removed: they are
 *    shared with other containers. Controllers sharing a hierarchy (v1
 *    "cpu,cpuacct", or everything on v2) share the directory made for the
 *    first of them;
 *  - a controller's group is made only for a limit that needs it: memory for
 *    memory_bytes, pids for pids, cpu and cpuacct (to account the time the
 *    limit allowed) for cpu_milli. Without any limit nothing is made and 0
 *    is returned; enter and destroy accept that empty cgroup;
 *  - name is one path component. A directory that exists already is an error
 *    (it is not ours to remove);
 *  - on v2 each level from the mount down to the parent gets the controllers
 *    in cgroup.subtree_control, written only when some are missing;
 *  - a cpu_milli below 10 is raised to 10: the kernel's smallest quota is 1 ms;
 *  - trace (may be NULL) is called after each action succeeds, with what =
 *    "mkdir" (value NULL), "write" (the value written) or "rmdir" (value
 *    NULL, when a failure undoes a mkdir).
 */
/* Move pid into every directory of the cgroup (cgroup.procs). */
int sz_cgroup_enter(const struct sz_cgroup *cg, pid_t pid, sz_error_t *err);

struct sz_cgroup_stats {
	uint64_t oom_kills;        /* memory.events oom_kill (v2), memory.oom_control oom_kill (v1) */
	uint64_t memory_peak;      /* memory.peak or memory.max_usage_in_bytes; 0 if unknown */
	uint64_t cpu_usage_ns;     /* cpu.stat usage_usec * 1000, or cpuacct.usage */
	uint64_t cpu_nr_throttled; /* cpu.stat nr_throttled (v1 and v2) */
	uint64_t cpu_throttled_ns; /* cpu.stat throttled_usec * 1000 (v2), throttled_time (v1) */
	uint64_t pids_current;     /* pids.current */
	bool has_oom, has_peak, has_cpu, has_throttled, has_pids;
};
int sz_cgroup_read_stats(const struct sz_cgroup *cg, struct sz_cgroup_stats *stats, sz_error_t *err);

/* SIGKILL every process in the cgroup, wait (bounded) until it is empty, then
 * rmdir every directory. */
int sz_cgroup_destroy(struct sz_cgroup *cg, sz_error_t *err);
/* Details of sz_cgroup_destroy: child groups made inside are removed too;
 * each directory removed is freed and its entries set to NULL, so a second call
 * (or one after a partial failure) only does what is left. A directory that is
 * gone already counts as removed. Paths are opened without following symbolic
 * links. Waiting is bounded by about 2 s per call. Read the stats first. */

/* Free the strings only. */
void sz_cgroup_release(struct sz_cgroup *cg);

/* The file of a container's state directory that records its cgroup (the
 * text below), written before any of its directories is made. */
#define SZ_CGROUP_RECORD "cgroup"
/* Beside it when the group is not named stanza-<id> (an OCI cgroupsPath): its name. */
#define SZ_CGROUP_NAME_FILE "cgroup.name"

/* Write one line per directory ("<controller> <path>\n") so a later stanza can
 * find and remove the cgroup of a stanza that was killed; and read it back. */
char *sz_cgroup_serialize(const struct sz_cgroup *cg);
int sz_cgroup_deserialize(struct sz_cgroup *cg, const char *text, sz_error_t *err);
/* Format: "mode <none|v1|hybrid|v2>\n", then "<memory|pids|cpu|cpuacct|unified>
 * <absolute path>\n" per entry, where '\\', newlines and other control
 * characters in the path are written as octal escapes (\134, \012), as in
 * mountinfo. The caller frees the text. deserialize overwrites cg (zeroed on
 * failure), rejects unknown names, duplicates, relative paths and "." or ".."
 * components; without a mode line it derives cg->mode from the entries. */

#endif
