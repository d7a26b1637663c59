/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_kinds.h - the table of check kinds: one row each, its key, node shape, loader, evaluator */
#ifndef SZ_CHECK_KINDS_H
#define SZ_CHECK_KINDS_H

#include <stdbool.h>

#include "course/loader.h"
#include "labs/checks.h"
#include "labs/lab.h"

/*
 * Internal to src/labs. Adding a kind of check: its enum sz_check_kind
 * value (lab.h), its row in sz_check_fields (check_kinds.c), a loader
 * (lab_load_checks.c) and an evaluator (checks.c), declared below.
 */

typedef bool (*sz_check_eval_fn)(const struct sz_check *c, const struct sz_outcome *o,
                                 const struct sz_check_env *env, char **detail);

/* What a row of the table holds besides the loader's struct sz_field. */
struct sz_check_kind_ops {
	sz_check_eval_fn eval;
	bool reads_output; /* reads the step's status and output, not kernel state */
};

/*
 * The kinds, row i for enum sz_check_kind i, ended by a NULL key: the
 * loader's schema of a check (key, node shape, loader) whose data is the
 * kind's struct sz_check_kind_ops.
 */
extern const struct sz_field sz_check_fields[SZ_CHECK_KIND_COUNT + 1];

/* The row's ops of kind. */
const struct sz_check_kind_ops *sz_check_kind_ops(enum sz_check_kind kind);

/* Loaders (lab_load_checks.c): each starts the check (its kind from the
 * row: f - sz_check_fields) and fills the fields of its kind. */
void sz_check_load_exit(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f);
void sz_check_load_regex(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                         const struct sz_field *f);
void sz_check_load_flag(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f);
void sz_check_load_ns(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                      const struct sz_field *f);
void sz_check_load_file(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f);
void sz_check_load_cgroup(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                          const struct sz_field *f);
void sz_check_load_listening(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                             const struct sz_field *f);

/* Evaluators (checks.c), as sz_check_eval() documents. */
bool sz_check_eval_exit(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                        char **detail);
bool sz_check_eval_output(const struct sz_check *c, const struct sz_outcome *o,
                          const struct sz_check_env *env, char **detail);
bool sz_check_eval_oom(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                       char **detail);
bool sz_check_eval_file(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                        char **detail);
bool sz_check_eval_ns(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                      char **detail);
bool sz_check_eval_uid_map(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail);
bool sz_check_eval_counter(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail);
bool sz_check_eval_hostname(const struct sz_check *c, const struct sz_outcome *o,
                            const struct sz_check_env *env, char **detail);
bool sz_check_eval_listening(const struct sz_check *c, const struct sz_outcome *o,
                             const struct sz_check_env *env, char **detail);
bool sz_check_eval_process(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail);

#endif
