#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# mkimage.sh - write an OCI image layout from directories, one layer each, with tar, gzip and sha256sum
#
# usage: mkimage.sh [options] OUT LAYERDIR...
#   OUT        the layout directory to make (must not exist)
#   LAYERDIR   a directory whose contents are one layer, base layer first; a
#              file named .wh.NAME is a whiteout, .wh..wh..opq makes its
#              directory opaque, as in the OCI image spec; or a .tar file,
#              taken as it is (the layers tests/fixtures/images/broken/make-corpus.sh
#              makes to break out, tests/fixtures/images/layer-device-and-setuid.tar)
# options:
#   --compress gzip|zstd|none   (default gzip)
#   --arch A                    the config's architecture (default: this host's)
#   --name REF                  org.opencontainers.image.ref.name (default: none)
#   --entrypoint JSON --cmd JSON --env JSON --workdir DIR --user U
#                               the config's fields (JSON arrays as text)
#   --index-platforms A,B       an index naming one manifest per architecture
#                               listed, each pointing at this image (for the
#                               platform choice)
# and, to break what they make (the digests are computed after):
#   --mangle-layer CMD          filter every compressed layer through CMD
#   --layer-type TYPE           the layers' media type
#   --config-sed EXPR           edit the config's JSON with sed
#   --config-type TYPE          the config's media type
# Independent of stanza: the tests use it to make what stanza must accept.
set -euo pipefail

compress=gzip arch= name= entrypoint=null cmd=null env='["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]'
workdir= user= platforms= mangle= layer_type= config_sed= config_type=application/vnd.oci.image.config.v1+json
while [[ $# -gt 0 && $1 == --* ]]; do
	case $1 in
	--compress) compress=$2 ;;
	--arch) arch=$2 ;;
	--name) name=$2 ;;
	--entrypoint) entrypoint=$2 ;;
	--cmd) cmd=$2 ;;
	--env) env=$2 ;;
	--workdir) workdir=$2 ;;
	--user) user=$2 ;;
	--index-platforms) platforms=$2 ;;
	--mangle-layer) mangle=$2 ;;
	--layer-type) layer_type=$2 ;;
	--config-sed) config_sed=$2 ;;
	--config-type) config_type=$2 ;;
	*) echo "mkimage.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[[ $# -ge 2 ]] || { sed -n '3,21p' "$0" >&2; exit 2; }
out=$1; shift
if [[ -z $arch ]]; then
	case $(uname -m) in x86_64) arch=amd64 ;; aarch64) arch=arm64 ;; *) arch=$(uname -m) ;; esac
fi
mkdir "$out"
mkdir -p "$out/blobs/sha256"
printf '{"imageLayoutVersion":"1.0.0"}' >"$out/oci-layout"

# blob FILE: move FILE into blobs/ under its digest; print "digest size".
blob() {
	local d s
	d=$(sha256sum "$1" | cut -d' ' -f1)
	s=$(stat -c %s "$1")
	mv "$1" "$out/blobs/sha256/$d"
	echo "sha256:$d $s"
}

layers= diffs=
for dir in "$@"; do
	tmp=$out/layer.tar
	if [[ -f $dir ]]; then
		cp "$dir" "$tmp"
	else
		tar --sort=name --numeric-owner --owner=0 --group=0 --mtime=@0 --format=posix \
			--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -C "$dir" -cf "$tmp" .
	fi
	diff=sha256:$(sha256sum "$tmp" | cut -d' ' -f1)
	case $compress in
	gzip) gzip -n "$tmp"; tmp=$tmp.gz; mt=application/vnd.oci.image.layer.v1.tar+gzip ;;
	zstd) zstd -q --rm "$tmp"; tmp=$tmp.zst; mt=application/vnd.oci.image.layer.v1.tar+zstd ;;
	none) mt=application/vnd.oci.image.layer.v1.tar ;;
	esac
	if [[ -n $mangle ]]; then
		$mangle <"$tmp" >"$tmp.mangled"
		mv "$tmp.mangled" "$tmp"
	fi
	[[ -n $layer_type ]] && mt=$layer_type
	read -r d s < <(blob "$tmp")
	layers+="${layers:+,}{\"mediaType\":\"$mt\",\"digest\":\"$d\",\"size\":$s}"
	diffs+="${diffs:+,}\"$diff\""
done

cfg=$out/config.json
printf '{"architecture":"%s","os":"linux","config":{"Env":%s,"Entrypoint":%s,"Cmd":%s,"WorkingDir":"%s","User":"%s"},"rootfs":{"type":"layers","diff_ids":[%s]},"history":[]}' \
	"$arch" "$env" "$entrypoint" "$cmd" "$workdir" "$user" "$diffs" >"$cfg"
[[ -z $config_sed ]] || sed -i "$config_sed" "$cfg"
read -r cd cs < <(blob "$cfg")
man=$out/manifest.json
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"%s","digest":"%s","size":%s},"layers":[%s]}' \
	"$config_type" "$cd" "$cs" "$layers" >"$man"
read -r md ms < <(blob "$man")
ann=
[[ -n $name ]] && ann=",\"annotations\":{\"org.opencontainers.image.ref.name\":\"$name\"}"
if [[ -n $platforms ]]; then
	list=
	IFS=, read -ra archs <<<"$platforms"
	for a in "${archs[@]}"; do
		list+="${list:+,}{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"$md\",\"size\":$ms,\"platform\":{\"architecture\":\"$a\",\"os\":\"linux\"}}"
	done
	idx=$out/nested.json
	printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' "$list" >"$idx"
	read -r id is < <(blob "$idx")
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"%s","size":%s%s}]}' \
		"$id" "$is" "$ann" >"$out/index.json"
else
	printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"%s","size":%s%s}]}' \
		"$md" "$ms" "$ann" >"$out/index.json"
fi
