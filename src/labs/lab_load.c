/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_load.c - the lab schema as tables (lab, container, volumes, files, steps) and loading one lab file */
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/lab_internal.h"

static void *field_ptr(void *obj, size_t offset)
{
	return (char *)obj + offset;
}

/* ---- what the host must offer ------------------------------------------ */

static const char *const need_names[SZ_NEED_COUNT] = {
    "root", "rootless", "userns", "overlay", "cgroup-memory", "cgroup-pids", "cgroup-cpu", "qemu", "tty",
};

const char *sz_lab_need_name(unsigned need)
{
	for (int i = 0; i < SZ_NEED_COUNT; i++)
		if (need == 1u << i)
			return need_names[i];
	return NULL;
}

static void load_needs(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                       const struct sz_field *f)
{
	unsigned *needs = field_ptr(obj, f->offset);

	for (size_t i = 0; i < value->n; i++) {
		const struct sz_ynode *item = &value->items[i];
		int k = -1;

		for (int j = 0; item->kind == SZ_YNODE_SCALAR && j < SZ_NEED_COUNT; j++)
			if (strcmp(item->text, need_names[j]) == 0)
				k = j;
		if (k < 0)
			sz_loader_error(
			    ld, item,
			    _("unknown need '%s' (expected one of: root, rootless, userns, overlay, "
			      "cgroup-memory, cgroup-pids, cgroup-cpu, qemu, tty)"),
			    item->kind == SZ_YNODE_SCALAR ? item->text : sz_ynode_describe(item));
		else if (*needs & (1u << k))
			sz_loader_error(ld, item, _("duplicate need '%s'"), item->text);
		else
			*needs |= 1u << k;
	}
	if ((*needs & SZ_NEED_ROOT) && (*needs & SZ_NEED_ROOTLESS))
		sz_loader_error(ld, value, _("a lab cannot need both root and rootless"));
}

/* ---- the container ----------------------------------------------------- */

static bool is_hostname(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && len <= 64 && s[0] != '-' &&
	       s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")] == '\0';
}

/* NAME, UID or UID:GID, as stanza run --user takes it. */
static bool is_user(const char *s)
{
	const char *colon = strchr(s, ':');
	size_t name_len = colon != NULL ? (size_t)(colon - s) : strlen(s);

	if (name_len == 0 || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") < name_len)
		return false;
	if (colon == NULL)
		return true;
	return strspn(s, "0123456789") == name_len && colon[1] != '\0' &&
	       colon[1 + strspn(colon + 1, "0123456789")] == '\0';
}

static void load_checked_text(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                              const struct sz_field *f)
{
	char **dst = field_ptr(obj, f->offset);
	bool (*valid)(const char *) = (bool (*)(const char *))f->data;

	sz_loader_text(ld, value, f->key, dst);
	if (*dst == NULL || valid(*dst))
		return;
	if (valid == is_hostname)
		sz_loader_error(ld, value,
		                _("invalid host name '%s' (letters, digits, '-' and '.', at most 64)"), *dst);
	else if (valid == is_user)
		sz_loader_error(ld, value, _("invalid user '%s' (use NAME, UID or UID:GID)"), *dst);
	else
		sz_loader_error(ld, value, _("invalid image name '%s' (a-z, 0-9, '.', '_' and '-')"), *dst);
}

static bool is_image_name(const char *s)
{
	return s[0] != '.' && s[strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789._-")] == '\0';
}

static void load_memory(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                        const struct sz_field *f)
{
	struct sz_lab_container *c = obj;
	sz_error_t err = NULL;

	if (sz_parse_size(value->text, &c->limits.memory_bytes, &err) < 0) {
		sz_loader_error(ld, value, "'%s': %s", f->key, sz_error_msg(err));
		sz_error_release(&err);
	}
}

static void load_pids(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_lab_container *c = obj;
	uint64_t n;

	if (sz_lab_load_uint(ld, value, f->key, 1, 4194304, &n))
		c->limits.pids = n;
}

static void load_cpus(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_lab_container *c = obj;
	sz_error_t err = NULL;

	if (sz_parse_fraction(value->text, &c->limits.cpu_milli, &err) < 0) {
		sz_loader_error(ld, value, "'%s': %s", f->key, sz_error_msg(err));
		sz_error_release(&err);
	}
}

static void load_net(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_lab_container *c = obj;

	if (strcmp(value->text, "none") == 0)
		c->net = SZ_NET_NONE;
	else if (strcmp(value->text, "host") == 0)
		c->net = SZ_NET_HOST;
	else
		sz_loader_error(ld, value, _("invalid network '%s' (use none or host)"), value->text);
}

/* A path under the work directory (relative) or in the container (absolute). */
static void load_path(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	char **dst = field_ptr(obj, f->offset);
	bool absolute = f->data != NULL;

	sz_loader_text(ld, value, f->key, dst);
	if (*dst == NULL)
		return;
	if (absolute && !sz_lab_path_is_absolute_clean(*dst))
		sz_loader_error(
		    ld, value,
		    _("'%s' must be an absolute path without '.' or '..' (it is in the container)"), f->key);
	else if (!absolute && !sz_lab_path_is_relative_clean(*dst))
		sz_loader_error(
		    ld, value,
		    _("'%s' must be a relative path without '.' or '..' (it is in the work directory)"),
		    f->key);
}

static const struct sz_field volume_fields[] = {
    {"host", SZ_YNODE_SCALAR, true, load_path, offsetof(struct sz_lab_volume, host), NULL},
    {"container", SZ_YNODE_SCALAR, true, load_path, offsetof(struct sz_lab_volume, container), "absolute"},
    {"read-only", SZ_YNODE_SCALAR, false, sz_load_bool, offsetof(struct sz_lab_volume, read_only), NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

static const struct sz_list_spec volume_list = {
    "volume",
    sizeof(struct sz_lab_volume),
    offsetof(struct sz_lab_container, n_volumes),
    SZ_NO_ID,
    0,
    0,
    volume_fields,
    NULL,
};

/* Contents may be empty, unlike a text. */
static void load_content(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                         const struct sz_field *f)
{
	struct sz_lab_file *file = obj;

	if (strlen(value->text) != value->len)
		sz_loader_error(ld, value, _("'%s' holds a NUL character"), f->key);
	else
		file->content = sz_xstrdup(value->text);
}

static void load_mode(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_lab_file *file = obj;
	char *end = NULL;
	unsigned long mode = strtoul(value->text, &end, 8);

	if (!value->plain || value->text[0] != '0' || *end != '\0' || mode > 07777)
		sz_loader_error(ld, value, _("'%s' must be an octal mode such as 0644, not '%s'"), f->key,
		                value->text);
	else
		file->mode = (unsigned)mode;
}

static const struct sz_field file_fields[] = {
    {"path", SZ_YNODE_SCALAR, true, load_path, offsetof(struct sz_lab_file, path), NULL},
    {"content", SZ_YNODE_SCALAR, true, load_content, 0, NULL},
    {"mode", SZ_YNODE_SCALAR, false, load_mode, 0, NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

static void check_file(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	struct sz_lab_file *file = elem;

	if (!(seen & 4u))
		file->mode = 0644;
}

static const struct sz_list_spec file_list = {
    "file",
    sizeof(struct sz_lab_file),
    offsetof(struct sz_lab_container, n_files),
    SZ_NO_ID,
    0,
    0,
    file_fields,
    check_file,
};

static const struct sz_field container_fields[] = {
    {"image", SZ_YNODE_SCALAR, false, load_checked_text, offsetof(struct sz_lab_container, image),
     (const void *)is_image_name},
    {"hostname", SZ_YNODE_SCALAR, false, load_checked_text, offsetof(struct sz_lab_container, hostname),
     (const void *)is_hostname},
    {"user", SZ_YNODE_SCALAR, false, load_checked_text, offsetof(struct sz_lab_container, user),
     (const void *)is_user},
    {"memory", SZ_YNODE_SCALAR, false, load_memory, 0, NULL},
    {"pids", SZ_YNODE_SCALAR, false, load_pids, 0, NULL},
    {"cpus", SZ_YNODE_SCALAR, false, load_cpus, 0, NULL},
    {"net", SZ_YNODE_SCALAR, false, load_net, 0, NULL},
    {"read-only", SZ_YNODE_SCALAR, false, sz_load_bool, offsetof(struct sz_lab_container, read_only), NULL},
    {"volumes", SZ_YNODE_SEQ, false, sz_load_list, offsetof(struct sz_lab_container, volumes), &volume_list},
    {"files", SZ_YNODE_SEQ, false, sz_load_list, offsetof(struct sz_lab_container, files), &file_list},
    {NULL, 0, false, NULL, 0, NULL},
};

static void load_container(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                           const struct sz_field *f)
{
	sz_load_mapping(ld, value, container_fields, field_ptr(obj, f->offset));
}

/* ---- steps ------------------------------------------------------------- */

static void load_kind(struct sz_loader *ld, const struct sz_ynode *value, void *obj, const struct sz_field *f)
{
	struct sz_lab_step *step = obj;

	if (strcmp(value->text, "demo") == 0)
		step->kind = SZ_LAB_DEMO;
	else if (strcmp(value->text, "task") == 0)
		step->kind = SZ_LAB_TASK;
	else
		sz_loader_error(ld, value, _("unknown step kind '%s' (expected demo or task)"), value->text);
}

static void load_where(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                       const struct sz_field *f)
{
	struct sz_lab_step *step = obj;

	if (strcmp(value->text, "session") == 0)
		step->where = SZ_WHERE_SESSION;
	else if (strcmp(value->text, "container") == 0)
		step->where = SZ_WHERE_CONTAINER;
	else if (strcmp(value->text, "host") == 0)
		step->where = SZ_WHERE_HOST;
	else
		sz_loader_error(ld, value, _("unknown place '%s' (expected session, container or host)"),
		                value->text);
}

static void load_timeout(struct sz_loader *ld, const struct sz_ynode *value, void *obj,
                         const struct sz_field *f)
{
	struct sz_lab_step *step = obj;
	sz_error_t err = NULL;

	if (sz_parse_duration(value->text, &step->timeout_ns, &err) < 0) {
		sz_loader_error(ld, value, "'%s': %s", f->key, sz_error_msg(err));
		sz_error_release(&err);
	} else if (step->timeout_ns > SZ_LAB_MAX_TIMEOUT_NS) {
		sz_loader_error(ld, value, _("'%s' must be at most 10m"), f->key);
	}
}

enum step_field {
	F_ID,
	F_KIND,
	F_RUN,
	F_WHERE,
	F_TIMEOUT,
	F_ISOLATION,
	F_EXPECT,
	F_CHECK,
	F_SOLUTION,
};

static const struct sz_field step_fields[] = {
    [F_ID] = {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_lab_step, id), NULL},
    [F_KIND] = {"kind", SZ_YNODE_SCALAR, true, load_kind, 0, NULL},
    [F_RUN] = {"run", SZ_YNODE_SCALAR, false, sz_load_text, offsetof(struct sz_lab_step, run), NULL},
    [F_WHERE] = {"where", SZ_YNODE_SCALAR, false, load_where, 0, NULL},
    [F_TIMEOUT] = {"timeout", SZ_YNODE_SCALAR, false, load_timeout, 0, NULL},
    [F_ISOLATION] = {"isolation", SZ_YNODE_SCALAR, false, sz_load_bool,
                     offsetof(struct sz_lab_step, isolation), NULL},
    [F_EXPECT] = {"expect", SZ_YNODE_SEQ, false, sz_load_list, offsetof(struct sz_lab_step, expect),
                  &sz_lab_expect_list},
    [F_CHECK] = {"check", SZ_YNODE_SEQ, false, sz_load_list, offsetof(struct sz_lab_step, check),
                 &sz_lab_check_list},
    [F_SOLUTION] = {"solution", SZ_YNODE_SCALAR, false, sz_load_text, offsetof(struct sz_lab_step, solution),
                    NULL},
    {NULL, 0, false, NULL, 0, NULL},
};

#define SEEN(f) (seen & (UINT32_C(1) << (f)))

/* The key node of key in map (where a misplaced key is reported), or NULL. */
static const struct sz_ynode *key_node(const struct sz_ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->items[i].text, key) == 0)
			return &map->items[i];
	return NULL;
}

/* A key that the other kind of step has: reported where it is. */
static void refuse(struct sz_loader *ld, const struct sz_ynode *map, uint32_t seen, enum step_field f,
                   const char *why)
{
	if (SEEN(f))
		sz_loader_error(ld, key_node(map, step_fields[f].key), "%s", why);
}

/* stderr cannot be told from stdout on the session's terminal. */
static void refuse_stderr(struct sz_loader *ld, const struct sz_ynode *list, const struct sz_check *checks,
                          size_t n)
{
	for (size_t i = 0; list != NULL && i < n && i < list->n; i++)
		if (checks[i].kind == SZ_CHECK_STDERR && checks[i].text != NULL)
			sz_loader_error(
			    ld, &list->items[i],
			    _("'stderr' cannot be told from stdout on the session's terminal: use "
			      "'stdout', or 'where: container'"));
}

static void check_demo(struct sz_loader *ld, const struct sz_ynode *map, struct sz_lab_step *s, uint32_t seen)
{
	if (!SEEN(F_RUN))
		sz_loader_error(ld, map, _("a demo needs 'run': the command it shows"));
	refuse(ld, map, seen, F_CHECK, _("'check' is for tasks: a demo has 'expect'"));
	refuse(ld, map, seen, F_SOLUTION, _("'solution' is for tasks: a demo shows its 'run'"));
	if (s->isolation && s->where == SZ_WHERE_HOST)
		sz_loader_error(
		    ld, key_node(map, "isolation"),
		    _("'isolation' compares the container with the host: this demo runs on the host"));
	if (s->where == SZ_WHERE_SESSION)
		refuse_stderr(ld, sz_ynode_get(map, "expect"), s->expect, s->n_expect);
}

static void check_task(struct sz_loader *ld, const struct sz_ynode *map, struct sz_lab_step *s, uint32_t seen)
{
	if (!SEEN(F_CHECK))
		sz_loader_error(ld, map, _("a task needs 'check': what must hold once the learner is done"));
	if (!SEEN(F_SOLUTION))
		sz_loader_error(ld, map, _("a task needs 'solution': the lines that do it"));
	refuse(ld, map, seen, F_RUN, _("'run' is for demos: a task's commands are its 'solution'"));
	refuse(ld, map, seen, F_EXPECT, _("'expect' is for demos: a task has 'check'"));
	refuse(ld, map, seen, F_WHERE, _("'where' is for demos: a task happens in the session"));
	refuse(ld, map, seen, F_ISOLATION, _("'isolation' is for demos"));
	refuse_stderr(ld, sz_ynode_get(map, "check"), s->check, s->n_check);
}

static void check_step(struct sz_loader *ld, const struct sz_ynode *map, void *elem, uint32_t seen)
{
	struct sz_lab_step *s = elem;
	const struct sz_ynode *kind = sz_ynode_get(map, "kind");

	s->line = map->line;
	if (!SEEN(F_TIMEOUT))
		s->timeout_ns = SZ_LAB_DEFAULT_TIMEOUT_NS;
	if (kind == NULL || kind->kind != SZ_YNODE_SCALAR)
		return;
	if (strcmp(kind->text, "demo") == 0)
		check_demo(ld, map, s, seen);
	else if (strcmp(kind->text, "task") == 0)
		check_task(ld, map, s, seen);
}

static const struct sz_list_spec step_list = {
    "step",
    sizeof(struct sz_lab_step),
    offsetof(struct sz_lab, n_steps),
    offsetof(struct sz_lab_step, id),
    1,
    0,
    step_fields,
    check_step,
};

/* ---- the lab ----------------------------------------------------------- */

static const struct sz_field lab_fields[] = {
    {"id", SZ_YNODE_SCALAR, true, sz_load_id, offsetof(struct sz_lab, id), NULL},
    {"needs", SZ_YNODE_SEQ, false, load_needs, offsetof(struct sz_lab, needs), NULL},
    {"container", SZ_YNODE_MAP, false, load_container, offsetof(struct sz_lab, container), NULL},
    {"steps", SZ_YNODE_SEQ, true, sz_load_list, offsetof(struct sz_lab, steps), &step_list},
    {NULL, 0, false, NULL, 0, NULL},
};

/* "labs/cgroups/memory-kill.yaml" -> "memory-kill" (a new string), NULL
 * when the name does not end in .yaml. */
static char *id_from_name(const char *name)
{
	const char *base = strrchr(name, '/') != NULL ? strrchr(name, '/') + 1 : name;
	size_t len = strlen(base);

	if (len <= 5 || strcmp(base + len - 5, ".yaml") != 0)
		return NULL;
	return sz_asprintf("%.*s", (int)(len - 5), base);
}

static void load_root(struct sz_loader *ld, const struct sz_ynode *root, struct sz_lab *lab)
{
	cleanup_free char *want = id_from_name(ld->src->name);

	if (root->kind != SZ_YNODE_MAP) {
		sz_loader_error(ld, root,
		                _("a lab file must be a mapping (id, needs, container, steps), not %s"),
		                sz_ynode_describe(root));
		return;
	}
	sz_load_mapping(ld, root, lab_fields, lab);
	if (want == NULL)
		sz_loader_error(ld, NULL, _("the file name must be <lab id>.yaml"));
	else if (lab->id != NULL && strcmp(lab->id, want) != 0)
		sz_loader_error(ld, sz_ynode_get(root, "id"),
		                _("id '%s' does not match the file name (expected '%s')"), lab->id, want);
}

/* A file's diagnostics in the order of the file (an insertion sort, stable:
 * a file has few). */
static void sort_diags(struct sz_diags *diags, size_t first)
{
	for (size_t i = first + 1; i < diags->n; i++) {
		struct sz_diag d = diags->items[i];
		size_t j = i;

		while (j > first &&
		       (diags->items[j - 1].line > d.line ||
		        (diags->items[j - 1].line == d.line && diags->items[j - 1].col > d.col))) {
			diags->items[j] = diags->items[j - 1];
			j--;
		}
		diags->items[j] = d;
	}
}

static void set_defaults(struct sz_lab *lab, const char *name, const char *chapter)
{
	struct sz_lab_container *c = &lab->container;

	if (c->image == NULL)
		c->image = sz_xstrdup("busybox");
	if (c->hostname == NULL)
		c->hostname = sz_xstrdup("lab");
	lab->chapter = sz_xstrdup(chapter);
	lab->name = sz_asprintf("%s/%s", chapter, lab->id);
	lab->path = sz_xstrdup(name);
}

int sz_lab_load_buffer(const char *name, const char *chapter, const char *data, size_t len,
                       struct sz_lab *out, struct sz_diags *diags)
{
	struct sz_ysource src;
	struct sz_loader ld = {.src = &src, .diags = diags};
	struct sz_lab lab = {0};
	struct sz_ynode root;
	size_t first = diags->n;

	memset(out, 0, sizeof(*out));
	sz_ysource_init(&src, name, data, len);
	if (sz_ytree_parse(&src, &root, diags) < 0) {
		ld.errors++;
	} else {
		load_root(&ld, &root, &lab);
		sz_ynode_release(&root);
	}
	sz_ysource_release(&src);
	sort_diags(diags, first);
	if (ld.errors > 0) {
		sz_lab_release(&lab);
		return -1;
	}
	set_defaults(&lab, name, chapter);
	*out = lab;
	return 0;
}

int sz_lab_load_file(const char *path, const char *chapter, struct sz_lab *out, struct sz_diags *diags)
{
	cleanup_free char *data = NULL;
	size_t len;

	memset(out, 0, sizeof(*out));
	if (sz_diags_read_file(diags, path, &data, &len) < 0)
		return -1;
	return sz_lab_load_buffer(path, chapter, data, len, out, diags);
}

static void release_step(struct sz_lab_step *s)
{
	for (size_t i = 0; i < s->n_expect; i++)
		sz_check_release(&s->expect[i]);
	for (size_t i = 0; i < s->n_check; i++)
		sz_check_release(&s->check[i]);
	free(s->expect);
	free(s->check);
	free(s->id);
	free(s->run);
	free(s->solution);
}

static void release_container(struct sz_lab_container *c)
{
	for (size_t i = 0; i < c->n_volumes; i++) {
		free(c->volumes[i].host);
		free(c->volumes[i].container);
	}
	for (size_t i = 0; i < c->n_files; i++) {
		free(c->files[i].path);
		free(c->files[i].content);
	}
	free(c->volumes);
	free(c->files);
	free(c->image);
	free(c->hostname);
	free(c->user);
}

void sz_lab_release(struct sz_lab *lab)
{
	for (size_t i = 0; i < lab->n_steps; i++)
		release_step(&lab->steps[i]);
	free(lab->steps);
	release_container(&lab->container);
	free(lab->id);
	free(lab->chapter);
	free(lab->name);
	free(lab->path);
	memset(lab, 0, sizeof(*lab));
}
