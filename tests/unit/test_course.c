/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_course.c - unit tests for the lesson loader: schema errors located, the model, parity, content rules
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/util.h"
#include "config.h"
#include "course/course.h"

#define BAD_DIR    FIXTURES_DIR "/lessons/bad"
#define GOOD_DIR   FIXTURES_DIR "/lessons/good"
#define PARITY_DIR FIXTURES_DIR "/content-parity"

static void dump_diags(const struct sz_diags *d)
{
	for (size_t i = 0; i < d->n; i++)
		print_message("  %s:%u:%u: %s\n", d->items[i].file, d->items[i].line, d->items[i].col,
		              d->items[i].message);
}

/* Fail unless some diagnostic is at line:col in a file ending with file and
 * says want. */
static void assert_diag(const struct sz_diags *d, const char *file, unsigned line, unsigned col,
                        const char *want)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct sz_diag *g = &d->items[i];
		size_t flen = strlen(g->file), wlen = strlen(file);

		if (g->line == line && g->col == col && strstr(g->message, want) != NULL && flen >= wlen &&
		    strcmp(g->file + flen - wlen, file) == 0)
			return;
	}
	dump_diags(d);
	fail_msg("no diagnostic %s:%u:%u: ...%s...", file, line, col, want);
}

static bool is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* Load a buffer expecting failure: *out must come back zeroed. */
static int load_str(const char *name, const char *data, size_t len, struct sz_diags *d)
{
	struct sz_chapter ch;
	int rc;

	memset(&ch, 0xA5, sizeof(ch));
	rc = sz_chapter_load_buffer(name, data, len, &ch, d);
	if (rc == 0) {
		sz_chapter_release(&ch);
		return 0;
	}
	assert_true(is_zero(&ch, sizeof(ch)));
	assert_true(d->n > 0);
	return rc;
}

/* ---- good files -------------------------------------------------------- */

static void test_good_basics(void **state)
{
	struct sz_diags d = {0};
	struct sz_chapter ch;
	const struct sz_lab_text *lab;

	if (sz_chapter_load_file(GOOD_DIR "/01-basics.yaml", &ch, &d) != 0) {
		dump_diags(&d);
		fail();
	}
	assert_int_equal(d.n, 0);
	assert_string_equal(ch.id, "basics");
	assert_int_equal(ch.number, 1);
	assert_string_equal(ch.path, GOOD_DIR "/01-basics.yaml");
	assert_string_equal(ch.title, "Basics: what a container is");
	assert_string_equal(ch.summary, "Containers are processes with a different view of the system.");
	assert_int_equal(ch.n_sections, 2);
	assert_string_equal(ch.sections[0].id, "processes");
	assert_int_equal(ch.sections[0].n_blocks, 4);
	assert_int_equal(ch.sections[0].blocks[0].kind, SZ_BLOCK_PARA);
	assert_string_equal(ch.sections[0].blocks[0].text,
	                    "A container is a process. The kernel shows it a smaller world.");
	assert_int_equal(ch.sections[0].blocks[1].kind, SZ_BLOCK_CODE);
	assert_string_equal(ch.sections[0].blocks[1].text,
	                    "$ stanza run -- ps\n  PID USER     COMMAND\n    1 root     ps\n");
	assert_int_equal(ch.sections[0].blocks[2].kind, SZ_BLOCK_NOTE);
	assert_int_equal(ch.sections[0].blocks[3].kind, SZ_BLOCK_TIP);
	assert_string_equal(ch.sections[0].blocks[3].text, "Run `ps` on the host too, and compare.");
	assert_string_equal(ch.sections[1].title, "Perché funziona: così è");
	assert_string_equal(ch.sections[1].blocks[0].text, "Flow style works as well.");

	assert_int_equal(ch.n_quiz, 2);
	assert_string_equal(ch.quiz[0].id, "pid-one");
	assert_int_equal(ch.quiz[0].n_options, 3);
	assert_string_equal(ch.quiz[0].options[0].text, "1");
	assert_true(ch.quiz[0].options[0].correct);
	assert_false(ch.quiz[0].options[1].correct);
	assert_false(ch.quiz[0].options[2].correct);
	assert_string_equal(ch.quiz[0].options[2].why,
	                    "PID 0 is the kernel's idle task, never a process you start.");
	assert_true(ch.quiz[1].options[0].correct);
	assert_string_equal(ch.quiz[1].options[1].text, "A virtual machine");

	assert_int_equal(ch.n_glossary, 2);
	assert_string_equal(ch.glossary[1].id, "container");
	assert_string_equal(ch.glossary[1].term, "container");

	assert_int_equal(ch.n_labs, 2);
	lab = sz_chapter_find_lab(&ch, "first-look");
	assert_non_null(lab);
	assert_string_equal(lab->title, "A first look");
	assert_int_equal(lab->n_steps, 2);
	assert_string_equal(lab->steps[0].id, "run-ps");
	assert_string_equal(lab->steps[0].explain,
	                    "Only one process: the container sees its own PID namespace.");
	assert_int_equal(lab->steps[0].n_hints, 0);
	assert_null(lab->steps[1].explain);
	assert_int_equal(lab->steps[1].n_hints, 2);
	assert_string_equal(lab->steps[1].hints[1], "Try: pgrep -f 'sleep 1000'");
	assert_null(sz_chapter_find_lab(&ch, "nope"));
	assert_int_equal(sz_chapter_word_count(&ch), 12 + 7 + 8 + 5);
	sz_chapter_release(&ch);
	assert_true(is_zero(&ch, sizeof(ch)));
}

static void test_good_minimal(void **state)
{
	struct sz_diags d = {0};
	struct sz_chapter ch;

	assert_int_equal(sz_chapter_load_file(GOOD_DIR "/02-minimal.yaml", &ch, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(ch.number, 2);
	/* A section and a question may share an id: ids are unique per list. */
	assert_string_equal(ch.sections[0].id, "only");
	assert_string_equal(ch.quiz[0].id, "only");
	assert_string_equal(ch.quiz[0].options[0].text, "Yes");
	assert_int_equal(ch.n_glossary, 0);
	assert_null(ch.glossary);
	assert_int_equal(ch.n_labs, 0);
	sz_chapter_release(&ch);
}

/* Windows line ends and a byte order mark are fine. */
static void test_good_crlf_bom(void **state)
{
	static const char text[] =
	    "\xEF\xBB\xBFid: crlf\r\ntitle: T\r\nsummary: S\r\nsections:\r\n  - id: a\r\n"
	    "    title: A\r\n    body:\r\n      - p: P\r\nquiz:\r\n  - id: q\r\n"
	    "    question: Q\r\n    options:\r\n      - {text: a, correct: true, why: w}\r\n"
	    "      - {text: b, why: w}\r\n";
	struct sz_diags d = {0};
	struct sz_chapter ch;

	assert_int_equal(sz_chapter_load_buffer("01-crlf.yaml", text, sizeof(text) - 1, &ch, &d), 0);
	assert_string_equal(ch.sections[0].title, "A");
	sz_chapter_release(&ch);
	/* The same with a bad key: located without the BOM or the CR. */
	assert_int_equal(load_str("01-crlf.yaml", "\xEF\xBB\xBFid: crlf\r\nfoo: x\r\n", 20, &d), -1);
	assert_diag(&d, "01-crlf.yaml", 2, 1, "unknown key 'foo'");
	assert_diag(&d, "01-crlf.yaml", 1, 1, "missing required key 'title'");
	assert_string_equal(d.items[0].source_line, "id: crlf");
	assert_string_equal(d.items[d.n - 1].source_line, "foo: x");
	sz_diags_release(&d);
}

/* ---- bad files --------------------------------------------------------- */

struct bad_case {
	const char *file;
	unsigned line, col;
	const char *message;
	size_t n; /* how many problems the file has */
};

static const struct bad_case bad_cases[] = {
    {"01-unknown-key.yaml", 7, 5, "unknown key 'subtitle' (expected one of: id, title, body)", 1},
    {"02-missing-title.yaml", 1, 1, "missing required key 'title'", 1},
    {"03-wrong-type.yaml", 4, 11, "'sections' must be a list, not a string", 1},
    {"04-dup-section.yaml", 9, 9, "duplicate section id 'one' (first at line 5)", 1},
    {"05-dup-quiz.yaml", 18, 9, "duplicate quiz id 'q1' (first at line 10)", 1},
    {"06-dup-glossary.yaml", 22, 9, "duplicate glossary id 'kernel' (first at line 19)", 1},
    {"07-dup-lab.yaml", 25, 3, "duplicate lab id 'first' (first at line 19)", 1},
    {"08-dup-step.yaml", 27, 7, "duplicate step id 'run' (first at line 23)", 1},
    {"09-dup-key.yaml", 4, 1, "duplicate key 'title'", 1},
    {"10-empty-title.yaml", 6, 12, "'title' is empty", 1},
    {"11-bad-id.yaml", 5, 9, "id 'One_Section' may use only a-z, 0-9 and '-'", 1},
    {"12-id-mismatch.yaml", 1, 5, "id 'cgroups' does not match the file name (expected 'id-mismatch')", 1},
    {"13-one-option.yaml", 13, 7, "'options' must have 2 to 6 items, not 1", 1},
    {"14-seven-options.yaml", 13, 7, "'options' must have 2 to 6 items, not 7", 1},
    {"15-no-correct.yaml", 13, 7, "no option is correct", 1},
    {"16-two-correct.yaml", 17, 18, "a second correct option", 1},
    {"17-correct-yes.yaml", 14, 18, "'correct' must be true or false, not 'yes'", 1},
    {"18-correct-quoted.yaml", 14, 18, "'correct' must be true or false, not a quoted string", 1},
    {"19-block-two-kinds.yaml", 9, 15, "a block is one of p, code, note, tip: this one is 'p' and 'note'", 1},
    {"20-block-empty.yaml", 9, 9, "a block needs one of: p, code, note, tip", 1},
    {"21-block-unknown.yaml", 9, 9, "unknown key 'para' (expected one of: p, code, note, tip)", 1},
    {"22-syntax.yaml", 7, 4, "invalid YAML: did not find expected '-' indicator", 1},
    {"23-anchor.yaml", 2, 8, "anchors (&t) are not allowed", 1},
    {"24-alias.yaml", 3, 10, "aliases (*t) are not allowed", 1},
    {"25-two-documents.yaml", 18, 1, "a second YAML document", 1},
    {"26-missing-why.yaml", 16, 9, "missing required key 'why'", 1},
    {"27-tag.yaml", 2, 8, "tags (tag:yaml.org,2002:str) are not allowed", 1},
    {"28-empty-body.yaml", 7, 11, "'body' must not be empty", 1},
    {"29-hint-list.yaml", 27, 13, "each item of 'hints' must be a string, not a list", 1},
    {"30-root-list.yaml", 1, 1, "a lesson file must be a mapping (id, title, summary, ...), not a list", 1},
    {"31-empty.yaml", 0, 0, "the file is empty", 1},
    {"32-complex-key.yaml", 2, 3, "a key must be a plain string", 1},
    {"33-section-string.yaml", 5, 5, "each item of 'sections' must be a mapping, not a string", 1},
    {"34-lab-string.yaml", 19, 10, "lab 'first' must be a mapping, not a string", 1},
    {"35-bad-step-id.yaml", 23, 7, "step id 'Run It' may use only a-z, 0-9 and '-'", 1},
    {"36-null-sections.yaml", 4, 10, "'sections' must be a list, not nothing", 1},
    {"37-unknown-root-key.yaml", 4, 1,
     "unknown key 'author' (expected one of: id, title, summary, sections, quiz, glossary, labs)", 1},
    {"38-missing-steps.yaml", 20, 5, "missing required key 'steps'", 1},
    {"39-unterminated-string.yaml", 17, 14, "unterminated quoted string (the file ends at line 17)", 1},
};

/* The line of the file, as the diagnostic should quote it. */
static char *file_line(const char *path, unsigned line)
{
	char *data = NULL, *p, *end;
	sz_error_t err = NULL;

	assert_int_equal(sz_read_file(path, &data, NULL, &err), 0);
	p = data;
	for (unsigned i = 1; i < line && p != NULL; i++)
		p = strchr(p, '\n') != NULL ? strchr(p, '\n') + 1 : NULL;
	assert_non_null(p);
	end = strchr(p, '\n');
	if (end != NULL)
		*end = '\0';
	memmove(data, p, strlen(p) + 1);
	return data;
}

static void test_bad_fixtures(void **state)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		char *path = sz_asprintf("%s/%s", BAD_DIR, c->file);
		struct sz_diags d = {0};
		struct sz_chapter ch;

		memset(&ch, 0xA5, sizeof(ch));
		if (sz_chapter_load_file(path, &ch, &d) == 0)
			fail_msg("%s loaded", c->file);
		assert_true(is_zero(&ch, sizeof(ch)));
		if (d.n != c->n) {
			dump_diags(&d);
			fail_msg("%s: %zu problems, want %zu", c->file, d.n, c->n);
		}
		assert_diag(&d, c->file, c->line, c->col, c->message);
		assert_string_equal(d.items[0].file, path);
		if (c->line > 0) {
			char *want = file_line(path, c->line);
			assert_non_null(d.items[0].source_line);
			assert_string_equal(d.items[0].source_line, want);
			free(want);
		} else {
			assert_null(d.items[0].source_line);
		}
		sz_diags_release(&d);
		free(path);
	}
}

struct inline_case {
	const char *name;
	const char *text;
	unsigned line, col;
	const char *message;
};

static const struct inline_case inline_cases[] = {
    {"01-inline.yaml", "id: inline\ntitle: x\n\tsummary: y\n", 3, 1, "tab character"},
    {"01-inline.yaml", "id: inline\ntitle: \"caf\xff\"\n", 2, 12, "invalid UTF-8 (byte 0xFF)"},
    {"01-inline.yaml", "id: inline\ntitle: \"\xC3\xA8\xC0\x80\"\n", 2, 10, "invalid UTF-8 (byte 0xC0)"},
    {"01-inline.yaml", "id: inline\ntitle: \"\xED\xA0\x80\"\n", 2, 9, "invalid UTF-8 (byte 0xED)"},
    {"01-inline.yaml", "id: inline\ntitle: \"\xE2\x82", 2, 9, "invalid UTF-8 (byte 0xE2)"},
    {"01-inline.yaml", "id: inline\ntitle: \"a\x01z\"\n", 2, 10,
     "invalid YAML: control characters are not allowed"},
    {"01-inline.yaml", "id: inline\ntitle: \"a\\0z\"\n", 2, 8, "'title' holds a NUL character"},
    {"01-inline.yaml", "id: inline\ntitle: [unclosed\n", 3, 1,
     "invalid YAML: did not find expected ',' or ']'"},
    {"01-inline.yaml", "id: inline\ntitle: 'caf\xC3\xA8 open", 2, 8,
     "unterminated quoted string (the file ends at line 2)"},
    {"01-inline.yaml", "id: inline\ntitle: x\nsummary\nsections: []\n", 3, 1,
     "invalid YAML: could not find expected ':' while scanning a simple key (at line 4, column 1)"},
    {"cgroups.yaml", "id: cgroups\n", 0, 0, "the file name must be NN-<id>.yaml"},
    {"01-inline.yaml", "id: inline\nsummary: {p: x}\n", 2, 10, "'summary' must be a string, not a mapping"},
    {"01-inline.yaml", "{id: inline, title: x, summary: y, sections: [], quiz: [{id: q}]}", 1, 46,
     "'sections' must not be empty"},
};

static void test_bad_inline(void **state)
{
	for (size_t i = 0; i < sizeof(inline_cases) / sizeof(inline_cases[0]); i++) {
		const struct inline_case *c = &inline_cases[i];
		struct sz_diags d = {0};

		if (load_str(c->name, c->text, strlen(c->text), &d) == 0)
			fail_msg("case %zu loaded", i);
		assert_diag(&d, c->name, c->line, c->col, c->message);
		sz_diags_release(&d);
	}
}

/* Nesting is bounded, so that no input runs the loader out of stack. */
static void test_deep_nesting(void **state)
{
	char text[256] = "id: inline\nx: ";
	size_t len = strlen(text);
	struct sz_diags d = {0};

	for (int i = 0; i < 40; i++)
		text[len++] = '[';
	for (int i = 0; i < 40; i++)
		text[len++] = ']';
	text[len] = '\0';
	assert_int_equal(load_str("01-inline.yaml", text, len, &d), -1);
	assert_int_equal(d.n, 1);
	assert_diag(&d, "01-inline.yaml", 2, 35, "nested deeper than 32 levels");
	sz_diags_release(&d);
}

/* Every line with a tab is reported, and the first bad byte after them. */
static void test_tabs_and_utf8_all_reported(void **state)
{
	static const char text[] =
	    "id: inline\n\ttitle: \"a\tb\"\nsummary: \"\t\"\nx: \"\xC3\xA9\xFE\"\ny: \"\xFF\"\n";
	struct sz_diags d = {0};

	assert_int_equal(load_str("01-inline.yaml", text, sizeof(text) - 1, &d), -1);
	assert_int_equal(d.n, 3);
	assert_diag(&d, "01-inline.yaml", 2, 1, "tab character");
	assert_diag(&d, "01-inline.yaml", 3, 11, "tab character");
	assert_diag(&d, "01-inline.yaml", 4, 6, "invalid UTF-8 (byte 0xFE)");
	/* The quoted line is safe for a terminal. */
	assert_string_equal(d.items[2].source_line, "x: \"\xC3\xA9?\"");
	sz_diags_release(&d);
}

/* Schema problems do not stop the loader: one pass reports them all, in
 * the order of the file. */
static void test_all_problems_reported(void **state)
{
	static const char text[] = "id: Bad\n"
	                           "title: \"\"\n"
	                           "sections:\n"
	                           "  - id: a\n"
	                           "    titel: A\n"
	                           "    body: [{p: x, tip: y}]\n"
	                           "quiz:\n"
	                           "  - id: q\n"
	                           "    question: Q\n"
	                           "    options: [{text: a, why: w, correct: 1}]\n"
	                           "extra: 1\n";
	struct sz_diags d = {0};

	assert_int_equal(load_str("01-bad.yaml", text, sizeof(text) - 1, &d), -1);
	if (d.n != 10) {
		dump_diags(&d);
		fail_msg("%zu problems, want 10", d.n);
	}
	assert_diag(&d, "01-bad.yaml", 1, 1, "missing required key 'summary'");
	assert_diag(&d, "01-bad.yaml", 1, 5, "id 'Bad' may use only");
	assert_diag(&d, "01-bad.yaml", 1, 5, "does not match the file name (expected 'bad')");
	assert_diag(&d, "01-bad.yaml", 2, 8, "'title' is empty");
	assert_diag(&d, "01-bad.yaml", 4, 5, "missing required key 'title'");
	assert_diag(&d, "01-bad.yaml", 5, 5, "unknown key 'titel'");
	assert_diag(&d, "01-bad.yaml", 6, 24, "this one is 'p' and 'tip'");
	assert_diag(&d, "01-bad.yaml", 10, 14, "'options' must have 2 to 6 items, not 1");
	assert_diag(&d, "01-bad.yaml", 10, 42, "'correct' must be true or false, not '1'");
	assert_diag(&d, "01-bad.yaml", 11, 1, "unknown key 'extra'");
	for (size_t i = 1; i < d.n; i++)
		assert_true(d.items[i - 1].line < d.items[i].line ||
		            (d.items[i - 1].line == d.items[i].line && d.items[i - 1].col <= d.items[i].col));
	sz_diags_release(&d);
}

static void test_missing_file(void **state)
{
	struct sz_diags d = {0};
	struct sz_chapter ch;

	memset(&ch, 0xA5, sizeof(ch));
	assert_int_equal(sz_chapter_load_file(BAD_DIR "/99-absent.yaml", &ch, &d), -1);
	assert_true(is_zero(&ch, sizeof(ch)));
	assert_diag(&d, "99-absent.yaml", 0, 0, "cannot open");
	sz_diags_release(&d);
}

/*
 * Every prefix of a good file, and the good file with each byte replaced by
 * one of a few troublemakers: the loader must either load it or fail with a
 * diagnostic and a zeroed chapter. Under ASan this also proves it leaks
 * nothing and reads nothing out of bounds.
 */
static void test_mutations(void **state)
{
	static const char swaps[] = {':', '-', '[', '{', '"', '\n', ' ', '&', '\t', '\xFF'};
	char *data = NULL;
	size_t len, loaded = 0, failed = 0;
	sz_error_t err = NULL;

	assert_int_equal(sz_read_file(GOOD_DIR "/01-basics.yaml", &data, &len, &err), 0);
	for (size_t cut = 0; cut < len; cut++) {
		struct sz_diags d = {0};
		char *copy = sz_xmalloc(cut + 1); /* exactly cut bytes, for ASan */

		memcpy(copy, data, cut);
		if (load_str("01-basics.yaml", copy, cut, &d) == 0)
			loaded++;
		else
			failed++;
		sz_diags_release(&d);
		free(copy);
	}
	for (size_t at = 0; at < len; at++) {
		for (size_t s = 0; s < sizeof(swaps); s++) {
			struct sz_diags d = {0};
			char saved = data[at];

			data[at] = swaps[s];
			if (load_str("01-basics.yaml", data, len, &d) == 0)
				loaded++;
			else
				failed++;
			data[at] = saved;
			sz_diags_release(&d);
		}
	}
	print_message("mutations: %zu loaded, %zu refused\n", loaded, failed);
	assert_true(failed > len);
	free(data);
}

/* ---- courses ----------------------------------------------------------- */

static void test_course_languages(void **state)
{
	char **langs = NULL;
	sz_error_t err = NULL;
	int n = sz_course_languages(PARITY_DIR, &langs, &err);

	assert_int_equal(n, 2);
	assert_string_equal(langs[0], "en");
	assert_string_equal(langs[1], "it");
	for (int i = 0; i < n; i++)
		free(langs[i]);
	free(langs);
	assert_int_equal(sz_course_languages(FIXTURES_DIR "/absent", &langs, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "absent/lessons"));
	sz_error_release(&err);
}

static void test_course_load_and_find(void **state)
{
	struct sz_course c;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(PARITY_DIR, "en", &c, &d, &err), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(c.lang, "en");
	assert_int_equal(c.n_chapters, 3);
	assert_string_equal(c.chapters[0].id, "one");
	assert_string_equal(c.chapters[2].id, "three");
	assert_ptr_equal(sz_course_find(&c, "two"), &c.chapters[1]);
	assert_ptr_equal(sz_course_find(&c, "3"), &c.chapters[2]);
	assert_ptr_equal(sz_course_find(&c, "03"), &c.chapters[2]);
	assert_null(sz_course_find(&c, "4"));
	assert_null(sz_course_find(&c, "four"));
	assert_null(sz_course_find(&c, ""));
	assert_int_equal(sz_chapter_word_count(&c.chapters[0]), 2 * 5);
	sz_course_release(&c);
	assert_true(is_zero(&c, sizeof(c)));
}

/* Glossary ids across files, chapter numbers, file names; *out zeroed. */
static void test_course_cross_file(void **state)
{
	struct sz_course c;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	memset(&c, 0xA5, sizeof(c));
	assert_int_equal(sz_course_load(FIXTURES_DIR "/lessons/course-dup", "en", &c, &d, &err), -1);
	assert_null(err);
	assert_true(is_zero(&c, sizeof(c)));
	if (d.n != 3) {
		dump_diags(&d);
		fail_msg("%zu problems, want 3", d.n);
	}
	assert_diag(&d, "en/01-beta.yaml", 0, 0, "chapter number 01 is also used by");
	assert_diag(&d, "en/01-beta.yaml", 22, 9, "glossary id 'shared' is already used in");
	assert_diag(&d, "en/01-beta.yaml", 22, 9, "/01-alpha.yaml:19");
	assert_diag(&d, "en/intro.yaml", 0, 0, "the file name must be NN-<id>.yaml");
	sz_diags_release(&d);

	assert_int_equal(sz_course_load(FIXTURES_DIR "/lessons/course-dup", "xx", &c, &d, &err), -1);
	assert_non_null(err);
	assert_int_equal(d.n, 0);
	assert_true(is_zero(&c, sizeof(c)));
	sz_error_release(&err);
}

static void test_parity(void **state)
{
	struct sz_course en, it;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(PARITY_DIR, "en", &en, &d, &err), 0);
	assert_int_equal(sz_course_load(PARITY_DIR, "it", &it, &d, &err), 0);
	assert_int_equal(sz_course_parity(&en, &it, &d), 6);
	if (d.n != 6)
		dump_diags(&d);
	assert_int_equal(d.n, 6);
	assert_diag(&d, "it/01-one.yaml", 0, 0, "section 'b' is missing (it is in en)");
	assert_diag(&d, "it/01-one.yaml", 0, 0, "lab step 'lab1/s2' is missing (it is in en)");
	assert_diag(&d, "it/02-two.yaml", 0, 0, "chapter 'two' is missing (it is in en)");
	assert_diag(&d, "it/04-three.yaml", 0, 0, "chapter 'three' is number 04 here, 03 in en");
	assert_diag(&d, "en/01-one.yaml", 0, 0, "quiz question 'q3' is missing (it is in it)");
	assert_diag(&d, "en/01-one.yaml", 0, 0, "lab 'lab2' is missing (it is in it)");
	sz_diags_release(&d);
	assert_int_equal(sz_course_parity(&en, &en, &d), 0);
	assert_int_equal(d.n, 0);
	sz_course_release(&en);
	sz_course_release(&it);
}

static void test_rules(void **state)
{
	struct sz_course en;
	struct sz_diags d = {0};
	sz_error_t err = NULL;

	assert_int_equal(sz_course_load(PARITY_DIR, "en", &en, &d, &err), 0);
	assert_int_equal(sz_course_check_rules(&en, &d), 7);
	assert_diag(&d, "en/01-one.yaml", 0, 0, "10 words of prose (p, note, tip), at least 700 needed");
	assert_diag(&d, "en/01-one.yaml", 0, 0, "2 quiz questions, at least 4 needed");
	assert_diag(&d, "en/03-three.yaml", 0, 0, "1 quiz question, at least 4 needed");
	assert_diag(&d, "lessons/en", 0, 0, "3 glossary entries in the course, at least 30 needed");
	sz_diags_release(&d);
	sz_course_release(&en);
}

/* ---- `stanza lessons check` -------------------------------------------- */

/* A temporary file in place of descriptor fd; returns the saved fd. */
static int redirect(int fd, char *path)
{
	int tmp = mkstemp(path), saved = dup(fd);

	assert_true(tmp >= 0 && saved >= 0);
	assert_int_equal(dup2(tmp, fd), fd);
	close(tmp);
	return saved;
}

static char *restore(int fd, int saved, const char *path)
{
	char *text = NULL;
	sz_error_t err = NULL;

	assert_int_equal(dup2(saved, fd), fd);
	close(saved);
	assert_int_equal(sz_read_file(path, &text, NULL, &err), 0);
	unlink(path);
	return text;
}

/* Run the check; returns its status, and what it wrote to stdout and stderr. */
static int run_check(const char *content, int argc, char **argv, char **out, char **errs)
{
	char out_path[] = "/tmp/stanza-test-course-XXXXXX", err_path[] = "/tmp/stanza-test-course-XXXXXX";
	struct sz_cli cli = {.progname = "stanza"};
	int saved_out, saved_err, rc;

	fflush(stdout);
	fflush(stderr);
	saved_out = redirect(1, out_path);
	saved_err = redirect(2, err_path);
	rc = sz_lessons_check(&cli, content, argc, argv);
	fflush(stdout);
	fflush(stderr);
	*out = restore(1, saved_out, out_path);
	*errs = restore(2, saved_err, err_path);
	return rc;
}

static void test_lessons_check(void **state)
{
	char *check[] = {"check"}, *help[] = {"check", "--help"}, *bad[] = {"check", "--frobnicate"};
	char *out = NULL, *errs = NULL;

	/* 2 x 7 and 2 x 2 rule problems, 6 of parity, 3 lab texts without a lab file. */
	assert_int_equal(run_check(PARITY_DIR, 1, check, &out, &errs), 1);
	assert_string_equal(out, "lessons: 2 languages, 3 chapters, 21 problems\n");
	assert_non_null(
	    strstr(errs, "/content-parity/lessons/it/02-two.yaml: chapter 'two' is missing (it is in en)\n"));
	free(out);
	free(errs);
	assert_int_equal(run_check(PARITY_DIR, 2, help, &out, &errs), 0);
	assert_non_null(strstr(out, "Usage: stanza lessons check"));
	assert_string_equal(errs, "");
	free(out);
	free(errs);
	assert_int_equal(run_check(PARITY_DIR, 2, bad, &out, &errs), 2);
	assert_string_equal(out, "");
	assert_non_null(strstr(errs, "unknown option '--frobnicate'"));
	free(out);
	free(errs);
	assert_int_equal(run_check(FIXTURES_DIR "/absent", 1, check, &out, &errs), 1);
	assert_non_null(strstr(errs, "absent/lessons"));
	free(out);
	free(errs);
}

/* A file that does not load is reported with its line and caret; the rest
 * of its language is still checked, and it is not also "missing". */
static void test_lessons_check_broken(void **state)
{
	char *check[] = {"check"};
	char *out = NULL, *errs = NULL;

	assert_int_equal(run_check(FIXTURES_DIR "/lessons/check-broken", 1, check, &out, &errs), 1);
	/* 1 syntax error; 2 x 2 rules and the glossary in en; 02-two missing in it;
	 * a lab text without a lab file. */
	assert_string_equal(out, "lessons: 2 languages, 2 chapters, 8 problems\n");
	assert_non_null(
	    strstr(errs, "/it/01-one.yaml:6:4: invalid YAML: did not find expected '-' indicator"));
	assert_non_null(strstr(errs, ")\n   title: \"a\"\n   ^\n"));
	assert_non_null(strstr(errs, "/it/02-two.yaml: chapter 'two' is missing (it is in en)\n"));
	assert_null(strstr(errs, "chapter 'one' is missing"));
	free(out);
	free(errs);
}

static void test_course_load_partial(void **state)
{
	struct sz_course c;
	struct sz_diags d = {0};
	sz_error_t err = NULL;
	char **failed = NULL;

	assert_int_equal(
	    sz_course_load_partial(FIXTURES_DIR "/lessons/course-dup", "en", &c, &failed, &d, &err), 3);
	assert_int_equal(d.n, 3);
	assert_int_equal(c.n_chapters, 1);
	assert_string_equal(c.chapters[0].id, "alpha");
	assert_string_equal(failed[0], "01-beta.yaml");
	assert_string_equal(failed[1], "intro.yaml");
	assert_null(failed[2]);
	for (char **f = failed; *f != NULL; f++)
		free(*f);
	free(failed);
	sz_course_release(&c);
	sz_diags_release(&d);
	assert_int_equal(sz_course_load_partial(FIXTURES_DIR "/absent", "en", &c, &failed, &d, &err), -1);
	assert_null(failed);
	assert_true(is_zero(&c, sizeof(c)));
	assert_int_equal(d.n, 0);
	sz_error_release(&err);
}

/* ---- the real course --------------------------------------------------- */

/* The course as shipped: every language loads, keeps the content rules and
 * has every id the others have. */
static void test_real_content(void **state)
{
	char **langs = NULL;
	sz_error_t err = NULL;
	struct sz_diags d = {0};
	struct sz_course courses[8];
	int n = sz_course_languages(STANZA_SOURCE_DIR, &langs, &err);
	uint64_t start;

	if (n < 0)
		fail_msg("%s", sz_error_msg(err));
	assert_true(n >= 2 && n <= 8);
	assert_string_equal(langs[0], "en");
	for (int i = 0; i < n; i++) {
		if (sz_course_load(STANZA_SOURCE_DIR, langs[i], &courses[i], &d, &err) != 0 && err != NULL)
			fail_msg("%s", sz_error_msg(err));
		sz_course_check_rules(&courses[i], &d);
		if (i > 0)
			sz_course_parity(&courses[0], &courses[i], &d);
	}
	if (d.n > 0) {
		dump_diags(&d);
		fail_msg("the course has %zu problems", d.n);
	}
	assert_int_equal(courses[0].n_chapters, 8);
	start = sz_now_ns();
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < n; i++) {
			struct sz_course c;

			assert_int_equal(sz_course_load(STANZA_SOURCE_DIR, langs[i], &c, &d, &err), 0);
			sz_course_release(&c);
		}
	}
	print_message("loading %d languages takes %.2f ms\n", n, (double)(sz_now_ns() - start) / 20 / 1e6);
	for (int i = 0; i < n; i++) {
		sz_course_release(&courses[i]);
		free(langs[i]);
	}
	free(langs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_basics),
	    cmocka_unit_test(test_good_minimal),
	    cmocka_unit_test(test_good_crlf_bom),
	    cmocka_unit_test(test_bad_fixtures),
	    cmocka_unit_test(test_bad_inline),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_tabs_and_utf8_all_reported),
	    cmocka_unit_test(test_all_problems_reported),
	    cmocka_unit_test(test_missing_file),
	    cmocka_unit_test(test_mutations),
	    cmocka_unit_test(test_course_languages),
	    cmocka_unit_test(test_course_load_and_find),
	    cmocka_unit_test(test_course_cross_file),
	    cmocka_unit_test(test_parity),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_course_load_partial),
	    cmocka_unit_test(test_lessons_check),
	    cmocka_unit_test(test_lessons_check_broken),
	    cmocka_unit_test(test_real_content),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
