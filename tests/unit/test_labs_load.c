/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_labs_load.c - unit tests for the lab loader: the model, every problem located, all labs, the lessons'
 * texts */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/util.h"
#include "course/course.h"
#include "labs/lab.h"

#define CONTENT_DIR FIXTURES_DIR "/labs/content"
#define TEXTS_DIR   FIXTURES_DIR "/labs/texts"
#define UNKNOWN_DIR FIXTURES_DIR "/labs/unknown-chapter"

static void dump_diags(const struct sz_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  %s:%u:%u: %s\n", d->items[i].file, d->items[i].line, d->items[i].col,
		              d->items[i].message);
}

/* Fail unless some diagnostic is at line:col and says want. */
static void assert_diag(const struct sz_diags *d, unsigned line, unsigned col, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->items[i].line == line && d->items[i].col == col &&
		    strstr(d->items[i].message, want) != NULL)
			return;
	dump_diags(d);
	fail_msg("no diagnostic %u:%u: ...%s...", line, col, want);
}

static bool is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* Load text as labs/alpha/<id>.yaml expecting failure; *out must come back zeroed. */
static void load_bad(const char *id, const char *text, struct sz_diags *d)
{
	char name[128];
	struct sz_lab lab;

	snprintf(name, sizeof(name), "labs/alpha/%s.yaml", id);
	memset(&lab, 0xA5, sizeof(lab));
	assert_int_equal(sz_lab_load_buffer(name, "alpha", text, strlen(text), &lab, d), -1);
	assert_true(is_zero(&lab, sizeof(lab)));
	assert_true(d->n > 0);
}

/* A lab of one demo step whose extra lines are given, as labs/alpha/x.yaml. */
#define ONE_STEP(extra) "id: x\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n" extra

/* ---- a good file ------------------------------------------------------- */

static void test_every_key(void **state)
{
	struct sz_diags d = {0};
	struct sz_lab lab;
	const struct sz_lab_step *s;

	if (sz_lab_load_file(CONTENT_DIR "/labs/alpha/every-check.yaml", "alpha", &lab, &d) < 0)
		dump_diags(&d);
	assert_int_equal(d.n, 0);
	assert_string_equal(lab.name, "alpha/every-check");
	assert_int_equal(lab.needs, SZ_NEED_CGROUP_MEMORY | SZ_NEED_USERNS);
	assert_string_equal(lab.container.hostname, "box-1");
	assert_string_equal(lab.container.user, "1000:1000");
	assert_int_equal(lab.container.limits.memory_bytes, 32 << 20);
	assert_int_equal(lab.container.limits.pids, 64);
	assert_int_equal(lab.container.limits.cpu_milli, 500);
	assert_int_equal(lab.container.net, SZ_NET_HOST);
	assert_true(lab.container.read_only);
	assert_int_equal(lab.container.n_volumes, 1);
	assert_string_equal(lab.container.volumes[0].container, "/app");
	assert_true(lab.container.volumes[0].read_only);
	assert_int_equal(lab.container.n_files, 2);
	assert_int_equal(lab.container.files[0].mode, 0600);
	assert_int_equal(lab.container.files[1].mode, 0644);
	assert_string_equal(lab.container.files[1].content, "");

	assert_int_equal(lab.n_steps, 2);
	s = &lab.steps[0];
	assert_int_equal(s->kind, SZ_LAB_DEMO);
	assert_int_equal(s->where, SZ_WHERE_CONTAINER);
	assert_int_equal(s->timeout_ns, 2000000000ull);
	assert_true(s->isolation);
	assert_int_equal(s->n_expect, SZ_CHECK_KIND_COUNT);
	for (size_t i = 0; i < s->n_expect; i++)
		assert_int_equal(s->expect[i].kind, (enum sz_check_kind)i);
	assert_int_equal(s->expect[0].status, 137);
	assert_false(s->expect[4].flag);
	assert_string_equal(s->expect[5].text, "file: /etc/hostname contains: ^box");
	assert_int_equal(s->expect[5].exists, 1);
	assert_true(s->expect[5].has_re);
	assert_string_equal(s->expect[7].ns, "net");
	assert_int_equal(s->expect[10].counter, SZ_COUNTER_MEMORY_CURRENT);
	assert_int_equal(s->expect[10].max, 33554432);
	assert_int_equal(s->expect[13].port, 8080);
	assert_int_equal(s->expect[13].proto, SZ_PROTO_UDP);

	s = sz_lab_find_step(&lab, "do-it");
	assert_non_null(s);
	assert_int_equal(s->kind, SZ_LAB_TASK);
	assert_int_equal(s->check[0].exists, 0);
	assert_string_equal(s->solution, "rm -f /tmp/x\n");
	assert_null(sz_lab_find_step(&lab, "nope"));
	sz_lab_release(&lab);
}

/* Each cgroup limit implies a need a lab file can name. */
static void test_limit_needs(void **state)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		bool found = false;

		for (int n = 0; n < SZ_NEED_COUNT; n++)
			found |= strcmp(sz_lab_need_name(1u << n), sz_cgroup_limit_table[i].need) == 0;
		if (!found)
			fail_msg("the %s implies need '%s', which labs do not know",
			         sz_cgroup_limit_table[i].name, sz_cgroup_limit_table[i].need);
	}
}

static void test_defaults(void **state)
{
	struct sz_diags d = {0};
	struct sz_lab lab;

	assert_int_equal(sz_lab_load_file(CONTENT_DIR "/labs/alpha/tiny.yaml", "alpha", &lab, &d), 0);
	assert_string_equal(lab.container.image, "busybox");
	assert_string_equal(lab.container.hostname, "lab");
	assert_null(lab.container.user);
	assert_int_equal(lab.container.net, SZ_NET_NONE);
	assert_int_equal(lab.needs, 0);
	assert_int_equal(lab.steps[0].where, SZ_WHERE_SESSION);
	assert_int_equal(lab.steps[0].timeout_ns, SZ_LAB_DEFAULT_TIMEOUT_NS);
	assert_int_equal(lab.steps[0].n_expect, 0);
	sz_lab_release(&lab);
}

/* ---- bad files: each problem at its line and column --------------------- */

struct bad {
	const char *text;
	unsigned line, col;
	const char *message;
};

static const struct bad bad_files[] = {
    {"id: x\ntitel: t\nsteps: []\n", 2, 1,
     "unknown key 'titel' (expected one of: id, needs, container, steps)"},
    {"id: y\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 1, 5,
     "does not match the file name (expected 'x')"},
    {"id: x\nsteps: []\n", 2, 8, "'steps' must not be empty"},
    {"id: x\nsteps:\n  - id: s\n    run: \"true\"\n", 3, 5, "missing required key 'kind'"},
    {"id: x\nsteps:\n  - id: s\n    kind: demonstration\n    run: \"true\"\n", 4, 11,
     "unknown step kind 'demonstration' (expected demo or task)"},
    {"id: x\nsteps:\n  - id: s\n    kind: demo\n", 3, 5, "a demo needs 'run'"},
    {"id: x\nsteps:\n  - id: s\n    kind: task\n    solution: \"true\"\n", 3, 5, "a task needs 'check'"},
    {"id: x\nsteps:\n  - id: s\n    kind: task\n    check:\n      - exit: 0\n", 3, 5,
     "a task needs 'solution'"},
    {"id: x\nsteps:\n  - id: s\n    kind: task\n    solution: \"true\"\n    check:\n      - exit: 0\n"
     "    expect:\n      - exit: 0\n",
     8, 5, "'expect' is for demos: a task has 'check'"},
    {ONE_STEP("    check:\n      - exit: 0\n"), 6, 5, "'check' is for tasks"},
    {ONE_STEP("    expect:\n      - stdout: '(unclosed'\n"), 7, 17,
     "bad regular expression '(unclosed' in 'stdout'"},
    /* What would make regcomp slow is refused before it runs (lab_regex.c). */
    {ONE_STEP("    expect:\n      - stdout: 'a???{3,}'\n"), 7, 17,
     "bad regular expression 'a???{3,}' in 'stdout': '?' repeats a repetition"},
    {ONE_STEP("    expect:\n      - stdout: '[]?]*+'\n"), 7, 17, "'+' repeats a repetition"},
    {ONE_STEP("    expect:\n      - stdout-not: '[[:alpha:]]?{2}'\n"), 7, 21, "'{2}' repeats a repetition"},
    {ONE_STEP("    expect:\n      - stdout: '\\??*'\n"), 7, 17, "'*' repeats a repetition"},
    {ONE_STEP("    expect:\n      - process: 'x{1,256}'\n"), 7, 18,
     "in 'process': '{1,256}' repeats more than 255 times"},
    {ONE_STEP("    expect:\n      - stdout: 'x{99999999999999999999}'\n"), 7, 17,
     "'{99999999999999999999}' repeats more than 255 times"},
    {ONE_STEP("    expect:\n      - stdout: 'a{x}'\n"), 7, 17, "'{' starts a repetition such as {2}"},
    {ONE_STEP("    expect:\n      - stdout: '(((((((((a)))))))))'\n"), 7, 17,
     "its groups are nested more than 8 deep"},
    {ONE_STEP("    expect:\n      - stdout: '((a{10}){10}){10}'\n"), 7, 17,
     "too long once its repetitions are written out (more than 500 elements)"},
    {ONE_STEP("    expect:\n      - stdout: '((((((((a)+)+)+)+)+)+)+)+'\n"), 7, 17,
     "too long once its repetitions are written out"},
    {ONE_STEP("    expect:\n      - file: {path: /x, contains: 'a**'}\n"), 7, 36, "'*' repeats a repetition"},
    {"id: x\ncontainer:\n  memory: 32Q\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 3, 11,
     "'memory': "},
    {"id: x\ncontainer:\n  pids: 0\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 3, 9,
     "'pids': "},
    {ONE_STEP("    timeout: 10 parsecs\n"), 6, 14, "'timeout': invalid duration '10 parsecs'"},
    {ONE_STEP("    timeout: 11m\n"), 6, 14, "'timeout' must be at most 10m"},
    {"id: x\nsteps:\n  - id: s\n    kind: demo\n    run: a\n  - id: s\n    kind: demo\n    run: b\n", 6, 9,
     "duplicate step id 's' (first at line 3)"},
    {ONE_STEP("    expect:\n      - exit: 0\n        stdout: x\n"), 8, 17,
     "a check has one key: this one has 'exit: 0' and 'stdout'"},
    {ONE_STEP("    expect:\n      - stdot: x\n"), 7, 9,
     "unknown key 'stdot' (expected one of: exit, stdout, stderr"},
    {ONE_STEP("    expect:\n      - ns-differs: time\n"), 7, 21, "unknown namespace 'time'"},
    {ONE_STEP("    expect:\n      - cgroup: {counter: oom_kill}\n"), 7, 17, "'cgroup' needs a bound"},
    {ONE_STEP("    expect:\n      - cgroup: {counter: oom_kill, min: 3, max: 2}\n"), 7, 50,
     "'max' is smaller than 'min'"},
    {ONE_STEP("    expect:\n      - cgroup: {counter: oom_kills, min: 1}\n"), 7, 27,
     "unknown cgroup counter 'oom_kills'"},
    {ONE_STEP("    expect:\n      - exit: \"0\"\n"), 7, 15, "'exit' must be a number, not a quoted string"},
    {ONE_STEP("    expect:\n      - exit: 256\n"), 7, 15, "'exit': '256' is out of range (0 to 255)"},
    {ONE_STEP("    expect:\n      - file: {path: etc/passwd}\n"), 7, 22, "'path' must be an absolute path"},
    {ONE_STEP("    expect:\n      - host-file: {path: ../x}\n"), 7, 27, "'path' must be a relative path"},
    {ONE_STEP("    expect:\n      - file: {path: /x, exists: false, contains: y}\n"), 7, 51,
     "a file that must not exist cannot contain anything"},
    {ONE_STEP("    expect:\n      - host-hostname-unchanged: false\n"), 7, 34, "can only be true"},
    {ONE_STEP("    expect:\n      - listening: {port: 70000}\n"), 7, 27, "'port': '70000' is out of range"},
    {ONE_STEP("    expect:\n      - listening: {port: 80, proto: sctp}\n"), 7, 38, "unknown protocol 'sctp'"},
    {ONE_STEP("    expect:\n      - stderr: x\n"), 7, 9, "'stderr' cannot be told from stdout"},
    {ONE_STEP("    where: host\n    isolation: true\n"), 7, 5,
     "'isolation' compares the container with the host"},
    {ONE_STEP("    where: moon\n"), 6, 12, "unknown place 'moon'"},
    {"id: x\nneeds: [gpu]\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 2, 9,
     "unknown need 'gpu'"},
    {"id: x\nneeds: [root, root]\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 2, 15,
     "duplicate need 'root'"},
    {"id: x\ncontainer:\n  volumes:\n    - host: ../up\n      container: /app\nsteps:\n  - id: s\n    kind: "
     "demo\n"
     "    run: \"true\"\n",
     4, 13, "'host' must be a relative path without '.' or '..'"},
    {"id: x\ncontainer:\n  files:\n    - path: a\n      content: b\n      mode: 644\nsteps:\n  - id: s\n"
     "    kind: demo\n    run: \"true\"\n",
     6, 13, "'mode' must be an octal mode such as 0644, not '644'"},
    {"id: x\ncontainer:\n  user: \"root:x\"\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 3, 9,
     "invalid user 'root:x'"},
    {"id: x\ncontainer:\n  hostname: -bad\nsteps:\n  - id: s\n    kind: demo\n    run: \"true\"\n", 3, 13,
     "invalid host name '-bad'"},
    {"id: x\nsteps:\n  - id: s\n    kind: demo\n\trun: \"true\"\n", 5, 1, "tab"},
    {ONE_STEP("    run: \"false\"\n"), 6, 5, "duplicate key 'run'"},
    {"- id: x\n", 1, 1, "a lab file must be a mapping"},
};

static void test_bad_files(void **state)
{
	for (size_t i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
		struct sz_diags d = {0};

		print_message("bad file %zu\n", i);
		load_bad("x", bad_files[i].text, &d);

		assert_diag(&d, bad_files[i].line, bad_files[i].col, bad_files[i].message);
		sz_diags_release(&d);
	}
}

/* Expressions regcomp compiles quickly load, the tricky ones to read included. */
static void test_regex_accepted(void **state)
{
	static const char *const res[] = {
	    "[]a]?",
	    "[^]a]+",
	    "[[:alpha:]]+ [[:digit:]]{2,3}",
	    "[*+?{]+x",
	    "[[.-.]]?",
	    "[a\\]*",
	    "\\{?x\\}*",
	    "\\??",
	    "x)?",
	    "a{,3}b{2,}c{0}",
	    "a{255}",
	    "(a*)+",
	    "((((((((a))))))))",
	    "(a|b|)c{2}",
	    "^(x|y)$",
	};

	for (size_t i = 0; i < sizeof(res) / sizeof(res[0]); i++) {
		struct sz_diags d = {0};
		struct sz_lab lab;
		char *text = sz_asprintf(ONE_STEP("    expect:\n      - stdout: '%s'\n"), res[i]);

		print_message("%s\n", res[i]);
		if (sz_lab_load_buffer("labs/alpha/x.yaml", "alpha", text, strlen(text), &lab, &d) != 0) {
			dump_diags(&d);
			fail_msg("'%s' refused", res[i]);
		}
		sz_lab_release(&lab);
		free(text);
	}
}

/* A file's expressions together have a budget too: the one over it is refused. */
static void test_regex_file_budget(void **state)
{
	char text[1024];
	struct sz_diags d = {0};
	size_t n;

	n = (size_t)snprintf(text, sizeof(text), "%s", ONE_STEP("    expect:\n"));
	for (int i = 0; i < 5; i++) /* (a{99}){4} writes out to 409 elements */
		n += (size_t)snprintf(text + n, sizeof(text) - n, "      - stdout: '(a{99}){4}'\n");
	load_bad("x", text, &d);
	assert_int_equal(d.n, 1);
	assert_diag(&d, 11, 17,
	            "the file's regular expressions are too long together (more than 2000 elements");
	sz_diags_release(&d);
}

/* Every problem of a file in one pass, in the order of the file. */
static void test_all_problems_sorted(void **state)
{
	struct sz_diags d = {0};

	load_bad("x",
	         "id: x\nneeds: [gpu]\nsteps:\n  - id: s\n    kind: task\n    run: \"true\"\n    check:\n"
	         "      - exit: 0\n    solution: \"true\"\n  - id: t\n    kind: demo\n",
	         &d);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.items[0].line, 2);
	assert_int_equal(d.items[1].line, 6);
	assert_int_equal(d.items[2].line, 10);
	assert_non_null(strstr(d.items[1].message, "'run' is for demos"));
	assert_non_null(strstr(d.items[2].message, "a demo needs 'run'"));
	sz_diags_release(&d);
}

/* ---- every lab, and the texts ------------------------------------------ */

static void test_load_all(void **state)
{
	struct sz_course course;
	struct sz_labs labs;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(CONTENT_DIR, "en", &course, &d, &err), 0);
	if (sz_labs_load_all(CONTENT_DIR, &course, &labs, &d, &err) < 0)
		dump_diags(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(labs.n, 2);
	/* as the lesson file lists them, not by id */
	assert_string_equal(labs.items[0].name, "alpha/tiny");
	assert_string_equal(labs.items[1].name, "alpha/every-check");
	assert_ptr_equal(sz_labs_find(&labs, "alpha/tiny"), &labs.items[0]);
	assert_ptr_equal(sz_labs_find(&labs, "tiny"), &labs.items[0]);
	assert_null(sz_labs_find(&labs, "beta/tiny"));
	assert_null(sz_labs_find(&labs, "huge"));
	assert_int_equal(sz_labs_check_texts(&labs, &course, &d), 0);
	sz_labs_release(&labs);
	sz_course_release(&course);
}

static void test_unknown_chapter(void **state)
{
	struct sz_course course;
	struct sz_labs labs;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(UNKNOWN_DIR, "en", &course, &d, &err), 0);
	assert_int_equal(sz_labs_load_all(UNKNOWN_DIR, &course, &labs, &d, &err), -1);
	assert_null(err);
	assert_int_equal(d.n, 3);
	assert_non_null(strstr(d.items[0].message, "unknown step kind 'dmo'"));
	assert_non_null(strstr(d.items[1].message, "not a lab file"));
	assert_non_null(strstr(d.items[2].message, "the course has no chapter 'zeta'"));
	assert_int_equal(labs.n, 1); /* the good one still loaded */
	assert_int_equal(labs.n_broken, 1);
	assert_string_equal(labs.broken[0], "alpha/broken");
	sz_labs_release(&labs);
	sz_diags_release(&d);
	sz_course_release(&course);
}

static bool has_diag(const struct sz_diags *d, const char *want)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->items[i].message, want) != NULL)
			return true;
	return false;
}

static void test_texts(void **state)
{
	struct sz_course course;
	struct sz_labs labs;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_labs_load_all(CONTENT_DIR, NULL, &labs, &d, &err), 0);
	assert_int_equal(sz_course_load(TEXTS_DIR, "en", &course, &d, &err), 0);
	assert_int_equal(sz_labs_check_texts(&labs, &course, &d), 5);
	if (!has_diag(&d, "lab 'alpha/every-check': step 'show'") ||
	    !has_diag(&d, "task 'do-it' has no hints") || !has_diag(&d, "has no step 'ghost'") ||
	    !has_diag(&d, "step 'hello' is a demo: hints are for tasks") ||
	    !has_diag(&d, "texts for lab 'alpha/nowhere', which does not exist")) {
		dump_diags(&d);
		fail();
	}
	sz_diags_release(&d);
	sz_labs_release(&labs);
	sz_course_release(&course);
}

/* Every check needs a label in every language: here, in Italian, the last
 * check of 'show' has none and 'do-it' has one too many. */
static const char italian_alpha[] =
    "id: alpha\ntitle: \"Alfa\"\nsummary: \"Un capitolo per i test.\"\n"
    "sections:\n  - id: start\n    title: \"Inizio\"\n    body:\n      - p: \"Breve.\"\n"
    "quiz:\n  - id: one\n    question: \"Uno?\"\n    options:\n"
    "      - text: \"Sì.\"\n        correct: true\n        why: \"Perché.\"\n"
    "      - text: \"No.\"\n        why: \"Perché no.\"\n"
    "labs:\n  tiny:\n    title: \"Piccolo\"\n    intro: \"Quasi niente.\"\n"
    "    steps:\n      hello:\n        text: \"Saluta.\"\n"
    "  every-check:\n    title: \"Ogni controllo\"\n    intro: \"Tutti.\"\n    steps:\n"
    "      show:\n        text: \"Mostralo.\"\n        checks: [a, b, c, d, e, f, g, h, i, j, k, l, m, n]\n"
    "      do-it:\n        text: \"Fallo.\"\n        hints: [\"Toglilo.\"]\n"
    "        checks: [\"/tmp/x non c'è più\", \"di troppo\"]\n";

static void test_check_labels(void **state)
{
	struct sz_chapter ch;
	struct sz_course course = {.lang = "it", .dir = "lessons/it", .chapters = &ch, .n_chapters = 1};
	struct sz_labs labs;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_labs_load_all(CONTENT_DIR, NULL, &labs, &d, &err), 0);
	if (sz_chapter_load_buffer("lessons/it/01-alpha.yaml", italian_alpha, strlen(italian_alpha), &ch,
	                           &d) < 0)
		dump_diags(&d);
	assert_int_equal(d.n, 0);
	assert_int_equal(sz_labs_check_texts(&labs, &course, &d), 2);
	if (!has_diag(&d, "lab 'alpha/every-check': step 'show': check 15 ('process: ^sleep ') has no label "
	                  "here (under 'checks:')") ||
	    !has_diag(&d, "lab 'alpha/every-check': step 'do-it' has 2 check labels for 1 checks")) {
		dump_diags(&d);
		fail();
	}
	assert_string_equal(d.items[0].file, "lessons/it/01-alpha.yaml");
	assert_string_equal(sz_lab_check_label(&course, sz_labs_find(&labs, "alpha/every-check"),
	                                       &sz_labs_find(&labs, "alpha/every-check")->steps[0], 13),
	                    "n");
	assert_null(sz_lab_check_label(&course, sz_labs_find(&labs, "alpha/every-check"),
	                               &sz_labs_find(&labs, "alpha/every-check")->steps[0], 14));
	sz_diags_release(&d);
	sz_labs_release(&labs);
	sz_chapter_release(&ch);
}

static void test_no_labs_dir(void **state)
{
	struct sz_labs labs;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_labs_load_all(TEXTS_DIR, NULL, &labs, &d, &err), 0);
	assert_int_equal(labs.n, 0);
	assert_int_equal(d.n, 0);
}

static void test_need_names(void **state)
{
	assert_string_equal(sz_lab_need_name(SZ_NEED_CGROUP_MEMORY), "cgroup-memory");
	assert_string_equal(sz_lab_need_name(SZ_NEED_TTY), "tty");
	assert_null(sz_lab_need_name(SZ_NEED_ROOT | SZ_NEED_TTY));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_limit_needs),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_all_problems_sorted),
	    cmocka_unit_test(test_load_all),
	    cmocka_unit_test(test_unknown_chapter),
	    cmocka_unit_test(test_texts),
	    cmocka_unit_test(test_check_labels),
	    cmocka_unit_test(test_no_labs_dir),
	    cmocka_unit_test(test_need_names),
	    cmocka_unit_test(test_regex_accepted),
	    cmocka_unit_test(test_regex_file_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
