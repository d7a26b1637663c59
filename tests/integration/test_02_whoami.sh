#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_02_whoami.sh - point 2: root inside by default; --user, --env and --workdir
. "$(dirname "$0")/lib.sh"

run_stanza -- whoami
assert_status 0 "whoami"
assert_eq "whoami prints root" root "$OUT"

run_stanza -- id
assert_match "id: uid 0 gid 0" '^uid=0\(root\) gid=0\(root\)' "$OUT"

if ((!ROOTLESS)); then
	run_stanza --user app -- sh -c 'whoami; id -u; touch /etc/szit-x 2>&1; echo rc=$?'
	assert_status 0 "--user app"
	assert_match "--user app: whoami is app" '^app' "$OUT"
	assert_match "--user app: uid is not 0" $'\n[1-9][0-9]*\n' "$OUT"
	assert_match "--user app cannot write /etc" 'rc=[1-9]' "$OUT"

	# The app user owns its home inside the container: the built-in image's
	# layer gives home/app to 1000:1000.
	run_stanza --user app -- sh -c 'cd && touch szit-home && ls -ln szit-home && echo HOME=$HOME'
	assert_status 0 "--user app writes its home"
	assert_match "--user app: the new file is app's" ' 1000 +1000 ' "$OUT"
	assert_match "--user app: HOME is /home/app" 'HOME=/home/app' "$OUT"

	run_stanza --user 1234:2345 -- id
	assert_status 0 "--user 1234:2345"
	assert_match "--user UID:GID sets both" '^uid=1234( |\().*gid=2345' "$OUT"
else
	# Rootless: the user namespace maps one user, the learner, to root; no
	# other user exists in it, so --user other than root is refused.
	run_stanza -- sh -c 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
	assert_status 0 "reading the id maps"
	maps=$(printf '%s\n' "$OUT" | tr -s ' \t' ' ' | sed 's/^ //; s/ $//')
	assert_eq "uid_map is '0 $LEARNER_UID 1' (root inside is $LEARNER outside)" "0 $LEARNER_UID 1" "$(sed -n 1p <<<"$maps")"
	assert_eq "gid_map is '0 $LEARNER_GID 1'" "0 $LEARNER_GID 1" "$(sed -n 2p <<<"$maps")"
	assert_eq "setgroups is denied" deny "$(sed -n 3p <<<"$maps")"

	for u in app 1000 1234:2345; do
		run_stanza --user "$u" -- echo szit-ran
		assert_status 125 "rootless --user $u is refused"
		assert_match "--user $u: the message names --user" '--user' "$ERR"
		assert_one_error_line "--user $u"
		assert_no_match "--user $u: the command did not run" szit-ran "$OUT"
	done
	run_stanza --user root -- id -u
	assert_status 0 "rootless --user root is accepted"
	assert_eq "--user root: uid 0" 0 "$OUT"
	run_stanza --user 0 -- id -u
	assert_status 0 "rootless --user 0 is accepted"

	# /home/app is root's inside: the image's layer gives it to uid 1000, which
	# is not mapped here, so the learner's store unpacked it as the learner's
	# (docs/images.md). Root inside can write it.
	run_stanza -- sh -c 'stat -c %u:%g /home/app; touch /home/app/szit && echo wrote'
	assert_status 0 "/home/app inside"
	assert_eq "/home/app is root's inside, and root can write it" $'0:0\nwrote' "$OUT"

	# Root inside owns and can write /etc (the learner's own layer of the
	# image in the store, through the container's writable layer).
	run_stanza -- sh -c 'stat -c %u:%g /etc /etc/passwd; echo x >>/etc/passwd && touch /etc/szit-x && echo wrote'
	assert_status 0 "root inside writes /etc"
	assert_eq "/etc and /etc/passwd are root's inside, and writable" $'0:0\n0:0\nwrote' "$OUT"

	# On the host, the container's processes are the learner's: every uid and
	# gid of each of them (real, effective, saved, filesystem).
	bg_start owner -- sh -c 'sleep 30 & echo ready; wait' "$MARK"
	if wait_for_line "$SZIT_TMP/owner.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
		user=$(ps -o user:32= -p "$pid1" 2>/dev/null || stat -c %U "/proc/$pid1")
		assert_match "ps -o user on the host shows the learner for the container's PID 1" \
			"^[[:space:]]*($LEARNER|$LEARNER_UID)[[:space:]]*\$" "$user"
		procs=$(descendants "$BG_PID")
		assert_le "the container has PID 1 and a sleep (at least 2 processes)" \
			"$(grep -c '' <<<"$procs")" 2
		for p in $procs; do
			assert_eq "host process $p ($(cat /proc/$p/comm 2>/dev/null)): uids are the learner's" \
				"$LEARNER_UID $LEARNER_UID $LEARNER_UID $LEARNER_UID" "$(proc_uids "$p")"
			assert_eq "host process $p: gids are the learner's" \
				"$LEARNER_GID $LEARNER_GID $LEARNER_GID $LEARNER_GID" "$(proc_gids "$p")"
		done
		kill -KILL "$pid1"
	else
		fail "no container PID 1 found"
	fi
	bg_wait owner 10
	assert_status 137 "SIGKILL from the host (the learner may signal its own container)"
fi

run_stanza -e SZIT_FOO=bar -e 'SZIT_SP=a b' --env SZIT_EMPTY= -w /etc -- \
	sh -c 'echo "$SZIT_FOO|$SZIT_SP|${SZIT_EMPTY-unset}|$(pwd)"'
assert_status 0 "-e and -w"
assert_eq "-e sets variables, -w the working directory" "bar|a b||/etc" "$OUT"

# The host's environment does not leak in.
SZIT_HOST_SECRET=$MARK run_stanza -- env
assert_no_match "the host's environment is not passed in" "SZIT_HOST_SECRET" "$OUT"
finish
