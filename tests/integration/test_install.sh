#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_install.sh - `cmake --install` with DESTDIR puts stanza, its image and its translations in FHS places, and the installed binary starts
#
# Environment (from ctest): STANZA_BUILD_DIR, STANZA_SOURCE_DIR. Exit 77 = skip.
# In the rootless tier (tests/rootless/run.sh) root installs and this runs as
# the test user with SZIT_INSTALLED=<DESTDIR>/usr: it checks that tree, then
# runs the installed stanza rootless.
set -euo pipefail

skip() {
	echo "SKIP: $*"
	exit 77
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

[[ -n "${STANZA_BUILD_DIR:-}" && -d "$STANZA_BUILD_DIR" ]] || skip "STANZA_BUILD_DIR is not set (run through ctest)"
[[ -n "${STANZA_SOURCE_DIR:-}" && -d "$STANZA_SOURCE_DIR" ]] || skip "STANZA_SOURCE_DIR is not set (run through ctest)"
if [[ -n "${SZIT_INSTALLED:-}" ]]; then
	# The rootless tier (tests/rootless/run.sh): root installed into DESTDIR, as
	# an administrator would; the learner checks the tree and uses it.
	usr=$SZIT_INSTALLED
	dest=$(dirname "$usr")
	[[ -d "$usr" && "$(basename "$usr")" == usr ]] || fail "SZIT_INSTALLED=$usr is not an installed /usr"
elif [[ -f "$STANZA_BUILD_DIR/cmake_install.cmake" ]]; then
	command -v cmake >/dev/null 2>&1 || skip "cmake is not installed"
	dest=$(mktemp -d "${TMPDIR:-/tmp}/stanza-install.XXXXXX")
	trap 'rm -rf "$dest"' EXIT

	if ! DESTDIR="$dest" cmake --install "$STANZA_BUILD_DIR" --prefix /usr >"$dest.log" 2>&1; then
		cat "$dest.log" >&2
		rm -f "$dest.log"
		fail "cmake --install failed"
	fi
	rm -f "$dest.log"
	usr=$dest/usr
else
	# A staged copy of the binary and images, with no build tree to install from.
	grep -Eq '^\*[[:space:]]+test_install([[:space:]]|#|$)' "$(dirname "$0")/expected-skips" ||
		fail "no build tree in $STANZA_BUILD_DIR to install from, and no expected skip for it"
	skip "no build tree in $STANZA_BUILD_DIR to install from (and SZIT_INSTALLED unset)"
fi
share=$usr/share/stanza
rootfs=$share/images/busybox/rootfs

# Everything lands under the prefix inside DESTDIR, nothing beside it.
extra=$(find "$dest" -mindepth 1 -maxdepth 1 ! -name usr)
[[ -z "$extra" ]] || fail "installed outside the prefix: $extra"

[[ -f "$usr/bin/stanza" && -x "$usr/bin/stanza" ]] || fail "no executable $usr/bin/stanza"

# The image, with its links kept as links and its modes kept.
[[ -f "$rootfs/bin/busybox" && ! -L "$rootfs/bin/busybox" && -x "$rootfs/bin/busybox" ]] ||
	fail "no executable file $rootfs/bin/busybox"
[[ "$(readlink "$rootfs/bin/sh")" == busybox ]] || fail "bin/sh is not a link to busybox: $(ls -l "$rootfs/bin/sh" 2>&1)"
[[ "$(readlink "$rootfs/usr/bin/head")" == ../../bin/busybox ]] ||
	fail "usr/bin/head is not a link to ../../bin/busybox: $(ls -l "$rootfs/usr/bin/head" 2>&1)"
grep -qx 'root:x:0:0:root:/root:/bin/sh' "$rootfs/etc/passwd" || fail "etc/passwd has no root entry"
grep -q '^app:x:1000:1000:' "$rootfs/etc/passwd" || fail "etc/passwd has no app user"
grep -q '^app:x:1000:' "$rootfs/etc/group" || fail "etc/group has no app group"
for f in hosts hostname os-release; do
	[[ -f "$rootfs/etc/$f" ]] || fail "etc/$f is missing"
done
[[ "$(stat -c %a "$rootfs/tmp")" == 1777 ]] || fail "tmp has mode $(stat -c %a "$rootfs/tmp"), want 1777"
[[ "$(stat -c %a "$rootfs/root")" == 700 ]] || fail "root has mode $(stat -c %a "$rootfs/root"), want 700"
# Nothing in the shared image may belong to a host user: the owners file says
# what the image's layer (oci/) gives to others than root, in its tar only.
if [[ $(id -u) == 0 || -n "${SZIT_INSTALLED:-}" ]]; then
	[[ -z "$(find "$rootfs" ! -uid 0 -print -quit 2>/dev/null)" ]] || fail "files in the installed image are not root's"
fi
grep -qx 'home/app 1000 1000' "$share/images/busybox/owners" || fail "the image's owners file does not give home/app to 1000"
cmp -s "$share/images/busybox/VERSION" "$STANZA_BUILD_DIR/images/busybox/VERSION" ||
	fail "installed image VERSION differs from the build tree's"
# The same image as an OCI layout, which every run imports into the store.
cmp -s "$share/images/busybox/oci/index.json" "$STANZA_BUILD_DIR/images/busybox/oci/index.json" ||
	fail "the installed image's OCI layout (oci/index.json) differs from the build tree's"
[[ $(ls "$share/images/busybox/oci/blobs/sha256" | wc -l) == 3 ]] ||
	fail "the installed OCI layout has not its 3 blobs (manifest, config, layer)"

# One catalog per language in i18n/LINGUAS.
while read -r lang; do
	[[ -z "$lang" || "$lang" == \#* ]] && continue
	[[ -s "$usr/share/locale/$lang/LC_MESSAGES/stanza.mo" ]] || fail "no $lang translation in $usr/share/locale"
done <"$STANZA_SOURCE_DIR/i18n/LINGUAS"

# The installed binary starts, finding its data relative to itself.
out=$(env -u STANZA_DATADIR -u STANZA_LOCALEDIR "$usr/bin/stanza" --version) || fail "installed stanza --version failed"
[[ "$out" == "stanza "* ]] || fail "unexpected --version output: $out"
# ... and finds the installed Italian catalog rather than the build tree's.
out=$(env -u STANZA_DATADIR -u STANZA_LOCALEDIR LC_ALL=C.UTF-8 STANZA_LANG=it "$usr/bin/stanza" --help)
[[ "$out" == *Uso:* ]] || fail "installed stanza --help is not in Italian with STANZA_LANG=it: ${out%%$'\n'*}"

# The course's vocabulary lies beside the installed lessons, and the installed
# `stanza lessons check` finds it there and enforces it.
[[ -s "$share/i18n/terms.yaml" ]] || fail "no $share/i18n/terms.yaml: an installed 'stanza lessons check' has no vocabulary"
cmp -s "$share/i18n/terms.yaml" "$STANZA_SOURCE_DIR/i18n/terms.yaml" || fail "the installed terms.yaml differs from i18n/terms.yaml"
installed_check() {
	env -u STANZA_DATADIR -u STANZA_LOCALEDIR -u STANZA_CONTENT LC_ALL=C.UTF-8 STANZA_LANG=en "$usr/bin/stanza" lessons check 2>&1
}
out=$(installed_check) || fail "the installed stanza lessons check fails on the installed course: $out"
if [[ -z "${SZIT_INSTALLED:-}" ]]; then
	# Our own DESTDIR: plant a rule that every English lesson breaks.
	printf '  - concept: planted-by-test-install\n    en: {use: "box", avoid: ["container"]}\n' >>"$share/i18n/terms.yaml"
	if out=$(installed_check); then
		fail "the installed stanza lessons check ignores the installed terms.yaml: $out"
	fi
	[[ "$out" == *"'container' is not the course's word: write 'box' (planted-by-test-install in i18n/terms.yaml)"* ]] ||
		fail "the installed stanza lessons check does not name the planted term: $out"
fi

# An ordinary user runs the installed stanza rootless: it imports the
# installed image's layout into the user's own store, and root inside is the
# user outside.
if [[ $(id -u) != 0 ]]; then
	out=$(env -u STANZA_DATADIR -u STANZA_LOCALEDIR "$usr/bin/stanza" run -- sh -c 'whoami; cat /proc/self/uid_map; touch /etc/x && echo wrote' 2>&1) ||
		fail "the installed stanza cannot run a container rootless: $out"
	[[ "$out" == root$'\n'*" 0 "*"$(id -u)"*$'\n'wrote ]] || fail "unexpected output of a rootless run of the installed stanza: $out"
	out=$(env -u STANZA_DATADIR -u STANZA_LOCALEDIR "$usr/bin/stanza" image ls 2>&1)
	[[ "$out" == *$'\n'"busybox:builtin "* ]] || fail "the installed image is not in the user's store: $out"
fi

echo "PASS: installed into $dest/usr: binary, image ($(find "$rootfs" -type l 2>/dev/null | wc -l) links), translations, vocabulary"
