/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_internal.h - helpers shared by the cgroup_*.c files; not for use outside them */
#ifndef SZ_CGROUP_INTERNAL_H
#define SZ_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "runtime/cgroup.h"

#define CG_DIRS_MAX (SZ_CTRL_COUNT + 1) /* one per controller, plus the unified one */

/* Text (cgroup_text.c) */

/* Whether word is one of the items of list, separated by any of seps. */
bool cg_list_has(const char *list, const char *word, const char *seps);
/* Decode octal escapes ("\040" for a space, as mountinfo writes them) in
 * place. "\000" would cut the string short and is left as it is. */
void cg_unescape_octal(char *s);
/* dir + "/" + name without doubling the slash; an empty name gives dir. The
 * caller frees the result. */
char *cg_path_join(const char *dir, const char *name);
/* Cut the next line out of *cursor (writing a NUL over its newline); NULL at
 * the end. */
char *cg_next_line(char **cursor);
/* Whether some component of path is "." or "..". */
bool cg_has_dot_component(const char *path);

/*
 * Read name (under dfd) into *out, which stays NULL when the file does not
 * exist: the kernel leaves out files for features it lacks (memory.peak,
 * memsw without swap accounting), and a group being removed answers ENODEV.
 * shown is the path named in errors. The caller frees *out.
 */
int cg_read_optional_at(int dfd, const char *name, const char *shown, char **out, sz_error_t *err);
/* The same for an absolute or cwd-relative path. */
int cg_read_optional(const char *path, char **out, sz_error_t *err);

/* Groups (cgroup.c) */

/* Fill dirs with the distinct directories of cg (controllers sharing a
 * hierarchy share one), pointing into cg; return how many. */
size_t cg_distinct_dirs(const struct sz_cgroup *cg, const char *dirs[CG_DIRS_MAX]);
/* Whether dir is cg's directory on the cgroup2 hierarchy. */
bool cg_is_unified(const struct sz_cgroup *cg, const char *dir);

#endif
