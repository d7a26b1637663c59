/* SPDX-License-Identifier: GPL-3.0-or-later */
/* view.c - what every view that shows a doc shares: drawing it and scrolling it */
#include "tui/view.h"

#include "tui/draw.h"

void tui_view_draw_doc(struct tui_view *v, struct tui_pane *p)
{
	v->rows = (size_t)p->rows;
	tui_doc_scroll(&v->doc, 0, v->rows);
	tui_draw_doc(p, 0, p->rows, &v->doc);
}

bool tui_view_scroll(struct tui_view *v, enum tui_request req)
{
	long page = v->rows > 2 ? (long)v->rows - 2 : 1;

	switch (req) {
	case REQ_UP: tui_doc_scroll(&v->doc, -1, v->rows); return true;
	case REQ_DOWN: tui_doc_scroll(&v->doc, 1, v->rows); return true;
	case REQ_PAGE_UP: tui_doc_scroll(&v->doc, -page, v->rows); return true;
	case REQ_PAGE_DOWN: tui_doc_scroll(&v->doc, page, v->rows); return true;
	case REQ_TOP: tui_doc_scroll_to(&v->doc, 0, v->rows); return true;
	case REQ_BOTTOM: tui_doc_scroll_to(&v->doc, v->doc.n, v->rows); return true;
	default: return false;
	}
}
