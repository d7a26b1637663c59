#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# test_banned.sh - src/common/banned.h refuses each banned call and nothing else
#
# Compiles (syntax only) a call to each function the header bans, with the
# header forced in as CMakeLists.txt forces it on src/: each must fail, naming
# the function. Then a file that uses only the allowed neighbours (snprintf,
# strtoull, strchr, memcpy, localtime_r) must compile cleanly, so the header
# does not break the system headers it comes before.
set -u

CC=${CC:-cc}
HEADER=${STANZA_SOURCE_DIR:?}/src/common/banned.h
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
failed=0

compile() { # FILE
	"$CC" -std=gnu11 -D_GNU_SOURCE -fsyntax-only -Werror -include "$HEADER" "$1" 2>"$TMP/err"
}

calls=(
	'strcpy(d, s)' 'strcat(d, s)' 'strncpy(d, s, 1)' 'strncat(d, s, 1)' 'stpcpy(d, s)'
	'sprintf(d, "%d", 1)' 'vsprintf(d, "%d", ap)' 'gets(d)'
	'strtok(d, s)' 'strtok_r(d, s, &p)' 'atoi(s)' 'atol(s)' 'atoll(s)' 'atof(s)'
	'asctime(&tm)' 'ctime(&t)' 'gmtime(&t)' 'localtime(&t)' 'mktemp(d)' 'tmpnam(d)'
)
for call in "${calls[@]}"; do
	name=${call%%(*}
	cat >"$TMP/bad.c" <<-C
		#include <stdarg.h>
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <time.h>
		void f(char *d, const char *s, va_list ap);
		void f(char *d, const char *s, va_list ap)
		{
			char *p = NULL;
			time_t t = 0;
			struct tm tm = {0};
			(void)p; (void)t; (void)tm; (void)ap;
			(void)$call;
		}
	C
	if compile "$TMP/bad.c"; then
		echo "not ok - $name compiles although banned.h bans it"
		failed=1
	elif grep -q "sorry_${name}_is_a_banned_function" "$TMP/err"; then
		echo "ok - $name is refused, by name"
	else
		echo "not ok - $name is refused, but not by banned.h: $(head -n 3 "$TMP/err")"
		failed=1
	fi
done

cat >"$TMP/good.c" <<'C'
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
int f(char *d, size_t n, const char *s);
int f(char *d, size_t n, const char *s)
{
	time_t t = 0;
	struct tm tm;
	char *end = NULL;

	localtime_r(&t, &tm);
	memcpy(d, s, strcspn(s, ":"));
	return snprintf(d, n, "%llu%s", strtoull(s, &end, 10), strchr(s, ':'));
}
C
if compile "$TMP/good.c"; then
	echo "ok - the allowed functions compile with banned.h first"
else
	echo "not ok - banned.h breaks a clean file: $(head -n 5 "$TMP/err")"
	failed=1
fi
exit "$failed"
