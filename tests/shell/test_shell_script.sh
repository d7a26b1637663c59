#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_shell_script.sh - `stanza shell < script`: the reading commands in plain text, both languages, progress
#
# No terminal and no container: commands come on stdin, one a line, and the
# answers must be plain text (no prompt, no escape codes), on the fixture
# course tests/fixtures/content-cli.
set -u
. "$(dirname "$0")/lib.sh"

C=(--content "$FIX")

# ---- reading ----
script $'help\nchapters\nread\n' "${C[@]}"
status "a script ends with status 0" 0
has "help lists the commands" "read [CHAPTER]: read the current section"
has "help tells about labs" "(type ':help' there)"
has "chapters lists the first chapter as current" "> 1. alpha: Alpha: the first fixture chapter (you are here)"
has "chapters lists the second" "  2. beta: Beta: the second fixture chapter"
has "read shows the chapter's title" "Chapter 1: Alpha: the first fixture chapter"
has "read shows the summary, wrapped" $'In one sentence: A chapter made for tests, long enough that its summary has to\nwrap across'
has "read shows the section's heading" "Section 1 of 2: Where it starts"
has "code is verbatim, never wrapped" '    $ echo "this code line is deliberately longer than eighty columns, and it must never be wrapped or cut"'
has "a note has a hanging indent" $'Note: A note with enough words in it to need a second line, so that the hanging\n      indent'
has "the footer says what comes next" "Type 'next' for the next section: Long words."
lacks "no prompt without a terminal" "stanza>"
if LC_ALL=C grep -q $'\033' "$TMP/out"; then
	fail "no escape codes without a terminal"
else
	pass "no escape codes without a terminal"
fi
width=$(awk '!/^    / { if (length($0) > m) m = length($0) } END { print m + 0 }' "$TMP/out")
if ((width <= 80)); then
	pass "prose fits in 80 columns ($width)"
else
	fail "prose fits in 80 columns: a line has $width"
fi
[[ ! -e $STATE/history ]] && pass "no history is kept without a terminal" || fail "no history without a terminal"

# ---- moving, and where the learner left off ----
script $'next\nnext\nnext\nprev\nquit\nglossary\n' "${C[@]}"
has "next goes to the next section" "Section 2 of 2: Long words"
has "next goes on into the next chapter" "Chapter 2: Beta: the second fixture chapter"
has "next at the very end says so" "This is the end of the course"
lacks "quit ends the script: nothing after it runs" "Test data kept in a file"
file_has "the place is saved" "$STATE/progress" "where alpha wide"
file_has "leaving a chapter's last section marks it read" "$STATE/progress" "done chapter alpha"
script $'read\n' "${C[@]}"
has "the next start resumes where the learner left off" "Section 2 of 2: Long words"
script $'chapters\n' "${C[@]}"
has "chapters marks what was read" "  2. beta: Beta: the second fixture chapter (read)"
has "chapters marks where the learner is" "> 1. alpha: Alpha: the first fixture chapter (read; you are here)"
script $'read 1\nread alpha\nread gamma\n' "${C[@]}"
has "read NUMBER goes to a chapter" "Chapter 1: Alpha"
if [[ $ERR == *"there is no chapter 'gamma'"* ]]; then
	pass "read of an unknown chapter is an error on stderr"
else
	fail "read of an unknown chapter: stderr '$ERR'"
fi

# ---- quiz and glossary ----
script $'read beta\nquiz\nb\nx\na\n' "${C[@]}"
has "the quiz asks each question" "Question 1 of 2: One or two?"
has "options are lettered" "  b) Two."
has "a wrong answer is explained" $'Not quite.\n  It is the second.\nThe right answer is a) One.\n  It is the first.'
has "something that is not an answer is asked again" "Answer with a letter from a to b, or q to stop."
has "a right answer is explained" $'Right.\n  Yes is right here.'
has "the quiz counts" "You answered 1 of 2 questions right."
file_has "a right answer is recorded" "$STATE/progress" "done quiz beta/two"
file_has "the option chosen is recorded" "$STATE/progress" "answer beta/one 1"
script $'glossary GREEK\nglossary\nglossary zebra\n' "${C[@]}"
has "glossary finds a term by its definition, case aside" "beta: The second letter of the Greek alphabet."
has "glossary alone lists every term" "fixture: Test data kept in a file"
has "glossary says when nothing matches" "No glossary entry matches 'zebra'."

# ---- languages ----
script $'lang\nlang it\nread alpha\nlang de\n' "${C[@]}"
has "lang says the language and the others" "Language: en (the course has: en, it)"
has "lang it switches the course" "Alfa: il primo capitolo di prova"
has "lang it switches the interface" "Lingua: it (il corso ha: en, it)"
has "headings follow the interface's language" "Capitolo 1: Alfa"
if [[ $ERR == *"'de'"* ]]; then pass "an unknown language is refused"; else fail "lang de: stderr '$ERR'"; fi
file_has "the language is saved" "$STATE/progress" "lang it"
script $'read\n' "${C[@]}"
has "the next start speaks the language last used" "Alfa: il primo capitolo di prova"
printf 'read\n' | "$STANZA" --content "$FIX" shell --lang en >"$TMP/out" 2>&1
OUT=$(<"$TMP/out")
has "--lang wins over the language last used" "Alpha: the first fixture chapter"
printf 'read\n' | STANZA_LANG=en "$STANZA" --content "$FIX" shell >"$TMP/out" 2>&1
OUT=$(<"$TMP/out")
has "STANZA_LANG wins over the language last used" "Alpha: the first fixture chapter"

# ---- progress, errors, usage ----
script $'progress\nbogus\n' "${C[@]}"
has "progress counts chapters" "Chapters read: 2 of 2"
has "progress counts the quiz" "Quiz questions answered right: 1 of 3"
if [[ $ERR == "stanza: unknown command 'bogus' (type 'help')" ]]; then
	pass "an unknown command is one line on stderr"
else
	fail "unknown command: stderr '$ERR'"
fi
status "errors do not change the exit status" 0
"$STANZA" shell --help >"$TMP/out" 2>&1
RC=$? OUT=$(<"$TMP/out")
status "shell --help" 0
has "shell --help says what it is" "Usage: stanza shell"
"$STANZA" shell --bogus >/dev/null 2>&1
RC=$?
status "an unknown option is a usage error" 2

# ---- a damaged progress file is set aside, not a crash ----
echo "garbage" >"$STATE/progress"
script $'chapters\n' "${C[@]}"
status "a damaged progress file is not fatal" 0
if [[ $ERR == *"progress.damaged-"* ]]; then pass "the damaged file is named"; else fail "damaged: '$ERR'"; fi

# ---- SIGTERM at the prompt ends the shell with 128+15 ----
mkfifo "$TMP/fifo"
"$STANZA" "${C[@]}" shell <"$TMP/fifo" >/dev/null 2>&1 &
pid=$!
exec 3>"$TMP/fifo"
sleep 0.5
kill -TERM "$pid"
wait "$pid"
RC=$?
exec 3>&-
status "SIGTERM at the prompt ends the shell with 143" 143

# ---- the real course loads ----
script $'chapters\n' --content "$STANZA_SOURCE_DIR"
has "the real course lists its chapters" "1. kernel:"

finish
