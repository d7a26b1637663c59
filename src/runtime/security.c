/* SPDX-License-Identifier: GPL-3.0-or-later */
/* security.c - what root in a container may not do: capabilities, no_new_privs, seccomp */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "runtime/container.h"

/* Podman's default set (docs/security.md says why each is there and why
 * MKNOD, NET_RAW, AUDIT_WRITE are not). */
static const cap_value_t kept_caps[] = {
    CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FOWNER,  CAP_FSETID, CAP_KILL,       CAP_NET_BIND_SERVICE,
    CAP_SETFCAP, CAP_SETGID,       CAP_SETPCAP, CAP_SETUID, CAP_SYS_CHROOT,
};
#define N_KEPT (sizeof(kept_caps) / sizeof(kept_caps[0]))

static bool is_kept(const struct sz_spec *spec, cap_value_t cap)
{
	const cap_value_t *kept = spec->caps_set ? (const cap_value_t *)spec->caps : kept_caps;
	size_t n = spec->caps_set ? spec->n_caps : N_KEPT;

	for (size_t i = 0; i < n; i++)
		if (kept[i] == cap)
			return true;
	return false;
}

/* Drop every capability outside the kept set from the bounding set; then,
 * for a root command, make the kept set permitted and effective. The
 * inheritable set stays empty, as runc's and Podman's since CVE-2022-29162:
 * with it, a non-root user in the container could gain those capabilities
 * by executing a file with inheritable file capabilities. A non-root command
 * loses all capabilities when its uid changes (no PR_SET_KEEPCAPS), which is
 * what it should have. */
int sz_drop_capabilities(struct sz_container *c, bool keep_root_set, sz_error_t *err)
{
	const cap_value_t *kept = c->spec->caps_set ? (const cap_value_t *)c->spec->caps : kept_caps;
	size_t n_kept = c->spec->caps_set ? c->spec->n_caps : N_KEPT;
	cap_t caps;
	int last = (int)cap_max_bits() - 1;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return sz_error_make(err, errno, _("cannot clear ambient capabilities"));
	for (int cap = 0; cap <= last; cap++) {
		if (is_kept(c->spec, cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return sz_error_make(err, errno, _("cannot drop capability %d from the bounding set"),
			                     cap);
	}
	if (!keep_root_set)
		return 0;
	caps = cap_init();
	if (caps == NULL)
		return sz_error_make(err, errno, _("cannot allocate a capability set"));
	if (cap_set_flag(caps, CAP_PERMITTED, (int)n_kept, kept, CAP_SET) < 0 ||
	    cap_set_flag(caps, CAP_EFFECTIVE, (int)n_kept, kept, CAP_SET) < 0 || cap_set_proc(caps) < 0) {
		int saved = errno;
		cap_free(caps);
		return sz_error_make(err, saved, _("cannot set the container's capabilities"));
	}
	cap_free(caps);
	if (c->spec->caps_set)
		sz_trace(c, "capabilities: bounding, permitted and effective sets are the config's %zu",
		         n_kept);
	else
		sz_trace(c,
		         "capabilities: bounding set reduced to %zu (CHOWN DAC_OVERRIDE FOWNER FSETID KILL "
		         "NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT)",
		         N_KEPT);
	return 0;
}

/* System calls refused with EPERM, after Docker's default profile: kernel
 * modules, clocks, mounts, keyrings, kexec, reboot, swap, tracing other
 * processes' memory, BPF, perf, and anything that makes new namespaces. */
static const char *const denied[] = {
    "acct",
    "add_key",
    "bpf",
    "clock_adjtime",
    "clock_settime",
    "create_module",
    "delete_module",
    "finit_module",
    "get_kernel_syms",
    "get_mempolicy",
    "init_module",
    "ioperm",
    "iopl",
    "kcmp",
    "kexec_file_load",
    "kexec_load",
    "keyctl",
    "lookup_dcookie",
    "mbind",
    "mount",
    "move_pages",
    "name_to_handle_at",
    "nfsservctl",
    "open_by_handle_at",
    "perf_event_open",
    "pivot_root",
    "process_vm_readv",
    "process_vm_writev",
    "query_module",
    "quotactl",
    "reboot",
    "request_key",
    "set_mempolicy",
    "setns",
    "settimeofday",
    "stime",
    "swapon",
    "swapoff",
    "sysfs",
    "_sysctl",
    "umount",
    "umount2",
    "unshare",
    "uselib",
    "userfaultfd",
    "ustat",
    "vm86",
    "vm86old",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
};

/* The namespace flags clone(2) may not carry (Docker's mask). */
static const unsigned long clone_ns_flags[] = {
    CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
};

static int add_rules(scmp_filter_ctx ctx)
{
	int rc;

	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		int nr = seccomp_syscall_resolve_name(denied[i]);

		if (nr == __NR_SCMP_ERROR)
			continue; /* not on this architecture */
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < sizeof(clone_ns_flags) / sizeof(clone_ns_flags[0]); i++) {
		rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
		                      SCMP_A0(SCMP_CMP_MASKED_EQ, clone_ns_flags[i], clone_ns_flags[i]));
		if (rc < 0)
			return rc;
	}
	/* clone3 passes its flags in memory that seccomp cannot read: ENOSYS
	 * makes libc fall back to clone, where the rules above apply. */
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
}

/* Two conditions on one argument cannot share a rule in libseccomp: such a
 * rule is added once per condition (any of them matching), as runc does. */
static bool repeats_an_argument(const struct sz_seccomp_rule *r)
{
	for (size_t i = 0; i < r->n_args; i++)
		for (size_t j = i + 1; j < r->n_args; j++)
			if (r->args[i].index == r->args[j].index)
				return true;
	return false;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const struct sz_seccomp_arg *args, size_t n)
{
	struct scmp_arg_cmp cmp[6];

	for (size_t i = 0; i < n && i < 6; i++)
		cmp[i] = (struct scmp_arg_cmp){.arg = args[i].index,
		                               .op = (enum scmp_compare)args[i].op,
		                               .datum_a = args[i].value,
		                               .datum_b = args[i].value_two};
	return seccomp_rule_add_array(ctx, action, nr, (unsigned int)(n < 6 ? n : 6), cmp);
}

/* The caller's profile. System calls this libseccomp does not know are
 * left out, and so are rules whose action is the default one (libseccomp
 * refuses them), as runc does. */
static int add_profile(scmp_filter_ctx ctx, const struct sz_seccomp_profile *p)
{
	for (size_t a = 0; a < p->n_arches; a++) {
		int rc = seccomp_arch_add(ctx, p->arches[a]);
		if (rc < 0 && rc != -EEXIST)
			return rc;
	}
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct sz_seccomp_rule *r = &p->rules[i];

		if (r->action == p->default_action)
			continue;
		for (size_t k = 0; k < r->n_names; k++) {
			int nr = seccomp_syscall_resolve_name(r->names[k]);
			int rc = 0;

			if (nr == __NR_SCMP_ERROR)
				continue;
			if (repeats_an_argument(r))
				for (size_t a = 0; a < r->n_args && rc == 0; a++)
					rc = add_rule(ctx, r->action, nr, &r->args[a], 1);
			else
				rc = add_rule(ctx, r->action, nr, r->args, r->n_args);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

int sz_seccomp_compile(const struct sz_seccomp_profile *profile, sz_error_t *err)
{
	scmp_filter_ctx ctx = seccomp_init(profile != NULL ? profile->default_action : SCMP_ACT_ALLOW);
	int fd = -1;
	int rc;

	if (ctx == NULL)
		return sz_error_make(err, ENOMEM, _("cannot create the seccomp filter"));
	rc = profile != NULL ? add_profile(ctx, profile) : add_rules(ctx);
	if (rc == 0) {
		fd = memfd_create("stanza-seccomp", MFD_CLOEXEC);
		rc = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	}
	seccomp_release(ctx);
	if (rc < 0) {
		if (fd >= 0)
			close(fd);
		return sz_error_make(err, -rc, _("cannot create the seccomp filter"));
	}
	return fd;
}

int sz_apply_seccomp(struct sz_container *c, int fd, sz_error_t *err)
{
	struct sock_filter insns[BPF_MAXINSNS];
	struct sock_fprog prog = {.filter = insns};
	ssize_t n = pread(fd, insns, sizeof(insns), 0);

	if (n <= 0 || n % (ssize_t)sizeof(insns[0]) != 0)
		return sz_error_make(err, n < 0 ? errno : EINVAL, _("cannot read the seccomp filter"));
	prog.len = (unsigned short)(n / (ssize_t)sizeof(insns[0]));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return sz_error_make(err, errno, _("cannot load the seccomp filter"));
	if (c->spec->seccomp != NULL) {
		sz_trace(c, "seccomp: the config's profile, %zu rules (%u BPF instructions)",
		         c->spec->seccomp->n_rules, (unsigned)prog.len);
		return 0;
	}
	sz_trace(c,
	         "seccomp: %zu system calls denied, clone of new namespaces denied, clone3 ENOSYS (%u BPF "
	         "instructions)",
	         sizeof(denied) / sizeof(denied[0]), (unsigned)prog.len);
	return 0;
}

/* Wait for the filter stanza compiled and install it. */
int sz_load_seccomp(struct sz_container *c, sz_error_t *err)
{
	struct sz_msg msg;
	cleanup_close int fd = -1;
	ssize_t n = sz_msg_recv(c->sync_fd, &msg, &fd);

	if (n != (ssize_t)sizeof(msg) || msg.type != SZ_MSG_SECCOMP || fd < 0)
		return sz_error_make(err, n < 0 ? errno : EPROTO, _("cannot receive the seccomp filter"));
	return sz_apply_seccomp(c, fd, err);
}

void sz_security_profile(struct sz_runtime_profile *p)
{
	p->caps = kept_caps;
	p->n_caps = N_KEPT;
	p->denied_syscalls = denied;
	p->n_denied_syscalls = sizeof(denied) / sizeof(denied[0]);
	p->clone_ns_flags = clone_ns_flags;
	p->n_clone_ns_flags = sizeof(clone_ns_flags) / sizeof(clone_ns_flags[0]);
}
