/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_kinds.c - the table of check kinds: one row each, the only list of them to keep */
#include "labs/check_kinds.h"

#define KIND(key, shape, load, eval, reads_output)                                                           \
	{                                                                                                    \
		key, shape, false, load, 0, &(const struct sz_check_kind_ops)                                \
		{                                                                                            \
			eval, reads_output                                                                   \
		}                                                                                            \
	}

#define SCALAR SZ_YNODE_SCALAR
#define MAP    SZ_YNODE_MAP

const struct sz_field sz_check_fields[SZ_CHECK_KIND_COUNT + 1] = {
    [SZ_CHECK_EXIT] = KIND("exit", SCALAR, sz_check_load_exit, sz_check_eval_exit, true),
    [SZ_CHECK_STDOUT] = KIND("stdout", SCALAR, sz_check_load_regex, sz_check_eval_output, true),
    [SZ_CHECK_STDERR] = KIND("stderr", SCALAR, sz_check_load_regex, sz_check_eval_output, true),
    [SZ_CHECK_STDOUT_NOT] = KIND("stdout-not", SCALAR, sz_check_load_regex, sz_check_eval_output, true),
    [SZ_CHECK_OOM_KILLED] = KIND("oom-killed", SCALAR, sz_check_load_flag, sz_check_eval_oom, false),
    [SZ_CHECK_FILE] = KIND("file", MAP, sz_check_load_file, sz_check_eval_file, false),
    [SZ_CHECK_HOST_FILE] = KIND("host-file", MAP, sz_check_load_file, sz_check_eval_file, false),
    [SZ_CHECK_NS_DIFFERS] = KIND("ns-differs", SCALAR, sz_check_load_ns, sz_check_eval_ns, false),
    [SZ_CHECK_NS_SAME] = KIND("ns-same", SCALAR, sz_check_load_ns, sz_check_eval_ns, false),
    [SZ_CHECK_UID_MAP] = KIND("uid-map", SCALAR, sz_check_load_regex, sz_check_eval_uid_map, false),
    [SZ_CHECK_CGROUP] = KIND("cgroup", MAP, sz_check_load_cgroup, sz_check_eval_counter, false),
    [SZ_CHECK_HOSTNAME] = KIND("hostname", SCALAR, sz_check_load_regex, sz_check_eval_hostname, false),
    [SZ_CHECK_HOST_HOSTNAME_UNCHANGED] =
        KIND("host-hostname-unchanged", SCALAR, sz_check_load_flag, sz_check_eval_hostname, false),
    [SZ_CHECK_LISTENING] = KIND("listening", MAP, sz_check_load_listening, sz_check_eval_listening, false),
    [SZ_CHECK_PROCESS] = KIND("process", SCALAR, sz_check_load_regex, sz_check_eval_process, false),
    [SZ_CHECK_KIND_COUNT] = {NULL, 0, false, NULL, 0, NULL},
};

const struct sz_check_kind_ops *sz_check_kind_ops(enum sz_check_kind kind)
{
	return kind < SZ_CHECK_KIND_COUNT ? sz_check_fields[kind].data : NULL;
}

bool sz_check_reads_output(enum sz_check_kind kind)
{
	const struct sz_check_kind_ops *ops = sz_check_kind_ops(kind);

	return ops != NULL && ops->reads_output;
}
