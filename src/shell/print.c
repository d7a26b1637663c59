/* SPDX-License-Identifier: GPL-3.0-or-later */
/* print.c - a section as plain text for the line-mode tutorial: wrapped prose, verbatim code, labelled notes
 */
#include <string.h>

#include "common/cleanup.h"
#include "common/i18n.h"
#include "common/util.h"
#include "common/wrap.h"
#include "course/render.h"
#include "shell/shell_internal.h"

/*
 * Plain text only, on a terminal too: no escape codes, no rules of '=' or
 * '-' for a screen reader to spell out. Headings say what they are
 * ("Chapter 3: ...", "Section 2 of 4: ...").
 */

void sz_shell_para(struct sz_shell *sh, const char *text, const char *first, const char *rest)
{
	struct sz_render_options o;

	sz_render_options_init(&o);
	o.width = sh->width;
	sz_render_paragraph(sh->out, text, first, rest, &o);
}

void sz_shell_heading(struct sz_shell *sh, const char *title)
{
	sz_shell_para(sh, title, "", "");
	fputc('\n', sh->out);
}

static char *spaces(size_t n)
{
	char *s = sz_xmalloc(n + 1);

	memset(s, ' ', n);
	s[n] = '\0';
	return s;
}

static void labelled(struct sz_shell *sh, const char *label, const char *text)
{
	cleanup_free char *first = sz_asprintf("%s ", label);
	cleanup_free char *rest = spaces(sz_display_width(first));

	sz_shell_para(sh, text, first, rest);
}

static void block(struct sz_shell *sh, const struct sz_block *b)
{
	switch (b->kind) {
	case SZ_BLOCK_PARA: sz_shell_para(sh, b->text, "", ""); break;
	case SZ_BLOCK_CODE: sz_render_code(sh->out, b->text); break;
	case SZ_BLOCK_NOTE: labelled(sh, _("Note:"), b->text); break;
	case SZ_BLOCK_TIP: labelled(sh, _("Tip:"), b->text); break;
	}
	fputc('\n', sh->out);
}

static void chapter_head(struct sz_shell *sh, const struct sz_chapter *ch)
{
	/* TRANSLATORS: the heading of a chapter in `stanza shell`: "Chapter 3: Limits". */
	cleanup_free char *title = sz_asprintf(_("Chapter %u: %s"), ch->number, ch->title);
	cleanup_free char *summary = sz_asprintf("%s %s", _("In one sentence:"), ch->summary);

	sz_shell_heading(sh, title);
	sz_shell_para(sh, summary, "", "");
	fputc('\n', sh->out);
}

/* Where next leads, so that the learner knows what comes. */
static void footer(struct sz_shell *sh, const struct sz_tutor *t, const struct sz_chapter *ch)
{
	cleanup_free char *text = NULL;

	if (t->section + 1 < ch->n_sections)
		text = sz_asprintf(_("Type 'next' for the next section: %s."),
		                   ch->sections[t->section + 1].title);
	else if (ch->n_quiz > 0)
		text = sz_xstrdup(
		    _("That was the chapter's last section. Type 'quiz' to test yourself, or 'next' for "
		      "the next chapter."));
	else if (t->chapter + 1 < t->course.n_chapters)
		text =
		    sz_xstrdup(_("That was the chapter's last section. Type 'next' for the next chapter."));
	else
		text = sz_xstrdup(_("That was the last section of the course."));
	sz_shell_para(sh, text, "", "");
	fputc('\n', sh->out);
}

void sz_shell_print_section(struct sz_shell *sh)
{
	const struct sz_tutor *t = sh->tutor;
	const struct sz_chapter *ch = sz_tutor_chapter(t);
	const struct sz_section *s = sz_tutor_section(t);
	cleanup_free char *title = NULL;

	if (ch == NULL || s == NULL)
		return;
	if (t->section == 0)
		chapter_head(sh, ch);
	/* TRANSLATORS: a section's heading in `stanza shell`: "Section 2 of 4: What a cgroup is". */
	title = sz_asprintf(_("Section %zu of %zu: %s"), t->section + 1, ch->n_sections, s->title);
	sz_shell_heading(sh, title);
	for (size_t i = 0; i < s->n_blocks; i++)
		block(sh, &s->blocks[i]);
	footer(sh, t, ch);
}
