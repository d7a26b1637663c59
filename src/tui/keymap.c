/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keymap.c - the TUI's keys: which request each asks for, and their help */
#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "common/i18n.h"

#define CTRL(c)      ((c)&0x1f)
#define KEY_TAB      '\t'
#define KEY_ESC      27
#define KEY_ENTER_LF '\n'
#define KEY_ENTER_CR '\r'

struct binding {
	enum tui_keymap map;
	int key;
	enum tui_request req;
};

/* Several keys may ask for one request; the first is named first in the help. */
static const struct binding bindings[] = {
    {TUI_KEYMAP_GENERIC, KEY_UP, REQ_UP},
    {TUI_KEYMAP_GENERIC, 'k', REQ_UP},
    {TUI_KEYMAP_GENERIC, KEY_DOWN, REQ_DOWN},
    {TUI_KEYMAP_GENERIC, 'j', REQ_DOWN},
    {TUI_KEYMAP_GENERIC, KEY_LEFT, REQ_LEFT},
    {TUI_KEYMAP_GENERIC, 'h', REQ_LEFT},
    {TUI_KEYMAP_GENERIC, KEY_RIGHT, REQ_RIGHT},
    {TUI_KEYMAP_GENERIC, 'l', REQ_RIGHT},
    {TUI_KEYMAP_GENERIC, KEY_PPAGE, REQ_PAGE_UP},
    {TUI_KEYMAP_GENERIC, 'b', REQ_PAGE_UP},
    {TUI_KEYMAP_GENERIC, KEY_NPAGE, REQ_PAGE_DOWN},
    {TUI_KEYMAP_GENERIC, ' ', REQ_PAGE_DOWN},
    {TUI_KEYMAP_GENERIC, KEY_HOME, REQ_TOP},
    {TUI_KEYMAP_GENERIC, KEY_END, REQ_BOTTOM},
    {TUI_KEYMAP_GENERIC, 'n', REQ_NEXT},
    {TUI_KEYMAP_GENERIC, 'p', REQ_PREV},
    {TUI_KEYMAP_GENERIC, KEY_ENTER_LF, REQ_ENTER},
    {TUI_KEYMAP_GENERIC, KEY_ENTER_CR, REQ_ENTER},
    {TUI_KEYMAP_GENERIC, KEY_ENTER, REQ_ENTER},
    {TUI_KEYMAP_GENERIC, KEY_TAB, REQ_TAB},
    {TUI_KEYMAP_GENERIC, KEY_ESC, REQ_BACK},
    {TUI_KEYMAP_GENERIC, 'c', REQ_VIEW_CHAPTERS},
    {TUI_KEYMAP_GENERIC, 'r', REQ_VIEW_READER},
    {TUI_KEYMAP_GENERIC, 'a', REQ_VIEW_LAB},
    {TUI_KEYMAP_GENERIC, 'z', REQ_VIEW_QUIZ},
    {TUI_KEYMAP_GENERIC, 'g', REQ_VIEW_GLOSSARY},
    {TUI_KEYMAP_GENERIC, '/', REQ_SEARCH},
    {TUI_KEYMAP_GENERIC, '?', REQ_HELP},
    {TUI_KEYMAP_GENERIC, 'L', REQ_LANG},
    {TUI_KEYMAP_GENERIC, CTRL('l'), REQ_REDRAW},
    {TUI_KEYMAP_GENERIC, 'q', REQ_QUIT},
    {TUI_KEYMAP_LAB, 'h', REQ_HINT},
    {TUI_KEYMAP_LAB, 's', REQ_SOLUTION},
    {TUI_KEYMAP_LAB, '!', REQ_SHELL},
};

/* What each request (or pair of requests) does, by keymap, in the order of
 * the help. */
struct request_help {
	enum tui_keymap map;
	enum tui_request req, req2; /* req2: REQ_NONE, or its counterpart */
	const char *help;
};

static const struct request_help helps[] = {
    {TUI_KEYMAP_GENERIC, REQ_UP, REQ_DOWN, N_("up or down a line, or to the previous or next item")},
    {TUI_KEYMAP_GENERIC, REQ_PAGE_UP, REQ_PAGE_DOWN, N_("up or down a page")},
    {TUI_KEYMAP_GENERIC, REQ_TOP, REQ_BOTTOM, N_("to the top or to the end")},
    {TUI_KEYMAP_GENERIC, REQ_NEXT, REQ_PREV, N_("next or previous section, step, question or chapter")},
    {TUI_KEYMAP_GENERIC, REQ_LEFT, REQ_NONE, N_("back to the list of chapters")},
    {TUI_KEYMAP_GENERIC, REQ_RIGHT, REQ_NONE, N_("open the chapter chosen in the list")},
    {TUI_KEYMAP_GENERIC, REQ_ENTER, REQ_NONE, N_("open, answer, or run the lab's step")},
    {TUI_KEYMAP_GENERIC, REQ_TAB, REQ_NONE, N_("switch between the list and the page")},
    {TUI_KEYMAP_GENERIC, REQ_BACK, REQ_NONE, N_("close, cancel, or leave the lab")},
    {TUI_KEYMAP_GENERIC, REQ_VIEW_CHAPTERS, REQ_NONE, N_("the list of chapters")},
    {TUI_KEYMAP_GENERIC, REQ_VIEW_READER, REQ_NONE, N_("read the chapter")},
    {TUI_KEYMAP_GENERIC, REQ_VIEW_LAB, REQ_NONE, N_("the chapter's labs")},
    {TUI_KEYMAP_GENERIC, REQ_VIEW_QUIZ, REQ_NONE, N_("the chapter's quiz")},
    {TUI_KEYMAP_GENERIC, REQ_VIEW_GLOSSARY, REQ_NONE, N_("the glossary")},
    {TUI_KEYMAP_GENERIC, REQ_SEARCH, REQ_NONE, N_("search the glossary")},
    {TUI_KEYMAP_GENERIC, REQ_LANG, REQ_NONE, N_("switch language (course and interface)")},
    {TUI_KEYMAP_GENERIC, REQ_HELP, REQ_NONE, N_("this help")},
    {TUI_KEYMAP_GENERIC, REQ_REDRAW, REQ_NONE, N_("redraw the screen")},
    {TUI_KEYMAP_GENERIC, REQ_QUIT, REQ_NONE, N_("quit (your place is saved)")},
    {TUI_KEYMAP_LAB, REQ_HINT, REQ_NONE, N_("a hint for the task, one more each time")},
    {TUI_KEYMAP_LAB, REQ_SOLUTION, REQ_NONE, N_("the task's solution (asks first)")},
    {TUI_KEYMAP_LAB, REQ_SHELL, REQ_NONE, N_("a shell in the lab's container (exit or Ctrl-D comes back)")},
};

static const char *const map_titles[TUI_KEYMAP_COUNT] = {
    /* TRANSLATORS: a heading in the help: the keys that work in every view */
    N_("Everywhere"),
    /* TRANSLATORS: a heading in the help: the keys of the lab view */
    N_("In a lab"),
};

enum tui_request tui_key_request(enum tui_keymap map, int key)
{
	enum tui_request generic = REQ_NONE;

	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++) {
		if (bindings[i].key != key)
			continue;
		if (bindings[i].map == map)
			return bindings[i].req;
		if (bindings[i].map == TUI_KEYMAP_GENERIC)
			generic = bindings[i].req;
	}
	return generic;
}

/* A key as the help writes it; letters and symbols as themselves. */
static void name_of_key(int key, char *buf, size_t len)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {KEY_UP, "Up"},          {KEY_DOWN, "Down"},  {KEY_LEFT, "Left"}, {KEY_RIGHT, "Right"},
	    {KEY_PPAGE, "PgUp"},     {KEY_NPAGE, "PgDn"}, {KEY_HOME, "Home"}, {KEY_END, "End"},
	    {KEY_ENTER_LF, "Enter"}, {KEY_TAB, "Tab"},    {KEY_ESC, "Esc"},   {' ', "Space"},
	    {CTRL('l'), "Ctrl-L"},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].key == key) {
			snprintf(buf, len, "%s", names[i].name);
			return;
		}
	snprintf(buf, len, "%c", key);
}

/* The keys of req in map, in table order, after buf's first at bytes,
 * joined by ", " (Enter named once). Returns the new length. */
static size_t keys_of(enum tui_keymap map, enum tui_request req, char *buf, size_t len, size_t at)
{
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]) && at < len; i++) {
		char name[16];

		if (bindings[i].map != map || bindings[i].req != req || bindings[i].key == KEY_ENTER_CR ||
		    bindings[i].key == KEY_ENTER)
			continue;
		name_of_key(bindings[i].key, name, sizeof(name));
		at += (size_t)snprintf(buf + at, len - at, "%s%s", at > 0 ? ", " : "", name);
	}
	return at < len ? at : len - 1;
}

size_t tui_keymap_help_count(void)
{
	return sizeof(helps) / sizeof(helps[0]);
}

size_t tui_keymap_help(struct tui_key_help *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]) && n < max; i++, n++) {
		bool first = i == 0 || helps[i - 1].map != helps[i].map;

		size_t at;

		out[n].section = first ? _(map_titles[helps[i].map]) : NULL;
		out[n].keys[0] = '\0';
		at = keys_of(helps[i].map, helps[i].req, out[n].keys, sizeof(out[n].keys), 0);
		if (helps[i].req2 != REQ_NONE && at + 3 < sizeof(out[n].keys)) {
			memcpy(out[n].keys + at, " / ", 4);
			keys_of(helps[i].map, helps[i].req2, out[n].keys + at + 3,
			        sizeof(out[n].keys) - at - 3, 0);
		}
		out[n].help = _(helps[i].help);
	}
	return n;
}
