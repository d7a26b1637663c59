/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loader_chapter.c - the lesson schema as tables, and loading one chapter file into the model */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/loader.h"

/* ---- blocks ------------------------------------------------------------ */

static const enum sz_block_kind block_kinds[] = {SZ_BLOCK_PARA, SZ_BLOCK_CODE, SZ_BLOCK_NOTE, SZ_BLOCK_TIP};
static const char *const block_keys[] = {"p", "code", "note", "tip"};

static void load_block(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                       const struct sz_field *f)
{
	struct sz_block *block = obj;

	if (block->text != NULL) {
		sz_loader_error(ld, value,
		                _("a block is one of p, code, note, tip: this one is '%s' and '%s'"),
		                block_keys[block->kind], f->key);
		return;
	}
	block->kind = *(const enum sz_block_kind *)f->data;
	sz_loader_text(ld, value, f->key, &block->text);
}

/* An empty mapping; unknown keys have been reported with the keys expected. */
static void check_block(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	if (seen == 0 && map->n == 0)
		sz_loader_error(ld, map, _("a block needs one of: p, code, note, tip"));
}

static const struct sz_field block_fields[] = {
    {"p", SZ_YNODE_SCALAR, false, load_block, 0, &block_kinds[SZ_BLOCK_PARA]},
    {"code", SZ_YNODE_SCALAR, false, load_block, 0, &block_kinds[SZ_BLOCK_CODE]},
    {"note", SZ_YNODE_SCALAR, false, load_block, 0, &block_kinds[SZ_BLOCK_NOTE]},
    {"tip", SZ_YNODE_SCALAR, false, load_block, 0, &block_kinds[SZ_BLOCK_TIP]},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec block_list = {
    "block",     sizeof(struct sz_block), offsetof(struct sz_section, n_blocks), SZ_NO_ID, 1, 0, block_fields,
    check_block,
};

static const struct sz_field section_fields[] = {
    {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_section, id), NULL},
    {"title", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_section, title), NULL},
    {"body", SZ_YNODE_SEQ, true, sz_load_list, offsetof(struct sz_section, blocks), &block_list},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec section_list = {
    "section",
    sizeof(struct sz_section),
    offsetof(struct sz_chapter, n_sections),
    offsetof(struct sz_section, id),
    1,
    0,
    section_fields,
    NULL,
};

/* ---- quiz -------------------------------------------------------------- */

static const struct sz_field option_fields[] = {
    {"text", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_option, text), NULL},
    {"correct", SZ_YNODE_SCALAR, false, sz_load_bool, offsetof(struct sz_option, correct), NULL},
    {"why", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_option, why), NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec option_list = {
    "option",
    sizeof(struct sz_option),
    offsetof(struct sz_question, n_options),
    SZ_NO_ID,
    2,
    6,
    option_fields,
    NULL,
};

/* A `correct:` that is neither true nor false (reported already), so that
 * "no option is correct" is not said about it too. */
static bool has_bad_correct(const struct sz_ynode *options)
{
	for (size_t i = 0; i < options->n; i++) {
		const struct sz_ynode *c = sz_ynode_get(&options->items[i], "correct");

		if (c != NULL && !(c->kind == SZ_YNODE_SCALAR && c->plain &&
		                   (strcmp(c->text, "true") == 0 || strcmp(c->text, "false") == 0)))
			return true;
	}
	return false;
}

/* Exactly one correct option: the second one is reported where it says so. */
static void check_question(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	const struct sz_question *q = elem;
	const struct sz_ynode *options = sz_ynode_get(map, "options");
	size_t correct = 0;

	if (options == NULL || options->kind != SZ_YNODE_SEQ || options->n != q->n_options)
		return;
	for (size_t i = 0; i < q->n_options; i++) {
		if (q->options[i].correct && ++correct > 1)
			sz_loader_error(ld, sz_ynode_get(&options->items[i], "correct"),
			                _("a second correct option (exactly one must be correct)"));
	}
	if (correct == 0 && q->n_options > 0 && !has_bad_correct(options))
		sz_loader_error(ld, options, _("no option is correct (exactly one must have correct: true)"));
}

static const struct sz_field question_fields[] = {
    {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_question, id), NULL},
    {"question", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_question, question), NULL},
    {"options", SZ_YNODE_SEQ, true, sz_load_list, offsetof(struct sz_question, options), &option_list},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec question_list = {
    "quiz",
    sizeof(struct sz_question),
    offsetof(struct sz_chapter, n_quiz),
    offsetof(struct sz_question, id),
    1,
    0,
    question_fields,
    check_question,
};

/* ---- glossary ---------------------------------------------------------- */

/* Glossary ids are unique in the whole course: an id met in an earlier file
 * is reported here; one repeated in this file was reported by the list. */
static void check_term(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	const struct sz_term *term = elem;
	const struct sz_ynode *at = sz_ynode_get(map, "id");
	const struct sz_idslot *first;

	if (ld->course_glossary == NULL || term->id == NULL || at == NULL)
		return;
	first = sz_idset_add(ld->course_glossary, term->id, ld->src->name, at->line);
	if (first != NULL && first->file != ld->src->name)
		sz_loader_error(ld, at, _("glossary id '%s' is already used in %s:%u"), term->id, first->file,
		                first->line);
}

static const struct sz_field term_fields[] = {
    {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_term, id), NULL},
    {"term", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_term, term), NULL},
    {"definition", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_term, definition), NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec term_list = {
    "glossary",
    sizeof(struct sz_term),
    offsetof(struct sz_chapter, n_glossary),
    offsetof(struct sz_term, id),
    0,
    0,
    term_fields,
    check_term,
};

/* ---- labs -------------------------------------------------------------- */

static const size_t step_hints_count = offsetof(struct sz_step_text, n_hints);
static const size_t step_checks_count = offsetof(struct sz_step_text, n_checks);

static const struct sz_field step_fields[] = {
    {"text", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_step_text, text), NULL},
    {"explain", SZ_YNODE_SCALAR, false, sz_load_text, offsetof(struct sz_step_text, explain), NULL},
    {"hints", SZ_YNODE_SEQ, false, sz_load_texts, offsetof(struct sz_step_text, hints), &step_hints_count},
    {"checks", SZ_YNODE_SEQ, false, sz_load_texts, offsetof(struct sz_step_text, checks), &step_checks_count},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec step_map = {
    "step",
    sizeof(struct sz_step_text),
    offsetof(struct sz_lab_text, n_steps),
    offsetof(struct sz_step_text, id),
    1,
    0,
    step_fields,
    NULL,
};

static const struct sz_field lab_fields[] = {
    {"title", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_lab_text, title), NULL},
    {"intro", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_lab_text, intro), NULL},
    {"steps", SZ_YNODE_MAP, true, sz_load_idmap, offsetof(struct sz_lab_text, steps), &step_map},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec lab_map = {
    "lab",
    sizeof(struct sz_lab_text),
    offsetof(struct sz_chapter, n_labs),
    offsetof(struct sz_lab_text, id),
    0,
    0,
    lab_fields,
    NULL,
};

/* ---- the chapter ------------------------------------------------------- */

static const struct sz_field chapter_fields[] = {
    {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_chapter, id), NULL},
    {"title", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_chapter, title), NULL},
    {"summary", SZ_YNODE_SCALAR, true, sz_load_text, offsetof(struct sz_chapter, summary), NULL},
    {"sections", SZ_YNODE_SEQ, true, sz_load_list, offsetof(struct sz_chapter, sections), &section_list},
    {"quiz", SZ_YNODE_SEQ, true, sz_load_list, offsetof(struct sz_chapter, quiz), &question_list},
    {"glossary", SZ_YNODE_SEQ, false, sz_load_list, offsetof(struct sz_chapter, glossary), &term_list},
    {"labs", SZ_YNODE_MAP, false, sz_load_idmap, offsetof(struct sz_chapter, labs), &lab_map},
    {NULL, 0, false, NULL, 0, NULL},
};

/* "lessons/en/03-cgroups.yaml": number 3, id "cgroups" (pointing into name,
 * without the ".yaml": *id_len says how long). */
static bool parse_file_name(const char *name, unsigned *number, const char **id, size_t *id_len)
{
	const char *base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	size_t len = strlen(base);

	if (len < 9 || base[0] < '0' || base[0] > '9' || base[1] < '0' || base[1] > '9' || base[2] != '-' ||
	    strcmp(base + len - 5, ".yaml") != 0)
		return false;
	*number = (unsigned)(base[0] - '0') * 10 + (unsigned)(base[1] - '0');
	*id = base + 3;
	*id_len = len - 8;
	return true;
}

static void load_root(struct sz_loader *ld, const struct sz_ynode *root, struct sz_chapter *ch)
{
	const char *want;
	size_t want_len;

	if (root->kind != SZ_YNODE_MAP) {
		sz_loader_error(ld, root,
		                _("a lesson file must be a mapping (id, title, summary, ...), not %s"),
		                sz_ynode_describe(root));
		return;
	}
	sz_load_mapping(ld, root, chapter_fields, ch);
	if (ch->id == NULL || !parse_file_name(ld->src->name, &ch->number, &want, &want_len))
		return;
	if (strlen(ch->id) != want_len || memcmp(ch->id, want, want_len) != 0)
		sz_loader_error(ld, sz_ynode_get(root, "id"),
		                _("id '%s' does not match the file name (expected '%.*s')"), ch->id,
		                (int)want_len, want);
}

struct diag_key {
	unsigned line, col;
	size_t index;
};

static int cmp_diag_key(const void *a, const void *b)
{
	const struct diag_key *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* A file's diagnostics in the order of the file, whatever order the checks ran in. */
static void sort_diags(struct sz_diags *diags, size_t first)
{
	size_t n = diags->n - first;
	cleanup_free struct diag_key *keys = NULL;
	cleanup_free struct sz_diag *sorted = NULL;

	if (n < 2)
		return;
	keys = sz_xmalloc(n * sizeof(*keys));
	sorted = sz_xmalloc(n * sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct diag_key){diags->items[first + i].line, diags->items[first + i].col, i};
	qsort(keys, n, sizeof(*keys), cmp_diag_key);
	for (size_t i = 0; i < n; i++)
		sorted[i] = diags->items[first + keys[i].index];
	memcpy(diags->items + first, sorted, n * sizeof(*sorted));
}

int sz_chapter_load_in(const char *name, const char *data, size_t len, struct sz_chapter *out,
                       struct sz_diags *diags, struct sz_idset *course_glossary)
{
	struct sz_ysource src;
	struct sz_loader ld = {.src = &src, .diags = diags, .course_glossary = course_glossary};
	struct sz_chapter ch = {0};
	struct sz_ynode root;
	size_t first = diags->n;
	const char *id;
	size_t id_len;

	memset(out, 0, sizeof(*out));
	sz_ysource_init(&src, name, data, len);
	if (!parse_file_name(name, &ch.number, &id, &id_len))
		sz_loader_error(&ld, NULL, _("the file name must be NN-<id>.yaml, NN two digits"));
	if (sz_ytree_parse(&src, &root, diags) < 0) {
		ld.errors++;
	} else {
		load_root(&ld, &root, &ch);
		sz_ynode_release(&root);
	}
	sz_ysource_release(&src);
	sort_diags(diags, first);
	if (ld.errors > 0) {
		sz_chapter_release(&ch);
		return -1;
	}
	ch.path = sz_xstrdup(name);
	*out = ch;
	return 0;
}

int sz_chapter_load_buffer(const char *name, const char *data, size_t len, struct sz_chapter *out,
                           struct sz_diags *diags)
{
	return sz_chapter_load_in(name, data, len, out, diags, NULL);
}

int sz_chapter_load_file_in(const char *path, struct sz_chapter *out, struct sz_diags *diags,
                            struct sz_idset *course_glossary)
{
	cleanup_free char *data = NULL;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (sz_diags_read_file(diags, path, &data, &len) < 0)
		return -1;
	return sz_chapter_load_in(path, data, len, out, diags, course_glossary);
}

int sz_chapter_load_file(const char *path, struct sz_chapter *out, struct sz_diags *diags)
{
	return sz_chapter_load_file_in(path, out, diags, NULL);
}
