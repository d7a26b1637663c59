/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.h - one error object, passed last, wrapped on the way up */
#ifndef SZ_ERROR_H
#define SZ_ERROR_H

#include <stdarg.h>

/*
 * A function that can fail takes `sz_error_t *err` as its last argument,
 * returns a negative value and fills *err. A caller either returns the error
 * (after sz_error_wrap() to add context) or prints it, never both.
 *
 * An sz_error_t starts as NULL. sz_error_release() frees it and sets it back
 * to NULL; it is safe on NULL.
 */
struct sz_error {
	int errno_; /* the errno of the failing call, 0 if none */
	char *msg;  /* the full message, context first */
};
typedef struct sz_error *sz_error_t;

/* Fill *err with the formatted message; when errno_ is not 0, ": strerror"
 * is appended. Returns -1 so that `return sz_error_make(...)` reads well. An
 * error already in *err is replaced. */
int sz_error_make(sz_error_t *err, int errno_, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Prefix the message in *err with the formatted context and ": ". Returns -1.
 * When *err is NULL it behaves like sz_error_make with errno_ = 0. */
int sz_error_wrap(sz_error_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void sz_error_release(sz_error_t *err);

/* The message, or "" for NULL. */
const char *sz_error_msg(sz_error_t err);

/* "stanza: MESSAGE" and a newline on stderr, stdout flushed first so that
 * the two read in order: how stanza's front ends say what went wrong. */
void sz_error_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print *err as sz_error_say() does, then release it (crun's
 * libcrun_error_write_warning_and_release). Nothing is printed for NULL. */
void sz_error_print_release(sz_error_t *err);

/* The message of *err, for the caller to free, and *err released; NULL
 * when *err is NULL. */
char *sz_error_take_msg(sz_error_t *err);

#endif
