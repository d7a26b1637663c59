/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_lab.c - `stanza lab list|run|verify`: the labs without a terminal UI, for learners and for CI */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "course/course.h"
#include "course/progress.h"
#include "labs/engine.h"
#include "labs/lab.h"
#include "labs/lab_host.h"
#include "labs/live.h"
#include "labs/report.h"

#define EXIT_SKIP     77 /* `lab run` of a lab this host cannot run (the automake convention) */
#define DEFAULT_WIDTH 80

enum format { FORMAT_HUMAN, FORMAT_TAP, FORMAT_JUNIT, FORMAT_JSON };

/* The options of every subcommand; each accepts some of them. */
struct lab_args {
	const char *lang;
	enum format format;
	bool json, all, strict, verbose, help;
	char **targets; /* the operands, borrowed from argv */
	size_t n_targets;
};

enum { OPT_JSON = 1, OPT_FORMAT = 2, OPT_ALL = 4, OPT_STRICT = 8, OPT_VERBOSE = 16 };

static void usage(FILE *out)
{
	fputs(_("Usage: stanza lab list [--lang L] [--json]\n"
	        "       stanza lab run ID [--lang L] [--format FORMAT] [--verbose]\n"
	        "       stanza lab verify [--all | CHAPTER... | ID...] [--format FORMAT] [--strict]\n"
	        "                         [--verbose]\n"
	        "\n"
	        "The labs, without the full-screen interface.\n"
	        "\n"
	        "  list     every lab: its id, its title, whether it can run here (or why not),\n"
	        "           and whether you have done it\n"
	        "  run      play one lab: each demo with its output and explanation, each task\n"
	        "           done by its reference solution and checked\n"
	        "  verify   check labs as CI does: every task's checks fail before its solution\n"
	        "           and pass after it, every demo's expectations hold\n"
	        "\n"
	        "Run 'stanza lab COMMAND --help' for a command's options.\n"),
	      out);
}

static void list_usage(FILE *out)
{
	fputs(_("Usage: stanza lab list [--lang L] [--json]\n"
	        "\n"
	        "List every lab: id (chapter/lab), title, whether this host can run it (or why\n"
	        "not), and 'done' for the labs you have finished.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language of the titles\n"
	        "  --json      print a JSON array instead\n"
	        "  -h, --help  show this help\n"),
	      out);
}

static void run_usage(FILE *out)
{
	fputs(_("Usage: stanza lab run ID [--lang L] [--format human|tap|junit|json] [--verbose]\n"
	        "\n"
	        "Play one lab (ID: chapter/lab, or the lab's id alone when it is unique): each\n"
	        "demo with its output and explanation, each task done by its reference\n"
	        "solution, clearly labelled, and checked. Nothing is recorded as done.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L         the language of the texts\n"
	        "  --format FORMAT  human (default), or a report: tap, junit, json\n"
	        "  --verbose        show each check as written in the lab, under its label\n"
	        "  -h, --help       show this help\n"
	        "\n"
	        "Exit status: 0 when every step passed, 1 when one failed, 2 for bad usage or\n"
	        "content, 77 when this host cannot run the lab (the reason is printed),\n"
	        "128+N when signal N stopped it (everything is cleaned up first).\n"),
	      out);
}

static void verify_usage(FILE *out)
{
	fputs(_("Usage: stanza lab verify [--all | CHAPTER... | ID...] [--format FORMAT] [--strict]\n"
	        "                         [--verbose]\n"
	        "\n"
	        "Verify labs as CI would: every task's checks must fail before its solution\n"
	        "and pass after it, every demo's expectations must hold, and a demo that\n"
	        "claims isolation must give a different result on the host.\n"
	        "\n"
	        "Options:\n"
	        "  --all            every lab\n"
	        "  --format FORMAT  human (default), tap (TAP 13), junit (JUnit XML), json\n"
	        "  --strict         a skipped lab fails the verification\n"
	        "  --verbose        show each check as written in the lab, under its label\n"
	        "  --lang L         the language of the messages\n"
	        "  -h, --help       show this help\n"
	        "\n"
	        "A progress line is shown on stderr when it is a terminal; the report goes to\n"
	        "stdout. Exit status: 0 when nothing failed (skips allowed unless --strict),\n"
	        "1 when something failed, 2 for bad usage or content, 128+N when signal N\n"
	        "stopped it.\n"),
	      out);
}

/* ---- options ----------------------------------------------------------- */

static int parse_format(const char *text, enum format *f)
{
	static const char *const names[] = {"human", "tap", "junit", "json"};

	for (int i = 0; i < 4; i++)
		if (strcmp(text, names[i]) == 0) {
			*f = (enum format)i;
			return 0;
		}
	sz_error_say(_("unknown format '%s' (use human, tap, junit or json)"), text);
	return SZ_EXIT_USAGE;
}

/* "--format F" or "--format=F" at argv[*i]: 1, 0 when it is not, -1 after an error. */
static int format_option(int argc, char **argv, int *i, struct lab_args *a)
{
	const char *value;

	if (sz_str_has_prefix(argv[*i], "--format="))
		value = argv[*i] + strlen("--format=");
	else if (strcmp(argv[*i], "--format") != 0)
		return 0;
	else if (*i + 1 >= argc) {
		sz_error_say(_("option '--format' needs a value: human, tap, junit or json"));
		return -1;
	} else
		value = argv[++*i];
	return parse_format(value, &a->format) == 0 ? 1 : -1;
}

static int flag_option(const char *arg, unsigned allowed, struct lab_args *a)
{
	if ((allowed & OPT_JSON) && strcmp(arg, "--json") == 0)
		a->json = true;
	else if ((allowed & OPT_ALL) && strcmp(arg, "--all") == 0)
		a->all = true;
	else if ((allowed & OPT_STRICT) && strcmp(arg, "--strict") == 0)
		a->strict = true;
	else if ((allowed & OPT_VERBOSE) && (strcmp(arg, "--verbose") == 0 || strcmp(arg, "-v") == 0))
		a->verbose = true;
	else
		return 0;
	return 1;
}

/* argv[0] is the subcommand. 0, or SZ_EXIT_USAGE after saying why. */
static int parse_args(int argc, char **argv, unsigned allowed, struct lab_args *a)
{
	a->targets = sz_xcalloc((size_t)argc + 1, sizeof(*a->targets));
	for (int i = 1; i < argc; i++) {
		int r = sz_cli_common_option(argc, argv, &i, &a->lang, &a->help);

		if (r == 0 && (allowed & OPT_FORMAT))
			r = format_option(argc, argv, &i, a);
		if (r == 0)
			r = flag_option(argv[i], allowed, a);
		if (r < 0)
			return SZ_EXIT_USAGE;
		if (r > 0)
			continue;
		if (argv[i][0] == '-') {
			sz_error_say(
			    _("unknown option '%s' for 'stanza lab %s' (see 'stanza lab %s --help')"),
			    argv[i], argv[0], argv[0]);
			return SZ_EXIT_USAGE;
		}
		a->targets[a->n_targets++] = argv[i];
	}
	return 0;
}

/* ---- what every subcommand loads --------------------------------------- */

struct lab_ctx {
	struct sz_course course;
	struct sz_lab_host *host;
	const struct sz_labs *labs; /* the host's */
};

static void ctx_release(struct lab_ctx *c)
{
	sz_lab_host_free(c->host);
	sz_course_release(&c->course);
}

/* The course in the chosen language and every lab. 0, or SZ_EXIT_USAGE
 * (bad content) after printing every problem. */
static int load_content(struct sz_cli *cli, const struct lab_args *a, struct lab_ctx *c)
{
	struct sz_lab_host_options o = {
	    .content_dir = cli->content,
	    .course = &c->course,
	    .images_dir = cli->data.images,
	    .command = "stanza lab",
	    .diags = stderr,
	};
	sz_error_t err = NULL;
	int status;

	if (a->lang != NULL && (status = sz_cli_set_lang(cli, a->lang)) != 0)
		return status;
	if (sz_cli_load_course(cli, &c->course) != 0)
		return SZ_EXIT_USAGE;
	status = sz_lab_host_open(&c->host, &o, &err) == 0 ? 0 : SZ_EXIT_USAGE;
	c->labs = sz_lab_host_labs(c->host);
	sz_error_print_release(&err);
	return status;
}

static int probe_host(struct lab_ctx *c)
{
	sz_error_t err = NULL;

	if (sz_lab_host_probe(c->host, &err) == 0)
		return 0;
	sz_error_print_release(&err);
	return SZ_EXIT_STANZA;
}

static const char *lab_title(const struct lab_ctx *c, const struct sz_lab *lab)
{
	const struct sz_chapter *ch = sz_course_find(&c->course, lab->chapter);
	const struct sz_lab_text *t = ch != NULL ? sz_chapter_find_lab(ch, lab->id) : NULL;

	return t != NULL ? t->title : NULL;
}

/* The terminal's width for text on stdout; 80 when it is not a terminal. */
static size_t output_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return DEFAULT_WIDTH;
}

/* ---- list --------------------------------------------------------------- */

static void list_json(const struct lab_ctx *c, const struct sz_progress *p)
{
	cleanup_json json_t *list = json_array();

	for (size_t i = 0; i < c->labs->n; i++) {
		const struct sz_lab *lab = &c->labs->items[i];
		cleanup_free char *reason = sz_lab_host_skip_reason(c->host, lab);
		json_t *o = json_object();

		sz_json_set(o, "id", sz_json_string(lab->name));
		sz_json_set(o, "chapter", sz_json_string(lab->chapter));
		sz_json_set(o, "title", sz_json_string(lab_title(c, lab)));
		sz_json_set(o, "runnable", json_boolean(reason == NULL));
		sz_json_set(o, "reason", sz_json_string(reason));
		sz_json_set(o, "done", json_boolean(sz_progress_is_done(p, SZ_PROGRESS_LAB, lab->name)));
		sz_json_push(list, o);
	}
	sz_json_dumpf(list, stdout, (const char *const[]){NULL});
	putchar('\n');
}

static void list_human(const struct lab_ctx *c, const struct sz_progress *p)
{
	int width = 0;
	size_t done = 0;

	for (size_t i = 0; i < c->labs->n; i++)
		if ((int)strlen(c->labs->items[i].name) > width)
			width = (int)strlen(c->labs->items[i].name);
	for (size_t i = 0; i < c->labs->n; i++) {
		const struct sz_lab *lab = &c->labs->items[i];
		const char *title = lab_title(c, lab);
		cleanup_free char *reason = sz_lab_host_skip_reason(c->host, lab);
		bool is_done = sz_progress_is_done(p, SZ_PROGRESS_LAB, lab->name);

		done += is_done;
		printf("%-*s  %s%s%s\n", width, lab->name,
		       title != NULL ? title : _("[no title in this language]"), is_done ? "  " : "",
		       is_done ? _("done") : "");
		if (reason != NULL)
			printf("%*s  %s %s\n", width, "", _("cannot run here:"), reason);
	}
	printf(_("\nLabs done: %zu of %zu. Play one with 'stanza lab run ID'.\n"), done, c->labs->n);
}

static int lab_list(struct sz_cli *cli, int argc, char **argv)
{
	struct lab_args a = {0};
	struct lab_ctx c = {0};
	struct sz_progress progress;
	int status = parse_args(argc, argv, OPT_JSON, &a);

	if (status != 0 || a.help) {
		if (a.help)
			list_usage(stdout);
		goto out;
	}
	if (a.n_targets > 0) {
		sz_error_say(_("unexpected '%s' (see 'stanza lab list --help')"), a.targets[0]);
		status = SZ_EXIT_USAGE;
		goto out;
	}
	if ((status = load_content(cli, &a, &c)) != 0 || (status = probe_host(&c)) != 0)
		goto out;
	/* Without the learner's progress the list is still worth showing. */
	sz_cli_load_progress(cli, &c.course, &progress);
	if (a.json)
		list_json(&c, &progress);
	else
		list_human(&c, &progress);
	sz_progress_release(&progress);
out:
	ctx_release(&c);
	free(a.targets);
	return status;
}

/* ---- playing labs -------------------------------------------------------- */

static const struct sz_lab *find_lab(const struct lab_ctx *c, const char *key)
{
	const struct sz_lab *lab = sz_labs_find(c->labs, key);

	if (lab == NULL)
		sz_error_say(_("no lab '%s' (see 'stanza lab list')"), key);
	return lab;
}

static void print_report(const struct sz_report *r, enum format f)
{
	switch (f) {
	case FORMAT_HUMAN: sz_report_human(r, stdout); break;
	case FORMAT_TAP: sz_report_tap(r, stdout); break;
	case FORMAT_JUNIT: sz_report_junit(r, stdout); break;
	case FORMAT_JSON: sz_report_json(r, stdout); break;
	}
	fflush(stdout);
}

/* Play labs into r with the engine; false when a signal stopped it. */
static bool play_all(struct lab_ctx *c, struct sz_lab_engine *e, const struct sz_lab **labs, size_t n,
                     struct sz_report *r)
{
	uint64_t t0 = sz_now_ns();
	bool stopped = false;

	for (size_t i = 0; i < n && !stopped; i++)
		stopped = sz_lab_play(e, labs[i], sz_report_add(r, labs[i])) < 0;
	r->ns = sz_now_ns() - t0;
	return !stopped;
}

static int engine_start(struct lab_ctx *c, struct sz_lab_engine *e, enum sz_lab_mode mode,
                        const struct sz_lab_events *ev)
{
	sz_error_t err = NULL;

	sz_lab_host_engine_init(c->host, e);
	e->mode = mode;
	e->events = ev;
	if (sz_lab_engine_open(e, &err) == 0)
		return 0;
	sz_error_print_release(&err);
	return SZ_EXIT_STANZA;
}

/* The exit status of a report: a signal's 128+N first. */
static int verdict_status(const struct sz_report *r, const struct sz_lab_engine *e, bool strict)
{
	struct sz_report_counts n = sz_report_count_labs(r);

	if (e->stop_signal != 0) {
		sz_error_say(_("interrupted by SIG%s; the lab was stopped and cleaned up"),
		             sigabbrev_np(e->stop_signal));
		return 128 + e->stop_signal;
	}
	if (n.fail > 0 || (strict && n.skip > 0))
		return SZ_EXIT_FAIL;
	return SZ_EXIT_OK;
}

/* "The lab failed: …", its first failed step told as the learner saw it. */
static void print_lab_failure(const struct sz_live *live, const struct sz_lab_record *rec)
{
	for (size_t i = 0; i < rec->n_steps; i++) {
		if (rec->steps[i].verdict == SZ_VERDICT_FAIL) {
			cleanup_free char *reason = sz_live_reason(live, rec->lab, &rec->steps[i]);

			printf("\n%s %s\n", _("The lab failed:"), reason);
			return;
		}
	}
	printf("\n%s %s\n", _("The lab failed:"), rec->reason != NULL ? rec->reason : "");
}
static int run_one(struct lab_ctx *c, const struct sz_lab *lab, const struct lab_args *a)
{
	enum format f = a->format;
	struct sz_lab_engine e;
	struct sz_live live;
	struct sz_lab_events ev;
	struct sz_report r = {.verbose = a->verbose};
	int status;

	sz_live_init(&live, stdout, &c->course, output_width());
	live.verbose = a->verbose;
	sz_live_events(&live, &ev);
	if ((status = engine_start(c, &e, SZ_LAB_MODE_RUN, f == FORMAT_HUMAN ? &ev : NULL)) != 0)
		return status;
	play_all(c, &e, &lab, 1, &r);
	sz_lab_engine_close(&e);
	sz_report_label(&r, &c->course);
	if (f != FORMAT_HUMAN)
		print_report(&r, f);
	else if (r.labs[0].verdict == SZ_VERDICT_PASS)
		printf("\n%s\n", _("Every step passed."));
	else if (e.stop_signal == 0)
		print_lab_failure(&live, &r.labs[0]);
	status = verdict_status(&r, &e, false);
	sz_report_release(&r);
	return status;
}

static int lab_run(struct sz_cli *cli, int argc, char **argv)
{
	struct lab_args a = {0};
	struct lab_ctx c = {0};
	const struct sz_lab *lab;
	cleanup_free char *reason = NULL;
	int status = parse_args(argc, argv, OPT_FORMAT | OPT_VERBOSE, &a);

	if (status != 0 || a.help) {
		if (a.help)
			run_usage(stdout);
		goto out;
	}
	if (a.n_targets != 1) {
		sz_error_say(a.n_targets == 0 ? _("which lab? (see 'stanza lab list')")
		                              : _("one lab at a time (see 'stanza lab run --help')"));
		status = SZ_EXIT_USAGE;
		goto out;
	}
	if ((status = load_content(cli, &a, &c)) != 0)
		goto out;
	if ((lab = find_lab(&c, a.targets[0])) == NULL) {
		status = SZ_EXIT_USAGE;
		goto out;
	}
	if ((status = probe_host(&c)) != 0)
		goto out;
	if ((reason = sz_lab_host_skip_reason(c.host, lab)) != NULL) {
		sz_error_say(_("cannot run '%s' here: %s"), lab->name, reason);
		status = EXIT_SKIP;
		goto out;
	}
	status = run_one(&c, lab, &a);
out:
	ctx_release(&c);
	free(a.targets);
	return status;
}

/* ---- verify ------------------------------------------------------------- */

static bool has_chapter_labs(const struct lab_ctx *c, const char *chapter)
{
	for (size_t i = 0; i < c->labs->n; i++)
		if (strcmp(c->labs->items[i].chapter, chapter) == 0)
			return true;
	return false;
}

static void add_lab(const struct sz_lab ***sel, size_t *n, const struct sz_lab *lab)
{
	for (size_t i = 0; i < *n; i++)
		if ((*sel)[i] == lab)
			return;
	*sel = sz_xrealloc(*sel, (*n + 1) * sizeof(**sel));
	(*sel)[(*n)++] = lab;
}

/* --all, or each operand a chapter (all its labs) or a lab. */
static int select_labs(const struct lab_ctx *c, const struct lab_args *a, const struct sz_lab ***sel,
                       size_t *n)
{
	for (size_t i = 0; a->all && i < c->labs->n; i++)
		add_lab(sel, n, &c->labs->items[i]);
	for (size_t t = 0; t < a->n_targets; t++) {
		const struct sz_lab *lab;

		if (has_chapter_labs(c, a->targets[t])) {
			for (size_t i = 0; i < c->labs->n; i++)
				if (strcmp(c->labs->items[i].chapter, a->targets[t]) == 0)
					add_lab(sel, n, &c->labs->items[i]);
		} else if ((lab = find_lab(c, a->targets[t])) != NULL) {
			add_lab(sel, n, lab);
		} else {
			return SZ_EXIT_USAGE;
		}
	}
	return 0;
}

static int verify_labs(struct lab_ctx *c, const struct sz_lab **sel, size_t n, const struct lab_args *a)
{
	struct sz_lab_engine e;
	struct sz_meter meter;
	struct sz_lab_events ev;
	struct sz_report r = {.verify = true, .verbose = a->verbose};
	bool show_meter = isatty(STDERR_FILENO);
	int status;

	sz_meter_init(&meter, stderr, n);
	sz_meter_events(&meter, &ev);
	if ((status = engine_start(c, &e, SZ_LAB_MODE_VERIFY, show_meter ? &ev : NULL)) != 0)
		return status;
	play_all(c, &e, sel, n, &r);
	sz_lab_engine_close(&e);
	sz_report_label(&r, &c->course);
	if (show_meter)
		sz_meter_clear(&meter);
	print_report(&r, a->format);
	status = verdict_status(&r, &e, a->strict);
	sz_report_release(&r);
	return status;
}

static int lab_verify(struct sz_cli *cli, int argc, char **argv)
{
	struct lab_args a = {0};
	struct lab_ctx c = {0};
	const struct sz_lab **sel = NULL;
	size_t n = 0;
	int status = parse_args(argc, argv, OPT_FORMAT | OPT_ALL | OPT_STRICT | OPT_VERBOSE, &a);

	if (status != 0 || a.help) {
		if (a.help)
			verify_usage(stdout);
		goto out;
	}
	if (!a.all && a.n_targets == 0) {
		sz_error_say(
		    _("which labs? give --all, chapters or lab ids (see 'stanza lab verify --help')"));
		status = SZ_EXIT_USAGE;
		goto out;
	}
	if ((status = load_content(cli, &a, &c)) != 0 || (status = select_labs(&c, &a, &sel, &n)) != 0 ||
	    (status = probe_host(&c)) != 0)
		goto out;
	status = verify_labs(&c, sel, n, &a);
out:
	free(sel);
	ctx_release(&c);
	free(a.targets);
	return status;
}

/* ---- dispatch ------------------------------------------------------------ */

static const struct sz_cli_sub subs[] = {
    {"list", lab_list},
    {"run", lab_run},
    {"verify", lab_verify},
};

int cmd_lab(struct sz_cli *cli, int argc, char **argv)
{
	static const struct sz_cli_group group = {"lab", usage, subs, sizeof(subs) / sizeof(subs[0])};

	return sz_cli_dispatch(cli, &group, argc, argv);
}
