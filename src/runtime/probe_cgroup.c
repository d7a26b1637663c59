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

/* The user as written in directory names and commands: the name when it
 * is plain, else the uid. */
static char *user_token(const struct sz_probe_user *user)
{
	const char *n = user->name;

	if (n != NULL && *n != '\0' && *n != '-' && strspn(n, PROBE_SHELL_SAFE) == strlen(n))
		return sz_xstrdup(n);
	return sz_asprintf("%lu", (unsigned long)user->euid);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Below the hierarchy's mount (already root-prefixed in the layout). */
static char *controller_base_rel(const struct sz_cgroup_layout *l, enum sz_controller c,
                                 const struct sz_probe_user *user, bool v2)
{
	const char *self;

	if (user->root)
		return sz_xstrdup("");
	if (!v2) {
		cleanup_free char *who = user_token(user);
		cleanup_free char *name = sz_asprintf(SZ_PROBE_V1_DIR_FMT, who);
		cleanup_free char *admin = sz_asprintf("%s/%s", l->mount[c], name);

		if (is_dir(admin))
			return steal_pointer(&name);
	}
	self = v2 ? l->v2_self : l->self[c];
	if (self == NULL)
		self = "";
	while (*self == '/')
		self++;
	return sz_xstrdup(self);
}

static bool v2_controller_enabled(const char *dir, enum sz_controller c)
{
	cleanup_free char *file = sz_asprintf("%s/cgroup.controllers", dir);
	cleanup_free char *text = probe_read_host("", file, NULL);

	return text != NULL &&
	       probe_line_has_word(text, c == SZ_CTRL_CPUACCT ? "cpu" : sz_controller_name(c));
}

/* 0 when this user can make groups in dir; with delegation (v2, not root)
 * dir must also be theirs, with cgroup.procs and cgroup.subtree_control
 * writable. Else the errno that says why (EPERM: someone else's). */
static int writable_error(const char *dir, bool delegation, const struct sz_probe_user *user)
{
	static const char *const files[] = {"cgroup.procs", "cgroup.subtree_control"};
	struct stat st;

	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		return errno;
	if (!delegation)
		return 0;
	if (stat(dir, &st) < 0)
		return errno;
	if (st.st_uid != user->euid)
		return EPERM;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cleanup_free char *file = sz_asprintf("%s/%s", dir, files[i]);
		if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0)
			return errno;
	}
	return 0;
}

static void probe_controller(struct sz_probe_controller *pc, const struct sz_cgroup_layout *l,
                             enum sz_controller c, const struct sz_probe_user *user, const char *root)
{
	bool v2 = sz_cgroup_layout_on_v2(l, c);
	cleanup_free char *dir = NULL;

	memset(pc, 0, sizeof(*pc));
	if (l->mount[c] == NULL) {
		pc->error = ENOENT;
		return;
	}
	pc->mounted = true;
	pc->on_v2 = v2;
	pc->mount = sz_xstrdup(strip_root(l->mount[c], root));
	pc->base_rel = controller_base_rel(l, c, user, v2);
	pc->base =
	    *pc->base_rel != '\0' ? sz_asprintf("%s/%s", pc->mount, pc->base_rel) : sz_xstrdup(pc->mount);
	dir = probe_host_path(root, pc->base);
	pc->enabled = !v2 || v2_controller_enabled(dir, c);
	pc->error = writable_error(dir, v2 && !user->root, user);
	pc->writable = pc->error == 0 && pc->enabled;
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
	char *dirs = NULL, *fix = NULL;

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
		probe_append(&dirs, " %s", quoted);
	}
	if (dirs == NULL)
		return NULL;
	probe_append(&fix, "# %s\n",
	             _("as an administrator, after each boot (cgroup directories do not persist):"));
	probe_append(&fix, "sudo mkdir -p%s && sudo chown -R %s%s\n", dirs, who, dirs);
	free(dirs);
	return fix;
}

static char *fix_v2_systemd(const struct sz_probe_cgroup *cg, const char *who, const char *command)
{
	char *fix = NULL;

	if (!cg->systemd_user) {
		probe_append(
		    &fix, "# %s\n",
		    _("your systemd user instance is not running; an administrator can keep it running:"));
		probe_append(&fix, "sudo loginctl enable-linger %s\n", who);
	}
	if (cg->delegated) {
		/* delegated, yet a controller is missing: systemd hands users only some */
		probe_append(
		    &fix, "# %s\n",
		    _("as an administrator, delegate every controller stanza uses, then log in again:"));
		probe_append(&fix, "sudo mkdir -p /etc/systemd/system/user@.service.d\n");
		probe_append(&fix, "printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | "
		                   "sudo tee /etc/systemd/system/user@.service.d/delegate.conf\n");
		probe_append(&fix, "sudo systemctl daemon-reload\n");
		return fix;
	}
	probe_append(&fix, "# %s\n", _("run stanza in a systemd scope whose cgroup is delegated to you:"));
	probe_append(&fix, "systemd-run --user --scope -p Delegate=yes %s\n", command);
	return fix;
}

/* v2 without systemd: an administrator delegates a subtree and starts stanza in it. */
static char *fix_v2_admin(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user, const char *who,
                          const char *command)
{
	cleanup_free char *dir = sz_asprintf("%s/" SZ_PROBE_V1_DIR_FMT, cg->v2_mount, who);
	cleanup_free char *q = probe_shell_quote(dir);
	cleanup_free char *top = sz_asprintf("%s/cgroup.subtree_control", cg->v2_mount);
	cleanup_free char *qtop = probe_shell_quote(top);
	char *fix = NULL;

	probe_append(&fix, "# %s\n", _("as an administrator, delegate a cgroup to this user:"));
	probe_append(&fix, "sudo mkdir -p %s\n", q);
	probe_append(&fix, "echo '+memory +pids +cpu' | sudo tee %s\n", qtop);
	probe_append(&fix, "sudo chown %s %s %s/cgroup.procs %s/cgroup.subtree_control %s/cgroup.threads\n",
	             who, q, q, q, q);
	probe_append(&fix, "# %s\n",
	             _("then start stanza inside it (moving a process there needs the administrator):"));
	probe_append(
	    &fix,
	    "sudo sh -c 'echo $$ > %s/cgroup.procs && exec setpriv --reuid=%lu --regid=%lu --init-groups "
	    "%s'\n",
	    dir, (unsigned long)user->euid, (unsigned long)user->egid, command);
	return fix;
}

static char *cgroup_fix(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                        const char *command)
{
	cleanup_free char *who = user_token(user);
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
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		probe_controller(&cg->ctrl[c], &layout, c, user, opts->root);
	if (cg->mode == SZ_CGROUP_V2 && !user->root) {
		cleanup_free char *dir =
		    sz_asprintf("%s/%s", layout.v2_mount, layout.v2_self != NULL ? layout.v2_self : "");
		cg->delegated = writable_error(dir, true, user) == 0;
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
