#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_06_pids.sh - point 6: a fork bomb under --pids 20 is contained, the host stays responsive, the run ends, all is cleaned
. "$(dirname "$0")/lib.sh"
require_limits

# Where its pids cgroup will be (rootless: in the cgroup delegated to the learner).
base=$(cgroup_base pids)

# PID 1 starts the bomb in one child (ash forks every stage of a pipeline from
# the shell itself, so PID 1 must not run `f | f &`, or its own second fork
# may fail at the limit and end it with status 2), then blocks in the `read`
# builtin (no fork needed) on a FIFO we hold open, until --timeout ends the run.
mkfifo "$SZIT_TMP/stdin"
exec 7<>"$SZIT_TMP/stdin"
bg_start bomb --stdin "$SZIT_TMP/stdin" --pids 20 --timeout 3s -- \
	sh -c '(f(){ f | f & }; f) 2>/dev/null & echo bombed; read x' "$MARK"
spid=$BG_PID
t0=$(now_ms)
if wait_for_line "$SZIT_TMP/bomb.out" '^bombed$' 10 && pid1=$(container_pid1 "$spid" 5); then
	pids=$(cgroup_dir_of "$pid1" pids)
	id=$(container_id_of "$pid1")
	assert_match "the container is in its own pids cgroup" '/stanza-[^/]+$' "$pids"
	assert_eq "its pids cgroup is stanza-<id> in $base" "$base/stanza-$id" "$pids"
	assert_eq "pids.max is 20" 20 "$(cat "$pids/pids.max")"
	# While it runs: the count stays under the limit and the host can still fork.
	max=0 slow=0 events=''
	for _ in $(seq 20); do
		n=$(cat "$pids/pids.current" 2>/dev/null || echo 0)
		((n > max)) && max=$n
		e=$(cat "$pids/pids.events" 2>/dev/null) && events=$e
		a=$(now_ms)
		/bin/true
		b=$(now_ms)
		((b - a > 500)) && slow=$((slow + 1))
		nap 0.05
	done
	assert_le "pids.current never exceeds 20" 20 "$max"
	if ((max >= 15)); then pass "the bomb filled its cgroup (max pids.current $max)"; else fail "the bomb never grew (max pids.current $max)"; fi
	assert_eq "the host forked /bin/true 20 times, none slower than 500 ms" 0 "$slow"
	assert_match "pids.events counts forks refused at the limit" 'max [1-9]' "$events"
else
	fail "the bomb did not start"
fi
bg_wait bomb 15
elapsed=$(($(now_ms) - t0))
exec 7>&-
assert_status 124 "the run ends at --timeout 3s"
assert_match "stanza says the timeout expired" '--timeout' "$ERR"
assert_le "it ended within 8 s" 8000 "$elapsed"
if [[ -n ${pid1:-} ]]; then
	assert_true "PID 1 is gone" wait_gone "$pid1" 2
	assert_eq "no process of the bomb is left" "" "$(procs_with "$MARK")"
	assert_true "the pids cgroup is removed" test ! -e "$pids"
	assert_eq "no cgroup named after the container is left" "" "$(all_stanza_cgroups | grep -F "stanza-$id")"
	assert_true "the state directory is removed" test ! -e "$STATE_ROOT/$id"
fi
finish
