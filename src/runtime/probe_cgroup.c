/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_cgroup.c - the host probe's cgroups: where this user may make groups, and how to get there */
#include "runtime/probe_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

/* ---- where this user may make groups ---------------------------------- */

static const char *strip_root(const char *path, const char *root)
{
	size_t n = strlen(root);

	return n > 0 && strncmp(path, root, n) == 0 ? path + n : path;
}

/* Controller c as the runtime will use it: base and why from
 * sz_cgroup_user_bases (why's looked is taken). */
static void probe_controller(struct sz_probe_controller *pc, const struct sz_cgroup_layout *l,
                             enum sz_controller c, const char *base, struct sz_cgroup_place *place,
                             const char *root)
{
	struct sz_cgroup_place why = *place;

	memset(place, 0, sizeof(*place));
	memset(pc, 0, sizeof(*pc));
	if (l->mount[c] == NULL) {
		free(why.looked);
		pc->error = ENOENT;
		return;
	}
	pc->mounted = true;
	pc->on_v2 = sz_cgroup_layout_on_v2(l, c);
	pc->mount = sz_xstrdup(strip_root(l->mount[c], root));
	pc->base_rel = steal_pointer(&why.looked);
	pc->base =
	    *pc->base_rel != '\0' ? sz_asprintf("%s/%s", pc->mount, pc->base_rel) : sz_xstrdup(pc->mount);
	pc->enabled = why.enabled || why.error != 0;
	pc->error = why.error;
	pc->writable = base != NULL;
}

static void probe_controllers(struct sz_probe_cgroup *cg, const struct sz_cgroup_layout *l,
                              const struct sz_probe_user *user, const char *root)
{
	cleanup_free char *token = sz_cgroup_user_token(user->name, user->euid);
	struct sz_cgroup_user cu = {.root = user->root, .euid = user->euid, .token = token};
	struct sz_cgroup_place why[SZ_CTRL_COUNT];
	char *base[SZ_CTRL_COUNT];

	sz_cgroup_user_bases(l, &cu, base, why);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		probe_controller(&cg->ctrl[c], l, c, base[c], &why[c], root);
		free(base[c]);
	}
}

bool probe_controller_refused(const struct sz_probe_controller *pc)
{
	return pc->mounted && !pc->writable;
}

/* ---- the fix: shell lines that make refused controllers writable ------ */

/* v1 and hybrid: an administrator makes stanza-<user> in each hierarchy
 * that refuses, once per hierarchy (cpu and cpuacct may share one). */
static char *fix_v1(const struct sz_probe_cgroup *cg, const char *who)
{
	cleanup_buf struct sz_buf dirs = SZ_BUF_INIT;
	struct sz_buf fix = SZ_BUF_INIT;

	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		bool seen = false;
		cleanup_free char *dir = NULL;
		cleanup_free char *quoted = NULL;

		for (int d = 0; d < c; d++)
			seen |= probe_controller_refused(&cg->ctrl[d]) &&
			        strcmp(cg->ctrl[d].mount, cg->ctrl[c].mount) == 0;
		/* in a hybrid, a controller on cgroup2 cannot be handed over this way */
		if (!probe_controller_refused(&cg->ctrl[c]) || seen || cg->ctrl[c].on_v2)
			continue;
		dir = sz_asprintf("%s/" SZ_PROBE_V1_DIR_FMT, cg->ctrl[c].mount, who);
		quoted = probe_shell_quote(dir);
		sz_buf_addf(&dirs, " %s", quoted);
	}
	if (dirs.len == 0)
		return NULL;
	sz_buf_addf(&fix, "# %s\n",
	            _("as an administrator, after each boot (cgroup directories do not persist):"));
	sz_buf_addf(&fix, "sudo mkdir -p%s && sudo chown -R %s%s\n", dirs.buf, who, dirs.buf);
	return sz_buf_detach(&fix, NULL);
}

static char *fix_v2_systemd(const struct sz_probe_cgroup *cg, const char *who, const char *command)
{
	struct sz_buf fix = SZ_BUF_INIT;

	if (!cg->systemd_user) {
		sz_buf_addf(
		    &fix, "# %s\n",
		    _("your systemd user instance is not running; an administrator can keep it running:"));
		sz_buf_addf(&fix, "sudo loginctl enable-linger %s\n", who);
	}
	if (cg->delegated) {
		/* delegated, yet a controller is missing: systemd hands users only some */
		sz_buf_addf(
		    &fix, "# %s\n",
		    _("as an administrator, delegate every controller stanza uses, then log in again:"));
		sz_buf_adds(&fix, "sudo mkdir -p /etc/systemd/system/user@.service.d\n");
		sz_buf_adds(&fix, "printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | "
		                  "sudo tee /etc/systemd/system/user@.service.d/delegate.conf\n");
		sz_buf_adds(&fix, "sudo systemctl daemon-reload\n");
		return sz_buf_detach(&fix, NULL);
	}
	sz_buf_addf(&fix, "# %s\n", _("run stanza in a systemd scope whose cgroup is delegated to you:"));
	sz_buf_addf(&fix, "systemd-run --user --scope -p Delegate=yes %s\n", command);
	return sz_buf_detach(&fix, NULL);
}

/* v2 without systemd: an administrator delegates a subtree and starts stanza in it. */
static char *fix_v2_admin(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user, const char *who,
                          const char *command)
{
	cleanup_free char *dir = sz_asprintf("%s/" SZ_PROBE_V1_DIR_FMT, cg->v2_mount, who);
	cleanup_free char *q = probe_shell_quote(dir);
	cleanup_free char *top = sz_asprintf("%s/cgroup.subtree_control", cg->v2_mount);
	cleanup_free char *qtop = probe_shell_quote(top);
	struct sz_buf fix = SZ_BUF_INIT;

	sz_buf_addf(&fix, "# %s\n", _("as an administrator, delegate a cgroup to this user:"));
	sz_buf_addf(&fix, "sudo mkdir -p %s\n", q);
	sz_buf_addf(&fix, "echo '+memory +pids +cpu' | sudo tee %s\n", qtop);
	sz_buf_addf(&fix, "sudo chown %s %s %s/cgroup.procs %s/cgroup.subtree_control %s/cgroup.threads\n",
	            who, q, q, q, q);
	sz_buf_addf(&fix, "# %s\n",
	            _("then start stanza inside it (moving a process there needs the administrator):"));
	sz_buf_addf(
	    &fix,
	    "sudo sh -c 'echo $$ > %s/cgroup.procs && exec setpriv --reuid=%lu --regid=%lu --init-groups "
	    "%s'\n",
	    dir, (unsigned long)user->euid, (unsigned long)user->egid, command);
	return sz_buf_detach(&fix, NULL);
}

static char *cgroup_fix(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                        const char *command)
{
	cleanup_free char *who = sz_cgroup_user_token(user->name, user->euid);
	bool any = false;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		any |= probe_controller_refused(&cg->ctrl[c]);
	if (user->root || !any)
		return NULL;
	if (cg->mode == SZ_CGROUP_V2)
		return cg->systemd ? fix_v2_systemd(cg, who, command) : fix_v2_admin(cg, user, who, command);
	return fix_v1(cg, who);
}

/* ---- the cgroup fact -------------------------------------------------- */

static bool systemd_user_running(const struct sz_probe_user *user, const char *root)
{
	cleanup_free char *sock = sz_asprintf("/run/user/%lu/systemd/private", (unsigned long)user->euid);

	return probe_host_exists(root, sock);
}

int sz_probe_cgroup(struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                    const struct sz_probe_options *opts, sz_error_t *err)
{
	struct sz_cgroup_layout layout;
	cleanup_free char *mountinfo = probe_host_path(opts->root, "/proc/self/mountinfo");
	cleanup_free char *self = probe_host_path(opts->root, "/proc/self/cgroup");
	cleanup_free char *memsw = NULL;

	memset(cg, 0, sizeof(*cg));
	if (sz_cgroup_layout_load(&layout, mountinfo, self, opts->root, err) < 0)
		return sz_error_wrap(err, _("cannot find the cgroup hierarchies"));
	cg->mode = layout.mode;
	cg->v2_mount = layout.v2_mount != NULL ? sz_xstrdup(strip_root(layout.v2_mount, opts->root)) : NULL;
	probe_controllers(cg, &layout, user, opts->root);
	if (cg->mode == SZ_CGROUP_V2 && !user->root) {
		cleanup_free char *delegated = sz_cgroup_v2_delegated(&layout, user->euid);
		cg->delegated = delegated != NULL;
	}
	cg->systemd = probe_host_exists(opts->root, "/run/systemd/system");
	cg->systemd_user = systemd_user_running(user, opts->root);
	if (layout.mount[SZ_CTRL_MEMORY] != NULL && !sz_cgroup_layout_on_v2(&layout, SZ_CTRL_MEMORY)) {
		memsw = sz_asprintf("%s/memory.memsw.limit_in_bytes", layout.mount[SZ_CTRL_MEMORY]);
		cg->memsw = access(memsw, F_OK) == 0;
	}
	cg->fix = cgroup_fix(cg, user, opts->command);
	sz_cgroup_layout_release(&layout);
	return 0;
}

void sz_probe_cgroup_release(struct sz_probe_cgroup *cg)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		free(cg->ctrl[c].mount);
		free(cg->ctrl[c].base);
		free(cg->ctrl[c].base_rel);
	}
	free(cg->v2_mount);
	free(cg->fix);
	memset(cg, 0, sizeof(*cg));
}
