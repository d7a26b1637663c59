/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_lab.c - libFuzzer target: one lab file through the lab loader */
#include <string.h>

#include "common/util.h"
#include "course/course.h"
#include "fuzz.h"
#include "labs/lab.h"

/*
 * The input is the text of labs/fuzz/<id>.yaml. The loader must return 0
 * with a lab or -1 with diagnostics and a zeroed lab, never crash, read out
 * of bounds or leak (the compiled regular expressions included).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[FUZZ_MAX_ID + 1];
	struct sz_diags diags = {0};
	struct sz_lab lab;
	char *name;

	fuzz_yaml_id(data, size, id);
	name = sz_asprintf("labs/fuzz/%s.yaml", id);
	if (sz_lab_load_buffer(name, "fuzz", (const char *)data, size, &lab, &diags) == 0) {
		if (diags.n != 0 || lab.n_steps == 0)
			abort(); /* a lab that loaded has no problems and some steps */
		for (size_t i = 0; i < lab.n_steps; i++)
			if (sz_lab_find_step(&lab, lab.steps[i].id) == NULL)
				abort();
		sz_lab_release(&lab);
	} else {
		static const struct sz_lab zero;

		if (diags.n == 0 || memcmp(&lab, &zero, sizeof(lab)) != 0)
			abort(); /* a rejected file says why and leaves nothing */
	}
	sz_diags_print(&diags, fuzz_sink());
	sz_diags_release(&diags);
	free(name);
	return 0;
}
