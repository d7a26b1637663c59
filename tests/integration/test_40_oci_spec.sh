#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_40_oci_spec.sh - stanza spec writes a config.json with stanza's defaults; runc runs it, and its container has what a stanza container has (capabilities, seccomp, no_new_privs, masked and read-only paths)
. "$(dirname "$0")/lib.sh"

W=$SZIT_TMP/oci
mkdir -p "$W"
sz() { # ARGS...: `stanza ARGS`, sets OUT ERR STATUS
	"$STANZA" "$@" >"$W/out" 2>"$W/err"
	STATUS=$?
	OUT=$(<"$W/out")
	ERR=$(<"$W/err")
}
command -v jq >/dev/null || die "jq is not installed (make deps installs it)"

sz spec --help
assert_status 0 "spec --help"
assert_match "--help shows the usage" '^Usage: stanza spec' "$OUT"

mkdir -p "$W/b"
rootless_opt=()
((ROOTLESS)) && rootless_opt=(--rootless)
sz spec "${rootless_opt[@]}" -b "$W/b"
assert_status 0 "spec -b DIR"
cfg=$W/b/config.json
assert_eq "it writes DIR/config.json, valid JSON of runtime-spec 1.0.2" 1.0.2 "$(jq -r .ociVersion "$cfg" 2>&1)"
assert_eq "the root is DIR/rootfs, read-only, as runc spec has it" "rootfs true" "$(jq -r '"\(.root.path) \(.root.readonly)"' "$cfg")"
assert_eq "the 11 capabilities stanza keeps, in three sets" "11 11 11" \
	"$(jq -r '.process.capabilities | "\(.bounding | length) \(.effective | length) \(.permitted | length)"' "$cfg")"
assert_match "Docker's masked paths" '"/proc/kcore"' "$(jq -c .linux.maskedPaths "$cfg")"
assert_eq "the seccomp profile refuses mount and unshare with EPERM" "true 1" \
	"$(jq -r '[.linux.seccomp.syscalls[0].names | index("mount", "unshare") != null] | all | tostring' "$cfg") $(jq -r '.linux.seccomp.syscalls[0].errnoRet' "$cfg")"
if ((ROOTLESS)); then
	assert_eq "--rootless maps the user to root" "user 0 $LEARNER_UID 1" \
		"$(jq -r '(.linux.namespaces | map(.type) | index("user") | if . then "user" else "none" end) + " " + (.linux.uidMappings[0] | "\(.containerID) \(.hostID) \(.size)")' "$cfg")"
	assert_no_match "--rootless: devpts without gid=5 (the tty group is not mapped)" 'gid=5' "$(jq -c '.mounts[] | select(.type == "devpts")' "$cfg")"
fi

before=$(md5sum <"$cfg")
sz spec -b "$W/b"
assert_status 1 "a second spec in the same bundle is refused"
assert_match "it says the file exists" "config.json' exists: remove it first" "$ERR"
assert_one_error_line "spec over an existing config.json"
assert_eq "the config.json is untouched" "$before" "$(md5sum <"$cfg")"
sz spec --bogus
assert_status 2 "an unknown option"
assert_one_error_line "spec --bogus"
sz spec -b "$W/nonexistent"
assert_status 1 "a bundle that is not a directory"
assert_match "it names it" "the bundle '.*nonexistent' is not a directory" "$ERR"

# The proof that the config says what stanza does: runc runs it, and the
# process sees what it sees in a stanza container.
probe='grep -E "^(CapPrm|CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status; unshare -U true 2>&1 | sed "s/.*: //"; wc -c </proc/keys; echo 1 2>&1 >/proc/sys/kernel/ns_last_pid | sed "s/.*: //"; hostname'
run_stanza -- sh -c "$probe"
assert_status 0 "the probe in a stanza container"
want=$OUT
if command -v runc >/dev/null; then
	copy_image "$W/b/rootfs" || die "cannot copy the image into the bundle"
	jq --arg p "$probe" '.process.terminal = false | .process.args = ["sh", "-c", $p]' "$cfg" >"$W/c" && mv "$W/c" "$cfg"
	runc --root "$W/runc" run -b "$W/b" "szit-$$" >"$W/runc.out" 2>"$W/runc.err"
	assert_eq "runc runs the config.json stanza wrote ($(head -c 300 "$W/runc.err"))" 0 "$?"
	assert_eq "and its process has the capabilities, no_new_privs, seccomp filter, masks and host name of a stanza container" \
		"$want" "$(cat "$W/runc.out")"
	runc --root "$W/runc" delete -f "szit-$$" >/dev/null 2>&1
else
	note "runc is not installed here: the config.json is not run by runc (make deps installs it)"
fi
finish
