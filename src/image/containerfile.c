/* SPDX-License-Identifier: GPL-3.0-or-later */
/* containerfile.c - Containerfile lines to instructions: comments, continuations, exec and shell forms */
#include "image/containerfile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/i18n.h"
#include "common/util.h"

static const struct {
	const char *word;
	enum sz_instr_kind kind;
} known[] = {
    {"FROM", SZ_I_FROM},     {"RUN", SZ_I_RUN},
    {"COPY", SZ_I_COPY},     {"ENV", SZ_I_ENV},
    {"ARG", SZ_I_ARG},       {"WORKDIR", SZ_I_WORKDIR},
    {"USER", SZ_I_USER},     {"LABEL", SZ_I_LABEL},
    {"EXPOSE", SZ_I_EXPOSE}, {"ENTRYPOINT", SZ_I_ENTRYPOINT},
    {"CMD", SZ_I_CMD},
};

/* Dockerfile instructions stanza build does not do, and what to use instead. */
static const char *const unsupported[][2] = {
    {"ADD", "COPY"},  {"ONBUILD", NULL},    {"HEALTHCHECK", NULL},   {"SHELL", NULL},
    {"VOLUME", NULL}, {"STOPSIGNAL", NULL}, {"MAINTAINER", "LABEL"},
};

static char *trim(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* The exec form: a JSON array of strings; NULL otherwise. */
static json_t *exec_form(const char *args)
{
	json_t *v;
	size_t i;
	json_t *x;

	if (args[0] != '[')
		return NULL;
	v = json_loads(args, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_array(v)) /* [] is an exec form: CMD [] clears CMD */
		goto shell;
	json_array_foreach (v, i, x)
		if (!json_is_string(x))
			goto shell;
	return v;
shell:
	json_decref(v);
	return NULL;
}

static int add_instr(struct sz_containerfile *cf, const char *name, unsigned line, unsigned col,
                     char *logical, sz_error_t *err)
{
	size_t klen = strcspn(logical, " \t");
	char *args = trim(logical + klen);
	struct sz_instr in = {.line = line, .col = col};
	bool found = false;

	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strlen(known[i].word) == klen && strncasecmp(logical, known[i].word, klen) == 0) {
			in.kind = known[i].kind;
			in.keyword = known[i].word;
			found = true;
		}
	if (!found) {
		for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
			if (strlen(unsupported[i][0]) == klen &&
			    strncasecmp(logical, unsupported[i][0], klen) == 0)
				return unsupported[i][1]
				           ? sz_error_make(err, 0,
				                           _("%s:%u:%u: %s is not something stanza build "
				                             "does (use %s)"),
				                           name, line, col, unsupported[i][0],
				                           unsupported[i][1])
				           : sz_error_make(
				                 err, 0, _("%s:%u:%u: %s is not something stanza build does"),
				                 name, line, col, unsupported[i][0]);
		return sz_error_make(err, 0, _("%s:%u:%u: unknown instruction '%.*s'"), name, line, col,
		                     (int)klen, logical);
	}
	if (args[0] == '\0')
		return sz_error_make(err, 0, _("%s:%u:%u: %s needs arguments"), name, line, col, in.keyword);
	in.args = sz_xstrdup(args);
	if (in.kind == SZ_I_RUN || in.kind == SZ_I_CMD || in.kind == SZ_I_ENTRYPOINT)
		in.exec = exec_form(in.args);
	cf->v = sz_xrealloc(cf->v, (cf->n + 1) * sizeof(*cf->v));
	cf->v[cf->n++] = in;
	return 0;
}

int sz_containerfile_parse(const char *text, size_t len, const char *name, struct sz_containerfile *out,
                           sz_error_t *err)
{
	struct sz_buf logical;
	unsigned line = 0, start_line = 0, start_col = 0;
	bool continuing = false;
	const char *p = text, *end = text + len;
	int r = 0;

	*out = (struct sz_containerfile){0};
	sz_buf_init(&logical, 0);
	while (p < end && r == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *raw = sz_asprintf("%.*s", (int)n, p);
		char *s = raw;
		size_t sl;

		line++;
		p += n + (nl != NULL);
		if (memchr(raw, '\0', n) != NULL) {
			free(raw);
			r = sz_error_make(err, 0, _("%s:%u: a NUL byte: this is not a text file"), name,
			                  line);
			break;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		/* Comment and blank lines are skipped, inside a continuation too. */
		if (*s == '#' || *s == '\0' || (*s == '\r' && s[1] == '\0')) {
			free(raw);
			continue;
		}
		if (!continuing) {
			start_line = line;
			start_col = (unsigned)(s - raw) + 1;
		} else {
			s = raw; /* as written: only the backslash and the newline go, as Docker reads it */
		}
		sl = strlen(s);
		if (sl > 0 && s[sl - 1] == '\r')
			s[--sl] = '\0';
		continuing = sl > 0 && s[sl - 1] == '\\';
		if (continuing)
			s[--sl] = '\0';
		sz_buf_adds(&logical, s);
		if (!continuing) {
			r = add_instr(out, name, start_line, start_col, logical.buf, err);
			sz_buf_reset(&logical);
		}
		free(raw);
	}
	if (r == 0 && continuing)
		r = sz_error_make(
		    err, 0,
		    _("%s:%u:%u: the instruction goes on past the end of the file (a '\\' ends its "
		      "last line)"),
		    name, start_line, start_col);
	if (r == 0 && out->n == 0)
		r = sz_error_make(err, 0, _("%s: no instructions"), name);
	sz_buf_release(&logical);
	if (r < 0)
		sz_containerfile_release(out);
	return r;
}

void sz_containerfile_release(struct sz_containerfile *cf)
{
	for (size_t i = 0; i < cf->n; i++) {
		free(cf->v[i].args);
		json_decref(cf->v[i].exec);
	}
	free(cf->v);
	*cf = (struct sz_containerfile){0};
}
