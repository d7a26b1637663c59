/* SPDX-License-Identifier: GPL-3.0-or-later */
/* banned.h - C library functions stanza's code must not call (git's banned.h) */
#ifndef SZ_BANNED_H
#define SZ_BANNED_H

/*
 * Every file under src/ is compiled with this header forced in first (-include,
 * CMakeLists.txt), so a call to one of these is a compile error naming the
 * function and the reason. The system headers that declare them come first,
 * so their declarations are not rewritten.
 *
 * Instead: snprintf, sz_asprintf or sz_buf for building strings; memcpy with
 * an explicit length; strcspn/strchr loops or stanza's parsers for splitting;
 * sz_parse_uint/sz_parse_size/sz_parse_duration for numbers (atoi cannot say
 * "not a number" and overflows silently).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SZ_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) SZ_BANNED(strcpy)
#undef strcat
#define strcat(x, y) SZ_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) SZ_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) SZ_BANNED(strncat)
#undef stpcpy
#define stpcpy(x, y) SZ_BANNED(stpcpy)

#undef sprintf
#define sprintf(...) SZ_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) SZ_BANNED(vsprintf)
#undef gets
#define gets(x) SZ_BANNED(gets)

#undef strtok
#define strtok(x, y) SZ_BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) SZ_BANNED(strtok_r)

#undef atoi
#define atoi(x) SZ_BANNED(atoi)
#undef atol
#define atol(x) SZ_BANNED(atol)
#undef atoll
#define atoll(x) SZ_BANNED(atoll)
#undef atof
#define atof(x) SZ_BANNED(atof)

#undef asctime
#define asctime(t) SZ_BANNED(asctime)
#undef ctime
#define ctime(t) SZ_BANNED(ctime)
#undef gmtime
#define gmtime(t) SZ_BANNED(gmtime)
#undef localtime
#define localtime(t) SZ_BANNED(localtime)
#undef mktemp
#define mktemp(t) SZ_BANNED(mktemp)
#undef tmpnam
#define tmpnam(t) SZ_BANNED(tmpnam)

#endif
