/* SPDX-License-Identifier: GPL-3.0-or-later */
/* selfexe.h - stanza's own binary: where it is on disk, and running from a sealed copy of it */
#ifndef SZ_SELFEXE_H
#define SZ_SELFEXE_H

#include "common/error.h"

/*
 * A process in a container that executes /proc/self/exe while it is still
 * stanza's child (an image whose script names /proc/self/exe as its
 * interpreter does just that) holds the host's stanza binary open, and may
 * write it once stanza is gone: runc's CVE-2019-5736. So before making
 * containers stanza re-executes itself from a sealed in-memory copy
 * (memfd_create, F_SEAL_WRITE and friends, fexecve): the binary a container
 * can reach is then read-only for good, and not the file on disk.
 *
 * Call sz_self_reexec_sealed() first thing in main, before anything else has
 * been opened. It returns 0 when the process already runs from a sealed copy
 * (then it remembers the original path for sz_self_exe()), and does not
 * return when the re-exec works. -1 with *err when a copy cannot be made.
 */
int sz_self_reexec_sealed(char **argv, sz_error_t *err);

/* The path of stanza's binary on disk, also from the sealed copy ("" when
 * unknown). The string is static. */
const char *sz_self_exe(void);

#endif
