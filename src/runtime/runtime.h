/* runtime.h - the mini container runtime: a complete spec in, a result out */
#ifndef SZ_RUNTIME_H
#define SZ_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"
#include "runtime/cgroup.h"

enum sz_net_mode {
	SZ_NET_NONE, /* own network namespace with only lo, up (the default) */
	SZ_NET_HOST, /* the host's network namespace */
};

struct sz_volume {
	char *host;      /* absolute, existing host path */
	char *container; /* absolute path inside the container */
	bool read_only;
};

/* Where the runtime keeps per-container state and scratch space, and where
 * the images are. Filled by sz_paths_default(). */
struct sz_paths {
	char *state_root; /* 0700 per-user directory: one subdirectory per container */
	char *image_dir;  /* directory holding images by name (image_dir/<name>/rootfs) */
	char *state_note; /* why state_root is not the usual place, or NULL */
};

/*
 * A container to run. Everything is decided before clone(): the runtime does
 * not parse options. Strings are borrowed, not owned.
 */
struct sz_spec {
	const char *image;    /* name under paths.image_dir, or an absolute rootfs path */
	char *const *argv;    /* command and arguments, argv[0] looked up in PATH */
	char *const *env;     /* extra "K=V" entries, NULL-terminated, may be NULL */
	const char *hostname; /* NULL: "stanza" */
	const char *user;     /* NULL: root; "name", "uid" or "uid:gid" */
	const char *workdir;  /* NULL: "/" */
	const struct sz_volume *volumes;
	size_t n_volumes;
	struct sz_cgroup_limits limits;
	enum sz_net_mode net;
	bool read_only;      /* rootfs read-only (no overlay) */
	bool tty;            /* allocate a pty in the container's devpts and proxy it */
	uint64_t timeout_ns; /* 0: none */
	int trace_fd;        /* -1: no trace; else setup steps are written here */
	int stdio[3];        /* the container's stdin/out/err (ignored with tty) */
};

struct sz_result {
	int exit_code;      /* WEXITSTATUS, or -1 when killed */
	int term_signal;    /* the signal that ended the command, 0 if it exited */
	bool oom_killed;    /* the kernel's OOM killer killed a process in the container */
	uint64_t oom_kills; /* how many */
	bool timed_out;
	bool interrupted; /* stanza itself got SIGINT/SIGTERM/SIGHUP and stopped the container */
	int interrupt_signal;
	int exec_errno; /* the command could not be executed: errno of execve, else 0 */
	uint64_t memory_peak;
	uint64_t cpu_usage_ns;
	uint64_t wall_ns;
};

/* The exit status stanza reports for a result (see docs/exit-status.md):
 * the command's status, 128+N for signal N, 124 for a timeout, 126/127 when
 * the command cannot be executed / is not found. */
int sz_result_status(const struct sz_result *res);

void sz_spec_init(struct sz_spec *spec);
int sz_paths_default(struct sz_paths *paths, const char *image_dir, sz_error_t *err);
void sz_paths_release(struct sz_paths *paths);

/*
 * Run the container to its end and fill *res. Returns 0 when the container
 * ran (whatever its command did), -1 with *err when it could not be set up.
 * Every cgroup, scratch directory and mount it made is gone when it returns.
 * The caller must be single-threaded.
 */
int sz_run(const struct sz_spec *spec, const struct sz_paths *paths, struct sz_result *res, sz_error_t *err);

/* Remove the state of containers whose stanza is gone (lock free). Returns
 * how many were collected, or -1. */
int sz_collect_garbage(const struct sz_paths *paths, sz_error_t *err);

#endif
