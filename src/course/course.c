/* SPDX-License-Identifier: GPL-3.0-or-later */
/* course.c - a course: the chapters of one language, its cross-file checks, parity and content rules */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/course.h"
#include "course/loader.h"

/* ---- lifecycle --------------------------------------------------------- */

static void section_release(struct sz_section *s)
{
	for (size_t i = 0; i < s->n_blocks; i++)
		free(s->blocks[i].text);
	free(s->blocks);
	free(s->id);
	free(s->title);
}

static void question_release(struct sz_question *q)
{
	for (size_t i = 0; i < q->n_options; i++) {
		free(q->options[i].text);
		free(q->options[i].why);
	}
	free(q->options);
	free(q->id);
	free(q->question);
}

static void lab_release(struct sz_lab_text *lab)
{
	for (size_t i = 0; i < lab->n_steps; i++) {
		struct sz_step_text *step = &lab->steps[i];

		for (size_t j = 0; j < step->n_hints; j++)
			free(step->hints[j]);
		free(step->hints);
		for (size_t j = 0; j < step->n_checks; j++)
			free(step->checks[j]);
		free(step->checks);
		free(step->id);
		free(step->text);
		free(step->explain);
	}
	free(lab->steps);
	free(lab->id);
	free(lab->title);
	free(lab->intro);
}

void sz_chapter_release(struct sz_chapter *ch)
{
	for (size_t i = 0; i < ch->n_sections; i++)
		section_release(&ch->sections[i]);
	for (size_t i = 0; i < ch->n_quiz; i++)
		question_release(&ch->quiz[i]);
	for (size_t i = 0; i < ch->n_glossary; i++) {
		free(ch->glossary[i].id);
		free(ch->glossary[i].term);
		free(ch->glossary[i].definition);
	}
	for (size_t i = 0; i < ch->n_labs; i++)
		lab_release(&ch->labs[i]);
	free(ch->sections);
	free(ch->quiz);
	free(ch->glossary);
	free(ch->labs);
	free(ch->id);
	free(ch->path);
	free(ch->title);
	free(ch->summary);
	memset(ch, 0, sizeof(*ch));
}

void sz_course_release(struct sz_course *c)
{
	for (size_t i = 0; i < c->n_chapters; i++)
		sz_chapter_release(&c->chapters[i]);
	free(c->chapters);
	free(c->lang);
	free(c->dir);
	memset(c, 0, sizeof(*c));
}

/* ---- directories ------------------------------------------------------- */

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_dir_at(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

static bool is_yaml_at(int dfd, const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".yaml") == 0 && !is_dir_at(dfd, name);
}

/* The names in dir that keep accepts, hidden ones left out, sorted. Returns
 * their count, or -1 with *err. */
static int list_dir(const char *dir, bool (*keep)(int dfd, const char *name), char ***out, sz_error_t *err)
{
	cleanup_dir DIR *d = opendir(dir);
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;

	if (d == NULL)
		return sz_error_make(err, errno, _("cannot open directory '%s'"), dir);
	for (errno = 0; (e = readdir(d)) != NULL; errno = 0) {
		if (e->d_name[0] == '.' || !keep(dirfd(d), e->d_name))
			continue;
		names = sz_xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = sz_xstrdup(e->d_name);
	}
	if (errno != 0) {
		free_names(names, n);
		return sz_error_make(err, errno, _("cannot read directory '%s'"), dir);
	}
	if (n > 0)
		qsort(names, n, sizeof(*names), cmp_names);
	*out = names;
	return (int)n;
}

int sz_course_languages(const char *content_dir, char ***langs, sz_error_t *err)
{
	cleanup_free char *dir = sz_asprintf("%s/lessons", content_dir);

	*langs = NULL;
	return list_dir(dir, is_dir_at, langs, err);
}

/* ---- loading ----------------------------------------------------------- */

/* The NN of "NN-<id>.yaml", or -1 (the loader reports a bad name). */
static int name_number(const char *name)
{
	if (name[0] < '0' || name[0] > '9' || name[1] < '0' || name[1] > '9' || name[2] != '-')
		return -1;
	return (name[0] - '0') * 10 + (name[1] - '0');
}

/* Load every file; returns the number of problems. The names of the files
 * that did not load are added to *failed (a NULL-terminated array) when
 * failed is not NULL. paths outlive the glossary set, which remembers where
 * each id was first seen. */
static size_t load_chapters(struct sz_course *c, char **names, size_t n, struct sz_diags *diags,
                            char **failed)
{
	struct sz_idset glossary = {0};
	char **paths = sz_xcalloc(n + 1, sizeof(*paths));
	const char *by_number[100] = {NULL};
	size_t problems = 0, n_failed = 0;

	c->chapters = sz_xcalloc(n + 1, sizeof(*c->chapters));
	for (size_t i = 0; i < n; i++) {
		int number = name_number(names[i]);

		paths[i] = sz_asprintf("%s/%s", c->dir, names[i]);
		if (number >= 0 && by_number[number] != NULL) {
			sz_diags_add(diags, paths[i], 0, 0, NULL,
			             _("chapter number %02d is also used by '%s'"), number,
			             by_number[number]);
			problems++;
		} else if (number >= 0) {
			by_number[number] = paths[i];
		}
		if (sz_chapter_load_file_in(paths[i], &c->chapters[c->n_chapters], diags, &glossary) == 0) {
			c->n_chapters++;
			continue;
		}
		problems++;
		if (failed != NULL)
			failed[n_failed++] = sz_xstrdup(names[i]);
	}
	sz_idset_release(&glossary);
	free_names(paths, n);
	return problems;
}

/* Returns the number of problems, or -1 with *err; *out holds what loaded. */
static int load_course(const char *content_dir, const char *lang, struct sz_course *out, char ***failed,
                       struct sz_diags *diags, sz_error_t *err)
{
	char **names = NULL;
	size_t problems;
	int n;

	memset(out, 0, sizeof(*out));
	out->dir = sz_asprintf("%s/lessons/%s", content_dir, lang);
	n = list_dir(out->dir, is_yaml_at, &names, err);
	if (n < 0) {
		sz_course_release(out);
		return -1;
	}
	out->lang = sz_xstrdup(lang);
	if (failed != NULL)
		*failed = sz_xcalloc((size_t)n + 1, sizeof(**failed));
	problems = load_chapters(out, names, (size_t)n, diags, failed != NULL ? *failed : NULL);
	free_names(names, (size_t)n);
	if (n == 0) {
		sz_diags_add(diags, out->dir, 0, 0, NULL, _("no chapters here (files named NN-<id>.yaml)"));
		problems++;
	}
	return (int)problems;
}

int sz_course_load(const char *content_dir, const char *lang, struct sz_course *out, struct sz_diags *diags,
                   sz_error_t *err)
{
	int problems = load_course(content_dir, lang, out, NULL, diags, err);

	if (problems > 0)
		sz_course_release(out);
	return problems == 0 ? 0 : -1;
}

int sz_course_load_partial(const char *content_dir, const char *lang, struct sz_course *out, char ***failed,
                           struct sz_diags *diags, sz_error_t *err)
{
	*failed = NULL;
	return load_course(content_dir, lang, out, failed, diags, err);
}

/* ---- finding and counting ---------------------------------------------- */

const struct sz_chapter *sz_course_find(const struct sz_course *c, const char *key)
{
	bool by_number = key[0] != '\0' && key[strspn(key, "0123456789")] == '\0';
	unsigned long number = by_number ? strtoul(key, NULL, 10) : 0;

	for (size_t i = 0; i < c->n_chapters; i++) {
		const struct sz_chapter *ch = &c->chapters[i];

		if (by_number ? ch->number == number : strcmp(ch->id, key) == 0)
			return ch;
	}
	return NULL;
}

const struct sz_lab_text *sz_chapter_find_lab(const struct sz_chapter *ch, const char *lab_id)
{
	for (size_t i = 0; i < ch->n_labs; i++)
		if (strcmp(ch->labs[i].id, lab_id) == 0)
			return &ch->labs[i];
	return NULL;
}

/* Bytes, not the locale's classes: every non-ASCII byte is part of a word. */
static size_t count_words(const char *s)
{
	size_t n = 0;
	bool counted = false;

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			counted = false;
		else if (!counted && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		                      (*p >= '0' && *p <= '9') || *p >= 0x80)) {
			counted = true;
			n++;
		}
	}
	return n;
}

size_t sz_chapter_word_count(const struct sz_chapter *ch)
{
	size_t n = 0;

	for (size_t i = 0; i < ch->n_sections; i++)
		for (size_t j = 0; j < ch->sections[i].n_blocks; j++)
			if (ch->sections[i].blocks[j].kind != SZ_BLOCK_CODE)
				n += count_words(ch->sections[i].blocks[j].text);
	return n;
}

/* ---- parity ------------------------------------------------------------ */

/* A list of things with ids inside a struct: where the array, its count and
 * each item's id are. */
struct id_list {
	const char *what;
	size_t array, count, elem_size, id;
};

static const struct id_list chapter_lists[] = {
    {"section", offsetof(struct sz_chapter, sections), offsetof(struct sz_chapter, n_sections),
     sizeof(struct sz_section), offsetof(struct sz_section, id)},
    {"quiz question", offsetof(struct sz_chapter, quiz), offsetof(struct sz_chapter, n_quiz),
     sizeof(struct sz_question), offsetof(struct sz_question, id)},
    {"glossary entry", offsetof(struct sz_chapter, glossary), offsetof(struct sz_chapter, n_glossary),
     sizeof(struct sz_term), offsetof(struct sz_term, id)},
    {"lab", offsetof(struct sz_chapter, labs), offsetof(struct sz_chapter, n_labs),
     sizeof(struct sz_lab_text), offsetof(struct sz_lab_text, id)},
};

static const struct id_list step_list = {"lab step", offsetof(struct sz_lab_text, steps),
                                         offsetof(struct sz_lab_text, n_steps), sizeof(struct sz_step_text),
                                         offsetof(struct sz_step_text, id)};

static size_t id_count(const void *obj, const struct id_list *l)
{
	return *(const size_t *)((const char *)obj + l->count);
}

static const char *id_at(const void *obj, const struct id_list *l, size_t i)
{
	const char *array = *(const char *const *)((const char *)obj + l->array);

	return *(const char *const *)(array + i * l->elem_size + l->id);
}

static bool has_id(const void *obj, const struct id_list *l, const char *id)
{
	for (size_t i = 0; i < id_count(obj, l); i++)
		if (strcmp(id_at(obj, l, i), id) == 0)
			return true;
	return false;
}

/* Ids of list in from that to lacks, reported in file; parent names the lab
 * of a step. */
static size_t missing_ids(const void *from, const void *to, const struct id_list *l, const char *file,
                          const char *lang, const char *parent, struct sz_diags *diags)
{
	size_t found = 0;

	for (size_t i = 0; i < id_count(from, l); i++) {
		const char *id = id_at(from, l, i);

		if (has_id(to, l, id))
			continue;
		if (parent != NULL)
			sz_diags_add(diags, file, 0, 0, NULL, _("%s '%s/%s' is missing (it is in %s)"),
			             l->what, parent, id, lang);
		else
			sz_diags_add(diags, file, 0, 0, NULL, _("%s '%s' is missing (it is in %s)"), l->what,
			             id, lang);
		found++;
	}
	return found;
}

static size_t chapter_parity(const struct sz_chapter *from, const struct sz_chapter *to, const char *lang,
                             struct sz_diags *diags)
{
	size_t found = 0;

	for (size_t i = 0; i < sizeof(chapter_lists) / sizeof(chapter_lists[0]); i++)
		found += missing_ids(from, to, &chapter_lists[i], to->path, lang, NULL, diags);
	for (size_t i = 0; i < from->n_labs; i++) {
		const struct sz_lab_text *lab = sz_chapter_find_lab(to, from->labs[i].id);

		if (lab != NULL)
			found += missing_ids(&from->labs[i], lab, &step_list, to->path, lang, lab->id, diags);
	}
	return found;
}

static const struct sz_chapter *find_by_id(const struct sz_course *c, const char *id)
{
	for (size_t i = 0; i < c->n_chapters; i++)
		if (strcmp(c->chapters[i].id, id) == 0)
			return &c->chapters[i];
	return NULL;
}

/* A missing chapter is reported at the file it should be: same name, to's directory. */
static size_t course_parity(const struct sz_course *from, const struct sz_course *to, bool numbers,
                            struct sz_diags *diags)
{
	size_t found = 0;

	for (size_t i = 0; i < from->n_chapters; i++) {
		const struct sz_chapter *ch = &from->chapters[i], *other = find_by_id(to, ch->id);
		const char *base = strrchr(ch->path, '/') != NULL ? strrchr(ch->path, '/') + 1 : ch->path;

		if (other == NULL) {
			cleanup_free char *path =
			    sz_asprintf("%s/%s", to->dir != NULL ? to->dir : to->lang, base);
			sz_diags_add(diags, path, 0, 0, NULL, _("chapter '%s' is missing (it is in %s)"),
			             ch->id, from->lang);
			found++;
			continue;
		}
		if (numbers && other->number != ch->number) {
			sz_diags_add(diags, other->path, 0, 0, NULL,
			             _("chapter '%s' is number %02u here, %02u in %s"), ch->id, other->number,
			             ch->number, from->lang);
			found++;
		}
		found += chapter_parity(ch, other, from->lang, diags);
	}
	return found;
}

size_t sz_course_parity(const struct sz_course *a, const struct sz_course *b, struct sz_diags *diags)
{
	return course_parity(a, b, true, diags) + course_parity(b, a, false, diags);
}

/* ---- content rules ----------------------------------------------------- */

size_t sz_chapter_check_rules(const struct sz_chapter *ch, struct sz_diags *diags)
{
	size_t found = 0, words = sz_chapter_word_count(ch);

	if (words < SZ_COURSE_MIN_WORDS) {
		sz_diags_add(diags, ch->path, 0, 0, NULL,
		             _("%zu words of prose (p, note, tip), at least %d needed"), words,
		             SZ_COURSE_MIN_WORDS);
		found++;
	}
	if (ch->summary == NULL || ch->summary[0] == '\0') {
		sz_diags_add(diags, ch->path, 0, 0, NULL, _("no summary"));
		found++;
	}
	if (ch->n_quiz < SZ_COURSE_MIN_QUIZ) {
		sz_diags_add(diags, ch->path, 0, 0, NULL,
		             Q_("%zu quiz question, at least %d needed",
		                "%zu quiz questions, at least %d needed", ch->n_quiz),
		             ch->n_quiz, SZ_COURSE_MIN_QUIZ);
		found++;
	}
	for (size_t i = 0; i < ch->n_quiz; i++)
		for (size_t j = 0; j < ch->quiz[i].n_options; j++)
			if (ch->quiz[i].options[j].why == NULL || ch->quiz[i].options[j].why[0] == '\0') {
				sz_diags_add(diags, ch->path, 0, 0, NULL,
				             _("quiz '%s': option %zu has no 'why'"), ch->quiz[i].id, j + 1);
				found++;
			}
	return found;
}

size_t sz_course_check_rules(const struct sz_course *c, struct sz_diags *diags)
{
	size_t found = 0, glossary = 0;

	for (size_t i = 0; i < c->n_chapters; i++) {
		found += sz_chapter_check_rules(&c->chapters[i], diags);
		glossary += c->chapters[i].n_glossary;
	}
	if (glossary < SZ_COURSE_MIN_GLOSSARY) {
		sz_diags_add(diags, c->dir != NULL ? c->dir : c->lang, 0, 0, NULL,
		             _("%zu glossary entries in the course, at least %d needed"), glossary,
		             SZ_COURSE_MIN_GLOSSARY);
		found++;
	}
	return found;
}
