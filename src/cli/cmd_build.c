/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_build.c - `stanza build`: an image from a Containerfile, into the image store */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "common/i18n.h"
#include "common/util.h"
#include "image/build.h"
#include "image/store.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza build [-f FILE] [-t NAME[:TAG]] [--build-arg K=V]... CONTEXT\n"
	        "\n"
	        "Build an image from a Containerfile (or Dockerfile) into your image store\n"
	        "(see 'stanza image'). Each RUN runs in a stanza container over the layers\n"
	        "so far, and what it changed becomes the next layer; COPY takes files from\n"
	        "CONTEXT. A RUN or COPY whose layers below, instruction, environment and\n"
	        "files are those of an earlier build reuses its layer, and says so.\n"
	        "\n"
	        "Instructions: FROM (an image of the store, or scratch), RUN, COPY\n"
	        "[--chown=UID:GID], ENV, ARG, WORKDIR, USER, LABEL, EXPOSE, ENTRYPOINT, CMD.\n"
	        "\n"
	        "Options:\n"
	        "  -f, --file FILE        the Containerfile (default: CONTEXT/Containerfile,\n"
	        "                         else CONTEXT/Dockerfile)\n"
	        "  -t, --tag NAME[:TAG]   the image's name (default: none, by its digest)\n"
	        "      --build-arg K=V    a value for ARG K\n"
	        "  -h, --help             show this help\n"),
	      out);
}

int cmd_build(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"file", required_argument, NULL, 'f'},
	    {"tag", required_argument, NULL, 't'},
	    {"build-arg", required_argument, NULL, 'a'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct sz_build_options o = {.log = stdout, .images_dir = cli->data.images};
	char **args = sz_xcalloc((size_t)argc + 1, sizeof(char *));
	size_t n_args = 0;
	struct sz_store s;
	sz_error_t err = NULL;
	char digest[SZ_DIGEST_LEN];
	int opt, status = SZ_EXIT_FAIL;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":f:t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': o.file = optarg; break;
		case 't': o.tag = optarg; break;
		case 'a':
			if (strchr(optarg, '=') == NULL || optarg[0] == '=') {
				sz_error_say(_("--build-arg %s: give KEY=VALUE"), optarg);
				free(args);
				return SZ_EXIT_USAGE;
			}
			args[n_args++] = optarg;
			break;
		case 'h':
			usage(stdout);
			free(args);
			return SZ_EXIT_OK;
		default:
			sz_error_say(opt == ':' ? _("option '%s' needs a value (see 'stanza build --help')")
			                        : _("unknown option '%s' (see 'stanza build --help')"),
			             argv[optind - 1]);
			free(args);
			return SZ_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		sz_error_say(_("give one CONTEXT directory (see 'stanza build --help')"));
		free(args);
		return SZ_EXIT_USAGE;
	}
	o.context = argv[optind];
	o.build_args = args;
	if (sz_store_open(&s, NULL, true, &err) == 0 && sz_image_build(&s, &o, digest, &err) == 0) {
		printf(_("built %s (%.19s…)\n"), o.tag ? o.tag : _("an image without a name"), digest);
		status = SZ_EXIT_OK;
	}
	sz_error_print_release(&err);
	sz_store_close(&s);
	free(args);
	return status;
}
