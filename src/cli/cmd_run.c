/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_run.c - `stanza run`: parse options into a container spec, run it, report like docker run */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/run_options.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "image/builtin.h"
#include "runtime/runtime.h"

static void run_usage(FILE *out)
{
	sz_oci_run_usage(out);
	fputs("\n", out);
	fputs(_("Usage: stanza run [OPTIONS] [--] COMMAND [ARG...]\n"
	        "\n"
	        "Run COMMAND in a new container: its own PID, mount, UTS, IPC, network and\n"
	        "cgroup namespaces, a copy-on-write root over the image, limits in a cgroup.\n"
	        "\n"
	        "Options:\n"
	        "      --memory SIZE        memory limit (512k, 32M, 1G); swap cannot extend it\n"
	        "      --pids N             at most N processes and threads\n"
	        "      --cpus FRACTION      CPU time limit in CPUs (0.5 = half of one CPU)\n"
	        "      --hostname NAME      the container's host name (default: stanza)\n"
	        "  -v, --volume HOST:CONTAINER[:ro]\n"
	        "                           bind a host file or directory into the container\n"
	        "      --user NAME|UID[:GID]\n"
	        "                           run as this user of the image (default: root)\n"
	        "  -e, --env K=V            set a variable (K alone: take the host's value)\n"
	        "  -w, --workdir DIR        working directory inside the container (default: /)\n"
	        "      --net none|host      own network with only lo (default), or the host's\n"
	        "      --read-only          read-only root filesystem (no copy-on-write layer)\n"
	        "      --timeout DURATION   stop the container after DURATION (500ms, 10s, 2m)\n"
	        "  -t, --tty                give the command a terminal (shells, job control)\n"
	        "      --init               PID 1 is stanza's init: it reaps orphans and passes\n"
	        "                           signals on to COMMAND (docker run --init)\n"
	        "      --trace              print each setup step with its time on stderr\n"
	        "      --image NAME|PATH    an image of the store (see 'stanza image'), a built-in\n"
	        "                           image, or a root directory (default: busybox). With\n"
	        "                           an image named, COMMAND may be left out: its\n"
	        "                           Entrypoint and Cmd run, as with docker run\n"
	        "      --entrypoint CMD     replace the image's Entrypoint ('' removes it)\n"
	        "  -h, --help               show this help\n"
	        "\n"
	        "Exit status:\n"
	        "  the command's own status when it exits; 128+N when signal N ended it\n"
	        "  137 when the kernel killed it for exceeding --memory (stanza says so)\n"
	        "  124 when --timeout expired; 125 when stanza itself failed (a bad option,\n"
	        "  or the host cannot do what was asked)\n"
	        "  126 when the command cannot be executed; 127 when it is not found\n"),
	      out);
}

static const char *signal_name(int sig)
{
	const char *abbrev = sigabbrev_np(sig);
	static char buf[32];

	snprintf(buf, sizeof(buf), "SIG%s", abbrev ? abbrev : "?");
	return buf;
}

static void report(const struct sz_run_options *o, const struct sz_result *res)
{
	char size[32];

	if (res->oom_killed)
		sz_error_say(
		    _("the kernel killed a process in the container for exceeding its memory limit of %s "
		      "(OOM kill)"),
		    sz_format_size(o->spec.limits.memory_bytes, size, sizeof(size)));
	if (res->timed_out)
		sz_error_say(_("the command ran longer than --timeout %s and was stopped"), o->timeout_text);
	if (res->interrupted)
		sz_error_say(_("interrupted by %s; the container was stopped"),
		             signal_name(res->interrupt_signal));
	if (res->exec_errno == ENOENT)
		sz_error_say(_("'%s': command not found in the container"), o->spec.argv[0]);
	else if (res->exec_errno != 0)
		sz_error_say(_("'%s' cannot be executed: %s"), o->spec.argv[0], strerror(res->exec_errno));
}

/* What a run from the image store owns while it runs. */
struct store_run {
	struct sz_image img;
	const char **argv;
	const char **env;
};

static void push_strings(const char **list, size_t *n, json_t *array)
{
	size_t i;
	json_t *v;

	json_array_foreach (array, i, v)
		if (json_is_string(v))
			list[(*n)++] = json_string_value(v);
}

/*
 * The image's config as docker run applies it: the command is Entrypoint
 * followed by Cmd; arguments after the options replace Cmd, --entrypoint
 * replaces Entrypoint (and then Cmd is not used); Env comes before -e, which
 * overrides it; WorkingDir and User unless -w and --user say otherwise.
 */
static int apply_image(const struct sz_cli *cli, struct sz_run_options *o, struct store_run *r,
                       sz_error_t *err)
{
	json_t *cfg, *entry, *cmd, *env;
	size_t n = 0, n_args = 0, n_env = 0;

	if (sz_image_find(NULL, cli->data.images, o->spec.image, &r->img, err) < 0)
		return -1;
	cfg = json_object_get(r->img.config, "config");
	entry = json_object_get(cfg, "Entrypoint");
	cmd = json_object_get(cfg, "Cmd");
	env = json_object_get(cfg, "Env");
	while (o->spec.argv[n_args] != NULL)
		n_args++;
	r->argv = sz_xcalloc(json_array_size(entry) + json_array_size(cmd) + n_args + 2, sizeof(char *));
	if (o->entrypoint != NULL) {
		if (o->entrypoint[0] != '\0')
			r->argv[n++] = o->entrypoint;
	} else {
		push_strings(r->argv, &n, entry);
	}
	if (n_args > 0)
		for (size_t i = 0; i < n_args; i++)
			r->argv[n++] = o->spec.argv[i];
	else if (o->entrypoint == NULL)
		push_strings(r->argv, &n, cmd);
	if (n == 0)
		return sz_error_make(
		    err, 0, _("image '%s' has no command (no Entrypoint, no Cmd): give one after --"),
		    r->img.ref);
	for (size_t i = 0; o->spec.env != NULL && o->spec.env[i] != NULL; i++)
		n_env++;
	r->env = sz_xcalloc(json_array_size(env) + n_env + 1, sizeof(char *));
	n = 0;
	push_strings(r->env, &n, env);
	for (size_t i = 0; i < n_env; i++)
		r->env[n++] = o->spec.env[i];
	o->spec.argv = (char *const *)r->argv;
	o->spec.env = (char *const *)r->env;
	if (o->spec.workdir == NULL && json_string_length(json_object_get(cfg, "WorkingDir")) > 0)
		o->spec.workdir = json_string_value(json_object_get(cfg, "WorkingDir"));
	if (o->spec.user == NULL && json_string_length(json_object_get(cfg, "User")) > 0)
		o->spec.user = json_string_value(json_object_get(cfg, "User"));
	o->spec.layers_dir = r->img.layers_dir;
	o->spec.layers = (const char *const *)r->img.layers;
	o->spec.n_layers = r->img.n_layers;
	return 0;
}

/* runc's form, `run -b DIR ID`, is told apart by its -b/--bundle among the
 * options, before the command (whose own -b is its own). */
static bool is_oci_run(int argc, char **argv)
{
	/* The friendly form's options that take a value (run_options.c). */
	static const char *const with_value[] = {"--memory", "--pids", "--cpus", "--hostname", "-v",
	                                         "--volume", "--user", "-e", "--env", "-w", "--workdir",
	                                         "--net", "--timeout", "--image", "--entrypoint",
	                                         /* and runc's, before its -b */
	                                         "--pid-file", "--console-socket", NULL};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool value = false;

		if (strcmp(a, "--") == 0 || a[0] != '-')
			return false;
		if (strcmp(a, "-b") == 0 || strcmp(a, "--bundle") == 0 || strncmp(a, "--bundle=", 9) == 0)
			return true;
		for (size_t k = 0; with_value[k] != NULL && !value; k++)
			value = strcmp(a, with_value[k]) == 0;
		if (value)
			i++; /* the option's value, whatever it looks like */
	}
	return false;
}

int cmd_run(struct sz_cli *cli, int argc, char **argv)
{
	struct store_run store = {0};
	struct sz_run_options o = {0};
	struct sz_paths paths = {0};
	struct sz_result res;
	sz_error_t err = NULL;
	int status = SZ_EXIT_STANZA;

	if (is_oci_run(argc, argv))
		return sz_oci_run(cli, argc, argv);
	sz_spec_init(&o.spec);
	if (sz_run_options_parse(&o, argc, argv, &err) < 0)
		goto out;
	if (o.help) {
		run_usage(stdout);
		status = SZ_EXIT_OK;
		goto out;
	}
	/* With no --image, a command is needed: the default image's Cmd is not
	 * run behind the learner's back. */
	if (!o.image_given && o.spec.argv[0] == NULL) {
		sz_error_make(&err, 0, _("no command given (try 'stanza run -- sh')"));
		goto out;
	}
	if (sz_image_is_name(o.spec.image)) {
		if (apply_image(cli, &o, &store, &err) < 0)
			goto out;
	} else if (o.entrypoint != NULL || o.spec.argv[0] == NULL) {
		sz_error_make(&err, 0,
		              o.entrypoint != NULL
		                  ? _("--entrypoint needs an image of the store (see 'stanza image ls')")
		                  : _("no command given (try 'stanza run -- sh')"));
		goto out;
	}
	sz_paths_default(&paths, cli->data.images, &err);
	if (sz_run(&o.spec, &paths, &res, &err) == 0) {
		report(&o, &res);
		status = sz_result_status(&res);
		sz_trace_process(o.spec.trace_fd, sz_now_ns(),
		                 "end: status %d reported, stanza returns from main", status);
	}
out:
	sz_error_print_release(&err);
	sz_paths_release(&paths);
	sz_run_options_release(&o);
	sz_image_release(&store.img);
	free(store.argv);
	free(store.env);
	return status;
}
