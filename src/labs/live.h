/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live.h - front ends for the engine's events on a plain stream: a lab told as it plays, or a progress line
 */
#ifndef SZ_LIVE_H
#define SZ_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "course/course.h"
#include "labs/engine.h"

/*
 * The lab told as it plays (`stanza lab run`): its title and introduction,
 * then each step's text, its command and output as they come, its checks
 * (by their labels) and its explanation; a task is done by its reference solution, labelled
 * as such. The words come from course (the learner's language); a text the
 * course lacks is shown as missing, never replaced by another language's.
 * Everything borrowed must outlive the events.
 */
struct sz_live {
	FILE *out;
	const struct sz_course *course; /* may be NULL */
	size_t width;                   /* for wrapping prose */
	bool verbose;                   /* each check as written too, under its label */
	/* private */
	const struct sz_lab *lab;
	const struct sz_lab_text *texts;
	bool line_start; /* the command's output ended with a newline */
};

void sz_live_init(struct sz_live *l, FILE *out, const struct sz_course *course, size_t width);
/* Callbacks that print to l->out, with l as their context. */
void sz_live_events(struct sz_live *l, struct sz_lab_events *ev);
/* Why a step failed, for the learner (malloc'd): its first failed check by
 * its label, or the engine's reason (the check as written) with verbose set or
 * when the check has no label or the step failed for another cause. */
char *sz_live_reason(const struct sz_live *l, const struct sz_lab *lab, const struct sz_step_record *rec);

/*
 * One line on a terminal (stderr) that says which lab and step run, out of
 * how many labs: "[ 3/22] cgroups/memory-kill: eat". It is rewritten in
 * place and erased at the end: for `lab verify` on a terminal.
 */
struct sz_meter {
	FILE *out;
	size_t done, total;
	const struct sz_lab *lab;
};

void sz_meter_init(struct sz_meter *m, FILE *out, size_t total);
void sz_meter_events(struct sz_meter *m, struct sz_lab_events *ev);
/* Erase the line. */
void sz_meter_clear(struct sz_meter *m);

#endif
