/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_i18n.c - unit tests for common/i18n.c: which language wins, and pointing gettext at it */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"

static const char *const vars[] = {"STANZA_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"};

static int clear_env(void **state)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	return 0;
}

/* sz_i18n_choose(option) gives want, from source. */
static void expect(const char *option, const char *want, enum sz_lang_source want_source)
{
	enum sz_lang_source source;
	char *lang = sz_i18n_choose(option, &source);

	if (strcmp(lang, want) != 0 || source != want_source)
		fail_msg("chose '%s' (source %d), want '%s' (source %d)", lang, (int)source, want,
		         (int)want_source);
	free(lang);
}

static void test_default_is_english(void **state)
{
	expect(NULL, "en", SZ_LANG_FROM_DEFAULT);
	expect("", "en", SZ_LANG_FROM_DEFAULT);
}

static void test_precedence(void **state)
{
	setenv("LANG", "de_DE.UTF-8", 1);
	expect(NULL, "de", SZ_LANG_FROM_LOCALE);
	setenv("LC_MESSAGES", "it_IT.UTF-8", 1);
	expect(NULL, "it", SZ_LANG_FROM_LOCALE);
	setenv("LC_ALL", "fr_FR", 1);
	expect(NULL, "fr", SZ_LANG_FROM_LOCALE);
	setenv("STANZA_LANG", "it", 1);
	expect(NULL, "it", SZ_LANG_FROM_STANZA_LANG);
	expect("en", "en", SZ_LANG_FROM_OPTION);
	/* Explicit values are taken as they are: the caller checks them. */
	expect("xx", "xx", SZ_LANG_FROM_OPTION);
	setenv("STANZA_LANG", "es", 1);
	expect(NULL, "es", SZ_LANG_FROM_STANZA_LANG);
}

static void test_empty_values_skipped(void **state)
{
	setenv("LANG", "it_IT.UTF-8", 1);
	setenv("LC_ALL", "", 1);
	setenv("LC_MESSAGES", "", 1);
	setenv("STANZA_LANG", "", 1);
	expect(NULL, "it", SZ_LANG_FROM_LOCALE);
	expect("", "it", SZ_LANG_FROM_LOCALE);
}

/* LC_ALL wins over LC_MESSAGES even when it names no language. */
static void test_locale_names(void **state)
{
	static const struct {
		const char *name, *want;
	} cases[] = {
	    {"it", "it"},          {"it_IT", "it"},       {"it_CH.UTF-8", "it"}, {"it_IT@euro", "it"},
	    {"IT_it.utf8", "it"},  {"en_GB.UTF-8", "en"}, {"C", "en"},           {"C.UTF-8", "en"},
	    {"POSIX", "en"},       {"ast_ES", "ast"},     {"i", "en"},           {"1t_IT", "en"},
	    {"/etc/passwd", "en"},
	};

	setenv("LC_MESSAGES", "it_IT.UTF-8", 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		setenv("LC_ALL", cases[i].name, 1);
		expect(NULL, cases[i].want, SZ_LANG_FROM_LOCALE);
	}
}

/* The choice reaches gettext through LANGUAGE, which gettext ignores in the "C" locale. */
static void test_set_lang(void **state)
{
	const char *messages;

	setlocale(LC_ALL, "C");
	sz_i18n_set_lang("it");
	assert_string_equal(getenv("LANGUAGE"), "it");
	messages = setlocale(LC_MESSAGES, NULL);
	assert_non_null(messages);
	if (strcmp(messages, "C") == 0) {
		print_message("skipped: no C.UTF-8 locale on this host, so the interface stays English\n");
		skip();
	}
	assert_string_not_equal(messages, "POSIX");
	assert_string_not_equal(setlocale(LC_CTYPE, NULL), "C");

	/* Again, live: the new language replaces the old one. */
	sz_i18n_set_lang("en");
	assert_string_equal(getenv("LANGUAGE"), "en");
}

/* gettext("") is the catalogue's header ("Project-Id-Version: ..."); _("")
 * must stay "" so that tables with empty entries need no guard. */
static void test_empty_string(void **state)
{
	setlocale(LC_ALL, "C.UTF-8");
	sz_i18n_init(LOCALE_DIR);
	sz_i18n_set_lang("it");
	if (strcmp(_("Right."), "Right.") == 0) {
		print_message("skipped: the Italian catalogue is not in " LOCALE_DIR " or no UTF-8 locale\n");
		sz_i18n_set_lang("en");
		skip();
	}
	assert_string_equal(_(""), "");
	assert_string_not_equal(gettext(""), ""); /* what the guard is for */
	sz_i18n_set_lang("en");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_default_is_english, clear_env),
	    cmocka_unit_test_setup(test_precedence, clear_env),
	    cmocka_unit_test_setup(test_empty_values_skipped, clear_env),
	    cmocka_unit_test_setup(test_locale_names, clear_env),
	    cmocka_unit_test_setup(test_set_lang, clear_env),
	    cmocka_unit_test_setup(test_empty_string, clear_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
