/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_fuzz_regress.c - every input a fuzz target once crashed on, handled again without a crash or a leak */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli/run_options.h"
#include "common/util.h"
#include "course/course.h"
#include "course/progress.h"
#include "course/render.h"
#include "labs/lab.h"
#include "shell/shell_internal.h"

#include "../fuzz/fuzz.h"

/*
 * tests/fixtures/fuzz/<target>/ holds the inputs that made tests/fuzz/fuzz_<target>
 * fail, as libFuzzer wrote them (tests/fuzz/README.md). Each is given to the
 * code under test the way that target gives it, and must be refused with a
 * message, except files named ok-*, which must be accepted. Crashes show
 * here as crashes; leaks and use after free need the ASan+UBSan build
 * (`make sanitize`), which runs this test too.
 */

#define FUZZ_FIXTURES FIXTURES_DIR "/fuzz"

struct input {
	char *name;
	char *data;
	size_t len;
	bool ok; /* named ok-*: must be accepted */
};

static int not_hidden(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* The inputs of one target, sorted by name; the count, 0 when none. */
static size_t read_inputs(const char *target, struct input **out)
{
	char *dir = sz_asprintf("%s/%s", FUZZ_FIXTURES, target);
	struct dirent **names = NULL;
	int n = scandir(dir, &names, not_hidden, alphasort);
	struct input *in;

	*out = NULL;
	if (n <= 0) {
		free(names);
		free(dir);
		return 0;
	}
	in = sz_xcalloc((size_t)n, sizeof(*in));
	for (int i = 0; i < n; i++) {
		char *path = sz_asprintf("%s/%s", dir, names[i]->d_name);
		sz_error_t err = NULL;

		if (sz_read_file(path, &in[i].data, &in[i].len, &err) < 0)
			fail_msg("%s", sz_error_msg(err));
		in[i].name = sz_xstrdup(names[i]->d_name);
		in[i].ok = sz_str_has_prefix(in[i].name, "ok-");
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	*out = in;
	return (size_t)n;
}

static void free_inputs(struct input *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(in[i].name);
		free(in[i].data);
	}
	free(in);
}

/* A copy of exactly len bytes, so that ASan sees any read past the end. */
static char *exact_copy(const struct input *in)
{
	char *p = sz_xmalloc(in->len > 0 ? in->len : 1);

	memcpy(p, in->data, in->len);
	return p;
}

static bool is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* A loader's outcome: out (of size bytes) is zeroed when the input is refused. */
static void expect_diags(const struct input *in, int r, const struct sz_diags *d, const void *out,
                         size_t size)
{
	if (in->ok && r != 0) {
		sz_diags_print(d, stderr);
		fail_msg("%s: refused, but it must load", in->name);
	}
	if (!in->ok && r == 0)
		fail_msg("%s: loaded, but it must be refused", in->name);
	if (!in->ok && (r != -1 || d->n == 0))
		fail_msg("%s: refused without a message", in->name);
	if (r != 0 && !is_zero(out, size))
		fail_msg("%s: refused, but something was left behind", in->name);
	sz_diags_print(d, fuzz_sink());
}

/* No inputs for a target is a skip, said so. */
static void skip_without_inputs(const char *target)
{
	print_message("no inputs in %s/%s: nothing has broken fuzz_%s yet\n", FUZZ_FIXTURES, target, target);
	skip();
}

/* What fuzz_lesson does with a chapter that loaded: the content rules and the renderer. */
static void use_chapter(struct sz_chapter *ch, size_t size)
{
	struct sz_diags d = {0};
	struct sz_render_options o;

	sz_chapter_check_rules(ch, &d);
	sz_chapter_word_count(ch);
	sz_render_options_init(&o);
	o.styled = size % 2 == 0;
	o.width = 20 + size % 100;
	sz_render_chapter(fuzz_sink(), ch, &o);
	sz_diags_print(&d, fuzz_sink());
	sz_diags_release(&d);
}

static void test_lesson_inputs(void **state)
{
	struct input *in;
	size_t n = read_inputs("lesson", &in);

	if (n == 0)
		skip_without_inputs("lesson");
	for (size_t i = 0; i < n; i++) {
		char id[FUZZ_MAX_ID + 1];
		char *data = exact_copy(&in[i]), *name;
		struct sz_diags d = {0};
		struct sz_chapter ch;
		int r;

		fuzz_yaml_id((const uint8_t *)data, in[i].len, id);
		name = sz_asprintf("lessons/en/01-%s.yaml", id);
		r = sz_chapter_load_buffer(name, data, in[i].len, &ch, &d);
		expect_diags(&in[i], r, &d, &ch, sizeof(ch));
		if (r == 0) {
			use_chapter(&ch, in[i].len);
			sz_chapter_release(&ch);
		}
		sz_diags_release(&d);
		free(name);
		free(data);
	}
	free_inputs(in, n);
}

static void test_lab_inputs(void **state)
{
	struct input *in;
	size_t n = read_inputs("lab", &in);

	if (n == 0)
		skip_without_inputs("lab");
	for (size_t i = 0; i < n; i++) {
		char id[FUZZ_MAX_ID + 1];
		char *data = exact_copy(&in[i]), *name;
		struct sz_diags d = {0};
		struct sz_lab lab;
		int r;

		fuzz_yaml_id((const uint8_t *)data, in[i].len, id);
		name = sz_asprintf("labs/fuzz/%s.yaml", id);
		r = sz_lab_load_buffer(name, "fuzz", data, in[i].len, &lab, &d);
		expect_diags(&in[i], r, &d, &lab, sizeof(lab));
		for (size_t k = 0; r == 0 && k < lab.n_steps; k++)
			if (sz_lab_find_step(&lab, lab.steps[k].id) == NULL)
				fail_msg("%s: step '%s' cannot be found", in[i].name, lab.steps[k].id);
		if (r == 0)
			sz_lab_release(&lab);
		sz_diags_release(&d);
		free(name);
		free(data);
	}
	free_inputs(in, n);
}

/* `run true` parses to just that, whatever was parsed before. */
static void parse_run_control(const char *after)
{
	char *argv[] = {"run", "true", NULL};
	struct sz_run_options o = {0};
	sz_error_t err = NULL;

	sz_spec_init(&o.spec);
	if (sz_run_options_parse(&o, 2, argv, &err) != 0)
		fail_msg("after %s: 'run true' refused: %s", after, sz_error_msg(err));
	if (o.n_env != 0 || o.spec.n_volumes != 0 || o.spec.argv != argv + 1)
		fail_msg("after %s: 'run true' parsed to something else", after);
	sz_run_options_release(&o);
}

/* One input as fuzz_run_options reads it: "run", then its NUL-separated
 * arguments. The argument strings are freed before the next parse, as the
 * fuzzer frees its input, so that a parse still pointing into an earlier
 * argv is caught. */
static void parse_run_input(const struct input *in)
{
	char *text = sz_xmalloc(in->len + 1);
	char *argv[66] = {"run"};
	int argc = 1;
	struct sz_run_options o = {0};
	sz_error_t err = NULL;
	int r;

	memcpy(text, in->data, in->len);
	text[in->len] = '\0';
	for (char *p = text; p <= text + in->len && argc < 65; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	sz_spec_init(&o.spec);
	r = sz_run_options_parse(&o, argc, argv, &err);
	if (in->ok && r != 0)
		fail_msg("%s: refused (%s), but it must parse", in->name, sz_error_msg(err));
	if (!in->ok && r == 0)
		fail_msg("%s: parsed, but it must be refused", in->name);
	if (!in->ok && (r != -1 || sz_error_msg(err)[0] == '\0'))
		fail_msg("%s: refused without a message", in->name);
	sz_error_release(&err);
	sz_run_options_release(&o);
	free(text);
	parse_run_control(in->name);
}

static void test_run_options_inputs(void **state)
{
	struct input *in;
	size_t n = read_inputs("run_options", &in);

	if (n == 0)
		skip_without_inputs("run_options");
	/* Twice through: some inputs broke the parse that came after them. */
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < n; i++)
			parse_run_input(&in[i]);
	free_inputs(in, n);
}

/* As fuzz_util_parse: the first byte picks the parser, the rest is its text. */
static void test_util_parse_inputs(void **state)
{
	static const uint64_t bounds[][2] = {{1, 4194304}, {0, UINT64_MAX}, {0, 255}, {1, 65535}};
	struct input *in;
	size_t n = read_inputs("util_parse", &in);

	if (n == 0)
		skip_without_inputs("util_parse");
	for (size_t i = 0; i < n; i++) {
		const char *text = in[i].len > 0 ? in[i].data + 1 : "";
		unsigned which = in[i].len > 0 ? (unsigned char)in[i].data[0] : 0;
		sz_error_t err = NULL;
		uint64_t v;
		int r = 0;

		switch (which % 7) {
		case 0: r = sz_parse_size(text, &v, &err); break;
		case 1: r = sz_parse_duration(text, &v, &err); break;
		case 2: r = sz_parse_fraction(text, &v, &err); break;
		case 3:
			r = sz_parse_uint(text, bounds[which / 7 % 4][0], bounds[which / 7 % 4][1], &v, &err);
			break;
		case 4: free(sz_clean_container_path(text)); continue;
		case 5: sz_progress_id_valid(SZ_PROGRESS_STEP, text); continue;
		default: free(sz_shell_split(text, &(int){0})); continue;
		}
		if ((r == 0) != in[i].ok)
			fail_msg("%s: %s", in[i].name,
			         in[i].ok ? sz_error_msg(err) : "accepted, but it must be refused");
		sz_error_release(&err);
	}
	free_inputs(in, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lesson_inputs),
	    cmocka_unit_test(test_lab_inputs),
	    cmocka_unit_test(test_run_options_inputs),
	    cmocka_unit_test(test_util_parse_inputs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
