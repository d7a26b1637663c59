/* SPDX-License-Identifier: GPL-3.0-or-later */
/* engine.h - the lab engine: a lab's work directory, container, session and steps, played through the runtime
 */
#ifndef SZ_ENGINE_H
#define SZ_ENGINE_H

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

#include "common/error.h"
#include "labs/lab.h"
#include "labs/report.h"
#include "runtime/probe.h"
#include "runtime/runtime.h"

/*
 * Playing a lab: skip it (with the probe's sentence) when the host lacks
 * what it needs; make its work directory and files; create its container;
 * open its shell session when a step uses one; play each step in order
 * (docs/lab-format.md); then, whatever happened, close the session, destroy
 * the container and remove the work directory. Results go into a struct
 * sz_lab_record, and as they happen to the event callbacks, so that a front
 * end can stream a lab live. The engine never marks the learner's progress:
 * that is for its callers.
 *
 * From sz_lab_engine_open() to sz_lab_engine_close(), SIGINT, SIGTERM and
 * SIGHUP are blocked and read from a signalfd: one that comes stops the
 * command in flight, the lab is torn down, sz_lab_play() returns -1 and
 * stop_signal says which signal it was (the caller exits 128+N). SIGPIPE is
 * blocked too, so that a closed output does not stop a lab half way. The
 * caller must be single-threaded.
 */

enum sz_lab_mode {
	SZ_LAB_MODE_RUN,    /* `lab run`: demos, and each task done by its reference solution */
	SZ_LAB_MODE_VERIFY, /* `lab verify`: also a task's checks fail before its solution, isolation shown */
};

enum sz_lab_phase {
	SZ_PHASE_RUN,      /* a demo's command */
	SZ_PHASE_HOST,     /* verify: a demo's command again on the host, to show isolation */
	SZ_PHASE_BEFORE,   /* verify: a task's checks, before its solution */
	SZ_PHASE_SOLUTION, /* a task's reference solution, typed into the session */
	SZ_PHASE_CHECKS,   /* a demo's expectations or a task's checks */
};

/* Every callback may be NULL. Pointers are valid during the call only,
 * except lab and step, which live as long as the lab. */
struct sz_lab_events {
	void *ctx;
	void (*lab_started)(void *ctx, const struct sz_lab *lab);
	void (*step_started)(void *ctx, const struct sz_lab *lab, size_t index);
	/* A phase begins; command is what runs in it (placeholders filled), or NULL. */
	void (*phase)(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase,
	              const char *command);
	/* Output as it comes: fd 1 (stdout, or the session's terminal) or 2. */
	void (*output)(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase, int fd,
	               const char *data, size_t len);
	void (*check_done)(void *ctx, const struct sz_lab_step *step, enum sz_lab_phase phase,
	                   const struct sz_check_record *check);
	void (*step_done)(void *ctx, const struct sz_lab *lab, const struct sz_step_record *rec);
	void (*lab_done)(void *ctx, const struct sz_lab_record *rec);
};

struct sz_lab_engine {
	enum sz_lab_mode mode;
	const struct sz_paths *paths; /* where containers and images are */
	const struct sz_probe *probe; /* what this host offers */
	const char *stanza_exe;       /* for {stanza}; NULL: /proc/self/exe */
	const char *tmp_dir;          /* where work directories go; NULL: $TMPDIR, else /tmp */
	const struct sz_lab_events *events;
	int stop_signal; /* the signal that stopped the engine, 0 when none */
	/* private */
	int sigfd;
	bool open;
	sigset_t old_mask;
};

/* Zero e, with the defaults above. No allocation. */
void sz_lab_engine_init(struct sz_lab_engine *e);
int sz_lab_engine_open(struct sz_lab_engine *e, sz_error_t *err);
void sz_lab_engine_close(struct sz_lab_engine *e);

/* Why this host cannot run lab: one translated sentence saying what is
 * missing and how to get it; NULL when it can. The caller frees it. */
char *sz_lab_skip_reason(const struct sz_lab *lab, const struct sz_probe *probe);

/*
 * Play lab into rec (a zeroed record but for rec->lab, from
 * sz_report_add). Returns 0 whatever the lab did (rec says it), -1 when a
 * signal stopped it (rec holds what ran; everything was cleaned up).
 */
int sz_lab_play(struct sz_lab_engine *e, const struct sz_lab *lab, struct sz_lab_record *rec);

#endif
