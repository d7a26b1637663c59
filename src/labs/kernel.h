/* SPDX-License-Identifier: GPL-3.0-or-later */
/* kernel.h - the check evaluator's view of a real container: /proc/<pid>, its root, its cgroup, its names */
#ifndef SZ_LAB_KERNEL_H
#define SZ_LAB_KERNEL_H

#include <stdbool.h>
#include <sys/types.h>

#include "labs/checks.h"
#include "runtime/runtime.h"

/*
 * The context of sz_lab_kernel_ops. Everything is borrowed: the container
 * handle must outlive the context. Files in the container are opened
 * through /proc/<pid>/root with RESOLVE_IN_ROOT, so a link the container
 * planted cannot lead out of it; host files the same way below the work
 * directory. The container's host name is read by a short-lived child that
 * joins its user (when it has one of its own) and UTS namespaces.
 */
struct sz_lab_kernel {
	struct sz_container_handle *container;
	int workdir_fd;  /* the lab's work directory */
	int sigfd;       /* a signalfd for the signals that stop stanza, -1: none */
	int stop_signal; /* set by pause when one came */
};

extern const struct sz_kernel_ops sz_lab_kernel_ops;

/* The host name of this host (uname), for struct sz_check_env. */
char *sz_host_hostname(void);

#endif
