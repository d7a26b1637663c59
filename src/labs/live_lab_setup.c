/* live_lab_setup.c - a live lab's work directory, container and shell session: made at its start, gone at its
 * end */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/selfexe.h"
#include "common/i18n.h"
#include "common/util.h"
#include "labs/live_lab_internal.h"

/*
 * The engine's own set-up (engine.c) is private to sz_lab_play and opens
 * the session with a dumb 120x40 terminal; a learner's session gets their
 * terminal type and size. The container is made exactly as the engine
 * makes it, from the lab's spec.
 */

static char *self_exe(void)
{
	const char *exe = sz_self_exe();

	return sz_xstrdup(*exe != '\0' ? exe : "stanza");
}

static void spec_volumes(const struct sz_lab_run *run, struct sz_volume *vols)
{
	const struct sz_lab_container *lc = &run->lab->container;

	for (size_t i = 0; i < lc->n_volumes; i++) {
		vols[i].host = sz_asprintf("%s/%s", run->wd.path, lc->volumes[i].host);
		vols[i].container = lc->volumes[i].container;
		vols[i].read_only = lc->volumes[i].read_only;
	}
}

static int create_container(struct sz_lab_run *run, sz_error_t *err)
{
	const struct sz_lab_container *lc = &run->lab->container;
	struct sz_volume *vols = sz_xcalloc(lc->n_volumes + 1, sizeof(*vols));
	char *argv[] = {"sleep", "2147483647", NULL};
	cleanup_close int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct sz_spec spec;
	int r;

	spec_volumes(run, vols);
	sz_spec_init(&spec);
	spec.image = lc->image;
	spec.argv = argv;
	spec.hostname = lc->hostname;
	spec.user = lc->user;
	spec.volumes = vols;
	spec.n_volumes = lc->n_volumes;
	spec.limits = lc->limits;
	spec.net = lc->net;
	spec.read_only = lc->read_only;
	spec.stdio[0] = spec.stdio[1] = spec.stdio[2] = null;
	r = sz_create(&spec, run->e->paths, &run->h, err);
	for (size_t i = 0; i < lc->n_volumes; i++)
		free(vols[i].host);
	free(vols);
	return r < 0 ? sz_error_wrap(err, _("cannot start the lab's container")) : 0;
}

static int open_session(struct sz_lab_run *run, const struct sz_live_lab_options *opts, sz_error_t *err)
{
	struct sz_session_options o;

	sz_session_options_init(&o);
	o.user = run->lab->container.user;
	o.term = opts->term;
	o.columns = opts->columns;
	o.rows = opts->rows;
	if (sz_session_open(run->h, &o, &run->session, err) < 0)
		return sz_error_wrap(err, _("cannot open the lab's shell session"));
	return 0;
}

int sz_live_lab_set_up(struct sz_live_lab_run *lr, const struct sz_live_lab_options *opts, sz_error_t *err)
{
	struct sz_lab_run *run = &lr->run;

	run->stanza_exe = run->e->stanza_exe != NULL ? sz_xstrdup(run->e->stanza_exe) : self_exe();
	run->host_hostname = sz_host_hostname();
	if (sz_workdir_make(&run->wd, run->e->tmp_dir, run->lab, err) < 0 || create_container(run, err) < 0)
		return -1;
	run->kernel = (struct sz_lab_kernel){run->h, run->wd.fd, run->e->sigfd, 0};
	run->env = (struct sz_check_env){&sz_lab_kernel_ops, &run->kernel, run->host_hostname};
	return open_session(run, opts, err);
}

void sz_live_lab_tear_down(struct sz_live_lab_run *lr)
{
	struct sz_lab_run *run = &lr->run;
	sz_error_t err = NULL;

	sz_session_close(run->session);
	run->session = NULL;
	/* Nothing is left to tell the learner at this point: a container that
	 * cannot be removed is collected by the next stanza. */
	if (run->h != NULL && sz_destroy(run->h, NULL, &err) < 0)
		sz_error_release(&err);
	run->h = NULL;
	if (sz_workdir_remove(&run->wd, &err) < 0)
		sz_error_release(&err);
	free(run->host_hostname);
	free(run->stanza_exe);
	run->host_hostname = run->stanza_exe = NULL;
}
