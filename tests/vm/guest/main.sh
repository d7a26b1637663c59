#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# main.sh - the vm tier's guest: set up a pure cgroup v2 system, run the integration suite as root and as a learner, report, power off
#
# Run by busybox init (sysinit, see /etc/inittab) on the root disk that
# tests/vm/vm.sh made; its output is the serial console the host reads. The host
# looks for:
#   STANZA-VM-INFO: ...                       facts about the guest (kernel, cgroups, swap)
#   STANZA-VM-TEST: <pass> <test> <verdict> <seconds>s
#   STANZA-VM-ERROR: ...                      the guest could not be set up
#   STANZA-VM-RESULT: pass N fail M skip K    the verdict, last
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/busybox/bin
# (and for the learner of the rootless pass: tests/rootless/run.sh)
export SZIT_EXTRA_PATH=/opt/busybox/bin
export LANG=C.UTF-8 HOME=/root TERM=dumb
umask 022
# shellcheck source=/dev/null
. /vm/config
# Busybox's applet links (vm.sh leaves them to the guest).
/opt/busybox/bin/busybox --install -s /opt/busybox/bin

T0=$EPOCHREALTIME
info() { echo "STANZA-VM-INFO: $*"; }
error() { echo "STANZA-VM-ERROR: $*"; }
end() { # RESULT-LINE
	echo "STANZA-VM-RESULT: $*"
	sync
	poweroff -f
	sleep 30
}
setup_failed() {
	error "$*"
	end "pass 0 fail 1 skip 0 (guest set-up failed)"
}

# ---------------------------------------------------------------- file systems

mount -t proc proc /proc || setup_failed "cannot mount /proc"
mount -t sysfs sysfs /sys || setup_failed "cannot mount /sys"
grep -q '^[^ ]* /dev ' /proc/self/mounts || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm /dev/mqueue
ln -sfn /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
mount -t mqueue mqueue /dev/mqueue 2>/dev/null
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mount -o remount,rw / 2>/dev/null
hostname stanza-vm
ip link set lo up
# A host has a network interface besides lo; a lab's isolation demo
# (namespaces/net) shows the container has none by comparing with it.
ip link add eth0 type dummy && ip link set eth0 up || setup_failed "cannot add a dummy eth0"

# Like systemd: cgroup2 alone at /sys/fs/cgroup, delegation-safe, the
# controllers enabled at the top, PID 1 in a leaf of its own.
mount -t cgroup2 -o nsdelegate,memory_recursiveprot cgroup2 /sys/fs/cgroup ||
	mount -t cgroup2 cgroup2 /sys/fs/cgroup || setup_failed "cannot mount cgroup2 on /sys/fs/cgroup"
echo '+cpu +memory +pids' >/sys/fs/cgroup/cgroup.subtree_control ||
	setup_failed "cannot enable cpu, memory and pids in /sys/fs/cgroup/cgroup.subtree_control (available: $(cat /sys/fs/cgroup/cgroup.controllers))"
mkdir -p /sys/fs/cgroup/init.scope
echo 1 >/sys/fs/cgroup/init.scope/cgroup.procs

v1=$(awk '$3 == "cgroup"' /proc/self/mounts)
[[ -z $v1 ]] || setup_failed "cgroup v1 hierarchies are mounted: $v1"
grep -q 'cgroup_no_v1=all' /proc/cmdline || setup_failed "the kernel was not booted with cgroup_no_v1=all"
grep -qw overlay /proc/filesystems || setup_failed "no overlay file system (overlay.ko not loaded)"

# Swap on the second disk: the OOM tests must show that swap does not hide a
# kill (stanza writes memory.swap.max 0).
if ! mkswap /dev/vdb >/dev/null 2>&1 || ! swapon /dev/vdb; then
	setup_failed "cannot set up swap on /dev/vdb"
fi

if [[ $VM_CHOWN_ROOT == 1 ]]; then
	# The disk was made by an ordinary user: what the host's root would own is root's here.
	chown -R 0:0 /usr /opt /vm /etc "$STANZA_BUILD_DIR" "$STANZA_SOURCE_DIR" 2>/dev/null
fi

info "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo) memory," \
	"swap $(awk 'NR > 1 { s += $3 } END { print int(s / 1024) " MiB" }' /proc/swaps)"
info "cgroup: $(awk '$2 == "/sys/fs/cgroup" { print $3 " (" $4 ")" }' /proc/self/mounts);" \
	"controllers: $(cat /sys/fs/cgroup/cgroup.controllers); enabled below the root: $(cat /sys/fs/cgroup/cgroup.subtree_control)"
info "user namespaces: max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces)" \
	"unprivileged_userns_clone=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo absent)"
info "clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
info "set up in $(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s; uptime $(cut -d' ' -f1 /proc/uptime) s"

PASS=0 FAIL=0 SKIP=0 PARTIAL=
[[ -n $VM_TESTS ]] && PARTIAL=" (partial: only tests matching '$VM_TESTS')"
count() { # the lines of a suite's summary file
	local verdict
	while read -r _ _ verdict _; do
		case $verdict in
		pass) PASS=$((PASS + 1)) ;;
		skip) SKIP=$((SKIP + 1)) ;;
		*) FAIL=$((FAIL + 1)) ;;
		esac
	done <"$1"
}

# ---------------------------------------------------------------- the swap is real

# The swap must be able to hide an OOM kill, or the OOM tests prove nothing
# about memory.swap.max: a workload like test_05's (tail holding a 64 MiB line
# under a 32 MiB limit) in a plain cgroup with swap allowed must survive, swapping.
swap_check() {
	local cg=/sys/fs/cgroup/vm-swapcheck out rc kills t=$EPOCHREALTIME verdict
	mkdir -p "$cg"
	echo 32M >"$cg/memory.max"
	out=$(sh -c 'echo $$ >"$1/cgroup.procs" && exec sh -c "head -c 64m /dev/zero | tail | wc -c"' sh "$cg" 2>&1)
	rc=$?
	kills=$(awk '$1 == "oom_kill" { print $2 }' "$cg/memory.events")
	echo "=== swap check: status $rc, output '$out', memory.swap.max $(cat "$cg/memory.swap.max")," \
		"oom_kill ${kills:-?}; memory.events: $(tr '\n' ' ' <"$cg/memory.events")"
	rmdir "$cg"
	if [[ $rc == 0 && $out == 67108864 && $kills == 0 ]]; then
		verdict=pass PASS=$((PASS + 1))
	else
		verdict="fail(no-swap-effect)" FAIL=$((FAIL + 1))
	fi
	echo "STANZA-VM-TEST: setup swap_hides_oom_without_swap_max $verdict $(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')s"
}
[[ -z $VM_CMD ]] && swap_check

# ---------------------------------------------------------------- the two passes

# Both as ctest runs them on a host: the integration tier as root, then the
# rootless tier, whose tests/rootless/run.sh (run as root) runs each script as
# the test user stanza-learner (uid 1000, in /etc/passwd) with a cgroup
# delegated by tests/rootless/delegate.sh: /sys/fs/cgroup/stanza-learner, the
# test started in its leaf session/ — what `stanza doctor` tells an
# administrator to do on a v2 host without systemd. run.sh stages everything
# in /tmp (on the ext4 root disk), but SZIT_RUNTIME_TMPFS=1 makes the
# learner's XDG_RUNTIME_DIR a tmpfs of theirs, as systemd's /run/user/<uid>
# is on a stock Debian 12 host: on this kernel tmpfs keeps no user xattrs,
# which a rootless overlay's upper layer needs, so every rootless test runs
# with stanza's state moved to ~/.cache/stanza/run (test_16_overlay_dirs
# removes, re-makes and renames directories of the image). Each pass from a leaf cgroup of its own, as a root
# shell in a systemd session would be. The soak (test_22_soak) makes 40 runs
# here instead of 100: under emulation a run takes 6 times as long, and the
# host tiers make the full count.
run_pass() { # PASS
	local summary=/run/vm-$1.summary
	rm -f "$summary"
	mkdir -p "/sys/fs/cgroup/vm-$1.scope"
	(
		echo "$BASHPID" >"/sys/fs/cgroup/vm-$1.scope/cgroup.procs"
		exec env -i PATH="$PATH" LANG="$LANG" HOME=/root TERM=dumb USER=root LOGNAME=root \
			STANZA="$STANZA" STANZA_BUILD_DIR="$STANZA_BUILD_DIR" STANZA_SOURCE_DIR="$STANZA_SOURCE_DIR" \
			VM_TESTS="$VM_TESTS" SZIT_EXTRA_PATH="$SZIT_EXTRA_PATH" SZIT_SOAK_RUNS=40 SZIT_RUNTIME_TMPFS=1 \
			bash /vm/suite.sh "$1" "$summary"
	)
	if [[ -f $summary ]]; then
		count "$summary"
	else
		echo "STANZA-VM-TEST: $1 suite fail(did-not-run) 0s"
		FAIL=$((FAIL + 1))
	fi
}
if [[ -n $VM_CMD ]]; then
	# STANZA_VM_GUEST_CMD: one command instead of the passes (debugging).
	PARTIAL=" (partial: STANZA_VM_GUEST_CMD instead of the suite)"
	VM_PASSES=
	mkdir -p /sys/fs/cgroup/vm-cmd.scope
	echo "=== guest command: $VM_CMD"
	t=$EPOCHREALTIME
	(
		echo "$BASHPID" >/sys/fs/cgroup/vm-cmd.scope/cgroup.procs
		cd /tmp && exec env STANZA="$STANZA" STANZA_BUILD_DIR="$STANZA_BUILD_DIR" \
			STANZA_SOURCE_DIR="$STANZA_SOURCE_DIR" bash -c "$VM_CMD"
	) 2>&1
	rc=$?
	s=$(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
	if ((rc == 0)); then v=pass PASS=$((PASS + 1)); else v="fail(status-$rc)" FAIL=$((FAIL + 1)); fi
	echo "STANZA-VM-TEST: cmd guest-command $v ${s}s"
fi
for pass in $VM_PASSES; do
	run_pass "$pass"
done

# ---------------------------------------------------------------- a stock learner's XDG_RUNTIME_DIR

# What a learner on a stock Debian 12 host meets: XDG_RUNTIME_DIR on a tmpfs
# (/run/user/<uid>, as systemd makes it), which on 6.1 keeps no user xattrs,
# so a rootless overlay there cannot make opaque or renamed directories.
# stanza must notice and keep its state elsewhere (~/.cache/stanza/run), and
# doctor must say so. Judged: every operation must succeed.
tmpfs_xdg() {
	local out rc p=/var/tmp/vm-probe t=$EPOCHREALTIME v doctor
	rm -rf "$p"
	mkdir -p "$p/build" "$p/home" /run/user/1000
	cp "$STANZA" "$p/build/stanza"
	cp -a "$STANZA_BUILD_DIR/images" "$p/build/images"
	chmod -R a+rX "$p"
	chown 1000:1000 "$p/home" /run/user/1000
	chmod 700 /run/user/1000 "$p/home"
	as_learner() {
		(cd /tmp && timeout 120 setpriv --reuid=1000 --regid=1000 --init-groups -- env -i PATH="$PATH" \
			LANG="$LANG" HOME="$p/home" XDG_RUNTIME_DIR=/run/user/1000 STANZA_DATADIR="$p/build" \
			"$p/build/stanza" "$@" 2>&1)
	}
	echo "=== stanza doctor as stanza-learner, XDG_RUNTIME_DIR on tmpfs"
	doctor=$(as_learner doctor)
	printf '%s\n' "$doctor" | sed 's/^/[tmpfs-xdg doctor] /'
	echo "=== rootless run with XDG_RUNTIME_DIR on tmpfs (/run/user/1000)"
	out=$(as_learner run -- sh -c '
			echo probe >/etc/probe; echo "write-file=$?"
			rm /etc/hostname; echo "rm-file=$?"
			rm -r /home/app && mkdir /home/app; echo "rm-and-mkdir-dir=$?"
			mv /etc /etc2; echo "rename-dir=$?"')
	rc=$?
	printf '%s\n' "$out" | sed 's/^/[tmpfs-xdg run] /'
	dmesg | grep -i overlayfs | sed 's/^/[tmpfs-xdg] dmesg: /'
	if ((rc == 0)) && [[ $(printf '%s\n' "$out" | grep -cE '^[a-z-]+=0$') == 4 ]] &&
		grep -q "$p/home/.cache/stanza/run" <<<"$out$doctor" &&
		[[ -z $(ls -A "$p/home/.cache/stanza/run" 2>/dev/null | grep -v '^\.gc\.lock$') ]]; then
		v=pass PASS=$((PASS + 1))
	else
		v="fail(status-$rc)" FAIL=$((FAIL + 1))
	fi
	echo "STANZA-VM-TEST: rootless tmpfs_xdg_runtime_dir $v $(awk -v a="$t" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')s"
	rm -rf "$p"
}
[[ " $VM_PASSES " == *" rootless "* ]] && tmpfs_xdg

info "guest finished in $(awk -v a="$T0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s"
end "pass $PASS fail $FAIL skip $SKIP$PARTIAL"
