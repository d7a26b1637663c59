/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_internal.h - what the host probe's files share (not a public API: see probe.h) */
#ifndef SZ_PROBE_INTERNAL_H
#define SZ_PROBE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "common/buf.h"
#include "runtime/probe.h"

/* ---- probe.c: host files below a root, and text ----------------------- */

/* root followed by path; caller frees. */
char *probe_host_path(const char *root, const char *path);

/* The whole file below root, or NULL when it cannot be read; caller frees.
 * len, when not NULL, receives its length. */
char *probe_read_host(const char *root, const char *path, size_t *len);

/* The first line of a file below root, trimmed; NULL when absent or empty. */
char *probe_read_line(const char *root, const char *path);

bool probe_host_exists(const char *root, const char *path);

/* The text of b for a finding, which takes NULL as "none": NULL when b is
 * empty, else the detached string. b is re-initialised either way. */
char *probe_detach_text(struct sz_buf *b);

/* Characters a POSIX shell takes literally. */
#define PROBE_SHELL_SAFE "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* s quoted for a POSIX shell when it needs to be; caller frees. */
char *probe_shell_quote(const char *s);

/* ---- probe_trial.c: forked trials ------------------------------------- */

/*
 * A trial runs in a child process. With userns, the child unshares a user
 * namespace and waits while the parent writes setgroups, gid_map and
 * uid_map (as a rootless runtime must: the child cannot map itself); then
 * it unshares the other namespaces, makes "/" private, forks into the PID
 * namespace when there is one, and runs body there. Whoever stops sends one
 * message saying which step and errno; the socket is SOCK_SEQPACKET so each
 * message arrives whole, and silence (every end closed) means SZ_STEP_LOST.
 * Only system calls run in the children, and they leave with _exit.
 */
struct trial {
	bool userns;
	uid_t uid;
	gid_t gid;
	int flags;                                /* namespaces to unshare after the user namespace */
	int (*body)(const void *arg, int *error); /* returns the failing step or SZ_STEP_NONE */
	const void *arg;
};

/* Run t and say in out how far it got. The caller must be single-threaded. */
void probe_run_trial(const struct trial *t, struct sz_probe_trial *out);

/* Record a trial's end in out: 0 when step is SZ_STEP_NONE, else -1. */
int probe_set_trial(struct sz_probe_trial *out, enum sz_probe_step step, int error);

/* <scratch>/stanza-probe-XXXXXX, mode 0700, or NULL with errno set; caller frees. */
char *probe_make_tmpdir(const char *scratch);

/* Every trial opts asks for, into p->namespaces, p->userns and p->overlay
 * (all SZ_STEP_SKIPPED when opts->trials is false). Needs p->user. */
void probe_run_trials(struct sz_probe *p, const struct sz_probe_options *opts);

/* ---- probe_overlay.c -------------------------------------------------- */

/* Mount an overlay in a temporary directory under scratch (in a user
 * namespace when not root) and write through it: p->overlay and the
 * overlay_* facts. Leaves nothing behind. */
void probe_overlay(struct sz_probe *p, const char *root, const char *scratch);

/* ---- probe_cgroup.c --------------------------------------------------- */

/* The controller exists here but this user may not make groups in it. */
bool probe_controller_refused(const struct sz_probe_controller *pc);

/* ---- probe_judge.c and probe_judge_trial.c: findings ------------------ */

/* Append a finding to p, which takes detail, disables and fix (malloc'd or
 * NULL); name must outlive p. Aborts past SZ_PROBE_MAX_FINDINGS (a bug). */
void probe_add_finding(struct sz_probe *p, const char *name, enum sz_probe_status status, char *detail,
                       char *disables, char *fix);

/* Free every finding's texts and leave none. */
void probe_findings_release(struct sz_probe *p);

/* The findings "namespaces", "userns" and "overlay", from the trials. */
void probe_judge_namespaces(struct sz_probe *p);
void probe_judge_userns(struct sz_probe *p);
void probe_judge_overlay(struct sz_probe *p);

#endif
