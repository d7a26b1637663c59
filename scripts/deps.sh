#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# deps.sh - make sure the packages the build and the tests need are installed
#
# Runs on every `make`, so the path where everything is present is one
# dpkg-query call. On Debian and derivatives, as root, missing packages are
# installed with apt-get; otherwise the exact command to run is printed.
# Elsewhere the needed packages are named and the build goes on when
# pkg-config finds the libraries.
#
# Environment: STANZA_SKIP_DEPS=1 skips every check (for packagers and for
# hosts set up by other means).
set -euo pipefail

# Needed to build stanza: missing any of these stops the build.
BUILD_PKGS=(
	gcc libc6-dev make cmake pkg-config
	libcap-dev libseccomp-dev libyaml-dev libjansson-dev libncurses-dev libreadline-dev
	nettle-dev libarchive-dev libarchive13 # image store: sha256; tars, loaded with dlopen
	libcmocka-dev # configure needs it while the tests are on (STANZA_TESTS)
	gettext # msgfmt for the translations, xgettext for `pot`
	binutils # readelf, to tell a static busybox from a dynamic one
	file
)
# Needed by some test tiers and the benchmark only: without them those tests
# skip with a reason, so a learner without root can still build and run.
TEST_PKGS=(
	tmux clang-format git
	procps # pgrep and ps for the integration suite's leak checks
	hyperfine runc bubblewrap # bench/startup.sh
	jq # bench/startup.sh; test_31_json in the vm guest, which has no python3
	musl-tools # a 34 KB stanza-init instead of glibc's 690 KB: ~1 ms less per container start
	qemu-system-x86 e2fsprogs cpio # tests/vm: a pure cgroup v2 guest (qemu, mke2fs -d, its initramfs)
	clang libclang-rt-dev # make fuzz: libFuzzer, only recommended by clang (Debian 12: libclang-rt-14-dev)
	skopeo umoci podman buildah zstd # test_33: the image formats stanza writes and reads, with their tools
	containerd # test_43: containerd-shim-runc-v2 drives stanza (ctr run --runc-binary)
)
# The image is unpacked from busybox-static with `apt-get download`, never
# installed: it conflicts with the busybox package many hosts need.
NEVER_PKGS=(busybox busybox-static)

# pkg-config names of the libraries, for hosts without dpkg.
PC_MODULES=(libcap libseccomp yaml-0.1 jansson ncursesw readline nettle libarchive cmocka)
# Tools whose absence only costs a feature (translations) or a test tier.
OPTIONAL_TOOLS=(msgfmt xgettext tmux clang-format git hyperfine runc bwrap jq)

say() { printf 'deps: %s\n' "$*" >&2; }

[[ "${STANZA_SKIP_DEPS:-}" == 1 ]] && exit 0

# Print the packages of "$@" that dpkg does not report as installed: one
# dpkg-query for all of them, parsed in bash (no fork per package).
missing_debs() {
	local -A ok=()
	local name status
	# dpkg-query exits 1 when a package is unknown to dpkg; the others are still listed.
	while read -r name status; do
		[[ "$status" == ii ]] && ok[${name%%:*}]=1
	done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null || true)
	for name in "$@"; do
		[[ -n "${ok[$name]:-}" ]] || printf '%s\n' "$name"
	done
}

# apt-get update only when the package lists are empty or do not know a package.
lists_need_update() {
	compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null || return 0
	local policy
	policy=$(apt-cache policy "$@" 2>/dev/null) || return 0
	# One "Candidate:" line per known package; "(none)" when no list has it.
	[[ $(grep -c 'Candidate: [^(]' <<<"$policy") != "$#" ]]
}

# apt_install BUILD-PACKAGES... -- TEST-PACKAGES...: the build packages must
# install; test packages this distribution lacks only cost a warning.
apt_install() {
	local pkg never
	local -a build=() test=()
	while (($# > 0)) && [[ "$1" != -- ]]; do build+=("$1"); shift; done
	(($# > 0)) && shift
	test=("$@")
	set -- "${build[@]}" "${test[@]}"
	for pkg in "$@"; do
		for never in "${NEVER_PKGS[@]}"; do
			if [[ "$pkg" == "$never" ]]; then
				say "refusing to install $pkg (it conflicts with busybox; the image unpacks it instead)"
				return 1
			fi
		done
	done
	export DEBIAN_FRONTEND=noninteractive
	if lists_need_update "$@"; then
		say "apt-get update"
		apt-get update -qq
	fi
	say "installing: $*"
	apt-get install -y -qq --no-install-recommends "$@" && return 0
	# Stale lists give 404s: refresh once and retry.
	say "install failed; refreshing the package lists and retrying"
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$@" && return 0
	if ((${#build[@]} > 0)); then
		apt-get install -y -qq --no-install-recommends "${build[@]}" || return 1
	fi
	for pkg in "${test[@]}"; do
		apt-get install -y -qq --no-install-recommends "$pkg" ||
			say "warning: cannot install $pkg; the tests that need it will skip"
	done
}

debian() {
	local -a build=() test=() all
	local pkg
	mapfile -t all < <(missing_debs "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}")
	((${#all[@]} == 0)) && return 0
	for pkg in "${all[@]}"; do
		if [[ " ${BUILD_PKGS[*]} " == *" $pkg "* ]]; then build+=("$pkg"); else test+=("$pkg"); fi
	done

	if [[ $(id -u) == 0 ]]; then
		apt_install "${build[@]}" -- "${test[@]}"
		return
	fi
	local cmd="sudo apt-get install -y --no-install-recommends ${all[*]}"
	if ((${#build[@]} > 0)); then
		say "missing packages needed to build stanza; as root, run:"
		printf '  %s\n' "$cmd" >&2
		say "stopping: cannot build without ${build[*]}"
		return 1
	fi
	say "some test tiers will skip without ${test[*]}; to run them all:"
	printf '  %s\n' "$cmd" >&2
	return 0
}

other() {
	local -a miss=() opt=()
	local t m
	for t in make cmake pkg-config; do
		command -v "$t" >/dev/null 2>&1 || miss+=("$t")
	done
	command -v cc >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || miss+=("a C compiler")
	command -v readelf >/dev/null 2>&1 || command -v file >/dev/null 2>&1 || miss+=("readelf or file")
	if command -v pkg-config >/dev/null 2>&1; then
		for m in "${PC_MODULES[@]}"; do
			pkg-config --exists "$m" || miss+=("$m (pkg-config)")
		done
	fi
	for t in "${OPTIONAL_TOOLS[@]}"; do
		command -v "$t" >/dev/null 2>&1 || opt+=("$t")
	done
	((${#miss[@]} + ${#opt[@]} == 0)) && return 0
	say "not a Debian system; stanza needs the equivalents of these Debian packages:"
	say "  ${BUILD_PKGS[*]} ${TEST_PKGS[*]}"
	((${#opt[@]} == 0)) || say "not found, some features or tests will be missing: ${opt[*]}"
	((${#miss[@]} == 0)) && return 0
	say "stopping: cannot build without ${miss[*]}"
	return 1
}

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
	debian
else
	other
fi
