/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cleanup.h - scope-bound cleanup of memory, descriptors and streams */
#ifndef SZ_CLEANUP_H
#define SZ_CLEANUP_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static inline void sz_freep(void *p)
{
	free(*(void **)p);
}

static inline void sz_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void sz_fclosep(FILE **f)
{
	if (*f != NULL)
		fclose(*f);
}

static inline void sz_closedirp(DIR **d)
{
	if (*d != NULL)
		closedir(*d);
}

#define cleanup_free  __attribute__((cleanup(sz_freep)))
#define cleanup_close __attribute__((cleanup(sz_closep)))
#define cleanup_file  __attribute__((cleanup(sz_fclosep)))
#define cleanup_dir   __attribute__((cleanup(sz_closedirp)))

/* Hand ownership out of a cleanup-managed variable: `return steal_pointer(&p);` */
static inline void *sz_steal_pointer(void *pp)
{
	void **p = (void **)pp;
	void *ret = *p;
	*p = NULL;
	return ret;
}
#define steal_pointer(pp) sz_steal_pointer(pp)

static inline int sz_steal_fd(int *fd)
{
	int ret = *fd;
	*fd = -1;
	return ret;
}

#endif
