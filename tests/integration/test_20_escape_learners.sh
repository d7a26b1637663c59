#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_20_escape_learners.sh - one learner's containers cannot see or affect another's: processes, signals, /proc, namespaces, state directories, cgroups
#
# The classroom case: several learners, each running stanza rootless as their
# own user, and perhaps root's containers beside them. As root, this test
# plays root and two learners (LEARNER1: stanzatest when that user exists,
# else uid 64101; LEARNER2: uid 64102; rootless, each with a private
# XDG_RUNTIME_DIR and HOME in the test's directory, through setpriv). Each
# keeps a container running; then each starts another whose command tries
# to reach every running one, and each learner's shell on the host tries
# too. As a learner (the rootless tier), there is no other user to become:
# the same checks run between two containers of the learner's own, and the
# learner's shell tries to reach root's state and cgroups.
# shellcheck disable=SC2016 # (the containers' scripts are in single quotes on purpose)
. "$(dirname "$0")/lib.sh"

SLEEPER='trap "exit 0" TERM; echo ready; sleep 60 & wait'
VARTMP_NEW=()
LIMITS=()
limits_available && LIMITS=(--pids 64)

# Who plays: "root" or "self" (whoever runs the test), and the learners.
declare -A RUNNER=() STATE_OF=()
players=(self)
declare -A NAME=([self]=root [learner1]=learner1 [learner2]=learner2)
((ROOTLESS)) && NAME[self]="the learner"
RUNNER[self]=$STANZA
# Where each player's stanza may keep its state: the state root, or where a
# stanza goes when that file system has no user xattrs (docs/rootless.md).
STATE_OF[self]="$STATE_ROOT"
((ROOTLESS)) && STATE_OF[self]+=" ${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/stanza/run /var/tmp/stanza-$LEARNER_UID"

if ((!ROOTLESS)) && command -v setpriv >/dev/null; then
	bin=$SZIT_TMP/bin/stanza
	if ! { mkdir "$SZIT_TMP/bin" && cp "$STANZA" "$bin" && chmod 755 "$bin"; }; then
		die "cannot copy $STANZA"
	fi
	img=$SZIT_TMP/img
	copy_image "$img" || die "cannot copy the image"
	l1=$(id -u stanzatest 2>/dev/null || echo 64101)
	for who in learner1 learner2; do
		if [[ $who == learner1 ]]; then u=$l1; else u=64102; fi
		d=$SZIT_TMP/$who
		if ! { mkdir -p "$d/run" "$d/home" "$d/cache" && chown -R "$u:$u" "$d" && chmod 700 "$d/run" "$d/home"; }; then
			die "cannot make the directories of $who"
		fi
		# What this user's stanza would fall back to (a /tmp without user xattrs).
		[[ -e /var/tmp/stanza-$u ]] || VARTMP_NEW+=("/var/tmp/stanza-$u")
		cat >"$SZIT_TMP/as-$who" <<-EOF
			#!/bin/sh
			exec setpriv --reuid=$u --regid=$u --clear-groups env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
				HOME=$d/home XDG_RUNTIME_DIR=$d/run XDG_CACHE_HOME=$d/cache STANZA_BUILD_DIR=$STANZA_BUILD_DIR "\$@"
		EOF
		printf '#!/bin/sh\nexec %s %s "$@"\n' "$SZIT_TMP/as-$who" "$bin" >"$SZIT_TMP/stanza-$who"
		chmod 755 "$SZIT_TMP/as-$who" "$SZIT_TMP/stanza-$who"
		players+=("$who")
		RUNNER[$who]=$SZIT_TMP/stanza-$who
		STATE_OF[$who]="$d/run/stanza $d/cache/stanza/run /var/tmp/stanza-$u"
	done
	note "players: root, learner1 (uid $l1), learner2 (uid 64102)"
elif ((!ROOTLESS)); then
	note "no setpriv: root's containers are checked against each other only"
fi
IMG_ARGS=()
[[ -n ${img:-} ]] && IMG_ARGS=(--image "$img")

# as WHO COMMAND...: run a command on the host as that player.
as() {
	local who=$1
	shift
	if [[ $who == self ]]; then "$@"; else "$SZIT_TMP/as-$who" "$@"; fi
}

# The state directory (in one of ROOTS) whose lock stanza process SPID holds.
state_dir_of() { # "ROOTS" SPID
	local root lock
	for root in $1; do
		for lock in "$root"/*/lock; do
			[[ $(lock_holder "$lock") == "$2" ]] && { echo "${lock%/lock}"; return 0; }
		done
	done
	return 1
}

# ---------------------------------------------------------------- every player keeps a container running

declare -A SPID=() PID1=() SDIR=() CG=()
for who in "${players[@]}"; do
	saved=$STANZA
	STANZA=${RUNNER[$who]}
	opts=("${IMG_ARGS[@]}")
	[[ $who == self ]] && opts+=("${LIMITS[@]}")
	bg_start "run-$who" "${opts[@]}" -- sh -c "$SLEEPER" "$MARK"
	STANZA=$saved
	SPID[$who]=$BG_PID
done
for who in "${players[@]}"; do
	if ! wait_for_line "$SZIT_TMP/run-$who.out" '^ready$' 20; then
		fail "${NAME[$who]}'s container did not start: $(head -c 300 "$SZIT_TMP/run-$who.err")"
		continue
	fi
	PID1[$who]=$(container_pid1 "${SPID[$who]}" 5)
	SDIR[$who]=$(state_dir_of "${STATE_OF[$who]}" "${SPID[$who]}")
	CG[$who]=$(cgroup_dir_of "${PID1[$who]}" pids 2>/dev/null)
	[[ ${CG[$who]} == */stanza-* ]] || CG[$who]=
	assert_match "${NAME[$who]}'s container runs (PID 1 on the host: ${PID1[$who]:-none}, state ${SDIR[$who]:-none})" '^[0-9]+x$' \
		"${PID1[$who]}${SDIR[$who]:+x}"
done
((ROOTLESS)) || [[ -z ${CG[self]} ]] || note "root's container's cgroup: ${CG[self]}"

# ---------------------------------------------------------------- from inside a new container of each player

# Each target is PID:STATE-DIR. The marker is passed as a pattern that does
# not match itself ([s]zit-...), so that grep does not find its own.
targets=()
for who in "${players[@]}"; do
	[[ -n ${PID1[$who]} ]] && targets+=("${PID1[$who]}:${SDIR[$who]}")
done
for who in "${players[@]}"; do
	saved=$STANZA
	STANZA=${RUNNER[$who]}
	opts=("${IMG_ARGS[@]}")
	[[ $who == self ]] && opts+=("${LIMITS[@]}")
	run_stanza "${opts[@]}" -- sh -c '
		m1=$1 m2=$2; shift 2
		for t in "$@"; do
			pid=${t%%:*} dir=${t#*:}
			[ -e /proc/$pid ] && echo "see $pid"
			kill -0 $pid 2>/dev/null && echo "signal $pid"
			ls "$dir" >/dev/null 2>&1 && echo "reach $dir"
			ls "$dir/upper" >/dev/null 2>&1 && echo "reach $dir/upper"
		done
		echo "marked=$(grep -l "$m1-$m2" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)"
		echo "procs=$(ls -d /proc/[0-9]* | wc -l)"
		echo "cgroups=$(cat /proc/self/cgroup | grep -c stanza-)"
		echo end' sh '[s]zit' "$TEST_NAME-$$" "${targets[@]}"
	STANZA=$saved
	assert_status 0 "${NAME[$who]}'s new container: the attempts ran"
	assert_no_match "${NAME[$who]}'s new container cannot see any running container (/proc/<host pid>)" '(^|'$'\n'')see ' "$OUT"
	assert_no_match "${NAME[$who]}'s new container cannot signal any of them" '(^|'$'\n'')signal ' "$OUT"
	assert_no_match "${NAME[$who]}'s new container cannot reach their state directories" '(^|'$'\n'')reach ' "$OUT"
	assert_match "${NAME[$who]}'s new container sees no process of theirs" '(^|'$'\n'')marked=0('$'\n''|$)' "$OUT"
	assert_match "${NAME[$who]}'s new container sees only its own processes" '(^|'$'\n'')procs=[1-4]('$'\n''|$)' "$OUT"
	assert_match "${NAME[$who]}'s new container sees no stanza cgroup path" '(^|'$'\n'')cgroups=0('$'\n''|$)' "$OUT"
done

# ---------------------------------------------------------------- from a learner's shell on the host

# Each learner (not root: root is the host's administrator) against every
# other player's container: its PID 1, its stanza, its state directory.
declare -A WHAT=(
	[kill-pid1]="signal PID 1" [kill-stanza]="signal stanza"
	[environ]="read /proc/<pid>/environ" [mem]="open /proc/<pid>/mem (ptrace access)"
	[root]="list /proc/<pid>/root" [cwd]="list /proc/<pid>/cwd" [ns]="read /proc/<pid>/ns/mnt"
	[nsenter]="nsenter" [state]="list the state directory" [upper]="list the writable layer"
	[plant]="plant a file in the state directory" [cg-join]="join the cgroup" [cg-limit]="raise pids.max"
)
for who in "${players[@]}"; do
	[[ $who == self ]] && ((!ROOTLESS)) && continue
	for other in "${players[@]}"; do
		[[ $other == "$who" || -z ${PID1[$other]} ]] && continue
		out=$(as "$who" sh -c '
			p=$1 s=$2 dir=$3 cg=$4
			kill -0 $p 2>/dev/null; echo "kill-pid1=$?"
			kill -0 $s 2>/dev/null; echo "kill-stanza=$?"
			head -c 1 /proc/$p/environ >/dev/null 2>&1; echo "environ=$?"
			head -c 1 /proc/$p/mem >/dev/null 2>&1; echo "mem=$?"
			ls /proc/$p/root/ >/dev/null 2>&1; echo "root=$?"
			ls /proc/$p/cwd/ >/dev/null 2>&1; echo "cwd=$?"
			readlink /proc/$p/ns/mnt >/dev/null 2>&1; echo "ns=$?"
			if command -v nsenter >/dev/null; then nsenter -t $p -a true 2>/dev/null; echo "nsenter=$?"; fi
			ls "$dir" >/dev/null 2>&1; echo "state=$?"
			ls "$dir/upper" >/dev/null 2>&1; echo "upper=$?"
			echo x >"$dir/szit-planted" 2>/dev/null; echo "plant=$?"
			if [ -n "$cg" ]; then
				echo $$ >"$cg/cgroup.procs" 2>/dev/null; echo "cg-join=$?"
				echo max >"$cg/pids.max" 2>/dev/null; echo "cg-limit=$?"
			fi' sh "${PID1[$other]}" "${SPID[$other]}" "${SDIR[$other]}" "${CG[$other]}" 2>&1)
		declare -A got=()
		while IFS='=' read -r k v; do got[$k]=$v; done <<<"$out"
		for k in kill-pid1 kill-stanza environ mem root cwd ns nsenter state upper plant cg-join cg-limit; do
			[[ -n ${got[$k]-} ]] || continue
			assert_match "${NAME[$who]}'s shell cannot ${WHAT[$k]} of ${NAME[$other]}'s container" '^[1-9]' "${got[$k]}"
		done
		unset got
		assert_true "... and ${NAME[$other]}'s state directory has nothing planted" test ! -e "${SDIR[$other]}/szit-planted"
	done
done
if ((ROOTLESS)); then
	# The learner against root's state, should root have containers.
	if [[ -d /run/stanza ]]; then
		assert_true "the learner cannot list root's state root /run/stanza" test ! -r /run/stanza -o ! -x /run/stanza
	fi
	# ... nor move itself (and its containers) out of its cgroup, to the top.
	writable=
	for m in $(cgroup_mounts); do
		[[ -O $m || ! -e $m/cgroup.procs ]] && continue
		[[ -w $m/cgroup.procs ]] && writable+=" $m/cgroup.procs"
	done
	assert_eq "the learner cannot write the top cgroup.procs of any hierarchy" "" "$writable"
fi

# ---------------------------------------------------------------- all still there; then stopped and gone

for who in "${players[@]}"; do
	[[ -n ${PID1[$who]} ]] || continue
	assert_true "${NAME[$who]}'s container is still running after all that" alive "${PID1[$who]}"
done
for who in "${players[@]}"; do kill -TERM "${SPID[$who]}" 2>/dev/null; done
for who in "${players[@]}"; do
	bg_wait "run-$who" 15
	assert_match "${NAME[$who]}'s stanza ends on SIGTERM" '^(0|143)$' "$STATUS"
	[[ -n ${SDIR[$who]} ]] && assert_true "${NAME[$who]}'s state directory is removed" test ! -e "${SDIR[$who]}"
done
assert_eq "no process of the test is left" "" "$(procs_with "$MARK")"
for d in ${VARTMP_NEW[@]+"${VARTMP_NEW[@]}"}; do
	[[ -e $d ]] && rm -rf "$d"
done
finish
