#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# measure.sh - the TUI's two figures: time to the first full frame (hyperfine) and resident memory after every chapter
#
# Usage: STANZA=build/stanza STANZA_SOURCE_DIR=. tests/tui/measure.sh [CONTENT_DIR]
#
# 1. Time: `stanza tutor` with STANZA_TUI_FIRST_FRAME_EXIT=1 draws its first
#    full frame and ends at once; hyperfine runs it on a 100x30 tmux pane
#    (the terminal is the pane's, stdin and stdout both), so the time is
#    start, course loaded, curses set up, the frame on the terminal, exit.
# 2. Memory: the TUI opens every chapter of the course in turn (Tab, then j
#    and Enter for each), reads to its end, shows its quiz, then the
#    glossary; VmRSS and VmHWM are read from /proc/<pid>/status.
#
# TUI_BENCH_NICE=1 runs the benchmark at nice -20 (root only), for a figure
# less disturbed by a busy host.
#
# CONTENT_DIR defaults to the real course (the source tree). Not a test:
# prints the figures (the load average too: on a busy host the wall time
# is mostly waiting for a CPU; the CPU times say what stanza itself used).
# shellcheck source=tests/tui/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

content=${1:-$STANZA_SOURCE_DIR}
command -v hyperfine >/dev/null 2>&1 || skip "hyperfine is not installed"

# ---- time to the first frame ----------------------------------------------
cat >"$TUI_TMP/bench.sh" <<EOF
#!/bin/sh
cd '$TUI_TMP'
${TUI_BENCH_NICE:+nice -n -20} hyperfine --warmup 5 --runs 50 --export-json bench.json --output=inherit \\
	"STANZA_TUI_FIRST_FRAME_EXIT=1 XDG_STATE_HOME='$XDG_STATE_HOME' LANG=C.UTF-8 '$STANZA' --content '$content' tutor </dev/tty >/dev/tty" \\
	>bench.txt 2>&1
echo \$? >bench.status
EOF
chmod +x "$TUI_TMP/bench.sh"
TUI_SERVER=$((TUI_SERVER + 1))
tmux_ -f "$TUI_TMP/tmux.conf" new-session -d -x "$TUI_COLS" -y "$TUI_ROWS" "$TUI_TMP/bench.sh"
for ((i = 0; i < 1200; i++)); do
	[[ -s $TUI_TMP/bench.status ]] && break
	sleep 0.1
done
[[ $(cat "$TUI_TMP/bench.status" 2>/dev/null) == 0 ]] || fail "hyperfine failed: $(cat "$TUI_TMP/bench.txt")"
python3 - "$TUI_TMP/bench.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("first full frame: mean %.1f ms ± %.1f ms (min %.1f, max %.1f, %d runs); CPU: user %.1f ms, system %.1f ms" % (
    r["mean"] * 1e3, r["stddev"] * 1e3, r["min"] * 1e3, r["max"] * 1e3, len(r["times"]),
    r["user"] * 1e3, r["system"] * 1e3))
EOF

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"

# ---- memory after every chapter --------------------------------------------
tui_start -- --content "$content" tutor
tui_wait_for "stanza ·"
pid=$(tui_pid)
chapters=$("$STANZA" --content "$content" lessons list 2>/dev/null | grep -cE '^ +[0-9]+  ' || true)
((chapters > 0)) || chapters=8
tui_keys Tab Home Enter
tui_settle
for ((c = 0; c < chapters; c++)); do
	tui_keys End z r Tab j Enter
	tui_settle
done
tui_keys g
tui_settle
grep -E '^(VmRSS|VmHWM)' "/proc/$pid/status" | sed 's/^/after every chapter (x'"$chapters"'): /'
tui_keys q
tui_wait_exit >/dev/null
