/* SPDX-License-Identifier: GPL-3.0-or-later */
/* datadir.h - where stanza's image, content and translations are: installed or in the build tree */
#ifndef SZ_DATADIR_H
#define SZ_DATADIR_H

/*
 * Found in this order:
 *  1. $STANZA_DATADIR (images/, lessons/, labs/ below it; locale from $STANZA_LOCALEDIR);
 *  2. the build tree, when the running binary is the one in it
 *     (images and locale in the build directory, content in the source tree);
 *  3. relative to the binary: <bindir>/../share/stanza, so a DESTDIR or a moved
 *     prefix works;
 *  4. the configured install prefix.
 */
struct sz_datadir {
	char *images;  /* directory of images: images/<name>/rootfs */
	char *content; /* directory holding lessons/ and labs/ */
	char *locale;  /* directory of <lang>/LC_MESSAGES/stanza.mo */
};

void sz_datadir_find(struct sz_datadir *dd);
void sz_datadir_release(struct sz_datadir *dd);

#endif
