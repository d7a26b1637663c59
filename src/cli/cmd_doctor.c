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
#include "common/util.h"
#include "runtime/probe.h"
#include "runtime/runtime.h"

#define JSON_MAX_DEPTH 8

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

/* A tiny pretty-printing emitter: it tracks commas and indentation. */
struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];
};

static void json_key(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	fprintf(j->out, "\n%*s", 2 * j->depth, "");
	if (key != NULL) {
		sz_json_write_string(j->out, key);
		fputs(": ", j->out);
	}
}

static void json_open(struct json *j, const char *key, char brace)
{
	if (j->depth > 0 || key != NULL)
		json_key(j, key);
	fputc(brace, j->out);
	if (j->depth + 1 >= JSON_MAX_DEPTH)
		abort(); /* a bug: nested deeper than this file ever does */
	j->first[++j->depth] = true;
}

static void json_close(struct json *j, char brace)
{
	bool empty = j->first[j->depth];

	j->depth--;
	if (!empty)
		fprintf(j->out, "\n%*s", 2 * j->depth, "");
	fputc(brace, j->out);
}

static void json_str(struct json *j, const char *key, const char *value)
{
	json_key(j, key);
	sz_json_write_string(j->out, value);
}

static void json_bool(struct json *j, const char *key, bool value)
{
	json_key(j, key);
	fputs(value ? "true" : "false", j->out);
}

/* A number, or null when negative (the file was absent). */
static void json_num(struct json *j, const char *key, long value)
{
	json_key(j, key);
	if (value < 0)
		fputs("null", j->out);
	else
		fprintf(j->out, "%ld", value);
}

static void json_trial(struct json *j, const char *key, const struct sz_probe_trial *t)
{
	json_open(j, key, '{');
	json_bool(j, "works", sz_probe_trial_ok(t));
	json_str(j, "failed_step", sz_probe_trial_ok(t) ? NULL : sz_probe_step_name(t->failed));
	json_str(j, "errno", t->error != 0 ? strerrorname_np(t->error) : NULL);
	json_close(j, '}');
}

static void json_user(struct json *j, const struct sz_probe *p)
{
	json_open(j, "user", '{');
	json_str(j, "name", p->user.name);
	json_num(j, "uid", (long)p->user.uid);
	json_num(j, "euid", (long)p->user.euid);
	json_num(j, "gid", (long)p->user.gid);
	json_bool(j, "root", p->user.root);
	json_bool(j, "cap_sys_admin", p->user.cap_sys_admin);
	json_close(j, '}');
	json_open(j, "kernel", '{');
	json_str(j, "release", p->kernel.release);
	json_str(j, "machine", p->kernel.machine);
	json_close(j, '}');
}

static void json_host(struct json *j, const struct sz_probe_virt *v)
{
	json_open(j, "host", '{');
	json_str(j, "vm", v->vm);
	json_bool(j, "cpu_hypervisor_flag", v->cpu_hypervisor);
	json_str(j, "cpuid_signature", v->cpuid_signature);
	json_str(j, "dmi_vendor", v->dmi_vendor);
	json_str(j, "dmi_product", v->dmi_product);
	json_str(j, "hypervisor_type", v->hypervisor_type);
	json_str(j, "container", v->container);
	json_bool(j, "dockerenv", v->dockerenv);
	json_bool(j, "containerenv", v->containerenv);
	json_str(j, "container_env", v->container_env);
	json_bool(j, "pid1_environ_readable", v->environ_readable);
	json_str(j, "pid1_cgroup_hint", v->cgroup_hint);
	json_str(j, "root_fstype", v->root_fstype);
	json_bool(j, "partial_uid_map", v->partial_uid_map);
	json_close(j, '}');
}

static void json_userns(struct json *j, const struct sz_probe *p)
{
	json_trial(j, "namespaces", &p->namespaces);
	json_trial(j, "userns", &p->userns);
	json_open(j, "userns_knobs", '{');
	json_num(j, "max_user_namespaces", p->knobs.max_user_namespaces);
	json_num(j, "unprivileged_userns_clone", p->knobs.unprivileged_userns_clone);
	json_num(j, "apparmor_restrict_unprivileged_userns", p->knobs.apparmor_restrict_unprivileged_userns);
	json_close(j, '}');
}

static void json_cgroup(struct json *j, const struct sz_probe_cgroup *cg)
{
	json_open(j, "cgroup", '{');
	json_str(j, "mode", sz_cgroup_mode_name(cg->mode));
	json_str(j, "v2_mount", cg->v2_mount);
	json_bool(j, "delegated", cg->delegated);
	json_bool(j, "systemd", cg->systemd);
	json_bool(j, "systemd_user", cg->systemd_user);
	json_open(j, "controllers", '{');
	for (int c = 0; c < SZ_CTRL_COUNT; c++) {
		const struct sz_probe_controller *pc = &cg->ctrl[c];

		json_open(j, sz_controller_name(c), '{');
		json_str(j, "mount", pc->mount);
		json_bool(j, "v2", pc->on_v2);
		json_str(j, "base", pc->base);
		json_bool(j, "writable", pc->writable);
		json_str(j, "errno", pc->error != 0 ? strerrorname_np(pc->error) : NULL);
		json_close(j, '}');
	}
	json_close(j, '}');
	json_str(j, "fix", cg->fix);
	json_close(j, '}');
}

static void json_rest(struct json *j, const struct sz_probe *p)
{
	json_open(j, "overlay", '{');
	json_bool(j, "works", sz_probe_trial_ok(&p->overlay));
	json_str(j, "failed_step",
	         sz_probe_trial_ok(&p->overlay) ? NULL : sz_probe_step_name(p->overlay.failed));
	json_str(j, "errno", p->overlay.error != 0 ? strerrorname_np(p->overlay.error) : NULL);
	json_bool(j, "in_proc_filesystems", p->overlay_listed);
	json_str(j, "tried_on", p->overlay_dir);
	json_str(j, "fstype", p->overlay_fstype);
	json_close(j, '}');
	json_open(j, "seccomp", '{');
	json_bool(j, "available", p->seccomp.available);
	json_bool(j, "filter", p->seccomp.filter);
	json_num(j, "self_mode", p->seccomp.self_mode);
	json_close(j, '}');
	json_open(j, "image", '{');
	json_str(j, "binary", p->image.binary);
	json_bool(j, "present", p->image.present);
	json_bool(j, "static", p->image.is_static);
	json_bool(j, "native", p->image.native);
	json_close(j, '}');
}

static void json_findings(struct json *j, const struct sz_probe *p)
{
	json_open(j, "findings", '[');
	for (size_t i = 0; i < p->n_findings; i++) {
		const struct sz_probe_finding *f = &p->findings[i];

		json_open(j, NULL, '{');
		json_str(j, "name", f->name);
		json_str(j, "status", sz_probe_status_name(f->status));
		json_str(j, "detail", f->detail);
		json_str(j, "disables", f->disables);
		json_str(j, "fix", f->fix);
		json_close(j, '}');
	}
	json_close(j, ']');
}

static void print_json(const struct sz_probe *p, bool can_run)
{
	struct json j = {.out = stdout};

	json_open(&j, NULL, '{');
	json_bool(&j, "can_run", can_run);
	json_user(&j, p);
	json_host(&j, &p->virt);
	json_userns(&j, p);
	json_cgroup(&j, &p->cgroup);
	json_rest(&j, p);
	json_findings(&j, p);
	json_close(&j, '}');
	fputc('\n', stdout);
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
