#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_21_faults_mounts.sh - faults (b) a full disk under the state root and (c) a cgroup that refuses removal (EBUSY) for a while: clear messages, nothing lost or left behind (root)
#
# (b) A 4 MiB tmpfs over the state root: a container that writes 8 MiB gets
#     "No space left on device" itself and stanza returns its status; a state
#     root whose inodes run out at every point of stanza's setup gives one
#     clear "stanza: ..." line and exit 125, and leaves nothing.
# (c) A tmpfs mounted on a child directory of the container's cgroup makes
#     rmdir fail with EBUSY until it is unmounted. stanza retries, with a
#     growing pause, for up to 5 s (cgroup_destroy.c): held 2 s, the cgroup
#     is removed and stanza exits with the command's status; held longer,
#     stanza says which cgroup it leaves behind (exit 125), keeps the state
#     directory so that the next stanza's collector removes both, and that
#     collector, while one orphan is still busy, still collects the others.
#
# Root only: it mounts file systems, in the mount namespace its stanzas use.
# A learner cannot (outside a user namespace of its own, where stanza would
# not be rootless any more): skipped rootless (tests/integration/expected-skips).
#
# As root the test runs in a mount namespace of its own, with a fresh tmpfs
# on /run/stanza: the small file systems go on top of it, and no other
# stanza on the machine sees (or collects) this test's state.
. "$(dirname "$0")/soak_lib.sh"
soak_private_state "$@"
. "$(dirname "$0")/lib.sh"
# Leftovers: what this test's stanzas leave (soak_lib.sh).
soak_leftover_rules

require_root

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)
mkfifo "$SZIT_TMP/idle"
exec 7<>"$SZIT_TMP/idle"

# Whatever happens, leave no mount and no cgroup of ours: lib.sh's finish
# runs last on every path (end, failure, signal).
HELD=()
cleanup_mounts() {
	local d
	while grep -q ' szit-full ' <(awk -v r="$STATE_ROOT" '$5 == r { print $0 }' /proc/self/mountinfo); do
		umount "$STATE_ROOT" 2>/dev/null || break
	done
	for d in ${HELD[@]+"${HELD[@]}"}; do
		umount "$d" 2>/dev/null
		rmdir "$d" 2>/dev/null
	done
	HELD=()
}
eval "$(declare -f finish | sed '1s/^finish/szit_lib_finish/')"
finish() {
	cleanup_mounts
	szit_lib_finish
}

state_left() { find "$STATE_ROOT" -mindepth 1 -maxdepth 1 ! -name .gc.lock ! -name 'szit-fill*' 2>/dev/null | sort; }

# ---------------------------------------------------------------- (b) a full disk

mount -t tmpfs -o size=4m,mode=700 szit-full "$STATE_ROOT" || die "cannot mount a 4 MiB tmpfs on $STATE_ROOT"
run_stanza -- sh -c 'dd if=/dev/zero of=/big bs=1M count=8 2>&1; echo "dd: $?"; rm -f /big; echo again >/again && cat /again; exit 3' "$MARK"
assert_status 3 "a container filling its 4 MiB writable layer ends with its own status"
assert_match "the write in the container fails with 'No space left on device'" 'No space left on device' "$OUT"
assert_match "dd inside saw the failure (status 1)" 'dd: 1' "$OUT"
assert_match "once the file is gone the container can write again" 'again' "$OUT"
assert_eq "stanza itself says nothing: the command's failure is the command's" "" "$ERR"
assert_eq "nothing is left in the full state root" "" "$(state_left)"

# The blocks full (one file takes them all), inodes free: stanza's setup
# needs no blocks; the container's writes fail.
dd if=/dev/zero of="$STATE_ROOT/szit-fill" bs=64k >/dev/null 2>&1
run_stanza -- sh -c 'echo hi >/f; echo "write: $?"' "$MARK"
assert_status 0 "with the state root's blocks all taken, a container still runs"
assert_match "and its writes fail with 'No space left on device'" 'No space left on device' "$OUT$ERR"
assert_eq "nothing is left" "" "$(state_left)"
umount "$STATE_ROOT"

# Inodes: none at all (not even for .gc.lock), then a few more each time, so
# that stanza runs out at each step of its setup in turn.
mount -t tmpfs -o size=4m,nr_inodes=1,mode=700 szit-full "$STATE_ROOT" || die "cannot mount a tmpfs with 1 inode"
run_stanza -- true "$MARK"
assert_status 125 "a state root without a free inode: stanza fails"
assert_one_error_line "a state root without a free inode"
assert_match "it names the state root and says 'No space left on device'" "'$STATE_ROOT'.*No space left on device" "$ERR"
assert_eq "nothing is left" "" "$(state_left)"
umount "$STATE_ROOT"

mount -t tmpfs -o size=4m,nr_inodes=64,mode=700 szit-full "$STATE_ROOT" || die "cannot mount a tmpfs with 64 inodes"
run_stanza -- true "$MARK"
assert_status 0 "a run on the small state root (makes .gc.lock)"
n=0
while touch "$STATE_ROOT/szit-fill$n" 2>/dev/null; do n=$((n + 1)); done
worked=0 failed=0 unclear=0 messy=0
for ((free = 0; free <= 14; free++)); do
	((free > 0)) && rm -f "$STATE_ROOT/szit-fill$((n - free))"
	run_stanza -- sh -c 'echo ran' "$MARK"
	if [[ $STATUS == 0 && $OUT == ran ]]; then
		worked=$((worked + 1))
	elif [[ $STATUS == 125 && $(printf '%s' "$ERR" | grep -c '') == 1 && $ERR == "stanza: "* ]]; then
		failed=$((failed + 1))
		note "$free free inode(s): ${ERR}"
		# An overlay that could not make its work directory comes up
		# read-only; stanza checks and says so, with ENOSPC (src/runtime/mounts.c).
		[[ $ERR =~ No\ space\ left\ on\ device ]] || unclear=$((unclear + 1))
	else
		messy=$((messy + 1))
		note "$free free inode(s): unexpected"
		show_run
	fi
	left=$(state_left)
	if [[ -n $left ]]; then
		messy=$((messy + 1))
		note "$free free inode(s): left behind: $(echo $left)"
		rm -rf $left
	fi
done
note "inode sweep: $failed runs failed cleanly, $worked ran"
assert_eq "every run short of inodes failed with one 'stanza: ' line and exit 125, or ran; nothing left" 0 "$messy"
assert_eq "every such failure says 'No space left on device' (but the known overlay case)" 0 "$unclear"
assert_le "the sweep reached the point where the container runs" "$worked" 1
assert_le "and failed at several steps of the setup before" "$failed" 4
umount "$STATE_ROOT"
assert_eq "no stanza cgroup or state entry is left by the full-disk runs" "" "$(new_leftovers "$cg_before" "$state_before")"

# ---------------------------------------------------------------- (c) EBUSY

# Start a container with --memory that waits for a line; hold its memory
# cgroup busy with a tmpfs on <cgroup>/held. Sets SPID, ID, CG, HELD_DIR.
start_held() { # NAME
	bg_start "$1" --stdin "$SZIT_TMP/$1.in" --memory 64M -- sh -c 'echo ready; read x; exit 7' "$MARK-$1"
	SPID=$BG_PID ID='' CG='' HELD_DIR=''
	wait_for_line "$SZIT_TMP/$1.out" '^ready$' 20 || { fail "$1: the container did not start"; return 1; }
	ID=$(state_id_of "$SPID") || { fail "$1: no state directory locked by its stanza"; return 1; }
	pid1=$(container_pid1 "$SPID" 5) && CG=$(cgroup_dir_of "$pid1" memory)
	[[ $CG == */stanza-$ID ]] || { fail "$1: no memory cgroup stanza-$ID (got '$CG')"; return 1; }
	HELD_DIR=$CG/held
	mkdir "$HELD_DIR" && HELD+=("$HELD_DIR") &&
		mount -t tmpfs -o ro,size=4k szit-held "$HELD_DIR" || { fail "$1: cannot hold $HELD_DIR"; return 1; }
	rmdir "$HELD_DIR" 2>/dev/null && { fail "$1: rmdir of the held directory worked"; return 1; }
	return 0
}
release_held() {
	umount "$HELD_DIR"
	HELD=()
}

# c1: held for 2 s after the container ended: stanza waits it out.
mkfifo "$SZIT_TMP/c1.in"
exec 8<>"$SZIT_TMP/c1.in"
if start_held c1; then
	echo go >&8
	t0=$(now_ms)
	wait_gone "$pid1" 5
	nap 2
	assert_true "c1: 2 s after the container ended, stanza is still retrying" alive "$SPID"
	release_held
	t1=$(now_ms)
	bg_wait c1 20
	took=$(($(now_ms) - t1))
	assert_status 7 "c1: the cgroup held for 2 s: stanza exits with the command's status"
	assert_eq "c1: and says nothing" "" "$ERR"
	assert_le "c1: it ended soon after the release (its pause is at most 250 ms; $took ms, $(($(now_ms) - t0)) ms after the command)" 1500 "$took"
	assert_true "c1: its cgroup is removed" test ! -e "$CG"
	assert_true "c1: its state directory is removed" test ! -e "$STATE_ROOT/$ID"
fi
exec 8>&-

# c2: held beyond the 5 s stanza waits: it gives up, says so, keeps the state.
mkfifo "$SZIT_TMP/c2.in"
exec 8<>"$SZIT_TMP/c2.in"
if start_held c2; then
	C2_ID=$ID C2_CG=$CG
	echo go >&8
	t0=$(now_ms)
	bg_wait c2 30
	took=$(($(now_ms) - t0))
	assert_status 125 "c2: a cgroup busy for longer than stanza waits: stanza fails"
	assert_one_error_line "c2"
	assert_match "c2: the message names the busy cgroup" "'$HELD_DIR'" "$ERR"
	assert_match "c2: says it is busy and for how long" 'still busy after 5 s' "$ERR"
	assert_match "c2: and that the next stanza will remove it" 'next stanza .*will remove it' "$ERR"
	assert_le "c2: stanza gave up after about 5 s ($took ms)" 8000 "$took"
	assert_le "c2: and not before" "$took" 4900
	assert_true "c2: the cgroup is still there" test -d "$C2_CG"
	assert_true "c2: so is the state directory, for the collector" test -d "$STATE_ROOT/$C2_ID"
	assert_eq "c2: with its lock free" "" "$(lock_holder "$STATE_ROOT/$C2_ID/lock")"

	# Another orphan beside the busy one: a stanza SIGKILLed mid-run.
	bg_start orphan --stdin "$SZIT_TMP/idle" --memory 64M -- sh -c 'echo ready; read x' "$MARK-orphan"
	if wait_for_line "$SZIT_TMP/orphan.out" '^ready$' 20 && O_ID=$(state_id_of "$BG_PID"); then
		kill -KILL "$BG_PID"
		bg_wait orphan 10 2>/dev/null
		run_stanza -- true "$MARK"
		assert_status 0 "c2: the next run works while a cgroup is still busy"
		assert_true "c2: its collector removed the other orphan's state" test ! -e "$STATE_ROOT/$O_ID"
		assert_eq "c2: and its cgroups" "" "$(all_stanza_cgroups | grep -- "-$O_ID\$")"
		assert_true "c2: the busy one stays for later" test -d "$STATE_ROOT/$C2_ID"
	else
		fail "c2: the orphan's container did not start"
	fi

	release_held
	run_stanza -- true "$MARK"
	assert_status 0 "c2: once released, the next run works"
	assert_true "c2: and its collector removed the cgroup left behind" test ! -e "$C2_CG"
	assert_true "c2: and its state directory" test ! -e "$STATE_ROOT/$C2_ID"
fi
exec 8>&-

nap 0.2
assert_eq "no stanza cgroup or state entry is left" "" "$(new_leftovers "$cg_before" "$state_before")"
assert_eq "no process of the test is left" "" "$(procs_with "$MARK")"
exec 7>&-
finish
