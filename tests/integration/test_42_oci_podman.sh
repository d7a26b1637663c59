#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_42_oci_podman.sh - podman drives stanza in runc's place (podman --runtime stanza): run --rm with its statuses, limits, volumes, env, workdir, user; run -d, ps, logs, exec, stop, kill, rm; the calls podman made, read from stanza's log
. "$(dirname "$0")/lib.sh"

W=$SZIT_TMP/oci42
mkdir -p "$W"
if ((ROOTLESS)); then
	note "rootless: podman is driven as root here (rootless podman needs /etc/subuid entries for $LEARNER)"
	finish
fi
for tool in podman skopeo conmon; do
	command -v $tool >/dev/null || skip "no '$tool' (make check installs it on Debian)"
done

# podman calls the runtime by path with runc's arguments; a wrapper adds
# stanza's global options (a private state root, a debug log) and keeps the calls.
ROOT=$W/state
cat >"$W/stanza-runtime" <<EOF
#!/bin/sh
echo "\$*" >>"$W/calls"
exec "$(realpath "$STANZA")" --root "$ROOT" --debug --log "$W/stanza.log" "\$@"
EOF
chmod +x "$W/stanza-runtime"

# podman's run root must be short (50 characters at most).
RR=$(mktemp -d /tmp/szp.XXXXXX)
PS=$W/podman
P=(podman --root "$PS" --runroot "$RR" --storage-driver vfs --cgroup-manager cgroupfs --events-backend file
	--runtime "$W/stanza-runtime")
# This host's root lacks CAP_SYS_RESOURCE: limits within the current hard ones.
nofile=$(ulimit -Hn)
nproc=$(ulimit -Hu)
((nofile > 1024)) && nofile=1024
[[ $nproc == unlimited ]] || ((nproc > 1024)) && nproc=1024
U=(--network none --ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
RUN=(run --rm "${U[@]}")
IMG=localhost/busybox:builtin
cleanup_podman() {
	"${P[@]}" rm --all --force >/dev/null 2>&1
	"${P[@]}" rmi --all --force >/dev/null 2>&1
	rm -rf "$RR"
}
skopeo copy "oci:$STANZA_BUILD_DIR/images/busybox/oci:busybox:builtin" "containers-storage:[vfs@$PS+$RR]$IMG" >"$W/copy.log" 2>&1 ||
	die "skopeo cannot copy the built-in image into podman's store: $(tail -1 "$W/copy.log")"

called() { grep -Eq "$1" "$W/calls"; }
pod() { # ARGS...: podman ARGS, sets OUT ERR STATUS
	timeout 120 "${P[@]}" "$@" >"$W/out" 2>"$W/err" </dev/null
	STATUS=$?
	OUT=$(<"$W/out")
	ERR=$(<"$W/err")
}

pod "${RUN[@]}" "$IMG" sh -c 'echo pid $$; whoami; hostname'
assert_status 0 "podman run --rm with stanza as the runtime ($ERR)"
assert_eq "the command is PID 1, root, with podman's host name (the container's id)" \
	"pid 1 root" "$(head -2 <<<"$OUT" | tr '\n' ' ' | sed 's/ $//')"
assert_match "the host name is the container id podman chose" '^[0-9a-f]{12}$' "$(sed -n 3p <<<"$OUT")"
assert_true "podman called stanza create --bundle --pid-file" called '^create --bundle .* --pid-file .* [0-9a-f]{64}$'
assert_true "then start" called '^start [0-9a-f]{64}$'
assert_true "then delete --force" called '^delete --force [0-9a-f]{64}$'

for c in "3:exit 3" "127:nosuchcommand" "0:true"; do
	pod "${RUN[@]}" "$IMG" sh -c "${c#*:}"
	assert_status "${c%%:*}" "podman run: sh -c '${c#*:}'"
done
pod "${RUN[@]}" "$IMG" /etc/passwd
assert_status 126 "podman run of a file that cannot be executed"
pod "${RUN[@]}" "$IMG" nosuch
assert_status 127 "podman run of a command that is not there"
pod "${RUN[@]}" -m 32m "$IMG" sh -c 'x=a; while :; do x=$x$x; done'
assert_status 137 "podman run -m 32m: the kernel kills the memory hog (137)"
pod "${RUN[@]}" --pids-limit 17 "$IMG" sh -c 'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max'
assert_eq "--pids-limit is the container's pids.max" 17 "$OUT"
mkdir -p "$W/vol"
echo from-the-host >"$W/vol/f"
pod "${RUN[@]}" -v "$W/vol:/data" -e FOO=bar -w /data -u 1000:1000 "$IMG" sh -c 'cat f; echo $FOO; pwd; id -u; grep CapEff /proc/self/status'
assert_eq "-v, -e, -w, -u (a user other than root has no capabilities)" "from-the-host
bar
/data
1000
CapEff:	0000000000000000" "$OUT"
# What the process sees under stanza and under runc, from the same podman.
probe='grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status; cat /proc/sys/net/ipv4/ping_group_range; hostname | wc -c; umask; ulimit -n; ulimit -u; cat /proc/self/oom_score_adj; mount -t nofs 2>&1 | head -0; wc -c </proc/kcore; touch /proc/sys/x 2>&1 | sed "s/.*: //"; ls /dev | tr "\n" " "; id; unshare -U true 2>&1 | sed "s/.*: //"; cat /proc/self/mountinfo | awk "{print \$5, \$6}" | sort'
pod "${RUN[@]}" "$IMG" sh -c "$probe"
stanza_sees=$OUT
assert_match "podman's seccomp profile and sysctl are applied, no_new_privs left unset as podman asks" "NoNewPrivs:	0
Seccomp:	2
.*0	0" "$OUT"
if command -v runc >/dev/null; then
	timeout 120 podman --root "$PS" --runroot "$RR" --storage-driver vfs --cgroup-manager cgroupfs --events-backend file \
		--runtime "$(command -v runc)" "${RUN[@]}" "$IMG" sh -c "$probe" >"$W/runc.out" 2>"$W/runc.err"
	# What differs, and why: each pattern leaves out the lines it explains.
	allowed=(
		'^/dev/(full|null|random|tty|urandom|zero) :: stanza binds the host'"'"'s device nodes into /dev (so that it works rootless too), runc makes them with mknod'
		'^/dev rw :: so stanza'"'"'s /dev tmpfs is nodev where runc'"'"'s holds the nodes themselves'
		'^/proc/(keys|timer_list) :: the masks are binds of /dev/null: the host'"'"'s under stanza, the container'"'"'s (nosuid,noexec) under runc'
		'^/sys/fs/cgroup :: on cgroup v1 stanza mounts the hierarchies of the limits it set, read-only; runc a tmpfs with every hierarchy'
	)
	filter() { # FILE-OR-TEXT on stdin
		local a re=""
		for a in "${allowed[@]}"; do re+="${re:+|}(${a%% :: *})"; done
		grep -Ev "$re" | sed -E '/^\/(dev|proc|sys)/! s/,nodev//'
	}
	note "allowed difference: the root and the binds are nodev under stanza, which has no device cgroup to stop a device node there from opening"
	assert_match "stanza's root is nodev" $'\n/ rw,nodev' "$stanza_sees"
	for a in "${allowed[@]}"; do note "allowed difference: ${a#* :: }"; done
	assert_match "what is compared is the probe's output" "NoNewPrivs:.*/proc/sys ro" "$(filter <<<"$stanza_sees" | tr '\n' ' ')"
	assert_eq "the same container under podman with runc: capabilities, no_new_privs, seccomp, sysctl, umask, rlimits, oom_score_adj, masked and read-only paths, /dev, user, mounts and their options ($(tail -1 "$W/runc.err"))" \
		"$(filter <"$W/runc.out")" "$(filter <<<"$stanza_sees")"
else
	note "runc is not installed: podman's container under stanza is not compared with runc's (make deps installs it)"
fi

# A container that stays: ps, logs, exec, stop (SIGTERM, then SIGKILL), kill, rm.
pod run -d "${U[@]}" "$IMG" sh -c 'trap "echo got TERM; exit 0" TERM; echo up; while :; do sleep 0.1; done'
cid=$OUT
assert_status 0 "podman run -d ($ERR)"
wait_for_line "$W/calls" "^start $cid" 5
pod ps --format '{{.ID}} {{.Status}}'
assert_match "podman ps shows it up" "^${cid:0:12} Up" "$OUT"
pod exec "$cid" sh -c 'echo exec in $(hostname); exit 4'
assert_status 4 "podman exec: the command's status"
assert_eq "podman exec runs in the container" "exec in ${cid:0:12}" "$OUT"
assert_true "podman exec called stanza exec with --process" called "^exec .*--process "
pod stop -t 5 "$cid"
assert_status 0 "podman stop"
pod logs "$cid"
assert_eq "the trap saw SIGTERM (podman logs)" "up
got TERM" "$OUT"
assert_true "podman stop called stanza kill with 15" called "^kill $cid 15$"
pod rm "$cid"
assert_status 0 "podman rm"

pod run -d "${U[@]}" "$IMG" sh -c 'echo up; exec sleep 1000'
cid=$OUT
wait_for_line "$W/calls" "^start $cid" 5
t0=$(now_ms)
pod stop -t 1 "$cid"
t1=$(now_ms)
assert_status 0 "podman stop of a PID 1 that ignores SIGTERM"
assert_true "stop sent SIGKILL after the timeout" called "^kill $cid 9$"
assert_le "and it took about the timeout (${t1}-${t0} ms)" 5000 $((t1 - t0))
pod inspect --format '{{.State.ExitCode}}' "$cid"
assert_eq "killed by SIGKILL: 137" 137 "$OUT"
pod rm "$cid"

pod run -d "${U[@]}" "$IMG" sleep 1000
cid=$OUT
wait_for_line "$W/calls" "^start $cid" 5
pod kill "$cid"
assert_status 0 "podman kill"
pod wait "$cid"
assert_eq "podman kill: 137" 137 "$OUT"
pod rm "$cid"

# A terminal: podman run -it and exec -it in tmux (stanza gets conmon's
# --console-socket and sends it the pty's master).
if command -v tmux >/dev/null; then
	TM=(tmux -L "szit42-$$")
	screen_has() { # ERE SECONDS
		local i
		for ((i = 0; i < $2 * 10; i++)); do
			"${TM[@]}" capture-pane -p 2>/dev/null | grep -Eq "$1" && return 0
			nap 0.1
		done
		return 1
	}
	"${TM[@]}" new-session -d -x 100 -y 30 "${P[*]} run -it --rm ${U[*]} $IMG sh; echo podman-ended-\$?; sleep 30"
	assert_true "podman run -it: a shell prompt in tmux" screen_has '^/ # ?$' 20
	"${TM[@]}" send-keys "stty size; tty" Enter
	assert_true "the window's size reaches the container (30 rows, 100 columns)" screen_has '^30 100$' 5
	assert_true "its terminal is the container's own devpts" screen_has '^/dev/pts/0$' 5
	"${TM[@]}" send-keys "sleep 100" Enter
	nap 0.5
	"${TM[@]}" send-keys C-c
	"${TM[@]}" send-keys "echo after-ctrl-c" Enter
	assert_true "^C stops the foreground command, the shell goes on" screen_has '^after-ctrl-c$' 5
	"${TM[@]}" send-keys "exit 6" Enter
	assert_true "exit ends podman with the shell's status" screen_has '^podman-ended-6$' 10
	assert_true "create was given a console socket" called "^create --bundle .* --console-socket "
	"${TM[@]}" kill-server 2>/dev/null

	pod run -d "${U[@]}" "$IMG" sleep 1000
	cid=$OUT
	"${TM[@]}" new-session -d -x 90 -y 20 "${P[*]} exec -it $cid sh; echo exec-ended-\$?; sleep 30"
	assert_true "podman exec -it: a shell prompt" screen_has '^/ # ?$' 20
	"${TM[@]}" send-keys "stty size; exit 2" Enter
	assert_true "with the window's size" screen_has '^20 90$' 5
	assert_true "and its status" screen_has '^exec-ended-2$' 10
	"${TM[@]}" kill-server 2>/dev/null
	pod rm -f "$cid"
else
	note "tmux is not installed: podman run -it is not tried (make deps installs it)"
fi

assert_eq "every container is gone from stanza's state root" "" "$(ls "$ROOT" 2>/dev/null)"
assert_no_match "stanza's log has no error" 'level=error' "$(grep -v 'does not exist' "$W/stanza.log")"
cleanup_podman
finish
