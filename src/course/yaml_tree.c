/* SPDX-License-Identifier: GPL-3.0-or-later */
/* yaml_tree.c - libyaml events into a tree of located nodes: one document, no anchors, aliases or tags */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "common/i18n.h"
#include "common/util.h"
#include "course/yaml_tree.h"

/* Deeper than any lesson needs (7 levels), shallow enough for the stack. */
#define MAX_DEPTH 32

struct builder {
	yaml_parser_t parser;
	struct sz_ysource *src;
	struct sz_diags *diags;
	unsigned depth;
};

static void event_deletep(yaml_event_t *ev)
{
	yaml_event_delete(ev);
}
#define cleanup_event __attribute__((cleanup(event_deletep)))

static int fail_at(struct builder *b, const yaml_mark_t *mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct builder *b, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sz_ysource_verror(b->src, b->diags, mark != NULL ? (unsigned)mark->line + 1 : 0,
	                  mark != NULL ? (unsigned)mark->column + 1 : 0, fmt, ap);
	va_end(ap);
	return -1;
}

/* The last line of the file: a final newline ends it, it starts none. */
static unsigned last_line(struct sz_ysource *src)
{
	unsigned line, col;

	sz_ysource_locate(src, src->len, &line, &col);
	return col == 1 && line > 1 ? line - 1 : line;
}

/* A scanner error with a context: libyaml noticed it where the token could
 * not go on (for an unterminated string, past the end of the file), but the
 * token starts at the context mark, which is what a writer must look at. */
static int scanner_error(struct builder *b, const char *problem)
{
	const yaml_parser_t *p = &b->parser;
	unsigned line = (unsigned)p->context_mark.line + 1, col = (unsigned)p->context_mark.column + 1;
	bool at_end =
	    p->problem_mark.index >= b->src->len || strcmp(problem, "found unexpected end of stream") == 0;

	if (at_end && strcmp(p->context, "while scanning a quoted scalar") == 0)
		sz_ysource_error(b->src, b->diags, line, col,
		                 _("unterminated quoted string (the file ends at line %u)"),
		                 last_line(b->src));
	else if (at_end)
		sz_ysource_error(b->src, b->diags, line, col,
		                 _("invalid YAML: %s %s (the file ends at line %u)"), problem, p->context,
		                 last_line(b->src));
	else
		sz_ysource_error(b->src, b->diags, line, col,
		                 _("invalid YAML: %s %s (at line %u, column %u)"), problem, p->context,
		                 (unsigned)p->problem_mark.line + 1, (unsigned)p->problem_mark.column + 1);
	return -1;
}

/* libyaml's own message: where it noticed the problem, and what it was
 * parsing then. Reader errors have a byte offset instead of a mark. */
static int syntax_error(struct builder *b)
{
	const yaml_parser_t *p = &b->parser;
	const char *problem = p->problem != NULL ? p->problem : "out of memory";
	unsigned line = (unsigned)p->problem_mark.line + 1, col = (unsigned)p->problem_mark.column + 1;

	if (p->error == YAML_SCANNER_ERROR && p->context != NULL)
		return scanner_error(b, problem);
	if (p->error == YAML_READER_ERROR)
		sz_ysource_locate(b->src, p->problem_offset, &line, &col);
	if (p->context != NULL)
		sz_ysource_error(b->src, b->diags, line, col, _("invalid YAML: %s (%s at line %u)"), problem,
		                 p->context, (unsigned)p->context_mark.line + 1);
	else
		sz_ysource_error(b->src, b->diags, line, col, _("invalid YAML: %s"), problem);
	return -1;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&b->parser, ev))
		return syntax_error(b);
	return 0;
}

/* Lessons need none of YAML's references and types: refusing them keeps the
 * tree a tree and every value a plain string. */
static int refuse_extras(struct builder *b, const yaml_event_t *ev)
{
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		return fail_at(b, &ev->start_mark, _("aliases (*%s) are not allowed in lessons"),
		               (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default: return fail_at(b, &ev->start_mark, _("invalid YAML: a value was expected here"));
	}
	if (anchor != NULL)
		return fail_at(b, &ev->start_mark, _("anchors (&%s) are not allowed in lessons"),
		               (const char *)anchor);
	if (tag != NULL)
		return fail_at(b, &ev->start_mark, _("tags (%s) are not allowed in lessons"),
		               (const char *)tag);
	return 0;
}

static void append(struct sz_ynode *parent, const struct sz_ynode *child)
{
	if (parent->n == parent->cap) {
		parent->cap = parent->cap != 0 ? parent->cap * 2 : 4;
		parent->items = sz_xrealloc(parent->items, parent->cap * sizeof(*parent->items));
	}
	parent->items[parent->n++] = *child;
}

static int build_node(struct builder *b, const yaml_event_t *ev, struct sz_ynode *out);

/* The items of a sequence or mapping, up to its end event. */
static int build_children(struct builder *b, struct sz_ynode *node, yaml_event_type_t end)
{
	for (;;) {
		cleanup_event yaml_event_t ev = {0};
		struct sz_ynode child;

		if (next_event(b, &ev) < 0)
			return -1;
		if (ev.type == end)
			return 0;
		if (node->kind == SZ_YNODE_MAP && node->n % 2 == 0 && ev.type != YAML_SCALAR_EVENT &&
		    ev.type != YAML_ALIAS_EVENT)
			return fail_at(b, &ev.start_mark,
			               _("a key must be a plain string, not a list or mapping"));
		if (build_node(b, &ev, &child) < 0) {
			sz_ynode_release(&child);
			return -1;
		}
		append(node, &child);
	}
}

/* Build the node that ev starts. On failure *out may hold part of the node:
 * the caller releases it. */
static int build_node(struct builder *b, const yaml_event_t *ev, struct sz_ynode *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	out->line = (unsigned)ev->start_mark.line + 1;
	out->col = (unsigned)ev->start_mark.column + 1;
	if (refuse_extras(b, ev) < 0)
		return -1;
	if (ev->type == YAML_SCALAR_EVENT) {
		out->kind = SZ_YNODE_SCALAR;
		out->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		out->len = ev->data.scalar.length;
		out->text = sz_xmalloc(out->len + 1);
		memcpy(out->text, ev->data.scalar.value, out->len);
		out->text[out->len] = '\0';
		return 0;
	}
	if (b->depth >= MAX_DEPTH)
		return fail_at(b, &ev->start_mark, _("nested deeper than %d levels"), MAX_DEPTH);
	b->depth++;
	if (ev->type == YAML_SEQUENCE_START_EVENT) {
		out->kind = SZ_YNODE_SEQ;
		ret = build_children(b, out, YAML_SEQUENCE_END_EVENT);
	} else {
		out->kind = SZ_YNODE_MAP;
		ret = build_children(b, out, YAML_MAPPING_END_EVENT);
	}
	b->depth--;
	return ret;
}

/* Parse one event that carries nothing we keep; *type and *mark say what it was. */
static int skip_event(struct builder *b, yaml_event_type_t *type, yaml_mark_t *mark)
{
	cleanup_event yaml_event_t ev = {0};

	if (next_event(b, &ev) < 0)
		return -1;
	*type = ev.type;
	*mark = ev.start_mark;
	return 0;
}

static int parse_stream(struct builder *b, struct sz_ynode *root)
{
	cleanup_event yaml_event_t ev = {0};
	yaml_event_type_t type;
	yaml_mark_t mark;

	if (skip_event(b, &type, &mark) < 0 || skip_event(b, &type, &mark) < 0)
		return -1;
	if (type == YAML_STREAM_END_EVENT)
		return fail_at(b, NULL, _("the file is empty"));
	if (next_event(b, &ev) < 0 || build_node(b, &ev, root) < 0)
		return -1;
	if (skip_event(b, &type, &mark) < 0 || skip_event(b, &type, &mark) < 0)
		return -1;
	if (type == YAML_DOCUMENT_START_EVENT)
		return fail_at(b, &mark, _("a second YAML document (a lesson file holds one)"));
	return 0;
}

int sz_ytree_parse(struct sz_ysource *src, struct sz_ynode *root, struct sz_diags *diags)
{
	struct builder b = {.src = src, .diags = diags};
	int ret;

	memset(root, 0, sizeof(*root));
	if (sz_ysource_check(src, diags) > 0)
		return -1;
	if (!yaml_parser_initialize(&b.parser))
		return fail_at(&b, NULL, _("out of memory"));
	yaml_parser_set_input_string(&b.parser, (const unsigned char *)src->data, src->len);
	ret = parse_stream(&b, root);
	yaml_parser_delete(&b.parser);
	if (ret < 0) {
		sz_ynode_release(root);
		memset(root, 0, sizeof(*root));
	}
	return ret;
}

void sz_ynode_release(struct sz_ynode *node)
{
	for (size_t i = 0; i < node->n; i++)
		sz_ynode_release(&node->items[i]);
	free(node->items);
	free(node->text);
	node->items = NULL;
	node->text = NULL;
	node->n = node->cap = 0;
}

bool sz_ynode_is_null(const struct sz_ynode *node)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

	if (node->kind != SZ_YNODE_SCALAR || !node->plain)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (strcmp(node->text, nulls[i]) == 0)
			return true;
	return false;
}

const char *sz_ynode_kind_name(enum sz_ynode_kind kind)
{
	switch (kind) {
	case SZ_YNODE_SCALAR: return _("a string");
	case SZ_YNODE_SEQ: return _("a list");
	case SZ_YNODE_MAP: return _("a mapping");
	}
	return "?";
}

const char *sz_ynode_describe(const struct sz_ynode *node)
{
	return sz_ynode_is_null(node) ? _("nothing") : sz_ynode_kind_name(node->kind);
}

const struct sz_ynode *sz_ynode_get(const struct sz_ynode *map, const char *key)
{
	if (map->kind != SZ_YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->items[i].text, key) == 0)
			return &map->items[i + 1];
	return NULL;
}
