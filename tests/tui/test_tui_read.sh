#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_tui_read.sh - start, read, move between chapters, the help, switch language live, quit, resume
# shellcheck source=tests/tui/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A new learner starts at the first chapter, in English.
tui_start -- --content "$TUI_CONTENT" tutor
tui_expect read-start.en "Alpha: the first fixture chapter"

# Space pages down to the end of the chapter: it is marked read (✓).
tui_keys Space
tui_expect read-end.en "End of the chapter."

# Tab to the list, down to the second chapter, Enter opens it.
tui_keys Tab j
tui_expect list-cursor.en "▸  2 Beta"
tui_keys Enter
tui_expect read-beta.en "The only section"

# n at the end of the course says so; p goes back to the first chapter.
tui_keys n
tui_expect read-course-end.en "This is the end of the course."
tui_keys p
tui_wait_for "section 2/2"
tui_keys b
tui_settle

# The help, over the page; Esc closes it.
tui_keys '?'
tui_expect help.en "stanza: the keys"
tui_keys Escape
tui_wait_for "Space/b: page"

# L switches the course and the interface, keeping the place.
tui_keys L
tui_expect read-start.it "Alfa: il primo capitolo di prova"
tui_keys '?'
tui_expect help.it "Ovunque"
tui_keys q
tui_keys Tab j Enter
tui_expect read-beta.it "L'unica sezione"

tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0"
tui_assert_restored
progress=$(tui_progress)
grep -qx "lang it" <<<"$progress" || fail "the language was not saved: $progress"
grep -qx "where beta only" <<<"$progress" || fail "the place was not saved: $progress"
grep -qx "done chapter alpha" <<<"$progress" || fail "the chapter read was not saved: $progress"

# The next start resumes there, in Italian.
tui_start -- --content "$TUI_CONTENT" tutor
tui_expect resume.it "L'unica sezione"
tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0"

# --lang wins over the language last used.
tui_start -- --content "$TUI_CONTENT" tutor --lang en
tui_expect resume.en "The only section"
tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0"
echo "PASS"
