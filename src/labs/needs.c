/* SPDX-License-Identifier: GPL-3.0-or-later */
/* needs.c - what a lab needs from the host against the host probe: a sentence saying why it cannot run */
#include <dirent.h>
#include <fcntl.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/engine.h"

/* The finding's sentence, and what fixes it when the probe knows. */
static char *from_finding(const struct sz_probe *probe, const char *need, const char *finding)
{
	const struct sz_probe_finding *f = sz_probe_find(probe, finding);

	if (f == NULL || f->status != SZ_PROBE_MISSING)
		return NULL;
	/* TRANSLATORS: "needs cgroup-memory: this host has no such controller" */
	return sz_asprintf(_("needs %s: %s"), need, f->detail);
}

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	const char *dir = path != NULL ? path : "/usr/bin:/bin";

	for (;;) {
		size_t len = strcspn(dir, ":");
		cleanup_free char *full = sz_asprintf("%.*s/%s", (int)len, dir, prog);

		if (len > 0 && access(full, X_OK) == 0)
			return true;
		if (dir[len] == '\0')
			return false;
		dir += len + 1;
	}
}

/* $STANZA_QEMU_KERNEL, else a /boot/vmlinuz-* this user can read. */
static bool have_guest_kernel(void)
{
	const char *env = getenv("STANZA_QEMU_KERNEL");
	glob_t g;
	bool found = false;

	if (env != NULL && *env != '\0')
		return access(env, R_OK) == 0;
	if (glob("/boot/vmlinuz*", 0, NULL, &g) != 0)
		return false;
	for (size_t i = 0; i < g.gl_pathc && !found; i++)
		found = access(g.gl_pathv[i], R_OK) == 0;
	globfree(&g);
	return found;
}

static char *need_qemu(void)
{
	if (!in_path("qemu-system-x86_64"))
		return sz_xstrdup(
		    _("needs qemu: qemu-system-x86_64 is not installed (Debian: apt-get install "
		      "qemu-system-x86)"));
	if (!have_guest_kernel())
		return sz_xstrdup(
		    _("needs qemu: no kernel for the guest (set STANZA_QEMU_KERNEL to a vmlinuz, or "
		      "install linux-image-amd64)"));
	return NULL;
}

static char *need_tty(void)
{
	int fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return NULL;
	}
	return sz_xstrdup(_("needs tty: this host gives no pseudo-terminals (/dev/ptmx)"));
}

static char *need_cgroup(const struct sz_probe *probe, const char *need, const char *finding)
{
	char *why = from_finding(probe, need, finding);

	if (why == NULL && probe->cgroup.mode == SZ_CGROUP_NONE)
		why = sz_asprintf(_("needs %s: no cgroup file system is mounted"), need);
	return why;
}

static char *need_one(const struct sz_probe *probe, unsigned need)
{
	const char *name = sz_lab_need_name(need);

	switch (need) {
	case SZ_NEED_ROOT:
		return probe->user.root
		           ? NULL
		           : sz_asprintf(_("needs root: you are %s (run it with sudo)"), probe->user.name);
	case SZ_NEED_ROOTLESS:
		return !probe->user.root
		           ? NULL
		           : sz_xstrdup(_("needs rootless: run it as an ordinary user, not as root"));
	case SZ_NEED_USERNS: return from_finding(probe, name, "userns");
	case SZ_NEED_OVERLAY: return from_finding(probe, name, "overlay");
	case SZ_NEED_CGROUP_MEMORY: return need_cgroup(probe, name, "cgroup.memory");
	case SZ_NEED_CGROUP_PIDS: return need_cgroup(probe, name, "cgroup.pids");
	case SZ_NEED_CGROUP_CPU: return need_cgroup(probe, name, "cgroup.cpu");
	case SZ_NEED_QEMU: return need_qemu();
	case SZ_NEED_TTY: return need_tty();
	}
	return NULL;
}

/* Why no container at all can run: the first finding that forbids it. */
static char *cannot_run(const struct sz_probe *probe)
{
	static const char *const blockers[] = {"namespaces", "userns", "seccomp", "image"};

	if (sz_probe_can_run(probe))
		return NULL;
	for (size_t i = 0; i < sizeof(blockers) / sizeof(blockers[0]); i++) {
		const struct sz_probe_finding *f = sz_probe_find(probe, blockers[i]);

		if (probe->user.root && strcmp(blockers[i], "userns") == 0)
			continue; /* root runs containers without one */
		if (f != NULL && f->status == SZ_PROBE_MISSING)
			/* TRANSLATORS: "this host cannot run containers: <why> (see 'stanza doctor')" */
			return sz_asprintf(_("this host cannot run containers: %s (see 'stanza doctor')"),
			                   f->detail);
	}
	return sz_xstrdup(_("this host cannot run containers (see 'stanza doctor')"));
}

/* A limit the lab sets needs its controller even when `needs` forgets it:
 * the need the runtime's table names for it. */
static unsigned implied_needs(const struct sz_lab *lab)
{
	unsigned needs = lab->needs;

	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		if (sz_cgroup_limit_value(&lab->container.limits, i) == 0)
			continue;
		for (int n = 0; n < SZ_NEED_COUNT; n++)
			if (strcmp(sz_lab_need_name(1u << n), sz_cgroup_limit_table[i].need) == 0)
				needs |= 1u << n;
	}
	return needs;
}

char *sz_lab_skip_reason(const struct sz_lab *lab, const struct sz_probe *probe)
{
	unsigned needs = implied_needs(lab);
	char *why = cannot_run(probe);

	for (int i = 0; why == NULL && i < SZ_NEED_COUNT; i++)
		if (needs & (1u << i))
			why = need_one(probe, 1u << i);
	return why;
}
