/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checks.h - the check evaluator: what a step's command did and what the kernel says, against its checks */
#ifndef SZ_CHECKS_H
#define SZ_CHECKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "labs/lab.h"

/* What a step's command did. Strings are borrowed. */
struct sz_outcome {
	bool ran;        /* a command ran: its status and output below are known */
	int status;      /* as a shell reports it: 128+N for signal N */
	const char *out; /* stdout; in the session, everything the terminal showed */
	size_t out_len;
	const char *err; /* stderr; NULL in the session */
	size_t err_len;
	bool oom_killed;   /* the runtime saw an OOM kill while the command ran */
	uint64_t oom_base; /* the cgroup's oom_kill counter when the step began */
	bool has_oom_base;
};

/*
 * How to read kernel state from outside the container. The engine's
 * (kernel.c) reads /proc/<pid>/..., the container's root and its cgroup;
 * the tests fake it. Each returns 0, or -1 with *err; strings and arrays
 * they return belong to the caller. `host` asks for the host side (stanza's
 * own namespaces, the lab's work directory) instead of the container's.
 */
struct sz_kernel_ops {
	/* The inode of namespace ns ("net") of the container or of stanza. */
	int (*ns_inode)(void *ctx, bool host, const char *ns, uint64_t *ino, sz_error_t *err);
	/* A whole file: path in the container (resolved inside its root) or
	 * relative to the work directory. Missing: -1 with errno_ ENOENT. */
	int (*read_file)(void *ctx, bool host, const char *path, char **data, size_t *len, sz_error_t *err);
	/* The text of the container's /proc/<pid>/uid_map. */
	int (*uid_map)(void *ctx, char **text, sz_error_t *err);
	/* A counter of the container's cgroup; -1 when it has none. */
	int (*counter)(void *ctx, enum sz_cgroup_counter c, uint64_t *value, sz_error_t *err);
	/* The host name in the container's UTS namespace, or the host's. */
	int (*hostname)(void *ctx, bool host, char **name, sz_error_t *err);
	/* /proc/net/tcp and tcp6 (or udp and udp6) one after the other, as
	 * seen in the container's network namespace or in stanza's. */
	int (*net_table)(void *ctx, bool host, enum sz_net_proto proto, char **text, sz_error_t *err);
	/* The command lines of the container's processes, arguments joined by
	 * spaces; the caller frees each and the array. */
	int (*processes)(void *ctx, char ***cmdlines, size_t *n, sz_error_t *err);
	/* A monotonic clock, and a pause between two tries that returns -1
	 * when stanza was asked to stop (SIGINT, SIGTERM). */
	uint64_t (*now_ns)(void *ctx);
	int (*pause)(void *ctx, uint64_t ns);
};

struct sz_check_env {
	const struct sz_kernel_ops *ops;
	void *ctx;
	const char *host_hostname; /* the host's name when the lab started */
};

struct sz_check_result {
	const struct sz_check *check;
	bool pass;
	char *detail; /* why it does not hold (translated), NULL when it does */
};

/* Evaluate c once. Returns whether it holds; when it does not, *detail gets
 * a sentence saying what was found instead, which the caller frees. A
 * kernel file that cannot be read is a check that does not hold, with the
 * error as the detail. */
bool sz_check_eval(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                   char **detail);

/*
 * Evaluate every check, and again after a pause while some do not hold and
 * one of those reads kernel state, until they all hold in one round or
 * deadline_ns (of env's clock) passes; deadline 0 tries once. results[i]
 * is for checks[i]; release each with sz_check_result_release().
 * Returns 1 when every check holds, 0 when some do not, -1 when stanza was
 * asked to stop during a pause (results hold the last round).
 */
int sz_checks_run(const struct sz_check *checks, size_t n, const struct sz_outcome *o,
                  const struct sz_check_env *env, uint64_t deadline_ns, struct sz_check_result *results);
void sz_check_result_release(struct sz_check_result *r);

/* Whether some line of text (a trailing '\r' dropped) matches re. */
bool sz_text_has_line(const regex_t *re, const char *text, size_t len);

/* Whether /proc/net/tcp(6) text (or udp(6)) shows a socket listening on
 * port: TCP in state LISTEN (0A), UDP bound and unconnected (07). */
bool sz_net_table_listens(const char *text, enum sz_net_proto proto, unsigned port);

/* Pause between two tries of the checks that read kernel state. */
#define SZ_CHECK_RETRY_NS (50 * 1000 * 1000ull)

#endif
