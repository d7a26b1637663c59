#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# make-image.sh - assemble stanza's default image, busybox, into <out>/rootfs
#
# Usage: make-image.sh --out DIR --cache DIR [--busybox FILE] [--add FILE:/PATH]...
#
#   --out DIR        the image directory; DIR/rootfs, DIR/oci (the same files as
#                    a one-layer OCI image layout, which stanza imports into its
#                    store as busybox:builtin) and DIR/VERSION are written
#   --cache DIR      where the busybox-static .deb is downloaded and unpacked
#                    (kept between builds, so a rebuild needs no network)
#   --busybox FILE   use this busybox binary (also: $STANZA_BUSYBOX); it must be
#                    statically linked
#   --add FILE:/PATH copy FILE into the image at /PATH (mode 0755); an ELF file
#                    must be static, like busybox
#
# Where busybox comes from, first found: --busybox, $STANZA_BUSYBOX, /bin/busybox
# when it is static, else Debian's busybox-static fetched with `apt-get download`
# and unpacked with `dpkg-deb -x`. The package is never installed: it conflicts
# with the busybox package.
#
# The image is assembled in a temporary directory next to DIR and renamed into
# place, so an interrupted build leaves the old image or none, never half of
# one. DIR/VERSION holds a hash of everything the image is made from; when it
# matches, nothing is rebuilt.
set -euo pipefail
umask 022

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
START=$EPOCHREALTIME

die() {
	printf 'make-image: %s\n' "$*" >&2
	exit 1
}
note() { printf 'make-image: %s\n' "$*" >&2; }

OUT="" CACHE="" BUSYBOX="${STANZA_BUSYBOX:-}" BUSYBOX_FROM="STANZA_BUSYBOX"
ADDS=()
while (($# > 0)); do
	case "$1" in
	--out) OUT=$2; shift 2 ;;
	--cache) CACHE=$2; shift 2 ;;
	--busybox)
		# An empty --busybox (an unset CMake variable) leaves the environment's choice.
		if [[ -n "$2" ]]; then BUSYBOX=$2 BUSYBOX_FROM="the CMake variable STANZA_BUSYBOX"; fi
		shift 2 ;;
	--add) ADDS+=("$2"); shift 2 ;;
	*) die "unknown argument '$1' (see the usage at the top of $SCRIPT)" ;;
	esac
done
[[ -n "$OUT" && -n "$CACHE" ]] || die "usage: make-image.sh --out DIR --cache DIR [--busybox FILE] [--add FILE:/PATH]..."
OUT=${OUT%/}

# True when the ELF file $1 has no program interpreter (PT_INTERP), i.e. runs
# without the host's dynamic loader and libraries.
is_static() {
	local hdr
	if command -v readelf >/dev/null 2>&1; then
		hdr=$(LC_ALL=C readelf -lW "$1" 2>/dev/null) || return 2
		grep -qE '^[[:space:]]*INTERP[[:space:]]' <<<"$hdr" && return 1
		return 0
	elif command -v file >/dev/null 2>&1; then
		hdr=$(LC_ALL=C file -bL "$1")
		[[ "$hdr" == ELF* ]] || return 2
		[[ "$hdr" == *"statically linked"* || "$hdr" == *"static-pie linked"* ]]
	else
		die "neither readelf (binutils) nor file is installed: cannot tell whether '$1' is static (run 'make deps')"
	fi
}

# Die unless $1 is a static ELF executable; $2 says where the file came from.
require_static() {
	local rc=0
	[[ -f "$1" && -x "$1" ]] || die "'$1' (from $2) is not an executable file"
	is_static "$1" || rc=$?
	case $rc in
	0) ;;
	2) die "'$1' (from $2) is not an ELF executable" ;;
	*) die "'$1' (from $2) is dynamically linked; the image needs a static busybox: point $2 at one (Debian: busybox-static) or unset it to have it downloaded" ;;
	esac
}

# Fetch busybox-static into the cache (once) and print the path of its busybox.
busybox_from_deb() {
	local debs=() deb tmp
	mkdir -p "$CACHE"
	shopt -s nullglob
	debs=("$CACHE"/busybox-static_*.deb)
	shopt -u nullglob
	if ((${#debs[@]} == 0)); then
		command -v apt-get >/dev/null 2>&1 ||
			die "no static busybox: /bin/busybox is missing or dynamic and apt-get is not available; set STANZA_BUSYBOX to a static busybox"
		note "downloading busybox-static into $CACHE"
		tmp=$(mktemp -d "$CACHE/download.XXXXXX")
		local -a opts=(-q)
		# As root apt drops to the _apt user, which may not be able to write here.
		[[ $(id -u) == 0 ]] && opts+=(-o APT::Sandbox::User=root)
		if ! (cd "$tmp" && apt-get "${opts[@]}" download busybox-static >&2); then
			rm -rf "$tmp"
			die "cannot download busybox-static (offline, or no package lists: try 'apt-get update'); or set STANZA_BUSYBOX to a static busybox"
		fi
		mv "$tmp"/busybox-static_*.deb "$CACHE"/
		rm -rf "$tmp"
		debs=("$CACHE"/busybox-static_*.deb)
	fi
	deb=${debs[-1]}
	if [[ ! -x "$CACHE/busybox" || "$deb" -nt "$CACHE/busybox" ]]; then
		command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing: cannot unpack '$deb'"
		tmp=$(mktemp -d "$CACHE/unpack.XXXXXX")
		dpkg-deb -x "$deb" "$tmp" || die "cannot unpack '$deb'"
		[[ -f "$tmp/bin/busybox" ]] || die "'$deb' has no bin/busybox"
		touch "$tmp/bin/busybox" # dpkg-deb keeps the packaged mtime; -nt above needs the unpack time
		mv -f "$tmp/bin/busybox" "$CACHE/busybox"
		rm -rf "$tmp"
	fi
	printf '%s\n' "$CACHE/busybox"
}

find_busybox() {
	if [[ -n "$BUSYBOX" ]]; then
		require_static "$BUSYBOX" "$BUSYBOX_FROM"
		printf '%s\n' "$BUSYBOX"
	elif [[ -x /bin/busybox ]] && is_static /bin/busybox; then
		printf '%s\n' /bin/busybox
	else
		BUSYBOX=$(busybox_from_deb)
		require_static "$BUSYBOX" "the busybox-static package"
		printf '%s\n' "$BUSYBOX"
	fi
}

# A hash of everything the image is made from: the binary, the extra files and
# this script (which holds /etc and the layout).
content_hash() {
	local add
	{
		sha256sum <"$BB"
		sha256sum <"$SCRIPT"
		for add in "${ADDS[@]}"; do
			printf '%s\n' "${add#*:}"
			sha256sum <"${add%%:*}"
		done
	} | sha256sum | cut -d' ' -f1
}

# Remove what an interrupted run left next to OUT (its process is gone).
clean_leftovers() {
	local d pid
	shopt -s nullglob
	for d in "$PARENT"/."$NAME".tmp.* "$PARENT"/."$NAME".old.*; do
		pid=${d##*.}
		[[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && continue
		rm -rf "$d"
	done
	shopt -u nullglob
}

write_etc() {
	local etc=$1 version=$2
	cat >"$etc/passwd" <<-'EOF'
	root:x:0:0:root:/root:/bin/sh
	app:x:1000:1000:app:/home/app:/bin/sh
	nobody:x:65534:65534:nobody:/nonexistent:/bin/false
	EOF
	cat >"$etc/group" <<-'EOF'
	root:x:0:
	tty:x:5:
	app:x:1000:
	nobody:x:65534:
	EOF
	cat >"$etc/hosts" <<-'EOF'
	127.0.0.1	localhost
	::1	localhost
	EOF
	echo stanza >"$etc/hostname"
	: >"$etc/resolv.conf"
	cat >"$etc/os-release" <<-EOF
	NAME="stanza busybox"
	ID=stanza-busybox
	VERSION_ID="$version"
	PRETTY_NAME="stanza's busybox image (BusyBox $version)"
	BUILD_ID=${HASH:0:12}
	EOF
}

# One relative symbolic link per applet, each resolving to /bin/busybox
# (usr/bin/head -> ../../bin/busybox), so the image is right wherever it is.
link_applets() {
	local root=$1 path dir n
	local -A target=([bin]=busybox)
	local -a pairs=()
	while IFS= read -r path; do
		# Skip busybox itself, linuxrc (no directory) and anything odd.
		[[ "$path" == bin/busybox || "$path" != */* || "$path" == /* || "$path" == *..* ]] && continue
		dir=${path%/*}
		if [[ -z "${target[$dir]:-}" ]]; then
			mkdir -p "$root/$dir"
			n=${dir//[^\/]/}/
			target[$dir]=${n//\//../}bin/busybox
		fi
		pairs+=("${target[$dir]}" "$root/$path")
	done < <("$BB" --list-full)
	APPLETS=$((${#pairs[@]} / 2))
	# A fork of ln per applet costs a second; perl (Essential on Debian) does all in one.
	if command -v perl >/dev/null 2>&1; then
		perl -e 'while (@ARGV) { my ($t, $l) = splice(@ARGV, 0, 2); symlink($t, $l) or die "make-image: cannot create $l: $!\n"; }' "${pairs[@]}"
	else
		for ((n = 0; n < ${#pairs[@]}; n += 2)); do
			ln -s "${pairs[n]}" "${pairs[n + 1]}"
		done
	fi
}

assemble() {
	local tmp=$1 root=$1/rootfs version d add
	version=$("$BB" --help 2>/dev/null | sed -n '1s/^BusyBox v\([^ ]*\).*/\1/p') || true
	[[ -n "$version" ]] || die "'$BB' does not run as busybox (no version banner)"

	mkdir -p "$root"
	for d in bin sbin usr/bin usr/sbin etc proc sys dev home/app var/tmp run mnt app; do
		mkdir -p "$root/$d"
	done
	mkdir -m 1777 "$root/tmp"
	chmod 1777 "$root/var/tmp"
	mkdir -m 0700 "$root/root"
	install -m 0755 "$BB" "$root/bin/busybox"
	link_applets "$root"
	for add in "${ADDS[@]}"; do
		install -D -m 0755 "${add%%:*}" "$root/${add#*:}"
	done
	write_etc "$root/etc" "$version"
	# Files in the image stay root's: a host user who happened to have uid 1000
	# must not be able to write into an image every learner's container shares.
	# Owners that differ inside a container are listed here, and given in the
	# layer's tar only (write_layout).
	printf '%s\n' "# path uid gid: applied by stanza in each container's overlay" \
		"home/app 1000 1000" >"$tmp/owners"
	printf '%s\n' "$HASH" >"$tmp/VERSION"
	VERSION_STR=$version
	write_layout "$tmp" "$version"
}

# The OCI architecture of this machine, as stanza's sz_host_architecture() names it.
oci_arch() {
	case $(uname -m) in
	x86_64) echo amd64 ;;
	aarch64) echo arm64 ;;
	armv7l | armv6l) echo arm ;;
	i?86) echo 386 ;;
	ppc64le) echo ppc64le ;;
	s390x) echo s390x ;;
	riscv64) echo riscv64 ;;
	*) uname -m ;;
	esac
}

# Move file $1 into the layout's blobs under its digest; print "sha256:<hex> <size>".
add_blob() {
	local hex size
	hex=$(sha256sum <"$1" | cut -d' ' -f1)
	size=$(stat -c %s "$1")
	mv "$1" "$LAYOUT/blobs/sha256/$hex"
	printf 'sha256:%s %s\n' "$hex" "$size"
}

# <tmp>/oci: rootfs as an OCI image layout of one uncompressed layer, the
# image stanza runs by default (it imports it into the learner's store on
# first use). Reproducible: sorted entries, numeric owners, every mtime
# SOURCE_DATE_EPOCH (default 0), no atime or ctime. Every file is 0:0 but the
# owners file's paths (empty directories), appended after the sorted rest with
# their owners.
write_layout() {
	local tmp=$1 version=$2 epoch=${SOURCE_DATE_EPOCH:-0} layer created path uid gid
	local cfg man diff cfg_size man_size layer_size
	local -a tar_opts=(--format=posix --numeric-owner --sort=name "--mtime=@$epoch"
		--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
	local -a exclude=() owned=() top=()
	LAYOUT=$tmp/oci
	mkdir -p "$LAYOUT/blobs/sha256"
	while read -r path uid gid; do
		[[ -z "$path" || "$path" == \#* ]] && continue
		exclude+=("--exclude=$path") owned+=("$path $uid $gid")
	done <"$tmp/owners"
	mapfile -t top < <(cd "$tmp/rootfs" && LC_ALL=C ls -A)
	layer=$LAYOUT/layer.tar
	LC_ALL=C tar -C "$tmp/rootfs" "${tar_opts[@]}" --owner=0 --group=0 --anchored "${exclude[@]}" \
		-cf "$layer" -- "${top[@]}" || die "cannot write the image's layer"
	for path in "${owned[@]}"; do
		read -r path uid gid <<<"$path"
		LC_ALL=C tar -C "$tmp/rootfs" "${tar_opts[@]}" --owner="$uid" --group="$gid" --no-recursion \
			-rf "$layer" -- "$path" || die "cannot add '$path' to the image's layer"
	done
	local blob
	blob=$(add_blob "$layer")
	read -r diff layer_size <<<"$blob"
	created=$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)
	printf '{"architecture":"%s","config":{"Cmd":["sh"],"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"created":"%s","history":[{"created":"%s","created_by":"stanza scripts/make-image.sh: BusyBox %s, %d applets"}],"os":"linux","rootfs":{"diff_ids":["%s"],"type":"layers"}}' \
		"$(oci_arch)" "$created" "$created" "$version" "$APPLETS" "$diff" >"$LAYOUT/config"
	blob=$(add_blob "$LAYOUT/config")
	read -r cfg cfg_size <<<"$blob"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":%s}]}' \
		"$cfg" "$cfg_size" "$diff" "$layer_size" >"$LAYOUT/manifest"
	blob=$(add_blob "$LAYOUT/manifest")
	read -r man man_size <<<"$blob"
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"busybox:builtin"}}]}' \
		"$man" "$man_size" >"$LAYOUT/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$LAYOUT/oci-layout"
}

BB=$(find_busybox)
for add in "${ADDS[@]}"; do
	[[ "$add" == *:/* && -f "${add%%:*}" ]] || die "--add '$add': expected FILE:/PATH with an existing FILE"
	if is_static "${add%%:*}"; [[ $? == 1 ]]; then
		die "'${add%%:*}' is dynamically linked; files added to the image must be static"
	fi
done
HASH=$(content_hash)

PARENT=$(dirname "$OUT") NAME=$(basename "$OUT")
mkdir -p "$PARENT"
if [[ -f "$OUT/VERSION" && -x "$OUT/rootfs/bin/busybox" && -f "$OUT/oci/index.json" && $(<"$OUT/VERSION") == "$HASH" ]]; then
	touch "$OUT/VERSION"
	exit 0
fi
clean_leftovers

TMP="$PARENT/.$NAME.tmp.$$"
OLD="$PARENT/.$NAME.old.$$"
# On interruption: drop the partial image and put the previous one back.
trap 'rm -rf "$TMP"; [[ -e "$OUT" || ! -e "$OLD" ]] || mv -T "$OLD" "$OUT"' EXIT
trap 'exit 130' INT TERM
mkdir "$TMP"
APPLETS=0 VERSION_STR=""
assemble "$TMP"

# Two renames: between them there is no image, never a partial one.
[[ -e "$OUT" ]] && mv -T "$OUT" "$OLD"
mv -T "$TMP" "$OUT"
rm -rf "$OLD"

elapsed=$(awk -v a="$START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
note "image '$NAME' built in ${elapsed}s: BusyBox $VERSION_STR from $BB, $APPLETS applets, version ${HASH:0:12}"
