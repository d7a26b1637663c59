/* SPDX-License-Identifier: GPL-3.0-or-later */
/* error.c - the error object: make, wrap, release, print */
#include "common/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

__attribute__((format(printf, 3, 0))) static int sz_error_vmake(sz_error_t *err, int errno_, const char *fmt,
                                                                va_list ap)
{
	char *text = sz_vasprintf(fmt, ap);

	if (errno_ != 0) {
		char *full = sz_asprintf("%s: %s", text, strerror(errno_));
		free(text);
		text = full;
	}
	sz_error_release(err);
	*err = sz_xmalloc(sizeof(**err));
	(*err)->errno_ = errno_;
	(*err)->msg = text;
	return -1;
}

int sz_error_make(sz_error_t *err, int errno_, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_error_vmake(err, errno_, fmt, ap);
	va_end(ap);
	return -1;
}

int sz_error_wrap(sz_error_t *err, const char *fmt, ...)
{
	va_list ap;
	char *context;
	char *full;

	va_start(ap, fmt);
	context = sz_vasprintf(fmt, ap);
	va_end(ap);
	if (*err == NULL) {
		sz_error_make(err, 0, "%s", context);
		free(context);
		return -1;
	}
	full = sz_asprintf("%s: %s", context, (*err)->msg);
	free(context);
	free((*err)->msg);
	(*err)->msg = full;
	return -1;
}

void sz_error_release(sz_error_t *err)
{
	if (err == NULL || *err == NULL)
		return;
	free((*err)->msg);
	free(*err);
	*err = NULL;
}

const char *sz_error_msg(sz_error_t err)
{
	return err != NULL ? err->msg : "";
}

__attribute__((format(printf, 1, 0))) static void sz_error_vsay(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("stanza: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void sz_error_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_error_vsay(fmt, ap);
	va_end(ap);
}

void sz_error_print_release(sz_error_t *err)
{
	if (*err == NULL)
		return;
	sz_error_say("%s", (*err)->msg);
	sz_error_release(err);
}

char *sz_error_take_msg(sz_error_t *err)
{
	char *msg;

	if (*err == NULL)
		return NULL;
	msg = (*err)->msg;
	free(*err);
	*err = NULL;
	return msg;
}
