/* SPDX-License-Identifier: GPL-3.0-or-later */
/* init.c - stanza-init, built into stanza, as a container's PID 1 or its commands' last step: a sealed copy,
 * its argv */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/util.h"
#include "runtime/container.h"

/* tools/init/stanza-init.c, linked statically; cmake/init.cmake puts its
 * bytes between these two symbols. */
extern const unsigned char sz_init_blob[];
extern const unsigned char sz_init_blob_end[];

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

int sz_init_open(sz_error_t *err)
{
	size_t len = (size_t)(sz_init_blob_end - sz_init_blob);
	/* Since Linux 6.3 a memfd may be made no-exec by default (vm.memfd_noexec=1):
	 * ask for an executable one; older kernels refuse the flag with EINVAL. */
	int fd = memfd_create("stanza-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("stanza-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return sz_error_make(err, errno, _("cannot make a copy of stanza's init"));
	if (sz_write_all(fd, sz_init_blob, len) < 0 || fcntl(fd, F_ADD_SEALS, SEALS) < 0) {
		sz_error_make(err, errno, _("cannot make a copy of stanza's init"));
		close(fd);
		return -1;
	}
	return fd;
}

char **sz_init_argv(char *const *argv, int exec_fd)
{
	static char fd_text[16];
	size_t n = 0, k = 0;
	char **out;

	while (argv[n] != NULL)
		n++;
	out = sz_xcalloc(n + 5, sizeof(*out));
	out[k++] = "stanza-init";
	if (exec_fd >= 0) {
		snprintf(fd_text, sizeof(fd_text), "%d", exec_fd);
		out[k++] = "--exec";
		out[k++] = fd_text;
	}
	out[k++] = "--";
	for (size_t i = 0; i < n; i++)
		out[k + i] = argv[i];
	return out;
}
