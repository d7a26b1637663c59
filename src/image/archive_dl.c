/* SPDX-License-Identifier: GPL-3.0-or-later */
/* archive_dl.c - libarchive through dlopen: loaded once, by the commands that read or write tars */
#include "image/archive_dl.h"

#include <dlfcn.h>
#include <stddef.h>

#include "common/i18n.h"

/* The soname Debian 12's libarchive13 installs (ABI 13 since libarchive 3.0). */
#define LIBARCHIVE_SONAME "libarchive.so.13"

static struct sz_archive_api api;
static int loaded; /* 1 once every symbol is in api */

#define SZ_AR_SYM(name)                                                                                      \
	{                                                                                                    \
#name, offsetof(struct sz_archive_api, name)                                                 \
	}

static const struct {
	const char *name;
	size_t offset;
} symbols[] = {
    SZ_AR_SYM(archive_read_new),
    SZ_AR_SYM(archive_read_support_filter_gzip),
    SZ_AR_SYM(archive_read_support_filter_zstd),
    SZ_AR_SYM(archive_read_support_filter_none),
    SZ_AR_SYM(archive_version_number),
    SZ_AR_SYM(archive_version_string),
    SZ_AR_SYM(archive_entry_xattr_reset),
    SZ_AR_SYM(archive_entry_xattr_next),
    SZ_AR_SYM(archive_entry_xattr_clear),
    SZ_AR_SYM(archive_entry_xattr_add_entry),
    SZ_AR_SYM(archive_read_support_format_tar),
    SZ_AR_SYM(archive_read_support_format_raw),
    SZ_AR_SYM(archive_read_open_fd),
    SZ_AR_SYM(archive_read_next_header),
    SZ_AR_SYM(archive_read_data_block),
    SZ_AR_SYM(archive_read_free),
    SZ_AR_SYM(archive_error_string),
    SZ_AR_SYM(archive_errno),
    SZ_AR_SYM(archive_filter_code),
    SZ_AR_SYM(archive_entry_pathname),
    SZ_AR_SYM(archive_entry_set_pathname),
    SZ_AR_SYM(archive_entry_hardlink),
    SZ_AR_SYM(archive_entry_set_hardlink),
    SZ_AR_SYM(archive_entry_symlink),
    SZ_AR_SYM(archive_entry_filetype),
    SZ_AR_SYM(archive_entry_size),
    SZ_AR_SYM(archive_entry_mode),
    SZ_AR_SYM(archive_write_disk_new),
    SZ_AR_SYM(archive_write_disk_set_options),
    SZ_AR_SYM(archive_write_header),
    SZ_AR_SYM(archive_write_data_block),
    SZ_AR_SYM(archive_write_finish_entry),
    SZ_AR_SYM(archive_write_close),
    SZ_AR_SYM(archive_write_free),
    SZ_AR_SYM(archive_write_new),
    SZ_AR_SYM(archive_write_set_format_pax_restricted),
    SZ_AR_SYM(archive_write_open_fd),
    SZ_AR_SYM(archive_write_data),
    SZ_AR_SYM(archive_entry_new),
    SZ_AR_SYM(archive_entry_free),
    SZ_AR_SYM(archive_entry_set_size),
    SZ_AR_SYM(archive_entry_set_filetype),
    SZ_AR_SYM(archive_entry_set_perm),
    SZ_AR_SYM(archive_entry_set_mtime),
    SZ_AR_SYM(archive_entry_set_uid),
    SZ_AR_SYM(archive_entry_set_gid),
    SZ_AR_SYM(archive_entry_copy_stat),
    SZ_AR_SYM(archive_entry_unset_atime),
    SZ_AR_SYM(archive_entry_unset_ctime),
    SZ_AR_SYM(archive_entry_unset_birthtime),
    SZ_AR_SYM(archive_entry_set_symlink),
};

const struct sz_archive_api *sz_archive_api(sz_error_t *err)
{
	void *handle;

	if (loaded == 1)
		return &api;
	handle = dlopen(LIBARCHIVE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (handle == NULL) {
		sz_error_make(err, 0, _("cannot load %s (%s): install the libarchive13 package"),
		              LIBARCHIVE_SONAME, dlerror());
		return NULL;
	}
	for (size_t i = 0; i < sizeof(symbols) / sizeof(symbols[0]); i++) {
		void *fn = dlsym(handle, symbols[i].name);

		if (fn == NULL) {
			sz_error_make(err, 0, _("%s has no %s: libarchive 3 is needed"), LIBARCHIVE_SONAME,
			              symbols[i].name);
			dlclose(handle);
			return NULL;
		}
		*(void **)((char *)&api + symbols[i].offset) = fn;
	}
	/* Before 3.6.0 the permissions and times set when extraction ends
	 * followed symbolic links a tar had put in place (CVE-2021-31566). */
	if (api.archive_version_number() < 3006000) {
		sz_error_make(err, 0,
		              _("%s is libarchive %s: stanza needs 3.6.0 or later, whose extraction does not "
		                "follow a link a tar made (CVE-2021-31566)"),
		              LIBARCHIVE_SONAME, api.archive_version_string());
		dlclose(handle);
		return NULL;
	}
	loaded = 1;
	return &api;
}
