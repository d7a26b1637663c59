/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine_internal.h - what the engine's files share: a lab in play, captured commands, the work directory */
#ifndef SZ_ENGINE_INTERNAL_H
#define SZ_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "image/store.h"
#include "labs/checks.h"
#include "labs/engine.h"
#include "labs/kernel.h"

struct sz_session;

/* What one command did. Owns its strings. */
struct sz_captured {
	bool ran;   /* it was started (status is its status) */
	int status; /* as a shell reports it: 128+N for signal N */
	bool timed_out;
	bool oom_killed;
	char *out; /* stdout, or the session's terminal; never NULL once captured */
	size_t out_len;
	char *err; /* stderr; NULL in the session */
	size_t err_len;
	char *error; /* why it could not run, or why it stopped (a timeout); NULL when none */
};

void sz_captured_release(struct sz_captured *c);

/* The lab's private directory on the host: files and volumes live in it.
 * fd is open on it (and holds a lock) until it is removed. */
struct sz_workdir {
	char *path;
	int fd;
};

/* Make it (0700, under tmp_dir) with the lab's files and volume directories. */
int sz_workdir_make(struct sz_workdir *w, const char *tmp_dir, const struct sz_lab *lab, sz_error_t *err);
/* Remove what stanzas that were killed (SIGKILL, a crash) left under tmp_dir:
 * work directories of this user that no stanza holds, at least a minute old.
 * Best effort: what cannot be removed is left. */
void sz_workdir_collect(const char *tmp_dir);
/* Remove it and everything in it, never following a link nor crossing a
 * mount. Safe when unmade or half made; w is reset in every case. */
int sz_workdir_remove(struct sz_workdir *w, sz_error_t *err);

/* A lab in play. */
struct sz_lab_run {
	struct sz_lab_engine *e;
	const struct sz_lab *lab;
	struct sz_workdir wd;
	struct sz_container_handle *h;
	struct sz_image img; /* the container's image, its store held (image/store.h) */
	struct sz_session *session;
	struct sz_lab_kernel kernel;
	struct sz_check_env env;
	char *host_hostname;
	char *stanza_exe;
	const struct sz_lab_step *step; /* the step being played */
	enum sz_lab_phase phase;
};

struct sz_session_options;

/*
 * Set run up for run->e and run->lab (the rest zeroed, wd.fd -1): the work
 * directory, the container, the check environment, and the session, opened
 * with so (NULL: the engine's defaults, and only when a step uses the
 * session). When a stop signal came meanwhile (sz_create leaves it pending),
 * it returns 0 without a session and run->e->stop_signal says which: the
 * caller stops. On failure, what was made is left for sz_lab_run_tear_down(),
 * which is to be called in every case: it closes the session, destroys the
 * container and removes the work directory, going on past a failure, and
 * returns the first (the container or the directory left behind).
 */
int sz_lab_run_set_up(struct sz_lab_run *run, const struct sz_session_options *so, sz_error_t *err);
int sz_lab_run_tear_down(struct sz_lab_run *run, sz_error_t *err);

/* "{pid}", "{workdir}" and "{stanza}" in text replaced. The caller frees it. */
char *sz_lab_expand(const struct sz_lab_run *run, const char *text);

/*
 * Run command (sh -c) and capture it, streaming its output to the events,
 * until it ends or timeout_ns passes (then it is killed: c->timed_out).
 * In the container: as the lab's user. On the host: as stanza's user, in
 * the work directory. In the session: typed into the lab's shell.
 * Returns 0 when it ran or could not (c says which), -1 when a signal
 * stopped stanza (run->e->stop_signal says which).
 */
int sz_lab_exec_container(struct sz_lab_run *run, const char *command, uint64_t timeout_ns,
                          struct sz_captured *c);
int sz_lab_exec_host(struct sz_lab_run *run, const char *command, uint64_t timeout_ns, struct sz_captured *c);
int sz_lab_exec_session(struct sz_lab_run *run, const char *command, uint64_t timeout_ns,
                        struct sz_captured *c);

/* Play one step into rec. Returns 0, or -1 when a signal stopped stanza. */
int sz_lab_play_step(struct sz_lab_run *run, const struct sz_lab_step *step, struct sz_step_record *rec);

#endif
