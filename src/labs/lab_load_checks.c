/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_load_checks.c - the schema of checks (expect: and check:): one key each, read into struct sz_check */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/check_kinds.h"
#include "labs/lab_internal.h"

static const char *const namespaces[] = {"pid", "net", "mnt", "uts", "ipc", "user", "cgroup", NULL};

static const char *const counter_names[SZ_COUNTER_COUNT] = {
    [SZ_COUNTER_OOM_KILL] = "oom_kill",           [SZ_COUNTER_NR_THROTTLED] = "nr_throttled",
    [SZ_COUNTER_CPU_USEC] = "cpu_usec",           [SZ_COUNTER_PIDS_CURRENT] = "pids_current",
    [SZ_COUNTER_PIDS_MAX_HITS] = "pids_max_hits", [SZ_COUNTER_MEMORY_CURRENT] = "memory_current",
};

const char *sz_cgroup_counter_name(enum sz_cgroup_counter c)
{
	return c < SZ_COUNTER_COUNT ? counter_names[c] : "?";
}

void sz_check_release(struct sz_check *check)
{
	free(check->text);
	free(check->path);
	free(check->ns);
	if (check->has_re)
		regfree(&check->re);
	memset(check, 0, sizeof(*check));
}

/* ---- values ------------------------------------------------------------ */

bool sz_lab_load_uint(struct sz_loader *ld, const struct sz_ynode *value, const char *key, uint64_t min,
                      uint64_t max, uint64_t *out)
{
	sz_error_t err = NULL;

	if (!value->plain) {
		sz_loader_error(ld, value, _("'%s' must be a number, not a quoted string"), key);
		return false;
	}
	if (sz_parse_uint(value->text, min, max, out, &err) < 0) {
		sz_loader_error(ld, value, "'%s': %s", key, sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	return true;
}

/* A POSIX extended regular expression, compiled into *re. Returns false
 * after reporting the problem: sz_lab_regex_problem's, else regerror's. */
static bool sz_lab_load_regex(struct sz_loader *ld, const struct sz_ynode *value, const char *key,
                              regex_t *re)
{
	cleanup_free char *problem = NULL;
	size_t size;
	char msg[256];
	int rc;

	if (value->text[0] == '\0' || strlen(value->text) != value->len) {
		sz_loader_error(ld, value, _("'%s' must be a non-empty regular expression"), key);
		return false;
	}
	problem = sz_lab_regex_problem(value->text, &size);
	if (problem == NULL && (ld->regex_size += size) > SZ_LAB_REGEX_FILE_MAX)
		problem = sz_asprintf(_("the file's regular expressions are too long together "
		                        "(more than %d elements once their repetitions are written out)"),
		                      SZ_LAB_REGEX_FILE_MAX);
	if (problem != NULL) {
		sz_loader_error(ld, value, _("bad regular expression '%s' in '%s': %s"), value->text, key,
		                problem);
		return false;
	}
	rc = regcomp(re, value->text, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		sz_loader_error(ld, value, _("bad regular expression '%s' in '%s': %s"), value->text, key,
		                msg);
		return false;
	}
	return true;
}

static bool path_is_clean(const char *p)
{
	while (*p != '\0') {
		size_t n = strcspn(p, "/");

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		p += n;
		if (*p == '/' && *++p == '\0')
			return false;
	}
	return true;
}

bool sz_lab_path_is_relative_clean(const char *path)
{
	return path[0] != '\0' && path[0] != '/' && path_is_clean(path);
}

bool sz_lab_path_is_absolute_clean(const char *path)
{
	return path[0] == '/' && (path[1] == '\0' || path_is_clean(path + 1));
}

/* ---- one check --------------------------------------------------------- */

/* A check has exactly one key; the second is reported where it is. */
static bool begin_check(struct sz_loader *ld, const struct sz_ynode *value, struct sz_check *c,
                        const struct sz_field *f)
{
	if (c->text != NULL) {
		sz_loader_error(ld, value, _("a check has one key: this one has '%s' and '%s'"), c->text,
		                f->key);
		return false;
	}
	c->kind = (enum sz_check_kind)(f - sz_check_fields);
	return true;
}

static void set_text(struct sz_check *c, const char *key, const char *value)
{
	c->text = sz_asprintf("%s: %s", key, value);
}

void sz_check_load_exit(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f)
{
	struct sz_check *c = obj;
	uint64_t n;

	if (!begin_check(ld, value, c, f))
		return;
	set_text(c, f->key, value->text);
	if (sz_lab_load_uint(ld, value, f->key, 0, 255, &n))
		c->status = (int)n;
}

void sz_check_load_regex(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                         const struct sz_field *f)
{
	struct sz_check *c = obj;

	if (!begin_check(ld, value, c, f))
		return;
	set_text(c, f->key, value->text);
	c->has_re = sz_lab_load_regex(ld, value, f->key, &c->re);
}

/* `oom-killed: true` or `false`; `host-hostname-unchanged` only true. */
void sz_check_load_flag(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f)
{
	struct sz_check *c = obj;
	size_t errors = ld->errors;

	if (!begin_check(ld, value, c, f))
		return;
	set_text(c, f->key, value->text);
	sz_load_bool(
	    ld, value, c,
	    &(struct sz_field){f->key, SZ_YNODE_SCALAR, false, NULL, offsetof(struct sz_check, flag), NULL});
	if (ld->errors == errors && c->kind == SZ_CHECK_HOST_HOSTNAME_UNCHANGED && !c->flag)
		sz_loader_error(ld, value, _("'%s' can only be true"), f->key);
}

void sz_check_load_ns(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_check *c = obj;

	if (!begin_check(ld, value, c, f))
		return;
	set_text(c, f->key, value->text);
	for (size_t i = 0; namespaces[i] != NULL; i++)
		if (strcmp(value->text, namespaces[i]) == 0) {
			c->ns = sz_xstrdup(value->text);
			return;
		}
	sz_loader_error(ld, value,
	                _("unknown namespace '%s' (expected one of: pid, net, mnt, uts, ipc, user, cgroup)"),
	                value->text);
}

/* ---- checks with a mapping --------------------------------------------- */

static void load_path(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_check *c = obj;
	bool in_container = c->kind == SZ_CHECK_FILE;

	sz_loader_text(ld, value, f->key, &c->path);
	if (c->path == NULL)
		return;
	if (in_container && !sz_lab_path_is_absolute_clean(c->path))
		sz_loader_error(
		    ld, value,
		    _("'%s' must be an absolute path without '.' or '..' (it is in the container)"), f->key);
	else if (!in_container && !sz_lab_path_is_relative_clean(c->path))
		sz_loader_error(
		    ld, value,
		    _("'%s' must be a relative path without '.' or '..' (it is in the work directory)"),
		    f->key);
}

static void load_exists(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f)
{
	struct sz_check *c = obj;
	bool yes = false;
	size_t errors = ld->errors;

	sz_load_bool(ld, value, &yes, &(struct sz_field){f->key, SZ_YNODE_SCALAR, false, NULL, 0, NULL});
	if (ld->errors == errors)
		c->exists = yes;
}

static void load_contains(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                          const struct sz_field *f)
{
	struct sz_check *c = obj;

	c->has_re = sz_lab_load_regex(ld, value, f->key, &c->re);
}

static const struct sz_field file_fields[] = {
    {"path", SZ_YNODE_SCALAR, true, load_path, 0, NULL},
    {"exists", SZ_YNODE_SCALAR, false, load_exists, 0, NULL},
    {"contains", SZ_YNODE_SCALAR, false, load_contains, 0, NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

void sz_check_load_file(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f)
{
	struct sz_check *c = obj;
	const struct sz_ynode *contains = sz_ynode_get(value, "contains");

	if (!begin_check(ld, value, c, f))
		return;
	c->exists = -1;
	sz_load_mapping(ld, value, file_fields, c);
	if (c->exists == 0 && contains != NULL)
		sz_loader_error(ld, contains, _("a file that must not exist cannot contain anything"));
	if (c->exists < 0)
		c->exists = 1;
	c->text = sz_asprintf("%s: %s%s%s%s", f->key, c->path != NULL ? c->path : "?",
	                      c->exists ? "" : " exists: false", contains != NULL ? " contains: " : "",
	                      contains != NULL && contains->kind == SZ_YNODE_SCALAR ? contains->text : "");
}

static void load_counter(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                         const struct sz_field *f)
{
	struct sz_check *c = obj;

	for (int i = 0; i < SZ_COUNTER_COUNT; i++)
		if (strcmp(value->text, counter_names[i]) == 0) {
			c->counter = (enum sz_cgroup_counter)i;
			return;
		}
	sz_loader_error(ld, value,
	                _("unknown cgroup counter '%s' (expected one of: oom_kill, nr_throttled, cpu_usec, "
	                  "pids_current, pids_max_hits, memory_current)"),
	                value->text);
}

static void load_bound(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                       const struct sz_field *f)
{
	struct sz_check *c = obj;
	bool is_min = strcmp(f->key, "min") == 0;

	if (sz_lab_load_uint(ld, value, f->key, 0, UINT64_MAX, is_min ? &c->min : &c->max))
		*(is_min ? &c->has_min : &c->has_max) = true;
}

static const struct sz_field cgroup_fields[] = {
    {"counter", SZ_YNODE_SCALAR, true, load_counter, 0, NULL},
    {"min", SZ_YNODE_SCALAR, false, load_bound, 0, NULL},
    {"max", SZ_YNODE_SCALAR, false, load_bound, 0, NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

void sz_check_load_cgroup(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                          const struct sz_field *f)
{
	struct sz_check *c = obj;
	uint32_t seen;

	if (!begin_check(ld, value, c, f))
		return;
	seen = sz_load_mapping(ld, value, cgroup_fields, c);
	if ((seen & 6u) == 0)
		sz_loader_error(ld, value, _("'cgroup' needs a bound: min, max or both"));
	else if (c->has_min && c->has_max && c->min > c->max)
		sz_loader_error(ld, sz_ynode_get(value, "max"), _("'max' is smaller than 'min'"));
	c->text = sz_asprintf("cgroup: %s", sz_cgroup_counter_name(c->counter));
	if (c->has_min) {
		char *t = sz_asprintf("%s >= %llu", c->text, (unsigned long long)c->min);
		free(c->text);
		c->text = t;
	}
	if (c->has_max) {
		char *t = sz_asprintf("%s <= %llu", c->text, (unsigned long long)c->max);
		free(c->text);
		c->text = t;
	}
}

static void load_port(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_check *c = obj;
	uint64_t n;

	if (sz_lab_load_uint(ld, value, f->key, 1, 65535, &n))
		c->port = (unsigned)n;
}

static void load_proto(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                       const struct sz_field *f)
{
	struct sz_check *c = obj;

	if (strcmp(value->text, "tcp") == 0)
		c->proto = SZ_PROTO_TCP;
	else if (strcmp(value->text, "udp") == 0)
		c->proto = SZ_PROTO_UDP;
	else
		sz_loader_error(ld, value, _("unknown protocol '%s' (expected tcp or udp)"), value->text);
}

static const struct sz_field listening_fields[] = {
    {"port", SZ_YNODE_SCALAR, true, load_port, 0, NULL},
    {"proto", SZ_YNODE_SCALAR, false, load_proto, 0, NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

void sz_check_load_listening(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                             const struct sz_field *f)
{
	struct sz_check *c = obj;

	if (!begin_check(ld, value, c, f))
		return;
	sz_load_mapping(ld, value, listening_fields, c);
	c->text = sz_asprintf("listening: %s/%u", c->proto == SZ_PROTO_UDP ? "udp" : "tcp", c->port);
}

/* ---- the list ---------------------------------------------------------- */

/* An empty mapping: unknown keys were reported with the keys expected. */
static void check_one(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	if (map->n == 0)
		sz_loader_error(ld, map,
		                _("a check needs one key, such as exit, stdout, file or ns-differs"));
}

const struct sz_list_spec sz_lab_expect_list = {
    "check",
    sizeof(struct sz_check),
    offsetof(struct sz_lab_step, n_expect),
    SZ_NO_ID,
    1,
    0,
    sz_check_fields,
    check_one,
};

const struct sz_list_spec sz_lab_check_list = {
    "check",
    sizeof(struct sz_check),
    offsetof(struct sz_lab_step, n_check),
    SZ_NO_ID,
    1,
    0,
    sz_check_fields,
    check_one,
};
