#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_tui_lab.sh - a lab in the TUI: a demo's live output and checks, a task's hints, the lab's shell (!), the solution
# shellcheck source=tests/tui/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The lab needs a host that runs containers (root, or user namespaces);
# `stanza lab run` says so with 77 and the reason.
status=0
reason=$("$STANZA" --content "$TUI_CONTENT" lab run alpha/try 2>&1) || status=$?
((status == 77)) && skip "this host cannot run the lab: $(tail -n 1 <<<"$reason")"
((status == 0)) || fail "the lab does not run outside the TUI: $reason"

tui_start -- --content "$TUI_CONTENT" tutor
tui_wait_for "Alpha: the first fixture chapter"

# a: the chapter's labs; Enter starts one.
tui_keys a
tui_expect lab-choose.en "Try the fixture"
tui_keys Enter
tui_expect lab-up.en "Press Enter to run it."

# Enter runs the demo: its output and its checks.
tui_keys Enter
tui_expect lab-demo.en "✓ Done."

# The task: two hints, a check that fails.
tui_keys n h h h
tui_expect lab-hints.en "That was the last hint"
tui_keys Enter
tui_expect lab-task-fails.en "✗ Not yet"

# !: the lab's shell on the whole terminal; what is typed there counts.
tui_keys '!'
tui_wait_for "[alpha/try] root@lab:/#"
tui_type "sleep 60"
tui_keys Enter
sleep 0.5
tui_keys C-c # interrupts the command, not stanza: the next one runs at once
tui_settle
[[ ! -e $TUI_TMP/status ]] || fail "Ctrl-C in the lab's shell ended stanza"
tui_type "cd /tmp && touch done"
tui_keys Enter
tui_wait_for "[alpha/try] root@lab:/tmp#"
tui_type "exit"
tui_keys Enter
tui_wait_for "Back from the lab's shell"
tui_keys Enter
tui_expect lab-task-passes.en "Every step of this lab is done."
grep -qx "done lab alpha/try" <<<"$(tui_progress)" || fail "the lab was not recorded as done"

# The same lab in Italian; Esc twice leaves it.
tui_keys L
tui_expect lab-task-passes.it "Prova la fixture"
tui_keys Escape
tui_wait_for "Esc"
tui_keys Escape
tui_expect lab-left.it "Scegli un laboratorio"

# Again, solved by the solution: s asks first, s again types it.
tui_keys Enter
tui_wait_for "Premi Invio"
tui_keys n s
tui_wait_for "s di nuovo"
tui_keys s
tui_expect lab-solution.it "touch /tmp/done"

tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0"
tui_assert_restored
no_leftovers() {
	local left
	left=$(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'stanza-lab-try-*' 2>/dev/null)
	[[ -z $left ]] || fail "$1: the lab's work directory is left: $left"
}
no_leftovers "after q"

# SIGTERM while a lab is up: the lab is torn down, the terminal given back.
tui_start -- --content "$TUI_CONTENT" tutor --lang en
tui_wait_for "Alpha: the first fixture chapter"
tui_keys a Enter
tui_wait_for "Press Enter to run it."
kill -TERM "$(tui_pid)"
[[ $(tui_wait_exit) == 143 ]] || fail "SIGTERM with a lab up did not exit 143"
tui_assert_restored
no_leftovers "after SIGTERM"
echo "PASS"
