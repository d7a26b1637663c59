/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab.h - a lab: a container spec and steps, loaded from labs/<chapter>/<lab>.yaml and checked before it runs
 */
#ifndef SZ_LAB_H
#define SZ_LAB_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "course/course.h"
#include "runtime/runtime.h"

/*
 * The model is plain data, owned by its struct sz_lab: every string, array
 * and compiled regular expression below is made by the loader and freed by
 * sz_lab_release(). Raw YAML never leaves the loader, and a lab that loaded
 * is valid: the engine does not check it again. The format is
 * docs/lab-format.md.
 */

/* What a lab needs from the host (`needs:`), as bits. */
enum sz_lab_need {
	SZ_NEED_ROOT = 1u << 0,
	SZ_NEED_ROOTLESS = 1u << 1,
	SZ_NEED_USERNS = 1u << 2,
	SZ_NEED_OVERLAY = 1u << 3,
	SZ_NEED_CGROUP_MEMORY = 1u << 4,
	SZ_NEED_CGROUP_PIDS = 1u << 5,
	SZ_NEED_CGROUP_CPU = 1u << 6,
	SZ_NEED_QEMU = 1u << 7,
	SZ_NEED_TTY = 1u << 8,
	SZ_NEED_COUNT = 9,
};

/* "cgroup-memory" for SZ_NEED_CGROUP_MEMORY (one bit), NULL for none. */
const char *sz_lab_need_name(unsigned need);

enum sz_lab_step_kind {
	SZ_LAB_DEMO,
	SZ_LAB_TASK,
};

/* Where a demo's command runs. */
enum sz_lab_where {
	SZ_WHERE_SESSION,   /* typed into the lab's shell session (a terminal in the container) */
	SZ_WHERE_CONTAINER, /* a fresh process in the container, stdout and stderr apart */
	SZ_WHERE_HOST,      /* sh -c on the host, as the user running stanza */
};

enum sz_check_kind {
	SZ_CHECK_EXIT,
	SZ_CHECK_STDOUT,
	SZ_CHECK_STDERR,
	SZ_CHECK_STDOUT_NOT,
	SZ_CHECK_OOM_KILLED,
	SZ_CHECK_FILE,
	SZ_CHECK_HOST_FILE,
	SZ_CHECK_NS_DIFFERS,
	SZ_CHECK_NS_SAME,
	SZ_CHECK_UID_MAP,
	SZ_CHECK_CGROUP,
	SZ_CHECK_HOSTNAME,
	SZ_CHECK_HOST_HOSTNAME_UNCHANGED,
	SZ_CHECK_LISTENING,
	SZ_CHECK_PROCESS,
	SZ_CHECK_KIND_COUNT,
};

/* The checks that read what the step's command did (its status and output),
 * rather than kernel state. */
bool sz_check_reads_output(enum sz_check_kind kind);

/* The counters `cgroup:` may read. */
enum sz_cgroup_counter {
	SZ_COUNTER_OOM_KILL,
	SZ_COUNTER_NR_THROTTLED,
	SZ_COUNTER_CPU_USEC,
	SZ_COUNTER_PIDS_CURRENT,
	SZ_COUNTER_PIDS_MAX_HITS,
	SZ_COUNTER_MEMORY_CURRENT,
	SZ_COUNTER_COUNT,
};

const char *sz_cgroup_counter_name(enum sz_cgroup_counter c);

enum sz_net_proto {
	SZ_PROTO_TCP,
	SZ_PROTO_UDP,
};

/*
 * One check. Only the fields of its kind are set:
 *   exit            status
 *   stdout, stderr, stdout-not, uid-map, hostname, process
 *                   re
 *   oom-killed      flag (true: an OOM kill happened; false: none did)
 *   file, host-file path, exists (-1: not said), re when has_re ("contains")
 *   ns-differs, ns-same
 *                   ns ("net")
 *   cgroup          counter, min, max (has_min, has_max)
 *   listening       port, proto
 */
struct sz_check {
	enum sz_check_kind kind;
	char *text; /* as written, for reports: "exit: 137", "file: /tmp/x exists" */
	int status;
	bool flag;
	char *path;
	int exists;
	bool has_re;
	regex_t re;
	char *ns;
	enum sz_cgroup_counter counter;
	uint64_t min, max;
	bool has_min, has_max;
	unsigned port;
	enum sz_net_proto proto;
};

struct sz_lab_step {
	char *id;
	enum sz_lab_step_kind kind;
	char *run; /* demo: the command (sh -c or typed), NULL for a task */
	enum sz_lab_where where;
	uint64_t timeout_ns;
	bool isolation;          /* demo: verify runs `run` on the host too and needs a different result */
	struct sz_check *expect; /* demo */
	size_t n_expect;
	struct sz_check *check; /* task */
	size_t n_check;
	char *solution; /* task: lines typed into the session */
	unsigned line;  /* where the step starts in its file */
};

struct sz_lab_volume {
	char *host;      /* relative to the lab's work directory, clean */
	char *container; /* absolute and clean */
	bool read_only;
};

struct sz_lab_file {
	char *path; /* relative to the lab's work directory, clean */
	char *content;
	unsigned mode; /* default 0644 */
};

struct sz_lab_container {
	char *image;    /* default "busybox" */
	char *hostname; /* default "lab" */
	char *user;     /* NULL: root */
	struct sz_cgroup_limits limits;
	enum sz_net_mode net;
	bool read_only;
	struct sz_lab_volume *volumes;
	size_t n_volumes;
	struct sz_lab_file *files;
	size_t n_files;
};

struct sz_lab {
	char *id;       /* "memory-kill": the file name without .yaml */
	char *chapter;  /* "cgroups": the directory's name */
	char *name;     /* "cgroups/memory-kill" */
	char *path;     /* the file it came from */
	unsigned needs; /* enum sz_lab_need bits */
	struct sz_lab_container container;
	struct sz_lab_step *steps;
	size_t n_steps;
};

/* Every lab of the content, ordered by chapter (course order when known,
 * else by name), then as the chapter's lesson file lists them (`labs:`),
 * then by id. */
struct sz_labs {
	struct sz_lab *items;
	size_t n;
	char **broken; /* names ("cgroups/memory-kill") of lab files that did not load */
	size_t n_broken;
};

enum {
	SZ_LAB_DEFAULT_TIMEOUT_NS = 10 * 1000 * 1000 * 1000ull,
	SZ_LAB_MAX_TIMEOUT_NS = 600 * 1000 * 1000 * 1000ull,
};

/*
 * Load one lab file; chapter is the lab's chapter (the directory's name).
 * Returns 0 and fills *out, or -1 with every problem of the file in *diags
 * and *out zeroed (nothing to free).
 */
int sz_lab_load_file(const char *path, const char *chapter, struct sz_lab *out, struct sz_diags *diags);
/* The same from a buffer; name is the file name used in the diagnostics and
 * whose base name the id must equal. */
int sz_lab_load_buffer(const char *name, const char *chapter, const char *data, size_t len,
                       struct sz_lab *out, struct sz_diags *diags);
void sz_lab_release(struct sz_lab *lab);

/*
 * Load every <content_dir>/labs/<chapter>/<lab>.yaml. When course is not
 * NULL, each chapter directory must be one of its chapters, and labs are
 * ordered as the course orders chapters. A missing labs/ is no lab at all.
 * Returns 0, or -1 when any file had problems (all of them in *diags, *out
 * holding the labs that loaded) or when a directory cannot be read (*err).
 * Release *out with sz_labs_release() in every case.
 */
int sz_labs_load_all(const char *content_dir, const struct sz_course *course, struct sz_labs *out,
                     struct sz_diags *diags, sz_error_t *err);
void sz_labs_release(struct sz_labs *labs);

/* A lab by name ("cgroups/memory-kill"), or by id alone when only one lab
 * has it; NULL when none. */
const struct sz_lab *sz_labs_find(const struct sz_labs *labs, const char *key);
const struct sz_lab_step *sz_lab_find_step(const struct sz_lab *lab, const char *id);

/*
 * The lab texts against the labs, for one language's course: every lab has
 * its texts and every step its text (in the chapter's lesson file), every
 * text belongs to a lab and step that exist (texts of a lab whose file did
 * not load are left alone), hints only on tasks, and every task has some. Each
 * problem becomes a diagnostic about the lesson file. Every check has a
 * label (`checks:`), one per check. Returns the number found.
 */
/* The label of a step's check number index (its expect: or check: list) in
 * course's language, NULL when the course has none. */
const char *sz_lab_check_label(const struct sz_course *course, const struct sz_lab *lab,
                               const struct sz_lab_step *step, size_t index);

size_t sz_labs_check_texts(const struct sz_labs *labs, const struct sz_course *course,
                           struct sz_diags *diags);

#endif
