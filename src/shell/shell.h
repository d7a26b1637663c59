/* SPDX-License-Identifier: GPL-3.0-or-later */
/* shell.h - `stanza shell`: the course line by line, with readline on a terminal and plain lines otherwise */
#ifndef SZ_SHELL_H
#define SZ_SHELL_H

#include "course/tutor.h"

/*
 * The line-mode tutorial: help, chapters, read, next, prev, quiz, glossary,
 * lab, lang, progress, quit; inside a lab, lines go to the lab's shell
 * session and meta-commands start with ':'. On a terminal it reads with
 * readline (history in the progress store's directory, tab completion);
 * otherwise it reads plain lines and writes plain text: no prompt, no
 * escape codes, for scripts (`stanza shell < script.txt`) and screen
 * readers alike.
 *
 * The tutor is borrowed: every move is recorded in it and saved.
 */
struct sz_shell_options {
	const char *images_dir; /* where the lab images are (struct sz_datadir's images) */
	const char *progname;   /* "stanza" */
};

/* Run until quit or the end of the input. Returns the exit status: 0, or
 * 128+N when signal N (SIGTERM, SIGHUP; SIGINT at a prompt when the input is
 * not a terminal) ended it; a live lab is stopped and cleaned up first. */
int sz_shell_main(struct sz_tutor *t, const struct sz_shell_options *o);

#endif
