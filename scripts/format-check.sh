#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# format-check.sh - fail on C files that clang-format would change or that call banned functions
#
# Checks every tracked or untracked-but-not-ignored *.c and *.h file (outside
# a git checkout: those under src/ and tests/). Exit status: 0 clean, 1
# offenders (listed), 77 clang-format is missing (a skip for ctest; the banned
# functions are still checked first).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	mapfile -t files < <(git ls-files -co --exclude-standard -- '*.c' '*.h' | while IFS= read -r f; do
		[[ -f "$f" ]] && printf '%s\n' "$f"
	done)
else
	mapfile -t files < <(find src tests -name '*.[ch]' -type f 2>/dev/null | LC_ALL=C sort)
fi
if ((${#files[@]} == 0)); then
	echo "format-check: no C files found"
	exit 0
fi

status=0

# Unsafe string functions (git's banned.h): use snprintf, sz_asprintf, sz_buf,
# memcpy with an explicit length, or a real parser instead. Under src/ the
# compiler refuses these and more (src/common/banned.h is forced in first);
# this grep covers the rest (tests/, tools/), which banned.h does not reach.
# A header that defines the ban itself (banned.h) is exempt.
banned='\b(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|gets)[[:space:]]*\('
bad=()
for f in "${files[@]}"; do
	[[ "${f##*/}" == banned.h ]] || bad+=("$f")
done
if hits=$(grep -nE "$banned" -- "${bad[@]}"); then
	echo "format-check: banned functions (use snprintf/sz_asprintf, memcpy with a length, strtok_r):"
	sed 's/^/  /' <<<"$hits"
	status=1
fi

if ! command -v clang-format >/dev/null 2>&1; then
	echo "format-check: skipped: clang-format is not installed (Debian: clang-format)"
	((status == 0)) && exit 77
	exit "$status"
fi

# One clang-format for all files; each offending file is named in its warnings.
if ! out=$(clang-format --dry-run -Werror -- "${files[@]}" 2>&1); then
	mapfile -t offenders < <(sed -nE 's/^(.+):[0-9]+:[0-9]+: error: .*/\1/p' <<<"$out" | LC_ALL=C sort -u)
	if ((${#offenders[@]} == 0)); then
		printf '%s\n' "$out"
		offenders=("(clang-format failed; see above)")
	fi
	echo "format-check: not formatted as .clang-format says (fix with: clang-format -i FILE):"
	printf '  %s\n' "${offenders[@]}"
	status=1
fi
((status == 0)) && echo "format-check: ${#files[@]} files clean"
exit "$status"
