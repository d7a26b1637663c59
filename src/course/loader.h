/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loader.h - table-driven, strict and located reading of YAML nodes into the course model */
#ifndef SZ_LOADER_H
#define SZ_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "course/course.h"
#include "course/yaml_tree.h"

/*
 * Internal to src/course. Each mapping of the schema is a table of
 * struct sz_field, walked by sz_load_mapping(): unknown keys, duplicate keys,
 * wrong node kinds and missing required keys are reported there; a handler
 * reads one value into the field at `offset` of the object being filled.
 * Loading goes on after a problem, so that one pass reports all of a file's
 * problems; ld->errors says whether there were any. Whatever a handler
 * stores belongs to the object and is freed with it, even on failure.
 */

struct sz_idset;

struct sz_loader {
	struct sz_ysource *src;
	struct sz_diags *diags;
	size_t errors;
	struct sz_idset *course_glossary; /* glossary ids of earlier files, or NULL */
	size_t regex_size;                /* a lab's regular expressions so far (labs/lab_internal.h) */
};

void sz_loader_error(struct sz_loader *ld, const struct sz_ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct sz_field;
typedef void (*sz_field_fn)(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                            const struct sz_field *f);

struct sz_field {
	const char *key;
	enum sz_ynode_kind kind; /* the value must be of this kind */
	bool required;
	sz_field_fn load;
	size_t offset;    /* where in the object the handler stores the value */
	const void *data; /* the handler's own: a list spec, a block kind */
};

/* Walk a mapping with table (ended by a NULL key). Returns the table entries
 * seen, bit i for table[i] (tables have at most 32 entries). */
uint32_t sz_load_mapping(struct sz_loader *ld, const struct sz_ynode *map, const struct sz_field *table,
                         void *obj);

/* The id_offset of items without an id. */
#define SZ_NO_ID ((size_t)-1)

/* A list of objects (a sequence of mappings) or a mapping from id to object. */
struct sz_list_spec {
	const char *what; /* "section": for messages */
	size_t elem_size;
	size_t count_offset; /* where the parent keeps the count (a size_t) */
	size_t id_offset;    /* where the element keeps its id (a char *) */
	size_t min, max;     /* how many items; max 0 is no limit */
	const struct sz_field *fields;
	/* Checks once an item is loaded, or NULL; seen as from sz_load_mapping. */
	void (*check)(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen);
};

/* Handlers. Text is a non-empty string; an id is text of [a-z0-9-]. */
void sz_load_text(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);
void sz_load_id(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);
/* A plain true or false into a bool. */
void sz_load_bool(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);
/* A sequence of texts into a char **; f->data points to the count's offset. */
void sz_load_texts(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);
/* A sequence of mappings; f->data is a struct sz_list_spec. */
void sz_load_list(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);
/* A mapping whose keys are the items' ids; f->data is a struct sz_list_spec. */
void sz_load_idmap(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f);

/* Read a text into *dst (replacing nothing: *dst must be NULL). */
void sz_loader_text(struct sz_loader *ld, const struct sz_ynode *value, const char *key, char **dst);
bool sz_is_id(const char *s);

/*
 * A set of ids remembering where each was first seen. Keys are copied;
 * file is borrowed and must outlive the set.
 */
struct sz_idslot {
	char *id;
	const char *file;
	unsigned line;
};

struct sz_idset {
	struct sz_idslot *slots;
	size_t cap, n;
};

/* Add id. Returns NULL when it is new, else the slot of its first sighting. */
const struct sz_idslot *sz_idset_add(struct sz_idset *set, const char *id, const char *file, unsigned line);
void sz_idset_release(struct sz_idset *set);

/* Load a chapter, checking its glossary ids against (and adding them to)
 * course_glossary when it is not NULL. Otherwise as sz_chapter_load_buffer. */
int sz_chapter_load_in(const char *name, const char *data, size_t len, struct sz_chapter *out,
                       struct sz_diags *diags, struct sz_idset *course_glossary);
/* The same from the file at path. */
int sz_chapter_load_file_in(const char *path, struct sz_chapter *out, struct sz_diags *diags,
                            struct sz_idset *course_glossary);

#endif
