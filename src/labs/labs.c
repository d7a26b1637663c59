/* SPDX-License-Identifier: GPL-3.0-or-later */
/* labs.c - every lab of the content: loading labs/<chapter>/<lab>.yaml, finding one, checking the lessons'
 * texts */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/loader.h"
#include "labs/lab.h"

/* ---- the directory ----------------------------------------------------- */

struct names {
	char **v;
	size_t n;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_release(struct names *names)
{
	for (size_t i = 0; i < names->n; i++)
		free(names->v[i]);
	free(names->v);
	names->v = NULL;
	names->n = 0;
}

/* The entries of dir that are not hidden, sorted; dirs_only keeps
 * directories, else everything else. */
static int list_dir(const char *dir, bool dirs_only, struct names *out, sz_error_t *err)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *e;

	out->v = NULL;
	out->n = 0;
	if (d == NULL)
		return sz_error_make(err, errno, _("cannot read directory '%s'"), dir);
	while ((errno = 0, e = readdir(d)) != NULL) {
		cleanup_free char *path = NULL;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		path = sz_asprintf("%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || S_ISDIR(st.st_mode) != dirs_only)
			continue;
		out->v = sz_xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
		out->v[out->n++] = sz_xstrdup(e->d_name);
	}
	if (errno != 0) {
		names_release(out);
		return sz_error_make(err, errno, _("cannot read directory '%s'"), dir);
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One chapter's directory: every *.yaml in it. Returns the number of files
 * with problems, or -1 with *err. */
static int load_chapter_dir(const char *labs_dir, const char *chapter, struct sz_labs *out,
                            struct sz_diags *diags, sz_error_t *err)
{
	cleanup_free char *dir = sz_asprintf("%s/%s", labs_dir, chapter);
	struct names files;
	int bad = 0;

	if (list_dir(dir, false, &files, err) < 0)
		return -1;
	for (size_t i = 0; i < files.n; i++) {
		cleanup_free char *path = sz_asprintf("%s/%s", dir, files.v[i]);
		struct sz_lab lab;

		if (!ends_with(files.v[i], ".yaml")) {
			sz_diags_add(diags, path, 0, 0, NULL, "%s",
			             _("not a lab file: lab files end in .yaml"));
			bad++;
			continue;
		}
		if (sz_lab_load_file(path, chapter, &lab, diags) < 0) {
			out->broken = sz_xrealloc(out->broken, (out->n_broken + 1) * sizeof(*out->broken));
			out->broken[out->n_broken++] =
			    sz_asprintf("%s/%.*s", chapter, (int)strlen(files.v[i]) - 5, files.v[i]);
			bad++;
			continue;
		}
		out->items = sz_xrealloc(out->items, (out->n + 1) * sizeof(*out->items));
		out->items[out->n++] = lab;
	}
	names_release(&files);
	return bad;
}

/* Chapters in course order. */
static size_t chapter_rank(const struct sz_course *course, const char *chapter)
{
	for (size_t i = 0; course != NULL && i < course->n_chapters; i++)
		if (strcmp(course->chapters[i].id, chapter) == 0)
			return i;
	return (size_t)-1;
}

/* A chapter's labs in the order its lesson file presents them (`labs:`), the
 * order it teaches them in; a lab the file has no text for comes last. */
static size_t lab_rank(const struct sz_course *course, const struct sz_lab *lab)
{
	size_t c = chapter_rank(course, lab->chapter);

	if (c == (size_t)-1)
		return (size_t)-1;
	for (size_t i = 0; i < course->chapters[c].n_labs; i++)
		if (strcmp(course->chapters[c].labs[i].id, lab->id) == 0)
			return i;
	return (size_t)-1;
}

/* Whether a goes before b: by chapter, then by the lesson file's order. */
static bool before(const struct sz_course *course, const struct sz_lab *a, const struct sz_lab *b)
{
	size_t ca = chapter_rank(course, a->chapter), cb = chapter_rank(course, b->chapter);

	if (ca != cb)
		return ca < cb;
	return lab_rank(course, a) < lab_rank(course, b);
}

/* A chapter directory's name must be a chapter of the course. */
static bool chapter_known(const struct sz_course *course, const char *labs_dir, const char *chapter,
                          struct sz_diags *diags)
{
	cleanup_free char *dir = sz_asprintf("%s/%s", labs_dir, chapter);

	if (!sz_is_id(chapter)) {
		sz_diags_add(diags, dir, 0, 0, NULL, _("'%s' is not a chapter id (a-z, 0-9 and '-')"),
		             chapter);
		return false;
	}
	if (course != NULL && chapter_rank(course, chapter) == (size_t)-1) {
		sz_diags_add(diags, dir, 0, 0, NULL, _("the course has no chapter '%s'"), chapter);
		return false;
	}
	return true;
}

static void order_by_course(struct sz_labs *labs, const struct sz_course *course)
{
	for (size_t i = 1; i < labs->n; i++) {
		struct sz_lab lab = labs->items[i];
		size_t j = i;

		/* insertion sort, stable: ties keep the id order they came in */
		while (j > 0 && before(course, &lab, &labs->items[j - 1])) {
			labs->items[j] = labs->items[j - 1];
			j--;
		}
		labs->items[j] = lab;
	}
}

int sz_labs_load_all(const char *content_dir, const struct sz_course *course, struct sz_labs *out,
                     struct sz_diags *diags, sz_error_t *err)
{
	cleanup_free char *labs_dir = sz_asprintf("%s/labs", content_dir);
	struct names chapters;
	struct stat st;
	int bad = 0;

	memset(out, 0, sizeof(*out));
	if (stat(labs_dir, &st) < 0 && errno == ENOENT)
		return 0;
	if (list_dir(labs_dir, true, &chapters, err) < 0)
		return -1;
	for (size_t i = 0; i < chapters.n; i++) {
		int r;

		if (!chapter_known(course, labs_dir, chapters.v[i], diags)) {
			bad++;
			continue;
		}
		r = load_chapter_dir(labs_dir, chapters.v[i], out, diags, err);
		if (r < 0) {
			names_release(&chapters);
			return -1;
		}
		bad += r;
	}
	names_release(&chapters);
	if (course != NULL)
		order_by_course(out, course);
	return bad > 0 ? -1 : 0;
}

void sz_labs_release(struct sz_labs *labs)
{
	for (size_t i = 0; i < labs->n; i++)
		sz_lab_release(&labs->items[i]);
	free(labs->items);
	for (size_t i = 0; i < labs->n_broken; i++)
		free(labs->broken[i]);
	free(labs->broken);
	memset(labs, 0, sizeof(*labs));
}

const struct sz_lab *sz_labs_find(const struct sz_labs *labs, const char *key)
{
	const struct sz_lab *found = NULL;

	for (size_t i = 0; i < labs->n; i++)
		if (strcmp(labs->items[i].name, key) == 0)
			return &labs->items[i];
	if (strchr(key, '/') != NULL)
		return NULL;
	for (size_t i = 0; i < labs->n; i++) {
		if (strcmp(labs->items[i].id, key) != 0)
			continue;
		if (found != NULL)
			return NULL;
		found = &labs->items[i];
	}
	return found;
}

const struct sz_lab_step *sz_lab_find_step(const struct sz_lab *lab, const char *id)
{
	for (size_t i = 0; i < lab->n_steps; i++)
		if (strcmp(lab->steps[i].id, id) == 0)
			return &lab->steps[i];
	return NULL;
}

/* ---- the texts in the lessons ------------------------------------------ */

static const struct sz_step_text *find_step_text(const struct sz_lab_text *t, const char *id)
{
	for (size_t i = 0; i < t->n_steps; i++)
		if (strcmp(t->steps[i].id, id) == 0)
			return &t->steps[i];
	return NULL;
}

/* The checks a step's labels are for: a demo's expectations, a task's checks. */
static const struct sz_check *step_checks(const struct sz_lab_step *s, size_t *n)
{
	*n = s->kind == SZ_LAB_TASK ? s->n_check : s->n_expect;
	return s->kind == SZ_LAB_TASK ? s->check : s->expect;
}

/* A label for each check of the step, and none more. */
static size_t check_labels(const struct sz_lab *lab, const struct sz_lab_step *s,
                           const struct sz_step_text *st, const char *file, struct sz_diags *diags)
{
	size_t n_checks, n = 0;
	const struct sz_check *checks = step_checks(s, &n_checks);

	for (size_t i = st->n_checks; i < n_checks; i++, n++)
		sz_diags_add(diags, file, 0, 0, NULL,
		             _("lab '%s': step '%s': check %zu ('%s') has no label here (under 'checks:')"),
		             lab->name, s->id, i + 1, checks[i].text);
	if (st->n_checks > n_checks) {
		sz_diags_add(diags, file, 0, 0, NULL,
		             _("lab '%s': step '%s' has %zu check labels for %zu checks (%s:%u)"), lab->name,
		             s->id, st->n_checks, n_checks, lab->path, s->line);
		n++;
	}
	return n;
}

const char *sz_lab_check_label(const struct sz_course *course, const struct sz_lab *lab,
                               const struct sz_lab_step *step, size_t index)
{
	const struct sz_chapter *ch = course != NULL ? sz_course_find(course, lab->chapter) : NULL;
	const struct sz_lab_text *t = ch != NULL ? sz_chapter_find_lab(ch, lab->id) : NULL;
	const struct sz_step_text *st = t != NULL ? find_step_text(t, step->id) : NULL;

	return st != NULL && index < st->n_checks ? st->checks[index] : NULL;
}

/* A lab's steps against its texts in one lesson file. */
static size_t check_lab_steps(const struct sz_lab *lab, const struct sz_lab_text *t, const char *file,
                              struct sz_diags *diags)
{
	size_t n = 0;

	for (size_t i = 0; i < lab->n_steps; i++) {
		const struct sz_lab_step *s = &lab->steps[i];
		const struct sz_step_text *st = find_step_text(t, s->id);

		if (st == NULL)
			sz_diags_add(diags, file, 0, 0, NULL,
			             _("lab '%s': step '%s' (%s:%u) has no text here"), lab->name, s->id,
			             lab->path, s->line);
		else if (s->kind == SZ_LAB_DEMO && st->n_hints > 0)
			sz_diags_add(diags, file, 0, 0, NULL,
			             _("lab '%s': step '%s' is a demo: hints are for tasks"), lab->name,
			             s->id);
		else if (s->kind == SZ_LAB_TASK && st->n_hints == 0)
			sz_diags_add(diags, file, 0, 0, NULL, _("lab '%s': task '%s' has no hints"),
			             lab->name, s->id);
		else {
			n += check_labels(lab, s, st, file, diags);
			continue;
		}
		n++;
	}
	for (size_t i = 0; i < t->n_steps; i++) {
		if (sz_lab_find_step(lab, t->steps[i].id) != NULL)
			continue;
		sz_diags_add(diags, file, 0, 0, NULL, _("lab '%s' has no step '%s' (%s)"), lab->name,
		             t->steps[i].id, lab->path);
		n++;
	}
	return n;
}

static bool is_broken(const struct sz_labs *labs, const char *name)
{
	for (size_t i = 0; i < labs->n_broken; i++)
		if (strcmp(labs->broken[i], name) == 0)
			return true;
	return false;
}

/* Texts of labs that do not exist. */
static size_t check_orphans(const struct sz_labs *labs, const struct sz_chapter *ch, struct sz_diags *diags)
{
	size_t n = 0;

	for (size_t i = 0; i < ch->n_labs; i++) {
		cleanup_free char *name = sz_asprintf("%s/%s", ch->id, ch->labs[i].id);

		if (sz_labs_find(labs, name) != NULL || is_broken(labs, name))
			continue;
		sz_diags_add(diags, ch->path, 0, 0, NULL,
		             _("texts for lab '%s', which does not exist (no labs/%s.yaml)"), name, name);
		n++;
	}
	return n;
}

size_t sz_labs_check_texts(const struct sz_labs *labs, const struct sz_course *course, struct sz_diags *diags)
{
	size_t n = 0;

	for (size_t i = 0; i < labs->n; i++) {
		const struct sz_lab *lab = &labs->items[i];
		const struct sz_chapter *ch = sz_course_find(course, lab->chapter);
		const struct sz_lab_text *t = ch != NULL ? sz_chapter_find_lab(ch, lab->id) : NULL;

		if (ch == NULL) {
			sz_diags_add(
			    diags, course->dir, 0, 0, NULL,
			    _("lab '%s' (%s) belongs to chapter '%s', which has no lesson file here"),
			    lab->name, lab->path, lab->chapter);
			n++;
		} else if (t == NULL) {
			sz_diags_add(diags, ch->path, 0, 0, NULL,
			             _("lab '%s' (%s) has no texts here (under 'labs: %s:')"), lab->name,
			             lab->path, lab->id);
			n++;
		} else {
			n += check_lab_steps(lab, t, ch->path, diags);
		}
	}
	for (size_t i = 0; i < course->n_chapters; i++)
		n += check_orphans(labs, &course->chapters[i], diags);
	return n;
}
