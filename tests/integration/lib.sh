# SPDX-License-Identifier: GPL-3.0-or-later
# lib.sh - helpers sourced by every integration test: run stanza, assert, skip with a reason, find containers from the host
#
# A test script does:
#     . "$(dirname "$0")/lib.sh"
#     run_stanza -- sh -c 'exit 3'
#     assert_status 3 "exit status of sh -c 'exit 3'"
#     finish
#
# Environment (set by ctest, see tests/CMakeLists.txt): STANZA (the binary),
# STANZA_BUILD_DIR, STANZA_SOURCE_DIR. Assertions print "ok - ..." or
# "not ok - ..."; a failed assertion does not stop the script, so one run shows
# every broken behaviour; the script exits 1 at the end if any failed.
# `skip REASON` exits 77 only when the test is listed for this kind of host in
# expected-skips; any other skip is a failure.
#
# The same scripts run as root and as an unprivileged learner (rootless mode,
# see docs/rootless.md); tests/rootless/run.sh runs them as a test user it
# creates. lib.sh knows where each kind keeps things: STATE_ROOT (state
# directories), STORE_ROOT and BUILTIN_LAYER (the image store, and the
# built-in busybox image's layer unpacked in it), cgroup_base
# (where a container's cgroup goes), and ROOTLESS (0 or 1) for what differs.
#
# Every container run is counted (one line per run in $STANZA_BUILD_DIR/it-runs/runs)
# so that leaks.sh can check the suite made at least 200 runs.

set -u

SZIT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_NAME=$(basename "$0" .sh)
: "${STANZA_SOURCE_DIR:=$(cd "$SZIT_DIR/../.." && pwd)}"
: "${STANZA_BUILD_DIR:=$STANZA_SOURCE_DIR/build}"
: "${STANZA:=$STANZA_BUILD_DIR/stanza}"
RUNS_DIR=$STANZA_BUILD_DIR/it-runs
IMAGE_ROOTFS=$STANZA_BUILD_DIR/images/busybox/rootfs

# Who runs the tests. As root, stanza runs containers as root; as anyone else
# it is in rootless mode (a user namespace mapping LEARNER to root).
LEARNER_UID=$(id -u)
# shellcheck disable=SC2034 # (used by the tests)
LEARNER_GID=$(id -g)
LEARNER=$(id -un 2>/dev/null || echo "$LEARNER_UID")
ROOTLESS=0
((LEARNER_UID == 0)) || ROOTLESS=1

# Where stanza keeps its state (as the runtime computes it): /run/stanza for
# root; rootless $XDG_RUNTIME_DIR/stanza (or /tmp/stanza-<uid>), unless that
# file system cannot keep user.* extended attributes, which a rootless
# overlay's upper layer needs: tmpfs keeps them only from Linux 6.6 on. Then
# $XDG_CACHE_HOME/stanza/run (~/.cache/stanza/run). stanza tries to set one
# (src/runtime/run.c, rootless_state_root); this mirrors it by file system
# and kernel.
no_user_xattrs() { # DIR
	local v major minor
	[[ $(stat -f -c %T "$1" 2>/dev/null) == tmpfs ]] || return 1
	v=$(uname -r)
	major=${v%%.*}
	v=${v#*.}
	minor=${v%%[!0-9]*}
	((major < 6 || (major == 6 && minor < 6)))
}
state_root_for() { # XDG_RUNTIME_DIR-VALUE
	local first=/tmp/stanza-$LEARNER_UID
	((ROOTLESS)) || { echo /run/stanza; return; }
	[[ ${1:-} == /* ]] && first=$1/stanza
	if no_user_xattrs "${first%/*}"; then
		if [[ ${XDG_CACHE_HOME:-} == /* ]]; then echo "$XDG_CACHE_HOME/stanza/run"; else echo "$HOME/.cache/stanza/run"; fi
	else
		echo "$first"
	fi
}
STATE_ROOT=$(state_root_for "${XDG_RUNTIME_DIR:-}")

# The image store (src/image/store.h): root's, or the learner's own.
store_root() {
	if [[ -n ${STANZA_STORE:-} ]]; then echo "$STANZA_STORE"
	elif ((LEARNER_UID == 0)); then echo /var/lib/stanza
	elif [[ ${XDG_DATA_HOME:-} == /* ]]; then echo "$XDG_DATA_HOME/stanza"
	else echo "${HOME:-/nonexistent}/.local/share/stanza"
	fi
}
STORE_ROOT=$(store_root)
# The built-in image's one layer as the store unpacks it (layers/<the first
# 32 hex digits of its diff-id>/fs), there after the first run: the image
# every container without --image runs on. Its layer is uncompressed, so its
# digest is its diff-id.
builtin_layer() {
	local oci=$STANZA_BUILD_DIR/images/busybox/oci manifest
	manifest=$(sed -n 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/p' "$oci/index.json" 2>/dev/null)
	sed -n 's/.*"layers":\[{[^}]*"digest":"sha256:\([0-9a-f]\{32\}\).*/\1/p' "$oci/blobs/sha256/$manifest" 2>/dev/null |
		sed "s|^|$STORE_ROOT/layers/|; s|\$|/fs|"
}
# shellcheck disable=SC2034 # (used by the tests)
BUILTIN_LAYER=$(builtin_layer)
# Seconds a single stanza run may take before the test calls it hung and kills it.
SZIT_GUARD=${SZIT_GUARD:-60}
# Put in the argv of long-running containers, so leftovers can be found (pgrep -f).
MARK="szit-$TEST_NAME-$$"

SZIT_SEQ=0
SZIT_EXIT=
declare -A SZIT_BG=()

SZIT_TMP=$(mktemp -d "/tmp/szit-$TEST_NAME.XXXXXX") || exit 1
chmod 755 "$SZIT_TMP"
mkfifo "$SZIT_TMP/.nap"

# ---------------------------------------------------------------- reporting

# Counted in files, so that assertions in background subshells count too.
pass() { echo p >>"$SZIT_TMP/.passes"; echo "ok - $*"; }
fail() { echo f >>"$SZIT_TMP/.fails"; echo "not ok - $*"; }
count_lines() { if [[ -f $1 ]]; then grep -c '' "$1"; else echo 0; fi; }
note() { echo "# $*"; }
die() { fail "$*"; finish; }

# Print the last run's output, for a failed assertion.
show_run() {
	echo "#   command: stanza run ${SZIT_LAST_ARGS:-}"
	echo "#   status:  ${STATUS:-?}  (${ELAPSED_MS:-?} ms)"
	printf '%s\n' "${OUT:-}" | head -c 2000 | sed 's/^/#   stdout| /'
	printf '%s\n' "${ERR:-}" | head -c 2000 | sed 's/^/#   stderr| /'
}

assert_eq() { # DESCRIPTION EXPECTED ACTUAL
	if [[ "$3" == "$2" ]]; then
		pass "$1"
	else
		fail "$1"
		echo "#   expected: $(printf '%q' "$2")"
		echo "#   actual:   $(printf '%q' "$3")"
	fi
}

assert_ne() { # DESCRIPTION UNEXPECTED ACTUAL
	if [[ "$3" != "$2" ]]; then pass "$1"; else fail "$1 (got $(printf '%q' "$3"))"; fi
}

assert_match() { # DESCRIPTION ERE ACTUAL
	if [[ "$3" =~ $2 ]]; then
		pass "$1"
	else
		fail "$1"
		echo "#   pattern: $2"
		printf '%s\n' "$3" | head -c 2000 | sed 's/^/#   actual| /'
	fi
}

assert_no_match() { # DESCRIPTION ERE ACTUAL
	if [[ "$3" =~ $2 ]]; then
		fail "$1"
		echo "#   must not match: $2"
		printf '%s\n' "$3" | head -c 2000 | sed 's/^/#   actual| /'
	else
		pass "$1"
	fi
}

assert_status() { # EXPECTED DESCRIPTION: checks $STATUS of the last run
	if [[ "${STATUS:-}" == "$1" ]]; then
		pass "$2 (status $1)"
	else
		fail "$2: expected status $1, got ${STATUS:-none}"
		show_run
	fi
}

assert_true() { # DESCRIPTION COMMAND...: passes when the command succeeds
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}

assert_le() { # DESCRIPTION LIMIT VALUE (integers)
	if (($3 <= $2)); then pass "$1 ($3 <= $2)"; else fail "$1 ($3 > $2)"; fi
}

# Exactly one line on stderr, starting with "stanza: " (stanza's own failures).
assert_one_error_line() { # DESCRIPTION
	local n
	n=$(printf '%s' "${ERR:-}" | grep -c '')
	if [[ $n -eq 1 && "$ERR" == "stanza: "* ]]; then
		pass "$1: one line on stderr starting 'stanza: '"
	else
		fail "$1: expected exactly one stderr line starting 'stanza: ', got $n lines"
		show_run
	fi
}

# ---------------------------------------------------------------- host kind and skips

# v1, v1-hybrid, v2 or none, from the cgroup filesystems mounted in this mount namespace.
cgroup_mode() {
	local v1=0 v2=0 fstype
	while read -r fstype; do
		[[ $fstype == cgroup ]] && v1=1
		[[ $fstype == cgroup2 ]] && v2=1
	done < <(sed -n 's/.* - \(cgroup2\{0,1\}\) .*/\1/p' /proc/self/mountinfo)
	if ((v1 && v2)); then echo v1-hybrid
	elif ((v1)); then echo v1
	elif ((v2)); then echo v2
	else echo none
	fi
}

# root-<mode> or rootless-<mode>, and rootless-<mode>-nocgroup when no cgroup
# is delegated to the learner (then stanza refuses every limit).
host_kind() {
	if ((!ROOTLESS)); then
		echo "root-$(cgroup_mode)"
	elif limits_available; then
		echo "rootless-$(cgroup_mode)"
	else
		echo "rootless-$(cgroup_mode)-nocgroup"
	fi
}
# HOST_KIND is set at the end of this file, once the cgroup helpers exist.

# Skips listed as "<host-kind> <test-name> # reason" in expected-skips; the
# host kind may be a glob (rootless-*).
skip_expected() {
	local kind name rest
	while read -r kind name rest; do
		[[ -z $kind || $kind == \#* ]] && continue
		name=${name%%#*}
		# shellcheck disable=SC2053
		[[ $HOST_KIND == $kind && $name == "$TEST_NAME" ]] && return 0
	done <"$SZIT_DIR/expected-skips"
	return 1
}

skip() { # REASON
	if skip_expected; then
		echo "SKIP: $* (expected on $HOST_KIND)"
		SZIT_EXIT=77
	else
		fail "unexpected skip: $* (not listed for $HOST_KIND $TEST_NAME in tests/integration/expected-skips)"
	fi
	finish
}

require_root() {
	((!ROOTLESS)) || skip "needs root"
}

# Limits need a cgroup: as root always; rootless, one delegated to the learner.
require_limits() {
	limits_available || skip "no cgroup is delegated to $LEARNER, so stanza refuses every limit" \
		"(as root: tests/rootless/delegate.sh setup $LEARNER; or run the rootless tier, ctest -L rootless, as root)"
}

# ---------------------------------------------------------------- small utilities

# Sleep without forking (read on a FIFO nobody writes times out).
nap() { read -r -t "$1" <>"$SZIT_TMP/.nap" || true; }

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# Poll until FILE contains a line matching ERE, at most SECONDS.
wait_for_line() { # FILE ERE SECONDS
	local deadline=$(($(now_ms) + ${3%.*} * 1000))
	while (($(now_ms) < deadline)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		nap 0.02
	done
	return 1
}

# Poll until process PID is gone, at most SECONDS.
wait_gone() { # PID SECONDS
	local deadline=$(($(now_ms) + ${2%.*} * 1000))
	while [[ -e /proc/$1 ]] && (($(now_ms) < deadline)); do
		[[ $(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) == Z ]] && return 0
		nap 0.02
	done
	[[ ! -e /proc/$1 ]] || [[ $(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) == Z ]]
}

alive() { [[ -e /proc/$1 ]] && [[ $(sed -n 's/^State:[[:space:]]*\(.\).*/\1/p' "/proc/$1/status" 2>/dev/null) != Z ]]; }

count_run() {
	{ mkdir -p "$RUNS_DIR" && echo "$TEST_NAME" >>"$RUNS_DIR/runs"; } 2>/dev/null
}

# Kill PID (one of ours) with SIGKILL after GUARD seconds unless told to stop;
# prints the watchdog's pid. A hung stanza fails its test instead of the suite.
watchdog() { # PID GUARD FLAGFILE
	(
		read -r -t "$2" <>"$SZIT_TMP/.nap"
		alive "$1" || exit 0
		echo hung >"$3"
		kill -TERM "$1" 2>/dev/null
		read -r -t 5 <>"$SZIT_TMP/.nap"
		kill -KILL "$1" 2>/dev/null
	) </dev/null >/dev/null 2>&1 &
	echo $!
}

# ---------------------------------------------------------------- running stanza

# run_stanza [--stdin FILE] [--guard SECONDS] [--] ARGS...
# Runs `stanza run ARGS...` in the foreground. Sets OUT, ERR (text), OUT_FILE,
# ERR_FILE, STATUS and ELAPSED_MS. SIGINT and SIGQUIT are reset to their
# defaults, as at a terminal (bash ignores them in background jobs).
run_stanza() {
	local stdin=/dev/null guard=$SZIT_GUARD pid wd t0
	while (($#)); do
		case $1 in
		--stdin) stdin=$2; shift 2 ;;
		--guard) guard=$2; shift 2 ;;
		*) break ;;
		esac
	done
	SZIT_SEQ=$((SZIT_SEQ + 1))
	local tag=run$BASHPID.$SZIT_SEQ # unique in parallel subshells too
	OUT_FILE=$SZIT_TMP/$tag.out
	ERR_FILE=$SZIT_TMP/$tag.err
	SZIT_LAST_ARGS="$*"
	count_run
	t0=$(now_ms)
	env --default-signal=INT,QUIT,TERM "$STANZA" run "$@" <"$stdin" >"$OUT_FILE" 2>"$ERR_FILE" &
	pid=$!
	wd=$(watchdog "$pid" "$guard" "$SZIT_TMP/$tag.hung")
	wait "$pid" 2>/dev/null
	STATUS=$?
	ELAPSED_MS=$(($(now_ms) - t0))
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	OUT=$(<"$OUT_FILE")
	ERR=$(<"$ERR_FILE")
	if [[ -e $SZIT_TMP/$tag.hung ]]; then
		fail "stanza run $* hung for more than ${guard}s and was killed"
		show_run
	fi
	return 0
}

# bg_start NAME [--stdin FILE] [--] ARGS...: `stanza run ARGS...` in the
# background; its pid in BG_PID. Output goes to $SZIT_TMP/NAME.out/.err.
bg_start() {
	local name=$1 stdin=/dev/null
	shift
	if [[ ${1:-} == --stdin ]]; then
		stdin=$2
		shift 2
	fi
	count_run
	env --default-signal=INT,QUIT,TERM "$STANZA" run "$@" <"$stdin" \
		>"$SZIT_TMP/$name.out" 2>"$SZIT_TMP/$name.err" &
	BG_PID=$!
	SZIT_BG[$name]=$BG_PID
}

# bg_wait NAME [GUARD]: wait for a background stanza; sets STATUS, OUT, ERR, ELAPSED_MS.
bg_wait() {
	local name=$1 guard=${2:-$SZIT_GUARD} pid wd t0
	pid=${SZIT_BG[$name]}
	t0=$(now_ms)
	wd=$(watchdog "$pid" "$guard" "$SZIT_TMP/$name.hung")
	wait "$pid" 2>/dev/null
	STATUS=$?
	ELAPSED_MS=$(($(now_ms) - t0))
	kill "$wd" 2>/dev/null
	wait "$wd" 2>/dev/null
	unset "SZIT_BG[$name]"
	OUT=$(<"$SZIT_TMP/$name.out")
	ERR=$(<"$SZIT_TMP/$name.err")
	SZIT_LAST_ARGS="($name, in the background)"
	if [[ -e $SZIT_TMP/$name.hung ]]; then
		fail "background stanza '$name' did not end within ${guard}s and was killed"
		show_run
	fi
	return 0
}

# ---------------------------------------------------------------- containers seen from the host

# Host pid of the PID 1 of the container started by stanza STANZA_PID (a
# descendant of it whose NSpid ends in 1), waiting up to SECONDS.
container_pid1() { # STANZA_PID [SECONDS]
	local root=$1 deadline queue p c ns
	deadline=$(($(now_ms) + ${2:-10} * 1000))
	while (($(now_ms) < deadline)); do
		queue=("$root")
		while ((${#queue[@]})); do
			p=${queue[0]}
			queue=("${queue[@]:1}")
			for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
				ns=$(sed -n 's/^NSpid:[[:space:]]*//p' "/proc/$c/status" 2>/dev/null)
				if [[ $ns =~ [[:space:]]1$ ]]; then
					echo "$c"
					return 0
				fi
				queue+=("$c")
			done
		done
		alive "$root" || return 1
		nap 0.02
	done
	return 1
}

# Every descendant of PID (children, grandchildren, ...), one a line.
descendants() { # PID
	local queue=("$1") p c
	while ((${#queue[@]})); do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do
			echo "$c"
			queue+=("$c")
		done
	done
}

# The real, effective, saved and filesystem uids (or gids) of PID, seen from the host.
proc_uids() { awk '$1 == "Uid:" { print $2, $3, $4, $5 }' "/proc/$1/status" 2>/dev/null; }
proc_gids() { awk '$1 == "Gid:" { print $2, $3, $4, $5 }' "/proc/$1/status" 2>/dev/null; }

# Mount point of the v1 hierarchy holding CONTROLLER, or the cgroup2 mount on v2.
cgroup_mount() { # CONTROLLER
	awk -v want="$1" -v mode="$(cgroup_mode)" '{
		for (i = 7; i <= NF && $i != "-"; i++) ;
		fs = $(i + 1); n = split($(i + 3), o, ",")
		if (mode == "v2") { if (fs == "cgroup2") { print $5; exit } ; next }
		if (fs != "cgroup") next
		for (j = 1; j <= n; j++) if (o[j] == want) { print $5; exit }
	}' /proc/self/mountinfo
}

# Every cgroup filesystem mount point (v1 hierarchies and cgroup2).
cgroup_mounts() {
	awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5 }' /proc/self/mountinfo
}

# The cgroup2 mount point, if any (the unified hierarchy, or the empty one of a hybrid host).
cgroup2_mount() {
	awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo
}

# Is DIR (v2) delegated to us: ours, with cgroup.procs and cgroup.subtree_control writable?
cg_delegated() { # DIR
	[[ -O $1 && -w $1/cgroup.procs && -w $1/cgroup.subtree_control ]]
}

# v2, rootless: the highest delegated ancestor of this shell's cgroup, which is
# where stanza (started from this shell) puts its containers and its own leaf.
v2_delegated_base() {
	local m cur best=
	m=$(cgroup2_mount)
	[[ -n $m ]] || return 1
	cur=$(sed -n 's/^0:://p' /proc/self/cgroup)
	while [[ -n $cur && $cur != / ]]; do
		if [[ ${cur##*/} != stanza-self-* ]] && cg_delegated "$m$cur"; then best=$m$cur; fi
		cur=${cur%/*}
	done
	[[ -n $best ]] && echo "$best"
}

# The directory under which stanza makes this user's stanza-<id> cgroup for
# CONTROLLER: the hierarchy's root for root; rootless, <mount>/stanza-<user>
# (made by an administrator) on v1, the highest delegated ancestor on v2.
# Fails when there is none (stanza then refuses the limit).
cgroup_base() { # CONTROLLER
	local m b
	m=$(cgroup_mount "$1")
	[[ -n $m ]] || return 1
	if ((!ROOTLESS)); then
		echo "$m"
	elif [[ $(cgroup_mode) == v2 ]]; then
		b=$(v2_delegated_base) || return 1
		# The controller must be available there (enabled by the parent).
		grep -qw -- "$1" "$b/cgroup.controllers" 2>/dev/null || [[ $1 == cpuacct ]] || return 1
		echo "$b"
	else
		[[ -w $m/stanza-$LEARNER/cgroup.procs ]] || return 1
		echo "$m/stanza-$LEARNER"
	fi
}

# Every base directory (see cgroup_base), once.
cgroup_bases() {
	local c
	for c in memory pids cpu cpuacct; do cgroup_base "$c"; done 2>/dev/null | sort -u
}

# Can this user's containers have --memory, --pids and --cpus?
limits_available() {
	local c
	for c in memory pids cpu; do cgroup_base "$c" >/dev/null 2>&1 || return 1; done
}

# v2, rootless: stanza's own leaves (stanza-self-<pid>) under the delegated base.
self_leaves() {
	local b
	b=$(v2_delegated_base) || return 0
	find "$b" -mindepth 1 -maxdepth 1 -type d -name 'stanza-self-*' 2>/dev/null | sort
}

# Make every cgroup stanza could use unwritable for the learner (chmod u-w of
# cgroup.procs) and run COMMAND...; then give the write permission back. The
# learner owns those files, so may do this to itself.
without_delegation() { # COMMAND...
	local m cur files=() f rc
	if [[ $(cgroup_mode) == v2 ]]; then
		m=$(cgroup2_mount)
		cur=$(sed -n 's/^0:://p' /proc/self/cgroup)
		while [[ -n $cur && $cur != / ]]; do
			[[ -O $m$cur/cgroup.procs && -w $m$cur/cgroup.procs ]] && files+=("$m$cur/cgroup.procs")
			cur=${cur%/*}
		done
	else
		for m in $(cgroup_mounts); do
			f=$m/stanza-$LEARNER/cgroup.procs
			[[ -O $f && -w $f ]] && files+=("$f")
		done
	fi
	((${#files[@]})) && chmod u-w "${files[@]}"
	"$@"
	rc=$?
	((${#files[@]})) && chmod u+w "${files[@]}"
	return $rc
}

# Absolute directories of the stanza-* cgroups process PID is in, one a line.
cgroup_dirs_of() { # PID
	local line ctrls path base m c
	while IFS= read -r line; do
		ctrls=${line#*:}
		path=${ctrls#*:}
		ctrls=${ctrls%%:*}
		base=${path##*/}
		[[ $base == stanza-* ]] || continue
		if [[ -z $ctrls ]]; then
			m=$(awk '{ for (i = 7; i <= NF && $i != "-"; i++) ; if ($(i + 1) == "cgroup2") { print $5; exit } }' /proc/self/mountinfo)
		else
			c=${ctrls%%,*}
			m=$(cgroup_mount "$c")
		fi
		[[ -n $m ]] && echo "$m$path"
	done <"/proc/$1/cgroup"
}

# Directory of PID's stanza cgroup for CONTROLLER (v1), or its v2 directory.
cgroup_dir_of() { # PID CONTROLLER
	local line ctrls path
	while IFS= read -r line; do
		ctrls=${line#*:}
		path=${ctrls#*:}
		ctrls=${ctrls%%:*}
		if [[ $(cgroup_mode) == v2 && -z $ctrls ]] || [[ ",$ctrls," == *",$2,"* ]]; then
			echo "$(cgroup_mount "$2")$path"
			return 0
		fi
	done <"/proc/$1/cgroup"
	return 1
}

# The container id (the part after "stanza-" in its cgroup's name).
container_id_of() { # PID
	local d
	d=$(cgroup_dirs_of "$1" | head -n1)
	[[ -n $d ]] || return 1
	d=${d##*/}
	echo "${d#stanza-}"
}

# The id of the container whose state directory's lock is held by stanza
# process SPID (works whether or not the container has cgroups).
state_id_of() { # SPID
	local lock
	for lock in "$STATE_ROOT"/*/lock; do
		if [[ $(lock_holder "$lock") == "$1" ]]; then
			lock=${lock%/lock}
			echo "${lock##*/}"
			return 0
		fi
	done
	return 1
}

# Every stanza-* cgroup directory on the host, sorted. Rootless, deeper (a
# delegated base may be a systemd scope far down the tree), leaving out the
# delegated bases themselves (stanza-<user> on v1) and stanza's own leaves
# (stanza-self-<pid> on v2: each stanza moves itself into one, and the next
# run collects it once that stanza is gone; see test_13).
all_stanza_cgroups() {
	local m
	if ((!ROOTLESS)); then
		for m in $(cgroup_mounts); do
			find "$m" -maxdepth 4 -type d -name 'stanza-*' 2>/dev/null
		done | sort
		return 0
	fi
	for m in $(cgroup_mounts); do
		find "$m" -maxdepth 8 -type d -name 'stanza-*' ! -name 'stanza-self-*' 2>/dev/null
	done | grep -vxF -f <(cgroup_bases; echo /nonexistent) | sort
	return 0
}

# Every entry of the state root, sorted (but its .gc.lock, which stays).
all_state_entries() {
	[[ -d $STATE_ROOT ]] && find "$STATE_ROOT" -mindepth 1 -maxdepth 1 ! -name .gc.lock 2>/dev/null | sort
	return 0
}

# Pid holding a lock on FILE, per /proc/locks, or nothing.
lock_holder() { # FILE
	local ino
	ino=$(stat -c %i "$1" 2>/dev/null) || return 1
	awk -v ino="$ino" '$0 !~ /->/ { n = split($6, a, ":"); if (n == 3 && a[3] == ino) { print $5; exit } }' /proc/locks
}

# State entries and stanza cgroups that exist now but not in BEFORE_*, leaving
# out those of containers still running (their state lock is held: another
# stanza on this machine, never one of the caller's finished runs). What another
# stanza is creating or removing right now can be caught half-way, so only what
# is still there a second later counts.
new_leftovers() { # BEFORE_CGROUPS BEFORE_STATE
	local first
	first=$(new_leftovers_now "$@")
	[[ -z $first ]] && return 0
	nap 1
	comm -12 <(printf '%s\n' "$first" | sort) <(new_leftovers_now "$@" | sort)
}

new_leftovers_now() {
	local e id
	for e in $(comm -13 <(printf '%s\n' "$2" | sort) <(all_state_entries)); do
		[[ -n $(lock_holder "$e/lock") ]] && continue
		echo "$e"
	done
	for e in $(comm -13 <(printf '%s\n' "$1" | sort) <(all_stanza_cgroups)); do
		id=${e##*/stanza-}
		[[ -n $(lock_holder "$STATE_ROOT/$id/lock") ]] && continue
		echo "$e"
	done
}

host_mounts_naming_stanza() { grep -i stanza /proc/self/mountinfo || true; }

# Processes (other than this shell and its children) whose argv contains STRING.
procs_with() { # STRING
	local p
	for p in $(pgrep -f -- "$1"); do
		[[ $p == "$$" || $p == "$BASHPID" ]] && continue
		[[ $(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) == "$$" ]] && continue
		echo "$p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
}

# ---------------------------------------------------------------- images

# A private copy of the busybox rootfs, for tests that plant things in an image.
# Rootless, root's private directories in the image (its /root, 0700) cannot
# be read: they are copied empty.
copy_image() { # DEST
	local errs
	if ((!ROOTLESS)); then
		cp -a "$IMAGE_ROOTFS" "$1"
		return
	fi
	errs=$(cp -a "$IMAGE_ROOTFS" "$1" 2>&1) && return 0
	errs=$(printf '%s\n' "$errs" | grep -v ': Permission denied$')
	[[ -z $errs ]] || { printf '%s\n' "$errs" >&2; return 1; }
	return 0
}

# A fingerprint of a directory tree: names, types, modes, owners, sizes, mtimes, link targets, contents.
tree_fingerprint() { # DIR
	(
		cd "$1" || exit 1
		find . -printf '%p %y %m %U:%G %s %T@ %l\n' 2>/dev/null | LC_ALL=C sort
		find . -type f -print0 2>/dev/null | LC_ALL=C sort -z | xargs -0 -r md5sum
	) | md5sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- start and end

# Stop any background stanza this test started and did not wait for.
szit_reap() {
	local name pid
	for name in "${!SZIT_BG[@]}"; do
		pid=${SZIT_BG[$name]}
		if alive "$pid"; then
			note "stopping leftover background stanza '$name' (pid $pid)"
			kill -TERM "$pid" 2>/dev/null
			wait_gone "$pid" 5 || kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
	done
	SZIT_BG=()
}

# End the test: exit 77 for an expected skip, 1 if anything failed, else 0.
finish() {
	local fails passes
	trap - EXIT
	szit_reap
	fails=$(count_lines "$SZIT_TMP/.fails")
	passes=$(count_lines "$SZIT_TMP/.passes")
	rm -rf "$SZIT_TMP"
	{ mkdir -p "$RUNS_DIR" && echo "$TEST_NAME" >>"$RUNS_DIR/done"; } 2>/dev/null
	if [[ $SZIT_EXIT == 77 && $fails -eq 0 ]]; then
		exit 77
	fi
	echo "# $TEST_NAME: $passes passed, $fails failed, $(grep -sx "$TEST_NAME" "$RUNS_DIR/runs" | grep -c '') container runs"
	((fails == 0)) || exit 1
	exit 0
}

szit_on_exit() {
	local rc=$?
	[[ $rc -ne 0 ]] && fail "script ended early with status $rc"
	finish
}
HOST_KIND=$(host_kind)

trap szit_on_exit EXIT
trap 'fail "interrupted"; finish' INT TERM

if [[ ! -x $STANZA ]]; then
	die "no stanza binary at '$STANZA' (set STANZA, or build first)"
fi
