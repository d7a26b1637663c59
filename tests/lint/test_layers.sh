#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_layers.sh - scripts/check-layers.sh catches a layer that includes one above or beside it, and src/ has none
#
# Usage: test_layers.sh SOURCE_DIR
set -euo pipefail

top=${1:?usage: test_layers.sh SOURCE_DIR}
check=$top/scripts/check-layers.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# A copy of src/ with two planted violations: the runtime includes the TUI
# (a layer above it) and the course includes the runtime (beside it).
cp -r "$top/src" "$tmp/src"
printf '#include "tui/tui.h"\n' >>"$tmp/src/runtime/run.c"
up_line=$(wc -l <"$tmp/src/runtime/run.c")
printf '#include "runtime/runtime.h"\n' >>"$tmp/src/course/course.c"
side_line=$(wc -l <"$tmp/src/course/course.c")

if out=$("$check" "$tmp/src"); then
	fail "check-layers.sh passed a tree with planted violations"
fi
echo "$out"
grep -qF "$tmp/src/runtime/run.c:$up_line: runtime includes \"tui/tui.h\": tui is above runtime" <<<"$out" ||
	fail "the include of the TUI by the runtime is not named at runtime/run.c:$up_line"
grep -qF "$tmp/src/course/course.c:$side_line: course includes \"runtime/runtime.h\": runtime is beside course" \
	<<<"$out" || fail "the include of the runtime by the course is not named at course/course.c:$side_line"
[[ $(wc -l <<<"$out") -eq 2 ]] || fail "expected exactly the two planted violations"

# A layer the script does not know is an error, not a pass.
mkdir "$tmp/src/gui"
printf '#include "common/error.h"\n' >"$tmp/src/gui/x.c"
if out=$("$check" "$tmp/src"); then
	fail "check-layers.sh passed a tree with a layer it does not know"
fi
grep -qF "$tmp/src/gui/x.c:1: 'gui' is not a known layer" <<<"$out" || fail "the unknown layer 'gui' is not named"

# The real tree holds no violation.
"$check" "$top/src" || fail "src/ includes across the layers (above)"
echo "ok: planted violations caught, src/ clean"
