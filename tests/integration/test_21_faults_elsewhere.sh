#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_21_faults_elsewhere.sh - faults (b): a stanza SIGKILLed in one cgroup is collected by a stanza started from another; its cgroup goes, nothing leaks
#
# The collector of a killed stanza (state.c) must remove the cgroup that
# stanza made, wherever the collector itself runs. Where that cgroup is can
# depend on the killed stanza's own cgroup: rootless on v2 its base is the
# highest delegated ancestor of its cgroup, so a stanza started from another
# delegated parent puts its containers elsewhere. So each stanza records its
# groups in its state directory (cgroup_place.c), and the collector reads the
# record, never its own idea of the base.
#
# Two sibling cgroups A and B, made for the test:
#   root:        <mount>/szit-elsewhere-<pid>-{a,b} in every hierarchy stanza
#                uses (each v1 one, or the cgroup2 one);
#   rootless v1: <mount>/stanza-<user>/szit-elsewhere-<pid>-{a,b} (the base
#                stays stanza-<user>: an administrator made it);
#   rootless v2: <delegated>/szit-elsewhere-<pid>-{a,b}, each a delegated
#                parent with a leaf "sh" for the shell; while a stanza runs,
#                <delegated>/cgroup.procs is made read-only for the learner
#                (who owns it), so that the highest delegated ancestor - the
#                base - is A for the first stanza and B for the second.
# A subshell moves itself into A (echo $BASHPID > cgroup.procs) and execs
# `stanza run --memory 32M -- sleep 100`, which is SIGKILLed once its
# container runs; another moves into B and runs the next stanza.
. "$(dirname "$0")/soak_lib.sh"
soak_private_state "$@"
. "$(dirname "$0")/lib.sh"
soak_leftover_rules

require_limits

TAG=szit-elsewhere-$$
MODE=$(cgroup_mode)
V2_ROOTLESS=0
((ROOTLESS)) && [[ $MODE == v2 ]] && V2_ROOTLESS=1

# The parent directories A and B are made in: one per hierarchy. As root,
# the test shell's own cgroups (stanza's base is the root all the same).
parents() {
	local c d
	if ((V2_ROOTLESS)); then
		v2_delegated_base
	elif ((ROOTLESS)); then
		for c in memory pids cpu cpuacct; do cgroup_base "$c"; done | sort -u
	else
		for c in memory pids cpu cpuacct; do
			d=$(cgroup_dir_of $$ "$c") && echo "${d%/}"
		done | sort -u
	fi
}
PARENTS=$(parents)
[[ -n $PARENTS ]] || die "no cgroup parent to make the test's cgroups in"
DELEGATED=
((V2_ROOTLESS)) && DELEGATED=$PARENTS

# The directory a shell of side SIDE (a or b) moves into, under PARENT.
leaf_of() { # PARENT SIDE
	if ((V2_ROOTLESS)); then echo "$1/$TAG-$2/sh"; else echo "$1/$TAG-$2"; fi
}

make_sides() {
	local p s c
	# v2: the controllers reach A and B only when their parent enables them
	# (stanza would, for a base it uses, but A must offer them to be one).
	if ((V2_ROOTLESS)); then
		for c in memory pids cpu; do
			grep -qw "$c" "$DELEGATED/cgroup.subtree_control" ||
				echo "+$c" >"$DELEGATED/cgroup.subtree_control" || return 1
		done
	fi
	for p in $PARENTS; do
		for s in a b; do
			mkdir -p "$(leaf_of "$p" "$s")" || return 1
		done
	done
}

# Run in a subshell: move it into side SIDE of every hierarchy; on rootless
# v2, then make the delegated parent's cgroup.procs read-only so that the
# side is the highest delegated ancestor. (The subshell's own cgroup has
# moved: the common ancestor's permission is needed only for the move.)
enter_side() { # SIDE
	local p
	((V2_ROOTLESS)) && chmod u+w "$DELEGATED/cgroup.procs"
	for p in $PARENTS; do
		echo "$BASHPID" >"$(leaf_of "$p" "$1")/cgroup.procs" || return 1
	done
	((V2_ROOTLESS)) && chmod u-w "$DELEGATED/cgroup.procs"
	return 0
}

remove_sides() {
	local p s d
	((V2_ROOTLESS)) && chmod u+w "$DELEGATED/cgroup.procs"
	for p in $PARENTS; do
		for s in a b; do
			d=$(leaf_of "$p" "$s")
			rmdir "$d" 2>/dev/null
			# (the second stanza's own leaf stays in B after it exits, empty)
			((V2_ROOTLESS)) && rmdir "$p/$TAG-$s"/stanza-self-* "$p/$TAG-$s" 2>/dev/null
		done
	done
	return 0
}
# (lib.sh's finish clears the EXIT trap: every way out calls remove_sides first.)
trap 'remove_sides; szit_on_exit' EXIT

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)
leaves_before=$(self_leaves)

if ! make_sides; then
	remove_sides
	die "cannot make the test's cgroups under: $PARENTS"
fi

# ---- the first stanza, in A, killed while its container runs
count_run
(
	enter_side a || exit 99
	exec env --default-signal=INT,QUIT,TERM "$STANZA" run --memory 32M -- sleep 100
) </dev/null >"$SZIT_TMP/a.out" 2>"$SZIT_TMP/a.err" &
spid=$!
pid1=$(container_pid1 "$spid" 20)
if [[ -z $pid1 ]]; then
	kill -KILL "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	sed 's/^/#   /' "$SZIT_TMP/a.err"
	remove_sides
	die "the first stanza's container did not start"
fi
dirs=$(cgroup_dirs_of "$pid1")
id=$(state_id_of "$spid")
assert_ne "the first stanza's container has a cgroup" "" "$dirs"
assert_ne "the first stanza holds a state directory" "" "$id"
((V2_ROOTLESS)) && assert_match "its cgroup is in side A" "^$PARENTS/$TAG-a/stanza-" "$dirs"
kill -KILL "$spid"
wait "$spid" 2>/dev/null
STATUS=$?
assert_eq "the first stanza died of the SIGKILL" 137 "$STATUS"
wait_gone "$pid1" 10 || fail "the container's PID 1 ($pid1) outlived its stanza by 10 s"
for d in $dirs; do
	assert_true "its cgroup $d is left behind for a collector" test -d "$d"
done
assert_true "its state directory is left behind for a collector" test -d "$STATE_ROOT/$id"
assert_true "its state directory records its cgroup" test -s "$STATE_ROOT/$id/cgroup"

# ---- the next stanza, in B, collects it
count_run
(
	enter_side b || exit 99
	exec env --default-signal=INT,QUIT,TERM "$STANZA" run --memory 32M -- true
) </dev/null >"$SZIT_TMP/b.out" 2>"$SZIT_TMP/b.err"
STATUS=$?
ERR=$(<"$SZIT_TMP/b.err")
assert_eq "the next stanza, started from another cgroup, runs (stderr: $ERR)" 0 "$STATUS"
for d in $dirs; do
	assert_true "the killed stanza's cgroup $d is gone" test ! -e "$d"
done
assert_true "the killed stanza's state directory is gone" test ! -e "$STATE_ROOT/$id"
if ((V2_ROOTLESS)); then
	chmod u+w "$DELEGATED/cgroup.procs"
	left=$(find "$PARENTS/$TAG-a" -mindepth 1 -maxdepth 1 -type d -name 'stanza-*' 2>/dev/null)
	assert_eq "nothing named stanza-* is left in side A (the killed stanza's own leaf neither)" "" "$left"
fi
assert_eq "no leftovers (state entries, cgroups)" "" "$(new_leftovers "$cg_before" "$state_before")"
assert_eq "no stanza-self leaves left" "$leaves_before" "$(self_leaves)"

remove_sides
for p in $PARENTS; do
	assert_true "the test's cgroups in $p are removed" test ! -e "$p/$TAG-a" -a ! -e "$p/$TAG-b"
done

# ---- a record is followed only into each controller's own hierarchy
# Collecting kills what a group holds, then removes it. An orphan whose record
# names, for memory, a group of the pids hierarchy (damaged, or written by
# someone else) is not collected: the group, the process in it and the state
# directory stay. Only v1 has a hierarchy per controller (unless memory and
# pids were mounted together); as root, since the test makes a group beside
# stanza's own.
if ((!ROOTLESS)) && [[ $MODE != v2 && $(cgroup_mount memory) != "$(cgroup_mount pids)" ]]; then
	fid=$(printf 'f%011x' $$)
	victim=$(cgroup_mount pids)/stanza-$fid
	mkdir "$victim" "$STATE_ROOT/$fid" || die "cannot make the forged orphan"
	: >"$STATE_ROOT/$fid/lock"
	printf 'memory %s\n' "$victim" >"$STATE_ROOT/$fid/cgroup"
	sleep 100 &
	vpid=$!
	echo "$vpid" >"$victim/cgroup.procs"
	count_run
	"$STANZA" run -- true </dev/null >/dev/null 2>"$SZIT_TMP/f.err"
	STATUS=$?
	assert_eq "a stanza runs beside the forged orphan (stderr: $(<"$SZIT_TMP/f.err"))" 0 "$STATUS"
	assert_true "the process in the group the record names is alive" alive "$vpid"
	assert_true "that group is still there" test -d "$victim"
	assert_true "the forged orphan's state directory is not collected" test -d "$STATE_ROOT/$fid"
	kill -KILL "$vpid"
	wait "$vpid" 2>/dev/null
	rm -rf "${STATE_ROOT:?}/$fid"
	wait_gone "$vpid" 5
	rmdir "$victim" || fail "cannot remove the test's group $victim"
fi
finish
