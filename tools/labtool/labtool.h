/* SPDX-License-Identifier: GPL-3.0-or-later */
/* labtool.h - labtool, the lab image's static helper: subcommands and shared helpers */
#ifndef LABTOOL_H
#define LABTOOL_H

#include <stdint.h>
#include <stdio.h>

/* Exit statuses: done, failed (including "stopped by a limit"), bad usage. */
enum { LT_EXIT_OK = 0, LT_EXIT_FAIL = 1, LT_EXIT_USAGE = 2 };

#define LT_KIB ((uint64_t)1024)
#define LT_MIB (LT_KIB * 1024)
#define LT_GIB (LT_MIB * 1024)

/*
 * A subcommand. fn gets argv[0] = the subcommand's name and returns an
 * LT_EXIT_* status; it prints its own errors (one line on stderr each).
 * main() has already answered --help and -h with usage.
 */
struct lt_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *usage;
};

extern const struct lt_command lt_cmd_eat;
extern const struct lt_command lt_cmd_spin;
extern const struct lt_command lt_cmd_forks;
extern const struct lt_command lt_cmd_caps;
extern const struct lt_command lt_cmd_shm;
extern const struct lt_command lt_cmd_mq;

/* "labtool: MESSAGE" on stderr. */
void lt_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "labtool CMD: MESSAGE (see 'labtool CMD --help')" on stderr; returns LT_EXIT_USAGE. */
int lt_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Parse the options of a subcommand that has none: accept "--" and reject
 * anything else that starts with '-'. On success *first is the index in argv
 * of the first operand and 0 is returned; otherwise LT_EXIT_USAGE, printed.
 */
int lt_no_options(int argc, char **argv, int *first);

/*
 * Report the getopt_long() failure of the last call for subcommand argv[0]
 * (c is ':' for a missing value, '?' for an unknown option); returns
 * LT_EXIT_USAGE.
 */
int lt_bad_option(char **argv, int c);

/* A size: digits with an optional binary suffix k, M or G (also KiB, MiB, GiB). */
int lt_parse_size(const char *s, uint64_t *out);

/* A decimal integer in [min, max]. */
int lt_parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out);

/* "64 MiB", "12 KiB" or "4097 bytes": the largest of these units that shows bytes exactly. */
void lt_format_size(char *buf, size_t len, uint64_t bytes);

#endif
