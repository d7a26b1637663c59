/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_internal.h - what the lab loader's files share: the schema tables of checks and the value readers */
#ifndef SZ_LAB_INTERNAL_H
#define SZ_LAB_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "course/loader.h"
#include "labs/lab.h"

/*
 * Internal to src/labs. The lab schema is read with the lesson loader's
 * machinery (course/loader.h): tables of struct sz_field walked by
 * sz_load_mapping(), every problem located in the file.
 */

/* The list specs of a step's `expect:` and `check:` (lab_load_checks.c). */
extern const struct sz_list_spec sz_lab_expect_list;
extern const struct sz_list_spec sz_lab_check_list;

/* Free what a check owns (its regex too when compiled). */
void sz_check_release(struct sz_check *check);

/* A whole number written plainly (not quoted) in [min, max] into *out.
 * Returns false after reporting the problem. */
bool sz_lab_load_uint(struct sz_loader *ld, const struct sz_ynode *value, const char *key, uint64_t min,
                      uint64_t max, uint64_t *out);

/* Why regcomp(3) must not be given the extended regular expression re,
 * translated and for the caller to free: it would take too long (stacked
 * repetitions, deep groups, large counts, too much once written out).
 * NULL when it may; regcomp itself still refuses what is malformed.
 * *size is the expression's elements, repetitions written out: what a
 * file's expressions cost together (lab_regex.c). */
char *sz_lab_regex_problem(const char *re, size_t *size);

/* The elements a lab file's expressions may have together, written out. */
enum { SZ_LAB_REGEX_FILE_MAX = 2000 };

/* A relative path under the work directory, with no "." or ".." and no
 * empty component ("shared/hello.txt"). */
bool sz_lab_path_is_relative_clean(const char *path);
/* An absolute path with no "." or ".." and no empty component ("/app/x"). */
bool sz_lab_path_is_absolute_clean(const char *path);

#endif
