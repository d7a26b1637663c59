/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_tutor.c - `stanza tutor` (and `stanza` alone on a terminal): the full-screen tutorial */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "config.h"
#include "tui/tui.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza tutor [--lang L]\n"
	        "\n"
	        "The course on the whole terminal: the chapters, the reading pane, the labs\n"
	        "with their live output, the quiz and the glossary. It starts where you left\n"
	        "off. Press ? inside for the keys, q to quit. 'stanza' alone does the same\n"
	        "when it runs on a terminal.\n"
	        "\n"
	        "Options:\n"
	        "  --lang L    the language of the course and of stanza (L switches it inside)\n"
	        "  -h, --help  show this help\n"
	        "\n"
	        "It needs a terminal of at least 80x24; NO_COLOR=1 turns colours off.\n"
	        "Without a terminal, use 'stanza shell' or 'stanza lessons show'.\n"),
	      out);
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && v[0] != '\0';
}

int cmd_tutor(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_tui_options o = {0};
	struct sz_cli_front_args a = {0};
	sz_error_t err = NULL;
	int status = sz_cli_front_args(cli, argc, argv, &a);

	if (a.unexpected != NULL)
		sz_error_say(_("unexpected '%s' for 'stanza tutor' (see 'stanza tutor --help')"),
		             a.unexpected);
	if (status != 0)
		return status;
	if (a.help) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		sz_error_say(
		    _("'stanza tutor' needs a terminal; without one, use 'stanza shell' or 'stanza lessons "
		      "show'"));
		return SZ_EXIT_USAGE;
	}
	o.content_dir = cli->content;
	o.lang = a.lang_asked ? cli->lang : NULL;
	o.new_learner_lang = cli->lang;
	o.image_dir = cli->data.images;
	o.course_version = cli->content_is_own ? NULL : STANZA_VERSION;
	o.no_color = env_set("NO_COLOR");
	o.exit_after_first_frame = env_set("STANZA_TUI_FIRST_FRAME_EXIT");
	status = sz_tui_run(&o, &err);
	if (status < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	return status;
}
