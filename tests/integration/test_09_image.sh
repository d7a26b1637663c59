#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_09_image.sh - point 9: the built-in image comes from the store; writes in a container never reach it (overlay); the next container does not see them
. "$(dirname "$0")/lib.sh"

[[ -d $IMAGE_ROOTFS ]] || die "no image at $IMAGE_ROOTFS"
r=$MARK-$RANDOM

# A container without --image runs on the built-in image, which the first run
# puts into the image store (root's, or the learner's own): its one layer
# unpacked once, owned by the learner when rootless (so that root inside owns
# /etc), by root otherwise, with /home/app the app user's as the layer says.
run_stanza -- true
assert_status 0 "a first run (imports the built-in image into the store if needed)"
[[ -n $BUILTIN_LAYER ]] || die "no layer in the built-in image's layout under $STANZA_BUILD_DIR/images/busybox/oci"
assert_true "the built-in image's layer is unpacked in the store ($BUILTIN_LAYER)" test -d "$BUILTIN_LAYER/etc"
if ((ROOTLESS)); then
	assert_eq "rootless, the layer is the learner's" "$LEARNER_UID" "$(stat -c %u "$BUILTIN_LAYER/etc/passwd" 2>/dev/null)"
else
	assert_eq "as root, the layer's files are root's" "0:0" "$(stat -c %u:%g "$BUILTIN_LAYER/etc/passwd" 2>/dev/null)"
	assert_eq "and home/app is 1000:1000, as the layer's tar says" "1000:1000" "$(stat -c %u:%g "$BUILTIN_LAYER/home/app" 2>/dev/null)"
fi
assert_match "the store lists it as busybox:builtin" '(^|'$'\n'')busybox:builtin ' "$("$STANZA" image ls 2>&1)"
before=$(tree_fingerprint "$BUILTIN_LAYER")

# While a container runs, what it writes in /etc is in its own upper layer, in
# its state directory: not in the image's layer, not on the host's /etc.
mkfifo "$SZIT_TMP/hold"
exec 7<>"$SZIT_TMP/hold"
bg_start upper --stdin "$SZIT_TMP/hold" -- sh -c "echo $r >/etc/szit-upper && echo ready; read x" "$MARK"
if wait_for_line "$SZIT_TMP/upper.out" '^ready$' 10 && id=$(state_id_of "$BG_PID"); then
	assert_eq "the file written in /etc is in the container's upper layer ($STATE_ROOT/$id/upper)" \
		"$r" "$(cat "$STATE_ROOT/$id/upper/etc/szit-upper" 2>/dev/null)"
	assert_true "it is not in the image's layer" test ! -e "$BUILTIN_LAYER/etc/szit-upper"
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
assert_match "/bin has its mode back" "$(stat -L -c %a "$BUILTIN_LAYER/bin")\$" "$OUT"

assert_eq "the image's layer on the host is unchanged (names, modes, sizes, mtimes, contents)" \
	"$before" "$(tree_fingerprint "$BUILTIN_LAYER")"
assert_true "no marker in the image's layer" test ! -e "$BUILTIN_LAYER/etc/marker"
assert_true "no marker in the host's /etc" test ! -e /etc/marker

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

# The built-in image is imported again when the data directory's layout has
# another manifest (a new stanza installed), and only then. A data directory
# and a store of the test's own stand for the installed ones.
data=$SZIT_TMP/data
mkdir -p "$data/images/busybox"
copy_image "$SZIT_TMP/v1" || die "cannot copy the image"
echo one >"$SZIT_TMP/v1/etc/szit-version"
"$SZIT_DIR/mkimage.sh" --compress none --name busybox:builtin "$data/images/busybox/oci" "$SZIT_TMP/v1" ||
	die "cannot make a layout of the image"
mystore=$SZIT_TMP/store
STANZA_DATADIR=$data STANZA_STORE=$mystore run_stanza -- cat /etc/szit-version
assert_status 0 "a run on a new installed image"
assert_eq "the first run imports it" one "$OUT"
# index.json is replaced (a new inode) whenever an import writes it.
first=$(stat -c %i "$mystore/index.json")
STANZA_DATADIR=$data STANZA_STORE=$mystore run_stanza -- cat /etc/szit-version
assert_eq "a second run does not import it again (index.json not rewritten)" "$first" "$(stat -c %i "$mystore/index.json")"
echo two >"$SZIT_TMP/v1/etc/szit-version"
rm -rf "$data/images/busybox/oci"
"$SZIT_DIR/mkimage.sh" --compress none --name busybox:builtin "$data/images/busybox/oci" "$SZIT_TMP/v1" ||
	die "cannot make a layout of the image"
STANZA_DATADIR=$data STANZA_STORE=$mystore run_stanza -- cat /etc/szit-version
assert_status 0 "a run after the layout changed"
assert_eq "a new layout is imported" two "$OUT"
assert_ne "index.json was rewritten" "$first" "$(stat -c %i "$mystore/index.json")"
assert_eq "busybox:builtin is still one image (the tag moved)" 1 \
	"$(STANZA_DATADIR=$data STANZA_STORE=$mystore "$STANZA" image ls | grep -c '^busybox:builtin ')"
assert_eq "no temporary file is left in the store" "" "$(ls -A "$mystore/tmp" 2>/dev/null)"
rm -rf "$data/images/busybox/oci"
mkdir -p "$data/images/busybox/oci"
echo '{"schemaVersion":2,"manifests":[]}' >"$data/images/busybox/oci/index.json"
STANZA_DATADIR=$data STANZA_STORE=$mystore run_stanza -- true
assert_status 125 "a broken built-in layout is refused"
assert_match "the message names the layout's index.json and the fix" "images/busybox/oci/index.json.*names no manifest; run 'make'" "$ERR"
assert_one_error_line "a broken built-in layout"
rm -rf "$data/images/busybox/oci"
STANZA_DATADIR=$data STANZA_STORE=$mystore run_stanza -- true
assert_status 125 "a built-in image without its layout is refused"
assert_match "the message says the layout is missing, and where" "no OCI layout \\('.*images/busybox/oci/index.json' is missing\\)" "$ERR"

# Two first runs at once on a new store: both run, the image is imported once.
"$STANZA" run -- true 2>/dev/null # (the default store has it: only the new one below is empty)
for i in 1 2 3; do
	STANZA_STORE=$SZIT_TMP/store2 "$STANZA" run -- echo "run $i" >"$SZIT_TMP/par$i.out" 2>&1 &
done
wait
assert_eq "three first runs at once on an empty store all run" "run 1 run 2 run 3" \
	"$(cat "$SZIT_TMP"/par{1,2,3}.out | tr '\n' ' ' | sed 's/ $//')"
assert_eq "and the store holds the image once" 1 "$(ls "$SZIT_TMP/store2/layers" | wc -l)"

# --read-only: no overlay, writes to the root fail.
run_stanza --read-only -- sh -c 'echo x >/etc/marker'
assert_ne "--read-only: writing /etc fails" 0 "$STATUS"
assert_match "--read-only: 'Read-only file system'" 'Read-only file system' "$ERR"
assert_eq "the image's layer is still unchanged" "$before" "$(tree_fingerprint "$BUILTIN_LAYER")"
finish
