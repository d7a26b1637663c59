/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archive_dl.h - libarchive, loaded when an image command first needs it */
#ifndef SZ_ARCHIVE_DL_H
#define SZ_ARCHIVE_DL_H

#include <archive.h>
#include <archive_entry.h>

#include "common/error.h"

/*
 * libarchive and the libraries it links (libxml2 and ICU among them) cost
 * every start of a program that links them about 4.7 ms on the reference
 * machine, three times what all of `stanza --version` costs; statically they
 * add 30 MB. Only image import, export and build use it, so it is loaded
 * with dlopen the first time one of them does (as systemd loads it), and
 * called through this table. The header still comes from libarchive-dev, so
 * the compiler checks every call against libarchive's own prototypes.
 */
struct sz_archive_api {
#define SZ_AR_FN(name) __typeof__(name) *name
	SZ_AR_FN(archive_read_new);
	SZ_AR_FN(archive_read_support_filter_gzip);
	SZ_AR_FN(archive_read_support_filter_zstd);
	SZ_AR_FN(archive_read_support_filter_none);
	SZ_AR_FN(archive_version_number);
	SZ_AR_FN(archive_version_string);
	SZ_AR_FN(archive_entry_xattr_reset);
	SZ_AR_FN(archive_entry_xattr_next);
	SZ_AR_FN(archive_entry_xattr_clear);
	SZ_AR_FN(archive_entry_xattr_add_entry);
	SZ_AR_FN(archive_read_support_format_tar);
	SZ_AR_FN(archive_read_support_format_raw);
	SZ_AR_FN(archive_read_open_fd);
	SZ_AR_FN(archive_read_next_header);
	SZ_AR_FN(archive_read_data_block);
	SZ_AR_FN(archive_read_free);
	SZ_AR_FN(archive_error_string);
	SZ_AR_FN(archive_errno);
	SZ_AR_FN(archive_filter_code);
	SZ_AR_FN(archive_entry_pathname);
	SZ_AR_FN(archive_entry_set_pathname);
	SZ_AR_FN(archive_entry_hardlink);
	SZ_AR_FN(archive_entry_set_hardlink);
	SZ_AR_FN(archive_entry_symlink);
	SZ_AR_FN(archive_entry_filetype);
	SZ_AR_FN(archive_entry_size);
	SZ_AR_FN(archive_entry_mode);
	SZ_AR_FN(archive_write_disk_new);
	SZ_AR_FN(archive_write_disk_set_options);
	SZ_AR_FN(archive_write_header);
	SZ_AR_FN(archive_write_data_block);
	SZ_AR_FN(archive_write_finish_entry);
	SZ_AR_FN(archive_write_close);
	SZ_AR_FN(archive_write_free);
	SZ_AR_FN(archive_write_new);
	SZ_AR_FN(archive_write_set_format_pax_restricted);
	SZ_AR_FN(archive_write_open_fd);
	SZ_AR_FN(archive_write_data);
	SZ_AR_FN(archive_entry_new);
	SZ_AR_FN(archive_entry_free);
	SZ_AR_FN(archive_entry_set_size);
	SZ_AR_FN(archive_entry_set_filetype);
	SZ_AR_FN(archive_entry_set_perm);
	SZ_AR_FN(archive_entry_set_mtime);
	SZ_AR_FN(archive_entry_set_uid);
	SZ_AR_FN(archive_entry_set_gid);
	SZ_AR_FN(archive_entry_copy_stat);
	SZ_AR_FN(archive_entry_unset_atime);
	SZ_AR_FN(archive_entry_unset_ctime);
	SZ_AR_FN(archive_entry_unset_birthtime);
	SZ_AR_FN(archive_entry_set_symlink);
#undef SZ_AR_FN
};

/* The table, loading libarchive on the first call; NULL and err set (naming
 * the package to install) when it cannot be loaded. */
const struct sz_archive_api *sz_archive_api(sz_error_t *err);

#endif
