/* SPDX-License-Identifier: GPL-3.0-or-later */
/* resolve.h - open a path inside a container's root as if that root were "/" */
#ifndef SZ_RESOLVE_H
#define SZ_RESOLVE_H

#include <stdbool.h>

#include "common/error.h"

/*
 * Open path (absolute or not, it is taken from rootfd) inside the directory
 * rootfd, creating what is missing: directories for every component but the
 * last, and the last as a directory (is_dir) or an empty file. Symlinks and
 * ".." are resolved by the kernel (openat2 RESOLVE_IN_ROOT) as if rootfd were
 * "/", so nothing can lead outside it; magic links (/proc/self/root...) are
 * refused. Mounts made inside the root are crossed, so volumes can nest. Returns an O_PATH descriptor the
 * caller closes, or -1.
 */
int sz_open_in_root(int rootfd, const char *path, bool is_dir, sz_error_t *err);

#endif
