/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ipc.c - labtool shm and mq: System V shared memory and POSIX message queues, as ipcmk/ipcs/ipcrm do */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <mqueue.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "labtool.h"

#define SHM_PROC        "/proc/sysvipc/shm"
#define MQUEUE_DIR      "/dev/mqueue"
#define DEFAULT_SHMSIZE LT_MIB
#define MAX_COLUMNS     32

/* The kernel's ipc/mqueue.c; no uapi header exports it. */
#define MQUEUE_MAGIC 0x19800202

/* A System V key: decimal or 0x-prefixed hex, not 0 (IPC_PRIVATE cannot be found again). */
static int parse_key(const char *s, key_t *out)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v;
	char *end;

	if (!isxdigit((unsigned char)s[hex ? 2 : 0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, hex ? 16 : 10);
	if (errno != 0 || *end != '\0' || v == 0 || v > UINT32_MAX)
		return -1;
	*out = (key_t)(uint32_t)v;
	return 0;
}

static int shm_create(int argc, char **argv)
{
	uint64_t size = DEFAULT_SHMSIZE;
	char what[32];
	key_t key;
	int id;

	if (argc < 2 || argc > 3)
		return lt_usage_error("shm", "create expects KEY [SIZE]");
	if (parse_key(argv[1], &key) < 0)
		return lt_usage_error("shm", "bad key '%s': expected a number from 1, decimal or 0x hex",
		                      argv[1]);
	if (argc == 3 && (lt_parse_size(argv[2], &size) < 0 || size == 0 || size > SIZE_MAX))
		return lt_usage_error("shm", "bad size '%s': expected a size such as 4096 or 1M", argv[2]);

	id = shmget(key, (size_t)size, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0) {
		lt_error("cannot create shared memory with key 0x%08" PRIx32 ": %s", (uint32_t)key,
		         strerror(errno));
		return LT_EXIT_FAIL;
	}
	lt_format_size(what, sizeof(what), size);
	printf("created key 0x%08" PRIx32 " id %d size %s\n", (uint32_t)key, id, what);
	return LT_EXIT_OK;
}

static int shm_rm(int argc, char **argv)
{
	key_t key;
	int id;

	if (argc != 2)
		return lt_usage_error("shm", "rm expects KEY");
	if (parse_key(argv[1], &key) < 0)
		return lt_usage_error("shm", "bad key '%s': expected a number from 1, decimal or 0x hex",
		                      argv[1]);
	id = shmget(key, 0, 0);
	if (id < 0 || shmctl(id, IPC_RMID, NULL) < 0) {
		lt_error("cannot remove shared memory with key 0x%08" PRIx32 ": %s", (uint32_t)key,
		         strerror(errno));
		return LT_EXIT_FAIL;
	}
	printf("removed key 0x%08" PRIx32 " id %d\n", (uint32_t)key, id);
	return LT_EXIT_OK;
}

/* Split line into at most MAX_COLUMNS words; returns how many. */
static int split_words(char *line, char **words)
{
	char *save = NULL;
	int n = 0;

	for (char *w = strtok_r(line, " \t\n", &save); w != NULL && n < MAX_COLUMNS;
	     w = strtok_r(NULL, " \t\n", &save))
		words[n++] = w;
	return n;
}

static int column_of(char **names, int n, const char *name)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return i;
	}
	return -1;
}

/*
 * The kernel lists the segments of the reader's IPC namespace, one line each,
 * under a header naming the columns; columns are found by name, since their
 * number has grown over the years (rss, swap).
 */
static int shm_list(int argc, char **argv)
{
	static const char *const wanted[] = {"key", "shmid", "perms", "size", "nattch", "uid"};
	char header[512], line[512], *names[MAX_COLUMNS], *row[MAX_COLUMNS];
	int col[sizeof(wanted) / sizeof(wanted[0])], n_names;
	FILE *f;

	if (argc != 1)
		return lt_usage_error("shm", "list expects no arguments");
	f = fopen(SHM_PROC, "re");
	if (f == NULL) {
		lt_error("cannot open '%s': %s", SHM_PROC, strerror(errno));
		return LT_EXIT_FAIL;
	}
	n_names = fgets(header, sizeof(header), f) ? split_words(header, names) : 0;
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		col[i] = column_of(names, n_names, wanted[i]);
		if (col[i] < 0) {
			fclose(f);
			lt_error("'%s' has no column '%s'", SHM_PROC, wanted[i]);
			return LT_EXIT_FAIL;
		}
	}
	printf("%-10s %-10s %-6s %-12s %-6s %s\n", "key", "shmid", "perms", "bytes", "nattch", "uid");
	while (fgets(line, sizeof(line), f) != NULL) {
		if (split_words(line, row) != n_names)
			continue;
		/* The kernel prints the key as a signed int. */
		printf("0x%08" PRIx32 " %-10s %-6s %-12s %-6s %s\n", (uint32_t)strtol(row[col[0]], NULL, 10),
		       row[col[1]], row[col[2]], row[col[3]], row[col[4]], row[col[5]]);
	}
	fclose(f);
	return LT_EXIT_OK;
}

/*
 * The actions of a group (shm, mq) get argv[0] = the action and its operands
 * after it: options were already taken out by lt_no_options.
 */
struct action {
	const char *name;
	int (*fn)(int argc, char **argv);
};

static int run_action(const char *group, const struct action *actions, size_t n, const char *names, int argc,
                      char **argv)
{
	int first, rc;

	if ((rc = lt_no_options(argc, argv, &first)) != 0)
		return rc;
	if (first == argc)
		return lt_usage_error(group, "expected %s", names);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(argv[first], actions[i].name) == 0)
			return actions[i].fn(argc - first, argv + first);
	}
	return lt_usage_error(group, "unknown action '%s': expected %s", argv[first], names);
}

static int cmd_shm(int argc, char **argv)
{
	static const struct action actions[] = {{"create", shm_create}, {"list", shm_list}, {"rm", shm_rm}};

	return run_action("shm", actions, sizeof(actions) / sizeof(actions[0]), "create, list or rm", argc,
	                  argv);
}

/* "/NAME" from NAME or /NAME: one path component, as mq_open requires. */
static int mq_path(const char *name, char *buf, size_t len)
{
	if (name[0] == '/')
		name++;
	if (name[0] == '\0' || strchr(name, '/') != NULL || strlen(name) > NAME_MAX - 1 ||
	    strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return -1;
	snprintf(buf, len, "/%s", name);
	return 0;
}

/*
 * Open queue NAME with flags (and mode 0600 when creating); *q is valid only
 * when LT_EXIT_OK is returned, path holds "/NAME" for messages.
 */
static int open_queue(const char *name, int flags, mqd_t *q, char *path, size_t len)
{
	*q = (mqd_t)-1;
	if (mq_path(name, path, len) < 0)
		return lt_usage_error("mq", "bad queue name '%s': expected one word, like /greetings", name);
	*q = (flags & O_CREAT) ? mq_open(path, flags, 0600, NULL) : mq_open(path, flags);
	if (*q == (mqd_t)-1) {
		lt_error("cannot open message queue '%s': %s", path, strerror(errno));
		return LT_EXIT_FAIL;
	}
	return LT_EXIT_OK;
}

static int mq_create(int argc, char **argv)
{
	char path[NAME_MAX + 2];
	mqd_t q;
	int rc;

	if (argc != 2)
		return lt_usage_error("mq", "create expects NAME");
	rc = open_queue(argv[1], O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, &q, path, sizeof(path));
	if (rc != LT_EXIT_OK)
		return rc;
	mq_close(q);
	printf("created %s\n", path);
	return LT_EXIT_OK;
}

static int mq_rm(int argc, char **argv)
{
	char path[NAME_MAX + 2];

	if (argc != 2)
		return lt_usage_error("mq", "rm expects NAME");
	if (mq_path(argv[1], path, sizeof(path)) < 0)
		return lt_usage_error("mq", "bad queue name '%s': expected one word, like /greetings",
		                      argv[1]);
	if (mq_unlink(path) < 0) {
		lt_error("cannot remove message queue '%s': %s", path, strerror(errno));
		return LT_EXIT_FAIL;
	}
	printf("removed %s\n", path);
	return LT_EXIT_OK;
}

/* Never blocks: a full queue is reported, so a lab step cannot hang on it. */
static int mq_send_text(int argc, char **argv)
{
	char path[NAME_MAX + 2];
	mqd_t q;
	int rc;

	if (argc != 3)
		return lt_usage_error("mq", "send expects NAME TEXT");
	rc = open_queue(argv[1], O_WRONLY | O_NONBLOCK | O_CLOEXEC, &q, path, sizeof(path));
	if (rc != LT_EXIT_OK)
		return rc;
	if (mq_send(q, argv[2], strlen(argv[2]), 0) < 0) {
		lt_error("cannot send to message queue '%s': %s", path,
		         errno == EAGAIN ? "the queue is full" : strerror(errno));
		rc = LT_EXIT_FAIL;
	} else {
		printf("sent %zu bytes to %s\n", strlen(argv[2]), path);
	}
	mq_close(q);
	return rc;
}

/* Never blocks either: an empty queue is a failure with its reason. */
static int mq_recv_text(int argc, char **argv)
{
	char path[NAME_MAX + 2];
	struct mq_attr attr;
	char *buf = NULL;
	ssize_t n = -1;
	mqd_t q;
	int rc;

	if (argc != 2)
		return lt_usage_error("mq", "recv expects NAME");
	rc = open_queue(argv[1], O_RDONLY | O_NONBLOCK | O_CLOEXEC, &q, path, sizeof(path));
	if (rc != LT_EXIT_OK)
		return rc;
	if (mq_getattr(q, &attr) == 0 && (buf = malloc((size_t)attr.mq_msgsize)) != NULL)
		n = mq_receive(q, buf, (size_t)attr.mq_msgsize, NULL);
	if (n < 0)
		lt_error("cannot receive from message queue '%s': %s", path,
		         errno == EAGAIN ? "the queue is empty" : strerror(errno));
	else
		printf("%.*s\n", (int)n, buf);
	free(buf);
	mq_close(q);
	return n < 0 ? LT_EXIT_FAIL : LT_EXIT_OK;
}

/* Messages waiting in queue NAME, or -1 when it cannot be opened (another user's). */
static long mq_messages(const char *name)
{
	char path[NAME_MAX + 2];
	struct mq_attr attr;
	long n = -1;
	mqd_t q;

	snprintf(path, sizeof(path), "/%s", name);
	q = mq_open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (q == (mqd_t)-1)
		return -1;
	if (mq_getattr(q, &attr) == 0)
		n = attr.mq_curmsgs;
	mq_close(q);
	return n;
}

/* QSIZE, the bytes waiting, from the queue's file in the mqueue file system. */
static long long mq_bytes(int dir, const char *name)
{
	char text[256];
	long long bytes = -1;
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, text, sizeof(text) - 1);
	if (n > 0) {
		text[n] = '\0';
		if (sscanf(text, "QSIZE:%lld", &bytes) != 1)
			bytes = -1;
	}
	close(fd);
	return bytes;
}

/*
 * Queues are listed through the mqueue file system, which shows the queues of
 * the IPC namespace that mounted it: a container's own /dev/mqueue shows the
 * container's queues.
 */
static int mq_list(int argc, char **argv)
{
	struct statfs sfs;
	struct dirent *e;
	DIR *d;

	if (argc != 1)
		return lt_usage_error("mq", "list expects no arguments");
	if (statfs(MQUEUE_DIR, &sfs) < 0 || sfs.f_type != MQUEUE_MAGIC) {
		lt_error("'%s' is not an mqueue file system: cannot list queues (mount -t mqueue none %s)",
		         MQUEUE_DIR, MQUEUE_DIR);
		return LT_EXIT_FAIL;
	}
	d = opendir(MQUEUE_DIR);
	if (d == NULL) {
		lt_error("cannot open '%s': %s", MQUEUE_DIR, strerror(errno));
		return LT_EXIT_FAIL;
	}
	printf("%-24s %-9s %s\n", "name", "messages", "bytes");
	while ((e = readdir(d)) != NULL) {
		long msgs;
		long long bytes;

		if (e->d_name[0] == '.')
			continue;
		msgs = mq_messages(e->d_name);
		bytes = mq_bytes(dirfd(d), e->d_name);
		printf("/%-23s ", e->d_name);
		if (msgs < 0)
			printf("%-9s ", "-");
		else
			printf("%-9ld ", msgs);
		if (bytes < 0)
			printf("-\n");
		else
			printf("%lld\n", bytes);
	}
	closedir(d);
	return LT_EXIT_OK;
}

static int cmd_mq(int argc, char **argv)
{
	static const struct action actions[] = {
	    {"create", mq_create},  {"list", mq_list}, {"send", mq_send_text},
	    {"recv", mq_recv_text}, {"rm", mq_rm},
	};

	return run_action("mq", actions, sizeof(actions) / sizeof(actions[0]),
	                  "create, list, send, recv or rm", argc, argv);
}

const struct lt_command lt_cmd_shm = {
    .name = "shm",
    .fn = cmd_shm,
    .summary = "create, list and remove System V shared memory (ipcmk -M, ipcs -m, ipcrm -M)",
    .usage = "Usage: labtool shm create KEY [SIZE]\n"
             "       labtool shm list\n"
             "       labtool shm rm KEY\n\n"
             "System V shared memory, which lives in the IPC namespace rather than in any file.\n"
             "create makes a segment of SIZE (default 1M) with KEY (decimal or 0x hex, not 0)\n"
             "and mode 0600; list shows the segments this IPC namespace has, from\n" SHM_PROC ";\n"
             "rm removes the segment with KEY.\n",
};

const struct lt_command lt_cmd_mq = {
    .name = "mq",
    .fn = cmd_mq,
    .summary = "create, list, use and remove POSIX message queues",
    .usage = "Usage: labtool mq create NAME\n"
             "       labtool mq list\n"
             "       labtool mq send NAME TEXT\n"
             "       labtool mq recv NAME\n"
             "       labtool mq rm NAME\n\n"
             "POSIX message queues, which belong to the IPC namespace. NAME is one word, with\n"
             "or without a leading slash (/greetings). create makes an empty queue (mode 0600);\n"
             "list shows the queues in " MQUEUE_DIR " with the messages and bytes waiting;\n"
             "send adds TEXT as one message; recv prints the oldest message and removes it;\n"
             "rm removes the queue. send and recv never wait: a full or empty queue is an\n"
             "error. Put -- before a TEXT that starts with '-'.\n",
};
