#!/bin/bash
# test_10_security.sh - point 10: root inside is not all-powerful (capabilities, no_new_privs, seccomp, masked and read-only paths, devices)
. "$(dirname "$0")/lib.sh"
require_root

# Podman's 11: CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6,
# SETUID 7, SETPCAP 8, NET_BIND_SERVICE 10, SYS_CHROOT 18, SETFCAP 31.
CAPS=00000000800405fb

run_stanza -- sh -c 'grep -E "^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
assert_status 0 "reading /proc/self/status"
field() { printf '%s\n' "$OUT" | awk -v k="$1:" '$1 == k { print $2 }'; }
assert_eq "CapEff is Podman's default set" "$CAPS" "$(field CapEff)"
assert_eq "CapPrm is the same set" "$CAPS" "$(field CapPrm)"
assert_eq "CapBnd is the same set (dropped for good)" "$CAPS" "$(field CapBnd)"
assert_eq "CapAmb is empty" 0000000000000000 "$(field CapAmb)"
assert_eq "NoNewPrivs is 1" 1 "$(field NoNewPrivs)"
assert_eq "a seccomp filter is on (Seccomp: 2)" 2 "$(field Seccomp)"

run_stanza --user app -- grep CapEff /proc/self/status
assert_match "an unprivileged --user has no effective capabilities" 'CapEff:[[:space:]]+0000000000000000' "$OUT"

# mount, unshare -U, and other namespaces are refused.
run_stanza -- sh -c '
	mount -t tmpfs none /mnt 2>/dev/null; echo "mount=$?"
	echo "mnt-mounts=$(grep -c " /mnt " /proc/self/mountinfo)"
	mount -o bind /tmp /mnt 2>/dev/null; echo "bind=$?"
	unshare -U true 2>/dev/null; echo "unshare-U=$?"
	unshare -m true 2>/dev/null; echo "unshare-m=$?"
	umount /proc 2>/dev/null; echo "umount=$?"'
assert_match "mount -t tmpfs is refused" 'mount=[1-9]' "$OUT"
assert_match "nothing got mounted on /mnt" 'mnt-mounts=0' "$OUT"
assert_match "mount -o bind is refused" 'bind=[1-9]' "$OUT"
assert_match "unshare -U (a new user namespace) is refused" 'unshare-U=[1-9]' "$OUT"
assert_match "unshare -m is refused" 'unshare-m=[1-9]' "$OUT"
assert_match "umount /proc is refused" 'umount=[1-9]' "$OUT"

# Device nodes: mknod is refused (no CAP_MKNOD); whatever it did, no new
# device can be opened (nodev). The chosen nodes work.
run_stanza -- sh -c '
	for d in /tmp /dev /dev/shm; do
		mknod $d/szit-n c 1 3 2>/dev/null; echo "mknod $d=$?"
		cat $d/szit-n 2>/dev/null; echo "open $d=$?"
	done
	echo x >/dev/null; echo "devnull=$?"
	echo "zero=$(head -c 4 /dev/zero | wc -c)"
	echo "urandom=$(head -c 4 /dev/urandom | wc -c)"
	echo "blockdevs=$(find /dev -type b | wc -l)"
	echo "chardevs=$(find /dev -type c | sort | tr "\n" " ")"
	ls /dev | tr "\n" " "; echo
	grep -E " /dev | / " /proc/self/mountinfo'
for d in /tmp /dev /dev/shm; do
	assert_match "a node made with mknod in $d cannot be opened" "open $d=[1-9]" "$OUT"
done
assert_match "mknod is refused" 'mknod /tmp=[1-9]' "$OUT"
assert_match "/dev/null works" 'devnull=0' "$OUT"
assert_match "/dev/zero works" 'zero=4' "$OUT"
assert_match "/dev/urandom works" 'urandom=4' "$OUT"
assert_match "no block devices in /dev" 'blockdevs=0' "$OUT"
chardevs=$(printf '%s\n' "$OUT" | sed -n 's/^chardevs=//p')
extra=$(for c in $chardevs; do
	case $c in
	/dev/null | /dev/zero | /dev/full | /dev/random | /dev/urandom | /dev/tty | /dev/console | /dev/ptmx | /dev/pts/*) ;;
	*) echo "$c" ;;
	esac
done)
assert_eq "no character devices besides null zero full random urandom tty (console, ptmx, pts)" "" "$extra"
for n in null zero full random urandom tty pts shm mqueue; do
	assert_match "/dev/$n exists" "(^| )$n " "$(printf '%s\n' "$OUT" | grep -E '(^| )urandom ')"
done
devline=$(printf '%s\n' "$OUT" | awk '$5 == "/dev"')
assert_match "/dev is mounted nodev" '(^|[ ,])nodev([ ,]|$)' "$devline"
rootline=$(printf '%s\n' "$OUT" | awk '$5 == "/"')
assert_match "the root filesystem is mounted nodev" '(^|[ ,])nodev([ ,]|$)' "$rootline"

# Masked paths read empty; read-only paths cannot be opened for writing.
masked="/proc/acpi /proc/kcore /proc/keys /proc/latency_stats /proc/timer_list /proc/timer_stats /proc/sched_debug /proc/scsi /sys/firmware"
run_stanza -- sh -c '
	for p in '"$masked"'; do
		if [ -d $p ]; then echo "$p $(ls -A $p | wc -l)"
		elif [ -e $p ]; then echo "$p $(head -c 16 $p 2>/dev/null | wc -c)"
		else echo "$p absent"; fi
	done
	for p in /proc/sys/kernel/hostname /proc/sysrq-trigger; do
		( : >$p ) 2>/dev/null; echo "write $p=$?"
	done
	grep -E " /(proc/(sys|sysrq-trigger|bus|fs|irq)|sys|sys/fs/cgroup) " /proc/self/mountinfo | cut -d" " -f5,6'
assert_status 0 "checking masked and read-only paths"
checked=
for p in $masked; do
	line=$(printf '%s\n' "$OUT" | awk -v p="$p" '$1 == p')
	if [[ -e $p ]]; then
		checked+=" $p"
		assert_match "$p reads empty" "^$p (0|absent)\$" "$line"
	fi
done
note "masked paths present on this host: $checked"
assert_match "/proc/sys/kernel/hostname cannot be opened for writing" 'write /proc/sys/kernel/hostname=[1-9]' "$OUT"
assert_match "/proc/sysrq-trigger cannot be opened for writing" 'write /proc/sysrq-trigger=[1-9]' "$OUT"
for p in /proc/sys /proc/sysrq-trigger /proc/bus /proc/fs /proc/irq /sys; do
	[[ -e $p ]] || continue
	assert_match "$p is mounted read-only" "(^|"$'\n'")$p ro(,|\$)" "$OUT"
done

# /sys/fs/cgroup: nothing there can be written, with or without limits (with
# limits it shows the container's own cgroup, read-only: see test_05; without,
# stanza makes no cgroup and /sys/fs/cgroup may be absent).
for opts in "" "--memory 64M --pids 100"; do
	# shellcheck disable=SC2086
	run_stanza $opts -- sh -c '
		grep " /sys/fs/cgroup" /proc/self/mountinfo | cut -d" " -f5,6
		mkdir /sys/fs/cgroup/szit 2>&1; echo "mkdir=$?"
		for f in /sys/fs/cgroup/*/cgroup.procs /sys/fs/cgroup/cgroup.procs; do
			[ -e $f ] || continue
			( echo 1 >$f ) 2>/dev/null && echo "wrote $f"
		done; true'
	assert_status 0 "checking /sys/fs/cgroup${opts:+ with $opts}"
	assert_match "/sys/fs/cgroup${opts:+ with $opts}: cannot make a directory there" 'mkdir=[1-9]' "$OUT"
	if [[ -n $opts ]]; then
		assert_match "/sys/fs/cgroup with $opts: read-only" 'Read-only file system' "$OUT"
	fi
	assert_no_match "/sys/fs/cgroup${opts:+ with $opts}: no cgroup.procs can be written" 'wrote' "$OUT"
	assert_no_match "/sys/fs/cgroup${opts:+ with $opts}: every mount under it is read-only" '(^|'$'\n'')/sys/fs/cgroup[^ ]* rw' "$OUT"
done
finish
