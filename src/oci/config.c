/* SPDX-License-Identifier: GPL-3.0-or-later */
/* config.c - an OCI config.json into the runtime's spec: what stanza does, or an error naming the field */
#include "oci/config.h"

#include <seccomp.h>
#include <sys/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "oci/spec.h"

enum want { T_STR, T_UINT, T_INT, T_OBJ, T_ARR, T_BOOL };

struct ctx {
	const char *file;
	bool rootless;
	uid_t uid;
	gid_t gid;
	struct sz_oci_config *cfg;
	bool root_user; /* process.user.uid is 0 */
	sz_error_t *err;
};

static const char *found(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return _("an object");
	case JSON_ARRAY: return _("an array");
	case JSON_STRING: return _("a string");
	case JSON_INTEGER: return json_integer_value(v) < 0 ? _("a negative number") : _("a number");
	case JSON_REAL: return _("a number with a fraction");
	case JSON_TRUE:
	case JSON_FALSE: return _("true or false");
	default: return _("null");
	}
}

static const char *wanted(enum want w)
{
	switch (w) {
	case T_STR: return _("a string");
	case T_UINT: return _("a number of 0 or more");
	case T_INT: return _("a whole number");
	case T_OBJ: return _("an object");
	case T_ARR: return _("an array");
	default: return _("true or false");
	}
}

static bool is(const json_t *v, enum want w)
{
	switch (w) {
	case T_STR: return json_is_string(v);
	case T_UINT: return json_is_integer(v) && json_integer_value(v) >= 0;
	case T_INT: return json_is_integer(v);
	case T_OBJ: return json_is_object(v);
	case T_ARR: return json_is_array(v);
	default: return json_is_boolean(v);
	}
}

/* "config.json: process.user.uid: expected a number, found a string" */
static int fail(struct ctx *x, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct ctx *x, const char *path, const char *fmt, ...)
{
	cleanup_free char *what = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		what = NULL;
	va_end(ap);
	return sz_error_make(x->err, 0, "%s: %s: %s", x->file, path, what ? what : "?");
}

/* obj.key into *out when present (NULL when absent or null); an error when
 * it has another type, or is absent and required. */
static int get(struct ctx *x, const json_t *obj, const char *path, const char *key, enum want w,
               bool required, const json_t **out)
{
	const json_t *v = json_object_get(obj, key);
	cleanup_free char *full = path[0] ? sz_asprintf("%s.%s", path, key) : sz_xstrdup(key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? fail(x, full, _("missing: the runtime spec requires it")) : 0;
	if (!is(v, w))
		return fail(x, full, _("expected %s, found %s"), wanted(w), found(v));
	*out = v;
	return 0;
}

/* A field stanza does not do: an error when it is present and says something. */
static int refuse(struct ctx *x, const json_t *obj, const char *path, const char *key, const char *why)
{
	const json_t *v = json_object_get(obj, key);
	cleanup_free char *full = path[0] ? sz_asprintf("%s.%s", path, key) : sz_xstrdup(key);

	if (v == NULL || json_is_null(v) || (json_is_object(v) && json_object_size(v) == 0) ||
	    (json_is_array(v) && json_array_size(v) == 0) ||
	    (json_is_string(v) && json_string_length(v) == 0) ||
	    (json_is_integer(v) && json_integer_value(v) == 0) || json_is_false(v))
		return 0;
	return fail(x, full, "%s", why != NULL ? why : _("not supported by stanza yet"));
}

static int refuse_all(struct ctx *x, const json_t *obj, const char *path, const char *const *keys)
{
	for (size_t i = 0; keys[i] != NULL; i++)
		if (refuse(x, obj, path, keys[i], NULL) < 0)
			return -1;
	return 0;
}

/* An array of strings, NULL-terminated (the strings are the document's). */
static int strings(struct ctx *x, const json_t *arr, const char *path, const char ***out)
{
	size_t i;
	const json_t *v;

	*out = sz_xcalloc(json_array_size(arr) + 1, sizeof(char *));
	json_array_foreach (arr, i, v) {
		if (!json_is_string(v)) {
			cleanup_free char *p = sz_asprintf("%s[%zu]", path, i);
			return fail(x, p, _("expected %s, found %s"), wanted(T_STR), found(v));
		}
		(*out)[i] = json_string_value(v);
	}
	return 0;
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;

	json_array_foreach (arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static int parse_user(struct ctx *x, const json_t *process)
{
	struct sz_oci_config *cfg = x->cfg;
	const json_t *user, *uid, *gid, *groups, *umask_;
	size_t i;
	const json_t *v;

	if (get(x, process, "process", "user", T_OBJ, true, &user) < 0 ||
	    get(x, user, "process.user", "uid", T_UINT, true, &uid) < 0 ||
	    get(x, user, "process.user", "gid", T_UINT, true, &gid) < 0 ||
	    get(x, user, "process.user", "additionalGids", T_ARR, false, &groups) < 0 ||
	    get(x, user, "process.user", "umask", T_UINT, false, &umask_) < 0 ||
	    refuse(x, user, "process.user", "username", _("a Windows field")) < 0)
		return -1;
	if (json_integer_value(uid) > UINT32_MAX - 1 || json_integer_value(gid) > UINT32_MAX - 1)
		return fail(x, "process.user", _("uid and gid must be below 4294967295"));
	if (x->rootless && (json_integer_value(uid) != 0 || json_integer_value(gid) != 0))
		return fail(
		    x, "process.user",
		    _("without root the container has one user, root (you, mapped): uid and gid must be 0"));
	x->root_user = json_integer_value(uid) == 0;
	cfg->user =
	    sz_asprintf("%lld:%lld", (long long)json_integer_value(uid), (long long)json_integer_value(gid));
	cfg->spec.user = cfg->user;
	cfg->groups = sz_xcalloc(json_array_size(groups) + 1, sizeof(gid_t));
	json_array_foreach (groups, i, v) {
		if (!is(v, T_UINT) || json_integer_value(v) > UINT32_MAX - 1) {
			cleanup_free char *p = sz_asprintf("process.user.additionalGids[%zu]", i);
			return fail(x, p, _("expected %s, found %s"), wanted(T_UINT), found(v));
		}
		cfg->groups[i] = (gid_t)json_integer_value(v);
	}
	if (x->rootless && json_array_size(groups) > 0)
		return fail(x, "process.user.additionalGids",
		            _("without root the container has one group, root: no additional groups"));
	cfg->spec.groups = cfg->groups;
	cfg->spec.n_groups = json_array_size(groups);
	cfg->spec.groups_set = true;
	if (umask_ != NULL) {
		if (json_integer_value(umask_) > 0777)
			return fail(x, "process.user.umask", _("%lld is not a umask (0 to 0777)"),
			            (long long)json_integer_value(umask_));
		cfg->spec.umask_set = true;
		cfg->spec.umask = (unsigned int)json_integer_value(umask_);
	}
	return 0;
}

/* The names of a capability set as cap_value_t, or an error naming the bad one. */
static int cap_values(struct ctx *x, const json_t *arr, const char *path, int **out, size_t *n)
{
	const char **names = NULL;
	int ret = strings(x, arr, path, &names);

	*n = 0;
	*out = sz_xcalloc(json_array_size(arr) + 1, sizeof(int));
	for (size_t i = 0; ret == 0 && names[i] != NULL; i++) {
		cap_value_t v;
		if (strncmp(names[i], "CAP_", 4) != 0 || cap_from_name(names[i], &v) < 0) {
			cleanup_free char *p = sz_asprintf("%s[%zu]", path, i);
			ret = fail(x, p, _("unknown capability '%s'"), names[i]);
			break;
		}
		(*out)[(*n)++] = (int)v;
	}
	free(names);
	return ret;
}

static bool same_caps(const int *a, size_t na, const int *b, size_t nb)
{
	for (size_t i = 0; i < na; i++) {
		size_t k = 0;
		while (k < nb && b[k] != a[i])
			k++;
		if (k == nb)
			return false;
	}
	for (size_t i = 0; i < nb; i++) {
		size_t k = 0;
		while (k < na && a[k] != b[i])
			k++;
		if (k == na)
			return false;
	}
	return true;
}

/* The bounding set is kept; root's permitted and effective sets must be the
 * same (stanza sets them so); another user's may be empty or the same:
 * execve(2) clears both for a non-root process that has no ambient
 * capabilities and runs no file with capabilities, under runc too. */
static int parse_capabilities(struct ctx *x, const json_t *process)
{
	static const char *const sets[] = {"effective", "permitted"};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *caps, *bounding;

	if (get(x, process, "process", "capabilities", T_OBJ, false, &caps) < 0 ||
	    get(x, caps, "process.capabilities", "bounding", T_ARR, false, &bounding) < 0 ||
	    cap_values(x, bounding, "process.capabilities.bounding", &cfg->caps, &cfg->spec.n_caps) < 0)
		return -1;
	cfg->spec.caps = cfg->caps;
	cfg->spec.caps_set = true;
	for (size_t i = 0; i < cfg->spec.n_caps; i++)
		if (cfg->caps[i] == CAP_MKNOD)
			return fail(x, "process.capabilities.bounding",
			            _("CAP_MKNOD: stanza has no device cgroup yet to keep a node made with "
			              "it from being "
			              "opened (a host's disk): leave it out (ctr run --cap-drop CAP_MKNOD)"));
	for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
		cleanup_free char *path = sz_asprintf("process.capabilities.%s", sets[s]);
		cleanup_free int *values = NULL;
		const json_t *arr;
		size_t n;

		if (get(x, caps, "process.capabilities", sets[s], T_ARR, false, &arr) < 0 ||
		    cap_values(x, arr, path, &values, &n) < 0)
			return -1;
		if (n == 0 && !x->root_user)
			continue;
		if (!same_caps(values, n, cfg->caps, cfg->spec.n_caps))
			return fail(
			    x, path,
			    x->root_user
			        ? _("stanza gives root the bounding set as its %s set: make them the same")
			        : _("stanza gives a user other than root the bounding set or nothing as its "
			            "%s set"),
			    sets[s]);
	}
	if (refuse(x, caps, "process.capabilities", "inheritable",
	           _("stanza keeps no inheritable capabilities: leave it empty")) < 0 ||
	    refuse(x, caps, "process.capabilities", "ambient",
	           _("stanza keeps no ambient capabilities: leave it empty")) < 0)
		return -1;
	return 0;
}

static int rlimit_resource(const char *name)
{
	static const struct {
		const char *name;
		int resource;
	} names[] = {
	    {"RLIMIT_AS", RLIMIT_AS},
	    {"RLIMIT_CORE", RLIMIT_CORE},
	    {"RLIMIT_CPU", RLIMIT_CPU},
	    {"RLIMIT_DATA", RLIMIT_DATA},
	    {"RLIMIT_FSIZE", RLIMIT_FSIZE},
	    {"RLIMIT_LOCKS", RLIMIT_LOCKS},
	    {"RLIMIT_MEMLOCK", RLIMIT_MEMLOCK},
	    {"RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE},
	    {"RLIMIT_NICE", RLIMIT_NICE},
	    {"RLIMIT_NOFILE", RLIMIT_NOFILE},
	    {"RLIMIT_NPROC", RLIMIT_NPROC},
	    {"RLIMIT_RSS", RLIMIT_RSS},
	    {"RLIMIT_RTPRIO", RLIMIT_RTPRIO},
	    {"RLIMIT_RTTIME", RLIMIT_RTTIME},
	    {"RLIMIT_SIGPENDING", RLIMIT_SIGPENDING},
	    {"RLIMIT_STACK", RLIMIT_STACK},
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].resource;
	return -1;
}

static int parse_rlimits(struct ctx *x, const json_t *process)
{
	struct sz_oci_config *cfg = x->cfg;
	const json_t *arr, *v;
	size_t i;

	if (get(x, process, "process", "rlimits", T_ARR, false, &arr) < 0)
		return -1;
	cfg->rlimits = sz_xcalloc(json_array_size(arr) + 1, sizeof(*cfg->rlimits));
	json_array_foreach (arr, i, v) {
		cleanup_free char *path = sz_asprintf("process.rlimits[%zu]", i);
		const json_t *type, *soft, *hard;
		int res;

		if (!json_is_object(v))
			return fail(x, path, _("expected %s, found %s"), wanted(T_OBJ), found(v));
		if (get(x, v, path, "type", T_STR, true, &type) < 0 ||
		    get(x, v, path, "soft", T_UINT, true, &soft) < 0 ||
		    get(x, v, path, "hard", T_UINT, true, &hard) < 0)
			return -1;
		res = rlimit_resource(json_string_value(type));
		if (res < 0)
			return fail(x, path,
			            _("unknown resource limit '%s' (RLIMIT_NOFILE, RLIMIT_NPROC, ...)"),
			            json_string_value(type));
		for (size_t j = 0; j < i; j++)
			if (cfg->rlimits[j].resource == res)
				return fail(x, path, _("%s is given twice"), json_string_value(type));
		if (json_integer_value(soft) > json_integer_value(hard))
			return fail(x, path, _("the soft limit is above the hard limit"));
		cfg->rlimits[i] = (struct sz_rlimit){res, (uint64_t)json_integer_value(soft),
		                                     (uint64_t)json_integer_value(hard)};
	}
	cfg->spec.rlimits = cfg->rlimits;
	cfg->spec.n_rlimits = json_array_size(arr);
	return 0;
}

static int parse_process(struct ctx *x, const json_t *process)
{
	static const char *const refused[] = {
	    "apparmorProfile", "selinuxLabel",    "consoleSize", "ioPriority",
	    "scheduler",       "execCPUAffinity", "commandLine", NULL};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *args, *env, *cwd, *terminal, *nnp, *oom;

	if (get(x, process, "process", "args", T_ARR, true, &args) < 0 ||
	    strings(x, args, "process.args", &cfg->argv) < 0)
		return -1;
	if (cfg->argv[0] == NULL || cfg->argv[0][0] == '\0')
		return fail(x, "process.args", _("empty: give the command to run"));
	if (get(x, process, "process", "env", T_ARR, false, &env) < 0 ||
	    strings(x, env, "process.env", &cfg->env) < 0)
		return -1;
	for (size_t i = 0; cfg->env[i] != NULL; i++)
		if (strchr(cfg->env[i], '=') == NULL || cfg->env[i][0] == '=') {
			cleanup_free char *p = sz_asprintf("process.env[%zu]", i);
			return fail(x, p, _("'%s' is not KEY=VALUE"), cfg->env[i]);
		}
	if (get(x, process, "process", "cwd", T_STR, true, &cwd) < 0)
		return -1;
	if (json_string_value(cwd)[0] != '/')
		return fail(x, "process.cwd", _("'%s' is not an absolute path"), json_string_value(cwd));
	if (get(x, process, "process", "terminal", T_BOOL, false, &terminal) < 0 ||
	    get(x, process, "process", "noNewPrivileges", T_BOOL, false, &nnp) < 0 ||
	    get(x, process, "process", "oomScoreAdj", T_INT, false, &oom) < 0)
		return -1;
	cfg->spec.no_nnp = !json_is_true(nnp);
	if (oom != NULL) {
		if (json_integer_value(oom) < -1000 || json_integer_value(oom) > 1000)
			return fail(x, "process.oomScoreAdj", _("%lld is not between -1000 and 1000"),
			            (long long)json_integer_value(oom));
		cfg->spec.oom_set = true;
		cfg->spec.oom_score_adj = (int)json_integer_value(oom);
	}
	cfg->terminal = json_is_true(terminal);
	cfg->spec.argv = (char *const *)cfg->argv;
	cfg->spec.env = (char *const *)cfg->env;
	cfg->spec.exact_env = true;
	cfg->spec.workdir = json_string_value(cwd);
	if (parse_user(x, process) < 0 || parse_capabilities(x, process) < 0 || parse_rlimits(x, process) < 0)
		return -1;
	return refuse_all(x, process, "process", refused);
}

static int parse_root(struct ctx *x, const json_t *doc)
{
	struct sz_oci_config *cfg = x->cfg;
	const json_t *root, *path, *ro;
	const char *p;

	if (get(x, doc, "", "root", T_OBJ, true, &root) < 0 ||
	    get(x, root, "root", "path", T_STR, true, &path) < 0 ||
	    get(x, root, "root", "readonly", T_BOOL, false, &ro) < 0)
		return -1;
	p = json_string_value(path);
	if (p[0] == '\0')
		return fail(x, "root.path", _("empty: name the root file system's directory"));
	/* Relative to the bundle, as the spec allows. */
	cfg->rootfs = p[0] == '/' ? sz_xstrdup(p) : sz_asprintf("%s/%s", cfg->bundle, p);
	if (strpbrk(cfg->rootfs, ",:") != NULL)
		return fail(x, "root.path", _("'%s' may not contain ',' or ':'"), cfg->rootfs);
	cfg->spec.image = cfg->rootfs;
	cfg->spec.read_only = json_is_true(ro);
	cfg->spec.bind_root = !cfg->spec.read_only;
	return 0;
}

/* What stanza mounts itself, by destination and type. */
static const char *standard_type(const char *dest)
{
	static const char *const std[][2] = {
	    {"/proc", "proc"},         {"/dev", "tmpfs"}, {"/dev/pts", "devpts"},       {"/dev/shm", "tmpfs"},
	    {"/dev/mqueue", "mqueue"}, {"/sys", "sysfs"}, {"/sys/fs/cgroup", "cgroup"},
	};

	for (size_t i = 0; i < sizeof(std) / sizeof(std[0]); i++)
		if (strcmp(dest, std[i][0]) == 0)
			return std[i][1];
	return NULL;
}

static int parse_bind(struct ctx *x, const json_t *m, const char *path, const char *dest, const json_t *opts)
{
	/* Never "dev": with no device cgroup, binds are nodev (see parse_devices). */
	static const char *const allowed[] = {"bind",   "rbind", "ro",     "rw",   "private", "rprivate",
	                                      "nosuid", "nodev", "noexec", "suid", "exec",    NULL};
	struct sz_oci_config *cfg = x->cfg;
	struct sz_volume *v = &cfg->volumes[cfg->n_volumes];
	const json_t *src, *o;
	size_t i;

	if (get(x, m, path, "source", T_STR, true, &src) < 0)
		return -1;
	json_array_foreach (opts, i, o) {
		size_t k;
		for (k = 0; allowed[k] != NULL && strcmp(allowed[k], json_string_value(o)) != 0; k++)
			;
		if (allowed[k] == NULL)
			return fail(x, path, _("option '%s' of a bind mount is not supported by stanza yet"),
			            json_string_value(o));
		if (strcmp(json_string_value(o), "ro") == 0)
			v->read_only = true;
		if (strcmp(json_string_value(o), "rw") == 0)
			v->read_only = false;
		if (strcmp(json_string_value(o), "nosuid") == 0)
			v->flags |= MS_NOSUID;
		if (strcmp(json_string_value(o), "nodev") == 0)
			v->flags |= MS_NODEV;
		if (strcmp(json_string_value(o), "noexec") == 0)
			v->flags |= MS_NOEXEC;
	}
	v->flags |= MS_NODEV;
	v->host = json_string_value(src)[0] == '/'
	              ? sz_xstrdup(json_string_value(src))
	              : sz_asprintf("%s/%s", cfg->bundle, json_string_value(src));
	v->container = sz_xstrdup(dest);
	cfg->n_volumes++;
	return 0;
}

/* A file system mounted where the config says (tmpfs): its options become
 * mount flags, or its data when they are not flags. */
static int parse_fs_mount(struct ctx *x, const json_t *m, const char *path, const char *dest,
                          const char *type, const json_t *opts)
{
	static const struct {
		const char *name;
		unsigned long flag;
	} flags[] = {
	    {"nosuid", MS_NOSUID},
	    {"nodev", MS_NODEV},
	    {"noexec", MS_NOEXEC},
	    {"relatime", MS_RELATIME},
	    {"noatime", MS_NOATIME},
	    {"strictatime", MS_STRICTATIME},
	    {"nodiratime", MS_NODIRATIME},
	    {"sync", MS_SYNCHRONOUS},
	    {"dirsync", MS_DIRSYNC},
	    {"suid", 0},
	    {"exec", 0}, /* the defaults; never "dev": see parse_devices */
	};
	struct sz_oci_config *cfg = x->cfg;
	struct sz_volume *v = &cfg->volumes[cfg->n_volumes];
	const json_t *src, *o;
	struct sz_buf data;
	size_t i;

	if (get(x, m, path, "source", T_STR, false, &src) < 0)
		return -1;
	sz_buf_init(&data, 0);
	json_array_foreach (opts, i, o) {
		const char *name = json_string_value(o);
		size_t k;

		if (strcmp(name, "ro") == 0 || strcmp(name, "rw") == 0) {
			v->read_only = strcmp(name, "ro") == 0;
			continue;
		}
		if (strcmp(name, "private") == 0 || strcmp(name, "rprivate") == 0)
			continue; /* every mount of the container is private */
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]) && strcmp(flags[k].name, name) != 0; k++)
			;
		if (k < sizeof(flags) / sizeof(flags[0])) {
			v->flags |= flags[k].flag;
		} else if (strchr(name, '=') != NULL && strchr(name, ',') == NULL) {
			sz_buf_addf(&data, "%s%s", data.len > 0 ? "," : "", name);
		} else {
			sz_buf_release(&data);
			return fail(x, path, _("option '%s' of a %s mount is not supported by stanza yet"),
			            name, type);
		}
	}
	v->flags |= MS_NODEV;
	v->host = sz_xstrdup(src != NULL ? json_string_value(src) : type);
	v->container = sz_xstrdup(dest);
	v->fstype = type;
	v->data = data.len > 0 ? sz_buf_detach(&data, NULL) : NULL;
	sz_buf_release(&data);
	cfg->n_volumes++;
	return 0;
}

/* Mounts: stanza's standard set it makes itself (each must be there, with
 * its type), and bind mounts; anything else is refused by name. */
static int parse_mounts(struct ctx *x, const json_t *doc)
{
	static const char *const required[] = {"/proc",       "/dev", "/dev/pts", "/dev/shm",
	                                       "/dev/mqueue", "/sys", NULL};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *mounts, *m;
	size_t i;

	if (get(x, doc, "", "mounts", T_ARR, false, &mounts) < 0)
		return -1;
	cfg->volumes = sz_xcalloc(json_array_size(mounts) + 1, sizeof(*cfg->volumes));
	json_array_foreach (mounts, i, m) {
		cleanup_free char *path = sz_asprintf("mounts[%zu]", i);
		const json_t *dest, *type, *opts;
		const char *d, *std;
		bool bind;

		if (!json_is_object(m))
			return fail(x, path, _("expected %s, found %s"), wanted(T_OBJ), found(m));
		if (get(x, m, path, "destination", T_STR, true, &dest) < 0 ||
		    get(x, m, path, "type", T_STR, false, &type) < 0 ||
		    get(x, m, path, "options", T_ARR, false, &opts) < 0)
			return -1;
		d = json_string_value(dest);
		if (d[0] != '/')
			return fail(x, path, _("destination '%s' is not an absolute path"), d);
		if (strstr(d, "/../") != NULL || (strlen(d) >= 3 && strcmp(d + strlen(d) - 3, "/..") == 0))
			return fail(x, path, _("destination '%s' has a '..' component"), d);
		for (size_t k = 0; k < json_array_size(opts); k++)
			if (!json_is_string(json_array_get(opts, k))) {
				cleanup_free char *p = sz_asprintf("%s.options[%zu]", path, k);
				return fail(x, p, _("expected %s, found %s"), wanted(T_STR),
				            found(json_array_get(opts, k)));
			}
		bind = (type != NULL && strcmp(json_string_value(type), "bind") == 0) ||
		       has_string(opts, "bind") || has_string(opts, "rbind");
		std = standard_type(d);
		/* A bind on one of stanza's own (podman binds /dev/shm) goes over it. */
		if (bind && (std == NULL ||
		             (strcmp(d, "/proc") != 0 && strcmp(d, "/sys") != 0 && strcmp(d, "/dev") != 0))) {
			if (parse_bind(x, m, path, d, opts) < 0)
				return -1;
		} else if (std == NULL && type != NULL && strcmp(json_string_value(type), "tmpfs") == 0) {
			if (parse_fs_mount(x, m, path, d, json_string_value(type), opts) < 0)
				return -1;
		} else if (std == NULL) {
			return fail(x, path,
			            _("a %s on %s: stanza mounts its own /proc, /dev, /sys and binds, not "
			              "other file systems yet"),
			            type ? json_string_value(type) : "?", d);
		} else if (type == NULL || strcmp(json_string_value(type), std) != 0) {
			return fail(x, path, _("%s must be of type %s: stanza mounts it so"), d, std);
		}
	}
	for (i = 0; required[i] != NULL; i++) {
		size_t k;
		for (k = 0; k < json_array_size(mounts); k++)
			if (strcmp(
			        json_string_value(json_object_get(json_array_get(mounts, k), "destination")),
			        required[i]) == 0)
				break;
		if (k == json_array_size(mounts))
			return fail(x, "mounts",
			            _("no entry for %s, which stanza always mounts (see 'stanza spec')"),
			            required[i]);
	}
	cfg->spec.volumes = cfg->volumes;
	cfg->spec.n_volumes = cfg->n_volumes;
	return 0;
}

static int parse_namespaces(struct ctx *x, const json_t *lnx)
{
	static const struct {
		const char *type;
		int flag;
	} kinds[] = {
	    {"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
	    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
	    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
	};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *arr, *n;
	int flags = 0;
	size_t i;

	if (get(x, lnx, "linux", "namespaces", T_ARR, true, &arr) < 0)
		return -1;
	json_array_foreach (arr, i, n) {
		cleanup_free char *path = sz_asprintf("linux.namespaces[%zu]", i);
		const json_t *type, *p;
		size_t k;

		if (!json_is_object(n))
			return fail(x, path, _("expected %s, found %s"), wanted(T_OBJ), found(n));
		if (get(x, n, path, "type", T_STR, true, &type) < 0 ||
		    get(x, n, path, "path", T_STR, false, &p) < 0)
			return -1;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]) &&
		            strcmp(kinds[k].type, json_string_value(type)) != 0;
		     k++)
			;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			return fail(x, path, _("unknown namespace type '%s'"), json_string_value(type));
		if (flags & kinds[k].flag)
			return fail(x, path, _("the %s namespace is given twice"), kinds[k].type);
		if (p != NULL && kinds[k].flag != CLONE_NEWNET && kinds[k].flag != CLONE_NEWIPC &&
		    kinds[k].flag != CLONE_NEWUTS)
			return fail(
			    x, path,
			    _("joining an existing %s namespace (path) is not supported by stanza yet"),
			    kinds[k].type);
		if (p != NULL && json_string_value(p)[0] != '/')
			return fail(x, path, _("path '%s' is not absolute"), json_string_value(p));
		if (p != NULL && kinds[k].flag == CLONE_NEWNET)
			cfg->spec.net_path = json_string_value(p);
		if (p != NULL && kinds[k].flag == CLONE_NEWIPC)
			cfg->spec.ipc_path = json_string_value(p);
		if (p != NULL && kinds[k].flag == CLONE_NEWUTS)
			cfg->spec.uts_path = json_string_value(p);
		if (kinds[k].flag == CLONE_NEWTIME)
			return fail(x, path, _("a time namespace is not supported by stanza yet"));
		flags |= kinds[k].flag;
	}
	if (!(flags & CLONE_NEWPID) || !(flags & CLONE_NEWNS))
		return fail(x, "linux.namespaces",
		            _("stanza always makes new pid and mount namespaces: both must be listed"));
	if (x->rootless && !(flags & CLONE_NEWUSER))
		return fail(
		    x, "linux.namespaces",
		    _("without root stanza needs a user namespace: add {\"type\": \"user\"} (stanza spec "
		      "--rootless)"));
	if (!x->rootless && (flags & CLONE_NEWUSER))
		return fail(x, "linux.namespaces",
		            _("a user namespace when run as root is not supported by stanza yet"));
	cfg->spec.net = flags & CLONE_NEWNET ? SZ_NET_NONE : SZ_NET_HOST;
	cfg->spec.keep_ns = (CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP) & ~flags;
	return 0;
}

/* Rootless: the caller mapped to root, one id, as stanza does it; as root: none. */
static int parse_mappings(struct ctx *x, const json_t *lnx, const char *key, unsigned long host)
{
	cleanup_free char *path = sz_asprintf("linux.%s", key);
	const json_t *arr, *m;

	if (get(x, lnx, "linux", key, T_ARR, false, &arr) < 0)
		return -1;
	if (!x->rootless)
		return refuse(x, lnx, "linux", key,
		              _("id mappings when run as root are not supported by stanza yet"));
	m = json_array_get(arr, 0);
	if (json_array_size(arr) != 1 || !json_is_object(m) ||
	    json_integer_value(json_object_get(m, "containerID")) != 0 ||
	    json_integer_value(json_object_get(m, "hostID")) != (json_int_t)host ||
	    json_integer_value(json_object_get(m, "size")) != 1)
		return fail(x, path,
		            _("without root stanza maps you (%lu) to 0 and nothing else: one entry "
		              "{\"containerID\": 0, \"hostID\": %lu, \"size\": 1}"),
		            host, host);
	return 0;
}

/* The device cgroup's rules stanza's mounts already obey: its /dev holds
 * null, zero, full, random, urandom, tty, the ptmx and its own devpts; the
 * root, the binds and the tmpfs mounts are nodev, so a node shipped in the
 * image or a volume does not open; and CAP_MKNOD is refused. So "deny all",
 * and allowing any of those nodes (containerd's and podman's defaults,
 * /dev/console's 5:1 too), change nothing; any other rule needs a device
 * cgroup stanza does not make yet. */
static int parse_devices(struct ctx *x, const json_t *devs)
{
	static const int allowed[][2] = {{1, 3}, {1, 5}, {1, 7}, {1, 8},   {1, 9},
	                                 {5, 0}, {5, 1}, {5, 2}, {136, -1}};
	const json_t *d;
	size_t i;

	json_array_foreach (devs, i, d) {
		cleanup_free char *p = sz_asprintf("linux.resources.devices[%zu]", i);
		const json_t *allow, *type, *major, *minor;
		size_t k;

		if (!json_is_object(d))
			return fail(x, p, _("expected %s, found %s"), wanted(T_OBJ), found(d));
		if (get(x, d, p, "allow", T_BOOL, true, &allow) < 0 ||
		    get(x, d, p, "type", T_STR, false, &type) < 0 ||
		    get(x, d, p, "major", T_INT, false, &major) < 0 ||
		    get(x, d, p, "minor", T_INT, false, &minor) < 0)
			return -1;
		if (!json_is_true(allow)) {
			if (type != NULL || major != NULL || minor != NULL)
				return fail(
				    x, p,
				    _("stanza has no device cgroup yet: only \"deny all\" is understood"));
			continue;
		}
		for (k = 0; k < sizeof(allowed) / sizeof(allowed[0]); k++)
			if (type != NULL && strcmp(json_string_value(type), "c") == 0 && major != NULL &&
			    json_integer_value(major) == allowed[k][0] &&
			    (allowed[k][1] < 0 ? minor == NULL || json_integer_value(minor) == -1
			                       : minor != NULL && json_integer_value(minor) == allowed[k][1]))
				break;
		if (k == sizeof(allowed) / sizeof(allowed[0]))
			return fail(
			    x, p,
			    _("stanza has no device cgroup yet: it allows only the devices of its own /dev "
			      "(null, zero, full, random, urandom, tty, console, ptmx, pts)"));
	}
	return 0;
}

static int parse_resources(struct ctx *x, const json_t *lnx)
{
	static const char *const refused[] = {"hugepageLimits", "network", "blockIO",
	                                      "rdma",           "unified", NULL};
	static const char *const mem_refused[] = {"reservation", "kernel", "kernelTCP", "swappiness", NULL};
	static const char *const cpu_refused[] = {
	    "realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", NULL};
	struct sz_cgroup_limits *l = &x->cfg->spec.limits;
	const json_t *res, *mem, *pids, *cpu, *devs, *v;

	if (get(x, lnx, "linux", "resources", T_OBJ, false, &res) < 0 || res == NULL)
		return 0;
	if (get(x, res, "linux.resources", "memory", T_OBJ, false, &mem) < 0 ||
	    get(x, res, "linux.resources", "pids", T_OBJ, false, &pids) < 0 ||
	    get(x, res, "linux.resources", "cpu", T_OBJ, false, &cpu) < 0 ||
	    get(x, res, "linux.resources", "devices", T_ARR, false, &devs) < 0 ||
	    refuse_all(x, res, "linux.resources", refused) < 0)
		return -1;
	if (mem != NULL) {
		const json_t *swap, *oom;
		if (get(x, mem, "linux.resources.memory", "limit", T_INT, false, &v) < 0 ||
		    get(x, mem, "linux.resources.memory", "swap", T_INT, false, &swap) < 0 ||
		    get(x, mem, "linux.resources.memory", "disableOOMKiller", T_BOOL, false, &oom) < 0 ||
		    refuse_all(x, mem, "linux.resources.memory", mem_refused) < 0)
			return -1;
		if (v != NULL && json_integer_value(v) > 0)
			l->memory_bytes = (uint64_t)json_integer_value(v);
		/* memory and swap together; -1: swap without limit */
		if (swap != NULL && json_integer_value(swap) == -1)
			l->memory_swap_bytes = UINT64_MAX;
		else if (swap != NULL && json_integer_value(swap) > 0 &&
		         json_integer_value(swap) < json_integer_value(v))
			return fail(x, "linux.resources.memory.swap",
			            _("%lld is below the memory limit: it counts memory and swap together"),
			            (long long)json_integer_value(swap));
		else if (swap != NULL && json_integer_value(swap) > 0)
			l->memory_swap_bytes = (uint64_t)json_integer_value(swap);
		if (json_is_true(oom))
			return fail(x, "linux.resources.memory.disableOOMKiller",
			            _("not supported by stanza yet"));
	}
	if (pids != NULL) {
		if (get(x, pids, "linux.resources.pids", "limit", T_INT, true, &v) < 0)
			return -1;
		if (json_integer_value(v) > 0)
			l->pids = (uint64_t)json_integer_value(v);
	}
	if (cpu != NULL) {
		const json_t *period, *shares;
		if (get(x, cpu, "linux.resources.cpu", "quota", T_INT, false, &v) < 0 ||
		    get(x, cpu, "linux.resources.cpu", "period", T_UINT, false, &period) < 0 ||
		    refuse_all(x, cpu, "linux.resources.cpu", cpu_refused) < 0)
			return -1;
		/* 1024 is the kernel's default weight (v2: 100): there is nothing to set. */
		if (get(x, cpu, "linux.resources.cpu", "shares", T_UINT, false, &shares) < 0)
			return -1;
		if (shares != NULL && json_integer_value(shares) != 0 && json_integer_value(shares) != 1024)
			return fail(x, "linux.resources.cpu.shares",
			            _("only the default, 1024, is supported by stanza yet"));
		if (period != NULL && json_integer_value(period) != 100000)
			return fail(
			    x, "linux.resources.cpu.period",
			    _("stanza's period is 100000 microseconds: give the quota for that period"));
		if (v != NULL && json_integer_value(v) > 0)
			l->cpu_milli = ((uint64_t)json_integer_value(v) + 50) / 100;
	}
	return parse_devices(x, devs);
}

/* Absolute paths without '..', as the runtime mounts over them. */
static int parse_paths(struct ctx *x, const json_t *lnx, const char *key, const char ***out)
{
	cleanup_free char *path = sz_asprintf("linux.%s", key);
	const json_t *arr;

	*out = NULL;
	if (get(x, lnx, "linux", key, T_ARR, false, &arr) < 0 || strings(x, arr, path, out) < 0)
		return -1;
	for (size_t i = 0; (*out)[i] != NULL; i++)
		if ((*out)[i][0] != '/' || strstr((*out)[i], "..") != NULL) {
			cleanup_free char *p = sz_asprintf("%s[%zu]", path, i);
			return fail(x, p, _("'%s' is not an absolute path without '..'"), (*out)[i]);
		}
	return 0;
}

static int seccomp_action(struct ctx *x, const char *path, const char *name, const json_t *errno_ret,
                          uint32_t *out)
{
	uint32_t e = errno_ret != NULL ? (uint32_t)json_integer_value(errno_ret) : EPERM;

	if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		*out = SCMP_ACT_ALLOW;
	else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
		*out = SCMP_ACT_ERRNO(e & 0xffff);
	else if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		*out = SCMP_ACT_KILL_THREAD;
	else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		*out = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		*out = SCMP_ACT_TRAP;
	else if (strcmp(name, "SCMP_ACT_LOG") == 0)
		*out = SCMP_ACT_LOG;
	else
		return fail(x, path,
		            _("action '%s' is not supported by stanza (ALLOW, ERRNO, KILL, KILL_PROCESS, "
		              "TRAP, LOG are)"),
		            name);
	return 0;
}

static int seccomp_arch(const char *name, uint32_t *out)
{
	static const struct {
		const char *name;
		uint32_t arch;
	} arches[] = {
	    {"SCMP_ARCH_X86", SCMP_ARCH_X86},         {"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
	    {"SCMP_ARCH_X32", SCMP_ARCH_X32},         {"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
	    {"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64}, {"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
	    {"SCMP_ARCH_S390X", SCMP_ARCH_S390X},     {"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
	};

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(name, arches[i].name) == 0) {
			*out = arches[i].arch;
			return 0;
		}
	return -1;
}

static int seccomp_op(const char *name)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
	    {"SCMP_CMP_NE", SCMP_CMP_NE},
	    {"SCMP_CMP_LT", SCMP_CMP_LT},
	    {"SCMP_CMP_LE", SCMP_CMP_LE},
	    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
	    {"SCMP_CMP_GE", SCMP_CMP_GE},
	    {"SCMP_CMP_GT", SCMP_CMP_GT},
	    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
	};

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(name, ops[i].name) == 0)
			return (int)ops[i].op;
	return -1;
}

static int parse_seccomp_args(struct ctx *x, const json_t *args, const char *path,
                              struct sz_seccomp_rule *rule)
{
	struct sz_seccomp_arg *out = sz_xcalloc(json_array_size(args) + 1, sizeof(*out));
	const json_t *a;
	size_t i;

	rule->args = out;
	if (json_array_size(args) > 6)
		return fail(x, path, _("more than 6 argument conditions"));
	json_array_foreach (args, i, a) {
		cleanup_free char *p = sz_asprintf("%s.args[%zu]", path, i);
		const json_t *index, *value, *value_two, *op;

		if (!json_is_object(a))
			return fail(x, p, _("expected %s, found %s"), wanted(T_OBJ), found(a));
		if (get(x, a, p, "index", T_UINT, true, &index) < 0 ||
		    get(x, a, p, "value", T_UINT, true, &value) < 0 ||
		    get(x, a, p, "valueTwo", T_UINT, false, &value_two) < 0 ||
		    get(x, a, p, "op", T_STR, true, &op) < 0)
			return -1;
		if (json_integer_value(index) > 5)
			return fail(x, p, _("index %lld: system calls have 6 arguments (0 to 5)"),
			            (long long)json_integer_value(index));
		out[i] = (struct sz_seccomp_arg){
		    (unsigned int)json_integer_value(index), (uint64_t)json_integer_value(value),
		    value_two != NULL ? (uint64_t)json_integer_value(value_two) : 0,
		    seccomp_op(json_string_value(op))};
		if (out[i].op < 0)
			return fail(x, p, _("unknown operator '%s'"), json_string_value(op));
	}
	rule->n_args = json_array_size(args);
	return 0;
}

static int parse_seccomp_rule(struct ctx *x, const json_t *r, const char *path, struct sz_seccomp_rule *rule)
{
	static const char *const refused[] = {"includes", "excludes", NULL};
	cleanup_free char *names_path = sz_asprintf("%s.names", path);
	const json_t *names, *action, *errno_ret, *args;
	const char **list = NULL;
	int ret;

	if (!json_is_object(r))
		return fail(x, path, _("expected %s, found %s"), wanted(T_OBJ), found(r));
	if (get(x, r, path, "names", T_ARR, true, &names) < 0 ||
	    get(x, r, path, "action", T_STR, true, &action) < 0 ||
	    get(x, r, path, "errnoRet", T_UINT, false, &errno_ret) < 0 ||
	    get(x, r, path, "args", T_ARR, false, &args) < 0)
		return -1;
	/* podman writes empty includes and excludes: only a non-empty one is refused. */
	for (size_t i = 0; refused[i] != NULL; i++) {
		const json_t *v = json_object_get(r, refused[i]);
		if (json_is_object(v) && json_object_size(v) > 0) {
			cleanup_free char *p = sz_asprintf("%s.%s", path, refused[i]);
			return fail(x, p, _("a Docker profile's field, not the runtime spec's"));
		}
	}
	ret = strings(x, names, names_path, &list);
	rule->names = list;
	rule->n_names = json_array_size(names);
	if (ret < 0 || seccomp_action(x, path, json_string_value(action), errno_ret, &rule->action) < 0)
		return -1;
	return parse_seccomp_args(x, args, path, rule);
}

/* linux.seccomp as libseccomp compiles it; none without it. */
static int parse_seccomp(struct ctx *x, const json_t *lnx)
{
	static const char *const refused[] = {"flags", "listenerPath", "listenerMetadata", NULL};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *sc, *def, *def_errno, *arches, *calls, *v;
	size_t i;

	if (get(x, lnx, "linux", "seccomp", T_OBJ, false, &sc) < 0)
		return -1;
	if (sc == NULL) {
		cfg->spec.no_seccomp = true;
		return 0;
	}
	if (get(x, sc, "linux.seccomp", "defaultAction", T_STR, true, &def) < 0 ||
	    get(x, sc, "linux.seccomp", "defaultErrnoRet", T_UINT, false, &def_errno) < 0 ||
	    get(x, sc, "linux.seccomp", "architectures", T_ARR, false, &arches) < 0 ||
	    get(x, sc, "linux.seccomp", "syscalls", T_ARR, false, &calls) < 0 ||
	    refuse_all(x, sc, "linux.seccomp", refused) < 0 ||
	    seccomp_action(x, "linux.seccomp.defaultAction", json_string_value(def), def_errno,
	                   &cfg->seccomp.default_action) < 0)
		return -1;
	cfg->arches = sz_xcalloc(json_array_size(arches) + 1, sizeof(*cfg->arches));
	json_array_foreach (arches, i, v) {
		cleanup_free char *p = sz_asprintf("linux.seccomp.architectures[%zu]", i);
		if (!json_is_string(v))
			return fail(x, p, _("expected %s, found %s"), wanted(T_STR), found(v));
		if (seccomp_arch(json_string_value(v), &cfg->arches[i]) < 0)
			return fail(x, p, _("unknown architecture '%s'"), json_string_value(v));
	}
	cfg->seccomp.arches = cfg->arches;
	cfg->seccomp.n_arches = json_array_size(arches);
	cfg->rules = sz_xcalloc(json_array_size(calls) + 1, sizeof(*cfg->rules));
	cfg->seccomp.rules = cfg->rules;
	json_array_foreach (calls, i, v) {
		cleanup_free char *p = sz_asprintf("linux.seccomp.syscalls[%zu]", i);
		cfg->seccomp.n_rules = i + 1;
		if (parse_seccomp_rule(x, v, p, &cfg->rules[i]) < 0)
			return -1;
	}
	cfg->spec.seccomp = &cfg->seccomp;
	return 0;
}

/* Only the parameters of the container's own namespaces, as runc allows. */
static bool namespaced_sysctl(const char *key, const struct sz_spec *spec)
{
	static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
	                                  "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
	                                  "kernel.shmmni", "kernel.shm_rmid_forced"};

	if (strncmp(key, "net.", 4) == 0)
		return spec->net == SZ_NET_NONE || spec->net_path != NULL;
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		return !(spec->keep_ns & CLONE_NEWIPC) || spec->ipc_path != NULL;
	for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
		if (strcmp(key, ipc[i]) == 0)
			return !(spec->keep_ns & CLONE_NEWIPC) || spec->ipc_path != NULL;
	return false;
}

static int parse_sysctl(struct ctx *x, const json_t *lnx)
{
	struct sz_oci_config *cfg = x->cfg;
	const json_t *obj, *v;
	const char *key;
	size_t n = 0;

	if (get(x, lnx, "linux", "sysctl", T_OBJ, false, &obj) < 0)
		return -1;
	cfg->sysctl = sz_xcalloc(json_object_size(obj) + 1, sizeof(char *));
	json_object_foreach ((json_t *)obj, key, v) {
		cleanup_free char *p = sz_asprintf("linux.sysctl.%s", key);
		if (!json_is_string(v))
			return fail(x, p, _("expected %s, found %s"), wanted(T_STR), found(v));
		if (key[0] == '\0' || strstr(key, "..") != NULL || strchr(key, '/') != NULL ||
		    !namespaced_sysctl(key, &cfg->spec))
			return fail(x, p,
			            _("not a parameter of the container's own namespaces (net.*, "
			              "fs.mqueue.*, kernel.msg*, "
			              "kernel.sem, kernel.shm*)"));
		cfg->sysctl[n++] = sz_asprintf("%s=%s", key, json_string_value(v));
	}
	cfg->spec.sysctl = (const char *const *)cfg->sysctl;
	cfg->spec.n_sysctl = n;
	return 0;
}

static int parse_cgroups_path(struct ctx *x, const json_t *lnx)
{
	const json_t *v;
	const char *p;

	if (get(x, lnx, "linux", "cgroupsPath", T_STR, false, &v) < 0 || v == NULL ||
	    json_string_length(v) == 0)
		return 0;
	p = json_string_value(v);
	if (strchr(p, ':') != NULL)
		return fail(
		    x, "linux.cgroupsPath",
		    _("'%s' is systemd's form (slice:prefix:name): stanza manages cgroups itself (cgroupfs)"),
		    p);
	if (strstr(p, "..") != NULL || p[strlen(p) - 1] == '/' || strspn(p, "/") == strlen(p))
		return fail(x, "linux.cgroupsPath", _("'%s' is not a cgroup path"), p);
	x->cfg->spec.cgroup_path = p;
	return 0;
}

static int parse_linux(struct ctx *x, const json_t *doc)
{
	static const char *const refused[] = {"devices",     "mountLabel",   "intelRdt",
	                                      "personality", "memoryPolicy", NULL};
	const json_t *lnx, *prop;

	if (get(x, doc, "", "linux", T_OBJ, true, &lnx) < 0 || parse_namespaces(x, lnx) < 0 ||
	    parse_mappings(x, lnx, "uidMappings", x->uid) < 0 ||
	    parse_mappings(x, lnx, "gidMappings", x->gid) < 0 || parse_resources(x, lnx) < 0 ||
	    refuse_all(x, lnx, "linux", refused) < 0)
		return -1;
	if (parse_paths(x, lnx, "maskedPaths", &x->cfg->masked) < 0 ||
	    parse_paths(x, lnx, "readonlyPaths", &x->cfg->readonly) < 0 || parse_seccomp(x, lnx) < 0 ||
	    parse_sysctl(x, lnx) < 0 || parse_cgroups_path(x, lnx) < 0)
		return -1;
	x->cfg->spec.paths_set = true;
	x->cfg->spec.masked_paths = x->cfg->masked;
	x->cfg->spec.readonly_paths = x->cfg->readonly;
	while (x->cfg->masked[x->cfg->spec.n_masked_paths] != NULL)
		x->cfg->spec.n_masked_paths++;
	while (x->cfg->readonly[x->cfg->spec.n_readonly_paths] != NULL)
		x->cfg->spec.n_readonly_paths++;
	if (get(x, lnx, "linux", "rootfsPropagation", T_STR, false, &prop) < 0)
		return -1;
	if (prop != NULL && strcmp(json_string_value(prop), "private") != 0 &&
	    strcmp(json_string_value(prop), "rprivate") != 0)
		return fail(x, "linux.rootfsPropagation",
		            _("stanza makes the root rprivate; '%s' is not supported yet"),
		            json_string_value(prop));
	return 0;
}

/* Hooks: checked here, run by the lifecycle commands (cmd_oci.c) from the
 * configuration create keeps. Those that run in the container's namespaces
 * are not done yet. */
static int parse_hooks(struct ctx *x, const json_t *doc)
{
	static const char *const kinds[] = {"prestart", "createRuntime", "poststart", "poststop", NULL};
	const json_t *hooks;

	if (get(x, doc, "", "hooks", T_OBJ, false, &hooks) < 0 || hooks == NULL)
		return 0;
	if (refuse(x, hooks, "hooks", "createContainer",
	           _("hooks in the container's namespaces are not supported by stanza yet")) < 0 ||
	    refuse(x, hooks, "hooks", "startContainer",
	           _("hooks in the container's namespaces are not supported by stanza yet")) < 0)
		return -1;
	for (size_t k = 0; kinds[k] != NULL; k++) {
		cleanup_free char *path = sz_asprintf("hooks.%s", kinds[k]);
		const json_t *list, *h;
		size_t i;

		if (get(x, hooks, "hooks", kinds[k], T_ARR, false, &list) < 0)
			return -1;
		json_array_foreach (list, i, h) {
			cleanup_free char *hp = sz_asprintf("%s[%zu]", path, i);
			cleanup_free char *ap = sz_asprintf("%s.args", hp);
			cleanup_free char *ep = sz_asprintf("%s.env", hp);
			const json_t *hpath, *args, *env, *timeout;
			const char **tmp = NULL;
			int r;

			if (!json_is_object(h))
				return fail(x, hp, _("expected %s, found %s"), wanted(T_OBJ), found(h));
			if (get(x, h, hp, "path", T_STR, true, &hpath) < 0 ||
			    get(x, h, hp, "args", T_ARR, false, &args) < 0 ||
			    get(x, h, hp, "env", T_ARR, false, &env) < 0 ||
			    get(x, h, hp, "timeout", T_INT, false, &timeout) < 0)
				return -1;
			if (json_string_value(hpath)[0] != '/')
				return fail(x, hp, _("path '%s' is not absolute"), json_string_value(hpath));
			if (timeout != NULL && json_integer_value(timeout) <= 0)
				return fail(x, hp, _("timeout must be above 0 seconds"));
			r = strings(x, args, ap, &tmp);
			free(tmp);
			tmp = NULL;
			if (r < 0)
				return -1;
			r = strings(x, env, ep, &tmp);
			free(tmp);
			if (r < 0)
				return -1;
		}
	}
	return 0;
}

static int parse_doc(struct ctx *x, const json_t *doc)
{
	static const char *const refused[] = {"domainname", NULL};
	struct sz_oci_config *cfg = x->cfg;
	const json_t *version, *process, *hostname, *ann, *v;
	const char *key;

	if (!json_is_object(doc))
		return sz_error_make(x->err, 0, _("%s: expected an object, found %s"), x->file, found(doc));
	if (get(x, doc, "", "ociVersion", T_STR, true, &version) < 0)
		return -1;
	if (strncmp(json_string_value(version), "1.", 2) != 0)
		return fail(x, "ociVersion",
		            _("'%s': stanza reads version 1 of the runtime spec (1.0.0 to 1.x)"),
		            json_string_value(version));
	if (get(x, doc, "", "process", T_OBJ, true, &process) < 0 || parse_process(x, process) < 0 ||
	    parse_root(x, doc) < 0 || parse_mounts(x, doc) < 0 || parse_linux(x, doc) < 0 ||
	    refuse_all(x, doc, "", refused) < 0 || parse_hooks(x, doc) < 0)
		return -1;
	if (get(x, doc, "", "hostname", T_STR, false, &hostname) < 0 ||
	    get(x, doc, "", "annotations", T_OBJ, false, &ann) < 0)
		return -1;
	/* Without one, the new uts namespace keeps the host's name, as under runc. */
	cfg->spec.keep_hostname = true;
	if (hostname != NULL && json_string_length(hostname) > 0) {
		if (cfg->spec.keep_ns & CLONE_NEWUTS)
			return fail(x, "hostname", _("a host name needs a uts namespace of its own"));
		if (json_string_length(hostname) > 64)
			return fail(x, "hostname", _("longer than 64 bytes"));
		cfg->spec.hostname = json_string_value(hostname);
	}
	json_object_foreach ((json_t *)ann, key, v)
		if (!json_is_string(v)) {
			cleanup_free char *p = sz_asprintf("annotations.%s", key);
			return fail(x, p, _("expected %s, found %s"), wanted(T_STR), found(v));
		}
	cfg->annotations = ann;
	return 0;
}

int sz_oci_config_parse(const char *text, size_t len, const char *file, const char *bundle, bool rootless,
                        uid_t uid, gid_t gid, struct sz_oci_config *cfg, sz_error_t *err)
{
	struct ctx x = {.file = file, .rootless = rootless, .uid = uid, .gid = gid, .cfg = cfg, .err = err};
	json_error_t jerr;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	sz_spec_init(&cfg->spec);
	cfg->bundle = sz_xstrdup(bundle);
	cfg->doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (cfg->doc == NULL) {
		sz_error_make(err, 0, _("%s:%d:%d: not valid JSON: %s"), file, jerr.line, jerr.column,
		              jerr.text);
		sz_oci_config_release(cfg);
		return -1;
	}
	ret = parse_doc(&x, cfg->doc);
	if (ret < 0)
		sz_oci_config_release(cfg);
	return ret;
}

int sz_oci_config_load(const char *bundle, struct sz_oci_config *cfg, sz_error_t *err)
{
	cleanup_free char *abs = realpath(bundle, NULL);
	cleanup_free char *file = NULL;
	cleanup_free char *text = NULL;
	size_t len = 0;
	struct stat st;

	memset(cfg, 0, sizeof(*cfg));
	if (abs == NULL)
		return sz_error_make(err, errno, _("the bundle '%s' is not a directory"), bundle);
	file = sz_asprintf("%s/config.json", abs);
	if (sz_read_file_at(AT_FDCWD, file, &text, &len, err) < 0)
		return -1;
	if (len > SZ_OCI_CONFIG_MAX)
		return sz_error_make(err, EFBIG, _("'%s' is bigger than %u bytes"), file, SZ_OCI_CONFIG_MAX);
	if (sz_oci_config_parse(text, len, file, abs, geteuid() != 0, geteuid(), getegid(), cfg, err) < 0)
		return -1;
	if (stat(cfg->rootfs, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sz_error_make(err, 0, _("%s: root.path: '%s' is not a directory"), file, cfg->rootfs);
		sz_oci_config_release(cfg);
		return -1;
	}
	return 0;
}

void sz_oci_config_release(struct sz_oci_config *cfg)
{
	json_decref(cfg->doc);
	free(cfg->bundle);
	free(cfg->rootfs);
	free(cfg->argv);
	free(cfg->env);
	free(cfg->user);
	free(cfg->groups);
	free(cfg->caps);
	free(cfg->rlimits);
	for (size_t i = 0; i < cfg->n_volumes; i++) {
		free(cfg->volumes[i].host);
		free(cfg->volumes[i].container);
		free((char *)cfg->volumes[i].data);
	}
	free(cfg->volumes);
	free(cfg->masked);
	free(cfg->readonly);
	for (size_t i = 0; cfg->sysctl != NULL && cfg->sysctl[i] != NULL; i++)
		free(cfg->sysctl[i]);
	free(cfg->sysctl);
	for (size_t i = 0; i < cfg->seccomp.n_rules; i++) {
		free((void *)cfg->rules[i].names);
		free((void *)cfg->rules[i].args);
	}
	free(cfg->rules);
	free(cfg->arches);
	memset(cfg, 0, sizeof(*cfg));
}

int sz_oci_parse_resources(const char *text, size_t len, const char *file, struct sz_cgroup_limits *limits,
                           sz_error_t *err)
{
	struct sz_oci_config cfg = {0};
	struct ctx x = {.file = file, .cfg = &cfg, .err = err};
	json_error_t jerr;
	json_t *res = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	json_t *lnx;
	int ret;

	memset(limits, 0, sizeof(*limits));
	if (res == NULL)
		return sz_error_make(err, 0, _("%s:%d:%d: not valid JSON: %s"), file, jerr.line, jerr.column,
		                     jerr.text);
	lnx = json_pack("{s:o}", "resources", res);
	ret = parse_resources(&x, lnx);
	json_decref(lnx);
	if (ret == 0)
		*limits = cfg.spec.limits;
	return ret;
}
