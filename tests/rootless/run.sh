#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# run.sh NAME - run tests/integration/NAME.sh as an unprivileged test user (rootless stanza), from root
#
# The rootless ctest tier (label `rootless`) runs every integration script
# through this wrapper. Run by ctest as root, it:
#   1. makes sure the test user exists (SZIT_LEARNER, default stanza-learner;
#      useradd, or busybox adduser, with no home and no login shell);
#   2. stages the binary, the build's images and locale, and the test scripts
#      in a fresh mktemp -d that the user can read: a CI checkout under /root
#      is not readable by others, and the user must not depend on it;
#   3. hands the user the cgroups stanza needs for limits (delegate.sh setup:
#      <mount>/stanza-USER per controller on v1; /sys/fs/cgroup/stanza-USER
#      with the test started in its leaf stanza-USER/session on v2);
#   4. gives the user a fresh 0700 XDG_RUNTIME_DIR and HOME in the staging
#      dir (with SZIT_RUNTIME_TMPFS=1 the XDG_RUNTIME_DIR is a tmpfs of the
#      user's, as systemd makes /run/user/<uid>), and a root-owned 0755
#      directory (SZIT_UNWRITABLE_DIR) for the volume the user cannot write
#      (test_08);
#   5. runs the script as the user (setpriv, else runuser) with STANZA,
#      STANZA_BUILD_DIR and STANZA_SOURCE_DIR pointing at the staged copies;
#   6. afterwards fails the test on anything left: processes of the user,
#      state entries, /tmp/stanza-<uid>, cgroups (delegate.sh teardown removes
#      the delegated cgroups after every test, so nothing named stanza* stays
#      under /sys/fs/cgroup); appends the runs it counted to
#      $STANZA_BUILD_DIR/it-runs-rootless for leaks.sh; removes the staging dir.
# Its status is the script's (77, a skip, passes through), or 1 on a leak.
#
# Environment (from ctest): STANZA, STANZA_BUILD_DIR, STANZA_SOURCE_DIR.
# Passed on to the user: SZIT_*, LANG, LC_*, LANGUAGE and the sanitizers' *SAN_OPTIONS.
set -u
umask 022

NAME=${1:?usage: run.sh TEST_NAME (e.g. test_05_memory)}
NAME=${NAME%.sh}
HERE=$(cd "$(dirname "$0")" && pwd)
: "${STANZA_SOURCE_DIR:=$(cd "$HERE/../.." && pwd)}"
: "${STANZA_BUILD_DIR:=$STANZA_SOURCE_DIR/build}"
: "${STANZA:=$STANZA_BUILD_DIR/stanza}"
IT=$STANZA_SOURCE_DIR/tests/integration
LEARNER=${SZIT_LEARNER:-stanza-learner}
RUNS=$STANZA_BUILD_DIR/it-runs-rootless

say() { echo "# rootless: $*"; }

if [[ $(id -u) != 0 ]]; then
	# As an ordinary user, the integration/* tests already are the rootless tier.
	if grep -Eq '^rootless-\*[[:space:]]+rootless/\*' "$IT/expected-skips"; then
		echo "SKIP: the rootless tier needs root, to create its test user and delegate cgroups" \
			"(run as $(id -un), integration/* already runs rootless)"
		exit 77
	fi
	echo "not ok - the rootless tier needs root and its skip is not listed in expected-skips"
	exit 1
fi
[[ -f $IT/$NAME.sh ]] || {
	echo "not ok - no test $IT/$NAME.sh"
	exit 1
}
[[ -x $STANZA ]] || {
	echo "not ok - no stanza binary at '$STANZA' (build first)"
	exit 1
}

# ---------------------------------------------------------------- the test user

ensure_user() {
	id -u "$LEARNER" >/dev/null 2>&1 && return 0
	local nologin=/usr/sbin/nologin
	[[ -x $nologin ]] || nologin=/bin/false
	if command -v useradd >/dev/null; then
		useradd --system --user-group --no-create-home --home-dir /nonexistent --shell "$nologin" "$LEARNER"
	elif command -v adduser >/dev/null; then
		adduser -D -H -h /nonexistent -s "$nologin" "$LEARNER" # busybox
	else
		echo "not ok - no useradd or adduser to create the test user $LEARNER" >&2
		return 1
	fi
	id -u "$LEARNER" >/dev/null 2>&1 || {
		echo "not ok - could not create the test user $LEARNER" >&2
		return 1
	}
	say "created the test user $LEARNER (uid $(id -u "$LEARNER"))"
}
ensure_user || exit 1
L_UID=$(id -u "$LEARNER")
L_GID=$(id -g "$LEARNER")

# How to become the learner (no capabilities left: the uid change from 0
# clears them); the environment is left as given.
if command -v setpriv >/dev/null; then
	SWITCH=(setpriv --reuid="$L_UID" --regid="$L_GID" --init-groups)
elif command -v runuser >/dev/null; then
	SWITCH=(runuser -p -u "$LEARNER" --)
else
	echo "not ok - neither setpriv nor runuser is installed"
	exit 1
fi
as_learner() { "${SWITCH[@]}" "$@"; }

# ---------------------------------------------------------------- staging

STAGE=$(mktemp -d /tmp/stanza-rl.XXXXXX) || exit 1
chmod 755 "$STAGE"
FB_STATE=/tmp/stanza-$L_UID
FB_EXISTED=0
[[ -e $FB_STATE ]] && FB_EXISTED=1
TEST_PID=

TORN_DOWN=0
cleanup() {
	trap - EXIT INT TERM
	if [[ -n $TEST_PID ]]; then
		kill -TERM "$TEST_PID" 2>/dev/null
		wait "$TEST_PID" 2>/dev/null
	fi
	# Interrupted before the checks below: still leave nothing behind.
	if ((!TORN_DOWN)) && [[ ${SZIT_NO_DELEGATION:-0} != 1 ]]; then
		for p in $(pgrep -u "$L_UID" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
		"$HERE/delegate.sh" teardown "$LEARNER" >/dev/null 2>&1
	fi
	[[ ${SZIT_RUNTIME_TMPFS:-0} == 1 ]] && umount -l "$STAGE/run" 2>/dev/null
	cd / && rm -rf "$STAGE"
}
trap cleanup EXIT
trap 'echo "not ok - interrupted"; exit 1' INT TERM

stage() {
	mkdir -p "$STAGE/build" "$STAGE/src/tests" &&
		cp "$STANZA" "$STAGE/build/stanza" &&
		cp -a "$STANZA_BUILD_DIR/images" "$STAGE/build/images" &&
		{ [[ ! -d $STANZA_BUILD_DIR/locale ]] || cp -a "$STANZA_BUILD_DIR/locale" "$STAGE/build/locale"; } &&
		cp -a "$IT" "$STAGE/src/tests/integration" &&
		cp -a "$STANZA_SOURCE_DIR/tests/fixtures" "$STAGE/src/tests/fixtures" &&
		cp -a "$STANZA_SOURCE_DIR/lessons" "$STANZA_SOURCE_DIR/labs" "$STAGE/src/" &&
		mkdir "$STAGE/src/i18n" && cp "$STANZA_SOURCE_DIR/i18n/LINGUAS" "$STANZA_SOURCE_DIR/i18n/terms.yaml" "$STAGE/src/i18n/" &&
		chmod -R a+rX "$STAGE/src" "$STAGE/build/stanza" &&
		mkdir "$STAGE/build/it-runs" "$STAGE/run" "$STAGE/home" &&
		chown "$L_UID:$L_GID" "$STAGE/build/it-runs" "$STAGE/run" "$STAGE/home" &&
		chmod 700 "$STAGE/run" "$STAGE/home" &&
		mkdir -m 755 "$STAGE/unwritable" &&
		echo "root's file" >"$STAGE/unwritable/root-file" &&
		chmod 644 "$STAGE/unwritable/root-file"
}
stage || {
	echo "not ok - could not stage the test in $STAGE"
	exit 1
}
if [[ ${SZIT_RUNTIME_TMPFS:-0} == 1 ]] &&
	! mount -t tmpfs -o "mode=700,uid=$L_UID,gid=$L_GID,size=64m,nosuid,nodev" tmpfs "$STAGE/run"; then
	echo "not ok - could not mount a tmpfs on $STAGE/run (SZIT_RUNTIME_TMPFS=1)"
	exit 1
fi
# test_install: root installs into a DESTDIR, as an administrator would, and
# the learner checks the tree and runs the installed stanza rootless.
EXTRA_ENVS=()
if [[ $NAME == test_install ]]; then
	if ! DESTDIR=$STAGE/dest cmake --install "$STANZA_BUILD_DIR" --prefix /usr >"$STAGE/install.log" 2>&1; then
		cat "$STAGE/install.log"
		echo "not ok - cmake --install into $STAGE/dest failed"
		exit 1
	fi
	chmod 755 "$STAGE/dest"
	EXTRA_ENVS+=("SZIT_INSTALLED=$STAGE/dest/usr")
fi

# The staged copies are all the user needs; say whether the originals would
# have been enough (a checkout under /root is not).
if ! as_learner test -x "$STANZA" 2>/dev/null; then
	say "$STANZA is not reachable by $LEARNER: the staged copy is used"
fi
if ! as_learner test -x "$STAGE/build/stanza" -a -r "$STAGE/build/images/busybox/rootfs/bin/busybox" \
	-a -r "$STAGE/src/tests/integration/lib.sh" -a -r "$STAGE/src/tests/integration/$NAME.sh"; then
	echo "not ok - $LEARNER cannot read the staged binary, image or scripts in $STAGE"
	ls -la "$STAGE" "$STAGE/build"
	exit 1
fi

# ---------------------------------------------------------------- cgroups

# SZIT_NO_DELEGATION=1 leaves the learner without one (the host kind is then
# rootless-<mode>-nocgroup: limits are refused, see expected-skips).
LEAF=
if [[ ${SZIT_NO_DELEGATION:-0} != 1 ]]; then
	"$HERE/delegate.sh" setup "$LEARNER" || {
		echo "not ok - could not delegate cgroups to $LEARNER"
		exit 1
	}
	LEAF=$("$HERE/delegate.sh" leaf "$LEARNER")
fi

# ---------------------------------------------------------------- the run

# A standard PATH, not the caller's (root's may hold directories a learner
# cannot read); a host whose tools live elsewhere (the vm tier's guest keeps
# busybox's applets in /opt/busybox/bin) names them in SZIT_EXTRA_PATH.
ENVS=(
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${SZIT_EXTRA_PATH:+:$SZIT_EXTRA_PATH}"
	"HOME=$STAGE/home" "XDG_RUNTIME_DIR=$STAGE/run"
	"USER=$LEARNER" "LOGNAME=$LEARNER" "SHELL=/bin/sh" "TMPDIR=/tmp"
	"STANZA=$STAGE/build/stanza" "STANZA_BUILD_DIR=$STAGE/build" "STANZA_SOURCE_DIR=$STAGE/src"
	"STANZA_DATADIR=$STAGE/build" "STANZA_LOCALEDIR=$STAGE/build/locale"
	"SZIT_UNWRITABLE_DIR=$STAGE/unwritable"
	${EXTRA_ENVS[@]+"${EXTRA_ENVS[@]}"}
)
while IFS= read -r var; do
	ENVS+=("$var=${!var}")
done < <(compgen -e | grep -E '^(SZIT_[A-Z_]+|LANG|LANGUAGE|LC_[A-Z]+|[A-Z]+SAN_OPTIONS)$' | grep -Evx 'SZIT_UNWRITABLE_DIR|SZIT_INSTALLED')

say "$NAME as $LEARNER (uid $L_UID), staged in $STAGE${LEAF:+, in the cgroup $LEAF}"
cd "$STAGE" || exit 1
(
	if [[ -n $LEAF ]]; then
		echo "$BASHPID" >"$LEAF/cgroup.procs" || exit 1
	fi
	exec env -i "${ENVS[@]}" "${SWITCH[@]}" bash "$STAGE/src/tests/integration/$NAME.sh"
) &
TEST_PID=$!
wait "$TEST_PID"
STATUS=$?
TEST_PID=

# ---------------------------------------------------------------- what is left

LEAK=0
# The user's processes, but not those on their way out (zombies, exiting).
learner_procs() {
	local p
	for p in $(pgrep -u "$L_UID" 2>/dev/null); do
		[[ $(awk '$1 == "State:" { print $2 }' "/proc/$p/status" 2>/dev/null) == [ZX] ]] && continue
		echo "$p"
	done
}
for _ in 1 2 3 4 5 6 7 8 9 10; do
	left=$(learner_procs)
	[[ -z $left ]] && break
	sleep 0.2
done
if [[ -n $left ]]; then
	echo "not ok - LEAK: processes of $LEARNER still running after $NAME:"
	for p in $left; do
		echo "#   $p $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) ($(awk '$1 == "Name:" || $1 == "State:" { printf "%s ", $2 }' "/proc/$p/status" 2>/dev/null))"
	done
	# Ours (started by this test): stop them so the next test starts clean.
	for p in $left; do kill -KILL "$p" 2>/dev/null; done
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[[ -z $(learner_procs) ]] && break
		sleep 0.2
	done
	LEAK=1
fi
# The state root, or where stanza keeps it when the XDG_RUNTIME_DIR keeps no
# user xattrs (a tmpfs before Linux 6.6).
for root in "$STAGE/run/stanza" "$STAGE/home/.cache/stanza/run"; do
	[[ -d $root ]] || continue
	entries=$(find "$root" -mindepth 1 -maxdepth 1 ! -name .gc.lock)
	if [[ -n $entries ]]; then
		echo "not ok - LEAK: state entries in $LEARNER's state root $root:"
		echo "$entries" | sed 's/^/#   /'
		LEAK=1
	fi
done
if ((!FB_EXISTED)) && [[ -e $FB_STATE ]]; then
	echo "not ok - LEAK: $FB_STATE was created and left"
	rm -rf "$FB_STATE"
	LEAK=1
fi
TORN_DOWN=1
if [[ ${SZIT_NO_DELEGATION:-0} != 1 ]] && ! "$HERE/delegate.sh" teardown "$LEARNER"; then
	echo "not ok - LEAK: something was left in $LEARNER's delegated cgroups (removed now)"
	LEAK=1
fi
mkdir -p "$RUNS"
cat "$STAGE/build/it-runs/runs" >>"$RUNS/runs" 2>/dev/null
cat "$STAGE/build/it-runs/done" >>"$RUNS/done" 2>/dev/null

if ((LEAK)); then
	exit 1
fi
exit "$STATUS"
