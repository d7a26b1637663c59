/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_judge_trial.c - the host probe's judge of its trials: why one failed, and how to fix it */
#include "runtime/probe_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

/* "<step> failed: <strerror>", for a failed trial. */
static char *trial_failure(const struct sz_probe_trial *t)
{
	if (t->failed == SZ_STEP_LOST && t->error == ETIMEDOUT)
		return sz_xstrdup(_("the trial did not finish within 10 seconds"));
	if (t->error == 0)
		/* TRANSLATORS: %s is a step such as "write uid_map" or "mount proc". */
		return sz_asprintf(_("%s failed"), sz_probe_step_name(t->failed));
	/* TRANSLATORS: the first %s is a step such as "write uid_map", the second the system's error text. */
	return sz_asprintf(_("%s failed: %s"), sz_probe_step_name(t->failed), strerror(t->error));
}

/* ---- fixes for the sysctls and AppArmor ------------------------------- */

/* Setting a sysctl now and after every boot. */
static void sysctl_fix(struct sz_buf *fix, const char *key, const char *value)
{
	sz_buf_addf(fix, "# %s\n", _("as an administrator (the second line keeps it after a reboot):"));
	sz_buf_addf(fix, "sudo sysctl -w %s=%s\n", key, value);
	sz_buf_addf(fix, "echo %s=%s | sudo tee /etc/sysctl.d/90-stanza.conf\n", key, value);
}

/* Ubuntu's way to let one program have user namespaces. */
static void apparmor_fix(struct sz_buf *fix, const char *exe)
{
	cleanup_free char *q = probe_shell_quote(exe != NULL ? exe : "/usr/local/bin/stanza");

	sz_buf_addf(fix, "# %s\n", _("as an administrator, allow user namespaces to stanza alone:"));
	sz_buf_addf(
	    fix,
	    "printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile stanza %s flags=(unconfined) {\\n"
	    "  userns,\\n}\\n' | sudo tee /etc/apparmor.d/stanza && sudo apparmor_parser -r "
	    "/etc/apparmor.d/stanza\n",
	    q);
	sz_buf_addf(fix, "# %s\n", _("or allow them to every program:"));
}

/* Why the sysctls say a user namespace failed; NULL when they do not explain it. */
static char *knob_why(const struct sz_probe *p, const struct sz_probe_trial *t, struct sz_buf *fix)
{
	const struct sz_probe_userns_knobs *k = &p->knobs;
	bool at_unshare = t->failed == SZ_STEP_UNSHARE_USER;
	bool denied = t->error == EPERM || t->error == EACCES;

	if (k->max_user_namespaces == 0 || (at_unshare && t->error == ENOSPC)) {
		sysctl_fix(fix, "user.max_user_namespaces", "15000");
		if (k->max_user_namespaces == 0)
			return sz_xstrdup(_("user.max_user_namespaces is 0"));
		return sz_asprintf(_("the limit user.max_user_namespaces=%ld is reached"),
		                   k->max_user_namespaces);
	}
	if (at_unshare && denied && k->unprivileged_userns_clone == 0) {
		sysctl_fix(fix, "kernel.unprivileged_userns_clone", "1");
		return sz_xstrdup(_("kernel.unprivileged_userns_clone is 0"));
	}
	if (denied && k->apparmor_restrict_unprivileged_userns == 1 && !p->user.root) {
		apparmor_fix(fix, p->exe);
		sysctl_fix(fix, "kernel.apparmor_restrict_unprivileged_userns", "0");
		return sz_xstrdup(_("AppArmor restricts unprivileged user namespaces "
		                    "(kernel.apparmor_restrict_unprivileged_userns is 1)"));
	}
	return NULL;
}

/* Why a namespace trial failed, when something says so; NULL otherwise. */
static char *trial_why(const struct sz_probe *p, const struct sz_probe_trial *t, bool userns,
                       struct sz_buf *fix)
{
	bool denied = t->error == EPERM || t->error == EACCES;
	char *why = userns ? knob_why(p, t, fix) : NULL;

	if (why != NULL)
		return why;
	if (t->failed == SZ_STEP_UNSHARE_USER && t->error == EINVAL)
		return sz_xstrdup(_("this kernel was built without user namespaces"));
	if (t->failed == SZ_STEP_UNSHARE_USER && t->error == EUSERS)
		return sz_xstrdup(_("user namespaces are nested too deeply"));
	if (t->failed == SZ_STEP_MOUNT_PROC && denied)
		return sz_xstrdup(
		    _("parts of /proc are hidden, as inside a container, so the kernel refuses a "
		      "fresh one"));
	if (denied && p->virt.container != NULL)
		return sz_xstrdup(
		    _("the container around stanza forbids it (its seccomp profile or capabilities)"));
	return NULL;
}

/* ---- the findings ----------------------------------------------------- */

static void judge_trial(struct sz_probe *p, const char *name, const struct sz_probe_trial *t, bool userns,
                        char *ok_detail, const char *disables)
{
	struct sz_buf fix = SZ_BUF_INIT;
	char *detail, *why;

	if (sz_probe_trial_ok(t)) {
		probe_add_finding(p, name, SZ_PROBE_OK, ok_detail, NULL, NULL);
		return;
	}
	free(ok_detail);
	detail = trial_failure(t);
	why = trial_why(p, t, userns, &fix);
	if (why != NULL) {
		char *joined = sz_asprintf("%s (%s)", detail, why);

		free(detail);
		detail = joined;
	}
	free(why);
	probe_add_finding(p, name, SZ_PROBE_MISSING, detail, sz_xstrdup(disables), probe_detach_text(&fix));
}

void probe_judge_namespaces(struct sz_probe *p)
{
	const char *none = _("containers cannot be created: stanza run and every lab are unavailable");

	if (p->user.root) {
		judge_trial(
		    p, "namespaces", &p->namespaces, false,
		    sz_xstrdup(_("mount, PID, UTS, IPC, network and cgroup namespaces, PID 1 and a fresh "
		                 "/proc")),
		    none);
		return;
	}
	if (sz_probe_trial_ok(&p->userns))
		probe_add_finding(p, "namespaces", SZ_PROBE_OK,
		                  sz_xstrdup(_("all of them, inside a user namespace")), NULL, NULL);
	else
		probe_add_finding(
		    p, "namespaces", SZ_PROBE_MISSING,
		    sz_xstrdup(_("they need a user namespace here, and that failed (see userns)")),
		    sz_xstrdup(none), NULL);
}

void probe_judge_userns(struct sz_probe *p)
{
	char *ok = sz_asprintf(_("a user namespace mapping root to uid %lu, then PID 1 and a fresh /proc"),
	                       (unsigned long)p->user.euid);

	judge_trial(p, "userns", &p->userns, true, ok,
	            p->user.root
	                ? _("labs about user namespaces are skipped; rootless mode is unavailable")
	                : _("rootless mode is unavailable, and without root stanza run and every lab are "
	                    "refused"));
}

static const char *read_only_words(const struct sz_probe *p)
{
	if (p->words != NULL && p->words->read_only != NULL)
		return p->words->read_only;
	return _("a read-only root");
}

void probe_judge_overlay(struct sz_probe *p)
{
	const char *where = p->user.root ? "" : _(", inside a user namespace");
	struct sz_buf fix = SZ_BUF_INIT;
	struct sz_buf detail = SZ_BUF_INIT;
	cleanup_free char *failure = NULL;

	if (sz_probe_trial_ok(&p->overlay)) {
		/* TRANSLATORS: "on /tmp (ext4)", then maybe ", inside a user namespace" */
		probe_add_finding(p, "overlay", SZ_PROBE_OK,
		                  sz_asprintf(_("mounts, copies up, deletes, makes opaque directories and "
		                                "moves directories on %s (%s)%s"),
		                              p->overlay_dir, p->overlay_fstype, where),
		                  NULL, NULL);
		return;
	}
	failure = trial_failure(&p->overlay);
	sz_buf_adds(&detail, failure);
	sz_buf_addf(&detail, _(" on %s (%s)%s"), p->overlay_dir, p->overlay_fstype, where);
	if (!p->overlay_listed) {
		sz_buf_addf(&detail, "; %s", _("overlay is not in /proc/filesystems"));
		sz_buf_addf(&fix, "# %s\nsudo modprobe overlay\n",
		            _("as an administrator, load the overlay module:"));
	} else if (!p->user.root && p->overlay.failed <= SZ_STEP_UID_MAP &&
	           p->overlay.failed >= SZ_STEP_UNSHARE_USER) {
		sz_buf_addf(&detail, "; %s", _("it needs a user namespace first (see userns)"));
	} else if (!p->user.root && (p->kernel.major < 5 || (p->kernel.major == 5 && p->kernel.minor < 11))) {
		sz_buf_addf(&detail, "; %s", _("overlay inside a user namespace needs Linux 5.11"));
	}
	/* TRANSLATORS: %s is how the user asks for it: "stanza run --read-only" (in `stanza doctor`),
	 * else "a read-only root". */
	probe_add_finding(p, "overlay", SZ_PROBE_MISSING, sz_buf_detach(&detail, NULL),
	                  sz_asprintf(_("the image cannot get a throwaway writable layer: only %s works"),
	                              read_only_words(p)),
	                  probe_detach_text(&fix));
}
