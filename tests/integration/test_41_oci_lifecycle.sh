#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_41_oci_lifecycle.sh - an OCI bundle run by stanza with runc's command line: run -b, create/start/state/kill/delete/list, the runtime spec's MUSTs on operations, and bad bundles refused by field name leaving nothing behind
. "$(dirname "$0")/lib.sh"

W=$SZIT_TMP/oci41
mkdir -p "$W"
ROOT=$W/state
B=$W/b
sz() { # ARGS...: `stanza --root ROOT ARGS`, sets OUT ERR STATUS
	"$STANZA" --root "$ROOT" "$@" >"$W/out" 2>"$W/err" </dev/null
	STATUS=$?
	OUT=$(<"$W/out")
	ERR=$(<"$W/err")
}
# The container's own output goes to a file: a created container keeps
# create's standard descriptors.
create() { # ID [OPTIONS...]
	local id=$1
	shift
	"$STANZA" --root "$ROOT" create -b "$B" "$@" "$id" >"$W/$id.out" 2>"$W/$id.err" </dev/null
	STATUS=$?
	ERR=$(<"$W/$id.err")
}
set_cfg() { # JQ-EXPRESSION [CONFIG]
	local cfg=${2:-$B/config.json}
	jq "$1" "$cfg" >"$W/cfg.tmp" && mv "$W/cfg.tmp" "$cfg"
}
status_of() { "$STANZA" --root "$ROOT" state "$1" 2>/dev/null | jq -r .status; }
pid_of() { "$STANZA" --root "$ROOT" state "$1" 2>/dev/null | jq -r .pid; }
command -v jq >/dev/null || die "jq is not installed (make deps installs it)"

rootless_opt=()
((ROOTLESS)) && rootless_opt=(--rootless)
mkdir -p "$B"
"$STANZA" spec "${rootless_opt[@]}" -b "$B" || die "stanza spec failed"
copy_image "$B/rootfs" || die "cannot copy the image into the bundle"
cp "$B/config.json" "$W/pristine.json"
set_cfg '.process.terminal = false'

# ------------------------------------------------------------ run -b
sz run --help
assert_status 0 "run --help"
assert_match "run --help shows runc's form" 'stanza \[GLOBAL\] run -b DIR' "$OUT"
assert_match "and the friendly form" 'stanza run \[OPTIONS\] \[--\] COMMAND' "$OUT"

set_cfg '.process.args = ["sh", "-c", "echo pid $$ host $(hostname) user $(id -u):$(id -g); echo env $FOO; exit 3"] | .process.env += ["FOO=bar"] | .hostname = "bundled"'
sz run -b "$B" r1
assert_status 3 "run -b exits with the command's status"
assert_eq "the command runs as PID 1 with the config's host name, user and env" \
	"pid 1 host bundled user 0:0
env bar" "$OUT"
assert_eq "a finished run -b leaves no state" "" "$(ls "$ROOT")"

set_cfg '.process.args = ["sh", "-c", "pwd; umask; cat /proc/self/oom_score_adj; ulimit -n; echo $PATH; env | grep -E ^HOSTNAME=\\|^TERM=; echo end"] | .process.cwd = "/tmp" | .process.user.umask = 23 | .process.oomScoreAdj = 500 | .process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 321, "hard": 321}] | .process.env = ["PATH=/bin"]'
sz run -b "$B" r2
assert_status 0 "run -b with cwd, umask, oomScoreAdj, rlimits"
assert_eq "process.cwd, user.umask, oomScoreAdj, rlimits and env are the process's (env exactly: no HOSTNAME added)" \
	"/tmp
0027
500
321
/bin
end" "$OUT"

# root.readonly false: the bundle's root is written as it is (as runc does).
set_cfg '.root.readonly = false | .process.args = ["sh", "-c", "echo kept > /written"]'
sz run -b "$B" r3
assert_status 0 "run -b with a writable root"
assert_eq "root.readonly false: the write lands in the bundle's rootfs" "kept" "$(cat "$B/rootfs/written" 2>&1)"
rm -f "$B/rootfs/written"
set_cfg '.root.readonly = true'
sz run -b "$B" r4
assert_status 1 "root.readonly true: the write fails"
[[ -e $B/rootfs/written ]] && fail "root.readonly true: the write reached the bundle" || pass "root.readonly true: nothing reached the bundle"

# ------------------------------------------------------------ the lifecycle
set_cfg '.process.args = ["sh", "-c", "echo started; exec sleep 600"]'
create c1 --pid-file "$W/c1.pid"
assert_status 0 "create ($ERR)"
pid=$(cat "$W/c1.pid" 2>/dev/null)
assert_eq "create: state says created" created "$(status_of c1)"
assert_eq "create: --pid-file holds the state's pid" "$(pid_of c1)" "$pid"
assert_true "create: the container's process exists (visible in ps) after create returned" alive "$pid"
assert_eq "create: the bundle's command has not run yet (runtime.md: create MUST NOT run the user-specified program)" "" "$(cat "$W/c1.out")"
sz state c1
assert_eq "state: the OCI state's fields" "1.0.2 c1 created true $(cd "$B" && pwd -P)" \
	"$(jq -r '"\(.ociVersion) \(.id) \(.status) \(.pid > 0) \(.bundle)"' <<<"$OUT")"
sz list
assert_match "list shows it" "^c1 +$pid +created +" "$(sed -n 2p <<<"$OUT")"

create c1
assert_status 1 "create with an id in use is refused (runtime.md: MUST generate an error if the ID is not unique)"
assert_match "it says so" "a container named 'c1' exists already" "$ERR"
assert_eq "and the first is untouched" created "$(status_of c1)"

sz start c1
assert_status 0 "start ($ERR)"
wait_for_line "$W/c1.out" '^started$' 5
assert_eq "start runs the command (runtime.md: start MUST run the user-specified program)" started "$(cat "$W/c1.out")"
assert_eq "state says running" running "$(status_of c1)"
assert_eq "the same process, now the command" "sleep 600" "$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed 's/ $//')"
sz start c1
assert_status 1 "start on a running container is refused (runtime.md: MUST generate an error if not created)"
assert_match "it says why" "has already been started" "$ERR"

sz delete c1
assert_status 1 "delete of a running container without --force is refused"
assert_match "it says why" "is running" "$ERR"
assert_one_error_line "delete of a running container"
assert_eq "and it still runs" running "$(status_of c1)"

sz kill c1 NOSUCH
assert_status 1 "kill with an unknown signal"
assert_match "it names it" "unknown signal 'NOSUCH'" "$ERR"
assert_eq "and the container runs on" running "$(status_of c1)"
sz kill c1 SIGKILL
assert_status 0 "kill SIGKILL"
wait_gone "$pid" 5
assert_eq "state says stopped once the process is gone" stopped "$(status_of c1)"
sz start c1
assert_status 1 "start on a stopped container is refused"
assert_match "it says why" "has already been started|has stopped" "$ERR"
sz kill c1 TERM
assert_status 1 "kill on a stopped container is refused (runtime.md: MUST generate an error if neither created nor running)"
sz delete c1
assert_status 0 "delete a stopped container ($ERR)"
sz state c1
assert_status 1 "state after delete"
assert_match "it says there is no such container" "container 'c1' does not exist" "$ERR"
sz delete --force c1
assert_status 0 "delete --force of what is not there is no error (as runc)"

# kill by number, --all, and a created container killed before start.
create c2
assert_status 0 "create c2"
pid=$(pid_of c2)
sz kill c2 15
assert_status 0 "kill by number, on a created container"
wait_gone "$pid" 5
assert_eq "the created container's process ended" stopped "$(status_of c2)"
assert_eq "and the command never ran" "" "$(cat "$W/c2.out")"
sz delete c2
assert_status 0 "delete c2"

set_cfg '.process.args = ["sh", "-c", "sleep 600 & sleep 600 & echo two; wait"]'
create c3
sz start c3
wait_for_line "$W/c3.out" '^two$' 5
pid=$(pid_of c3)
kids=$(descendants "$pid" | wc -w)
assert_eq "the command started two children" 2 "$kids"
sz kill --all c3 KILL
assert_status 0 "kill --all"
wait_gone "$pid" 5
assert_eq "kill --all ended the container" stopped "$(status_of c3)"
sz delete c3

create c4
sz start c4
pid=$(pid_of c4)
sz delete --force c4
assert_status 0 "delete --force of a running container ($ERR)"
assert_true "its process is gone" wait_gone "$pid" 5
assert_eq "and its state" "" "$(ls "$ROOT")"

# Two creates of one id at the same time: exactly one wins.
for i in 1 2; do
	"$STANZA" --root "$ROOT" create -b "$B" race >"$W/race$i.out" 2>&1 </dev/null &
done
wait
wins=$(status_of race)
assert_eq "two creates of one id at once: one container" created "$wins"
assert_eq "and one error" 1 "$(cat "$W"/race?.out | grep -c "exists already")"
sz delete race
assert_status 0 "delete race"

# --log --log-format json: runc's error lines, which podman and conmon read.
"$STANZA" --root "$ROOT" --log "$W/log.json" --log-format json state nosuch >/dev/null 2>&1
assert_eq "--log-format json: an error is a JSON line with level and msg" "error container 'nosuch' does not exist" \
	"$(jq -r '"\(.level) \(.msg)"' "$W/log.json" 2>&1 | sed 's/: No such file.*//')"
sz --systemd-cgroup state x
sz_status=$STATUS
"$STANZA" --systemd-cgroup list >/dev/null 2>"$W/err"
assert_eq "--systemd-cgroup is refused" 2 "$?"
assert_match "by name" "systemd-cgroup is not supported" "$(cat "$W/err")"
sz create -b "$B" --no-pivot cs
assert_status 1 "an option stanza does not do fails loudly"
assert_match "naming it" "no-pivot is not supported by stanza" "$ERR"
sz create -b "$B" --console-socket "$W/nosock" cs
assert_status 1 "--console-socket without process.terminal"
assert_match "is refused, as runc refuses it" "console-socket needs process.terminal true" "$ERR"

# ------------------------------------------------------------ exec
set_cfg '.process.args = ["sleep", "600"]'
create x1
sz start x1
sz exec x1 sh -c 'echo pid $$ host $(hostname); exit 5'
assert_status 5 "exec: the command's status"
assert_match "exec: in the container's namespaces (its host name)" '^pid [0-9]+ host bundled$' "$OUT"
assert_ne "exec: not PID 1" "pid 1 host bundled" "$OUT"
sz exec --cwd /tmp -e X=1 x1 sh -c 'echo $X $(pwd)'
assert_eq "exec --cwd --env" "1 /tmp" "$OUT"
sz exec x1 nosuch
assert_status 127 "exec of a command that is not there"
assert_match "it says so" "'nosuch': command not found" "$ERR"
caps='["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT"]'
printf '{"args": ["sh", "-c", "echo from process.json $V"], "env": ["V=yes", "PATH=/bin"], "cwd": "/", "user": {"uid": 0, "gid": 0}, "noNewPrivileges": true, "capabilities": {"bounding": %s, "effective": %s, "permitted": %s}}\n' "$caps" "$caps" "$caps" >"$W/proc.json"
sz exec --process "$W/proc.json" x1
assert_eq "exec --process FILE: the process object runs ($ERR)" "from process.json yes" "$OUT"
"$STANZA" --root "$ROOT" exec -d --pid-file "$W/x.pid" x1 sleep 300 >/dev/null 2>&1 </dev/null
assert_eq "exec -d returns at once" 0 "$?"
xpid=$(cat "$W/x.pid" 2>/dev/null)
assert_true "exec -d: its process runs on after stanza returned" alive "$xpid"
assert_eq "exec -d: in the container's PID namespace" "$(readlink "/proc/$(pid_of x1)/ns/pid")" "$(readlink "/proc/$xpid/ns/pid" 2>&1)"
sz delete --force x1
assert_true "delete --force ends exec'd processes too" wait_gone "$xpid" 5
sz exec x1 true
assert_status 125 "exec in a container that is gone"
assert_match "it says so" "container 'x1' does not exist" "$ERR"

# ------------------------------------------------------------ ps, update, features
set_cfg '.process.args = ["sh", "-c", "sleep 600 & exec sleep 700"]'
create p1
sz start p1
nap 0.3
sz ps --format json p1
assert_eq "ps --format json: PID 1 and its child, as the host numbers them" 2 "$(jq length <<<"$OUT" 2>&1)"
assert_eq "ps: the first is PID 1" "$(pid_of p1)" "$(jq '.[0]' <<<"$OUT" 2>&1)"
sz ps p1
assert_match "ps: a table with the command lines" "sleep 600" "$OUT"
sz ps p1 -ef
assert_status 1 "ps with ps's own options"
assert_match "is refused by name" "ps options is not supported by stanza" "$ERR"
sz update --pids-limit 30 p1
assert_status 1 "update of a container created without limits"
assert_match "says it has no cgroup for that" "the container has no pids cgroup" "$ERR"
sz delete --force p1
if limits_available; then
	set_cfg '.linux.resources.pids = {"limit": 50} | .linux.resources.memory = {"limit": 67108864}'
	create u1
	sz start u1
	sz update --pids-limit 30 u1
	assert_status 0 "update --pids-limit ($ERR)"
	sz exec u1 sh -c 'cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max'
	assert_eq "update: the new pids limit is the container's" 30 "$OUT"
	echo '{"memory": {"limit": 33554432}, "pids": {"limit": 40}}' >"$W/res.json"
	sz update -r "$W/res.json" u1
	assert_status 0 "update -r FILE ($ERR)"
	sz exec u1 sh -c 'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max'
	assert_eq "update -r: memory and pids from a linux.resources object" "33554432
40" "$OUT"
	echo '{"cpu": {"shares": 512}}' >"$W/res.json"
	sz update -r "$W/res.json" u1
	assert_status 1 "update with a field stanza does not do"
	assert_match "names it" "cpu.shares: only the default" "$ERR"
	sz delete --force u1
	cp "$W/pristine.json" "$B/config.json"
	set_cfg '.process.terminal = false'
fi
sz features
assert_status 0 "features"
assert_eq "features: JSON with the spec's versions, namespaces and seccomp actions" "1.0.2 true true" \
	"$(jq -r '"\(.ociVersionMax) \(.linux.namespaces | index("pid") != null) \(.linux.seccomp.actions | index("SCMP_ACT_ERRNO") != null)"' <<<"$OUT" 2>&1)"
assert_eq "features does not claim CAP_MKNOD, which is refused" false \
	"$(jq -r '.linux.capabilities | index("CAP_MKNOD") != null' <<<"$OUT" 2>&1)"

# ------------------------------------------------------------ hooks
# Each hook writes its name and the state it was given on standard input.
printf '#!/bin/sh\necho "$1 $(cat)" >>"%s"\n' "$W/hooks.log" >"$W/hook"
chmod +x "$W/hook"
printf '#!/bin/sh\nexit 3\n' >"$W/hook-fails"
printf '#!/bin/sh\nsleep 30\n' >"$W/hook-hangs"
chmod +x "$W/hook-fails" "$W/hook-hangs"
cp "$B/config.json" "$W/before-hooks.json"
set_cfg '.process.args = ["sleep", "600"] | .hooks = {"prestart": [{"path": "'"$W/hook"'", "args": ["hook", "prestart"]}], "createRuntime": [{"path": "'"$W/hook"'", "args": ["hook", "createRuntime"]}], "poststart": [{"path": "'"$W/hook"'", "args": ["hook", "poststart"]}], "poststop": [{"path": "'"$W/hook"'", "args": ["hook", "poststop"]}]}'
create h1
assert_status 0 "create with hooks ($ERR)"
sz start h1
sz delete --force h1
assert_eq "the hooks ran in the spec's order, once each (config.md: prestart and createRuntime at create, poststart after start, poststop after delete)" \
	"prestart createRuntime poststart poststop" "$(awk '{ print $1 }' "$W/hooks.log" 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
assert_eq "each got the container's state on standard input (runtime.md: state MUST be passed)" "creating creating running stopped" \
	"$(cut -d' ' -f2- "$W/hooks.log" 2>/dev/null | jq -r .status 2>&1 | tr '\n' ' ' | sed 's/ $//')"
assert_eq "with its id and bundle" "h1 $(cd "$B" && pwd -P)" "$(head -1 "$W/hooks.log" | cut -d' ' -f2- | jq -r '"\(.id) \(.bundle)"' 2>&1)"
cp "$W/before-hooks.json" "$B/config.json"
set_cfg '.process.args = ["sleep", "600"] | .hooks = {"createRuntime": [{"path": "'"$W/hook-fails"'"}]}'
create h2
assert_status 1 "a createRuntime hook that fails fails create (runtime.md: the runtime MUST generate an error and stop the container)"
assert_match "naming the hook and its status" 'hooks.createRuntime\[0\] .* failed with status 3' "$ERR"
assert_eq "and nothing is left" "" "$(ls "$ROOT")"
set_cfg '.hooks = {"prestart": [{"path": "'"$W/hook-hangs"'", "timeout": 1}]}'
t0=$(now_ms)
create h3
t1=$(now_ms)
assert_status 1 "a hook past its timeout fails create"
assert_match "it says it was killed" 'hooks.prestart\[0\] .* did not finish in 1 s: killed' "$ERR"
assert_le "after about its timeout (${t1}-${t0} ms)" 5000 $((t1 - t0))
assert_eq "and nothing is left" "" "$(ls "$ROOT")"
set_cfg '.hooks = {"prestart": [{"path": "/nonexistent/hook"}]}'
create h4
assert_status 1 "a hook that does not exist fails create"
assert_match "it names it" "hooks.prestart\\[0\\]: '/nonexistent/hook' cannot be run" "$ERR"
set_cfg '.hooks = {"poststart": [{"path": "'"$W/hook-fails"'"}]}'
create h5
sz start h5
assert_status 0 "a poststart hook that fails does not fail start (runtime.md: MUST log a warning)"
assert_match "it warns" 'warning: hook hooks.poststart\[0\]' "$ERR"
assert_eq "and the container runs" running "$(status_of h5)"
sz delete --force h5
set_cfg '.hooks = {"prestart": [{"path": "'"$W/hook"'"}]}'
sz run -b "$B" h6
assert_status 125 "hooks with a foreground run -b"
assert_match "are refused by name" "hooks in the foreground is not supported" "$ERR"
cp "$W/before-hooks.json" "$B/config.json"

# ------------------------------------------------------------ what the config may change
set_cfg '.process.args = ["sh", "-c", "grep NoNewPrivs /proc/self/status; grep ^Seccomp: /proc/self/status; wc -c </proc/keys; cat /proc/sys/net/ipv4/ping_group_range"] | .process.noNewPrivileges = false | del(.linux.seccomp) | .linux.maskedPaths = ["/proc/kcore"] | .linux.sysctl = {"net.ipv4.ping_group_range": "0 0"}'
sz run -b "$B" cfg1
assert_eq "noNewPrivileges false, no seccomp, the config's masked paths, a sysctl ($ERR)" "NoNewPrivs:	0
Seccomp:	0
$(wc -c </proc/keys)
0	0" "$OUT"
cp "$W/pristine.json" "$B/config.json"
set_cfg '.process.terminal = false'
if ((!ROOTLESS)); then
	touch "$W/netns"
	unshare --net="$W/netns" true || die "cannot make a network namespace to join"
	set_cfg '.process.args = ["readlink", "/proc/self/ns/net"] | .linux.namespaces[1].path = "'"$W/netns"'"'
	sz run -b "$B" netjoin
	assert_eq "a network namespace joined by path (config-linux.md: the runtime MUST place the container in it)" \
		"net:[$(stat -L -c %i "$W/netns")]" "$OUT"
	umount "$W/netns"
	set_cfg '.linux.namespaces[1] = {"type": "network"}'
fi

# ------------------------------------------------------------ bad ids and bundles
for id in "a/b" ".." ".hidden" "a b"; do
	sz create -b "$B" "$id"
	assert_status 1 "create '$id' is refused"
	assert_match "it says the id is invalid" "invalid container id" "$ERR"
done

bad() { # DESCRIPTION JQ-EXPRESSION ERE
	cp "$W/pristine.json" "$W/bad/config.json"
	set_cfg '.process.terminal = false' "$W/bad/config.json"
	set_cfg "$2" "$W/bad/config.json"
	sz create -b "$W/bad" badone
	assert_status 1 "$1"
	assert_match "$1: the message names the field" "$3" "$ERR"
	assert_one_error_line "$1"
	assert_eq "$1: nothing is left" "" "$(ls "$ROOT")"
}
mkdir -p "$W/bad"
ln -s "$B/rootfs" "$W/bad/rootfs"
bad "a wrong type" '.process.user.uid = "0"' 'config.json: process.user.uid: expected a number of 0 or more, found a string'
bad "a missing root.path" 'del(.root.path)' 'root.path: missing'
bad "an unsupported major version" '.ociVersion = "2.0.0"' "ociVersion: '2.0.0'"
bad "a relative mount destination" '.mounts += [{"destination": "data", "type": "bind", "source": "/tmp", "options": ["rbind"]}]' "mounts\[7\]: destination 'data' is not an absolute path"
bad "a sysctl of the host's, not the container's namespaces" '.linux.sysctl = {"vm.swappiness": "1"}' 'linux.sysctl.vm.swappiness: not a parameter of the container'"'"'s own namespaces'
bad "a field stanza does not do" '.linux.intelRdt = {"closID": "x"}' 'linux.intelRdt: not supported by stanza yet'
bad "joining a pid namespace by path" '.linux.namespaces[0].path = "/proc/1/ns/pid"' 'linux.namespaces\[0\]: joining an existing pid namespace'
bad "root's effective set unlike its bounding set" '.process.capabilities.bounding += ["CAP_SYS_ADMIN"]' 'process.capabilities.effective: stanza gives root the bounding set'
bad "an unknown capability" '.process.capabilities.bounding += ["CAP_BOGUS"]' "process.capabilities.bounding\\[11\\]: unknown capability 'CAP_BOGUS'"
bad "a hook in the container's namespaces" '.hooks = {"createContainer": [{"path": "/bin/true"}]}' "hooks.createContainer: hooks in the container's namespaces are not supported"
bad "a root that is not there" '.root.path = "nothere"' "root.path: '.*/nothere' is not a directory"
bad "empty args" '.process.args = []' 'process.args: empty'
printf '{\n  "ociVersion": "1.0.2",\n  "process": {,\n}\n' >"$W/bad/config.json"
sz create -b "$W/bad" badone
assert_status 1 "a syntax error"
assert_match "it gives file, line and column" 'bad/config.json:3:15: not valid JSON' "$ERR"
assert_eq "nothing is left" "" "$(ls "$ROOT")"
sz create -b "$W/nonexistent" badone
assert_status 1 "a bundle that is not there"
assert_match "it says so" "the bundle '.*nonexistent' is not a directory" "$ERR"
for a in unknownField; do
	cp "$W/pristine.json" "$W/bad/config.json"
	set_cfg '.process.terminal = false | .process.args = ["true"] | .unknownField = {"x": 1} | .linux.unknownToo = 1' "$W/bad/config.json"
	sz run -b "$W/bad" unknown
	assert_status 0 "unknown fields are ignored (config.md: MUST ignore unknown properties) ($ERR)"
done

# A bind mount whose destination is a symlink out of the root lands inside it.
cp "$B/config.json" "$W/before-escape.json"
set_cfg '.process.args = ["sh", "-c", "cat /escape/marker"] | .mounts += [{"destination": "/escape", "type": "bind", "source": "'"$W/src"'", "options": ["rbind", "ro"]}]'
mkdir -p "$W/src" "$W/outside"
echo inside >"$W/src/marker"
ln -s "$W/outside" "$B/rootfs/escape"
sz run -b "$B" esc
assert_eq "a mount through a symlink out of the root: inside it, or refused (status $STATUS: $ERR)" "" "$(ls "$W/outside")"
rm -f "$B/rootfs/escape"
cp "$W/before-escape.json" "$B/config.json"

# ------------------------------------------------------------ limits
if limits_available; then
	set_cfg '.process.args = ["sh", "-c", "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max"] | .linux.resources.memory = {"limit": 67108864, "swap": 67108864} | .linux.resources.pids = {"limit": 42}'
	sz run -b "$B" lim
	assert_eq "linux.resources memory and pids are the container's cgroup limits ($ERR)" "67108864
42" "$OUT"
	set_cfg '.process.args = ["sh", "-c", "x=a; while :; do x=$x$x; done"] | .linux.resources.memory = {"limit": 33554432}'
	sz run -b "$B" oom
	assert_status 137 "over its memory limit the kernel kills it"
else
	note "no cgroup is delegated here: the limits of config.json are not tried"
fi

assert_eq "the state root is empty at the end" "" "$(ls "$ROOT")"
finish
