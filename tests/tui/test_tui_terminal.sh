#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_tui_terminal.sh - resizes, too small a terminal, NO_COLOR, signals and a terminal always given back
# shellcheck source=tests/tui/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Colours on a terminal that has them.
tui_start -- --content "$TUI_CONTENT" tutor
tui_expect read-start.en "Alpha: the first fixture chapter"
tui_has_color || fail "no colours on a colour terminal"

# `stanza` alone on a terminal is the TUI; NO_COLOR changes no text, only the colours.
tui_start NO_COLOR=1 -- --content "$TUI_CONTENT"
tui_expect read-start.en "Alpha: the first fixture chapter"
tui_has_color && fail "colours with NO_COLOR set"

# Smaller than 80x24: a clear message, in the learner's language; back to
# a bigger size, the page again (laid out for the new width).
tui_resize 70 20
tui_expect too-small.en "Please make it bigger."
tui_resize 120 30
tui_expect wide.en "Alpha: the first fixture chapter"
tui_resize 100 30
tui_expect read-start.en "Alpha: the first fixture chapter"
tui_keys L
tui_wait_for "italiano"
tui_resize 79 30
tui_expect too-small.it "ingrandiscilo"
tui_resize 100 30
tui_wait_for "italiano"
tui_keys L
tui_wait_for "English"

# A monochrome terminal: no colours, lines drawn with its own characters.
tui_start TERM=vt100 -- --content "$TUI_CONTENT" tutor
tui_expect read-start-vt100.en "Alpha: the first fixture chapter"
tui_has_color && fail "colours on a vt100"
tui_keys q
[[ $(tui_wait_exit) == 0 ]] || fail "q did not exit 0 on a vt100"

# Each signal that ends stanza: the terminal is given back, the status is 128+N.
for sig in TERM INT HUP; do
	tui_start -- --content "$TUI_CONTENT" tutor
	tui_wait_for "Alpha: the first fixture chapter"
	kill -s "$sig" "$(tui_pid)"
	status=$(tui_wait_exit)
	expected=$((128 + $(kill -l "$sig")))
	[[ $status == "$expected" ]] || fail "SIG$sig: exit status $status, not $expected"
	tui_assert_restored
	tui_capture | grep -q "Alpha: the first" && fail "SIG$sig: the TUI is still on the screen"
	echo "ok SIG$sig"
done

# The terminal goes away (its window closed): stanza ends on the hangup.
tui_start -- --content "$TUI_CONTENT" tutor
tui_wait_for "Alpha: the first fixture chapter"
tui_hangup || exit 1
echo "ok hangup"

# Ctrl-C at the keyboard is SIGINT.
tui_start -- --content "$TUI_CONTENT" tutor
tui_wait_for "Alpha: the first fixture chapter"
tui_keys C-c
[[ $(tui_wait_exit) == 130 ]] || fail "Ctrl-C did not end stanza with 130"
tui_assert_restored
echo "ok Ctrl-C"

# Without a terminal: no curses, a clear sentence; `stanza` alone prints its usage.
out=$("$STANZA" --content "$TUI_CONTENT" tutor </dev/null 2>&1) && fail "tutor without a terminal did not fail"
grep -q "needs a terminal" <<<"$out" || fail "tutor without a terminal: $out"
[[ $out != *$'\033'* ]] || fail "escape codes without a terminal"
out=$("$STANZA" --content "$TUI_CONTENT" </dev/null 2>&1) || fail "stanza alone without a terminal failed"
grep -q "^Usage: stanza" <<<"$out" || fail "stanza alone without a terminal: $out"

# A course that does not load: the error is said on a terminal that works.
mkdir -p "$TUI_TMP/broken/lessons/en"
printf 'id: alpha\ntitle: [\n' >"$TUI_TMP/broken/lessons/en/01-alpha.yaml"
tui_start -- --content "$TUI_TMP/broken" tutor
[[ $(tui_wait_exit) == 1 ]] || fail "a broken course did not exit 1"
tui_assert_restored
tui_capture | grep -q "the course has 1 problem" || fail "the course's problem was not shown: $(tui_capture)"
echo "PASS"
