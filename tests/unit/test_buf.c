/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_buf.c - unit tests for common/buf.c: the never-NULL growable buffer */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static void test_init_is_empty_string_without_allocation(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;
	struct sz_buf c;

	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.len, 0);
	assert_int_equal(b.alloc, 0);
	sz_buf_init(&c, 0);
	assert_ptr_equal(c.buf, b.buf);
	assert_int_equal(c.alloc, 0);
	/* Releasing or resetting a buffer that never grew is harmless. */
	sz_buf_reset(&c);
	sz_buf_release(&c);
	sz_buf_release(&c);
	assert_string_equal(c.buf, "");
}

static void test_init_with_hint_allocates(void **state)
{
	struct sz_buf b;

	sz_buf_init(&b, 100);
	assert_true(b.alloc > 100);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	sz_buf_release(&b);
	assert_int_equal(b.alloc, 0);
}

static void test_add_and_friends_append(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;

	sz_buf_adds(&b, "abc");
	sz_buf_addch(&b, '-');
	sz_buf_add(&b, "defXX", 3);
	sz_buf_addf(&b, "/%d/%s", 42, "x");
	assert_string_equal(b.buf, "abc-def/42/x");
	assert_int_equal(b.len, strlen("abc-def/42/x"));
	sz_buf_release(&b);
}

static void test_add_keeps_nul_bytes(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;

	sz_buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.buf, "a\0b", 3);
	assert_int_equal(b.buf[3], '\0');
	sz_buf_release(&b);
}

/* Many small appends and a long printf: the contents are exact, always terminated. */
static void test_grows_past_many_blocks(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;
	char big[5000];

	for (int i = 0; i < 10000; i++)
		sz_buf_addch(&b, 'a' + i % 26);
	assert_int_equal(b.len, 10000);
	for (size_t i = 0; i < b.len; i++)
		assert_int_equal(b.buf[i], 'a' + (int)(i % 26));
	assert_int_equal(b.buf[b.len], '\0');
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	sz_buf_reset(&b);
	sz_buf_addf(&b, "<%s>", big);
	assert_int_equal(b.len, sizeof(big) + 1);
	assert_int_equal(b.buf[0], '<');
	assert_int_equal(b.buf[b.len - 1], '>');
	assert_int_equal(b.buf[b.len], '\0');
	sz_buf_release(&b);
}

static void test_grow_makes_room_without_changing_len(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;

	sz_buf_adds(&b, "xy");
	sz_buf_grow(&b, 1000);
	assert_int_equal(b.len, 2);
	assert_true(b.alloc >= 1003);
	assert_string_equal(b.buf, "xy");
	sz_buf_release(&b);
}

static void test_reset_keeps_the_block(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;
	size_t alloc;

	sz_buf_adds(&b, "hello");
	alloc = b.alloc;
	sz_buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	assert_int_equal(b.alloc, alloc);
	sz_buf_adds(&b, "again");
	assert_string_equal(b.buf, "again");
	sz_buf_release(&b);
}

static void test_detach_hands_over_and_reinits(void **state)
{
	struct sz_buf b = SZ_BUF_INIT;
	size_t len = 0;
	char *s;

	sz_buf_adds(&b, "owned");
	s = sz_buf_detach(&b, &len);
	assert_string_equal(s, "owned");
	assert_int_equal(len, 5);
	assert_int_equal(b.alloc, 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.buf, "");
	free(s);
	/* A buffer that never grew still detaches a malloc'd "", never the static one. */
	s = sz_buf_detach(&b, NULL);
	assert_ptr_not_equal(s, b.buf);
	assert_string_equal(s, "");
	free(s);
}

static void test_cleanup_releases(void **state)
{
	{
		cleanup_buf struct sz_buf b = SZ_BUF_INIT;
		sz_buf_addf(&b, "%s",
		            "freed at the end of the scope (ASan and valgrind see a leak otherwise)");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_is_empty_string_without_allocation),
	    cmocka_unit_test(test_init_with_hint_allocates),
	    cmocka_unit_test(test_add_and_friends_append),
	    cmocka_unit_test(test_add_keeps_nul_bytes),
	    cmocka_unit_test(test_grows_past_many_blocks),
	    cmocka_unit_test(test_grow_makes_room_without_changing_len),
	    cmocka_unit_test(test_reset_keeps_the_block),
	    cmocka_unit_test(test_detach_hands_over_and_reinits),
	    cmocka_unit_test(test_cleanup_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
