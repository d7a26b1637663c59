/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_doctor.c - `stanza doctor`: print the host probe as a table or as JSON */
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "runtime/probe.h"
#include "runtime/runtime.h"

static void usage(FILE *out)
{
	fputs(_("Usage: stanza doctor [--json]\n"
	        "\n"
	        "Say what this host offers containers and what each missing piece disables:\n"
	        "root or not, user namespaces (tried, not guessed), cgroups (v1, hybrid or v2,\n"
	        "where each controller is and which ones you may write), overlayfs, seccomp,\n"
	        "the busybox image, the kernel, and whether stanza runs in a VM or a container.\n"
	        "When something can be fixed, it prints the commands that fix it.\n"
	        "\n"
	        "Options:\n"
	        "  --json      print one JSON object instead of the table\n"
	        "  -h, --help  show this help\n"
	        "\n"
	        "Exit status: 0 when this host can run containers for you, 1 when it cannot,\n"
	        "2 for a bad option.\n"),
	      out);
}

/* How a user of `stanza run` asks for what a missing piece disables: the
 * probe names the limit, doctor words it. */
static const struct sz_probe_words run_words = {
    .limit =
        {
            [SZ_LIMIT_MEMORY] = "stanza run --memory",
            [SZ_LIMIT_PIDS] = "stanza run --pids",
            [SZ_LIMIT_CPU] = "stanza run --cpus",
        },
    .read_only = "stanza run --read-only",
};

/* ---- the table -------------------------------------------------------- */

/* Columns on a terminal, for translated words with accents. */
static int display_width(const char *s)
{
	size_t n = mbstowcs(NULL, s, 0);
	cleanup_free wchar_t *w = NULL;
	int width;

	if (n == (size_t)-1)
		return (int)strlen(s);
	w = sz_xcalloc(n + 1, sizeof(*w));
	mbstowcs(w, s, n + 1);
	width = wcswidth(w, n);
	return width < 0 ? (int)strlen(s) : width;
}

static const char *status_word(enum sz_probe_status status)
{
	switch (status) {
	/* TRANSLATORS: the status column of `stanza doctor`; keep the three words short. */
	case SZ_PROBE_OK: return _("ok");
	case SZ_PROBE_WARN: return _("warn");
	case SZ_PROBE_MISSING: return _("missing");
	}
	return "?";
}

static void print_padded(const char *s, int width)
{
	fputs(s, stdout);
	for (int pad = width - display_width(s); pad > 0; pad--)
		putchar(' ');
}

static void print_table(const struct sz_probe *p)
{
	int status_w = 0, name_w = 0;

	for (size_t i = 0; i < p->n_findings; i++) {
		int sw = display_width(status_word(p->findings[i].status));
		int nw = (int)strlen(p->findings[i].name);

		status_w = sw > status_w ? sw : status_w;
		name_w = nw > name_w ? nw : name_w;
	}
	for (size_t i = 0; i < p->n_findings; i++) {
		fputs("  ", stdout);
		print_padded(status_word(p->findings[i].status), status_w + 2);
		print_padded(p->findings[i].name, name_w + 2);
		printf("%s\n", p->findings[i].detail);
	}
}

/* Each line of text, indented. */
static void print_indented(const char *text, const char *indent)
{
	while (*text != '\0') {
		size_t n = strcspn(text, "\n");

		printf("%s%.*s\n", indent, (int)n, text);
		text += n;
		if (*text == '\n')
			text++;
	}
}

static void print_consequences(const struct sz_probe *p)
{
	bool any_disables = false, any_fix = false;

	for (size_t i = 0; i < p->n_findings; i++) {
		any_disables |= p->findings[i].disables != NULL;
		any_fix |= p->findings[i].fix != NULL;
	}
	if (any_disables)
		printf("\n%s\n", _("What this disables:"));
	for (size_t i = 0; i < p->n_findings; i++)
		if (p->findings[i].disables != NULL)
			printf("  %s: %s\n", p->findings[i].name, p->findings[i].disables);
	if (any_fix)
		printf("\n%s\n", _("How to fix it:"));
	for (size_t i = 0; i < p->n_findings; i++) {
		if (p->findings[i].fix == NULL)
			continue;
		printf("  %s:\n", p->findings[i].name);
		print_indented(p->findings[i].fix, "    ");
	}
}

static void print_human(const struct sz_probe *p, bool can_run, const char *state_note)
{
	print_table(p);
	print_consequences(p);
	if (state_note != NULL)
		printf("\n%s\n", state_note);
	putchar('\n');
	if (can_run)
		puts(_("This host can run containers for you."));
	else
		puts(_("This host cannot run containers for you: see the lines marked missing."));
}

/* ---- JSON ------------------------------------------------------------- */

static void print_json(const struct sz_probe *p, bool can_run)
{
	cleanup_json json_t *root = json_object();
	cleanup_json json_t *probe = sz_probe_json(p);

	sz_json_set(root, "can_run", json_boolean(can_run));
	if (json_object_update(root, probe) < 0)
		abort(); /* out of memory */
	sz_json_dumpf(root, stdout, NULL);
	putchar('\n');
}

/* ---- the command ------------------------------------------------------ */

/* 0, or SZ_EXIT_USAGE after saying which option is wrong. */
static int parse_options(int argc, char **argv, bool *json, bool *help)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			*json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			*help = true;
		} else {
			sz_error_say(
			    _("unknown option '%s' for 'stanza doctor' (see 'stanza doctor --help')"),
			    argv[i]);
			return SZ_EXIT_USAGE;
		}
	}
	return 0;
}

/* The directory holding `stanza run`'s state root, where a container's
 * writable layer lives (not the state root itself: its collector owns what
 * is in there). The overlay trial runs there, since file systems differ in
 * what overlay accepts (tmpfs and user extended attributes, for one).
 * NULL: let the probe choose. */
static char *runtime_scratch(const char *images, char **note)
{
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	char *dir;

	if (sz_paths_default(&paths, images, &err) < 0) {
		sz_error_release(&err);
		return NULL;
	}
	dir = sz_xstrdup(dirname(paths.state_root));
	*note = steal_pointer(&paths.state_note);
	sz_paths_release(&paths);
	return dir;
}

int cmd_doctor(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_probe_options opts;
	struct sz_probe probe;
	cleanup_free char *scratch = NULL;
	cleanup_free char *state_note = NULL;
	sz_error_t err = NULL;
	bool json = false, help = false, can_run;

	if (parse_options(argc, argv, &json, &help) != 0)
		return SZ_EXIT_USAGE;
	if (help) {
		usage(stdout);
		return SZ_EXIT_OK;
	}
	sz_probe_options_init(&opts);
	opts.images_dir = cli->data.images;
	opts.words = &run_words;
	opts.scratch_dir = scratch = runtime_scratch(cli->data.images, &state_note);
	fflush(stdout); /* the trials fork */
	if (sz_probe_run(&probe, &opts, &err) < 0) {
		sz_error_print_release(&err);
		return SZ_EXIT_FAIL;
	}
	can_run = sz_probe_can_run(&probe);
	if (json)
		print_json(&probe, can_run);
	else
		print_human(&probe, can_run, state_note);
	sz_probe_release(&probe);
	return can_run ? SZ_EXIT_OK : SZ_EXIT_FAIL;
}
