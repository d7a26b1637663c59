/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_host.c - the one door from the front ends to the labs: load them, report their problems, probe the host
 */
#include "labs/lab_host.h"

#include <stdlib.h>

#include "common/i18n.h"
#include "common/util.h"
#include "course/course.h"
#include "runtime/probe.h"
#include "runtime/runtime.h"

struct sz_lab_host {
	struct sz_labs labs;
	const char *images_dir;
	const char *command;
	bool probed; /* probe and paths are filled */
	struct sz_probe probe;
	struct sz_paths paths;
};

/* The labs' problems, printed to out when there is one, as one error. */
static int load_labs(struct sz_lab_host *h, const struct sz_lab_host_options *o, sz_error_t *err)
{
	struct sz_diags diags = {0};
	size_t n;

	if (sz_labs_load_all(o->content_dir, o->course, &h->labs, &diags, err) == 0)
		return 0;
	n = diags.n;
	if (*err == NULL && o->diags != NULL) {
		sz_diags_print(&diags, o->diags);
		sz_error_make(
		    err, 0,
		    Q_("the labs have %zu problem (see above)", "the labs have %zu problems (see above)", n),
		    n);
	} else if (*err == NULL) {
		sz_error_make(err, 0,
		              Q_("the labs have %zu problem (see 'stanza lessons check')",
		                 "the labs have %zu problems (see 'stanza lessons check')", n),
		              n);
	}
	sz_diags_release(&diags);
	return -1;
}

int sz_lab_host_open(struct sz_lab_host **out, const struct sz_lab_host_options *o, sz_error_t *err)
{
	struct sz_lab_host *h = *out = sz_xcalloc(1, sizeof(*h));

	h->images_dir = o->images_dir;
	h->command = o->command;
	if (load_labs(h, o, err) < 0)
		return -1;
	return o->probe ? sz_lab_host_probe(h, err) : 0;
}

void sz_lab_host_free(struct sz_lab_host *h)
{
	if (h == NULL)
		return;
	sz_labs_release(&h->labs);
	if (h->probed) {
		sz_probe_release(&h->probe);
		sz_paths_release(&h->paths);
	}
	free(h);
}

const struct sz_labs *sz_lab_host_labs(const struct sz_lab_host *h)
{
	return &h->labs;
}

int sz_lab_host_probe(struct sz_lab_host *h, sz_error_t *err)
{
	struct sz_probe_options o;

	if (h->probed)
		return 0;
	sz_probe_options_init(&o);
	o.images_dir = h->images_dir;
	o.command = h->command;
	if (sz_probe_run(&h->probe, &o, err) < 0)
		return -1;
	if (sz_paths_default(&h->paths, h->images_dir, err) < 0) {
		sz_probe_release(&h->probe);
		return -1;
	}
	h->probed = true;
	return 0;
}

char *sz_lab_host_skip_reason(const struct sz_lab_host *h, const struct sz_lab *lab)
{
	return h->probed ? sz_lab_skip_reason(lab, &h->probe) : NULL;
}

void sz_lab_host_live_options(const struct sz_lab_host *h, struct sz_live_lab_options *o)
{
	sz_live_lab_options_init(o);
	o->paths = h->probed ? &h->paths : NULL;
	o->probe = h->probed ? &h->probe : NULL;
}

void sz_lab_host_engine_init(const struct sz_lab_host *h, struct sz_lab_engine *e)
{
	sz_lab_engine_init(e);
	e->paths = h->probed ? &h->paths : NULL;
	e->probe = h->probed ? &h->probe : NULL;
}
