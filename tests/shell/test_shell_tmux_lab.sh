#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_shell_tmux_lab.sh - a lab on a terminal (tmux): the lab's prompt, a task solved by typing, ^C, vi, ^D
#
# Needs a container (root, or user namespaces for a rootless stanza) and
# tmux: skips with the reason otherwise. Uses the lab box/hello of
# tests/shell/content.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

C=(--content "$STANZA_SOURCE_DIR/tests/shell/content")
lab_runnable "${C[@]}" box/hello

tmux_start "$STANZA" "${C[@]}" shell
seen "the shell starts" "stanza>"
type_line "lab start box/hello"
seen "the demo runs on its own" "  passed: the host name lab was printed" 20
seen "the prompt says which lab, who and where" "[box/hello] root@lab:/#"

# Tab completes the meta-commands.
keys -l ":ne"
keys Tab
keys Enter
seen "Tab completes a meta-command; the task is shown" "Step 2 of 3 (task): make-file"

# The task, solved by typing.
type_line ":check"
seen "a check before the work fails" "Not done yet. Type :hint for a hint."
type_line "echo ok > /tmp/done.txt"
type_line ":check"
seen "the work passes the check" "  passed: /tmp/done.txt holds ok"
seen "and the step is done" "Step done. Type :next for the next step."
type_line ":next"
type_line "cd /etc"
seen "the prompt follows cd" "[box/hello] root@lab:/etc#"
type_line "pwd"
type_line ":check"
seen "cd carried over to the next line" "  passed: pwd printed /etc"
seen "the lab is done" "Every step of the lab is done."

# ^C interrupts the command in the container, not stanza.
type_line "sleep 30"
sleep 1
keys C-c
type_line 'echo "status=$?"'
seen "^C interrupts the command only" "status=130" 5

# A command that reads what the learner types.
type_line 'read x; echo "got=$x"'
sleep 0.5
type_line "hello there"
seen "a command reads the learner's typing" "got=hello there"

# A full-screen program gets the terminal and gives it back.
type_line "vi /tmp/v.txt"
seen "vi takes the screen" "/tmp/v.txt"
sleep 0.5
keys i
keys -l "written in vi"
sleep 0.3
keys Escape
sleep 0.5
keys -l ":wq"
sleep 0.3
keys Enter
sleep 0.5
type_line "cat /tmp/v.txt"
seen "vi wrote the file and gave the terminal back" "written in vi"

# ^C at the lab's prompt drops the line; ^D leaves the lab. (Typed once the
# prompt waits, and ^C once readline has the line: see test_shell_tmux.sh.)
wait_for_prompt_last "\[box/hello\] root@lab:*#"
keys -l "echo dropped"
wait_for "# echo dropped"
keys C-c
seen "^C drops the line at the lab's prompt" "echo dropped^C"
keys C-d
seen "^D leaves the lab" "You left the lab; its container is gone."
type_line "progress"
seen "the lab is recorded" "Labs done: 1 of 1"
type_line "quit"
seen "the shell ends with 0" "STANZA-EXIT=0"
file_has "the learner's steps are recorded" "$STATE/progress" "done lab box/hello"
if grep -qxF "echo ok > /tmp/done.txt" "$STATE/history"; then
	pass "lab lines are in the history"
else
	fail "lab lines are in the history"
fi

finish
