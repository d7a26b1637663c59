#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_15_init.sh - `stanza run --init`: PID 1 reaps orphans, passes signals on, exits with the command's status
. "$(dirname "$0")/lib.sh"

# An ERE for a whole line of a multi-line output.
line() { printf '(^|\n)%s($|\n)' "$1"; }

# 50 orphans: each `(sleep 3 &)` subshell exits at once, so its sleep is
# handed to PID 1. PID 1 then becomes `sleep 5` (exec), which never waits:
# without an init the orphans stay zombies; with --init, stanza-init is PID
# 1 and reaps them. A background shell counts them while they run (parent
# PID 1) and the zombies once they have ended.
ORPHANS='for i in $(seq 50); do (sleep 3 &); done
(sleep 0.3; echo "orphans $(ps -o ppid,args | grep -c "^ *1 sleep 3$")"
 sleep 3.2; echo "zombies $(ps -o stat | grep -c "^Z")") &
exec sleep 5'
run_stanza --init -- sh -c "$ORPHANS"
assert_status 0 "--init: the command's status"
assert_match "--init: 50 orphans were handed to PID 1" "$(line 'orphans 50')" "$OUT"
assert_match "--init: PID 1 reaped every one of them" "$(line 'zombies 0')" "$OUT"
run_stanza -- sh -c "$ORPHANS"
assert_status 0 "without --init: the command's status"
assert_match "without --init: the orphans end as zombies, since PID 1 never waits" "$(line 'zombies ([1-9]|[1-9][0-9])')" "$OUT"

# What PID 1 is: stanza-init from a sealed memory file, not a file of the
# image or of the host, holding nothing but stdio.
run_stanza --init -- sh -c 'cat /proc/1/comm; tr "\0" " " </proc/1/cmdline; echo; readlink /proc/1/exe; ls /proc/1/fd | tr "\n" " "'
assert_status 0 "--init: looking at PID 1"
assert_match "PID 1 is stanza-init" "$(line 'stanza-init')" "$OUT"
assert_match "its command line names the command" $'(^|\n)stanza-init -- sh -c ' "$OUT"
assert_match "it runs from a memfd" $'(^|\n)/memfd:stanza-init' "$OUT"
assert_match "it holds only fds 0 1 2" "$(line '0 1 2 ')" "$OUT"

# The command's status, 128+N for a signal, 127 when it is not found.
run_stanza --init -- sh -c 'exit 7'
assert_status 7 "--init: sh -c 'exit 7'"
run_stanza --init -- sh -c 'kill -KILL $$'
assert_status 137 "--init: a command killed by SIGKILL gives 128+9"
run_stanza --init -- szit-no-such-command
assert_status 127 "--init: an unknown command"
assert_match "stanza-init says why" "stanza-init: cannot run 'szit-no-such-command'" "$ERR"
# A file without a #! line is no shell script to stanza-init, as to the
# kernel and to stanza without --init: an exec format error, 126.
mkdir -p "$SZIT_TMP/noshebang"
printf 'echo run by a shell\n' >"$SZIT_TMP/noshebang/job"
chmod 755 "$SZIT_TMP/noshebang/job"
run_stanza --init -v "$SZIT_TMP/noshebang:/t" -- /t/job
assert_status 126 "--init: a file without #! is not executed"
assert_match "stanza-init says why" "stanza-init: cannot run '/t/job': Exec format error" "$ERR"
assert_no_match "no shell ran it" "run by a shell" "$OUT"

# Signals to PID 1 go on to the command. From inside: a shell without a
# TERM handler, not PID 1 any more, dies of `kill -TERM 1`; without --init
# PID 1 ignores it (test_11).
run_stanza --init -- sh -c 'kill -TERM 1; sleep 3; echo not-reached'
assert_status 143 "--init: kill -TERM 1 ends the command (128+15)"
assert_le "--init: at once, not after the sleep" 2500 "$ELAPSED_MS"
for sig in INT HUP QUIT USR1 USR2; do
	run_stanza --init -- sh -c "trap 'echo got-$sig; exit 42' $sig; kill -$sig 1; sleep 0.2; sleep 0.2; exit 1"
	assert_status 42 "--init: SIG$sig to PID 1 reaches the command's handler"
	assert_match "--init: the $sig handler ran" "$(line "got-$sig")" "$OUT"
done

# From the host, as `docker stop` would send it: SIGTERM to PID 1 reaches a
# command that handles it.
bg_start trap --init -- sh -c 'trap "echo got-term; exit 43" TERM; echo ready; while :; do sleep 0.1; done' "$MARK-init"
if wait_for_line "$SZIT_TMP/trap.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
	assert_eq "the host's PID 1 of the container is stanza-init" stanza-init "$(cat "/proc/$pid1/comm")"
	kill -TERM "$pid1"
else
	fail "no container PID 1 found"
fi
bg_wait trap 10
assert_status 43 "--init: SIGTERM from the host reaches the command's handler"
assert_match "--init: the handler ran" "$(line 'got-term')" "$OUT"

# A lab's container has stanza-init as PID 1 too: the orphans that its exec'd
# steps leave behind are reaped. One step leaves 20 orphans, the next looks
# for zombies a second later. (The content is written here, not kept under
# tests/fixtures: the rootless and vm tiers stage tests/integration only.)
LABS=$SZIT_TMP/zombies
mkdir -p "$LABS/labs/alpha" "$LABS/lessons/en"
cat >"$LABS/labs/alpha/orphans.yaml" <<'YAML'
id: orphans
steps:
  - id: leave-orphans
    kind: demo
    run: "for i in $(seq 20); do (sleep 0.2 &); done; echo left"
    expect:
      - exit: 0
      - stdout: '^left$'
  - id: no-zombies
    kind: demo
    run: "sleep 1; ps -o pid,ppid,args; echo \"zombies: $(ps -o stat | grep -c '^Z')\""
    expect:
      - exit: 0
      - stdout: '^ +1 +0 +stanza-init -- sleep '
      - stdout: '^zombies: 0$'
YAML
cat >"$LABS/lessons/en/01-alpha.yaml" <<'YAML'
id: alpha
title: "Alpha"
summary: "A chapter for the init test."
sections:
  - id: start
    title: "Start"
    body:
      - p: "Short."
quiz:
  - id: one
    question: "One?"
    options:
      - text: "Yes."
        correct: true
        why: "Because."
      - text: "No."
        why: "Because not."
labs:
  orphans:
    title: "Orphans"
    intro: "Commands that leave orphans behind."
    steps:
      leave-orphans:
        text: "Leave orphans."
      no-zombies:
        text: "Look for zombies."
YAML
out=$("$STANZA" --content "$LABS" lab verify --all --format tap 2>&1)
status=$?
count_run
assert_eq "lab verify of the orphans lab exits 0" 0 "$status"
assert_match "a lab's exec'd commands leave no zombie" "$(line 'ok 2 - alpha/orphans no-zombies')" "$out"
[[ $status == 0 ]] || printf '%s\n' "$out" | head -n 30 | sed 's/^/#   /'

finish
