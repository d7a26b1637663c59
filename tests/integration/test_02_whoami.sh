#!/bin/bash
# test_02_whoami.sh - point 2: root inside by default; --user, --env and --workdir
. "$(dirname "$0")/lib.sh"
require_root

run_stanza -- whoami
assert_status 0 "whoami"
assert_eq "whoami prints root" root "$OUT"

run_stanza -- id
assert_match "id: uid 0 gid 0" '^uid=0\(root\) gid=0\(root\)' "$OUT"

run_stanza --user app -- sh -c 'whoami; id -u; touch /etc/szit-x 2>&1; echo rc=$?'
assert_status 0 "--user app"
assert_match "--user app: whoami is app" '^app' "$OUT"
assert_match "--user app: uid is not 0" $'\n[1-9][0-9]*\n' "$OUT"
assert_match "--user app cannot write /etc" 'rc=[1-9]' "$OUT"

# The app user owns its home inside the container (the owners file, applied in
# the container's layer), while the image on the host stays root's.
run_stanza --user app -- sh -c 'cd && touch szit-home && ls -ln szit-home && echo HOME=$HOME'
assert_status 0 "--user app writes its home"
assert_match "--user app: the new file is app's" ' 1000 +1000 ' "$OUT"
assert_match "--user app: HOME is /home/app" 'HOME=/home/app' "$OUT"
assert_eq "the image's home/app stays root's" "0:0" \
	"$(stat -c %u:%g "$STANZA_BUILD_DIR/images/busybox/rootfs/home/app")"

run_stanza --user 1234:2345 -- id
assert_status 0 "--user 1234:2345"
assert_match "--user UID:GID sets both" '^uid=1234( |\().*gid=2345' "$OUT"

run_stanza -e SZIT_FOO=bar -e 'SZIT_SP=a b' --env SZIT_EMPTY= -w /etc -- \
	sh -c 'echo "$SZIT_FOO|$SZIT_SP|${SZIT_EMPTY-unset}|$(pwd)"'
assert_status 0 "-e and -w"
assert_eq "-e sets variables, -w the working directory" "bar|a b||/etc" "$OUT"

# The host's environment does not leak in.
SZIT_HOST_SECRET=$MARK run_stanza -- env
assert_no_match "the host's environment is not passed in" "SZIT_HOST_SECRET" "$OUT"
finish
