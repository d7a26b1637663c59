/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_containerfile.c - libFuzzer target: the Containerfile parser, and image names */
#include <string.h>

#include "fuzz.h"
#include "image/containerfile.h"
#include "image/store.h"

/*
 * An input whose first byte is 'N' is an image name (up to the first NUL):
 * refused with a message, or made a reference that has a tag and that
 * names itself. Any other input is a Containerfile: parsed, or refused
 * with one line that starts with the file's name; what parses has, for each
 * instruction, a line and column, a keyword and arguments, and an exec form
 * only for RUN, CMD and ENTRYPOINT, made of strings.
 */

static void expect(bool ok)
{
	if (!ok)
		abort();
}

static void fuzz_ref(const char *text)
{
	sz_error_t err = NULL;
	char *ref = sz_image_ref(text, &err);
	char *again;

	if (ref == NULL) {
		expect(err != NULL && sz_error_msg(err)[0] != '\0');
		sz_error_release(&err);
		return;
	}
	expect(err == NULL);
	expect(strchr(strrchr(ref, '/') ? strrchr(ref, '/') : ref, ':') != NULL);
	again = sz_image_ref(ref, &err);
	expect(again != NULL && strcmp(again, ref) == 0);
	free(again);
	free(ref);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sz_containerfile cf;
	sz_error_t err = NULL;

	if (size > 0 && data[0] == 'N') {
		char *text = strndup((const char *)data + 1, size - 1);
		fuzz_ref(text);
		free(text);
		return 0;
	}
	if (sz_containerfile_parse((const char *)data, size, "Containerfile", &cf, &err) < 0) {
		const char *msg = sz_error_msg(err);
		expect(strncmp(msg, "Containerfile:", 14) == 0 && strchr(msg, '\n') == NULL);
		sz_error_release(&err);
		return 0;
	}
	expect(err == NULL && cf.n > 0);
	for (size_t i = 0; i < cf.n; i++) {
		const struct sz_instr *in = &cf.v[i];
		bool command = in->kind == SZ_I_RUN || in->kind == SZ_I_CMD || in->kind == SZ_I_ENTRYPOINT;
		size_t j;
		json_t *x;

		expect(in->line >= 1 && in->col >= 1 && in->keyword != NULL && in->args[0] != '\0');
		expect(in->exec == NULL || (command && json_is_array(in->exec)));
		json_array_foreach (in->exec, j, x)
			expect(json_is_string(x));
	}
	sz_containerfile_release(&cf);
	return 0;
}
