#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_03_hostname.sh - point 3: --hostname sets the container's name only (UTS namespace)
. "$(dirname "$0")/lib.sh"

before=$(hostname)
before_proc=$(</proc/sys/kernel/hostname)

run_stanza --hostname box -- hostname
assert_status 0 "--hostname box -- hostname"
assert_eq "hostname prints box" box "$OUT"

# Even root inside cannot rename the host: it renames only its own namespace.
run_stanza --hostname box -- sh -c 'hostname evil-szit 2>/dev/null; cat /proc/sys/kernel/hostname; hostname'
assert_no_match "renaming inside does not fail over to the host" 'evil' "$(hostname)"

assert_eq "the host's hostname is unchanged" "$before" "$(hostname)"
assert_eq "the host's /proc/sys/kernel/hostname is unchanged" "$before_proc" "$(</proc/sys/kernel/hostname)"

# Without --hostname the container still has its own name, not the host's.
run_stanza -- hostname
assert_status 0 "default hostname"
assert_ne "the default hostname is not the host's" "$before" "$OUT"
finish
