#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# spdx.sh - the licence line at the top of every source file: check it, or add it where missing
#
#     scripts/spdx.sh --check   list the files without it; exit 1 if any
#     scripts/spdx.sh --add     add it where it is missing (idempotent)
#
# The files: *.c, *.h, *.sh and *.h.in under src/, tools/, tests/, scripts/
# and bench/ (fixtures, YAML, screens and data are not code and stay as they
# are), the shell scripts without a suffix there that start with #!, every
# CMakeLists.txt, cmake/*.cmake and the Makefile. The line is
#     /* SPDX-License-Identifier: GPL-3.0-or-later */   first in C files
#     # SPDX-License-Identifier: GPL-3.0-or-later       first in the others,
#                                                       or right after a #! line
# The licence itself is LICENSE at the top of the tree.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ID='SPDX-License-Identifier: GPL-3.0-or-later'
C_LINE="/* $ID */"
HASH_LINE="# $ID"

# The files, one a line: tracked and untracked-but-not-ignored in a git
# checkout, else found.
list_all() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files -co --exclude-standard -- src tools tests scripts bench cmake CMakeLists.txt Makefile
	else
		find src tools tests scripts bench cmake CMakeLists.txt Makefile -type f 2>/dev/null
	fi
}

# What comment the file takes: "c", "hash", or nothing when it is not source.
kind_of() { # FILE
	local f=$1
	case $f in
	tests/fixtures/* | tests/tui/screens/*) return ;;
	*.c | *.h | *.h.in) echo c ;;
	*.sh | *.cmake | */CMakeLists.txt | CMakeLists.txt | Makefile) echo hash ;;
	*.*) ;;
	*) if [[ $(head -c 2 -- "$f" 2>/dev/null) == '#!' ]]; then echo hash; fi ;;
	esac
	return 0
}

# The line number where the licence line belongs: 2 after a #!, else 1.
line_for() { # FILE
	if [[ $(head -c 2 -- "$1") == '#!' ]]; then echo 2; else echo 1; fi
}

has_line() { # FILE KIND
	local want=$C_LINE
	[[ $2 == hash ]] && want=$HASH_LINE
	[[ $(sed -n "$(line_for "$1")p" -- "$1") == "$want" ]]
}

add_line() { # FILE KIND
	local want=$C_LINE at
	[[ $2 == hash ]] && want=$HASH_LINE
	at=$(line_for "$1")
	if ((at == 1)); then
		{ printf '%s\n' "$want"; cat -- "$1"; } >"$1.spdx-tmp"
	else
		{ head -n 1 -- "$1"; printf '%s\n' "$want"; tail -n +2 -- "$1"; } >"$1.spdx-tmp"
	fi
	chmod --reference="$1" -- "$1.spdx-tmp"
	mv -- "$1.spdx-tmp" "$1"
}

mode=${1:-}
[[ $mode == --check || $mode == --add ]] || {
	echo "usage: $0 --check | --add" >&2
	exit 2
}
missing=0
while IFS= read -r f; do
	[[ -f $f ]] || continue
	kind=$(kind_of "$f")
	[[ -n $kind ]] || continue
	has_line "$f" "$kind" && continue
	if [[ $mode == --add ]]; then
		add_line "$f" "$kind"
		echo "spdx: added to $f"
	else
		((missing == 0)) && echo "spdx: no '$ID' line at the top of:"
		echo "  $f"
		missing=$((missing + 1))
	fi
done < <(list_all | LC_ALL=C sort -u)
[[ -f LICENSE ]] || { echo "spdx: LICENSE is missing"; exit 1; }
((missing == 0)) || { echo "spdx: $missing file(s); scripts/spdx.sh --add puts the line in"; exit 1; }
exit 0
