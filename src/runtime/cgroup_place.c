/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_place.c - where a user's containers go in the cgroup tree: the root for root, a delegated subtree
 * otherwise */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"
#include "runtime/probe.h"

/*
 * root:           every controller at its hierarchy's root.
 * rootless, v1:   <mount>/stanza-<user>, a directory an administrator made
 *                 and gave to the user (stanza doctor prints the commands).
 * rootless, v2:   the highest ancestor of stanza's own cgroup that is
 *                 delegated to the user (owned by them, cgroup.procs and
 *                 cgroup.subtree_control writable): a systemd scope with
 *                 Delegate=yes, or an administrator's subtree. stanza first
 *                 moves itself into a leaf of its own there, stanza-self-<pid>,
 *                 because v2 allows processes only in leaves once controllers
 *                 are enabled for children, and moving a process needs write
 *                 access to the common ancestor of where it is and where it goes.
 */

/* 0 when this user may make groups in dir (an absolute path); with
 * delegation (v2, not root) dir must also be theirs, with cgroup.procs and
 * cgroup.subtree_control writable. Else the errno that says why (EPERM:
 * someone else's). */
static int writable_error(const char *dir, bool delegation, uid_t euid)
{
	static const char *const files[] = {"cgroup.procs", "cgroup.subtree_control"};
	struct stat st;

	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		return errno;
	if (!delegation)
		return 0;
	if (stat(dir, &st) < 0)
		return errno;
	if (st.st_uid != euid)
		return EPERM;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cleanup_free char *file = sz_asprintf("%s/%s", dir, files[i]);
		if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0)
			return errno;
	}
	return 0;
}

char *sz_cgroup_v2_delegated(const struct sz_cgroup_layout *layout, uid_t euid)
{
	cleanup_free char *cur = NULL;
	char *best = NULL;

	if (layout->v2_mount == NULL)
		return NULL;
	cur = sz_xstrdup(layout->v2_self != NULL ? layout->v2_self : "/");
	while (strcmp(cur, "/") != 0 && cur[0] != '\0') {
		cleanup_free char *dir = sz_asprintf("%s%s", layout->v2_mount, cur);
		char *slash;

		/* Our own leaf from an earlier run in this process is not a base. */
		if (!sz_str_has_prefix(strrchr(cur, '/') + 1, "stanza-self-") &&
		    writable_error(dir, true, euid) == 0) {
			free(best);
			best = sz_xstrdup(cur + 1);
		}
		slash = strrchr(cur, '/');
		*slash = '\0';
	}
	return best;
}

char *sz_cgroup_user_token(const char *name, uid_t euid)
{
	static const char safe[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";

	if (name != NULL && *name != '\0' && *name != '-' && strspn(name, safe) == strlen(name))
		return sz_xstrdup(name);
	return sz_asprintf("%lu", (unsigned long)euid);
}

static bool v2_enabled(const char *dir, enum sz_controller c)
{
	cleanup_free char *file = sz_asprintf("%s/cgroup.controllers", dir);
	cleanup_free char *text = NULL;
	const char *want = c == SZ_CTRL_CPUACCT ? "cpu" : sz_controller_name(c);
	size_t n = strlen(want);
	sz_error_t ignored = NULL;

	if (sz_read_file(file, &text, NULL, &ignored) < 0) {
		sz_error_release(&ignored);
		return false;
	}
	for (const char *p = strstr(text, want); p != NULL; p = strstr(p + 1, want))
		if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* The base for controller c relative to its mount ("" for the root), or NULL
 * with *why saying where it looked and why that will not do. */
static char *sz_cgroup_user_base(const struct sz_cgroup_layout *layout, enum sz_controller c,
                                 const struct sz_cgroup_user *user, struct sz_cgroup_place *why)
{
	bool v2 = sz_cgroup_layout_on_v2(layout, c);
	cleanup_free char *rel = NULL;
	cleanup_free char *dir = NULL;

	memset(why, 0, sizeof(*why));
	if (layout->mount[c] == NULL) {
		why->error = ENOENT;
		return NULL;
	}
	if (user->root)
		rel = sz_xstrdup("");
	else if (v2)
		rel = sz_cgroup_v2_delegated(layout, user->euid);
	else
		rel = sz_asprintf("stanza-%s", user->token);
	if (rel == NULL) {
		/* nothing delegated: report on the cgroup stanza is in */
		const char *self = layout->v2_self != NULL ? layout->v2_self : "/";
		why->looked = sz_xstrdup(self + strspn(self, "/"));
		dir = sz_asprintf("%s/%s", layout->mount[c], why->looked);
		why->error = writable_error(dir, true, user->euid);
		if (why->error == 0)
			why->error = EPERM;
		return NULL;
	}
	why->looked = sz_xstrdup(rel);
	dir = *rel != '\0' ? sz_asprintf("%s/%s", layout->mount[c], rel) : sz_xstrdup(layout->mount[c]);
	why->error = writable_error(dir, false, user->euid);
	if (why->error == 0 && !user->root && !v2) {
		cleanup_free char *procs = sz_asprintf("%s/cgroup.procs", dir);
		if (faccessat(AT_FDCWD, procs, W_OK, AT_EACCESS) < 0)
			why->error = errno;
	}
	why->enabled = !v2 || v2_enabled(dir, c);
	if (why->error != 0 || !why->enabled)
		return NULL;
	return steal_pointer(&rel);
}

void sz_cgroup_user_bases(const struct sz_cgroup_layout *layout, const struct sz_cgroup_user *user,
                          char *base[SZ_CTRL_COUNT], struct sz_cgroup_place why[SZ_CTRL_COUNT])
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		base[c] = sz_cgroup_user_base(layout, c, user, &why[c]);
}

void sz_cgroup_places_release(struct sz_cgroup_place why[SZ_CTRL_COUNT])
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		free(why[c].looked);
		why[c].looked = NULL;
	}
}

static char *user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return sz_cgroup_user_token(pw != NULL ? pw->pw_name : NULL, geteuid());
}

/* Where this user's containers go: the hierarchy-relative base per
 * controller, NULL where the user may not make groups. */
static void user_bases(const struct sz_cgroup_layout *layout, bool rootless, char *base[SZ_CTRL_COUNT])
{
	/* Only a learner's v1 base is named after them: root is spared the passwd lookup. */
	cleanup_free char *token = rootless ? user_name() : NULL;
	struct sz_cgroup_user user = {.root = !rootless, .euid = geteuid(), .token = token};

	struct sz_cgroup_place why[SZ_CTRL_COUNT];

	sz_cgroup_user_bases(layout, &user, base, why);
	sz_cgroup_places_release(why);
}

/* Rootless v2: move stanza into <base>/stanza-self-<pid> (once), so that base
 * holds no process and may enable controllers for the containers beside it. */
static int sz_cgroup_enter_own_leaf(const struct sz_cgroup_layout *layout, const char *base, sz_error_t *err)
{
	cleanup_free char *leaf =
	    sz_asprintf("%s/%s/stanza-self-%ld", layout->v2_mount, base, (long)getpid());
	cleanup_free char *procs = sz_asprintf("%s/cgroup.procs", leaf);

	if (layout->v2_self != NULL && strstr(layout->v2_self, "/stanza-self-") != NULL)
		return 0;
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return sz_error_make(err, errno, _("cannot create directory '%s'"), leaf);
	if (sz_write_file_at(AT_FDCWD, procs, "0", 1, err) < 0)
		return sz_error_wrap(err, _("cannot move stanza into its own cgroup leaf"));
	return 0;
}

void sz_cgroup_collect_leaves(const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *de;

	while (d != NULL && (de = readdir(d)) != NULL) {
		long pid;
		cleanup_free char *path = NULL;

		if (sscanf(de->d_name, "stanza-self-%ld", &pid) != 1 || pid == getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue; /* that stanza still runs */
		path = sz_asprintf("%s/%s", dir, de->d_name);
		rmdir(path); /* fails harmlessly while it is not empty */
	}
}

static void cgroup_trace(void *arg, const char *what, const char *path, const char *value)
{
	const struct sz_container *c = arg;

	if (value != NULL)
		sz_trace(c, "cgroup: %s %s = %s", what, path, value);
	else
		sz_trace(c, "cgroup: %s %s", what, path);
}

/* The first limit asked for whose controller has no base. */
static int uncovered_limit(char *const base[SZ_CTRL_COUNT], const struct sz_cgroup_limits *l)
{
	for (int i = 0; i < SZ_LIMIT_COUNT; i++)
		if (sz_cgroup_limit_value(l, i) != 0 && base[sz_cgroup_limit_table[i].controller] == NULL)
			return i;
	return -1;
}

/* The sentence that says why a limit cannot be had here, and how to get it. */
static int refuse_limit(const struct sz_spec *spec, enum sz_cgroup_limit_id id, sz_error_t *err)
{
	struct sz_probe_options opts;
	struct sz_probe_user user;
	struct sz_probe_cgroup pc;
	sz_error_t ignored = NULL;
	const char *what = sz_cgroup_limit_words(spec->limit_words, id);
	bool probed;

	sz_probe_options_init(&opts);
	sz_probe_user(&user, "");
	probed = sz_probe_cgroup(&pc, &user, &opts, &ignored) == 0;
	sz_error_release(&ignored);
	if (probed && pc.fix != NULL)
		sz_error_make(
		    err, 0, _("%s needs a cgroup you may write, and there is none; this would make one:\n%s"),
		    what, pc.fix);
	else
		sz_error_make(err, 0,
		              _("%s needs a cgroup you may write, and there is none (see 'stanza doctor')"),
		              what);
	if (probed)
		sz_probe_cgroup_release(&pc);
	free(user.name);
	return -1;
}

/* Rootless on v2: leave the delegated cgroup to the containers. */
static int prepare_v2_base(struct sz_container *c, const struct sz_cgroup_layout *layout,
                           char *const base[SZ_CTRL_COUNT], sz_error_t *err)
{
	cleanup_free char *dir = NULL;
	const char *v2 = NULL;

	for (int i = 0; i < SZ_CTRL_COUNT; i++)
		if (base[i] != NULL && sz_cgroup_layout_on_v2(layout, i))
			v2 = base[i];
	if (!c->rootless || v2 == NULL)
		return 0;
	dir = sz_asprintf("%s/%s", layout->v2_mount, v2);
	sz_cgroup_collect_leaves(dir);
	if (sz_cgroup_enter_own_leaf(layout, v2, err) < 0)
		return -1;
	sz_trace(c, "cgroup: stanza moved into %s/stanza-self-%ld (v2 allows processes only in leaves)", v2,
	         (long)getpid());
	return 0;
}

/* Where the groups will be, in the state directory before any exists, so
 * that the collector of a stanza killed at any point finds them wherever it
 * runs from (state.c). Written whole or not at all. */
static int record_cgroup(const struct sz_container *c, sz_error_t *err)
{
	cleanup_free char *text = sz_cgroup_serialize(&c->cgroup);
	cleanup_free char *tmp = sz_asprintf("%s/%s.new", c->state_dir, SZ_CGROUP_RECORD);
	cleanup_free char *path = sz_asprintf("%s/%s", c->state_dir, SZ_CGROUP_RECORD);

	if (sz_write_file(tmp, text, strlen(text), 0600, err) < 0)
		return -1;
	if (rename(tmp, path) < 0)
		return sz_error_make(err, errno, _("cannot rename '%s' to '%s'"), tmp, path);
	sz_trace(c, "cgroup: recorded in %s", path);
	return 0;
}

static int make_recorded(struct sz_container *c, const struct sz_cgroup_layout *layout,
                         char *const base[SZ_CTRL_COUNT], const char *name, sz_error_t *err)
{
	const struct sz_spec *spec = c->spec;

	if (sz_cgroup_check_limits(layout, &spec->limits, spec->limit_words, err) < 0 ||
	    sz_cgroup_plan(&c->cgroup, layout, (const char *const *)base, name, &spec->limits, err) < 0)
		return -1;
	if (record_cgroup(c, err) < 0) {
		sz_cgroup_release(&c->cgroup);
		return -1;
	}
	return sz_cgroup_create_planned(&c->cgroup, layout, (const char *const *)base, &spec->limits,
	                                spec->trace_fd >= 0 ? cgroup_trace : NULL, c, err);
}

/* A cgroup only when a limit is asked for: without one the PID namespace
 * already ends every process with PID 1, and creating, joining and removing
 * groups is most of a bare run's cost. */
int sz_make_cgroup(struct sz_container *c, sz_error_t *err)
{
	struct sz_cgroup_layout layout = {0};
	char *base[SZ_CTRL_COUNT] = {0};
	const char *path = c->spec->cgroup_path;
	cleanup_free char *name = NULL;
	int uncovered;
	int ret;

	if (!sz_cgroup_limits_any(&c->spec->limits)) {
		sz_trace(c, "cgroup: none (no limit asked for)");
		return 0;
	}
	/* An OCI cgroupsPath: its last component names the group (so recorded
	 * beside the record, for the collector's check), under the rest of it as
	 * root, under the learner's delegated base rootless. */
	name = path != NULL ? sz_xstrdup(strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path)
	                    : sz_asprintf("stanza-%s", c->id);
	if (path != NULL) {
		cleanup_free char *file = sz_asprintf("%s/%s", c->state_dir, SZ_CGROUP_NAME_FILE);
		if (sz_write_file(file, name, strlen(name), 0600, err) < 0)
			return -1;
	}
	if (sz_cgroup_layout_load(&layout, "/proc/self/mountinfo", "/proc/self/cgroup", "", err) < 0)
		return -1;
	user_bases(&layout, c->rootless, base);
	for (int i = 0; path != NULL && !c->rootless && i < SZ_CTRL_COUNT; i++) {
		const char *rel = path + strspn(path, "/");
		const char *slash = strrchr(rel, '/');
		free(base[i]);
		base[i] = slash != NULL ? sz_asprintf("%.*s", (int)(slash - rel), rel) : sz_xstrdup("");
	}
	uncovered = uncovered_limit(base, &c->spec->limits);
	if (uncovered >= 0)
		ret = refuse_limit(c->spec, uncovered, err);
	else
		ret = prepare_v2_base(c, &layout, base, err);
	if (ret == 0)
		ret = make_recorded(c, &layout, base, name, err);
	for (int i = 0; i < SZ_CTRL_COUNT; i++)
		free(base[i]);
	sz_cgroup_layout_release(&layout);
	if (ret < 0)
		return -1;
	c->has_cgroup = true;
	return 0;
}
