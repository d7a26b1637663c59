/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_oci_config.c - unit tests for oci/config.c: config.json into the runtime's spec, and errors by field
 * path */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "common/json.h"
#include "oci/config.h"
#include "oci/spec.h"

#define UID 1000
#define GID 1000

/* stanza spec's config.json, changed by edit (a JSON object merged into the
 * top level, "null" to remove a member) and by fix (a function on the tree). */
static char *config_text(bool rootless, void (*fix)(json_t *))
{
	json_t *doc = sz_oci_default_spec(rootless, UID, GID);
	char *text;

	json_object_set_new(json_object_get(doc, "process"), "terminal", json_false());
	if (fix != NULL)
		fix(doc);
	text = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	return text;
}

static int parse(bool rootless, void (*fix)(json_t *), struct sz_oci_config *cfg, sz_error_t *err)
{
	char *text = config_text(rootless, fix);
	int r = sz_oci_config_parse(text, strlen(text), "config.json", "/b", rootless, UID, GID, cfg, err);

	free(text);
	return r;
}

/* The parse fails with a message containing want. */
static void refused(bool rootless, void (*fix)(json_t *), const char *want)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	if (parse(rootless, fix, &cfg, &err) == 0)
		fail_msg("accepted, not refused with '%s'", want);
	assert_non_null(err);
	if (strstr(sz_error_msg(err), want) == NULL)
		fail_msg("message '%s' lacks '%s'", sz_error_msg(err), want);
	assert_null(cfg.doc);
	sz_error_release(&err);
}

static json_t *process(json_t *doc)
{
	return json_object_get(doc, "process");
}

static json_t *linux_(json_t *doc)
{
	return json_object_get(doc, "linux");
}

static void test_defaults_are_stanzas(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, NULL, &cfg, &err), 0);
	assert_string_equal(cfg.rootfs, "/b/rootfs");
	assert_string_equal(cfg.spec.image, "/b/rootfs");
	assert_true(cfg.spec.read_only);
	assert_false(cfg.spec.bind_root);
	assert_string_equal(cfg.spec.argv[0], "sh");
	assert_null(cfg.spec.argv[1]);
	assert_true(cfg.spec.exact_env);
	assert_string_equal(cfg.spec.env[0],
	                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	assert_string_equal(cfg.spec.user, "0:0");
	assert_true(cfg.spec.groups_set);
	assert_int_equal(cfg.spec.n_groups, 0);
	assert_string_equal(cfg.spec.hostname, "stanza");
	assert_int_equal(cfg.spec.net, SZ_NET_NONE);
	assert_int_equal(cfg.spec.keep_ns, 0);
	assert_int_equal(cfg.spec.n_rlimits, 1);
	assert_int_equal(cfg.spec.rlimits[0].resource, RLIMIT_NOFILE);
	assert_int_equal(cfg.spec.rlimits[0].hard, 1024);
	assert_int_equal(cfg.spec.n_volumes, 0);
	assert_false(cfg.terminal);
	sz_oci_config_release(&cfg);

	assert_int_equal(parse(true, NULL, &cfg, &err), 0);
	sz_oci_config_release(&cfg);
}

static void fix_fields(json_t *doc)
{
	json_t *p = process(doc), *res;

	json_object_set_new(p, "args", json_pack("[s, s, s]", "sh", "-c", "true"));
	json_object_set_new(p, "cwd", json_string("/tmp"));
	json_object_set_new(json_object_get(p, "user"), "uid", json_integer(1000));
	json_object_set_new(json_object_get(p, "user"), "gid", json_integer(100));
	json_object_set_new(json_object_get(p, "user"), "additionalGids", json_pack("[i, i]", 10, 20));
	json_object_set_new(json_object_get(p, "user"), "umask", json_integer(077));
	json_object_set_new(p, "oomScoreAdj", json_integer(300));
	/* A user other than root has no capabilities but the bounding set. */
	json_object_set_new(json_object_get(p, "capabilities"), "effective", json_array());
	json_object_del(json_object_get(p, "capabilities"), "permitted");
	json_object_set_new(p, "terminal", json_true());
	json_object_set_new(doc, "hostname", json_string("box"));
	json_object_set_new(json_object_get(doc, "root"), "readonly", json_false());
	json_object_set_new(json_object_get(doc, "root"), "path", json_string("/abs/root"));
	json_array_append_new(json_object_get(doc, "mounts"),
	                      json_pack("{s:s, s:s, s:s, s:[s, s]}", "destination", "/data", "type", "bind",
	                                "source", "data", "options", "rbind", "ro"));
	res = json_object_get(linux_(doc), "resources");
	json_object_set_new(
	    res, "memory",
	    json_pack("{s:I, s:I}", "limit", (json_int_t)64 << 20, "swap", (json_int_t)64 << 20));
	json_object_set_new(res, "pids", json_pack("{s:i}", "limit", 42));
	json_object_set_new(res, "cpu", json_pack("{s:i, s:i}", "quota", 50000, "period", 100000));
	json_object_set_new(doc, "annotations", json_pack("{s:s}", "org.example", "yes"));
	json_object_set_new(doc, "somethingNew", json_pack("{s:i}", "x", 1)); /* unknown: ignored */
}

static void test_fields_read(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, fix_fields, &cfg, &err), 0);
	assert_string_equal(cfg.spec.argv[2], "true");
	assert_string_equal(cfg.spec.workdir, "/tmp");
	assert_string_equal(cfg.spec.user, "1000:100");
	assert_int_equal(cfg.spec.n_groups, 2);
	assert_int_equal(cfg.spec.groups[1], 20);
	assert_true(cfg.spec.umask_set);
	assert_int_equal(cfg.spec.umask, 077);
	assert_true(cfg.spec.oom_set);
	assert_int_equal(cfg.spec.oom_score_adj, 300);
	assert_true(cfg.terminal);
	assert_string_equal(cfg.spec.hostname, "box");
	assert_false(cfg.spec.read_only);
	assert_true(cfg.spec.bind_root);
	assert_string_equal(cfg.spec.image, "/abs/root");
	assert_int_equal(cfg.spec.n_volumes, 1);
	assert_string_equal(cfg.spec.volumes[0].host, "/b/data");
	assert_string_equal(cfg.spec.volumes[0].container, "/data");
	assert_true(cfg.spec.volumes[0].read_only);
	assert_int_equal(cfg.spec.volumes[0].flags, MS_NODEV); /* always: there is no device cgroup */
	assert_int_equal(cfg.spec.limits.memory_bytes, 64 << 20);
	assert_int_equal(cfg.spec.limits.pids, 42);
	assert_int_equal(cfg.spec.limits.cpu_milli, 500);
	assert_string_equal(json_string_value(json_object_get(cfg.annotations, "org.example")), "yes");
	sz_oci_config_release(&cfg);
}

static void fix_shared_ns(json_t *doc)
{
	json_t *ns = json_pack("[{s:s}, {s:s}]", "type", "pid", "type", "mount");

	json_object_set_new(linux_(doc), "namespaces", ns);
	json_object_del(doc, "hostname");
}

static void fix_podman_like(json_t *doc)
{
	json_t *lnx = linux_(doc);

	json_object_del(process(doc), "noNewPrivileges");
	json_object_set_new(json_array_get(json_object_get(lnx, "namespaces"), 1), "path",
	                    json_string("/run/netns/x"));
	json_object_set_new(lnx, "sysctl", json_pack("{s:s}", "net.ipv4.ping_group_range", "0 0"));
	json_object_set_new(lnx, "cgroupsPath", json_string("/libpod_parent/libpod-abc"));
	json_array_append_new(json_object_get(json_object_get(lnx, "resources"), "devices"),
	                      json_pack("{s:b, s:s, s:i, s:i, s:s}", "allow", 1, "type", "c", "major", 1,
	                                "minor", 3, "access", "rwm"));
	json_array_append_new(json_object_get(doc, "mounts"),
	                      json_pack("{s:s, s:s, s:s, s:[s, s, s]}", "destination", "/run", "type",
	                                "tmpfs", "source", "tmpfs", "options", "nosuid", "mode=755",
	                                "size=65536k"));
	json_object_set_new(lnx, "maskedPaths", json_pack("[s]", "/proc/kcore"));
	json_object_del(lnx, "readonlyPaths");
	json_array_append_new(json_object_get(doc, "mounts"),
	                      json_pack("{s:s, s:s, s:s, s:[s, s, s, s, s]}", "destination", "/dev/shm",
	                                "type", "bind", "source", "/shm", "options", "bind", "rprivate",
	                                "nosuid", "noexec", "nodev"));
}

static void test_podman_like(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, fix_podman_like, &cfg, &err), 0);
	assert_true(cfg.spec.no_nnp);
	assert_string_equal(cfg.spec.net_path, "/run/netns/x");
	assert_int_equal(cfg.spec.n_sysctl, 1);
	assert_string_equal(cfg.spec.sysctl[0], "net.ipv4.ping_group_range=0 0");
	assert_string_equal(cfg.spec.cgroup_path, "/libpod_parent/libpod-abc");
	assert_true(cfg.spec.paths_set);
	assert_int_equal(cfg.spec.n_masked_paths, 1);
	assert_int_equal(cfg.spec.n_readonly_paths, 0);
	assert_int_equal(cfg.spec.n_volumes, 2);
	assert_int_equal(cfg.spec.volumes[1].flags, MS_NOSUID | MS_NOEXEC | MS_NODEV);
	assert_null(cfg.spec.volumes[1].fstype);
	assert_string_equal(cfg.spec.volumes[0].fstype, "tmpfs");
	assert_string_equal(cfg.spec.volumes[0].data, "mode=755,size=65536k");
	assert_int_equal(cfg.spec.volumes[0].flags, MS_NOSUID | MS_NODEV);
	assert_non_null(cfg.spec.seccomp);
	assert_int_equal(cfg.spec.seccomp->default_action, SCMP_ACT_ALLOW);
	assert_int_equal(cfg.spec.seccomp->rules[0].action, SCMP_ACT_ERRNO(EPERM));
	assert_int_equal(cfg.spec.seccomp->rules[1].n_args, 1);
	sz_oci_config_release(&cfg);
}

static void fix_no_seccomp(json_t *doc)
{
	json_object_del(linux_(doc), "seccomp");
}

/* More than stanza's 11: NET_RAW, as Docker's default has it. */
static void fix_more_caps(json_t *doc)
{
	json_t *caps = json_object_get(process(doc), "capabilities");
	json_t *set = json_deep_copy(json_object_get(caps, "bounding"));

	json_array_append_new(set, json_string("CAP_NET_RAW"));
	json_object_set(caps, "bounding", set);
	json_object_set(caps, "effective", set);
	json_object_set_new(caps, "permitted", set);
}

static void test_caps_from_config(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, fix_more_caps, &cfg, &err), 0);
	assert_true(cfg.spec.caps_set);
	assert_int_equal(cfg.spec.n_caps, 12);
	assert_int_equal(cfg.spec.caps[11], CAP_NET_RAW);
	sz_oci_config_release(&cfg);
}

static void test_no_seccomp(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, fix_no_seccomp, &cfg, &err), 0);
	assert_true(cfg.spec.no_seccomp);
	assert_null(cfg.spec.seccomp);
	sz_oci_config_release(&cfg);
}

static void test_namespaces_left_out_are_shared(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;

	(void)state;
	assert_int_equal(parse(false, fix_shared_ns, &cfg, &err), 0);
	assert_int_equal(cfg.spec.net, SZ_NET_HOST);
	assert_int_equal(cfg.spec.keep_ns, CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP);
	assert_null(cfg.spec.hostname);
	sz_oci_config_release(&cfg);
}

static void test_syntax_error_located(void **state)
{
	struct sz_oci_config cfg;
	sz_error_t err = NULL;
	const char text[] = "{\n  \"ociVersion\": \"1.0.2\",\n  \"process\": {,\n}\n";

	(void)state;
	assert_int_equal(
	    sz_oci_config_parse(text, strlen(text), "b/config.json", "/b", false, 0, 0, &cfg, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "b/config.json:3:15: not valid JSON"));
	sz_error_release(&err);
	assert_int_equal(sz_oci_config_parse("[]", 2, "c.json", "/b", false, 0, 0, &cfg, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "c.json: expected an object, found an array"));
	sz_error_release(&err);
	assert_int_equal(
	    sz_oci_config_parse("{\"a\":1,\"a\":2}", 13, "d.json", "/b", false, 0, 0, &cfg, &err), -1);
	assert_non_null(strstr(sz_error_msg(err), "duplicate"));
	sz_error_release(&err);
}

#define FIX(name, body)                                                                                      \
	static void name(json_t *doc)                                                                        \
	{                                                                                                    \
		body;                                                                                        \
	}

FIX(uid_string, json_object_set_new(json_object_get(process(doc), "user"), "uid", json_string("0")))
FIX(uid_negative, json_object_set_new(json_object_get(process(doc), "user"), "uid", json_integer(-1)))
FIX(no_root_path, json_object_del(json_object_get(doc, "root"), "path"))
FIX(version_2, json_object_set_new(doc, "ociVersion", json_string("2.0.0")))
FIX(no_version, json_object_del(doc, "ociVersion"))
FIX(args_empty, json_object_set_new(process(doc), "args", json_array()))
FIX(args_number, json_array_append_new(json_object_get(process(doc), "args"), json_integer(1)))
FIX(env_no_equals, json_array_append_new(json_object_get(process(doc), "env"), json_string("JUSTKEY")))
FIX(cwd_relative, json_object_set_new(process(doc), "cwd", json_string("tmp")))
/* stanza spec's three sets are one array: change a copy. */
static json_t *cap_set(json_t *doc, const char *name)
{
	json_t *caps = json_object_get(process(doc), "capabilities");
	json_t *copy = json_deep_copy(json_object_get(caps, name));

	json_object_set_new(caps, name, copy);
	return copy;
}
FIX(cap_extra, json_array_append_new(cap_set(doc, "effective"), json_string("CAP_SYS_ADMIN")))
FIX(cap_unknown, json_array_append_new(cap_set(doc, "bounding"), json_string("CAP_BOGUS")))
FIX(cap_mknod, json_array_append_new(cap_set(doc, "bounding"), json_string("CAP_MKNOD")))
FIX(device_disk, json_array_append_new(json_object_get(json_object_get(linux_(doc), "resources"), "devices"),
                                       json_pack("{s:b, s:s, s:i, s:i, s:s}", "allow", 1, "type", "b",
                                                 "major", 8, "minor", 0, "access", "rwm")))
FIX(cpu_shares,
    json_object_set_new(json_object_get(linux_(doc), "resources"), "cpu", json_pack("{s:i}", "shares", 512)))
FIX(cap_missing, json_array_remove(cap_set(doc, "permitted"), 0))
FIX(cap_ambient, json_object_set_new(json_object_get(process(doc), "capabilities"), "ambient",
                                     json_pack("[s]", "CAP_KILL")))
FIX(rlimit_unknown,
    json_object_set_new(process(doc), "rlimits",
                        json_pack("[{s:s, s:i, s:i}]", "type", "RLIMIT_BOGUS", "soft", 1, "hard", 1)))
FIX(rlimit_soft_above,
    json_object_set_new(process(doc), "rlimits",
                        json_pack("[{s:s, s:i, s:i}]", "type", "RLIMIT_NOFILE", "soft", 9, "hard", 1)))
FIX(apparmor, json_object_set_new(process(doc), "apparmorProfile", json_string("x")))
FIX(mount_relative,
    json_array_append_new(json_object_get(doc, "mounts"), json_pack("{s:s, s:s, s:s}", "destination", "data",
                                                                    "type", "bind", "source", "/tmp")))
FIX(mount_dotdot, json_array_append_new(json_object_get(doc, "mounts"),
                                        json_pack("{s:s, s:s, s:s}", "destination", "/a/../../etc", "type",
                                                  "bind", "source", "/tmp")))
FIX(mount_tmpfs,
    json_array_append_new(json_object_get(doc, "mounts"), json_pack("{s:s, s:s, s:s}", "destination", "/tmp",
                                                                    "type", "ext4", "source", "/dev/sda")))
FIX(mount_bind_nosuid, json_array_append_new(json_object_get(doc, "mounts"),
                                             json_pack("{s:s, s:s, s:[s, s]}", "destination", "/d", "source",
                                                       "/tmp", "options", "rbind", "shared")))
FIX(mount_proc_missing, json_array_remove(json_object_get(doc, "mounts"), 0))
FIX(mount_proc_wrong_type,
    json_object_set_new(json_array_get(json_object_get(doc, "mounts"), 0), "type", json_string("tmpfs")))
FIX(ns_path, json_object_set_new(json_array_get(json_object_get(linux_(doc), "namespaces"), 0), "path",
                                 json_string("/proc/1/ns/net")))
FIX(ns_twice,
    json_array_append_new(json_object_get(linux_(doc), "namespaces"), json_pack("{s:s}", "type", "pid")))
FIX(ns_unknown,
    json_array_append_new(json_object_get(linux_(doc), "namespaces"), json_pack("{s:s}", "type", "bogus")))
FIX(ns_no_pid, json_array_remove(json_object_get(linux_(doc), "namespaces"), 0))
FIX(ns_user_as_root,
    json_array_append_new(json_object_get(linux_(doc), "namespaces"), json_pack("{s:s}", "type", "user")))
FIX(sysctl, json_object_set_new(linux_(doc), "sysctl", json_pack("{s:s}", "vm.swappiness", "1")))
FIX(sysctl_net_shared,
    json_object_set_new(linux_(doc), "sysctl", json_pack("{s:s}", "net.ipv4.ip_forward", "1"));
    json_array_remove(json_object_get(linux_(doc), "namespaces"), 1))
FIX(cgroups_systemd, json_object_set_new(linux_(doc), "cgroupsPath", json_string("machine.slice:libpod:abc")))
FIX(seccomp_notify, json_object_set_new(json_object_get(linux_(doc), "seccomp"), "defaultAction",
                                        json_string("SCMP_ACT_NOTIFY")))
FIX(seccomp_op, json_object_set_new(
                    json_array_get(json_object_get(json_object_get(linux_(doc), "seccomp"), "syscalls"), 1),
                    "args", json_pack("[{s:i, s:i, s:s}]", "index", 0, "value", 1, "op", "SCMP_CMP_BOGUS")))
FIX(masked_relative, json_array_append_new(json_object_get(linux_(doc), "maskedPaths"), json_string("etc")))
FIX(swap_more, json_object_set_new(json_object_get(linux_(doc), "resources"), "memory",
                                   json_pack("{s:i, s:i}", "limit", 2000000, "swap", 1000000)))
FIX(reservation, json_object_set_new(json_object_get(linux_(doc), "resources"), "memory",
                                     json_pack("{s:i}", "reservation", 1000000)))
FIX(cpu_period, json_object_set_new(json_object_get(linux_(doc), "resources"), "cpu",
                                    json_pack("{s:i, s:i}", "quota", 1000, "period", 50000)))
FIX(hooks,
    json_object_set_new(doc, "hooks", json_pack("{s:[{s:s}]}", "createContainer", "path", "/bin/true")))
FIX(hook_relative, json_object_set_new(doc, "hooks", json_pack("{s:[{s:s}]}", "prestart", "path", "true")))
FIX(hook_timeout,
    json_object_set_new(doc, "hooks",
                        json_pack("{s:[{s:s, s:i}]}", "poststop", "path", "/bin/true", "timeout", 0)))
FIX(propagation, json_object_set_new(linux_(doc), "rootfsPropagation", json_string("shared")))
FIX(annotation_number, json_object_set_new(doc, "annotations", json_pack("{s:i}", "a", 1)))
FIX(hostname_shared_uts, json_array_remove(json_object_get(linux_(doc), "namespaces"), 3))
FIX(rootless_uid, json_object_set_new(json_object_get(process(doc), "user"), "uid", json_integer(1000)))
FIX(rootless_map, json_object_set_new(json_array_get(json_object_get(linux_(doc), "uidMappings"), 0), "size",
                                      json_integer(65536)))
FIX(rootless_no_user, json_array_remove(json_object_get(linux_(doc), "namespaces"), 6))

static void test_refused_by_field(void **state)
{
	static const struct {
		void (*fix)(json_t *);
		const char *want;
	} cases[] = {
	    {uid_string, "config.json: process.user.uid: expected a number of 0 or more, found a string"},
	    {uid_negative, "process.user.uid: expected a number of 0 or more, found a negative number"},
	    {no_root_path, "config.json: root.path: missing"},
	    {version_2, "ociVersion: '2.0.0': stanza reads version 1"},
	    {no_version, "ociVersion: missing"},
	    {args_empty, "process.args: empty"},
	    {args_number, "process.args[1]: expected a string, found a number"},
	    {env_no_equals, "process.env[2]: 'JUSTKEY' is not KEY=VALUE"},
	    {cwd_relative, "process.cwd: 'tmp' is not an absolute path"},
	    {cap_extra,
	     "process.capabilities.effective: stanza gives root the bounding set as its effective set"},
	    {cap_missing,
	     "process.capabilities.permitted: stanza gives root the bounding set as its permitted set"},
	    {cap_unknown, "process.capabilities.bounding[11]: unknown capability 'CAP_BOGUS'"},
	    {cap_ambient, "process.capabilities.ambient: stanza keeps no ambient capabilities"},
	    {rlimit_unknown, "process.rlimits[0]: unknown resource limit 'RLIMIT_BOGUS'"},
	    {rlimit_soft_above, "process.rlimits[0]: the soft limit is above the hard limit"},
	    {apparmor, "process.apparmorProfile: not supported by stanza yet"},
	    {mount_relative, "mounts[7]: destination 'data' is not an absolute path"},
	    {mount_dotdot, "mounts[7]: destination '/a/../../etc' has a '..' component"},
	    {mount_tmpfs, "mounts[7]: a ext4 on /tmp"},
	    {cap_mknod, "process.capabilities.bounding: CAP_MKNOD: stanza has no device cgroup"},
	    {device_disk, "linux.resources.devices[1]: stanza has no device cgroup yet: it allows only"},
	    {cpu_shares, "linux.resources.cpu.shares: only the default, 1024"},
	    {mount_bind_nosuid, "mounts[7]: option 'shared' of a bind mount is not supported"},
	    {mount_proc_missing, "mounts: no entry for /proc"},
	    {mount_proc_wrong_type, "mounts[0]: /proc must be of type proc"},
	    {ns_path, "linux.namespaces[0]: joining an existing pid namespace"},
	    {ns_twice, "linux.namespaces[6]: the pid namespace is given twice"},
	    {ns_unknown, "linux.namespaces[6]: unknown namespace type 'bogus'"},
	    {ns_no_pid, "linux.namespaces: stanza always makes new pid and mount namespaces"},
	    {ns_user_as_root, "linux.namespaces: a user namespace when run as root"},
	    {sysctl, "linux.sysctl.vm.swappiness: not a parameter of the container's own namespaces"},
	    {sysctl_net_shared, "linux.sysctl.net.ipv4.ip_forward: not a parameter of the container's own"},
	    {cgroups_systemd, "linux.cgroupsPath: 'machine.slice:libpod:abc' is systemd's form"},
	    {seccomp_notify, "linux.seccomp.defaultAction: action 'SCMP_ACT_NOTIFY' is not supported"},
	    {seccomp_op, "linux.seccomp.syscalls[1].args[0]: unknown operator 'SCMP_CMP_BOGUS'"},
	    {masked_relative, "linux.maskedPaths[10]: 'etc' is not an absolute path"},
	    {swap_more, "linux.resources.memory.swap: 1000000 is below the memory limit"},
	    {reservation, "linux.resources.memory.reservation: not supported by stanza yet"},
	    {cpu_period, "linux.resources.cpu.period: stanza's period is 100000"},
	    {hooks, "hooks.createContainer: hooks in the container's namespaces are not supported"},
	    {hook_relative, "hooks.prestart[0]: path 'true' is not absolute"},
	    {hook_timeout, "hooks.poststop[0]: timeout must be above 0"},
	    {propagation, "linux.rootfsPropagation: stanza makes the root rprivate"},
	    {annotation_number, "annotations.a: expected a string, found a number"},
	    {hostname_shared_uts, "hostname: a host name needs a uts namespace of its own"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refused(false, cases[i].fix, cases[i].want);
}

static void test_rootless_refusals(void **state)
{
	(void)state;
	refused(true, rootless_uid, "process.user: without root the container has one user");
	refused(true, rootless_map, "linux.uidMappings: without root stanza maps you (1000) to 0");
	refused(true, rootless_no_user, "linux.namespaces: without root stanza needs a user namespace");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_are_stanzas),
	    cmocka_unit_test(test_fields_read),
	    cmocka_unit_test(test_namespaces_left_out_are_shared),
	    cmocka_unit_test(test_podman_like),
	    cmocka_unit_test(test_no_seccomp),
	    cmocka_unit_test(test_caps_from_config),
	    cmocka_unit_test(test_syntax_error_located),
	    cmocka_unit_test(test_refused_by_field),
	    cmocka_unit_test(test_rootless_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
