/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cgroup_stats.c - what a container's cgroup used: OOM kills, peak memory, CPU time */
#include "runtime/cgroup.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "runtime/cgroup_internal.h"

static int parse_u64(const char *path, const char *text, uint64_t *out, bool *found, sz_error_t *err)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (!isdigit((unsigned char)*text) || errno != 0 || (*end != '\0' && *end != '\n'))
		return sz_error_make(err, 0, _("cannot parse '%s': unexpected '%.*s'"), path,
		                     (int)strcspn(text, "\n"), text);
	*out = v;
	*found = true;
	return 0;
}

/* The number in dir/file, or with a key, after "key " on one of its lines
 * (memory.events, cpu.stat). A missing file or key leaves *found false. */
static int read_stat(const char *dir, const char *file, const char *key, uint64_t *out, bool *found,
                     sz_error_t *err)
{
	cleanup_free char *path = cg_path_join(dir, file);
	cleanup_free char *buf = NULL;
	size_t len = key != NULL ? strlen(key) : 0;
	char *cursor, *line;

	if (cg_read_optional(path, &buf, err) < 0)
		return -1;
	if (buf == NULL)
		return 0;
	if (key == NULL)
		return parse_u64(path, buf, out, found, err);
	cursor = buf;
	while ((line = cg_next_line(&cursor)) != NULL)
		if (strncmp(line, key, len) == 0 && line[len] == ' ')
			return parse_u64(path, line + len + 1, out, found, err);
	return 0;
}

static int read_memory_stats(const struct sz_cgroup *cg, const char *dir, struct sz_cgroup_stats *stats,
                             sz_error_t *err)
{
	bool v2 = cg_is_unified(cg, dir);

	if (read_stat(dir, v2 ? "memory.events" : "memory.oom_control", "oom_kill", &stats->oom_kills,
	              &stats->has_oom, err) < 0)
		return -1;
	return read_stat(dir, v2 ? "memory.peak" : "memory.max_usage_in_bytes", NULL, &stats->memory_peak,
	                 &stats->has_peak, err);
}

static int read_cpu_stats(const struct sz_cgroup *cg, const char *dir, struct sz_cgroup_stats *stats,
                          sz_error_t *err)
{
	if (!cg_is_unified(cg, dir))
		return read_stat(dir, "cpuacct.usage", NULL, &stats->cpu_usage_ns, &stats->has_cpu, err);
	if (read_stat(dir, "cpu.stat", "usage_usec", &stats->cpu_usage_ns, &stats->has_cpu, err) < 0)
		return -1;
	stats->cpu_usage_ns *= 1000;
	return 0;
}

/* What a CPU limit held back: cpu.stat of the cpu controller on either version. */
static int read_throttling(const struct sz_cgroup *cg, const char *dir, struct sz_cgroup_stats *stats,
                           sz_error_t *err)
{
	bool v2 = cg_is_unified(cg, dir);
	bool found = false;

	if (read_stat(dir, "cpu.stat", "nr_throttled", &stats->cpu_nr_throttled, &stats->has_throttled, err) <
	    0)
		return -1;
	if (read_stat(dir, "cpu.stat", v2 ? "throttled_usec" : "throttled_time", &stats->cpu_throttled_ns,
	              &found, err) < 0)
		return -1;
	if (v2)
		stats->cpu_throttled_ns *= 1000;
	return 0;
}

int sz_cgroup_read_stats(const struct sz_cgroup *cg, struct sz_cgroup_stats *stats, sz_error_t *err)
{
	const char *mem = cg->path[SZ_CTRL_MEMORY];
	const char *acct = cg->path[SZ_CTRL_CPUACCT] != NULL ? cg->path[SZ_CTRL_CPUACCT] : cg->unified;
	const char *cpu = cg->path[SZ_CTRL_CPU];
	const char *pids = cg->path[SZ_CTRL_PIDS];

	memset(stats, 0, sizeof(*stats));
	if (mem != NULL && read_memory_stats(cg, mem, stats, err) < 0)
		return -1;
	if (acct != NULL && read_cpu_stats(cg, acct, stats, err) < 0)
		return -1;
	if (cpu != NULL && read_throttling(cg, cpu, stats, err) < 0)
		return -1;
	if (pids != NULL &&
	    read_stat(pids, "pids.current", NULL, &stats->pids_current, &stats->has_pids, err) < 0)
		return -1;
	return 0;
}
