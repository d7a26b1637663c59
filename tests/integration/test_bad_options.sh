#!/bin/bash
# test_bad_options.sh - bad options: exit 125, one line "stanza: ..." on stderr, nothing on stdout, nothing created
. "$(dirname "$0")/lib.sh"
require_root

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

assert_eq "no cgroup or state directory was created" "" "$(new_leftovers "$cg_before" "$state_before")"

# A good run after all that still works.
run_stanza --memory 32M --pids 20 --cpus 0.5 --timeout 5s --net none -- echo fine
assert_status 0 "the same options, valid"
assert_eq "it ran" fine "$OUT"
finish
