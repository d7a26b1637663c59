/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.h - stanza's side of jansson: strings from any bytes, one layout for output, located errors */
#ifndef SZ_JSON_H
#define SZ_JSON_H

#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "common/error.h"

/*
 * stanza reads and writes JSON through jansson (objects keep the order their
 * members were set in). These helpers add what every caller would otherwise
 * repeat. Values are built with jansson's own constructors; the setters here
 * take the reference of the value they are given (jansson's "_new"), and
 * abort when jansson cannot allocate, as sz_xmalloc does.
 */

/* s as a JSON string, or null when s is NULL. Bytes that are not UTF-8
 * (a command's output, a file name) become U+FFFD, so the result is always
 * valid JSON. */
json_t *sz_json_string(const char *s);
/* obj[key] = value (a key that is not UTF-8 mended as sz_json_string does);
 * arr += value. Both take value's reference. */
void sz_json_set(json_t *obj, const char *key, json_t *value);
void sz_json_push(json_t *arr, json_t *value);

/*
 * Write v to out in stanza's layout. An open object or array has one member
 * to a line, indented by two spaces; a closed one is on one line with ", "
 * and ": " between its parts. v itself is open; below it, the values of the
 * members named in open_keys (NULL-terminated) are open; open_keys NULL
 * opens everything. Reals have up to 15 significant digits and always a
 * full stop (0.25, 1.5, 2.0). No newline after the last brace. Returns 0,
 * or -1 when out has a write error.
 */
int sz_json_dumpf(const json_t *v, FILE *out, const char *const *open_keys);
/* s as one JSON string (null when NULL), DEL escaped as well, so that the
 * text is also a YAML double-quoted scalar (TAP's diagnostics). */
void sz_json_print_string(FILE *out, const char *s);

/* Parse text (len bytes) named name in messages; NULL and err set to
 * "<name>:<line>:<column>: <what is wrong>" when it is not one JSON value. */
json_t *sz_json_parse(const char *text, size_t len, const char *name, sz_error_t *err);
/* Read and parse the file at path; errors name the path, line and column. */
json_t *sz_json_load_file(const char *path, sz_error_t *err);

static inline void sz_json_decrefp(json_t **v)
{
	json_decref(*v);
}
#define cleanup_json __attribute__((cleanup(sz_json_decrefp)))

#endif
