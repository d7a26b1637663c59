#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_34_build.sh - stanza build: every instruction, RUN's deletions as whiteouts, the cache per step, .dockerignore, FROM scratch, the seed's CRLF entrypoint, and broken Containerfiles refused with their line and column
. "$(dirname "$0")/lib.sh"

for tool in tar gzip sha256sum; do
	command -v $tool >/dev/null || skip "no '$tool' to make the base image with"
done
[[ -x $IMAGE_ROOTFS/bin/busybox ]] || die "no image at $IMAGE_ROOTFS"

export STANZA_STORE=$SZIT_TMP/store
W=$SZIT_TMP/build
mkdir -p "$W/base/data" "$W/ctx/app/sub"
cp -a "$IMAGE_ROOTFS/." "$W/base/" 2>/dev/null
[[ -x $W/base/bin/busybox ]] || die "cannot copy the image's root to make a layer of it"
echo kept >"$W/base/data/kept"
ln -s data "$W/base/linked"
"$SZIT_DIR/mkimage.sh" --name base:1 "$W/baseimg" "$W/base" || die "mkimage.sh failed"
"$STANZA" image import "$W/baseimg" >/dev/null 2>"$W/err" || die "import of the base image failed: $(cat "$W/err")"

build() { # ARGS...: stanza build ARGS; sets OUT ERR STATUS
	"$STANZA" build "$@" >"$W/out" 2>"$W/err"
	STATUS=$?
	OUT=$(<"$W/out")
	ERR=$(<"$W/err")
}

# Rootless the container has one user, root: USER is checked as root.
user_line=
uid=0
((ROOTLESS)) || { user_line='USER 1000'; uid=1000; }
printf '#!/bin/sh\necho "hello $GREETING from $(pwd) as $(id -u): $*"\n' >"$W/ctx/app/hello.sh"
chmod 755 "$W/ctx/app/hello.sh"
echo secret >"$W/ctx/app/secret.txt"
echo deep >"$W/ctx/app/sub/deep.txt"
printf '# not this one\napp/secret.txt\n' >"$W/ctx/.dockerignore"
cat >"$W/ctx/Containerfile" <<CF
# Every instruction stanza build knows.
FROM base:1
ARG WHO=world
ENV GREETING=\$WHO \\
    OTHER="two words"
RUN echo built >/built && rm -rf /data \\
    && mkdir -p /opt && echo "\$GREETING" >/opt/who
COPY app/ /app/
COPY app/hello.sh /usr/local/bin/
WORKDIR /app
LABEL course=stanza "two words"=yes
EXPOSE 8080 53/udp
$user_line
ENTRYPOINT ["/app/hello.sh"]
CMD ["from-cmd"]
CF
build -t app:1 --build-arg WHO=learners "$W/ctx"
assert_status 0 "stanza build of a Containerfile with every instruction ($(tail -1 "$W/err"))"
assert_match "each step is shown" 'STEP 1/1[12]: FROM base:1' "$OUT"
assert_match "RUN makes a layer" 'STEP 4/1[12]: RUN .*
--> new layer sha256:' "$OUT"
assert_match "and says what it built" 'built app:1 \(sha256:' "$OUT"
run_stanza --image app:1
assert_eq "ENTRYPOINT + CMD, ENV from --build-arg, WORKDIR, USER" "hello learners from /app as $uid: from-cmd" "$OUT"
run_stanza --image app:1 --entrypoint '' -- sh -c 'cat /built /opt/who; ls /data 2>&1; ls /app; echo "$OTHER"'
assert_eq "RUN's files, its deletion of /data, COPY's files without the ignored one, ENV with quotes" \
	"$(printf 'built\nlearners\nls: /data: No such file or directory\nhello.sh\nsub\ntwo words')" "$OUT"
run_stanza --image app:1 --entrypoint /usr/local/bin/hello.sh -- x
assert_eq "COPY of a file into a directory (dest ending in /)" "hello learners from /app as $uid: x" "$OUT"
"$STANZA" image inspect app:1 >"$W/inspect"
assert_match "LABEL is in the config" '"course": "stanza"' "$(cat "$W/inspect")"
assert_match "EXPOSE is in the config" '"53/udp"' "$(cat "$W/inspect")"
layer=$(grep -o '"digest": "sha256:[0-9a-f]*"' "$W/inspect" | sed -n 4p | grep -o '[0-9a-f]\{64\}')
tar -tf "$STANZA_STORE/blobs/sha256/$layer" >"$W/run-layer"
assert_true "RUN's layer carries the deletion as an OCI whiteout (.wh.data)" grep -qx '\.wh\.data' "$W/run-layer"
"$STANZA" image history app:1 >"$W/history"
assert_match "history shows each step, newest first, RUN with its layer's size" \
	'CMD \["from-cmd"\].*RUN echo built' "$(tr '\n' ' ' <"$W/history")"

# ---- the cache
build -t app:1 --build-arg WHO=learners "$W/ctx"
assert_eq "a rebuild with nothing changed reuses all three layers" 3 "$(grep -c '^--> cached' <<<"$OUT")"
echo 'echo changed' >>"$W/ctx/app/hello.sh"
build -t app:1 --build-arg WHO=learners "$W/ctx"
assert_match "a changed file: RUN before it is cached, the COPY of it is not" \
	'RUN .*
--> cached.*
STEP 5/1[12]: COPY app/ /app/
--> new layer' "$OUT"
build -t app:2 --build-arg WHO=others "$W/ctx"
assert_match "another --build-arg changes RUN's environment: no cache" 'STEP 4/1[12]: RUN .*
--> new layer' "$OUT"
echo new-secret >"$W/ctx/app/secret.txt"
build -t app:2 --build-arg WHO=others "$W/ctx"
assert_eq "a change in an ignored file changes nothing" 3 "$(grep -c '^--> cached' <<<"$OUT")"

# ---- what Docker does with ARG, ENV and an empty CMD
mkdir -p "$W/args/app"
cp "$W/ctx/app/hello.sh" "$W/args/app/"
cat >"$W/args/Containerfile" <<'CF'
FROM app:1
USER 0
ARG A="1.0" B=2 X=from-arg
ENV X=from-env
RUN echo "$A $B $X ${UNSET:-dflt} ${A:+alt}" >/args
COPY app/hello.sh /tmp/x
COPY app/hello.sh /usr/bin
COPY app/hello.sh /linked/
CMD []
CF
build -t args:1 "$W/args"
assert_status 0 "a build with quoted and several ARGs ($(tail -1 "$W/err"))"
run_stanza --image args:1 --entrypoint cat -- /args
assert_eq "ARG quotes go, several ARGs on a line, ENV wins over ARG, \${V:-x} and \${V:+x}" \
	"1.0 2 from-env dflt alt" "$OUT"
run_stanza --image args:1 --entrypoint '' -- sh -c \
	'stat -c %a /tmp; test -x /usr/bin/hello.sh -a -x /usr/bin/tail && echo into-dir; test -L /linked -a -f /data/hello.sh && echo through-link'
assert_eq "COPY keeps the image's /tmp 1777, goes into an existing directory, and through the image's links" \
	"$(printf '1777\ninto-dir\nthrough-link')" "$OUT"
run_stanza --image args:1
assert_eq "CMD [] clears the CMD of the image below: the ENTRYPOINT alone" "$(printf 'hello learners from /app as 0: \nchanged')" "$OUT"

# ---- FROM scratch: a static busybox copied in, then RUN with it
mkdir -p "$W/scratch/bin"
cp "$IMAGE_ROOTFS/bin/busybox" "$W/scratch/bin/busybox"
cat >"$W/scratch/Containerfile" <<'CF'
FROM scratch
COPY bin/busybox /bin/busybox
RUN ["/bin/busybox", "mkdir", "-p", "/usr/bin"]
RUN ["/bin/busybox", "--install", "-s"]
CMD ["/bin/sh", "-c", "echo from scratch"]
CF
build -t tiny:1 "$W/scratch"
assert_status 0 "FROM scratch, COPY a static busybox, RUN with it ($(tail -1 "$W/err"))"
run_stanza --image tiny:1
assert_eq "the image built from scratch runs" "from scratch" "$OUT"

# ---- FROM busybox: the built-in image, which the store takes in as busybox:builtin
mkdir -p "$W/frombb"
printf 'FROM busybox\nRUN echo built-on-busybox >/made\nCMD ["cat", "/made"]\n' >"$W/frombb/Containerfile"
build -t onbb:1 "$W/frombb"
assert_status 0 "FROM busybox builds on the built-in image ($(tail -1 "$W/err"))"
run_stanza --image onbb:1
assert_eq "and the image runs" "built-on-busybox" "$OUT"
assert_match "the store lists the built-in image it used" '(^|'$'\n'')busybox:builtin ' "$("$STANZA" image ls)"

# ---- the seed's story: an entrypoint script with Windows line endings
mkdir -p "$W/crlf"
printf '#!/bin/sh\r\necho entrypoint ran\r\n' >"$W/crlf/entrypoint.sh"
chmod 755 "$W/crlf/entrypoint.sh"
printf 'FROM base:1\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["/entrypoint.sh"]\n' >"$W/crlf/Containerfile"
build -t crlf:exec "$W/crlf"
run_stanza --image crlf:exec
assert_status 127 "exec form with a CRLF script: the kernel looks for the interpreter '/bin/sh\\r' and finds none"
assert_match "stanza says it cannot be found" "'/entrypoint.sh': command not found" "$ERR"
printf 'FROM base:1\nCOPY entrypoint.sh /entrypoint.sh\nENTRYPOINT ["sh", "/entrypoint.sh"]\n' >"$W/crlf/Containerfile"
build -t crlf:sh "$W/crlf"
run_stanza --image crlf:sh
assert_eq "with sh as the program the script runs (each line ends in a stray \\r)" "entrypoint ran" "$(tr -d '\r' <<<"$OUT")"

# ---- broken Containerfiles: file:line:column and what is wrong, one line
bad() { # DESCRIPTION ERE CONTAINERFILE-TEXT
	local what=$1 ere=$2
	mkdir -p "$W/bad"
	printf '%b' "$3" >"$W/bad/Containerfile"
	build -t bad:1 "$W/bad"
	assert_status 1 "refused: $what"
	assert_match "the message for $what" "$ere" "$ERR"
	assert_eq "one error line for $what" 1 "$(grep -c '' "$W/err")"
}
before=$(cat "$STANZA_STORE/index.json")
bad "an unknown instruction" "Containerfile:3:3: unknown instruction 'FORM'" 'FROM base:1\n\n  FORM x\n'
bad "an instruction stanza does not do" "Containerfile:2:1: ADD is not something stanza build does \\(use COPY\\)" \
	'FROM base:1\nADD x /x\n'
bad "a continuation at the end of the file" "Containerfile:2:1: the instruction goes on past the end of the file" \
	'FROM base:1\nRUN echo \\\\\n'
bad "an instruction before FROM" "Containerfile:1:1: RUN before FROM" 'RUN true\n'
bad "a FROM of an image the store lacks" "Containerfile:1:1: FROM: no image 'nosuch:latest' in the store" \
	'FROM nosuch\n'
bad "a RUN that fails" "Containerfile:2:1: RUN exit 3: exited with status 3" 'FROM base:1\nRUN exit 3\n'
bad "a COPY from outside the context" "Containerfile:2:1: COPY \\.\\./x: not inside the build context" \
	'FROM base:1\nCOPY ../x /x\n'
ln -s /etc "$W/bad/etc-link"
bad "a COPY through a link out of the context" "Containerfile:2:1: COPY etc-link/passwd: not inside the build context" \
	'FROM base:1\nCOPY etc-link/passwd /x\n'
bad "a second FROM" "Containerfile:2:1: a second FROM" 'FROM base:1\nFROM base:1\n'
bad "an instruction without arguments" "Containerfile:2:1: RUN needs arguments" 'FROM base:1\nRUN\n'
assert_eq "no failed build changed the images" "$before" "$(cat "$STANZA_STORE/index.json")"
assert_eq "no build left anything in tmp/" "" "$(ls -A "$STANZA_STORE/tmp")"

# ---- modes that lock their owner out: a 0000 file and directory, 0555 directories (rootless, the
# learner owns them and must still read them into the layer, and remove them)
mkdir -p "$W/modes"
printf 'FROM base:1\nRUN echo secret >/etc/shadow && chmod 0000 /etc/shadow && mkdir -p /ro/sub /locked/in && echo f >/ro/sub/f && echo l >/locked/in/l && chmod 0555 /ro/sub /ro && chmod 0000 /locked\n' >"$W/modes/Containerfile"
build -t modes:1 "$W/modes"
assert_status 0 "a RUN leaving a 0000 file and 0555 directories builds ($(tail -1 "$W/err"))"
run_stanza --image modes:1 -- sh -c 'stat -c %a /etc/shadow /ro /ro/sub /locked; cat /ro/sub/f /etc/shadow /locked/in/l'
assert_eq "the layer keeps the modes and the contents (a 0000 directory too)" "$(printf '0\n555\n555\n0\nf\nsecret\nl')" "$OUT"
"$STANZA" image rm modes:1 >/dev/null 2>&1
"$STANZA" image prune >"$W/out" 2>"$W/err"
assert_eq "prune removes the layer with the 0555 directories" "0 " \
	"$? $(find "$STANZA_STORE/layers" -path '*/fs/ro' 2>/dev/null)"
finish
