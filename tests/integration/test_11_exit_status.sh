#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_11_exit_status.sh - point 11: the command's status, 128+N for signals, PID 1 and SIGTERM from the host, 126/127
. "$(dirname "$0")/lib.sh"

run_stanza -- sh -c 'exit 3'
assert_status 3 "sh -c 'exit 3'"
run_stanza -- true
assert_status 0 "true"
run_stanza -- false
assert_status 1 "false"
run_stanza -- sh -c 'exit 255'
assert_status 255 "sh -c 'exit 255'"

# A child killed by a signal: the shell reports 128+N. (`; exit $?` keeps the
# outer shell: busybox sh execs the last command of `sh -c`, so in
# `sh -c 'sh -c "kill -9 \$\$"'` the inner shell *is* PID 1 and survives its
# own SIGKILL, as checked below.)
run_stanza -- sh -c 'sh -c "kill -9 \$\$"; exit $?'
assert_status 137 "a child shell that SIGKILLs itself"
run_stanza -- sh -c 'sh -c "kill -TERM \$\$"; exit $?'
assert_status 143 "a child shell that SIGTERMs itself"
run_stanza -- sh -c 'sh -c "kill -9 \$\$"'
assert_status 0 "sh -c 'sh -c \"kill -9 \\\$\\\$\"': the exec'd inner shell is PID 1 and ignores its own SIGKILL"

# PID 1 ignores signals it has no handler for, even SIGKILL, from inside.
run_stanza -- sh -c 'kill -9 $$; echo still-here'
assert_status 0 "PID 1 survives kill -9 of itself from inside"
assert_eq "PID 1 went on running" still-here "$OUT"

# From the host: SIGTERM ends a PID 1 that handles it...
bg_start trap -- sh -c 'trap "echo got-term; exit 143" TERM; echo ready; while :; do sleep 0.1; done' "$MARK-trap"
if wait_for_line "$SZIT_TMP/trap.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
	kill -TERM "$pid1"
else
	fail "no container PID 1 found"
fi
bg_wait trap 10
assert_status 143 "SIGTERM from the host to a PID 1 with a TERM handler"
assert_match "the handler ran" 'got-term' "$OUT"

# ...but not one without a handler (the teaching point); SIGKILL always does.
bg_start notrap -- sh -c 'echo ready; while :; do sleep 0.1; done' "$MARK-notrap"
if wait_for_line "$SZIT_TMP/notrap.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
	kill -TERM "$pid1"
	nap 0.5
	assert_true "a PID 1 without a TERM handler survives SIGTERM from the host" alive "$pid1"
	kill -KILL "$pid1"
else
	fail "no container PID 1 found"
fi
bg_wait notrap 10
assert_status 137 "then SIGKILL from the host"
assert_no_match "no OOM report for a SIGKILL" 'OOM' "$ERR"

# Cannot execute / not found.
run_stanza -- /nonexistent-szit-cmd
assert_status 127 "an unknown absolute path"
assert_match "stanza says 'command not found'" 'command not found' "$ERR"
run_stanza -- szit-no-such-command
assert_status 127 "an unknown command name (PATH lookup)"
assert_match "stanza says 'command not found'" 'command not found' "$ERR"
run_stanza -- /etc/passwd
assert_status 126 "a file that is not executable"
run_stanza -- /etc
assert_status 126 "a directory"

# -t: the command gets a terminal of its own (a pty of the container's devpts),
# as root and rootless; the status is still the command's. script(1) gives
# stanza a terminal; its stdin is a FIFO we hold open (at EOF script would
# type ^D into the terminal).
if command -v script >/dev/null; then
	mkfifo "$SZIT_TMP/tty-in"
	exec 8<>"$SZIT_TMP/tty-in"
	count_run
	tty_out=$(timeout -k 5 20 script -qec "$(printf '%q' "$STANZA") run -t -- sh -c 'tty; exit 3'" /dev/null \
		<"$SZIT_TMP/tty-in" 2>&1)
	# shellcheck disable=SC2034 # (read by lib.sh's assert_status and show_run)
	STATUS=$?
	exec 8>&-
	# shellcheck disable=SC2034
	OUT=$tty_out ERR='' SZIT_LAST_ARGS="-t -- sh -c 'tty; exit 3' (in script)"
	assert_status 3 "stanza run -t: the command's status"
	assert_match "stanza run -t: the command's stdin is a terminal of the container's devpts" '^/dev/pts/[0-9]+'$'\r''?$' "$tty_out"
else
	note "no script(1) here: stanza run -t not tried"
fi
finish
