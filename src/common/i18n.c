/* i18n.c - locale set-up with a fallback for hosts without the user's locale */
#include "common/i18n.h"

#include <locale.h>
#include <stdlib.h>

void sz_i18n_init(const char *localedir)
{
	if (setlocale(LC_ALL, "") == NULL)
		setlocale(LC_ALL, "C.UTF-8");
	if (localedir != NULL)
		bindtextdomain("stanza", localedir);
	bind_textdomain_codeset("stanza", "UTF-8");
	textdomain("stanza");
}
