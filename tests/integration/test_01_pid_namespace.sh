#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_01_pid_namespace.sh - point 1: the command is PID 1 and sees only the container's processes
. "$(dirname "$0")/lib.sh"

run_stanza -- sh -c 'echo $$'
assert_status 0 "sh -c 'echo \$\$'"
assert_eq "the container's shell is PID 1" "1" "$OUT"

# ps alone: the header and ps itself, as PID 1.
run_stanza -- ps
assert_status 0 "ps"
assert_eq "ps lists two lines (header + ps)" 2 "$(printf '%s\n' "$OUT" | grep -c '')"
assert_match "ps itself is PID 1" $'\n[[:space:]]*1[[:space:]]+[a-z]+[[:space:]].*ps$' "$OUT"

# Three processes of our own: sh (PID 1), a sleep, and ps; nothing else, and
# /proc agrees with ps (a fresh proc mounted inside the PID namespace).
run_stanza -- sh -c 'sleep 30 & ps -o pid,args; ls /proc >/tmp/l; echo "proc: $(grep -c "^[0-9]" /tmp/l)"; kill $!' "$MARK"
assert_status 0 "sh + sleep + ps"
pids=$(printf '%s\n' "$OUT" | awk 'NR > 1 && $1 ~ /^[0-9]+$/ { print $1 }' | sort -n | tr '\n' ' ')
assert_eq "ps lists exactly sh, sleep and ps" 3 "$(printf '%s\n' "$OUT" | awk 'NR > 1 && $1 ~ /^[0-9]+$/' | grep -c '')"
assert_match "PID 1 is the shell" $'\n[[:space:]]*1[[:space:]]+sh -c' "$OUT"
assert_match "/proc lists the same 3 processes" 'proc: 3$' "$OUT"
assert_match "all PIDs are small (a new PID namespace)" '^1 [0-9] [0-9] $' "$pids"

# From the host: the container's PID 1 is an ordinary process with a host PID,
# and the PIDs inside never include stanza's own host PID.
bg_start ps -- sh -c 'echo ready; ps -o pid; while :; do sleep 0.1; done' "$MARK-bg"
spid=$BG_PID
if wait_for_line "$SZIT_TMP/ps.out" '^ready$' 10 && pid1=$(container_pid1 "$spid" 5); then
	ns=$(sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$pid1/status")
	assert_match "from the host, PID 1 has two PIDs (host and container)" "^[0-9]+[[:space:]]+1$" "$ns"
	assert_ne "the container's PID 1 is not host PID 1" 1 "$pid1"
	inside=$(awk 'NR > 1 { print $1 }' "$SZIT_TMP/ps.out" | tr '\n' ' ')
	assert_no_match "stanza's host PID ($spid) is not visible inside" "(^| )$spid " "$inside"
	assert_no_match "PID 1's host PID ($pid1) is not visible inside" "(^| )$pid1 " "$inside"
	assert_eq "the host sees a different PID namespace" "different" \
		"$([[ $(readlink /proc/$pid1/ns/pid) != $(readlink /proc/self/ns/pid) ]] && echo different)"
	kill -KILL "$pid1"
else
	fail "no container PID 1 found under stanza pid $spid"
fi
bg_wait ps 10
assert_status 137 "SIGKILL from the host to PID 1"
finish
