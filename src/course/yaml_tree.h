/* SPDX-License-Identifier: GPL-3.0-or-later */
/* yaml_tree.h - a YAML file as a small tree of located nodes, read with libyaml's event parser */
#ifndef SZ_YAML_TREE_H
#define SZ_YAML_TREE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "course/course.h"

/*
 * Internal to src/course: raw YAML never leaves the loader. The tree keeps
 * only what the lesson schema needs: scalars (with whether they were written
 * plain, so that `correct: "true"` is not a boolean), sequences and mappings
 * whose keys are scalars. Anchors, aliases, tags and a second document are
 * refused while the tree is built.
 */

enum sz_ynode_kind {
	SZ_YNODE_SCALAR,
	SZ_YNODE_SEQ,
	SZ_YNODE_MAP,
};

struct sz_ynode {
	enum sz_ynode_kind kind;
	unsigned line, col;     /* where the node starts, from 1 */
	bool plain;             /* a scalar written without quotes or | > */
	char *text;             /* scalar: the value, NUL-terminated */
	size_t len;             /* scalar: its length (it may hold a "\0" escape) */
	struct sz_ynode *items; /* SEQ: the items; MAP: key, value, key, value... */
	size_t n;               /* number of items (2 per pair in a MAP) */
	size_t cap;
};

/*
 * The text being loaded, for locating problems: name is used in the
 * diagnostics, data need not be NUL-terminated. Both are borrowed and must
 * outlive the source. The table of line starts is built on first use and
 * freed by sz_ysource_release().
 */
struct sz_ysource {
	const char *name;
	const char *data;
	size_t len;
	size_t *line_starts;
	size_t n_lines;
};

void sz_ysource_init(struct sz_ysource *src, const char *name, const char *data, size_t len);
void sz_ysource_release(struct sz_ysource *src);

/* Line and column (from 1, in characters) of the byte at offset. */
void sz_ysource_locate(struct sz_ysource *src, size_t offset, unsigned *line, unsigned *col);

/* The byte offset of line:col (from 1, col in characters), the inverse of
 * sz_ysource_locate(); the end of the line or of the text when it is past. */
size_t sz_ysource_offset(struct sz_ysource *src, unsigned line, unsigned col);

/* Append "name:line:col: message" with the source line to diags. */
void sz_ysource_error(struct sz_ysource *src, struct sz_diags *diags, unsigned line, unsigned col,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void sz_ysource_verror(struct sz_ysource *src, struct sz_diags *diags, unsigned line, unsigned col,
                       const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/* Report every line with a tab (at its first tab) and the first byte that is
 * not UTF-8. Returns the number of problems reported. */
size_t sz_ysource_check(struct sz_ysource *src, struct sz_diags *diags);

/*
 * Check the raw text (every tab, the first invalid UTF-8 byte), then parse
 * the single document into *root. Returns 0, or -1 with the problems in
 * *diags and *root zeroed. A YAML syntax error stops at the first one.
 */
int sz_ytree_parse(struct sz_ysource *src, struct sz_ynode *root, struct sz_diags *diags);

/* Free the node's contents, recursively; the node itself is not freed. */
void sz_ynode_release(struct sz_ynode *node);

/* A plain scalar that YAML reads as null: "", "~", "null". */
bool sz_ynode_is_null(const struct sz_ynode *node);
/* For messages: "a string", "a list", "a mapping". */
const char *sz_ynode_kind_name(enum sz_ynode_kind kind);
/* The same for a node, or "nothing" for a null. */
const char *sz_ynode_describe(const struct sz_ynode *node);
/* The value of key in a mapping, or NULL (the first, if the key repeats). */
const struct sz_ynode *sz_ynode_get(const struct sz_ynode *map, const char *key);

#endif
