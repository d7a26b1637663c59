#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_bad_options.sh - bad options: exit 125, one line "stanza: ..." on stderr, nothing on stdout, nothing created
. "$(dirname "$0")/lib.sh"

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)

bad() { # DESCRIPTION ARGS...
	local d=$1
	shift
	run_stanza "$@"
	assert_status 125 "$d"
	assert_one_error_line "$d"
	assert_eq "$d: nothing on stdout" "" "$OUT"
	assert_no_match "$d: the command did not run" 'szit-ran' "$OUT$ERR"
}

# Nothing is started, so nothing may be created either: checked after each.
bad "--memory 12Q" --memory 12Q -- echo szit-ran
bad "--memory with no number" --memory M -- echo szit-ran
bad "a missing volume source" -v /nonexistent-szit/src:/app -- echo szit-ran
bad "a relative container path" -v /tmp:relative -- echo szit-ran
bad "a volume with no container path" -v /tmp -- echo szit-ran
bad "a volume with a bad mode" -v /tmp:/app:rx -- echo szit-ran
bad "--cpus 0" --cpus 0 -- echo szit-ran
bad "--cpus -1" --cpus -1 -- echo szit-ran
bad "--cpus abc" --cpus abc -- echo szit-ran
bad "--pids abc" --pids abc -- echo szit-ran
bad "--pids 0" --pids 0 -- echo szit-ran
bad "--timeout 5x" --timeout 5x -- echo szit-ran
bad "--net bogus" --net bogus -- echo szit-ran
bad "an unknown option" --szit-bogus -- echo szit-ran
bad "an unknown short option" -Z -- echo szit-ran
bad "an option missing its value" --memory
bad "no command" --memory 32M
bad "a missing image" --image szit-no-such-image -- echo szit-ran
bad "an image path that does not exist" --image /nonexistent-szit-rootfs -- echo szit-ran
if ((ROOTLESS)); then
	# Rootless, the user namespace has one user: other --user values are refused.
	bad "rootless --user app" --user app -- echo szit-ran
	bad "rootless --user 1000" --user 1000 -- echo szit-ran
	bad "rootless --user 1234:2345" --user 1234:2345 -- echo szit-ran
	assert_match "the refusal names --user" '--user' "$ERR"
fi

assert_eq "no cgroup or state directory was created" "" "$(new_leftovers "$cg_before" "$state_before")"

# Rootless, a limit needs a cgroup the learner may write. Without one (made
# so here by taking the learner's write permission on cgroup.procs of the
# delegated cgroups for a moment), each limit is refused: status 125, a
# sentence saying so and the commands that would make one; never a raw
# "Permission denied", never a run without the limit.
refused() { # OPTION VALUE
	run_stanza "$1" "$2" -- echo szit-ran
	assert_status 125 "$1 $2 without a writable cgroup is refused"
	assert_match "$1: stanza says it needs a cgroup you may write" "^stanza: $1 needs a cgroup you may write" "$ERR"
	assert_match "$1: and says how to get one (the commands, or stanza doctor)" '(mkdir|systemd-run|doctor)' "$ERR"
	assert_no_match "$1: no raw EACCES" 'Permission denied|EACCES' "$ERR"
	assert_eq "$1: the command did not run" "" "$OUT"
}
if ((ROOTLESS)); then
	refuse_all() {
		refused --memory 32M
		refused --pids 20
		refused --cpus 0.5
	}
	if limits_available; then
		without_delegation refuse_all
		assert_true "the delegated cgroups are usable again afterwards" limits_available
	else
		refuse_all
	fi
	assert_eq "nothing was created by the refused runs" "" "$(new_leftovers "$cg_before" "$state_before")"
fi

# A good run after all that still works (with limits, where they can be had).
if limits_available; then
	run_stanza --memory 32M --pids 20 --cpus 0.5 --timeout 5s --net none -- echo fine
else
	run_stanza --timeout 5s --net none -- echo fine
fi
assert_status 0 "the same options, valid"
assert_eq "it ran" fine "$OUT"
finish
