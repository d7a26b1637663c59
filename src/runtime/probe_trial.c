/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_trial.c - the host probe's trials: fork, enter namespaces the way the runtime does, report */
#include "runtime/probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/util.h"

#define TRIAL_TIMEOUT_MS 10000 /* probe_judge_trial.c says "within 10 seconds" */
#define TRIAL_NAMESPACES                                                                                     \
	(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP)

const char *sz_probe_step_name(enum sz_probe_step step)
{
	static const char *const names[] = {
	    [SZ_STEP_NONE] = "none",
	    [SZ_STEP_SKIPPED] = "not tried",
	    [SZ_STEP_SETUP] = "preparing the trial",
	    [SZ_STEP_FORK] = "fork",
	    [SZ_STEP_UNSHARE_USER] = "unshare(CLONE_NEWUSER)",
	    [SZ_STEP_SETGROUPS] = "write setgroups",
	    [SZ_STEP_GID_MAP] = "write gid_map",
	    [SZ_STEP_UID_MAP] = "write uid_map",
	    [SZ_STEP_UNSHARE] = "unshare(mount, PID, UTS, IPC, net, cgroup)",
	    [SZ_STEP_MOUNT_PRIVATE] = "make / private",
	    [SZ_STEP_FORK_PID1] = "fork PID 1",
	    [SZ_STEP_MOUNT_PROC] = "mount proc",
	    [SZ_STEP_MOUNT_OVERLAY] = "mount overlay",
	    [SZ_STEP_OVERLAY_WRITE] = "write through overlay",
	    [SZ_STEP_LOST] = "child lost",
	};

	if ((unsigned)step >= sizeof(names) / sizeof(names[0]) || names[step] == NULL)
		return "?";
	return names[step];
}

/* ---- the protocol: the child steps in, the parent writes its maps ----- */

struct trial_msg {
	int step;
	int error;
};

static void trial_say(int fd, int step, int error)
{
	struct trial_msg m = {step, error};

	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static __attribute__((noreturn)) void trial_fail(int fd, int step)
{
	trial_say(fd, step, errno);
	_exit(1);
}

/* Fork so that the caller's child is PID 1 of the new PID namespace; the
 * caller itself waits for it and leaves. */
static void trial_enter_pid_ns(int fd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		trial_fail(fd, SZ_STEP_FORK_PID1);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static __attribute__((noreturn)) void trial_child(const struct trial *t, int fd)
{
	int error = 0, step;
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (t->userns) {
		if (unshare(CLONE_NEWUSER) < 0)
			trial_fail(fd, SZ_STEP_UNSHARE_USER);
		trial_say(fd, SZ_STEP_NONE, 0);
		if (recv(fd, &go, 1, 0) != 1)
			_exit(1); /* the parent could not write the maps and said so itself */
	}
	if (t->flags != 0 && unshare(t->flags) < 0)
		trial_fail(fd, SZ_STEP_UNSHARE);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		trial_fail(fd, SZ_STEP_MOUNT_PRIVATE);
	if (t->flags & CLONE_NEWPID)
		trial_enter_pid_ns(fd);
	step = t->body(t->arg, &error);
	trial_say(fd, step, error);
	_exit(0);
}

static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (sz_write_all(fd, text, strlen(text)) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

int probe_set_trial(struct sz_probe_trial *out, enum sz_probe_step step, int error)
{
	out->failed = step;
	out->error = step == SZ_STEP_NONE ? 0 : error;
	return step == SZ_STEP_NONE ? 0 : -1;
}

/* The parent's half of entering a user namespace: deny setgroups, then map. */
static int trial_write_maps(const struct trial *t, pid_t pid, struct sz_probe_trial *out)
{
	char map[64];

	if (write_proc(pid, "setgroups", "deny") < 0)
		return probe_set_trial(out, SZ_STEP_SETGROUPS, errno);
	snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)t->gid);
	if (write_proc(pid, "gid_map", map) < 0)
		return probe_set_trial(out, SZ_STEP_GID_MAP, errno);
	snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)t->uid);
	if (write_proc(pid, "uid_map", map) < 0)
		return probe_set_trial(out, SZ_STEP_UID_MAP, errno);
	return 0;
}

/* One message from the children, or -1 on silence or after the timeout. */
static int trial_recv(int fd, struct trial_msg *m, int *error)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;
	int r;

	do
		r = poll(&pfd, 1, TRIAL_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		*error = r == 0 ? ETIMEDOUT : errno;
		return -1;
	}
	do
		n = recv(fd, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	*error = n < 0 ? errno : 0;
	if (n != (ssize_t)sizeof(*m) || m->step < SZ_STEP_NONE || m->step > SZ_STEP_LOST)
		return -1;
	return 0;
}

static void trial_talk(const struct trial *t, pid_t pid, int fd, struct sz_probe_trial *out)
{
	struct trial_msg m;
	int error = 0;

	if (t->userns) {
		if (trial_recv(fd, &m, &error) < 0) {
			probe_set_trial(out, SZ_STEP_LOST, error);
			return;
		}
		if (m.step != SZ_STEP_NONE) {
			probe_set_trial(out, m.step, m.error);
			return;
		}
		if (trial_write_maps(t, pid, out) < 0)
			return;
		if (send(fd, "g", 1, MSG_NOSIGNAL) != 1) {
			probe_set_trial(out, SZ_STEP_LOST, errno);
			return;
		}
	}
	if (trial_recv(fd, &m, &error) < 0)
		probe_set_trial(out, SZ_STEP_LOST, error);
	else
		probe_set_trial(out, m.step, m.error);
}

void probe_run_trial(const struct trial *t, struct sz_probe_trial *out)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		probe_set_trial(out, SZ_STEP_SETUP, errno);
		return;
	}
	pid = fork();
	if (pid < 0) {
		probe_set_trial(out, SZ_STEP_FORK, errno);
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		trial_child(t, sv[1]);
	}
	close(sv[1]);
	trial_talk(t, pid, sv[0], out);
	close(sv[0]); /* a child still waiting for "go" sees the end and leaves */
	if (out->failed == SZ_STEP_LOST && out->error == ETIMEDOUT)
		kill(pid, SIGKILL); /* its PID 1, if any, dies with it (PDEATHSIG) */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* ---- the namespace trials, on temporary directories ------------------- */

static const char *scratch_dir(const struct sz_probe_options *opts)
{
	const char *dir = opts->scratch_dir;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	return dir;
}

char *probe_make_tmpdir(const char *scratch)
{
	char *dir = sz_asprintf("%s/stanza-probe-XXXXXX", scratch);
	int saved;

	if (mkdtemp(dir) != NULL)
		return dir;
	saved = errno;
	free(dir);
	errno = saved;
	return NULL;
}

/* A fresh proc, mounted by PID 1 of the new PID namespace. */
static int proc_body(const void *arg, int *error)
{
	const char *dir = arg;

	if (mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		*error = errno;
		return SZ_STEP_MOUNT_PROC;
	}
	umount2(dir, MNT_DETACH);
	return SZ_STEP_NONE;
}

/* Namespaces and a fresh /proc; with userns, the rootless sequence first. */
static void probe_namespaces(struct sz_probe_trial *out, bool userns, const struct sz_probe_user *user,
                             const char *scratch)
{
	/* only a mount point: any private directory will do */
	cleanup_free char *dir = probe_make_tmpdir(scratch);
	struct trial t = {
	    .userns = userns,
	    .uid = user->euid,
	    .gid = user->egid,
	    .flags = TRIAL_NAMESPACES,
	    .body = proc_body,
	};

	if (dir == NULL)
		dir = probe_make_tmpdir("/tmp");
	if (dir == NULL) {
		probe_set_trial(out, SZ_STEP_SETUP, errno);
		return;
	}
	t.arg = dir;
	probe_run_trial(&t, out);
	rmdir(dir);
}

void probe_run_trials(struct sz_probe *p, const struct sz_probe_options *opts)
{
	const char *scratch = scratch_dir(opts);

	if (!opts->trials) {
		p->namespaces.failed = p->userns.failed = p->overlay.failed = SZ_STEP_SKIPPED;
		return;
	}
	probe_namespaces(&p->userns, true, &p->user, scratch);
	if (p->user.root)
		probe_namespaces(&p->namespaces, false, &p->user, scratch);
	else
		p->namespaces = p->userns;
	probe_overlay(p, opts->root, scratch);
}
