/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_shell.c - `stanza shell`: the line-mode tutorial, for terminals, screen readers and scripts */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "config.h"
#include "course/course.h"
#include "course/tutor.h"
#include "shell/shell.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza shell [--lang L]\n"
	        "\n"
	        "The course one line at a time: read the chapters, answer the quizzes, look up\n"
	        "terms and do the labs at a prompt, with history and tab completion on a\n"
	        "terminal. Type 'help' at the prompt for the commands.\n"
	        "\n"
	        "When the input is not a terminal (stanza shell < script.txt), commands are read\n"
	        "one a line and answered in plain text, without a prompt or escape codes.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language of the course and of stanza (default: the one you\n"
	        "              used last)\n"
	        "  -h, --help  show this help\n"),
	      out);
}

static int open_tutor(struct sz_cli *cli, const char *lang, struct sz_tutor *t)
{
	cleanup_free char *notice = NULL;
	sz_error_t err = NULL;

	if (sz_tutor_open(t, cli->content, lang, NULL, &notice, &err) < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	if (notice != NULL)
		sz_error_say("%s", notice);
	if (!cli->content_is_own && sz_tutor_follow_version(t, STANZA_VERSION, &err) < 0)
		sz_error_print_release(&err);
	return 0;
}

int cmd_shell(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_shell_options o = {.images_dir = cli->data.images, .progname = cli->progname};
	struct sz_cli_front_args a = {0};
	struct sz_tutor t;
	int status = sz_cli_front_args(cli, argc, argv, &a);

	if (a.unexpected != NULL)
		sz_error_say(_("unknown argument '%s' (see 'stanza shell --help')"), a.unexpected);
	if (status != 0)
		return status;
	if (a.help) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	if ((status = open_tutor(cli, a.lang_asked ? cli->lang : NULL, &t)) != 0)
		return status;
	status = sz_shell_main(&t, &o);
	sz_tutor_release(&t);
	return status;
}
