#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_labtool.sh - labtool, the image's static helper, run directly on the host: output, exit statuses, IPC round trips
#
# Environment: LABTOOL, the binary (set by tests/CMakeLists.txt; default
# $STANZA_BUILD_DIR/labtool). Prints "ok - ..." or "not ok - ..." per check and
# "# skip ..." with the reason for what this host cannot do; exits 1 if any
# check failed. Its runs inside containers are in docs/labtool.md.
set -u

: "${STANZA_BUILD_DIR:=$(cd "$(dirname "$0")/../.." && pwd)/build}"
: "${LABTOOL:=$STANZA_BUILD_DIR/labtool}"
FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_labtool.XXXXXX")
# A key and a queue name of this run only, removed at the end whatever happens.
KEY=$(printf '0x%08x' $(((RANDOM << 15 | RANDOM) + 1)))
QUEUE=/labtool-test-$$-$RANDOM
cleanup() {
	"$LABTOOL" shm rm "$KEY" >/dev/null 2>&1
	"$LABTOOL" mq rm "$QUEUE" >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT

pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	FAILED=1
}
skip() { echo "# skip $1"; }

# lt ARG...: run labtool; OUT, ERR and RC hold what it did.
lt() {
	"$LABTOOL" "$@" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	OUT=$(<"$TMP/out") ERR=$(<"$TMP/err")
}

check() { # DESCRIPTION EXPECTED-RC EXPECTED-STDOUT
	if [[ $RC == "$2" && $OUT == "$3" ]]; then
		pass "$1"
	else
		fail "$1: exit $RC (want $2), stdout: '$OUT' (want '$3'), stderr: '$ERR'"
	fi
}

check_match() { # DESCRIPTION EXPECTED-RC STDOUT-REGEX
	if [[ $RC == "$2" && $OUT =~ $3 ]]; then
		pass "$1"
	else
		fail "$1: exit $RC (want $2), stdout: '$OUT' (want /$3/), stderr: '$ERR'"
	fi
}

# Bad usage: exit 2, nothing on stdout, one line on stderr naming labtool.
check_usage() { # ARG...
	lt "$@"
	if [[ $RC == 2 && -z $OUT && $ERR == labtool* && $(wc -l <"$TMP/err") == 1 ]]; then
		pass "bad usage 'labtool $*' exits 2 with one line on stderr"
	else
		fail "bad usage 'labtool $*': exit $RC (want 2), stdout: '$OUT', stderr: '$ERR'"
	fi
}

if [[ ! -x $LABTOOL ]]; then
	echo "not ok - no labtool at '$LABTOOL' (build the labtool target, or set LABTOOL)"
	exit 1
fi

# The image has no shared libraries: the binary must be static.
if command -v readelf >/dev/null 2>&1; then
	if LC_ALL=C readelf -lW "$LABTOOL" | grep -qE '^[[:space:]]*INTERP[[:space:]]'; then
		fail "labtool is statically linked (it has a program interpreter)"
	else
		pass "labtool is statically linked"
	fi
else
	skip "static linking check: readelf (binutils) is not installed"
fi

lt
check_match "labtool alone lists the commands" 0 $'Commands:\n  eat .*\n  spin .*\n  forks .*\n  caps .*\n  shm .*\n  mq '
for cmd in eat spin forks caps shm mq; do
	lt "$cmd" --help
	check_match "labtool $cmd --help" 0 "^Usage: labtool $cmd "
done

# Docker's default set: fourteen capabilities, named as libcap names them.
lt caps 00000000a80425fb
check "caps names the bits of a80425fb" 0 "cap_chown cap_dac_override cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid cap_setpcap cap_net_bind_service cap_net_raw cap_sys_chroot cap_mknod cap_audit_write cap_setfcap"
lt caps 0x1c000000000
check "caps names the newest bits (38-40)" 0 "cap_perfmon cap_bpf cap_checkpoint_restore"
lt caps 8000000000200000
check "caps prints a bit with no name as its number" 0 "cap_sys_admin 63"
lt caps 0
check "caps says an empty mask is empty" 0 "(none)"
lt caps --self
bnd=$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)
check_match "caps --self prints the five sets, bounding as /proc says" 0 \
	"^CapInh  [0-9a-f]{16}  .*"$'\n'"CapPrm  .*"$'\n'"CapEff  .*"$'\n'"CapBnd  $bnd  .*"$'\n'"CapAmb  "
lt caps --pid $$
check_match "caps --pid reads another process" 0 "CapBnd  $bnd  "

lt eat 4M
check "eat 4M touches 4 MiB in one step" 0 "touched 4 MiB"
lt eat 4M --step 1M
check "eat 4M --step 1M prints each MiB" 0 $'touched 1 MiB\ntouched 2 MiB\ntouched 3 MiB\ntouched 4 MiB'
lt eat 10000
check "eat rounds a size up to whole pages" 0 "touched 12 KiB"

lt spin 0.2
check_match "spin 0.2 prints wall and CPU time" 0 '^wall 0\.2[0-9] s, cpu 0\.[0-9]{2} s \([0-9]+% of one CPU\)$'

lt forks 5
check "forks 5 forks them all" 0 "forked 5 of 5"

# System V shared memory: a key no one else uses, created, seen, removed.
lt shm create "$KEY" 64k
check_match "shm create $KEY 64k" 0 "^created key $KEY id [0-9]+ size 64 KiB$"
id=${OUT#* id } id=${id%% *}
lt shm list
check_match "shm list shows it" 0 "(^|"$'\n'")$KEY $id +600 +65536 +0 +$(id -u)("$'\n'"|$)"
lt shm create "$KEY"
check "shm create refuses an existing key" 1 ""
lt shm rm "$KEY"
check "shm rm $KEY" 0 "removed key $KEY id $id"
lt shm list
if [[ $RC == 0 && $OUT != *"$KEY"* ]]; then pass "shm list no longer shows it"; else fail "shm list after rm: '$OUT'"; fi
lt shm rm "$KEY"
check "shm rm of a missing key fails" 1 ""

# POSIX message queues: mq_open works without /dev/mqueue; only list needs it.
lt mq create "$QUEUE"
if [[ $RC == 1 && $ERR == *"Function not implemented"* ]]; then
	skip "message queues: this kernel has no POSIX message queues (CONFIG_POSIX_MQUEUE)"
else
	check "mq create $QUEUE" 0 "created $QUEUE"
	lt mq send "$QUEUE" ciao
	check "mq send" 0 "sent 4 bytes to $QUEUE"
	lt mq send "$QUEUE" -- -mondo
	check "mq send of a text starting with -" 0 "sent 6 bytes to $QUEUE"
	if [[ $(stat -f -c %t /dev/mqueue 2>/dev/null) == 19800202 ]]; then
		lt mq list
		check_match "mq list shows two messages, 10 bytes" 0 "(^|"$'\n'")$QUEUE +2 +10("$'\n'"|$)"
	else
		lt mq list
		check "mq list without an mqueue mount at /dev/mqueue fails" 1 ""
		# As root, mount one where only this test sees it: a private mount
		# namespace, with a scratch /dev.
		if unshare -m --propagation private true 2>/dev/null; then
			OUT=$(unshare -m --propagation private sh -c 'mount -t tmpfs none /dev && mkdir /dev/mqueue &&
				mount -t mqueue none /dev/mqueue && exec "$0" mq list' "$LABTOOL" 2>"$TMP/err")
			RC=$? ERR=$(<"$TMP/err")
			check_match "mq list shows two messages, 10 bytes" 0 "(^|"$'\n'")$QUEUE +2 +10("$'\n'"|$)"
		else
			skip "mq list: /dev/mqueue is not an mqueue mount here and 'unshare -m' (root) cannot mount one"
		fi
	fi
	lt mq recv "$QUEUE"
	check "mq recv gets the oldest message" 0 "ciao"
	lt mq recv "$QUEUE"
	check "mq recv gets the next" 0 "-mondo"
	lt mq recv "$QUEUE"
	check "mq recv on an empty queue fails without waiting" 1 ""
	lt mq rm "$QUEUE"
	check "mq rm" 0 "removed $QUEUE"
	lt mq send "$QUEUE" x
	check "mq send to a removed queue fails" 1 ""
fi

check_usage nosuchcommand
check_usage eat
check_usage eat 4X
check_usage eat 4M --bogus
check_usage eat 4M --step
check_usage spin abc
check_usage spin 0
check_usage forks 0
check_usage caps nothex
check_usage caps 00000000a80425fb --self
check_usage shm
check_usage shm frob
check_usage shm create 0
check_usage mq send q
check_usage mq create a/b

exit "$FAILED"
