#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_20_escape_kernel.sh - escape attempts against the host's kernel and processes: signals, ptrace, modules, clock, host name, /proc/sys, sysrq, kcore, raw sockets, mounts, namespaces, release_agent, cgroup files, limits, leaked descriptors
#
# Every attempt is made from inside a container and must fail; where the attempt
# could change something on the host, the host is checked too. Where a refused
# command prints why, the reason is checked as well: a check that only asks for
# a non-zero status would pass for a missing applet or a wrong argument.
# What test_01 (PID namespace), test_03 (host name), test_05 (memory),
# test_06 (fork bomb), test_10 (capabilities, mknod, masked paths, unshare) and
# test_13 (descriptors) already check is not repeated; docs/security.md lists
# which test covers which attempt.
# shellcheck disable=SC2016 # (the containers' scripts are in single quotes on purpose)
. "$(dirname "$0")/lib.sh"

# A host process of the learner's, for the container to try to see and signal.
sleep 60 >/dev/null 2>&1 &
HOST_PID=$!
stop_host_process() { kill "$HOST_PID" 2>/dev/null; wait "$HOST_PID" 2>/dev/null; }
trap 'rc=$?; stop_host_process; (exit $rc); szit_on_exit' EXIT

# A static program of 416 bytes (x86-64, no libc): `ptrace PID` calls
# ptrace(PTRACE_SEIZE, PID, 0, 0) and exits with the errno (0 when it could
# attach; SEIZE does not stop the tracee, and exiting detaches). busybox has
# no ptrace tool. Source (as, then ld -static -nostdlib -z noseparate-code):
#   _start: cmpq $2,(%rsp); jl 9f; mov 16(%rsp),%rsi; xor %edi,%edi
#   1: movzbl (%rsi),%eax; test %eax,%eax; jz 2f; sub $48,%eax; cmp $9,%eax; ja 9f
#      imul $10,%rdi,%rdi; add %rax,%rdi; inc %rsi; jmp 1b
#   2: mov %rdi,%rsi; mov $0x4206,%edi; xor %edx,%edx; xor %r10d,%r10d; mov $101,%eax
#      syscall; neg %rax; mov %eax,%edi; mov $60,%eax; syscall
#   9: mov $255,%edi; mov $60,%eax; syscall
PTRACE_ELF='
f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAAeABAAAAAAABAAAAAAAAAAOAAAAAAAAAAAAAAAEAAOAAB
AEAAAwACAAEAAAAFAAAAAAAAAAAAAAAAAEAAAAAAAAAAQAAAAAAAzQAAAAAAAADNAAAAAAAAAAAQ
AAAAAAAASIM8JAJ8QkiLdCQQMf8PtgaFwHQUg+gwg/gJdyxIa/8KSAHHSP/G6+VIif6/BkIAADHS
RTHSuGUAAAAPBUj32InHuDwAAAAPBb//AAAAuDwAAAAPBQAuc2hzdHJ0YWIALnRleHQAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
AAAACwAAAAEAAAAGAAAAAAAAAHgAQAAAAAAAeAAAAAAAAABVAAAAAAAAAAAAAAAAAAAAAQAAAAAA
AAAAAAAAAAAAAAEAAAADAAAAAAAAAAAAAAAAAAAAAAAAAM0AAAAAAAAAEQAAAAAAAAAAAAAAAAAA
AAEAAAAAAAAAAAAAAAAAAAA='
mkdir "$SZIT_TMP/bin"
HAVE_PTRACE=0
if [[ $(uname -m) == x86_64 ]] && printf '%s' "$PTRACE_ELF" | base64 -d >"$SZIT_TMP/bin/ptrace" 2>/dev/null; then
	chmod 755 "$SZIT_TMP/bin/ptrace"
	HAVE_PTRACE=1
else
	note "not x86-64: the ptrace attempts are left out (the probe is an x86-64 program)"
fi
YAMA=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)

# What the host has before, to compare after.
sysctl_files="kernel/core_pattern kernel/core_uses_pid kernel/randomize_va_space kernel/sysrq vm/overcommit_memory kernel/modprobe"
host_sysctls() {
	local f
	for f in $sysctl_files kernel/hostname kernel/domainname; do
		[[ -r /proc/sys/$f ]] && echo "$f=$(cat "/proc/sys/$f")"
	done
}
host_release_agents() {
	local m
	for m in $(cgroup_mounts); do
		[[ -r $m/release_agent ]] && echo "$m/release_agent=$(cat "$m/release_agent")"
	done
	return 0
}
sysctls_before=$(host_sysctls)
agents_before=$(host_release_agents)
modules() { cut -d' ' -f1 /proc/modules 2>/dev/null | sort | tr '\n' ' '; }
modules_before=$(modules)
hostname_before=$(uname -n)

# ---------------------------------------------------------------- one container, many attempts

# try NAME COMMAND...: one line "NAME: <output, on one line> status=N".
TRY='try() { n=$1; shift; r=$("$@" 2>&1); s=$?; echo "$n: $(printf "%s" "$r" | tr "\n" " ") status=$s"; }'

run_stanza --trace -v "$SZIT_TMP/bin:/szit:ro" -- sh -c "$TRY"'
	H=$1 T=$2 YAMA=$3 FILES=$4
	# Host processes: not visible, not signalled, not traced.
	if [ -e /proc/$H ]; then echo "proc-host=seen"; else echo "proc-host=absent"; fi
	kill -0 $H 2>/dev/null; echo "kill0-host=$?"
	kill -KILL $H 2>/dev/null; echo "kill9-host=$?"
	kill -0 $T 2>/dev/null; echo "kill0-test=$?"
	sleep 5 & own=$!
	kill -KILL -1 2>/dev/null; wait $own 2>/dev/null; echo "kill9-all=done"
	if [ -x /szit/ptrace ]; then
		/szit/ptrace $H; echo "ptrace-host=$?"
		/szit/ptrace $T; echo "ptrace-test=$?"
		sleep 5 & own=$!
		/szit/ptrace $own; echo "ptrace-own=$?"
		kill $own
	fi
	# Kernel modules: the message says why (not a bad module file: refused).
	try insmod insmod /bin/sh
	try rmmod rmmod szit_no_such_module
	# The clock: set it to what it is (harmless, were it allowed).
	try date date -s "$(date "+%Y-%m-%d %H:%M:%S")"
	try adjtimex adjtimex -o 0
	echo "rtc=$(ls /dev | grep -c rtc)"
	# The host name, through the system call and through /proc/sys.
	try sethostname hostname "$(hostname)"
	# /proc/sys: each file written with its own value (harmless, were it allowed).
	for f in $FILES kernel/hostname kernel/domainname net/ipv4/ip_forward; do
		[ -e /proc/sys/$f ] || continue
		v=$(cat /proc/sys/$f)
		( printf "%s\n" "$v" >/proc/sys/$f ) 2>/dev/null; echo "sysctl $f=$?"
	done
	try sysctl-w sysctl -w kernel.core_pattern="$(cat /proc/sys/kernel/core_pattern)"
	try remount-proc-sys mount -o remount,rw /proc/sys
	( echo h >/proc/sysrq-trigger ) 2>/dev/null; echo "sysrq=$?"
	# kcore and the memory devices.
	if [ -e /proc/kcore ]; then echo "kcore=$(head -c 4096 /proc/kcore 2>/dev/null | wc -c)"; else echo "kcore=absent"; fi
	echo "memdevs=$(ls /dev/mem /dev/kmem /dev/port 2>/dev/null | wc -l)"
	try devmem devmem 0
	# Raw and packet sockets.
	try arping arping -c 1 -w 1 -I lo 127.0.0.1
	try traceroute traceroute -m 1 -q 1 127.0.0.1
	try ping ping -c 1 -W 1 127.0.0.1
	# Mounts: an unmasked /proc, cgroup file systems (v1, for release_agent; v2).
	for m in "-t proc proc" "-t sysfs sysfs" "-t cgroup -o memory cgroup" "-t cgroup -o rdma cgroup" "-t cgroup2 cgroup2" "-t devtmpfs devtmpfs"; do
		try "mount $m" mount $m /mnt
	done
	echo "mnt-mounts=$(grep -c " /mnt " /proc/self/mountinfo)"
	# New namespaces, and a mount in a new user namespace; joining one.
	for u in "-U" "-r -m" "-p -f" "-n" "-i" "-u" "-U -r -m -p -f"; do
		try "unshare $u" unshare $u sh -c "mount -t tmpfs none /mnt && echo MOUNTED"
	done
	try nsenter nsenter -t 1 -m -u true
	# Descriptors, working directories and roots of every process: nothing
	# of the host (a directory descriptor is how runc leaked the host, CVE-2024-21626).
	for p in /proc/[0-9]*; do
		for fd in $p/fd/* $p/cwd $p/root; do
			[ -d "$fd" ] || continue
			t=$(readlink "$fd"); [ "$t" = / ] || echo "dirfd $fd -> $t"
		done
	done
	echo "cwd1=$(readlink /proc/1/cwd) root1=$(readlink /proc/1/root)"
	# /dev and /dev/shm are small tmpfs: 80 MiB does not fit.
	for d in /dev /dev/shm; do
		dd if=/dev/zero of=$d/szit-fill bs=1M count=80 2>/dev/null
		echo "fill $d=$(($(stat -c %s $d/szit-fill) / 1048576))"
		rm -f $d/szit-fill
	done
	# The writable layer: where writes to / go, and how big it is.
	echo "rootfs=$(stat -f -c "%b %S %a" /)"
	echo "uidmap=$(tr -s " " </proc/self/uid_map | sed "s/^ //; s/ $//")"
	echo end' sh "$HOST_PID" "$$" "$YAMA" "$sysctl_files"
assert_status 0 "the attempts ran to their end"
o=$OUT
# The output's "KEY: value" and "KEY=value" lines, by KEY (parsed once, without forks).
declare -A R=()
parse() { # TEXT
	local l re='^([^:=]+)(: |=)(.*)$'
	R=()
	while IFS= read -r l; do
		[[ $l =~ $re ]] && [[ -z ${R[${BASH_REMATCH[1]}]+x} ]] && R[${BASH_REMATCH[1]}]=${BASH_REMATCH[3]}
	done <<<"$1"
}
parse "$o"

# Host processes.
assert_eq "the host's process (pid $HOST_PID) has no /proc entry inside" absent "${R[proc-host]-}"
assert_match "kill -0 of a host pid fails" '^[1-9]' "${R[kill0-host]-}"
assert_match "kill -KILL of a host pid fails" '^[1-9]' "${R[kill9-host]-}"
assert_match "kill -0 of the test's own shell (pid $$) fails" '^[1-9]' "${R[kill0-test]-}"
assert_eq "kill -KILL -1 inside ran" "done" "${R[kill9-all]-}"
assert_true "the host's process is still alive after all that" alive "$HOST_PID"
if ((HAVE_PTRACE)); then
	assert_eq "ptrace(PTRACE_SEIZE) of a host pid fails with ESRCH (3)" 3 "${R[ptrace-host]-}"
	assert_eq "ptrace of the test's shell fails with ESRCH (3)" 3 "${R[ptrace-test]-}"
	if ((YAMA == 0)); then
		assert_eq "ptrace of a process of the container's own works (the probe works)" 0 "${R[ptrace-own]-}"
	else
		note "Yama ptrace_scope=$YAMA: attaching to a sibling is refused anyway (got ${R[ptrace-own]-})"
	fi
fi

# Modules, clock, host name.
assert_match "insmod is refused (init_module: Operation not permitted)" 'Operation not permitted' "${R[insmod]-}"
assert_match "rmmod is refused (delete_module: Operation not permitted, not 'no such module')" \
	'Operation not permitted' "${R[rmmod]-}"
assert_eq "the host's module list is unchanged" "$modules_before" "$(modules)"
assert_match "date -s cannot set the clock" "can't set date: Operation not permitted" "${R[date]-}"
assert_match "adjtimex -o 0 cannot adjust the clock" 'Operation not permitted.* status=[1-9]' "${R[adjtimex]-}"
assert_eq "there is no real-time clock device in /dev" 0 "${R[rtc]-}"
assert_match "sethostname fails, even to the same name (no CAP_SYS_ADMIN)" 'Operation not permitted.* status=[1-9]' \
	"${R[sethostname]-}"
assert_eq "the host's host name is unchanged" "$hostname_before" "$(uname -n)"

# /proc/sys, sysrq, kcore, memory devices.
n=0
while IFS= read -r l; do
	n=$((n + 1))
	assert_match "writing /proc/sys/${l%%=*} fails" '=[1-9][0-9]*$' "sysctl $l"
done < <(printf '%s\n' "$o" | sed -n 's/^sysctl \([a-z_0-9/]*=[0-9]*\)$/\1/p')
assert_le "at least core_pattern, hostname and ip_forward were tried" "$n" 3
assert_match "... core_pattern (a pipe there runs a host program as root) among them" 'sysctl kernel/core_pattern=[1-9]' "$o"
assert_match "sysctl -w kernel.core_pattern fails: read-only" 'Read-only file system' "${R[sysctl-w]-}"
assert_match "/proc/sys cannot be remounted read-write" 'status=[1-9]' "${R[remount-proc-sys]-}"
assert_eq "the host's sysctls are unchanged" "$sysctls_before" "$(host_sysctls)"
assert_match "writing /proc/sysrq-trigger fails" '^[1-9]' "${R[sysrq]-}"
assert_match "/proc/kcore is absent or reads empty (masked)" '^(absent|0)$' "${R[kcore]-}"
[[ -e /proc/kcore ]] || note "this host has no /proc/kcore: the check above is that the container's is absent or empty"
assert_eq "no /dev/mem, /dev/kmem or /dev/port" 0 "${R[memdevs]-}"
assert_match "devmem cannot read physical memory" 'status=[1-9]' "${R[devmem]-}"

# Raw sockets.
assert_match "arping cannot open a packet socket (no CAP_NET_RAW)" 'socket: Operation not permitted' "${R[arping]-}"
assert_match "traceroute cannot open a raw socket" 'socket: Operation not permitted' "${R[traceroute]-}"
assert_match "ping gets no raw or ICMP socket" 'permission denied|Operation not permitted|not permitted' "${R[ping]-}"

# Mounts and namespaces.
for m in "-t proc proc" "-t sysfs sysfs" "-t cgroup -o memory cgroup" "-t cgroup -o rdma cgroup" "-t cgroup2 cgroup2" "-t devtmpfs devtmpfs"; do
	assert_match "mount $m is refused" 'status=[1-9]' "${R[mount $m]-}"
done
assert_eq "nothing got mounted on /mnt" 0 "${R[mnt-mounts]-}"
for u in "-U" "-r -m" "-p -f" "-n" "-i" "-u" "-U -r -m -p -f"; do
	l=${R[unshare $u]-}
	assert_match "unshare $u is refused (Operation not permitted)" 'Operation not permitted' "$l"
	assert_no_match "unshare $u: no mount in it" MOUNTED "$l"
done
assert_match "nsenter (setns) is refused" 'Operation not permitted.* status=[1-9]' "${R[nsenter]-}"

# Descriptors.
assert_no_match "no process inside holds a directory of the host (fd, cwd or root)" '(^|'$'\n'')dirfd ' "$o"
assert_eq "PID 1's working directory and root are the container's /" "cwd1=/ root1=/" "$(printf '%s\n' "$o" | grep '^cwd1=')"

# Filling the host: /dev and /dev/shm are bounded.
for d in /dev /dev/shm; do
	assert_le "writing 80 MiB into $d stops at its 64 MiB size" 64 "${R[fill $d]-}"
done
# The writable layer (the overlay's upper directory) is in the state
# directory, on the host's file system there: statfs of / inside reports that
# file system, or the layer's own size limit, were there one.
state_dir=$(printf '%s\n' "$ERR" | sed -n 's/.*state: \(.*\) (locked)$/\1/p' | head -n1)
read -r c_blocks c_bsize c_avail <<<"${R[rootfs]-}"
if [[ -n $state_dir && -n ${c_blocks:-} ]]; then
	parent=${state_dir%/*}
	read -r h_blocks h_bsize <<<"$(stat -f -c '%b %S' "$parent" 2>/dev/null)"
	h_type=$(stat -f -c '%T' "$parent" 2>/dev/null)
	shared="the host's $h_type file system of $parent ($((c_blocks * c_bsize / 1048576)) MiB, $((c_avail * c_bsize / 1048576)) MiB free)"
	if [[ $c_blocks != "${h_blocks:-}" || $c_bsize != "${h_bsize:-}" ]]; then
		pass "the container's writable layer has a size limit of its own ($((c_blocks * c_bsize / 1048576)) MiB)"
	elif ((ROOTLESS)); then
		# Only the learner's uid is mapped: every file the container writes is
		# the learner's on the host, so the learner's own disk quota there (if
		# the administrator set one) bounds it, as it bounds the learner's shell.
		assert_eq "rootless: what the container writes is the learner's on the host (uid map '0 $LEARNER_UID 1'), so the learner's disk quota bounds it" \
			"0 $LEARNER_UID 1" "${R[uidmap]-}"
		note "no size limit of the container's own: its writable layer is $shared"
	else
		# Root mode is for one's own machine (a classroom's learners run
		# rootless, above): the person running it is root there already.
		# Known and open, in docs/security.md: a size-limited upper layer.
		note "KNOWN LIMITATION (root mode): the container's writable layer has no size limit of its own: it is $shared;" \
			"root's writes there pass every quota and the blocks reserved for root (see docs/security.md, open findings)"
	fi
else
	fail "could not tell where the container's writable layer is (state directory '$state_dir', statfs '${c_blocks:-}')"
fi

# ---------------------------------------------------------------- --net host: the host's own network

ifname=szit$$
lo_flags=$(cat /sys/class/net/lo/flags 2>/dev/null)
run_stanza --net host -- sh -c "$TRY"'
	try arping arping -c 1 -w 1 -I lo 127.0.0.1
	try traceroute traceroute -m 1 -q 1 127.0.0.1
	try link-mtu ip link set dev lo mtu "$(cat /sys/class/net/lo/mtu)"
	try link-add ip link add "$1" type dummy
	try addr-add ip addr add 127.254.254.254/32 dev lo
	try forward sh -c "cat /proc/sys/net/ipv4/ip_forward >/proc/sys/net/ipv4/ip_forward"' sh "$ifname"
assert_status 0 "--net host: the attempts ran"
o=$OUT
parse "$o"
assert_match "--net host: arping cannot open a packet socket on the host's network" 'socket: Operation not permitted' "${R[arping]-}"
assert_match "--net host: traceroute cannot open a raw socket" 'socket: Operation not permitted' "${R[traceroute]-}"
assert_match "--net host: the host's interfaces cannot be configured (no CAP_NET_ADMIN)" 'Operation not permitted.* status=[1-9]' "${R[link-mtu]-}"
assert_match "--net host: no interface can be added" 'status=[1-9]' "${R[link-add]-}"
assert_match "--net host: no address can be added to the host's lo" 'status=[1-9]' "${R[addr-add]-}"
assert_match "--net host: /proc/sys/net stays read-only" 'status=[1-9]' "${R[forward]-}"
assert_true "--net host: no interface $ifname appeared on the host" test ! -e "/sys/class/net/$ifname"
assert_eq "--net host: the host's lo has its flags" "$lo_flags" "$(cat /sys/class/net/lo/flags 2>/dev/null)"
if ! grep -q '127.254.254.254' /proc/net/fib_trie 2>/dev/null; then
	pass "--net host: 127.254.254.254 is not on the host's lo"
else
	fail "--net host: 127.254.254.254 was added to the host's lo"
	((ROOTLESS)) || ip addr del 127.254.254.254/32 dev lo 2>/dev/null
fi
((ROOTLESS)) || ip link del "$ifname" 2>/dev/null

# ---------------------------------------------------------------- limits: the cgroup cannot be left or changed

if limits_available; then
	run_stanza --memory 32M --pids 20 -- sh -c "$TRY"'
		# Every file of its cgroup that would let it out or raise a limit,
		# written with a harmless value (its own pid, the current value).
		for f in $(find /sys/fs/cgroup -name cgroup.procs -o -name tasks -o -name pids.max -o -name memory.max \
			-o -name memory.limit_in_bytes -o -name memory.memsw.limit_in_bytes -o -name memory.swap.max \
			-o -name cgroup.subtree_control -o -name notify_on_release -o -name cgroup.type); do
			case $f in */cgroup.procs|*/tasks) v=$$ ;; *) v=$(head -n 1 $f) ;; esac
			( printf "%s\n" "$v" >$f ) 2>/dev/null && echo "wrote $f"
			echo "tried $f"
		done
		mkdir /sys/fs/cgroup/szit 2>/dev/null || mkdir /sys/fs/cgroup/pids/szit 2>/dev/null; echo "mkdir=$?"
		echo "release_agents=$(find /sys/fs/cgroup -name release_agent | wc -l)"
		try mount-cgroup mount -t cgroup -o pids cgroup /mnt
		try unshare-cgroup unshare -r -m sh -c "mount -t cgroup -o memory c /mnt && echo MOUNTED"
		try forks labtool forks 40
		labtool eat 128M >/tmp/eat 2>&1; echo "eat=$?"
		echo "ate=$(grep touched /tmp/eat | tail -n 1)"
		echo "pid1=alive"'
	o=$OUT
	parse "$o"
	assert_match "with limits: the cgroup files were found" 'tried .*(pids\.max|cgroup\.procs)' "$o"
	assert_no_match "with limits: none of them can be written (read-only)" '(^|'$'\n'')wrote ' "$o"
	assert_match "with limits: no cgroup can be made" '^[1-9]' "${R[mkdir]-}"
	assert_eq "release_agent: no release_agent file is visible (CVE-2022-0492)" 0 "${R[release_agents]-}"
	assert_match "release_agent: a cgroup v1 hierarchy cannot be mounted" 'status=[1-9]' "${R[mount-cgroup]-}"
	assert_match "release_agent: nor in a new user namespace" 'Operation not permitted' "${R[unshare-cgroup]-}"
	assert_no_match "release_agent: no cgroup hierarchy got mounted" MOUNTED "${R[unshare-cgroup]-}"
	assert_eq "release_agent: the host's release agents are unchanged" "$agents_before" "$(host_release_agents)"
	assert_match "--pids 20: 40 forks stop short of 20 processes" 'forked 1?[0-9] of 40' "${R[forks]-}"
	assert_eq "--memory 32M: eating 128M is killed (137)" 137 "${R[eat]-}"
	assert_match "--memory 32M: it got less than 32 MiB" 'touched ([0-9]|[12][0-9]|3[01]) MiB' "${R[ate]-}"
	assert_eq "--memory 32M: only the eater was killed, PID 1 went on" alive "${R[pid1]-}"
	assert_match "stanza reports the OOM kill" 'OOM' "$ERR"
	assert_true "the host's process is still alive" alive "$HOST_PID"
else
	note "no cgroup for $LEARNER: the attempts on limits run in the tiers with a delegated cgroup (and test_10 checks /sys/fs/cgroup without)"
fi

stop_host_process
finish
