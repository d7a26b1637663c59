/* SPDX-License-Identifier: GPL-3.0-or-later */
/* selfexe.c - run stanza from a sealed in-memory copy of itself (see selfexe.h) */
#include "common/selfexe.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/i18n.h"

/* Set by the first stanza for the sealed one, and taken out of the
 * environment at once so that nothing stanza starts inherits it. */
#define ORIGINAL_ENV "_STANZA_ORIGINAL_EXE"
#define SEALS        (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* The one piece of process-wide state: where the binary was, for the data
 * directory lookup and the labs' {stanza}. Written once, before any thread. */
static char original[PATH_MAX];

static void remember(const char *path)
{
	size_t n = strlen(path);

	if (n < sizeof(original))
		memcpy(original, path, n + 1);
}

static bool running_sealed(void)
{
	cleanup_close int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals = fd >= 0 ? fcntl(fd, F_GET_SEALS) : -1;

	return seals >= 0 && (seals & SEALS) == SEALS;
}

static int copy_all(int from, int to, off_t size)
{
	off_t done = 0;

	while (done < size) {
		ssize_t n = sendfile(to, from, NULL, (size_t)(size - done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += n;
	}
	return 0;
}

static int sealed_copy(int exe, sz_error_t *err)
{
	struct stat st;
	int fd;

	if (fstat(exe, &st) < 0)
		return sz_error_make(err, errno, _("cannot read stanza's own binary"));
	fd = memfd_create("stanza", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot make a sealed copy of stanza's binary"));
	if (copy_all(exe, fd, st.st_size) < 0 || fcntl(fd, F_ADD_SEALS, SEALS) < 0) {
		sz_error_make(err, errno, _("cannot make a sealed copy of stanza's binary"));
		close(fd);
		return -1;
	}
	return fd;
}

int sz_self_reexec_sealed(char **argv, sz_error_t *err)
{
	const char *from = getenv(ORIGINAL_ENV);
	char path[PATH_MAX];
	ssize_t n;
	cleanup_close int exe = -1;
	cleanup_close int copy = -1;

	if (from != NULL && running_sealed()) {
		remember(from);
		unsetenv(ORIGINAL_ENV);
		return 0;
	}
	unsetenv(ORIGINAL_ENV);
	n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	if (n <= 0)
		return sz_error_make(err, errno, _("cannot find stanza's own binary"));
	path[n] = '\0';
	remember(path);
	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0)
		return sz_error_make(err, errno, _("cannot read stanza's own binary"));
	if ((copy = sealed_copy(exe, err)) < 0)
		return -1;
	if (setenv(ORIGINAL_ENV, path, 1) < 0)
		return sz_error_make(err, errno, _("cannot make a sealed copy of stanza's binary"));
	fexecve(copy, argv, environ);
	unsetenv(ORIGINAL_ENV);
	return sz_error_make(err, errno, _("cannot run stanza from its sealed copy"));
}

const char *sz_self_exe(void)
{
	ssize_t n;

	if (original[0] != '\0')
		return original;
	n = readlink("/proc/self/exe", original, sizeof(original) - 1);
	original[n > 0 ? n : 0] = '\0';
	return original;
}
