/* SPDX-License-Identifier: GPL-3.0-or-later */
/* cmd_oci.c - runc's command line: create, start, state, kill, delete, list and run --bundle (the OCI
 * lifecycle) */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
#include "config.h"

#include <sys/capability.h>

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
			/* logfmt: the message quoted, its quotes and backslashes escaped */
			fprintf(f, "time=\"%s\" level=error msg=\"", stamp);
			for (const char *p = sz_error_msg(*err); *p != '\0'; p++)
				fprintf(f, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
			fprintf(f, "\"\n");
		}
		if (f != NULL)
			fclose(f);
	}
	sz_error_print_release(err);
	return SZ_EXIT_FAIL;
}

static int trace_fd(void)
{
	/* Trace lines are not JSON: with --log-format json they go to standard
	 * error, so that the log stays what go-runc parses. */
	if (sz_oci.debug && sz_oci.log != NULL && !sz_oci.log_json) {
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
	/* The configuration as it was at create: exec reads this, not the
	 * bundle's file, which may have changed since (as runc keeps its own). */
	json_object_set(doc, "config", cfg->doc);
	text = json_dumps(doc, JSON_COMPACT);
	return sz_write_file_atomic(path, text, strlen(text), 0600, err);
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

/* Hooks (runtime.md, config.md "POSIX-platform Hooks"): each of one kind in
 * turn, the container's state as JSON on its standard input, its output on
 * stanza's standard error, killed past its timeout. 0 when all succeeded. */
static int run_hooks(const json_t *config, const char *kind, const json_t *state, sz_error_t *err)
{
	const json_t *list = json_object_get(json_object_get(config, "hooks"), kind);
	cleanup_free char *text = json_dumps(state, JSON_COMPACT);
	const json_t *h;
	size_t i;

	json_array_foreach (list, i, h) {
		const char *path = json_string_value(json_object_get(h, "path"));
		const json_t *args = json_object_get(h, "args"), *env = json_object_get(h, "env");
		json_int_t timeout = json_integer_value(json_object_get(h, "timeout"));
		cleanup_free char **argv = sz_xcalloc(json_array_size(args) + 2, sizeof(char *));
		cleanup_free char **envp = sz_xcalloc(json_array_size(env) + 1, sizeof(char *));
		cleanup_close int pidfd = -1;
		struct pollfd p;
		int in[2], status = 0;
		pid_t pid;

		argv[0] = (char *)path;
		for (size_t k = 0; k < json_array_size(args); k++)
			argv[k] = (char *)json_string_value(json_array_get(args, k));
		for (size_t k = 0; k < json_array_size(env); k++)
			envp[k] = (char *)json_string_value(json_array_get(env, k));
		if (pipe2(in, O_CLOEXEC) < 0)
			return sz_error_make(err, errno, "pipe2");
		pid = fork();
		if (pid == 0) {
			/* Its own process group: a timeout kills what it started too. */
			if (setpgid(0, 0) < 0 || dup2(in[0], STDIN_FILENO) < 0 ||
			    dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
				_exit(126);
			execve(path, argv, envp);
			_exit(errno == ENOENT ? 127 : 126);
		}
		close(in[0]);
		if (pid < 0) {
			close(in[1]);
			return sz_error_make(err, errno, _("cannot run hook hooks.%s[%zu]"), kind, i);
		}
		/* A hook that reads nothing must not block stanza: a pipe holds 64 KiB. */
		if (write(in[1], text, strlen(text)) < 0 && errno != EPIPE)
			sz_error_say(_("hook hooks.%s[%zu]: cannot write the state: %s"), kind, i,
			             strerror(errno));
		close(in[1]);
		pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		p = (struct pollfd){.fd = pidfd, .events = POLLIN};
		while (pidfd >= 0 && poll(&p, 1, timeout > 0 ? (int)(timeout * 1000) : -1) < 0 &&
		       errno == EINTR)
			;
		if (pidfd >= 0 && !(p.revents & POLLIN)) {
			kill(-pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return sz_error_make(err, ETIMEDOUT,
			                     _("hook hooks.%s[%zu] (%s) did not finish in %lld s: killed"),
			                     kind, i, path, (long long)timeout);
		}
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return sz_error_make(err, 0,
			                     _("hook hooks.%s[%zu]: '%s' cannot be run (is it there?)"), kind,
			                     i, path);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			return sz_error_make(
			    err, 0, _("hook hooks.%s[%zu] (%s) failed with status %d"), kind, i, path,
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	return 0;
}

/* A hook that failed after the container started only warns (runtime.md). */
static void warn_hooks(const json_t *config, const char *kind, const json_t *state)
{
	sz_error_t err = NULL;

	if (run_hooks(config, kind, state, &err) < 0) {
		sz_error_wrap(&err, _("warning"));
		sz_error_print_release(&err);
	}
}

static json_t *hook_state(const char *id, const char *status, pid_t pid, const char *bundle,
                          const json_t *ann)
{
	json_t *st = json_pack("{s:s, s:s, s:s, s:I, s:s}", "ociVersion", SZ_OCI_VERSION, "id", id, "status",
	                       status, "pid", (json_int_t)pid, "bundle", bundle);

	if (json_object_size(ann) > 0)
		json_object_set(st, "annotations", (json_t *)ann);
	return st;
}

static void after_start(const struct sz_paths *paths, const char *id);

/* create and run -d: the container waits for start; its pid in FILE. */
static int create_container(struct sz_cli *cli, const char *bundle, const char *id, const char *pid_file,
                            const char *console_socket, bool and_start, sz_error_t *err)
{
	struct sz_oci_config cfg;
	struct sz_paths paths = {0};
	cleanup_json json_t *state = NULL;
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
	state = hook_state(id, "creating", pid, cfg.bundle, cfg.annotations);
	if (write_oci_file(&paths, id, &cfg, err) < 0 || run_hooks(cfg.doc, "prestart", state, err) < 0 ||
	    run_hooks(cfg.doc, "createRuntime", state, err) < 0 ||
	    (pid_file != NULL && write_atomic(pid_file, pid_text, err) < 0) ||
	    (and_start && sz_detached_start(&paths, id, err) < 0)) {
		sz_error_t ignored = NULL;
		sz_detached_remove(&paths, id, true, &ignored);
		sz_error_release(&ignored);
		goto out;
	}
	if (and_start)
		after_start(&paths, id);
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

static json_t *load_oci_state(const struct sz_paths *paths, const char *id, sz_error_t *err);

/* The poststart hooks, once the command runs. */
static void after_start(const struct sz_paths *paths, const char *id)
{
	sz_error_t err = NULL;
	cleanup_json json_t *oci = load_oci_state(paths, id, &err);
	cleanup_json json_t *state = NULL;
	struct sz_detached d;

	if (oci == NULL || sz_detached_read(paths, id, &d, &err) < 0) {
		sz_error_release(&err);
		return;
	}
	state = hook_state(id, "running", d.pid, json_string_value(json_object_get(oci, "bundle")),
	                   json_object_get(oci, "annotations"));
	warn_hooks(json_object_get(oci, "config"), "poststart", state);
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
	after_start(&paths, id);
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
	cleanup_json json_t *oci = NULL;
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
	/* The configuration goes with the state: read it for poststop first. */
	{
		sz_error_t ignored = NULL;
		oci = load_oci_state(&paths, id, &ignored);
		sz_error_release(&ignored);
	}
	/* runc: deleting with --force what is not there is no error. */
	if (sz_detached_remove(&paths, id, force, &err) < 0) {
		if (force && err->errno_ == ENOENT)
			sz_error_release(&err);
	} else if (oci != NULL) {
		cleanup_json json_t *state =
		    hook_state(id, "stopped", 0, json_string_value(json_object_get(oci, "bundle")),
		               json_object_get(oci, "annotations"));
		warn_hooks(json_object_get(oci, "config"), "poststop", state);
	}
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
	if (json_object_size(json_object_get(cfg.doc, "hooks")) > 0) {
		unsupported("hooks in the foreground", _("use create and start, or run -d"), &err);
		goto out;
	}
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
/* oci.json of container id: its bundle and its configuration at create. */
static json_t *load_oci_state(const struct sz_paths *paths, const char *id, sz_error_t *err)
{
	cleanup_free char *dir = NULL;
	cleanup_free char *oci = NULL;
	json_error_t jerr;
	json_t *state;

	if (!sz_valid_id(id)) {
		sz_error_make(err, EINVAL, _("invalid container id '%s'"), id);
		return NULL;
	}
	dir = sz_detached_dir(paths, id);
	oci = sz_asprintf("%s/%s", dir, OCI_FILE);
	state = json_load_file(oci, 0, &jerr);
	if (state == NULL || !json_is_string(json_object_get(state, "bundle")) ||
	    !json_is_object(json_object_get(state, "config"))) {
		json_decref(state);
		sz_error_make(err, 0, _("container '%s' does not exist"), id);
		return NULL;
	}
	return state;
}

/* The configuration of create with process replaced by proc (a new
 * reference, or NULL to keep it), read as create read it. */
static int exec_config(const struct sz_paths *paths, const char *id, json_t *proc, struct sz_oci_config *cfg,
                       sz_error_t *err)
{
	cleanup_json json_t *state = load_oci_state(paths, id, err);
	cleanup_free char *text = NULL;
	json_t *doc;

	memset(cfg, 0, sizeof(*cfg));
	if (state == NULL)
		return -1;
	doc = json_object_get(state, "config");
	if (proc != NULL)
		json_object_set(doc, "process", proc);
	text = json_dumps(doc, JSON_COMPACT);
	return sz_oci_config_parse(text, strlen(text), proc != NULL ? _("the process") : "config.json",
	                           json_string_value(json_object_get(state, "bundle")), geteuid() != 0,
	                           geteuid(), getegid(), cfg, err);
}

/* --cwd, --env, --user and the command line on the configuration's process. */
static json_t *exec_process(const struct sz_paths *paths, const char *id, const char *process_file,
                            char **args, int n_args, const char *cwd, json_t *envs, const char *user,
                            bool tty, sz_error_t *err)
{
	cleanup_json json_t *state = NULL;
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
	if ((state = load_oci_state(paths, id, err)) == NULL)
		return NULL;
	proc = json_deep_copy(json_object_get(json_object_get(state, "config"), "process"));
	if (proc == NULL)
		proc = json_object();
	argv = json_array();
	for (int k = 0; k < n_args; k++)
		json_array_append_new(argv, json_string(args[k]));
	json_object_set_new(proc, "args", argv);
	json_object_set_new(proc, "terminal", json_boolean(tty));
	if (cwd != NULL)
		json_object_set_new(proc, "cwd", json_string(cwd));
	if (!json_is_array(json_object_get(proc, "env")))
		json_object_set_new(proc, "env", json_array());
	json_array_foreach (envs, i, v)
		json_array_append(json_object_get(proc, "env"), v);
	if (user != NULL) {
		unsigned long uid = 0, gid = 0;
		char extra = 0;
		int n = sscanf(user, "%lu:%lu%c", &uid, &gid, &extra);
		if (n < 1 || n > 2 || (n == 1 && strchr(user, ':') != NULL) ||
		    user[strspn(user, "0123456789:")] != '\0') {
			json_decref(proc);
			sz_error_make(err, 0, _("--user '%s': give UID or UID:GID"), user);
			return NULL;
		}
		if (!json_is_object(json_object_get(proc, "user")))
			json_object_set_new(proc, "user", json_object());
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
	if (pid_file != NULL && !detach) {
		unsupported("--pid-file", _("only with --detach"), &err);
		goto out;
	}
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

/* One line of `stanza ps`: from /proc, as ps -ef shows it. */
static void ps_line(pid_t pid)
{
	char path[64];
	cleanup_free char *statline = NULL;
	cleanup_free char *cmd = NULL;
	sz_error_t ignored = NULL;
	size_t len = 0;
	struct stat st;
	long ppid = 0;
	char state = '?';
	const char *p;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if (sz_read_file_at(AT_FDCWD, path, &statline, NULL, &ignored) < 0 || stat(path, &st) < 0) {
		sz_error_release(&ignored);
		return;
	}
	p = strrchr(statline, ')');
	if (p != NULL)
		sscanf(p + 2, "%c %ld", &state, &ppid);
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	if (sz_read_file_at(AT_FDCWD, path, &cmd, &len, &ignored) < 0)
		sz_error_release(&ignored);
	for (size_t i = 0; cmd != NULL && len > 0 && i < len - 1; i++)
		if (cmd[i] == '\0')
			cmd[i] = ' ';
	printf("%-8u %-8ld %-8ld %-5c %s\n", (unsigned)st.st_uid, (long)pid, ppid, state,
	       cmd != NULL && len > 0 ? cmd : "");
}

int cmd_ps(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'}, {"help", no_argument, NULL, 'h'}, {0}};
	struct sz_paths paths = {0};
	cleanup_free pid_t *pids = NULL;
	sz_error_t err = NULL;
	const char *id;
	bool as_json = false;
	size_t n = 0;
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+:f:h", opts, NULL)) != -1) {
		if (opt == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0)) {
			as_json = strcmp(optarg, "json") == 0;
		} else if (opt == 'h') {
			fputs(_("Usage: stanza [GLOBAL] ps [--format table|json] ID\n"
			        "\n"
			        "The processes of container ID, as the host numbers them: a table (user id,\n"
			        "pid, parent, state, command line) or, with --format json, their pids.\n"),
			      stdout);
			return SZ_EXIT_OK;
		} else {
			sz_error_make(&err, 0, _("unknown option or value '%s' (see 'stanza ps --help')"),
			              argv[optind - 1]);
			return oci_fail(&err);
		}
	}
	if ((id = take_id(argc, argv, "ps", &err)) == NULL)
		return oci_fail(&err);
	if (optind < argc) {
		unsupported("ps options", _("stanza prints its own table"), &err);
		return oci_fail(&err);
	}
	if (oci_paths(cli, &paths, &err) < 0 || sz_detached_pids(&paths, id, &pids, &n, &err) < 0) {
		sz_paths_release(&paths);
		return oci_fail(&err);
	}
	sz_paths_release(&paths);
	if (as_json) {
		printf("[");
		for (size_t i = 0; i < n; i++)
			printf("%s%ld", i > 0 ? "," : "", (long)pids[i]);
		printf("]\n");
		return SZ_EXIT_OK;
	}
	printf("%-8s %-8s %-8s %-5s %s\n", "UID", "PID", "PPID", "STAT", "CMD");
	for (size_t i = 0; i < n; i++)
		ps_line(pids[i]);
	return SZ_EXIT_OK;
}

static json_t *string_list(const char *const *list)
{
	json_t *a = json_array();

	for (size_t i = 0; list[i] != NULL; i++)
		json_array_append_new(a, json_string(list[i]));
	return a;
}

/* runc features: what this runtime understands, as JSON (the runtime spec's features.md). */
int cmd_features(struct sz_cli *cli, int argc, char **argv)
{
	static const char *const mount_options[] = {
	    "bind",    "rbind",       "ro",         "rw",   "private", "rprivate",
	    "nosuid",  "nodev",       "noexec",     "suid", "exec",    "relatime",
	    "noatime", "strictatime", "nodiratime", "sync", "dirsync", NULL};
	static const char *const namespaces[] = {"pid",   "network", "ipc",  "uts",
	                                         "mount", "cgroup",  "user", NULL};
	static const char *const actions[] = {
	    "SCMP_ACT_ALLOW",       "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
	    "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",  "SCMP_ACT_LOG",  NULL};
	static const char *const operators[] = {"SCMP_CMP_NE",        "SCMP_CMP_LT", "SCMP_CMP_LE",
	                                        "SCMP_CMP_EQ",        "SCMP_CMP_GE", "SCMP_CMP_GT",
	                                        "SCMP_CMP_MASKED_EQ", NULL};
	static const char *const archs[] = {"SCMP_ARCH_X86",   "SCMP_ARCH_X86_64",  "SCMP_ARCH_X32",
	                                    "SCMP_ARCH_ARM",   "SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64LE",
	                                    "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64", NULL};
	cleanup_json json_t *caps = json_array();
	cleanup_json json_t *doc = NULL;
	cleanup_free char *text = NULL;

	(void)cli;
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		fputs(_("Usage: stanza features\n\nWhat stanza understands as an OCI runtime, as JSON (as "
		        "'runc features').\n"),
		      stdout);
		return SZ_EXIT_OK;
	}
	for (int c = 0; c <= CAP_LAST_CAP; c++) {
		char *name = cap_to_name(c);
		if (c == CAP_MKNOD || name == NULL || strncmp(name, "cap_", 4) != 0) {
			cap_free(name);
			continue;
		}
		for (char *p = name; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		json_array_append_new(caps, json_string(name));
		cap_free(name);
	}
	doc =
	    json_pack("{s:s, s:s, s:[], s:o, s:{s:o, s:O, s:{s:b, s:b, s:b, s:b}, s:{s:b, s:o, s:o, s:o}, "
	              "s:{s:b}, s:{s:b}}, s:{s:s}}",
	              "ociVersionMin", "1.0.0", "ociVersionMax", SZ_OCI_VERSION, "hooks", "mountOptions",
	              string_list(mount_options), "linux", "namespaces", string_list(namespaces),
	              "capabilities", caps, "cgroup", "v1", true, "v2", true, "systemd", false, "systemdUser",
	              false, "seccomp", "enabled", true, "actions", string_list(actions), "operators",
	              string_list(operators), "archs", string_list(archs), "apparmor", "enabled", false,
	              "selinux", "enabled", false, "annotations", "org.stanza.version", STANZA_VERSION);
	text = json_dumps(doc, JSON_INDENT(2));
	printf("%s\n", text);
	return SZ_EXIT_OK;
}

/* A number of bytes or a count for update's options: digits only. */
static int update_number(const char *opt, const char *text, uint64_t *out, sz_error_t *err)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (text[0] == '\0' || text[0] == '-' || *end != '\0' || errno != 0 || v == 0)
		return sz_error_make(err, 0, _("%s '%s': give a number above 0"), opt, text);
	*out = v;
	return 0;
}

int cmd_update(struct sz_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"resources", required_argument, NULL, 'r'},
	    {"memory", required_argument, NULL, 'm'},
	    {"memory-swap", required_argument, NULL, 's'},
	    {"pids-limit", required_argument, NULL, 'p'},
	    {"cpu-quota", required_argument, NULL, 'q'},
	    {"cpu-period", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	struct sz_cgroup_limits limits = {0};
	struct sz_paths paths = {0};
	sz_error_t err = NULL;
	const char *id;
	uint64_t quota = 0, period = 100000;
	int opt, ret = SZ_EXIT_OK;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":r:h", opts, NULL)) != -1 && err == NULL) {
		switch (opt) {
		case 'r': {
			cleanup_free char *text = NULL;
			size_t len = 0;
			const char *file = strcmp(optarg, "-") == 0 ? "/dev/stdin" : optarg;
			if (sz_read_file_at(AT_FDCWD, file, &text, &len, &err) == 0)
				sz_oci_parse_resources(text, len, optarg, &limits, &err);
			break;
		}
		case 'm': update_number("--memory", optarg, &limits.memory_bytes, &err); break;
		case 's': update_number("--memory-swap", optarg, &limits.memory_swap_bytes, &err); break;
		case 'p': update_number("--pids-limit", optarg, &limits.pids, &err); break;
		case 'q': update_number("--cpu-quota", optarg, &quota, &err); break;
		case 'P':
			update_number("--cpu-period", optarg, &period, &err);
			if (err == NULL && period != 100000)
				unsupported("--cpu-period", _("stanza's period is 100000 microseconds"),
				            &err);
			break;
		case 'h':
			fputs(_("Usage: stanza [GLOBAL] update [OPTIONS] ID\n"
			        "\n"
			        "Change the limits of running container ID, as 'runc update': only those it\n"
			        "was created with (without limits a container has no cgroup).\n"
			        "\n"
			        "Options:\n"
			        "  -r, --resources FILE   a linux.resources object (- for standard input)\n"
			        "      --memory BYTES     the memory limit\n"
			        "      --memory-swap BYTES\n"
			        "                         memory and swap together\n"
			        "      --pids-limit N     at most N processes and threads\n"
			        "      --cpu-quota US     CPU time per 100000 microseconds\n"),
			      stdout);
			return SZ_EXIT_OK;
		default:
			sz_error_make(&err, 0, _("unknown option '%s' (see 'stanza update --help')"),
			              argv[optind - 1]);
		}
	}
	if (err != NULL)
		return oci_fail(&err);
	if (quota != 0)
		limits.cpu_milli = (quota + 50) / 100;
	if (limits.memory_swap_bytes != 0 && limits.memory_bytes == 0)
		sz_error_make(&err, 0, _("--memory-swap needs --memory: the two are written together"));
	if (err != NULL)
		return oci_fail(&err);
	if ((id = take_id(argc, argv, "update", &err)) == NULL || oci_paths(cli, &paths, &err) < 0 ||
	    sz_detached_update(&paths, id, &limits, &err) < 0)
		ret = oci_fail(&err);
	sz_paths_release(&paths);
	return ret;
}
