#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# delegate.sh - as root, hand a learner the cgroups rootless stanza needs for limits, and take them back
#
#   delegate.sh setup USER      make the delegated cgroups (idempotent)
#   delegate.sh leaf USER       v2: print the leaf a learner's session must start in
#                               (nothing on v1, where no process needs moving)
#   delegate.sh exec USER CMD...  v2: move this process into that leaf, then exec CMD
#                               (on v1: just exec CMD)
#   delegate.sh teardown USER   remove them; exit 1 if something was left in them
#   delegate.sh status USER     print what exists
#
# What an administrator does on a machine without systemd (docs/rootless.md):
#
#   cgroup v1 / hybrid: one directory per controller stanza uses (memory, pids,
#     cpu, cpuacct), <mount>/stanza-USER, owned by USER. stanza puts each
#     container in <mount>/stanza-USER/stanza-<id>.
#   cgroup v2: /sys/fs/cgroup/stanza-USER owned by USER, with memory, pids and
#     cpu enabled in the root's cgroup.subtree_control so that they are
#     available in it. The learner's session must run inside it, in a leaf
#     (stanza-USER/session): v2 moves a process only between cgroups whose
#     common ancestor the mover may write, and a cgroup with controllers
#     enabled for its children may hold no process itself. stanza moves itself
#     into stanza-USER/stanza-self-<pid> and puts containers in
#     stanza-USER/stanza-<id>.
#
# Used by tests/rootless/run.sh (the rootless ctest tier) and by the vm tier.
# Needs only a shell, awk, mkdir/rmdir/chown and /proc: no systemd.
set -u

usage() {
	echo "usage: $0 setup|leaf|exec|teardown|status USER [CMD...]" >&2
	exit 2
}
(($# >= 2)) || usage
CMD=$1
LEARNER=$2
shift 2
id -u "$LEARNER" >/dev/null 2>&1 || {
	echo "delegate.sh: no user '$LEARNER'" >&2
	exit 2
}
V1_CONTROLLERS="memory pids cpu cpuacct"
V2_CONTROLLERS="memory pids cpu"

mode() {
	local v1=0 v2=0 fs
	while read -r fs; do
		[[ $fs == cgroup ]] && v1=1
		[[ $fs == cgroup2 ]] && v2=1
	done < <(awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; print $(i + 1) }' /proc/self/mountinfo)
	if ((v1)); then echo v1
	elif ((v2)); then echo v2
	else echo none
	fi
}

# Mount point of the v1 hierarchy holding CONTROLLER.
v1_mount() { # CONTROLLER
	awk -v want="$1" '{
		for (i = 7; i <= NF && $i != "-"; i++) ;
		if ($(i + 1) != "cgroup") next
		n = split($(i + 3), o, ",")
		for (j = 1; j <= n; j++) if (o[j] == want) { print $5; exit }
	}' /proc/self/mountinfo
}

v2_mount() {
	awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo
}

# The delegated directories, one a line (v1: one per distinct hierarchy).
bases() {
	local c m
	if [[ $(mode) == v1 ]]; then
		for c in $V1_CONTROLLERS; do
			m=$(v1_mount "$c")
			[[ -n $m ]] && echo "$m/stanza-$LEARNER"
		done | sort -u
	else
		m=$(v2_mount)
		[[ -n $m ]] && echo "$m/stanza-$LEARNER"
	fi
}

setup() {
	local b m c
	case $(mode) in
	none)
		echo "delegate.sh: no cgroup filesystem is mounted" >&2
		return 1
		;;
	v1)
		for b in $(bases); do
			mkdir -p "$b" && chown -R "$LEARNER:" "$b" || return 1
		done
		;;
	v2)
		m=$(v2_mount)
		# Make the controllers available below the root (the root cgroup may
		# hold processes and still enable them).
		for c in $V2_CONTROLLERS; do
			grep -qw "$c" "$m/cgroup.subtree_control" && continue
			if ! grep -qw "$c" "$m/cgroup.controllers"; then
				echo "delegate.sh: this kernel offers no '$c' controller on $m" >&2
				return 1
			fi
			echo "+$c" >"$m/cgroup.subtree_control" || return 1
		done
		b=$m/stanza-$LEARNER
		mkdir -p "$b/session" && chown -R "$LEARNER:" "$b" || return 1
		;;
	esac
	return 0
}

leaf() {
	[[ $(mode) == v2 ]] && echo "$(v2_mount)/stanza-$LEARNER/session"
	return 0
}

# Kill what is left in cgroup DIR and below (processes of the learner that
# outlived their test), saying so; succeeds when there was something.
kill_left() { # DIR
	local f p found=1
	while IFS= read -r f; do
		for p in $(cat "$f" 2>/dev/null); do
			echo "delegate.sh: LEAK: process $p ($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)) in ${f%/cgroup.procs}"
			kill -KILL "$p" 2>/dev/null
			found=0
		done
	done < <(find "$1" -name cgroup.procs 2>/dev/null)
	return $found
}

# Remove DIR and every cgroup below it, deepest first, retrying while killed
# processes are still being reaped.
remove_tree() { # DIR
	local d
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		while IFS= read -r d; do rmdir "$d" 2>/dev/null; done < <(find "$1" -depth -type d 2>/dev/null)
		[[ -e $1 ]] || return 0
		sleep 0.1
	done
	echo "delegate.sh: cannot remove $1" >&2
	return 1
}

teardown() {
	local b d name bad=0
	for b in $(bases); do
		[[ -d $b ]] || continue
		kill_left "$b" && bad=1
		for d in $(find "$b" -mindepth 1 -maxdepth 1 -type d | sort); do
			name=${d##*/}
			case $name in
			session) ;;       # the learner's session leaf (v2)
			stanza-self-*) ;; # a stanza's own leaf (v2), collected by the next run
			*)
				echo "delegate.sh: LEAK: cgroup $d"
				bad=1
				;;
			esac
		done
		remove_tree "$b" || bad=1
	done
	return $bad
}

status() {
	local b
	for b in $(bases); do
		if [[ -d $b ]]; then
			echo "$b ($(stat -c %U "$b")):"
			find "$b" -mindepth 1 -type d | sed "s|^$b/|    |"
		else
			echo "$b: absent"
		fi
	done
}

case $CMD in
setup) setup ;;
leaf) leaf ;;
exec)
	(($#)) || usage
	l=$(leaf)
	if [[ -n $l ]]; then
		echo $$ >"$l/cgroup.procs" || exit 1
	fi
	exec "$@"
	;;
teardown) teardown ;;
status) status ;;
*) usage ;;
esac
