#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_lessons_cli.sh - `stanza lessons` and `stanza progress` from the outside: languages, text layout, progress file
#
# Environment (set by tests/CMakeLists.txt): STANZA, the binary; STANZA_SOURCE_DIR.
# Reads the fixture course tests/fixtures/content-cli (two chapters, English
# and Italian) for exact checks, and the real course for a smoke test. The
# learner's progress goes to a temporary XDG_STATE_HOME. Prints "ok - ..." or
# "not ok - ..." per check and exits 1 if any failed.
set -u

: "${STANZA_SOURCE_DIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${STANZA:=$STANZA_SOURCE_DIR/build/stanza}"
FIX=$STANZA_SOURCE_DIR/tests/fixtures/content-cli
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_lessons_cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# A known environment: English C.UTF-8 locale, no language or content chosen.
unset STANZA_LANG STANZA_CONTENT LC_ALL LC_MESSAGES LANGUAGE NO_COLOR
export LANG=C.UTF-8
export XDG_STATE_HOME=$TMP/state
STATE=$XDG_STATE_HOME/stanza/progress

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	FAILED=1
}

# sz [VAR=VALUE...] -- ARG...: run stanza; OUT, ERR and RC hold what it did.
sz() {
	local env=()
	while [[ $1 != -- ]]; do
		env+=("$1")
		shift
	done
	shift
	env "${env[@]}" "$STANZA" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(<"$TMP/out") ERR=$(<"$TMP/err")
}

expect() { # DESCRIPTION RC STDOUT-REGEX
	if [[ $RC == "$2" && $OUT =~ $3 ]]; then
		pass "$1"
	else
		fail "$1: exit $RC (want $2), stdout: '${OUT:0:300}' (want /$3/), stderr: '$ERR'"
	fi
}

expect_not() { # DESCRIPTION FIXED-STRING: stdout lacks it
	if [[ $OUT != *"$2"* ]]; then
		pass "$1"
	else
		fail "$1: stdout has '$2'"
	fi
}

# Bad usage: exit 2, nothing on stdout, one line on stderr "stanza: ..." matching REGEX.
expect_usage() { # DESCRIPTION STDERR-REGEX
	if [[ $RC == 2 && -z $OUT && $ERR == stanza:* && $ERR =~ $2 && $(wc -l <"$TMP/err") == 1 ]]; then
		pass "$1"
	else
		fail "$1: exit $RC (want 2), stdout: '$OUT', stderr: '$ERR' (want one line /$2/)"
	fi
}

no_escapes() { # DESCRIPTION
	if grep -q $'\x1b' "$TMP/out"; then
		fail "$1: escape codes in output that is not a terminal"
	else
		pass "$1"
	fi
}

# Every line of stdout at most 80 display columns, except code lines: those
# may be wider, and must then appear verbatim in one of the files given.
fits_80() { # DESCRIPTION SOURCE-FILE...
	local desc=$1 line bad=
	shift
	while IFS= read -r line; do
		(($(printf '%s' "$line" | wc -L) <= 80)) && continue
		[[ $line == "    "* ]] && grep -qF -- "${line:4}" "$@" && continue
		bad=$line
		break
	done < <(awk 'length($0) > 80' "$TMP/out")
	if [[ -z $bad ]]; then
		pass "$desc"
	else
		fail "$desc: a line wider than 80 columns that is not code: '$bad'"
	fi
}

# ---- languages ------------------------------------------------------------

sz -- --content "$FIX" lessons list
expect "list in English by default" 0 '1  alpha  Alpha: the first fixture chapter'
expect "list shows every chapter" 0 '2  beta   Beta: the second fixture chapter'
no_escapes "list: no escape codes when not a terminal"
fits_80 "list: no line over 80 columns"

sz -- --content "$FIX" --lang it lessons list
expect "--lang it before the command: Italian titles" 0 'Alfa: il primo capitolo di prova'
expect "--lang it: the interface is Italian too" 0 '87 parole'
sz -- --content "$FIX" lessons list --lang it
expect "--lang it after the command: Italian titles" 0 'Alfa: il primo capitolo di prova'
sz -- --content "$FIX" lessons list --lang=it
expect "--lang=it after the command" 0 'Alfa: il primo capitolo di prova'
sz STANZA_LANG=it -- --content "$FIX" lessons list
expect "STANZA_LANG=it: Italian titles" 0 'Alfa: il primo capitolo di prova'
sz LANG=it_IT.UTF-8 -- --content "$FIX" lessons list
expect "LANG=it_IT.UTF-8 (not installed): Italian titles" 0 'Alfa: il primo capitolo di prova'
sz LC_MESSAGES=it_IT.UTF-8 -- --content "$FIX" lessons list
expect "LC_MESSAGES=it_IT.UTF-8: Italian titles" 0 'Alfa: il primo capitolo di prova'
sz LANG=it_IT.UTF-8 LC_ALL=C -- --content "$FIX" lessons list
expect "LC_ALL=C wins over LANG: English" 0 'Alpha: the first fixture chapter'
sz STANZA_LANG=it -- --content "$FIX" --lang en lessons list
expect "--lang wins over STANZA_LANG" 0 'Alpha: the first fixture chapter'
sz STANZA_LANG=en LANG=it_IT.UTF-8 -- --content "$FIX" lessons list
expect "STANZA_LANG wins over LANG" 0 'Alpha: the first fixture chapter'
sz LANG=de_DE.UTF-8 -- --content "$FIX" lessons list
expect "a locale the course lacks (de): English" 0 'Alpha: the first fixture chapter'
sz LANG=C -- --content "$FIX" --lang it lessons list
expect "--lang it in the C locale: still Italian" 0 '87 parole'

sz -- --content "$FIX" --lang xx lessons list
expect_usage "--lang xx: exit 2 naming the languages" "unknown language 'xx' .*en, it"
sz -- --content "$FIX" lessons list --lang xx
expect_usage "lessons list --lang xx: exit 2" "unknown language 'xx'"
sz STANZA_LANG=xx -- --content "$FIX" lessons list
expect_usage "STANZA_LANG=xx: exit 2 naming the variable" "STANZA_LANG"
sz -- --content "$FIX" --lang ../en lessons list
expect_usage "--lang ../en: not a language" "unknown language"
sz -- --content "$FIX" lessons list --lang
expect_usage "--lang without a value" "--lang"

# ---- show -----------------------------------------------------------------

sz -- --content "$FIX" lessons show alpha
expect "show by id" 0 '^1\. Alpha: the first fixture chapter'
BY_ID=$OUT
expect "show: the summary in one sentence" 0 'In one sentence: A chapter made for tests'
expect "show: section headings" 0 $'Where it starts\n---------------'
expect "show: code verbatim, indented" 0 $'\n    \\$ echo "this code line is deliberately longer than eighty columns, and it must never be wrapped or cut"\n'
expect "show: a labelled note with a hanging indent" 0 $'  Note: A note with enough words in it to need a second line, so that the\n        hanging'
expect "show: a tip" 0 '  Tip: Try it yourself\.'
expect "show: inline code keeps its backticks" 0 '`inline code`'
expect "show: the quiz" 0 $'  1\\. Which option is right\\?\n      a\\) The first one\\.\n      b\\) The second one\\.'
expect_not "show: the quiz gives no answer away" "Because the fixture"
expect "show: the glossary" 0 $'  fixture\n      Test data kept in a file'
expect "show: the labs" 0 'alpha/try: Try the fixture'
no_escapes "show: no escape codes when not a terminal"
fits_80 "show: no line over 80 columns but code" "$FIX"/lessons/en/*.yaml
sz NO_COLOR= TERM=xterm -- --content "$FIX" lessons show 1
expect "show by number" 0 '^1\. Alpha'
if [[ $OUT == "$BY_ID" ]]; then pass "show 1 = show alpha"; else fail "show 1 differs from show alpha"; fi

sz -- --content "$FIX" --lang it lessons show 1
expect "show in Italian: labels translated" 0 'In una frase: Un capitolo fatto per i test'
expect "show in Italian: Nota" 0 '  Nota: Una nota'
fits_80 "show in Italian (accented letters are one column): no line over 80 but code" "$FIX"/lessons/it/*.yaml
sz -- --content "$FIX" lessons show gamma
expect_usage "show an unknown chapter: exit 2" "gamma"
sz -- --content "$FIX" lessons show
expect_usage "show without a chapter: exit 2" "chapter"
sz -- --content "$FIX" lessons show alpha beta
expect_usage "show with two chapters: exit 2" "beta"

# ---- content ----------------------------------------------------------------

sz STANZA_CONTENT="$FIX" -- lessons list
expect "STANZA_CONTENT points at another course" 0 'Alpha: the first fixture chapter'
sz -- --content "$TMP/nowhere" lessons list
expect_usage "--content without lessons/: exit 2" "nowhere"
sz -- --content
expect_usage "--content without a value: exit 2" "--content"

# The real course: it loads in both languages, and they differ.
sz -- lessons list
REAL_EN=$OUT
expect "the real course lists in English" 0 '^ +1  [a-z]'
sz -- --lang it lessons list
expect "the real course lists in Italian" 0 '^ +1  [a-z]'
if [[ -n $REAL_EN && $OUT != "$REAL_EN" ]]; then pass "the real course differs by language"; else fail "the real course: English and Italian lists are the same"; fi
for lang in en it; do
	for f in "$STANZA_SOURCE_DIR"/lessons/$lang/[0-9]*.yaml; do
		id=$(basename "$f" .yaml)
		id=${id#*-}
		sz -- --lang "$lang" lessons show "$id"
		if [[ $RC != 0 ]]; then
			fail "the real course: show $id ($lang): exit $RC: $ERR"
			continue
		fi
		no_escapes "the real course: show $id ($lang): no escape codes"
		fits_80 "the real course: show $id ($lang): no line over 80 columns but code" "$f"
	done
done

# ---- help -----------------------------------------------------------------

for args in "lessons --help" "lessons list --help" "lessons show --help" "progress --help" "--help"; do
	# shellcheck disable=SC2086 # (split on purpose)
	sz -- --content "$FIX" $args
	expect "$args" 0 '^Usage: stanza'
done
sz -- --content "$FIX" lessons
if [[ $RC == 2 && $ERR == Usage:* ]]; then pass "lessons alone: usage on stderr, exit 2"; else fail "lessons alone: exit $RC"; fi
sz -- --content "$FIX" lessons bogus
expect_usage "lessons bogus: exit 2" "bogus"
sz -- --content "$FIX" lessons list --bogus
expect_usage "lessons list --bogus: exit 2" "--bogus"

# ---- progress ---------------------------------------------------------------

sz -- --content "$FIX" progress --json
expect "progress --json with nothing recorded" 0 '"chapters": \{"done": 0, "total": 2\}'
expect "progress --json: quiz totals" 0 '"quiz": \{"done": 0, "total": 3\}'
expect "progress --json: lab step totals" 0 '"steps": \{"done": 0, "total": 2\}'
[[ ! -e $STATE ]] && pass "reading progress creates no file" || fail "reading progress created $STATE"

mkdir -p "$(dirname "$STATE")"
printf '%s\n' 'stanza-progress 1' 'course 0.1.0' 'lang it' 'where alpha start' 'done chapter alpha' \
	'done quiz alpha/first' 'done quiz beta/one' 'done step alpha/try/one' 'answer alpha/first 0' >"$STATE"
sz -- --content "$FIX" progress --json
expect "progress --json: chapters done" 0 '"chapters": \{"done": 1, "total": 2\}'
expect "progress --json: quiz done" 0 '"quiz": \{"done": 2, "total": 3\}'
expect "progress --json: steps done" 0 '"steps": \{"done": 1, "total": 2\}'
expect "progress --json: where" 0 '"where": \{"chapter": "alpha", "section": "start"\}'
expect "progress --json: per chapter" 0 '\{"id": "alpha", "number": 1, "title": "Alpha: the first fixture chapter", "done": true,'
expect "progress --json: answers" 0 '"answers": \{"alpha/first": 0\}'
sz -- --content "$FIX" progress
expect "progress: the summary" 0 'chapters done: +1 of 2'
expect "progress: per chapter" 0 '1  alpha  quiz 1/1, labs 0/1, steps 1/2, done'
sz -- --content "$FIX" lessons list
expect "lessons list marks the chapter done" 0 'Alpha: the first fixture chapter +82 words  done'
expect "lessons list counts it" 0 'Chapters done: 1 of 2\.'

sz -- --content "$FIX" progress --reset alpha
expect "progress --reset alpha" 0 "Forgot 4 records under 'alpha'"
if grep -q alpha "$STATE" || ! grep -qx 'done quiz beta/one' "$STATE"; then
	fail "--reset alpha: the file is wrong: $(tr '\n' '|' <"$STATE")"
else
	pass "--reset alpha forgets alpha only"
fi
[[ $(ls -A "$(dirname "$STATE")") == progress ]] && pass "no temporary file left" || fail "left: $(ls -A "$(dirname "$STATE")")"
sz -- --content "$FIX" progress --reset alpha
expect "progress --reset with nothing to forget" 0 "Nothing to forget"
sz -- --content "$FIX" progress --reset 'Not An Id'
expect_usage "progress --reset with a bad id: exit 2" "Not An Id"
sz -- --content "$FIX" progress --reset alpha --reset-all
expect_usage "--reset and --reset-all together: exit 2" "--reset"
sz -- --content "$FIX" progress --reset-all
expect "progress --reset-all" 0 "Forgot 1 record"
if [[ $(<"$STATE") == $'stanza-progress 1\ncourse 0.1.0\nlang it' ]]; then pass "--reset-all keeps only the header"; else fail "--reset-all left: $(<"$STATE")"; fi
sz -- --content "$FIX" --lang it progress --reset-all
expect "progress in Italian" 0 "Niente da dimenticare"

printf 'this is not a progress file\n' >"$STATE"
sz -- --content "$FIX" progress --json
expect "a damaged file: progress still works" 0 '"chapters": \{"done": 0, "total": 2\}'
if [[ $ERR =~ damaged.*progress\.damaged- ]]; then pass "a damaged file: the learner is told"; else fail "a damaged file: stderr '$ERR'"; fi
aside=("$(dirname "$STATE")"/progress.damaged-*)
if [[ -f ${aside[0]} && $(<"${aside[0]}") == 'this is not a progress file' && ! -e $STATE ]]; then
	pass "a damaged file is moved aside, whole"
else
	fail "a damaged file: $(ls -A "$(dirname "$STATE")")"
fi

exit "$FAILED"
