/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run_options.h - `stanza run` options parsed into a complete container spec, before anything runs */
#ifndef SZ_RUN_OPTIONS_H
#define SZ_RUN_OPTIONS_H

#include <stdbool.h>

#include "common/error.h"
#include "common/util.h" /* sz_clean_container_path */
#include "runtime/runtime.h"

/*
 * The parsed command line. spec borrows argv's strings and owns volumes and
 * env, which sz_run_options_release frees whether the parse succeeded or
 * not. Initialise with `struct sz_run_options o = {0}; sz_spec_init(&o.spec);`.
 */
struct sz_run_options {
	struct sz_spec spec;
	struct sz_volume *volumes;
	char **env;
	size_t n_env;
	const char *timeout_text;
	const char *entrypoint; /* --entrypoint: replaces an image's Entrypoint ("" clears it) */
	bool image_given;       /* --image: argv may be empty (the image's own command) */
	bool help;
};

/* Parse `run`'s arguments (argv[0] is "run"). Every check that needs no
 * container happens here: sizes, durations, volume sources exist, container
 * paths are absolute (and cleaned), user and host name forms. */
int sz_run_options_parse(struct sz_run_options *o, int argc, char **argv, sz_error_t *err);
void sz_run_options_release(struct sz_run_options *o);

#endif
