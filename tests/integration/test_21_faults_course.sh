#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_21_faults_course.sh - faults (d) a damaged or unwritable progress file and (e) a lab whose command never ends, or that is interrupted: clear messages, exit codes, nothing lost or left
#
# (d) `stanza progress` and `stanza lessons list` over a damaged progress
#     file (moved aside, byte for byte, with a message naming both files), a
#     state directory that cannot be written (a save fails with one clear
#     line and exit 1, the file stays as it was; reading still works), a
#     damaged file that cannot be moved aside, a progress path that is a
#     directory. (tests/unit/test_progress.c covers the store itself.)
#     Unwritable: as root a read-only bind mount in a mount namespace of its
#     own (root ignores modes), rootless chmod.
# (e) `stanza lab run` of a lab whose steps never end (sleep, in the lab's
#     shell, in a fresh process in the container and on the host, each with
#     timeout: 2s): each step fails with a timeout message, the lab goes on,
#     is torn down, exit 1, quickly. SIGINT (and SIGTERM) in the middle of a
#     lab: exit 130 (143), everything removed.
# The course is written here (the staged copy of the rootless tier has no
# tests/fixtures).
. "$(dirname "$0")/soak_lib.sh"
. "$(dirname "$0")/lib.sh"
# Leftovers: what this test's stanzas leave (soak_lib.sh).
soak_leftover_rules

C=$SZIT_TMP/content
export XDG_STATE_HOME=$SZIT_TMP/xdg-state
export TMPDIR=$SZIT_TMP/labtmp
PDIR=$XDG_STATE_HOME/stanza
PFILE=$PDIR/progress
mkdir -p "$C/lessons/en" "$C/labs/faults" "$PDIR" "$TMPDIR"
SLEEP=$((1000000 + $$ % 100000)) # sleep SLEEP: this test's, findable with pgrep

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)

LIMITS=
limits_available && LIMITS=$'container:\n  pids: 64\n'
cat >"$C/labs/faults/forever.yaml" <<EOF
id: forever
${LIMITS}steps:
  - id: hello
    kind: demo
    run: echo hello
  - id: in-session
    kind: demo
    run: sleep $SLEEP
    timeout: 2s
  - id: in-container
    kind: demo
    where: container
    run: sleep $SLEEP & sleep $SLEEP
    timeout: 2s
  - id: on-host
    kind: demo
    where: host
    run: sleep $SLEEP
    timeout: 2s
  - id: after
    kind: demo
    run: echo after-$SLEEP; ps -o args
    expect:
      - stdout-not: 'sleep $SLEEP'
EOF
for where in session host; do
	cat >"$C/labs/faults/stop-$where.yaml" <<EOF
id: stop-$where
${LIMITS}steps:
  - id: hello
    kind: demo
    run: echo hello
  - id: sleep
    kind: demo
    where: $where
    run: echo started-$where; sleep $SLEEP
    timeout: 60s
EOF
done
cat >"$C/lessons/en/01-faults.yaml" <<'EOF'
id: faults
title: "Faults"
summary: "A chapter for the fault tests."
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
  forever:
    title: "Forever"
    intro: "Steps that never end."
    steps:
      hello:
        text: "Hello."
      in-session:
        text: "Sleep in the shell."
      in-container:
        text: "Sleep in the container."
      on-host:
        text: "Sleep on the host."
      after:
        text: "After."
  stop-session:
    title: "Stop the shell"
    intro: "A lab to interrupt."
    steps:
      hello:
        text: "Hello."
      sleep:
        text: "Sleep in the shell."
  stop-host:
    title: "Stop the host"
    intro: "A lab to interrupt."
    steps:
      hello:
        text: "Hello."
      sleep:
        text: "Sleep on the host."
EOF

# cli ARGS...: stanza --content C ARGS..., in the foreground; sets OUT, ERR, STATUS.
cli() {
	SZIT_LAST_ARGS="(stanza --content ... $*)"
	"$STANZA" --content "$C" "$@" </dev/null >"$SZIT_TMP/cli.out" 2>"$SZIT_TMP/cli.err"
	STATUS=$?
	OUT=$(<"$SZIT_TMP/cli.out")
	ERR=$(<"$SZIT_TMP/cli.err")
}
# cli_bg NAME ARGS...: the same in the background, for bg_wait.
cli_bg() {
	local name=$1
	shift
	env --default-signal=INT,QUIT,TERM "$STANZA" --content "$C" "$@" </dev/null \
		>"$SZIT_TMP/$name.out" 2>"$SZIT_TMP/$name.err" &
	BG_PID=$!
	SZIT_BG[$name]=$BG_PID
}
# readonly_dir DIR COMMAND...: COMMAND with DIR read-only for it.
readonly_dir() {
	local dir=$1 rc
	shift
	if ((ROOTLESS)); then
		chmod a-w "$dir"
		"$@"
		rc=$?
		chmod u+w "$dir"
		return $rc
	fi
	# The command's output variables must come back: run it in this shell,
	# with stanza itself in the namespace.
	STANZA_RO_DIR=$dir "$@"
}
# As root, stanza runs in a mount namespace where DIR is a read-only bind mount.
ro_stanza() {
	if [[ -n ${STANZA_RO_DIR:-} ]]; then
		unshare -m sh -c 'mount -o bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"' \
			sh "$STANZA_RO_DIR" "$STANZA" "$@"
	else
		"$STANZA" "$@"
	fi
}
cli_ro() {
	SZIT_LAST_ARGS="(stanza --content ... $*, $PDIR read-only)"
	ro_stanza --content "$C" "$@" </dev/null >"$SZIT_TMP/cli.out" 2>"$SZIT_TMP/cli.err"
	STATUS=$?
	OUT=$(<"$SZIT_TMP/cli.out")
	ERR=$(<"$SZIT_TMP/cli.err")
}
one_line() { [[ $(printf '%s' "$ERR" | grep -c '') == 1 && $ERR == "stanza: "* ]]; }
fp() { md5sum <"$1" | cut -d' ' -f1; }

# ---------------------------------------------------------------- (d) progress

GOOD=$'stanza-progress 1\ndone chapter faults\ndone quiz faults/one\nanswer faults/one 0\n'
printf '%s' "$GOOD" >"$PFILE"
cli progress
assert_status 0 "d: stanza progress reads a good file"
assert_match "d: it counts the chapter done" 'chapters done: +1 of 1' "$OUT"

# A damaged file: binary data.
printf 'stanza-progress 1\ndone chapter faults\n\000\377\376garbage\n' >"$PFILE"
sum=$(fp "$PFILE")
cli progress
assert_status 0 "d: stanza progress over a damaged file"
assert_true "d: one line on stderr, 'stanza: ...'" one_line
assert_match "d: it says the file was damaged and names it" "'$PFILE' was damaged" "$ERR"
aside=$(find "$PDIR" -maxdepth 1 -name 'progress.damaged-*' | head -n1)
assert_match "d: and names where it was kept" "kept as '$aside'" "$ERR"
assert_true "d: the damaged file was moved aside" test ! -e "$PFILE"
assert_eq "d: byte for byte" "$sum" "$(fp "$aside" 2>/dev/null)"
assert_match "d: the progress starts afresh" 'chapters done: +0 of 1' "$OUT"
rm -f "$aside"

# A file cut short (a write that never finished), read by `lessons list`.
printf 'stanza-progress 1\ndone chapter faults\ndone qu' >"$PFILE"
sum=$(fp "$PFILE")
cli lessons list
assert_status 0 "d: stanza lessons list over a truncated progress file"
assert_true "d: one line on stderr" one_line
assert_match "d: that says it was damaged and kept aside" "was damaged.*kept as" "$ERR"
aside=$(find "$PDIR" -maxdepth 1 -name 'progress.damaged-*' | head -n1)
assert_eq "d: byte for byte" "$sum" "$(fp "$aside" 2>/dev/null)"
assert_match "d: the lessons are listed all the same" 'faults' "$OUT"
rm -f "$aside"

# The directory cannot be written: reading works, saving fails, nothing changes.
printf '%s' "$GOOD" >"$PFILE"
sum=$(fp "$PFILE")
readonly_dir "$PDIR" cli_ro progress
assert_status 0 "d: with $PDIR read-only, stanza progress still reads"
assert_match "d: and shows the chapter done" 'chapters done: +1 of 1' "$OUT"
readonly_dir "$PDIR" cli_ro progress --reset faults
assert_status 1 "d: with $PDIR read-only, forgetting a chapter fails"
assert_true "d: with one line on stderr" one_line
assert_match "d: which says the progress cannot be saved and what to do" \
	"cannot save your progress.*make '$PDIR' writable or set XDG_STATE_HOME" "$ERR"
assert_eq "d: the file is as it was" "$sum" "$(fp "$PFILE")"
assert_eq "d: and nothing else is there (no temporary file)" "progress" "$(ls -A "$PDIR" | tr '\n' ' ' | sed 's/ $//')"

# A damaged file in a directory that cannot be written: it cannot be moved aside.
printf 'not a progress file\n' >"$PFILE"
sum=$(fp "$PFILE")
readonly_dir "$PDIR" cli_ro progress
assert_status 1 "d: a damaged file that cannot be moved aside: stanza progress fails"
assert_true "d: with one line on stderr" one_line
assert_match "d: that says it is damaged and cannot be moved aside" "'$PFILE' is damaged.*cannot be moved aside" "$ERR"
readonly_dir "$PDIR" cli_ro lessons list
assert_status 0 "d: stanza lessons list still lists"
assert_match "d: and says why the progress is not shown" "is damaged.*cannot be moved aside" "$ERR"
assert_eq "d: the damaged file is untouched" "$sum" "$(fp "$PFILE")"
assert_eq "d: and alone" "progress" "$(ls -A "$PDIR" | tr '\n' ' ' | sed 's/ $//')"

# The file itself read-only (the directory writable): saving replaces it
# atomically (a new file renamed over it), so it works.
printf '%s' "$GOOD" >"$PFILE"
chmod 444 "$PFILE"
cli progress --reset faults
assert_status 0 "d: a read-only progress file in a writable directory is replaced atomically"
assert_eq "d: the chapter is forgotten, the rest kept" 'stanza-progress 1|' "$(head -n1 "$PFILE" | tr '\n' '|')"
assert_no_match "d: no record of the chapter is left" 'faults' "$(cat "$PFILE")"

# The progress path is a directory.
rm -f "$PFILE"
mkdir "$PFILE"
cli progress
assert_status 1 "d: a directory where the progress file goes: stanza progress fails"
assert_true "d: with one line on stderr" one_line
assert_match "d: naming it" "cannot read '$PFILE'.*Is a directory" "$ERR"
rmdir "$PFILE"

# ---------------------------------------------------------------- (e) labs that never end

t0=$(now_ms)
cli_bg forever lab run faults/forever
bg_wait forever 60
took=$(($(now_ms) - t0))
assert_status 1 "e: a lab whose steps never end fails (exit 1)"
# The text the report shows for step N (from its "Step N of 5" heading to the next).
step_text() { awk -v n="$1" '/^Step [0-9]+ of / { p = ($2 == n) } p' "$SZIT_TMP/forever.out"; }
n=2
for step in "in the lab's shell" "in a new process in the container" "on the host"; do
	assert_match "e: step $n ($step) fails at its timeout, and says so" \
		"This step failed: the command ran longer than its timeout \(2\.000 s\)" "$(step_text $n)"
	n=$((n + 1))
done
assert_match "e: the lab goes on after them" "after-$SLEEP" "$OUT"
assert_no_match "e: the timed-out steps left nothing running in the container (not even a background job)" \
	"This step failed" "$(step_text 5)"
assert_match "e: and reports the failure" "The lab failed" "$OUT"
assert_le "e: quickly ($took ms for 3 steps of 2 s)" 30000 "$took"

# SIGINT while the lab's shell runs a step; SIGTERM while a host step runs.
for run in INT:session TERM:host; do
	sig=${run%:*} where=${run#*:}
	name=stop-$sig
	cli_bg "$name" lab run "faults/stop-$where"
	if wait_for_line "$SZIT_TMP/$name.out" "^ *started-$where *\$" 40; then
		nap 0.3
		kill -"$sig" "$BG_PID"
		t0=$(now_ms)
		bg_wait "$name" 30
		took=$(($(now_ms) - t0))
		[[ $sig == INT ]] && want=130 || want=143
		assert_status "$want" "e: SIG$sig in the middle of a $where step"
		assert_le "e: the lab is torn down quickly ($took ms)" 10000 "$took"
		assert_match "e: the report so far is printed" 'hello' "$OUT"
		assert_match "e: stanza says it was interrupted and cleaned up" \
			"^stanza: interrupted by SIG$sig; the lab was stopped and cleaned up\$" "$ERR"
	else
		fail "e: the $where step of faults/stop-$where did not start"
		cat "$SZIT_TMP/$name.out" "$SZIT_TMP/$name.err" | head -n 20 | sed 's/^/#   /'
		kill -KILL "$BG_PID" 2>/dev/null
		bg_wait "$name" 10 2>/dev/null
		rm -rf "${TMPDIR:?}"/stanza-lab-* # (a SIGKILLed lab cannot remove its work directory)
	fi
	deadline=$(($(now_ms) + 5000))
	while pgrep -f "sleep $SLEEP" >/dev/null && (($(now_ms) < deadline)); do nap 0.05; done
	assert_eq "e: after SIG$sig no sleep of the lab is left" "" "$(pgrep -af "sleep $SLEEP")"
done

nap 0.2
assert_eq "e: no sleep of the labs is left, on the host or in a container" "" "$(pgrep -af "sleep $SLEEP")"
assert_eq "e: no work directory of the labs is left in \$TMPDIR" "" "$(ls -A "$TMPDIR")"
assert_eq "e: no stanza cgroup or state entry is left" "" "$(new_leftovers "$cg_before" "$state_before")"
finish
