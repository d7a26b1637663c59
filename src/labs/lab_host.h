/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_host.h - the one door from the front ends to the labs: the content's labs, the host's probe and paths
 */
#ifndef SZ_LAB_HOST_H
#define SZ_LAB_HOST_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"
#include "labs/engine.h"
#include "labs/lab.h"
#include "labs/live_lab.h"

struct sz_course;

/*
 * What every front end (the TUI, the shell, `stanza lab`) needs before it can
 * play a lab: every lab of the content loaded and its problems reported,
 * what this host offers (the probe) and where containers and images go (the
 * default paths). The front ends reach the runtime through this door only.
 */
struct sz_lab_host; /* private */

struct sz_lab_host_options {
	const char *content_dir;        /* holds labs/ */
	const struct sz_course *course; /* orders and checks the chapters; may be NULL */
	const char *images_dir;         /* where the images are; NULL: the default */
	const char *command;            /* how the probe's sentences name the program: "stanza lab" */
	FILE *diags;                    /* where the labs' problems are printed; NULL: not printed */
	bool probe;                     /* probe the host now, else at sz_lab_host_probe() */
};

/*
 * Load every lab (and probe the host when o->probe says so). Returns 0, or
 * -1 with *err: a directory that cannot be read, the host that cannot be
 * probed, or "the labs have N problems" (each printed to o->diags first).
 * *out is set in every case (with the labs that loaded): free it with
 * sz_lab_host_free(). The options' strings and course are borrowed.
 */
int sz_lab_host_open(struct sz_lab_host **out, const struct sz_lab_host_options *o, sz_error_t *err);
void sz_lab_host_free(struct sz_lab_host *h);

const struct sz_labs *sz_lab_host_labs(const struct sz_lab_host *h);

/* Probe the host and take the default paths, the first time only. */
int sz_lab_host_probe(struct sz_lab_host *h, sz_error_t *err);
/* Why this host cannot run lab (for the caller to free); NULL when it can
 * or when the host is not probed yet. */
char *sz_lab_host_skip_reason(const struct sz_lab_host *h, const struct sz_lab *lab);

/* Live-lab options and an engine for this host (probed before): the
 * defaults, with the host's paths and probe. */
void sz_lab_host_live_options(const struct sz_lab_host *h, struct sz_live_lab_options *o);
void sz_lab_host_engine_init(const struct sz_lab_host *h, struct sz_lab_engine *e);

#endif
