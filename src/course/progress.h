/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.h - the learner's progress: what is done and where they left off, kept in $XDG_STATE_HOME/stanza
 */
#ifndef SZ_PROGRESS_H
#define SZ_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

/*
 * The file <dir>/progress is plain text, one record a line:
 *
 *     stanza-progress 1
 *     course 0.1.0
 *     lang it
 *     where cgroups limits
 *     done chapter kernel
 *     done quiz cgroups/exit-137
 *     done lab cgroups/memory-kill
 *     done step cgroups/memory-kill/eat
 *     answer cgroups/exit-137 0
 *
 * The first line is required; the others are optional and may come in any
 * order. Ids are made of [a-z0-9-]+ segments joined by '/': one segment for
 * a chapter, two for a quiz question or a lab, three for a lab step. An
 * answer is the index (from 0) of the option last chosen for a question,
 * right or wrong; a question is done when it was answered right.
 *
 * Everything is owned by the struct sz_progress and freed by
 * sz_progress_release(). Nothing is written until sz_progress_save().
 */

enum sz_progress_kind {
	SZ_PROGRESS_CHAPTER,
	SZ_PROGRESS_QUIZ,
	SZ_PROGRESS_LAB,
	SZ_PROGRESS_STEP,
	SZ_PROGRESS_ANSWER, /* not a completion: the option last chosen */
};

struct sz_progress_entry {
	enum sz_progress_kind kind;
	char *id;
	unsigned answer; /* SZ_PROGRESS_ANSWER only */
};

struct sz_progress {
	char *dir;            /* the state directory */
	char *path;           /* <dir>/progress */
	char *course_version; /* the course the entries were recorded against; NULL: unknown */
	char *lang;           /* the language last used; NULL: none */
	char *where_chapter;  /* where the learner left off; both NULL or both set */
	char *where_section;
	struct sz_progress_entry *entries; /* in the order they were recorded */
	size_t n_entries;
	bool unread; /* the file exists but could not be read: never save over it */
};

/* Zero *p: an empty progress that belongs to no file. No allocation. */
void sz_progress_init(struct sz_progress *p);
void sz_progress_release(struct sz_progress *p);

/* $XDG_STATE_HOME/stanza when XDG_STATE_HOME is an absolute path, else
 * $HOME/.local/state/stanza (HOME from the password database when unset).
 * Returns a string the caller frees, or NULL with *err. */
char *sz_progress_default_dir(sz_error_t *err);

/*
 * Read <dir>/progress (dir NULL: the default) into *p, which is initialised
 * first. A missing file or directory is an empty progress. A damaged file
 * is renamed to progress.damaged-<YYYYmmdd-HHMMSS> and *p is empty: then
 * *notice (when not NULL) gets a message for the learner, naming both files,
 * which the caller frees; otherwise *notice is set to NULL.
 * Returns 0, or -1 with *err when the file cannot be read or the damaged one
 * cannot be moved aside; *p is then empty, still names the file and has
 * unread set, so that sz_progress_save() refuses to write over the file.
 */
int sz_progress_load(struct sz_progress *p, const char *dir, char **notice, sz_error_t *err);

/* Write the progress to p->path atomically (a synced temporary file renamed
 * over it, then the directory synced), creating the directory (0700) when
 * needed. On failure nothing on disk changed, and *err says which path and
 * how to fix it. */
int sz_progress_save(const struct sz_progress *p, sz_error_t *err);

/* Whether an id has the shape its kind requires (see above). */
bool sz_progress_id_valid(enum sz_progress_kind kind, const char *id);

/* Record a completion. Returns 1 when it is new, 0 when it was recorded
 * already, -1 with *err for an id of the wrong shape or SZ_PROGRESS_ANSWER. */
int sz_progress_mark(struct sz_progress *p, enum sz_progress_kind kind, const char *id, sz_error_t *err);
bool sz_progress_is_done(const struct sz_progress *p, enum sz_progress_kind kind, const char *id);

/* The option last chosen for a quiz question: records it (replacing an
 * earlier one), or reads it (-1 when none). */
int sz_progress_set_answer(struct sz_progress *p, const char *quiz_id, unsigned option, sz_error_t *err);
int sz_progress_answer(const struct sz_progress *p, const char *quiz_id);

/* Completions of kind whose id is prefix or lies under it ("cgroups" counts
 * "cgroups/exit-137"); prefix NULL counts all of that kind. */
size_t sz_progress_count(const struct sz_progress *p, enum sz_progress_kind kind, const char *prefix);

/* Set (or with NULL, clear) the header fields. section needs chapter. */
void sz_progress_set_course_version(struct sz_progress *p, const char *version);
void sz_progress_set_lang(struct sz_progress *p, const char *lang);
void sz_progress_set_where(struct sz_progress *p, const char *chapter, const char *section);

/*
 * Drop every entry whose id no longer exists, for when the course changed
 * version: exists(kind, id, data) says whether it does (for an answer, id is
 * its quiz question's). The place the learner left off is forgotten when
 * its chapter is gone. Returns the number of entries dropped.
 */
typedef bool (*sz_progress_exists_fn)(enum sz_progress_kind kind, const char *id, void *data);
size_t sz_progress_prune(struct sz_progress *p, sz_progress_exists_fn exists, void *data);

/* An sz_progress_exists_fn for a loaded course (data: a struct sz_course):
 * chapters, quiz questions, labs and lab steps are looked up by id. Ids are
 * the same in every language, so any language's course will do. */
bool sz_progress_in_course(enum sz_progress_kind kind, const char *id, void *course);

/* Forget everything recorded under id: "cgroups" resets the chapter with its
 * quiz, labs and steps; "cgroups/memory-kill" one lab and its steps;
 * "cgroups/memory-kill/eat" one step. Resetting a chapter also forgets the
 * place the learner left off when it is in that chapter. Returns the number
 * of entries dropped (0 too for an id of no valid shape). */
size_t sz_progress_reset(struct sz_progress *p, const char *id);
/* Forget every completion, answer and place; the language and the course
 * version stay. */
void sz_progress_reset_all(struct sz_progress *p);

#endif
