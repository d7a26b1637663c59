#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check-layers.sh - every #include "..." under src/ points down the layers, never up or sideways
#
# Usage: scripts/check-layers.sh [SRC_DIR]   (default: src)
#
# The layers, lowest first (docs: ../shared/DESIGN.md, "Layers"):
#   common < runtime, course < image, oci < labs < tui, shell < cli
# A file in src/A/ may include "A/..." and "B/..." for any layer B below A.
# Layers of the same rank sit beside each other and may not include each
# other. Prints FILE:LINE: and the reason for each violation; exits 1 when
# there is one, 0 otherwise.
set -euo pipefail

src=${1:-src}
ranks="common=0 runtime=1 course=1 image=2 oci=2 labs=3 tui=4 shell=4 cli=5"

if [[ ! -d $src ]]; then
	echo "check-layers: '$src' is not a directory" >&2
	exit 2
fi

grep -rnE --include='*.c' --include='*.h' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src" | sort |
	awk -v src="$src" -v ranks="$ranks" '
	BEGIN {
		n = split(ranks, r, " ")
		for (i = 1; i <= n; i++) {
			split(r[i], kv, "=")
			rank[kv[1]] = kv[2]
		}
		bad = 0
	}
	{
		file = $0; sub(/:.*/, "", file)
		rest = substr($0, length(file) + 2)
		line = rest; sub(/:.*/, "", line)
		target = rest; sub(/^[^"]*"/, "", target); sub(/".*/, "", target)
		rel = substr(file, length(src) + 2)
		if (index(rel, "/") == 0 || index(target, "/") == 0)
			next # src/config.h.in; "config.h" (generated): no layer
		from = rel; sub(/\/.*/, "", from)
		to = target; sub(/\/.*/, "", to)
		if (!(from in rank)) {
			printf "%s:%s: '\''%s'\'' is not a known layer (add it to scripts/check-layers.sh)\n", file, line, from
			bad = 1
		} else if (!(to in rank)) {
			printf "%s:%s: includes \"%s\": '\''%s'\'' is not a known layer\n", file, line, target, to
			bad = 1
		} else if (from != to && rank[to] >= rank[from]) {
			printf "%s:%s: %s includes \"%s\": %s is %s %s\n", file, line, from, target, to,
			       rank[to] == rank[from] ? "beside" : "above", from
			bad = 1
		}
	}
	END { exit bad }'
