#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# seed.sh - make the fuzz targets' seed corpora and dictionaries from the course, the fixtures and the sources
#
# Usage: seed.sh SOURCE_DIR OUT_DIR
#
# OUT_DIR/seeds/<target>/ is made afresh on every run: the lessons and labs
# of the course and of the test fixtures (copied, never kept in the
# repository), and a few command lines and values for the parsers.
# OUT_DIR/<target>.dict holds the keys the content uses and the options the
# parsers know, read from the same files, so neither goes stale.
set -euo pipefail

src=$1
out=$2
seeds=$out/seeds

rm -rf "$seeds"
mkdir -p "$seeds"/{lesson,lab,run_options,util_parse,containerfile,image_json,oci_config}

# Copy each file to dir under a name made of its path, so that
# lessons/en/01-kernel.yaml and lessons/it/01-kernel.yaml both stay.
copy_named() {
	local dir=$1 f
	while IFS= read -r f; do
		cp "$src/$f" "$dir/${f//\//_}"
	done
}

cd "$src"
find lessons tests -path '*/lessons/*' -name '*.yaml' -type f | LC_ALL=C sort | copy_named "$seeds/lesson"
# A lab file is labs/<chapter>/<lab>.yaml, wherever the labs/ directory is.
find labs tests -regex '\(.*/\)?labs/[^/]+/[^/]+\.yaml' -type f | LC_ALL=C sort | copy_named "$seeds/lab"

# One seed file: the arguments given, each ended by a NUL, as fuzz_run_options splits them.
n=0
args() {
	printf '%s\0' "$@" >"$seeds/run_options/seed-$((n += 1))"
}
args --memory 32M -- sh
args --pids 10 --cpus 0.5 --hostname box sh -c 'echo hi'
args -v /tmp:/data:ro -e K=V -e HOME -w /work sh
args --net host --read-only --timeout 1.5s -t --trace --image busybox id
args --user 1000:1000 --volume=/:/host:rw --memory=1g --help
args --env=A=B --hostname=a.b-c --timeout=500ms --cpus=2 --pids=4194304 true
args -tv/tmp:/x -e=bad sh
args --user nobody --net none --memory 512k --timeout 2m ls /
args --bogus
args --memory

# One seed file: the parser's selector byte, then its text (fuzz_util_parse.c).
value() {
	printf "\\x$(printf %02x "$1")%s" "$2" >"$seeds/util_parse/seed-$1-$(printf %s "$2" | cksum | cut -d' ' -f1)"
}
for v in 32M 1g 512k 100000 32Mi 2TiB 18446744073709551615 0 k; do value 0 "$v"; done
for v in 10s 500ms 2m 1h 1.5s 3 0.001s 0 10x; do value 1 "$v"; done
for v in 0.5 2 0.001 1.0005 12.5 . 0; do value 2 "$v"; done
for v in 1 4194304 4194305 18446744073709551616 007 -1; do value 3 "$v"; done
for v in / /../../tmp/x a/./b/ //x//y/.. /a/b/../../..; do value 4 "$v"; done
for v in cgroups cgroups/memory-kill cgroups/memory-kill/eat a//b /x Up; do value 5 "$v"; done
for v in 'read 3' '  quiz   cgroups  ' $'lab\trun memory-kill' ':hint' ''; do value 6 "$v"; done

# Containerfiles (those of the build test, and a few shapes), and image names ('N' first).
n=0
cf() { printf '%b' "$1" >"$seeds/containerfile/seed-$((n += 1))"; }
cf 'FROM base:1\nARG WHO=world\nENV GREETING=$WHO \\\n    OTHER="two words"\nRUN echo built >/built && rm -rf /data\n'
cf 'FROM scratch\nCOPY bin/busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s"]\nCMD ["/bin/sh", "-c", "echo hi"]\n'
cf '# comment\nfrom base\n\n  WORKDIR /app\nLABEL a=b "c d"=e\nEXPOSE 80 53/udp\nUSER 1000\nENTRYPOINT ["/app/x"]\n'
cf 'FROM base:1\nADD x /x\n'
cf 'FROM base:1\nRUN echo \\\n'
cf 'FROM base:1\r\nCOPY --chown=1:2 a b c/\r\nRUN [1, 2]\r\n'
for v in alpine alpine:3.19 localhost:5000/a/b:c docker.io/library/busybox:latest 'Bad Name' a:b:c /x a//b; do
	printf 'N%s' "$v" >"$seeds/containerfile/seed-ref-$(printf %s "$v" | cksum | cut -d' ' -f1)"
done

# Image documents (fuzz_image_json.c): a byte choosing the kind (0 a layout: index.json, then
# the blobs an import reads after it, a NUL before each; 1 a manifest; 2 a layer count, then a
# config; 3 docker's manifest.json), then the text. Digests are real: a seed reads as an image.
n=0
doc() { # KIND DOCUMENT...: the documents with a NUL between them
	{
		printf "\\x$(printf %02x "$1")%s" "$2"
		shift 2
		(($# == 0)) || printf '\0%s' "$@"
	} >"$seeds/image_json/seed-$((n += 1))"
}
hex() { printf %s "$1" | sha256sum | cut -d' ' -f1; }
desc() { # MEDIA-TYPE TEXT [MORE-MEMBERS]: the descriptor of TEXT
	printf '{"mediaType":"%s","digest":"sha256:%s","size":%d%s}' "$1" "$(hex "$2")" "${#2}" "${3:-}"
}
mt=application/vnd.oci.image
id1=sha256:$(hex one) id2=sha256:$(hex two)
amd64='"platform":{"architecture":"amd64","os":"linux"}'
named=',"annotations":{"org.opencontainers.image.ref.name":"alpine:3.19"}'
config='{"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},"rootfs":{"type":"layers","diff_ids":["'$id1'","'$id2'"]}}'
layers='[{"mediaType":"'$mt'.layer.v1.tar+gzip","digest":"'$id1'","size":3028},{"mediaType":"'$mt'.layer.v1.tar","digest":"'$id2'","size":10240}]'
manifest='{"schemaVersion":2,"mediaType":"'$mt'.manifest.v1+json","config":'$(desc $mt.config.v1+json "$config")',"layers":'$layers'}'
index() { printf '{"schemaVersion":2,"mediaType":"%s.index.v1+json","manifests":[%s]}' $mt "$1"; }
index_of() { index "$(desc $mt.manifest.v1+json "$manifest" "$1")"; }
doc 0 "$(index_of "$named")" "$manifest" "$config"
doc 0 "$(index "$(desc $mt.manifest.v1+json "$manifest" ',"platform":{"architecture":"arm64","os":"linux"}'),$(desc $mt.manifest.v1+json "$manifest" ",$amd64")")" "$manifest" "$config"
nested=$(index "$(desc $mt.manifest.v1+json "$manifest" ",$amd64")")
doc 0 "$(index "$(desc $mt.index.v1+json "$nested")")" "$nested" "$manifest" "$config"
deep=$(index "$(desc $mt.index.v1+json "$nested")")
doc 0 "$deep" "$deep" "$deep" "$deep" "$deep" "$deep" # nested too deep
doc 0 "$(index "$(desc $mt.manifest.v1+json "$manifest" ',"platform":{"architecture":"s390x","os":"linux"}')")"
doc 0 "$(index '')"
doc 0 "$(index "$(desc $mt.config.v1+json "$config")")"
doc 0 "$(index_of "" | sed 's/sha256:/sha512:/')" "$manifest" "$config"
doc 0 "$(index_of "" | sed 's/sha256:./sha256:A/')" "$manifest" "$config"
doc 0 "$(index_of "" | sed 's/"size":[0-9]*/"size":99999999/')" "$manifest" "$config"
doc 0 "$(index_of "")" '{"schemaVersion":2,"config":{},"layers":[]}'
doc 0 "$(index_of "")" "$manifest" "${config/amd64/arm64}"
doc 1 "$manifest"
doc 1 "${manifest/tar+gzip/tar+zstd}"
doc 1 "$(printf %s "$manifest" | sed 's/oci.image.layer.v1.tar+gzip/docker.image.rootfs.diff.tar.gzip/; s/oci.image.config.v1+json/docker.container.image.v1+json/')"
doc 1 "${manifest/tar+gzip/tar+bzip2}"
doc 1 "${manifest/config.v1/example.v1}"
doc 1 '{"schemaVersion":2,"config":'"$(desc $mt.config.v1+json "$config")"',"layers":[]}'
printf '\x02\x02%s' "$config" >"$seeds/image_json/seed-$((n += 1))"
printf '\x02\x01%s' "$config" >"$seeds/image_json/seed-$((n += 1))"
printf '\x02\x02%s' "${config/\"linux\"/\"windows\"}" >"$seeds/image_json/seed-$((n += 1))"
printf '\x02\x02%s' "${config/$id2/sha256:x}" >"$seeds/image_json/seed-$((n += 1))"
docker='[{"Config":"'$(hex "$config")'.json","RepoTags":["localhost/fromdocker:v1"],"Layers":["0/layer.tar","1/layer.tar"]}]'
doc 3 "$docker"
doc 3 '[]'
doc 3 '[{"Config":"c.json"}]'
doc 3 '[{"Config":7,"Layers":[]}]'
doc 3 '[{"Config":"c.json","Layers":["a/layer.tar",null]}]'

# config.json (fuzz_oci_config.c): stanza spec's own, root and rootless, after the byte that
# says which, written by the plain build's stanza when there is one (the fuzz build links
# no stanza: its libraries are instrumented for libFuzzer only).
STANZA=${STANZA:-$src/build/stanza}
if [[ -x $STANZA ]]; then
	for r in 0 1; do
		d=$(mktemp -d)
		"$STANZA" spec $( ((r)) && echo --rootless) -b "$d" >/dev/null
		{ printf "\\x0$r"; cat "$d/config.json"; } >"$seeds/oci_config/spec-$r"
		rm -rf "$d"
	done
fi
printf '\x00{"ociVersion":"1.0.2","process":{"args":["sh"],"cwd":"/","user":{"uid":0,"gid":0}},"root":{"path":"r"}}' >"$seeds/oci_config/short"

# Dictionaries: the keys of the content, with YAML's own tokens; the options of run.
# libFuzzer's dictionary format escapes only \\, \" and \xNN.
yaml_tokens() {
	printf '"%s"\n' '---' '...' '- ' ': ' '|' '|-' '>' '&a' '*a' '!!str' '{' '}' '[' ']' '\"' "'" '#' '~' 'null' 'true' 'false'
	printf '"%s"\n' '\x0a  ' '\x0a- ' '\x0d\x0a' '\x09' '\xef\xbb\xbf'
}
keys() {
	grep -ohE '^[ -]*[a-z][a-z-]*:' "$@" | sed -E 's/^[ -]*//' | LC_ALL=C sort -u | sed 's/.*/"&"/'
}
{ keys lessons/*/*.yaml; yaml_tokens; } >"$out/lesson.dict"
{ keys labs/*/*.yaml; yaml_tokens; } >"$out/lab.dict"
grep -oE '\{"[a-z-]+", (required|no)_argument' src/cli/run_options.c | sed -E 's/^\{"([a-z-]+)".*/"--\1"/' >"$out/run_options.dict"
printf '"%s"\n' -- -v -e -w -t -h :ro :rw = '\x00' >>"$out/run_options.dict"
{
	json_keys=(schemaVersion mediaType manifests config layers digest size platform architecture os
		variant annotations org.opencontainers.image.ref.name rootfs diff_ids Config Layers RepoTags)
	printf '"\\"%s\\""\n' "${json_keys[@]}" linux amd64 arm64
	grep -ohE '"application/vnd[^"]*"' src/image/oci_json.[ch] | LC_ALL=C sort -u
	printf '"%s"\n' 'sha256:' 'sha512:' '{' '}' '[' ']' ':' ',' '\"' 'null' 'true' '-1' '4194305' '\x00'
} >"$out/image_json.dict"
grep -ohE '"[a-zA-Z]+", T_' src/oci/config.c | sed -E 's/^"([a-zA-Z]+)".*/"\\"\1\\""/' | LC_ALL=C sort -u >"$out/oci_config.dict"
printf '"%s"\n' '{' '}' '[' ']' ':' ',' 'null' 'true' 'false' '"/proc"' '"bind"' '"rbind"' '"pid"' '"mount"' '"user"' >>"$out/oci_config.dict"
printf '"%s"\n' FROM RUN COPY ENV ARG WORKDIR USER LABEL EXPOSE ENTRYPOINT CMD ADD scratch '\\' '["' '"]' '--chown=' '#' '$' '${' >"$out/containerfile.dict"
