#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - what the shell tests share: the binary, a private XDG_STATE_HOME, checks that print "ok" or "not ok"
#
# Environment (set by tests/CMakeLists.txt): STANZA, the binary; STANZA_SOURCE_DIR.
# Source it; each check prints "ok - ..." or "not ok - ..."; end with
# `finish`, which exits 1 when a check failed. `skip REASON` exits 77.

: "${STANZA_SOURCE_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${STANZA:=$STANZA_SOURCE_DIR/build/stanza}"
FIX=$STANZA_SOURCE_DIR/tests/fixtures/content-cli
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stanza-shell-test.XXXXXX")
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT

# A known environment: English C.UTF-8 locale, no language or content chosen.
unset STANZA_LANG STANZA_CONTENT LC_ALL LC_MESSAGES LANGUAGE NO_COLOR
export LANG=C.UTF-8
export XDG_STATE_HOME=$TMP/state
STATE=$XDG_STATE_HOME/stanza

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	FAILED=1
}
skip() {
	echo "skip: $1"
	exit 77
}
finish() {
	((FAILED == 0)) && echo "all passed"
	exit "$FAILED"
}

# script TEXT [ARG...]: `stanza ARG... shell` with TEXT on stdin; OUT, ERR, RC.
script() {
	local text=$1
	shift
	printf '%s' "$text" | "$STANZA" "$@" shell >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(<"$TMP/out") ERR=$(<"$TMP/err")
}

has() { # DESCRIPTION FIXED-STRING: stdout has it
	if [[ $OUT == *"$2"* ]]; then
		pass "$1"
	else
		fail "$1: stdout lacks '$2'; stdout: '${OUT:0:600}' stderr: '$ERR'"
	fi
}

lacks() { # DESCRIPTION FIXED-STRING
	if [[ $OUT != *"$2"* ]]; then
		pass "$1"
	else
		fail "$1: stdout has '$2'"
	fi
}

status() { # DESCRIPTION WANT
	if [[ $RC == "$2" ]]; then
		pass "$1"
	else
		fail "$1: exit $RC, want $2; stderr: '$ERR'"
	fi
}

file_has() { # DESCRIPTION FILE LINE: FILE has LINE whole
	if [[ -f $2 ]] && grep -qxF -- "$3" "$2"; then
		pass "$1"
	else
		fail "$1: '$2' lacks the line '$3': $(cat "$2" 2>&1)"
	fi
}

# Whether this host can run a lab: `stanza lab list` says "cannot run here"
# for it otherwise; the reason is printed by skip.
lab_runnable() { # CONTENT-ARGS... LAB
	local lab=${!#} out
	out=$("$STANZA" "${@:1:$#-1}" lab list 2>&1) || skip "stanza lab list failed: $out"
	if grep -A1 "^$lab " <<<"$out" | grep -q "cannot run here"; then
		skip "the lab $lab cannot run here: $(grep -A1 "^$lab " <<<"$out" | tail -1 | sed 's/^ *//; s/^cannot run here: //')"
	fi
	grep -q "^$lab " <<<"$out" || skip "no lab $lab in the course"
}
