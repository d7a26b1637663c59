/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.h - allocation, files, numbers and durations: small helpers every layer uses */
#ifndef SZ_UTIL_H
#define SZ_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/error.h"

/* Allocation that aborts on exhaustion: a tutorial has no better answer. */
void *sz_xmalloc(size_t n);
void *sz_xcalloc(size_t n, size_t size);
void *sz_xrealloc(void *p, size_t n);
char *sz_xstrdup(const char *s);
char *sz_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *sz_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Write all of data to path (created with mode, truncated), retrying on EINTR.
 * Errors name the path. */
int sz_write_file(const char *path, const char *data, size_t len, mode_t mode, sz_error_t *err);
/* Like sz_write_file but relative to dirfd, without O_CREAT: for kernel files
 * (cgroup, proc) that exist already. */
int sz_write_file_at(int dirfd, const char *name, const char *data, size_t len, sz_error_t *err);
/* Write through a temporary file in the same directory and rename(2), so
 * readers see the old contents or the new, never half. The file is synced
 * before the rename and the directory after it, so a crash keeps one whole
 * version. A failure before the rename removes the temporary file and leaves
 * path untouched; only a failed sync of the directory comes after it. */
int sz_write_file_atomic(const char *path, const char *data, size_t len, mode_t mode, sz_error_t *err);
/* Read the whole file into a NUL-terminated buffer the caller frees.
 * *len (if not NULL) gets the length without the NUL. */
int sz_read_file(const char *path, char **out, size_t *len, sz_error_t *err);
int sz_read_file_at(int dirfd, const char *name, char **out, size_t *len, sz_error_t *err);

/* write(2)/read(2) the whole buffer, retrying on EINTR and short counts.
 * Return 0 or -1 with errno set. */
int sz_write_all(int fd, const void *buf, size_t len);
ssize_t sz_read_all(int fd, void *buf, size_t len);

/* mkdir -p with mode for every created component. */
int sz_mkdir_p(const char *path, mode_t mode, sz_error_t *err);

/* Remove name under dirfd and everything below it without ever following a
 * symbolic link (links are unlinked, not entered) and without crossing into
 * another mount. Missing is not an error. */
int sz_rm_rf_at(int dirfd, const char *name, sz_error_t *err);

/* "32M", "1g", "512k", "100000" (bytes) -> bytes. Binary units (K = 1024),
 * optional trailing "b"/"B", optional "i" ("32Mi"). Rejects 0, negatives,
 * junk and overflow. */
int sz_parse_size(const char *text, uint64_t *out, sz_error_t *err);
/* "10s", "500ms", "2m", "1h", "1.5s", plain "3" (seconds) -> nanoseconds. */
int sz_parse_duration(const char *text, uint64_t *out_ns, sz_error_t *err);
/* A positive decimal with up to three decimals: "0.5", "2" -> thousandths. */
int sz_parse_fraction(const char *text, uint64_t *out_milli, sz_error_t *err);
/* Whole number in [min, max]. */
int sz_parse_uint(const char *text, uint64_t min, uint64_t max, uint64_t *out, sz_error_t *err);

/* Human-readable size: "32 MiB", "1.5 GiB", "512 B". Returns buf. */
const char *sz_format_size(uint64_t bytes, char *buf, size_t len);

uint64_t sz_now_ns(void); /* CLOCK_MONOTONIC */
/* Called first thing in main: remembers when main began, and when the
 * process began, estimated as main's start less the CPU time spent before
 * it (execve and dynamic linking; a preempted start is underestimated). */
void sz_process_started(void);
/* The estimated start of the process and main's start (sz_now_ns() units;
 * 0 when sz_process_started was not called). */
uint64_t sz_process_origin_ns(void);
uint64_t sz_process_main_ns(void);

bool sz_str_has_prefix(const char *s, const char *prefix);

/* "/../a/./b/" -> "/a/b": absolute, no "." or ".." (lexically, like Docker's
 * filepath.Clean; a relative path is taken from "/"). Returns a new string. */
char *sz_clean_container_path(const char *path);

/* The names in the directory dirfd, but "." and "..", sorted with strcmp
 * (so that what is made from them does not depend on the directory's
 * order); NULL-terminated, *n of them. Free with sz_free_names. */
char **sz_read_dir_sorted(int dirfd, size_t *n, sz_error_t *err);
void sz_free_names(char **names, size_t n);

#endif
