#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_04_network.sh - point 4: own network namespace with only lo, up; --net none and --net host
. "$(dirname "$0")/lib.sh"

ifaces() { printf '%s\n' "$1" | awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' | tr '\n' ' '; }

run_stanza -- cat /proc/net/dev
assert_status 0 "cat /proc/net/dev"
assert_eq "only lo is listed" "lo " "$(ifaces "$OUT")"

run_stanza --net none -- cat /proc/net/dev
assert_status 0 "--net none"
assert_eq "--net none: only lo" "lo " "$(ifaces "$OUT")"

# lo is up: a TCP connection to 127.0.0.1 works inside.
# Retry until the listener is up (a slow or emulated host may need longer than
# any fixed sleep), then for it to write what it got.
# The listener's stdin is a pipe that stays open: busybox nc -l gives up on
# the connection once its own stdin (a background job's /dev/null) ends.
run_stanza -- sh -c 'ip link show lo; sleep 5 | nc -l -p 7777 >/tmp/got & l=$!
	i=0; until echo hello | nc -w 1 127.0.0.1 7777 2>/dev/null; do i=$((i+1)); [ $i -ge 50 ] && break; sleep 0.1; done
	i=0; until grep -q hello /tmp/got; do i=$((i+1)); [ $i -ge 50 ] && break; sleep 0.1; done
	kill $l 2>/dev/null; cat /tmp/got'
assert_match "lo is UP" 'lo: <[^>]*UP' "$OUT"
assert_match "a connection over lo works" 'hello$' "$OUT"

# The namespace is the container's own, not the host's.
host_ns=$(readlink /proc/self/ns/net)
bg_start net -- sh -c 'echo ready; while :; do sleep 0.1; done' "$MARK"
if wait_for_line "$SZIT_TMP/net.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
	assert_ne "the container has its own network namespace" "$host_ns" "$(readlink /proc/$pid1/ns/net)"
	kill -KILL "$pid1"
else
	fail "no container PID 1 found"
fi
bg_wait net 10

# --net host sees the host's interfaces.
run_stanza --net host -- cat /proc/net/dev
assert_status 0 "--net host"
assert_eq "--net host lists the host's interfaces" "$(ifaces "$(cat /proc/net/dev)")" "$(ifaces "$OUT")"
finish
