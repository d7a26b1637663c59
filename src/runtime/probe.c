/* probe.c - the host probe: read what the kernel says, try what it might refuse, judge the result */
#include "runtime/probe.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <linux/seccomp.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

#define CAP_SYS_ADMIN_BIT 21
#define TRIAL_TIMEOUT_MS  10000
#define TRIAL_NAMESPACES                                                                                     \
	(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWCGROUP)

/* ---- small helpers ---------------------------------------------------- */

static char *host_path(const char *root, const char *path)
{
	return sz_asprintf("%s%s", root, path);
}

/* The whole file below root, or NULL when it cannot be read. */
static char *read_host(const char *root, const char *path, size_t *len)
{
	cleanup_free char *full = host_path(root, path);
	sz_error_t err = NULL;
	char *text = NULL;

	if (sz_read_file(full, &text, len, &err) < 0) {
		sz_error_release(&err);
		return NULL;
	}
	return text;
}

/* The first line of a file below root, trimmed; NULL when absent or empty. */
static char *read_line(const char *root, const char *path)
{
	cleanup_free char *text = read_host(root, path, NULL);
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
	cleanup_free char *line = read_line(root, path);
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

static bool host_exists(const char *root, const char *path)
{
	cleanup_free char *full = host_path(root, path);

	return access(full, F_OK) == 0;
}

/* Append formatted text to a malloc'd string (NULL is the empty string). */
static void append(char **s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void append(char **s, const char *fmt, ...)
{
	va_list ap;
	cleanup_free char *more = NULL;
	char *joined;

	va_start(ap, fmt);
	more = sz_vasprintf(fmt, ap);
	va_end(ap);
	joined = sz_asprintf("%s%s", *s != NULL ? *s : "", more);
	free(*s);
	*s = joined;
}

/* Whether line (up to its newline) has word as a whole, blank-separated token. */
static bool line_has_word(const char *line, const char *word)
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
			return line_has_word(colon + 1, flag);
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

const char *sz_probe_step_name(enum sz_probe_step step)
{
	static const char *const names[] = {
	    [SZ_STEP_NONE] = "none",
	    [SZ_STEP_SKIPPED] = "not tried",
	    [SZ_STEP_SETUP] = "preparing the trial",
	    [SZ_STEP_FORK] = "fork",
	    [SZ_STEP_UNSHARE_USER] = "unshare(CLONE_NEWUSER)",
	    [SZ_STEP_SETGROUPS] = "write setgroups",
	    [SZ_STEP_GID_MAP] = "write gid_map",
	    [SZ_STEP_UID_MAP] = "write uid_map",
	    [SZ_STEP_UNSHARE] = "unshare(mount, PID, UTS, IPC, net, cgroup)",
	    [SZ_STEP_MOUNT_PRIVATE] = "make / private",
	    [SZ_STEP_FORK_PID1] = "fork PID 1",
	    [SZ_STEP_MOUNT_PROC] = "mount proc",
	    [SZ_STEP_MOUNT_OVERLAY] = "mount overlay",
	    [SZ_STEP_OVERLAY_WRITE] = "write through overlay",
	    [SZ_STEP_LOST] = "child lost",
	};

	if ((unsigned)step >= sizeof(names) / sizeof(names[0]) || names[step] == NULL)
		return "?";
	return names[step];
}

const char *sz_probe_status_name(enum sz_probe_status status)
{
	switch (status) {
	case SZ_PROBE_OK: return "ok";
	case SZ_PROBE_WARN: return "warn";
	case SZ_PROBE_MISSING: return "missing";
	}
	return "?";
}

/* ---- who, which kernel, which knobs ----------------------------------- */

void sz_probe_user(struct sz_probe_user *user, const char *root)
{
	cleanup_free char *status = read_host(root, "/proc/self/status", NULL);
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

void sz_probe_kernel(struct sz_probe_kernel *kernel)
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

void sz_probe_seccomp(struct sz_probe_seccomp *sec, const char *root)
{
	cleanup_free char *status = read_host(root, "/proc/self/status", NULL);
	cleanup_free char *mode = status != NULL ? sz_probe_status_field(status, "Seccomp") : NULL;

	memset(sec, 0, sizeof(*sec));
	sec->self_mode = mode != NULL ? atoi(mode) : -1;
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

/* ---- virtual machine or container ------------------------------------- */

#if defined(__x86_64__) || defined(__i386__)
static char *cpuid_signature(void)
{
	unsigned int a, b, c, d;
	char sig[13];
	size_t n;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 31)))
		return NULL; /* no hypervisor bit: leaf 0x40000000 means nothing */
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
	for (n = 0; n < 12 && sig[n] != '\0'; n++)
		if (!isprint((unsigned char)sig[n]))
			sig[n] = '?';
	sig[n] = '\0';
	while (n > 0 && sig[n - 1] == ' ')
		sig[--n] = '\0';
	return n > 0 ? sz_xstrdup(sig) : NULL;
}
#else
static char *cpuid_signature(void)
{
	return NULL;
}
#endif

/* DMI vendors that are always virtual, for guests whose CPU hides the flag. */
static bool vm_vendor(const char *vendor)
{
	static const char *const vendors[] = {"QEMU", "innotek GmbH", "VMware", "Xen", "Parallels", "BHYVE"};

	for (size_t i = 0; vendor != NULL && i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (sz_str_has_prefix(vendor, vendors[i]))
			return true;
	return false;
}

static char *vm_name(const struct sz_probe_virt *v)
{
	if (!v->cpu_hypervisor && v->hypervisor_type == NULL && !vm_vendor(v->dmi_vendor))
		return NULL;
	if (v->dmi_vendor != NULL && v->dmi_product != NULL)
		return sz_asprintf("%s %s", v->dmi_vendor, v->dmi_product);
	if (v->dmi_vendor != NULL)
		return sz_xstrdup(v->dmi_vendor);
	if (v->hypervisor_type != NULL)
		return sz_xstrdup(v->hypervisor_type);
	if (v->cpuid_signature != NULL)
		return sz_xstrdup(sz_probe_hypervisor_name(v->cpuid_signature));
	return sz_xstrdup("unknown hypervisor");
}

static void virt_vm(struct sz_probe_virt *v, const char *root)
{
	cleanup_free char *cpuinfo = read_host(root, "/proc/cpuinfo", NULL);

	v->cpu_hypervisor = cpuinfo != NULL && sz_probe_cpuinfo_has_flag(cpuinfo, "hypervisor");
	if (*root == '\0')
		v->cpuid_signature = cpuid_signature();
	v->dmi_vendor = read_line(root, "/sys/class/dmi/id/sys_vendor");
	v->dmi_product = read_line(root, "/sys/class/dmi/id/product_name");
	v->hypervisor_type = read_line(root, "/sys/hypervisor/type");
	v->vm = vm_name(v);
}

/* "container=<value>" in a NUL-separated environ block. */
static char *environ_container(const char *env, size_t len)
{
	const char *p = env;

	while (p < env + len) {
		if (sz_str_has_prefix(p, "container="))
			return sz_xstrdup(p + strlen("container="));
		p += strlen(p) + 1;
	}
	return NULL;
}

static char *cgroup_hint(const char *cgroup)
{
	static const char *const hints[] = {"kubepods", "docker",     "libpod",       "podman",
	                                    "lxc",      "containerd", "machine.slice"};

	for (size_t i = 0; cgroup != NULL && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strstr(cgroup, hints[i]) != NULL)
			return sz_xstrdup(hints[i]);
	return NULL;
}

/* The file system type of the last mount on "/" in a mountinfo text. */
static char *mountinfo_root_fstype(const char *mountinfo)
{
	const char *line = mountinfo;
	char *fstype = NULL;

	while (line != NULL && *line != '\0') {
		char mnt[8] = "", type[64] = "";
		const char *sep = strstr(line, " - ");
		const char *end = line + strcspn(line, "\n");

		if (sscanf(line, "%*s %*s %*s %*s %7s", mnt) == 1 && strcmp(mnt, "/") == 0 && sep != NULL &&
		    sep < end && sscanf(sep + 3, "%63s", type) == 1) {
			free(fstype);
			fstype = sz_xstrdup(type);
		}
		line = *end != '\0' ? end + 1 : NULL;
	}
	return fstype;
}

static void virt_container(struct sz_probe_virt *v, const char *root)
{
	size_t len = 0;
	cleanup_free char *env = read_host(root, "/proc/1/environ", &len);
	cleanup_free char *cgroup = read_host(root, "/proc/1/cgroup", NULL);
	cleanup_free char *mountinfo = read_host(root, "/proc/self/mountinfo", NULL);
	cleanup_free char *uid_map = read_host(root, "/proc/self/uid_map", NULL);
	unsigned long inside = 0, outside = 0, count = 0;

	v->dockerenv = host_exists(root, "/.dockerenv");
	v->containerenv = host_exists(root, "/run/.containerenv");
	v->environ_readable = env != NULL;
	v->container_env = env != NULL ? environ_container(env, len) : NULL;
	v->cgroup_hint = cgroup_hint(cgroup);
	v->root_fstype = mountinfo != NULL ? mountinfo_root_fstype(mountinfo) : NULL;
	if (uid_map != NULL && sscanf(uid_map, "%lu %lu %lu", &inside, &outside, &count) == 3)
		v->partial_uid_map = !(inside == 0 && outside == 0 && count == 4294967295UL);
	if (v->container_env != NULL)
		v->container = sz_xstrdup(v->container_env);
	else if (v->containerenv)
		v->container = sz_xstrdup("podman");
	else if (v->cgroup_hint != NULL)
		v->container = sz_xstrdup(v->cgroup_hint);
	else if (v->partial_uid_map)
		v->container = sz_xstrdup("user namespace");
	else if (v->root_fstype != NULL && strcmp(v->root_fstype, "overlay") == 0)
		v->container = sz_xstrdup("overlay root");
}

void sz_probe_virt(struct sz_probe_virt *virt, const char *root)
{
	memset(virt, 0, sizeof(*virt));
	virt_vm(virt, root);
	virt_container(virt, root);
}

void sz_probe_virt_release(struct sz_probe_virt *v)
{
	free(v->cpuid_signature);
	free(v->dmi_vendor);
	free(v->dmi_product);
	free(v->hypervisor_type);
	free(v->vm);
	free(v->container_env);
	free(v->cgroup_hint);
	free(v->root_fstype);
	free(v->container);
	memset(v, 0, sizeof(*v));
}

/* ---- the image: a static ELF executable ------------------------------- */

#if defined(__x86_64__)
#define SZ_ELF_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define SZ_ELF_MACHINE EM_AARCH64
#elif defined(__i386__)
#define SZ_ELF_MACHINE EM_386
#elif defined(__arm__)
#define SZ_ELF_MACHINE EM_ARM
#elif defined(__riscv)
#define SZ_ELF_MACHINE EM_RISCV
#elif defined(__powerpc64__)
#define SZ_ELF_MACHINE EM_PPC64
#elif defined(__s390x__)
#define SZ_ELF_MACHINE EM_S390
#else
#define SZ_ELF_MACHINE EM_NONE
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SZ_ELF_DATA ELFDATA2LSB
#else
#define SZ_ELF_DATA ELFDATA2MSB
#endif

/* What both ELF classes say about program headers. */
struct elf_head {
	uint16_t type, machine, phentsize, phnum;
	uint64_t phoff;
};

static int pread_exact(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	if (off > (uint64_t)INT64_MAX - len)
		return -1;
	do
		n = pread(fd, buf, len, (off_t)off);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)len ? 0 : -1;
}

static int elf_read_head(int fd, unsigned char cls, struct elf_head *h)
{
	if (cls == ELFCLASS64) {
		Elf64_Ehdr e;

		if (pread_exact(fd, &e, sizeof(e), 0) < 0 || e.e_phentsize < sizeof(Elf64_Phdr))
			return -1;
		*h = (struct elf_head){e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_phoff};
		return 0;
	}
	if (cls == ELFCLASS32) {
		Elf32_Ehdr e;

		if (pread_exact(fd, &e, sizeof(e), 0) < 0 || e.e_phentsize < sizeof(Elf32_Phdr))
			return -1;
		*h = (struct elf_head){e.e_type, e.e_machine, e.e_phentsize, e.e_phnum, e.e_phoff};
		return 0;
	}
	return -1;
}

int sz_probe_elf(const char *path, bool *is_static, bool *native, sz_error_t *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	unsigned char ident[EI_NIDENT];
	struct elf_head h;

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), path);
	if (pread_exact(fd, ident, sizeof(ident), 0) < 0 || memcmp(ident, ELFMAG, SELFMAG) != 0 ||
	    ident[EI_DATA] != SZ_ELF_DATA || elf_read_head(fd, ident[EI_CLASS], &h) < 0 ||
	    (h.type != ET_EXEC && h.type != ET_DYN) || h.phnum == PN_XNUM)
		return sz_error_make(err, ENOEXEC, _("'%s' is not an ELF executable for this machine"), path);
	*native =
	    h.machine == SZ_ELF_MACHINE && ident[EI_CLASS] == (sizeof(void *) == 8 ? ELFCLASS64 : ELFCLASS32);
	*is_static = true;
	for (uint16_t i = 0; i < h.phnum; i++) {
		uint32_t p_type; /* the first field of Elf32_Phdr and Elf64_Phdr alike */

		if (pread_exact(fd, &p_type, sizeof(p_type), h.phoff + (uint64_t)i * h.phentsize) < 0)
			return sz_error_make(err, ENOEXEC, _("'%s' is truncated"), path);
		if (p_type == PT_INTERP)
			*is_static = false;
	}
	return 0;
}

void sz_probe_image(struct sz_probe_image *img, const char *images_dir, const char *image)
{
	sz_error_t err = NULL;

	memset(img, 0, sizeof(*img));
	if (images_dir == NULL)
		return;
	img->binary = sz_asprintf("%s/%s/rootfs/bin/busybox", images_dir, image);
	if (access(img->binary, F_OK) < 0) {
		img->error = errno;
		return;
	}
	img->present = true;
	if (sz_probe_elf(img->binary, &img->is_static, &img->native, &err) < 0) {
		img->error = err->errno_;
		img->is_elf = false;
		sz_error_release(&err);
		return;
	}
	img->is_elf = true;
}

/* ---- trials: fork, enter namespaces the way the runtime does, report --- */

/*
 * A trial runs in a child process. With userns, the child unshares a user
 * namespace and waits while the parent writes setgroups, gid_map and
 * uid_map (as a rootless runtime must: the child cannot map itself); then
 * it unshares the other namespaces, makes "/" private, forks into the PID
 * namespace when there is one, and runs body there. Whoever stops sends one
 * message saying which step and errno; the socket is SOCK_SEQPACKET so each
 * message arrives whole, and silence (every end closed) means SZ_STEP_LOST.
 * Only system calls run in the children, and they leave with _exit.
 */
struct trial {
	bool userns;
	uid_t uid;
	gid_t gid;
	int flags;                                /* namespaces to unshare after the user namespace */
	int (*body)(const void *arg, int *error); /* returns the failing step or SZ_STEP_NONE */
	const void *arg;
};

struct trial_msg {
	int step;
	int error;
};

static void trial_say(int fd, int step, int error)
{
	struct trial_msg m = {step, error};

	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static __attribute__((noreturn)) void trial_fail(int fd, int step)
{
	trial_say(fd, step, errno);
	_exit(1);
}

/* Fork so that the caller's child is PID 1 of the new PID namespace; the
 * caller itself waits for it and leaves. */
static void trial_enter_pid_ns(int fd)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		trial_fail(fd, SZ_STEP_FORK_PID1);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

static __attribute__((noreturn)) void trial_child(const struct trial *t, int fd)
{
	int error = 0, step;
	char go;

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (t->userns) {
		if (unshare(CLONE_NEWUSER) < 0)
			trial_fail(fd, SZ_STEP_UNSHARE_USER);
		trial_say(fd, SZ_STEP_NONE, 0);
		if (recv(fd, &go, 1, 0) != 1)
			_exit(1); /* the parent could not write the maps and said so itself */
	}
	if (t->flags != 0 && unshare(t->flags) < 0)
		trial_fail(fd, SZ_STEP_UNSHARE);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		trial_fail(fd, SZ_STEP_MOUNT_PRIVATE);
	if (t->flags & CLONE_NEWPID)
		trial_enter_pid_ns(fd);
	step = t->body(t->arg, &error);
	trial_say(fd, step, error);
	_exit(0);
}

static int write_proc(pid_t pid, const char *name, const char *text)
{
	char path[64];
	int fd, saved;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (sz_write_all(fd, text, strlen(text)) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

static int set_trial(struct sz_probe_trial *out, enum sz_probe_step step, int error)
{
	out->failed = step;
	out->error = step == SZ_STEP_NONE ? 0 : error;
	return step == SZ_STEP_NONE ? 0 : -1;
}

/* The parent's half of entering a user namespace: deny setgroups, then map. */
static int trial_write_maps(const struct trial *t, pid_t pid, struct sz_probe_trial *out)
{
	char map[64];

	if (write_proc(pid, "setgroups", "deny") < 0)
		return set_trial(out, SZ_STEP_SETGROUPS, errno);
	snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)t->gid);
	if (write_proc(pid, "gid_map", map) < 0)
		return set_trial(out, SZ_STEP_GID_MAP, errno);
	snprintf(map, sizeof(map), "0 %lu 1\n", (unsigned long)t->uid);
	if (write_proc(pid, "uid_map", map) < 0)
		return set_trial(out, SZ_STEP_UID_MAP, errno);
	return 0;
}

/* One message from the children, or -1 on silence or after the timeout. */
static int trial_recv(int fd, struct trial_msg *m, int *error)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	ssize_t n;
	int r;

	do
		r = poll(&pfd, 1, TRIAL_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r <= 0) {
		*error = r == 0 ? ETIMEDOUT : errno;
		return -1;
	}
	do
		n = recv(fd, m, sizeof(*m), 0);
	while (n < 0 && errno == EINTR);
	*error = n < 0 ? errno : 0;
	if (n != (ssize_t)sizeof(*m) || m->step < SZ_STEP_NONE || m->step > SZ_STEP_LOST)
		return -1;
	return 0;
}

static void trial_talk(const struct trial *t, pid_t pid, int fd, struct sz_probe_trial *out)
{
	struct trial_msg m;
	int error = 0;

	if (t->userns) {
		if (trial_recv(fd, &m, &error) < 0) {
			set_trial(out, SZ_STEP_LOST, error);
			return;
		}
		if (m.step != SZ_STEP_NONE) {
			set_trial(out, m.step, m.error);
			return;
		}
		if (trial_write_maps(t, pid, out) < 0)
			return;
		if (send(fd, "g", 1, MSG_NOSIGNAL) != 1) {
			set_trial(out, SZ_STEP_LOST, errno);
			return;
		}
	}
	if (trial_recv(fd, &m, &error) < 0)
		set_trial(out, SZ_STEP_LOST, error);
	else
		set_trial(out, m.step, m.error);
}

static void run_trial(const struct trial *t, struct sz_probe_trial *out)
{
	int sv[2], status;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		set_trial(out, SZ_STEP_SETUP, errno);
		return;
	}
	pid = fork();
	if (pid < 0) {
		set_trial(out, SZ_STEP_FORK, errno);
		close(sv[0]);
		close(sv[1]);
		return;
	}
	if (pid == 0) {
		close(sv[0]);
		trial_child(t, sv[1]);
	}
	close(sv[1]);
	trial_talk(t, pid, sv[0], out);
	close(sv[0]); /* a child still waiting for "go" sees the end and leaves */
	if (out->failed == SZ_STEP_LOST && out->error == ETIMEDOUT)
		kill(pid, SIGKILL); /* its PID 1, if any, dies with it (PDEATHSIG) */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* A fresh proc, mounted by PID 1 of the new PID namespace. */
static int proc_body(const void *arg, int *error)
{
	const char *dir = arg;

	if (mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		*error = errno;
		return SZ_STEP_MOUNT_PROC;
	}
	umount2(dir, MNT_DETACH);
	return SZ_STEP_NONE;
}

struct overlay_dirs {
	char *merged;
	char *options;           /* lowerdir=...,upperdir=...,workdir=... */
	char *options_userxattr; /* the same with userxattr (rootless, Linux 5.11+), or NULL */
};

/* What a container does to its root: create a file, change one of the
 * image's (copy-up), delete one (whiteout). */
static int overlay_exercise(const char *merged)
{
	cleanup_close int dir = open(merged, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_close int created = -1;
	cleanup_close int changed = -1;

	if (dir < 0)
		return -1;
	created = openat(dir, "new", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (created < 0)
		return -1;
	changed = openat(dir, "kept", O_WRONLY | O_APPEND | O_CLOEXEC);
	if (changed < 0 || sz_write_all(changed, "x", 1) < 0)
		return -1;
	return unlinkat(dir, "gone", 0);
}

static int overlay_body(const void *arg, int *error)
{
	const struct overlay_dirs *o = arg;
	int rc = -1;

	if (o->options_userxattr != NULL)
		rc = mount("overlay", o->merged, "overlay", 0, o->options_userxattr);
	/* kernels before 5.11 do not know userxattr (EINVAL): try without */
	if (rc < 0 && (o->options_userxattr == NULL || errno == EINVAL))
		rc = mount("overlay", o->merged, "overlay", 0, o->options);
	if (rc < 0) {
		*error = errno;
		return SZ_STEP_MOUNT_OVERLAY;
	}
	if (overlay_exercise(o->merged) < 0) {
		*error = errno;
		return SZ_STEP_OVERLAY_WRITE;
	}
	umount2(o->merged, MNT_DETACH);
	return SZ_STEP_NONE;
}

/* ---- trial set-up: temporary directories ------------------------------ */

static const char *scratch_dir(const struct sz_probe_options *opts)
{
	const char *dir = opts->scratch_dir;

	if (dir == NULL || *dir == '\0')
		dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	return dir;
}

/* <scratch>/stanza-probe-XXXXXX, mode 0700, or NULL with errno set. */
static char *make_tmpdir(const char *scratch)
{
	char *dir = sz_asprintf("%s/stanza-probe-XXXXXX", scratch);
	int saved;

	if (mkdtemp(dir) != NULL)
		return dir;
	saved = errno;
	free(dir);
	errno = saved;
	return NULL;
}

static void remove_tmpdir(const char *dir)
{
	cleanup_free char *work = sz_asprintf("%s/work/work", dir);
	sz_error_t err = NULL;

	/* overlay leaves work/work with mode 0; its owner may open it again */
	chmod(work, 0700);
	sz_rm_rf_at(AT_FDCWD, dir, &err);
	sz_error_release(&err);
}

static const char *fstype_name(const char *path, char *buf, size_t len)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} known[] = {
	    {EXT4_SUPER_MAGIC, "ext4"},
	    {TMPFS_MAGIC, "tmpfs"},
	    {XFS_SUPER_MAGIC, "xfs"},
	    {BTRFS_SUPER_MAGIC, "btrfs"},
	    {OVERLAYFS_SUPER_MAGIC, "overlay"},
	    {NFS_SUPER_MAGIC, "nfs"},
	    {0x65735546UL, "fuse"},
	    {0x2fc12fc1UL, "zfs"},
	};
	struct statfs st;

	if (statfs(path, &st) < 0)
		return "?";
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if ((unsigned long)st.f_type == known[i].magic)
			return known[i].name;
	snprintf(buf, len, "0x%lx", (unsigned long)st.f_type);
	return buf;
}

/* Namespaces and a fresh /proc; with userns, the rootless sequence first. */
static void probe_namespaces(struct sz_probe_trial *out, bool userns, const struct sz_probe_user *user,
                             const char *scratch)
{
	/* only a mount point: any private directory will do */
	cleanup_free char *dir = make_tmpdir(scratch);
	struct trial t = {
	    .userns = userns,
	    .uid = user->euid,
	    .gid = user->egid,
	    .flags = TRIAL_NAMESPACES,
	    .body = proc_body,
	};

	if (dir == NULL)
		dir = make_tmpdir("/tmp");
	if (dir == NULL) {
		set_trial(out, SZ_STEP_SETUP, errno);
		return;
	}
	t.arg = dir;
	run_trial(&t, out);
	rmdir(dir);
}

static int overlay_prepare(const char *tmp, bool rootless, struct overlay_dirs *o)
{
	static const char *const subdirs[] = {"lower", "upper", "work", "merged"};
	static const char *const files[] = {"lower/kept", "lower/gone"};
	sz_error_t err = NULL;

	for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
		cleanup_free char *dir = sz_asprintf("%s/%s", tmp, subdirs[i]);
		if (mkdir(dir, 0700) < 0)
			return -1;
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cleanup_free char *file = sz_asprintf("%s/%s", tmp, files[i]);
		if (sz_write_file(file, "", 0, 0644, &err) < 0) {
			errno = err->errno_;
			sz_error_release(&err);
			return -1;
		}
	}
	o->merged = sz_asprintf("%s/merged", tmp);
	o->options = sz_asprintf("lowerdir=%s/lower,upperdir=%s/upper,workdir=%s/work", tmp, tmp, tmp);
	o->options_userxattr = rootless ? sz_asprintf("%s,userxattr", o->options) : NULL;
	return 0;
}

static void probe_overlay(struct sz_probe *p, const char *root, const char *scratch)
{
	cleanup_free char *tmp = make_tmpdir(scratch);
	cleanup_free char *filesystems = read_host(root, "/proc/filesystems", NULL);
	struct overlay_dirs o = {0};
	struct trial t = {
	    .userns = !p->user.root,
	    .uid = p->user.euid,
	    .gid = p->user.egid,
	    .flags = CLONE_NEWNS,
	    .body = overlay_body,
	    .arg = &o,
	};
	char buf[32];

	p->overlay_listed = filesystems != NULL && sz_probe_filesystems_has(filesystems, "overlay");
	p->overlay_dir = sz_xstrdup(scratch);
	p->overlay_fstype = sz_xstrdup(fstype_name(scratch, buf, sizeof(buf)));
	if (tmp == NULL || overlay_prepare(tmp, !p->user.root, &o) < 0)
		set_trial(&p->overlay, SZ_STEP_SETUP, errno);
	else
		run_trial(&t, &p->overlay);
	free(o.merged);
	free(o.options);
	free(o.options_userxattr);
	if (tmp != NULL)
		remove_tmpdir(tmp);
}

/* ---- cgroups: where this user may make groups, and how to get there --- */

static const char *strip_root(const char *path, const char *root)
{
	size_t n = strlen(root);

	return n > 0 && strncmp(path, root, n) == 0 ? path + n : path;
}

#define SHELL_SAFE "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"

/* s quoted for a POSIX shell when it needs to be. */
static char *shell_quote(const char *s)
{
	char *out = NULL;

	if (*s != '\0' && strspn(s, SHELL_SAFE "/:+,=@%") == strlen(s))
		return sz_xstrdup(s);
	append(&out, "'");
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			append(&out, "'\\''");
		else
			append(&out, "%c", *s);
	}
	append(&out, "'");
	return out;
}

/* The user as written in directory names and commands: the name when it
 * is plain, else the uid. */
static char *user_token(const struct sz_probe_user *user)
{
	const char *n = user->name;

	if (n != NULL && *n != '\0' && *n != '-' && strspn(n, SHELL_SAFE) == strlen(n))
		return sz_xstrdup(n);
	return sz_asprintf("%lu", (unsigned long)user->euid);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Below the hierarchy's mount (already root-prefixed in the layout). */
static char *controller_base_rel(const struct sz_cgroup_layout *l, enum sz_controller c,
                                 const struct sz_probe_user *user, bool v2)
{
	const char *self;

	if (user->root)
		return sz_xstrdup("");
	if (!v2) {
		cleanup_free char *who = user_token(user);
		cleanup_free char *name = sz_asprintf(SZ_PROBE_V1_DIR_FMT, who);
		cleanup_free char *admin = sz_asprintf("%s/%s", l->mount[c], name);

		if (is_dir(admin))
			return steal_pointer(&name);
	}
	self = v2 ? l->v2_self : l->self[c];
	if (self == NULL)
		self = "";
	while (*self == '/')
		self++;
	return sz_xstrdup(self);
}

static bool v2_controller_enabled(const char *dir, enum sz_controller c)
{
	cleanup_free char *file = sz_asprintf("%s/cgroup.controllers", dir);
	cleanup_free char *text = read_host("", file, NULL);

	return text != NULL && line_has_word(text, c == SZ_CTRL_CPUACCT ? "cpu" : sz_controller_name(c));
}

/* 0 when this user can make groups in dir; with delegation (v2, not root)
 * dir must also be theirs, with cgroup.procs and cgroup.subtree_control
 * writable. Else the errno that says why (EPERM: someone else's). */
static int writable_error(const char *dir, bool delegation, const struct sz_probe_user *user)
{
	static const char *const files[] = {"cgroup.procs", "cgroup.subtree_control"};
	struct stat st;

	if (faccessat(AT_FDCWD, dir, W_OK, AT_EACCESS) < 0)
		return errno;
	if (!delegation)
		return 0;
	if (stat(dir, &st) < 0)
		return errno;
	if (st.st_uid != user->euid)
		return EPERM;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		cleanup_free char *file = sz_asprintf("%s/%s", dir, files[i]);
		if (faccessat(AT_FDCWD, file, W_OK, AT_EACCESS) < 0)
			return errno;
	}
	return 0;
}

static void probe_controller(struct sz_probe_controller *pc, const struct sz_cgroup_layout *l,
                             enum sz_controller c, const struct sz_probe_user *user, const char *root)
{
	bool v2 = sz_cgroup_layout_on_v2(l, c);
	cleanup_free char *dir = NULL;

	memset(pc, 0, sizeof(*pc));
	if (l->mount[c] == NULL) {
		pc->error = ENOENT;
		return;
	}
	pc->mounted = true;
	pc->on_v2 = v2;
	pc->mount = sz_xstrdup(strip_root(l->mount[c], root));
	pc->base_rel = controller_base_rel(l, c, user, v2);
	pc->base =
	    *pc->base_rel != '\0' ? sz_asprintf("%s/%s", pc->mount, pc->base_rel) : sz_xstrdup(pc->mount);
	dir = host_path(root, pc->base);
	pc->enabled = !v2 || v2_controller_enabled(dir, c);
	pc->error = writable_error(dir, v2 && !user->root, user);
	pc->writable = pc->error == 0 && pc->enabled;
}

static bool refused(const struct sz_probe_controller *pc)
{
	return pc->mounted && !pc->writable;
}

/* v1 and hybrid: an administrator makes stanza-<user> in each hierarchy
 * that refuses, once per hierarchy (cpu and cpuacct may share one). */
static char *fix_v1(const struct sz_probe_cgroup *cg, const char *who)
{
	char *dirs = NULL, *fix = NULL;

	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		bool seen = false;
		cleanup_free char *dir = NULL;
		cleanup_free char *quoted = NULL;

		for (int d = 0; d < c; d++)
			seen |= refused(&cg->ctrl[d]) && strcmp(cg->ctrl[d].mount, cg->ctrl[c].mount) == 0;
		/* in a hybrid, a controller on cgroup2 cannot be handed over this way */
		if (!refused(&cg->ctrl[c]) || seen || cg->ctrl[c].on_v2)
			continue;
		dir = sz_asprintf("%s/" SZ_PROBE_V1_DIR_FMT, cg->ctrl[c].mount, who);
		quoted = shell_quote(dir);
		append(&dirs, " %s", quoted);
	}
	if (dirs == NULL)
		return NULL;
	append(&fix, "# %s\n",
	       _("as an administrator, after each boot (cgroup directories do not persist):"));
	append(&fix, "sudo mkdir -p%s && sudo chown -R %s%s\n", dirs, who, dirs);
	free(dirs);
	return fix;
}

static char *fix_v2_systemd(const struct sz_probe_cgroup *cg, const char *who, const char *command)
{
	char *fix = NULL;

	if (!cg->systemd_user) {
		append(&fix, "# %s\n",
		       _("your systemd user instance is not running; an administrator can keep it running:"));
		append(&fix, "sudo loginctl enable-linger %s\n", who);
	}
	if (cg->delegated) {
		/* delegated, yet a controller is missing: systemd hands users only some */
		append(&fix, "# %s\n",
		       _("as an administrator, delegate every controller stanza uses, then log in again:"));
		append(&fix, "sudo mkdir -p /etc/systemd/system/user@.service.d\n");
		append(&fix, "printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' | "
		             "sudo tee /etc/systemd/system/user@.service.d/delegate.conf\n");
		append(&fix, "sudo systemctl daemon-reload\n");
		return fix;
	}
	append(&fix, "# %s\n", _("run stanza in a systemd scope whose cgroup is delegated to you:"));
	append(&fix, "systemd-run --user --scope -p Delegate=yes %s\n", command);
	return fix;
}

/* v2 without systemd: an administrator delegates a subtree and starts stanza in it. */
static char *fix_v2_admin(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user, const char *who,
                          const char *command)
{
	cleanup_free char *dir = sz_asprintf("%s/" SZ_PROBE_V1_DIR_FMT, cg->v2_mount, who);
	cleanup_free char *q = shell_quote(dir);
	cleanup_free char *top = sz_asprintf("%s/cgroup.subtree_control", cg->v2_mount);
	cleanup_free char *qtop = shell_quote(top);
	char *fix = NULL;

	append(&fix, "# %s\n", _("as an administrator, delegate a cgroup to this user:"));
	append(&fix, "sudo mkdir -p %s\n", q);
	append(&fix, "echo '+memory +pids +cpu' | sudo tee %s\n", qtop);
	append(&fix, "sudo chown %s %s %s/cgroup.procs %s/cgroup.subtree_control %s/cgroup.threads\n", who, q,
	       q, q, q);
	append(&fix, "# %s\n",
	       _("then start stanza inside it (moving a process there needs the administrator):"));
	append(&fix,
	       "sudo sh -c 'echo $$ > %s/cgroup.procs && exec setpriv --reuid=%lu --regid=%lu --init-groups "
	       "%s'\n",
	       dir, (unsigned long)user->euid, (unsigned long)user->egid, command);
	return fix;
}

static char *cgroup_fix(const struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                        const char *command)
{
	cleanup_free char *who = user_token(user);
	bool any = false;

	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		any |= refused(&cg->ctrl[c]);
	if (user->root || !any)
		return NULL;
	if (cg->mode == SZ_CGROUP_V2)
		return cg->systemd ? fix_v2_systemd(cg, who, command) : fix_v2_admin(cg, user, who, command);
	return fix_v1(cg, who);
}

static bool systemd_user_running(const struct sz_probe_user *user, const char *root)
{
	cleanup_free char *sock = sz_asprintf("/run/user/%lu/systemd/private", (unsigned long)user->euid);

	return host_exists(root, sock);
}

int sz_probe_cgroup(struct sz_probe_cgroup *cg, const struct sz_probe_user *user,
                    const struct sz_probe_options *opts, sz_error_t *err)
{
	struct sz_cgroup_layout layout;
	cleanup_free char *mountinfo = host_path(opts->root, "/proc/self/mountinfo");
	cleanup_free char *self = host_path(opts->root, "/proc/self/cgroup");
	cleanup_free char *memsw = NULL;

	memset(cg, 0, sizeof(*cg));
	if (sz_cgroup_layout_load(&layout, mountinfo, self, opts->root, err) < 0)
		return sz_error_wrap(err, _("cannot find the cgroup hierarchies"));
	cg->mode = layout.mode;
	cg->v2_mount = layout.v2_mount != NULL ? sz_xstrdup(strip_root(layout.v2_mount, opts->root)) : NULL;
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		probe_controller(&cg->ctrl[c], &layout, c, user, opts->root);
	if (cg->mode == SZ_CGROUP_V2 && !user->root) {
		cleanup_free char *dir =
		    sz_asprintf("%s/%s", layout.v2_mount, layout.v2_self != NULL ? layout.v2_self : "");
		cg->delegated = writable_error(dir, true, user) == 0;
	}
	cg->systemd = host_exists(opts->root, "/run/systemd/system");
	cg->systemd_user = systemd_user_running(user, opts->root);
	if (layout.mount[SZ_CTRL_MEMORY] != NULL && !sz_cgroup_layout_on_v2(&layout, SZ_CTRL_MEMORY)) {
		memsw = sz_asprintf("%s/memory.memsw.limit_in_bytes", layout.mount[SZ_CTRL_MEMORY]);
		cg->memsw = access(memsw, F_OK) == 0;
	}
	cg->fix = cgroup_fix(cg, user, opts->command);
	sz_cgroup_layout_release(&layout);
	return 0;
}

void sz_probe_cgroup_release(struct sz_probe_cgroup *cg)
{
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		free(cg->ctrl[c].mount);
		free(cg->ctrl[c].base);
		free(cg->ctrl[c].base_rel);
	}
	free(cg->v2_mount);
	free(cg->fix);
	memset(cg, 0, sizeof(*cg));
}

/* ---- judging: facts into findings ------------------------------------- */

static void add_finding(struct sz_probe *p, const char *name, enum sz_probe_status status, char *detail,
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

static void judge_user(struct sz_probe *p)
{
	const struct sz_probe_user *u = &p->user;
	unsigned long uid = u->uid, euid = u->euid;

	if (u->root && p->virt.partial_uid_map)
		add_finding(
		    p, "user", SZ_PROBE_WARN,
		    sz_asprintf(_("root (uid %lu, euid %lu), but only inside a user namespace"), uid, euid),
		    sz_xstrdup(_("the host may refuse cgroup writes and some mounts even to this root")),
		    NULL);
	else if (u->root && u->cap_sys_admin)
		add_finding(p, "user", SZ_PROBE_OK, sz_asprintf(_("root (uid %lu, euid %lu)"), uid, euid),
		            NULL, NULL);
	else if (u->root)
		add_finding(p, "user", SZ_PROBE_WARN,
		            sz_asprintf(_("root (uid %lu, euid %lu) but without CAP_SYS_ADMIN"), uid, euid),
		            sz_xstrdup(_("mounts and namespaces may be refused even to root")), NULL);
	else
		add_finding(
		    p, "user", SZ_PROBE_WARN,
		    sz_asprintf(_("not root: %s (uid %lu, euid %lu)"), u->name, uid, euid),
		    sz_xstrdup(
		        _("labs that need root are skipped; containers run rootless, in a user namespace")),
		    NULL);
}

static void judge_kernel(struct sz_probe *p)
{
	/* TRANSLATORS: "Linux 6.1.0-13-amd64 on x86_64" */
	add_finding(p, "kernel", SZ_PROBE_OK,
	            sz_asprintf(_("Linux %s on %s"), p->kernel.release, p->kernel.machine), NULL, NULL);
}

static char *vm_detail(const struct sz_probe_virt *v)
{
	char *d = NULL;

	if (v->vm == NULL)
		return sz_xstrdup(_("bare metal (the CPU has no hypervisor flag)"));
	if (v->dmi_vendor != NULL)
		append(&d, _("virtual machine: %s"), v->vm);
	else
		append(&d, "%s", _("virtual machine without DMI tables (as in Firecracker)"));
	if (v->hypervisor_type != NULL)
		append(&d, "; /sys/hypervisor/type: %s", v->hypervisor_type);
	if (v->cpuid_signature != NULL)
		append(&d, "; CPUID: %s", sz_probe_hypervisor_name(v->cpuid_signature));
	return d;
}

static void judge_host(struct sz_probe *p)
{
	const struct sz_probe_virt *v = &p->virt;
	char *detail = vm_detail(v);

	if (v->container == NULL) {
		if (v->dockerenv)
			append(&detail, "; %s", _("/.dockerenv exists but nothing else says container"));
		add_finding(p, "host", SZ_PROBE_OK, detail, NULL, NULL);
		return;
	}
	/* TRANSLATORS: %s names the container kind: "docker", "podman", "lxc", "user namespace". */
	append(&detail, _("; inside a container (%s)"), v->container);
	add_finding(
	    p, "host", SZ_PROBE_WARN, detail,
	    sz_xstrdup(_("the container around stanza may refuse namespaces, mounts or cgroups (see below)")),
	    NULL);
}

/* Setting a sysctl now and after every boot. */
static void sysctl_fix(char **fix, const char *key, const char *value)
{
	append(fix, "# %s\n", _("as an administrator (the second line keeps it after a reboot):"));
	append(fix, "sudo sysctl -w %s=%s\n", key, value);
	append(fix, "echo %s=%s | sudo tee /etc/sysctl.d/90-stanza.conf\n", key, value);
}

/* Ubuntu's way to let one program have user namespaces. */
static void apparmor_fix(char **fix, const char *exe)
{
	cleanup_free char *q = shell_quote(exe != NULL ? exe : "/usr/local/bin/stanza");

	append(fix, "# %s\n", _("as an administrator, allow user namespaces to stanza alone:"));
	append(
	    fix,
	    "printf 'abi <abi/4.0>,\\ninclude <tunables/global>\\nprofile stanza %s flags=(unconfined) {\\n"
	    "  userns,\\n}\\n' | sudo tee /etc/apparmor.d/stanza && sudo apparmor_parser -r "
	    "/etc/apparmor.d/stanza\n",
	    q);
	append(fix, "# %s\n", _("or allow them to every program:"));
}

/* Why the sysctls say a user namespace failed; NULL when they do not explain it. */
static char *knob_why(const struct sz_probe *p, const struct sz_probe_trial *t, char **fix)
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
static char *trial_why(const struct sz_probe *p, const struct sz_probe_trial *t, bool userns, char **fix)
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

static void judge_trial(struct sz_probe *p, const char *name, const struct sz_probe_trial *t, bool userns,
                        char *ok_detail, const char *disables)
{
	char *fix = NULL;
	char *detail, *why;

	if (sz_probe_trial_ok(t)) {
		add_finding(p, name, SZ_PROBE_OK, ok_detail, NULL, NULL);
		return;
	}
	free(ok_detail);
	detail = trial_failure(t);
	why = trial_why(p, t, userns, &fix);
	if (why != NULL)
		append(&detail, " (%s)", why);
	free(why);
	add_finding(p, name, SZ_PROBE_MISSING, detail, sz_xstrdup(disables), fix);
}

static void judge_namespaces(struct sz_probe *p)
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
		add_finding(p, "namespaces", SZ_PROBE_OK,
		            sz_xstrdup(_("all of them, inside a user namespace")), NULL, NULL);
	else
		add_finding(p, "namespaces", SZ_PROBE_MISSING,
		            sz_xstrdup(_("they need a user namespace here, and that failed (see userns)")),
		            sz_xstrdup(none), NULL);
}

static void judge_userns(struct sz_probe *p)
{
	char *ok = sz_asprintf(_("a user namespace mapping root to uid %lu, then PID 1 and a fresh /proc"),
	                       (unsigned long)p->user.euid);

	judge_trial(p, "userns", &p->userns, true, ok,
	            p->user.root
	                ? _("labs about user namespaces are skipped; rootless mode is unavailable")
	                : _("rootless mode is unavailable, and without root stanza run and every lab are "
	                    "refused"));
}

static const char *const controller_disables[SZ_CTRL_COUNT] = {
    [SZ_CTRL_MEMORY] = N_("stanza run --memory is refused; labs that need memory limits are skipped"),
    [SZ_CTRL_PIDS] = N_("stanza run --pids is refused; labs that need a process limit are skipped"),
    [SZ_CTRL_CPU] = N_("stanza run --cpus is refused; labs that need a CPU limit are skipped"),
    [SZ_CTRL_CPUACCT] =
        N_("the CPU time a container used cannot be measured; labs that check it are skipped"),
};

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
	char *detail = cgroup_mode_detail(cg);
	char *names = NULL;

	if (cg->mode == SZ_CGROUP_NONE) {
		add_finding(
		    p, "cgroup", SZ_PROBE_MISSING, detail,
		    sz_xstrdup(_("every limit (--memory, --pids, --cpus) is refused; labs that need one are "
		                 "skipped")),
		    NULL);
		return;
	}
	if (cg->mode == SZ_CGROUP_V2 && !p->user.root)
		append(&detail, "; %s",
		       cg->delegated ? _("your cgroup is delegated to you")
		                     : _("your cgroup is not delegated to you"));
	for (int c = 0; c < SZ_CTRL_COUNT; c++)
		if (refused(&cg->ctrl[c]))
			append(&names, "%s%s", names != NULL ? ", " : "", sz_controller_name(c));
	if (names == NULL) {
		add_finding(p, "cgroup", SZ_PROBE_OK, detail, NULL, NULL);
		return;
	}
	/* TRANSLATORS: %s is a list of cgroup controllers: "memory, pids, cpu". */
	append(&detail, _("; not writable for you: %s"), names);
	free(names);
	add_finding(p, "cgroup", SZ_PROBE_WARN, detail, NULL, dup_text(cg->fix));
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
			disables = sz_xstrdup(_(controller_disables[c]));
		else if (status == SZ_PROBE_WARN)
			disables = sz_xstrdup(_("a memory limit can be exceeded by swapping"));
		add_finding(p, names[c], status, detail, disables, NULL);
	}
}

static void judge_overlay(struct sz_probe *p)
{
	const char *where = p->user.root ? "" : _(", inside a user namespace");
	char *fix = NULL;
	char *detail;

	if (sz_probe_trial_ok(&p->overlay)) {
		/* TRANSLATORS: "on /tmp (ext4)", then maybe ", inside a user namespace" */
		add_finding(p, "overlay", SZ_PROBE_OK,
		            sz_asprintf(_("mounts, copies up and deletes on %s (%s)%s"), p->overlay_dir,
		                        p->overlay_fstype, where),
		            NULL, NULL);
		return;
	}
	detail = trial_failure(&p->overlay);
	append(&detail, _(" on %s (%s)%s"), p->overlay_dir, p->overlay_fstype, where);
	if (!p->overlay_listed) {
		append(&detail, "; %s", _("overlay is not in /proc/filesystems"));
		append(&fix, "# %s\nsudo modprobe overlay\n",
		       _("as an administrator, load the overlay module:"));
	} else if (!p->user.root && p->overlay.failed <= SZ_STEP_UID_MAP &&
	           p->overlay.failed >= SZ_STEP_UNSHARE_USER) {
		append(&detail, "; %s", _("it needs a user namespace first (see userns)"));
	} else if (!p->user.root && (p->kernel.major < 5 || (p->kernel.major == 5 && p->kernel.minor < 11))) {
		append(&detail, "; %s", _("overlay inside a user namespace needs Linux 5.11"));
	}
	add_finding(
	    p, "overlay", SZ_PROBE_MISSING, detail,
	    sz_xstrdup(
	        _("the image cannot get a throwaway writable layer: only stanza run --read-only works")),
	    fix);
}

static void judge_seccomp(struct sz_probe *p)
{
	const struct sz_probe_seccomp *s = &p->seccomp;
	const char *disables =
	    _("stanza always installs a system-call filter, so stanza run and every lab are "
	      "refused");

	if (!s->available || !s->filter) {
		add_finding(p, "seccomp", SZ_PROBE_MISSING,
		            !s->available
		                ? sz_xstrdup(_("this kernel has no seccomp"))
		                : sz_asprintf(_("the filter mode is not supported: %s"), strerror(s->error)),
		            sz_xstrdup(disables), NULL);
		return;
	}
	if (s->self_mode == 2) {
		add_finding(
		    p, "seccomp", SZ_PROBE_WARN,
		    sz_xstrdup(_("filters are supported, and stanza already runs under one (from a container "
		                 "or a sandbox)")),
		    sz_xstrdup(_("system calls the outer filter denies fail inside containers too")), NULL);
		return;
	}
	add_finding(p, "seccomp", SZ_PROBE_OK,
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
		add_finding(p, "image", SZ_PROBE_OK, sz_asprintf(_("%s is a static executable"), img->binary),
		            NULL, NULL);
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
	add_finding(p, "image", SZ_PROBE_MISSING, detail, sz_xstrdup(disables), sz_asprintf("# %s\n", build));
}

void sz_probe_judge(struct sz_probe *p)
{
	for (size_t i = 0; i < p->n_findings; i++) {
		free(p->findings[i].detail);
		free(p->findings[i].disables);
		free(p->findings[i].fix);
	}
	memset(p->findings, 0, sizeof(p->findings));
	p->n_findings = 0;
	judge_user(p);
	judge_kernel(p);
	judge_host(p);
	judge_namespaces(p);
	judge_userns(p);
	judge_cgroup_mode(p);
	judge_controllers(p);
	judge_overlay(p);
	judge_seccomp(p);
	judge_image(p);
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

static void run_trials(struct sz_probe *p, const struct sz_probe_options *opts)
{
	const char *scratch = scratch_dir(opts);

	if (!opts->trials) {
		p->namespaces.failed = p->userns.failed = p->overlay.failed = SZ_STEP_SKIPPED;
		return;
	}
	probe_namespaces(&p->userns, true, &p->user, scratch);
	if (p->user.root)
		probe_namespaces(&p->namespaces, false, &p->user, scratch);
	else
		p->namespaces = p->userns;
	probe_overlay(p, opts->root, scratch);
}

static char *self_exe(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);

	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return sz_xstrdup(buf);
}

int sz_probe_run(struct sz_probe *p, const struct sz_probe_options *opts, sz_error_t *err)
{
	memset(p, 0, sizeof(*p));
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
	run_trials(p, opts);
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
	for (size_t i = 0; i < p->n_findings; i++) {
		free(p->findings[i].detail);
		free(p->findings[i].disables);
		free(p->findings[i].fix);
	}
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

/* ---- JSON strings ----------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s, 0 when it is not one. Stops at
 * a NUL, which is never a continuation byte. */
static size_t utf8_sequence(const unsigned char *s)
{
	unsigned int cp, min;
	size_t n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

static void json_write_ascii(FILE *out, unsigned char c)
{
	switch (c) {
	case '"': fputs("\\\"", out); break;
	case '\\': fputs("\\\\", out); break;
	case '\n': fputs("\\n", out); break;
	case '\r': fputs("\\r", out); break;
	case '\t': fputs("\\t", out); break;
	case '\b': fputs("\\b", out); break;
	case '\f': fputs("\\f", out); break;
	default:
		if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
}

void sz_json_write_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (s == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p != '\0') {
		size_t n = utf8_sequence(p);

		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
		} else if (n == 1) {
			json_write_ascii(out, *p++);
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}
