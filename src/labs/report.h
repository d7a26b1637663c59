/* SPDX-License-Identifier: GPL-3.0-or-later */
/* report.h - what lab runs produced (records), and the reporters: human, TAP 13, JUnit XML, JSON */
#ifndef SZ_REPORT_H
#define SZ_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "course/course.h"
#include "labs/lab.h"

/*
 * Records are filled by the engine (engine.h) and read by the reporters.
 * Each owns its strings and arrays; the lab and step pointers are borrowed
 * from the struct sz_labs the run came from, which must outlive the record.
 */

enum sz_verdict {
	SZ_VERDICT_PASS,
	SZ_VERDICT_FAIL,
	SZ_VERDICT_SKIP,
};

/* "pass", "fail", "skip": stable, untranslated (JSON, TAP, JUnit). */
const char *sz_verdict_name(enum sz_verdict v);

struct sz_check_record {
	char *text;        /* the check as written: "exit: 137" */
	size_t index;      /* its place in the step's expect: or check: list, for its label */
	const char *label; /* what it verified, in words (borrowed); NULL until sz_report_label() */
	bool pass;
	char *detail; /* why it did not hold, NULL when it did */
};

struct sz_check_records {
	struct sz_check_record *items;
	size_t n;
};

struct sz_step_record {
	const struct sz_lab_step *step;
	enum sz_verdict verdict;
	char *reason; /* one line: why it failed; NULL when it passed */
	uint64_t ns;
	char *command;                  /* what ran: a demo's run, a task's solution (placeholders filled) */
	char *output;                   /* what it printed (stdout, or the session's terminal) */
	char *errors;                   /* its stderr, NULL when none or merged */
	int status;                     /* its exit status, -1 when unknown */
	bool ran;                       /* the command ran (it may have failed) */
	struct sz_check_records before; /* verify, task: the checks before the solution */
	struct sz_check_records checks; /* a demo's expectations, a task's checks after */
	bool isolation_checked;         /* verify: the demo also ran on the host */
	char *host_output;              /* ... and printed this there */
};

struct sz_lab_record {
	const struct sz_lab *lab;
	enum sz_verdict verdict;
	char *reason; /* why it was skipped or failed (the first failure), NULL when it passed */
	uint64_t ns;
	struct sz_step_record *steps;
	size_t n_steps;
};

struct sz_report {
	struct sz_lab_record *labs;
	size_t n;
	uint64_t ns;
	bool verify;  /* from `lab verify` (the solution phases are described as such) */
	bool verbose; /* the human report shows a check as written under its label */
};

/* Give each check of the report its label in course's language (borrowed:
 * course must outlive the report). A check without one keeps NULL. */
void sz_report_label(struct sz_report *r, const struct sz_course *course);

void sz_check_records_release(struct sz_check_records *r);
void sz_step_record_release(struct sz_step_record *r);
void sz_report_release(struct sz_report *r);

/* A new record at the end of the report, zeroed but for lab. */
struct sz_lab_record *sz_report_add(struct sz_report *r, const struct sz_lab *lab);

/* ns as seconds with three decimals and a full stop whatever the locale
 * ("0.310"), into buf (32 bytes). Returns buf. */
const char *sz_format_seconds(uint64_t ns, char *buf);

struct sz_report_counts {
	size_t pass, fail, skip;
};
/* Labs by verdict; with steps, test points (steps, or one per skipped lab). */
struct sz_report_counts sz_report_count_labs(const struct sz_report *r);

/*
 * The reporters write the whole report to out. Test points are steps: a
 * skipped lab is one skipped point named after the lab, and a lab that
 * failed before any step ran (its container could not be created) is one
 * failed point. The TAP and JUnit formats are documented in
 * docs/lab-format.md; they are for machines and are not translated, except
 * for the reasons and details they quote.
 */
void sz_report_tap(const struct sz_report *r, FILE *out);
void sz_report_junit(const struct sz_report *r, FILE *out);
void sz_report_json(const struct sz_report *r, FILE *out);

/* The human report, translated: a line per lab with its verdict, then each
 * failed step with its reason, command and checks, then the summary. */
void sz_report_human(const struct sz_report *r, FILE *out);

#endif
