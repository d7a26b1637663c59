/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe.h - the host probe: what this host offers stanza's runtime, as facts, findings and fixes */
#ifndef SZ_PROBE_H
#define SZ_PROBE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/error.h"
#include "common/json.h"
#include "runtime/cgroup.h"

/*
 * The probe gathers facts (struct sz_probe_* below), then judges them into
 * findings: one line each, with what a missing piece disables and the shell
 * lines that would fix it. It has no UI: `stanza doctor` prints the result,
 * and the runtime and the lab engine read the facts (a lab that needs
 * `cgroup-memory` is skipped with the finding's sentence; a refused limit
 * quotes sz_probe_cgroup's fix).
 *
 * Usage:
 *	struct sz_probe_options opts;
 *	struct sz_probe probe;
 *	sz_probe_options_init(&opts);
 *	opts.images_dir = cli->data.images;
 *	sz_probe_run(&probe, &opts, &err);
 *	... probe.findings[i], sz_probe_can_run(&probe) ...
 *	sz_probe_release(&probe);
 *
 * Every file is read below opts.root ("" on a real host; a fixture tree in
 * tests). The trials fork: the caller must be single-threaded. A trial
 * leaves nothing behind: its namespaces die with its processes and its
 * temporary directories are removed.
 */

/*
 * How the caller's user asks for what a missing piece disables, for the
 * findings' words: each limit (by enum sz_cgroup_limit_id) and a read-only
 * root, "stanza run --memory" and "stanza run --read-only" in `stanza
 * doctor`. The runtime names them; a NULL entry (or a NULL pointer to this)
 * takes its own names: "the memory limit", "a read-only root".
 */
struct sz_probe_words {
	const char *limit[SZ_LIMIT_COUNT];
	const char *read_only;
};

struct sz_probe_options {
	const char *root;                   /* prefix for every host file read; "" on a real host */
	const char *images_dir;             /* directory of images; NULL: the image is not checked */
	const char *image;                  /* image name, "busybox" */
	const char *scratch_dir;            /* where the overlay and proc trials make temporary
	                                       directories; NULL: $TMPDIR, else /tmp */
	const char *command;                /* the command quoted in fixes, "stanza ..." */
	const struct sz_probe_words *words; /* NULL: the runtime's names */
	bool trials;                        /* fork and really try namespaces and overlayfs */
};

void sz_probe_options_init(struct sz_probe_options *opts);

/* Where a trial stopped. Each step is one a rootless runtime takes, in order. */
enum sz_probe_step {
	SZ_STEP_NONE = 0, /* every step worked */
	SZ_STEP_SKIPPED,  /* not tried */
	SZ_STEP_SETUP,    /* the probe's own preparation (temporary dirs, socketpair) */
	SZ_STEP_FORK,
	SZ_STEP_UNSHARE_USER,  /* unshare(CLONE_NEWUSER) */
	SZ_STEP_SETGROUPS,     /* parent writes "deny" to /proc/<child>/setgroups */
	SZ_STEP_GID_MAP,       /* parent writes "0 <gid> 1" */
	SZ_STEP_UID_MAP,       /* parent writes "0 <uid> 1" */
	SZ_STEP_UNSHARE,       /* mount, PID, UTS, IPC, network and cgroup namespaces */
	SZ_STEP_MOUNT_PRIVATE, /* "/" made private recursively */
	SZ_STEP_FORK_PID1,     /* fork into the PID namespace */
	SZ_STEP_MOUNT_PROC,    /* a fresh proc on a private temporary directory */
	SZ_STEP_MOUNT_OVERLAY,
	SZ_STEP_OVERLAY_WRITE, /* create, copy up and delete through the overlay */
	SZ_STEP_LOST,          /* the child ended without saying how far it got */
};

/* Untranslated and stable ("unshare(CLONE_NEWUSER)", "write uid_map"). */
const char *sz_probe_step_name(enum sz_probe_step step);

struct sz_probe_trial {
	enum sz_probe_step failed; /* SZ_STEP_NONE: it worked */
	int error;                 /* errno at that step, 0 when none */
};

static inline bool sz_probe_trial_ok(const struct sz_probe_trial *t)
{
	return t->failed == SZ_STEP_NONE;
}

struct sz_probe_user {
	uid_t uid, euid;
	gid_t gid, egid;
	char *name;         /* from the passwd database; the uid in decimal when unknown */
	bool root;          /* euid 0 */
	bool cap_sys_admin; /* CAP_SYS_ADMIN in the effective set (root in a locked-down
	                       container may lack it) */
};

struct sz_probe_kernel {
	char *release; /* uname -r */
	char *machine; /* uname -m */
	int major, minor;
};

/* The knobs that can forbid unprivileged user namespaces; -1 when the file is absent. */
struct sz_probe_userns_knobs {
	long max_user_namespaces;                   /* /proc/sys/user/max_user_namespaces */
	long unprivileged_userns_clone;             /* Debian's and Ubuntu's older knob */
	long apparmor_restrict_unprivileged_userns; /* Ubuntu 23.10 and later */
};

/*
 * Virtual machine and container signs. A VM is recognised by the CPU's
 * "hypervisor" flag even without DMI (Firecracker has none). A container
 * needs a strong sign; /.dockerenv alone is weak, because it survives in
 * images made from a container's file system (VMs built that way have it).
 */
struct sz_probe_virt {
	bool cpu_hypervisor;   /* "hypervisor" among /proc/cpuinfo's flags */
	char *cpuid_signature; /* CPUID leaf 0x40000000 ("KVMKVMKVM"); NULL off x86 or in tests */
	char *dmi_vendor;      /* /sys/class/dmi/id/sys_vendor, NULL when there is no DMI */
	char *dmi_product;     /* /sys/class/dmi/id/product_name */
	char *hypervisor_type; /* /sys/hypervisor/type (Xen) */
	char *vm;              /* summary, e.g. "QEMU", "no DMI (Firecracker-like)"; NULL: not a VM */

	bool dockerenv;      /* /.dockerenv (weak) */
	bool containerenv;   /* /run/.containerenv (Podman) */
	char *container_env; /* container= in /proc/1/environ, NULL when absent */
	bool environ_readable;
	char *cgroup_hint;    /* "docker", "kubepods", "lxc", "libpod", ... in /proc/1/cgroup */
	char *root_fstype;    /* file system type of "/" (overlay is a sign) */
	bool partial_uid_map; /* /proc/self/uid_map is not the whole range: inside a user ns */
	char *container;      /* summary when a strong sign exists, else NULL */
};

/* How stanza would place a container's group for one controller, for this user. */
struct sz_probe_controller {
	bool mounted;
	bool on_v2;     /* it lives on the cgroup2 hierarchy */
	char *mount;    /* the hierarchy's mount point; NULL when not mounted */
	char *base;     /* absolute directory under which stanza makes its groups */
	char *base_rel; /* the same relative to mount ("" for its root): sz_cgroup_create's base[c] */
	bool writable;
	int error;    /* errno of the access check (or ENOENT, ENOTDIR); 0 when writable */
	bool enabled; /* v2: listed in base's cgroup.controllers; v1: always true when mounted */
};

/*
 * Where this user may create cgroups. Root: each hierarchy's root. Others:
 * on v1 and hybrid, `<mount>/stanza-<user>` when an administrator made it
 * (SZ_PROBE_V1_DIR_FMT), else their own cgroup from /proc/self/cgroup; on
 * v2 their own cgroup, which must be delegated: owned by them, with
 * cgroup.procs and cgroup.subtree_control writable.
 */
#define SZ_PROBE_V1_DIR_FMT "stanza-%s"

struct sz_probe_cgroup {
	enum sz_cgroup_mode mode;
	char *v2_mount; /* NULL when there is no cgroup2 mount */
	struct sz_probe_controller ctrl[SZ_CTRL_COUNT];
	bool delegated;    /* v2, not root: base is delegated to the user */
	bool systemd;      /* systemd is the init (/run/systemd/system) */
	bool systemd_user; /* the user's systemd instance runs (/run/user/<uid>/systemd/private) */
	bool memsw;        /* v1: memory.memsw.* exist, so swap is limited with memory */
	/*
	 * Shell lines that would make the refused controllers writable, NULL
	 * when nothing is refused. Lines starting with "# " are translated
	 * comments, so the text can be pasted into a shell as it is. Meant to
	 * be quoted whenever a limit is refused.
	 */
	char *fix;
};

/*
 * Fill cg for this user from opts->root's /proc/self/mountinfo and
 * /proc/self/cgroup. A host without cgroups is not an error (mode
 * SZ_CGROUP_NONE); a mountinfo that cannot be read is.
 */
int sz_probe_cgroup(struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                    const struct sz_probe_options *opts, sz_error_t *err);
void sz_probe_cgroup_release(struct sz_probe_cgroup *cg);

struct sz_probe_seccomp {
	bool available; /* prctl(PR_GET_SECCOMP) answers */
	bool filter;    /* SECCOMP_MODE_FILTER supported (PR_SET_SECCOMP with NULL gives EFAULT) */
	int error;      /* errno when the filter mode is not supported */
	int self_mode;  /* "Seccomp:" of /proc/self/status: 0 none, 1 strict, 2 filter; -1 unknown */
};

struct sz_probe_image {
	char *binary; /* <images_dir>/<image>/rootfs/bin/busybox */
	bool present;
	bool is_elf;
	bool is_static; /* no PT_INTERP program header */
	bool native;    /* built for this machine's architecture */
	int error;      /* errno when it cannot be read, 0 otherwise */
};

/*
 * Read the ELF header and program headers of path. *is_static is true when
 * there is no PT_INTERP (static and static-pie binaries); *native when
 * e_machine is this build's architecture. A file that is not a well-formed
 * ELF executable is an error with errno_ ENOEXEC.
 */
int sz_probe_elf(const char *path, bool *is_static, bool *native, sz_error_t *err);

enum sz_probe_status { SZ_PROBE_OK, SZ_PROBE_WARN, SZ_PROBE_MISSING };

/* "ok", "warn", "missing": stable, untranslated (JSON, tests). */
const char *sz_probe_status_name(enum sz_probe_status status);

struct sz_probe_finding {
	const char *name; /* stable key: "user", "userns", "cgroup.memory", ... */
	enum sz_probe_status status;
	char *detail;   /* one translated sentence, no final full stop */
	char *disables; /* translated; what does not work because of it; NULL when ok */
	char *fix;      /* shell lines ("# " lines translated), NULL when none */
};

#define SZ_PROBE_MAX_FINDINGS 16

struct sz_probe {
	struct sz_probe_user user;
	char *exe; /* the running binary (quoted in an AppArmor fix) */
	struct sz_probe_kernel kernel;
	struct sz_probe_virt virt;
	struct sz_probe_userns_knobs knobs;
	struct sz_probe_trial namespaces; /* root: without a user ns; others: same as userns */
	struct sz_probe_trial userns;     /* the rootless sequence */
	struct sz_probe_trial overlay;    /* rootless: inside a user namespace */
	char *overlay_dir;                /* where the overlay trial ran */
	char *overlay_fstype;             /* its file system type */
	bool overlay_listed;              /* "overlay" in /proc/filesystems */
	struct sz_probe_cgroup cgroup;
	struct sz_probe_seccomp seccomp;
	struct sz_probe_image image;
	const struct sz_probe_words *words; /* the options', borrowed: how findings name a limit */

	struct sz_probe_finding findings[SZ_PROBE_MAX_FINDINGS];
	size_t n_findings;
};

/*
 * Gather every fact, then judge them (sz_probe_judge). Returns -1 only when
 * the probe itself cannot work (unreadable mountinfo); a missing feature is
 * a finding, not an error. On failure probe is released.
 */
int sz_probe_run(struct sz_probe *probe, const struct sz_probe_options *opts, sz_error_t *err);

/* Turn the facts in probe into findings (replacing any there). Pure: reads no
 * file, so tests can judge hand-made facts. */
void sz_probe_judge(struct sz_probe *probe);

/* Whether this host can run a container at all for this user: the image,
 * namespaces (a user namespace when not root) and the seccomp filter. */
bool sz_probe_can_run(const struct sz_probe *probe);

/* The finding named name, or NULL. */
const struct sz_probe_finding *sz_probe_find(const struct sz_probe *probe, const char *name);

void sz_probe_release(struct sz_probe *probe);

/* The parts, each reading files below root, for tests and for callers that
 * need one fact without forking (the lab engine, `stanza run`). The strings
 * they allocate belong to the struct they fill: sz_probe_release frees them
 * inside a struct sz_probe; alone, free its char * fields (or use the
 * matching _release). */
void sz_probe_user(struct sz_probe_user *user, const char *root);
void sz_probe_virt(struct sz_probe_virt *virt, const char *root);
void sz_probe_virt_release(struct sz_probe_virt *virt);
void sz_probe_userns_knobs(struct sz_probe_userns_knobs *knobs, const char *root);
void sz_probe_seccomp(struct sz_probe_seccomp *sec, const char *root);
void sz_probe_image(struct sz_probe_image *img, const char *images_dir, const char *image);

/* Pure parsers. */
bool sz_probe_cpuinfo_has_flag(const char *cpuinfo, const char *flag);
bool sz_probe_filesystems_has(const char *filesystems, const char *fstype);
/* The value of "Key:\tvalue" in a /proc/<pid>/status text, NULL when absent; caller frees. */
char *sz_probe_status_field(const char *status, const char *key);
/* A name for a CPUID hypervisor signature ("KVMKVMKVM" -> "KVM"); the signature itself when unknown. */
const char *sz_probe_hypervisor_name(const char *cpuid_signature);

/* Everything the probe found as one JSON object, as `stanza doctor --json`
 * prints it; the caller owns the reference. */
json_t *sz_probe_json(const struct sz_probe *p);

#endif
