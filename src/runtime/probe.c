/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe.c - the host probe: its entry points, the shared readers and parsers, and the simple facts */
#include "runtime/probe_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/selfexe.h"
#include "common/util.h"

#define CAP_SYS_ADMIN_BIT 21

/* ---- host files below a root, and text (probe_internal.h) ------------- */

char *probe_host_path(const char *root, const char *path)
{
	return sz_asprintf("%s%s", root, path);
}

char *probe_read_host(const char *root, const char *path, size_t *len)
{
	cleanup_free char *full = probe_host_path(root, path);
	sz_error_t err = NULL;
	char *text = NULL;

	if (sz_read_file(full, &text, len, &err) < 0) {
		sz_error_release(&err);
		return NULL;
	}
	return text;
}

char *probe_read_line(const char *root, const char *path)
{
	cleanup_free char *text = probe_read_host(root, path, NULL);
	char *start, *end;

	if (text == NULL)
		return NULL;
	start = text + strspn(text, " \t");
	end = start + strcspn(start, "\n");
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	if (end == start)
		return NULL;
	*end = '\0';
	return sz_xstrdup(start);
}

/* A number in a file below root (a sysctl); -1 when absent or not a number. */
static long read_long(const char *root, const char *path)
{
	cleanup_free char *line = probe_read_line(root, path);
	char *end = NULL;
	long value;

	if (line == NULL)
		return -1;
	errno = 0;
	value = strtol(line, &end, 10);
	if (errno != 0 || end == line || *end != '\0' || value < 0)
		return -1;
	return value;
}

bool probe_host_exists(const char *root, const char *path)
{
	cleanup_free char *full = probe_host_path(root, path);

	return access(full, F_OK) == 0;
}

char *probe_detach_text(struct sz_buf *b)
{
	if (b->len == 0) {
		sz_buf_release(b);
		return NULL;
	}
	return sz_buf_detach(b, NULL);
}

/* Whether line (up to its newline) has word as a whole, blank-separated token. */
static bool probe_line_has_word(const char *line, const char *word)
{
	size_t n = strlen(word);
	const char *p = line;

	while (*p != '\0' && *p != '\n') {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

char *probe_shell_quote(const char *s)
{
	struct sz_buf out = SZ_BUF_INIT;

	if (*s != '\0' && strspn(s, PROBE_SHELL_SAFE "/:+,=@%") == strlen(s))
		return sz_xstrdup(s);
	sz_buf_addch(&out, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			sz_buf_adds(&out, "'\\''");
		else
			sz_buf_addch(&out, *s);
	}
	sz_buf_addch(&out, '\'');
	return sz_buf_detach(&out, NULL);
}

/* ---- pure parsers ----------------------------------------------------- */

bool sz_probe_cpuinfo_has_flag(const char *cpuinfo, const char *flag)
{
	const char *line = cpuinfo;

	while (line != NULL && *line != '\0') {
		const char *end = line + strcspn(line, "\n");
		const char *colon = memchr(line, ':', (size_t)(end - line));

		/* x86 lists one "flags : ..." line per CPU; the first is enough */
		if (colon != NULL && sz_str_has_prefix(line, "flags") &&
		    strspn(line + 5, " \t") == (size_t)(colon - line - 5))
			return probe_line_has_word(colon + 1, flag);
		line = *end != '\0' ? end + 1 : NULL;
	}
	return false;
}

bool sz_probe_filesystems_has(const char *filesystems, const char *fstype)
{
	const char *line = filesystems;

	while (line != NULL && *line != '\0') {
		const char *end = line + strcspn(line, "\n");
		const char *name = end;

		while (name > line && !isspace((unsigned char)name[-1]))
			name--;
		if ((size_t)(end - name) == strlen(fstype) &&
		    strncmp(name, fstype, (size_t)(end - name)) == 0)
			return true;
		line = *end != '\0' ? end + 1 : NULL;
	}
	return false;
}

char *sz_probe_status_field(const char *status, const char *key)
{
	size_t n = strlen(key);
	const char *line = status;

	while (line != NULL && *line != '\0') {
		if (strncmp(line, key, n) == 0 && line[n] == ':') {
			const char *v = line + n + 1;
			v += strspn(v, " \t");
			return strndup(v, strcspn(v, "\n"));
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return NULL;
}

const char *sz_probe_hypervisor_name(const char *sig)
{
	static const struct {
		const char *signature, *name;
	} known[] = {
	    {"KVMKVMKVM", "KVM"},     {"Microsoft Hv", "Hyper-V"},    {"VMwareVMware", "VMware"},
	    {"XenVMMXenVMM", "Xen"},  {"TCGTCGTCGTCG", "QEMU (TCG)"}, {"bhyve bhyve", "bhyve"},
	    {"ACRNACRNACRN", "ACRN"}, {"VBoxVBoxVBox", "VirtualBox"}, {"Linux KVM Hv", "KVM"},
	    {"QNXQVMBSQG", "QNX"},    {"lrpepyh  vr", "Parallels"},
	};

	if (sig == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(sig, known[i].signature) == 0)
			return known[i].name;
	return sig;
}

/* ---- who, which kernel, which knobs ----------------------------------- */

void sz_probe_user(struct sz_probe_user *user, const char *root)
{
	cleanup_free char *status = probe_read_host(root, "/proc/self/status", NULL);
	cleanup_free char *capeff = status != NULL ? sz_probe_status_field(status, "CapEff") : NULL;
	struct passwd *pw;

	memset(user, 0, sizeof(*user));
	user->uid = getuid();
	user->euid = geteuid();
	user->gid = getgid();
	user->egid = getegid();
	user->root = user->euid == 0;
	pw = getpwuid(user->euid);
	user->name = pw != NULL ? sz_xstrdup(pw->pw_name) : sz_asprintf("%lu", (unsigned long)user->euid);
	if (capeff != NULL)
		user->cap_sys_admin = (strtoull(capeff, NULL, 16) >> CAP_SYS_ADMIN_BIT) & 1;
}

static void sz_probe_kernel(struct sz_probe_kernel *kernel)
{
	struct utsname u;

	memset(kernel, 0, sizeof(*kernel));
	if (uname(&u) < 0) {
		kernel->release = sz_xstrdup("?");
		kernel->machine = sz_xstrdup("?");
		return;
	}
	kernel->release = sz_xstrdup(u.release);
	kernel->machine = sz_xstrdup(u.machine);
	if (sscanf(u.release, "%d.%d", &kernel->major, &kernel->minor) != 2)
		kernel->major = kernel->minor = 0;
}

void sz_probe_userns_knobs(struct sz_probe_userns_knobs *knobs, const char *root)
{
	knobs->max_user_namespaces = read_long(root, "/proc/sys/user/max_user_namespaces");
	knobs->unprivileged_userns_clone = read_long(root, "/proc/sys/kernel/unprivileged_userns_clone");
	knobs->apparmor_restrict_unprivileged_userns =
	    read_long(root, "/proc/sys/kernel/apparmor_restrict_unprivileged_userns");
}

/* The Seccomp: field of /proc/self/status (0, 1 or 2); -1 when absent or not a number. */
static int seccomp_mode(const char *text)
{
	sz_error_t err = NULL;
	uint64_t v;

	if (text == NULL || sz_parse_uint(text, 0, INT_MAX, &v, &err) < 0) {
		sz_error_release(&err);
		return -1;
	}
	return (int)v;
}

void sz_probe_seccomp(struct sz_probe_seccomp *sec, const char *root)
{
	cleanup_free char *status = probe_read_host(root, "/proc/self/status", NULL);
	cleanup_free char *mode = status != NULL ? sz_probe_status_field(status, "Seccomp") : NULL;

	memset(sec, 0, sizeof(*sec));
	sec->self_mode = seccomp_mode(mode);
	sec->available = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
	if (!sec->available) {
		sec->error = errno;
		return;
	}
	/* A NULL filter is rejected while copying it in, after the mode is
	 * known to be supported: EFAULT means "supported", EINVAL "not". */
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, NULL, 0, 0) < 0 && errno == EFAULT) {
		sec->filter = true;
		return;
	}
	sec->error = errno;
}

/* ---- the whole probe -------------------------------------------------- */

void sz_probe_options_init(struct sz_probe_options *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->root = "";
	opts->image = "busybox";
	opts->command = "stanza ...";
	opts->trials = true;
}

static char *self_exe(void)
{
	const char *exe = sz_self_exe();

	return *exe != '\0' ? sz_xstrdup(exe) : NULL;
}

int sz_probe_run(struct sz_probe *p, const struct sz_probe_options *opts, sz_error_t *err)
{
	memset(p, 0, sizeof(*p));
	p->words = opts->words;
	sz_probe_user(&p->user, opts->root);
	p->exe = self_exe();
	sz_probe_kernel(&p->kernel);
	sz_probe_virt(&p->virt, opts->root);
	sz_probe_userns_knobs(&p->knobs, opts->root);
	sz_probe_seccomp(&p->seccomp, opts->root);
	sz_probe_image(&p->image, opts->images_dir, opts->image != NULL ? opts->image : "busybox");
	if (sz_probe_cgroup(&p->cgroup, &p->user, opts, err) < 0) {
		sz_probe_release(p);
		return -1;
	}
	probe_run_trials(p, opts);
	sz_probe_judge(p);
	return 0;
}

bool sz_probe_can_run(const struct sz_probe *p)
{
	const struct sz_probe_image *img = &p->image;
	bool image = img->binary == NULL || (img->present && img->is_elf && img->is_static && img->native);

	return image && sz_probe_trial_ok(&p->namespaces) &&
	       (p->user.root || sz_probe_trial_ok(&p->userns)) && p->seccomp.filter;
}

const struct sz_probe_finding *sz_probe_find(const struct sz_probe *p, const char *name)
{
	for (size_t i = 0; i < p->n_findings; i++)
		if (strcmp(p->findings[i].name, name) == 0)
			return &p->findings[i];
	return NULL;
}

void sz_probe_release(struct sz_probe *p)
{
	probe_findings_release(p);
	free(p->user.name);
	free(p->exe);
	free(p->kernel.release);
	free(p->kernel.machine);
	sz_probe_virt_release(&p->virt);
	free(p->overlay_dir);
	free(p->overlay_fstype);
	sz_probe_cgroup_release(&p->cgroup);
	free(p->image.binary);
	memset(p, 0, sizeof(*p));
}
