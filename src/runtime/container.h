/* SPDX-License-Identifier: GPL-3.0-or-later */
/* container.h - the runtime's internal view of one container being set up (not a public API) */
#ifndef SZ_CONTAINER_H
#define SZ_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

#include "common/error.h"
#include "runtime/cgroup.h"
#include "runtime/msg.h"
#include "runtime/runtime.h"

/* Send a message, with fd (if >= 0) attached as SCM_RIGHTS. Returns 0 or -1
 * (errno set); never raises SIGPIPE. */
int sz_msg_send(int sock, int type, int errno_, const char *text, int fd);
/* Receive one message; an attached fd (close-on-exec) is stored in *fd.
 * Returns the byte count, 0 at end of stream, -1 on error. */
ssize_t sz_msg_recv(int sock, struct sz_msg *msg, int *fd);

/* One container in flight: what the child needs to set itself up. */
struct sz_container {
	const struct sz_spec *spec;
	char *id;         /* 12 hex digits */
	char *state_dir;  /* <state_root>/<id>, 0700 */
	char *rootfs_dir; /* <state_dir>/rootfs: where the root is assembled */
	char *image_rootfs;
	struct sz_cgroup cgroup;
	bool has_cgroup;
	bool rootless;
	uid_t host_uid;
	gid_t host_gid;
	int sync_fd;       /* the child's end of the socket pair */
	int seccomp_fd;    /* the compiled filter when the child inherits it, else -1 (sent over sync_fd) */
	int init_fd;       /* a sealed copy of stanza-init, which executes the command (-1 until made) */
	int lock_fd;       /* the state directory's lock (h->lockfd), which a detached PID 1 must not keep */
	int fifo_fd;       /* detached: O_PATH of the exec fifo, opened for writing to wait for start */
	bool joining;      /* an exec into a running container: the namespaces and root exist */
	bool tty_noecho;   /* the pty starts without echo and output processing */
	uint64_t t0;       /* sz_now_ns() when the run (or exec) started */
	uint64_t trace_t0; /* --trace's zero: the process's start for a run, t0 for an exec */
};

/*
 * A created container (sz_create): the setup above, kept until sz_destroy.
 * spec points at the handle's own copy once sz_create returns (the caller's
 * spec is borrowed only during the call): hostname, net mode, limits and
 * trace_fd stay, the rest is cleared.
 */
struct sz_container_handle {
	struct sz_container c;
	struct sz_spec spec;
	char *hostname;
	char *workdir;    /* the default working directory of an exec */
	char *upper_dir;  /* <state_dir>/upper, NULL with read_only */
	char *state_root; /* paths->state_root, for removing the state directory */
	int lockfd;       /* flock held on <state_dir>/lock for the container's life */
	pid_t pid;        /* PID 1, as the host sees it */
	int pidfd;        /* PID 1's pidfd: what exec joins, what destroy kills */
	int seccomp_fd;   /* the compiled filter, shared by every exec */
	bool reaped;      /* PID 1 has been waited for; status holds its status */
	int status;
	struct sz_process *procs; /* started by sz_exec_start and not yet reaped */
};

/* One command started in a created container (exec.c). */
struct sz_process {
	struct sz_container_handle *h; /* NULL once the container was destroyed */
	struct sz_process *next;       /* in h->procs until reaped */
	char *command;                 /* argv[0], for messages */
	pid_t pid;                     /* host pid; also its process group (it called setsid) */
	int pidfd;
	int master; /* pty master with tty, else -1 */
	int exec_errno;
	bool reaped;
	int status;
	uint64_t t0, deadline_ns;
	uint64_t oom_before, cpu_before;
};

/* Shared by sz_run and sz_create (run.c): everything before clone (garbage
 * collection, image, state directory, cgroup); clone and the parent's side
 * of setup; following the child until its execve; and removing it all. The
 * caller holds the signals blocked between launch and the end of the wait. */
int sz_container_prepare(struct sz_container_handle *h, const struct sz_spec *spec,
                         const struct sz_paths *paths, sz_error_t *err);
int sz_container_launch(struct sz_container_handle *h, int sock, sz_error_t *err);
/* 0 at the end of the stream (PID 1 executed its command), 1 when the
 * command could not be executed (res->exec_errno), 2 when a detached PID 1
 * said it is ready and waits on its fifo, -1 on an error. */
int sz_container_follow_setup(int sock, int *master, struct sz_result *res, sz_error_t *err);
/* Launch and follow the setup (create.c): until PID 1's execve, or for a
 * detached container until it waits on its fifo; *master gets its pty's
 * master if it has one. A command that cannot be executed is an error. */
int sz_container_start(struct sz_container_handle *h, int *master, sz_error_t *err);
void sz_container_teardown(struct sz_container_handle *h, sz_error_t *err);
/* Fill res from a wait status and the cgroup's counters. */
void sz_container_fill_result(struct sz_container *c, int status, struct sz_result *res);

/* stanza-init (init.c), what spec->init runs as PID 1 with the command as its
 * child, and what executes every command in a container: a sealed memfd
 * holding its static binary (close-on-exec; -1 with *err), and
 * "stanza-init -- argv..." or, with exec_fd >= 0, "stanza-init --exec FD --
 * argv..." (free the array, not its strings; FD's text is static). */
int sz_init_open(sz_error_t *err);
char **sz_init_argv(char *const *argv, int exec_fd);

/* --trace: "[  1.234 ms] what: detail" on spec->trace_fd. Async-signal-safe
 * enough for the child between clone and execve (formats into a stack buffer). */
void sz_trace(const struct sz_container *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The child side, from clone to execve. Never returns. */
__attribute__((noreturn)) void sz_child_main(struct sz_container *c);
/* The exec side (child.c): the process exec.c's helper forks (CLONE_PARENT)
 * after joining the cgroup and, through PID 1's pidfd, the namespaces; set
 * up like a fresh run's command. Never returns. */
__attribute__((noreturn)) void sz_child_exec_main(struct sz_container *c);

/* Mounts, run in the child inside its new mount namespace: assemble the root
 * in c->rootfs_dir (overlay or read-only bind, /proc, /dev, /sys, cgroup,
 * volumes, masked and read-only paths) and pivot_root into it. */
int sz_setup_rootfs(struct sz_container *c, sz_error_t *err);

/* Capabilities, no_new_privs and seccomp, in that order; the last steps before execve. */
int sz_drop_capabilities(struct sz_container *c, bool keep_root_set, sz_error_t *err);
/* The seccomp filter is compiled by stanza while the child sets up its
 * mounts (sz_seccomp_compile: a memfd holding the BPF program) and loaded by
 * the child as its last step before execve (sz_load_seccomp reads it from
 * the sync socket). */
/* Their halves of sz_runtime_profile (runtime.h). */
void sz_mounts_profile(struct sz_runtime_profile *p);
void sz_security_profile(struct sz_runtime_profile *p);
int sz_seccomp_compile(const struct sz_seccomp_profile *profile, sz_error_t *err);
int sz_load_seccomp(struct sz_container *c, sz_error_t *err);
/* Install the filter compiled into memfd fd (exec: inherited, not sent). */
int sz_apply_seccomp(struct sz_container *c, int fd, sz_error_t *err);

/* State directories: per-user root, per-container directory with a held lock. */
/* want_id: the container's name (checked by sz_valid_id; one that exists is
 * refused), or NULL for a random one. */
int sz_state_create(const char *state_root, const char *want_id, char **id_out, char **dir_out,
                    int *lock_fd_out, sz_error_t *err);
/* Remove container id's cgroup (killing what it holds) and state directory,
 * as the collector does, if no stanza holds its lock (held: the caller does). */
int sz_state_collect(const char *state_root, const char *id, bool held, sz_error_t *err);
/* The cgroup container id's stanza recorded (cg zeroed when none). */
int sz_state_read_cgroup(const char *state_root, const char *id, struct sz_cgroup *cg, sz_error_t *err);
/* In a detached container's state directory (sz_create_detached): "PID START_TIME\n". */
#define SZ_DETACHED_FILE "detached"
#define SZ_EXEC_FIFO     "exec.fifo"
int sz_state_remove(const char *state_root, const char *id, sz_error_t *err);

/* Send a pty master to the AF_UNIX stream socket at path (runc's --console-socket). */
int sz_send_console(const char *path, int master, sz_error_t *err);

/* A detached container (sz_create_detached), running, seen as a handle that
 * exec.c can run a command in: spec (borrowed) is its configuration. Not a
 * handle to destroy: sz_detached_view_free only lets go of it. */
struct sz_container_handle *sz_detached_view(const struct sz_paths *paths, const char *id,
                                             const struct sz_spec *spec, sz_error_t *err);
void sz_detached_view_free(struct sz_container_handle *h);

/* Remove the empty stanza-self-<pid> leaves in dir (absolute) of stanzas
 * that have exited. */
void sz_cgroup_collect_leaves(const char *dir);

/* The pty proxy: relays stdin/stdout to the container's pty master until the
 * container's first process exits; see run.c for the non-tty loop. */
struct sz_wait {
	int pidfd;
	int sigfd;
	pid_t pid;
	uint64_t deadline_ns; /* 0: none */
	bool kill_group;      /* killing also kills the process group pid leads (an exec) */
};
int sz_tty_proxy(const struct sz_container *c, int master, struct sz_wait *w, struct sz_result *res,
                 int *status, sz_error_t *err);
/* Handle what poll found: the container's pidfd ready, a signal for stanza
 * (signo, 0 for none), the deadline passed. Returns 1 when the container
 * ended (status filled), 0 to continue, -1 on error. */
int sz_wait_event(const struct sz_container *c, struct sz_wait *w, bool pid_ready, int signo, bool timed_out,
                  struct sz_result *res, int *status, sz_error_t *err);
/* The next signal from the signalfd, 0 if none. */
int sz_read_signal(int sigfd);
/* Wait without a terminal: the pidfd, the signalfd and the deadline. */
int sz_wait_plain(const struct sz_container *c, struct sz_wait *w, struct sz_result *res, int *status,
                  sz_error_t *err);
/* SIGKILL the container's PID 1 (through its pidfd); the kernel then ends
 * every process of its PID namespace. For an exec (kill_group), its process
 * group too: it is not reaped yet, so its pid cannot have been reused. */
void sz_kill_container(const struct sz_wait *w);
/* Block the signals stanza handles (INT TERM HUP QUIT CHLD WINCH) and return
 * a signalfd for them; *old gets the mask to restore. */
int sz_block_signals(sigset_t *old, sz_error_t *err);
/* Hold back the signals that end stanza (INT TERM HUP QUIT) while a container
 * is made, joined or removed, so that Ctrl-C cannot leave half of one; and
 * whether one of them arrived meanwhile (that the caller had not blocked). */
void sz_hold_signals(sigset_t *old);
bool sz_stop_pending(const sigset_t *old);

/* The container's cgroup (cgroup_place.c): none without a limit; refused,
 * with the commands that would make one, where the user has no cgroup. */
int sz_make_cgroup(struct sz_container *c, sz_error_t *err);
int sz_wait_timeout_ms(const struct sz_wait *w);

#endif
