/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_judge.c - the host probe's judge: facts into findings, with what each lack disables and its fix */
#include "runtime/probe_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

const char *sz_probe_status_name(enum sz_probe_status status)
{
	switch (status) {
	case SZ_PROBE_OK: return "ok";
	case SZ_PROBE_WARN: return "warn";
	case SZ_PROBE_MISSING: return "missing";
	}
	return "?";
}

void probe_add_finding(struct sz_probe *p, const char *name, enum sz_probe_status status, char *detail,
                       char *disables, char *fix)
{
	struct sz_probe_finding *f;

	if (p->n_findings >= SZ_PROBE_MAX_FINDINGS)
		abort(); /* a bug: SZ_PROBE_MAX_FINDINGS is too small */
	f = &p->findings[p->n_findings++];
	f->name = name;
	f->status = status;
	f->detail = detail;
	f->disables = disables;
	f->fix = fix;
}

static char *dup_text(const char *s)
{
	return s != NULL ? sz_xstrdup(s) : NULL;
}

/* ---- who and where ---------------------------------------------------- */

static void judge_user(struct sz_probe *p)
{
	const struct sz_probe_user *u = &p->user;
	unsigned long uid = u->uid, euid = u->euid;

	if (u->root && p->virt.partial_uid_map)
		probe_add_finding(
		    p, "user", SZ_PROBE_WARN,
		    sz_asprintf(_("root (uid %lu, euid %lu), but only inside a user namespace"), uid, euid),
		    sz_xstrdup(_("the host may refuse cgroup writes and some mounts even to this root")),
		    NULL);
	else if (u->root && u->cap_sys_admin)
		probe_add_finding(p, "user", SZ_PROBE_OK,
		                  sz_asprintf(_("root (uid %lu, euid %lu)"), uid, euid), NULL, NULL);
	else if (u->root)
		probe_add_finding(
		    p, "user", SZ_PROBE_WARN,
		    sz_asprintf(_("root (uid %lu, euid %lu) but without CAP_SYS_ADMIN"), uid, euid),
		    sz_xstrdup(_("mounts and namespaces may be refused even to root")), NULL);
	else
		probe_add_finding(
		    p, "user", SZ_PROBE_WARN,
		    sz_asprintf(_("not root: %s (uid %lu, euid %lu)"), u->name, uid, euid),
		    sz_xstrdup(
		        _("labs that need root are skipped; containers run rootless, in a user namespace")),
		    NULL);
}

static void judge_kernel(struct sz_probe *p)
{
	/* TRANSLATORS: "Linux 6.1.0-13-amd64 on x86_64" */
	probe_add_finding(p, "kernel", SZ_PROBE_OK,
	                  sz_asprintf(_("Linux %s on %s"), p->kernel.release, p->kernel.machine), NULL, NULL);
}

static void vm_detail(const struct sz_probe_virt *v, struct sz_buf *d)
{
	if (v->vm == NULL) {
		sz_buf_adds(d, _("bare metal (the CPU has no hypervisor flag)"));
		return;
	}
	if (v->dmi_vendor != NULL)
		sz_buf_addf(d, _("virtual machine: %s"), v->vm);
	else
		sz_buf_adds(d, _("virtual machine without DMI tables (as in Firecracker)"));
	if (v->hypervisor_type != NULL)
		sz_buf_addf(d, "; /sys/hypervisor/type: %s", v->hypervisor_type);
	if (v->cpuid_signature != NULL)
		sz_buf_addf(d, "; CPUID: %s", sz_probe_hypervisor_name(v->cpuid_signature));
}

static void judge_host(struct sz_probe *p)
{
	const struct sz_probe_virt *v = &p->virt;
	struct sz_buf detail = SZ_BUF_INIT;

	vm_detail(v, &detail);
	if (v->container == NULL) {
		if (v->dockerenv)
			sz_buf_addf(&detail, "; %s", _("/.dockerenv exists but nothing else says container"));
		probe_add_finding(p, "host", SZ_PROBE_OK, sz_buf_detach(&detail, NULL), NULL, NULL);
		return;
	}
	/* TRANSLATORS: %s names the container kind: "docker", "podman", "lxc", "user namespace". */
	sz_buf_addf(&detail, _("; inside a container (%s)"), v->container);
	probe_add_finding(
	    p, "host", SZ_PROBE_WARN, sz_buf_detach(&detail, NULL),
	    sz_xstrdup(_("the container around stanza may refuse namespaces, mounts or cgroups (see below)")),
	    NULL);
}

/* ---- cgroups ---------------------------------------------------------- */

/* What a controller nobody may use disables, its limit named in the
 * caller's words. */
static char *controller_disables(const struct sz_probe *p, enum sz_controller c)
{
	const char *const *words = p->words != NULL ? p->words->limit : NULL;

	switch (c) {
	case SZ_CTRL_MEMORY:
		/* TRANSLATORS: %s is the limit as the user sets it: "stanza run --memory" (in `stanza
		 * doctor`), else "the memory limit". */
		return sz_asprintf(_("%s is refused; labs that need memory limits are skipped"),
		                   sz_cgroup_limit_words(words, SZ_LIMIT_MEMORY));
	case SZ_CTRL_PIDS:
		/* TRANSLATORS: %s: "stanza run --pids", else "the pids limit". */
		return sz_asprintf(_("%s is refused; labs that need a process limit are skipped"),
		                   sz_cgroup_limit_words(words, SZ_LIMIT_PIDS));
	case SZ_CTRL_CPU:
		/* TRANSLATORS: %s: "stanza run --cpus", else "the cpu limit". */
		return sz_asprintf(_("%s is refused; labs that need a CPU limit are skipped"),
		                   sz_cgroup_limit_words(words, SZ_LIMIT_CPU));
	case SZ_CTRL_CPUACCT:
		return sz_xstrdup(
		    _("the CPU time a container used cannot be measured; labs that check it are skipped"));
	case SZ_CTRL_COUNT: break;
	}
	return NULL;
}

static char *cgroup_mode_detail(const struct sz_probe_cgroup *cg)
{
	switch (cg->mode) {
	case SZ_CGROUP_V1: return sz_xstrdup(_("v1: one hierarchy per controller"));
	case SZ_CGROUP_HYBRID:
		return sz_asprintf(_("hybrid: controllers on v1 hierarchies, cgroup2 at %s"), cg->v2_mount);
	case SZ_CGROUP_V2: return sz_asprintf(_("v2 (unified) at %s"), cg->v2_mount);
	case SZ_CGROUP_NONE: break;
	}
	return sz_xstrdup(_("no cgroup file system is mounted"));
}

static void judge_cgroup_mode(struct sz_probe *p)
{
	const struct sz_probe_cgroup *cg = &p->cgroup;
	cleanup_free char *mode = cgroup_mode_detail(cg);
	struct sz_buf detail = SZ_BUF_INIT;
	cleanup_buf struct sz_buf names = SZ_BUF_INIT;

	if (cg->mode == SZ_CGROUP_NONE) {
		probe_add_finding(p, "cgroup", SZ_PROBE_MISSING, steal_pointer(&mode),
		                  sz_xstrdup(_("every limit is refused; labs that need one are skipped")),
		                  NULL);
		return;
	}
	sz_buf_adds(&detail, mode);
	if (cg->mode == SZ_CGROUP_V2 && !p->user.root)
		sz_buf_addf(&detail, "; %s",
		            cg->delegated ? _("your cgroup is delegated to you")
		                          : _("your cgroup is not delegated to you"));
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (probe_controller_refused(&cg->ctrl[c]))
			sz_buf_addf(&names, "%s%s", names.len > 0 ? ", " : "", sz_controller_name(c));
	if (names.len == 0) {
		probe_add_finding(p, "cgroup", SZ_PROBE_OK, sz_buf_detach(&detail, NULL), NULL, NULL);
		return;
	}
	/* TRANSLATORS: %s is a list of cgroup controllers: "memory, pids, cpu". */
	sz_buf_addf(&detail, _("; not writable for you: %s"), names.buf);
	probe_add_finding(p, "cgroup", SZ_PROBE_WARN, sz_buf_detach(&detail, NULL), NULL, dup_text(cg->fix));
}

static char *controller_detail(const struct sz_probe *p, enum sz_controller c, enum sz_probe_status *status)
{
	const struct sz_probe_controller *pc = &p->cgroup.ctrl[c];

	*status = SZ_PROBE_MISSING;
	if (!pc->mounted)
		return sz_xstrdup(_("this host has no such controller"));
	if (!pc->enabled)
		return sz_asprintf(_("not available in %s (not in its cgroup.controllers)"), pc->base);
	if (pc->on_v2 && !p->user.root && pc->error == EPERM)
		return sz_asprintf(_("%s is not delegated to you"), pc->base);
	if (pc->error != 0)
		/* TRANSLATORS: "cannot create groups in '/sys/fs/cgroup/memory/user.slice': Permission
		 * denied" */
		return sz_asprintf(_("cannot create groups in '%s': %s"), pc->base, strerror(pc->error));
	*status = SZ_PROBE_OK;
	if (c == SZ_CTRL_MEMORY && !pc->on_v2 && !p->cgroup.memsw) {
		*status = SZ_PROBE_WARN;
		return sz_asprintf(
		    _("groups go in %s, but swap is not limited (no memory.memsw files: boot with "
		      "swapaccount=1)"),
		    pc->base);
	}
	if (c == SZ_CTRL_CPUACCT && pc->on_v2)
		return sz_asprintf(_("groups go in %s (on v2, cpu.stat counts CPU time)"), pc->base);
	/* TRANSLATORS: %s is a directory such as /sys/fs/cgroup/memory */
	return sz_asprintf(_("groups go in %s"), pc->base);
}

static void judge_controllers(struct sz_probe *p)
{
	static const char *const names[SZ_CTRL_COUNT] = {
	    [SZ_CTRL_MEMORY] = "cgroup.memory",
	    [SZ_CTRL_PIDS] = "cgroup.pids",
	    [SZ_CTRL_CPU] = "cgroup.cpu",
	    [SZ_CTRL_CPUACCT] = "cgroup.cpuacct",
	};

	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		enum sz_probe_status status;
		char *detail = controller_detail(p, c, &status);
		char *disables = NULL;

		if (status == SZ_PROBE_MISSING)
			disables = controller_disables(p, c);
		else if (status == SZ_PROBE_WARN)
			disables = sz_xstrdup(_("a memory limit can be exceeded by swapping"));
		probe_add_finding(p, names[c], status, detail, disables, NULL);
	}
}

/* ---- seccomp and the image -------------------------------------------- */

static void judge_seccomp(struct sz_probe *p)
{
	const struct sz_probe_seccomp *s = &p->seccomp;
	const char *disables =
	    _("stanza always installs a system-call filter, so stanza run and every lab are "
	      "refused");

	if (!s->available || !s->filter) {
		probe_add_finding(p, "seccomp", SZ_PROBE_MISSING,
		                  !s->available ? sz_xstrdup(_("this kernel has no seccomp"))
		                                : sz_asprintf(_("the filter mode is not supported: %s"),
		                                              strerror(s->error)),
		                  sz_xstrdup(disables), NULL);
		return;
	}
	if (s->self_mode == 2) {
		probe_add_finding(
		    p, "seccomp", SZ_PROBE_WARN,
		    sz_xstrdup(_("filters are supported, and stanza already runs under one (from a container "
		                 "or a sandbox)")),
		    sz_xstrdup(_("system calls the outer filter denies fail inside containers too")), NULL);
		return;
	}
	probe_add_finding(p, "seccomp", SZ_PROBE_OK,
	                  sz_xstrdup(_("filter mode (SECCOMP_MODE_FILTER) is supported")), NULL, NULL);
}

static void judge_image(struct sz_probe *p)
{
	const struct sz_probe_image *img = &p->image;
	const char *disables = _("no container can start: stanza run and every lab need the image");
	const char *build =
	    _("the build assembles it from Debian's busybox-static: run 'make' in stanza's source "
	      "directory");
	char *detail;

	if (img->binary == NULL)
		return;
	if (img->present && img->is_elf && img->is_static && img->native) {
		probe_add_finding(p, "image", SZ_PROBE_OK,
		                  sz_asprintf(_("%s is a static executable"), img->binary), NULL, NULL);
		return;
	}
	if (!img->present)
		detail = sz_asprintf(_("'%s' not found"), img->binary);
	else if (!img->is_elf && img->error != ENOEXEC)
		detail = sz_asprintf(_("cannot read '%s': %s"), img->binary, strerror(img->error));
	else if (!img->is_elf || !img->native)
		detail = sz_asprintf(_("'%s' is not an executable for this machine"), img->binary);
	else
		detail = sz_asprintf(_("'%s' is dynamically linked: it cannot run in the container's root"),
		                     img->binary);
	probe_add_finding(p, "image", SZ_PROBE_MISSING, detail, sz_xstrdup(disables),
	                  sz_asprintf("# %s\n", build));
}

/* ---- all of them ------------------------------------------------------ */

void probe_findings_release(struct sz_probe *p)
{
	for (size_t i = 0; i < p->n_findings; i++) {
		free(p->findings[i].detail);
		free(p->findings[i].disables);
		free(p->findings[i].fix);
	}
	memset(p->findings, 0, sizeof(p->findings));
	p->n_findings = 0;
}

void sz_probe_judge(struct sz_probe *p)
{
	probe_findings_release(p);
	judge_user(p);
	judge_kernel(p);
	judge_host(p);
	probe_judge_namespaces(p);
	probe_judge_userns(p);
	judge_cgroup_mode(p);
	judge_controllers(p);
	probe_judge_overlay(p);
	judge_seccomp(p);
	judge_image(p);
}
