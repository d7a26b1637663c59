/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msg.h - the messages between stanza and the container's first process: their wire format, shared with
 * stanza-init */
#ifndef SZ_MSG_H
#define SZ_MSG_H

/* Messages from the container's first process to stanza, over a
 * SOCK_SEQPACKET pair that closes on execve. */
enum sz_msg_type {
	SZ_MSG_GO = 1,     /* parent -> child: cgroup joined (and id maps written) */
	SZ_MSG_ERROR,      /* setup failed: text says why */
	SZ_MSG_EXEC_ERROR, /* execve failed: errno_ says why, text names the command */
	SZ_MSG_PTY,        /* the pty master travels with it (SCM_RIGHTS) */
	SZ_MSG_EXEC,       /* about to execve: everything is set up */
	SZ_MSG_SECCOMP,    /* parent -> child: the compiled filter, in a memfd (SCM_RIGHTS) */
	SZ_MSG_PID,        /* exec helper -> stanza: the host pid of the process it forked (text) */
	SZ_MSG_READY,      /* a detached container's PID 1 is set up and waits on its exec fifo */
};

struct sz_msg {
	int type;
	int errno_;
	char text[1024];
};

#endif
