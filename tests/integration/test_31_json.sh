#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_31_json.sh - every JSON stanza prints is read back by a strict parser
#
# `stanza doctor --json`, `lab list --json` and `progress --json` (each with
# nothing recorded and with records), and the reports of `lab verify --format
# json` and `lab run --format json` on one quick lab: each must be one JSON
# value that python3's json module accepts, duplicate keys refused, with the
# members a reader relies on. Where python3 is missing (the vm guest), jq:
# exactly one value, valid, but jq keeps the last of duplicate keys. And the
# same lab told to a learner: checks by their labels, raw only with --verbose. (Bytes that
# are not UTF-8 are mended before they are written: tests/unit/test_json.c.)
. "$(dirname "$0")/lib.sh"

CONTENT=$STANZA_SOURCE_DIR
LAB=namespaces/uts
export XDG_STATE_HOME=$SZIT_TMP/state

if command -v python3 >/dev/null; then
	strict() { python3 -c 'import json, sys; json.load(sys.stdin, object_pairs_hook=lambda p: dict(p) if len({k for k, _ in p}) == len(p) else sys.exit("duplicate key"))'; }
elif command -v jq >/dev/null; then
	strict() { jq -e -s 'length == 1' >/dev/null; }
else
	skip "neither python3 nor jq to read JSON with"
fi

# NAME EXPECTED-STATUS ERE STANZA-ARGS...: run stanza, then check status, parse and content.
check_json() {
	local name=$1 want=$2 ere=$3 out status
	shift 3
	out=$("$STANZA" "$@" 2>"$SZIT_TMP/err")
	status=$?
	assert_eq "$name: exit status" "$want" "$status"
	if strict <<<"$out" 2>"$SZIT_TMP/parse"; then
		pass "$name: valid JSON"
	else
		fail "$name: not valid JSON: $(head -c 300 "$SZIT_TMP/parse")"
		head -c 2000 <<<"$out" | sed 's/^/#   /'
	fi
	assert_match "$name: content" "$ere" "$out"
}

check_json "doctor --json" 0 '"can_run": true,' doctor --json
check_json "lab list --json" 0 "\"id\": \"$LAB\"" --content "$CONTENT" lab list --json
check_json "progress --json, nothing recorded" 0 '"records": \{' --content "$CONTENT" progress --json

check_json "lab verify --format json" 0 '"summary": \{"pass": 1, "fail": 0, "skip": 0,' \
	--content "$CONTENT" lab verify "$LAB" --format json
count_run
check_json "lab run --format json" 0 "\"id\": \"$LAB\"" --content "$CONTENT" lab run "$LAB" --format json
count_run
check_json "lab run --format json --lang it: each check with its label" 0 \
	'"check": "ns-differs: uts", "label": "il container ha un suo UTS namespace", "status": "pass"' \
	--content "$CONTENT" lab run "$LAB" --format json --lang it
count_run

# A learner sees what a check verified, in their language, and the check as
# written only with --verbose.
out=$("$STANZA" --content "$CONTENT" lab run "$LAB" --lang it 2>&1)
assert_eq "lab run --lang it: exit status" 0 "$?"
assert_match "lab run --lang it: a check by its Italian label" \
	'✓ il nome host del container è quello dato da stanza' "$out"
assert_no_match "lab run --lang it: no check as written" '(hostname: \^|ns-differs: |stdout(-not)?: |exit: [0-9])' "$out"
out=$("$STANZA" --content "$CONTENT" lab run "$LAB" --lang it --verbose 2>&1)
assert_match "lab run --verbose: the check as written under its label" \
	$'✓ il container ha un suo UTS namespace\n    ns-differs: uts' "$out"
count_run

# A failed check is told by its label too, in the step's and the lab's verdict:
# a copy of the course whose first UTS check cannot pass.
BROKEN=$SZIT_TMP/broken
mkdir -p "$BROKEN"
cp -r "$CONTENT/lessons" "$CONTENT/labs" "$BROKEN/"
sed -i "0,/- stdout: '\\^lab\\$'/s//- stdout: '^nowhere$'/" "$BROKEN/labs/$LAB.yaml"
grep -q "nowhere" "$BROKEN/labs/$LAB.yaml" || fail "could not break the copy of $LAB"
out=$("$STANZA" --content "$BROKEN" lab run "$LAB" --lang it 2>&1)
assert_eq "lab run, a check fails: exit status" 1 "$?"
assert_match "lab run, a check fails: the step's verdict names its label" \
	"Questo passo è fallito: .*'è stato stampato il nome host del container'" "$out"
assert_no_match "lab run, a check fails: no check as written" "nowhere" "$out"
out=$("$STANZA" --content "$BROKEN" lab run "$LAB" --lang it --verbose 2>&1)
assert_match "lab run --verbose, a check fails: the check as written in the verdict" \
	"Questo passo è fallito: .*stdout: \\^nowhere" "$out"
count_run

# Records of every kind, some of them for things the course does not have.
mkdir -p "$XDG_STATE_HOME/stanza"
printf 'stanza-progress 1\nlang it\nwhere kernel start\ndone chapter kernel\ndone lab %s\ndone quiz odd/q\nanswer odd/q 1\n' \
	"$LAB" >"$XDG_STATE_HOME/stanza/progress"
check_json "progress --json with records" 0 "\"labs\": \\[\"$LAB\"\\]" --content "$CONTENT" progress --json
check_json "lab list --json with a lab done" 0 "\"id\": \"$LAB\", [^}]*\"done\": true" \
	--content "$CONTENT" lab list --json
finish
