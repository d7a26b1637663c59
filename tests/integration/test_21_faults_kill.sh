#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_21_faults_kill.sh - faults (a): stanza SIGKILLed mid-run, at every point of its life, 20 times (100 with SZIT_SOAK_FULL=1); its container dies with it and the next start collects everything
#
# A stanza that is SIGKILLed cannot clean up. What must hold:
#   - its container dies with it: PID 1 has PR_SET_PDEATHSIG(SIGKILL), set
#     first thing after clone (and again after the credentials change, which
#     clears it); PID 1's death makes the kernel kill the rest of its PID
#     namespace. Where the signal is not set - between clone and the
#     child's prctl, and while the credentials change clears it - the sync
#     socket stands in: waiting for stanza's "go" the child reads EOF, and its
#     last message before execve fails, because it closed its copy of
#     stanza's end right after clone (clone_child, src/runtime/run.c; without
#     that about 1 kill in 100 left a child behind).
#   - its state directory and cgroups stay (nobody could remove them), with
#     their lock free; the next stanza that starts a container collects them
#     (state.c, sz_collect_garbage) - the cgroups, the state directory, and
#     on rootless v2 its stanza-self-<pid> leaf.
# The kill points rotate through: right after the start (no synchronisation,
# a random delay of 0-40 ms), each setup step (synchronised on the --trace
# line that reports it), and while the command runs.
# Then a batch of stanzas killed at once leaves several orphans together,
# and one run collects them all.
#
# As root, the test runs in a mount namespace of its own with a fresh tmpfs
# on /run/stanza: every root stanza on the machine shares that state root,
# and another one starting meanwhile would collect the orphans before the
# test could see them. (The cgroups are the host's, checked as usual.)
# Rootless, the learner's state root is private already.
. "$(dirname "$0")/soak_lib.sh"
soak_private_state "$@"
. "$(dirname "$0")/lib.sh"
# Leftovers: what this test's stanzas leave (soak_lib.sh).
soak_leftover_rules

FULL=${SZIT_SOAK_FULL:-${SOAK_FULL:-0}}
KILLS=20
((FULL == 1)) && KILLS=100
KILLS=${SZIT_FAULT_KILLS:-$KILLS}
BATCH=6

LIMITS=(--memory 64M --pids 100)
# Rootless without a delegated cgroup, stanza refuses limits: then without.
limits_available || LIMITS=()

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)
mounts_before=$(host_mounts_naming_stanza)

mkfifo "$SZIT_TMP/idle"
exec 7<>"$SZIT_TMP/idle"

# Mount points under the state root (the container's mounts live in its own
# mount namespace: none may ever show up in the host's).
state_mounts() { awk -v r="$STATE_ROOT/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo; }
state_mounts_before=$(state_mounts)

# Setup steps, as --trace names them, in order.
STAGES=(start 'state: ')
((${#LIMITS[@]})) && STAGES+=('cgroup: mkdir')
((ROOTLESS)) && STAGES+=('userns: ')
STAGES+=('clone: ' 'unshare: ' 'mount: overlay' 'pivot_root: ' 'seccomp: ' 'exec: ' running)

# Has PID executed stanza yet (and is not still the shell's fork, or env)?
# (stanza itself then runs from a sealed copy in a memfd: src/common/selfexe.c.)
ENV_EXE=$(command -v env)
is_stanza() { [[ -e /proc/$1/exe && ! /proc/$1/exe -ef /proc/$$/exe && ! /proc/$1/exe -ef $ENV_EXE ]]; }

declare -A per_stage=() missed=()
bad_status=0 survivors=0 synced=0
note "$KILLS kills over ${#STAGES[@]} points: ${STAGES[*]}"
# (stderr: bash reports every job it sees killed, "Killed  env ... stanza run")
for ((k = 1; k <= KILLS; k++)); do
	stage=${STAGES[$(((k - 1) % ${#STAGES[@]}))]}
	name=k$k
	: >"$SZIT_TMP/$name.out"
	: >"$SZIT_TMP/$name.err"
	bg_start "$name" --stdin "$SZIT_TMP/idle" --trace ${LIMITS[@]+"${LIMITS[@]}"} -- sh -c 'echo ready; read x' "$MARK-$name"
	spid=$BG_PID pid1=
	case $stage in
	start)
		deadline=$(($(now_ms) + 5000))
		until is_stanza "$spid" || (($(now_ms) > deadline)); do nap 0.001; done
		nap "0.0$((RANDOM % 5))" ;;
	running)
		if wait_for_line "$SZIT_TMP/$name.out" '^ready$' 20; then
			pid1=$(container_pid1 "$spid" 5)
			synced=$((synced + 1))
		else
			missed[$stage]=$((${missed[$stage]:-0} + 1))
		fi ;;
	*)
		if wait_for_line "$SZIT_TMP/$name.err" "\] $stage" 20; then
			synced=$((synced + 1))
		else
			missed[$stage]=$((${missed[$stage]:-0} + 1))
		fi ;;
	esac
	kill -KILL "$spid" 2>/dev/null
	bg_wait "$name" 10
	per_stage[$stage]=$((${per_stage[$stage]:-0} + 1))
	if [[ $STATUS != 137 ]]; then
		bad_status=$((bad_status + 1))
		note "kill $k ($stage): stanza ended with status $STATUS, not by the SIGKILL"
		show_run
	fi
	# Everything of that run that is a process dies with stanza: the clone
	# before its exec (a copy of stanza, with the marker in its argv), PID 1
	# and its children (the marker is sh's $0).
	if [[ -n $pid1 ]] && ! wait_gone "$pid1" 5; then
		survivors=$((survivors + 1))
		note "kill $k ($stage): the container's PID 1 ($pid1) outlived its stanza by 5 s"
	fi
	deadline=$(($(now_ms) + 5000))
	while [[ -n $(procs_with "$MARK-$name") ]] && (($(now_ms) < deadline)); do nap 0.05; done
	left=$(procs_with "$MARK-$name")
	if [[ -n $left ]]; then
		survivors=$((survivors + 1))
		note "kill $k ($stage): processes outlived their stanza by 5 s:"
		printf '%s\n' "$left" | sed 's/^/#     /'
		for p in $(printf '%s\n' "$left" | cut -d' ' -f1); do kill -KILL "$p" 2>/dev/null; done
	fi
done 2>/dev/null
summary=
for s in "${STAGES[@]}"; do summary+=" [$s]=${per_stage[$s]:-0}${missed[$s]:+ (not reached: ${missed[$s]})}"; done
note "kills per point:$summary"
assert_eq "all $KILLS SIGKILLed stanzas ended by the SIGKILL (status 137)" 0 "$bad_status"
assert_eq "no container process outlived its SIGKILLed stanza (PR_SET_PDEATHSIG on PID 1)" 0 "$survivors"
missed_total=0
for s in "${!missed[@]}"; do missed_total=$((missed_total + missed[$s])); done
assert_eq "every synchronised kill point was reached ($synced of them)" 0 "$missed_total"

# Each stanza collects the orphans of those killed before it: at most the
# last one's (and what a kill during its collection left) are there now.
orphans=$(new_leftovers_now "$cg_before" "$state_before")
note "orphans left by the kills before the next start: $(printf '%s' "$orphans" | grep -c '')"
printf '%s\n' "$orphans" | sed '/^$/d; s/^/#     /'

# A batch killed together: several orphans at once.
batch_ids=()
for ((b = 1; b <= BATCH; b++)); do
	bg_start "batch$b" --stdin "$SZIT_TMP/idle" ${LIMITS[@]+"${LIMITS[@]}"} -- sh -c 'echo ready; read x' "$MARK-batch$b"
done
for ((b = 1; b <= BATCH; b++)); do
	spid=${SZIT_BG[batch$b]}
	if wait_for_line "$SZIT_TMP/batch$b.out" '^ready$' 20 && id=$(state_id_of "$spid"); then
		batch_ids+=("$id")
	fi
done
assert_eq "the $BATCH stanzas of the batch are all running" "$BATCH" "${#batch_ids[@]}"
{
	for ((b = 1; b <= BATCH; b++)); do kill -KILL "${SZIT_BG[batch$b]}"; done
	for ((b = 1; b <= BATCH; b++)); do bg_wait "batch$b" 10; done
} 2>/dev/null # (bash's "Killed" job reports)
deadline=$(($(now_ms) + 5000))
while [[ -n $(procs_with "$MARK-batch") ]] && (($(now_ms) < deadline)); do nap 0.05; done
assert_eq "no process of the batch outlived its stanza" "" "$(procs_with "$MARK-batch")"
kept=0 cgs=0
for id in "${batch_ids[@]}"; do
	[[ -d $STATE_ROOT/$id && -z $(lock_holder "$STATE_ROOT/$id/lock") ]] && kept=$((kept + 1))
	grep -q "/stanza-$id\$" <(all_stanza_cgroups) && cgs=$((cgs + 1))
done
assert_eq "the batch left $BATCH orphaned state directories, their locks free" "${#batch_ids[@]}" "$kept"
if ((${#LIMITS[@]})); then
	assert_eq "and their cgroups" "${#batch_ids[@]}" "$cgs"
fi

# The next start collects everything.
run_stanza ${LIMITS[@]+"${LIMITS[@]}"} -- true "$MARK-collector"
assert_status 0 "the next stanza runs"
left=
for id in "${batch_ids[@]}"; do
	[[ -e $STATE_ROOT/$id ]] && left+=" $STATE_ROOT/$id"
	grep -q "/stanza-$id\$" <(all_stanza_cgroups) && left+=" cgroup:stanza-$id"
done
assert_eq "it collected the batch's state directories and cgroups" "" "$left"
leftovers=$(new_leftovers "$cg_before" "$state_before")
assert_eq "nothing of the $((KILLS + BATCH)) killed runs is left: no state entry in $STATE_ROOT, no stanza cgroup" "" "$leftovers"
assert_eq "no mount under the state root" "$state_mounts_before" "$(state_mounts)"
assert_eq "no mount naming stanza on the host" "$mounts_before" "$(host_mounts_naming_stanza)"
assert_eq "no process of the killed runs is left" "" "$(procs_with "$MARK")"

# Rootless on v2: the killed stanzas' own leaves (stanza-self-<pid>) were
# collected too: only the collector's is left.
if ((ROOTLESS)) && ((${#LIMITS[@]})) && [[ $(cgroup_mode) == v2 ]]; then
	bg_start leaf --pids 50 -- true
	leaf_pid=$BG_PID
	bg_wait leaf 10
	assert_status 0 "a run with --pids after the collection"
	assert_eq "the killed stanzas' stanza-self leaves were collected: only the last run's is left" \
		"$(v2_delegated_base)/stanza-self-$leaf_pid" "$(self_leaves)"
fi
exec 7>&-
finish
