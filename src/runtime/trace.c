/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.c - --trace: each setup step with the time since the process (or the exec) started, from stanza and
 * from the child */
#include <stdarg.h>
#include <stdio.h>

#include "common/util.h"
#include "runtime/container.h"

__attribute__((format(printf, 3, 0))) static void trace_line(int fd, uint64_t dt, const char *fmt, va_list ap)
{
	char buf[1024];
	int n;

	n = snprintf(buf, sizeof(buf), "[%4llu.%03llu ms] ", (unsigned long long)(dt / 1000000),
	             (unsigned long long)(dt / 1000 % 1000));
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	sz_write_all(fd, buf, (size_t)n);
}

void sz_trace(const struct sz_container *c, const char *fmt, ...)
{
	va_list ap;

	if (c->spec->trace_fd < 0)
		return;
	va_start(ap, fmt);
	trace_line(c->spec->trace_fd, sz_now_ns() - c->trace_t0, fmt, ap);
	va_end(ap);
}

void sz_trace_process(int fd, uint64_t when, const char *fmt, ...)
{
	uint64_t origin = sz_process_origin_ns();
	va_list ap;

	if (fd < 0 || origin == 0)
		return;
	va_start(ap, fmt);
	trace_line(fd, when - origin, fmt, ap);
	va_end(ap);
}
