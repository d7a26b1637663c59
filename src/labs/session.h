/* SPDX-License-Identifier: GPL-3.0-or-later */
/* session.h - a lab's persistent shell: busybox ash on a pty inside the container, one command line at a time
 */
#ifndef SZ_SESSION_H
#define SZ_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/buf.h"
#include "common/error.h"
#include "runtime/runtime.h"

/*
 * One shell (/bin/sh, busybox ash) runs in the container on a pty of the
 * container's own devpts, started with sz_exec_start, for as long as the
 * session is open: `cd`, variables and background jobs (`nc -l -p 8080 &`)
 * carry over from one command line to the next, as at a terminal.
 *
 * Protocol (docs/runtime-exec.md): the pty has echo and output processing
 * off, so what comes back is only what the commands print. PS1 is set to a
 * marker holding a random nonce and the status, "SZ<nonce>#$?#", which ash
 * expands before each prompt: the text before it is the command's output,
 * the number its exit status. PS2, "SZ<nonce>+", tells a line that is not
 * complete (an unclosed quote). On a timeout the session sends the terminal's
 * interrupt character (^C), as a learner would; a foreground job that ignores
 * it is killed after a grace period. The interactive shell ignores SIGINT and
 * gives each job its own process group, so background jobs survive both.
 * After any ^C the session resynchronises: a ^C that comes before the shell
 * read the line flushes it and makes ash print two prompts, so the session
 * sends `eval "printf 'SZ<nonce>@<n>@'; (exit $?)"`, drops everything up to
 * that token and takes the prompt after it (whose $? is the line's).
 *
 * A session belongs to one container and must be closed before or after
 * sz_destroy (both orders are valid). Not thread-safe.
 */
struct sz_session;

struct sz_session_options {
	char *const *env;             /* extra "K=V" entries for the shell, may be NULL */
	const char *user;             /* NULL: root */
	const char *workdir;          /* NULL: the container's */
	const char *term;             /* TERM; NULL: "dumb" */
	unsigned short columns, rows; /* the pty's size; 0: 120 x 40 */
	uint64_t start_timeout_ns;    /* how long the shell may take to start; 0: 10 s */
};

void sz_session_options_init(struct sz_session_options *o);

/* Start the shell and wait for its first prompt. */
int sz_session_open(struct sz_container_handle *h, const struct sz_session_options *o,
                    struct sz_session **out, sz_error_t *err);

/* Receives the output of a command as it arrives (markers removed). */
typedef void (*sz_session_output_fn)(void *arg, const char *data, size_t len);

struct sz_session_result {
	int status;       /* $? of the line (130 after ^C) */
	bool timed_out;   /* the timeout passed: ^C was sent */
	bool interrupted; /* the cancel fd became readable: ^C was sent */
	bool restarted;   /* the shell had ended (or ended with this line: status is how) and a new
	                     one was started in the same container: cd, variables and jobs are lost */
};

/*
 * Send one command line (no newline in it) and wait for the next prompt,
 * passing the output to out (may be NULL). timeout_ns 0 waits without limit.
 * Returns 0 when the shell came back to its prompt (res says how), -1 when the
 * line was refused (a newline, too long, incomplete: the session stays usable)
 * or the session is broken (the shell exited or stopped answering: every
 * later call fails; close it).
 */
int sz_session_run(struct sz_session *s, const char *line, uint64_t timeout_ns, sz_session_output_fn out,
                   void *out_arg, struct sz_session_result *res, sz_error_t *err);
/* The same, collecting the output (at most 1 MiB; the rest is dropped) in
 * *output, which the caller frees; *output is set on success only. */
int sz_session_run_capture(struct sz_session *s, const char *line, uint64_t timeout_ns, char **output,
                           struct sz_session_result *res, sz_error_t *err);

/* While sz_session_run waits, a readable fd (a signalfd, an eventfd; -1 for
 * none) interrupts the command as ^C would and sets res->interrupted; the fd
 * is only polled, never read. */
void sz_session_set_cancel_fd(struct sz_session *s, int fd);
/* Send the terminal's interrupt character (^C) now. */
int sz_session_interrupt(struct sz_session *s, sz_error_t *err);
/* The pty master, for a front end that streams the shell raw (then it reads
 * and writes it itself, between calls of sz_session_run). */
int sz_session_fd(const struct sz_session *s);
/* The shell's pid, as the host sees it. */
pid_t sz_session_pid(const struct sz_session *s);
/* Kill the shell (background jobs stay until sz_destroy) and free s. NULL is fine. */
void sz_session_close(struct sz_session *s);

/*
 * The prompt scanner, on its own for tests: feed it what the pty gave; it
 * passes the output on (a possible marker split over two reads is held back
 * until it is complete) and says when a marker ended a command.
 */
enum sz_prompt_event {
	SZ_PROMPT_NONE,     /* no marker yet: feed more */
	SZ_PROMPT_DONE,     /* "SZ<nonce>#<status>#": the command ended, *status set */
	SZ_PROMPT_CONTINUE, /* "SZ<nonce>+": the shell waits for the rest of the line */
	SZ_PROMPT_SYNC,     /* "SZ<nonce>@<n>@": the session's sync token n, *status = n */
};

struct sz_prompt_scanner {
	char marker[24]; /* "SZ" and the nonce */
	size_t marker_len;
	struct sz_buf pending; /* bytes not passed on yet */
};

void sz_prompt_scanner_init(struct sz_prompt_scanner *sc, const char *nonce);
void sz_prompt_scanner_release(struct sz_prompt_scanner *sc);
/* Add data (may be empty) and scan up to the first marker; bytes after it
 * stay for the next call. *value gets the status (DONE) or the token (SYNC). */
enum sz_prompt_event sz_prompt_scanner_feed(struct sz_prompt_scanner *sc, const char *data, size_t len,
                                            sz_session_output_fn out, void *arg, int *value);

#endif
