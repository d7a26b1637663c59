#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tmux.sh - driving `stanza shell` on a real terminal: a private tmux server, keys in, screens out
#
# Source after lib.sh. tmux_start CMD... starts CMD in a 100x30 window of a
# tmux server of our own (its socket in $TMP); keys KEY... sends keys;
# wait_for TEXT [SECONDS] waits until the screen shows TEXT; screen prints it.

command -v tmux >/dev/null 2>&1 || skip "tmux is not installed (Debian: tmux)"

TMUX_N=0
TMUX_SOCK=$TMP/tmux.0
unset TMUX

tmx() { tmux -S "$TMUX_SOCK" "$@"; }

tmux_stop() {
	tmx kill-server 2>/dev/null
}
trap 'tmux_stop; rm -rf "$TMP"' EXIT

# Each start has a server of its own: a new one on the old socket can race
# the old one's exit.
tmux_start() {
	tmux_stop
	TMUX_N=$((TMUX_N + 1))
	TMUX_SOCK=$TMP/tmux.$TMUX_N
	tmx -f /dev/null new-session -d -s t -x 100 -y 30 \
	    "env TERM=xterm LANG=C.UTF-8 XDG_STATE_HOME=$XDG_STATE_HOME $*; echo STANZA-EXIT=\$?; sleep 600"
	tmx set-option -t t history-limit 5000 >/dev/null
}

keys() { tmx send-keys -t t "$@"; }

# The screen and the lines above it that scrolled away.
screen() { tmx capture-pane -p -t t -S -5000 2>/dev/null; }

wait_for() { # TEXT [SECONDS]
	local deadline=$((SECONDS + ${2:-10}))
	while ((SECONDS < deadline)); do
		if screen | grep -qF -- "$1"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# Until the last line on the screen is an empty prompt (readline waits for
# a line): GLOB matches the whole line, trailing spaces left out.
wait_for_prompt_last() { # GLOB [SECONDS]
	local deadline=$((SECONDS + ${2:-10})) last
	while ((SECONDS < deadline)); do
		last=$(screen | grep -v '^[[:space:]]*$' | tail -n 1 | sed 's/[[:space:]]*$//')
		# shellcheck disable=SC2053 # (a glob on purpose)
		[[ $last == $1 ]] && return 0
		sleep 0.1
	done
	return 1
}

seen() { # DESCRIPTION TEXT [SECONDS]
	if wait_for "$2" "${3:-10}"; then
		pass "$1"
	else
		fail "$1: the screen never showed '$2'; it shows:"
		screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | tail -25 | sed 's/^/    | /'
	fi
}

# A line typed at a prompt, then Enter, as a learner would.
type_line() {
	keys -l "$1"
	keys Enter
}
