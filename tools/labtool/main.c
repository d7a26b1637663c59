/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - labtool's entry point: the table of subcommands, --help, and shared parsing helpers */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "labtool.h"

static const struct lt_command *const commands[] = {
    &lt_cmd_eat, &lt_cmd_spin, &lt_cmd_forks, &lt_cmd_caps, &lt_cmd_shm, &lt_cmd_mq,
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

void lt_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("labtool: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int lt_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "labtool %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'labtool %s --help')\n", cmd);
	return LT_EXIT_USAGE;
}

int lt_bad_option(char **argv, int c)
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		return lt_usage_error(argv[0], "option '%s' needs a value", opt);
	if (optopt != 0)
		return lt_usage_error(argv[0], "unknown option '-%c'", optopt);
	return lt_usage_error(argv[0], "unknown option '%s'", opt);
}

int lt_no_options(int argc, char **argv, int *first)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	int c;

	opterr = 0;
	c = getopt_long(argc, argv, ":", none, NULL);
	if (c != -1)
		return lt_bad_option(argv, c);
	*first = optind;
	return 0;
}

int lt_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int lt_parse_size(const char *s, uint64_t *out)
{
	static const struct {
		const char *suffix;
		uint64_t unit;
	} units[] = {
	    {"", 1},       {"k", LT_KIB},   {"K", LT_KIB}, {"KiB", LT_KIB}, {"m", LT_MIB},
	    {"M", LT_MIB}, {"MiB", LT_MIB}, {"g", LT_GIB}, {"G", LT_GIB},   {"GiB", LT_GIB},
	};
	char *end;
	uint64_t v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) != 0)
			continue;
		if (v > UINT64_MAX / units[i].unit)
			return -1;
		*out = v * units[i].unit;
		return 0;
	}
	return -1;
}

void lt_format_size(char *buf, size_t len, uint64_t bytes)
{
	if (bytes != 0 && bytes % LT_MIB == 0)
		snprintf(buf, len, "%" PRIu64 " MiB", bytes / LT_MIB);
	else if (bytes != 0 && bytes % LT_KIB == 0)
		snprintf(buf, len, "%" PRIu64 " KiB", bytes / LT_KIB);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
}

static void usage(FILE *out)
{
	fputs("Usage: labtool COMMAND [ARG...]\n\n"
	      "What busybox lacks, for stanza's labs. Each command has --help.\n\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-7s %s\n", commands[i]->name, commands[i]->summary);
}

/* True when an argument before "--" asks for help. */
static int wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	/* Progress lines must reach a pipe before an OOM kill can cut them off. */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return LT_EXIT_OK;
	}
	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(argv[1], commands[i]->name) != 0)
			continue;
		if (wants_help(argc - 1, argv + 1)) {
			fputs(commands[i]->usage, stdout);
			return LT_EXIT_OK;
		}
		return commands[i]->fn(argc - 1, argv + 1);
	}
	fprintf(stderr, "labtool: unknown command '%s' (see 'labtool --help')\n", argv[1]);
	return LT_EXIT_USAGE;
}
