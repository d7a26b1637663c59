/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i18n.c - locale set-up with a fallback for hosts without the user's locale; the choice of language */
#include "common/i18n.h"

#include <ctype.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"

#define DEFAULT_LANG "en"

/* glibc's counter of message catalog changes: bumping it drops the
 * translations gettext has cached, as GNU gettext's own manual advises after
 * changing $LANGUAGE. */
extern int _nl_msg_cat_cntr;

char *sz_gettext(const char *s)
{
	return s[0] != '\0' ? gettext(s) : (char *)s;
}

/* The user's locale for the two categories stanza uses: the character set
 * (ncursesw, readline, the width of what is drawn) and the language of the
 * messages. Numbers and dates stay "C": stanza writes 0.5 in both languages,
 * as a learner types it in --cpus 0.5; and where there is no locale archive,
 * each category costs every start of stanza a file to open and map. */
void sz_i18n_init(const char *localedir)
{
	static const int categories[] = {LC_CTYPE, LC_MESSAGES};

	for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (setlocale(categories[i], "") == NULL)
			setlocale(categories[i], "C.UTF-8");
	if (localedir != NULL)
		bindtextdomain("stanza", localedir);
	bind_textdomain_codeset("stanza", "UTF-8");
	textdomain("stanza");
}

/* The language of a locale name, "language[_territory][.codeset][@modifier]";
 * English for "C", "POSIX" and anything that names no language. */
static char *locale_language(const char *name)
{
	size_t len = strcspn(name, "_.@");
	char *lang;

	if (len < 2 || len > 3)
		return sz_xstrdup(DEFAULT_LANG);
	lang = sz_xmalloc(len + 1);
	for (size_t i = 0; i < len; i++) {
		if (!isalpha((unsigned char)name[i])) {
			free(lang);
			return sz_xstrdup(DEFAULT_LANG);
		}
		lang[i] = (char)tolower((unsigned char)name[i]);
	}
	lang[len] = '\0';
	return lang;
}

static const char *nonempty_env(const char *name)
{
	const char *value = getenv(name);

	return value != NULL && *value != '\0' ? value : NULL;
}

char *sz_i18n_choose(const char *option, enum sz_lang_source *source)
{
	static const char *const locale_vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	enum sz_lang_source dummy;
	const char *value;

	if (source == NULL)
		source = &dummy;
	if (option != NULL && *option != '\0') {
		*source = SZ_LANG_FROM_OPTION;
		return sz_xstrdup(option);
	}
	if ((value = nonempty_env("STANZA_LANG")) != NULL) {
		*source = SZ_LANG_FROM_STANZA_LANG;
		return sz_xstrdup(value);
	}
	for (size_t i = 0; i < sizeof(locale_vars) / sizeof(locale_vars[0]); i++) {
		if ((value = nonempty_env(locale_vars[i])) != NULL) {
			*source = SZ_LANG_FROM_LOCALE;
			return locale_language(value);
		}
	}
	*source = SZ_LANG_FROM_DEFAULT;
	return sz_xstrdup(DEFAULT_LANG);
}

static void ensure_utf8(int category)
{
	const char *name = setlocale(category, NULL);

	if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0)
		setlocale(category, "C.UTF-8");
}

void sz_i18n_set_lang(const char *lang)
{
	ensure_utf8(LC_CTYPE);
	ensure_utf8(LC_MESSAGES);
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
	textdomain("stanza");
}
