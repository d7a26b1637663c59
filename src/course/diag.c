/* SPDX-License-Identifier: GPL-3.0-or-later */
/* diag.c - located content problems: file:line:col: message, the line, a caret */
#include <stdarg.h>
#include <stdlib.h>

#include "common/util.h"
#include "course/course.h"

void sz_diags_add(struct sz_diags *d, const char *file, unsigned line, unsigned col, const char *source_line,
                  const char *fmt, ...)
{
	struct sz_diag *diag;
	va_list ap;

	d->items = sz_xrealloc(d->items, (d->n + 1) * sizeof(*d->items));
	diag = &d->items[d->n++];
	diag->file = sz_xstrdup(file != NULL ? file : "");
	diag->line = line;
	diag->col = col;
	diag->source_line = source_line != NULL ? sz_xstrdup(source_line) : NULL;
	va_start(ap, fmt);
	diag->message = sz_vasprintf(fmt, ap);
	va_end(ap);
}

int sz_diags_read_file(struct sz_diags *d, const char *path, char **data, size_t *len)
{
	sz_error_t err = NULL;

	if (sz_read_file(path, data, len, &err) == 0)
		return 0;
	sz_diags_add(d, path, 0, 0, NULL, "%s", sz_error_msg(err));
	sz_error_release(&err);
	return -1;
}

/* The caret goes under the col-th character, counting a UTF-8 sequence as
 * one and keeping the line's own tabs so that it lines up. */
static void print_caret(const char *line, unsigned col, FILE *out)
{
	unsigned seen = 1;

	for (const unsigned char *p = (const unsigned char *)line; *p != '\0' && seen < col; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		fputc(*p == '\t' ? '\t' : ' ', out);
		seen++;
	}
	fputs("^\n", out);
}

/* Print one diagnostic with its source line and caret. */
static void sz_diag_print(const struct sz_diag *diag, FILE *out)
{
	if (diag->line == 0)
		fprintf(out, "%s: %s\n", diag->file, diag->message);
	else
		fprintf(out, "%s:%u:%u: %s\n", diag->file, diag->line, diag->col, diag->message);
	if (diag->source_line != NULL && diag->line != 0) {
		fprintf(out, "%s\n", diag->source_line);
		print_caret(diag->source_line, diag->col, out);
	}
}

void sz_diags_print(const struct sz_diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++)
		sz_diag_print(&d->items[i], out);
}

void sz_diags_release(struct sz_diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].message);
		free(d->items[i].source_line);
	}
	free(d->items);
	d->items = NULL;
	d->n = 0;
}
