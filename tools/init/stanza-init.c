/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stanza-init.c - a container's PID 1 for `stanza run --init` and labs: reap every child, forward signals */
/*
 * stanza-init -- COMMAND [ARG...]
 *
 * What `docker run --init` (tini) does, and nothing more. A PID 1 that does
 * not wait for them keeps every orphan of the container as a zombie until the
 * container ends: processes whose parent exited are handed to PID 1. So this
 * one starts COMMAND as its only child, then
 *   - reaps every child the kernel hands it, the orphans included;
 *   - sends SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 on to
 *     COMMAND (PID 1 of a PID namespace gets no signal it has no handler
 *     for, so a plain command as PID 1 ignores `kill -TERM 1`);
 *   - exits with COMMAND's status, 128+N when signal N killed it.
 * With a terminal on stdin COMMAND gets a process group of its own and is
 * the terminal's foreground, so ^C reaches it once, from the terminal.
 *
 * It is linked statically and built into stanza, which runs it inside the
 * container from a sealed in-memory copy (see src/runtime/init.c): it needs
 * no file of the image and stanza's own binary is never exposed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

static void watched_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGTTIN);
	sigaddset(set, SIGTTOU);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		sigaddset(set, forwarded[i]);
}

/* The child: in the foreground of the terminal, if there is one, with the
 * signal mask and dispositions a command expects. */
static void start_command(char **argv)
{
	sigset_t none;

	if (isatty(STDIN_FILENO) && setpgid(0, 0) == 0)
		tcsetpgrp(STDIN_FILENO, getpgrp()); /* SIGTTOU is still blocked here */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "stanza-init: cannot run '%s': %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Wait for every child that has ended; the command's status, or -1 while
 * the command lives. */
static int reap(pid_t command)
{
	int status, code = -1;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0 || (pid < 0 && errno == EINTR)) {
		if (pid != command)
			continue;
		if (WIFEXITED(status))
			code = WEXITSTATUS(status);
		else if (WIFSIGNALED(status))
			code = 128 + WTERMSIG(status);
	}
	return code;
}

int main(int argc, char **argv)
{
	sigset_t set;
	pid_t command;

	if (argc < 3 || strcmp(argv[1], "--") != 0) {
		dprintf(STDERR_FILENO, "usage: stanza-init -- COMMAND [ARG...]\n");
		return 2;
	}
	prctl(PR_SET_NAME, "stanza-init");
	watched_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
	command = fork();
	if (command < 0) {
		dprintf(STDERR_FILENO, "stanza-init: cannot start '%s': %s\n", argv[2], strerror(errno));
		return 126;
	}
	if (command == 0)
		start_command(argv + 2);
	for (;;) {
		int sig = sigwaitinfo(&set, NULL);
		int code;

		if (sig < 0 || sig == SIGTTIN || sig == SIGTTOU)
			continue;
		if (sig != SIGCHLD) {
			kill(command, sig);
			continue;
		}
		if ((code = reap(command)) >= 0)
			return code;
	}
}
