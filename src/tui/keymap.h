/* SPDX-License-Identifier: GPL-3.0-or-later */
/* keymap.h - the TUI's requests and the table of keys that ask for them */
#ifndef SZ_TUI_KEYMAP_H
#define SZ_TUI_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Keys never reach a view as keys: the keymap turns them into requests
 * (tig's enum request). A view asks for its own keymap first (the lab view
 * has `h` for a hint), then the generic one.
 */
enum tui_request {
	REQ_NONE,
	/* moving */
	REQ_UP,
	REQ_DOWN,
	REQ_LEFT,
	REQ_RIGHT,
	REQ_PAGE_UP,
	REQ_PAGE_DOWN,
	REQ_TOP,
	REQ_BOTTOM,
	REQ_NEXT,
	REQ_PREV,
	REQ_ENTER,
	REQ_BACK,
	REQ_TAB,
	/* views */
	REQ_VIEW_CHAPTERS,
	REQ_VIEW_READER,
	REQ_VIEW_LAB,
	REQ_VIEW_QUIZ,
	REQ_VIEW_GLOSSARY,
	REQ_SEARCH,
	REQ_HELP,
	/* the lab */
	REQ_HINT,
	REQ_SOLUTION,
	REQ_SHELL,
	/* everywhere */
	REQ_LANG,
	REQ_REDRAW,
	REQ_QUIT,
	REQ_COUNT,
};

/* The keymaps: the generic one, and one for each view with keys of its own. */
enum tui_keymap {
	TUI_KEYMAP_GENERIC,
	TUI_KEYMAP_LAB,
	TUI_KEYMAP_COUNT,
};

/* The request key asks for in map, else in the generic map; REQ_NONE when none. */
enum tui_request tui_key_request(enum tui_keymap map, int key);

/* One line of the help: the keys (as written: "j, Down"), the request's
 * help (translated) and the keymap's title before its first line. */
struct tui_key_help {
	const char *section; /* NULL but on a keymap's first line */
	char keys[48];
	const char *help;
};

/* The help lines, in the order of the table. Returns how many were set. */
size_t tui_keymap_help(struct tui_key_help *out, size_t max);

/* How many help lines there are. */
size_t tui_keymap_help_count(void);

#endif
