/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_progress.c - `stanza progress`: what the learner has done, as a summary or JSON; forget some or all */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "course/course.h"
#include "course/progress.h"

struct progress_args {
	const char *lang;
	const char *reset; /* --reset ID */
	bool reset_all;
	bool json;
	bool help;
};

struct tally {
	size_t done;
	size_t total;
};

/* One chapter's, or with sz_tally_add the course's. */
struct chapter_tally {
	struct tally chapters, quiz, labs, steps;
};

static void usage(FILE *out)
{
	fputs(_("Usage: stanza progress [--json] [--reset ID | --reset-all] [--lang L]\n"
	        "\n"
	        "Show what you have done: chapters, quiz questions answered right, labs and\n"
	        "their steps. Your progress is kept in $XDG_STATE_HOME/stanza/progress\n"
	        "(~/.local/state/stanza/progress when XDG_STATE_HOME is not set).\n"
	        "\n"
	        "Options:\n"
	        "  --json         print one JSON object instead of the summary\n"
	        "  --reset ID     forget what you did in a chapter (cgroups), a lab\n"
	        "                 (cgroups/memory-kill) or a lab step (cgroups/memory-kill/eat)\n"
	        "  --reset-all    forget everything you have done\n"
	        "  --lang L       the language of chapter titles (see 'stanza lessons --help')\n"
	        "  -h, --help     show this help\n"),
	      out);
}

/* sz_error_say's arguments; the status of a bad option. */
#define bad_option(...) (sz_error_say(__VA_ARGS__), SZ_EXIT_USAGE)

/* 0, or SZ_EXIT_USAGE after an error. No sub-commands, so no
 * sz_cli_dispatch: forgetting is an option of the one thing progress
 * does, with --json still saying how the result is shown. */
static int parse_args(int argc, char **argv, struct progress_args *a)
{
	for (int i = 1; i < argc; i++) {
		int r = sz_cli_common_option(argc, argv, &i, &a->lang, &a->help);

		if (r < 0)
			return SZ_EXIT_USAGE;
		if (r > 0)
			continue;
		if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else if (strcmp(argv[i], "--reset-all") == 0) {
			a->reset_all = true;
		} else if (strcmp(argv[i], "--reset") == 0) {
			if (i + 1 == argc)
				return bad_option(_("option '%s' needs the id of what to forget"), argv[i]);
			a->reset = argv[++i];
		} else if (sz_str_has_prefix(argv[i], "--reset=")) {
			a->reset = argv[i] + strlen("--reset=");
		} else {
			return bad_option(
			    _("unexpected '%s' for 'stanza progress' (see 'stanza progress --help')"),
			    argv[i]);
		}
	}
	if (a->reset != NULL && a->reset_all)
		return bad_option("%s", _("--reset and --reset-all cannot go together"));
	if (a->reset != NULL && !sz_progress_id_valid(SZ_PROGRESS_CHAPTER, a->reset) &&
	    !sz_progress_id_valid(SZ_PROGRESS_LAB, a->reset) &&
	    !sz_progress_id_valid(SZ_PROGRESS_STEP, a->reset))
		return bad_option(_("'%s' is not the id of a chapter, a lab or a step (such as cgroups or "
		                    "cgroups/memory-kill)"),
		                  a->reset);
	return 0;
}

/* ---- counting ----------------------------------------------------------- */

static void count(struct tally *t, const struct sz_progress *p, enum sz_progress_kind kind, const char *id)
{
	t->total++;
	t->done += sz_progress_is_done(p, kind, id);
}

static void tally_labs(const struct sz_chapter *ch, const struct sz_progress *p, struct chapter_tally *t)
{
	for (size_t l = 0; l < ch->n_labs; l++) {
		const struct sz_lab_text *lab = &ch->labs[l];
		cleanup_free char *lab_id = sz_asprintf("%s/%s", ch->id, lab->id);

		count(&t->labs, p, SZ_PROGRESS_LAB, lab_id);
		for (size_t s = 0; s < lab->n_steps; s++) {
			cleanup_free char *id = sz_asprintf("%s/%s", lab_id, lab->steps[s].id);

			count(&t->steps, p, SZ_PROGRESS_STEP, id);
		}
	}
}

static void tally_chapter(const struct sz_chapter *ch, const struct sz_progress *p, struct chapter_tally *t)
{
	memset(t, 0, sizeof(*t));
	count(&t->chapters, p, SZ_PROGRESS_CHAPTER, ch->id);
	for (size_t q = 0; q < ch->n_quiz; q++) {
		cleanup_free char *id = sz_asprintf("%s/%s", ch->id, ch->quiz[q].id);

		count(&t->quiz, p, SZ_PROGRESS_QUIZ, id);
	}
	tally_labs(ch, p, t);
}

static void tally_course(const struct sz_course *c, const struct sz_progress *p, struct chapter_tally *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (size_t i = 0; i < c->n_chapters; i++) {
		struct chapter_tally t;

		tally_chapter(&c->chapters[i], p, &t);
		sum->chapters.done += t.chapters.done;
		sum->chapters.total += t.chapters.total;
		sum->quiz.done += t.quiz.done;
		sum->quiz.total += t.quiz.total;
		sum->labs.done += t.labs.done;
		sum->labs.total += t.labs.total;
		sum->steps.done += t.steps.done;
		sum->steps.total += t.steps.total;
	}
}

/* ---- the summary -------------------------------------------------------- */

static void print_chapter_line(const struct sz_chapter *ch, const struct chapter_tally *t, int id_width)
{
	printf("%4u  %-*s  ", ch->number, id_width, ch->id);
	/* TRANSLATORS: one chapter in `stanza progress`: questions answered right, labs done, lab steps done
	 */
	printf(_("quiz %zu/%zu, labs %zu/%zu, steps %zu/%zu"), t->quiz.done, t->quiz.total, t->labs.done,
	       t->labs.total, t->steps.done, t->steps.total);
	if (t->chapters.done)
		printf(", %s", _("done"));
	putchar('\n');
}

static void print_summary(const struct sz_course *c, const struct sz_progress *p)
{
	struct chapter_tally sum;
	int id_width = 0;

	tally_course(c, p, &sum);
	printf(_("Your progress, kept in '%s':\n\n"), p->path);
	printf(_("  chapters done:                  %zu of %zu\n"), sum.chapters.done, sum.chapters.total);
	printf(_("  quiz questions answered right:  %zu of %zu\n"), sum.quiz.done, sum.quiz.total);
	printf(_("  labs done:                      %zu of %zu\n"), sum.labs.done, sum.labs.total);
	printf(_("  lab steps done:                 %zu of %zu\n"), sum.steps.done, sum.steps.total);
	if (p->where_chapter != NULL)
		printf(_("\nYou left off in chapter '%s', section '%s'.\n"), p->where_chapter,
		       p->where_section);
	putchar('\n');
	for (size_t i = 0; i < c->n_chapters; i++) {
		int w = (int)strlen(c->chapters[i].id);

		id_width = w > id_width ? w : id_width;
	}
	for (size_t i = 0; i < c->n_chapters; i++) {
		struct chapter_tally t;

		tally_chapter(&c->chapters[i], p, &t);
		print_chapter_line(&c->chapters[i], &t, id_width);
	}
}

/* ---- JSON --------------------------------------------------------------- */

static void json_tally(json_t *o, const char *key, const struct tally *t)
{
	json_t *v = json_object();

	sz_json_set(v, "done", json_integer((json_int_t)t->done));
	sz_json_set(v, "total", json_integer((json_int_t)t->total));
	sz_json_set(o, key, v);
}

/* The course's tallies; a chapter's leave out "chapters" (its "done" says it). */
static void json_tallies(json_t *o, const struct chapter_tally *t, bool chapters)
{
	if (chapters)
		json_tally(o, "chapters", &t->chapters);
	json_tally(o, "quiz", &t->quiz);
	json_tally(o, "labs", &t->labs);
	json_tally(o, "steps", &t->steps);
}

static json_t *json_chapters(const struct sz_course *c, const struct sz_progress *p)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < c->n_chapters; i++) {
		const struct sz_chapter *ch = &c->chapters[i];
		json_t *o = json_object();
		struct chapter_tally t;

		tally_chapter(ch, p, &t);
		sz_json_set(o, "id", sz_json_string(ch->id));
		sz_json_set(o, "number", json_integer(ch->number));
		sz_json_set(o, "title", sz_json_string(ch->title));
		sz_json_set(o, "done", json_boolean(t.chapters.done));
		json_tallies(o, &t, false);
		sz_json_push(arr, o);
	}
	return arr;
}

/* The completions of one kind as they are recorded, whether the course has them or not. */
static json_t *json_records(const struct sz_progress *p, enum sz_progress_kind kind)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].kind == kind)
			sz_json_push(arr, sz_json_string(p->entries[i].id));
	return arr;
}

static json_t *json_answers(const struct sz_progress *p)
{
	json_t *o = json_object();

	for (size_t i = 0; i < p->n_entries; i++)
		if (p->entries[i].kind == SZ_PROGRESS_ANSWER)
			sz_json_set(o, p->entries[i].id, json_integer(p->entries[i].answer));
	return o;
}

static json_t *json_where(const struct sz_progress *p)
{
	json_t *o;

	if (p->where_chapter == NULL)
		return json_null();
	o = json_object();
	sz_json_set(o, "chapter", sz_json_string(p->where_chapter));
	sz_json_set(o, "section", sz_json_string(p->where_section));
	return o;
}

/* The top object, the list of chapters and the records open. */
static void print_json(const struct sz_cli *cli, const struct sz_course *c, const struct sz_progress *p)
{
	cleanup_json json_t *root = json_object();
	json_t *records = json_object();
	struct chapter_tally sum;

	tally_course(c, p, &sum);
	sz_json_set(root, "file", sz_json_string(p->path));
	sz_json_set(root, "course_version", sz_json_string(p->course_version));
	sz_json_set(root, "lang", sz_json_string(cli->lang));
	sz_json_set(root, "last_lang", sz_json_string(p->lang));
	sz_json_set(root, "where", json_where(p));
	json_tallies(root, &sum, true);
	sz_json_set(root, "by_chapter", json_chapters(c, p));
	sz_json_set(records, "chapters", json_records(p, SZ_PROGRESS_CHAPTER));
	sz_json_set(records, "quiz", json_records(p, SZ_PROGRESS_QUIZ));
	sz_json_set(records, "labs", json_records(p, SZ_PROGRESS_LAB));
	sz_json_set(records, "steps", json_records(p, SZ_PROGRESS_STEP));
	sz_json_set(records, "answers", json_answers(p));
	sz_json_set(root, "records", records);
	sz_json_dumpf(root, stdout, (const char *const[]){"by_chapter", "records", NULL});
	putchar('\n');
}

/* ---- the command -------------------------------------------------------- */

/* Forget what a asks; the message goes to out (stderr when stdout is for JSON). */
static int reset(const struct progress_args *a, struct sz_progress *p, FILE *out)
{
	bool had_where = p->where_chapter != NULL;
	size_t n = a->reset_all ? p->n_entries : sz_progress_reset(p, a->reset);
	sz_error_t err = NULL;

	if (a->reset_all)
		sz_progress_reset_all(p);
	if (n == 0 && !(a->reset_all && had_where)) {
		if (a->reset_all)
			fprintf(out, "%s\n", _("Nothing to forget: no progress is recorded."));
		else
			fprintf(out, _("Nothing to forget: no progress is recorded under '%s'.\n"), a->reset);
		return SZ_EXIT_OK;
	}
	if (sz_progress_save(p, &err) < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	if (a->reset_all)
		fprintf(out,
		        Q_("Forgot %zu record: your progress starts afresh.\n",
		           "Forgot %zu records: your progress starts afresh.\n", n),
		        n);
	else
		fprintf(out, Q_("Forgot %zu record under '%s'.\n", "Forgot %zu records under '%s'.\n", n), n,
		        a->reset);
	return SZ_EXIT_OK;
}

static int show(struct sz_cli *cli, const struct progress_args *a)
{
	struct sz_course course = {0};
	struct sz_progress progress;
	int status;

	if ((status = sz_cli_load_course(cli, &course)) != 0)
		return status;
	if (sz_cli_load_progress(cli, &course, &progress) < 0) {
		status = SZ_EXIT_FAIL;
	} else if (a->json) {
		print_json(cli, &course, &progress);
	} else {
		print_summary(&course, &progress);
	}
	sz_progress_release(&progress);
	sz_course_release(&course);
	return status;
}

int cmd_progress(struct sz_cli *cli, int argc, char **argv)
{
	struct progress_args a = {0};
	struct sz_progress progress;
	int status;

	if ((status = parse_args(argc, argv, &a)) != 0)
		return status;
	if (a.help) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	if (a.lang != NULL && (status = sz_cli_set_lang(cli, a.lang)) != 0)
		return status;
	if (a.reset == NULL && !a.reset_all)
		return show(cli, &a);
	/* Forgetting needs no course: it works even when the course is broken. */
	if (sz_cli_load_progress(cli, NULL, &progress) < 0)
		return SZ_EXIT_FAIL;
	status = reset(&a, &progress, a.json ? stderr : stdout);
	sz_progress_release(&progress);
	if (status == SZ_EXIT_OK && a.json)
		status = show(cli, &a);
	return status;
}
