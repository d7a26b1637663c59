#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_14_exec.sh - create/exec/destroy and the lab's shell session against real containers, as root and as a learner
#
# The checks are a C program, tests/unit/test_exec.c (the runtime's library
# API has no command of its own): `test_exec --containers` creates containers
# from this build's image, runs commands and sessions in them from inside the
# library, and looks at them from the host. Its TAP output becomes this
# script's assertions. Run as root, the script then runs itself once more as
# the rootless tier's test user, through tests/rootless/run.sh (which stages
# the image, delegates a cgroup, and fails on anything left behind), with the
# program copied where that user can read it (SZIT_EXEC_TEST).
. "$(dirname "$0")/lib.sh"

BIN=${SZIT_EXEC_TEST:-$STANZA_BUILD_DIR/tests/test_exec}
[[ -x $BIN ]] || skip "no $BIN: the exec tests are a C program of the build tree" \
	"(tests/unit/test_exec.c), which a staged copy of stanza does not include"

# The containers test_exec makes (for the suite's count of runs).
EXEC_RUNS=7

# Run the program; each TAP line becomes an assertion of this script.
run_exec_tests() { # WHO
	local who=$1 limits=0 out rc line n=0
	limits_available && limits=1
	for ((i = 0; i < EXEC_RUNS; i++)); do count_run; done
	out=$(SZIT_EXEC_LIMITS=$limits CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 5 300 "$BIN" --containers 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*) pass "$who: ${line#ok * - }"; n=$((n + 1)) ;;
		"not ok "*) fail "$who: ${line#not ok * - }"; n=$((n + 1)) ;;
		*) [[ -n $line ]] && echo "#   $line" ;;
		esac
	done <<<"$out"
	assert_eq "$who: test_exec exits 0 (limits: $limits)" 0 "$rc"
	assert_le "$who: test_exec ran its 21 checks" "$n" 21
}

if ((ROOTLESS)); then
	run_exec_tests "rootless ($LEARNER)"
	finish
fi

run_exec_tests root
# As a learner, unless this is already that run.
if [[ -z ${SZIT_EXEC_TEST:-} ]]; then
	cp "$BIN" "$SZIT_TMP/test_exec" && chmod 755 "$SZIT_TMP/test_exec"
	out=$(SZIT_EXEC_TEST=$SZIT_TMP/test_exec bash "$STANZA_SOURCE_DIR/tests/rootless/run.sh" "$TEST_NAME" 2>&1)
	rc=$?
	printf '%s\n' "$out" | sed 's/^/#   rootless| /'
	assert_eq "the same checks as the rootless tier's test user (tests/rootless/run.sh)" 0 "$rc"
	assert_match "... where they ran rootless" 'ok - rootless \(' "$out"
fi
finish
