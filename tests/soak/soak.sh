#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# soak.sh - the soak tier: N sequential stanza runs (default 1000) mixing exits, OOM kills, timeouts, fork bombs and signals; then no leak, and stanza's fds and peak memory flat
#
# Usage: tests/soak/soak.sh [--rootless] [N]
#
#   as root              root stanza, N runs
#   as root, --rootless  the same as an unprivileged test user with cgroups
#                        delegated to it, through tests/rootless/run.sh, exactly
#                        as the rootless tier runs the integration tests
#   as anyone else       rootless stanza (the caller is the learner)
#
# The engine is tests/integration/test_22_soak.sh, which make check runs with
# 100 runs in the integration and rootless tiers; this runs it with N
# (SZIT_SOAK_RUNS). It prints, at the end: the runs per kind, the run rate,
# the leaked cgroups, mounts, state (scratch) directories and processes, and
# stanza's descriptors (while a container runs) and peak RSS (VmHWM) over the first and
# the last hundred runs; exit 0 when every run ended as it should, nothing
# leaked, and both stayed flat. docs/testing-soak.md has the figures.
#
# Environment: STANZA, STANZA_BUILD_DIR, STANZA_SOURCE_DIR (ctest sets them;
# the default is build/ of this checkout); SZIT_SOAK_REPORT=FILE also writes
# the summary to FILE; SZIT_LEARNER, the rootless tier's test user.
# `ctest -L soak` (make soak) runs it with 1000, as root and --rootless, and
# test_21_faults_kill.sh with its full 100 SIGKILLs (SZIT_SOAK_FULL=1).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOTLESS=0
if [[ ${1:-} == --rootless ]]; then
	ROOTLESS=1
	shift
fi
N=${1:-1000}
[[ $N =~ ^[1-9][0-9]*$ ]] || {
	echo "usage: $0 [--rootless] [N]" >&2
	exit 2
}
export SZIT_SOAK_RUNS=$N
: "${STANZA_SOURCE_DIR:=$(cd "$HERE/../.." && pwd)}"
: "${STANZA_BUILD_DIR:=$STANZA_SOURCE_DIR/build}"
: "${STANZA:=$STANZA_BUILD_DIR/stanza}"
export STANZA STANZA_BUILD_DIR STANZA_SOURCE_DIR
if ((ROOTLESS)) && [[ $(id -u) == 0 ]]; then
	exec bash "$STANZA_SOURCE_DIR/tests/rootless/run.sh" test_22_soak
fi
exec bash "$STANZA_SOURCE_DIR/tests/integration/test_22_soak.sh"
