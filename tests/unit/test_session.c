/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_session.c - the session's prompt scanner: markers whole, split over reads, look-alikes, continuation
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "labs/session.h"

struct sink {
	char text[256];
	size_t len;
	int calls;
};

static void collect(void *arg, const char *data, size_t len)
{
	struct sink *s = arg;

	assert_true(len > 0);
	assert_true(s->len + len < sizeof(s->text));
	memcpy(s->text + s->len, data, len);
	s->len += len;
	s->text[s->len] = '\0';
	s->calls++;
}

static enum sz_prompt_event feed(struct sz_prompt_scanner *sc, const char *text, struct sink *out,
                                 int *status)
{
	return sz_prompt_scanner_feed(sc, text, strlen(text), collect, out, status);
}

static void test_marker_in_one_read(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int status = -1;

	sz_prompt_scanner_init(&sc, "0123456789abcdef");
	assert_int_equal(feed(&sc, "/tmp\nSZ0123456789abcdef#0#", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "/tmp\n");
	assert_int_equal(status, 0);
	sz_prompt_scanner_release(&sc);
}

static void test_output_without_newline(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int status = -1;

	sz_prompt_scanner_init(&sc, "n1");
	assert_int_equal(feed(&sc, "abcSZn1#130#", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "abc");
	assert_int_equal(status, 130);
	sz_prompt_scanner_release(&sc);
}

/* A marker cut anywhere is held back, never passed on half. */
static void test_marker_split_everywhere(void **state)
{
	const char *stream = "out\nSZn1#127#";
	size_t n = strlen(stream);

	for (size_t cut = 0; cut <= n; cut++) {
		struct sz_prompt_scanner sc;
		struct sink out = {0};
		int status = -1;
		enum sz_prompt_event ev;

		sz_prompt_scanner_init(&sc, "n1");
		ev = sz_prompt_scanner_feed(&sc, stream, cut, collect, &out, &status);
		if (cut < n) {
			assert_int_equal(ev, SZ_PROMPT_NONE);
			assert_null(strstr(out.text, "SZ"));
			ev = sz_prompt_scanner_feed(&sc, stream + cut, n - cut, collect, &out, &status);
		}
		assert_int_equal(ev, SZ_PROMPT_DONE);
		assert_string_equal(out.text, "out\n");
		assert_int_equal(status, 127);
		sz_prompt_scanner_release(&sc);
	}
}

/* `echo $PS1` prints the marker with a literal $?: output, not a prompt. */
static void test_look_alikes_are_output(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int status = -1;

	sz_prompt_scanner_init(&sc, "n1");
	assert_int_equal(feed(&sc, "SZn1#$?#\nSZn1#1234#\nSZn1##\nSZn1x\nSZn", &out, &status),
	                 SZ_PROMPT_NONE);
	assert_string_equal(out.text, "SZn1#$?#\nSZn1#1234#\nSZn1##\nSZn1x\n");
	assert_int_equal(feed(&sc, "2 SZn1#3#", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "SZn1#$?#\nSZn1#1234#\nSZn1##\nSZn1x\nSZn2 ");
	assert_int_equal(status, 3);
	sz_prompt_scanner_release(&sc);
}

static void test_continuation_prompt(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int status = -1;

	sz_prompt_scanner_init(&sc, "n1");
	assert_int_equal(feed(&sc, "SZn1+", &out, &status), SZ_PROMPT_CONTINUE);
	assert_int_equal(out.len, 0);
	assert_int_equal(feed(&sc, "\nSZn1#130#", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "\n");
	assert_int_equal(status, 130);
	sz_prompt_scanner_release(&sc);
}

/* The session's sync token after ^C, then the prompt it waits for. */
static void test_sync_token(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int value = -1;

	sz_prompt_scanner_init(&sc, "n1");
	assert_int_equal(feed(&sc, "x\nSZn1#0#SZn1@1", &out, &value), SZ_PROMPT_DONE);
	assert_int_equal(value, 0);
	assert_int_equal(feed(&sc, "2@SZn1#130#", &out, &value), SZ_PROMPT_SYNC);
	assert_int_equal(value, 12);
	assert_int_equal(feed(&sc, "", &out, &value), SZ_PROMPT_DONE);
	assert_int_equal(value, 130);
	assert_string_equal(out.text, "x\n");
	assert_int_equal(feed(&sc, "SZn1@@", &out, &value), SZ_PROMPT_NONE);
	assert_string_equal(out.text, "x\nSZn1@@");
	sz_prompt_scanner_release(&sc);
}

/* What follows a prompt stays for the next feed (it is the next command's). */
static void test_bytes_after_marker_wait(void **state)
{
	struct sz_prompt_scanner sc;
	struct sink out = {0};
	int status = -1;

	sz_prompt_scanner_init(&sc, "n1");
	assert_int_equal(feed(&sc, "a SZn1#1#b SZn1#0#", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "a ");
	assert_int_equal(status, 1);
	assert_int_equal(feed(&sc, "", &out, &status), SZ_PROMPT_DONE);
	assert_string_equal(out.text, "a b ");
	assert_int_equal(status, 0);
	assert_int_equal(feed(&sc, "", &out, &status), SZ_PROMPT_NONE);
	sz_prompt_scanner_release(&sc);
}

/* A long stream passes through while only a marker's length is held. */
static void test_large_output_streams(void **state)
{
	struct sz_prompt_scanner sc;
	char chunk[4096];
	int status = -1;

	memset(chunk, 'x', sizeof(chunk));
	sz_prompt_scanner_init(&sc, "0123456789abcdef");
	for (int i = 0; i < 256; i++) {
		assert_int_equal(sz_prompt_scanner_feed(&sc, chunk, sizeof(chunk), NULL, NULL, &status),
		                 SZ_PROMPT_NONE);
		assert_true(sc.pending.len < sc.marker_len);
	}
	sz_prompt_scanner_release(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_marker_in_one_read),      cmocka_unit_test(test_output_without_newline),
	    cmocka_unit_test(test_marker_split_everywhere), cmocka_unit_test(test_look_alikes_are_output),
	    cmocka_unit_test(test_continuation_prompt),     cmocka_unit_test(test_bytes_after_marker_wait),
	    cmocka_unit_test(test_large_output_streams),    cmocka_unit_test(test_sync_token),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
