/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test_probe.c - the host probe's parsers, ELF check, cgroup placement, and judging */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/util.h"
#include "runtime/probe.h"

/* ---- helpers ---- */

static char *fixture(const char *rel)
{
	return sz_asprintf("%s/probe/%s", FIXTURES_DIR, rel);
}

static char *slurp_fixture(const char *rel)
{
	cleanup_free char *path = fixture(rel);
	sz_error_t err = NULL;
	char *text = NULL;

	if (sz_read_file(path, &text, NULL, &err) < 0)
		fail_msg("cannot read fixture: %s", sz_error_msg(err));
	return text;
}

static char *make_tmp(void)
{
	char *dir = sz_xstrdup("/tmp/stanza-test-probe-XXXXXX");

	assert_non_null(mkdtemp(dir));
	return dir;
}

static void remove_tree(const char *dir)
{
	sz_error_t err = NULL;

	assert_int_equal(sz_rm_rf_at(AT_FDCWD, dir, &err), 0);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (haystack == NULL || strstr(haystack, needle) == NULL)
		fail_msg("'%s' does not contain '%s'", haystack ? haystack : "(null)", needle);
}

static void assert_lacks(const char *haystack, const char *needle)
{
	if (haystack != NULL && strstr(haystack, needle) != NULL)
		fail_msg("'%s' contains '%s'", haystack, needle);
}

/* ---- pure parsers ---- */

static void test_cpuinfo_flag(void **state)
{
	cleanup_free char *fc = slurp_fixture("cpuinfo/firecracker");
	cleanup_free char *metal = slurp_fixture("cpuinfo/baremetal");
	cleanup_free char *arm = slurp_fixture("cpuinfo/arm64");
	cleanup_free char *near = slurp_fixture("cpuinfo/near-miss");

	assert_true(sz_probe_cpuinfo_has_flag(fc, "hypervisor"));
	assert_true(sz_probe_cpuinfo_has_flag(fc, "fpu"));
	assert_false(sz_probe_cpuinfo_has_flag(metal, "hypervisor")); /* "vmx flags" line does not count */
	assert_true(sz_probe_cpuinfo_has_flag(metal, "vmx"));
	assert_false(sz_probe_cpuinfo_has_flag(arm, "hypervisor"));
	assert_false(sz_probe_cpuinfo_has_flag(near, "hypervisor"));
	assert_false(sz_probe_cpuinfo_has_flag("", "hypervisor"));
}

static void test_filesystems(void **state)
{
	cleanup_free char *with = slurp_fixture("filesystems/with-overlay");
	cleanup_free char *without = slurp_fixture("filesystems/without-overlay");

	assert_true(sz_probe_filesystems_has(with, "overlay"));
	assert_true(sz_probe_filesystems_has(with, "ext4"));
	assert_false(sz_probe_filesystems_has(without, "overlay"));
	assert_false(sz_probe_filesystems_has(without, "fuse"));
}

static void test_status_field(void **state)
{
	const char *status = "Name:\tsh\nSeccomp_filters:\t3\nSeccomp:\t2\nCapEff:\t000001ffffffffff\n";
	cleanup_free char *mode = sz_probe_status_field(status, "Seccomp");
	cleanup_free char *filters = sz_probe_status_field(status, "Seccomp_filters");
	cleanup_free char *cap = sz_probe_status_field(status, "CapEff");

	assert_string_equal(mode, "2");
	assert_string_equal(filters, "3");
	assert_string_equal(cap, "000001ffffffffff");
	assert_null(sz_probe_status_field(status, "NoNewPrivs"));
	assert_null(sz_probe_status_field(status, "Cap"));
}

static void test_hypervisor_name(void **state)
{
	assert_string_equal(sz_probe_hypervisor_name("KVMKVMKVM"), "KVM");
	assert_string_equal(sz_probe_hypervisor_name("Microsoft Hv"), "Hyper-V");
	assert_string_equal(sz_probe_hypervisor_name("bhyve bhyve"), "bhyve");
	assert_string_equal(sz_probe_hypervisor_name("SomethingNew"), "SomethingNew");
	assert_null(sz_probe_hypervisor_name(NULL));
}

/* ---- virtual machine and container signs, from fixture roots ---- */

static void load_virt(struct sz_probe_virt *v, const char *host)
{
	cleanup_free char *rel = sz_asprintf("hosts/%s", host);
	cleanup_free char *root = fixture(rel);

	sz_probe_virt(v, root);
}

static void test_virt_firecracker(void **state)
{
	struct sz_probe_virt v;

	load_virt(&v, "firecracker");
	assert_true(v.cpu_hypervisor);
	assert_null(v.cpuid_signature); /* never read for a fixture root */
	assert_null(v.dmi_vendor);
	assert_null(v.dmi_product);
	assert_non_null(v.vm);    /* the flag alone is enough: Firecracker has no DMI */
	assert_true(v.dockerenv); /* a stray one, as on this project's own VM */
	assert_null(v.container);
	assert_string_equal(v.root_fstype, "ext4");
	assert_false(v.partial_uid_map);
	sz_probe_virt_release(&v);
}

static void test_virt_dmi(void **state)
{
	struct sz_probe_virt v;

	load_virt(&v, "qemu");
	assert_string_equal(v.vm, "QEMU Standard PC (Q35 + ICH9, 2009)");
	sz_probe_virt_release(&v);
	load_virt(&v, "baremetal");
	assert_null(v.vm);
	assert_string_equal(v.dmi_vendor, "Dell Inc."); /* trailing blanks trimmed */
	assert_string_equal(v.dmi_product, "PowerEdge R640");
	sz_probe_virt_release(&v);
	load_virt(&v, "xen");
	assert_false(v.cpu_hypervisor);
	assert_string_equal(v.vm, "xen");
	sz_probe_virt_release(&v);
}

static void test_virt_containers(void **state)
{
	struct sz_probe_virt v;

	load_virt(&v, "docker");
	assert_string_equal(v.container, "docker");
	assert_string_equal(v.cgroup_hint, "docker");
	assert_string_equal(v.root_fstype, "overlay");
	assert_null(v.vm);
	sz_probe_virt_release(&v);
	load_virt(&v, "podman");
	assert_string_equal(v.container, "podman");
	assert_string_equal(v.container_env, "podman");
	assert_true(v.containerenv);
	assert_true(v.environ_readable);
	assert_true(v.partial_uid_map);
	sz_probe_virt_release(&v);
}

static void test_knobs_and_seccomp_mode(void **state)
{
	cleanup_free char *knobs_root = fixture("hosts/knobs");
	cleanup_free char *fc_root = fixture("hosts/firecracker");
	cleanup_free char *docker_root = fixture("hosts/docker");
	struct sz_probe_userns_knobs k;
	struct sz_probe_seccomp s;

	sz_probe_userns_knobs(&k, knobs_root);
	assert_int_equal(k.max_user_namespaces, 0);
	assert_int_equal(k.unprivileged_userns_clone, 0);
	assert_int_equal(k.apparmor_restrict_unprivileged_userns, 1);
	sz_probe_userns_knobs(&k, fc_root);
	assert_int_equal(k.max_user_namespaces, 96364);
	assert_int_equal(k.unprivileged_userns_clone, -1);
	assert_int_equal(k.apparmor_restrict_unprivileged_userns, -1);
	sz_probe_seccomp(&s, docker_root);
	assert_int_equal(s.self_mode, 2);
	sz_probe_seccomp(&s, knobs_root);
	assert_int_equal(s.self_mode, -1);
}

/* ---- ELF ---- */

static void write_bytes(const char *path, const void *data, size_t len)
{
	sz_error_t err = NULL;

	if (sz_write_file(path, data, len, 0755, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
}

/* An ELF64 header and its program headers; with `drop` the last few are cut off. */
static void write_elf64(const char *path, uint16_t machine, const uint32_t *types, size_t n, size_t drop)
{
	unsigned char buf[sizeof(Elf64_Ehdr) + 8 * sizeof(Elf64_Phdr)] = {0};
	Elf64_Ehdr *eh = (Elf64_Ehdr *)buf;
	Elf64_Phdr *ph = (Elf64_Phdr *)(buf + sizeof(*eh));

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = machine;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (uint16_t)n;
	for (size_t i = 0; i < n; i++)
		ph[i].p_type = types[i];
	write_bytes(path, buf, sizeof(*eh) + (n - drop) * sizeof(*ph));
}

static void write_elf32(const char *path, uint16_t machine, const uint32_t *types, size_t n)
{
	unsigned char buf[sizeof(Elf32_Ehdr) + 8 * sizeof(Elf32_Phdr)] = {0};
	Elf32_Ehdr *eh = (Elf32_Ehdr *)buf;
	Elf32_Phdr *ph = (Elf32_Phdr *)(buf + sizeof(*eh));

	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_type = ET_EXEC;
	eh->e_machine = machine;
	eh->e_phoff = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = (uint16_t)n;
	for (size_t i = 0; i < n; i++)
		ph[i].p_type = types[i];
	write_bytes(path, buf, sizeof(*eh) + n * sizeof(*ph));
}

static int elf_check(const char *path, bool *is_static, bool *native, int *errno_)
{
	sz_error_t err = NULL;
	int ret = sz_probe_elf(path, is_static, native, &err);

	*errno_ = err != NULL ? err->errno_ : 0;
	sz_error_release(&err);
	return ret;
}

static void test_elf_generated(void **state)
{
	static const uint32_t stat[] = {PT_PHDR, PT_LOAD, PT_LOAD, PT_GNU_STACK};
	static const uint32_t dyn[] = {PT_PHDR, PT_INTERP, PT_LOAD, PT_DYNAMIC};
	cleanup_free char *dir = make_tmp();
	cleanup_free char *s64 = sz_asprintf("%s/static64", dir);
	cleanup_free char *d64 = sz_asprintf("%s/dynamic64", dir);
	cleanup_free char *cut = sz_asprintf("%s/truncated", dir);
	cleanup_free char *s32 = sz_asprintf("%s/static32", dir);
	bool is_static = false, native = false;
	int e;

	write_elf64(s64, EM_X86_64, stat, 4, 0);
	write_elf64(d64, EM_X86_64, dyn, 4, 0);
	write_elf64(cut, EM_X86_64, dyn, 4, 2);
	write_elf32(s32, EM_386, stat, 4);
	assert_int_equal(elf_check(s64, &is_static, &native, &e), 0);
	assert_true(is_static);
#if defined(__x86_64__)
	assert_true(native);
#endif
	assert_int_equal(elf_check(d64, &is_static, &native, &e), 0);
	assert_false(is_static);
	assert_int_equal(elf_check(cut, &is_static, &native, &e), -1);
	assert_int_equal(e, ENOEXEC);
	assert_int_equal(elf_check(s32, &is_static, &native, &e), 0);
	assert_true(is_static);
#if defined(__x86_64__)
	assert_false(native); /* i386 is not this machine */
#endif
	remove_tree(dir);
}

static void test_elf_not_elf(void **state)
{
	cleanup_free char *text = fixture("cpuinfo/arm64");
	cleanup_free char *missing = fixture("no-such-file");
	bool is_static, native;
	int e;

	assert_int_equal(elf_check(text, &is_static, &native, &e), -1);
	assert_int_equal(e, ENOEXEC);
	assert_int_equal(elf_check(missing, &is_static, &native, &e), -1);
	assert_int_equal(e, ENOENT);
}

static void test_elf_host_binaries(void **state)
{
	bool is_static = true, native = false;
	int e;

	if (access("/bin/true", R_OK) == 0) {
		assert_int_equal(elf_check("/bin/true", &is_static, &native, &e), 0);
		assert_false(is_static);
		assert_true(native);
	} else {
		print_message("skipped the dynamic case: /bin/true is not readable\n");
	}
	/* glibc's ldconfig is static-pie: ET_DYN without PT_INTERP */
	if (access("/sbin/ldconfig", R_OK) == 0) {
		assert_int_equal(elf_check("/sbin/ldconfig", &is_static, &native, &e), 0);
		assert_true(is_static);
		assert_true(native);
	} else {
		print_message("skipped the static-pie case: /sbin/ldconfig is not readable\n");
	}
}

static void test_image(void **state)
{
	static const uint32_t stat[] = {PT_LOAD};
	cleanup_free char *dir = make_tmp();
	cleanup_free char *bin = sz_asprintf("%s/busybox/rootfs/bin", dir);
	cleanup_free char *busybox = sz_asprintf("%s/busybox", bin);
	struct sz_probe_image img;
	sz_error_t err = NULL;

	sz_probe_image(&img, dir, "busybox");
	assert_false(img.present);
	assert_int_equal(img.error, ENOENT);
	free(img.binary);
	assert_int_equal(sz_mkdir_p(bin, 0755, &err), 0);
	write_elf64(busybox, EM_X86_64, stat, 1, 0);
	sz_probe_image(&img, dir, "busybox");
	assert_true(img.present);
	assert_true(img.is_elf);
	assert_true(img.is_static);
	assert_string_equal(img.binary, busybox);
	free(img.binary);
	remove_tree(dir);
}

/* ---- cgroup placement, against fake trees ---- */

static void user_init(struct sz_probe_user *u, const char *name, uid_t uid, bool root)
{
	memset(u, 0, sizeof(*u));
	u->name = (char *)name;
	u->uid = u->euid = uid;
	u->gid = u->egid = uid;
	u->root = root;
	u->cap_sys_admin = root;
}

static void load_cgroup(struct sz_probe_cgroup *cg, const char *tree, const struct sz_probe_user *u)
{
	cleanup_free char *rel = sz_asprintf("cgroup/%s", tree);
	cleanup_free char *root = fixture(rel);
	struct sz_probe_options opts;
	sz_error_t err = NULL;

	sz_probe_options_init(&opts);
	opts.root = root;
	opts.command = "stanza run -- sh";
	if (sz_probe_cgroup(cg, u, &opts, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
}

static void test_cgroup_hybrid_user(void **state)
{
	struct sz_probe_user u;
	struct sz_probe_cgroup cg;

	user_init(&u, "alice", 1000, false);
	load_cgroup(&cg, "hybrid", &u);
	assert_int_equal(cg.mode, SZ_CGROUP_HYBRID);
	assert_string_equal(cg.v2_mount, "/sys/fs/cgroup/unified");
	/* the administrator's directory wins over the user's own cgroup */
	assert_string_equal(cg.ctrl[SZ_CTRL_MEMORY].base, "/sys/fs/cgroup/memory/stanza-alice");
	assert_string_equal(cg.ctrl[SZ_CTRL_MEMORY].base_rel, "stanza-alice");
	assert_true(cg.ctrl[SZ_CTRL_MEMORY].writable);
	/* the same answer as the runtime: the user's own v1 cgroup is not used */
	assert_string_equal(cg.ctrl[SZ_CTRL_CPU].base, "/sys/fs/cgroup/cpu/stanza-alice");
	assert_false(cg.ctrl[SZ_CTRL_CPU].writable);
	assert_string_equal(cg.ctrl[SZ_CTRL_CPUACCT].mount, "/sys/fs/cgroup/cpuacct");
	assert_true(cg.memsw);
	/* pids: no directory for the user, so an administrator must make one */
	assert_false(cg.ctrl[SZ_CTRL_PIDS].writable);
	assert_int_equal(cg.ctrl[SZ_CTRL_PIDS].error, ENOENT);
	assert_contains(cg.fix,
	                "sudo mkdir -p /sys/fs/cgroup/pids/stanza-alice /sys/fs/cgroup/cpu/stanza-alice "
	                "/sys/fs/cgroup/cpuacct/stanza-alice && sudo chown -R alice "
	                "/sys/fs/cgroup/pids/stanza-alice /sys/fs/cgroup/cpu/stanza-alice "
	                "/sys/fs/cgroup/cpuacct/stanza-alice\n");
	assert_lacks(cg.fix, "memory");
	assert_contains(cg.fix, "# ");
	sz_probe_cgroup_release(&cg);
}

static void test_cgroup_hybrid_root(void **state)
{
	struct sz_probe_user u;
	struct sz_probe_cgroup cg;

	user_init(&u, "root", 0, true);
	load_cgroup(&cg, "hybrid", &u);
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		assert_string_equal(cg.ctrl[c].base, cg.ctrl[c].mount);
		assert_string_equal(cg.ctrl[c].base_rel, "");
		assert_false(cg.ctrl[c].on_v2);
	}
	assert_null(cg.fix);
	sz_probe_cgroup_release(&cg);
}

static void test_cgroup_v2_systemd_not_delegated(void **state)
{
	struct sz_probe_user u;
	struct sz_probe_cgroup cg;

	/* uid 1000 does not own the fixture's files: not delegated */
	user_init(&u, "alice", geteuid() == 1000 ? 1001 : 1000, false);
	load_cgroup(&cg, "v2-systemd", &u);
	assert_int_equal(cg.mode, SZ_CGROUP_V2);
	assert_true(cg.systemd);
	assert_false(cg.delegated);
	assert_true(cg.ctrl[SZ_CTRL_MEMORY].on_v2);
	assert_string_equal(cg.ctrl[SZ_CTRL_MEMORY].base,
	                    "/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope");
	assert_false(cg.ctrl[SZ_CTRL_MEMORY].writable);
	assert_contains(cg.fix, "systemd-run --user --scope -p Delegate=yes stanza run -- sh\n");
	sz_probe_cgroup_release(&cg);
}

static void test_cgroup_v2_systemd_delegated(void **state)
{
	struct sz_probe_user u;
	struct sz_probe_cgroup cg;

	/* the test's own uid owns the fixture: delegated, but cpu was not handed over */
	user_init(&u, "alice", geteuid(), false);
	load_cgroup(&cg, "v2-systemd", &u);
	assert_true(cg.delegated);
	assert_true(cg.ctrl[SZ_CTRL_MEMORY].writable);
	assert_true(cg.ctrl[SZ_CTRL_PIDS].writable);
	assert_false(cg.ctrl[SZ_CTRL_CPU].enabled);
	assert_false(cg.ctrl[SZ_CTRL_CPUACCT].writable); /* on v2 it follows cpu */
	assert_contains(cg.fix, "Delegate=cpu cpuset io memory pids");
	assert_lacks(cg.fix, "systemd-run");
	sz_probe_cgroup_release(&cg);
}

static void test_cgroup_v2_plain(void **state)
{
	struct sz_probe_user u;
	struct sz_probe_cgroup cg;

	user_init(&u, "alice", geteuid(), false);
	load_cgroup(&cg, "v2-plain", &u);
	assert_false(cg.systemd);
	assert_false(cg.delegated); /* no cgroup.subtree_control to write */
	assert_contains(cg.fix, "sudo mkdir -p /sys/fs/cgroup/stanza-alice\n");
	assert_contains(cg.fix,
	                "echo '+memory +pids +cpu' | sudo tee /sys/fs/cgroup/cgroup.subtree_control\n");
	assert_contains(cg.fix, "exec setpriv");
	sz_probe_cgroup_release(&cg);
}

/* ---- judging hand-made facts ---- */

static void probe_init(struct sz_probe *p, bool root)
{
	memset(p, 0, sizeof(*p));
	p->user.name = sz_xstrdup(root ? "root" : "alice");
	p->user.uid = p->user.euid = root ? 0 : 1000;
	p->user.root = p->user.cap_sys_admin = root;
	p->exe = sz_xstrdup("/usr/local/bin/stanza");
	p->kernel.release = sz_xstrdup("6.1.0-13-amd64");
	p->kernel.machine = sz_xstrdup("x86_64");
	p->kernel.major = 6;
	p->kernel.minor = 1;
	p->knobs = (struct sz_probe_userns_knobs){15000, -1, -1};
	p->overlay_dir = sz_xstrdup("/tmp");
	p->overlay_fstype = sz_xstrdup("ext4");
	p->overlay_listed = true;
	p->seccomp = (struct sz_probe_seccomp){.available = true, .filter = true, .self_mode = 0};
	p->image.binary = sz_xstrdup("/usr/share/stanza/images/busybox/rootfs/bin/busybox");
	p->image.present = p->image.is_elf = p->image.is_static = p->image.native = true;
	p->cgroup.mode = SZ_CGROUP_V1;
	p->cgroup.memsw = true;
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		p->cgroup.ctrl[c].mounted = p->cgroup.ctrl[c].writable = p->cgroup.ctrl[c].enabled = true;
		p->cgroup.ctrl[c].mount = sz_asprintf("/sys/fs/cgroup/%s", sz_controller_name(c));
		p->cgroup.ctrl[c].base = sz_xstrdup(p->cgroup.ctrl[c].mount);
	}
}

static const struct sz_probe_finding *judged(struct sz_probe *p, const char *name)
{
	const struct sz_probe_finding *f;

	sz_probe_judge(p);
	f = sz_probe_find(p, name);
	if (f == NULL)
		fail_msg("no finding '%s'", name);
	return f;
}

static void test_judge_all_ok(void **state)
{
	static const char *const names[] = {
	    "user",        "kernel",     "host",           "namespaces", "userns",  "cgroup", "cgroup.memory",
	    "cgroup.pids", "cgroup.cpu", "cgroup.cpuacct", "overlay",    "seccomp", "image"};
	struct sz_probe p;

	probe_init(&p, true);
	sz_probe_judge(&p);
	assert_int_equal(p.n_findings, sizeof(names) / sizeof(names[0]));
	for (size_t i = 0; i < p.n_findings; i++) {
		assert_string_equal(p.findings[i].name, names[i]);
		assert_int_equal(p.findings[i].status, SZ_PROBE_OK);
		assert_null(p.findings[i].disables);
		assert_null(p.findings[i].fix);
		assert_non_null(p.findings[i].detail);
	}
	assert_true(sz_probe_can_run(&p));
	sz_probe_judge(&p); /* judging again replaces, without leaking */
	assert_int_equal(p.n_findings, sizeof(names) / sizeof(names[0]));
	sz_probe_release(&p);
}

static void test_judge_max_user_namespaces(void **state)
{
	struct sz_probe p;
	const struct sz_probe_finding *f;

	probe_init(&p, false);
	p.knobs.max_user_namespaces = 0;
	p.userns = p.namespaces = (struct sz_probe_trial){SZ_STEP_UNSHARE_USER, ENOSPC};
	f = judged(&p, "userns");
	assert_int_equal(f->status, SZ_PROBE_MISSING);
	assert_contains(f->detail, "unshare(CLONE_NEWUSER)");
	assert_contains(f->detail, "user.max_user_namespaces is 0");
	assert_contains(f->disables, "rootless mode is unavailable");
	assert_contains(f->fix, "sudo sysctl -w user.max_user_namespaces=15000\n");
	assert_int_equal(sz_probe_find(&p, "namespaces")->status, SZ_PROBE_MISSING);
	assert_false(sz_probe_can_run(&p));
	sz_probe_release(&p);
}

static void test_judge_apparmor(void **state)
{
	struct sz_probe p;
	const struct sz_probe_finding *f;

	probe_init(&p, false);
	p.knobs.apparmor_restrict_unprivileged_userns = 1;
	p.userns = p.namespaces = (struct sz_probe_trial){SZ_STEP_UID_MAP, EPERM};
	f = judged(&p, "userns");
	assert_contains(f->detail, "write uid_map");
	assert_contains(f->detail, "AppArmor");
	assert_contains(f->fix, "profile stanza /usr/local/bin/stanza");
	assert_contains(f->fix, "apparmor_parser -r");
	assert_contains(f->fix, "kernel.apparmor_restrict_unprivileged_userns=0");
	sz_probe_release(&p);
}

static void test_judge_unprivileged_clone(void **state)
{
	struct sz_probe p;
	const struct sz_probe_finding *f;

	probe_init(&p, false);
	p.knobs.unprivileged_userns_clone = 0;
	p.userns = p.namespaces = (struct sz_probe_trial){SZ_STEP_UNSHARE_USER, EPERM};
	f = judged(&p, "userns");
	assert_contains(f->detail, "kernel.unprivileged_userns_clone is 0");
	assert_contains(f->fix, "sudo sysctl -w kernel.unprivileged_userns_clone=1\n");
	sz_probe_release(&p);
}

static void test_judge_masked_proc(void **state)
{
	struct sz_probe p;
	const struct sz_probe_finding *f;

	probe_init(&p, true);
	p.namespaces = (struct sz_probe_trial){SZ_STEP_MOUNT_PROC, EPERM};
	f = judged(&p, "namespaces");
	assert_int_equal(f->status, SZ_PROBE_MISSING);
	assert_contains(f->detail, "mount proc failed");
	assert_contains(f->detail, "/proc are hidden");
	assert_null(f->fix);
	assert_false(sz_probe_can_run(&p));
	sz_probe_release(&p);
}

static void test_judge_cgroups(void **state)
{
	struct sz_probe p;

	probe_init(&p, false);
	p.cgroup.ctrl[SZ_CTRL_MEMORY].writable = false;
	p.cgroup.ctrl[SZ_CTRL_MEMORY].error = EACCES;
	p.cgroup.ctrl[SZ_CTRL_PIDS].mounted = false;
	p.cgroup.memsw = false;
	p.cgroup.fix = sz_xstrdup("# fix\nsudo mkdir -p /x\n");
	assert_int_equal(judged(&p, "cgroup")->status, SZ_PROBE_WARN);
	assert_contains(sz_probe_find(&p, "cgroup")->detail, "memory");
	assert_string_equal(sz_probe_find(&p, "cgroup")->fix, "# fix\nsudo mkdir -p /x\n");
	assert_int_equal(sz_probe_find(&p, "cgroup.memory")->status, SZ_PROBE_MISSING);
	assert_contains(sz_probe_find(&p, "cgroup.memory")->detail, "Permission denied");
	/* The runtime names the limit; the caller's words, when given, replace it. */
	assert_contains(sz_probe_find(&p, "cgroup.memory")->disables, "the memory limit is refused");
	assert_contains(sz_probe_find(&p, "cgroup.pids")->disables, "the pids limit is refused");
	assert_null(strstr(sz_probe_find(&p, "cgroup.memory")->disables, "--"));
	p.words = &(const struct sz_probe_words){.limit = {[SZ_LIMIT_MEMORY] = "stanza run --memory"}};
	assert_contains(judged(&p, "cgroup.memory")->disables, "stanza run --memory is refused");
	assert_contains(sz_probe_find(&p, "cgroup.pids")->disables, "the pids limit is refused");
	assert_int_equal(sz_probe_find(&p, "cgroup.cpu")->status, SZ_PROBE_OK);
	assert_true(sz_probe_can_run(&p)); /* limits are refused, containers still run */
	p.cgroup.mode = SZ_CGROUP_NONE;
	assert_int_equal(judged(&p, "cgroup")->status, SZ_PROBE_MISSING);
	sz_probe_release(&p);
}

/* A failed overlay leaves a read-only root, named in the caller's words when given. */
static void test_judge_overlay_words(void **state)
{
	struct sz_probe p;

	probe_init(&p, true);
	p.overlay = (struct sz_probe_trial){SZ_STEP_MOUNT_OVERLAY, EINVAL};
	assert_int_equal(judged(&p, "overlay")->status, SZ_PROBE_MISSING);
	assert_contains(sz_probe_find(&p, "overlay")->disables, "only a read-only root works");
	p.words = &(const struct sz_probe_words){.read_only = "stanza run --read-only"};
	assert_contains(judged(&p, "overlay")->disables, "only stanza run --read-only works");
	sz_probe_release(&p);
}

static void test_judge_host_image_seccomp(void **state)
{
	struct sz_probe p;

	probe_init(&p, true);
	p.virt.container = sz_xstrdup("docker");
	p.virt.cpu_hypervisor = true;
	p.virt.vm = sz_xstrdup("KVM");
	assert_int_equal(judged(&p, "host")->status, SZ_PROBE_WARN);
	assert_contains(sz_probe_find(&p, "host")->detail, "docker");
	assert_contains(sz_probe_find(&p, "host")->detail, "without DMI");
	p.image.is_static = false;
	assert_int_equal(judged(&p, "image")->status, SZ_PROBE_MISSING);
	assert_contains(sz_probe_find(&p, "image")->detail, "dynamically linked");
	assert_false(sz_probe_can_run(&p));
	p.image.is_static = true;
	p.seccomp.filter = false;
	p.seccomp.error = EINVAL;
	assert_int_equal(judged(&p, "seccomp")->status, SZ_PROBE_MISSING);
	assert_false(sz_probe_can_run(&p));
	sz_probe_release(&p);
}

/* ---- the real thing: trials leave nothing behind ---- */

static bool dir_is_empty(const char *path)
{
	cleanup_dir DIR *d = opendir(path);
	struct dirent *de;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			return false;
	return true;
}

static void test_probe_run_leaves_nothing(void **state)
{
	cleanup_free char *scratch = make_tmp();
	struct sz_probe_options opts;
	struct sz_probe p;
	sz_error_t err = NULL;

	sz_probe_options_init(&opts);
	opts.scratch_dir = scratch;
	if (sz_probe_run(&p, &opts, &err) < 0)
		fail_msg("%s", sz_error_msg(err));
	assert_int_equal(p.n_findings, 12); /* no image directory given: no image finding */
	assert_true(dir_is_empty(scratch));
	if (!sz_probe_trial_ok(&p.userns))
		print_message("note: user namespaces fail here (%s, %s)\n",
		              sz_probe_step_name(p.userns.failed), strerror(p.userns.error));
	sz_probe_release(&p);
	assert_int_equal(rmdir(scratch), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cpuinfo_flag),
	    cmocka_unit_test(test_filesystems),
	    cmocka_unit_test(test_status_field),
	    cmocka_unit_test(test_hypervisor_name),
	    cmocka_unit_test(test_virt_firecracker),
	    cmocka_unit_test(test_virt_dmi),
	    cmocka_unit_test(test_virt_containers),
	    cmocka_unit_test(test_knobs_and_seccomp_mode),
	    cmocka_unit_test(test_elf_generated),
	    cmocka_unit_test(test_elf_not_elf),
	    cmocka_unit_test(test_elf_host_binaries),
	    cmocka_unit_test(test_image),
	    cmocka_unit_test(test_cgroup_hybrid_user),
	    cmocka_unit_test(test_cgroup_hybrid_root),
	    cmocka_unit_test(test_cgroup_v2_systemd_not_delegated),
	    cmocka_unit_test(test_cgroup_v2_systemd_delegated),
	    cmocka_unit_test(test_cgroup_v2_plain),
	    cmocka_unit_test(test_judge_all_ok),
	    cmocka_unit_test(test_judge_max_user_namespaces),
	    cmocka_unit_test(test_judge_apparmor),
	    cmocka_unit_test(test_judge_unprivileged_clone),
	    cmocka_unit_test(test_judge_masked_proc),
	    cmocka_unit_test(test_judge_cgroups),
	    cmocka_unit_test(test_judge_overlay_words),
	    cmocka_unit_test(test_judge_host_image_seccomp),
	    cmocka_unit_test(test_probe_run_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
