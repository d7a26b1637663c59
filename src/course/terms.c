/* SPDX-License-Identifier: GPL-3.0-or-later */
/* terms.c - the course's one vocabulary: i18n/terms.yaml read strictly, and the lessons checked against it */
#include "course/terms.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/yaml_tree.h"

/* ---- reading i18n/terms.yaml ------------------------------------------- */

struct terms_reader {
	struct sz_ysource *src;
	struct sz_diags *diags;
	size_t errors;
	struct sz_terms *out;
};

__attribute__((format(printf, 3, 4))) static void
reader_error(struct terms_reader *r, const struct sz_ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_ysource_verror(r->src, r->diags, at->line, at->col, fmt, ap);
	va_end(ap);
	r->errors++;
}

/* A non-empty string, or a problem reported at node. */
static const char *string_at(struct terms_reader *r, const struct sz_ynode *node, const char *what)
{
	if (node->kind == SZ_YNODE_SCALAR && !sz_ynode_is_null(node) && strlen(node->text) == node->len)
		return node->text;
	reader_error(r, node, _("'%s' must be a non-empty string"), what);
	return NULL;
}

static bool all_of(const char *s, const char *set)
{
	return *s != '\0' && strspn(s, set) == strlen(s);
}

static void add_rule(struct terms_reader *r, const char *concept, const char *lang, const char *use,
                     const char *avoid)
{
	struct sz_terms *t = r->out;
	struct sz_term_rule *rule;

	t->rules = sz_xrealloc(t->rules, (t->n + 1) * sizeof(*t->rules));
	rule = &t->rules[t->n++];
	rule->concept = sz_xstrdup(concept);
	rule->lang = sz_xstrdup(lang);
	rule->use = sz_xstrdup(use);
	rule->avoid = sz_xstrdup(avoid);
}

/* The forms to avoid are matched word by word: one space between words,
 * none at the ends, and never the form the course uses. */
static void read_avoid(struct terms_reader *r, const struct sz_ynode *list, const char *concept,
                       const char *lang, const char *use)
{
	if (list->kind != SZ_YNODE_SEQ) {
		reader_error(r, list, _("'%s' must be a list of strings"), "avoid");
		return;
	}
	for (size_t i = 0; i < list->n; i++) {
		const char *form = string_at(r, &list->items[i], "avoid");

		if (form == NULL)
			continue;
		if (form[0] == ' ' || form[strlen(form) - 1] == ' ' || strstr(form, "  ") != NULL ||
		    strpbrk(form, "\t\n`") != NULL)
			reader_error(r, &list->items[i],
			             _("'%s': words separated by single spaces, no backquotes"), form);
		else if (strcasecmp(form, use) == 0)
			reader_error(r, &list->items[i], _("'%s' is both the form to use and one to avoid"),
			             form);
		else
			add_rule(r, concept, lang, use, form);
	}
}

static void read_language(struct terms_reader *r, const struct sz_ynode *key, const struct sz_ynode *map,
                          const char *concept)
{
	const struct sz_ynode *use_node, *avoid;
	const char *use;

	if (!all_of(key->text, "abcdefghijklmnopqrstuvwxyz") || key->len > 3) {
		reader_error(r, key, _("unknown key '%s' (expected: concept, or a language such as en, it)"),
		             key->text);
		return;
	}
	if (map->kind != SZ_YNODE_MAP) {
		reader_error(r, map, _("'%s' must be a mapping with use and avoid"), key->text);
		return;
	}
	for (size_t i = 0; i < map->n; i += 2)
		if (strcmp(map->items[i].text, "use") != 0 && strcmp(map->items[i].text, "avoid") != 0)
			reader_error(r, &map->items[i], _("unknown key '%s' (expected one of: %s)"),
			             map->items[i].text, "use, avoid");
	use_node = sz_ynode_get(map, "use");
	if (use_node == NULL) {
		reader_error(r, map, _("missing required key '%s'"), "use");
		return;
	}
	use = string_at(r, use_node, "use");
	avoid = sz_ynode_get(map, "avoid");
	if (use != NULL && avoid != NULL)
		read_avoid(r, avoid, concept, key->text, use);
}

static void read_concept(struct terms_reader *r, const struct sz_ynode *item)
{
	const struct sz_ynode *concept_node;
	const char *concept;

	if (item->kind != SZ_YNODE_MAP) {
		reader_error(r, item, _("a term must be a mapping, not %s"), sz_ynode_describe(item));
		return;
	}
	concept_node = sz_ynode_get(item, "concept");
	if (concept_node == NULL) {
		reader_error(r, item, _("missing required key '%s'"), "concept");
		return;
	}
	concept = string_at(r, concept_node, "concept");
	if (concept != NULL && !all_of(concept, "abcdefghijklmnopqrstuvwxyz0123456789-"))
		reader_error(r, concept_node, _("invalid concept '%s' (use [a-z0-9-]+)"), concept);
	for (size_t i = 0; concept != NULL && i < item->n; i += 2)
		if (strcmp(item->items[i].text, "concept") != 0)
			read_language(r, &item->items[i], &item->items[i + 1], concept);
}

static void read_root(struct terms_reader *r, const struct sz_ynode *root)
{
	const struct sz_ynode *list = root->kind == SZ_YNODE_MAP ? sz_ynode_get(root, "terms") : NULL;

	if (list == NULL || root->n != 2) {
		reader_error(r, root, _("the vocabulary must be a mapping with the one key '%s'"), "terms");
		return;
	}
	if (list->kind != SZ_YNODE_SEQ) {
		reader_error(r, list, _("'%s' must be a list of terms"), "terms");
		return;
	}
	for (size_t i = 0; i < list->n; i++)
		read_concept(r, &list->items[i]);
}

int sz_terms_load_buffer(const char *name, const char *data, size_t len, struct sz_terms *out,
                         struct sz_diags *diags)
{
	struct sz_ysource src;
	struct sz_ynode root;
	struct terms_reader r = {.src = &src, .diags = diags, .out = out};
	int ret = 0;

	memset(out, 0, sizeof(*out));
	sz_ysource_init(&src, name, data, len);
	if (sz_ytree_parse(&src, &root, diags) < 0) {
		ret = -1;
	} else {
		read_root(&r, &root);
		sz_ynode_release(&root);
	}
	sz_ysource_release(&src);
	if (ret < 0 || r.errors > 0) {
		sz_terms_release(out);
		return -1;
	}
	return 0;
}

int sz_terms_load_content(const char *content_dir, struct sz_terms *out, struct sz_diags *diags)
{
	cleanup_free char *path = sz_asprintf("%s/i18n/terms.yaml", content_dir);
	cleanup_free char *data = NULL;
	sz_error_t err = NULL;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (sz_read_file(path, &data, &len, &err) < 0) {
		int code = err->errno_;

		if (code != ENOENT)
			sz_diags_add(diags, path, 0, 0, NULL, "%s", sz_error_msg(err));
		sz_error_release(&err);
		return code == ENOENT ? 0 : -1;
	}
	return sz_terms_load_buffer(path, data, len, out, diags);
}

void sz_terms_release(struct sz_terms *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->rules[i].concept);
		free(t->rules[i].lang);
		free(t->rules[i].use);
		free(t->rules[i].avoid);
	}
	free(t->rules);
	t->rules = NULL;
	t->n = 0;
}

/* ---- finding a form in prose ------------------------------------------- */

/* Letters of any script continue a word: a UTF-8 byte never ends one. */
static bool word_byte(unsigned char c)
{
	return c >= 0x80 || c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Whether form, a whole word (or words), starts at s[i]. */
static bool match_at(const char *s, size_t len, size_t i, const char *form)
{
	if (i > 0 && word_byte((unsigned char)s[i - 1]))
		return false;
	for (; *form != '\0'; form++) {
		if (*form == ' ') {
			if (i >= len || !blank(s[i]))
				return false;
			while (i < len && blank(s[i]))
				i++;
			continue;
		}
		if (i >= len || lower(s[i]) != lower(*form))
			return false;
		i++;
	}
	return i == len || !word_byte((unsigned char)s[i]);
}

/* The offset of the n-th (from 0) match of form outside `code spans`, or
 * len. A backquote opens a span and the next one closes it. */
static size_t nth_match(const char *s, size_t len, const char *form, size_t n)
{
	bool code = false;

	for (size_t i = 0; i < len; i++) {
		if (s[i] == '`')
			code = !code;
		else if (!code && match_at(s, len, i, form) && n-- == 0)
			return i;
	}
	return len;
}

/* ---- checking a lesson file -------------------------------------------- */

struct checker {
	const struct sz_terms *terms;
	const char *lang;
	struct sz_ysource *src;
	struct sz_diags *diags;
	size_t problems;
};

/* The keys whose values a learner reads as prose (docs/lesson-format.md);
 * ids, code blocks and booleans are not. */
static bool prose_key(const char *key)
{
	static const char *const keys[] = {"title",    "summary", "p",     "note",   "tip",
	                                   "question", "text",    "why",   "term",   "definition",
	                                   "intro",    "explain", "hints", "checks", NULL};

	for (const char *const *k = keys; *k != NULL; k++)
		if (strcmp(key, *k) == 0)
			return true;
	return false;
}

/* The n-th match in the value is the n-th in the file from where the scalar
 * starts, code spans included: the scalar's raw text has the same words and
 * backquotes, with line breaks and indentation for blanks. */
static void report(struct checker *c, const struct sz_ynode *node, const struct sz_term_rule *rule, size_t n)
{
	size_t start = sz_ysource_offset(c->src, node->line, node->col);
	size_t at = start + nth_match(c->src->data + start, c->src->len - start, rule->avoid, n);
	unsigned line = node->line, col = node->col;

	if (at < c->src->len)
		sz_ysource_locate(c->src, at, &line, &col);
	sz_ysource_error(c->src, c->diags, line, col,
	                 _("'%s' is not the course's word: write '%s' (%s in %s)"), rule->avoid, rule->use,
	                 rule->concept, "i18n/terms.yaml");
	c->problems++;
}

static void check_scalar(struct checker *c, const struct sz_ynode *node)
{
	for (size_t r = 0; r < c->terms->n; r++) {
		const struct sz_term_rule *rule = &c->terms->rules[r];

		if (strcmp(rule->lang, c->lang) != 0)
			continue;
		for (size_t n = 0; nth_match(node->text, node->len, rule->avoid, n) < node->len; n++)
			report(c, node, rule, n);
	}
}

static void check_node(struct checker *c, const struct sz_ynode *node, bool prose)
{
	if (node->kind == SZ_YNODE_SCALAR) {
		if (prose)
			check_scalar(c, node);
		return;
	}
	for (size_t i = 0; i < node->n; i += node->kind == SZ_YNODE_MAP ? 2 : 1) {
		if (node->kind == SZ_YNODE_SEQ) {
			check_node(c, &node->items[i], prose);
			continue;
		}
		check_node(c, &node->items[i + 1], prose_key(node->items[i].text));
	}
}

size_t sz_terms_check_buffer(const struct sz_terms *t, const char *lang, const char *name, const char *data,
                             size_t len, struct sz_diags *diags)
{
	struct sz_ysource src;
	struct sz_ynode root;
	struct sz_diags ignored = {0};
	struct checker c = {.terms = t, .lang = lang, .src = &src, .diags = diags};

	sz_ysource_init(&src, name, data, len);
	if (sz_ytree_parse(&src, &root, &ignored) == 0) {
		check_node(&c, &root, false);
		sz_ynode_release(&root);
	}
	sz_diags_release(&ignored);
	sz_ysource_release(&src);
	return c.problems;
}

size_t sz_terms_check_course(const struct sz_terms *t, const struct sz_course *c, struct sz_diags *diags)
{
	size_t problems = 0;

	for (size_t i = 0; t->n > 0 && i < c->n_chapters; i++) {
		cleanup_free char *data = NULL;
		sz_error_t err = NULL;
		size_t len;

		if (sz_read_file(c->chapters[i].path, &data, &len, &err) < 0) {
			sz_diags_add(diags, c->chapters[i].path, 0, 0, NULL, "%s", sz_error_msg(err));
			sz_error_release(&err);
			problems++;
			continue;
		}
		problems += sz_terms_check_buffer(t, c->lang, c->chapters[i].path, data, len, diags);
	}
	return problems;
}
