#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_32_images.sh - the image store: import (OCI layout, oci-archive, docker-archive, stdin), layers and whiteouts in a container, Entrypoint/Cmd rules, 60 layers, broken inputs refused with the store unchanged (the corpus of tests/fixtures/images/broken/, each case a NAME.tar and the NAME.expect its one line must match), rm and prune
. "$(dirname "$0")/lib.sh"

MK=$SZIT_DIR/mkimage.sh
FIX=$SZIT_DIR/../fixtures/images
[[ -d $FIX/broken ]] || die "no broken-image corpus in $FIX/broken"
for tool in tar gzip sha256sum; do
	command -v $tool >/dev/null || skip "no '$tool' to make the test images with"
done
[[ -x $IMAGE_ROOTFS/bin/busybox ]] || die "no image at $IMAGE_ROOTFS"

export STANZA_STORE=$SZIT_TMP/store
W=$SZIT_TMP/img
mkdir -p "$W"

image() { # ARGS...: `stanza image ARGS`, sets OUT ERR STATUS
	"$STANZA" image "$@" >"$W/out" 2>"$W/err"
	STATUS=$?
	OUT=$(<"$W/out")
	ERR=$(<"$W/err")
}
# What a reader of the store sees: every name under it but tmp/'s, and index.json's bytes.
store_state() { (cd "$STANZA_STORE" 2>/dev/null && { find . -path ./tmp -prune -o -print | LC_ALL=C sort && cat index.json; } | md5sum); }

# Three layers: the busybox root; files and directories; then a layer that
# deletes a file (.wh.a), a whole directory (.wh.keep) and replaces a
# directory's contents (an opaque /old with one new file).
L=$W/layers
mkdir -p "$L/base" "$L/two/data" "$L/two/old" "$L/two/keep" "$L/three/data" "$L/three/old"
# (Rootless, the image's 0700 /root is not the learner's to read: left out.)
cp -a "$IMAGE_ROOTFS/." "$L/base/" 2>/dev/null
[[ -x $L/base/bin/busybox ]] || die "cannot copy the image's root to make a layer of it"
echo a >"$L/two/data/a"
echo b >"$L/two/data/b"
echo x >"$L/two/old/x"
echo y >"$L/two/keep/y"
: >"$L/three/data/.wh.a"
: >"$L/three/.wh.keep"
: >"$L/three/old/.wh..wh..opq"
echo new >"$L/three/old/new"
"$MK" --name demo:1 --cmd '["sh","-c","echo from-cmd"]' "$W/demo" "$L/base" "$L/two" "$L/three" ||
	die "mkimage.sh could not make the test image"

# ---- import and run
image import "$W/demo"
assert_status 0 "image import of an OCI layout"
assert_match "it says what it imported" 'imported demo:1 \(sha256:[0-9a-f]{12}.*3 layers, 3 new' "$OUT"
assert_match "it reports the whiteouts it made" '2 whiteouts, 1 opaque' "$OUT"
assert_true "the store is an OCI layout" test -f "$STANZA_STORE/oci-layout" -a -f "$STANZA_STORE/index.json"
assert_match "index.json names it" '"org.opencontainers.image.ref.name": "demo:1"' "$(cat "$STANZA_STORE/index.json")"
image ls
assert_match "image ls lists it with 3 layers" '^demo:1 +[0-9a-f]{12} +3 ' "$(sed -n 2p "$W/out")"

run_stanza --image demo:1
assert_status 0 "run --image demo:1 with no command"
assert_eq "with no command the image's Cmd runs" "from-cmd" "$OUT"

run_stanza --image demo:1 -- sh -c 'ls /data; ls /old; test -e /keep && echo keep-is-there; echo end'
assert_eq "whiteouts: /data/a and /keep deleted by the top layer, /old replaced by its opaque copy" \
	"$(printf 'b\nnew\nend')" "$OUT"
run_stanza --image demo -- true
assert_status 125 "a name without a tag is name:latest, which the store does not have"
assert_match "and the message says so" "no image 'demo:latest' in the store" "$ERR"

# The layers are shared: the same base again is not unpacked twice.
mkdir -p "$L/other"
echo other >"$L/other/o"
# Rootless the container has one user, root: the image's User is tested as root.
user=()
uid=0
((ROOTLESS)) || { user=(--user 1000:1000); uid=1000; }
compress=(--compress zstd)
command -v zstd >/dev/null || compress=(--compress gzip)
"$MK" --name demo:2 "${compress[@]}" --entrypoint '["echo","ep"]' --cmd '["c1","c2"]' \
	--env '["PATH=/bin:/usr/bin","FROM_IMAGE=1","OVER=image"]' --workdir /data "${user[@]}" \
	"$W/demo2" "$L/base" "$L/two" "$L/other"
image import "$W/demo2"
assert_status 0 "image import of a second image sharing two layers"
assert_match "only its own layer is new" '3 layers, 1 new' "$OUT"

# ---- Entrypoint and Cmd, as docker run applies them
run_stanza --image demo:2
assert_eq "Entrypoint + Cmd" "ep c1 c2" "$OUT"
run_stanza --image demo:2 -- a1 a2
assert_eq "arguments replace Cmd, not Entrypoint" "ep a1 a2" "$OUT"
run_stanza --image demo:2 --entrypoint /bin/echo -- x
assert_eq "--entrypoint replaces Entrypoint, and Cmd is dropped" "x" "$OUT"
run_stanza --image demo:2 --entrypoint /bin/pwd
assert_eq "--entrypoint alone: no Cmd; WorkingDir is the image's" "/data" "$OUT"
run_stanza --image demo:2 --entrypoint '' -- sh -c 'echo "$FROM_IMAGE $OVER $(id -u)"'
assert_eq "--entrypoint '': the arguments alone; Env and User are the image's" "1 image $uid" "$OUT"
run_stanza --image demo:2 -e OVER=cli --user 0 -w / --entrypoint '' -- sh -c 'echo "$OVER $(id -u) $(pwd)"'
assert_eq "-e overrides the image's Env, --user its User, -w its WorkingDir" "cli 0 /" "$OUT"

# ---- the other sources: a tar of the layout (oci-archive), stdin, docker-archive
tar -C "$W/demo" -cf "$W/demo.tar" .
image import "$W/demo.tar" --name archived:1
assert_status 0 "image import of an oci-archive tar, renamed with --name"
image import - --name piped:1 <"$W/demo.tar"
assert_status 0 "image import - reads the tar from stdin"
# docker save's layout: manifest.json, the config as <hex>.json, each layer an uncompressed tar.
D=$W/docker
mkdir -p "$D"
layers=
i=0
for d in $(sed 's/.*"layers":\[//; s/\]}$//; s/{[^}]*"digest":"sha256:\([0-9a-f]*\)"[^}]*}/\1 /g; s/,//g' \
	"$W/demo/blobs/sha256/$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$W/demo/index.json")"); do
	mkdir -p "$D/$i"
	gzip -dc "$W/demo/blobs/sha256/$d" >"$D/$i/layer.tar"
	layers+="${layers:+,}\"$i/layer.tar\""
	i=$((i + 1))
done
cfg=$(sed 's/.*"config":{[^}]*"digest":"sha256:\([0-9a-f]*\)".*/\1/' \
	"$W/demo/blobs/sha256/$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' "$W/demo/index.json")")
cp "$W/demo/blobs/sha256/$cfg" "$D/$cfg.json"
printf '[{"Config":"%s.json","RepoTags":["localhost/fromdocker:v1"],"Layers":[%s]}]' "$cfg" "$layers" >"$D/manifest.json"
tar -C "$D" -cf "$W/docker.tar" .
image import "$W/docker.tar"
assert_status 0 "image import of a docker-archive tar ($i layers)"
assert_match "named by its RepoTags" 'imported localhost/fromdocker:v1' "$OUT"
run_stanza --image localhost/fromdocker:v1 -- sh -c 'ls /data /old'
assert_eq "the docker-archive image runs, whiteouts and all" "$(printf '/data:\nb\n\n/old:\nnew')" "$OUT"

# ---- 60 layers: the overlay's options name them relative to the store (one page fits them)
mkdir -p "$W/many"
set --
for n in $(seq 1 59); do
	mkdir -p "$W/many/$n/layers"
	echo "$n" >"$W/many/$n/layers/$n"
	set -- "$@" "$W/many/$n"
done
"$MK" --name many:60 --compress none "$W/manyimg" "$L/base" "$@"
image import "$W/manyimg"
assert_status 0 "image import of a 60-layer image"
run_stanza --image many:60 -- sh -c 'ls /layers | wc -l'
assert_eq "a container sees all 59 upper layers' files" "59" "$(echo $OUT)"

# ---- broken inputs: one line naming the problem, and the store unchanged
before=$(store_state)
bad() { # DESCRIPTION ERE -- IMPORT-ARGS...
	local what=$1 ere=$2
	shift 3
	image import "$@"
	assert_status 1 "refused: $what"
	assert_match "the message for $what" "$ere" "$ERR"
	assert_eq "one line for $what" 1 "$(grep -c '' "$W/err")"
	assert_eq "the store is unchanged after $what" "$before" "$(store_state)"
}
# The corpus, tests/fixtures/images/broken/ (its make-corpus.sh makes it): each
# NAME.tar refused with the message NAME.expect's regular expression matches
# (its first line, "# WHAT", says what is broken; a file of the archive is
# named as its member, "NAME.tar:index.json"). An oci-archive's layout is
# imported as a directory too, the way a layout on disk is read.
CORPUS=$FIX/broken
cases=0
for expect in "$CORPUS"/*.expect; do
	name=$(basename "$expect" .expect)
	what=$(sed -n '1s/^# //p' "$expect")
	ere=$(grep -v '^#' "$expect")
	[[ -f $CORPUS/$name.tar ]] || fail "the corpus has no $name.tar for $name.expect"
	bad "${what:-$name} ($name.tar)" "$ere" -- "$CORPUS/$name.tar"
	if tar -tf "$CORPUS/$name.tar" 2>/dev/null | grep -qx '\./index\.json'; then
		mkdir "$W/layout-$name"
		tar -C "$W/layout-$name" -xf "$CORPUS/$name.tar"
		# A message naming a member as the archive's names the directory's file.
		bad "${what:-$name} (its layout as a directory)" "${ere//"$name\\.tar:"/layout-$name/}" -- "$W/layout-$name"
	fi
	cases=$((cases + 1))
done
assert_true "the corpus has at least 25 cases ($cases)" test "$cases" -ge 25
assert_eq "every NAME.tar of the corpus has its NAME.expect" "$cases" "$(find "$CORPUS" -name '*.tar' | wc -l)"
assert_true "nothing escaped the layers" test ! -e /etc/escaped -a ! -e /tmp/escaped -a ! -e "$SZIT_TMP/escaped"
assert_true "no file of an archive was written outside the store" \
	test ! -e "$SZIT_TMP/pwned" -a ! -e "$STANZA_STORE/pwned" -a ! -e "$STANZA_STORE/tmp/pwned"
# What cannot be a file of the corpus.
mkdir -p "$W/notlayout"
bad "a directory that is not a layout" 'not an OCI image layout' -- "$W/notlayout"
bad "a name the store cannot hold" "'Bad Name' is not an image name" -- "$W/demo" --name 'Bad Name'
assert_eq "no import left anything in tmp/" "" "$(ls -A "$STANZA_STORE/tmp")"

# ---- two imports at once: both land, index.json is never half-written
"$MK" --name par:a "$W/pa" "$L/base" "$L/two" && "$MK" --name par:b "$W/pb" "$L/base" "$L/other"
"$STANZA" image import "$W/pa" >"$W/pa.out" 2>&1 &
pa=$!
"$STANZA" image import "$W/pb" >"$W/pb.out" 2>&1
wait $pa
image ls
assert_match "two concurrent imports both land (par:a)" '(^|
)par:a ' "$OUT"
assert_match "two concurrent imports both land (par:b)" '(^|
)par:b ' "$OUT"

# ---- device nodes (root: made; rootless: skipped with a warning), setuid, a 2 GiB sparse file
mkdir -p "$W/sparse"
truncate -s 2G "$W/sparse/big-sparse"
echo end >>"$W/sparse/big-sparse"
tar --sparse -C "$W/sparse" -cf "$W/sparse.tar" big-sparse
"$MK" --name odd:1 --compress none "$W/odd" "$L/base" "$FIX/layer-device-and-setuid.tar" "$W/sparse.tar"
image import "$W/odd"
assert_status 0 "a layer with a device node and a setuid file, and one with a 2 GiB sparse file"
odd_dev=$(find "$STANZA_STORE/layers" -path '*/fs/dev/mynull' 2>/dev/null | head -1)
odd_suid=$(find "$STANZA_STORE/layers" -path '*/fs/usr/suid' 2>/dev/null | head -1)
odd_sparse=$(find "$STANZA_STORE/layers" -path '*/fs/big-sparse' 2>/dev/null | head -1)
if ((ROOTLESS)); then
	assert_match "rootless, a device node is skipped with a warning" 'device nodes skipped' "$ERR"
	assert_eq "and is not in the layer" "" "$odd_dev"
else
	assert_eq "as root a device node is made as the tar says" "c 1:3" \
		"$(stat -c '%F' "$odd_dev" 2>/dev/null | sed 's/character special file/c/') $(stat -c '%t:%T' "$odd_dev" 2>/dev/null)"
	assert_eq "as root a setuid file keeps its bit (docs/images.md)" 4755 "$(stat -c %a "$odd_suid" 2>/dev/null)"
fi
assert_eq "the sparse file has its 2 GiB" 2147483652 "$(stat -c %s "$odd_sparse" 2>/dev/null)"
assert_le "and takes less than 1 MiB of disk (its holes stay holes)" 1024 "$(du -k "$odd_sparse" 2>/dev/null | cut -f1)"
image rm odd:1

# ---- an import killed half way leaves nothing visible, and the next writer clears its work
mkdir -p "$W/bigl"
head -c 24M /dev/urandom >"$W/bigl/big"
"$MK" --name killed:1 --compress none "$W/killed" "$L/base" "$W/bigl"
before=$(store_state)
"$STANZA" image import "$W/killed" >/dev/null 2>&1 &
victim=$!
for _ in $(seq 100); do
	[[ -n $(ls -A "$STANZA_STORE/tmp" 2>/dev/null) ]] && break
	nap 0.01
done
kill -KILL $victim 2>/dev/null
wait $victim 2>/dev/null
assert_ne "the import was killed half way (its work is left in tmp/)" "" "$(ls -A "$STANZA_STORE/tmp")"
assert_eq "after a SIGKILL during import no image, blob or layer of it is visible" "$before" "$(store_state)"
image tag demo:1 demo:again
assert_eq "the next writer empties tmp/" "" "$(ls -A "$STANZA_STORE/tmp")"

# ---- a store on a small file system that fills up half way (root: a tmpfs of our own)
if ((!ROOTLESS)); then
	mkdir -p "$W/small"
	if mount -t tmpfs -o size=12m tmpfs "$W/small" 2>/dev/null; then
		STANZA_STORE=$W/small/store "$STANZA" image import "$W/demo" >/dev/null 2>&1
		small_before=$(STANZA_STORE=$W/small/store store_state)
		STANZA_STORE=$W/small/store "$STANZA" image import "$W/killed" >"$W/out" 2>"$W/err"
		assert_eq "an import onto a full file system fails" 1 $?
		assert_match "and says the disk is full, in one line" 'No space left on device' "$(cat "$W/err")"
		assert_eq "its store is as before" "$small_before" "$(STANZA_STORE=$W/small/store store_state)"
		assert_eq "and nothing is left in tmp/" "" "$(ls -A "$W/small/store/tmp")"
		umount "$W/small"
	else
		fail "cannot mount a small tmpfs for the full-disk case"
	fi
fi

# ---- rm and prune; no prune while a container runs from the store
mkfifo "$W/hold"
exec 7<>"$W/hold"
bg_start held --stdin "$W/hold" --image many:60 -- sh -c 'echo ready; read x; ls /layers | wc -l' "$MARK"
wait_for_line "$SZIT_TMP/held.out" '^ready$' 10 || fail "the container on many:60 did not start"
image rm many:60
assert_status 0 "image rm many:60 while a container runs from it"
image prune
assert_status 1 "prune is refused while a container runs from the store"
assert_match "and says why" 'containers are running from images of this store: prune when they have ended' "$ERR"
echo go >&7
bg_wait held 10
exec 7>&-
assert_eq "the container ran on, its layers all there" "$(printf 'ready\n59')" "$(cat "$SZIT_TMP/held.out")"
image prune
assert_status 0 "image prune"
assert_match "prune removes what only many:60 and odd:1 used (59 and 2 layers)" 'removed [0-9]+ blobs and 61 layers' "$OUT"
run_stanza --image demo:1 -- cat /data/b
assert_eq "the images left still run" "b" "$OUT"
image inspect demo:2
assert_match "inspect shows the config and each layer's diff-id" '"diffId": "sha256:[0-9a-f]{64}"' "$OUT"
finish
