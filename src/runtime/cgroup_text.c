/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_text.c - string and file helpers for the cgroup code: lists, octal escapes, paths, lines */
#include "runtime/cgroup_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"

bool cg_list_has(const char *list, const char *word, const char *seps)
{
	size_t len = strlen(word);
	const char *p = list;

	while (*p != '\0') {
		size_t n = strcspn(p, seps);

		if (n == len && strncmp(p, word, len) == 0)
			return true;
		p += n;
		if (*p != '\0')
			p++;
	}
	return false;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

void cg_unescape_octal(char *s)
{
	char *out = s;

	while (*s != '\0') {
		if (s[0] == '\\' && is_octal(s[1]) && is_octal(s[2]) && is_octal(s[3])) {
			int v = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');

			if (v > 0 && v < 256) {
				*out++ = (char)v;
				s += 4;
				continue;
			}
		}
		*out++ = *s++;
	}
	*out = '\0';
}

char *cg_path_join(const char *dir, const char *name)
{
	size_t len = strlen(dir);

	while (*name == '/')
		name++;
	if (*name == '\0')
		return sz_xstrdup(dir);
	if (len > 0 && dir[len - 1] == '/')
		return sz_asprintf("%s%s", dir, name);
	return sz_asprintf("%s/%s", dir, name);
}

char *cg_next_line(char **cursor)
{
	char *line = *cursor;
	char *nl;

	if (*line == '\0')
		return NULL;
	nl = strchr(line, '\n');
	if (nl != NULL) {
		*nl = '\0';
		*cursor = nl + 1;
	} else {
		*cursor = line + strlen(line);
	}
	return line;
}

bool cg_has_dot_component(const char *path)
{
	const char *p = path;

	while (*p != '\0') {
		size_t n;

		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return true;
		p += n;
	}
	return false;
}

int cg_read_optional_at(int dfd, const char *name, const char *shown, char **out, sz_error_t *err)
{
	sz_error_t local = NULL;
	int errno_;

	*out = NULL;
	if (sz_read_file_at(dfd, name, out, NULL, &local) == 0)
		return 0;
	errno_ = local->errno_;
	sz_error_release(&local);
	if (errno_ == ENOENT || errno_ == ENODEV)
		return 0;
	return sz_error_make(err, errno_, _("cannot read '%s'"), shown);
}

int cg_read_optional(const char *path, char **out, sz_error_t *err)
{
	return cg_read_optional_at(AT_FDCWD, path, path, out, err);
}
