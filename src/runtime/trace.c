/* SPDX-License-Identifier: GPL-3.0-or-later */
/* trace.c - --trace: each setup step with the time since the run started, from stanza and from the child */
#include <stdarg.h>
#include <stdio.h>

#include "common/util.h"
#include "runtime/container.h"

void sz_trace(const struct sz_container *c, const char *fmt, ...)
{
	char buf[1024];
	uint64_t dt;
	int n;
	va_list ap;

	if (c->spec->trace_fd < 0)
		return;
	dt = sz_now_ns() - c->t0;
	n = snprintf(buf, sizeof(buf), "[%4llu.%03llu ms] ", (unsigned long long)(dt / 1000000),
	             (unsigned long long)(dt / 1000 % 1000));
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = (int)sizeof(buf) - 2;
	buf[n++] = '\n';
	sz_write_all(c->spec->trace_fd, buf, (size_t)n);
}
