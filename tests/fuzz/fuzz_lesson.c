/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_lesson.c - libFuzzer target: one lesson file through the chapter loader, the content rules and the
 * renderer */
#include <string.h>

#include "common/util.h"
#include "course/course.h"
#include "course/render.h"
#include "fuzz.h"

/*
 * The input is the text of lessons/en/01-<id>.yaml. Whatever it holds, the
 * loader must return 0 with a chapter or -1 with diagnostics and a zeroed
 * chapter, never crash, read out of bounds or leak. A chapter that loaded
 * goes on through what `stanza lessons check` and `stanza lessons show` do
 * with it.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char id[FUZZ_MAX_ID + 1];
	struct sz_diags diags = {0};
	struct sz_chapter ch;
	char *name;

	fuzz_yaml_id(data, size, id);
	name = sz_asprintf("lessons/en/01-%s.yaml", id);
	if (sz_chapter_load_buffer(name, (const char *)data, size, &ch, &diags) == 0) {
		struct sz_render_options o;

		if (diags.n != 0)
			abort(); /* a chapter that loaded has no problems */
		sz_chapter_check_rules(&ch, &diags);
		sz_chapter_word_count(&ch);
		sz_render_options_init(&o);
		o.styled = size % 2 == 0;
		o.width = 20 + size % 100;
		sz_render_chapter(fuzz_sink(), &ch, &o);
		sz_chapter_release(&ch);
	} else {
		static const struct sz_chapter zero;

		if (diags.n == 0 || memcmp(&ch, &zero, sizeof(ch)) != 0)
			abort(); /* a rejected file says why and leaves nothing */
	}
	sz_diags_print(&diags, fuzz_sink());
	sz_diags_release(&diags);
	free(name);
	return 0;
}
