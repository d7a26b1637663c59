/* SPDX-License-Identifier: GPL-3.0-or-later */
/* i18n.h - gettext plumbing: _() for messages, N_() for static tables, the choice of language */
#ifndef SZ_I18N_H
#define SZ_I18N_H

#include <libintl.h>
#include <stdbool.h>

#define _(s)             sz_gettext(s)
#define N_(s)            (s)
#define Q_(one, many, n) ngettext(one, many, n)

/* gettext(s), but "" for "": gettext("") is the catalogue's header, so no
 * caller has to guard an empty string from a table. */
char *sz_gettext(const char *s) __attribute__((format_arg(1)));

/* Bind the "stanza" text domain to the first locale directory that exists
 * (STANZA_LOCALEDIR, then the installed one, then the build tree's) and set
 * the locale from the environment, falling back to C.UTF-8 when the user's
 * locale is not installed. */
void sz_i18n_init(const char *localedir);

/* Where a choice of language came from. An explicit choice (--lang,
 * STANZA_LANG) that the course lacks is an error; a locale's is only a wish,
 * and English stands in for it. */
enum sz_lang_source {
	SZ_LANG_FROM_OPTION,
	SZ_LANG_FROM_STANZA_LANG,
	SZ_LANG_FROM_LOCALE, /* LC_ALL, LC_MESSAGES or LANG */
	SZ_LANG_FROM_DEFAULT,
};

/*
 * The language to use: option (the value of --lang, or NULL) > $STANZA_LANG
 * > the first of $LC_ALL, $LC_MESSAGES, $LANG that is set and not empty >
 * "en". Explicit values are returned as given; a locale name gives its
 * language ("it_IT.UTF-8" -> "it"; "C", "POSIX" and names of no language
 * give "en"). Whether the course has that language is for the caller to
 * check. Returns a string the caller frees; *source (when not NULL) says
 * where it came from.
 */
char *sz_i18n_choose(const char *option, enum sz_lang_source *source);

/*
 * Make the interface speak lang ("it", "en") whatever locales the host has:
 * gettext is pointed at the language through $LANGUAGE, and a "C" or "POSIX"
 * locale (which makes gettext ignore $LANGUAGE, and is not UTF-8) becomes
 * C.UTF-8. Call it again at any time to switch languages: the translations
 * already looked up are dropped.
 */
void sz_i18n_set_lang(const char *lang);

#endif
