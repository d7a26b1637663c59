#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# images.sh - image import side by side: stanza image import, umoci unpack, podman load (hyperfine); run start time by layer count
#
# usage: bench/images.sh [path/to/stanza]
#   Makes a three-layer image of about 100 MiB uncompressed (gzip layers of
#   base64 text, as compressible as source code) with tests/integration/mkimage.sh,
#   then times, each from an empty store or bundle: `stanza image import` of
#   its oci-archive, `umoci unpack` of its layout, `podman load` of the same
#   archive (private --root, overlay driver). Then `stanza run --image IMG -- true`
#   for images of 1, 5 and 60 layers against `stanza run -- true` on the
#   built-in image. RUNS (default 5, and 30 for the runs) tunes hyperfine.
#   Needs root, hyperfine, umoci and podman. Results in <build>/bench-results/.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STANZA=$(realpath "${1:-$HERE/../build/stanza}")
BUILD=$(dirname "$STANZA")
ROOTFS=$BUILD/images/busybox/rootfs
RESULTS=${RESULTS:-$BUILD/bench-results}
RUNS=${RUNS:-5}
MK=$HERE/../tests/integration/mkimage.sh

die() { echo "images.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (podman load and umoci unpack as root)"
for tool in hyperfine umoci podman base64; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed"
done
W=$(mktemp -d /tmp/stanza-bimg.XXXXXX)
RR=$(mktemp -d /tmp/szb.XXXXXX)
cleanup() {
	podman --root "$W/podman" --runroot "$RR" rmi -a -f >/dev/null 2>&1 || true
	rm -rf "$W" "$RR"
}
trap cleanup EXIT
mkdir -p "$RESULTS" "$W/l1" "$W/l2/data" "$W/l3/data"
cp -a "$ROOTFS/." "$W/l1/"
head -c 26M /dev/urandom | base64 >"$W/l1/blob1"
head -c 26M /dev/urandom | base64 >"$W/l2/data/blob2"
head -c 24M /dev/urandom | base64 >"$W/l3/data/blob3"
"$MK" --name big:1 "$W/big" "$W/l1" "$W/l2" "$W/l3"
tar -C "$W/big" -cf "$W/big.tar" .
echo "== a three-layer image: $(du -sh --apparent-size "$W/l1" "$W/l2" "$W/l3" | awk '{s = s $1 " "} END {print s}')uncompressed, $(du -sh "$W/big.tar" | cut -f1) as an oci-archive"

hyperfine -N --runs "$RUNS" --export-json "$RESULTS/images-import.json" \
	--prepare "rm -rf $W/store" -n "stanza image import" "env STANZA_STORE=$W/store $STANZA image import $W/big.tar" \
	--prepare "rm -rf $W/bundle" -n "umoci unpack" "umoci unpack --image $W/big:big:1 $W/bundle" \
	--prepare "podman --root $W/podman --runroot $RR rmi -a -f" -n "podman load" \
	"podman --root $W/podman --runroot $RR load -q -i $W/big.tar"

# Start time by layer count: 1, 5 and 60 layers of the same busybox root.
export STANZA_STORE=$W/store
mkdir -p "$W/small"
set --
for n in $(seq 1 59); do
	mkdir -p "$W/small/$n"
	echo "$n" >"$W/small/$n/f$n"
	set -- "$@" "$W/small/$n"
done
"$MK" --name one:1 --compress none "$W/one" "$ROOTFS"
"$MK" --name five:1 --compress none "$W/five" "$ROOTFS" "${@:1:4}"
"$MK" --name sixty:1 --compress none "$W/sixty" "$ROOTFS" "$@"
for i in one five sixty; do "$STANZA" image import "$W/$i" >/dev/null; done
hyperfine -N --runs "${RUNS_RUN:-30}" --warmup 3 --export-json "$RESULTS/images-run.json" \
	-n "built-in busybox" "$STANZA run -- true" \
	-n "1 layer" "$STANZA run --image one:1 -- true" \
	-n "5 layers" "$STANZA run --image five:1 -- true" \
	-n "60 layers" "$STANZA run --image sixty:1 -- true"
