#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# leaks.sh - before and after the integration suite: nothing stanza made may be left, and the suite must have made >= 200 runs
#
#   leaks.sh baseline   record what exists before the suite (stanza cgroups, state
#                       entries, mounts naming stanza) and reset the run counter
#   leaks.sh check      fail on any cgroup, state entry, mount or process the suite
#                       left; print the number of container runs counted; fail if
#                       the whole suite ran and made fewer than 200
#
# Other stanzas may be running on this machine (other learners, a developer's
# shell): state whose lock is held by a process outside this suite is reported
# and ignored. A process belongs to this suite when its environment carries this
# build's STANZA_BUILD_DIR (ctest sets it for every test) or its argv carries a
# test marker ("szit-").
#
# Run as an ordinary user, it checks that user's state root ($XDG_RUNTIME_DIR/
# stanza or /tmp/stanza-<uid>) and leaves out the empty stanza-self-<pid>
# leaves rootless stanza makes on v2 (see docs/rootless.md).
#
# With SZIT_TIER=rootless (the rootless tier's fixtures, run as root), it
# checks around tests/rootless/run.sh instead: the runs counted in
# it-runs-rootless, and besides the above, every cgroup named stanza* (the
# delegated ones included: run.sh removes them after each test), the test
# user's state (/tmp/stanza-<uid>), leftover staging dirs (/tmp/stanza-rl.*)
# and any process of the test user (SZIT_LEARNER, default stanza-learner).
# What it finds is reported, then removed, so the machine is left clean.

set -u
STANZA_BUILD_DIR=${STANZA_BUILD_DIR:?set STANZA_BUILD_DIR}
TIER=${SZIT_TIER:-root}
RUNS_DIR=$STANZA_BUILD_DIR/it-runs
STATE_ROOT=/run/stanza
MIN_RUNS=${SZIT_MIN_RUNS:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
LEARNER=${SZIT_LEARNER:-stanza-learner}
L_UID=
if [[ $TIER == rootless ]]; then
	RUNS_DIR=$STANZA_BUILD_DIR/it-runs-rootless
	L_UID=$(id -u "$LEARNER" 2>/dev/null)
fi
# Run by an ordinary user around the integration tests it runs itself (the
# vm tier's rootless pass): that user's state root, as stanza computes it.
SELF_ROOTLESS=0
if [[ $(id -u) != 0 ]]; then
	SELF_ROOTLESS=1
	if [[ ${XDG_RUNTIME_DIR:-} == /* ]]; then
		STATE_ROOT=$XDG_RUNTIME_DIR/stanza
	else
		STATE_ROOT=/tmp/stanza-$(id -u)
	fi
	# On a file system without user xattrs stanza keeps its state in the
	# cache instead (lib.sh's state_root_for says when).
	if [[ $(stat -f -c %T "${STATE_ROOT%/*}" 2>/dev/null) == tmpfs ]] &&
		[[ $(uname -r) =~ ^([0-5]\.|6\.[0-5][^0-9]) ]]; then
		STATE_ROOT=${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/stanza/run
	fi
fi

cgroup_mounts() {
	awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5 }' /proc/self/mountinfo
}

# Rootless: deeper (a delegated cgroup may be far down), and every stanza*
# name (stanza-<user> bases, stanza-self-<pid> leaves).
# As an ordinary user on v2: the empty stanza-self-<pid> leaves stanzas leave
# behind in the delegated cgroup are stanza's way (the next run with a limit
# collects them; the administrator's teardown removes the rest): not counted.
stanza_cgroups() {
	local m d
	for m in $(cgroup_mounts); do
		if [[ $TIER == rootless ]]; then
			find "$m" -maxdepth 8 -type d -name 'stanza*' 2>/dev/null
		elif ((SELF_ROOTLESS)); then
			find "$m" -maxdepth 8 -type d -name 'stanza-*' 2>/dev/null | while IFS= read -r d; do
				[[ ${d##*/} == stanza-self-* && ! -s $d/cgroup.procs ]] && continue
				echo "$d"
			done
		else
			find "$m" -maxdepth 4 -type d -name 'stanza-*' 2>/dev/null
		fi
	done | sort
}

state_entries() {
	[[ -d $STATE_ROOT ]] && find "$STATE_ROOT" -mindepth 1 -maxdepth 1 ! -name .gc.lock 2>/dev/null | sort
	if [[ $TIER == rootless ]]; then
		[[ -n $L_UID && -e /tmp/stanza-$L_UID ]] && echo "/tmp/stanza-$L_UID"
		find /tmp -mindepth 1 -maxdepth 1 -name 'stanza-rl.*' 2>/dev/null | sort
	fi
	return 0
}

stanza_mounts() { grep -i stanza /proc/self/mountinfo | sed 's/^[0-9]* [0-9]* //' | sort; }

lock_holder() { # FILE
	local ino
	ino=$(stat -c %i "$1" 2>/dev/null) || return 1
	awk -v ino="$ino" '$0 !~ /->/ { n = split($6, a, ":"); if (n == 3 && a[3] == ino) { print $5; exit } }' /proc/locks
}

# Ancestors of this shell, and this shell: never counted as leftovers.
declare -A SELF=()
p=$$
while [[ -n $p && $p != 0 ]]; do
	SELF[$p]=1
	p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
done

# Is PID this checker or one of its helpers (a descendant of this shell)?
mine() { # PID
	local p=$1 n=0
	while [[ -n $p && $p != 0 && $p != 1 ]] && ((n++ < 64)); do
		[[ $p == "$$" ]] && return 0
		p=$(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
	done
	return 1
}

# PIDs of processes in this suite, other than this checker, its helpers and its
# ancestors: by environment (ctest sets STANZA_BUILD_DIR for each test), or by a
# test marker in argv; in the rootless tier, any process of the test user.
suite_pids() {
	local pid
	{
		grep -lzxF "STANZA_BUILD_DIR=$STANZA_BUILD_DIR" /proc/[0-9]*/environ 2>/dev/null
		grep -laF 'szit-' /proc/[0-9]*/cmdline 2>/dev/null
		[[ -n $L_UID ]] && pgrep -u "$L_UID" | sed 's|.*|/proc/&/x|'
	} | sed -n 's|^/proc/\([0-9]*\)/.*|\1|p' | sort -un | while read -r pid; do
		[[ -n ${SELF[$pid]:-} ]] && continue
		[[ -e /proc/$pid ]] || continue
		mine "$pid" && continue
		echo "$pid"
	done
}

ours() { # PID
	suite_pids | grep -qx "$1"
}

# The suite's own leftover processes, with their command lines (minus those
# that were there at the baseline).
# (A zombie is not counted: it holds nothing but its pid, and the suite's
# orphans are reaped by PID 1, which on some machines does it a few seconds
# later.)
leftover_procs() {
	local pid
	for pid in $(suite_pids); do
		grep -qsx "$pid" "$RUNS_DIR/baseline.procs" && continue
		[[ $(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$pid/status" 2>/dev/null) == [^Z] ]] &&
			echo "$pid $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
	done
	return 0
}

baseline() {
	rm -rf "$RUNS_DIR"
	mkdir -p "$RUNS_DIR"
	: >"$RUNS_DIR/runs"
	: >"$RUNS_DIR/done"
	stanza_cgroups >"$RUNS_DIR/baseline.cgroups"
	state_entries >"$RUNS_DIR/baseline.state"
	stanza_mounts >"$RUNS_DIR/baseline.mounts"
	echo "baseline: $(wc -l <"$RUNS_DIR/baseline.cgroups") stanza cgroups," \
		"$(wc -l <"$RUNS_DIR/baseline.state") entries in $STATE_ROOT${L_UID:+ and the rootless test places}," \
		"$(wc -l <"$RUNS_DIR/baseline.mounts") mounts naming stanza (left alone, not counted)"
	local procs
	procs=$(leftover_procs)
	suite_pids >"$RUNS_DIR/baseline.procs"
	if [[ -n $procs ]]; then
		echo "warning: processes that look like this suite's run already (left alone, not counted):"
		echo "$procs" | sed 's/^/    /'
	fi
	return 0
}

# Is a state entry in use by a stanza outside this suite? Prints its holder.
foreign_holder() { # STATE_DIR
	local pid
	pid=$(lock_holder "$1/lock") || return 1
	[[ -n $pid && -e /proc/$pid ]] || return 1
	ours "$pid" && return 1
	echo "$pid"
}

check() {
	local bad=0 e pid id c new_cg new_state new_mounts procs total ran all missing
	[[ -f $RUNS_DIR/baseline.state ]] || {
		echo "no baseline in $RUNS_DIR (run 'leaks.sh baseline' first)"
		return 1
	}
	# Give cleanup of the last container a moment (it is synchronous in stanza,
	# so this only matters when something is wrong).
	sleep 0.2

	declare -A foreign=()
	new_state=$(comm -13 "$RUNS_DIR/baseline.state" <(state_entries))
	for e in $new_state; do
		if pid=$(foreign_holder "$e"); then
			echo "note: $e is locked by pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline")), a stanza outside this suite: ignored"
			foreign[${e##*/}]=1
		else
			echo "LEAK: state entry $e"
			ls -la "$e" 2>/dev/null | sed 's/^/    /'
			bad=1
		fi
	done

	new_cg=$(comm -13 "$RUNS_DIR/baseline.cgroups" <(stanza_cgroups))
	for c in $new_cg; do
		id=${c##*/stanza-}
		if [[ -n ${foreign[$id]:-} ]]; then
			continue
		fi
		echo "LEAK: cgroup $c (processes: $(tr '\n' ' ' <"$c/cgroup.procs" 2>/dev/null))"
		bad=1
	done

	new_mounts=$(comm -13 "$RUNS_DIR/baseline.mounts" <(stanza_mounts))
	if [[ -n $new_mounts ]]; then
		echo "LEAK: mounts naming stanza in the host's mount namespace:"
		echo "$new_mounts" | sed 's/^/    /'
		bad=1
	fi

	procs=$(leftover_procs)
	if [[ -n $procs ]]; then
		echo "LEAK: processes of this suite still running:"
		echo "$procs" | sed 's/^/    /'
		bad=1
	fi

	total=$(cat "$RUNS_DIR/runs" 2>/dev/null | grep -c '')
	echo "container runs counted: $total"
	sort "$RUNS_DIR/runs" | uniq -c | sort -rn | sed 's/^/    /'

	# The floor applies to a whole-suite run (every test using lib.sh ended);
	# `ctest -R one_test` runs fewer.
	all=$(cd "$HERE" && grep -l 'lib\.sh' test_*.sh | sed 's/\.sh$//' | sort)
	ran=$(sort -u "$RUNS_DIR/done")
	missing=$(comm -23 <(echo "$all") <(echo "$ran"))
	if [[ -z $missing ]]; then
		if ((total < MIN_RUNS)); then
			echo "FAIL: the suite made $total container runs, fewer than $MIN_RUNS"
			bad=1
		else
			echo "the suite made $total container runs (at least $MIN_RUNS required)"
		fi
	else
		echo "partial run (not run: $(echo $missing)): the $MIN_RUNS-run floor is not enforced"
	fi

	((bad == 0)) && echo "no leaks"
	[[ $TIER == rootless ]] && ((bad)) && clean_rootless
	return $bad
}

# Rootless tier: remove what a broken or killed tests/rootless/run.sh left.
clean_rootless() {
	local p e
	echo "cleaning up what the rootless tier left"
	if [[ -n $L_UID ]]; then
		for p in $(pgrep -u "$L_UID"); do kill -KILL "$p" 2>/dev/null; done
		bash "$HERE/../rootless/delegate.sh" teardown "$LEARNER" >/dev/null 2>&1
	fi
	for e in $(comm -13 "$RUNS_DIR/baseline.state" <(state_entries)); do
		[[ $e == /tmp/stanza-rl.* || $e == "/tmp/stanza-$L_UID" ]] && rm -rf "$e"
	done
}

case ${1:-} in
baseline) baseline ;;
check) check ;;
*)
	echo "usage: $0 baseline|check" >&2
	exit 2
	;;
esac
