/* SPDX-License-Identifier: GPL-3.0-or-later */
/* mem.c - labtool eat: touch memory page by page and say how far it got */
#include <errno.h>
#include <getopt.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "labtool.h"

#define DEFAULT_STEP (8 * LT_MIB)

struct eat_opts {
	uint64_t size; /* bytes to touch, a whole number of pages */
	uint64_t step; /* bytes between progress lines, a whole number of pages */
};

static uint64_t round_up(uint64_t n, uint64_t unit)
{
	return (n + unit - 1) / unit * unit;
}

static int parse_eat(int argc, char **argv, struct eat_opts *o)
{
	static const struct option longopts[] = {{"step", required_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	int c;

	o->step = DEFAULT_STEP;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c != 's')
			return lt_bad_option(argv, c);
		if (lt_parse_size(optarg, &o->step) < 0 || o->step == 0)
			return lt_usage_error(argv[0], "bad step '%s': expected a size such as 512k or 8M",
			                      optarg);
	}
	if (argc - optind != 1)
		return lt_usage_error(argv[0], "expected one SIZE");
	if (lt_parse_size(argv[optind], &o->size) < 0 || o->size == 0 || o->size > SIZE_MAX - page)
		return lt_usage_error(argv[0], "bad size '%s': expected a size such as 64M or 1G",
		                      argv[optind]);
	o->size = round_up(o->size, page);
	if (o->step > o->size)
		o->step = o->size;
	o->step = round_up(o->step, page);
	return 0;
}

/*
 * One anonymous mapping for the whole size, so that a size the kernel will
 * never grant fails here, before anything is touched. Writing one byte per
 * page makes the kernel back each page with real memory, charged to the
 * cgroup: that, not the mapping, is what a memory limit counts.
 */
static int eat(const struct eat_opts *o)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	char what[32];
	volatile char *mem;

	mem = mmap(NULL, o->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		lt_format_size(what, sizeof(what), o->size);
		lt_error("cannot map %s: %s", what, strerror(errno));
		return LT_EXIT_FAIL;
	}
	/* Small pages, so that memory grows page by page as the lines say. */
	(void)madvise((void *)mem, o->size, MADV_NOHUGEPAGE);

	for (uint64_t done = 0; done < o->size;) {
		uint64_t end = done + o->step < o->size ? done + o->step : o->size;

		for (; done < end; done += page)
			mem[done] = 1;
		lt_format_size(what, sizeof(what), done);
		printf("touched %s\n", what);
	}
	munmap((void *)mem, o->size);
	return LT_EXIT_OK;
}

static int cmd_eat(int argc, char **argv)
{
	struct eat_opts o;
	int rc = parse_eat(argc, argv, &o);

	if (rc != 0)
		return rc;
	return eat(&o);
}

const struct lt_command lt_cmd_eat = {
    .name = "eat",
    .fn = cmd_eat,
    .summary = "touch SIZE of memory page by page, printing how far it got",
    .usage = "Usage: labtool eat SIZE [--step SIZE]\n\n"
             "Map SIZE of anonymous memory (64M, 512k, 1G) and write one byte to each of its\n"
             "pages, so the kernel must really provide it. A line 'touched N MiB' is printed\n"
             "every --step (default 8M), so when a memory limit kills the process the last\n"
             "line shows how far it got. Exits 0 once everything is touched.\n",
};
