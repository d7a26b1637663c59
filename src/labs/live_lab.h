/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live_lab.h - a lab played by a learner: its container and shell session kept up, steps run, checked, solved
 * on request */
#ifndef SZ_LIVE_LAB_H
#define SZ_LIVE_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "course/tutor.h"
#include "labs/engine.h"
#include "labs/lab.h"
#include "labs/report.h"
#include "labs/session.h"

/*
 * The interactive lab driver both front ends use (the TUI's lab pane and
 * `!`, the shell's lab mode). Where `stanza lab run` plays a lab from start
 * to end, here the lab stays up between the learner's moves: its work
 * directory, its container and its shell session live from
 * sz_live_lab_start() to sz_live_lab_stop(), and the learner goes through
 * the steps one at a time:
 *
 *   - a demo runs when asked (sz_live_lab_run_demo), its output streamed to
 *     the events as the engine plays it, then its expectations checked;
 *   - a task is the learner's: lines go to the session one at a time
 *     (sz_live_lab_type, or sz_live_lab_type_tty with the terminal handed
 *     over), and sz_live_lab_check runs the step's checks on demand; hints
 *     come one layer at a time; sz_live_lab_solve types the reference
 *     solution into the session and checks it.
 *
 * Progress: when opts.tutor is set, a step passed by the learner's own work
 * (a demo that ran, a task whose checks held before any solution was
 * applied) is recorded as done in the tutor's progress, and the lab when
 * every step is; the caller saves (sz_tutor_save).
 *
 * Signals: from start to stop, SIGINT, SIGTERM and SIGHUP are blocked and
 * read from a signalfd (the engine's, sz_live_lab_signal_fd). SIGINT while a
 * command runs interrupts that command only, as ^C at a terminal would (the
 * call returns normally, the command's status is 130); SIGTERM and SIGHUP
 * interrupt it too and make the calls return -1 with l->stop_signal set: the
 * front end should then stop the lab and end. A SIGINT that comes while no
 * command runs (at the front end's prompt) stays pending on the signalfd
 * for the front end to read; commands drop such a stale ^C before they run.
 * Single-threaded.
 *
 * The lab (and the events' context) are borrowed and must outlive l.
 */

struct sz_live_lab_options {
	const struct sz_paths *paths;       /* where containers and images are */
	const struct sz_probe *probe;       /* what this host offers; NULL: not checked */
	const struct sz_lab_events *events; /* demos, solutions and checks as they happen; may be NULL */
	struct sz_tutor *tutor;             /* to record what the learner did; may be NULL */
	const char *term;                   /* TERM in the session; NULL: "dumb" */
	unsigned short columns, rows;       /* the session's terminal size; 0: 120 x 40 */
};

void sz_live_lab_options_init(struct sz_live_lab_options *o);

struct sz_live_lab_run; /* private */

struct sz_live_lab {
	const struct sz_lab *lab;
	size_t step; /* the current step: an index in lab->steps */
	/* Per step (lab->n_steps of each): */
	struct sz_step_record *records; /* the last run of a demo, the last checks of a task */
	bool *passed;                   /* its checks held (by the learner's work or the solution) */
	bool *solved;                   /* the reference solution was applied */
	size_t *hints_shown;            /* how many hints the learner has seen */
	int stop_signal;                /* SIGTERM or SIGHUP came: stop the lab and end; 0 otherwise */
	/* private */
	struct sz_lab_engine engine;
	struct sz_live_lab_options opts;
	struct sz_live_lab_run *run;
};

/*
 * Start lab: when the host cannot run it (opts->probe says so), return 1
 * with *skip_reason (one translated sentence, freed by the caller) and
 * nothing started; otherwise make its work directory, container and
 * session, and return 0 at its first step. -1 with *err when it cannot
 * start (nothing is left behind). Call sz_live_lab_stop() after 0 only.
 */
int sz_live_lab_start(struct sz_live_lab *l, const struct sz_lab *lab, const struct sz_live_lab_options *opts,
                      char **skip_reason, sz_error_t *err);
/* Close the session, destroy the container, remove the work directory,
 * unblock the signals. A lab left half done is not recorded as done. */
void sz_live_lab_stop(struct sz_live_lab *l);

/* The current step, and whether the session or the container is gone
 * (the container's first process exited): then only stopping is left. */
const struct sz_lab_step *sz_live_lab_step(const struct sz_live_lab *l);
bool sz_live_lab_alive(const struct sz_live_lab *l);
/* Every step passed. */
bool sz_live_lab_finished(const struct sz_live_lab *l);

/* Move to the next or the previous step; false when there is none
 * (nothing moves). */
bool sz_live_lab_next(struct sz_live_lab *l);
bool sz_live_lab_prev(struct sz_live_lab *l);

/*
 * Run the current step when it is a demo (its command, then its
 * expectations; l->records[step] gets the result). For a task, check it:
 * the same as sz_live_lab_check. Returns 1 passed, 0 not (the record's
 * reason says why; an interrupted command is "interrupted"), -1 when
 * SIGTERM or SIGHUP came.
 */
int sz_live_lab_run_demo(struct sz_live_lab *l);
/* Run the current task's checks now (retrying briefly those that read kernel
 * state); a demo is run, as sz_live_lab_run_demo. Returns 1 when they all
 * hold, 0 when some do not, -1 as above. */
int sz_live_lab_check(struct sz_live_lab *l);
/* Type the current task's reference solution into the session (streamed to
 * the events as SZ_PHASE_SOLUTION), then check. Returns as above. */
int sz_live_lab_solve(struct sz_live_lab *l);

/* The index of the next hint to show for the current step, which has
 * n_hints of them (from the lab's texts), counting it as shown; -1 when
 * every hint was shown already (the last one is then worth showing again). */
int sz_live_lab_next_hint(struct sz_live_lab *l, size_t n_hints);

/* The step's texts in the learner's language (course: the tutor's), or
 * NULL when the course lacks them (show them as missing). */
const struct sz_lab_text *sz_live_lab_texts(const struct sz_live_lab *l, const struct sz_course *course);
const struct sz_step_text *sz_live_lab_step_text(const struct sz_live_lab *l, const struct sz_course *course);

/*
 * One line typed by the learner, sent to the session as it is (no line
 * break in it; `cd`, variables and background jobs carry over): its output
 * goes to out (may be NULL) as it comes, *status gets its exit status (130
 * after ^C). Nothing is read from the learner's keyboard while it runs: a
 * command that reads its input waits until ^C. Returns 0, or -1 with *err
 * (a line the session refuses: l stays usable; check sz_live_lab_alive) or
 * when SIGTERM/SIGHUP came (l->stop_signal).
 */
int sz_live_lab_type(struct sz_live_lab *l, const char *line, sz_session_output_fn out, void *arg,
                     int *status, sz_error_t *err);
/*
 * The same with the learner's terminal handed over (in_fd and out_fd: a
 * terminal in its usual cooked mode): what they type goes to the command,
 * its output to out_fd, the terminal's size to the session; a full-screen
 * program (top, vi, less) that puts the session's terminal in raw mode gets
 * the learner's in raw mode too, until it gives it back. ^C (SIGINT)
 * interrupts the command; a command that ignores it is killed after a
 * grace period. The terminal's modes are restored before it returns.
 */
int sz_live_lab_type_tty(struct sz_live_lab *l, const char *line, int in_fd, int out_fd, int *status,
                         sz_error_t *err);

/*
 * What a shell prompt shows: "root@lab:/tmp#" (user, the container's host
 * name, the session's working directory, # for root and $ for others), for
 * the caller to free. The working directory is asked of the session, which
 * keeps $? as it was.
 */
char *sz_live_lab_where(struct sz_live_lab *l);

/* The signalfd on which SIGINT, SIGTERM and SIGHUP come while the lab is
 * up, for a front end's poll loop (read it with read(2): struct
 * signalfd_siginfo). */
int sz_live_lab_signal_fd(const struct sz_live_lab *l);

#endif
