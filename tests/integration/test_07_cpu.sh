#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_07_cpu.sh - point 7: --cpus 0.5 over 2 s of wall time uses 1.0 +- 0.2 CPU-seconds, per the cgroup's accounting
. "$(dirname "$0")/lib.sh"
require_limits

# Is PID running (not a zombie)? Without forking.
running() { # PID
	local k v
	while read -r k v; do
		[[ $k == State: ]] && { [[ $v != Z* ]]; return; }
	done 2>/dev/null <"/proc/$1/status"
	return 1
}
in_range() { awk -v x="$1" 'BEGIN { exit !(x >= 0.8 && x <= 1.2) }'; }

# Where the container's cgroups will be (worked out now: the polling below must start at once).
base_cpu=$(cgroup_base cpu)
if [[ $(cgroup_mode) == v2 ]]; then base_acct=$base_cpu; else base_acct=$(cgroup_base cpuacct); fi

bg_start busy --trace --cpus 0.5 --timeout 2s -- sh -c 'echo ready; while :; do :; done' "$MARK"
spid=$BG_PID
t0=$(now_ms)
usage='' throttled=''
if wait_for_line "$SZIT_TMP/busy.out" '^ready$' 10 && pid1=$(container_pid1 "$spid" 5); then
	if [[ $(cgroup_mode) == v2 ]]; then
		cpu=$(cgroup_dir_of "$pid1" cpu)
		acct=$cpu
		assert_match "cpu.max is a half CPU" '^([0-9]+) ([0-9]+)$' "$(cat "$cpu/cpu.max")"
		read -r q p <"$cpu/cpu.max"
	else
		# This host mounts cpu and cpuacct apart: each has its own directory.
		cpu=$(cgroup_dir_of "$pid1" cpu)
		acct=$(cgroup_dir_of "$pid1" cpuacct)
		q=$(cat "$cpu/cpu.cfs_quota_us")
		p=$(cat "$cpu/cpu.cfs_period_us")
	fi
	assert_match "the container is in its own cpu cgroup" '/stanza-[^/]+$' "$cpu"
	assert_match "the container is in its own CPU accounting cgroup" '/stanza-[^/]+$' "$acct"
	# Rootless, both are in the cgroups delegated to the learner.
	id=${cpu##*/stanza-}
	assert_eq "its cpu cgroup is stanza-<id> in $base_cpu" "$base_cpu/stanza-$id" "$cpu"
	assert_eq "its CPU accounting cgroup is stanza-<id> in $base_acct" "$base_acct/stanza-$id" "$acct"
	assert_eq "quota/period is 0.5" 0.50 "$(awk -v q="$q" -v p="$p" 'BEGIN { printf "%.2f", q / p }')"
	# Poll the kernel's accounting from the host until the run ends, without
	# forking: on a busy host a slow poll would take its last sample early.
	v2=0
	[[ $(cgroup_mode) == v2 ]] && v2=1
	while running "$spid"; do
		u=
		if ((v2)); then
			while read -r k v; do [[ $k == usage_usec ]] && u=$((v * 1000)); done 2>/dev/null <"$acct/cpu.stat"
		else
			read -r u 2>/dev/null <"$acct/cpuacct.usage"
		fi
		[[ -n $u ]] && usage=$u
		while read -r k v; do [[ $k == nr_throttled ]] && throttled=$v; done 2>/dev/null <"$cpu/cpu.stat"
		nap 0.02
	done
	assert_match "the kernel throttled the container (cpu.stat nr_throttled > 0)" '^[1-9][0-9]*$' "$throttled"
fi
bg_wait busy 15
wall=$(($(now_ms) - t0))
assert_status 124 "the busy loop ends at --timeout 2s"
assert_le "wall time at most 4 s" 4000 "$wall"
if [[ -n $usage ]]; then
	secs=$(awk -v u="$usage" 'BEGIN { printf "%.3f", u / 1e9 }')
	note "kernel accounting (polled from the host): $secs CPU-seconds in ${wall} ms of wall time"
	assert_true "CPU time from the cgroup is 1.0 +- 0.2 s (got $secs)" in_range "$secs"
else
	fail "could not read the container's CPU accounting from the host"
fi
traced=$(printf '%s\n' "$ERR" | sed -En 's/.*[^a-z]cpu:? *([0-9]+\.[0-9]+) *s\b.*/\1/p' | tail -n1)
if [[ -n $traced ]]; then
	note "--trace says: cpu $traced s"
	assert_true "stanza's own report is 1.0 +- 0.2 s (got $traced)" in_range "$traced"
else
	note "--trace printed no 'cpu N.NN s' line"
fi
finish
