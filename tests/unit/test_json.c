/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_json.c - unit tests for common/json.c: strings from any bytes, the layout, located errors */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/json.h"

/* What fn writes for v, as a string the caller frees. */
static char *dumped(const json_t *v, const char *const *open_keys)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(sz_json_dumpf(v, f, open_keys), 0);
	fclose(f);
	return buf;
}

static void assert_string_json(const char *in, const char *want)
{
	cleanup_json json_t *v = sz_json_string(in);
	cleanup_free char *got = dumped(v, NULL);

	assert_string_equal(got, want);
}

static void test_string_escaping(void **state)
{
	assert_string_json(NULL, "null");
	assert_string_json("", "\"\"");
	assert_string_json("plain /sys/fs/cgroup", "\"plain /sys/fs/cgroup\"");
	assert_string_json("say \"hi\"", "\"say \\\"hi\\\"\"");
	assert_string_json("C:\\path", "\"C:\\\\path\"");
	assert_string_json("a\nb\tc\rd", "\"a\\nb\\tc\\rd\"");
	assert_string_json("\b\f", "\"\\b\\f\"");
	assert_string_json("\x01\x1f", "\"\\u0001\\u001F\"");
	assert_string_json("perché è già", "\"perché è già\"");
	assert_string_json("→ 🐳", "\"→ 🐳\"");
}

/* Bytes that are not UTF-8 become U+FFFD, one for each byte. */
static void test_string_invalid_utf8(void **state)
{
	assert_string_json("a\xff"
	                   "b",
	                   "\"a\xef\xbf\xbd"
	                   "b\"");
	assert_string_json("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");                 /* overlong '/' */
	assert_string_json("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""); /* a surrogate */
	assert_string_json("end\xe2\x82", "\"end\xef\xbf\xbd\xef\xbf\xbd\"");           /* cut short */
}

static void test_print_string_is_yaml_too(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	sz_json_print_string(f, "del\x7f and \"q\"");
	fputc(' ', f);
	sz_json_print_string(f, NULL);
	fclose(f);
	assert_string_equal(buf, "\"del\\u007f and \\\"q\\\"\" null");
	free(buf);
}

/* A key that is not UTF-8 is mended, not refused. */
static void test_set_mends_keys(void **state)
{
	cleanup_json json_t *o = json_object();
	cleanup_free char *got = NULL;

	sz_json_set(o, "k\xff", json_true());
	got = dumped(o, (const char *const[]){NULL});
	assert_string_equal(got, "{\n  \"k\xef\xbf\xbd\": true\n}");
}

static json_t *sample(void)
{
	json_t *root = json_object();
	json_t *list = json_array();
	json_t *item = json_object();

	sz_json_set(item, "n", json_integer(1));
	sz_json_set(item, "tags", json_array());
	sz_json_push(list, item);
	sz_json_push(list, json_real(1.5));
	sz_json_set(root, "list", list);
	sz_json_set(root, "seconds", json_real(2));
	sz_json_set(root, "empty", json_object());
	return root;
}

static void test_layout_open_keys(void **state)
{
	cleanup_json json_t *v = sample();
	cleanup_free char *top = dumped(v, (const char *const[]){NULL});
	cleanup_free char *list = dumped(v, (const char *const[]){"list", NULL});

	assert_string_equal(top, "{\n"
	                         "  \"list\": [{\"n\": 1, \"tags\": []}, 1.5],\n"
	                         "  \"seconds\": 2.0,\n"
	                         "  \"empty\": {}\n"
	                         "}");
	assert_string_equal(list, "{\n"
	                          "  \"list\": [\n"
	                          "    {\"n\": 1, \"tags\": []},\n"
	                          "    1.5\n"
	                          "  ],\n"
	                          "  \"seconds\": 2.0,\n"
	                          "  \"empty\": {}\n"
	                          "}");
}

static void test_layout_all_open(void **state)
{
	cleanup_json json_t *v = sample();
	cleanup_free char *all = dumped(v, NULL);

	assert_string_equal(all, "{\n"
	                         "  \"list\": [\n"
	                         "    {\n"
	                         "      \"n\": 1,\n"
	                         "      \"tags\": []\n"
	                         "    },\n"
	                         "    1.5\n"
	                         "  ],\n"
	                         "  \"seconds\": 2.0,\n"
	                         "  \"empty\": {}\n"
	                         "}");
}

/* Members stay in the order they were set, and what is written reads back. */
static void test_round_trip_keeps_order(void **state)
{
	cleanup_json json_t *v = sample();
	cleanup_free char *text = dumped(v, NULL);
	sz_error_t err = NULL;
	cleanup_json json_t *back = sz_json_parse(text, strlen(text), "sample", &err);
	const char *key;
	json_t *member;
	const char *want[] = {"list", "seconds", "empty"};
	size_t i = 0;

	assert_non_null(back);
	assert_true(json_equal(v, back));
	json_object_foreach (back, key, member)
		assert_string_equal(key, want[i++]);
	assert_int_equal(i, 3);
}

static void test_parse_error_is_located(void **state)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\" 2\n}\n";
	sz_error_t err = NULL;
	json_t *v = sz_json_parse(text, strlen(text), "config.json", &err);

	assert_null(v);
	assert_non_null(err);
	assert_non_null(strstr(sz_error_msg(err), "config.json:3:"));
	sz_error_release(&err);
	/* Duplicate keys are refused: a config must say one thing. */
	v = sz_json_parse("{\"a\": 1, \"a\": 2}", 16, "dup.json", &err);
	assert_null(v);
	assert_non_null(strstr(sz_error_msg(err), "dup.json:1:"));
	sz_error_release(&err);
}

static void test_load_file(void **state)
{
	char path[] = "/tmp/test_json.XXXXXX";
	int fd = mkstemp(path);
	sz_error_t err = NULL;
	json_t *v;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[1, 2]", 6), 6);
	close(fd);
	v = sz_json_load_file(path, &err);
	assert_non_null(v);
	assert_int_equal(json_array_size(v), 2);
	json_decref(v);
	unlink(path);
	v = sz_json_load_file(path, &err);
	assert_null(v);
	assert_non_null(strstr(sz_error_msg(err), path));
	sz_error_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_string_escaping),
	    cmocka_unit_test(test_string_invalid_utf8),
	    cmocka_unit_test(test_print_string_is_yaml_too),
	    cmocka_unit_test(test_set_mends_keys),
	    cmocka_unit_test(test_layout_open_keys),
	    cmocka_unit_test(test_layout_all_open),
	    cmocka_unit_test(test_round_trip_keeps_order),
	    cmocka_unit_test(test_parse_error_is_located),
	    cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
