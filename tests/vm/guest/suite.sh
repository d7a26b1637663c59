#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# suite.sh - run one tier of the integration suite in the guest as ctest would on a host: leak baseline, every test, leak check
#
# Usage: suite.sh PASS SUMMARY-FILE   (as root)
#   PASS          root:     each tests/integration/test_*.sh as root (label integration);
#                 rootless: each through tests/rootless/run.sh, which runs it as the
#                           test user stanza-learner with a delegated cgroup (label rootless)
#   SUMMARY-FILE  one line per test appended: "<pass> <test> <pass|skip|fail(...)> <seconds>s"
# Environment: STANZA, STANZA_BUILD_DIR, STANZA_SOURCE_DIR as ctest sets them;
# VM_TESTS, an ERE selecting tests (empty: all).
#
# Each test's output goes to the console as it runs, prefixed by its name, then
# one "STANZA-VM-TEST: ..." line. Exit status 77 is a skip: lib.sh only exits 77
# for a skip listed for this host kind in tests/integration/expected-skips (any
# other skip fails the test), so a 77 here is an expected skip.
# test_install is left out: it installs with cmake from the build tree, and the
# guest has neither.
set -u
PASS_NAME=$1
SUMMARY=$2
IT=$STANZA_SOURCE_DIR/tests/integration
RL=$STANZA_SOURCE_DIR/tests/rootless/run.sh
: >"$SUMMARY"
cd /tmp || exit 1

case $PASS_NAME in
root) export SZIT_TIER=root ;;
rootless) export SZIT_TIER=rootless ;;
*)
	echo "suite.sh: unknown pass '$PASS_NAME'" >&2
	exit 2
	;;
esac

secs() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }'; }

report() { # NAME VERDICT SECONDS
	echo "$PASS_NAME $1 $2 ${3}s" >>"$SUMMARY"
	echo "STANZA-VM-TEST: $PASS_NAME $1 $2 ${3}s"
}

run_one() { # NAME COMMAND...
	local name=$1 t rc verdict
	shift
	echo "=== $PASS_NAME $name ($(date -u +%H:%M:%S))"
	t=$EPOCHREALTIME
	# A test that hangs past every guard of lib.sh still ends, and fails. sed
	# runs without STANZA_BUILD_DIR in its environment: leaks.sh counts any
	# process with it that is not its ancestor as a leftover of the suite.
	timeout -k 10 900 "$@" 2>&1 | env -u STANZA_BUILD_DIR sed -u "s/^/[$PASS_NAME $name] /"
	rc=${PIPESTATUS[0]}
	case $rc in
	0) verdict=pass ;;
	77) verdict=skip ;;
	124 | 137) verdict="fail(timeout-900s)" ;;
	*) verdict="fail(status-$rc)" ;;
	esac
	report "$name" "$verdict" "$(secs "$t")"
}

echo "=== $PASS_NAME suite, from cgroup $(cut -d: -f3 /proc/self/cgroup), STANZA_BUILD_DIR=$STANZA_BUILD_DIR"
if [[ $PASS_NAME == rootless && ! -f $RL ]]; then
	echo "no $RL: cannot run the rootless tier"
	report rootless_tier "fail(no-tests/rootless/run.sh)" 0
	exit 0
fi
run_one leak_baseline bash "$IT/leaks.sh" baseline
for script in "$IT"/test_*.sh; do
	name=$(basename "$script" .sh)
	[[ $name == test_install ]] && continue
	[[ -n ${VM_TESTS:-} && ! $name =~ $VM_TESTS ]] && continue
	if [[ $PASS_NAME == root ]]; then
		run_one "$name" bash "$script"
	else
		run_one "$name" bash "$RL" "$name"
	fi
done
run_one leak_check bash "$IT/leaks.sh" check
exit 0
