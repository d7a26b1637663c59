/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz.h - what the libFuzzer targets share: the file name an input claims, a sink for output */
#ifndef SZ_FUZZ_H
#define SZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FUZZ_MAX_ID = 64 };

/*
 * The value of the first top-level "id:" line of a YAML input, kept to the
 * characters an id may hold ([a-z0-9-], at most FUZZ_MAX_ID), into id (of
 * FUZZ_MAX_ID + 1 bytes); "fuzz" when there is none. The loaders require
 * the id to match the file name, so naming the input after it lets a valid
 * input load all the way instead of stopping at that check.
 */
static inline void fuzz_yaml_id(const uint8_t *data, size_t size, char *id)
{
	const uint8_t *p = data, *end = data + size;
	size_t n = 0;

	while (p < end) {
		const uint8_t *eol = memchr(p, '\n', (size_t)(end - p));
		const uint8_t *stop = eol != NULL ? eol : end;

		if (stop - p > 3 && memcmp(p, "id:", 3) == 0) {
			for (p += 3; p < stop && n < FUZZ_MAX_ID; p++)
				if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')
					id[n++] = (char)*p;
			break;
		}
		p = eol != NULL ? eol + 1 : end;
	}
	if (n == 0)
		memcpy(id, "fuzz", n = 4);
	id[n] = '\0';
}

/* A stream that swallows what is printed, so that printing is exercised
 * without slowing the run down with output. Opened once, never closed. */
static inline FILE *fuzz_sink(void)
{
	static FILE *sink;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	return sink;
}

#endif
