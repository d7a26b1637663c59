#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_tui_quiz.sh - the quiz (a wrong answer, then the right one, recorded) and the glossary with a search
# shellcheck source=tests/tui/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

tui_start -- --content "$TUI_CONTENT" tutor
tui_wait_for "Alpha: the first fixture chapter"

# z: the chapter's quiz; the second option is wrong, the first right.
tui_keys z
tui_expect quiz.en "Which option is right?"
tui_keys j Enter
tui_expect quiz-wrong.en "Not quite"
tui_keys k Enter
tui_expect quiz-right.en "Right."
grep -qx "done quiz alpha/first" <<<"$(tui_progress)" || fail "the right answer was not recorded"

# The same, in Italian, keeps the answer.
tui_keys L
tui_expect quiz-right.it "Quale opzione è giusta?"
tui_keys L

# g: the glossary; / searches as you type, Esc clears.
tui_keys g
tui_expect glossary.en "Glossary"
tui_keys /
tui_type "beta"
tui_expect glossary-search.en "Search: beta_"
tui_keys Enter
tui_wait_for "1 of 2 terms match 'beta'"
tui_keys L
tui_expect glossary-search.it "Glossario"
tui_keys Escape
tui_wait_for "2 termini"
tui_keys / x y z Enter
tui_expect glossary-none.it "xyz"

tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0"
tui_assert_restored
echo "PASS"
