/* SPDX-License-Identifier: GPL-3.0-or-later */
/* progress.c - the progress store: read and write the line-based file, mark, reset, prune */
#include "course/progress.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "course/course.h"

#define PROGRESS_MAGIC   "stanza-progress"
#define PROGRESS_FORMAT  1
#define PROGRESS_FILE    "progress"
#define MAX_ANSWER       99
#define MAX_TOKENS       3
#define MAX_SEGMENTS     3
#define ID_CHARS         "abcdefghijklmnopqrstuvwxyz0123456789-"
#define MAX_ASIDE_TRIALS 100

/* The names used after "done", and how many segments each kind's id has. */
static const char *const kind_names[] = {
    [SZ_PROGRESS_CHAPTER] = "chapter",
    [SZ_PROGRESS_QUIZ] = "quiz",
    [SZ_PROGRESS_LAB] = "lab",
    [SZ_PROGRESS_STEP] = "step",
};
static const unsigned kind_segments[] = {
    [SZ_PROGRESS_CHAPTER] = 1, [SZ_PROGRESS_QUIZ] = 2,   [SZ_PROGRESS_LAB] = 2,
    [SZ_PROGRESS_STEP] = 3,    [SZ_PROGRESS_ANSWER] = 2,
};

void sz_progress_init(struct sz_progress *p)
{
	memset(p, 0, sizeof(*p));
}

/* Everything but the file's name. */
static void clear_content(struct sz_progress *p)
{
	for (size_t i = 0; i < p->n_entries; i++)
		free(p->entries[i].id);
	free(p->entries);
	p->entries = NULL;
	p->n_entries = 0;
	sz_progress_set_course_version(p, NULL);
	sz_progress_set_lang(p, NULL);
	sz_progress_set_where(p, NULL, NULL);
}

void sz_progress_release(struct sz_progress *p)
{
	clear_content(p);
	free(p->dir);
	free(p->path);
	sz_progress_init(p);
}

/* ---- ids ---------------------------------------------------------------- */

/* The number of '/'-separated [a-z0-9-]+ segments of id; 0 for any other shape. */
static unsigned count_segments(const char *id)
{
	unsigned n = 0;

	for (;;) {
		size_t len = strspn(id, ID_CHARS);

		if (len == 0)
			return 0;
		n++;
		id += len;
		if (*id == '\0')
			return n;
		if (*id++ != '/')
			return 0;
	}
}

bool sz_progress_id_valid(enum sz_progress_kind kind, const char *id)
{
	if ((unsigned)kind > SZ_PROGRESS_ANSWER || id == NULL)
		return false;
	return count_segments(id) == kind_segments[kind];
}

/* id is prefix itself or lies below it. */
static bool id_under(const char *id, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(id, prefix, n) == 0 && (id[n] == '\0' || id[n] == '/');
}

/* A header value goes on one line as one word: printable ASCII, no space. */
static bool token_valid(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (*s <= ' ' || *s > '~')
			return false;
	return true;
}

/* ---- entries ------------------------------------------------------------ */

static struct sz_progress_entry *find(const struct sz_progress *p, enum sz_progress_kind kind, const char *id)
{
	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].kind == kind && strcmp(p->entries[i].id, id) == 0)
			return &p->entries[i];
	return NULL;
}

static struct sz_progress_entry *append(struct sz_progress *p, enum sz_progress_kind kind, const char *id)
{
	struct sz_progress_entry *e;

	p->entries = sz_xrealloc(p->entries, (p->n_entries + 1) * sizeof(*p->entries));
	e = &p->entries[p->n_entries++];
	e->kind = kind;
	e->id = sz_xstrdup(id);
	e->answer = 0;
	return e;
}

int sz_progress_mark(struct sz_progress *p, enum sz_progress_kind kind, const char *id, sz_error_t *err)
{
	if (kind == SZ_PROGRESS_ANSWER || !sz_progress_id_valid(kind, id))
		return sz_error_make(err, 0, "progress: invalid id '%s' for kind %d", id ? id : "(null)",
		                     (int)kind);
	if (find(p, kind, id) != NULL)
		return 0;
	append(p, kind, id);
	return 1;
}

bool sz_progress_is_done(const struct sz_progress *p, enum sz_progress_kind kind, const char *id)
{
	return kind != SZ_PROGRESS_ANSWER && id != NULL && find(p, kind, id) != NULL;
}

int sz_progress_set_answer(struct sz_progress *p, const char *quiz_id, unsigned option, sz_error_t *err)
{
	struct sz_progress_entry *e;

	if (!sz_progress_id_valid(SZ_PROGRESS_ANSWER, quiz_id) || option > MAX_ANSWER)
		return sz_error_make(err, 0, "progress: invalid answer %u to '%s'", option,
		                     quiz_id ? quiz_id : "(null)");
	e = find(p, SZ_PROGRESS_ANSWER, quiz_id);
	if (e == NULL)
		e = append(p, SZ_PROGRESS_ANSWER, quiz_id);
	e->answer = option;
	return 0;
}

int sz_progress_answer(const struct sz_progress *p, const char *quiz_id)
{
	const struct sz_progress_entry *e = quiz_id ? find(p, SZ_PROGRESS_ANSWER, quiz_id) : NULL;

	return e != NULL ? (int)e->answer : -1;
}

size_t sz_progress_count(const struct sz_progress *p, enum sz_progress_kind kind, const char *prefix)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].kind == kind && (prefix == NULL || id_under(p->entries[i].id, prefix)))
			n++;
	return n;
}

/* ---- header fields ------------------------------------------------------ */

static void replace(char **field, const char *value)
{
	free(*field);
	*field = value != NULL ? sz_xstrdup(value) : NULL;
}

void sz_progress_set_course_version(struct sz_progress *p, const char *version)
{
	replace(&p->course_version, version != NULL && token_valid(version) ? version : NULL);
}

void sz_progress_set_lang(struct sz_progress *p, const char *lang)
{
	replace(&p->lang, lang != NULL && token_valid(lang) ? lang : NULL);
}

void sz_progress_set_where(struct sz_progress *p, const char *chapter, const char *section)
{
	bool valid = chapter != NULL && section != NULL && count_segments(chapter) == 1 &&
	             count_segments(section) == 1;

	replace(&p->where_chapter, valid ? chapter : NULL);
	replace(&p->where_section, valid ? section : NULL);
}

/* ---- forgetting --------------------------------------------------------- */

typedef bool (*entry_pred)(const struct sz_progress_entry *e, void *data);

/* Drop the entries pred holds for, keeping the others in order. */
static size_t drop_if(struct sz_progress *p, entry_pred pred, void *data)
{
	size_t kept = 0, dropped;

	for (size_t i = 0; i < p->n_entries; i++) {
		if (pred(&p->entries[i], data))
			free(p->entries[i].id);
		else
			p->entries[kept++] = p->entries[i];
	}
	dropped = p->n_entries - kept;
	p->n_entries = kept;
	return dropped;
}

struct prune_ctx {
	sz_progress_exists_fn exists;
	void *data;
};

static bool is_gone(const struct sz_progress_entry *e, void *data)
{
	struct prune_ctx *ctx = data;

	return !ctx->exists(e->kind, e->id, ctx->data);
}

size_t sz_progress_prune(struct sz_progress *p, sz_progress_exists_fn exists, void *data)
{
	struct prune_ctx ctx = {exists, data};

	if (p->where_chapter != NULL && !exists(SZ_PROGRESS_CHAPTER, p->where_chapter, data))
		sz_progress_set_where(p, NULL, NULL);
	return drop_if(p, is_gone, &ctx);
}

/* The n-th '/'-separated segment of id equals name. */
static bool segment_is(const char *id, unsigned n, const char *name)
{
	size_t len;

	while (n-- > 0) {
		id = strchr(id, '/');
		if (id == NULL)
			return false;
		id++;
	}
	len = strcspn(id, "/");
	return strlen(name) == len && strncmp(id, name, len) == 0;
}

static bool lab_has(const struct sz_lab_text *lab, enum sz_progress_kind kind, const char *id)
{
	if (kind == SZ_PROGRESS_LAB)
		return true;
	for (size_t i = 0; i < lab->n_steps; i++)
		if (segment_is(id, 2, lab->steps[i].id))
			return true;
	return false;
}

static bool chapter_has(const struct sz_chapter *ch, enum sz_progress_kind kind, const char *id)
{
	switch (kind) {
	case SZ_PROGRESS_CHAPTER: return true;
	case SZ_PROGRESS_QUIZ:
	case SZ_PROGRESS_ANSWER:
		for (size_t i = 0; i < ch->n_quiz; i++)
			if (segment_is(id, 1, ch->quiz[i].id))
				return true;
		return false;
	case SZ_PROGRESS_LAB:
	case SZ_PROGRESS_STEP:
		for (size_t i = 0; i < ch->n_labs; i++)
			if (segment_is(id, 1, ch->labs[i].id))
				return lab_has(&ch->labs[i], kind, id);
		return false;
	}
	return false;
}

bool sz_progress_in_course(enum sz_progress_kind kind, const char *id, void *course)
{
	const struct sz_course *c = course;

	if (!sz_progress_id_valid(kind, id))
		return false;
	for (size_t i = 0; i < c->n_chapters; i++)
		if (segment_is(id, 0, c->chapters[i].id))
			return chapter_has(&c->chapters[i], kind, id);
	return false;
}

static bool is_under(const struct sz_progress_entry *e, void *data)
{
	return id_under(e->id, data);
}

size_t sz_progress_reset(struct sz_progress *p, const char *id)
{
	unsigned segments = count_segments(id);

	if (segments == 0 || segments > MAX_SEGMENTS)
		return 0;
	if (segments == 1 && p->where_chapter != NULL && strcmp(p->where_chapter, id) == 0)
		sz_progress_set_where(p, NULL, NULL);
	return drop_if(p, is_under, (void *)id);
}

void sz_progress_reset_all(struct sz_progress *p)
{
	for (size_t i = 0; i < p->n_entries; i++)
		free(p->entries[i].id);
	free(p->entries);
	p->entries = NULL;
	p->n_entries = 0;
	sz_progress_set_where(p, NULL, NULL);
}

/* ---- reading ------------------------------------------------------------ */

/* Split line at spaces into at most MAX_TOKENS words; more is an error (-1). */
static int split(char *line, char *tok[MAX_TOKENS])
{
	int n = 0;

	for (char *s = line; *s != '\0';) {
		size_t len;

		s += strspn(s, " ");
		if (*s == '\0')
			break;
		if (n == MAX_TOKENS)
			return -1;
		tok[n++] = s;
		len = strcspn(s, " ");
		if (s[len] == '\0')
			break;
		s[len] = '\0';
		s += len + 1;
	}
	return n;
}

static int kind_by_name(const char *name)
{
	for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strcmp(name, kind_names[k]) == 0)
			return (int)k;
	return -1;
}

static int parse_answer(struct sz_progress *p, const char *id, const char *number)
{
	sz_error_t err = NULL;
	char *end;
	unsigned long v;

	if (number[0] < '0' || number[0] > '9')
		return -1;
	errno = 0;
	v = strtoul(number, &end, 10);
	if (errno != 0 || *end != '\0' || v > MAX_ANSWER)
		return -1;
	if (sz_progress_set_answer(p, id, (unsigned)v, &err) < 0) {
		sz_error_release(&err);
		return -1;
	}
	return 0;
}

/* One record after the first line; -1 when it is not a valid one. */
static int parse_record(struct sz_progress *p, char **tok, int n)
{
	if (n == 2 && strcmp(tok[0], "course") == 0 && token_valid(tok[1])) {
		sz_progress_set_course_version(p, tok[1]);
	} else if (n == 2 && strcmp(tok[0], "lang") == 0 && token_valid(tok[1])) {
		sz_progress_set_lang(p, tok[1]);
	} else if (n == 3 && strcmp(tok[0], "where") == 0) {
		if (count_segments(tok[1]) != 1 || count_segments(tok[2]) != 1)
			return -1;
		sz_progress_set_where(p, tok[1], tok[2]);
	} else if (n == 3 && strcmp(tok[0], "done") == 0) {
		int kind = kind_by_name(tok[1]);

		if (kind < 0 || !sz_progress_id_valid((enum sz_progress_kind)kind, tok[2]))
			return -1;
		if (!sz_progress_is_done(p, (enum sz_progress_kind)kind, tok[2]))
			append(p, (enum sz_progress_kind)kind, tok[2]);
	} else if (n == 3 && strcmp(tok[0], "answer") == 0) {
		return parse_answer(p, tok[1], tok[2]);
	} else {
		return -1;
	}
	return 0;
}

/* "stanza-progress 1"; the message for anything else. */
static char *check_header(char *line)
{
	char *tok[MAX_TOKENS];
	int n = split(line, tok);

	if (n == 2 && strcmp(tok[0], PROGRESS_MAGIC) == 0) {
		if (strcmp(tok[1], "1") == 0)
			return NULL;
		if (strspn(tok[1], "0123456789") == strlen(tok[1]))
			return sz_asprintf(_("written by a newer stanza (format %s)"), tok[1]);
	}
	return sz_asprintf(_("it does not start with '%s %d'"), PROGRESS_MAGIC, PROGRESS_FORMAT);
}

/* Parse the whole file into p. Returns NULL, or what is wrong (freed by the caller). */
static char *parse(struct sz_progress *p, char *data, size_t len)
{
	unsigned lineno = 0;

	if (strlen(data) != len)
		return sz_xstrdup(_("it holds binary data"));
	for (char *line = data; *line != '\0';) {
		char *nl = strchr(line, '\n'), *tok[MAX_TOKENS];
		int n;

		if (nl != NULL)
			*nl = '\0';
		if (++lineno == 1) {
			char *bad = check_header(line);
			if (bad != NULL)
				return bad;
		} else if ((n = split(line, tok)) != 0 && (n < 0 || parse_record(p, tok, n) < 0)) {
			return sz_asprintf(_("line %u is not a progress record"), lineno);
		}
		if (nl == NULL)
			break;
		line = nl + 1;
	}
	if (lineno == 0)
		return sz_xstrdup(_("it is empty"));
	return NULL;
}

char *sz_progress_default_dir(sz_error_t *err)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	/* The XDG spec: a relative path in the variable is invalid, and ignored. */
	if (state != NULL && state[0] == '/')
		return sz_asprintf("%s/stanza", state);
	if (home == NULL || home[0] != '/') {
		struct passwd *pw = getpwuid(geteuid());

		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || home[0] != '/') {
		sz_error_make(
		    err, 0,
		    _("cannot tell where to keep your progress: set XDG_STATE_HOME to an absolute path"));
		return NULL;
	}
	return sz_asprintf("%s/.local/state/stanza", home);
}

/* rename(2) that never replaces to; EEXIST when it would. */
static int rename_noreplace(const char *from, const char *to)
{
	struct stat st;

	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (lstat(to, &st) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* Keep the damaged file as progress.damaged-<time>[-N], never over another. */
static int move_aside(struct sz_progress *p, const char *reason, char **notice, sz_error_t *err)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (unsigned i = 1; i <= MAX_ASIDE_TRIALS; i++) {
		cleanup_free char *aside = i == 1 ? sz_asprintf("%s.damaged-%s", p->path, stamp)
		                                  : sz_asprintf("%s.damaged-%s-%u", p->path, stamp, i);

		if (rename_noreplace(p->path, aside) == 0) {
			if (notice != NULL)
				*notice = sz_asprintf(_("'%s' was damaged (%s): it was kept as '%s' and your "
				                        "progress starts afresh"),
				                      p->path, reason, aside);
			return 0;
		}
		if (errno != EEXIST)
			break;
	}
	p->unread = true;
	return sz_error_make(err, errno, _("'%s' is damaged (%s) and cannot be moved aside"), p->path,
	                     reason);
}

int sz_progress_load(struct sz_progress *p, const char *dir, char **notice, sz_error_t *err)
{
	cleanup_free char *data = NULL, *reason = NULL;
	sz_error_t read_err = NULL;
	size_t len = 0;

	sz_progress_init(p);
	if (notice != NULL)
		*notice = NULL;
	p->dir = dir != NULL ? sz_xstrdup(dir) : sz_progress_default_dir(err);
	if (p->dir == NULL)
		return -1;
	p->path = sz_asprintf("%s/%s", p->dir, PROGRESS_FILE);
	if (sz_read_file(p->path, &data, &len, &read_err) < 0) {
		if (read_err->errno_ == ENOENT || read_err->errno_ == ENOTDIR) {
			sz_error_release(&read_err);
			return 0;
		}
		p->unread = true;
		*err = read_err;
		return -1;
	}
	reason = parse(p, data, len);
	if (reason == NULL)
		return 0;
	clear_content(p);
	return move_aside(p, reason, notice, err);
}

/* ---- writing ------------------------------------------------------------ */

static char *serialize(const struct sz_progress *p, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (f == NULL)
		abort();
	fprintf(f, "%s %d\n", PROGRESS_MAGIC, PROGRESS_FORMAT);
	if (p->course_version != NULL)
		fprintf(f, "course %s\n", p->course_version);
	if (p->lang != NULL)
		fprintf(f, "lang %s\n", p->lang);
	if (p->where_chapter != NULL)
		fprintf(f, "where %s %s\n", p->where_chapter, p->where_section);
	for (size_t i = 0; i < p->n_entries; i++) {
		const struct sz_progress_entry *e = &p->entries[i];

		if (e->kind == SZ_PROGRESS_ANSWER)
			fprintf(f, "answer %s %u\n", e->id, e->answer);
		else
			fprintf(f, "done %s %s\n", kind_names[e->kind], e->id);
	}
	if (fclose(f) != 0)
		abort();
	return buf;
}

int sz_progress_save(const struct sz_progress *p, sz_error_t *err)
{
	cleanup_free char *text = NULL;
	sz_error_t inner = NULL;
	size_t len = 0;

	if (p->path == NULL)
		return sz_error_make(err, 0, "progress: saved without being loaded");
	if (p->unread)
		return sz_error_make(err, 0, _("'%s' could not be read, so it is not written over"), p->path);
	text = serialize(p, &len);
	if (sz_mkdir_p(p->dir, 0700, &inner) == 0 &&
	    sz_write_file_atomic(p->path, text, len, 0600, &inner) == 0)
		return 0;
	sz_error_make(
	    err, 0,
	    _("cannot save your progress: %s; make '%s' writable or set XDG_STATE_HOME to another directory"),
	    sz_error_msg(inner), p->dir);
	(*err)->errno_ = inner->errno_;
	sz_error_release(&inner);
	return -1;
}
