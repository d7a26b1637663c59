#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_22_soak.sh - the soak: N sequential runs (100 here; 1000 in the soak tier) mixing exits, OOM kills, timeouts, fork bombs and signals; no leak, stanza's own fds and peak memory flat
#
# SZIT_SOAK_RUNS=N sets the number of runs (default 100: 15 to 30 s on the
# reference machine). The soak tier (ctest -L soak, make soak) runs it with
# 1000, as root and rootless, through tests/soak/soak.sh; docs/testing-soak.md
# has the figures. This file is the whole engine, so that the rootless and vm
# tiers, which stage tests/integration alone, run it too.
#
# Every run is started in the background and watched until it ends: the
# VmHWM (peak resident memory) of stanza itself - not of its container, which
# a wait4 rusage or `time -f %M` would count in - and its number of open
# descriptors are read from /proc/<pid> every 10 ms, without forking. A run
# that waits (signals, timeouts, fork bombs) prints "ready" once its command
# runs: both are read then too, a steady state (stanza has set everything up
# and waits), which a sample of a 20 ms run may miss. The signal kinds act on
# "ready".
#
# After: leaked cgroups (stanza-<id> where this user's containers go),
# state entries (scratch directories) in the state root, mounts under the
# state root and naming stanza, processes carrying the test's marker: all
# must be 0. Between the first and the last hundred runs (half the runs when
# there are fewer than 200), the descriptors stanza holds while its
# container runs must not change (nor exceed 16 at any time), and its peak
# RSS must not grow by more than 5% (at least 256 kB).
. "$(dirname "$0")/soak_lib.sh"
. "$(dirname "$0")/lib.sh"
# Leftovers: what this test's stanzas leave (soak_lib.sh).
soak_leftover_rules

N=${SZIT_SOAK_RUNS:-100}
WINDOW=$((N >= 200 ? 100 : N / 2))
DATA=$SZIT_TMP/soak.data # one line a run: i kind ok|bad hwm-kB fds status ms ready-fds ready-hwm-kB
: >"$DATA"

# One block of the mix, repeated: 20 runs.
PLAN=(exit echo exit timeout exit limits int exit oom exit
	true bomb exit term timeout echo limits hostkill int exit)
HAVE_LIMITS=1
limits_available || HAVE_LIMITS=0

cg_before=$(all_stanza_cgroups)
state_before=$(all_state_entries)
mounts_before=$(host_mounts_naming_stanza)
state_mounts() { awk -v r="$STATE_ROOT/" 'index($5, r) == 1 { print $5 }' /proc/self/mountinfo; }
state_mounts_before=$(state_mounts)

mkfifo "$SZIT_TMP/idle"
exec 7<>"$SZIT_TMP/idle"
shopt -s nullglob
ENV_EXE=$(command -v env)

declare -A count=() bad=()
BAD_LINES=$SZIT_TMP/bad

# Watch stanza PID until it ends: keep its largest VmHWM and fd count in HWM
# and FDS; at "ready" on stdout (OUT_FILE), note both in READY_HWM and
# READY_FDS (stanza set everything up and waits for its container: a steady
# state, unlike what a sample catches of a run that takes 20 ms) and do ACT
# (int, term, hostkill; - for nothing).
watch_run() { # PID OUT_FILE ACT
	local pid=$1 out=$2 act=$3 status line p1 deadline fds
	local -a f
	HWM=0 FDS=0 READY_FDS=- READY_HWM=-
	deadline=$(($(now_ms) + SZIT_GUARD * 1000))
	while :; do
		# Until env has executed stanza, the process is bash's fork, then env.
		# (Not "until it is $STANZA": stanza runs from a sealed copy of itself,
		# a memfd, which it executes first thing; see src/common/selfexe.c.)
		if [[ /proc/$pid/exe -ef /proc/$$/exe || /proc/$pid/exe -ef $ENV_EXE ]]; then
			(($(now_ms) > deadline)) && break
			nap 0.002
			continue
		fi
		# The whole file at once: bash's read keeps what it read ahead when it
		# cannot seek back (the process just ended), and the next read, of
		# another file, would return it.
		status=
		IFS= read -r -d '' status <"/proc/$pid/status" 2>/dev/null
		[[ $status =~ State:[[:space:]]*([A-Z]) ]] || return 0
		[[ ${BASH_REMATCH[1]} == Z ]] && return 0
		[[ $status =~ VmHWM:[[:space:]]*([0-9]+) ]] && ((BASH_REMATCH[1] > HWM)) && HWM=${BASH_REMATCH[1]}
		f=("/proc/$pid/fd/"*)
		fds=${#f[@]}
		((fds > FDS)) && FDS=$fds
		if [[ -n $act ]] && read -r line <"$out" 2>/dev/null && [[ $line == ready ]]; then
			# Let stanza settle: the command prints as soon as it runs, while
			# stanza may still be opening PID 1's pidfd.
			nap 0.05
			IFS= read -r -d '' status <"/proc/$pid/status" 2>/dev/null
			[[ $status =~ VmHWM:[[:space:]]*([0-9]+) ]] && ((BASH_REMATCH[1] > HWM)) && HWM=${BASH_REMATCH[1]}
			f=("/proc/$pid/fd/"*)
			READY_FDS=${#f[@]} READY_HWM=$HWM
			case $act in
			int) kill -INT "$pid" ;;
			term) kill -TERM "$pid" ;;
			hostkill) p1=$(container_pid1 "$pid" 5) && kill -KILL "$p1" ;;
			esac
			act=
		fi
		(($(now_ms) > deadline)) && break
		nap 0.01
	done
	kill -KILL "$pid" 2>/dev/null
	return 1
}

# Run I of kind KIND, check how it ended, record it.
soak_one() { # KIND I
	local kind=$1 i=$2 stdin=/dev/null act='' want=0 werr='' wout='' t0 why='' pid
	local -a args
	if ((!HAVE_LIMITS)); then
		case $kind in
		limits | oom | bomb) kind=refused ;;
		esac
	fi
	case $kind in
	exit) args=(-- sh -c "exit $((i % 7))" "$MARK") want=$((i % 7)) ;;
	true) args=(-- true "$MARK") ;;
	echo) args=(-- echo "$MARK-$i") wout="$MARK-$i" ;;
	limits)
		args=(--memory 64M --pids 50 --cpus 1 --hostname "h$i" -- sh -c 'echo "$(hostname) $(($1 * 2))"' "$MARK" "$i")
		wout="h$i $((i * 2))" ;;
	oom)
		args=(--memory 16M -- sh -c 'dd if=/dev/zero of=/dev/null bs=64M count=1' "$MARK")
		want=137 werr='memory limit of 16 MiB.*OOM' ;;
	timeout)
		args=(--timeout 300ms -- sh -c 'echo ready; read x' "$MARK") stdin=$SZIT_TMP/idle act=-
		want=124 werr='--timeout' wout=ready ;;
	bomb)
		args=(--pids 20 --timeout 500ms -- sh -c 'echo ready; (f(){ f | f & }; f) 2>/dev/null & read x' "$MARK")
		stdin=$SZIT_TMP/idle act=- want=124 werr='--timeout' wout=ready ;;
	int | term | hostkill)
		args=(-- sh -c 'echo ready; read x' "$MARK") stdin=$SZIT_TMP/idle act=$kind
		case $kind in
		int) want=130 werr='[Ii]nterrupt' ;;
		term) want=143 werr='[Ii]nterrupt' ;;
		hostkill) want=137 ;;
		esac ;;
	refused)
		args=(--memory 32M --pids 20 -- echo szit-ran) want=125 werr='needs a cgroup you may write' ;;
	esac
	t0=$(now_ms)
	# lib.sh's bg_start and bg_wait, without their forks (mkdir, watchdog):
	# watch_run is the watchdog, and the runs directory exists.
	echo "$TEST_NAME" >>"$RUNS_DIR/runs"
	env --default-signal=INT,QUIT,TERM "$STANZA" run "${args[@]}" <"$stdin" >"$SZIT_TMP/s.out" 2>"$SZIT_TMP/s.err" &
	pid=$!
	watch_run "$pid" "$SZIT_TMP/s.out" "$act" || why="still running after ${SZIT_GUARD}s;"
	wait "$pid"
	STATUS=$?
	OUT='' ERR=''
	IFS= read -r -d '' OUT <"$SZIT_TMP/s.out"
	IFS= read -r -d '' ERR <"$SZIT_TMP/s.err"
	OUT=${OUT%$'\n'} ERR=${ERR%$'\n'}
	[[ $STATUS == "$want" ]] || why+=" status $STATUS, expected $want;"
	[[ -z $werr || $ERR =~ $werr ]] || why+=" stderr does not match '$werr';"
	[[ -z $wout || $OUT == "$wout" ]] || why+=" stdout '$OUT', expected '$wout';"
	count[$kind]=$((${count[$kind]:-0} + 1))
	if [[ -n $why ]]; then
		bad[$kind]=$((${bad[$kind]:-0} + 1))
		echo "run $i ($kind):$why stderr: $(printf '%s' "$ERR" | head -c 300 | tr '\n' '|')" >>"$BAD_LINES"
	fi
	echo "$i $kind $([[ -z $why ]] && echo ok || echo bad) $HWM $FDS $STATUS $(($(now_ms) - t0)) $READY_FDS $READY_HWM" >>"$DATA"
}

# The largest value of column COL over runs FROM..TO ("-" left out).
max_of() { awk -v c="$1" -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $c != "-" && $c + 0 > m + 0 { m = $c } END { print m + 0 }' "$DATA"; }
# The distinct values of column COL over runs FROM..TO ("-" left out), in order.
values_of() { awk -v c="$1" -v a="$2" -v b="$3" '$1 >= a && $1 <= b && $c != "-" { print $c }' "$DATA" | sort -un | tr '\n' ' ' | sed 's/ $//'; }

# A warm-up run, not counted: the first run may import the built-in image
# into the store (unpacking its layer).
run_stanza -- true "$MARK"
assert_status 0 "a warm-up run"
mkdir -p "$RUNS_DIR"
t_start=$(now_ms)
for ((i = 1; i <= N; i++)); do
	soak_one "${PLAN[$(((i - 1) % ${#PLAN[@]}))]}" "$i"
	if ((i % 100 == 0 && i < N)); then
		s=$(($(now_ms) - t_start))
		note "soak: $i/$N runs, $(awk -v n="$i" -v s="$s" 'BEGIN { printf "%.2f", n * 1000 / s }') runs/s," \
			"peak RSS $(max_of 4 $((i - 99)) "$i") kB, fds $(max_of 5 $((i - 99)) "$i") in the last hundred"
	fi
done 2>/dev/null # (bash's reports of the jobs that signals ended)
elapsed=$(($(now_ms) - t_start))
rate=$(awk -v n="$N" -v s="$elapsed" 'BEGIN { printf "%.2f", n * 1000 / s }')

# ---------------------------------------------------------------- leaks

nap 0.2
leftovers=$(new_leftovers "$cg_before" "$state_before")
leak_state=$(printf '%s\n' "$leftovers" | grep -c "^$STATE_ROOT/" || true)
leak_cg=$(($(printf '%s' "$leftovers" | grep -c '') - leak_state))
leak_mounts=$(comm -13 <(printf '%s\n' "$state_mounts_before" | sort) <(state_mounts | sort) | grep -c . || true)
leak_host_mounts=$(comm -13 <(printf '%s\n' "$mounts_before" | sort) <(host_mounts_naming_stanza | sort) | grep -c . || true)
leak_procs=$(procs_with "$MARK" | grep -c . || true)

# ---------------------------------------------------------------- summary

mix=
for k in exit true echo limits oom timeout bomb int term hostkill refused; do
	[[ -n ${count[$k]:-} ]] && mix+=" $k=${count[$k]}${bad[$k]:+ (${bad[$k]} bad)}"
done
nbad=$(grep -c ' bad ' "$DATA")
first_hwm=$(max_of 4 1 "$WINDOW")
last_hwm=$(max_of 4 $((N - WINDOW + 1)) "$N")
first_fds=$(max_of 5 1 "$WINDOW")
last_fds=$(max_of 5 $((N - WINDOW + 1)) "$N")
first_ready=$(values_of 8 1 "$WINDOW")
last_ready=$(values_of 8 $((N - WINDOW + 1)) "$N")
first_ready_hwm=$(max_of 9 1 "$WINDOW")
last_ready_hwm=$(max_of 9 $((N - WINDOW + 1)) "$N")
ready_runs=$(awk '$9 != "-"' "$DATA" | grep -c '')
missed=$(awk '$2 ~ /^(int|term|hostkill|timeout|bomb)$/ && $9 == "-"' "$DATA" | grep -c '')
note "soak: $N runs in $((elapsed / 1000)).$(printf '%03d' $((elapsed % 1000))) s: $rate runs/s ($HOST_KIND)"
note "soak: mix:$mix"
note "soak: unexpected endings: $nbad"
note "soak: leaks: cgroups $leak_cg, mounts under $STATE_ROOT $leak_mounts, mounts naming stanza $leak_host_mounts," \
	"scratch (state) directories $leak_state, processes $leak_procs"
note "soak: stanza's open fds once its container runs ($ready_runs runs that wait): first $WINDOW runs {$first_ready}, last $WINDOW runs {$last_ready}"
note "soak: stanza's open fds (largest seen in a run, sampled every 10 ms): first $WINDOW runs $first_fds, last $WINDOW runs $last_fds"
note "soak: stanza's peak RSS (VmHWM) once its container runs ($ready_runs runs that wait): largest in the first $WINDOW runs $first_ready_hwm kB, in the last $WINDOW runs $last_ready_hwm kB"
note "soak: stanza's peak RSS (VmHWM, largest sample, every 10 ms, of any run): first $WINDOW runs $first_hwm kB, last $WINDOW runs $last_hwm kB"
for k in exit limits oom timeout int; do
	[[ -n ${count[$k]:-} ]] || continue
	note "soak:   $k: $(awk -v k="$k" '$2 == k { n++; t += $7; if ($4 > h) h = $4 } END { printf "%d runs, %.0f ms each on average, largest VmHWM sample %d kB", n, t / n, h }' "$DATA")"
done
if [[ -n ${SZIT_SOAK_REPORT:-} ]]; then
	{
		echo "kind=$HOST_KIND runs=$N seconds=$((elapsed / 1000)) rate=$rate unexpected=$nbad"
		echo "leaks: cgroups=$leak_cg mounts=$leak_mounts host_mounts=$leak_host_mounts state=$leak_state processes=$leak_procs"
		echo "fds: running first={$first_ready} last={$last_ready}; largest seen first=$first_fds last=$last_fds"
		echo "rss_kb: running first=$first_ready_hwm last=$last_ready_hwm; largest sample first=$first_hwm last=$last_hwm"
		echo "mix:$mix"
	} >"$SZIT_SOAK_REPORT" 2>/dev/null
fi

assert_eq "all $N runs ended as expected" 0 "$nbad"
head -n 20 "$BAD_LINES" 2>/dev/null | sed 's/^/#   /'
assert_eq "no stanza cgroup or state entry (scratch directory) is left" "" "$leftovers"
assert_eq "no mount under the state root $STATE_ROOT" "$state_mounts_before" "$(state_mounts)"
assert_eq "no mount naming stanza on the host" "$mounts_before" "$(host_mounts_naming_stanza)"
assert_eq "no process of the soak is left" "" "$(procs_with "$MARK")"
assert_eq "stanza holds as many descriptors while its container runs in the first and the last $WINDOW runs" \
	"$(max_of 8 1 "$WINDOW")" "$(max_of 8 $((N - WINDOW + 1)) "$N")"
assert_le "stanza never holds more than 16 descriptors (stdio, what it inherits, its own)" 16 "$(max_of 5 1 "$N")"
assert_eq "stanza's VmHWM was read once its container ran, in every run that waits" 0 "$missed"
tol=$((first_ready_hwm / 20 > 256 ? first_ready_hwm / 20 : 256))
assert_le "stanza's peak RSS is flat: the last $WINDOW runs' ($last_ready_hwm kB) exceeds the first $WINDOW runs' ($first_ready_hwm kB) by at most $tol kB" \
	"$tol" "$((last_ready_hwm - first_ready_hwm))"
tol=$((first_hwm / 20 > 256 ? first_hwm / 20 : 256))
assert_le "so is the largest sample of any run: $last_hwm kB in the last $WINDOW runs, $first_hwm kB in the first $WINDOW, at most $tol kB more" \
	"$tol" "$((last_hwm - first_hwm))"

# Rootless on v2: every stanza with a limit leaves its own leaf
# (stanza-self-<pid>), collected by the next such run: only one is left.
if ((ROOTLESS && HAVE_LIMITS)) && [[ $(cgroup_mode) == v2 ]]; then
	bg_start leaf --pids 50 -- true
	leaf_pid=$BG_PID
	bg_wait leaf 10
	assert_status 0 "a run with --pids after the soak"
	assert_eq "the soak's stanza-self leaves were collected: only the last run's is left" \
		"$(v2_delegated_base)/stanza-self-$leaf_pid" "$(self_leaves)"
fi
exec 7>&-
finish
