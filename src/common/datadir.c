/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir.c - locate the image, content and translations */
#include "common/datadir.h"

#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/selfexe.h"
#include "common/util.h"
#include "config.h"

static int is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void set_all(struct sz_datadir *dd, char *images, char *content, char *locale)
{
	dd->images = images;
	dd->content = content;
	dd->locale = locale;
}

void sz_datadir_find(struct sz_datadir *dd)
{
	const char *env = getenv("STANZA_DATADIR");
	char exe[PATH_MAX];
	size_t n;

	if (env != NULL && *env != '\0') {
		const char *loc = getenv("STANZA_LOCALEDIR");
		set_all(dd, sz_asprintf("%s/images", env), sz_xstrdup(env),
		        sz_xstrdup(loc != NULL && *loc != '\0' ? loc : STANZA_LOCALEDIR));
		return;
	}
	n = strlen(sz_self_exe());
	if (n > 0 && n < sizeof(exe)) {
		char *dir;
		memcpy(exe, sz_self_exe(), n + 1);
		dir = dirname(exe);
		if (strcmp(dir, STANZA_BUILD_DIR) == 0) {
			set_all(dd, sz_xstrdup(STANZA_BUILD_DIR "/images"), sz_xstrdup(STANZA_SOURCE_DIR),
			        sz_xstrdup(STANZA_BUILD_DIR "/locale"));
			return;
		}
		{
			cleanup_free char *share = sz_asprintf("%s/../share/stanza", dir);
			if (is_dir(share)) {
				set_all(dd, sz_asprintf("%s/images", share), sz_xstrdup(share),
				        sz_asprintf("%s/../share/locale", dir));
				return;
			}
		}
	}
	set_all(dd, sz_xstrdup(STANZA_DATADIR "/images"), sz_xstrdup(STANZA_DATADIR),
	        sz_xstrdup(STANZA_LOCALEDIR));
}

void sz_datadir_release(struct sz_datadir *dd)
{
	free(dd->images);
	free(dd->content);
	free(dd->locale);
	set_all(dd, NULL, NULL, NULL);
}
