#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_init_exec.sh - how stanza-init executes a command, run directly on the host, in each libc's build: the $PATH search, a file without #!, the statuses
#
# Every command in a container is executed by stanza-init (its --exec mode,
# and its init mode with `stanza run --init`), through one function,
# exec_command(): execvp() as POSIX has it, without glibc's running a file
# that has no #! line with /bin/sh. The build carries it linked with musl
# (stanza-init) and, for this test, with glibc (stanza-init-glibc); both must
# behave alike. Here in its init mode, `stanza-init -- COMMAND`, which
# reports why a command cannot run and exits 127 (not found) or 126.
# Environment: STANZA_INIT_BINARIES, the binaries (set by tests/CMakeLists.txt).
set -u

FAILED=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/test_init_exec.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
pass() { echo "ok - $1"; }
fail() {
	echo "not ok - $1"
	FAILED=1
}

mkdir -p "$TMP/a" "$TMP/b" "$TMP/here"
printf 'echo run by a shell\n' >"$TMP/noshebang"
chmod 755 "$TMP/noshebang"
printf '#!/bin/sh\necho from-b\n' >"$TMP/b/job"
chmod 755 "$TMP/b/job"
printf '#!/bin/sh\necho from-a\n' >"$TMP/a/job"
chmod 644 "$TMP/a/job" # not executable: skipped for b's
printf '#!/bin/sh\necho from-here\n' >"$TMP/here/job"
chmod 755 "$TMP/here/job"

# NAME WANT-STATUS WANT-OUTPUT-ERE BINARY PATH COMMAND...: run in $TMP/here.
check() {
	local name=$1 want=$2 ere=$3 bin=$4 path=$5 out status
	shift 5
	out=$(cd "$TMP/here" && PATH=$path "$bin" -- "$@" 2>&1)
	status=$?
	if [[ $status == "$want" && $out =~ $ere ]]; then
		pass "$name"
	else
		fail "$name: status $status (want $want), output '$out' (want /$ere/)"
	fi
}

for bin in $STANZA_INIT_BINARIES; do
	[[ -x $bin ]] || { fail "no stanza-init at '$bin' (build first)"; continue; }
	b=$(basename "$bin")
	check "$b: a file without #! is an exec format error, not a shell script" 126 \
		"^stanza-init: cannot run '$TMP/noshebang': Exec format error$" "$bin" /usr/bin:/bin "$TMP/noshebang"
	check "$b: not found anywhere in \$PATH: 127" 127 \
		"^stanza-init: cannot run 'szit-nothing': No such file or directory$" "$bin" "$TMP/a:$TMP/b" szit-nothing
	check "$b: a file that may not be executed is passed over for the next in \$PATH" 0 \
		"^from-b$" "$bin" "$TMP/a:$TMP/b" job
	check "$b: only such a file: permission denied, 126" 126 \
		"^stanza-init: cannot run 'job': Permission denied$" "$bin" "$TMP/a" job
	check "$b: an empty \$PATH element is the current directory (at the end)" 0 \
		"^from-here$" "$bin" "/szit-none:" job
	check "$b: an empty \$PATH element is the current directory (at the start)" 0 \
		"^from-here$" "$bin" ":/szit-none" job
	check "$b: a name with a slash is not searched" 127 \
		"cannot run 'a/job'|Permission denied" "$bin" "$TMP" a/job
	check "$b: an empty command name is not found" 127 \
		"^stanza-init: cannot run '': No such file or directory$" "$bin" /usr/bin:/bin ""
	check "$b: the command's own status" 7 "^$" "$bin" /usr/bin:/bin sh -c 'exit 7'
done
exit $FAILED
