/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_state.c - a container's cgroup as text, so a later stanza can find and remove it */
#include "runtime/cgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/cgroup_internal.h"

/* ---- serialize ---- */

static char *escape_path(const char *path)
{
	char *out = sz_xmalloc(strlen(path) * 4 + 1);
	char *o = out;

	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++) {
		if (*p == '\\' || *p < 0x20 || *p == 0x7f)
			o += snprintf(o, 5, "\\%03o", *p);
		else
			*o++ = (char)*p;
	}
	*o = '\0';
	return out;
}

static void append_entry(char **text, const char *key, const char *path)
{
	cleanup_free char *escaped = NULL;
	char *longer;

	if (path == NULL)
		return;
	escaped = escape_path(path);
	longer = sz_asprintf("%s%s %s\n", *text, key, escaped);
	free(*text);
	*text = longer;
}

char *sz_cgroup_serialize(const struct sz_cgroup *cg)
{
	char *text = sz_asprintf("mode %s\n", sz_cgroup_mode_name(cg->mode));

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		append_entry(&text, sz_controller_name(c), cg->path[c]);
	append_entry(&text, "unified", cg->unified);
	return text;
}

/* ---- deserialize ---- */

static char **entry_slot(struct sz_cgroup *cg, const char *key)
{
	if (strcmp(key, "unified") == 0)
		return &cg->unified;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (strcmp(key, sz_controller_name(c)) == 0)
			return &cg->path[c];
	return NULL;
}

static int parse_mode(const char *name, enum sz_cgroup_mode *mode, sz_error_t *err)
{
	for (int m = SZ_CGROUP_NONE; m <= SZ_CGROUP_V2; m++) {
		if (strcmp(name, sz_cgroup_mode_name(m)) == 0) {
			*mode = m;
			return 0;
		}
	}
	return sz_error_make(err, 0, _("unknown cgroup mode '%s'"), name);
}

static int parse_entry(struct sz_cgroup *cg, char *line, bool *has_mode, sz_error_t *err)
{
	char *path = strchr(line, ' ');
	char **slot;

	if (path == NULL)
		return sz_error_make(err, 0, _("expected '<controller> <path>', got '%s'"), line);
	*path++ = '\0';
	if (strcmp(line, "mode") == 0 && !*has_mode) {
		*has_mode = true;
		return parse_mode(path, &cg->mode, err);
	}
	slot = entry_slot(cg, line);
	if (slot == NULL)
		return sz_error_make(err, 0, _("unknown controller '%s'"), line);
	if (*slot != NULL)
		return sz_error_make(err, 0, _("'%s' is given twice"), line);
	cg_unescape_octal(path);
	if (path[0] != '/' || path[1] == '\0' || cg_has_dot_component(path))
		return sz_error_make(err, 0, _("'%s' is not a clean absolute path"), path);
	*slot = sz_xstrdup(path);
	return 0;
}

static enum sz_cgroup_mode derive_mode(const struct sz_cgroup *cg)
{
	bool v1 = false;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (cg->path[c] != NULL && !cg_is_unified(cg, cg->path[c]))
			v1 = true;
	if (cg->unified != NULL)
		return v1 ? SZ_CGROUP_HYBRID : SZ_CGROUP_V2;
	return v1 ? SZ_CGROUP_V1 : SZ_CGROUP_NONE;
}

int sz_cgroup_deserialize(struct sz_cgroup *cg, const char *text, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(text);
	char *cursor = copy;
	char *line;
	size_t lineno = 0;
	bool has_mode = false;

	memset(cg, 0, sizeof(*cg));
	while ((line = cg_next_line(&cursor)) != NULL) {
		lineno++;
		if (*line == '\0')
			continue;
		if (parse_entry(cg, line, &has_mode, err) < 0) {
			sz_cgroup_release(cg);
			return sz_error_wrap(err, _("cgroup state, line %zu"), lineno);
		}
	}
	if (!has_mode)
		cg->mode = derive_mode(cg);
	return 0;
}
