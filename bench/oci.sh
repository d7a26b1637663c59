#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# oci.sh - stanza as an OCI runtime, side by side with runc (hyperfine): one bundle run to exit, and podman --runtime stanza against --runtime runc
#
# usage: bench/oci.sh [path/to/stanza]
#   default binary: build/stanza. RUNS (default 30) and WARMUP (default 3) tune hyperfine;
#   PODMAN_RUNS (default 10) the podman pair. Results go to $RESULTS (default:
#   <build>/bench-results/oci-*.json). Needs root, hyperfine, runc, jq; podman and skopeo
#   for the second pair (skipped, with the reason, without them).
#
# Pairs:
#   stanza run -b BUNDLE ID   vs  runc run -b BUNDLE ID     the bundle stanza spec writes,
#                                 process.args ["true"], a 64 MiB memory limit, both with
#                                 a private --root
#   podman --runtime stanza run --rm IMG true  vs  podman --runtime runc run --rm IMG true
# The target (issue 15): stanza at least 8 x faster than runc on the bundle; with podman,
# the ratio and the share of each run that is the runtime's.

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STANZA=$(realpath "${1:-$HERE/../build/stanza}")
BUILD=$(dirname "$STANZA")
RESULTS=${RESULTS:-$BUILD/bench-results}
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
PODMAN_RUNS=${PODMAN_RUNS:-10}

die() { echo "oci.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (runc runs as root here)"
[[ -x $STANZA ]] || die "no stanza binary at '$STANZA' (build first, or pass its path)"
for tool in hyperfine runc jq; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install $tool)"
done

W=$(mktemp -d /tmp/szbench.XXXXXX)
trap 'runc --root "$W/runc" delete -f b >/dev/null 2>&1; "$STANZA" --root "$W/stanza" delete -f b >/dev/null 2>&1; rm -rf "$W"' EXIT
mkdir -p "$W/b" "$RESULTS"
"$STANZA" spec -b "$W/b"
cp -a "$BUILD/images/busybox/rootfs" "$W/b/rootfs"
jq '.process.terminal = false | .process.args = ["true"] | .linux.resources.memory = {"limit": 67108864, "swap": 67108864}' \
	"$W/b/config.json" >"$W/c" && mv "$W/c" "$W/b/config.json"

hyperfine -N --runs "$RUNS" --warmup "$WARMUP" --export-json "$RESULTS/oci-bundle.json" \
	-n "stanza run -b" "$STANZA --root $W/stanza run -b $W/b b" \
	-n "runc run -b" "runc --root $W/runc run -b $W/b b"
jq -r '.results as $r | ($r[] | select(.command == "stanza run -b") | .median) as $s |
	($r[] | select(.command == "runc run -b") | .median) as $c |
	"bundle: stanza \($s * 1000 | floor) ms, runc \($c * 1000 | floor) ms: runc/stanza = \($c / $s * 100 | floor / 100)"' \
	"$RESULTS/oci-bundle.json"

if ! command -v podman >/dev/null || ! command -v skopeo >/dev/null; then
	echo "oci.sh: podman or skopeo is not installed: the podman pair is skipped"
	exit 0
fi
RR=$(mktemp -d /tmp/szp.XXXXXX)
P="podman --root $W/podman --runroot $RR --storage-driver vfs --cgroup-manager cgroupfs --events-backend file"
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
((nofile > 1024)) && nofile=1024
[[ $nproc == unlimited ]] || ((nproc > 1024)) && nproc=1024
RUN="run --rm --network none --ulimit nofile=$nofile:$nofile --ulimit nproc=$nproc:$nproc localhost/busybox:builtin true"
skopeo copy "oci:$BUILD/images/busybox/oci:busybox:builtin" "containers-storage:[vfs@$W/podman+$RR]localhost/busybox:builtin" >/dev/null
hyperfine -N --runs "$PODMAN_RUNS" --warmup 1 --export-json "$RESULTS/oci-podman.json" \
	-n "podman --runtime stanza" "$P --runtime $STANZA $RUN" \
	-n "podman --runtime runc" "$P --runtime $(command -v runc) $RUN"
$P rm --all --force >/dev/null 2>&1 || true
$P rmi --all --force >/dev/null 2>&1 || true
rm -rf "$RR"
jq -r '.results as $r | ($r[] | select(.command == "podman --runtime stanza") | .median) as $s |
	($r[] | select(.command == "podman --runtime runc") | .median) as $c |
	"podman: with stanza \($s * 1000 | floor) ms, with runc \($c * 1000 | floor) ms: runc/stanza = \($c / $s * 100 | floor / 100)"' \
	"$RESULTS/oci-podman.json"
