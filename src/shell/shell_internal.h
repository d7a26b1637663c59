/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell_internal.h - what the shell's files share: the session's state, input, commands and printing */
#ifndef SZ_SHELL_INTERNAL_H
#define SZ_SHELL_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "common/buf.h"
#include "course/tutor.h"
#include "labs/engine.h"
#include "labs/lab.h"
#include "labs/lab_host.h"
#include "labs/live_lab.h"
#include "shell/shell.h"

struct sz_shell;

/* ---- input (input.c) ---- */

/*
 * Lines from the learner. On a terminal: readline, with history and
 * completion, waiting in a poll loop with the shell's signalfd so that ^C
 * clears the line being typed. Otherwise: plain lines read from fd 0, no
 * prompt. SIGINT, SIGTERM, SIGHUP and SIGWINCH are blocked from open to
 * close and read from the signalfd.
 */
struct sz_input {
	bool tty;
	int sigfd;
	sigset_t old_mask; /* given back at close */
	char *history;     /* the history file, NULL: none kept */
	/* plain lines */
	struct sz_buf pending; /* read, not yet taken as lines */
	bool eof;
	/* private: the readline callback's line */
	char *line;
	bool got_line, got_eof;
};

enum sz_read {
	SZ_READ_LINE,   /* *line set, for the caller to free */
	SZ_READ_EOF,    /* ^D or the end of the input */
	SZ_READ_CANCEL, /* ^C at a terminal's prompt: the line was dropped */
	SZ_READ_STOP,   /* SIGTERM, SIGHUP (or SIGINT without a terminal): sh->stop_signal */
};

int sz_input_open(struct sz_input *in, struct sz_shell *sh, const char *history, sz_error_t *err);
void sz_input_close(struct sz_input *in);
enum sz_read sz_input_read(struct sz_shell *sh, const char *prompt, char **line);
/* A yes/no question on a terminal (an empty answer is no). */
bool sz_input_confirm(struct sz_shell *sh, const char *question);

/* ---- the session ---- */

struct sz_shell {
	struct sz_tutor *tutor;
	const struct sz_shell_options *opts;
	FILE *out;
	size_t width; /* columns for wrapped prose */
	struct sz_input in;
	int stop_signal; /* SIGTERM, SIGHUP: end now */
	bool quit;
	/* loaded on first use */
	struct sz_lab_host *host; /* the labs, then the probe and the paths */
	/* the live lab, when one is up: own (lab start) or the TUI's */
	struct sz_live_lab own_lab;
	struct sz_live_lab *lab;
	struct sz_lab_events events;
	bool at_line_start; /* the last output streamed ended a line */
};

/* ---- commands ---- */

struct sz_shell_command {
	const char *name;
	const char *args;    /* N_(): "[CHAPTER]", or "" */
	const char *summary; /* N_() */
	int (*fn)(struct sz_shell *sh, int argc, char **argv);
};

/* The tutorial's commands and the lab's meta-commands, NULL-terminated. */
extern const struct sz_shell_command sz_shell_commands[];
extern const struct sz_shell_command sz_shell_lab_commands[];

/* read.c */
int sz_shell_chapters(struct sz_shell *sh, int argc, char **argv);
int sz_shell_read(struct sz_shell *sh, int argc, char **argv);
int sz_shell_next(struct sz_shell *sh, int argc, char **argv);
int sz_shell_prev(struct sz_shell *sh, int argc, char **argv);
int sz_shell_lang(struct sz_shell *sh, int argc, char **argv);
int sz_shell_progress(struct sz_shell *sh, int argc, char **argv);
/* quiz.c */
int sz_shell_quiz(struct sz_shell *sh, int argc, char **argv);
int sz_shell_glossary(struct sz_shell *sh, int argc, char **argv);
/* lab.c */
int sz_shell_lab(struct sz_shell *sh, int argc, char **argv);
/* lab_meta.c: the meta-commands (sz_shell_lab_commands) */
int sz_shell_lab_help(struct sz_shell *sh, int argc, char **argv);
/* Show the current step (its text; a demo is run) */
int sz_shell_lab_show_step(struct sz_shell *sh);
/* lab_print.c: the engine's events as plain text on sh->out */
void sz_shell_lab_events(struct sz_shell *sh, struct sz_lab_events *ev);

/* shell.c */
/* Split line into words (blanks between them); argv and its strings are
 * one allocation the caller frees. */
char **sz_shell_split(const char *line, int *argc);
/* Run one tutorial command line. */
int sz_shell_dispatch(struct sz_shell *sh, const struct sz_shell_command *table, int argc, char **argv);
/* Save the progress, saying so when it fails. */
void sz_shell_save(struct sz_shell *sh);
/* The labs (loaded on first use); NULL after saying why they cannot be. */
const struct sz_labs *sz_shell_labs(struct sz_shell *sh);

/* ---- printing (print.c) ---- */

/* Prose wrapped to sh->width, the first line after first, the others after rest. */
void sz_shell_para(struct sz_shell *sh, const char *text, const char *first, const char *rest);
/* The current section, with its chapter's title and summary first when it is the chapter's first. */
void sz_shell_print_section(struct sz_shell *sh);
/* A heading: the title on its own, then an empty line. */
void sz_shell_heading(struct sz_shell *sh, const char *title);

/* ---- completion (complete.c) ---- */

void sz_complete_install(struct sz_shell *sh);

#endif
