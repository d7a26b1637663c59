/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_oci.c - runc's command line: create, start, state, kill, delete, list and run --bundle (the OCI
 * lifecycle) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/cleanup.h"
#include "common/error.h"
#include "common/i18n.h"
#include "common/json.h"
#include "common/util.h"
#include "oci/config.h"
#include "oci/spec.h"
#include "runtime/runtime.h"

/* The OCI state beside the runtime's: <state dir>/oci.json. */
#define OCI_FILE "oci.json"

struct sz_oci_globals sz_oci = {0};

static void oci_usage(FILE *out, const char *cmd)
{
	if (strcmp(cmd, "create") == 0)
		fputs(_("Usage: stanza [GLOBAL] create [-b DIR] [--pid-file FILE] ID\n"
		        "\n"
		        "Create container ID from the OCI bundle DIR (default: the current directory):\n"
		        "its namespaces, root, cgroup and security are set up, and its process waits,\n"
		        "before the bundle's command, for 'stanza start ID' (as 'runc create').\n"
		        "\n"
		        "Options:\n"
		        "  -b, --bundle DIR       the bundle: DIR/config.json (see 'stanza spec')\n"
		        "      --pid-file FILE    write the container's process id to FILE\n"
		        "      --console-socket PATH\n"
		        "                         with process.terminal: send the terminal's master\n"
		        "                         to the AF_UNIX socket PATH (as runc)\n"
		        "      --no-new-keyring   accepted: stanza never makes a session keyring\n"
		        "  -h, --help             show this help\n"),
		      out);
	else if (strcmp(cmd, "kill") == 0)
		fputs(_("Usage: stanza [GLOBAL] kill [--all] ID [SIGNAL]\n"
		        "\n"
		        "Send SIGNAL (a name, TERM or SIGTERM, or a number; default TERM) to the\n"
		        "container's first process; with -a, --all to every process it has.\n"),
		      out);
	else if (strcmp(cmd, "delete") == 0)
		fputs(_("Usage: stanza [GLOBAL] delete [--force] ID\n"
		        "\n"
		        "Remove container ID: its cgroup and its state. A running container is\n"
		        "refused unless -f, --force, which kills it first.\n"),
		      out);
	else if (strcmp(cmd, "list") == 0)
		fputs(_("Usage: stanza [GLOBAL] list [-q] [--format table|json]\n"
		        "\n"
		        "List the containers of the state root (--root): id, pid, status, bundle.\n"),
		      out);
	else
		fprintf(out, _("Usage: stanza [GLOBAL] %s ID\n"), cmd);
	fputs(_("\nGlobal options (before the command), as runc's:\n"
	        "  --root DIR             the containers' state (default: /run/stanza as root,\n"
	        "                         $XDG_RUNTIME_DIR/stanza otherwise)\n"
	        "  --log FILE             also write errors to FILE\n"
	        "  --log-format text|json the form of --log's lines (default: text)\n"
	        "  --debug                write each setup step to --log (else standard error)\n"
	        "  --trace                write each setup step to standard error\n"),
	      out);
}

/* An error: on standard error, and in --log's file in its format. */
static int oci_fail(sz_error_t *err)
{
	if (sz_oci.log != NULL && *err != NULL) {
		FILE *f = fopen(sz_oci.log, "ae");
		time_t now = time(NULL);
		struct tm tm;
		char stamp[64];

		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		if (f != NULL && sz_oci.log_json) {
			json_t *line = json_pack("{s:s, s:s, s:s}", "level", "error", "msg",
			                         sz_error_msg(*err), "time", stamp);
			char *text = json_dumps(line, JSON_COMPACT);
			fprintf(f, "%s\n", text);
			free(text);
			json_decref(line);
		} else if (f != NULL) {
			fprintf(f, "time=\"%s\" level=error msg=\"%s\"\n", stamp, sz_error_msg(*err));
		}
		if (f != NULL)
			fclose(f);
	}
	sz_error_print_release(err);
	return SZ_EXIT_FAIL;
}

static int trace_fd(void)
{
	if (sz_oci.debug && sz_oci.log != NULL) {
		int fd = open(sz_oci.log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
		if (fd >= 0)
			return fd;
	}
	return sz_oci.trace || sz_oci.debug ? STDERR_FILENO : -1;
}

static int oci_paths(const struct sz_cli *cli, struct sz_paths *paths, sz_error_t *err)
{
	if (sz_paths_default(paths, cli->data.images, err) < 0)
		return -1;
	if (sz_oci.root != NULL) {
		free(paths->state_root);
		if (sz_mkdir_p(sz_oci.root, 0700, err) < 0)
			return sz_error_wrap(err, _("cannot create the state root '%s'"), sz_oci.root);
		paths->state_root = realpath(sz_oci.root, NULL);
		if (paths->state_root == NULL)
			return sz_error_make(err, errno, "%s", sz_oci.root);
	}
	return 0;
}

static int write_atomic(const char *path, const char *text, sz_error_t *err)
{
	return sz_write_file_atomic(path, text, strlen(text), 0644, err);
}

static int write_oci_file(const struct sz_paths *paths, const char *id, const struct sz_oci_config *cfg,
                          sz_error_t *err)
{
	cleanup_free char *dir = sz_detached_dir(paths, id);
	cleanup_free char *path = sz_asprintf("%s/%s", dir, OCI_FILE);
	cleanup_free char *text = NULL;
	cleanup_json json_t *doc = NULL;
	struct timespec ts;
	struct tm tm;
	char stamp[64], frac[16];

	clock_gettime(CLOCK_REALTIME, &ts);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", gmtime_r(&ts.tv_sec, &tm));
	snprintf(frac, sizeof(frac), ".%09ldZ", ts.tv_nsec);
	doc = json_pack("{s:s, s:s+}", "bundle", cfg->bundle, "created", stamp, frac);
	json_object_set_new(doc, "annotations",
	                    cfg->annotations != NULL ? json_deep_copy(cfg->annotations) : json_object());
	text = json_dumps(doc, JSON_COMPACT);
	return write_atomic(path, text, err);
}

/* Parse a command's options: argv[optind] is then the id. */
static const char *take_id(int argc, char **argv, const char *cmd, sz_error_t *err)
{
	if (optind >= argc) {
		sz_error_make(err, 0, _("'%s' needs a container id (see 'stanza %s --help')"), cmd, cmd);
		return NULL;
	}
	return argv[optind++];
}

static int unsupported(const char *opt, const char *why, sz_error_t *err)
{
	return sz_error_make(err, ENOTSUP, _("%s is not supported by stanza: %s"), opt, why);
}

static int load_bundle(const char *bundle, struct sz_oci_config *cfg, sz_error_t *err)
{
	if (sz_oci_config_load(bundle, cfg, err) < 0)
		return -1;
	cfg->spec.trace_fd = trace_fd();
	return 0;
}

/* create and run -d: the container waits for start; its pid in FILE. */
static int create_container(struct sz_cli *cli, const char *bundle, const char *id, const char *pid_file,
                            const char *console_socket, bool and_start, sz_error_t *err)
{
	struct sz_oci_config cfg;
	struct sz_paths paths = {0};
	pid_t pid = 0;
	char pid_text[32];
	int ret = -1;

	if (load_bundle(bundle, &cfg, err) < 0)
		return -1;
	if (cfg.terminal != (console_socket != NULL)) {
		sz_error_make(err, 0,
		              cfg.terminal
		                  ? _("process.terminal is true: a created container's terminal needs "
		                      "--console-socket (or use 'stanza run -b' in the foreground)")
		                  : _("--console-socket needs process.terminal true"));
		goto out;
	}
	cfg.spec.tty = cfg.terminal;
	cfg.spec.console_socket = console_socket;
	cfg.spec.id = id;
	cfg.spec.detached = true;
	if (oci_paths(cli, &paths, err) < 0 || sz_create_detached(&cfg.spec, &paths, &pid, err) < 0)
		goto out;
	snprintf(pid_text, sizeof(pid_text), "%ld", (long)pid);
	if (write_oci_file(&paths, id, &cfg, err) < 0 ||
	    (pid_file != NULL && write_atomic(pid_file, pid_text, err) < 0) ||
	    (and_start && sz_detached_start(&paths, id, err) < 0)) {
		sz_error_t ignored = NULL;
		sz_detached_remove(&paths, id, &ignored);
		sz_error_release(&ignored);
		goto out;
	}
	ret = 0;
out:
	sz_paths_release(&paths);
	sz_oci_config_release(&cfg);
	return ret;
}

int cmd_create(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, NULL, 'b'},
	    {"pid-file", required_argument, NULL, 'p'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"no-pivot", no_argument, NULL, 'P'},
	    {"no-new-keyring", no_argument, NULL, 'k'},
	    {"preserve-fds", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	const char *bundle = ".", *pid_file = NULL, *console_socket = NULL, *id;
	sz_error_t err = NULL;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":b:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': bundle = optarg; break;
		case 'p': pid_file = optarg; break;
		case 'k': break;
		case 'c': console_socket = optarg; break;
		case 'P': unsupported("--no-pivot", _("stanza always uses pivot_root"), &err); break;
		case 'f':
			if (strcmp(optarg, "0") != 0)
				unsupported("--preserve-fds",
				            _("no descriptors beyond 0, 1 and 2 are passed"), &err);
			break;
		case 'h': oci_usage(stdout, "create"); return SZ_EXIT_OK;
		default:
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza create --help')"),
			              argv[optind - 1]);
		}
		if (err != NULL)
			return oci_fail(&err);
	}
	if ((id = take_id(argc, argv, "create", &err)) == NULL ||
	    create_container(cli, bundle, id, pid_file, console_socket, false, &err) < 0)
		return oci_fail(&err);
	return SZ_EXIT_OK;
}

/* The one-argument commands: ID and -h. */
static const char *only_id(int argc, char **argv, const char *cmd, bool *help, sz_error_t *err)
{
	static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
	int opt;

	*help = false;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (opt == 'h') {
			*help = true;
			return NULL;
		}
		sz_error_make(err, 0, _("unknown option '%s' (see 'stanza %s --help')"), argv[optind - 1],
		              cmd);
		return NULL;
	}
	return take_id(argc, argv, cmd, err);
}

int cmd_start(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	bool help;
	const char *id = only_id(argc, argv, "start", &help, &err);

	if (help) {
		oci_usage(stdout, "start");
		return SZ_EXIT_OK;
	}
	if (id == NULL || oci_paths(cli, &paths, &err) < 0 || sz_detached_start(&paths, id, &err) < 0) {
		sz_paths_release(&paths);
		return oci_fail(&err);
	}
	sz_paths_release(&paths);
	return SZ_EXIT_OK;
}

static const char *status_name(const struct sz_detached *d)
{
	if (!d->alive)
		return "stopped";
	return d->created ? "created" : "running";
}

/* The OCI state of id (runtime.md's "State"), a new reference. */
static json_t *oci_state(const struct sz_paths *paths, const char *id, sz_error_t *err)
{
	cleanup_free char *dir = sz_detached_dir(paths, id);
	cleanup_free char *path = sz_asprintf("%s/%s", dir, OCI_FILE);
	cleanup_json json_t *extra = NULL;
	struct sz_detached d;
	json_error_t jerr;
	json_t *state;

	if (sz_detached_read(paths, id, &d, err) < 0)
		return NULL;
	extra = json_load_file(path, 0, &jerr);
	if (extra == NULL) {
		sz_error_make(err, 0, _("the state of container '%s' is damaged: %s"), id, jerr.text);
		return NULL;
	}
	state =
	    json_pack("{s:s, s:s, s:s}", "ociVersion", SZ_OCI_VERSION, "id", id, "status", status_name(&d));
	if (d.alive)
		json_object_set_new(state, "pid", json_integer(d.pid));
	else
		json_object_set_new(state, "pid", json_integer(0));
	json_object_set(state, "bundle", json_object_get(extra, "bundle"));
	json_object_set(state, "created", json_object_get(extra, "created"));
	if (json_object_size(json_object_get(extra, "annotations")) > 0)
		json_object_set(state, "annotations", json_object_get(extra, "annotations"));
	return state;
}

int cmd_state(struct sz_cli *cli, int argc, char **argv)
{
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	cleanup_json json_t *state = NULL;
	cleanup_free char *text = NULL;
	bool help;
	const char *id = only_id(argc, argv, "state", &help, &err);

	if (help) {
		oci_usage(stdout, "state");
		return SZ_EXIT_OK;
	}
	if (id == NULL || oci_paths(cli, &paths, &err) < 0 || (state = oci_state(&paths, id, &err)) == NULL) {
		sz_paths_release(&paths);
		return oci_fail(&err);
	}
	sz_paths_release(&paths);
	text = json_dumps(state, JSON_INDENT(2));
	printf("%s\n", text);
	return SZ_EXIT_OK;
}

/* "TERM", "SIGTERM", "15": the signal, or 0. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (*s != '\0' && *end == '\0')
		return n > 0 && n < NSIG ? (int)n : 0;
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *name = sigabbrev_np(sig);
		if (name != NULL && strcasecmp(name, s) == 0)
			return sig;
	}
	return 0;
}

int cmd_kill(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'}, {"help", no_argument, NULL, 'h'}, {0}};
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	const char *id, *sig_text = "TERM";
	bool all = false;
	int opt, sig, ret = SZ_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":ah", opts, NULL)) != -1) {
		if (opt == 'a') {
			all = true;
		} else if (opt == 'h') {
			oci_usage(stdout, "kill");
			return SZ_EXIT_OK;
		} else {
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza kill --help')"),
			              argv[optind - 1]);
			return oci_fail(&err);
		}
	}
	if ((id = take_id(argc, argv, "kill", &err)) == NULL)
		return oci_fail(&err);
	if (optind < argc)
		sig_text = argv[optind++];
	sig = parse_signal(sig_text);
	if (sig == 0)
		sz_error_make(&err, EINVAL,
		              _("unknown signal '%s' (a name such as TERM or KILL, or a number)"), sig_text);
	if (err != NULL || oci_paths(cli, &paths, &err) < 0 ||
	    sz_detached_kill(&paths, id, sig, all, &err) < 0)
		ret = oci_fail(&err);
	sz_paths_release(&paths);
	return ret;
}

int cmd_delete(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {0}};
	struct sz_paths paths = {0};
	struct sz_detached d;
	sz_error_t err = NULL;
	const char *id;
	bool force = false;
	int opt, ret = SZ_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":fh", opts, NULL)) != -1) {
		if (opt == 'f') {
			force = true;
		} else if (opt == 'h') {
			oci_usage(stdout, "delete");
			return SZ_EXIT_OK;
		} else {
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza delete --help')"),
			              argv[optind - 1]);
			return oci_fail(&err);
		}
	}
	if ((id = take_id(argc, argv, "delete", &err)) == NULL || oci_paths(cli, &paths, &err) < 0)
		goto fail;
	if (sz_detached_read(&paths, id, &d, &err) < 0) {
		/* runc: deleting with --force what is not there is no error. */
		if (force && err->errno_ == ENOENT)
			sz_error_release(&err);
		goto fail;
	}
	if (d.alive && !d.created && !force) {
		sz_error_make(
		    &err, EBUSY,
		    _("container '%s' is running: stop it first ('stanza kill %s KILL') or use --force"), id,
		    id);
		goto fail;
	}
	sz_detached_remove(&paths, id, &err);
fail:
	if (err != NULL)
		ret = oci_fail(&err);
	sz_paths_release(&paths);
	return ret;
}

int cmd_list(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {{"quiet", no_argument, NULL, 'q'},
	                                     {"format", required_argument, NULL, 'f'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {0}};
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	cleanup_dir DIR *dir = NULL;
	cleanup_json json_t *all = json_array();
	struct dirent *de;
	bool quiet = false, as_json = false;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":qf:h", opts, NULL)) != -1) {
		if (opt == 'q')
			quiet = true;
		else if (opt == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			as_json = strcmp(optarg, "json") == 0;
		else if (opt == 'h') {
			oci_usage(stdout, "list");
			return SZ_EXIT_OK;
		} else {
			sz_error_make(&err, 0, _("unknown option or value '%s' (see 'stanza list --help')"),
			              argv[optind - 1]);
			return oci_fail(&err);
		}
	}
	if (oci_paths(cli, &paths, &err) < 0)
		return oci_fail(&err);
	dir = opendir(paths.state_root);
	while (dir != NULL && (de = readdir(dir)) != NULL) {
		json_t *s;
		sz_error_t ignored = NULL;

		if (de->d_name[0] == '.' || (s = oci_state(&paths, de->d_name, &ignored)) == NULL) {
			sz_error_release(&ignored);
			continue;
		}
		json_array_append_new(all, s);
	}
	sz_paths_release(&paths);
	if (as_json) {
		cleanup_free char *text = json_dumps(all, JSON_COMPACT);
		printf("%s\n", text);
		return SZ_EXIT_OK;
	}
	if (!quiet)
		printf("%-20s %-8s %-8s %s\n", "ID", "PID", "STATUS", "BUNDLE");
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *s = json_array_get(all, i);
		if (quiet)
			printf("%s\n", json_string_value(json_object_get(s, "id")));
		else
			printf("%-20s %-8lld %-8s %s\n", json_string_value(json_object_get(s, "id")),
			       (long long)json_integer_value(json_object_get(s, "pid")),
			       json_string_value(json_object_get(s, "status")),
			       json_string_value(json_object_get(s, "bundle")));
	}
	return SZ_EXIT_OK;
}

void sz_oci_run_usage(FILE *out)
{
	fputs(_("Usage: stanza [GLOBAL] run -b DIR [-d] [--pid-file FILE] ID\n"
	        "\n"
	        "Run container ID from the OCI bundle DIR, as 'runc run': in the foreground,\n"
	        "with the bundle's terminal if process.terminal is true, and stanza exits with\n"
	        "the command's status; with -d, --detach, as 'stanza create' then 'stanza start'.\n"),
	      out);
}

/* `stanza run -b DIR [-d] [--pid-file F] ID`: runc run. In the foreground
 * stanza stays with the container, relays its terminal if it has one, and
 * exits with its status; with -d, create and start. */
int sz_oci_run(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"bundle", required_argument, NULL, 'b'},   {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'p'}, {"console-socket", required_argument, NULL, 'c'},
	    {"no-pivot", no_argument, NULL, 'P'},       {"no-new-keyring", no_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},           {0},
	};
	struct sz_oci_config cfg = {0};
	struct sz_paths paths = {0};
	struct sz_result res;
	const char *bundle = ".", *pid_file = NULL, *console_socket = NULL, *id;
	sz_error_t err = NULL;
	bool detach = false;
	int opt, status = SZ_EXIT_STANZA;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":b:dh", opts, NULL)) != -1) {
		switch (opt) {
		case 'b': bundle = optarg; break;
		case 'd': detach = true; break;
		case 'p': pid_file = optarg; break;
		case 'k': break;
		case 'c': console_socket = optarg; break;
		case 'P': unsupported("--no-pivot", _("stanza always uses pivot_root"), &err); break;
		case 'h': sz_oci_run_usage(stdout); return SZ_EXIT_OK;
		default:
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza run --help')"),
			              argv[optind - 1]);
		}
		if (err != NULL) {
			oci_fail(&err);
			return SZ_EXIT_STANZA;
		}
	}
	if ((id = take_id(argc, argv, "run", &err)) == NULL)
		goto out;
	if (detach) {
		status = create_container(cli, bundle, id, pid_file, console_socket, true, &err) < 0
		             ? SZ_EXIT_STANZA
		             : SZ_EXIT_OK;
		goto out;
	}
	if (pid_file != NULL || console_socket != NULL) {
		unsupported(pid_file != NULL ? "--pid-file" : "--console-socket", _("only with --detach"),
		            &err);
		goto out;
	}
	if (load_bundle(bundle, &cfg, &err) < 0 || oci_paths(cli, &paths, &err) < 0)
		goto out;
	cfg.spec.id = id;
	cfg.spec.tty = cfg.terminal;
	if (sz_run(&cfg.spec, &paths, &res, &err) == 0)
		status = sz_result_status(&res);
out:
	if (err != NULL)
		oci_fail(&err);
	sz_paths_release(&paths);
	sz_oci_config_release(&cfg);
	return status;
}

/* The bundle's config.json with process replaced by proc (a new reference
 * or NULL to keep the bundle's), read as create reads it. */
static int exec_config(const struct sz_paths *paths, const char *id, json_t *proc, struct sz_oci_config *cfg,
                       sz_error_t *err)
{
	cleanup_free char *dir = sz_detached_dir(paths, id);
	cleanup_free char *oci = sz_asprintf("%s/%s", dir, OCI_FILE);
	cleanup_free char *file = NULL;
	cleanup_free char *text = NULL;
	cleanup_json json_t *state = NULL;
	cleanup_json json_t *doc = NULL;
	json_error_t jerr;
	const char *bundle;

	memset(cfg, 0, sizeof(*cfg));
	state = json_load_file(oci, 0, &jerr);
	bundle = json_string_value(json_object_get(state, "bundle"));
	if (bundle == NULL)
		return sz_error_make(err, 0, _("container '%s' does not exist"), id);
	file = sz_asprintf("%s/config.json", bundle);
	doc = json_load_file(file, 0, &jerr);
	if (doc == NULL)
		return sz_error_make(err, 0, _("%s:%d:%d: %s"), file, jerr.line, jerr.column, jerr.text);
	if (proc != NULL)
		json_object_set(doc, "process", proc);
	text = json_dumps(doc, JSON_COMPACT);
	return sz_oci_config_parse(text, strlen(text), proc != NULL ? _("the process") : file, bundle,
	                           geteuid() != 0, geteuid(), getegid(), cfg, err);
}

/* --cwd, --env, --user and the command line on the bundle's process. */
static json_t *exec_process(const struct sz_paths *paths, const char *id, const char *process_file,
                            char **args, int n_args, const char *cwd, json_t *envs, const char *user,
                            bool tty, sz_error_t *err)
{
	cleanup_free char *dir = sz_detached_dir(paths, id);
	cleanup_free char *oci = sz_asprintf("%s/%s", dir, OCI_FILE);
	cleanup_json json_t *state = NULL;
	cleanup_json json_t *doc = NULL;
	json_error_t jerr;
	json_t *proc, *argv, *v;
	size_t i;

	if (process_file != NULL) {
		proc = json_load_file(process_file, JSON_REJECT_DUPLICATES, &jerr);
		if (proc == NULL)
			sz_error_make(err, 0, _("%s:%d:%d: not valid JSON: %s"), process_file, jerr.line,
			              jerr.column, jerr.text);
		return proc;
	}
	if (n_args == 0) {
		sz_error_make(err, 0, _("exec needs a command after the id, or --process FILE"));
		return NULL;
	}
	state = json_load_file(oci, 0, &jerr);
	if (json_string_value(json_object_get(state, "bundle")) != NULL) {
		cleanup_free char *file =
		    sz_asprintf("%s/config.json", json_string_value(json_object_get(state, "bundle")));
		doc = json_load_file(file, 0, &jerr);
	}
	proc = json_deep_copy(json_object_get(doc, "process"));
	if (proc == NULL) {
		sz_error_make(err, 0, _("container '%s' does not exist"), id);
		return NULL;
	}
	argv = json_array();
	for (int k = 0; k < n_args; k++)
		json_array_append_new(argv, json_string(args[k]));
	json_object_set_new(proc, "args", argv);
	json_object_set_new(proc, "terminal", json_boolean(tty));
	if (cwd != NULL)
		json_object_set_new(proc, "cwd", json_string(cwd));
	json_array_foreach (envs, i, v)
		json_array_append(json_object_get(proc, "env"), v);
	if (user != NULL) {
		unsigned long uid = 0, gid = 0;
		int n = sscanf(user, "%lu:%lu", &uid, &gid);
		if (n < 1) {
			json_decref(proc);
			sz_error_make(err, 0, _("--user '%s': give UID or UID:GID"), user);
			return NULL;
		}
		json_object_set_new(json_object_get(proc, "user"), "uid", json_integer((json_int_t)uid));
		json_object_set_new(json_object_get(proc, "user"), "gid",
		                    json_integer((json_int_t)(n > 1 ? gid : 0)));
	}
	return proc;
}

int cmd_exec(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"process", required_argument, NULL, 'p'},
	    {"tty", no_argument, NULL, 't'},
	    {"console-socket", required_argument, NULL, 'c'},
	    {"detach", no_argument, NULL, 'd'},
	    {"pid-file", required_argument, NULL, 'P'},
	    {"cwd", required_argument, NULL, 'w'},
	    {"env", required_argument, NULL, 'e'},
	    {"user", required_argument, NULL, 'u'},
	    {"preserve-fds", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct sz_paths paths = {0};
	struct sz_oci_config cfg = {0};
	struct sz_exec_spec x;
	struct sz_process *p = NULL;
	struct sz_result res = {0};
	cleanup_json json_t *envs = json_array();
	cleanup_json json_t *proc = NULL;
	const char *process_file = NULL, *pid_file = NULL, *cwd = NULL, *user = NULL, *console_socket = NULL,
	           *id;
	sz_error_t err = NULL;
	bool tty = false, detach = false;
	int opt, status = SZ_EXIT_STANZA;

	opterr = 0;
	optind = 1;
	/* "+": the command's own options after the id are its own. */
	while ((opt = getopt_long(argc, argv, "+:p:tdw:e:u:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p': process_file = optarg; break;
		case 't': tty = true; break;
		case 'd': detach = true; break;
		case 'P': pid_file = optarg; break;
		case 'w': cwd = optarg; break;
		case 'e': json_array_append_new(envs, json_string(optarg)); break;
		case 'u': user = optarg; break;
		case 'c': console_socket = optarg; break;
		case 'f':
			if (strcmp(optarg, "0") != 0)
				unsupported("--preserve-fds",
				            _("no descriptors beyond 0, 1 and 2 are passed"), &err);
			break;
		case 'h':
			fputs(
			    _("Usage: stanza [GLOBAL] exec [OPTIONS] ID [COMMAND [ARG...]]\n"
			      "\n"
			      "Run a command in running container ID, as 'runc exec': in its namespaces and\n"
			      "cgroup, with the bundle's process settings, or those of --process FILE.\n"
			      "\n"
			      "Options:\n"
			      "  -p, --process FILE     the process (config.json's \"process\" object) to "
			      "run\n"
			      "  -t, --tty              give it a terminal, relayed to this one\n"
			      "  -d, --detach           leave it running and return\n"
			      "      --pid-file FILE    write its process id to FILE\n"
			      "  -w, --cwd DIR          its working directory\n"
			      "  -e, --env K=V          add or replace a variable\n"
			      "  -u, --user UID[:GID]   run as this user\n"),
			    stdout);
			return SZ_EXIT_OK;
		default:
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza exec --help')"),
			              argv[optind - 1]);
		}
		if (err != NULL) {
			oci_fail(&err);
			return SZ_EXIT_STANZA;
		}
	}
	if ((id = take_id(argc, argv, "exec", &err)) == NULL || oci_paths(cli, &paths, &err) < 0 ||
	    (proc = exec_process(&paths, id, process_file, argv + optind, argc - optind, cwd, envs, user, tty,
	                         &err)) == NULL ||
	    exec_config(&paths, id, proc, &cfg, &err) < 0)
		goto out;
	if (cfg.terminal && detach && console_socket == NULL) {
		unsupported("a terminal with --detach", _("it needs --console-socket"), &err);
		goto out;
	}
	if (console_socket != NULL && (!cfg.terminal || !detach)) {
		unsupported("--console-socket", _("only with a terminal and --detach"), &err);
		goto out;
	}
	cfg.spec.console_socket = console_socket;
	cfg.spec.trace_fd = trace_fd();
	cfg.spec.detached = detach;
	sz_exec_spec_init(&x);
	x.tty = cfg.terminal;
	if (sz_detached_exec_start(&paths, id, &cfg.spec, &x, &p, &err) < 0)
		goto out;
	if (detach && pid_file != NULL) {
		char text[32];
		snprintf(text, sizeof(text), "%ld", (long)sz_process_pid(p));
		write_atomic(pid_file, text, &err);
	}
	{
		sz_error_t end_err = NULL;
		if (sz_detached_exec_end(p, !detach, x.tty, &res, &end_err) == 0 && err == NULL)
			status = detach ? SZ_EXIT_OK : sz_result_status(&res);
		if (err == NULL)
			err = steal_pointer(&end_err);
		sz_error_release(&end_err);
	}
	if (!detach && res.exec_errno != 0) {
		cleanup_free char *why = sz_exec_error_text(&res, cfg.spec.argv[0]);
		sz_error_say("%s", why);
	}
out:
	if (err != NULL)
		oci_fail(&err);
	sz_paths_release(&paths);
	sz_oci_config_release(&cfg);
	return status;
}
