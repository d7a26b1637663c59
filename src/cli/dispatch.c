/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dispatch.c - a command's sub-commands from a table: `stanza lab list`, `stanza lessons show` */
#include <string.h>

#include "cli/cli.h"
#include "common/i18n.h"

int sz_cli_dispatch(struct sz_cli *cli, const struct sz_cli_group *g, int argc, char **argv)
{
	if (argc < 2) {
		g->usage(stderr);
		return SZ_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		g->usage(stdout);
		return SZ_EXIT_OK;
	}
	for (size_t i = 0; i < g->n_subs; i++)
		if (strcmp(argv[1], g->subs[i].name) == 0)
			return g->subs[i].fn(cli, argc - 1, argv + 1);
	sz_error_say(_("unknown command '%s %s' (see 'stanza %s --help')"), g->name, argv[1], g->name);
	return SZ_EXIT_USAGE;
}
