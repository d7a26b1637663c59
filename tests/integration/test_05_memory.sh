#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_05_memory.sh - point 5: --memory kills on OOM and says so; a SIGKILL from the host is not an OOM; swap cannot hide it
. "$(dirname "$0")/lib.sh"
require_limits

LIMIT=$((32 * 1024 * 1024))
oom_line='memory limit of 32 MiB.*OOM|OOM.*memory limit of 32 MiB'

# 1. The kernel kills tail (it keeps 100 MiB of one long line) at 32 MiB.
run_stanza --memory 32M -- sh -c 'head -c 100m /dev/zero | tail'
assert_status 137 "tail of 100 MiB under --memory 32M is OOM-killed"
assert_match "stanza says the kernel killed it for exceeding 32 MiB (OOM)" "$oom_line" "$ERR"
assert_eq "the OOM report is one line" 1 "$(printf '%s\n' "$ERR" | grep -Ec "$oom_line")"

# 2. A child is OOM-killed, the command still exits 0: status 0, OOM still reported.
#    The child is `tail /dev/zero` alone: with `head | tail`, head's next pipe
#    write after tail's death often makes the kernel OOM-kill PID 1 as well
#    (status then rightly 137, --trace "oom kills 2"). Should that still
#    happen, the run is tried again, up to 3 times.
for attempt in 1 2 3; do
	run_stanza --trace --memory 32M -- sh -c 'tail /dev/zero; exit 0'
	[[ $STATUS == 137 && $ERR =~ oom\ kills\ [2-9] ]] || break
	note "attempt $attempt: the kernel OOM-killed PID 1 as well (status 137, $(grep -o 'oom kills [0-9]*' <<<"$ERR")); again"
done
assert_status 0 "OOM-killed child, then exit 0"
assert_match "the OOM kill is reported even though the command exited 0" "$oom_line" "$ERR"

# 2b. PID 1 itself is OOM-killed (tail reads 100 MiB from stanza's stdin): the
#     kernel's SIGKILL kills even a PID 1, so the status is 128+9.
mkfifo "$SZIT_TMP/zeros"
head -c 100m /dev/zero >"$SZIT_TMP/zeros" 2>/dev/null &
feeder=$!
run_stanza --stdin "$SZIT_TMP/zeros" --memory 32M -- tail
assert_status 137 "tail as PID 1 OOM-killed"
assert_match "the OOM kill of PID 1 is reported" "$oom_line" "$ERR"
kill "$feeder" 2>/dev/null
wait "$feeder" 2>/dev/null

# 3. Under the limit nothing is killed and nothing is said.
run_stanza --memory 32M -- sh -c 'head -c 8m /dev/zero | tail | wc -c'
assert_status 0 "8 MiB under --memory 32M"
assert_eq "tail got all 8 MiB" 8388608 "$(printf '%s' "$OUT" | tr -d ' ')"
assert_no_match "no OOM report when nothing was killed" 'OOM|memory limit' "$ERR"

# 4. The container sees its own limit under /sys/fs/cgroup.
if [[ $(cgroup_mode) == v2 ]]; then
	run_stanza --memory 32M -- cat /sys/fs/cgroup/memory.max
else
	run_stanza --memory 32M -- cat /sys/fs/cgroup/memory/memory.limit_in_bytes
fi
assert_status 0 "reading the memory limit inside"
assert_eq "the container's /sys/fs/cgroup shows its own limit" "$LIMIT" "$OUT"

# 5. Seen from the host while it runs: memory and memory+swap are both 32 MiB
#    (v2: swap.max 0), so swap cannot hide an OOM. Then SIGKILL from the host:
#    137, and no OOM report.
bg_start hostkill --memory 32M -- sh -c 'echo ready; while :; do sleep 0.1; done' "$MARK"
if wait_for_line "$SZIT_TMP/hostkill.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
	mem=$(cgroup_dir_of "$pid1" memory)
	assert_match "the container is in its own memory cgroup" '/stanza-[^/]+$' "$mem"
	# Rootless: inside the cgroup delegated to the learner (stanza-<user> on v1,
	# the delegated subtree on v2); as root, at the hierarchy's root.
	assert_eq "its memory cgroup is stanza-<id> in $(cgroup_base memory)" \
		"$(cgroup_base memory)/stanza-$(container_id_of "$pid1")" "$mem"
	if [[ $(cgroup_mode) == v2 ]]; then
		assert_eq "memory.max is 32 MiB" "$LIMIT" "$(cat "$mem/memory.max")"
		assert_eq "memory.swap.max is 0" 0 "$(cat "$mem/memory.swap.max")"
	else
		assert_eq "memory.limit_in_bytes is 32 MiB" "$LIMIT" "$(cat "$mem/memory.limit_in_bytes")"
		if [[ -e $mem/memory.memsw.limit_in_bytes ]]; then
			assert_eq "memory.memsw.limit_in_bytes equals memory.limit_in_bytes (no swap)" \
				"$(cat "$mem/memory.limit_in_bytes")" "$(cat "$mem/memory.memsw.limit_in_bytes")"
		else
			note "this kernel has no memory.memsw.* (swap accounting off): nothing to check"
		fi
	fi
	kill -KILL "$pid1"
else
	fail "no container PID 1 found"
fi
bg_wait hostkill 10
assert_status 137 "SIGKILL from the host under --memory"
assert_no_match "a SIGKILL from the host is not reported as OOM" 'OOM|memory limit' "$ERR"
[[ -n ${mem:-} ]] && assert_true "the memory cgroup is removed after the run" test ! -e "$mem"

# 6. The limit is written memory first, then memory+swap (v1 refuses memsw < memory).
if [[ $(cgroup_mode) != v2 ]]; then
	run_stanza --trace --memory 32M -- true
	assert_status 0 "--trace --memory 32M -- true"
	first_mem=$(printf '%s\n' "$ERR" | grep -n 'memory\.limit_in_bytes' | head -n1 | cut -d: -f1)
	first_memsw=$(printf '%s\n' "$ERR" | grep -n 'memory\.memsw\.limit_in_bytes' | head -n1 | cut -d: -f1)
	if [[ -n $first_mem && -n $first_memsw ]]; then
		assert_le "--trace shows memory.limit_in_bytes written before memory.memsw.limit_in_bytes" \
			"$((first_memsw - 1))" "$first_mem"
	else
		fail "--trace does not show both memory.limit_in_bytes and memory.memsw.limit_in_bytes being written"
		show_run
	fi
fi
finish
