/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live_lab_internal.h - what the live lab's files share: the engine's lab in play, and the learner's terminal
 */
#ifndef SZ_LIVE_LAB_INTERNAL_H
#define SZ_LIVE_LAB_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "labs/engine_internal.h"
#include "labs/live_lab.h"
#include "labs/session.h"

/* What the learner's last typed command did, for checks that read output. */
struct sz_live_last {
	bool ran;
	int status;
	struct sz_buf out; /* zeroed (calloc) counts as empty until sz_live_last_reset */
};

struct sz_live_lab_run {
	struct sz_lab_run run; /* the engine's: workdir, container, session, kernel, check env */
	struct sz_live_last last;
	uint64_t oom_base; /* the oom_kill counter when the step began */
	bool has_oom_base;
	/* The session's prompt marker, learnt from its PS1, for the pump of
	 * sz_live_lab_type_tty, which reads the pty itself. */
	struct sz_prompt_scanner scanner;
	bool scanning;
	unsigned sync_seq;
};

int sz_live_lab_set_up(struct sz_live_lab_run *lr, const struct sz_live_lab_options *opts, sz_error_t *err);
void sz_live_lab_tear_down(struct sz_live_lab_run *lr);

/* Keep up to this much of a typed command's output for the checks. */
#define SZ_LIVE_LAST_MAX (256 * 1024)
void sz_live_last_add(struct sz_live_last *last, const char *data, size_t len);
void sz_live_last_reset(struct sz_live_last *last);

/* Read what came on the signalfd without waiting: SIGINT is dropped (a ^C
 * that came at the prompt), SIGTERM and SIGHUP are kept in l->stop_signal.
 * Returns -1 when one of those came. */
int sz_live_lab_drain_signals(struct sz_live_lab *l);
/* The signal that came (0: none was there). */
int sz_live_lab_take_signal(struct sz_live_lab *l);

#endif
