/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_cgroup.c - cgroup mode detection, files written, stats, removal and state, against fake sysfs trees */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/util.h"
#include "runtime/cgroup.h"

#define MAX_TRACE 64

/* ---- helpers ---- */

static void check(int ret, sz_error_t *err)
{
	if (ret < 0)
		fail_msg("unexpected error: %s", sz_error_msg(*err));
}

static void load_fixture(struct sz_cgroup_layout *layout, const char *name, const char *prefix)
{
	cleanup_free char *mountinfo = sz_asprintf("%s/cgroup/%s/mountinfo", FIXTURES_DIR, name);
	cleanup_free char *self = sz_asprintf("%s/cgroup/%s/cgroup", FIXTURES_DIR, name);
	sz_error_t err = NULL;

	check(sz_cgroup_layout_load(layout, mountinfo, self, prefix, &err), &err);
}

static char *fixture_root(const char *name)
{
	return sz_asprintf("%s/cgroup/%s/root", FIXTURES_DIR, name);
}

static char *slurp(const char *path)
{
	char *text = NULL;
	sz_error_t err = NULL;

	check(sz_read_file(path, &text, NULL, &err), &err);
	return text;
}

static void put(const char *dir, const char *name, const char *text)
{
	cleanup_free char *path = sz_asprintf("%s/%s", dir, name);
	sz_error_t err = NULL;

	check(sz_write_file(path, text, strlen(text), 0644, &err), &err);
}

static void assert_file(const char *dir, const char *name, const char *expected)
{
	cleanup_free char *path = sz_asprintf("%s/%s", dir, name);
	cleanup_free char *text = slurp(path);

	assert_string_equal(text, expected);
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Unlink the files in dir: cgroupfs removes a group's interface files with it,
 * a plain directory must be emptied first for rmdir to work. */
static void strip_files(const char *dir)
{
	cleanup_dir DIR *d = opendir(dir);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL) {
		struct stat st;

		assert_int_equal(fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW), 0);
		if (!S_ISDIR(st.st_mode))
			assert_int_equal(unlinkat(dirfd(d), de->d_name, 0), 0);
	}
}

/*
 * A fake cgroupfs in a temporary directory. The trace callback doubles as the
 * kernel: when `populate` is set, each new group gets the interface files its
 * hierarchy would have (on v2 only those of controllers the parent enabled).
 */
struct fake {
	char *root;         /* the tree, used as root_prefix */
	const char *v2_rel; /* the cgroup2 mount under root, or NULL */
	bool populate;
	bool no_swap; /* no memsw / memory.swap.max files */
	char *trace[MAX_TRACE];
	size_t n_trace;
};

static void touch(const char *dir, const char *name)
{
	put(dir, name, "");
}

static void populate_v1(struct fake *f, const char *dir, const char *hierarchy)
{
	touch(dir, "cgroup.procs");
	if (strcmp(hierarchy, "memory") == 0) {
		touch(dir, "memory.limit_in_bytes");
		touch(dir, "memory.oom_control");
		touch(dir, "memory.max_usage_in_bytes");
		if (!f->no_swap)
			touch(dir, "memory.memsw.limit_in_bytes");
	}
	if (sz_str_has_prefix(hierarchy, "pids")) /* also "pids and\\more", an escaped mount point */
		touch(dir, "pids.max");
	if (strcmp(hierarchy, "cpu") == 0 || strcmp(hierarchy, "cpu,cpuacct") == 0) {
		touch(dir, "cpu.cfs_period_us");
		touch(dir, "cpu.cfs_quota_us");
	}
	if (strcmp(hierarchy, "cpuacct") == 0 || strcmp(hierarchy, "cpu,cpuacct") == 0)
		touch(dir, "cpuacct.usage");
}

/* As the kernel does: a child offers what its parent enabled in cgroup.subtree_control. */
static void populate_v2(struct fake *f, const char *dir)
{
	cleanup_free char *parent = sz_xstrdup(dir);
	cleanup_free char *control = NULL;
	cleanup_free char *enabled = NULL;
	char *p;

	*strrchr(parent, '/') = '\0';
	control = sz_asprintf("%s/cgroup.subtree_control", parent);
	enabled = slurp(control);
	for (p = enabled; (p = strchr(p, '+')) != NULL;)
		memmove(p, p + 1, strlen(p));
	touch(dir, "cgroup.procs");
	touch(dir, "cgroup.subtree_control");
	touch(dir, "cpu.stat");
	put(dir, "cgroup.controllers", enabled);
	if (strstr(enabled, "memory") != NULL) {
		touch(dir, "memory.max");
		touch(dir, "memory.events");
		if (!f->no_swap)
			touch(dir, "memory.swap.max");
	}
	if (strstr(enabled, "pids") != NULL)
		touch(dir, "pids.max");
	if (strstr(enabled, "cpu") != NULL)
		touch(dir, "cpu.max");
}

static void populate(struct fake *f, const char *path)
{
	const char *rel = path + strlen(f->root);
	const char *v1 = "/sys/fs/cgroup/";
	cleanup_free char *hierarchy = NULL;

	if (f->v2_rel != NULL && sz_str_has_prefix(rel, f->v2_rel)) {
		populate_v2(f, path);
		return;
	}
	assert_true(sz_str_has_prefix(rel, v1));
	hierarchy = sz_xstrdup(rel + strlen(v1));
	*strchr(hierarchy, '/') = '\0';
	populate_v1(f, path, hierarchy);
}

static void record(void *arg, const char *what, const char *path, const char *value)
{
	struct fake *f = arg;

	assert_true(sz_str_has_prefix(path, f->root));
	assert_true(f->n_trace < MAX_TRACE);
	f->trace[f->n_trace++] = sz_asprintf("%s %s%s%s", what, path + strlen(f->root),
	                                     value != NULL ? " " : "", value != NULL ? value : "");
	if (f->populate && strcmp(what, "mkdir") == 0)
		populate(f, path);
}

static void assert_trace(const struct fake *f, const char *const *expected)
{
	size_t n = 0;

	while (expected[n] != NULL)
		n++;
	for (size_t i = 0; i < n && i < f->n_trace; i++)
		assert_string_equal(f->trace[i], expected[i]);
	assert_int_equal(f->n_trace, n);
}

/* Make the tree: every directory in dirs (relative to the root) exists. */
static struct fake *fake_new(const char *const *dirs)
{
	struct fake *f = sz_xcalloc(1, sizeof(*f));
	char tmpl[] = "/tmp/stanza-test-cgroup-XXXXXX";
	char resolved[PATH_MAX];
	sz_error_t err = NULL;

	assert_non_null(mkdtemp(tmpl));
	/* destroy refuses symbolic links anywhere in a path: resolve /tmp's */
	assert_non_null(realpath(tmpl, resolved));
	f->root = sz_xstrdup(resolved);
	f->populate = true;
	for (size_t i = 0; dirs[i] != NULL; i++) {
		cleanup_free char *dir = sz_asprintf("%s%s", f->root, dirs[i]);

		check(sz_mkdir_p(dir, 0755, &err), &err);
	}
	return f;
}

static void fake_free(struct fake *f)
{
	sz_error_t err = NULL;

	check(sz_rm_rf_at(AT_FDCWD, f->root, &err), &err);
	for (size_t i = 0; i < f->n_trace; i++)
		free(f->trace[i]);
	free(f->root);
	free(f);
}

static char *at(const struct fake *f, const char *rel)
{
	return sz_asprintf("%s%s", f->root, rel);
}

static const char *const hybrid_dirs[] = {
    "/sys/fs/cgroup/memory",  "/sys/fs/cgroup/pids",    "/sys/fs/cgroup/cpu",
    "/sys/fs/cgroup/cpuacct", "/sys/fs/cgroup/unified", NULL,
};

static struct fake *fake_hybrid(struct sz_cgroup_layout *layout)
{
	struct fake *f = fake_new(hybrid_dirs);

	put(f->root, "sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
	f->v2_rel = "/sys/fs/cgroup/unified";
	load_fixture(layout, "hybrid", f->root);
	return f;
}

static struct fake *fake_v2(struct sz_cgroup_layout *layout, const char *controllers, const char *enabled)
{
	static const char *const dirs[] = {"/sys/fs/cgroup", NULL};
	struct fake *f = fake_new(dirs);

	put(f->root, "sys/fs/cgroup/cgroup.controllers", controllers);
	put(f->root, "sys/fs/cgroup/cgroup.subtree_control", enabled);
	f->v2_rel = "/sys/fs/cgroup";
	load_fixture(layout, "v2", f->root);
	return f;
}

static const struct sz_cgroup_limits all_limits = {
    .memory_bytes = 32ULL << 20,
    .pids = 20,
    .cpu_milli = 500,
};

/* ---- the limits' table ---- */

static void test_limit_table(void **state)
{
	const struct sz_cgroup_limits one_each = {.memory_bytes = 1, .pids = 2, .cpu_milli = 3};

	for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
		const struct sz_cgroup_limit *d = &sz_cgroup_limit_table[i];

		assert_non_null(d->name);
		assert_non_null(d->need);
		assert_non_null(d->v1_file);
		assert_non_null(d->v2_file);
		assert_non_null(d->write);
		assert_true(d->scale > 0);
		assert_true(d->controller < SZ_CTRL_COUNT);
		assert_true(d->offset + sizeof(uint64_t) <= sizeof(struct sz_cgroup_limits));
		assert_int_equal(sz_cgroup_limit_value(&one_each, i), (uint64_t)i + 1);
		for (int j = 0; j < i; j++)
			assert_true(sz_cgroup_limit_table[j].offset != d->offset);
	}
	assert_string_equal(sz_cgroup_limit_words(NULL, SZ_LIMIT_MEMORY), "the memory limit");
	assert_false(sz_cgroup_limits_any(&(struct sz_cgroup_limits){0}));
	assert_true(sz_cgroup_limits_any(&(struct sz_cgroup_limits){.cpu_milli = 1}));
}

/* What each writer wrote reads back as the value asked for, on v1 and v2. */
static void test_limits_read_back(void **state)
{
	for (int v2 = 0; v2 <= 1; v2++) {
		struct sz_cgroup_layout l;
		struct fake *f = v2 ? fake_v2(&l, "cpu memory pids\n", "") : fake_hybrid(&l);
		struct sz_cgroup cg;
		sz_error_t err = NULL;

		check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), &err);
		for (int i = 0; i < SZ_LIMIT_COUNT; i++) {
			uint64_t value = 0;

			check(sz_cgroup_read_limit(&cg, i, &value, &err), &err);
			assert_int_equal(value, sz_cgroup_limit_value(&all_limits, i));
		}
		sz_cgroup_release(&cg);
		sz_cgroup_layout_release(&l);
		fake_free(f);
	}
}

/* A plan names the directories create will make, and makes none. */
static void test_plan(void **state)
{
	static const char *const none[] = {NULL};
	static const char *const base[SZ_CTRL_COUNT] = {"a//b/", "a//b/", "a//b/", "a//b/"};
	struct sz_cgroup_layout l;
	struct fake *f = fake_v2(&l, "cpu memory pids\n", "");
	cleanup_free char *dir = at(f, "/sys/fs/cgroup/a/b/stanza-x");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	check(sz_cgroup_plan(&cg, &l, base, "stanza-x", &all_limits, &err), &err);
	assert_trace(f, none);
	assert_false(exists(dir));
	assert_string_equal(cg.unified, dir);
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_string_equal(cg.path[c], dir);
	check(sz_cgroup_create_planned(&cg, &l, base, &all_limits, record, f, &err), &err);
	assert_true(exists(dir));
	assert_string_equal(cg.unified, dir);
	sz_cgroup_release(&cg);
	assert_int_equal(sz_cgroup_plan(&cg, &l, NULL, "../x", &all_limits, &err), -1);
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* ---- where a user's groups go: one answer for doctor and the runtime ---- */

/* A file of a fake tree, made with its directory. */
static void put_path(const char *path, const char *text)
{
	cleanup_free char *dir = sz_xstrdup(path);
	sz_error_t err = NULL;

	*strrchr(dir, '/') = '\0';
	check(sz_mkdir_p(dir, 0755, &err), &err);
	check(sz_write_file(path, text, strlen(text), 0644, &err), &err);
}

/* Under a temporary root, the tree fixture name's layout points at: each
 * mount; on v1 the stanza-alice directory an administrator would make; on
 * v2 stanza's own cgroup and its ancestors, every one delegated (ours, with
 * cgroup.procs and cgroup.subtree_control) but the topmost. */
static char *fake_places(const char *name, struct sz_cgroup_layout *l)
{
	char tmpl[] = "/tmp/stanza-test-places-XXXXXX";
	char *root;

	assert_non_null(mkdtemp(tmpl));
	root = sz_xstrdup(tmpl);
	load_fixture(l, name, root);
	if (l->v2_mount != NULL) {
		/* the root's controllers, then the layout again to see them */
		cleanup_free char *rootctrls = sz_asprintf("%s/cgroup.controllers", l->v2_mount);

		put_path(rootctrls, "cpu memory pids\n");
		sz_cgroup_layout_release(l);
		load_fixture(l, name, root);
	}
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		cleanup_free char *procs = NULL;

		if (l->mount[c] == NULL || sz_cgroup_layout_on_v2(l, c))
			continue;
		procs = sz_asprintf("%s/stanza-alice/cgroup.procs", l->mount[c]);
		put_path(procs, "");
	}
	if (l->v2_mount != NULL) {
		cleanup_free char *cur = sz_asprintf("%s%s", l->v2_mount, l->v2_self ? l->v2_self : "/");
		size_t top = strlen(l->v2_mount) + 1 + strcspn(cur + strlen(l->v2_mount) + 1, "/");

		for (char *end = cur + strlen(cur); end > cur + strlen(l->v2_mount); *end = '\0') {
			cleanup_free char *procs = sz_asprintf("%s/cgroup.procs", cur);
			cleanup_free char *ctrls = sz_asprintf("%s/cgroup.controllers", cur);

			put_path(procs, "");
			put_path(ctrls, "cpu memory pids\n");
			if (strlen(cur) > top) {
				cleanup_free char *sub = sz_asprintf("%s/cgroup.subtree_control", cur);
				put_path(sub, "");
			}
			end = strrchr(cur, '/');
		}
	}
	return root;
}

/* The base expected for a user: "" for root wherever the controller is;
 * for others stanza-alice on v1, on v2 the second level of stanza's own
 * cgroup (the first that is delegated), when it has one. */
static const char *expected_base(const struct sz_cgroup_layout *l, enum sz_controller c, bool root, char *buf,
                                 size_t size)
{
	const char *self = l->v2_self != NULL ? l->v2_self + 1 : "";
	size_t n = strcspn(self, "/");

	if (l->mount[c] == NULL)
		return NULL;
	if (root)
		return "";
	if (!sz_cgroup_layout_on_v2(l, c))
		return "stanza-alice";
	if (self[n] != '/')
		return NULL;
	n += 1 + strcspn(self + n + 1, "/");
	snprintf(buf, size, "%.*s", (int)n, self);
	return buf;
}

static void check_places(const char *name)
{
	struct sz_cgroup_layout l;
	cleanup_free char *root = fake_places(name, &l);
	sz_error_t err = NULL;

	for (int who = 0; who <= 1; who++) {
		struct sz_cgroup_user user = {.root = who == 0, .euid = geteuid(), .token = "alice"};
		struct sz_cgroup_place why[SZ_CTRL_COUNT];
		char *base[SZ_CTRL_COUNT];

		sz_cgroup_user_bases(&l, &user, base, why);
		for (int c = 0; c < SZ_CTRL_COUNT; c++) {
			char buf[256];
			const char *want = expected_base(&l, c, user.root, buf, sizeof(buf));

			if (want == NULL && base[c] != NULL)
				fail_msg("%s, %s, %s: base '%s', expected none", name,
				         user.root ? "root" : "alice", sz_controller_name(c), base[c]);
			if (want != NULL && (base[c] == NULL || strcmp(base[c], want) != 0))
				fail_msg("%s, %s, %s: base '%s', expected '%s' (error %d)", name,
				         user.root ? "root" : "alice", sz_controller_name(c),
				         base[c] != NULL ? base[c] : "(none)", want, why[c].error);
			if (l.mount[c] == NULL)
				assert_int_equal(why[c].error, ENOENT);
			free(base[c]);
		}
		sz_cgroup_places_release(why);
	}
	sz_cgroup_layout_release(&l);
	check(sz_rm_rf_at(AT_FDCWD, root, &err), &err);
}

static void test_places_each_fixture(void **state)
{
	static const char *const fixtures[] = {"hybrid",    "hybrid-mixed", "none",
	                                       "v1-joined", "v1-nomem",     "v2"};

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
		check_places(fixtures[i]);
}

/* ---- layout ---- */

static void test_names(void **state)
{
	assert_string_equal(sz_cgroup_mode_name(SZ_CGROUP_HYBRID), "hybrid");
	assert_string_equal(sz_cgroup_mode_name(SZ_CGROUP_V2), "v2");
	assert_string_equal(sz_controller_name(SZ_CTRL_CPUACCT), "cpuacct");
	assert_string_equal(sz_controller_name(SZ_CTRL_PIDS), "pids");
}

/* This machine: v1 controllers, cpu and cpuacct apart, an empty cgroup2 beside them. */
static void test_layout_hybrid_separate(void **state)
{
	cleanup_free char *root = fixture_root("hybrid");
	cleanup_free char *mem = sz_asprintf("%s/sys/fs/cgroup/memory", root);
	cleanup_free char *cpu = sz_asprintf("%s/sys/fs/cgroup/cpu", root);
	cleanup_free char *acct = sz_asprintf("%s/sys/fs/cgroup/cpuacct", root);
	cleanup_free char *pids = sz_asprintf("%s/sys/fs/cgroup/pids", root);
	cleanup_free char *unified = sz_asprintf("%s/sys/fs/cgroup/unified", root);
	struct sz_cgroup_layout l;

	load_fixture(&l, "hybrid", root);
	assert_int_equal(l.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(l.mount[SZ_CTRL_MEMORY], mem);
	assert_string_equal(l.mount[SZ_CTRL_CPU], cpu);
	assert_string_equal(l.mount[SZ_CTRL_CPUACCT], acct);
	assert_string_equal(l.mount[SZ_CTRL_PIDS], pids);
	assert_string_equal(l.v2_mount, unified);
	assert_string_equal(l.self[SZ_CTRL_MEMORY], "/process_api/eb2a4a379edf90bc2c19adbfacb48e74");
	assert_string_equal(l.self[SZ_CTRL_CPU], "/");
	assert_string_equal(l.self[SZ_CTRL_CPUACCT], "/");
	assert_string_equal(l.v2_self, "/");
	/* its cgroup.controllers says "hugetlb": none of ours */
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		assert_false(l.v2_has[c]);
		assert_false(sz_cgroup_layout_on_v2(&l, c));
	}
	sz_cgroup_layout_release(&l);
	assert_null(l.mount[SZ_CTRL_MEMORY]);
}

static void test_layout_v1_joined(void **state)
{
	struct sz_cgroup_layout l;

	load_fixture(&l, "v1-joined", "");
	assert_int_equal(l.mode, SZ_CGROUP_V1);
	assert_string_equal(l.mount[SZ_CTRL_CPU], "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(l.mount[SZ_CTRL_CPUACCT], "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(l.mount[SZ_CTRL_MEMORY], "/sys/fs/cgroup/memory");
	assert_string_equal(l.mount[SZ_CTRL_PIDS], "/sys/fs/cgroup/pids");
	assert_null(l.v2_mount);
	assert_null(l.v2_self);
	assert_string_equal(l.self[SZ_CTRL_CPU], "/user.slice");
	assert_string_equal(l.self[SZ_CTRL_CPUACCT], "/user.slice");
	assert_string_equal(l.self[SZ_CTRL_MEMORY], "/user.slice/user-1000.slice/session-2.scope");
	sz_cgroup_layout_release(&l);
}

static void test_layout_v2(void **state)
{
	cleanup_free char *root = fixture_root("v2");
	cleanup_free char *mount = sz_asprintf("%s/sys/fs/cgroup", root);
	struct sz_cgroup_layout l;

	load_fixture(&l, "v2", root);
	assert_int_equal(l.mode, SZ_CGROUP_V2);
	assert_string_equal(l.v2_mount, mount);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		assert_string_equal(l.mount[c], mount);
		assert_string_equal(l.self[c], "/user.slice/user-1000.slice/session-3.scope");
		assert_true(sz_cgroup_layout_on_v2(&l, c));
	}
	assert_true(l.v2_has[SZ_CTRL_MEMORY]);
	assert_true(l.v2_has[SZ_CTRL_PIDS]);
	assert_true(l.v2_has[SZ_CTRL_CPU]);
	assert_false(l.v2_has[SZ_CTRL_CPUACCT]);
	sz_cgroup_layout_release(&l);
}

static void test_layout_none(void **state)
{
	struct sz_cgroup_layout l;
	struct sz_cgroup_limits limits = {.pids = 5};
	sz_error_t err = NULL;

	load_fixture(&l, "none", "/nonexistent");
	assert_int_equal(l.mode, SZ_CGROUP_NONE);
	assert_null(l.v2_mount);
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_null(l.mount[c]);
	assert_int_equal(sz_cgroup_check_limits(&l, &limits, NULL, &err), -1);
	assert_string_equal(sz_error_msg(err),
	                    "this host has no pids cgroup controller: the pids limit cannot be enforced");
	sz_error_release(&err);
	/* the caller's words for the limit */
	assert_int_equal(
	    sz_cgroup_check_limits(&l, &limits, (const char *const[]){NULL, "--pids", NULL}, &err), -1);
	assert_string_equal(sz_error_msg(err),
	                    "this host has no pids cgroup controller: --pids cannot be enforced");
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
}

/* A mount point with "\040" and "\134" in mountinfo, and no memory controller. */
static void test_layout_escaped(void **state)
{
	struct sz_cgroup_layout l;

	load_fixture(&l, "v1-nomem", "/fake");
	assert_int_equal(l.mode, SZ_CGROUP_V1);
	assert_string_equal(l.mount[SZ_CTRL_PIDS], "/fake/sys/fs/cgroup/pids and\\more");
	assert_null(l.mount[SZ_CTRL_MEMORY]);
	assert_null(l.self[SZ_CTRL_MEMORY]);
	sz_cgroup_layout_release(&l);
}

/* Hybrid where the memory controller is on cgroup2 and the rest on v1. */
static void test_layout_hybrid_mixed(void **state)
{
	cleanup_free char *root = fixture_root("hybrid-mixed");
	cleanup_free char *unified = sz_asprintf("%s/sys/fs/cgroup/unified", root);
	struct sz_cgroup_layout l;

	load_fixture(&l, "hybrid-mixed", root);
	assert_int_equal(l.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(l.mount[SZ_CTRL_MEMORY], unified);
	assert_string_equal(l.self[SZ_CTRL_MEMORY], "/system.slice/ssh.service");
	assert_true(sz_cgroup_layout_on_v2(&l, SZ_CTRL_MEMORY));
	assert_false(sz_cgroup_layout_on_v2(&l, SZ_CTRL_CPU));
	assert_false(sz_cgroup_layout_on_v2(&l, SZ_CTRL_CPUACCT));
	assert_string_equal(l.self[SZ_CTRL_CPU], "/system.slice");
	sz_cgroup_layout_release(&l);
}

static void test_layout_missing_file(void **state)
{
	struct sz_cgroup_layout l;
	sz_error_t err = NULL;

	assert_int_equal(sz_cgroup_layout_load(&l, "/nonexistent/mountinfo", "/proc/self/cgroup", "", &err),
	                 -1);
	assert_string_equal(sz_error_msg(err),
	                    "cannot open '/nonexistent/mountinfo': No such file or directory");
	assert_null(l.v2_mount);
	sz_error_release(&err);
}

/* The real files of the host running the tests parse, whatever the host is. */
static void test_layout_self(void **state)
{
	struct sz_cgroup_layout l;
	sz_error_t err = NULL;

	check(sz_cgroup_layout_load_self(&l, &err), &err);
	if (l.mode != SZ_CGROUP_NONE)
		assert_true(l.v2_mount != NULL || l.mount[SZ_CTRL_MEMORY] != NULL ||
		            l.mount[SZ_CTRL_PIDS] != NULL || l.mount[SZ_CTRL_CPU] != NULL);
	sz_cgroup_layout_release(&l);
}

/* ---- create ---- */

static void test_create_hybrid_separate(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "mkdir /sys/fs/cgroup/pids/stanza-x",
	    "mkdir /sys/fs/cgroup/cpu/stanza-x",
	    "mkdir /sys/fs/cgroup/cpuacct/stanza-x",
	    "write /sys/fs/cgroup/memory/stanza-x/memory.limit_in_bytes 33554432",
	    "write /sys/fs/cgroup/memory/stanza-x/memory.memsw.limit_in_bytes 33554432",
	    "write /sys/fs/cgroup/pids/stanza-x/pids.max 20",
	    "write /sys/fs/cgroup/cpu/stanza-x/cpu.cfs_period_us 100000",
	    "write /sys/fs/cgroup/cpu/stanza-x/cpu.cfs_quota_us 50000",
	    NULL,
	};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *cpu = at(f, "/sys/fs/cgroup/cpu/stanza-x");
	cleanup_free char *acct = at(f, "/sys/fs/cgroup/cpuacct/stanza-x");
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids/stanza-x");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_int_equal(cg.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(cg.path[SZ_CTRL_MEMORY], mem);
	assert_string_equal(cg.path[SZ_CTRL_CPU], cpu);
	assert_string_equal(cg.path[SZ_CTRL_CPUACCT], acct);
	assert_string_equal(cg.path[SZ_CTRL_PIDS], pids);
	assert_null(cg.unified);
	assert_file(mem, "memory.limit_in_bytes", "33554432");
	assert_file(mem, "memory.memsw.limit_in_bytes", "33554432");
	assert_file(pids, "pids.max", "20");
	assert_file(cpu, "cpu.cfs_period_us", "100000");
	assert_file(cpu, "cpu.cfs_quota_us", "50000");

	check(sz_cgroup_enter(&cg, 4242, &err), &err);
	assert_file(mem, "cgroup.procs", "4242");
	assert_file(pids, "cgroup.procs", "4242");
	assert_file(cpu, "cgroup.procs", "4242");
	assert_file(acct, "cgroup.procs", "4242");
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* No limits: nothing is made or written, on v1 and v2, not even a base, and
 * what comes back is an empty group that enter and destroy accept. */
static void test_create_without_limits(void **state)
{
	static const char *const base[SZ_CTRL_COUNT] = {"stanza", "stanza", "stanza", "stanza"};
	static const struct sz_cgroup_limits none = {0};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	struct fake *v2 = NULL;
	cleanup_free char *v2_base = NULL;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_non_null(l.mount[c]); /* every controller is there: none is used */
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", NULL, record, f, &err), &err);
	assert_int_equal(f->n_trace, 0);
	assert_int_equal(cg.mode, SZ_CGROUP_HYBRID);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		cleanup_free char *dir = sz_asprintf("%s/stanza-x", l.mount[c]);

		assert_null(cg.path[c]);
		assert_false(exists(dir));
	}
	assert_null(cg.unified);
	check(sz_cgroup_enter(&cg, 4242, &err), &err);
	check(sz_cgroup_destroy(&cg, &err), &err);
	sz_cgroup_release(&cg);

	/* all-zero limits are no limits; a base is not made for nothing */
	check(sz_cgroup_create(&cg, &l, base, "stanza-x", &none, record, f, &err), &err);
	assert_int_equal(f->n_trace, 0);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		cleanup_free char *dir = sz_asprintf("%s/stanza", l.mount[c]);

		assert_null(cg.path[c]);
		assert_false(exists(dir));
	}
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);

	/* v2: no directory and no cgroup.subtree_control write either */
	v2 = fake_v2(&l, "cpuset cpu io memory pids\n", "");
	check(sz_cgroup_create(&cg, &l, base, "stanza-x", &none, record, v2, &err), &err);
	assert_int_equal(v2->n_trace, 0);
	assert_null(cg.unified);
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_null(cg.path[c]);
	assert_file(l.v2_mount, "cgroup.subtree_control", "");
	v2_base = at(v2, "/sys/fs/cgroup/stanza");
	assert_false(exists(v2_base));
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(v2);
	fake_free(f);
}

/* Only --memory on v1: only the memory group is made (a group joined costs a
 * cgroup.procs write and an rmdir), memory.limit_in_bytes before memsw. */
static void test_create_memory_only(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "write /sys/fs/cgroup/memory/stanza-x/memory.limit_in_bytes 33554432",
	    "write /sys/fs/cgroup/memory/stanza-x/memory.memsw.limit_in_bytes 33554432",
	    NULL,
	};
	static const char *const unused[] = {
	    "/sys/fs/cgroup/pids/stanza-x",
	    "/sys/fs/cgroup/cpu/stanza-x",
	    "/sys/fs/cgroup/cpuacct/stanza-x",
	    NULL,
	};
	struct sz_cgroup_limits limits = {.memory_bytes = 32ULL << 20};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_string_equal(cg.path[SZ_CTRL_MEMORY], mem);
	assert_null(cg.path[SZ_CTRL_PIDS]);
	assert_null(cg.path[SZ_CTRL_CPU]);
	assert_null(cg.path[SZ_CTRL_CPUACCT]);
	assert_null(cg.unified);
	for (size_t i = 0; unused[i] != NULL; i++) {
		cleanup_free char *dir = at(f, unused[i]);

		assert_false(exists(dir));
	}
	check(sz_cgroup_enter(&cg, 4242, &err), &err);
	assert_file(mem, "cgroup.procs", "4242");
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Only --cpus with cpu and cpuacct mounted apart: both groups (cpuacct to
 * account what the quota allowed), and no memory or pids group. */
static void test_create_cpu_only_separate(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/cpu/stanza-x",
	    "mkdir /sys/fs/cgroup/cpuacct/stanza-x",
	    "write /sys/fs/cgroup/cpu/stanza-x/cpu.cfs_period_us 100000",
	    "write /sys/fs/cgroup/cpu/stanza-x/cpu.cfs_quota_us 150000",
	    NULL,
	};
	struct sz_cgroup_limits limits = {.cpu_milli = 1500};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *cpu = at(f, "/sys/fs/cgroup/cpu/stanza-x");
	cleanup_free char *acct = at(f, "/sys/fs/cgroup/cpuacct/stanza-x");
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids/stanza-x");
	struct sz_cgroup cg;
	struct sz_cgroup_stats st;
	sz_error_t err = NULL;

	assert_string_not_equal(l.mount[SZ_CTRL_CPU], l.mount[SZ_CTRL_CPUACCT]);
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_string_equal(cg.path[SZ_CTRL_CPU], cpu);
	assert_string_equal(cg.path[SZ_CTRL_CPUACCT], acct);
	assert_null(cg.path[SZ_CTRL_MEMORY]);
	assert_null(cg.path[SZ_CTRL_PIDS]);
	assert_false(exists(mem));
	assert_false(exists(pids));
	assert_file(cpu, "cpu.cfs_period_us", "100000");
	assert_file(cpu, "cpu.cfs_quota_us", "150000");

	check(sz_cgroup_enter(&cg, 31, &err), &err);
	assert_file(cpu, "cgroup.procs", "31");
	assert_file(acct, "cgroup.procs", "31");
	/* the accounting group is where the CPU time is read from; no memory stats without a group */
	put(acct, "cpuacct.usage", "2500000000\n");
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_true(st.has_cpu);
	assert_int_equal(st.cpu_usage_ns, 2500000000ULL);
	assert_false(st.has_oom);
	assert_false(st.has_peak);
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Only --cpus with "cpu,cpuacct" mounted together: one directory serves both. */
static void test_create_cpu_only_joined(void **state)
{
	static const char *const dirs[] = {
	    "/sys/fs/cgroup/memory",
	    "/sys/fs/cgroup/pids",
	    "/sys/fs/cgroup/cpu,cpuacct",
	    NULL,
	};
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/cpu,cpuacct/stanza-x",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza-x/cpu.cfs_period_us 100000",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza-x/cpu.cfs_quota_us 50000",
	    NULL,
	};
	struct sz_cgroup_limits limits = {.cpu_milli = 500};
	struct fake *f = fake_new(dirs);
	cleanup_free char *joined = at(f, "/sys/fs/cgroup/cpu,cpuacct/stanza-x");
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids/stanza-x");
	cleanup_free char *state_text = NULL;
	cleanup_free char *expected_state = NULL;
	struct sz_cgroup_layout l;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	load_fixture(&l, "v1-joined", f->root);
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_string_equal(cg.path[SZ_CTRL_CPU], joined);
	assert_string_equal(cg.path[SZ_CTRL_CPUACCT], joined);
	assert_null(cg.path[SZ_CTRL_MEMORY]);
	assert_null(cg.path[SZ_CTRL_PIDS]);
	assert_false(exists(mem));
	assert_false(exists(pids));
	/* the state names the one directory for both, and nothing else */
	expected_state = sz_asprintf("mode v1\ncpu %s\ncpuacct %s\n", joined, joined);
	state_text = sz_cgroup_serialize(&cg);
	assert_string_equal(state_text, expected_state);
	check(sz_cgroup_enter(&cg, 77, &err), &err);
	assert_file(joined, "cgroup.procs", "77");
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

static void test_create_v1_joined(void **state)
{
	static const char *const dirs[] = {
	    "/sys/fs/cgroup/memory",
	    "/sys/fs/cgroup/pids",
	    "/sys/fs/cgroup/cpu,cpuacct",
	    NULL,
	};
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza/c1",
	    "mkdir /sys/fs/cgroup/pids/stanza",
	    "mkdir /sys/fs/cgroup/pids/stanza/c1",
	    "mkdir /sys/fs/cgroup/cpu,cpuacct/stanza",
	    "mkdir /sys/fs/cgroup/cpu,cpuacct/stanza/c1",
	    "write /sys/fs/cgroup/memory/stanza/c1/memory.limit_in_bytes 33554432",
	    "write /sys/fs/cgroup/memory/stanza/c1/memory.memsw.limit_in_bytes 33554432",
	    "write /sys/fs/cgroup/pids/stanza/c1/pids.max 20",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza/c1/cpu.cfs_period_us 100000",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza/c1/cpu.cfs_quota_us 50000",
	    NULL,
	};
	static const char *const base[SZ_CTRL_COUNT] = {"stanza", "/stanza/", "stanza", "stanza"};
	struct fake *f = fake_new(dirs);
	cleanup_free char *joined = at(f, "/sys/fs/cgroup/cpu,cpuacct/stanza/c1");
	cleanup_free char *existing = at(f, "/sys/fs/cgroup/memory/stanza");
	struct sz_cgroup_layout l;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	assert_int_equal(mkdir(existing, 0755), 0); /* a base that is there already is used as it is */
	load_fixture(&l, "v1-joined", f->root);
	check(sz_cgroup_create(&cg, &l, base, "c1", &all_limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_string_equal(cg.path[SZ_CTRL_CPU], joined);
	assert_string_equal(cg.path[SZ_CTRL_CPUACCT], joined);
	assert_ptr_not_equal(cg.path[SZ_CTRL_CPU], cg.path[SZ_CTRL_CPUACCT]);
	assert_file(joined, "cpu.cfs_quota_us", "50000");
	check(sz_cgroup_enter(&cg, 77, &err), &err);
	assert_file(joined, "cgroup.procs", "77");
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Quotas: thousandths of a CPU times 100 us; below the kernel's 1 ms minimum, the minimum. */
static void test_create_cpu_quota(void **state)
{
	static const struct {
		uint64_t milli;
		const char *quota;
	} cases[] = {{1, "1000"}, {10, "1000"}, {2500, "250000"}, {UINT64_MAX, "18446744073709551615"}};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	sz_error_t err = NULL;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sz_cgroup_limits limits = {.cpu_milli = cases[i].milli};
		cleanup_free char *name = sz_asprintf("q%zu", i);
		struct sz_cgroup cg;

		check(sz_cgroup_create(&cg, &l, NULL, name, &limits, record, f, &err), &err);
		assert_file(cg.path[SZ_CTRL_CPU], "cpu.cfs_quota_us", cases[i].quota);
		assert_file(cg.path[SZ_CTRL_CPU], "cpu.cfs_period_us", "100000");
		sz_cgroup_release(&cg);
	}
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Without swap accounting there is no memsw file: the memory limit alone is written. */
static void test_create_without_memsw(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "write /sys/fs/cgroup/memory/stanza-x/memory.limit_in_bytes 1048576",
	    NULL,
	};
	struct sz_cgroup_limits limits = {.memory_bytes = 1 << 20};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *memsw = at(f, "/sys/fs/cgroup/memory/stanza-x/memory.memsw.limit_in_bytes");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	f->no_swap = true;
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_false(exists(memsw));
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* A memory limit on a host without the memory controller: a sentence, and nothing made. */
static void test_create_no_memory_controller(void **state)
{
	static const char *const dirs[] = {
	    "/sys/fs/cgroup/cpu,cpuacct",
	    "/sys/fs/cgroup/pids and\\more",
	    NULL,
	};
	struct fake *f = fake_new(dirs);
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids and\\more/stanza-x");
	cleanup_free char *cpu = at(f, "/sys/fs/cgroup/cpu,cpuacct/stanza-x");
	struct sz_cgroup_limits limits = {.pids = 3};
	struct sz_cgroup_layout l;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	load_fixture(&l, "v1-nomem", f->root);
	assert_int_equal(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err),
	                    "this host has no memory cgroup controller: the memory limit cannot be enforced");
	assert_int_equal(f->n_trace, 0);
	assert_false(exists(pids));
	assert_false(exists(cpu));
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_null(cg.path[c]);
	sz_error_release(&err);

	/* without the memory limit the same host works, through the escaped mount point */
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_file(pids, "pids.max", "3");
	assert_null(cg.path[SZ_CTRL_MEMORY]);
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* A mkdir that fails half-way removes the groups already made. */
static void test_create_rolls_back(void **state)
{
	static const char *const dirs[] = {
	    "/sys/fs/cgroup/memory",
	    "/sys/fs/cgroup/pids",
	    "/sys/fs/cgroup/unified",
	    NULL,
	}; /* no cpu hierarchy directory: its mkdir fails */
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "mkdir /sys/fs/cgroup/pids/stanza-x",
	    "rmdir /sys/fs/cgroup/pids/stanza-x",
	    "rmdir /sys/fs/cgroup/memory/stanza-x",
	    NULL,
	};
	struct fake *f = fake_new(dirs);
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids/stanza-x");
	cleanup_free char *msg = sz_asprintf(
	    "cannot create directory '%s/sys/fs/cgroup/cpu/stanza-x': No such file or directory", f->root);
	struct sz_cgroup_layout l;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	f->populate = false;
	load_fixture(&l, "hybrid", f->root);
	assert_int_equal(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err), msg);
	assert_trace(f, expected);
	assert_false(exists(mem));
	assert_false(exists(pids));
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_null(cg.path[c]);
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* A limit that cannot be written after every group is made removes them all,
 * cpuacct's (made only for accounting) too, last made first. */
static void test_create_rolls_back_write(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "mkdir /sys/fs/cgroup/pids/stanza-x",
	    "mkdir /sys/fs/cgroup/cpu/stanza-x",
	    "mkdir /sys/fs/cgroup/cpuacct/stanza-x",
	    "rmdir /sys/fs/cgroup/cpuacct/stanza-x",
	    "rmdir /sys/fs/cgroup/cpu/stanza-x",
	    "rmdir /sys/fs/cgroup/pids/stanza-x",
	    "rmdir /sys/fs/cgroup/memory/stanza-x",
	    NULL,
	};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *msg =
	    sz_asprintf("cannot open '%s/memory.limit_in_bytes': No such file or directory", mem);
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	f->populate = false; /* no interface files: the first write fails, and rmdir works */
	assert_int_equal(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err), msg);
	assert_trace(f, expected);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		cleanup_free char *dir = sz_asprintf("%s/stanza-x", l.mount[c]);

		assert_false(exists(dir));
		assert_null(cg.path[c]);
	}
	assert_null(cg.unified);
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* A group that exists already is not ours: refused, and left alone. */
static void test_create_existing(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/memory/stanza-x",
	    "mkdir /sys/fs/cgroup/pids/stanza-x",
	    "rmdir /sys/fs/cgroup/pids/stanza-x",
	    "rmdir /sys/fs/cgroup/memory/stanza-x",
	    NULL,
	};
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *cpu = at(f, "/sys/fs/cgroup/cpu/stanza-x");
	cleanup_free char *mem = at(f, "/sys/fs/cgroup/memory/stanza-x");
	cleanup_free char *pids = at(f, "/sys/fs/cgroup/pids/stanza-x");
	cleanup_free char *msg = sz_asprintf("cannot create directory '%s': File exists", cpu);
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	f->populate = false; /* so that undoing memory's and pids' mkdir works on plain directories */
	assert_int_equal(mkdir(cpu, 0755), 0);
	assert_int_equal(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err), msg);
	assert_trace(f, expected); /* no rmdir of the cpu group: it is not ours */
	assert_true(exists(cpu));
	assert_false(exists(mem));
	assert_false(exists(pids));
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_null(cg.path[c]);
	sz_error_release(&err);
	assert_int_equal(sz_cgroup_create(&cg, &l, NULL, "../x", &all_limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err), "invalid cgroup name '../x'");
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

static void test_create_v2(void **state)
{
	static const char *const expected[] = {
	    "write /sys/fs/cgroup/cgroup.subtree_control +memory +pids +cpu",
	    "mkdir /sys/fs/cgroup/stanza-x",
	    "write /sys/fs/cgroup/stanza-x/memory.max 33554432",
	    "write /sys/fs/cgroup/stanza-x/memory.swap.max 0",
	    "write /sys/fs/cgroup/stanza-x/pids.max 20",
	    "write /sys/fs/cgroup/stanza-x/cpu.max 50000 100000",
	    NULL,
	};
	struct sz_cgroup_layout l;
	struct fake *f = fake_v2(&l, "cpuset cpu io memory hugetlb pids rdma misc\n", "");
	cleanup_free char *dir = at(f, "/sys/fs/cgroup/stanza-x");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_int_equal(cg.mode, SZ_CGROUP_V2);
	assert_string_equal(cg.unified, dir);
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		assert_string_equal(cg.path[c], dir);
	assert_file(dir, "memory.max", "33554432");
	assert_file(dir, "memory.swap.max", "0");
	assert_file(dir, "pids.max", "20");
	assert_file(dir, "cpu.max", "50000 100000");
	check(sz_cgroup_enter(&cg, 9, &err), &err);
	assert_file(dir, "cgroup.procs", "9");
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Controllers enabled already are not written again (a delegated user could not). */
static void test_create_v2_enabled(void **state)
{
	static const char *const expected[] = {
	    "mkdir /sys/fs/cgroup/stanza-x",
	    "write /sys/fs/cgroup/stanza-x/pids.max 7",
	    NULL,
	};
	struct sz_cgroup_limits limits = {.pids = 7};
	struct sz_cgroup_layout l;
	struct fake *f = fake_v2(&l, "cpuset cpu io memory pids\n", "cpu memory pids\n");
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	f->no_swap = true;
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Under a base, every level enables the controllers for the next. */
static void test_create_v2_nested(void **state)
{
	static const char *const expected[] = {
	    "write /sys/fs/cgroup/cgroup.subtree_control +memory +pids",
	    "mkdir /sys/fs/cgroup/stanza",
	    "write /sys/fs/cgroup/stanza/cgroup.subtree_control +memory +pids",
	    "mkdir /sys/fs/cgroup/stanza/c2",
	    "write /sys/fs/cgroup/stanza/c2/memory.max 4096",
	    "write /sys/fs/cgroup/stanza/c2/pids.max 9",
	    NULL,
	};
	static const char *const base[SZ_CTRL_COUNT] = {"stanza", "stanza", "stanza", "stanza"};
	struct sz_cgroup_limits limits = {.memory_bytes = 4096, .pids = 9};
	struct sz_cgroup_layout l;
	struct fake *f = fake_v2(&l, "io memory pids\n", "");
	cleanup_free char *dir = at(f, "/sys/fs/cgroup/stanza/c2");
	struct sz_cgroup cg;
	struct sz_cgroup_stats st;
	sz_error_t err = NULL;

	f->no_swap = true;
	assert_null(l.mount[SZ_CTRL_CPU]);
	check(sz_cgroup_create(&cg, &l, base, "c2", &limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_string_equal(cg.unified, dir);
	assert_string_equal(cg.path[SZ_CTRL_MEMORY], dir);
	assert_string_equal(cg.path[SZ_CTRL_PIDS], dir);
	assert_null(cg.path[SZ_CTRL_CPU]);
	assert_null(cg.path[SZ_CTRL_CPUACCT]); /* no --cpus */
	/* CPU time is still read, from the unified group's cpu.stat, which is always there */
	put(dir, "cpu.stat", "usage_usec 42\n");
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_true(st.has_cpu);
	assert_int_equal(st.cpu_usage_ns, 42000);
	sz_cgroup_release(&cg);

	limits.cpu_milli = 250;
	assert_int_equal(sz_cgroup_create(&cg, &l, base, "c3", &limits, record, f, &err), -1);
	assert_string_equal(sz_error_msg(err),
	                    "this host has no cpu cgroup controller: the cpu limit cannot be enforced");
	sz_error_release(&err);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Memory on cgroup2, cpu and pids on v1, in one group. */
static void test_create_hybrid_mixed(void **state)
{
	static const char *const dirs[] = {
	    "/sys/fs/cgroup/cpu,cpuacct",
	    "/sys/fs/cgroup/pids",
	    "/sys/fs/cgroup/unified",
	    NULL,
	};
	static const char *const expected[] = {
	    "write /sys/fs/cgroup/unified/cgroup.subtree_control +memory",
	    "mkdir /sys/fs/cgroup/unified/stanza-x",
	    "mkdir /sys/fs/cgroup/pids/stanza-x",
	    "mkdir /sys/fs/cgroup/cpu,cpuacct/stanza-x",
	    "write /sys/fs/cgroup/unified/stanza-x/memory.max 33554432",
	    "write /sys/fs/cgroup/unified/stanza-x/memory.swap.max 0",
	    "write /sys/fs/cgroup/pids/stanza-x/pids.max 20",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza-x/cpu.cfs_period_us 100000",
	    "write /sys/fs/cgroup/cpu,cpuacct/stanza-x/cpu.cfs_quota_us 50000",
	    NULL,
	};
	struct fake *f = fake_new(dirs);
	cleanup_free char *unified = at(f, "/sys/fs/cgroup/unified/stanza-x");
	struct sz_cgroup_layout l;
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	put(f->root, "sys/fs/cgroup/unified/cgroup.controllers", "memory\n");
	put(f->root, "sys/fs/cgroup/unified/cgroup.subtree_control", "");
	f->v2_rel = "/sys/fs/cgroup/unified";
	load_fixture(&l, "hybrid-mixed", f->root);
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), &err);
	assert_trace(f, expected);
	assert_int_equal(cg.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(cg.unified, unified);
	assert_string_equal(cg.path[SZ_CTRL_MEMORY], unified);
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* ---- statistics ---- */

static void test_stats_v1(void **state)
{
	static const char *const dirs[] = {"/memory", "/cpuacct", NULL};
	struct fake *f = fake_new(dirs);
	cleanup_free char *usage = at(f, "/cpuacct/cpuacct.usage");
	struct sz_cgroup cg = {.mode = SZ_CGROUP_HYBRID};
	struct sz_cgroup_stats st;
	sz_error_t err = NULL;

	cg.path[SZ_CTRL_MEMORY] = at(f, "/memory");
	cg.path[SZ_CTRL_CPUACCT] = at(f, "/cpuacct");
	put(cg.path[SZ_CTRL_MEMORY], "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n");
	put(cg.path[SZ_CTRL_MEMORY], "memory.max_usage_in_bytes", "33521664\n");
	put(cg.path[SZ_CTRL_CPUACCT], "cpuacct.usage", "1000000123\n");
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_true(st.has_oom && st.has_peak && st.has_cpu);
	assert_int_equal(st.oom_kills, 3);
	assert_int_equal(st.memory_peak, 33521664);
	assert_int_equal(st.cpu_usage_ns, 1000000123ULL);

	/* before 4.13 memory.oom_control has no oom_kill line; a file may be missing */
	put(cg.path[SZ_CTRL_MEMORY], "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
	assert_int_equal(unlink(usage), 0);
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_false(st.has_oom);
	assert_true(st.has_peak);
	assert_false(st.has_cpu);
	assert_int_equal(st.cpu_usage_ns, 0);

	put(cg.path[SZ_CTRL_MEMORY], "memory.max_usage_in_bytes", "lots\n");
	assert_int_equal(sz_cgroup_read_stats(&cg, &st, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "/memory/memory.max_usage_in_bytes': unexpected 'lots'"));
	sz_error_release(&err);
	sz_cgroup_release(&cg);
	fake_free(f);
}

static void test_stats_v2(void **state)
{
	static const char *const dirs[] = {"/grp", NULL};
	struct fake *f = fake_new(dirs);
	struct sz_cgroup cg = {.mode = SZ_CGROUP_V2};
	struct sz_cgroup_stats st;
	sz_error_t err = NULL;

	cg.unified = at(f, "/grp");
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		cg.path[c] = sz_xstrdup(cg.unified);
	put(cg.unified, "memory.events", "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n");
	put(cg.unified, "cpu.stat", "usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\n");
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_true(st.has_oom);
	assert_int_equal(st.oom_kills, 2);
	assert_false(st.has_peak); /* no memory.peak before Linux 5.19 */
	assert_true(st.has_cpu);
	assert_int_equal(st.cpu_usage_ns, 1500000000ULL);

	put(cg.unified, "memory.peak", "8192\n");
	check(sz_cgroup_read_stats(&cg, &st, &err), &err);
	assert_true(st.has_peak);
	assert_int_equal(st.memory_peak, 8192);
	sz_cgroup_release(&cg);
	fake_free(f);
}

/* ---- removal ---- */

static void test_destroy_empty_groups(void **state)
{
	struct sz_cgroup_layout l;
	struct fake *f = fake_hybrid(&l);
	cleanup_free char *inner = at(f, "/sys/fs/cgroup/memory/stanza-x/made-inside");
	char *dirs[SZ_CTRL_COUNT];
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	/* every limit, so that there is a group in each of the four hierarchies */
	check(sz_cgroup_create(&cg, &l, NULL, "stanza-x", &all_limits, record, f, &err), &err);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		assert_non_null(cg.path[c]);
		dirs[c] = sz_xstrdup(cg.path[c]);
		strip_files(dirs[c]); /* plain empty directories, which rmdir can remove */
	}
	assert_int_equal(mkdir(inner, 0755), 0);
	check(sz_cgroup_destroy(&cg, &err), &err);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		assert_false(exists(dirs[c]));
		assert_true(exists(l.mount[c]));
		free(dirs[c]);
		assert_null(cg.path[c]);
	}
	check(sz_cgroup_destroy(&cg, &err), &err); /* twice is fine */
	sz_cgroup_release(&cg);
	sz_cgroup_layout_release(&l);
	fake_free(f);
}

/* Members get SIGKILL. (On a plain directory the files then keep rmdir from working.) */
static void test_destroy_kills_members(void **state)
{
	static const char *const dirs[] = {"/grp", NULL};
	struct fake *f = fake_new(dirs);
	struct sz_cgroup cg = {.mode = SZ_CGROUP_V1};
	cleanup_free char *msg = NULL;
	sz_error_t err = NULL;
	char pid_text[32];
	int status;
	pid_t child = fork();

	assert_true(child >= 0);
	if (child == 0) {
		pause();
		_exit(0);
	}
	snprintf(pid_text, sizeof(pid_text), "%d\n", (int)child);
	cg.path[SZ_CTRL_PIDS] = at(f, "/grp");
	put(cg.path[SZ_CTRL_PIDS], "cgroup.procs", pid_text);
	msg = sz_asprintf("cannot remove '%s': Directory not empty", cg.path[SZ_CTRL_PIDS]);
	assert_int_equal(sz_cgroup_destroy(&cg, &err), -1);
	assert_string_equal(sz_error_msg(err), msg);
	assert_non_null(cg.path[SZ_CTRL_PIDS]); /* not removed: still known */
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	sz_error_release(&err);
	sz_cgroup_release(&cg);
	fake_free(f);
}

/* A group holding this very process is not emptied: that would kill stanza. */
static void test_destroy_refuses_self(void **state)
{
	static const char *const dirs[] = {"/grp", NULL};
	struct fake *f = fake_new(dirs);
	struct sz_cgroup cg = {.mode = SZ_CGROUP_V1};
	cleanup_free char *procs = sz_asprintf("1\n%d\n", (int)getpid());
	cleanup_free char *msg = NULL;
	sz_error_t err = NULL;

	cg.path[SZ_CTRL_MEMORY] = at(f, "/grp");
	put(cg.path[SZ_CTRL_MEMORY], "cgroup.procs", procs);
	msg = sz_asprintf("cannot remove '%s': stanza itself is inside it", cg.path[SZ_CTRL_MEMORY]);
	assert_int_equal(sz_cgroup_destroy(&cg, &err), -1);
	assert_string_equal(sz_error_msg(err), msg);
	sz_error_release(&err);
	sz_cgroup_release(&cg);
	fake_free(f);
}

/* What a state file names but is gone already counts as removed; a symbolic link is never followed. */
static void test_destroy_missing_and_symlink(void **state)
{
	static const char *const dirs[] = {"/real/grp", NULL};
	struct fake *f = fake_new(dirs);
	cleanup_free char *link = at(f, "/link");
	cleanup_free char *real = at(f, "/real");
	cleanup_free char *grp = at(f, "/real/grp");
	struct sz_cgroup cg = {.mode = SZ_CGROUP_V1};
	sz_error_t err = NULL;

	cg.path[SZ_CTRL_MEMORY] = at(f, "/gone/grp");
	cg.path[SZ_CTRL_PIDS] = at(f, "/real/gone");
	check(sz_cgroup_destroy(&cg, &err), &err);
	assert_null(cg.path[SZ_CTRL_MEMORY]);
	assert_null(cg.path[SZ_CTRL_PIDS]);

	assert_int_equal(symlink(real, link), 0);
	cg.path[SZ_CTRL_CPU] = at(f, "/link/grp");
	assert_int_equal(sz_cgroup_destroy(&cg, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "/link': "));
	assert_true(exists(grp));
	sz_error_release(&err);
	sz_cgroup_release(&cg);
	fake_free(f);
}

/* ---- state ---- */

static void test_serialize_roundtrip(void **state)
{
	static const char *const expected = "mode hybrid\n"
	                                    "memory /sys/fs/cgroup/memory/a b\n"
	                                    "cpu /sys/fs/cgroup/cpu,cpuacct/x\\012y\\134z\n"
	                                    "cpuacct /sys/fs/cgroup/cpu,cpuacct/x\\012y\\134z\n";
	struct sz_cgroup cg = {.mode = SZ_CGROUP_HYBRID};
	struct sz_cgroup back;
	cleanup_free char *text = NULL;
	cleanup_free char *again = NULL;
	sz_error_t err = NULL;

	cg.path[SZ_CTRL_MEMORY] = sz_xstrdup("/sys/fs/cgroup/memory/a b");
	cg.path[SZ_CTRL_CPU] = sz_xstrdup("/sys/fs/cgroup/cpu,cpuacct/x\ny\\z");
	cg.path[SZ_CTRL_CPUACCT] = sz_xstrdup(cg.path[SZ_CTRL_CPU]);
	text = sz_cgroup_serialize(&cg);
	assert_string_equal(text, expected);
	check(sz_cgroup_deserialize(&back, text, &err), &err);
	assert_int_equal(back.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(back.path[SZ_CTRL_MEMORY], cg.path[SZ_CTRL_MEMORY]);
	assert_string_equal(back.path[SZ_CTRL_CPU], cg.path[SZ_CTRL_CPU]);
	assert_string_equal(back.path[SZ_CTRL_CPUACCT], cg.path[SZ_CTRL_CPU]);
	assert_null(back.path[SZ_CTRL_PIDS]);
	assert_null(back.unified);
	again = sz_cgroup_serialize(&back);
	assert_string_equal(again, text);
	sz_cgroup_release(&back);
	sz_cgroup_release(&cg);
}

static void test_deserialize_v2_without_mode(void **state)
{
	struct sz_cgroup cg;
	sz_error_t err = NULL;

	check(sz_cgroup_deserialize(&cg, "memory /sys/fs/cgroup/s\n\nunified /sys/fs/cgroup/s", &err), &err);
	assert_int_equal(cg.mode, SZ_CGROUP_V2);
	assert_string_equal(cg.unified, "/sys/fs/cgroup/s");
	sz_cgroup_release(&cg);
}

static void test_deserialize_rejects(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"mode v1\nbogus /x\n", "cgroup state, line 2: unknown controller 'bogus'"},
	    {"memory sys/fs/cgroup\n", "cgroup state, line 1: 'sys/fs/cgroup' is not a clean absolute path"},
	    {"memory /sys/fs/cgroup/../../etc\n",
	     "cgroup state, line 1: '/sys/fs/cgroup/../../etc' is not a clean absolute path"},
	    {"memory /\n", "cgroup state, line 1: '/' is not a clean absolute path"},
	    {"pids /a\npids /b\n", "cgroup state, line 2: 'pids' is given twice"},
	    {"mode v3\n", "cgroup state, line 1: unknown cgroup mode 'v3'"},
	    {"memory\n", "cgroup state, line 1: expected '<controller> <path>', got 'memory'"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sz_cgroup cg;
		sz_error_t err = NULL;

		assert_int_equal(sz_cgroup_deserialize(&cg, cases[i].text, &err), -1);
		assert_string_equal(sz_error_msg(err), cases[i].msg);
		assert_null(cg.path[SZ_CTRL_MEMORY]);
		assert_null(cg.path[SZ_CTRL_PIDS]);
		sz_error_release(&err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_limit_table),
	    cmocka_unit_test(test_limits_read_back),
	    cmocka_unit_test(test_plan),
	    cmocka_unit_test(test_places_each_fixture),
	    cmocka_unit_test(test_layout_hybrid_separate),
	    cmocka_unit_test(test_layout_v1_joined),
	    cmocka_unit_test(test_layout_v2),
	    cmocka_unit_test(test_layout_none),
	    cmocka_unit_test(test_layout_escaped),
	    cmocka_unit_test(test_layout_hybrid_mixed),
	    cmocka_unit_test(test_layout_missing_file),
	    cmocka_unit_test(test_layout_self),
	    cmocka_unit_test(test_create_hybrid_separate),
	    cmocka_unit_test(test_create_without_limits),
	    cmocka_unit_test(test_create_memory_only),
	    cmocka_unit_test(test_create_cpu_only_separate),
	    cmocka_unit_test(test_create_cpu_only_joined),
	    cmocka_unit_test(test_create_v1_joined),
	    cmocka_unit_test(test_create_cpu_quota),
	    cmocka_unit_test(test_create_without_memsw),
	    cmocka_unit_test(test_create_no_memory_controller),
	    cmocka_unit_test(test_create_rolls_back),
	    cmocka_unit_test(test_create_rolls_back_write),
	    cmocka_unit_test(test_create_existing),
	    cmocka_unit_test(test_create_v2),
	    cmocka_unit_test(test_create_v2_enabled),
	    cmocka_unit_test(test_create_v2_nested),
	    cmocka_unit_test(test_create_hybrid_mixed),
	    cmocka_unit_test(test_stats_v1),
	    cmocka_unit_test(test_stats_v2),
	    cmocka_unit_test(test_destroy_empty_groups),
	    cmocka_unit_test(test_destroy_kills_members),
	    cmocka_unit_test(test_destroy_refuses_self),
	    cmocka_unit_test(test_destroy_missing_and_symlink),
	    cmocka_unit_test(test_serialize_roundtrip),
	    cmocka_unit_test(test_deserialize_v2_without_mode),
	    cmocka_unit_test(test_deserialize_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
