/* SPDX-License-Identifier: GPL-3.0-or-later */
/* containerfile.h - a Containerfile (Dockerfile) read into instructions, each with its line and column */
#ifndef SZ_CONTAINERFILE_H
#define SZ_CONTAINERFILE_H

#include <stddef.h>

#include <jansson.h>

#include "common/error.h"

enum sz_instr_kind {
	SZ_I_FROM,
	SZ_I_RUN,
	SZ_I_COPY,
	SZ_I_ENV,
	SZ_I_ARG,
	SZ_I_WORKDIR,
	SZ_I_USER,
	SZ_I_LABEL,
	SZ_I_EXPOSE,
	SZ_I_ENTRYPOINT,
	SZ_I_CMD,
};

struct sz_instr {
	enum sz_instr_kind kind;
	const char *keyword; /* "RUN", as the builder names it */
	unsigned line, col;  /* where the keyword is */
	char *args;          /* what follows it, continuations joined, trimmed */
	json_t *exec;        /* RUN, CMD, ENTRYPOINT in exec form: an array of strings; else NULL */
};

struct sz_containerfile {
	struct sz_instr *v;
	size_t n;
};

/*
 * Parse text (len bytes; name for messages). Comment lines (# first) and
 * blank lines are skipped, also inside a continuation; a line ending in a
 * backslash continues on the next. An instruction stanza does not know, or
 * knows and does not do (ADD, SHELL, ...), a continuation at the end of the
 * file, and an instruction without arguments are errors
 * "<name>:<line>:<column>: ...". An exec form that is not a JSON array of
 * strings is the shell form, as Docker reads it.
 */
int sz_containerfile_parse(const char *text, size_t len, const char *name, struct sz_containerfile *out,
                           sz_error_t *err);
void sz_containerfile_release(struct sz_containerfile *cf);

#endif
