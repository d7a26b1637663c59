/* i18n.h - gettext plumbing: _() for messages, N_() for static tables */
#ifndef SZ_I18N_H
#define SZ_I18N_H

#include <libintl.h>

#define _(s)             gettext(s)
#define N_(s)            (s)
#define Q_(one, many, n) ngettext(one, many, n)

/* Bind the "stanza" text domain to the first locale directory that exists
 * (STANZA_LOCALEDIR, then the installed one, then the build tree's) and set
 * the locale from the environment, falling back to C.UTF-8 when the user's
 * locale is not installed. */
void sz_i18n_init(const char *localedir);

#endif
