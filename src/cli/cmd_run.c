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
#include "common/util.h"
#include "runtime/runtime.h"

static void run_usage(FILE *out)
{
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
	        "      --image NAME|PATH    image name or root directory (default: busybox)\n"
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

int cmd_run(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_run_options o = {0};
	struct sz_paths paths = {0};
	struct sz_result res;
	sz_error_t err = NULL;
	int status = SZ_EXIT_STANZA;

	sz_spec_init(&o.spec);
	if (sz_run_options_parse(&o, argc, argv, &err) < 0)
		goto out;
	if (o.help) {
		run_usage(stdout);
		status = SZ_EXIT_OK;
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
	return status;
}
