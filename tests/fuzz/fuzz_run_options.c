/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_run_options.c - libFuzzer target: `stanza run` command lines through sz_run_options_parse */
#include <string.h>

#include "cli/run_options.h"
#include "common/util.h"
#include "fuzz.h"

enum { MAX_ARGS = 64 };

/*
 * The input is the arguments after "run", separated by NUL bytes. The parser
 * must accept them into a complete spec or refuse them with a message, never
 * crash or leak; a spec it accepts holds what the runtime relies on without
 * checking again: a command (unless --image names one, whose own command
 * cmd_run may use), absolute clean container paths, K=V variables.
 * Volume sources are resolved with realpath(3) (read-only lookups); nothing
 * else touches the system.
 */
static void check_spec(const struct sz_run_options *o)
{
	const struct sz_spec *s = &o->spec;

	if (!o->help && (s->argv == NULL || (!o->image_given && s->argv[0] == NULL)))
		abort();
	for (size_t i = 0; i < s->n_volumes; i++) {
		char *again = sz_clean_container_path(s->volumes[i].container);

		if (s->volumes[i].host[0] != '/' || strcmp(again, s->volumes[i].container) != 0)
			abort();
		free(again);
	}
	for (size_t i = 0; i < o->n_env; i++)
		if (strchr(s->env[i], '=') == NULL || s->env[i][0] == '=')
			abort();
	if (s->env != NULL && s->env[o->n_env] != NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = sz_xmalloc(size + 1);
	char *argv[MAX_ARGS + 2] = {"run"};
	int argc = 1;
	struct sz_run_options o = {0};
	sz_error_t err = NULL;

	memcpy(text, data, size);
	text[size] = '\0';
	for (char *p = text; p <= text + size && argc <= MAX_ARGS; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	sz_spec_init(&o.spec);
	if (sz_run_options_parse(&o, argc, argv, &err) == 0) {
		if (err != NULL)
			abort();
		check_spec(&o);
	} else if (err == NULL || sz_error_msg(err)[0] == '\0') {
		abort(); /* a refusal says why */
	}
	sz_error_release(&err);
	sz_run_options_release(&o);
	free(text);
	return 0;
}
