#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_08_volumes.sh - point 8: -v read-write and :ro; neither `..` nor a symlink in the image can place a mount outside the root
. "$(dirname "$0")/lib.sh"

vol=$SZIT_TMP/x
mkdir "$vol"
echo from-host >"$vol/host-file"
r=$$-$RANDOM
host_mounts_before=$(host_mounts_naming_stanza; grep -c szit /proc/self/mountinfo)

# Read-write: a file written in /app appears on the host, and the other way round.
run_stanza -v "$vol:/app" -- sh -c 'cat /app/host-file; echo hello >/app/f'
assert_status 0 "-v HOST:/app"
assert_eq "the container reads the host's file" from-host "$OUT"
assert_eq "a file written in /app appears on the host" hello "$(cat "$vol/f" 2>/dev/null)"

# Read-only: reading works, writing fails with "Read-only file system".
run_stanza --volume "$vol:/app:ro" -- sh -c 'cat /app/f; echo x >/app/g'
assert_ne "writing to a :ro volume fails" 0 "$STATUS"
assert_eq "a :ro volume can be read" hello "$OUT"
assert_match "the write fails with 'Read-only file system'" 'Read-only file system' "$ERR"
assert_true "nothing was written on the host" test ! -e "$vol/g"

# `..` in the container path is resolved inside the root: the mount lands in
# the container's /tmp, never on the host's.
esc=/tmp/szit-escape-$r
run_stanza -v "$vol:/../../..$esc" -- sh -c "cat $esc/f"
assert_status 0 "-v HOST:/../../..$esc"
assert_eq "the volume is at $esc inside the container" hello "$OUT"
assert_true "nothing was created at the host's $esc" test ! -e "$esc"

run_stanza -v "$vol:/app/../../../..$esc-2" -- sh -c "cat $esc-2/f"
assert_status 0 "-v HOST:/app/../../../..$esc-2"
assert_eq "the volume is at $esc-2 inside the container" hello "$OUT"
assert_true "nothing was created at the host's $esc-2" test ! -e "$esc-2"

# A crafted image with symlinks pointing out of the root, absolute and relative.
img=$SZIT_TMP/img
copy_image "$img" || die "cannot copy the image from $IMAGE_ROOTFS"
ln -s "/tmp/szit-target-$r" "$img/evil"
ln -s "../../../tmp/szit-target2-$r" "$img/evil2"
ln -s /tmp "$img/evil3"
canary=/tmp/szit-target4-$r
mkdir "$canary"
echo canary >"$canary/canary"
ln -s "$canary" "$img/evil4"
img_before=$(tree_fingerprint "$img")

run_stanza --image "$img" -v "$vol:/evil" -- sh -c 'cat /evil/f; ls -d /tmp/szit-target-*'
assert_status 0 "volume on /evil -> /tmp/szit-target-$r (absolute link)"
assert_match "the mount lands inside the container" "^hello"$'\n'"/tmp/szit-target-$r\$" "$OUT"
assert_true "the host's /tmp/szit-target-$r was not created" test ! -e "/tmp/szit-target-$r"

run_stanza --image "$img" -v "$vol:/evil2" -- sh -c 'cat /evil2/f'
assert_status 0 "volume on /evil2 -> ../../../tmp/szit-target2-$r (relative link)"
assert_eq "the mount lands inside the container" hello "$OUT"
assert_true "the host's /tmp/szit-target2-$r was not created" test ! -e "/tmp/szit-target2-$r"

run_stanza --image "$img" -v "$vol:/evil3/szit-target3-$r" -- sh -c "cat /tmp/szit-target3-$r/f"
assert_status 0 "volume under /evil3 -> /tmp (link in the middle of the path)"
assert_eq "the mount lands in the container's /tmp" hello "$OUT"
assert_true "the host's /tmp/szit-target3-$r was not created" test ! -e "/tmp/szit-target3-$r"

# The link's target exists on the host: the volume must still go inside.
run_stanza --image "$img" -v "$vol:/evil4" -- sh -c 'ls /evil4'
assert_status 0 "volume on /evil4 -> $canary (exists on the host)"
assert_match "the container sees the volume at /evil4, not the host's directory" '(^|'$'\n'')f('$'\n''|$)' "$OUT"
assert_no_match "the host's directory is not visible inside" canary "$OUT"
assert_eq "the host's $canary is untouched" canary "$(ls "$canary")"

# Rootless: a volume of a host directory the learner may not write stays
# unwritable from inside, although the container's user is root: root inside
# is the learner outside, and the directory's owner (the host's root) is not
# mapped in the container's user namespace, so it shows as nobody (the
# overflow uid) and root's capabilities inside do not apply to it.
# tests/rootless/run.sh makes one (SZIT_UNWRITABLE_DIR: root's, 0755, with a
# file of root's, 0644); without it, the image's own directory serves when it
# is another user's.
if ((ROOTLESS)); then
	ro=${SZIT_UNWRITABLE_DIR:-$(dirname "$IMAGE_ROOTFS")}
	if [[ -d $ro && ! -w $ro && ! -O $ro ]]; then
		ro_before=$(tree_fingerprint "$ro")
		rofile=$(cd "$ro" && find . -maxdepth 1 -type f ! -name '.*' | head -n1)
		rofile=${rofile#./}
		overflow=$(cat /proc/sys/kernel/overflowuid 2>/dev/null || echo 65534)
		run_stanza -v "$ro:/hostdir" -- sh -c '
			echo "whoami=$(whoami)"
			echo "owner=$(stat -c %u /hostdir)"
			echo x >/hostdir/szit-new 2>/dev/null; echo "create=$?"
			mkdir /hostdir/szit-dir 2>/dev/null; echo "mkdir=$?"
			chmod 777 /hostdir 2>/dev/null; echo "chmod=$?"
			chown 0:0 /hostdir 2>/dev/null; echo "chown=$?"
			if [ -n "$1" ]; then
				echo x >>"/hostdir/$1" 2>/dev/null; echo "append=$?"
				rm -f "/hostdir/$1" 2>/dev/null; echo "rm=$?"
				mv "/hostdir/$1" "/hostdir/$1.moved" 2>/dev/null; echo "mv=$?"
				cat "/hostdir/$1" >/dev/null; echo "read=$?"
			fi' sh "$rofile"
		assert_status 0 "-v $ro:/hostdir (a directory of root's on the host)"
		assert_match "the container's user is root" '(^|'$'\n'')whoami=root('$'\n''|$)' "$OUT"
		assert_match "the host's root shows up as the overflow uid ($overflow) inside" "owner=$overflow" "$OUT"
		assert_match "root inside cannot create a file in the volume" 'create=[1-9]' "$OUT"
		assert_match "root inside cannot make a directory in it" 'mkdir=[1-9]' "$OUT"
		assert_match "root inside cannot chmod it" 'chmod=[1-9]' "$OUT"
		assert_match "root inside cannot chown it" 'chown=[1-9]' "$OUT"
		if [[ -n $rofile ]]; then
			for op in append rm mv; do
				assert_match "root inside cannot $op $rofile of the host's root" "$op=[1-9]" "$OUT"
			done
			assert_match "but can read it (it is world-readable)" 'read=0' "$OUT"
		fi
		assert_eq "the host directory is unchanged" "$ro_before" "$(tree_fingerprint "$ro")"
	else
		fail "no directory the learner cannot write to test with (set SZIT_UNWRITABLE_DIR; tests/rootless/run.sh does)"
	fi

	# What root inside writes in a volume belongs to the learner on the host.
	run_stanza -v "$vol:/app" -- sh -c 'echo mine >/app/owned; mkdir /app/owned-dir'
	assert_status 0 "root inside writes a file and a directory in a volume"
	assert_eq "on the host, the file is the learner's" "$LEARNER_UID:$LEARNER_GID" "$(stat -c %u:%g "$vol/owned" 2>/dev/null)"
	assert_eq "on the host, the directory is the learner's" "$LEARNER_UID:$LEARNER_GID" "$(stat -c %u:%g "$vol/owned-dir" 2>/dev/null)"
fi

assert_eq "the crafted image is unchanged (links and all)" "$img_before" "$(tree_fingerprint "$img")"
assert_eq "no mount naming stanza or szit appeared on the host" "$host_mounts_before" \
	"$(host_mounts_naming_stanza; grep -c szit /proc/self/mountinfo)"
rm -rf "$canary" "/tmp/szit-target-$r" "/tmp/szit-target2-$r" "/tmp/szit-target3-$r" "$esc" "$esc-2"
finish
