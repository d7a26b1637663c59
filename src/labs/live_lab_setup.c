/* SPDX-License-Identifier: GPL-3.0-or-later */
/* live_lab_setup.c - a live lab's work directory, container and shell session: made at its start, gone at its
 * end */
#include <errno.h>

#include "common/error.h"
#include "common/i18n.h"
#include "labs/live_lab_internal.h"

/*
 * The engine's set-up and tear-down (engine.c), with the learner's terminal
 * type and size for the session instead of the engine's dumb 120x40.
 */

int sz_live_lab_set_up(struct sz_live_lab_run *lr, const struct sz_live_lab_options *opts, sz_error_t *err)
{
	struct sz_session_options o;

	sz_session_options_init(&o);
	o.user = lr->run.lab->container.user;
	o.term = opts->term;
	o.columns = opts->columns;
	o.rows = opts->rows;
	if (sz_lab_run_set_up(&lr->run, &o, err) < 0)
		return -1;
	/* A stop signal during the set-up leaves the session unopened. */
	if (lr->run.session == NULL)
		return sz_error_make(err, EINTR, _("interrupted"));
	return 0;
}

void sz_live_lab_tear_down(struct sz_live_lab_run *lr)
{
	sz_error_t err = NULL;

	/* Nothing is left to tell the learner at this point: a container that
	 * cannot be removed is collected by the next stanza. */
	if (sz_lab_run_tear_down(&lr->run, &err) < 0)
		sz_error_release(&err);
}
