/* SPDX-License-Identifier: GPL-3.0-or-later */
/* json.c - stanza's side of jansson: strings from any bytes, one layout for output, located errors */
#include "common/json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/util.h"

#define REAL_FLAGS JSON_REAL_PRECISION(15)

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. Stops at
 * a NUL, which is never a continuation byte. */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned int cp, min;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static json_t *checked(json_t *v)
{
	if (v == NULL)
		abort(); /* out of memory: a tutorial has no better answer */
	return v;
}

json_t *sz_json_string(const char *s)
{
	struct sz_buf b = SZ_BUF_INIT;
	const unsigned char *p = (const unsigned char *)s;
	json_t *v;

	if (s == NULL)
		return json_null();
	while (*p != '\0') {
		size_t n = utf8_sequence(p);

		if (n == 0) {
			sz_buf_adds(&b, "\xef\xbf\xbd"); /* U+FFFD */
			p++;
		} else {
			sz_buf_add(&b, p, n);
			p += n;
		}
	}
	v = checked(json_stringn(b.buf, b.len));
	sz_buf_release(&b);
	return v;
}

static char *checked_text(char *text)
{
	if (text == NULL)
		abort(); /* out of memory */
	return text;
}

void sz_json_set(json_t *obj, const char *key, json_t *value)
{
	cleanup_json json_t *k = sz_json_string(key);

	if (json_object_set_new(obj, json_string_value(k), checked(value)) < 0)
		abort(); /* obj is not an object: a bug */
}

void sz_json_push(json_t *arr, json_t *value)
{
	if (json_array_append_new(arr, checked(value)) < 0)
		abort(); /* arr is not an array: a bug */
}

static int dump_closed(const json_t *v, FILE *out)
{
	return json_dumpf(v, out, JSON_ENCODE_ANY | REAL_FLAGS);
}

static void indent(FILE *out, int depth)
{
	fprintf(out, "\n%*s", 2 * depth, "");
}

/* Whether the value of member key is laid out open. */
static bool opens(const char *const *open_keys, const char *key)
{
	if (open_keys == NULL)
		return true;
	for (; key != NULL && *open_keys != NULL; open_keys++)
		if (strcmp(*open_keys, key) == 0)
			return true;
	return false;
}

static void dump_value(const json_t *v, FILE *out, const char *const *open_keys, bool open, int depth);

static void dump_object(const json_t *v, FILE *out, const char *const *open_keys, int depth)
{
	const char *key;
	json_t *member;
	bool first = true;

	fputc('{', out);
	json_object_foreach ((json_t *)v, key, member) {
		cleanup_json json_t *k = checked(json_string(key));

		fputs(first ? "" : ",", out);
		indent(out, depth + 1);
		dump_closed(k, out);
		fputs(": ", out);
		dump_value(member, out, open_keys, opens(open_keys, key), depth + 1);
		first = false;
	}
	indent(out, depth);
	fputc('}', out);
}

static void dump_array(const json_t *v, FILE *out, const char *const *open_keys, int depth)
{
	size_t i;
	json_t *item;

	fputc('[', out);
	json_array_foreach (v, i, item) {
		fputs(i > 0 ? "," : "", out);
		indent(out, depth + 1);
		dump_value(item, out, open_keys, open_keys == NULL, depth + 1);
	}
	indent(out, depth);
	fputc(']', out);
}

static void dump_value(const json_t *v, FILE *out, const char *const *open_keys, bool open, int depth)
{
	if (open && json_is_object(v) && json_object_size(v) > 0)
		dump_object(v, out, open_keys, depth);
	else if (open && json_is_array(v) && json_array_size(v) > 0)
		dump_array(v, out, open_keys, depth);
	else
		dump_closed(v, out);
}

int sz_json_dumpf(const json_t *v, FILE *out, const char *const *open_keys)
{
	dump_value(v, out, open_keys, true, 0);
	return ferror(out) ? -1 : 0;
}

void sz_json_print_string(FILE *out, const char *s)
{
	cleanup_json json_t *v = sz_json_string(s);
	cleanup_free char *text = checked_text(json_dumps(v, JSON_ENCODE_ANY));

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == 0x7f)
			fputs("\\u007f", out);
		else
			fputc(*p, out);
	}
}

json_t *sz_json_parse(const char *text, size_t len, const char *name, sz_error_t *err)
{
	json_error_t e;
	json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, &e);

	if (v == NULL)
		sz_error_make(err, 0, "%s:%d:%d: %s", name, e.line, e.column, e.text);
	return v;
}

json_t *sz_json_load_file(const char *path, sz_error_t *err)
{
	cleanup_free char *text = NULL;
	size_t len = 0;

	if (sz_read_file(path, &text, &len, err) < 0)
		return NULL;
	return sz_json_parse(text, len, path, err);
}
