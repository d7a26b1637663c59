/* SPDX-License-Identifier: GPL-3.0-or-later */
/* selfexe.h - stanza's own binary: where it is on disk */
#ifndef SZ_SELFEXE_H
#define SZ_SELFEXE_H

/*
 * A process in a container that executes /proc/self/exe while it is still
 * stanza's child (an image whose script names /proc/self/exe as its
 * interpreter does just that) would hold the host's stanza binary open, and
 * could write it once stanza is gone: runc's CVE-2019-5736. stanza itself
 * never executes a container's command: a sealed in-memory copy of the small
 * static stanza-init does (src/runtime/init.c, tools/init/stanza-init.c), so
 * /proc/self/exe at that moment is that copy, read-only for good, and not the
 * file on disk; the processes that enter a container before that are not
 * dumpable (their /proc/PID/exe is closed to the container).
 */

/* The path of stanza's binary on disk ("" when unknown). The string is
 * static, read once. */
const char *sz_self_exe(void);

#endif
