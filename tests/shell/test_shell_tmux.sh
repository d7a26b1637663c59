#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_shell_tmux.sh - `stanza shell` on a terminal (tmux): prompt, readline history, tab completion, ^C, languages
#
# Runs the real binary in a tmux window on the fixture course; no container
# is needed. History must be saved in $XDG_STATE_HOME/stanza/history.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

tmux_start "$STANZA" --content "$FIX" shell
seen "the shell greets the learner" "Type 'help' for the commands."
seen "it says where the learner is" "You are at chapter 1 (Alpha: the first fixture chapter)"
seen "a prompt" "stanza>"

# Tab completion of commands and of chapter ids.
keys -l "cha"
keys Tab
keys Enter
seen "Tab completes a command" "> 1. alpha: Alpha: the first fixture chapter (you are here)"
keys -l "read be"
keys Tab
keys Enter
seen "Tab completes a chapter id" "Chapter 2: Beta: the second fixture chapter"

# ^C drops the line being typed and gives a new prompt. (Typed only once
# the line is on the screen: keys sent before readline has its prompt sit in
# the terminal's queue, and a ^C then flushes them with the queue.)
wait_for_prompt_last "stanza>"
keys -l "glossary fixture"
wait_for "stanza> glossary fixture"
keys C-c
seen "^C drops the line" "stanza> glossary fixture^C"
type_line "glossary greek"
seen "the shell goes on after ^C" "beta: The second letter of the Greek alphabet."
if screen | grep -q "Test data kept in a file"; then
	fail "the dropped line did not run"
else
	pass "the dropped line did not run"
fi

# History: Up brings back the last line.
keys Up
keys Enter
n=0
for _ in $(seq 50); do
	n=$(screen | grep -c "beta: The second letter of the Greek alphabet.")
	((n >= 2)) && break
	sleep 0.1
done
((n >= 2)) && pass "Up recalls the last line" || fail "Up recalls the last line ($n)"

# The language switches live, the quiz answers by letter.
type_line "lang it"
seen "lang it switches the course and the interface" "Lingua: it (il corso ha: en, it)"
type_line "quiz"
seen "the quiz asks in Italian" "Uno o due?"
type_line "a"
seen "an answer is explained" "È il primo."
type_line "q"
type_line "quit"
seen "quit ends the shell with 0" "STANZA-EXIT=0"

if [[ -f $STATE/history ]] && grep -qxF "glossary greek" "$STATE/history" && grep -qxF "lang it" "$STATE/history"; then
	pass "history is saved beside the progress"
else
	fail "history is saved beside the progress: $(cat "$STATE/history" 2>&1)"
fi
if grep -qxF "glossary fixture" "$STATE/history" 2>/dev/null; then
	fail "a dropped line is not in the history"
else
	pass "a dropped line is not in the history"
fi
[[ $(stat -c %a "$STATE/history") == 600 ]] && pass "the history file is private" || fail "history mode"
file_has "the place is saved" "$STATE/progress" "where beta only"

# The next start: history from the file, and where the learner left off.
tmux_start "$STANZA" --content "$FIX" shell
seen "the next start resumes, in Italian" "Sei al capitolo 2 (Beta: il secondo capitolo di prova)"
keys Up
seen "the history of the last session comes back" "stanza> quit"
keys C-u
keys C-d
seen "^D at the prompt ends the shell" "STANZA-EXIT=0"

finish
