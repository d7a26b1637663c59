/* SPDX-License-Identifier: GPL-3.0-or-later */
/* selfexe.c - where stanza's own binary is (see selfexe.h) */
#include "common/selfexe.h"

#include <limits.h>
#include <unistd.h>

/* Written once, before any thread. */
static char original[PATH_MAX];

const char *sz_self_exe(void)
{
	ssize_t n;

	if (original[0] != '\0')
		return original;
	n = readlink("/proc/self/exe", original, sizeof(original) - 1);
	original[n > 0 ? n : 0] = '\0';
	return original;
}
