# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - the TUI tests' helpers: the real binary in a private tmux server, keys sent, screens compared
# shellcheck shell=bash disable=SC2034
#
# Sourced by tests/tui/test_*.sh. Each test gets its own tmux server (a
# socket in a temporary directory), a pane of exactly 100x30 with
# TERM=screen, LANG=C.UTF-8 and a temporary XDG_STATE_HOME, and the course
# in tests/tui/content (two chapters in English and Italian, one lab).
#
# Screens are compared exactly with tests/tui/screens/<name>.txt (what
# `tmux capture-pane -p` prints: text, no attributes). To write them again
# after a deliberate change, run the tests with STANZA_TUI_UPDATE=1 and
# review the diff:
#
#     STANZA_TUI_UPDATE=1 ctest --test-dir build -L tui
#     git diff tests/tui/screens
#
# Environment: STANZA (the binary), STANZA_SOURCE_DIR (the source tree).

set -euo pipefail

: "${STANZA:?STANZA must name the stanza binary}"
: "${STANZA_SOURCE_DIR:?STANZA_SOURCE_DIR must name the source tree}"

TUI_COLS=100
TUI_ROWS=30
TUI_SCREENS="$STANZA_SOURCE_DIR/tests/tui/screens"
TUI_CONTENT="$STANZA_SOURCE_DIR/tests/tui/content"
TUI_TIMEOUT=${TUI_TIMEOUT:-15} # seconds to wait for a screen

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (Debian: tmux)"

TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/stanza-tui.XXXXXX")
export XDG_STATE_HOME="$TUI_TMP/state"
mkdir -p "$XDG_STATE_HOME" "$TUI_TMP/home"

cat >"$TUI_TMP/tmux.conf" <<'EOF'
set -g default-terminal screen
set -g status off
set -g remain-on-exit on
set -g history-limit 0
EOF

# One server for each start (a new socket), so that a new session never
# meets the previous server while it shuts down.
TUI_SERVER=0
tmux_() {
	LANG=C.UTF-8 tmux -u -S "$TUI_TMP/tmux.$TUI_SERVER.sock" "$@"
}

# Close the pane's terminal (the tmux server goes). A stanza still running
# must end on the hangup; one that does not is killed and the test fails.
tui_hangup() {
	local shell_pid pid="" i
	if [[ -s $TUI_TMP/pid ]]; then
		shell_pid=$(cat "$TUI_TMP/pid")
		pid=$(pgrep -P "$shell_pid" || true)
	fi
	tmux_ kill-server >/dev/null 2>&1 || true
	[[ -n $pid ]] || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
	echo "FAIL: stanza (pid $pid) did not end when its terminal hung up" >&2
	return 1
}

tui_cleanup() {
	local status=$?
	tui_hangup || status=1
	rm -rf "$TUI_TMP"
	exit "$status"
}
trap tui_cleanup EXIT

# tui_start [ENV=VALUE...] -- ARG...: stanza ARG... in a new pane. The
# terminal's modes are saved before and after it (stty.before, stty.after),
# and its exit status in status.
tui_start() {
	local envs=()
	while (($# > 0)) && [[ $1 != -- ]]; do
		envs+=("$1")
		shift
	done
	shift
	rm -f "$TUI_TMP/status" "$TUI_TMP/stty.before" "$TUI_TMP/stty.after"
	{
		echo '#!/bin/sh'
		echo "cd '$TUI_TMP'"
		echo 'stty -g >stty.before'
		# a ^C at the keyboard goes to the whole process group: the script
		# survives it (a handler, not SIG_IGN, which stanza would inherit)
		echo 'trap : INT'
		echo 'echo $$ >pid'
		printf 'env -i PATH="%s" HOME="%s" XDG_STATE_HOME="%s" LANG=C.UTF-8 TERM=screen' \
			"$PATH" "$TUI_TMP/home" "$XDG_STATE_HOME"
		for var in TMPDIR ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS; do
			[[ -n ${!var:-} ]] && printf ' %s=%q' "$var" "${!var}"
		done
		((${#envs[@]} > 0)) && printf ' %q' "${envs[@]}"
		printf ' %q' "$STANZA" "$@"
		echo
		echo 'echo $? >status.tmp'
		echo 'stty -g >stty.after'
		echo 'mv status.tmp status'
	} >"$TUI_TMP/run.sh"
	chmod +x "$TUI_TMP/run.sh"
	tui_hangup || exit 1
	rm -f "$TUI_TMP/pid"
	TUI_SERVER=$((TUI_SERVER + 1))
	tmux_ -f "$TUI_TMP/tmux.conf" new-session -d -x "$TUI_COLS" -y "$TUI_ROWS" "$TUI_TMP/run.sh"
}

# The pid of stanza in the pane (the script's child).
tui_pid() {
	local shell_pid i
	for ((i = 0; i < 100; i++)); do
		if [[ -s $TUI_TMP/pid ]]; then
			shell_pid=$(cat "$TUI_TMP/pid")
			pgrep -P "$shell_pid" && return 0
		fi
		sleep 0.05
	done
	fail "stanza did not start"
}

tui_keys() {
	tmux_ send-keys "$@"
}

# Type text literally (no key names).
tui_type() {
	tmux_ send-keys -l "$1"
}

tui_capture() {
	tmux_ capture-pane -p
}

# Whether the screen uses colours (SGR 30-37, 38;5, 90-97 foregrounds).
tui_has_color() {
	tmux_ capture-pane -p -e | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|38;5;[0-9]+|9[0-7])(;[0-9;]*)?m'
}

# Wait until the screen shows text; the screen is printed on a timeout.
tui_wait_for() {
	local text=$1 deadline=$((SECONDS + TUI_TIMEOUT))
	while ((SECONDS < deadline)); do
		tui_capture | grep -qF -- "$text" && return 0
		sleep 0.05
	done
	tui_capture >&2
	fail "timed out waiting for '$text' on the screen"
}

# Wait until the screen stops changing (the same for 0.3 s).
tui_settle() {
	local last now same=0 deadline=$((SECONDS + TUI_TIMEOUT))
	last=$(tui_capture)
	while ((SECONDS < deadline)); do
		sleep 0.1
		now=$(tui_capture)
		if [[ $now == "$last" ]]; then
			((++same >= 3)) && return 0
		else
			same=0
			last=$now
		fi
	done
	fail "the screen did not settle"
}

# tui_expect NAME [TEXT]: once TEXT (if given) is shown and the screen is
# still, it must equal screens/NAME.txt (written instead with
# STANZA_TUI_UPDATE=1).
tui_expect() {
	local name=$1 file="$TUI_SCREENS/$1.txt"
	(($# > 1)) && tui_wait_for "$2"
	tui_settle
	tui_capture >"$TUI_TMP/screen.txt"
	if [[ ${STANZA_TUI_UPDATE:-} == 1 ]]; then
		cp "$TUI_TMP/screen.txt" "$file"
		echo "updated $name"
		return 0
	fi
	[[ -f $file ]] || fail "no saved screen '$file' (run with STANZA_TUI_UPDATE=1 to write it)"
	if ! diff -u "$file" "$TUI_TMP/screen.txt" >"$TUI_TMP/screen.diff"; then
		cat "$TUI_TMP/screen.diff" >&2
		fail "screen '$name' differs from the saved one (STANZA_TUI_UPDATE=1 writes it again)"
	fi
	echo "ok $name"
}

# Wait for stanza to end; prints its exit status.
tui_wait_exit() {
	local deadline=$((SECONDS + TUI_TIMEOUT))
	while ((SECONDS < deadline)); do
		[[ -s $TUI_TMP/status ]] && {
			cat "$TUI_TMP/status"
			return 0
		}
		sleep 0.05
	done
	tui_capture >&2
	fail "stanza did not end"
}

# The terminal's modes are what they were before stanza ran.
tui_assert_restored() {
	cmp -s "$TUI_TMP/stty.before" "$TUI_TMP/stty.after" ||
		fail "the terminal's modes were not restored: $(cat "$TUI_TMP/stty.before") -> $(cat "$TUI_TMP/stty.after")"
}

# tui_resize COLS ROWS
tui_resize() {
	tmux_ resize-window -x "$1" -y "$2"
}

tui_progress() {
	cat "$XDG_STATE_HOME/stanza/progress"
}
