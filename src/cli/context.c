/* SPDX-License-Identifier: GPL-3.0-or-later */
/* context.c - what the content commands share: the language, the course and the learner's progress */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "config.h"
#include "course/course.h"
#include "course/progress.h"

#define MAX_LANG_LEN 32

static void free_strv(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A name that can only be a directory right under lessons/. */
static bool lang_name_safe(const char *lang)
{
	return lang[0] != '\0' && lang[0] != '.' && strchr(lang, '/') == NULL && strlen(lang) <= MAX_LANG_LEN;
}

static bool has_lang(char **langs, int n, const char *lang)
{
	for (int i = 0; i < n; i++)
		if (strcmp(langs[i], lang) == 0)
			return true;
	return false;
}

static void unknown_lang(const char *lang, enum sz_lang_source source, char **langs, int n)
{
	char *list = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&list, &len);

	if (f == NULL)
		abort();
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%s", i > 0 ? ", " : "", langs[i]);
	fclose(f);
	if (source == SZ_LANG_FROM_STANZA_LANG)
		sz_error_say(_("unknown language '%s' in STANZA_LANG (the course has: %s)"), lang, list);
	else
		sz_error_say(_("unknown language '%s' (the course has: %s)"), lang, list);
	free(list);
}

static void use_lang(struct sz_cli *cli, char *lang)
{
	free(cli->lang);
	cli->lang = lang;
	sz_i18n_set_lang(lang);
}

int sz_cli_set_lang(struct sz_cli *cli, const char *option)
{
	enum sz_lang_source source;
	char *lang = sz_i18n_choose(option, &source);
	bool explicit = source == SZ_LANG_FROM_OPTION || source == SZ_LANG_FROM_STANZA_LANG;
	char **langs = NULL;

	cli->lang_asked = explicit;
	sz_error_t err = NULL;
	int n = sz_course_languages(cli->content, &langs, &err);

	/* Without a course to check against, the interface can still speak the
	 * language; a command that needs the course says what is wrong with it. */
	sz_error_release(&err);
	if (n >= 0 && !has_lang(langs, n, lang)) {
		if (explicit) {
			unknown_lang(lang, source, langs, n);
			free_strv(langs, n);
			free(lang);
			return SZ_EXIT_USAGE;
		}
		free(lang);
		lang = sz_xstrdup("en");
	} else if (n < 0 && !lang_name_safe(lang)) {
		unknown_lang(lang, source, NULL, 0);
		free(lang);
		return SZ_EXIT_USAGE;
	}
	if (n >= 0)
		free_strv(langs, n);
	use_lang(cli, lang);
	return 0;
}

int sz_cli_lang_option(int argc, char **argv, int *i, const char **value)
{
	const char *arg = argv[*i];

	if (sz_str_has_prefix(arg, "--lang=")) {
		*value = arg + strlen("--lang=");
		return 1;
	}
	if (strcmp(arg, "--lang") != 0)
		return 0;
	if (*i + 1 >= argc) {
		sz_error_say(_("option '--lang' needs a language, such as en or it"));
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int sz_cli_load_course(struct sz_cli *cli, struct sz_course *out)
{
	struct sz_diags diags = {0};
	sz_error_t err = NULL;

	if (sz_course_load(cli->content, cli->lang, out, &diags, &err) == 0)
		return 0;
	if (err != NULL) {
		sz_error_say("%s", sz_error_msg(err));
	} else {
		sz_diags_print(&diags, stderr);
		sz_error_say(Q_("the course has %zu problem (see above)",
		                "the course has %zu problems (see above)", diags.n),
		             diags.n);
	}
	sz_error_release(&err);
	sz_diags_release(&diags);
	return SZ_EXIT_FAIL;
}

/* After an upgrade of the course: forget what it no longer has. */
static void follow_course(const struct sz_course *course, struct sz_progress *p)
{
	sz_error_t err = NULL;

	if (p->course_version != NULL && strcmp(p->course_version, STANZA_VERSION) == 0)
		return;
	sz_progress_prune(p, sz_progress_in_course, (void *)course);
	sz_progress_set_course_version(p, STANZA_VERSION);
	if (sz_progress_save(p, &err) < 0)
		sz_error_print_release(&err);
}

int sz_cli_load_progress(struct sz_cli *cli, const struct sz_course *course, struct sz_progress *p)
{
	cleanup_free char *notice = NULL;
	sz_error_t err = NULL;

	if (sz_progress_load(p, NULL, &notice, &err) < 0) {
		sz_error_print_release(&err);
		return -1;
	}
	if (notice != NULL)
		sz_error_say("%s", notice);
	if (course != NULL && !cli->content_is_own && p->n_entries > 0)
		follow_course(course, p);
	return 0;
}

int sz_cli_common_option(int argc, char **argv, int *i, const char **lang, bool *help)
{
	if (strcmp(argv[*i], "--help") == 0 || strcmp(argv[*i], "-h") == 0) {
		*help = true;
		return 1;
	}
	return sz_cli_lang_option(argc, argv, i, lang);
}

int sz_cli_front_args(struct sz_cli *cli, int argc, char **argv, struct sz_cli_front_args *a)
{
	int status;

	for (int i = 1; i < argc; i++) {
		int r = sz_cli_common_option(argc, argv, &i, &a->lang, &a->help);

		if (r < 0)
			return SZ_EXIT_USAGE;
		if (r == 0) {
			a->unexpected = argv[i];
			return SZ_EXIT_USAGE;
		}
	}
	if (a->help)
		return 0;
	if (a->lang != NULL && (status = sz_cli_set_lang(cli, a->lang)) != 0)
		return status;
	a->lang_asked = a->lang != NULL || cli->lang_asked;
	return 0;
}
