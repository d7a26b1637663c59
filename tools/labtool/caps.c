/* SPDX-License-Identifier: GPL-3.0-or-later */
/* caps.c - labtool caps: name the bits of a capability mask, or of a process's five sets */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/types.h>

#include "labtool.h"

/* Older kernel headers stop before these; their numbers never change. */
#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

/* libcap's names (cap_to_name), indexed by the kernel's numbers. */
static const char *const cap_names[] = {
    [CAP_CHOWN] = "cap_chown",
    [CAP_DAC_OVERRIDE] = "cap_dac_override",
    [CAP_DAC_READ_SEARCH] = "cap_dac_read_search",
    [CAP_FOWNER] = "cap_fowner",
    [CAP_FSETID] = "cap_fsetid",
    [CAP_KILL] = "cap_kill",
    [CAP_SETGID] = "cap_setgid",
    [CAP_SETUID] = "cap_setuid",
    [CAP_SETPCAP] = "cap_setpcap",
    [CAP_LINUX_IMMUTABLE] = "cap_linux_immutable",
    [CAP_NET_BIND_SERVICE] = "cap_net_bind_service",
    [CAP_NET_BROADCAST] = "cap_net_broadcast",
    [CAP_NET_ADMIN] = "cap_net_admin",
    [CAP_NET_RAW] = "cap_net_raw",
    [CAP_IPC_LOCK] = "cap_ipc_lock",
    [CAP_IPC_OWNER] = "cap_ipc_owner",
    [CAP_SYS_MODULE] = "cap_sys_module",
    [CAP_SYS_RAWIO] = "cap_sys_rawio",
    [CAP_SYS_CHROOT] = "cap_sys_chroot",
    [CAP_SYS_PTRACE] = "cap_sys_ptrace",
    [CAP_SYS_PACCT] = "cap_sys_pacct",
    [CAP_SYS_ADMIN] = "cap_sys_admin",
    [CAP_SYS_BOOT] = "cap_sys_boot",
    [CAP_SYS_NICE] = "cap_sys_nice",
    [CAP_SYS_RESOURCE] = "cap_sys_resource",
    [CAP_SYS_TIME] = "cap_sys_time",
    [CAP_SYS_TTY_CONFIG] = "cap_sys_tty_config",
    [CAP_MKNOD] = "cap_mknod",
    [CAP_LEASE] = "cap_lease",
    [CAP_AUDIT_WRITE] = "cap_audit_write",
    [CAP_AUDIT_CONTROL] = "cap_audit_control",
    [CAP_SETFCAP] = "cap_setfcap",
    [CAP_MAC_OVERRIDE] = "cap_mac_override",
    [CAP_MAC_ADMIN] = "cap_mac_admin",
    [CAP_SYSLOG] = "cap_syslog",
    [CAP_WAKE_ALARM] = "cap_wake_alarm",
    [CAP_BLOCK_SUSPEND] = "cap_block_suspend",
    [CAP_AUDIT_READ] = "cap_audit_read",
    [CAP_PERFMON] = "cap_perfmon",
    [CAP_BPF] = "cap_bpf",
    [CAP_CHECKPOINT_RESTORE] = "cap_checkpoint_restore",
};

#define N_CAPS (sizeof(cap_names) / sizeof(cap_names[0]))
_Static_assert(N_CAPS == 41, "a capability name is missing");

/* The five sets of /proc/PID/status, in the order the kernel prints them. */
static const char *const set_fields[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};

/* 1 to 16 hex digits, with or without 0x: the form /proc/PID/status and capsh use. */
static int parse_mask(const char *s, uint64_t *out)
{
	uint64_t v = 0;
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (; isxdigit((unsigned char)s[n]); n++) {
		int d = isdigit((unsigned char)s[n]) ? s[n] - '0' : tolower((unsigned char)s[n]) - 'a' + 10;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0 || n > 16 || s[n] != '\0')
		return -1;
	*out = v;
	return 0;
}

/* The names of the bits set in mask, separated by spaces; bits the kernel does not name yet as numbers. */
static void print_names(uint64_t mask)
{
	const char *sep = "";

	if (mask == 0) {
		fputs("(none)", stdout);
		return;
	}
	for (unsigned bit = 0; bit < 64; bit++) {
		if (!(mask & (UINT64_C(1) << bit)))
			continue;
		if (bit < N_CAPS)
			printf("%s%s", sep, cap_names[bit]);
		else
			printf("%s%u", sep, bit);
		sep = " ";
	}
}

/* One line per set: its field name, the mask as the kernel prints it, and the names. */
static int print_sets(const char *path)
{
	char line[256];
	unsigned found = 0;
	FILE *f = fopen(path, "re");

	if (f == NULL) {
		lt_error("cannot open '%s': %s", path, strerror(errno));
		return LT_EXIT_FAIL;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		for (size_t i = 0; i < sizeof(set_fields) / sizeof(set_fields[0]); i++) {
			size_t len = strlen(set_fields[i]);
			uint64_t mask;
			char *hex;

			if (strncmp(line, set_fields[i], len) != 0 || line[len] != ':')
				continue;
			hex = line + len + 1;
			hex += strspn(hex, " \t");
			hex[strcspn(hex, "\n")] = '\0';
			if (parse_mask(hex, &mask) < 0)
				continue;
			printf("%s  %016" PRIx64 "  ", set_fields[i], mask);
			print_names(mask);
			putchar('\n');
			found++;
		}
	}
	fclose(f);
	if (found == 0) {
		lt_error("no capability sets in '%s'", path);
		return LT_EXIT_FAIL;
	}
	return LT_EXIT_OK;
}

static int cmd_caps(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"self", no_argument, NULL, 's'}, {"pid", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0}};
	char path[64] = "/proc/self/status";
	unsigned long pid;
	int c, sources = 0;
	uint64_t mask;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == 's') {
			sources++;
		} else if (c == 'p') {
			if (lt_parse_ulong(optarg, 1, INT32_MAX, &pid) < 0)
				return lt_usage_error(argv[0], "bad process id '%s'", optarg);
			snprintf(path, sizeof(path), "/proc/%lu/status", pid);
			sources++;
		} else {
			return lt_bad_option(argv, c);
		}
	}
	sources += argc - optind;
	if (sources > 1)
		return lt_usage_error(argv[0], "expected one of MASK, --self or --pid PID");
	if (optind == argc)
		return print_sets(path);
	if (parse_mask(argv[optind], &mask) < 0)
		return lt_usage_error(argv[0],
		                      "bad mask '%s': expected up to 16 hex digits, like 00000000a80425fb",
		                      argv[optind]);
	print_names(mask);
	putchar('\n');
	return LT_EXIT_OK;
}

const struct lt_command lt_cmd_caps = {
    .name = "caps",
    .fn = cmd_caps,
    .summary = "name the capabilities in a mask, or in this process's sets",
    .usage = "Usage: labtool caps [MASK | --self | --pid PID]\n\n"
             "With MASK (hex, as in /proc/self/status: 00000000a80425fb), print the names of\n"
             "its capabilities. Otherwise print the five sets of this process (--self, the\n"
             "default) or of process PID, one line each: inheritable (CapInh), permitted\n"
             "(CapPrm), effective (CapEff), bounding (CapBnd) and ambient (CapAmb).\n"
             "A bit with no name yet is printed as its number.\n",
};
