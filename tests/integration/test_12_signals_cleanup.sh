#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_12_signals_cleanup.sh - point 12: SIGINT/SIGTERM to stanza clean up; a SIGKILLed stanza's state is collected later, a locked one never
. "$(dirname "$0")/lib.sh"

# Start a container that waits; sets SPID, PID1, ID (from the state directory
# whose lock SPID holds) and DIRS (its stanza-<id> cgroup directories: limits
# are given so that it has some).
start_waiting() { # NAME STDIN [OPTIONS...]
	local name=$1 stdin=$2
	shift 2
	bg_start "$name" --stdin "$stdin" "$@" -- sh -c 'echo ready; read x; echo "$0-finished"; exit 7' "$MARK-$name"
	SPID=$BG_PID PID1='' ID='' DIRS=''
	wait_for_line "$SZIT_TMP/$name.out" '^ready$' 10 || { fail "$name: the container did not start"; return 1; }
	PID1=$(container_pid1 "$SPID" 5) || { fail "$name: no container PID 1 found"; return 1; }
	ID=$(state_id_of "$SPID") || { fail "$name: no state directory in $STATE_ROOT locked by stanza (pid $SPID)"; return 1; }
	DIRS=$(cgroup_dirs_of "$PID1")
	return 0
}
LIMITS=(--memory 256M --pids 1000 --cpus 1)
# Rootless without a delegated cgroup, stanza refuses limits: then without.
limits_available || LIMITS=()

all_exist() { local d; for d in "$@"; do [[ -d $d ]] || return 1; done; }
none_exist() { local d; for d in "$@"; do [[ ! -e $d ]] || return 1; done; }

# The container's stdin: a FIFO we hold open and never write, so `read` waits.
mkfifo "$SZIT_TMP/idle"
exec 7<>"$SZIT_TMP/idle"

# 1. SIGINT and SIGTERM to stanza: the container is killed and everything removed.
#    With limits (so with cgroups), and once without.
for run in INT:limits TERM:limits INT:none; do
	sig=${run%:*} name=${run/:/-}
	if [[ $run == *:limits ]]; then opts=(${LIMITS[@]+"${LIMITS[@]}"}); else opts=(); fi
	if start_waiting "$name" "$SZIT_TMP/idle" ${opts[@]+"${opts[@]}"}; then
		assert_true "$name: the state directory $STATE_ROOT/$ID exists while it runs" test -d "$STATE_ROOT/$ID"
		if ((${#opts[@]})); then
			assert_match "$name: the container is in stanza-$ID cgroups" "/stanza-$ID" "$DIRS"
		fi
		kill -"$sig" "$SPID"
		bg_wait "$name" 10
		[[ $sig == INT ]] && want=130 || want=143
		assert_status "$want" "$name: SIG$sig to stanza"
		assert_match "$name: stanza says it was interrupted" '[Ii]nterrupt' "$ERR"
		assert_true "$name: the container's PID 1 is gone" wait_gone "$PID1" 2
		assert_true "$name: its cgroups are removed" none_exist $DIRS
		assert_true "$name: its state directory is removed" test ! -e "$STATE_ROOT/$ID"
		assert_eq "$name: no process of it is left" "" "$(procs_with "$MARK-$name")"
	fi
done

# 2. A long-running stanza A, and a stanza B that is SIGKILLed mid-run.
mkfifo "$SZIT_TMP/a.stdin"
exec 8<>"$SZIT_TMP/a.stdin"
start_waiting A "$SZIT_TMP/a.stdin" ${LIMITS[@]+"${LIMITS[@]}"}
A_SPID=$SPID A_PID1=$PID1 A_ID=$ID A_DIRS=$DIRS
start_waiting B "$SZIT_TMP/idle" ${LIMITS[@]+"${LIMITS[@]}"}
B_SPID=$SPID B_PID1=$PID1 B_ID=$ID B_DIRS=$DIRS
if [[ -n $A_ID && -n $B_ID ]]; then
	if ((${#LIMITS[@]})); then
		assert_match "A is in stanza-$A_ID cgroups" "/stanza-$A_ID" "$A_DIRS"
		assert_match "B is in stanza-$B_ID cgroups" "/stanza-$B_ID" "$B_DIRS"
	fi
	assert_ne "A and B have different ids" "$A_ID" "$B_ID"
	kill -KILL "$B_SPID"
	bg_wait B 10
	assert_status 137 "stanza B was SIGKILLed"
	assert_true "B's container dies with its stanza" wait_gone "$B_PID1" 3
	assert_eq "no process of B is left" "" "$(procs_with "$MARK-B")"
	assert_true "B's state directory is left behind (nobody could clean it)" test -d "$STATE_ROOT/$B_ID"
	assert_true "B's cgroups are left behind too" all_exist $B_DIRS
	assert_eq "B's lock is free" "" "$(lock_holder "$STATE_ROOT/$B_ID/lock")"

	# C: the next run collects B's state, and leaves A's (locked) alone.
	run_stanza -- true
	assert_status 0 "stanza C runs"
	assert_true "C collected B's state directory" test ! -e "$STATE_ROOT/$B_ID"
	assert_true "C collected B's cgroups" none_exist $B_DIRS
	assert_true "A's state directory is untouched" test -d "$STATE_ROOT/$A_ID"
	assert_true "A's upper/work/lock are still there" test -e "$STATE_ROOT/$A_ID/lock"
	assert_true "A's cgroups are untouched" all_exist $A_DIRS
	assert_true "A's container is still running" alive "$A_PID1"
	assert_eq "A's lock is still held by A's stanza" "$A_SPID" "$(lock_holder "$STATE_ROOT/$A_ID/lock")"

	# A completes normally.
	echo go >&8
	bg_wait A 10
	assert_status 7 "A completes with its own status"
	assert_match "A's command ran to its end" 'A-finished' "$OUT"
	assert_true "A's state directory is removed" test ! -e "$STATE_ROOT/$A_ID"
	assert_true "A's cgroups are removed" none_exist $A_DIRS
else
	fail "could not start A and B"
fi

# 3. Rootless: the state is the learner's own, in $XDG_RUNTIME_DIR/stanza, or
#    /tmp/stanza-<uid> without XDG_RUNTIME_DIR; private (0700) either way.
if ((ROOTLESS)); then
	assert_eq "the state root $STATE_ROOT is the learner's and private" "$LEARNER_UID 700" \
		"$(stat -c '%u %a' "$STATE_ROOT" 2>/dev/null)"
	fallback=$(XDG_RUNTIME_DIR='' state_root_for '')
	if [[ $STATE_ROOT != "$fallback" ]]; then
		existed=0
		[[ -e $fallback ]] && existed=1
		saved=$STATE_ROOT
		STATE_ROOT=$fallback
		# --read-only: what is checked is where the state goes, not the overlay
		# (whose upper layer would be in /tmp, maybe a tmpfs without the user
		# xattrs a rootless overlay uses, before Linux 6.6).
		XDG_RUNTIME_DIR='' start_waiting noxdg "$SZIT_TMP/idle" --read-only
		if [[ -n $ID ]]; then
			assert_true "without XDG_RUNTIME_DIR the state is in $fallback/$ID" test -d "$fallback/$ID"
			assert_eq "$fallback is the learner's and private" "$LEARNER_UID 700" "$(stat -c '%u %a' "$fallback")"
			assert_true "nothing of it is in $saved" test ! -e "$saved/$ID"
		fi
		kill -TERM "$SPID"
		bg_wait noxdg 10
		assert_status 143 "SIGTERM to a stanza without XDG_RUNTIME_DIR"
		[[ -n $ID ]] && assert_true "its state directory is removed" test ! -e "$fallback/$ID"
		STATE_ROOT=$saved
		# Leave /tmp as it was.
		((existed)) || rm -rf "$fallback"
	fi
fi
exec 7>&- 8>&-
finish
