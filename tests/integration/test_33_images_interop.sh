#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_33_images_interop.sh - images in and out with the tools people use: skopeo and umoci read what stanza exports, podman loads and runs it, and what buildah builds and podman saves (oci-archive, docker-archive) runs under stanza; exports are reproducible
. "$(dirname "$0")/lib.sh"

for tool in skopeo umoci tar gzip sha256sum cmp; do
	command -v $tool >/dev/null || skip "no '$tool' (make check installs skopeo and umoci on Debian)"
done
[[ -x $IMAGE_ROOTFS/bin/busybox ]] || die "no image at $IMAGE_ROOTFS"

export STANZA_STORE=$SZIT_TMP/store
W=$SZIT_TMP/interop
L=$W/layers
mkdir -p "$L/base" "$L/two/data" "$L/two/keep" "$L/three/data"
cp -a "$IMAGE_ROOTFS/." "$L/base/" 2>/dev/null
[[ -x $L/base/bin/busybox ]] || die "cannot copy the image's root to make a layer of it"
echo a >"$L/two/data/a"
echo b >"$L/two/data/b"
echo y >"$L/two/keep/y"
: >"$L/three/data/.wh.a"
: >"$L/three/.wh.keep"
"$SZIT_DIR/mkimage.sh" --name demo:1 --cmd '["sh","-c","ls /data; test -e /keep || echo no-keep"]' \
	"$W/src" "$L/base" "$L/two" "$L/three" || die "mkimage.sh could not make the test image"
"$STANZA" image import "$W/src" >/dev/null 2>"$W/err" || die "stanza image import failed: $(cat "$W/err")"
run_stanza --image demo:1
assert_eq "stanza runs the image" "$(printf 'b\nno-keep')" "$OUT"
expected=$OUT

# ---- stanza exports, the others read
"$STANZA" image export demo:1 -o "$W/out" 2>/dev/null
assert_true "image export -o DIR writes an OCI layout" test -f "$W/out/oci-layout" -a -f "$W/out/index.json"
digest=$(sed -n 's/.*"digest":"\(sha256:[0-9a-f]*\)".*/\1/p' "$W/out/index.json")
inspect=$(skopeo inspect "oci:$W/out:demo:1" 2>&1)
assert_match "skopeo inspect reads the exported layout (its digest)" "\"Digest\": \"$digest\"" "$inspect"
assert_eq "skopeo sees its 3 layers" 3 "$(grep -c '"sha256:' <<<"$(sed -n '/"Layers"/,/\]/p' <<<"$inspect")")"
umoci_opts=()
((ROOTLESS)) && umoci_opts=(--rootless)
umoci unpack "${umoci_opts[@]}" --image "$W/out:demo:1" "$W/bundle" >"$W/umoci.log" 2>&1
assert_true "umoci unpack unpacks it ($(tail -1 "$W/umoci.log"))" test -f "$W/bundle/rootfs/data/b"
assert_true "umoci applies the whiteouts stanza kept (/data/a and /keep gone)" \
	test ! -e "$W/bundle/rootfs/data/a" -a ! -e "$W/bundle/rootfs/keep"

# ---- the built-in image is a real OCI image: the build's layout, as the others see it
bb=$STANZA_BUILD_DIR/images/busybox/oci
inspect=$(skopeo inspect "oci:$bb:busybox:builtin" 2>&1)
assert_match "skopeo inspect reads the built-in image's layout" '"Architecture": "'"$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')"'"' "$inspect"
umoci unpack "${umoci_opts[@]}" --image "$bb:busybox:builtin" "$W/bbbundle" >"$W/umoci.log" 2>&1
assert_true "umoci unpack unpacks it ($(tail -1 "$W/umoci.log"))" test -x "$W/bbbundle/rootfs/bin/busybox"
((ROOTLESS)) || assert_eq "with /home/app 1000:1000, as its tar says" "1000:1000" "$(stat -c %u:%g "$W/bbbundle/rootfs/home/app" 2>/dev/null)"

# ---- reproducible: export, import elsewhere, export again: the same digests, the same tar
export SOURCE_DATE_EPOCH=1700000000
"$STANZA" image export demo:1 -o "$W/one.tar" 2>/dev/null
STANZA_STORE=$SZIT_TMP/store2 "$STANZA" image import "$W/one.tar" >/dev/null 2>&1
STANZA_STORE=$SZIT_TMP/store2 "$STANZA" image export demo:1 -o "$W/two.tar" 2>/dev/null
assert_eq "export, import, export: the same blobs" "$(tar -tf "$W/one.tar" | sort)" "$(tar -tf "$W/two.tar" | sort)"
assert_true "and the two oci-archive tars are byte for byte the same" cmp -s "$W/one.tar" "$W/two.tar"
assert_match "the tar's entries carry SOURCE_DATE_EPOCH and numeric owners" \
	'^-rw-r--r-- 0/0 .* 2023-11-14 ' "$(TZ=UTC tar --numeric-owner -tvf "$W/one.tar" | grep index.json)"
unset SOURCE_DATE_EPOCH

# ---- an image stanza built, exported: skopeo and umoci read it (podman runs it, below)
mkdir -p "$W/ctx"
echo copied >"$W/ctx/file.txt"
cat >"$W/ctx/Containerfile" <<'CF'
FROM demo:1
RUN rm /data/b && echo made-by-run >/made
COPY file.txt /copied.txt
CMD ["sh", "-c", "cat /made /copied.txt; ls /data | wc -l"]
CF
"$STANZA" build -t built:1 "$W/ctx" >"$W/build.out" 2>&1 || fail "stanza build: $(tail -1 "$W/build.out")"
run_stanza --image built:1
assert_eq "stanza runs what it built" "$(printf 'made-by-run\ncopied\n0')" "$OUT"
built_expected=$OUT
"$STANZA" image export built:1 -o "$W/built" 2>/dev/null
"$STANZA" image export built:1 -o "$W/built.tar" 2>/dev/null
assert_match "skopeo inspect reads the built image's layout" '"Cmd": \[' "$(skopeo inspect --config "oci:$W/built:built:1" 2>&1)"
umoci unpack "${umoci_opts[@]}" --image "$W/built:built:1" "$W/built-bundle" >"$W/umoci2.log" 2>&1
assert_true "umoci unpacks it: RUN's file, COPY's file ($(tail -1 "$W/umoci2.log"))" \
	test -f "$W/built-bundle/rootfs/made" -a -f "$W/built-bundle/rootfs/copied.txt"
assert_true "and RUN's deletion, a whiteout in the layer, deletes /data/b" test ! -e "$W/built-bundle/rootfs/data/b"

# ---- podman and buildah (root: rootless podman needs subordinate ids for the learner)
if ((ROOTLESS)); then
	note "rootless: podman and buildah are checked as root (they need /etc/subuid entries for $LEARNER)"
	finish
fi
for tool in podman buildah; do
	command -v $tool >/dev/null || die "no '$tool' (make check installs it on Debian)"
done
# podman's run root must be short (50 characters at most).
RR=$(mktemp -d /tmp/szp.XXXXXX)
P=(podman --root "$W/podman" --runroot "$RR" --storage-driver vfs)
B=(buildah --root "$W/podman" --runroot "$RR" --storage-driver vfs)
# This host's root lacks CAP_SYS_RESOURCE: limits within the current hard ones.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
((nofile > 1024)) && nofile=1024
[[ $nproc == unlimited ]] || ((nproc > 1024)) && nproc=1024
RUN=(run --rm --network none --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
cleanup_podman() {
	"${B[@]}" rm --all >/dev/null 2>&1
	"${P[@]}" rmi --all --force >/dev/null 2>&1
	rm -rf "$RR"
}
"${P[@]}" load -i "$W/one.tar" >"$W/load.log" 2>&1
assert_match "podman load reads stanza's oci-archive" 'Loaded image.*demo:1' "$(cat "$W/load.log")"
podman_out=$("${P[@]}" "${RUN[@]}" localhost/demo:1 2>"$W/podman.err")
assert_eq "podman runs it with stanza's output ($(tail -1 "$W/podman.err"))" "$expected" "$podman_out"
"${P[@]}" load -i "$W/built.tar" >"$W/load2.log" 2>&1
podman_out=$("${P[@]}" "${RUN[@]}" localhost/built:1 2>"$W/podman2.err")
assert_eq "podman runs the image stanza built, with stanza's output ($(tail -1 "$W/podman2.err"))" \
	"$built_expected" "$podman_out"

# buildah from scratch, offline: busybox from stanza's image, then podman save in both formats.
ctr=$("${B[@]}" from scratch 2>"$W/buildah.err")
mnt=$("${B[@]}" mount "$ctr" 2>>"$W/buildah.err")
if [[ -n $ctr && -d $mnt ]]; then
	mkdir -p "$mnt/bin"
	cp "$IMAGE_ROOTFS/bin/busybox" "$mnt/bin/busybox"
	ln -s busybox "$mnt/bin/sh"
	"${B[@]}" umount "$ctr" >/dev/null
	"${B[@]}" config --cmd '["/bin/sh","-c","echo built-by-buildah"]' "$ctr"
	"${B[@]}" commit "$ctr" localhost/bb:1 >/dev/null 2>>"$W/buildah.err"
	"${P[@]}" save --format oci-archive -o "$W/bb-oci.tar" localhost/bb:1 >/dev/null 2>&1
	"${P[@]}" save --format docker-archive -o "$W/bb-docker.tar" localhost/bb:1 >/dev/null 2>&1
else
	fail "buildah from scratch: $(cat "$W/buildah.err")"
fi
"$STANZA" image import "$W/bb-oci.tar" --name bb:oci >"$W/imp.out" 2>&1
rc=$?
assert_eq "stanza imports podman's oci-archive ($(tail -1 "$W/imp.out"))" 0 $rc
"$STANZA" image import "$W/bb-docker.tar" >"$W/imp2.out" 2>&1
rc=$?
assert_eq "stanza imports podman's docker-archive ($(tail -1 "$W/imp2.out"))" 0 $rc
run_stanza --image bb:oci
assert_eq "buildah's image runs under stanza (from oci-archive)" "built-by-buildah" "$OUT"
run_stanza --image localhost/bb:1
assert_eq "buildah's image runs under stanza (from docker-archive, named by its RepoTags)" "built-by-buildah" "$OUT"
cleanup_podman
finish
