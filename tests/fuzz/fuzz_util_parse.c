/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_util_parse.c - libFuzzer target: the small text parsers behind options and content fields */
#include <inttypes.h>
#include <string.h>

#include "cli/run_options.h"
#include "common/util.h"
#include "course/progress.h"
#include "fuzz.h"
#include "shell/shell_internal.h"

/*
 * The first byte of the input picks a parser (its value mod 7, in the order
 * of the switch below), the rest is its text (up to the first NUL). Each
 * parser must accept or refuse with a message, never crash or leak, and
 * what it accepts must hold up: a number printed back parses to itself, a
 * cleaned path is clean and cleaning it again changes nothing, a valid
 * progress id has the shape its kind says, the words of a shell line are
 * its non-blank runs. tests/unit/test_fuzz_regress.c replays the inputs
 * kept as fixtures with the same choice.
 */

static void expect(bool ok)
{
	if (!ok)
		abort();
}

/* A refusal carries a message; an acceptance none. */
static void expect_outcome(int r, sz_error_t *err)
{
	expect(r == 0 ? *err == NULL : r == -1 && *err != NULL && sz_error_msg(*err)[0] != '\0');
	sz_error_release(err);
}

static void fuzz_size(const char *text)
{
	sz_error_t err = NULL;
	uint64_t v = 0, again = 0;
	char buf[32];
	int r = sz_parse_size(text, &v, &err);

	expect_outcome(r, &err);
	if (r < 0)
		return;
	expect(v > 0);
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	expect(sz_parse_size(buf, &again, &err) == 0 && again == v);
	sz_format_size(v, buf, sizeof(buf));
}

static void fuzz_duration(const char *text)
{
	sz_error_t err = NULL;
	uint64_t ns = 0, again = 0;
	char buf[32];
	int r = sz_parse_duration(text, &ns, &err);

	expect_outcome(r, &err);
	if (r < 0)
		return;
	expect(ns > 0);
	if (ns % 1000000 == 0) {
		snprintf(buf, sizeof(buf), "%" PRIu64 "ms", ns / 1000000);
		expect(sz_parse_duration(buf, &again, &err) == 0 && again == ns);
	}
}

static void fuzz_fraction(const char *text)
{
	sz_error_t err = NULL;
	uint64_t milli = 0, again = 0;
	char buf[48];
	int r = sz_parse_fraction(text, &milli, &err);

	expect_outcome(r, &err);
	if (r < 0)
		return;
	expect(milli > 0);
	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, milli / 1000, milli % 1000);
	expect(sz_parse_fraction(buf, &again, &err) == 0 && again == milli);
}

/* The reference: digits only, no overflow, in range. */
static void fuzz_uint(const char *text, uint8_t how)
{
	static const uint64_t bounds[][2] = {{1, 4194304}, {0, UINT64_MAX}, {0, 255}, {1, 65535}};
	const uint64_t *b = bounds[how % 4];
	sz_error_t err = NULL;
	uint64_t v = 0, want = 0;
	bool valid = text[0] != '\0';
	int r = sz_parse_uint(text, b[0], b[1], &v, &err);

	for (const char *p = text; valid && *p != '\0'; p++) {
		valid = *p >= '0' && *p <= '9' && want <= (UINT64_MAX - (uint64_t)(*p - '0')) / 10;
		want = want * 10 + (uint64_t)(*p - '0');
	}
	valid = valid && want >= b[0] && want <= b[1];
	expect_outcome(r, &err);
	expect((r == 0) == valid && (r < 0 || v == want));
}

static void fuzz_container_path(const char *text)
{
	char *clean = sz_clean_container_path(text);
	char *again = sz_clean_container_path(clean);
	size_t len = strlen(clean);

	expect(clean[0] == '/' && strcmp(clean, again) == 0);
	expect(strstr(clean, "//") == NULL && strstr(clean, "/./") == NULL && strstr(clean, "/../") == NULL);
	expect(len == 1 || clean[len - 1] != '/');
	expect(strcmp(clean + (len >= 2 ? len - 2 : 0), "/.") != 0);
	expect(strcmp(clean + (len >= 3 ? len - 3 : 0), "/..") != 0);
	free(again);
	free(clean);
}

/* --reset's argument and the ids in the progress file: [a-z0-9-]+ segments
 * joined by '/', as many as the kind says. */
static void fuzz_progress_id(const char *text)
{
	static const unsigned segments[] = {1, 2, 2, 3, 2};
	size_t len = strlen(text);
	unsigned n = 1;

	for (const char *p = text; *p != '\0'; p++)
		n += *p == '/';
	for (int kind = SZ_PROGRESS_CHAPTER; kind <= SZ_PROGRESS_ANSWER; kind++) {
		if (!sz_progress_id_valid((enum sz_progress_kind)kind, text))
			continue;
		expect(len > 0 && strspn(text, "abcdefghijklmnopqrstuvwxyz0123456789-/") == len);
		expect(text[0] != '/' && text[len - 1] != '/' && strstr(text, "//") == NULL);
		expect(n == segments[kind]);
	}
}

/* A line typed at the `stanza shell` prompt, split into its words. */
static void fuzz_shell_line(const char *text)
{
	int argc = -1;
	char **argv = sz_shell_split(text, &argc);
	const char *p = text;

	expect(argc >= 0 && argv[argc] == NULL);
	for (int i = 0; i < argc; i++) {
		size_t len = strlen(argv[i]);

		p += strspn(p, " \t");
		expect(len > 0 && strcspn(argv[i], " \t") == len && strncmp(p, argv[i], len) == 0);
		p += len;
	}
	expect(p[strspn(p, " \t")] == '\0');
	free(argv);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	uint8_t which;

	if (size == 0)
		return 0;
	which = data[0];
	text = sz_xmalloc(size);
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (which % 7) {
	case 0: fuzz_size(text); break;
	case 1: fuzz_duration(text); break;
	case 2: fuzz_fraction(text); break;
	case 3: fuzz_uint(text, which / 7); break;
	case 4: fuzz_container_path(text); break;
	case 5: fuzz_progress_id(text); break;
	case 6: fuzz_shell_line(text); break;
	}
	free(text);
	return 0;
}
