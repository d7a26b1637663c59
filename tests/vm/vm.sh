#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# vm.sh - the vm tier: run the integration suite inside a QEMU guest on a pure cgroup v2 kernel, as root and rootless
#
# Usage: vm.sh --stanza BIN --build-dir DIR --source-dir DIR --work DIR
#
#   --stanza BIN      the stanza binary under test (ctest: $<TARGET_FILE:stanza>)
#   --build-dir DIR   the build tree holding images/busybox (and locale/)
#   --source-dir DIR  the source tree holding tests/integration
#   --work DIR        where the kernel cache, initramfs, disk images and the
#                     guest's console log go (ctest: <build>/vm)
#
# What it does (tests/vm/README.md has the details):
#   1. the kernel: Debian's linux-image-amd64 resolved to its real package
#      (linux-image-<abi>-amd64), fetched with `apt-get download` into
#      WORK/cache and unpacked with `dpkg-deb -x`, never installed; both are
#      kept, so later runs need no network;
#   2. an initramfs (busybox and the modules for virtio disks, ext4 and overlay)
#      whose /init mounts the root disk and switch_roots to it;
#   3. the root disk, ext4 made with `mke2fs -d`: busybox, bash and the host
#      tools the integration suite uses with their libraries, stanza and its
#      libraries, the image and the tests at their host paths; a second disk
#      for swap;
#   4. qemu-system-x86_64 with software emulation (-accel tcg: KVM is never
#      used), the guest's console on a serial port written to WORK/console.log;
#   5. the guest prints one "STANZA-VM-TEST: ..." line per test and a final
#      "STANZA-VM-RESULT: pass N fail M skip K" line, then powers off.
#
# This test never skips: without qemu, the kernel or any other piece it fails
# and says which. Exit 0 only when the guest reported a result with no failure.
#
# Environment:
#   STANZA_VM_TIMEOUT     seconds the guest may run before it is killed (1500)
#   STANZA_VM_SMP         virtual CPUs (2)
#   STANZA_VM_MEM         guest memory in MiB (2048)
#   STANZA_VM_KERNEL_DEB  a linux-image-*-amd64 .deb to use instead of downloading one
#   STANZA_VM_TESTS       ERE: run only the integration tests whose name matches
#                         (for debugging; the result then says "partial" and fails)
#   STANZA_VM_PASSES      which passes to run: "root rootless" (default), "root", "rootless"
#   STANZA_VM_GUEST_CMD   instead of the passes, run this bash command as root in the
#                         guest (for debugging the runtime on pure v2); its status is
#                         the verdict, and the result says "partial", so ctest fails
#   STANZA_VM_APPEND      more kernel command-line parameters
#   STANZA_VM_CPU         qemu's -cpu (max,la57=off)
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T_START=$EPOCHREALTIME
QEMU_PID=

say() { printf 'vm: %s\n' "$*"; }
die() {
	printf 'vm: FAIL: %s\n' "$*"
	exit 1
}
# set -e ends the script on an unchecked failure: say where.
trap 'printf "vm: FAIL: line %s: %s exited with status %s\n" "$LINENO" "$BASH_COMMAND" "$?"' ERR
# Seconds since START (an $EPOCHREALTIME), with one decimal.
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

STANZA="" BUILD="" SOURCE="" WORK=""
while (($# > 0)); do
	case $1 in
	--stanza) STANZA=$2; shift 2 ;;
	--build-dir) BUILD=$2; shift 2 ;;
	--source-dir) SOURCE=$2; shift 2 ;;
	--work) WORK=$2; shift 2 ;;
	*) die "unknown argument '$1' (usage at the top of $0)" ;;
	esac
done
[[ -n $STANZA && -n $BUILD && -n $SOURCE && -n $WORK ]] ||
	die "usage: vm.sh --stanza BIN --build-dir DIR --source-dir DIR --work DIR"
STANZA=$(readlink -f "$STANZA")
BUILD=$(readlink -f "$BUILD")
SOURCE=$(readlink -f "$SOURCE")
mkdir -p "$WORK"
WORK=$(readlink -f "$WORK")
TIMEOUT=${STANZA_VM_TIMEOUT:-1500}
SMP=${STANZA_VM_SMP:-2}
MEM=${STANZA_VM_MEM:-2048}
PASSES=${STANZA_VM_PASSES:-root rootless}
CONSOLE=$WORK/console.log

[[ -x $STANZA ]] || die "no stanza binary at $STANZA (build first)"
IMAGE_DIR=$BUILD/images/busybox
BUSYBOX=$IMAGE_DIR/rootfs/bin/busybox
[[ -x $BUSYBOX ]] || die "no busybox image at $IMAGE_DIR (build the 'image' target first)"
[[ -d $SOURCE/tests/integration ]] || die "no integration tests in $SOURCE/tests/integration"

# ---------------------------------------------------------------- host tools

PATH=$PATH:/usr/sbin:/sbin
need_tool() { # COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 ||
		die "'$1' is not installed: the vm tier needs the Debian package $2 (scripts/deps.sh installs it when run as root: 'make deps')"
}
need_tool qemu-system-x86_64 qemu-system-x86
need_tool mke2fs e2fsprogs
need_tool cpio cpio
need_tool dpkg-deb dpkg
need_tool ldd libc-bin
need_tool setpriv util-linux
need_tool ldconfig libc-bin
[[ -e /usr/share/qemu/bios-256k.bin || -e /usr/share/seabios/bios-256k.bin ]] ||
	die "qemu has no BIOS (bios-256k.bin): install the Debian package seabios"

# ---------------------------------------------------------------- kernel

CACHE=$WORK/cache
mkdir -p "$CACHE/debs"

# The package linux-image-amd64 depends on, e.g. linux-image-6.1.0-56-amd64.
resolve_kernel_package() {
	{ apt-cache depends linux-image-amd64 2>/dev/null || true; } |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9].*-amd64$/ { print $2; exit }'
}

# Newest cached .deb of a kernel image, if any.
newest_cached_deb() {
	find "$CACHE/debs" -maxdepth 1 -name 'linux-image-*-amd64_*.deb' -printf '%T@ %p\n' 2>/dev/null |
		sort -rn | head -n1 | cut -d' ' -f2-
}

t=$EPOCHREALTIME
if [[ -n ${STANZA_VM_KERNEL_DEB:-} ]]; then
	DEB=$(readlink -f "$STANZA_VM_KERNEL_DEB")
	[[ -f $DEB ]] || die "STANZA_VM_KERNEL_DEB=$STANZA_VM_KERNEL_DEB: no such file"
	say "kernel package: $DEB (STANZA_VM_KERNEL_DEB)"
else
	command -v apt-get >/dev/null 2>&1 || die "no apt-get: cannot fetch Debian's linux-image-amd64 (set STANZA_VM_KERNEL_DEB to a linux-image-*-amd64 .deb)"
	PKG=$(resolve_kernel_package)
	if [[ -z $PKG && $(id -u) == 0 ]]; then
		say "apt cannot resolve linux-image-amd64: apt-get update"
		apt-get update -qq >"$WORK/apt-update.log" 2>&1 || say "apt-get update failed (see $WORK/apt-update.log)"
		PKG=$(resolve_kernel_package)
	fi
	DEB=""
	if [[ -n $PKG ]]; then
		DEB=$(find "$CACHE/debs" -maxdepth 1 -name "${PKG}_*.deb" | sort | tail -n1)
		if [[ -z $DEB ]]; then
			say "downloading $PKG (linux-image-amd64 depends on it) with apt-get download"
			sandbox=()
			[[ $(id -u) == 0 ]] && sandbox=(-o APT::Sandbox::User=root)
			if (cd "$CACHE/debs" && apt-get download -q "${sandbox[@]}" "$PKG") >"$WORK/apt-download.log" 2>&1; then
				DEB=$(find "$CACHE/debs" -maxdepth 1 -name "${PKG}_*.deb" | sort | tail -n1)
			else
				say "apt-get download $PKG failed:"
				sed 's/^/    /' "$WORK/apt-download.log"
			fi
		fi
	fi
	if [[ -z $DEB ]]; then
		DEB=$(newest_cached_deb)
		[[ -n $DEB ]] || die "cannot get a kernel: apt-cache does not resolve linux-image-amd64${PKG:+, and downloading $PKG failed} and nothing is cached in $CACHE/debs (run 'apt-get update' as root, or set STANZA_VM_KERNEL_DEB to a linux-image-*-amd64 .deb)"
		say "using the cached $(basename "$DEB")${PKG:+ instead of $PKG}"
	fi
	say "kernel package: $(basename "$DEB")"
fi

KDIR=$CACHE/kernel/$(basename "$DEB" .deb)
if [[ ! -e $KDIR/.unpacked ]]; then
	rm -rf "$KDIR" "$KDIR.tmp"
	mkdir -p "$KDIR.tmp"
	dpkg-deb -x "$DEB" "$KDIR.tmp" || die "dpkg-deb -x $DEB failed"
	touch "$KDIR.tmp/.unpacked"
	mv "$KDIR.tmp" "$KDIR"
fi
VMLINUZ=$(find "$KDIR/boot" -maxdepth 1 -name 'vmlinuz-*' | head -n1)
[[ -n $VMLINUZ ]] || die "no boot/vmlinuz-* in $DEB"
KVER=${VMLINUZ##*/vmlinuz-}
MODDIR=$KDIR/lib/modules/$KVER
[[ -d $MODDIR/kernel ]] || die "no lib/modules/$KVER/kernel in $DEB"
say "kernel $KVER ready in $(since "$t") s ($KDIR)"

# ---------------------------------------------------------------- initramfs

# Modules the guest loads, with what they depend on (from each module's
# .modinfo "depends=" line, so no depmod is needed), dependencies first.
# crc32c is a soft dependency of ext4 and jbd2 (the kernel asks for it by
# name when mounting): listed before them.
WANT_MODULES=(virtio_pci virtio_blk crc32c_generic ext4 overlay dummy)
declare -A MODPATH=() MODDONE=()
while IFS= read -r f; do
	n=${f##*/}
	n=${n%%.ko*}
	MODPATH[${n//-/_}]=$f
done < <(find "$MODDIR/kernel" -name '*.ko*')
MODORDER=()
add_module() { # NAME
	local n=${1//-/_} f deps d
	[[ -n ${MODDONE[$n]:-} ]] && return 0
	MODDONE[$n]=1
	f=${MODPATH[$n]:-}
	if [[ -z $f ]]; then
		# Built into this kernel: nothing to load.
		grep -q "/${n}.ko" "$MODDIR/modules.builtin" 2>/dev/null && return 0
		grep -q "/${1}.ko" "$MODDIR/modules.builtin" 2>/dev/null && return 0
		die "kernel $KVER has no module $1 (neither a .ko nor built in)"
	fi
	case $f in
	# (One "depends=" in the .modinfo section; sed reads to the end, so that
	# no writer in these pipes dies of SIGPIPE under pipefail.)
	*.ko) deps=$(tr '\0' '\n' <"$f" | sed -n 's/^depends=//p') ;;
	*.ko.xz) deps=$(xz -dc "$f" | tr '\0' '\n' | sed -n 's/^depends=//p') ;;
	*.ko.zst) deps=$(zstd -dc "$f" | tr '\0' '\n' | sed -n 's/^depends=//p') ;;
	*.ko.gz) deps=$(gzip -dc "$f" | tr '\0' '\n' | sed -n 's/^depends=//p') ;;
	*) die "unknown module format: $f" ;;
	esac
	for d in ${deps//,/ }; do add_module "$d"; done
	MODORDER+=("$f")
}
for m in "${WANT_MODULES[@]}"; do add_module "$m"; done

t=$EPOCHREALTIME
INITRD=$WORK/initramfs.cpio.gz
IRD=$WORK/initramfs
rm -rf "$IRD"
mkdir -p "$IRD"/{bin,dev,proc,sys,newroot,modules}
cp "$BUSYBOX" "$IRD/bin/busybox"
ln -s busybox "$IRD/bin/sh"
cp "$HERE/guest/initramfs-init" "$IRD/init"
chmod 755 "$IRD/init"
: >"$IRD/modules/order"
for f in "${MODORDER[@]}"; do
	b=${f##*/}
	case $b in
	*.ko) cp "$f" "$IRD/modules/$b" ;;
	*.ko.xz) xz -dc "$f" >"$IRD/modules/${b%.xz}"; b=${b%.xz} ;;
	*.ko.zst) zstd -qdc "$f" >"$IRD/modules/${b%.zst}"; b=${b%.zst} ;;
	*.ko.gz) gzip -dc "$f" >"$IRD/modules/${b%.gz}"; b=${b%.gz} ;;
	esac
	echo "$b" >>"$IRD/modules/order"
done
(cd "$IRD" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$INITRD.tmp"
mv "$INITRD.tmp" "$INITRD"
say "initramfs ($(sed 's/\.ko$//' "$IRD/modules/order" | paste -sd' ')) made in $(since "$t") s"

# ---------------------------------------------------------------- root disk

t=$EPOCHREALTIME
ROOT=$WORK/root
rm -rf "$ROOT"
mkdir -p "$ROOT"
# Mirror the host's /usr merge, so library paths from ldd are valid in the guest.
for d in bin sbin lib lib64; do
	if [[ -L /$d ]]; then
		ln -s "$(readlink "/$d")" "$ROOT/$d"
	fi
done
mkdir -p "$ROOT"/{usr/bin,usr/sbin,usr/lib,usr/lib64,bin,sbin,lib,lib64,etc,proc,sys,dev,run,tmp,root,home,var/tmp,opt/busybox/bin,vm}
chmod 1777 "$ROOT/tmp" "$ROOT/var/tmp"
chmod 700 "$ROOT/root"

# Host commands the integration suite (lib.sh, leaks.sh, the tests) and the
# guest scripts run, taken from the host so that they behave exactly as there
# (GNU options such as find -printf, env --default-signal, stat -c, grep -z).
# Busybox applets fill in for anything else (/opt/busybox/bin is last in PATH).
# (Few processes: forks are slow on some CI machines.)
REQUIRED_TOOLS=(bash env cat grep sed awk find xargs sort comm cut tr head tail wc md5sum stat mkdir rm cp
	mv ln chmod chown mktemp mkfifo ls id readlink dirname basename touch seq sleep date timeout pgrep ps
	setpriv uniq tee rmdir)
OPTIONAL_TOOLS=(dash whoami hostname pkill cmp diff nproc realpath truncate dd od printf test true false
	kill install du df getent unshare nsenter findmnt expr yes sha256sum tac nl paste jq tar gzip zstd)
find_in_path() { # COMMAND: sets P to its first executable in PATH, without forking
	local d
	P=
	IFS=: read -ra dirs <<<"$PATH"
	for d in "${dirs[@]}"; do
		[[ -n $d && -f $d/$1 && -x $d/$1 ]] && { P=$d/$1; return 0; }
	done
	return 1
}
PROGRAMS=()
for c in "${REQUIRED_TOOLS[@]}" "${OPTIONAL_TOOLS[@]}"; do
	if find_in_path "$c"; then
		PROGRAMS+=("$P")
	elif [[ " ${REQUIRED_TOOLS[*]} " == *" $c "* ]]; then
		die "the host has no '$c' (the integration suite needs it)"
	fi
done
PROGRAMS+=("$STANZA")
# stanza loads libarchive with dlopen (image import), which ldd cannot see.
# (awk reads to the end: an early exit would leave ldconfig writing to a closed
# pipe, a SIGPIPE that pipefail makes this script's failure.)
LIBARCHIVE=$(ldconfig -p 2>/dev/null | awk '$1 == "libarchive.so.13" && /x86-64/ && !found { print $NF; found = 1 }')
[[ -n $LIBARCHIVE ]] && PROGRAMS+=("$LIBARCHIVE")
# Each at its host path; a link such as /usr/bin/awk -> /etc/alternatives/awk
# -> /usr/bin/mawk becomes a copy of the program under the name the suite calls.
cp -L --parents "${PROGRAMS[@]}" "$ROOT/" || die "cannot copy the host's programs into $ROOT"
# Their shared libraries: ldd prints "name => /path (addr)" and
# "/lib64/ld-linux-x86-64.so.2 (addr)"; static programs say so and are skipped.
mapfile -t LIBS < <(ldd "${PROGRAMS[@]}" 2>/dev/null |
	sed -n 's/.*=> \(\/[^ ]*\) (.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p')
# One path per file: /lib/x86_64-linux-gnu/libc.so.6 is /usr/lib/... when /lib is usr/lib.
for i in "${!LIBS[@]}"; do
	l=${LIBS[i]#/}
	top=${l%%/*}
	[[ -L /$top && $(readlink "/$top") == "usr/$top" ]] && LIBS[i]=/usr/$l
done
mapfile -t LIBS < <(printf '%s\n' "${LIBS[@]}" | sort -u)
((${#LIBS[@]} > 0)) || die "ldd found no shared libraries for bash and stanza"
cp -L --parents "${LIBS[@]}" "$ROOT/" || die "cannot copy shared libraries into $ROOT"
# The dynamic loader's cache: without it every program start probes a dozen
# directories per library, each probe a system call, slow under emulation.
mkdir -p "$ROOT/etc/ld.so.conf.d"
cp /etc/ld.so.conf "$ROOT/etc/" 2>/dev/null || echo 'include /etc/ld.so.conf.d/*.conf' >"$ROOT/etc/ld.so.conf"
cp /etc/ld.so.conf.d/*.conf "$ROOT/etc/ld.so.conf.d/" 2>/dev/null
ldconfig -r "$ROOT" 2>"$WORK/ldconfig.log" || say "note: ldconfig -r failed ($(head -n1 "$WORK/ldconfig.log")): programs start slower"
if [[ -e $ROOT/usr/bin/dash ]]; then ln -sf dash "$ROOT/usr/bin/sh"; else ln -sf bash "$ROOT/usr/bin/sh"; fi
[[ -e /usr/lib/locale/C.utf8 ]] && mkdir -p "$ROOT/usr/lib/locale" && cp -a /usr/lib/locale/C.utf8 "$ROOT/usr/lib/locale/"

# Busybox: the guest's init, mount, insmod, mkswap, swapon, poweroff, ip. Its
# applet links are made in the guest (main.sh), one process instead of 300.
cp "$BUSYBOX" "$ROOT/opt/busybox/bin/busybox"
ln -s ../../opt/busybox/bin/busybox "$ROOT/usr/sbin/init"

# stanza, its image, its translations and the tests, at their host paths: a
# binary in its build directory finds its data there (src/common/datadir.c).
[[ $(dirname "$STANZA") == "$BUILD" ]] || say "note: $STANZA is not in $BUILD: it will look for its image elsewhere"
mkdir -p "$ROOT$BUILD/images"
if [[ $(id -u) == 0 ]]; then
	cp -a "$IMAGE_DIR" "$ROOT$BUILD/images/"
else
	# An ordinary user cannot read root's private directories of the image
	# (its /root, 0700, empty): they are made empty, with their modes.
	cp -a "$IMAGE_DIR" "$ROOT$BUILD/images/" 2>"$WORK/cp.log" ||
		! grep -v ': Permission denied$' "$WORK/cp.log" ||
		die "cannot copy the image $IMAGE_DIR"
	while read -r mode dir; do
		mkdir -p "$ROOT$BUILD/images/busybox/$dir"
		chmod "$mode" "$ROOT$BUILD/images/busybox/$dir"
	done < <(find "$IMAGE_DIR" -mindepth 1 -type d ! -readable -printf '%m %P\n' 2>/dev/null)
fi
[[ -d $BUILD/locale ]] && cp -a "$BUILD/locale" "$ROOT$BUILD/locale"
mkdir -p "$ROOT$SOURCE/tests" "$ROOT$SOURCE/i18n"
cp -a "$SOURCE/tests/integration" "$ROOT$SOURCE/tests/integration"
cp -a "$SOURCE/tests/fixtures" "$ROOT$SOURCE/tests/fixtures" # test_32_images's broken layers
cp -a "$SOURCE/lessons" "$SOURCE/labs" "$ROOT$SOURCE/"
[[ -d $SOURCE/tests/rootless ]] && cp -a "$SOURCE/tests/rootless" "$ROOT$SOURCE/tests/rootless"
[[ -f $SOURCE/i18n/LINGUAS ]] && cp "$SOURCE/i18n/LINGUAS" "$ROOT$SOURCE/i18n/"
# The vocabulary lessons check enforces: the rootless tier stages it with the course.
[[ -f $SOURCE/i18n/terms.yaml ]] && cp "$SOURCE/i18n/terms.yaml" "$ROOT$SOURCE/i18n/"

# The guest's own scripts and settings.
cp "$HERE/guest/main.sh" "$HERE/guest/suite.sh" "$ROOT/vm/"
chmod 755 "$ROOT/vm/main.sh" "$ROOT/vm/suite.sh"
cat >"$ROOT/vm/config" <<EOF
# written by tests/vm/vm.sh
STANZA=$(printf '%q' "$STANZA")
STANZA_BUILD_DIR=$(printf '%q' "$BUILD")
STANZA_SOURCE_DIR=$(printf '%q' "$SOURCE")
VM_TESTS=$(printf '%q' "${STANZA_VM_TESTS:-}")
VM_PASSES=$(printf '%q' "$PASSES")
VM_CMD=$(printf '%q' "${STANZA_VM_GUEST_CMD:-}")
VM_CHOWN_ROOT=$([[ $(id -u) == 0 ]] && echo 0 || echo 1)
EOF
cat >"$ROOT/etc/inittab" <<'EOF'
# busybox init: PID 1 reaps orphans while /vm/main.sh runs, then powers off
::sysinit:/vm/main.sh
::once:/opt/busybox/bin/poweroff -f
EOF
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/bash
stanza-learner:x:1000:1000:stanza test user:/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$ROOT/etc/group" <<'EOF'
root:x:0:
stanza-learner:x:1000:
nogroup:x:65534:
EOF
printf 'passwd: files\ngroup: files\nshadow: files\nhosts: files\n' >"$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n127.0.1.1 stanza-vm\n' >"$ROOT/etc/hosts"
echo stanza-vm >"$ROOT/etc/hostname"
ln -s /proc/self/mounts "$ROOT/etc/mtab"

DISK=$WORK/disk.img
SWAP=$WORK/swap.img
rm -f "$DISK" "$SWAP"
truncate -s 3G "$DISK"
mke2fs -q -F -t ext4 -L stanza-vm -d "$ROOT" "$DISK" >"$WORK/mke2fs.log" 2>&1 ||
	die "mke2fs -d failed: $(cat "$WORK/mke2fs.log")"
truncate -s 512M "$SWAP"
say "root disk ($(du -sh "$ROOT" | cut -f1) of files, ext4) and swap disk made in $(since "$t") s"

# ---------------------------------------------------------------- boot

# Stop qemu (ours, by its PID): TERM, then KILL if it is still there.
cleanup() {
	local i
	if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		for i in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$QEMU_PID" 2>/dev/null || return 0
			sleep 0.5
		done
		kill -KILL "$QEMU_PID" 2>/dev/null || true
	fi
	return 0
}
trap cleanup EXIT
trap 'say "interrupted"; exit 1' INT TERM

# Kernel command line: pure cgroup v2 (no v1 hierarchy can even be mounted),
# the console on the first serial port, only critical kernel messages there
# (OOM reports would flood it), a panic ends qemu (-no-reboot), and no
# speculative-execution mitigations (they cost a lot under emulation). The
# emulated CPUs' TSCs look unsynchronized to the kernel, which would fall back
# to the HPET, whose every read is an emulated device access: tsc=reliable.
# norandmaps (no address space randomization): qemu finds the code it has
# already translated by virtual address too, so with randomized load addresses
# every program start translated ld.so and libc afresh; without, a dynamically
# linked program starts 3 to 4 times faster, and the suite runs about twice as
# fast. (-cpu max without la57: 5-level page tables only slow emulation down.)
APPEND="console=ttyS0,115200 loglevel=3 panic=1 rdinit=/init"
APPEND+=" systemd.unified_cgroup_hierarchy=1 cgroup_no_v1=all mitigations=off tsc=reliable norandmaps"
APPEND+=" ${STANZA_VM_APPEND:-}"

t=$EPOCHREALTIME
: >"$CONSOLE"
say "booting: qemu-system-x86_64 -accel tcg, $SMP CPUs, $MEM MiB, timeout ${TIMEOUT}s; console: $CONSOLE"
# --pdeathsig: should ctest kill this script, qemu goes with it.
setpriv --pdeathsig KILL -- qemu-system-x86_64 \
	-accel tcg,thread=multi -M pc -cpu "${STANZA_VM_CPU:-max,la57=off}" -smp "$SMP" -m "$MEM" \
	-nodefaults -display none -no-reboot -monitor none \
	-serial "file:$CONSOLE" \
	-kernel "$VMLINUZ" -initrd "$INITRD" -append "$APPEND" \
	-drive "file=$DISK,if=virtio,format=raw,cache=unsafe" \
	-drive "file=$SWAP,if=virtio,format=raw,cache=unsafe" \
	</dev/null >"$WORK/qemu.log" 2>&1 &
QEMU_PID=$!

timed_out=0
deadline=$((SECONDS + TIMEOUT))
while kill -0 "$QEMU_PID" 2>/dev/null; do
	if ((SECONDS >= deadline)); then
		timed_out=1
		say "the guest ran for more than ${TIMEOUT}s: killing qemu (pid $QEMU_PID)"
		cleanup
		break
	fi
	sleep 1
done
wait "$QEMU_PID" 2>/dev/null && qrc=0 || qrc=$?
QEMU_PID=
GUEST_SECS=$(since "$t")

# ---------------------------------------------------------------- verdict

LOG=$(tr -d '\r' <"$CONSOLE")
tests=$(grep -a '^STANZA-VM-TEST: ' <<<"$LOG" || true)
result=$(grep -a '^STANZA-VM-RESULT: ' <<<"$LOG" | tail -n1 || true)
errors=$(grep -a '^STANZA-VM-ERROR: ' <<<"$LOG" || true)

echo
say "guest ran for $GUEST_SECS s (qemu exit status $qrc); per test:"
[[ -n $tests ]] && printf '%s\n' "$tests" | sed 's/^STANZA-VM-TEST: /    /'
[[ -n $errors ]] && printf '%s\n' "$errors" | sed 's/^/    /'
grep -a '^STANZA-VM-INFO: ' <<<"$LOG" | sed 's/^STANZA-VM-INFO: /    guest: /' || true
say "total $(since "$T_START") s"

show_log() {
	echo
	say "last 150 lines of the guest's console (all of it: $CONSOLE):"
	tail -n 150 <<<"$LOG" | sed 's/^/    | /'
	if [[ -s $WORK/qemu.log ]]; then
		say "qemu said:"
		sed 's/^/    | /' "$WORK/qemu.log"
	fi
}

if ((timed_out)); then
	show_log
	die "the guest did not finish within ${TIMEOUT}s (STANZA_VM_TIMEOUT)"
fi
if [[ -z $result ]]; then
	show_log
	die "the guest ended without a result line (qemu exit status $qrc)"
fi
say "${result#STANZA-VM-}"
if [[ $result =~ fail\ ([0-9]+) ]] && ((BASH_REMATCH[1] == 0)); then
	[[ $result == *partial* ]] &&
		die "a partial run (STANZA_VM_TESTS or STANZA_VM_GUEST_CMD) is not a verdict, although nothing in it failed"
	say "PASS"
	exit 0
fi
show_log
die "${result#STANZA-VM-RESULT: } (full console log: $CONSOLE)"
