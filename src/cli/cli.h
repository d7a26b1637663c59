/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cli.h - the subcommands: one small file each, over the table in main.c */
#ifndef SZ_CLI_H
#define SZ_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "common/datadir.h"
#include "common/error.h"

/* Exit statuses shared by every subcommand (see docs/exit-status.md). */
enum {
	SZ_EXIT_OK = 0,
	SZ_EXIT_FAIL = 1,
	SZ_EXIT_USAGE = 2,
	SZ_EXIT_TIMEOUT = 124,
	SZ_EXIT_STANZA = 125, /* stanza itself failed: bad option, host cannot */
	SZ_EXIT_CANNOT_EXEC = 126,
	SZ_EXIT_NOT_FOUND = 127,
};

/* What every command gets: the located data, the content and the language. */
struct sz_cli {
	const char *progname;
	struct sz_datadir data;
	const char *content; /* holds lessons/ and labs/: --content, $STANZA_CONTENT or data.content */
	bool content_is_own; /* content came from --content or $STANZA_CONTENT, not the data dir */
	char *lang;          /* the language in use ("en", "it"), set by sz_cli_set_lang() */
	bool lang_asked;     /* lang was asked for (--lang, $STANZA_LANG), not guessed from the locale */
};

int cmd_run(struct sz_cli *cli, int argc, char **argv);
/* runc's command line (cmd_oci.c): the OCI lifecycle on bundles. */
int cmd_create(struct sz_cli *cli, int argc, char **argv);
int cmd_start(struct sz_cli *cli, int argc, char **argv);
int cmd_state(struct sz_cli *cli, int argc, char **argv);
int cmd_kill(struct sz_cli *cli, int argc, char **argv);
int cmd_delete(struct sz_cli *cli, int argc, char **argv);
int cmd_list(struct sz_cli *cli, int argc, char **argv);
int cmd_exec(struct sz_cli *cli, int argc, char **argv);
int cmd_ps(struct sz_cli *cli, int argc, char **argv);
int cmd_features(struct sz_cli *cli, int argc, char **argv);
int cmd_update(struct sz_cli *cli, int argc, char **argv);
/* `stanza run -b DIR ID` (cmd_run passes it on when it sees -b/--bundle). */
int sz_oci_run(struct sz_cli *cli, int argc, char **argv);
void sz_oci_run_usage(FILE *out);

/* runc's global options, before the command (main.c fills them). */
struct sz_oci_globals {
	const char *root; /* --root: the state root */
	const char *log;  /* --log FILE: errors (and with debug, trace lines) go there too */
	bool log_json;    /* --log-format json */
	bool debug;
	bool trace;
};
extern struct sz_oci_globals sz_oci;
int cmd_image(struct sz_cli *cli, int argc, char **argv);
int cmd_build(struct sz_cli *cli, int argc, char **argv);
int cmd_spec(struct sz_cli *cli, int argc, char **argv);
int cmd_doctor(struct sz_cli *cli, int argc, char **argv);
int cmd_lessons(struct sz_cli *cli, int argc, char **argv);
int cmd_progress(struct sz_cli *cli, int argc, char **argv);
int cmd_lab(struct sz_cli *cli, int argc, char **argv);
int cmd_tutor(struct sz_cli *cli, int argc, char **argv);
int cmd_shell(struct sz_cli *cli, int argc, char **argv);
/* `stanza lessons check` (argv[0] is "check"): every language under
 * <content_dir>/lessons against the schema, the content rules and each other. */
int sz_lessons_check(struct sz_cli *cli, const char *content_dir, int argc, char **argv);

/* ---- shared by the content commands (context.c) ---- */

struct sz_course;
struct sz_progress;

/*
 * Choose the language (option: a command's --lang, or NULL), see that
 * <content>/lessons has it and make the interface speak it; cli->lang gets
 * it. --lang and $STANZA_LANG must name a language of the course; a locale's
 * language the course lacks gives English. Returns 0, or SZ_EXIT_USAGE after
 * saying which languages there are.
 */
int sz_cli_set_lang(struct sz_cli *cli, const char *option);

/* Load the course in cli->lang. Returns 0, or SZ_EXIT_FAIL after printing
 * what is wrong (each problem located) and *out is zeroed. */
int sz_cli_load_course(struct sz_cli *cli, struct sz_course *out);

/*
 * Load the learner's progress into *p. A damaged file is reported and set
 * aside. When course is not NULL, comes from the data dir and is not the
 * version the progress was recorded against, what no longer exists is
 * forgotten and the progress saved with the new version. Returns 0, or -1
 * after printing why the file cannot be read (*p is then empty and unread).
 */
int sz_cli_load_progress(struct sz_cli *cli, const struct sz_course *course, struct sz_progress *p);

/* "--lang L" or "--lang=L" at argv[*i] (moving *i past L): 1 and *value set,
 * 0 when argv[*i] is something else, -1 after an error when L is missing. */
int sz_cli_lang_option(int argc, char **argv, int *i, const char **value);

/* The options every content command takes, at argv[*i]: --lang L (as
 * above) and -h/--help (*help set). 1 when it was one, 0 when it is
 * something else, -1 after an error. */
int sz_cli_common_option(int argc, char **argv, int *i, const char **lang, bool *help);

/* The arguments of the front ends, `stanza shell` and `stanza tutor`. */
struct sz_cli_front_args {
	const char *lang;       /* --lang's value, or NULL */
	bool help;              /* -h or --help */
	bool lang_asked;        /* the learner chose cli->lang now: --lang or $STANZA_LANG */
	const char *unexpected; /* an argument that is none of these, for the caller to name */
};

/* Parse --lang L and -h/--help into *a and, unless it is --help, make
 * --lang's language the one in use. 0, or SZ_EXIT_USAGE after saying why
 * (but for a->unexpected, which the caller names in its own words). */
int sz_cli_front_args(struct sz_cli *cli, int argc, char **argv, struct sz_cli_front_args *a);

/* ---- sub-commands (`stanza lab list`), dispatch.c ---- */

struct sz_cli_sub {
	const char *name;
	int (*fn)(struct sz_cli *cli, int argc, char **argv); /* argv[0] is name */
};

/* A command made of sub-commands: its name, its usage (which lists them)
 * and a table of them. */
struct sz_cli_group {
	const char *name;
	void (*usage)(FILE *out);
	const struct sz_cli_sub *subs;
	size_t n_subs;
};

/* argv[0] is the group's name and argv[1] a sub-command's: run it. No
 * sub-command: the usage on stderr and SZ_EXIT_USAGE; -h or --help: the
 * usage on stdout. */
int sz_cli_dispatch(struct sz_cli *cli, const struct sz_cli_group *g, int argc, char **argv);

#endif
