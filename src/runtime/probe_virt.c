/* SPDX-License-Identifier: GPL-3.0-or-later */
/* probe_virt.c - the host probe's signs of a virtual machine or a container around stanza */
#include "runtime/probe_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "common/cleanup.h"
#include "common/util.h"

/* ---- virtual machine -------------------------------------------------- */

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
	cleanup_free char *cpuinfo = probe_read_host(root, "/proc/cpuinfo", NULL);

	v->cpu_hypervisor = cpuinfo != NULL && sz_probe_cpuinfo_has_flag(cpuinfo, "hypervisor");
	if (*root == '\0')
		v->cpuid_signature = cpuid_signature();
	v->dmi_vendor = probe_read_line(root, "/sys/class/dmi/id/sys_vendor");
	v->dmi_product = probe_read_line(root, "/sys/class/dmi/id/product_name");
	v->hypervisor_type = probe_read_line(root, "/sys/hypervisor/type");
	v->vm = vm_name(v);
}

/* ---- container -------------------------------------------------------- */

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
	cleanup_free char *env = probe_read_host(root, "/proc/1/environ", &len);
	cleanup_free char *cgroup = probe_read_host(root, "/proc/1/cgroup", NULL);
	cleanup_free char *mountinfo = probe_read_host(root, "/proc/self/mountinfo", NULL);
	cleanup_free char *uid_map = probe_read_host(root, "/proc/self/uid_map", NULL);
	unsigned long inside = 0, outside = 0, count = 0;

	v->dockerenv = probe_host_exists(root, "/.dockerenv");
	v->containerenv = probe_host_exists(root, "/run/.containerenv");
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

/* ---- both ------------------------------------------------------------- */

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
