/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tui.h - the full-screen tutorial (`stanza`, `stanza tutor`): chapters, reader, labs, quiz, glossary */
#ifndef SZ_TUI_H
#define SZ_TUI_H

#include <stdbool.h>

#include "common/error.h"

struct sz_tui_options {
	const char *content_dir;      /* holds lessons/ and labs/ */
	const char *lang;             /* NULL: the language the learner last used, else: */
	const char *new_learner_lang; /* for a learner with nothing recorded yet (the locale's), or NULL */
	const char *progress_dir;     /* NULL: the default state directory */
	const char *image_dir;        /* where the labs' images are */
	/* The version of the course installed with stanza: the progress
	 * forgets what it no longer has (NULL for a course of the learner's). */
	const char *course_version;
	bool no_color; /* $NO_COLOR: attributes only, no colours */
	/* For measuring: stop right after the first full frame is on the
	 * terminal ($STANZA_TUI_FIRST_FRAME_EXIT). */
	bool exit_after_first_frame;
};

/*
 * Take the terminal (stdin and stdout must be one), show the course where
 * the learner left off, and run until the learner quits or a signal comes.
 * The terminal is restored in every case before this returns.
 * Returns 0 after `q`, 128+N after signal N (SIGINT, SIGTERM, SIGHUP), or
 * -1 with *err (the course does not load, the terminal cannot be used).
 * A notice about the progress file (a damaged one set aside) is shown in
 * the status line.
 */
int sz_tui_run(const struct sz_tui_options *o, sz_error_t *err);

#endif
