#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_10_security.sh - point 10: root inside is not all-powerful (capabilities, no_new_privs, seccomp, masked and read-only paths, devices)
. "$(dirname "$0")/lib.sh"

# Podman's 11: CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6,
# SETUID 7, SETPCAP 8, NET_BIND_SERVICE 10, SYS_CHROOT 18, SETFCAP 31.
CAPS=00000000800405fb

run_stanza -- sh -c 'grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status'
assert_status 0 "reading /proc/self/status"
field() { printf '%s\n' "$OUT" | awk -v k="$1:" '$1 == k { print $2 }'; }
assert_eq "CapEff is Podman's default set" "$CAPS" "$(field CapEff)"
assert_eq "CapPrm is the same set" "$CAPS" "$(field CapPrm)"
assert_eq "CapBnd is the same set (dropped for good)" "$CAPS" "$(field CapBnd)"
assert_eq "CapAmb is empty" 0000000000000000 "$(field CapAmb)"
assert_eq "CapInh is empty (as runc's and Podman's since CVE-2022-29162)" 0000000000000000 "$(field CapInh)"
assert_eq "NoNewPrivs is 1" 1 "$(field NoNewPrivs)"
assert_eq "a seccomp filter is on (Seccomp: 2)" 2 "$(field Seccomp)"

if ((!ROOTLESS)); then
	run_stanza --user app -- grep CapEff /proc/self/status
	assert_match "an unprivileged --user has no effective capabilities" 'CapEff:[[:space:]]+0000000000000000' "$OUT"
else
	# Rootless, there is no other user to become: --user is refused (test_02),
	# and root inside cannot gain any host uid other than the learner's: only
	# 0 (the learner) is mapped, so every other id is invalid in there.
	run_stanza --user app -- grep CapEff /proc/self/status
	assert_status 125 "rootless --user app is refused"
	run_stanza -- sh -c '
		su -s /bin/sh app -c "id -u" 2>/dev/null; echo "su=$?"
		touch /tmp/f; chown 1000:1000 /tmp/f 2>/dev/null; echo "chown=$?"
		echo "owner=$(stat -c %u:%g /tmp/f)"
		echo "0 0 1" >/proc/self/uid_map 2>/dev/null; echo "uid_map=$?"
		echo "0 0 1" >/proc/self/gid_map 2>/dev/null; echo "gid_map=$?"
		cat /proc/self/uid_map'
	assert_status 0 "trying to become another user inside"
	assert_match "su app fails" 'su=[1-9]' "$OUT"
	assert_match "chown to 1000 fails" 'chown=[1-9]' "$OUT"
	assert_match "the file stays root's" 'owner=0:0' "$OUT"
	assert_match "the uid_map cannot be rewritten" 'uid_map=[1-9]' "$OUT"
	assert_match "the gid_map cannot be rewritten" 'gid_map=[1-9]' "$OUT"
	assert_match "the map is still 0 $LEARNER_UID 1" "^[[:space:]]*0[[:space:]]+${LEARNER_UID}[[:space:]]+1[[:space:]]*\$" \
		"$(printf '%s\n' "$OUT" | tail -n1)"

	# Seen from the host, while a container tries: every process it has (and
	# stanza's own) runs as the learner, with no capability in the host's
	# user namespace.
	bg_start caps -- sh -c 'su -s /bin/sh app -c "sleep 30" 2>/dev/null & sleep 30 & echo ready; wait' "$MARK"
	if wait_for_line "$SZIT_TMP/caps.out" '^ready$' 10 && pid1=$(container_pid1 "$BG_PID" 5); then
		nap 0.3
		others=''
		for p in "$BG_PID" $(descendants "$BG_PID"); do
			[[ $(proc_uids "$p") == "$LEARNER_UID $LEARNER_UID $LEARNER_UID $LEARNER_UID" ]] || others+=" $p:$(proc_uids "$p" | tr ' ' ,)"
			[[ $(proc_gids "$p") == "$LEARNER_GID $LEARNER_GID $LEARNER_GID $LEARNER_GID" ]] || others+=" $p:gid:$(proc_gids "$p" | tr ' ' ,)"
		done
		assert_eq "on the host, stanza and every process of the container have only the learner's uid and gid" "" "$others"
		assert_eq "stanza itself has no capability on the host" 0000000000000000 \
			"$(awk '$1 == "CapEff:" { print $2 }' "/proc/$BG_PID/status")"
		assert_ne "the container is in a user namespace of its own" "$(readlink /proc/self/ns/user)" \
			"$(readlink "/proc/$pid1/ns/user")"
		kill -KILL "$pid1"
	else
		fail "no container PID 1 found"
	fi
	bg_wait caps 10
fi

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
optsets=("")
# (Rootless without a delegated cgroup there are no limits: without only.)
limits_available && optsets+=("--memory 64M --pids 100")
for opts in "${optsets[@]}"; do
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
