#!/bin/bash
# test_09_image.sh - point 9: writes in a container never reach the image (overlay); the next container does not see them
. "$(dirname "$0")/lib.sh"
require_root

[[ -d $IMAGE_ROOTFS ]] || die "no image at $IMAGE_ROOTFS"
before=$(tree_fingerprint "$IMAGE_ROOTFS")
r=$MARK-$RANDOM

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

# --read-only: no overlay, writes to the root fail.
run_stanza --read-only -- sh -c 'echo x >/etc/marker'
assert_ne "--read-only: writing /etc fails" 0 "$STATUS"
assert_match "--read-only: 'Read-only file system'" 'Read-only file system' "$ERR"
assert_eq "the image is still unchanged" "$before" "$(tree_fingerprint "$IMAGE_ROOTFS")"
finish
