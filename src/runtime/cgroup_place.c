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

static bool user_can_write(const char *dir, const char *file)
{
	cleanup_free char *path = sz_asprintf("%s/%s", dir, file);

	return access(path, W_OK) == 0;
}

static bool delegated(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && st.st_uid == geteuid() && user_can_write(dir, "cgroup.procs") &&
	       user_can_write(dir, "cgroup.subtree_control");
}

/* The highest delegated ancestor of our own v2 cgroup, relative to the
 * mount ("" never: the root is not delegated), or NULL. */
static char *v2_delegated_base(const struct sz_cgroup_layout *layout)
{
	cleanup_free char *cur = sz_xstrdup(layout->v2_self != NULL ? layout->v2_self : "/");
	char *best = NULL;

	while (strcmp(cur, "/") != 0 && cur[0] != '\0') {
		cleanup_free char *dir = sz_asprintf("%s%s", layout->v2_mount, cur);
		char *slash;

		/* Our own leaf from an earlier run in this process is not a base. */
		if (!sz_str_has_prefix(strrchr(cur, '/') + 1, "stanza-self-") && delegated(dir)) {
			free(best);
			best = sz_xstrdup(cur + 1);
		}
		slash = strrchr(cur, '/');
		*slash = '\0';
		if (cur[0] == '\0')
			break;
	}
	return best;
}

static char *user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());

	return pw != NULL ? sz_xstrdup(pw->pw_name) : sz_asprintf("%u", (unsigned)geteuid());
}

int sz_cgroup_bases(const struct sz_cgroup_layout *layout, bool rootless, char *base[SZ_CTRL_COUNT],
                    sz_error_t *err)
{
	cleanup_free char *user = rootless ? user_name() : NULL;
	cleanup_free char *v2 = NULL;

	if (rootless && layout->v2_mount != NULL)
		v2 = v2_delegated_base(layout);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		cleanup_free char *dir = NULL;

		base[c] = NULL;
		if (layout->mount[c] == NULL)
			continue;
		if (!rootless) {
			base[c] = sz_xstrdup("");
			continue;
		}
		if (sz_cgroup_layout_on_v2(layout, c)) {
			base[c] = v2 != NULL ? sz_xstrdup(v2) : NULL;
			continue;
		}
		dir = sz_asprintf("%s/stanza-%s", layout->mount[c], user);
		if (user_can_write(dir, "cgroup.procs"))
			base[c] = sz_asprintf("stanza-%s", user);
	}
	return 0;
}

int sz_cgroup_enter_own_leaf(const struct sz_cgroup_layout *layout, const char *base, sz_error_t *err)
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

void sz_cgroup_collect_leaves(const struct sz_cgroup_layout *layout, const char *base)
{
	cleanup_free char *dir = sz_asprintf("%s/%s", layout->v2_mount, base);
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
