#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_shell_lab_script.sh - a lab in `stanza shell < script`: a demo, tasks solved by typing, hints, the solution
#
# Needs a container (root, or user namespaces for a rootless stanza): skips
# with the reason otherwise. Uses the course in tests/shell/content: the lab
# box/hello has a demo (the container's host name), a task checked from
# outside (a file in the container) and a task checked by what the last
# command printed (a `cd` that must carry over to the next line).
set -u
. "$(dirname "$0")/lib.sh"

C=(--content "$STANZA_SOURCE_DIR/tests/shell/content")
lab_runnable "${C[@]}" box/hello
# The labs' work directories go here, to be seen gone at the end.
export TMPDIR=$TMP/tmp
mkdir -m 755 "$TMPDIR"

# The learner's own work, a wrong try first.
script $'lab start box/hello\n:next\n:check\n:hint\n:hint\n:hint\necho ok > /tmp/done.txt\n:check\n:next\ncd /etc\nX=carried\npwd\n:check\necho "$X"\n:steps\n:quit\nprogress\n' "${C[@]}"
status "the script ends with status 0" 0
has "the lab's title and intro" $'Lab box/hello: Hello, box\n\nA demo and two small tasks.'
has "the first step is shown" "Step 1 of 3 (demo): look"
has "the demo's command is shown" "$ hostname"
has "the demo's output is shown" $'$ hostname\nlab\n'
has "the demo's expectations are shown" "  passed: the host name lab was printed"
has "the demo's explanation follows" "The container has a name of its own."
has "the task is shown" $'Step 2 of 3 (task): make-file\n\nWrite ok into /tmp/done.txt.'
has "a check before the work fails, with why" "  failed: /tmp/done.txt holds ok"
has "then it says what to do" "Not done yet. Type :hint for a hint."
has "the first hint is a nudge" "Hint 1 of 2: Use echo and a redirection."
has "the second hint comes next" "Hint 2 of 2: Type \`echo ok > /tmp/done.txt\`."
has "then hints run out" "That was the last hint. Type :solution to see the reference solution."
has "the check after the work passes" "  passed: /tmp/done.txt holds ok"
has "a passed task says so" "Step done. Type :next for the next step."
has "cd and variables carry over in the session" $'/etc\n'
has "the check on the last output passes" "  passed: pwd printed /etc"
has "a variable carries over" $'carried\n'
lacks "a check is told by its label, not as written" "stdout: ^"
has "the whole lab is done" "Every step of the lab is done. Well done!"
has "the steps list what was done" "  2. make-file (task): done"
has "leaving the lab removes its container" "You left the lab; its container is gone."
has "progress counts the lab" "Labs done: 1 of 1"
lacks "no prompt without a terminal" "root@lab"
file_has "the task done by the learner is recorded" "$STATE/progress" "done step box/hello/make-file"
file_has "the lab is recorded as done" "$STATE/progress" "done lab box/hello"
if LC_ALL=C grep -q $'\033' "$TMP/out"; then fail "no escape codes"; else pass "no escape codes"; fi

# The solution, shown and typed for the learner: the step passes, but is not
# the learner's own.
rm -rf "$STATE"
script $'lab start hello\n:next\n:solution\n:solution run\n:steps\n:next\n:solution\n:quit\n' "${C[@]}"
has "the solution is shown" $'The reference solution (type it at the lab\'s prompt, or \':solution run\'):\n    echo ok > /tmp/done.txt'
has "the solution typed for the learner is labelled" "The reference solution, typed for you:"
has "and passes" "  passed: /tmp/done.txt holds ok"
has "the step is marked as done by the solution" "2. make-file (task): done by the solution"
has "a multi-line solution is shown line by line" $'    cd /etc\n    pwd'
if [[ -f $STATE/progress ]] && grep -q "make-file" "$STATE/progress"; then
	fail "a step done by the solution is not recorded as the learner's"
else
	pass "a step done by the solution is not recorded as the learner's"
fi

# Italian, an unknown lab, exit inside the lab, the end of the input inside the lab.
script $'lab start box/nope\nlab start box/hello\nexit\nlab start box/hello\n' "${C[@]}" --lang it
has "the lab speaks Italian" "Ciao, scatola"
has "a check is told in Italian" "  superato: è stato stampato il nome host del container"
if [[ $ERR == *"box/nope"* ]]; then pass "an unknown lab is an error"; else fail "unknown lab: '$ERR'"; fi
n=$(grep -c "Ciao, scatola" "$TMP/out")
if ((n == 2)); then pass "exit leaves the lab, and the end of input inside one ends cleanly"; else fail "exit: $n starts"; fi
status "the end of the input in a lab is a clean end" 0

# Nothing of the labs is left behind in their TMPDIR.
left=$(ls -A "$TMPDIR")
if [[ -z $left ]]; then
	pass "the labs' work directories are removed"
else
	fail "the labs' work directories are removed: $left"
fi

finish
