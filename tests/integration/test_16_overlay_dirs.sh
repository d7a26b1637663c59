#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_16_overlay_dirs.sh - a container removes, re-makes and renames directories of the image (opaque and redirected directories)
. "$(dirname "$0")/lib.sh"

# Files alone need little of the overlay; directories of the image need its
# extended attributes on the upper layer: an opaque directory where one was
# removed and made again, a redirect (or, where renames of lower directories
# are refused with EXDEV, mv's copy and removal) where one was renamed.
# Rootless, those are user.* attributes, which tmpfs keeps only from Linux
# 6.6 on: with XDG_RUNTIME_DIR on a tmpfs (systemd's /run/user/<uid>; the vm
# tier's rootless pass runs so) stanza must keep its state elsewhere, or
# these fail with EIO.
note "XDG_RUNTIME_DIR ${XDG_RUNTIME_DIR:-unset} ($(stat -f -c %T "${XDG_RUNTIME_DIR:-/tmp}" 2>/dev/null)), state root $STATE_ROOT, kernel $(uname -r)"
run_stanza -- true # puts the built-in image into the store, if it is not there yet
[[ -d $BUILTIN_LAYER ]] || die "no layer of the built-in image at '$BUILTIN_LAYER'"
before=$(tree_fingerprint "$BUILTIN_LAYER")

run_stanza -- sh -c '
	rm -rf /etc && mkdir /etc && echo new >/etc/hostname; echo "rm-and-mkdir=$?"
	ls -A /etc | tr "\n" " "; echo
	mv /home/app /home/app2; echo "mv-dir=$?"
	ls /home | tr "\n" " "; echo
	mv /usr/bin /usr/bin.old && mkdir /usr/bin; echo "mv-and-mkdir=$?"
	rmdir /mnt && mkdir /mnt && rmdir /mnt; echo "rmdir-mkdir-rmdir=$?"
	mkdir /var/szit && mv /var/szit /var/szit2; echo "mv-new-dir=$?"'
assert_status 0 "the container ran"
assert_match "rm -rf /etc && mkdir /etc: an opaque directory" $'(^|\n)rm-and-mkdir=0\n' "$OUT"
assert_match "the re-made /etc holds only what was written in it" $'(^|\n)hostname \n' "$OUT"
assert_match "mv /home/app /home/app2: a directory of the image renamed" $'(^|\n)mv-dir=0\n' "$OUT"
assert_match "/home has app2 and no app" $'(^|\n)app2 \n' "$OUT"
assert_match "mv /usr/bin /usr/bin.old && mkdir /usr/bin" $'(^|\n)mv-and-mkdir=0\n' "$OUT"
assert_match "rmdir /mnt, mkdir /mnt, rmdir /mnt again" $'(^|\n)rmdir-mkdir-rmdir=0\n' "$OUT"
assert_match "a new directory renamed" $'(^|\n)mv-new-dir=0' "$OUT"
assert_no_match "no I/O error" 'Input/output error' "$OUT$ERR"

run_stanza -- sh -c 'ls /etc/passwd /home/app /usr/bin/env && echo intact'
assert_status 0 "the next container sees the image as it was"
assert_match "its /etc, /home/app and /usr/bin are there" 'intact' "$OUT"
assert_eq "the image's layer in the store is unchanged" "$before" "$(tree_fingerprint "$BUILTIN_LAYER")"

finish
