/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cpu.c - labtool spin and forks: burn CPU time, and count the processes a limit allows */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "labtool.h"

#define MAX_SPIN_SECONDS 3600.0
#define MAX_FORKS        100000UL

static double seconds_of(clockid_t clock)
{
	struct timespec ts;

	/* Cannot fail: both clocks exist on every kernel this runs on. */
	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v <= 0 || v > MAX_SPIN_SECONDS)
		return -1;
	*out = v;
	return 0;
}

/*
 * Busy for SECONDS of wall time, in user space: the clock is read only every
 * 100,000 iterations. Under a CPU quota the process is throttled, so the CPU
 * time it got is less than the wall time; that difference is the lesson.
 */
static int cmd_spin(int argc, char **argv)
{
	double seconds, start, cpu_start, wall, cpu;
	int first, rc;

	if ((rc = lt_no_options(argc, argv, &first)) != 0)
		return rc;
	if (argc - first != 1)
		return lt_usage_error(argv[0], "expected one number of SECONDS");
	if (parse_seconds(argv[first], &seconds) < 0)
		return lt_usage_error(argv[0],
		                      "bad number of seconds '%s': expected more than 0 and at most %.0f",
		                      argv[first], MAX_SPIN_SECONDS);

	cpu_start = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
	start = seconds_of(CLOCK_MONOTONIC);
	do {
		for (volatile unsigned long i = 0; i < 100000; i++)
			;
		wall = seconds_of(CLOCK_MONOTONIC) - start;
	} while (wall < seconds);
	cpu = seconds_of(CLOCK_PROCESS_CPUTIME_ID) - cpu_start;
	printf("wall %.2f s, cpu %.2f s (%.0f%% of one CPU)\n", wall, cpu, 100 * cpu / wall);
	return LT_EXIT_OK;
}

/* A child of forks: wait to be killed, and die with the parent if it dies first. */
static void __attribute__((noreturn)) child_wait(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	for (;;)
		pause();
}

static void kill_and_reap(const pid_t *pids, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (unsigned long i = 0; i < n; i++) {
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
}

/*
 * Fork up to N children and keep them all alive at once, so that a pids
 * limit (which counts live tasks) stops the loop; then kill and reap them.
 * The result is the lesson, so it goes to stdout even when a limit stopped it.
 */
static int cmd_forks(int argc, char **argv)
{
	unsigned long n, forked = 0;
	int first, rc, fork_errno = 0;
	pid_t self = getpid();
	pid_t *pids;

	if ((rc = lt_no_options(argc, argv, &first)) != 0)
		return rc;
	if (argc - first != 1)
		return lt_usage_error(argv[0], "expected one number N");
	if (lt_parse_ulong(argv[first], 1, MAX_FORKS, &n) < 0)
		return lt_usage_error(argv[0], "bad number '%s': expected 1 to %lu", argv[first], MAX_FORKS);
	pids = calloc(n, sizeof(*pids));
	if (pids == NULL) {
		lt_error("cannot allocate room for %lu process ids: %s", n, strerror(errno));
		return LT_EXIT_FAIL;
	}

	fflush(stdout);
	while (forked < n) {
		pid_t pid = fork();

		if (pid < 0) {
			fork_errno = errno;
			break;
		}
		if (pid == 0)
			child_wait(self);
		pids[forked++] = pid;
	}
	if (fork_errno != 0)
		printf("forked %lu of %lu: fork: %s\n", forked, n, strerror(fork_errno));
	else
		printf("forked %lu of %lu\n", forked, n);
	kill_and_reap(pids, forked);
	free(pids);
	return fork_errno != 0 ? LT_EXIT_FAIL : LT_EXIT_OK;
}

const struct lt_command lt_cmd_spin = {
    .name = "spin",
    .fn = cmd_spin,
    .summary = "keep one CPU busy for SECONDS, then print the CPU time it got",
    .usage = "Usage: labtool spin SECONDS\n\n"
             "Run a busy loop for SECONDS of wall-clock time (2, 0.5), then print the wall\n"
             "time and the CPU time the process got, e.g. 'wall 2.00 s, cpu 1.00 s (50% of\n"
             "one CPU)'. Under a CPU limit such as --cpus 0.5 the CPU time falls short of the\n"
             "wall time: the kernel paused the process for the rest.\n",
};

const struct lt_command lt_cmd_forks = {
    .name = "forks",
    .fn = cmd_forks,
    .summary = "start N processes at once, to see where a pids limit stops them",
    .usage = "Usage: labtool forks N\n\n"
             "Fork N children that wait, all alive at the same time, then kill and reap\n"
             "them. Prints 'forked N of N' and exits 0, or, when fork fails (a pids limit),\n"
             "how many it got and why, e.g. 'forked 18 of 50: fork: Resource temporarily\n"
             "unavailable', and exits 1.\n",
};
