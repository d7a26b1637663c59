/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loader.c - the schema machinery: mappings walked by tables, texts, ids, booleans, lists and id sets */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/loader.h"

void sz_loader_error(struct sz_loader *ld, const struct sz_ynode *at, const char *fmt, ...)
{
	va_list ap;

	ld->errors++;
	va_start(ap, fmt);
	sz_ysource_verror(ld->src, ld->diags, at != NULL ? at->line : 0, at != NULL ? at->col : 0, fmt, ap);
	va_end(ap);
}

/* ---- mappings ---------------------------------------------------------- */

/* "id, title, body": the keys a table allows, for messages. */
static char *key_list(const struct sz_field *table)
{
	size_t len = 1;
	char *out, *p;

	for (const struct sz_field *f = table; f->key != NULL; f++)
		len += strlen(f->key) + 2;
	p = out = sz_xmalloc(len);
	for (const struct sz_field *f = table; f->key != NULL; f++) {
		size_t n = strlen(f->key);

		if (p != out) {
			memcpy(p, ", ", 2);
			p += 2;
		}
		memcpy(p, f->key, n);
		p += n;
	}
	*p = '\0';
	return out;
}

static int find_field(const struct sz_field *table, const char *key)
{
	for (int i = 0; table[i].key != NULL; i++)
		if (strcmp(table[i].key, key) == 0)
			return i;
	return -1;
}

static void report_missing(struct sz_loader *ld, const struct sz_ynode *map, const struct sz_field *table,
                           uint32_t seen)
{
	for (int i = 0; table[i].key != NULL; i++)
		if (table[i].required && !(seen & (UINT32_C(1) << i)))
			sz_loader_error(ld, map, _("missing required key '%s'"), table[i].key);
}

uint32_t sz_load_mapping(struct sz_loader *ld, const struct sz_ynode *map, const struct sz_field *table,
                         void *obj)
{
	uint32_t seen = 0;

	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct sz_ynode *key = &map->items[i], *value = &map->items[i + 1];
		int k = find_field(table, key->text);

		if (k < 0) {
			cleanup_free char *keys = key_list(table);
			sz_loader_error(ld, key, _("unknown key '%s' (expected one of: %s)"), key->text,
			                keys);
			continue;
		}
		if (seen & (UINT32_C(1) << k)) {
			sz_loader_error(ld, key, _("duplicate key '%s'"), key->text);
			continue;
		}
		seen |= UINT32_C(1) << k;
		if (value->kind != table[k].kind) {
			sz_loader_error(ld, value, _("'%s' must be %s, not %s"), key->text,
			                sz_ynode_kind_name(table[k].kind), sz_ynode_describe(value));
			continue;
		}
		table[k].load(ld, value, obj, &table[k]);
	}
	report_missing(ld, map, table, seen);
	return seen;
}

/* ---- scalars ----------------------------------------------------------- */

static bool is_blank(const char *s)
{
	return s[strspn(s, " \n\r")] == '\0';
}

bool sz_is_id(const char *s)
{
	return *s != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-")] == '\0';
}

void sz_loader_text(struct sz_loader *ld, const struct sz_ynode *value, const char *key, char **dst)
{
	if (sz_ynode_is_null(value) || is_blank(value->text)) {
		sz_loader_error(ld, value, _("'%s' is empty"), key);
		return;
	}
	if (strlen(value->text) != value->len) {
		sz_loader_error(ld, value, _("'%s' holds a NUL character"), key);
		return;
	}
	free(*dst);
	*dst = sz_xstrdup(value->text);
}

static void *field_ptr(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

void sz_load_text(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	sz_loader_text(ld, value, f->key, field_ptr(obj, f->offset));
}

void sz_load_id(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	char **dst = field_ptr(obj, f->offset);

	sz_loader_text(ld, value, f->key, dst);
	if (*dst != NULL && !sz_is_id(*dst))
		sz_loader_error(ld, value, _("id '%s' may use only a-z, 0-9 and '-'"), *dst);
}

void sz_load_bool(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	bool *dst = field_ptr(obj, f->offset);

	if (value->plain && strcmp(value->text, "true") == 0)
		*dst = true;
	else if (value->plain && strcmp(value->text, "false") == 0)
		*dst = false;
	else if (!value->plain)
		sz_loader_error(ld, value, _("'%s' must be true or false, not a quoted string"), f->key);
	else
		sz_loader_error(ld, value, _("'%s' must be true or false, not '%s'"), f->key, value->text);
}

void sz_load_texts(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	char ***dst = field_ptr(obj, f->offset);
	size_t *count = field_ptr(obj, *(const size_t *)f->data);

	*dst = value->n > 0 ? sz_xcalloc(value->n, sizeof(**dst)) : NULL;
	*count = value->n;
	for (size_t i = 0; i < value->n; i++) {
		if (value->items[i].kind != SZ_YNODE_SCALAR)
			sz_loader_error(ld, &value->items[i], _("each item of '%s' must be a string, not %s"),
			                f->key, sz_ynode_describe(&value->items[i]));
		else
			sz_loader_text(ld, &value->items[i], f->key, &(*dst)[i]);
	}
}

/* ---- lists and id maps ------------------------------------------------- */

static void check_count(struct sz_loader *ld, const struct sz_ynode *value, const char *key, size_t n,
                        const struct sz_list_spec *spec)
{
	if (spec->max != 0 && (n < spec->min || n > spec->max))
		sz_loader_error(ld, value, _("'%s' must have %zu to %zu items, not %zu"), key, spec->min,
		                spec->max, n);
	else if (n < spec->min && spec->min == 1)
		sz_loader_error(ld, value, _("'%s' must not be empty"), key);
	else if (n < spec->min)
		sz_loader_error(ld, value, _("'%s' must have at least %zu items, not %zu"), key, spec->min,
		                n);
}

/* Zeroed items for the parent's array at f->offset, and their count. */
static char *alloc_items(void *obj, const struct sz_field *f, const struct sz_list_spec *spec, size_t n)
{
	void **dst = field_ptr(obj, f->offset);

	*(size_t *)field_ptr(obj, spec->count_offset) = n;
	*dst = n > 0 ? sz_xcalloc(n, spec->elem_size) : NULL;
	return *dst;
}

/* A duplicate id is reported where it repeats, naming the first one's line. */
static void check_unique(struct sz_loader *ld, struct sz_idset *ids, const struct sz_list_spec *spec,
                         const char *id, const struct sz_ynode *at)
{
	const struct sz_idslot *first;

	if (id == NULL || at == NULL)
		return;
	first = sz_idset_add(ids, id, NULL, at->line);
	if (first != NULL)
		sz_loader_error(ld, at, _("duplicate %s id '%s' (first at line %u)"), spec->what, id,
		                first->line);
}

static const char *elem_id(const struct sz_list_spec *spec, void *elem)
{
	return spec->id_offset == SZ_NO_ID ? NULL : *(char **)field_ptr(elem, spec->id_offset);
}

void sz_load_list(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	const struct sz_list_spec *spec = f->data;
	char *items = alloc_items(obj, f, spec, value->n);
	struct sz_idset ids = {0};

	check_count(ld, value, f->key, value->n, spec);
	for (size_t i = 0; i < value->n; i++) {
		const struct sz_ynode *item = &value->items[i];
		void *elem = items + i * spec->elem_size;
		uint32_t seen;

		if (item->kind != SZ_YNODE_MAP) {
			sz_loader_error(ld, item, _("each item of '%s' must be a mapping, not %s"), f->key,
			                sz_ynode_describe(item));
			continue;
		}
		seen = sz_load_mapping(ld, item, spec->fields, elem);
		check_unique(ld, &ids, spec, elem_id(spec, elem), sz_ynode_get(item, "id"));
		if (spec->check != NULL)
			spec->check(ld, item, elem, seen);
	}
	sz_idset_release(&ids);
}

void sz_load_idmap(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	const struct sz_list_spec *spec = f->data;
	char *items = alloc_items(obj, f, spec, value->n / 2);
	struct sz_idset ids = {0};

	check_count(ld, value, f->key, value->n / 2, spec);
	for (size_t i = 0; i + 1 < value->n; i += 2) {
		const struct sz_ynode *key = &value->items[i], *item = &value->items[i + 1];
		void *elem = items + i / 2 * spec->elem_size;
		uint32_t seen;

		*(char **)field_ptr(elem, spec->id_offset) = sz_xstrdup(key->text);
		if (!sz_is_id(key->text))
			sz_loader_error(ld, key, _("%s id '%s' may use only a-z, 0-9 and '-'"), spec->what,
			                key->text);
		check_unique(ld, &ids, spec, key->text, key);
		if (item->kind != SZ_YNODE_MAP) {
			sz_loader_error(ld, item, _("%s '%s' must be a mapping, not %s"), spec->what,
			                key->text, sz_ynode_describe(item));
			continue;
		}
		seen = sz_load_mapping(ld, item, spec->fields, elem);
		if (spec->check != NULL)
			spec->check(ld, item, elem, seen);
	}
	sz_idset_release(&ids);
}

/* ---- id sets ----------------------------------------------------------- */

static size_t hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return (size_t)h;
}

/* Open addressing in a power-of-two table that is never more than half full. */
static struct sz_idslot *find_slot(struct sz_idslot *slots, size_t cap, const char *id)
{
	size_t i = hash(id) & (cap - 1);

	while (slots[i].id != NULL && strcmp(slots[i].id, id) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static void grow(struct sz_idset *set)
{
	size_t cap = set->cap != 0 ? set->cap * 2 : 16;
	struct sz_idslot *slots = sz_xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < set->cap; i++)
		if (set->slots[i].id != NULL)
			*find_slot(slots, cap, set->slots[i].id) = set->slots[i];
	free(set->slots);
	set->slots = slots;
	set->cap = cap;
}

const struct sz_idslot *sz_idset_add(struct sz_idset *set, const char *id, const char *file, unsigned line)
{
	struct sz_idslot *slot;

	if ((set->n + 1) * 2 > set->cap)
		grow(set);
	slot = find_slot(set->slots, set->cap, id);
	if (slot->id != NULL)
		return slot;
	slot->id = sz_xstrdup(id);
	slot->file = file;
	slot->line = line;
	set->n++;
	return NULL;
}

void sz_idset_release(struct sz_idset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].id);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
