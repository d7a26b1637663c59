/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec.c - stanza's runtime defaults written as an OCI config.json (stanza spec) */
#include "oci/spec.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include <sys/capability.h>

#include "common/util.h"
#include "runtime/runtime.h"

static json_t *strings(const char *const *list, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

/* "CAP_CHOWN" for CAP_CHOWN (libcap names it "cap_chown"). */
static json_t *cap_names(const int *caps, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++) {
		char *name = cap_to_name(caps[i]);

		for (char *p = name; p != NULL && *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		json_array_append_new(a, json_string(name));
		cap_free(name);
	}
	return a;
}

static json_t *mount_entry(const char *dest, const char *type, const char *source, const char *const *opts)
{
	json_t *m = json_pack("{s:s, s:s, s:s}", "destination", dest, "type", type, "source", source);
	json_t *o = json_array();

	for (size_t i = 0; opts != NULL && opts[i] != NULL; i++)
		json_array_append_new(o, json_string(opts[i]));
	json_object_set_new(m, "options", o);
	return m;
}

/* The mounts stanza's runtime makes in every container (src/runtime/mounts.c). */
static json_t *mounts(bool rootless)
{
	static const char *const dev[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
	static const char *const pts[] = {"nosuid",    "noexec", "newinstance", "ptmxmode=0666",
	                                  "mode=0620", "gid=5",  NULL};
	static const char *const pts_rootless[] = {"nosuid",        "noexec",    "newinstance",
	                                           "ptmxmode=0666", "mode=0620", NULL};
	static const char *const shm[] = {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k", NULL};
	static const char *const plain[] = {"nosuid", "noexec", "nodev", NULL};
	static const char *const ro[] = {"nosuid", "noexec", "nodev", "ro", NULL};
	json_t *a = json_array();

	json_array_append_new(a, mount_entry("/proc", "proc", "proc", plain));
	json_array_append_new(a, mount_entry("/dev", "tmpfs", "tmpfs", dev));
	json_array_append_new(a, mount_entry("/dev/pts", "devpts", "devpts", rootless ? pts_rootless : pts));
	json_array_append_new(a, mount_entry("/dev/shm", "tmpfs", "shm", shm));
	json_array_append_new(a, mount_entry("/dev/mqueue", "mqueue", "mqueue", plain));
	json_array_append_new(a, mount_entry("/sys", "sysfs", "sysfs", ro));
	json_array_append_new(a, mount_entry("/sys/fs/cgroup", "cgroup", "cgroup", ro));
	return a;
}

/* The seccomp filter (src/runtime/security.c) in the runtime spec's form:
 * everything allowed but the denied calls (EPERM), clone with a namespace
 * flag (EPERM) and clone3 (ENOSYS, so that libc falls back to clone). */
static json_t *seccomp(const struct sz_runtime_profile *p)
{
	json_t *calls = json_array();

	json_array_append_new(calls, json_pack("{s:o, s:s, s:i}", "names",
	                                       strings(p->denied_syscalls, p->n_denied_syscalls), "action",
	                                       "SCMP_ACT_ERRNO", "errnoRet", EPERM));
	for (size_t i = 0; i < p->n_clone_ns_flags; i++)
		json_array_append_new(
		    calls, json_pack("{s:[s], s:s, s:i, s:[{s:i, s:I, s:I, s:s}]}", "names", "clone",
		                     "action", "SCMP_ACT_ERRNO", "errnoRet", EPERM, "args", "index", 0,
		                     "value", (json_int_t)p->clone_ns_flags[i], "valueTwo",
		                     (json_int_t)p->clone_ns_flags[i], "op", "SCMP_CMP_MASKED_EQ"));
	json_array_append_new(calls, json_pack("{s:[s], s:s, s:i}", "names", "clone3", "action",
	                                       "SCMP_ACT_ERRNO", "errnoRet", ENOSYS));
	return json_pack("{s:s, s:[s, s], s:o}", "defaultAction", "SCMP_ACT_ALLOW", "architectures",
	                 "SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64", "syscalls", calls);
}

json_t *sz_oci_default_spec(bool rootless, uid_t uid, gid_t gid)
{
	static const char *const ns_types[] = {"pid", "network", "ipc", "uts", "mount", "cgroup"};
	struct sz_runtime_profile p;
	json_t *caps, *process, *linux_, *ns, *spec;

	sz_runtime_profile(&p);
	caps = cap_names(p.caps, p.n_caps);
	process = json_pack(
	    "{s:b, s:{s:i, s:i}, s:[s], s:[s, s], s:s, s:{s:O, s:O, s:O}, s:[{s:s, s:i, s:i}], s:b}",
	    "terminal", true, "user", "uid", 0, "gid", 0, "args", "sh", "env",
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm", "cwd", "/",
	    "capabilities", "bounding", caps, "effective", caps, "permitted", caps, "rlimits", "type",
	    "RLIMIT_NOFILE", "hard", 1024, "soft", 1024, "noNewPrivileges", true);
	json_decref(caps);
	ns = json_array();
	for (size_t i = 0; i < sizeof(ns_types) / sizeof(ns_types[0]); i++)
		json_array_append_new(ns, json_pack("{s:s}", "type", ns_types[i]));
	linux_ = json_pack("{s:o, s:o, s:o, s:o}", "namespaces", ns, "maskedPaths",
	                   strings(p.masked_paths, p.n_masked_paths), "readonlyPaths",
	                   strings(p.readonly_paths, p.n_readonly_paths), "seccomp", seccomp(&p));
	if (rootless) {
		json_array_append_new(ns, json_pack("{s:s}", "type", "user"));
		json_object_set_new(
		    linux_, "uidMappings",
		    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID", (json_int_t)uid, "size", 1));
		json_object_set_new(
		    linux_, "gidMappings",
		    json_pack("[{s:i, s:I, s:i}]", "containerID", 0, "hostID", (json_int_t)gid, "size", 1));
	} else {
		json_object_set_new(
		    linux_, "resources",
		    json_pack("{s:[{s:b, s:s}]}", "devices", "allow", false, "access", "rwm"));
	}
	spec = json_pack("{s:s, s:o, s:{s:s, s:b}, s:s, s:o, s:o}", "ociVersion", SZ_OCI_VERSION, "process",
	                 process, "root", "path", "rootfs", "readonly", true, "hostname", "stanza", "mounts",
	                 mounts(rootless), "linux", linux_);
	return spec;
}
