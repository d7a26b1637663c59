#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# startup.sh - container start-up time, side by side: stanza vs runc, stanza --read-only vs bwrap, and two floors (hyperfine)
#
# usage: bench/startup.sh [path/to/stanza]
#   default binary: build/stanza; the rootfs is the build's images/busybox/rootfs
#   (override with ROOTFS=...). Results go to $RESULTS (default: <build>/bench-results/).
#   RUNS (default 50) and WARMUP (default 5) tune hyperfine. BASE=path/to/another/stanza
#   adds it to the same hyperfine run (named stanza-base and stanza-base-ro), to compare
#   two builds side by side. Needs root, hyperfine, runc, bwrap and jq.
#
# Pairs (same busybox rootfs, /bin/true):
#   stanza run --memory 64M       all namespaces, overlay, memory limit, cleanup
#   runc run                      namespaces, cgroups with a memory limit, rootfs
#   stanza run --read-only        no limits, no overlay
#   bwrap --unshare-all --ro-bind neither does cgroups
#   unshare -pfmuin --mount-proc  floor: namespaces only
#   /bin/true                     floor: fork and exec
# Targets (issue 12): stanza <= 1.3 x the unshare floor's median; stanza --read-only
# <= bwrap's median. stanza / runc is reported too (the first target, 1/8 of runc, is
# below the unshare floor on a machine where runc is fast).

set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
STANZA=$(realpath "${1:-$HERE/../build/stanza}")
BUILD=$(dirname "$STANZA")
ROOTFS=$(realpath "${ROOTFS:-$BUILD/images/busybox/rootfs}")
RESULTS=${RESULTS:-$BUILD/bench-results}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}

die() { echo "startup.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (runc and stanza run as root here)"
[[ -x $STANZA ]] || die "no stanza binary at '$STANZA' (build first, or pass its path)"
[[ -x $ROOTFS/bin/true || -L $ROOTFS/bin/true ]] || die "no busybox rootfs at '$ROOTFS'"
for tool in hyperfine runc bwrap unshare jq; do
	command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install $tool)"
done

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
WORK=$(mktemp -d /tmp/stanza-bench.XXXXXX)
cleanup() {
	# runc run deletes its container when it ends; anything left is ours (own --root).
	local id
	for id in $(runc --root "$WORK/runc-state" list -q 2>/dev/null); do
		runc --root "$WORK/runc-state" delete --force "$id" >/dev/null 2>&1 || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$RESULTS"

# An OCI bundle on a copy of the same rootfs: /bin/true, no terminal, 64 MiB.
BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE"
cp -a "$ROOTFS" "$BUNDLE/rootfs"
(cd "$BUNDLE" && runc spec)
jq '.process.terminal = false | .process.args = ["/bin/true"]
    | .linux.resources.memory = {limit: 67108864, swap: 67108864}' \
	"$BUNDLE/config.json" >"$BUNDLE/config.json.new"
mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
mkdir -p "$WORK/runc-state"

# Sanity: every contender runs /bin/true successfully before we time it.
"$STANZA" run --memory 64M -- /bin/true || die "stanza run failed"
"$STANZA" run --read-only -- /bin/true || die "stanza run --read-only failed"
runc --root "$WORK/runc-state" run --bundle "$BUNDLE" "bench-check-$$" || die "runc run failed"
bwrap --unshare-all --ro-bind "$ROOTFS" / --proc /proc --dev /dev /bin/true || die "bwrap failed"

echo "== stanza run --trace --memory 64M -- /bin/true (time since the process's start, and each phase's own)"
"$STANZA" run --trace --memory 64M -- /bin/true 2>"$RESULTS/trace.txt"
awk '/^\[ *[0-9.]+ ms\]/ {
	t = $0; sub(/^\[ */, "", t); sub(/ ms\].*/, "", t)
	msg = $0; sub(/^\[[^]]*\] */, "", msg)
	printf "%9.3f ms  +%7.3f  %s\n", t, t - prev, msg; prev = t; next
} { print }' "$RESULTS/trace.txt"
echo

# Another build of stanza, in the same run (BASE=...).
base_args=()
if [[ -n ${BASE:-} ]]; then
	BASE=$(realpath "$BASE")
	[[ -x $BASE ]] || die "no stanza binary at BASE='$BASE'"
	base_args=(-n stanza-base "$BASE run --memory 64M -- /bin/true"
		-n stanza-base-ro "$BASE run --read-only -- /bin/true")
fi

# runc needs a fresh container id per run: the benchmark shell's $$ is one.
hyperfine --warmup "$WARMUP" --runs "$RUNS" "${base_args[@]}" \
	--export-json "$RESULTS/startup.json" --export-markdown "$RESULTS/startup.md" \
	-n stanza "$STANZA run --memory 64M -- /bin/true" \
	-n runc "runc --root $WORK/runc-state run --bundle $BUNDLE bench-\$\$" \
	-n stanza-ro "$STANZA run --read-only -- /bin/true" \
	-n bwrap "bwrap --unshare-all --ro-bind $ROOTFS / --proc /proc --dev /dev /bin/true" \
	-n unshare "unshare -pfmuin --mount-proc /bin/true" \
	-n true "/bin/true"

median() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .median' "$RESULTS/startup.json"; }
ms() { awk -v s="$1" 'BEGIN { printf "%8.2f ms", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t) ? "met" : "MISSED" }'; }

s=$(median stanza) r=$(median runc) so=$(median stanza-ro) b=$(median bwrap)
u=$(median unshare) t=$(median true)
{
	echo "== medians ($RUNS runs each, $(nproc) CPUs, $(uname -r))"
	echo "stanza run --memory 64M    $(ms "$s")"
	echo "runc run (64 MiB limit)    $(ms "$r")"
	echo "stanza run --read-only     $(ms "$so")"
	echo "bwrap --unshare-all        $(ms "$b")"
	echo "unshare -pfmuin            $(ms "$u")"
	echo "/bin/true                  $(ms "$t")"
	echo
	rs=$(ratio "$s" "$r")
	rb=$(ratio "$so" "$b")
	ru=$(ratio "$s" "$u")
	echo "stanza / unshare       = $ru  (target <= 1.3: $(verdict "$ru" 1.3))"
	echo "stanza-ro / bwrap      = $rb  (target <= 1: $(verdict "$rb" 1))"
	echo "stanza / runc          = $rs  (runc / stanza = $(ratio "$r" "$s"); first target <= 0.125: $(verdict "$rs" 0.125))"
	if [[ -n ${BASE:-} ]]; then
		echo "stanza / stanza-base   = $(ratio "$s" "$(median stanza-base)") (--memory 64M; base $(ms "$(median stanza-base)"))"
		echo "stanza-ro / base-ro    = $(ratio "$so" "$(median stanza-base-ro)") (--read-only; base $(ms "$(median stanza-base-ro)"))"
	fi
	echo "load average before/after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS/summary.txt"
echo "results in $RESULTS (startup.json, startup.md, summary.txt, trace.txt)"
