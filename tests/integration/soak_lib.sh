# SPDX-License-Identifier: GPL-3.0-or-later
# soak_lib.sh - helpers of the soak and fault tests (test_21_faults_*, test_22_soak): a private state root, and what counts as left behind on a shared machine
# shellcheck shell=bash
#
# Sourced by those scripts only (it is not a test: ctest runs test_*.sh).
#
#   soak_private_state "$@"   before lib.sh, as the script's first command: as
#       root, run the script again in a mount namespace of its own with a
#       fresh tmpfs on /run/stanza. Every root stanza on the machine shares
#       that state root, and one starting meanwhile would collect what the
#       test leaves there on purpose (orphans) or looks at. The host's state
#       root stays reachable through fd 9. Rootless, the learner's state root
#       is private already: nothing to do.
#   soak_leftover_rules       after lib.sh: make lib.sh's new_leftovers count
#       only what this test's stanzas leave (below).
#
# What counts as left behind: every new entry of the state root (private to
# the test, or this user's), and a new container cgroup - stanza-<12 hex
# digits> directly under one of this user's bases (lib.sh's cgroup_bases) -
# unless another stanza still runs it: its lock is held (in the host's state
# root too, when the test's is private), or it holds processes none of which
# carries the test's marker (a container whose state this test cannot see,
# such as another fault test's in its own namespace). Other users'
# containers, and the stanza-<user> directories an administrator or another
# test tier delegates, are not this test's. What is still there after up to
# 10 s counts (another stanza's cgroup may stay busy for 7 s in
# test_21_faults_mounts).

soak_private_state() {
	[[ $(id -u) == 0 && -z ${SZIT_PRIVATE_STATE:-} ]] || return 0
	export SZIT_PRIVATE_STATE=1
	mkdir -p /run/stanza
	exec 9</run/stanza
	exec unshare -m --propagation private bash -c \
		'mount -t tmpfs -o mode=700 szit-state /run/stanza && exec bash "$0" "$@"' "$0" "$@"
}

soak_leftover_rules() {
	HOST_STATE=
	if [[ -n ${SZIT_PRIVATE_STATE:-} && -d /proc/$$/fd/9/ ]]; then
		HOST_STATE=/proc/$$/fd/9
		# Two file systems hold state directories now: a lock is told by its
		# device and inode, not its inode alone.
		lock_holder() { # FILE
			local key
			key=$(stat -c '%Hd %Ld %i' "$1" 2>/dev/null) || return 1
			# shellcheck disable=SC2086 # (three words)
			key=$(printf '%02x:%02x:%s' $key)
			awk -v key="$key" '$0 !~ /->/ && $6 == key { print $5; exit }' /proc/locks
		}
	fi
	OWN_BASES=$(cgroup_bases)
	eval "$(declare -f new_leftovers_now | sed '1s/^new_leftovers_now/soak_any_leftovers_now/')"
	new_leftovers_now() {
		local e
		soak_any_leftovers_now "$@" | while IFS= read -r e; do
			if [[ $e == "$STATE_ROOT"/* ]]; then
				echo "$e"
			elif [[ ${e##*/} =~ ^stanza-[0-9a-f]{12}$ ]] && grep -qxF -- "${e%/*}" <<<"$OWN_BASES" &&
				[[ -z $HOST_STATE || -z $(lock_holder "$HOST_STATE/${e##*/stanza-}/lock") ]] &&
				! soak_foreign_running "$e"; then
				echo "$e"
			fi
		done
	}
	new_leftovers() { # BEFORE_CGROUPS BEFORE_STATE
		local left deadline=$(($(now_ms) + 10000))
		while :; do
			left=$(new_leftovers_now "$@")
			[[ -z $left ]] && return 0
			(($(now_ms) < deadline)) || break
			nap 0.5
		done
		printf '%s\n' "$left"
	}
}

# Does cgroup DIR hold processes, none of them this test's (MARK in argv)?
soak_foreign_running() { # DIR
	local p any=0
	for p in $(cat "$1/cgroup.procs" 2>/dev/null); do
		any=1
		grep -qaF -- "$MARK" "/proc/$p/cmdline" 2>/dev/null && return 1
	done
	((any))
}
