/* SPDX-License-Identifier: GPL-3.0-or-later */
/* child.c - the container's first process, from clone to execve */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct sz_identity {
	uid_t uid;
	gid_t gid;
	gid_t groups[64];
	size_t n_groups;
	char home[256];
};

__attribute__((noreturn)) static void child_fail(struct sz_container *c, sz_error_t *err)
{
	sz_msg_send(c->sync_fd, SZ_MSG_ERROR, 0, sz_error_msg(*err), -1);
	_exit(125);
}

static int wait_for_go(struct sz_container *c, sz_error_t *err)
{
	struct sz_msg msg;
	ssize_t n;

	do
		n = recv(c->sync_fd, &msg, sizeof(msg), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(msg) || msg.type != SZ_MSG_GO)
		return sz_error_make(err, n < 0 ? errno : 0, "stanza went away during setup");
	return 0;
}

static int bring_up_loopback(struct sz_container *c, sz_error_t *err)
{
	struct ifreq ifr = {0};
	cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open a socket to configure 'lo'"));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return sz_error_make(err, errno, _("cannot read the flags of 'lo'"));
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return sz_error_make(err, errno, _("cannot bring 'lo' up"));
	sz_trace(c, "net: own network namespace, lo up");
	return 0;
}

/* Join the namespace at path (of type nstype) instead of making one. */
static int join_namespace(struct sz_container *c, const char *path, int nstype, sz_error_t *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open the namespace '%s'"), path);
	if (setns(fd, nstype) < 0)
		return sz_error_make(err, errno, _("cannot join the namespace '%s'"), path);
	sz_trace(c, "setns: %s", path);
	return 0;
}

static int enter_namespaces(struct sz_container *c, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;
	int flags = (CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP) & ~spec->keep_ns;
	const char *hostname = spec->hostname ? spec->hostname : "stanza";

	if ((spec->net_path != NULL && join_namespace(c, spec->net_path, CLONE_NEWNET, err) < 0) ||
	    (spec->ipc_path != NULL && join_namespace(c, spec->ipc_path, CLONE_NEWIPC, err) < 0) ||
	    (spec->uts_path != NULL && join_namespace(c, spec->uts_path, CLONE_NEWUTS, err) < 0))
		return -1;
	if (spec->ipc_path != NULL)
		flags &= ~CLONE_NEWIPC;
	if (spec->uts_path != NULL)
		flags &= ~CLONE_NEWUTS;
	if (spec->net == SZ_NET_NONE && spec->net_path == NULL)
		flags |= CLONE_NEWNET;
	if (unshare(flags) < 0)
		return sz_error_make(err, errno, _("cannot create the container's namespaces"));
	sz_trace(c, "unshare: CLONE_NEWNS%s%s%s%s", flags & CLONE_NEWUTS ? "|CLONE_NEWUTS" : "",
	         flags & CLONE_NEWIPC ? "|CLONE_NEWIPC" : "",
	         flags & CLONE_NEWCGROUP ? "|CLONE_NEWCGROUP" : "",
	         flags & CLONE_NEWNET ? "|CLONE_NEWNET" : "");
	/* A uts namespace joined keeps its name unless one is given. */
	if (((flags & CLONE_NEWUTS) && spec->uts_path == NULL) ||
	    (spec->uts_path != NULL && spec->hostname != NULL)) {
		if (spec->keep_hostname && spec->hostname == NULL)
			; /* the new namespace keeps the name it was made with */
		else if (sethostname(hostname, strlen(hostname)) < 0)
			return sz_error_make(err, errno, _("cannot set the host name '%s'"), hostname);
		else
			sz_trace(c, "uts: hostname %s", hostname);
	}
	/* A network namespace joined by path is set up by whoever made it. */
	if (flags & CLONE_NEWNET)
		return bring_up_loopback(c, err);
	return 0;
}

/* Find "name" or "uid" in the container's /etc/passwd (never the host's). */
static bool passwd_lookup(const char *user, struct sz_identity *id)
{
	cleanup_file FILE *f = fopen("/etc/passwd", "re");
	char line[512];

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char *fields[7] = {0};
		char *p = line;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		while (n < 7 && p != NULL) {
			fields[n++] = p;
			p = strchr(p, ':');
			if (p != NULL)
				*p++ = '\0';
		}
		if (n < 6 || (strcmp(fields[0], user) != 0 && strcmp(fields[2], user) != 0))
			continue;
		id->uid = (uid_t)strtoul(fields[2], NULL, 10);
		id->gid = (gid_t)strtoul(fields[3], NULL, 10);
		snprintf(id->home, sizeof(id->home), "%s", fields[5]);
		return true;
	}
	return false;
}

/* Supplementary groups of `name` from the container's /etc/group. */
static void group_lookup(const char *name, struct sz_identity *id)
{
	cleanup_file FILE *f = fopen("/etc/group", "re");
	char line[1024];

	while (f != NULL && fgets(line, sizeof(line), f) != NULL && id->n_groups < 64) {
		char *members = strrchr(line, ':');
		char *gidf;
		char *m;

		line[strcspn(line, "\n")] = '\0';
		gidf = strchr(line, ':') ? strchr(strchr(line, ':') + 1, ':') : NULL;
		if (members == NULL || gidf == NULL)
			continue;
		for (m = members + 1; *m != '\0';) {
			size_t len = strcspn(m, ",");
			if (len == strlen(name) && strncmp(m, name, len) == 0)
				id->groups[id->n_groups++] = (gid_t)strtoul(gidf + 1, NULL, 10);
			m += len + (m[len] == ',');
		}
	}
}

static int resolve_user(const struct sz_spec *spec, struct sz_identity *id, sz_error_t *err)
{
	const char *spec_user = spec->user;
	bool groups_set = spec->groups_set;
	char user[256];
	char *colon;

	*id = (struct sz_identity){.uid = 0, .gid = 0, .home = "/root"};
	for (size_t i = 0; groups_set && i < spec->n_groups && id->n_groups < 64; i++)
		id->groups[id->n_groups++] = spec->groups[i];
	if (spec_user == NULL)
		return 0;
	snprintf(user, sizeof(user), "%s", spec_user);
	colon = strchr(user, ':');
	if (colon != NULL)
		*colon = '\0';
	if (passwd_lookup(user, id)) {
		if (!groups_set)
			group_lookup(user, id);
	} else if (user[strspn(user, "0123456789")] == '\0' && user[0] != '\0') {
		id->uid = (uid_t)strtoul(user, NULL, 10);
		id->gid = id->uid;
		snprintf(id->home, sizeof(id->home), "/");
	} else {
		return sz_error_make(err, 0, _("user '%s' is not in the container's /etc/passwd"), user);
	}
	if (colon != NULL)
		id->gid = (gid_t)strtoul(colon + 1, NULL, 10);
	return 0;
}

static int switch_user(struct sz_container *c, const struct sz_identity *id, sz_error_t *err)
{
	if (setgroups(id->n_groups, id->groups) < 0 && !(c->rootless && errno == EPERM))
		return sz_error_make(err, errno, _("cannot set supplementary groups"));
	if (setresgid(id->gid, id->gid, id->gid) < 0)
		return sz_error_make(err, errno, _("cannot switch to group %u"), (unsigned)id->gid);
	if (setresuid(id->uid, id->uid, id->uid) < 0)
		return sz_error_make(err, errno, _("cannot switch to user %u"), (unsigned)id->uid);
	sz_trace(c, "user: uid %u gid %u", (unsigned)id->uid, (unsigned)id->gid);
	return 0;
}

static int enter_workdir(struct sz_container *c, sz_error_t *err)
{
	const char *wd = c->spec->workdir ? c->spec->workdir : "/";

	if (chdir(wd) == 0)
		return 0;
	/* A fresh run makes a missing working directory, as docker run does; an
	 * exec does not, as docker exec does not. */
	if (errno == ENOENT && !c->joining && sz_mkdir_p(wd, 0755, err) == 0 && chdir(wd) == 0)
		return 0;
	sz_error_release(err);
	return sz_error_make(err, errno, _("cannot enter the working directory '%s'"), wd);
}

/* Before the command reads its terminal's settings (ash chooses between
 * line editing and plain reads by them): no echo, no \r\n. */
static int quiet_tty(int fd)
{
	struct termios t;

	if (tcgetattr(fd, &t) < 0)
		return -1;
	t.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL | ECHOCTL | ECHOKE);
	t.c_oflag &= ~(tcflag_t)OPOST;
	return tcsetattr(fd, TCSANOW, &t);
}

/* A pty from the container's own devpts: the master goes to stanza, the
 * slave becomes the controlling terminal and stdio of the command. */
static int setup_tty(struct sz_container *c, sz_error_t *err)
{
	cleanup_close int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int unlock = 0;
	int slave;

	if (master < 0)
		return sz_error_make(err, errno, _("cannot open '/dev/ptmx' in the container"));
	if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
		return sz_error_make(err, errno, _("cannot unlock the pseudo-terminal"));
	slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (slave < 0)
		return sz_error_make(err, errno, _("cannot open the pseudo-terminal"));
	if (sz_msg_send(c->sync_fd, SZ_MSG_PTY, 0, NULL, master) < 0)
		return sz_error_make(err, errno, _("cannot pass the pseudo-terminal to stanza"));
	if (c->tty_noecho && quiet_tty(slave) < 0)
		return sz_error_make(err, errno, _("cannot set up the pseudo-terminal"));
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
		return sz_error_make(err, errno,
		                     _("cannot make the pseudo-terminal the controlling terminal"));
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return sz_error_make(err, errno, _("cannot attach the pseudo-terminal"));
	if (slave > 2)
		close(slave);
	if (c->spec->trace_fd >= 0) {
		unsigned int n = 0;
		ioctl(master, TIOCGPTN, &n);
		sz_trace(c, "tty: /dev/pts/%u from the container's own devpts", n);
	}
	return 0;
}

static int setup_stdio(struct sz_container *c, sz_error_t *err)
{
	const int *io = c->spec->stdio;

	if (c->spec->tty)
		return setup_tty(c, err);
	for (int i = 0; i < 3; i++)
		if (io[i] >= 0 && io[i] != i && dup2(io[i], i) < 0)
			return sz_error_make(err, errno, _("cannot set up standard file descriptors"));
	if (setsid() < 0)
		return sz_error_make(err, errno, "setsid");
	return 0;
}

static char **build_env(const struct sz_container *c, const struct sz_identity *id)
{
	char *const *extra = c->spec->env;
	size_t n = 0, cap = 8;
	char **env;

	while (extra != NULL && extra[n] != NULL)
		n++;
	cap += n;
	env = sz_xcalloc(cap, sizeof(char *));
	n = 0;
	/* An OCI process.env is the whole environment, but for HOME (runc adds
	 * it from the user's entry when it is missing). */
	if (!c->spec->exact_env)
		env[n++] = sz_xstrdup("PATH=" DEFAULT_PATH);
	env[n++] = sz_asprintf("HOME=%s", id->home);
	if (!c->spec->exact_env)
		env[n++] = sz_asprintf("HOSTNAME=%s", c->spec->hostname ? c->spec->hostname : "stanza");
	if (c->spec->tty && !c->spec->exact_env)
		env[n++] = sz_asprintf("TERM=%s", getenv("TERM") ? getenv("TERM") : "xterm");
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
		size_t key = strcspn(extra[i], "=");
		size_t j;
		for (j = 0; j < n; j++)
			if (strncmp(env[j], extra[i], key + 1) == 0)
				break;
		if (j < n)
			free(env[j]);
		env[j] = sz_xstrdup(extra[i]);
		if (j == n)
			n++;
	}
	return env;
}

/* stanza-init from its sealed copy, as PID 1 with the command its child
 * (spec->init), else only to execute the command in its place: the process
 * that executes the command is then never stanza's binary (see
 * tools/init/stanza-init.c). It looks the command up in env's PATH. Its
 * descriptor is close-on-exec, which a static binary does not mind; the
 * socket is not, so that stanza-init can say why the command did not run. */
static int exec_through_init(const struct sz_container *c, char **env)
{
	bool as_init = c->spec->init && !c->joining;
	char **argv = sz_init_argv(c->spec->argv, as_init ? -1 : c->sync_fd);

	if (!as_init && fcntl(c->sync_fd, F_SETFD, 0) < 0)
		return errno;
	fexecve(c->init_fd, argv, env);
	free(argv);
	return errno;
}

static void reset_signals(void)
{
	sigset_t none;

	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static int load_filter(struct sz_container *c, sz_error_t *err)
{
	if (c->spec->no_seccomp) {
		sz_trace(c, "seccomp: none (the config has no linux.seccomp)");
		return 0;
	}
	if (c->seccomp_fd >= 0)
		return sz_apply_seccomp(c, c->seccomp_fd, err);
	return sz_load_seccomp(c, err);
}

static int set_rlimits(const struct sz_container *c, sz_error_t *err)
{
	for (size_t i = 0; i < c->spec->n_rlimits; i++) {
		const struct sz_rlimit *r = &c->spec->rlimits[i];
		struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard};

		if (setrlimit(r->resource, &rl) < 0)
			return sz_error_make(err, errno, _("cannot set resource limit %d to %llu/%llu"),
			                     r->resource, (unsigned long long)r->soft,
			                     (unsigned long long)r->hard);
		sz_trace(c, "rlimit: %d soft %llu hard %llu", r->resource, (unsigned long long)r->soft,
		         (unsigned long long)r->hard);
	}
	return 0;
}

static int finish_setup(struct sz_container *c, const struct sz_identity *id, sz_error_t *err)
{
	if (c->rootless && (id->uid != 0 || id->gid != 0))
		return sz_error_make(err, 0,
		                     _("--user %s: without root on the host the container has one user, root "
		                       "(you, mapped); other users need stanza run as root"),
		                     c->spec->user);
	if (enter_workdir(c, err) < 0 || set_rlimits(c, err) < 0)
		return -1;
	/* An exec's helper set it while it could (it is not dumpable now). */
	if (c->spec->oom_set && !c->joining) {
		char v[16];
		snprintf(v, sizeof(v), "%d", c->spec->oom_score_adj);
		if (sz_write_file_at(AT_FDCWD, "/proc/self/oom_score_adj", v, strlen(v), err) < 0)
			return sz_error_wrap(err, _("cannot set oom_score_adj to %d"),
			                     c->spec->oom_score_adj);
		sz_trace(c, "oom_score_adj: %d", c->spec->oom_score_adj);
	}
	if (c->spec->umask_set) {
		umask((mode_t)c->spec->umask);
		sz_trace(c, "umask: %04o", c->spec->umask);
	}
	/* Without no_new_privs, only CAP_SYS_ADMIN lets a process load a
	 * filter: load it while the capabilities are still there (as runc). */
	if (c->spec->no_nnp && load_filter(c, err) < 0)
		return -1;
	if (sz_drop_capabilities(c, false, err) < 0 || switch_user(c, id, err) < 0)
		return -1;
	if (id->uid == 0 && sz_drop_capabilities(c, true, err) < 0)
		return -1;
	if (!c->spec->no_nnp) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			return sz_error_make(err, errno, "PR_SET_NO_NEW_PRIVS");
		sz_trace(c, "no_new_privs: set");
	} else {
		sz_trace(c, "no_new_privs: not set (the config's noNewPrivileges is false)");
	}
	/* Credentials changed, which clears the parent-death signal: set it
	 * again (a detached container outlives its stanza). */
	if (!c->spec->detached && prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return sz_error_make(err, errno, "PR_SET_PDEATHSIG");
	return c->spec->no_nnp ? 0 : load_filter(c, err);
}

/* From a set-up process to the command: the same last steps for a fresh
 * run's PID 1 and for an exec. */
__attribute__((noreturn)) static void exec_into_command(struct sz_container *c, const struct sz_identity *id)
{
	char **env = build_env(c, id);
	int code;

	sz_trace(c, "exec: %s%s", c->spec->init && !c->joining ? "stanza-init -- " : "", c->spec->argv[0]);
	/* Fails only when stanza is gone (a death signal set too late would miss
	 * it); a detached container's stanza is gone by design. */
	if (sz_msg_send(c->sync_fd, SZ_MSG_EXEC, 0, NULL, -1) < 0 && !c->spec->detached)
		_exit(125);
	reset_signals();
	syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC);
	code = exec_through_init(c, env);
	sz_msg_send(c->sync_fd, SZ_MSG_EXEC_ERROR, code, c->spec->argv[0], -1);
	_exit(code == ENOENT ? 127 : 126);
}

/* A detached container's PID 1, set up: say so, then block until `start`
 * opens the fifo for reading (as runc init does). The fifo is outside the
 * new root: it is reached through the descriptor opened before pivot_root. */
static void stop_waiting(int sig)
{
	_exit(128 + sig);
}

static void wait_for_start(struct sz_container *c)
{
	static const int stops[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT};
	struct sigaction sa = {.sa_handler = stop_waiting};
	sigset_t set;
	char path[64];
	int fd;

	/* As its namespace's PID 1 it gets only the signals it handles: a
	 * created container that is killed before start ends (runc's Go init
	 * does the same). They were held back while stanza made it. */
	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		sigaction(stops[i], &sa, NULL);
		sigaddset(&set, stops[i]);
	}
	sigprocmask(SIG_UNBLOCK, &set, NULL);

	if (sz_msg_send(c->sync_fd, SZ_MSG_READY, 0, NULL, -1) < 0)
		_exit(125);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", c->fifo_fd);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0 || write(fd, "0", 1) != 1)
		_exit(125);
	close(fd);
	close(c->fifo_fd);
}

void sz_child_main(struct sz_container *c)
{
	sz_error_t err = NULL;
	struct sz_identity id;

	if (!c->spec->detached)
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (wait_for_go(c, &err) < 0)
		_exit(125);
	if (c->spec->detached) {
		cleanup_free char *fifo = NULL;
		/* The lock is the stanza's that makes the container, not its own. */
		if (c->lock_fd >= 0)
			close(c->lock_fd);
		fifo = sz_asprintf("%s/%s", c->state_dir, SZ_EXEC_FIFO);
		c->fifo_fd = open(fifo, O_PATH | O_CLOEXEC);
		if (c->fifo_fd < 0)
			sz_error_make(&err, errno, _("cannot open '%s'"), fifo);
	}
	if (err != NULL || enter_namespaces(c, &err) < 0 || sz_setup_rootfs(c, &err) < 0 ||
	    setup_stdio(c, &err) < 0)
		child_fail(c, &err);
	if (resolve_user(c->spec, &id, &err) < 0 || finish_setup(c, &id, &err) < 0)
		child_fail(c, &err);
	if (c->spec->detached)
		wait_for_start(c);
	exec_into_command(c, &id);
}

/* An exec's process, forked by the helper inside every namespace of the
 * container and in its cgroup, still non-dumpable and with all of stanza's
 * privileges: from here on it is set up exactly like a fresh run's command
 * (the user from the container's /etc/passwd, its pty, capabilities,
 * no_new_privs, the same seccomp filter, descriptors closed on execve). */
void sz_child_exec_main(struct sz_container *c)
{
	sz_error_t err = NULL;
	struct sz_identity id;

	/* Its parent is stanza (CLONE_PARENT): the helper's exit does not fire
	 * this. An exec --detach outlives its stanza. */
	if (!c->spec->detached)
		prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (chdir("/") < 0)
		sz_error_make(&err, errno, _("cannot enter the new root"));
	if (err != NULL || setup_stdio(c, &err) < 0)
		child_fail(c, &err);
	if (resolve_user(c->spec, &id, &err) < 0 || finish_setup(c, &id, &err) < 0)
		child_fail(c, &err);
	exec_into_command(c, &id);
}
