/* SPDX-License-Identifier: GPL-3.0-or-later */
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
	unsigned long flags; /* MS_NOSUID, MS_NODEV, MS_NOEXEC on the bind, or 0 */
	/* Not a bind but a file system of this type (an OCI mount: "tmpfs"), host
	 * being its source, with flags (MS_RDONLY with read_only) and data. */
	const char *fstype;
	const char *data;
};

/* Where the runtime keeps per-container state and scratch space, and where
 * the images are. Filled by sz_paths_default(). */
struct sz_paths {
	char *state_root; /* 0700 per-user directory: one subdirectory per container */
	char *image_dir;  /* the built-in images (<name>/oci), for image/ to import */
	char *state_note; /* why state_root is not the usual place, or NULL */
};

/*
 * A container to run. Everything is decided before clone(): the runtime does
 * not parse options. Strings are borrowed, not owned.
 */
struct sz_spec {
	const char *image; /* a root directory by its full path (names are image/'s) */
	/* Or an image's layers (the image store's): directories under layers_dir,
	 * named relative to it, top layer first, as overlay stacks them. With
	 * n_layers > 0, image is ignored. The mount names them by full path when
	 * that fits in the one page its options may take, relative otherwise. */
	const char *layers_dir;
	const char *const *layers;
	size_t n_layers;
	/* With layers: the writable layer's directories, which outlive the
	 * container (a build's RUN step keeps what it wrote as a new layer);
	 * NULL: in the container's state directory, removed with it. */
	const char *upper_dir;
	const char *work_dir;
	char *const *argv;    /* command and arguments, argv[0] looked up in PATH */
	char *const *env;     /* extra "K=V" entries, NULL-terminated, may be NULL */
	const char *hostname; /* NULL: "stanza" */
	const char *user;     /* NULL: root; "name", "uid" or "uid:gid" */
	const char *workdir;  /* NULL: "/" */
	const struct sz_volume *volumes;
	size_t n_volumes;
	struct sz_cgroup_limits limits;
	/* How the caller's user names each limit (SZ_LIMIT_COUNT entries, by
	 * enum sz_cgroup_limit_id), for messages: "--memory"; NULL: the
	 * runtime's names ("the memory limit"). */
	const char *const *limit_words;
	enum sz_net_mode net;
	bool read_only;      /* rootfs read-only (no overlay) */
	bool tty;            /* allocate a pty in the container's devpts and proxy it */
	bool init;           /* PID 1 is stanza-init, which reaps orphans and runs argv as its child */
	uint64_t timeout_ns; /* 0: none */
	int trace_fd;        /* -1: no trace; else setup steps are written here */
	int stdio[3];        /* the container's stdin/out/err (ignored with tty) */
	/* What an OCI config.json may ask beyond the above (oci/config.c): */
	const char *id; /* the container's name in the state root (sz_valid_id); NULL: 12 random hex digits */
	bool bind_root; /* image is bound writable as it is, no overlay (OCI root.readonly false) */
	bool exact_env; /* env is the whole environment (OCI process.env): no PATH, HOSTNAME added */
	bool detached;  /* for sz_create_detached: PID 1 outlives stanza and waits for start */
	int keep_ns;    /* of CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWCGROUP: those not to create */
	const struct sz_rlimit *rlimits;
	size_t n_rlimits;
	const gid_t *groups; /* with groups_set: exactly these supplementary groups, not /etc/group's */
	size_t n_groups;
	bool groups_set;
	bool umask_set; /* the command's umask (else stanza's own) */
	unsigned int umask;
	bool oom_set; /* /proc/self/oom_score_adj before the command (else inherited) */
	int oom_score_adj;
	bool no_nnp; /* leave no_new_privs unset (OCI noNewPrivileges false): the filter is then
	                loaded before the capabilities go, while CAP_SYS_ADMIN allows it */
	const struct sz_seccomp_profile *seccomp; /* NULL: stanza's own filter */
	bool paths_set;                           /* masked_paths and readonly_paths replace stanza's lists */
	const char *const *masked_paths;
	size_t n_masked_paths;
	const char *const *readonly_paths;
	size_t n_readonly_paths;
	const char *const
	    *sysctl; /* "key=value" (dots, as sysctl(8)), written in the container's /proc/sys */
	size_t n_sysctl;
	/* Namespaces joined instead of made (setns), by path; NULL: a new one (or
	 * the host's, by net and keep_ns). */
	const char *net_path, *ipc_path, *uts_path;
	/* The container's cgroup, "/parent/name" (an OCI cgroupsPath): under parent as
	 * root, under the delegated base rootless; NULL: stanza-<id>. */
	const char *cgroup_path;
	bool no_seccomp; /* no filter at all (an OCI config without linux.seccomp) */
	/* With tty and detached (or an exec that outlives stanza): the pty master
	 * goes to the AF_UNIX socket at this path (SCM_RIGHTS), as runc's
	 * --console-socket, instead of being relayed by stanza. */
	const char *console_socket;
	/* With caps_set: the capabilities kept (the bounding set, and for root
	 * the permitted and effective sets), cap_value_t; else stanza's 11. */
	bool keep_hostname; /* a new uts namespace keeps the host's name (OCI: no hostname given) */
	bool caps_set;
	const int *caps;
	size_t n_caps;
};

/* A seccomp filter given by the caller (an OCI config's linux.seccomp),
 * compiled with libseccomp as runc does. Actions are libseccomp's
 * (SCMP_ACT_ERRNO(n) included). */
struct sz_seccomp_arg {
	unsigned int index;
	uint64_t value, value_two;
	int op; /* enum scmp_compare */
};
struct sz_seccomp_rule {
	const char *const *names;
	size_t n_names;
	uint32_t action;
	const struct sz_seccomp_arg *args;
	size_t n_args;
};
struct sz_seccomp_profile {
	uint32_t default_action;
	const uint32_t *arches; /* SCMP_ARCH_* */
	size_t n_arches;
	const struct sz_seccomp_rule *rules;
	size_t n_rules;
};

struct sz_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

/* Whether id can name a container: 1 to 128 of [A-Za-z0-9_.-], not "." or "..", not starting with '.'. */
bool sz_valid_id(const char *id);

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

/*
 * Containers that stay: create, exec, destroy (docs/runtime-exec.md).
 *
 * sz_create starts spec->argv as the container's PID 1 (a long-lived init
 * such as `sleep 2147483647`) and returns while it runs. sz_exec runs a
 * command in it the way `docker exec` does: the command joins the cgroup and
 * the namespaces (through PID 1's pidfd) and gets the same capabilities,
 * no_new_privs, seccomp filter and descriptors as a fresh run's command.
 * sz_destroy kills everything, reads the counters and removes the cgroup, the
 * state directory and the mounts.
 *
 * The caller must be single-threaded while it calls these, must neither
 * ignore SIGCHLD nor reap children it did not start itself (waitpid(-1)):
 * the processes are its children and are waited for by pid; and it
 * must call sz_destroy for every handle: a stanza that dies instead leaves
 * nothing running (PID 1 and every exec'd process have PR_SET_PDEATHSIG) and
 * its state is collected by the next stanza. Handles and processes are not
 * shared between processes.
 */
struct sz_container_handle;
struct sz_process;

/* A command for a created container. Strings are borrowed for the call. */
struct sz_exec_spec {
	char *const *argv;   /* command and arguments, argv[0] looked up in the container's PATH */
	char *const *env;    /* extra "K=V" entries, NULL-terminated, may be NULL */
	const char *user;    /* NULL: root; "name", "uid" or "uid:gid" of the container's /etc/passwd */
	const char *workdir; /* NULL: the container's (spec->workdir, else "/"); must exist */
	bool tty;            /* a pty from the container's devpts; see sz_process_pty */
	bool tty_noecho;     /* with tty: echo and output processing (\n to \r\n) off before the
	                        command starts, for a program that drives the pty (a session) */
	uint64_t timeout_ns; /* 0: none; counted from the start, the whole group is killed */
	int stdio[3];        /* the command's stdin/out/err (ignored with tty) */
};

void sz_exec_spec_init(struct sz_exec_spec *x);

/*
 * Create and start the container; *out gets the handle. spec->tty must be
 * false (PID 1 gets no terminal; give one to an exec instead), spec->timeout_ns
 * is ignored, spec->trace_fd (if any) is written to until sz_destroy. Setup
 * errors are returned like sz_run's, and so is a PID 1 that cannot be
 * executed; nothing is left behind then. SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * are held back during the call: one that arrived meanwhile tears the
 * container down again, and is left pending for the caller.
 */
int sz_create(const struct sz_spec *spec, const struct sz_paths *paths, struct sz_container_handle **out,
              sz_error_t *err);

/*
 * Run x in the container and wait for it, like sz_run: 0 and *res filled
 * when it ran (whatever it did: res->exec_errno when it could not be
 * executed, 127/126 by sz_result_status), -1 when it could not be started
 * (the container has stopped, --user unknown, ...). res->oom_killed counts
 * only the OOM kills during this command; memory_peak is the container's.
 * With x->tty the pty is relayed to stanza's own stdin and stdout. While it
 * waits, SIGINT, SIGTERM, SIGHUP and SIGQUIT stop the command (the whole
 * process group) and set res->interrupted: the caller then destroys the
 * container.
 */
int sz_exec(struct sz_container_handle *h, const struct sz_exec_spec *x, struct sz_result *res,
            sz_error_t *err);

/*
 * The same in two steps, for a caller that drives the process itself (a
 * shell session on its pty). sz_exec_start returns once the command was
 * executed (or could not be: sz_exec_wait then reports exec_errno), with *out
 * a process that belongs to the caller until sz_process_free. sz_exec_wait
 * waits for it (honouring x->timeout_ns and signals as sz_exec does) and
 * fills res; call it once. sz_process_free kills the process group if it
 * still runs, reaps it and frees p; it is valid before or after sz_destroy.
 */
int sz_exec_start(struct sz_container_handle *h, const struct sz_exec_spec *x, struct sz_process **out,
                  sz_error_t *err);
int sz_exec_wait(struct sz_process *p, struct sz_result *res, sz_error_t *err);
void sz_process_free(struct sz_process *p);
pid_t sz_process_pid(const struct sz_process *p);     /* as the host sees it */
int sz_process_pidfd(const struct sz_process *p);     /* -1 once reaped */
int sz_process_pty(const struct sz_process *p);       /* the pty master (owned by p), -1 without tty */
int sz_process_signal(struct sz_process *p, int sig); /* through the pidfd; 0 or -1 (errno) */

/* "'cmd': command not found in the container" when res says the command
 * could not be executed, else NULL. The caller frees it. */
char *sz_exec_error_text(const struct sz_result *res, const char *command);

/*
 * Stop and remove the container and free h (also when it fails): SIGKILL to
 * PID 1 (the kernel ends the rest of its PID namespace), every process still
 * running reaped, then the counters read into *res (may be NULL: PID 1's
 * status, every OOM kill of the container's life, memory peak, CPU time,
 * wall time since sz_create) before the cgroup, the state directory and the
 * scratch space go. Mounts live in the container's mount namespace and go
 * with its last process. Signals are held back as in sz_create.
 */
int sz_destroy(struct sz_container_handle *h, struct sz_result *res, sz_error_t *err);

/*
 * Containers that outlive the stanza that made them: the OCI lifecycle
 * (create, start, kill, delete), as runc's. sz_create_detached sets the
 * container up (spec->id names it in paths->state_root) and returns once its
 * PID 1 is ready and blocked before the command, waiting on the fifo
 * <state dir>/exec.fifo: it is not stanza's child once stanza exits (it goes to
 * the nearest subreaper, as runc's does), has no parent-death signal, and
 * keeps running when stanza is gone. spec->tty needs spec->console_socket. *pid gets its
 * host pid. sz_detached_start opens the fifo: the command is executed.
 * sz_detached_remove kills every process (SIGKILL), waits for them to
 * exit and removes the cgroup and the state directory. The collector of
 * sz_collect_garbage leaves these containers alone.
 */
struct sz_detached {
	pid_t pid;
	unsigned long long start_time; /* /proc/PID/stat's field 22, against pid reuse */
	bool created;                  /* the fifo is still there: not started */
	bool alive;                    /* pid is the container's and has not exited */
};
int sz_create_detached(const struct sz_spec *spec, const struct sz_paths *paths, pid_t *pid, sz_error_t *err);
/* Read the state of container id; -1 with errno ENOENT in *err when there is none. */
int sz_detached_read(const struct sz_paths *paths, const char *id, struct sz_detached *d, sz_error_t *err);
int sz_detached_start(const struct sz_paths *paths, const char *id, sz_error_t *err);
/* Signal PID 1 (all: every process of the cgroup, or PID 1 alone without one). */
int sz_detached_kill(const struct sz_paths *paths, const char *id, int sig, bool all, sz_error_t *err);
/* With force a running container too; a created or stopped one always. */
int sz_detached_remove(const struct sz_paths *paths, const char *id, bool force, sz_error_t *err);
/* Change the limits of a running container (runc update): only those its
 * cgroup was made with (a container without limits has no cgroup). */
int sz_detached_update(const struct sz_paths *paths, const char *id, const struct sz_cgroup_limits *limits,
                       sz_error_t *err);
/* The host pids of the processes of container id's PID namespace, PID 1 first (runc ps). */
int sz_detached_pids(const struct sz_paths *paths, const char *id, pid_t **pids, size_t *n, sz_error_t *err);
/* The directory of container id in the state root (caller frees). */
char *sz_detached_dir(const struct sz_paths *paths, const char *id);

/*
 * A command in a detached container (`stanza exec`, runc exec): spec is the
 * container's configuration with the command's process in it (argv, env,
 * user, workdir, capabilities, rlimits...); x only adds stdio, tty and a
 * timeout (its argv, env, user and workdir are taken from spec). Like
 * sz_exec_start: *out is the process, stanza's child, until
 * sz_detached_exec_end. With spec->detached the process outlives stanza.
 */
int sz_detached_exec_start(const struct sz_paths *paths, const char *id, const struct sz_spec *spec,
                           const struct sz_exec_spec *x, struct sz_process **out, sz_error_t *err);
/* With wait: wait for it (relaying its terminal with x->tty) into *res;
 * without: leave it running (a detached exec). Frees p and its container view. */
int sz_detached_exec_end(struct sz_process *p, bool wait, bool tty, struct sz_result *res, sz_error_t *err);

/* What a lab checks from outside, valid until sz_destroy. */
pid_t sz_container_pid(const struct sz_container_handle *h); /* PID 1, as the host sees it */
int sz_container_pidfd(const struct sz_container_handle *h);
bool sz_container_running(const struct sz_container_handle *h); /* PID 1 has not exited */
bool sz_container_rootless(const struct sz_container_handle *h);
const char *sz_container_id(const struct sz_container_handle *h);
const char *sz_container_state_dir(const struct sz_container_handle *h);
const char *sz_container_upper_dir(const struct sz_container_handle *h); /* NULL with read_only */
/* The container's cgroup directory for controller c, NULL when it has none
 * (no limit asked for c). On v2 every controller names the same directory. */
const char *sz_container_cgroup_dir(const struct sz_container_handle *h, enum sz_controller c);
/* The container's cgroup counters now (OOM kills, memory peak, CPU time and
 * throttling, pids.current); all zero, has_* false, without a cgroup. */
int sz_container_stats(const struct sz_container_handle *h, struct sz_cgroup_stats *stats, sz_error_t *err);

/* A --trace line on fd (none when fd < 0) stamped when (sz_now_ns() units),
 * counted from the process's start (sz_process_started): for what a run's
 * caller does before and after sz_run. */
void sz_trace_process(int fd, uint64_t when, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * What the runtime always does, for those who describe it (stanza spec
 * writes it as a config.json): the paths it masks and makes read-only, the
 * capabilities it keeps, the system calls its seccomp filter refuses with
 * EPERM and the namespace flags clone(2) may not carry. Static storage.
 */
struct sz_runtime_profile {
	const char *const *masked_paths;
	size_t n_masked_paths;
	const char *const *readonly_paths;
	size_t n_readonly_paths;
	const int *caps; /* cap_value_t */
	size_t n_caps;
	const char *const *denied_syscalls;
	size_t n_denied_syscalls;
	const unsigned long *clone_ns_flags;
	size_t n_clone_ns_flags;
};
void sz_runtime_profile(struct sz_runtime_profile *p);

#endif
