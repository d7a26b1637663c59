/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c - allocation, whole-file I/O, removal without following links, parsing */
#include "common/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/i18n.h"

void *sz_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		abort();
	return p;
}

void *sz_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (p == NULL)
		abort();
	return p;
}

void *sz_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		abort();
	return p;
}

char *sz_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		abort();
	return p;
}

char *sz_vasprintf(const char *fmt, va_list ap)
{
	char *out = NULL;

	if (vasprintf(&out, fmt, ap) < 0)
		abort();
	return out;
}

char *sz_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *out;

	va_start(ap, fmt);
	out = sz_vasprintf(fmt, ap);
	va_end(ap);
	return out;
}

int sz_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t sz_read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int sz_write_file(const char *path, const char *data, size_t len, mode_t mode, sz_error_t *err)
{
	cleanup_close int fd = -1;

	do
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), path);
	if (sz_write_all(fd, data, len) < 0)
		return sz_error_make(err, errno, _("cannot write '%s'"), path);
	if (close(sz_steal_fd(&fd)) < 0)
		return sz_error_make(err, errno, _("cannot write '%s'"), path);
	return 0;
}

int sz_write_file_at(int dirfd, const char *name, const char *data, size_t len, sz_error_t *err)
{
	cleanup_close int fd = -1;

	do
		fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), name);
	if (sz_write_all(fd, data, len) < 0)
		return sz_error_make(err, errno, _("cannot write '%s'"), name);
	return 0;
}

/* Make a rename in path's directory durable. A directory that cannot be
 * opened for reading cannot be synced by us: the rename stands, unsynced. */
static int fsync_parent(const char *path, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(path);
	const char *dir = dirname(copy);
	cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (fsync(fd) < 0 && errno != EINVAL)
		return sz_error_make(err, errno, _("cannot sync directory '%s'"), dir);
	return 0;
}

int sz_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode, sz_error_t *err)
{
	cleanup_free char *tmp = sz_asprintf("%s.tmp.%ld", path, (long)getpid());
	cleanup_close int fd = -1;

	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot create '%s'"), tmp);
	if (sz_write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int saved = errno;
		unlink(tmp);
		return sz_error_make(err, saved, _("cannot write '%s'"), tmp);
	}
	if (close(sz_steal_fd(&fd)) < 0 || rename(tmp, path) < 0) {
		int saved = errno;
		unlink(tmp);
		return sz_error_make(err, saved, _("cannot replace '%s'"), path);
	}
	return fsync_parent(path, err);
}

static int read_fd(int fd, const char *name, char **out, size_t *len, sz_error_t *err)
{
	cleanup_buf struct sz_buf buf = SZ_BUF_INIT;

	sz_buf_grow(&buf, 4096);
	for (;;) {
		ssize_t n;

		if (buf.alloc - buf.len < 2)
			sz_buf_grow(&buf, buf.alloc);
		n = read(fd, buf.buf + buf.len, buf.alloc - buf.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sz_error_make(err, errno, _("cannot read '%s'"), name);
		if (n == 0)
			break;
		buf.len += (size_t)n;
		buf.buf[buf.len] = '\0';
	}
	*out = sz_buf_detach(&buf, len);
	return 0;
}

int sz_read_file_at(int dirfd, const char *name, char **out, size_t *len, sz_error_t *err)
{
	cleanup_close int fd = -1;

	do
		fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return sz_error_make(err, errno, _("cannot open '%s'"), name);
	return read_fd(fd, name, out, len, err);
}

int sz_read_file(const char *path, char **out, size_t *len, sz_error_t *err)
{
	return sz_read_file_at(AT_FDCWD, path, out, len, err);
}

int sz_mkdir_p(const char *path, mode_t mode, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(path);
	char *p = copy;

	while (*p == '/')
		p++;
	for (;;) {
		char *slash = strchr(p, '/');

		if (slash != NULL)
			*slash = '\0';
		if (*copy != '\0' && mkdir(copy, mode) < 0 && errno != EEXIST)
			return sz_error_make(err, errno, _("cannot create directory '%s'"), copy);
		if (slash == NULL)
			break;
		*slash = '/';
		p = slash + 1;
	}
	return 0;
}

static int rm_rf_dir(int dirfd, const char *name, dev_t dev, sz_error_t *err);

static int rm_rf_entry(int dirfd, const char *name, dev_t dev, sz_error_t *err)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT)
			return 0;
		return sz_error_make(err, errno, _("cannot inspect '%s'"), name);
	}
	if (S_ISDIR(st.st_mode)) {
		if (st.st_dev != dev)
			return sz_error_make(err, EBUSY, _("cannot remove '%s'"), name);
		if (rm_rf_dir(dirfd, name, dev, err) < 0)
			return -1;
		if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			return sz_error_make(err, errno, _("cannot remove '%s'"), name);
		return 0;
	}
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return sz_error_make(err, errno, _("cannot remove '%s'"), name);
	return 0;
}

static int rm_rf_dir(int parentfd, const char *name, dev_t dev, sz_error_t *err)
{
	int fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	cleanup_dir DIR *dir = NULL;
	struct dirent *de;
	struct stat st;

	/* overlayfs leaves its work/work directory at mode 000: a user who owns
	 * it may still remove it after giving themselves access. */
	if (fd < 0 && errno == EACCES && fchmodat(parentfd, name, 0700, 0) == 0)
		fd = openat(parentfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot open '%s'"), name);
	/* Nor can its entries go while it is read-only (an image's 0555 /usr/bin
	 * unpacked without root): the owner may make it writable first. */
	if (fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 0300) != 0300)
		(void)!fchmod(fd, (st.st_mode & 07777) | 0700);
	dir = fdopendir(fd);
	if (dir == NULL) {
		close(fd);
		return sz_error_make(err, errno, _("cannot open '%s'"), name);
	}
	while ((errno = 0, de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (rm_rf_entry(dirfd(dir), de->d_name, dev, err) < 0)
			return sz_error_wrap(err, "'%s'", name);
	}
	return 0;
}

int sz_rm_rf_at(int dirfd, const char *name, sz_error_t *err)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : sz_error_make(err, errno, _("cannot inspect '%s'"), name);
	return rm_rf_entry(dirfd, name, st.st_dev, err);
}

int sz_parse_size(const char *text, uint64_t *out, sz_error_t *err)
{
	const char *p = text;
	static const char units[] = "kmgt"; /* 2^10, 2^20, 2^30, 2^40 */
	const char *unit;
	uint64_t value = 0, mult = 1;
	bool digits = false;

	while (isdigit((unsigned char)*p)) {
		unsigned d = (unsigned)(*p - '0');

		if (value > (UINT64_MAX - d) / 10)
			return sz_error_make(err, 0, _("size '%s' is too large"), text);
		value = value * 10 + d;
		digits = true;
		p++;
	}
	if (*p != '\0' && (unit = strchr(units, tolower((unsigned char)*p))) != NULL) {
		mult = 1ULL << (10 * (unit - units + 1));
		p++;
	}
	if (mult > 1 && *p == 'i')
		p++;
	if (*p == 'b' || *p == 'B')
		p++;
	if (!digits || *p != '\0')
		return sz_error_make(
		    err, 0, _("invalid size '%s' (use a number with an optional unit: 512k, 32M, 1G)"), text);
	if (value == 0)
		return sz_error_make(err, 0, _("size '%s' must be greater than zero"), text);
	if (value > UINT64_MAX / mult)
		return sz_error_make(err, 0, _("size '%s' is too large"), text);
	*out = value * mult;
	return 0;
}

/* Parse "12", "12.5", "0.001" into thousandths; *end points past the number. */
static int parse_milli(const char *text, uint64_t *out, const char **end)
{
	const char *p = text;
	uint64_t whole = 0, frac = 0;
	int frac_digits = 0;
	bool digits = false;

	while (isdigit((unsigned char)*p)) {
		if (whole > UINT64_MAX / 10000)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
		digits = true;
		p++;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			if (frac_digits < 3) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				frac_digits++;
			}
			digits = true;
			p++;
		}
	}
	if (!digits || whole > (UINT64_MAX - 999) / 1000)
		return -1;
	while (frac_digits++ < 3)
		frac *= 10;
	*out = whole * 1000 + frac;
	*end = p;
	return 0;
}

int sz_parse_duration(const char *text, uint64_t *out_ns, sz_error_t *err)
{
	static const struct {
		const char *suffix;
		uint64_t ns_per_milli; /* nanoseconds per thousandth of the unit */
	} units[] = {
	    {"ms", 1000ULL}, {"s", 1000000ULL}, {"", 1000000ULL}, {"m", 60000000ULL}, {"h", 3600000000ULL},
	};
	const char *end;
	uint64_t milli;

	if (parse_milli(text, &milli, &end) == 0) {
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			if (strcmp(end, units[i].suffix) != 0)
				continue;
			if (milli == 0)
				return sz_error_make(err, 0, _("duration '%s' must be greater than zero"),
				                     text);
			if (milli > UINT64_MAX / units[i].ns_per_milli)
				break;
			*out_ns = milli * units[i].ns_per_milli;
			return 0;
		}
	}
	return sz_error_make(err, 0, _("invalid duration '%s' (use 500ms, 10s, 2m or 1h)"), text);
}

int sz_parse_fraction(const char *text, uint64_t *out_milli, sz_error_t *err)
{
	const char *end;
	uint64_t milli;

	if (parse_milli(text, &milli, &end) < 0 || *end != '\0')
		return sz_error_make(err, 0, _("invalid number '%s' (use a decimal such as 0.5 or 2)"), text);
	if (milli == 0)
		return sz_error_make(err, 0, _("'%s' must be at least 0.001"), text);
	*out_milli = milli;
	return 0;
}

int sz_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out, sz_error_t *err)
{
	char *end = NULL;
	unsigned long long v;

	errno = 0;
	if (!isdigit((unsigned char)text[0]))
		goto bad;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0')
		goto bad;
	if (v < min || v > max)
		return sz_error_make(err, 0, _("'%s' is out of range (%" PRIu64 " to %" PRIu64 ")"), text,
		                     min, max);
	*out = v;
	return 0;
bad:
	return sz_error_make(err, 0, _("invalid number '%s'"), text);
}

const char *sz_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	size_t u = 0;

	/* 1048575 bytes is "1.0 MiB", not "1024.0 KiB": move up a unit when
	 * rounding to one decimal would reach 1024. */
	while (v >= 1023.95 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0 || v == (double)(uint64_t)v)
		snprintf(buf, len, "%" PRIu64 " %s", (uint64_t)v, units[u]);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

uint64_t sz_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Written once, first thing in main, before any thread. */
static uint64_t process_origin_ns, process_main_ns;

void sz_process_started(void)
{
	struct timespec cpu;
	uint64_t before = 0;

	process_main_ns = sz_now_ns();
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0)
		before = (uint64_t)cpu.tv_sec * 1000000000ULL + (uint64_t)cpu.tv_nsec;
	process_origin_ns = before < process_main_ns ? process_main_ns - before : process_main_ns;
}

uint64_t sz_process_origin_ns(void)
{
	return process_origin_ns;
}

uint64_t sz_process_main_ns(void)
{
	return process_main_ns;
}

bool sz_str_has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Make a container path absolute and free of "." and ".." (lexically, like
 * Docker's filepath.Clean): "/../../tmp/x" becomes "/tmp/x". The runtime
 * also resolves symlinks inside the root, so neither can leave it. */
char *sz_clean_container_path(const char *path)
{
	char *out = sz_xmalloc(strlen(path) + 2);
	size_t len = 0;
	const char *p = path;

	while (*p != '\0') {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.')) {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			while (len > 0 && out[--len] != '/')
				;
		} else {
			out[len++] = '/';
			memcpy(out + len, p, n);
			len += n;
		}
		p += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return out;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **sz_read_dir_sorted(int dirfd, size_t *n, sz_error_t *err)
{
	int fd = dup(dirfd);
	cleanup_dir DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **names = sz_xcalloc(1, sizeof(*names));
	size_t cap = 1;
	struct dirent *de;

	*n = 0;
	if (d == NULL) {
		if (fd >= 0)
			close(fd);
		free(names);
		sz_error_make(err, errno, _("cannot read a directory"));
		return NULL;
	}
	rewinddir(d); /* the descriptor is shared with dirfd: its position too */
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n + 1 >= cap) {
			cap *= 2;
			names = sz_xrealloc(names, cap * sizeof(*names));
		}
		names[(*n)++] = sz_xstrdup(de->d_name);
		names[*n] = NULL;
	}
	if (errno != 0) {
		sz_error_make(err, errno, _("cannot read a directory"));
		sz_free_names(names, *n);
		return NULL;
	}
	qsort(names, *n, sizeof(*names), by_name);
	return names;
}

void sz_free_names(char **names, size_t n)
{
	for (size_t i = 0; names != NULL && i < n; i++)
		free(names[i]);
	free(names);
}
