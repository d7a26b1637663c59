/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_tui_doc.c - the TUI's pieces without a terminal: laying out docs (UTF-8 widths, code spans, folding),
 * keys */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curses.h>

#include "common/i18n.h"
#include "common/wrap.h"
#include "tui/doc.h"
#include "tui/keymap.h"

static int setup(void **state)
{
	sz_i18n_set_lang("en"); /* a UTF-8 LC_CTYPE, for display widths */
	return 0;
}

/* No line is wider than the doc, accented and wide characters counted right. */
static void test_wrap_fits_width(void **state)
{
	struct tui_doc d;

	tui_doc_init(&d);
	tui_doc_reset(&d, 20);
	tui_doc_wrap(&d, TUI_STYLE_BODY, 3, "", "",
	             "Città perché più è: 容器 and コンテナ take two columns each, and this goes on.");
	assert_true(d.n > 3);
	for (size_t i = 0; i < d.n; i++) {
		assert_true(sz_display_width(d.lines[i].text) <= 20);
		assert_int_equal(d.lines[i].tag, 3);
		assert_true(d.lines[i].spans);
	}
	assert_string_equal(d.lines[0].text, "Città perché più è:");
	tui_doc_release(&d);
}

/* A label, then the hanging indent under the text. */
static void test_wrap_label_and_indent(void **state)
{
	struct tui_doc d;

	tui_doc_init(&d);
	tui_doc_reset(&d, 16);
	tui_doc_wrap(&d, TUI_STYLE_NOTE, -1, "Note: ", "      ", "one two three four five");
	assert_int_equal(d.n, 3);
	assert_string_equal(d.lines[0].text, "Note: one two");
	assert_string_equal(d.lines[1].text, "      three four");
	assert_string_equal(d.lines[2].text, "      five");
	tui_doc_release(&d);
}

/* An inline `code` span carried over a line break is open on the next line. */
static void test_code_span_across_lines(void **state)
{
	struct tui_doc d;

	tui_doc_init(&d);
	tui_doc_reset(&d, 12);
	tui_doc_wrap(&d, TUI_STYLE_BODY, -1, "", "", "run `echo hello world` now");
	assert_int_equal(d.n, 3);
	assert_false(d.lines[0].code_open);
	assert_string_equal(d.lines[0].text, "run `echo");
	assert_true(d.lines[1].code_open);
	assert_false(d.lines[2].code_open);
	tui_doc_release(&d);
}

/* Output: folded at the width (never between the bytes of a character),
 * tabs expanded, escape characters dropped, no empty line for the final
 * newline. Code: kept whole. */
static void test_verbatim(void **state)
{
	static const char out[] = "abcdefghijklmnèè\n\tx\033[1m\r\n";
	struct tui_doc d;

	tui_doc_init(&d);
	tui_doc_reset(&d, 13);
	tui_doc_verbatim(&d, TUI_STYLE_OUTPUT, -1, "", out, strlen(out), true);
	assert_int_equal(d.n, 3);
	assert_string_equal(d.lines[0].text, "abcdefghijklm");
	assert_string_equal(d.lines[1].text, "nèè");
	assert_string_equal(d.lines[2].text, "        x[1m");
	tui_doc_reset(&d, 13);
	tui_doc_verbatim(&d, TUI_STYLE_CODE, -1, "  ", out, strlen(out), false);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.lines[0].text, "  abcdefghijklmnèè");
	tui_doc_reset(&d, 10);
	tui_doc_verbatim(&d, TUI_STYLE_OUTPUT, -1, "", "", 0, true);
	assert_int_equal(d.n, 1);
	tui_doc_release(&d);
}

static void test_scroll_clamps(void **state)
{
	struct tui_doc d;

	tui_doc_init(&d);
	tui_doc_reset(&d, 10);
	for (int i = 0; i < 30; i++)
		tui_doc_linef(&d, TUI_STYLE_BODY, i, "line %d", i);
	tui_doc_scroll(&d, -5, 10);
	assert_int_equal(d.top, 0);
	tui_doc_scroll(&d, 100, 10);
	assert_int_equal(d.top, 20);
	assert_true(tui_doc_at_end(&d, 10));
	tui_doc_scroll_to(&d, 5, 10);
	assert_int_equal(d.top, 5);
	assert_false(tui_doc_at_end(&d, 10));
	assert_int_equal(tui_doc_find(&d, 7), 7);
	assert_int_equal(tui_doc_find(&d, 99), -1);
	tui_doc_release(&d);
}

/* The lab's own keys come before the generic ones, only in the lab. */
static void test_keymap(void **state)
{
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, 'j'), REQ_DOWN);
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, KEY_NPAGE), REQ_PAGE_DOWN);
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, 'h'), REQ_LEFT);
	assert_int_equal(tui_key_request(TUI_KEYMAP_LAB, 'h'), REQ_HINT);
	assert_int_equal(tui_key_request(TUI_KEYMAP_LAB, 'j'), REQ_DOWN);
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, '!'), REQ_NONE);
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, '\r'), REQ_ENTER);
	assert_int_equal(tui_key_request(TUI_KEYMAP_GENERIC, 'Z'), REQ_NONE);
}

/* Every help line names its keys; each keymap's first line has its title. */
static void test_keymap_help(void **state)
{
	size_t n = tui_keymap_help_count();
	struct tui_key_help lines[64];
	size_t sections = 0;

	assert_true(n > 10 && n <= 64);
	assert_int_equal(tui_keymap_help(lines, 64), n);
	for (size_t i = 0; i < n; i++) {
		assert_true(lines[i].keys[0] != '\0');
		assert_true(lines[i].help[0] != '\0');
		sections += lines[i].section != NULL;
	}
	assert_int_equal(sections, TUI_KEYMAP_COUNT);
	assert_string_equal(lines[0].keys, "Up, k / Down, j");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wrap_fits_width),
	    cmocka_unit_test(test_wrap_label_and_indent),
	    cmocka_unit_test(test_code_span_across_lines),
	    cmocka_unit_test(test_verbatim),
	    cmocka_unit_test(test_scroll_clamps),
	    cmocka_unit_test(test_keymap),
	    cmocka_unit_test(test_keymap_help),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
