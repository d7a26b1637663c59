/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_spec.c - `stanza spec`: a config.json for an OCI bundle, with stanza's defaults (as `runc spec`) */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "oci/spec.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza spec [--rootless] [-b|--bundle DIR]\n"
	        "\n"
	        "Write DIR/config.json (default: ./config.json): an OCI runtime configuration,\n"
	        "as 'runc spec' writes one, holding what stanza's runtime does by default: its\n"
	        "11 capabilities, Docker's masked and read-only paths, its seccomp profile, its\n"
	        "mounts and namespaces. The bundle's root is DIR/rootfs. An existing\n"
	        "config.json is never replaced.\n"
	        "\n"
	        "Options:\n"
	        "      --rootless         for a user without root: a user namespace mapping you\n"
	        "                         to root inside\n"
	        "  -b, --bundle DIR       the bundle directory (default: the current one)\n"
	        "  -h, --help             show this help\n"),
	      out);
}

int cmd_spec(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"rootless", no_argument, NULL, 'r'},
	    {"bundle", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *bundle = ".";
	bool rootless = false;
	cleanup_json json_t *spec = NULL;
	cleanup_free char *path = NULL;
	cleanup_free char *text = NULL;
	cleanup_free char *line = NULL;
	struct stat st;
	sz_error_t err = NULL;
	int opt;

	(void)cli;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":b:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': rootless = true; break;
		case 'b': bundle = optarg; break;
		case 'h': usage(stdout); return SZ_EXIT_OK;
		default:
			sz_error_say(opt == ':' ? _("option '%s' needs a value (see 'stanza spec --help')")
			                        : _("unknown option '%s' (see 'stanza spec --help')"),
			             argv[optind - 1]);
			return SZ_EXIT_USAGE;
		}
	}
	if (optind != argc) {
		sz_error_say(_("unexpected '%s' (see 'stanza spec --help')"), argv[optind]);
		return SZ_EXIT_USAGE;
	}
	if (stat(bundle, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sz_error_say(_("the bundle '%s' is not a directory"), bundle);
		return SZ_EXIT_FAIL;
	}
	path = sz_asprintf("%s/config.json", bundle);
	if (access(path, F_OK) == 0) {
		sz_error_say(_("'%s' exists: remove it first (stanza spec never replaces one)"), path);
		return SZ_EXIT_FAIL;
	}
	spec = sz_oci_default_spec(rootless, getuid(), getgid());
	text = json_dumps(spec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL) {
		sz_error_say(_("cannot write the configuration: out of memory"));
		return SZ_EXIT_FAIL;
	}
	line = sz_asprintf("%s\n", text);
	if (sz_write_file_atomic(path, line, strlen(line), 0644, &err) < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	return SZ_EXIT_OK;
}
