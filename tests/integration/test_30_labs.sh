#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_30_labs.sh - every lab of the course, as CI plays it: `stanza lab verify --all`
#
# Each task's checks must fail before its reference solution and pass after,
# each demo's expectations must hold (and isolation demos must differ on the
# host). A lab that cannot run here is a skip with its reason; the skips
# expected on each kind of host are listed in expected-lab-skips, and any
# other skip, or a missing one, fails. Lab mechanics do not depend on the
# language (`stanza lessons check` proves every step has its text in each).
. "$(dirname "$0")/lib.sh"

CONTENT=$STANZA_SOURCE_DIR
[[ -d $CONTENT/labs ]] || skip "no labs/ in '$CONTENT'"

t0=$(now_ms)
out=$("$STANZA" --content "$CONTENT" lab verify --all --format tap 2>"$SZIT_TMP/verify.err")
status=$?
t1=$(now_ms)
note "lab verify --all: status $status in $((t1 - t0)) ms ($HOST_KIND)"
count_run

tap_plan=$(grep -E '^1\.\.[0-9]+$' <<<"$out")
assert_match "the report is TAP 13 with a plan" '^1\.\.[1-9][0-9]*$' "$tap_plan"
assert_eq "no step failed" "" "$(grep -E '^not ok' <<<"$out")"
if ((status != 0)); then
	fail "lab verify exited $status"
	sed 's/^/#   /' "$SZIT_TMP/verify.err" | tail -n 30
	grep -E -A6 '^not ok' <<<"$out" | sed 's/^/#   /' | head -n 80
else
	pass "lab verify exited 0"
fi

# Labs skipped, as "lab reason" (a skipped lab's steps all carry its reason).
skipped=$(sed -nE 's/^ok [0-9]+ - ([a-z0-9-]+\/[a-z0-9-]+)[/ ].*# SKIP (.*)$/\1/p' <<<"$out" | sort -u)
expected=$(while read -r kind lab rest; do
	[[ -z $kind || $kind == \#* ]] && continue
	# shellcheck disable=SC2053
	[[ $HOST_KIND == $kind ]] && echo "$lab"
done <"$SZIT_DIR/expected-lab-skips" | sort -u)
for lab in $skipped; do
	reason=$(grep -m1 -E "^ok [0-9]+ - $lab[/ ].*# SKIP" <<<"$out" | sed 's/.*# SKIP //')
	if grep -qx "$lab" <<<"$expected"; then
		pass "$lab skipped as expected on $HOST_KIND: $reason"
	else
		fail "unexpected skip of $lab on $HOST_KIND: $reason (not in tests/integration/expected-lab-skips)"
	fi
done
for lab in $expected; do
	grep -qx "$lab" <<<"$skipped" || fail "$lab was expected to skip on $HOST_KIND, and ran"
done
ran=$(grep -cE '^ok [0-9]+ - [^#]*$' <<<"$out")
assert_match "steps ran and passed" '^[1-9][0-9]*$' "$ran"
finish
