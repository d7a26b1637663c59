/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_lessons.c - `stanza lessons list|show|check`: the course as plain text in the terminal */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "course/course.h"
#include "course/progress.h"
#include "course/render.h"

#define DEFAULT_WIDTH 80
#define MIN_WIDTH     20
#define NUMBER_WIDTH  3              /* the chapter's number in `lessons list` */
#define MIN_TITLE     10             /* columns for a title, however narrow the terminal */
#define ELLIPSIS      "\xe2\x80\xa6" /* U+2026, one column */

/* What list and show accept after their name. */
struct lessons_args {
	const char *lang;
	const char *chapter; /* show's CHAPTER */
	bool help;
};

static void usage(FILE *out)
{
	fputs(_("Usage: stanza lessons list [--lang L]\n"
	        "       stanza lessons show CHAPTER [--lang L]\n"
	        "       stanza lessons check [--help]\n"
	        "\n"
	        "Read the course in the terminal.\n"
	        "\n"
	        "  list           the chapters, how long each is, and the ones you have done\n"
	        "  show CHAPTER   a chapter as text, by id (cgroups) or number (3)\n"
	        "  check          check every lesson and lab file, and that languages agree\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language (default: $STANZA_LANG, else the locale's language\n"
	        "              if the course has it, else English)\n"
	        "  -h, --help  show this help\n"),
	      out);
}

static void list_usage(FILE *out)
{
	fputs(_("Usage: stanza lessons list [--lang L]\n"
	        "\n"
	        "List the chapters of the course: number, id, title, length, and 'done' for\n"
	        "those you have finished.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language of the course (see 'stanza lessons --help')\n"
	        "  -h, --help  show this help\n"),
	      out);
}

static void show_usage(FILE *out)
{
	fputs(_("Usage: stanza lessons show CHAPTER [--lang L]\n"
	        "\n"
	        "Print a chapter as text: its sections, then the quiz (without the answers),\n"
	        "the glossary and the labs. CHAPTER is an id (cgroups) or a number (3).\n"
	        "Lines are as wide as the terminal, or 80 columns when the output is not one.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language of the course (see 'stanza lessons --help')\n"
	        "  -h, --help  show this help\n"),
	      out);
}

/* Options of list (want_chapter false) and show. 0, or SZ_EXIT_USAGE after an error. */
static int parse_args(int argc, char **argv, bool want_chapter, struct lessons_args *a)
{
	for (int i = 1; i < argc; i++) {
		int r = sz_cli_common_option(argc, argv, &i, &a->lang, &a->help);

		if (r < 0)
			return SZ_EXIT_USAGE;
		if (r > 0)
			continue;
		if (argv[i][0] == '-' || !want_chapter || a->chapter != NULL) {
			sz_error_say(
			    _("unexpected '%s' for 'stanza lessons %s' (see 'stanza lessons %s --help')"),
			    argv[i], argv[0], argv[0]);
			return SZ_EXIT_USAGE;
		}
		a->chapter = argv[i];
	}
	if (want_chapter && a->chapter == NULL && !a->help) {
		sz_error_say(_("which chapter? (see 'stanza lessons list')"));
		return SZ_EXIT_USAGE;
	}
	return 0;
}

/* The terminal's width for text on stdout; 80 when it is not a terminal. */
static size_t output_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col < MIN_WIDTH ? MIN_WIDTH : ws.ws_col;
	return DEFAULT_WIDTH;
}

/* Bold and such only for a terminal, and not when NO_COLOR asks for none. */
static bool output_styled(void)
{
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");

	if (no_color != NULL && *no_color != '\0')
		return false;
	if (term != NULL && strcmp(term, "dumb") == 0)
		return false;
	return isatty(STDOUT_FILENO);
}

/* ---- list --------------------------------------------------------------- */

struct list_columns {
	int id;    /* widest id */
	int words; /* widest "N words" */
	int mark;  /* width of "done" */
	int title; /* what is left for the title */
};

static char *words_text(const struct sz_chapter *ch)
{
	size_t n = sz_chapter_word_count(ch);

	/* TRANSLATORS: the length of a chapter in `stanza lessons list` */
	return sz_asprintf(Q_("%zu word", "%zu words", n), n);
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

static void measure(const struct sz_course *c, size_t width, struct list_columns *col)
{
	int widest_title = 0;

	memset(col, 0, sizeof(*col));
	/* TRANSLATORS: the mark of a finished chapter in `stanza lessons list`; keep it short */
	col->mark = (int)sz_display_width(_("done"));
	for (size_t i = 0; i < c->n_chapters; i++) {
		cleanup_free char *words = words_text(&c->chapters[i]);

		col->id = max_int(col->id, (int)sz_display_width(c->chapters[i].id));
		col->words = max_int(col->words, (int)sz_display_width(words));
		widest_title = max_int(widest_title, (int)sz_display_width(c->chapters[i].title));
	}
	/* "NNN  id  title  words  done": two columns between each. */
	col->title = (int)width - NUMBER_WIDTH - 2 - col->id - 2 - 2 - col->words - 2 - col->mark;
	col->title = max_int(MIN_TITLE, col->title < widest_title ? col->title : widest_title);
}

static void put_padded(const char *s, int width, bool left)
{
	int pad = width - (int)sz_display_width(s);

	if (!left)
		for (; pad > 0; pad--)
			putchar(' ');
	fputs(s, stdout);
	if (left)
		for (; pad > 0; pad--)
			putchar(' ');
}

/* The title in width columns: padded, or cut with an ellipsis. */
static void put_title(const char *title, int width)
{
	size_t cut;

	if ((int)sz_display_width(title) <= width) {
		put_padded(title, width, true);
		return;
	}
	cut = sz_display_prefix(title, (size_t)width - 1);
	fwrite(title, 1, cut, stdout);
	fputs(ELLIPSIS, stdout);
	for (int pad = width - 1 - (int)sz_display_width_n(title, cut); pad > 0; pad--)
		putchar(' ');
}

static void list_chapter(const struct sz_chapter *ch, const struct list_columns *col, bool done)
{
	cleanup_free char *words = words_text(ch);

	printf("%*u  ", NUMBER_WIDTH, ch->number);
	put_padded(ch->id, col->id, true);
	fputs("  ", stdout);
	put_title(ch->title, col->title);
	fputs("  ", stdout);
	put_padded(words, col->words, false);
	if (done)
		printf("  %s", _("done"));
	putchar('\n');
}

static void list_course(const struct sz_course *c, const struct sz_progress *p)
{
	struct list_columns col;
	size_t done = 0;

	measure(c, output_width(), &col);
	for (size_t i = 0; i < c->n_chapters; i++) {
		bool is_done = sz_progress_is_done(p, SZ_PROGRESS_CHAPTER, c->chapters[i].id);

		done += is_done;
		list_chapter(&c->chapters[i], &col, is_done);
	}
	putchar('\n');
	printf(_("Chapters done: %zu of %zu.\n"), done, c->n_chapters);
	puts(_("Read one with 'stanza lessons show ID' (or its number)."));
}

/* What list and show begin with: their arguments, --help (a->help set:
 * nothing more to do), the language and the course. 0, or the status to
 * end with after saying why. */
static int lessons_open(struct sz_cli *cli, int argc, char **argv, bool want_chapter,
                        void (*help_text)(FILE *), struct lessons_args *a, struct sz_course *course)
{
	int status;

	if ((status = parse_args(argc, argv, want_chapter, a)) != 0)
		return status;
	if (a->help) {
		help_text(stdout);
		return SZ_EXIT_OK;
	}
	if (a->lang != NULL && (status = sz_cli_set_lang(cli, a->lang)) != 0)
		return status;
	return sz_cli_load_course(cli, course);
}

static int lessons_list(struct sz_cli *cli, int argc, char **argv)
{
	struct lessons_args a = {0};
	struct sz_course course = {0};
	struct sz_progress progress;
	int status;

	if ((status = lessons_open(cli, argc, argv, false, list_usage, &a, &course)) != 0 || a.help)
		return status;
	/* Without the learner's progress the list is still worth showing. */
	sz_cli_load_progress(cli, &course, &progress);
	list_course(&course, &progress);
	sz_progress_release(&progress);
	sz_course_release(&course);
	return SZ_EXIT_OK;
}

/* ---- show --------------------------------------------------------------- */

static int lessons_show(struct sz_cli *cli, int argc, char **argv)
{
	struct lessons_args a = {0};
	struct sz_course course = {0};
	struct sz_render_options o;
	const struct sz_chapter *ch;
	int status;

	if ((status = lessons_open(cli, argc, argv, true, show_usage, &a, &course)) != 0 || a.help)
		return status;
	ch = sz_course_find(&course, a.chapter);
	if (ch == NULL) {
		sz_error_say(_("no chapter '%s' in the course (see 'stanza lessons list')"), a.chapter);
		sz_course_release(&course);
		return SZ_EXIT_USAGE;
	}
	sz_render_options_init(&o);
	o.width = output_width();
	o.styled = output_styled();
	sz_render_chapter(stdout, ch, &o);
	sz_course_release(&course);
	return SZ_EXIT_OK;
}

/* ---- dispatch ----------------------------------------------------------- */

static int lessons_check(struct sz_cli *cli, int argc, char **argv)
{
	return sz_lessons_check(cli, cli->content, argc, argv);
}

static const struct sz_cli_sub subs[] = {
    {"list", lessons_list},
    {"show", lessons_show},
    {"check", lessons_check},
};

int cmd_lessons(struct sz_cli *cli, int argc, char **argv)
{
	static const struct sz_cli_group group = {"lessons", usage, subs, sizeof(subs) / sizeof(subs[0])};

	return sz_cli_dispatch(cli, &group, argc, argv);
}
