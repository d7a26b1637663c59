/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stanza-init.c - a container's PID 1 for `stanza run --init` and labs, and the sealed last step of every
 * exec */
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
 * stanza-init --exec FD -- COMMAND [ARG...]
 *
 * Executes COMMAND in its place, looked up in $PATH as stanza always did;
 * when that fails, says why on FD (stanza's socket, a SZ_MSG_EXEC_ERROR) and
 * exits 127 or 126. Every command stanza starts in a container, without
 * --init too, is executed by this program and not by stanza: a script whose
 * interpreter is /proc/self/exe (runc's CVE-2019-5736) then reaches this
 * sealed copy, never stanza's binary on the host.
 *
 * It is linked statically and built into stanza, which runs it inside the
 * container from a sealed in-memory copy (see src/runtime/init.c): it needs
 * no file of the image and stanza's own binary is never exposed.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/msg.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

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

/* execvp() as POSIX has it, without glibc's running a file that has no #!
 * line with /bin/sh: each $PATH element in turn (an empty one is the current
 * directory), on to the next only when the file is not there (ENOENT,
 * ENOTDIR) or not ours to run (EACCES, reported if nothing else ran). */
static int exec_command(char *const argv[])
{
	const char *path = getenv("PATH");
	bool denied = false;

	if (argv[0][0] == '\0')
		return ENOENT;
	if (path == NULL)
		path = DEFAULT_PATH;
	if (strchr(argv[0], '/') != NULL) {
		execv(argv[0], argv);
		return errno;
	}
	for (;;) {
		size_t len = strcspn(path, ":");
		char file[4096];
		int n = len > 0 ? snprintf(file, sizeof(file), "%.*s/%s", (int)len, path, argv[0])
		                : snprintf(file, sizeof(file), "./%s", argv[0]);

		if (n < 0 || (size_t)n >= sizeof(file))
			return ENAMETOOLONG;
		execv(file, argv);
		if (errno == EACCES)
			denied = true;
		else if (errno != ENOENT && errno != ENOTDIR)
			return errno;
		if (path[len] == '\0')
			return denied ? EACCES : ENOENT;
		path += len + 1;
	}
}

/* The child: in the foreground of the terminal, if there is one, with the
 * signal mask and dispositions a command expects; executed as --exec does
 * (a file without a #! line is an exec format error, not a shell script). */
static void start_command(char **argv)
{
	sigset_t none;
	int err;

	if (isatty(STDIN_FILENO) && setpgid(0, 0) == 0)
		tcsetpgrp(STDIN_FILENO, getpgrp()); /* SIGTTOU is still blocked here */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	err = exec_command(argv);
	dprintf(STDERR_FILENO, "stanza-init: cannot run '%s': %s\n", argv[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
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

/* --exec FD -- COMMAND...: become COMMAND; FD closes when that works. */
static int exec_mode(char **argv)
{
	struct sz_msg msg = {.type = SZ_MSG_EXEC_ERROR};
	int fd = (int)strtol(argv[2], NULL, 10);

	/* The exec made this process dumpable again, and it holds stanza's socket:
	 * another process of the container must not take it (ptrace,
	 * pidfd_getfd). stanza trusts nothing but an exec error from here on
	 * (runtime/exec.c), and this narrows the window to the first
	 * instructions. The command's own execve makes it dumpable as usual. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return 126;
	msg.errno_ = exec_command(argv + 4);
	snprintf(msg.text, sizeof(msg.text), "%s", argv[4]);
	send(fd, &msg, sizeof(msg), MSG_NOSIGNAL);
	return msg.errno_ == ENOENT ? 127 : 126;
}

int main(int argc, char **argv)
{
	sigset_t set;
	pid_t command;

	if (argc >= 5 && strcmp(argv[1], "--exec") == 0 && strcmp(argv[3], "--") == 0)
		return exec_mode(argv);
	if (argc < 3 || strcmp(argv[1], "--") != 0) {
		dprintf(STDERR_FILENO, "usage: stanza-init -- COMMAND [ARG...]\n"
		                       "       stanza-init --exec FD -- COMMAND [ARG...]\n");
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
