/* SPDX-License-Identifier: GPL-3.0-or-later */
/* msg.c - messages between stanza and the container's first process, with descriptors attached */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "runtime/container.h"

int sz_msg_send(int sock, int type, int errno_, const char *text, int fd)
{
	struct sz_msg msg = {.type = type, .errno_ = errno_};
	char control[CMSG_SPACE(sizeof(int))] = {0};
	struct iovec iov = {.iov_base = &msg, .iov_len = sizeof(msg)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	snprintf(msg.text, sizeof(msg.text), "%s", text ? text : "");
	if (fd >= 0) {
		struct cmsghdr *cm;

		mh.msg_control = control;
		mh.msg_controllen = sizeof(control);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	}
	do
		n = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n == (ssize_t)sizeof(msg) ? 0 : -1;
}

ssize_t sz_msg_recv(int sock, struct sz_msg *msg, int *fd)
{
	char control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = msg, .iov_len = sizeof(*msg)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
	struct cmsghdr *cm;
	ssize_t n;

	/* A peer that exited with a message of ours unread makes the kernel
	 * report ECONNRESET once, before the messages it had sent: read on. */
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && (errno == EINTR || errno == ECONNRESET));
	for (cm = CMSG_FIRSTHDR(&mh); n > 0 && cm != NULL; cm = CMSG_NXTHDR(&mh, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS && fd != NULL)
			memcpy(fd, CMSG_DATA(cm), sizeof(int));
	if (n > 0)
		msg->text[sizeof(msg->text) - 1] = '\0';
	return n;
}
