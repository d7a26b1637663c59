/* main.c - stanza's entry point: locate data, set the language, dispatch a subcommand */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/i18n.h"
#include "config.h"

struct command {
	const char *name;
	int (*fn)(struct sz_cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, N_("run a command in a new container (like docker run)")},
    {"doctor", cmd_doctor, N_("say what this host supports and what is missing")},
};

void sz_cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("stanza: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *out)
{
	fprintf(out, _("Usage: stanza [COMMAND] [OPTIONS]\n\n"
	               "A terminal tutorial for Linux containers, with a real container runtime inside.\n\n"
	               "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(out, _("\nRun 'stanza COMMAND --help' for a command's options.\n"));
}

int main(int argc, char **argv)
{
	struct sz_cli cli = {.progname = "stanza"};
	int status;

	sz_datadir_find(&cli.data);
	sz_i18n_init(cli.data.locale);

	if (argc < 2) {
		usage(stdout);
		sz_datadir_release(&cli.data);
		return SZ_EXIT_OK;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		sz_datadir_release(&cli.data);
		return SZ_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("stanza %s\n", STANZA_VERSION);
		sz_datadir_release(&cli.data);
		return SZ_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			status = commands[i].fn(&cli, argc - 1, argv + 1);
			sz_datadir_release(&cli.data);
			return status;
		}
	}
	sz_cli_error(_("unknown command '%s' (see 'stanza --help')"), argv[1]);
	sz_datadir_release(&cli.data);
	return SZ_EXIT_USAGE;
}
