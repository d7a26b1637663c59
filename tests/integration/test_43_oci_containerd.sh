#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_43_oci_containerd.sh - containerd's shim drives stanza in runc's place: a private containerd, ctr image import of what stanza image export wrote, ctr run --runc-binary stanza, task exec, task kill, and the shim as the container's parent
. "$(dirname "$0")/lib.sh"

W=$SZIT_TMP/oci43
mkdir -p "$W"
if ((ROOTLESS)); then
	note "rootless: containerd is driven as root here (rootless containerd needs rootlesskit)"
	finish
fi
for tool in containerd ctr containerd-shim-runc-v2; do
	command -v $tool >/dev/null || skip "no '$tool' (make check installs containerd on Debian)"
done

# A containerd of the test's own: config, root, state and sockets under $W.
# The sockets' paths must be short: a directory in /tmp.
S=$(mktemp -d /tmp/szc.XXXXXX)
cat >"$W/config.toml" <<EOF
version = 2
root = "$W/root"
state = "$S/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.internal.v1.tracing", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$S/c.sock"
[ttrpc]
  address = "$S/c.sock.ttrpc"
[debug]
  address = "$S/d.sock"
[metrics]
  address = ""
EOF
containerd --config "$W/config.toml" >"$W/containerd.log" 2>&1 &
CPID=$!
stop_containerd() {
	ctr --address "$S/c.sock" tasks ls -q 2>/dev/null | while read -r t; do
		ctr --address "$S/c.sock" tasks kill -s KILL "$t" >/dev/null 2>&1
	done
	kill -TERM "$CPID" 2>/dev/null
	wait_gone "$CPID" 10 || kill -KILL "$CPID" 2>/dev/null
	wait "$CPID" 2>/dev/null
	umount -R "$S/state" 2>/dev/null
	rm -rf "$S"
}
C=(ctr --address "$S/c.sock")
for ((i = 0; i < 50; i++)); do
	"${C[@]}" version >/dev/null 2>&1 && break
	nap 0.1
done
"${C[@]}" version >/dev/null 2>&1 || { stop_containerd; die "containerd did not start: $(tail -3 "$W/containerd.log")"; }

# The runtime: stanza with a wrapper that keeps the calls.
cat >"$W/stanza-runtime" <<EOF
#!/bin/sh
echo "\$*" >>"$W/calls"
exec "$(realpath "$STANZA")" --debug "\$@"
EOF
chmod +x "$W/stanza-runtime"
called() { grep -Eq "$1" "$W/calls"; }
R=(--runc-binary "$W/stanza-runtime" --runc-root "$W/runc-root" --cap-drop CAP_MKNOD)

"$STANZA" image export busybox:builtin -o "$W/bb.tar" >"$W/export.log" 2>&1 || { stop_containerd; die "stanza image export: $(tail -1 "$W/export.log")"; }
"${C[@]}" images import "$W/bb.tar" >"$W/import.log" 2>&1
assert_eq "ctr images import reads what stanza image export wrote ($(tail -1 "$W/import.log"))" 0 $?
IMG=busybox:builtin

OUT=$(timeout 60 "${C[@]}" run --rm "${R[@]}" "$IMG" t1 sh -c 'echo pid $$; hostname; grep CapEff /proc/self/status; exit 3' 2>"$W/err")
STATUS=$?
assert_eq "ctr run --runc-binary stanza: the command's status" 3 "$STATUS"
assert_eq "PID 1, the host's name (containerd gives none), containerd's capabilities but MKNOD ($(tail -1 "$W/err"))" \
	"pid 1
$(hostname)
CapEff:	00000000a00425fb" "$OUT"
assert_true "the shim called stanza with runc's global options" called '^--root .*/runc-root/default --log .*log.json --log-format json create --bundle .* --pid-file .* t1$'
assert_true "then start" called 'log-format json start t1$'
assert_true "then delete" called 'log-format json delete t1$'

# Refused, with the reason the shim passes on to ctr.
timeout 60 "${C[@]}" run --rm --runc-binary "$W/stanza-runtime" --runc-root "$W/runc-root" "$IMG" t0 true >/dev/null 2>"$W/err"
assert_match "a config stanza cannot honour fails with the field's name, through the shim" \
	'process.capabilities.bounding: CAP_MKNOD' "$(cat "$W/err")"

# A task that stays: exec, the process tree, kill.
timeout 60 "${C[@]}" run -d "${R[@]}" "$IMG" t2 sleep 1000 >"$W/run.out" 2>&1
assert_eq "ctr run -d ($(tail -1 "$W/run.out"))" 0 $?
pid=$("${C[@]}" tasks ls | awk '$1 == "t2" { print $2 }')
ppid=$(awk '/^PPid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
assert_match "the container's parent is containerd-shim-runc-v2, not stanza (stanza create has exited)" \
	'containerd-shim-runc-v2' "$(tr '\0' ' ' <"/proc/$ppid/cmdline" 2>/dev/null)"
OUT=$(timeout 30 "${C[@]}" tasks exec --exec-id e1 t2 sh -c 'echo exec pid $$; exit 4' 2>"$W/err")
assert_eq "ctr task exec: the command's status" 4 $?
assert_match "ctr task exec runs in the container's PID namespace ($(tail -1 "$W/err"))" '^exec pid [0-9]+$' "$OUT"
assert_true "the shim called stanza exec with --process" called 'exec .*--process .* t2$'
timeout 30 "${C[@]}" tasks kill -s KILL t2 >/dev/null 2>&1
assert_true "ctr task kill: the container's process ends" wait_gone "$pid" 10
assert_true "the shim called stanza kill" called 'kill t2 9$'
timeout 30 "${C[@]}" tasks delete t2 >/dev/null 2>&1
timeout 30 "${C[@]}" containers delete t2 >/dev/null 2>&1
assert_eq "stanza's state root for containerd is empty at the end" "" "$(ls "$W/runc-root/default" 2>/dev/null)"
stop_containerd
finish
