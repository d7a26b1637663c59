#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_09_image.sh - point 9: writes in a container never reach the image (overlay); the next container does not see them
. "$(dirname "$0")/lib.sh"

[[ -d $IMAGE_ROOTFS ]] || die "no image at $IMAGE_ROOTFS"
before=$(tree_fingerprint "$IMAGE_ROOTFS")
r=$MARK-$RANDOM

# Rootless, containers run on the learner's private copy of the image, made
# on first use: owned by the learner (so root inside owns /etc), with the
# installed image's VERSION.
if ((ROOTLESS)); then
	run_stanza -- true
	assert_status 0 "a first run (makes the private copy if needed)"
	assert_true "the private copy is in $PRIVATE_IMAGE" test -d "$PRIVATE_IMAGE/rootfs/etc"
	assert_eq "the private copy is the learner's" "$LEARNER_UID" "$(stat -c %u "$PRIVATE_IMAGE/rootfs/etc/passwd" 2>/dev/null)"
	assert_eq "the private copy has the image's VERSION" "$(cat "$IMAGE_ROOTFS/../VERSION" 2>/dev/null)" \
		"$(cat "$PRIVATE_IMAGE/VERSION" 2>/dev/null)"
	private_before=$(tree_fingerprint "$PRIVATE_IMAGE")
fi

# While a container runs, what it writes in /etc is in its own upper layer, in
# its state directory: not in the image, not in the private copy, not on the
# host's /etc.
mkfifo "$SZIT_TMP/hold"
exec 7<>"$SZIT_TMP/hold"
bg_start upper --stdin "$SZIT_TMP/hold" -- sh -c "echo $r >/etc/szit-upper && echo ready; read x" "$MARK"
if wait_for_line "$SZIT_TMP/upper.out" '^ready$' 10 && id=$(state_id_of "$BG_PID"); then
	assert_eq "the file written in /etc is in the container's upper layer ($STATE_ROOT/$id/upper)" \
		"$r" "$(cat "$STATE_ROOT/$id/upper/etc/szit-upper" 2>/dev/null)"
	assert_true "it is not in the image" test ! -e "$IMAGE_ROOTFS/etc/szit-upper"
	((ROOTLESS)) && assert_true "it is not in the private copy" test ! -e "$PRIVATE_IMAGE/rootfs/etc/szit-upper"
	assert_true "it is not in the host's /etc" test ! -e /etc/szit-upper
else
	fail "the container writing /etc/szit-upper did not start"
fi
echo go >&7
bg_wait upper 10
exec 7>&-
assert_status 0 "the container writing /etc/szit-upper"
[[ -n ${id:-} ]] && assert_true "its upper layer is removed with it" test ! -e "$STATE_ROOT/$id"

# A --read-only container has no upper layer: its state directory holds the
# root's mount point and no overlay directories.
mkfifo "$SZIT_TMP/hold-ro"
exec 7<>"$SZIT_TMP/hold-ro"
bg_start ro --stdin "$SZIT_TMP/hold-ro" --read-only -- sh -c "echo ready; read x" "$MARK"
if wait_for_line "$SZIT_TMP/ro.out" '^ready$' 10 && rid=$(state_id_of "$BG_PID"); then
	assert_true "--read-only: the state directory has the root's mount point" test -d "$STATE_ROOT/$rid/rootfs"
	assert_true "--read-only: and no upper or work directory" test ! -e "$STATE_ROOT/$rid/upper" -a ! -e "$STATE_ROOT/$rid/work"
else
	fail "the --read-only container did not start"
fi
echo go >&7
bg_wait ro 10
exec 7>&-
assert_status 0 "the --read-only container"

run_stanza -- sh -c "echo $r >/etc/marker && echo $r >/bin/szit-new && echo $r >>/etc/passwd && rm /etc/hostname && chmod 700 /bin && mkdir -p /usr/szit/deep && echo written"
assert_status 0 "writing, appending, deleting and chmod-ing in the image's files"
assert_eq "the writes succeeded inside" written "$OUT"

run_stanza -- sh -c 'ls /etc/marker /bin/szit-new /usr/szit 2>&1; grep -c szit /etc/passwd; cat /etc/hostname >/dev/null && echo hostname-there; stat -L -c %a /bin'
assert_match "the next container does not see /etc/marker" '/etc/marker: No such file' "$OUT"
assert_match "nor /bin/szit-new" '/bin/szit-new: No such file' "$OUT"
assert_match "nor /usr/szit" '/usr/szit: No such file' "$OUT"
assert_match "/etc/passwd is as it was" $'\n0\n' "$OUT"
assert_match "the deleted /etc/hostname is back" 'hostname-there' "$OUT"
assert_match "/bin has its mode back" "$(stat -L -c %a "$IMAGE_ROOTFS/bin")\$" "$OUT"

assert_eq "the image on the host is unchanged (names, modes, sizes, mtimes, contents)" \
	"$before" "$(tree_fingerprint "$IMAGE_ROOTFS")"
assert_true "no marker in the image on the host" test ! -e "$IMAGE_ROOTFS/etc/marker"
assert_true "no marker in the host's /etc" test ! -e /etc/marker
if ((ROOTLESS)); then
	assert_eq "the private copy is unchanged" "$private_before" "$(tree_fingerprint "$PRIVATE_IMAGE")"
	assert_true "no marker in the private copy" test ! -e "$PRIVATE_IMAGE/rootfs/etc/marker"
fi

# Same with an image given by path.
img=$SZIT_TMP/img
copy_image "$img" || die "cannot copy the image"
img_before=$(tree_fingerprint "$img")
run_stanza --image "$img" -- sh -c "echo $r >/marker; rm -rf /etc; echo done"
assert_status 0 "--image /abs/path: writing and deleting"
run_stanza --image "$img" -- sh -c 'ls /marker 2>&1; ls -d /etc'
assert_match "the next container does not see /marker" 'No such file' "$OUT"
assert_match "/etc is back" '^/etc$|'$'\n''/etc$' "$OUT"
assert_eq "the image directory is unchanged" "$img_before" "$(tree_fingerprint "$img")"

# Rootless: the private copy is refreshed when the installed image's VERSION
# changes, and only then. An image directory of the test's own stands for the
# installed one (STANZA_DATADIR), with a copy of its own (XDG_DATA_HOME).
if ((ROOTLESS)); then
	data=$SZIT_TMP/data
	mkdir -p "$data/images/busybox"
	copy_image "$data/images/busybox/rootfs" || die "cannot copy the image"
	echo v1 >"$data/images/busybox/VERSION"
	cp "$IMAGE_ROOTFS/../owners" "$data/images/busybox/owners" 2>/dev/null
	echo one >"$data/images/busybox/rootfs/etc/szit-version"
	export_copy=$SZIT_TMP/xdg
	STANZA_DATADIR=$data XDG_DATA_HOME=$export_copy run_stanza -- cat /etc/szit-version
	assert_status 0 "a run on a new installed image"
	assert_eq "the first run copies it" one "$OUT"
	assert_eq "the copy is in \$XDG_DATA_HOME/stanza/images/busybox" v1 "$(cat "$export_copy/stanza/images/busybox/VERSION" 2>/dev/null)"
	echo two >"$data/images/busybox/rootfs/etc/szit-version"
	STANZA_DATADIR=$data XDG_DATA_HOME=$export_copy run_stanza -- cat /etc/szit-version
	assert_eq "a change without a new VERSION is not copied" one "$OUT"
	echo v2 >"$data/images/busybox/VERSION"
	STANZA_DATADIR=$data XDG_DATA_HOME=$export_copy run_stanza -- cat /etc/szit-version
	assert_status 0 "a run after the VERSION changed"
	assert_eq "a new VERSION refreshes the copy" two "$OUT"
	assert_eq "the copy has the new VERSION" v2 "$(cat "$export_copy/stanza/images/busybox/VERSION" 2>/dev/null)"
	assert_eq "no temporary copy is left beside it" "busybox" "$(ls "$export_copy/stanza/images")"
fi

# --read-only: no overlay, writes to the root fail.
run_stanza --read-only -- sh -c 'echo x >/etc/marker'
assert_ne "--read-only: writing /etc fails" 0 "$STATUS"
assert_match "--read-only: 'Read-only file system'" 'Read-only file system' "$ERR"
assert_eq "the image is still unchanged" "$before" "$(tree_fingerprint "$IMAGE_ROOTFS")"
finish
