/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c - stanza's entry point: locate data, set the language, dispatch a subcommand */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "config.h"
#include "oci/spec.h"

struct command {
	const char *name;
	int (*fn)(struct sz_cli *cli, int argc, char **argv);
	const char *summary; /* NULL: not listed in the usage */
};

static int cmd_help(struct sz_cli *cli, int argc, char **argv);
static int cmd_version(struct sz_cli *cli, int argc, char **argv);

static const struct command commands[] = {
    {"tutor", cmd_tutor, N_("the course on the whole terminal (what 'stanza' alone starts)")},
    {"shell", cmd_shell, N_("the course line by line, for screen readers and scripts too")},
    {"lessons", cmd_lessons, N_("read the course: list its chapters, show one, check the files")},
    {"progress", cmd_progress, N_("show what you have done, or forget it")},
    {"lab", cmd_lab, N_("list, run and verify the labs, without the full-screen interface")},
    {"run", cmd_run, N_("run a command in a new container (like docker run)")},
    {"image", cmd_image, N_("import, list, inspect, export and remove OCI images")},
    {"build", cmd_build, N_("build an image from a Containerfile (like docker build)")},
    {"spec", cmd_spec, N_("write an OCI runtime config.json (like runc spec)")},
    {"create", cmd_create, N_("create a container from an OCI bundle (like runc create)")},
    {"start", cmd_start, N_("start a created container")},
    {"state", cmd_state, N_("print a container's OCI state")},
    {"kill", cmd_kill, N_("send a signal to a container")},
    {"exec", cmd_exec, N_("run a command in a container made with create (like runc exec)")},
    {"delete", cmd_delete, N_("remove a container")},
    {"ps", cmd_ps, N_("list the processes of a container")},
    {"update", cmd_update, N_("change the limits of a running container")},
    {"features", cmd_features, N_("what stanza understands as an OCI runtime, as JSON")},
    {"list", cmd_list, N_("list the containers made with create or run -b")},
    {"doctor", cmd_doctor, N_("say what this host supports and what is missing")},
    {"help", cmd_help, NULL},
    {"version", cmd_version, NULL},
};

/* The options before the command. */
struct global_options {
	const char *content;
	const char *lang;
	bool help;
	bool version;
};

static void usage(FILE *out)
{
	fprintf(out, _("Usage: stanza [--content DIR] [--lang L] COMMAND [OPTIONS]\n\n"
	               "A terminal tutorial for Linux containers, with a real container runtime inside.\n\n"
	               "Commands:\n"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i].summary != NULL)
			fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
	fprintf(out, _("\nOptions:\n"
	               "  --content DIR  read lessons/ and labs/ from DIR (default: $STANZA_CONTENT,\n"
	               "                 else the course installed with stanza)\n"
	               "  --lang L       the language of the course and of stanza (default: $STANZA_LANG,\n"
	               "                 else the locale's language if the course has it, else English)\n"
	               "  --version      print stanza's version\n"
	               "  -h, --help     show this help\n"
	               "\nrunc's global options, for the OCI commands (create ... list, run -b):\n"
	               "  --root DIR, --log FILE, --log-format text|json, --debug, --trace\n"));
	fprintf(out, _("\nRun 'stanza COMMAND --help' for a command's options.\n"));
}

/* "--name VALUE" or "--name=VALUE" at argv[*i]: 1 with *value, 0 when it is
 * another option, -1 after an error when VALUE is missing. */
static int value_option(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t len = strlen(name);

	if (strncmp(argv[*i], name, len) == 0 && argv[*i][len] == '=') {
		*value = argv[*i] + len + 1;
		return 1;
	}
	if (strcmp(argv[*i], name) != 0)
		return 0;
	if (*i + 1 >= argc) {
		sz_error_say(_("option '%s' needs a value (see 'stanza --help')"), name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

/* The options before the command; returns the command's index in argv
 * (argc when there is none), or -1 after an error. */
static int parse_global(int argc, char **argv, struct global_options *g)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		int r;

		const char *format = NULL;

		if ((r = value_option(argc, argv, &i, "--content", &g->content)) != 0 ||
		    (r = sz_cli_lang_option(argc, argv, &i, &g->lang)) != 0 ||
		    (r = value_option(argc, argv, &i, "--root", &sz_oci.root)) != 0 ||
		    (r = value_option(argc, argv, &i, "--log", &sz_oci.log)) != 0 ||
		    (r = value_option(argc, argv, &i, "--log-format", &format)) != 0) {
			if (r < 0)
				return -1;
			if (format != NULL && strcmp(format, "json") != 0 && strcmp(format, "text") != 0) {
				sz_error_say(_("--log-format '%s': give text or json"), format);
				return -1;
			}
			if (format != NULL)
				sz_oci.log_json = strcmp(format, "json") == 0;
		} else if (strcmp(argv[i], "--debug") == 0) {
			sz_oci.debug = true;
		} else if (strcmp(argv[i], "--trace") == 0) {
			sz_oci.trace = true;
		} else if (strcmp(argv[i], "--systemd-cgroup") == 0) {
			sz_error_say(_("--systemd-cgroup is not supported: stanza manages its cgroups itself "
			               "(use podman's or containerd's cgroupfs manager)"));
			return -1;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			g->help = true;
		} else if (strcmp(argv[i], "--version") == 0) {
			g->version = true;
		} else {
			sz_error_say(_("unknown option '%s' (see 'stanza --help')"), argv[i]);
			return -1;
		}
	}
	return i;
}

/* --content, else $STANZA_CONTENT, else the data dir's; one given by the
 * learner must hold lessons/. */
static int choose_content(struct sz_cli *cli, const char *option)
{
	const char *env = getenv("STANZA_CONTENT");
	const char *dir = option != NULL ? option : env != NULL && *env != '\0' ? env : NULL;
	cleanup_free char *lessons = NULL;
	struct stat st;

	if (dir == NULL) {
		cli->content = cli->data.content;
		return 0;
	}
	lessons = sz_asprintf("%s/lessons", dir);
	if (stat(lessons, &st) < 0 || !S_ISDIR(st.st_mode)) {
		sz_error_say(_("'%s' holds no course: there is no directory '%s'"), dir, lessons);
		return -1;
	}
	cli->content = dir;
	cli->content_is_own = true;
	return 0;
}

static int cmd_help(struct sz_cli *cli, int argc, char **argv)
{
	usage(stdout);
	return SZ_EXIT_OK;
}

static int cmd_version(struct sz_cli *cli, int argc, char **argv)
{
	printf("stanza %s\nspec: %s\n", STANZA_VERSION, SZ_OCI_VERSION);
	return SZ_EXIT_OK;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return &commands[i];
	return NULL;
}

static int dispatch(struct sz_cli *cli, int argc, char **argv)
{
	const struct command *c = find_command(argv[0]);

	if (c != NULL)
		return c->fn(cli, argc, argv);
	sz_error_say(_("unknown command '%s' (see 'stanza --help')"), argv[0]);
	return SZ_EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct sz_cli cli = {.progname = "stanza"};
	struct global_options g = {0};
	int first, status = SZ_EXIT_USAGE;

	sz_process_started();
	sz_datadir_find(&cli.data);
	sz_i18n_init(cli.data.locale);
	first = parse_global(argc, argv, &g);
	if (first < 0 || choose_content(&cli, g.content) < 0 || sz_cli_set_lang(&cli, g.lang) != 0)
		goto out;
	if (g.version) {
		printf("stanza %s\nspec: %s\n", STANZA_VERSION, SZ_OCI_VERSION);
		status = SZ_EXIT_OK;
	} else if (!g.help && first == argc && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		status = cmd_tutor(&cli, 1, (char *[]){"tutor", NULL});
	} else if (g.help || first == argc) {
		usage(stdout);
		status = SZ_EXIT_OK;
	} else {
		status = dispatch(&cli, argc - first, argv + first);
	}
out:
	free(cli.lang);
	sz_datadir_release(&cli.data);
	return status;
}
