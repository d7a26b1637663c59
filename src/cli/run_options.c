/* SPDX-License-Identifier: GPL-3.0-or-later */
/* run_options.c - parse and check `stanza run` options into a container spec */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/run_options.h"
#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"

static int parse_volume(const char *arg, struct sz_volume *v, sz_error_t *err)
{
	cleanup_free char *copy = sz_xstrdup(arg);
	char *host = copy;
	char *ctr = strchr(copy, ':');
	char *mode = NULL;
	char real[PATH_MAX];

	if (ctr == NULL)
		return sz_error_make(err, 0, _("invalid volume '%s' (use HOST:CONTAINER[:ro])"), arg);
	*ctr++ = '\0';
	mode = strchr(ctr, ':');
	if (mode != NULL)
		*mode++ = '\0';
	if (mode != NULL && strcmp(mode, "ro") != 0 && strcmp(mode, "rw") != 0)
		return sz_error_make(err, 0, _("invalid volume mode '%s' in '%s' (use ro or rw)"), mode, arg);
	if (*ctr != '/')
		return sz_error_make(err, 0,
		                     _("volume target '%s' must be an absolute path in the container"), ctr);
	if (realpath(host, real) == NULL)
		return sz_error_make(err, errno, _("volume source '%s'"), host);
	v->host = sz_xstrdup(real);
	v->container = sz_clean_container_path(ctr);
	v->read_only = mode != NULL && strcmp(mode, "ro") == 0;
	return 0;
}

static int add_env(struct sz_run_options *o, const char *arg, sz_error_t *err)
{
	const char *value;

	if (arg[0] == '=' || arg[0] == '\0')
		return sz_error_make(err, 0, _("invalid environment variable '%s' (use K=V)"), arg);
	o->env = sz_xrealloc(o->env, (o->n_env + 2) * sizeof(char *));
	if (strchr(arg, '=') != NULL)
		o->env[o->n_env++] = sz_xstrdup(arg);
	else if ((value = getenv(arg)) != NULL)
		o->env[o->n_env++] = sz_asprintf("%s=%s", arg, value);
	o->env[o->n_env] = NULL;
	return 0;
}

static int check_user(const char *user, sz_error_t *err)
{
	const char *colon = strchr(user, ':');

	if (user[0] == '\0' || user[0] == ':' ||
	    (colon != NULL && (colon[1] == '\0' || colon[1 + strspn(colon + 1, "0123456789")] != '\0')))
		return sz_error_make(err, 0, _("invalid user '%s' (use NAME, UID or UID:GID)"), user);
	return 0;
}

enum {
	OPT_MEMORY = 256,
	OPT_PIDS,
	OPT_CPUS,
	OPT_HOSTNAME,
	OPT_USER,
	OPT_NET,
	OPT_READ_ONLY,
	OPT_TIMEOUT,
	OPT_TRACE,
	OPT_IMAGE,
	OPT_ENTRYPOINT,
	OPT_INIT,
};

static const struct option run_options[] = {
    {"memory", required_argument, NULL, OPT_MEMORY},
    {"pids", required_argument, NULL, OPT_PIDS},
    {"cpus", required_argument, NULL, OPT_CPUS},
    {"hostname", required_argument, NULL, OPT_HOSTNAME},
    {"volume", required_argument, NULL, 'v'},
    {"user", required_argument, NULL, OPT_USER},
    {"env", required_argument, NULL, 'e'},
    {"workdir", required_argument, NULL, 'w'},
    {"net", required_argument, NULL, OPT_NET},
    {"read-only", no_argument, NULL, OPT_READ_ONLY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"tty", no_argument, NULL, 't'},
    {"trace", no_argument, NULL, OPT_TRACE},
    {"image", required_argument, NULL, OPT_IMAGE},
    {"entrypoint", required_argument, NULL, OPT_ENTRYPOINT},
    {"init", no_argument, NULL, OPT_INIT},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int check_hostname(const char *name, sz_error_t *err)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 ||
	    name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.")] != '\0' ||
	    name[0] == '-')
		return sz_error_make(
		    err, 0, _("invalid host name '%s' (letters, digits, '-' and '.', at most 64)"), name);
	return 0;
}

/* The options that set each limit, as the runtime's messages name them. */
static const char *const limit_flags[SZ_LIMIT_COUNT] = {
    [SZ_LIMIT_MEMORY] = "--memory",
    [SZ_LIMIT_PIDS] = "--pids",
    [SZ_LIMIT_CPU] = "--cpus",
};

static int parse_one(struct sz_run_options *o, int opt, const char *arg, sz_error_t *err)
{
	struct sz_spec *s = &o->spec;
	uint64_t n;

	switch (opt) {
	case OPT_MEMORY: return sz_parse_size(arg, &s->limits.memory_bytes, err);
	case OPT_PIDS:
		if (sz_parse_uint(arg, 1, 4194304, &n, err) < 0)
			return sz_error_wrap(err, "--pids");
		s->limits.pids = n;
		return 0;
	case OPT_CPUS:
		return sz_parse_fraction(arg, &s->limits.cpu_milli, err) < 0 ? sz_error_wrap(err, "--cpus")
		                                                             : 0;
	case OPT_HOSTNAME: s->hostname = arg; return check_hostname(arg, err);
	case 'v':
		/* Counted in the spec as soon as it is whole, so that
		 * sz_run_options_release frees it when a later option fails. */
		o->volumes = sz_xrealloc(o->volumes, (s->n_volumes + 1) * sizeof(*o->volumes));
		s->volumes = o->volumes;
		o->volumes[s->n_volumes] = (struct sz_volume){0};
		if (parse_volume(arg, &o->volumes[s->n_volumes], err) < 0)
			return -1;
		s->n_volumes++;
		return 0;
	case OPT_USER: s->user = arg; return check_user(arg, err);
	case 'e': return add_env(o, arg, err);
	case 'w':
		if (arg[0] != '/')
			return sz_error_make(err, 0, _("working directory '%s' must be an absolute path"),
			                     arg);
		s->workdir = arg;
		return 0;
	case OPT_NET:
		if (strcmp(arg, "none") == 0)
			s->net = SZ_NET_NONE;
		else if (strcmp(arg, "host") == 0)
			s->net = SZ_NET_HOST;
		else
			return sz_error_make(err, 0, _("invalid network '%s' (use none or host)"), arg);
		return 0;
	case OPT_READ_ONLY: s->read_only = true; return 0;
	case OPT_TIMEOUT: o->timeout_text = arg; return sz_parse_duration(arg, &s->timeout_ns, err);
	case 't': s->tty = true; return 0;
	case OPT_TRACE: s->trace_fd = STDERR_FILENO; return 0;
	case OPT_IMAGE:
		s->image = arg;
		o->image_given = true;
		return 0;
	case OPT_ENTRYPOINT: o->entrypoint = arg; return 0;
	case OPT_INIT: s->init = true; return 0;
	case 'h': o->help = true; return 0;
	default: return sz_error_make(err, 0, _("unknown option (see 'stanza run --help')"));
	}
}

int sz_run_options_parse(struct sz_run_options *o, int argc, char **argv, sz_error_t *err)
{
	int opt;

	/* 0, not 1: glibc then forgets the rest of a cluster ("-xv") where an
	 * earlier call stopped, which would point into that call's argv. */
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "+:v:e:w:th", run_options, NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			const char *bad = argv[optind - 1];
			return sz_error_make(err, 0,
			                     opt == ':'
			                         ? _("option '%s' needs a value (see 'stanza run --help')")
			                         : _("unknown option '%s' (see 'stanza run --help')"),
			                     bad);
		}
		if (parse_one(o, opt, optarg, err) < 0)
			return -1;
	}
	o->spec.env = o->env;
	o->spec.limit_words = limit_flags;
	if (o->help)
		return 0;
	/* An image of the store may bring its own command (cmd_run decides). */
	if (optind >= argc && !o->image_given)
		return sz_error_make(err, 0, _("no command given (try 'stanza run -- sh')"));
	o->spec.argv = argv + optind;
	return 0;
}

void sz_run_options_release(struct sz_run_options *o)
{
	for (size_t i = 0; i < o->spec.n_volumes; i++) {
		free(o->volumes[i].host);
		free(o->volumes[i].container);
	}
	free(o->volumes);
	for (size_t i = 0; i < o->n_env; i++)
		free(o->env[i]);
	free(o->env);
}
