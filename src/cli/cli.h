/* cli.h - the subcommands: one small file each, over the table in main.c */
#ifndef SZ_CLI_H
#define SZ_CLI_H

#include "common/datadir.h"

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

/* What every command gets: the located data. */
struct sz_cli {
	const char *progname;
	struct sz_datadir data;
};

int cmd_run(struct sz_cli *cli, int argc, char **argv);
int cmd_doctor(struct sz_cli *cli, int argc, char **argv);

/* Print "stanza: <msg>" on stderr. */
void sz_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
