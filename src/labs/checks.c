/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checks.c - the check evaluator: each kind of check against an outcome and the kernel state, with retries */
#include "labs/checks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/check_kinds.h"

/* ---- text -------------------------------------------------------------- */

bool sz_text_has_line(const regex_t *re, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	if (text == NULL)
		return false;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl != NULL ? nl : end) - p);
		cleanup_free char *line = NULL;

		if (n > 0 && p[n - 1] == '\r')
			n--;
		line = sz_asprintf("%.*s", (int)n, p);
		if (regexec(re, line, 0, NULL, 0) == 0)
			return true;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return false;
}

/* The first line of text that matches, for a detail; NULL when none. */
static char *first_matching_line(const regex_t *re, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (text != NULL && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl != NULL ? nl : end) - p);
		char *line = sz_asprintf("%.*s", (int)(n > 0 && p[n - 1] == '\r' ? n - 1 : n), p);

		if (regexec(re, line, 0, NULL, 0) == 0)
			return line;
		free(line);
		p = nl != NULL ? nl + 1 : end;
	}
	return NULL;
}

/* Text as a detail can quote it: on one line, at most ~120 bytes. */
static char *quote(const char *text, size_t len)
{
	size_t n = len > 120 ? 120 : len;
	char *q = sz_asprintf("%.*s%s", (int)n, text != NULL ? text : "", len > n ? "..." : "");

	for (char *p = q; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return q;
}

/* ---- what the command did ---------------------------------------------- */

bool sz_check_eval_exit(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                        char **detail)
{
	if (!o->ran) {
		*detail = sz_xstrdup(_("no command ran"));
		return false;
	}
	if (o->status == c->status)
		return true;
	*detail = sz_asprintf(_("the exit status was %d, not %d"), o->status, c->status);
	return false;
}

bool sz_check_eval_output(const struct sz_check *c, const struct sz_outcome *o,
                          const struct sz_check_env *env, char **detail)
{
	bool is_err = c->kind == SZ_CHECK_STDERR;
	const char *text = is_err ? o->err : o->out;
	size_t len = is_err ? o->err_len : o->out_len;
	cleanup_free char *q = NULL;
	char *line;

	if (!o->ran) {
		*detail = sz_xstrdup(_("no command ran"));
		return false;
	}
	if (c->kind == SZ_CHECK_STDOUT_NOT) {
		line = first_matching_line(&c->re, text, len);
		if (line == NULL)
			return true;
		q = quote(line, strlen(line));
		free(line);
		*detail = sz_asprintf(_("a line of stdout matches: '%s'"), q);
		return false;
	}
	if (sz_text_has_line(&c->re, text, len))
		return true;
	q = quote(text, len);
	*detail = is_err ? sz_asprintf(_("no line of stderr matches; it was: '%s'"), q)
	                 : sz_asprintf(_("no line of stdout matches; it was: '%s'"), q);
	return false;
}

bool sz_check_eval_oom(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                       char **detail)
{
	bool killed = o->oom_killed;
	uint64_t now = 0;
	sz_error_t err = NULL;

	if (!killed && o->has_oom_base && env->ops->counter(env->ctx, SZ_COUNTER_OOM_KILL, &now, &err) == 0)
		killed = now > o->oom_base;
	sz_error_release(&err);
	if (killed == c->flag)
		return true;
	*detail = sz_xstrdup(killed ? _("the kernel's OOM killer killed a process of the container")
	                            : _("no process of the container was killed for lack of memory"));
	return false;
}

/* ---- files ------------------------------------------------------------- */

bool sz_check_eval_file(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                        char **detail)
{
	bool host = c->kind == SZ_CHECK_HOST_FILE;
	cleanup_free char *data = NULL, *q = NULL;
	sz_error_t err = NULL;
	size_t len = 0;
	int r = env->ops->read_file(env->ctx, host, c->path, &data, &len, &err);
	int e = err != NULL ? err->errno_ : 0;

	if (r < 0 && e != ENOENT && e != ENOTDIR) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	sz_error_release(&err);
	if ((r == 0) != (c->exists != 0)) {
		*detail = r == 0 ? sz_asprintf(host ? _("'%s' exists in the work directory")
		                                    : _("'%s' exists in the container"),
		                               c->path)
		                 : sz_asprintf(host ? _("'%s' does not exist in the work directory")
		                                    : _("'%s' does not exist in the container"),
		                               c->path);
		return false;
	}
	if (r < 0 || !c->has_re || sz_text_has_line(&c->re, data, len))
		return true;
	q = quote(data, len);
	*detail = sz_asprintf(_("no line of '%s' matches; it holds: '%s'"), c->path, q);
	return false;
}

/* ---- namespaces, ids, counters, names ---------------------------------- */

bool sz_check_eval_ns(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                      char **detail)
{
	uint64_t mine = 0, theirs = 0;
	sz_error_t err = NULL;
	bool want_same = c->kind == SZ_CHECK_NS_SAME;

	if (env->ops->ns_inode(env->ctx, false, c->ns, &theirs, &err) < 0 ||
	    env->ops->ns_inode(env->ctx, true, c->ns, &mine, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	if ((mine == theirs) == want_same)
		return true;
	*detail = want_same
	              ? sz_asprintf(_("the container has a %s namespace of its own (%s:[%llu], the host's is "
	                              "%s:[%llu])"),
	                            c->ns, c->ns, (unsigned long long)theirs, c->ns, (unsigned long long)mine)
	              : sz_asprintf(_("the container shares the host's %s namespace (%s:[%llu])"), c->ns,
	                            c->ns, (unsigned long long)mine);
	return false;
}

bool sz_check_eval_uid_map(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail)
{
	cleanup_free char *text = NULL, *q = NULL;
	sz_error_t err = NULL;

	if (env->ops->uid_map(env->ctx, &text, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	if (sz_text_has_line(&c->re, text, strlen(text)))
		return true;
	q = quote(text, strlen(text));
	*detail = sz_asprintf(_("no line of uid_map matches; it holds: '%s'"), q);
	return false;
}

bool sz_check_eval_counter(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail)
{
	const char *name = sz_cgroup_counter_name(c->counter);
	sz_error_t err = NULL;
	uint64_t v = 0;

	if (env->ops->counter(env->ctx, c->counter, &v, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	if (c->has_min && v < c->min) {
		*detail = sz_asprintf(_("%s is %llu, less than %llu"), name, (unsigned long long)v,
		                      (unsigned long long)c->min);
		return false;
	}
	if (c->has_max && v > c->max) {
		*detail = sz_asprintf(_("%s is %llu, more than %llu"), name, (unsigned long long)v,
		                      (unsigned long long)c->max);
		return false;
	}
	return true;
}

bool sz_check_eval_hostname(const struct sz_check *c, const struct sz_outcome *o,
                            const struct sz_check_env *env, char **detail)
{
	bool host = c->kind == SZ_CHECK_HOST_HOSTNAME_UNCHANGED;
	cleanup_free char *name = NULL;
	sz_error_t err = NULL;

	if (env->ops->hostname(env->ctx, host, &name, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	if (!host && regexec(&c->re, name, 0, NULL, 0) == 0)
		return true;
	if (host && env->host_hostname != NULL && strcmp(name, env->host_hostname) == 0)
		return true;
	*detail = host ? sz_asprintf(_("the host's name changed from '%s' to '%s'"),
	                             env->host_hostname != NULL ? env->host_hostname : "?", name)
	               : sz_asprintf(_("the container's host name is '%s'"), name);
	return false;
}

/* ---- sockets and processes --------------------------------------------- */

/* One line of /proc/net/tcp: "  0: 0100007F:1F90 00000000:0000 0A ...". */
static bool line_listens(const char *line, enum sz_net_proto proto, unsigned port)
{
	char local[64], remote[64], state[8];
	const char *lport, *rport;

	if (sscanf(line, " %*[0-9]: %63s %63s %7s", local, remote, state) != 3)
		return false;
	lport = strrchr(local, ':');
	rport = strrchr(remote, ':');
	if (lport == NULL || rport == NULL || strtoul(lport + 1, NULL, 16) != port)
		return false;
	if (proto == SZ_PROTO_TCP)
		return strcmp(state, "0A") == 0;
	return strcmp(state, "07") == 0 && strtoul(rport + 1, NULL, 16) == 0;
}

bool sz_net_table_listens(const char *text, enum sz_net_proto proto, unsigned port)
{
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		cleanup_free char *line = sz_asprintf("%.*s", (int)n, p);

		if (line_listens(line, proto, port))
			return true;
		p = nl != NULL ? nl + 1 : NULL;
	}
	return false;
}

static int listens(const struct sz_check *c, const struct sz_check_env *env, bool host, bool *yes,
                   sz_error_t *err)
{
	cleanup_free char *text = NULL;

	if (env->ops->net_table(env->ctx, host, c->proto, &text, err) < 0)
		return -1;
	*yes = sz_net_table_listens(text, c->proto, c->port);
	return 0;
}

bool sz_check_eval_listening(const struct sz_check *c, const struct sz_outcome *o,
                             const struct sz_check_env *env, char **detail)
{
	const char *proto = c->proto == SZ_PROTO_UDP ? "udp" : "tcp";
	bool inside = false, outside = false;
	sz_error_t err = NULL;

	if (listens(c, env, false, &inside, &err) < 0 || listens(c, env, true, &outside, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	if (inside && !outside)
		return true;
	if (!inside)
		*detail = sz_asprintf(_("nothing listens on %s port %u in the container"), proto, c->port);
	else
		*detail = sz_asprintf(_("%s port %u listens on the host too (the container shares the host's "
		                        "network, or the host has its own listener)"),
		                      proto, c->port);
	return false;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

bool sz_check_eval_process(const struct sz_check *c, const struct sz_outcome *o,
                           const struct sz_check_env *env, char **detail)
{
	char **cmds = NULL;
	size_t n = 0;
	sz_error_t err = NULL;
	bool found = false;

	if (env->ops->processes(env->ctx, &cmds, &n, &err) < 0) {
		*detail = sz_xstrdup(sz_error_msg(err));
		sz_error_release(&err);
		return false;
	}
	for (size_t i = 0; i < n && !found; i++)
		found = regexec(&c->re, cmds[i], 0, NULL, 0) == 0;
	free_strv(cmds, n);
	if (!found)
		*detail = sz_asprintf(Q_("no process of the container matches (it has %zu process)",
		                         "no process of the container matches (it has %zu processes)", n),
		                      n);
	return found;
}

/* ---- all of them ------------------------------------------------------- */

bool sz_check_eval(const struct sz_check *c, const struct sz_outcome *o, const struct sz_check_env *env,
                   char **detail)
{
	*detail = NULL;
	if (c->kind >= SZ_CHECK_KIND_COUNT) {
		*detail = sz_xstrdup("unknown check");
		return false;
	}
	return sz_check_kind_ops(c->kind)->eval(c, o, env, detail);
}

void sz_check_result_release(struct sz_check_result *r)
{
	free(r->detail);
	r->detail = NULL;
}

/* One round: every check evaluated. Returns whether all hold; *worth_retry
 * says whether a failing one reads kernel state (output does not change). */
static bool round_once(const struct sz_check *checks, size_t n, const struct sz_outcome *o,
                       const struct sz_check_env *env, struct sz_check_result *results, bool *worth_retry)
{
	bool all = true;

	*worth_retry = false;
	for (size_t i = 0; i < n; i++) {
		sz_check_result_release(&results[i]);
		results[i].check = &checks[i];
		results[i].pass = sz_check_eval(&checks[i], o, env, &results[i].detail);
		if (!results[i].pass) {
			all = false;
			*worth_retry |= !sz_check_reads_output(checks[i].kind);
		}
	}
	return all;
}

int sz_checks_run(const struct sz_check *checks, size_t n, const struct sz_outcome *o,
                  const struct sz_check_env *env, uint64_t deadline_ns, struct sz_check_result *results)
{
	bool retry;

	memset(results, 0, n * sizeof(*results));
	for (;;) {
		uint64_t now;

		if (round_once(checks, n, o, env, results, &retry))
			return 1;
		now = env->ops->now_ns(env->ctx);
		if (!retry || deadline_ns == 0 || now >= deadline_ns)
			return 0;
		if (env->ops->pause(env->ctx, deadline_ns - now < SZ_CHECK_RETRY_NS ? deadline_ns - now
		                                                                    : SZ_CHECK_RETRY_NS) < 0)
			return -1;
	}
}
