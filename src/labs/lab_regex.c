/* SPDX-License-Identifier: GPL-3.0-or-later */
/* lab_regex.c - what a lab's regular expressions cost: refuse those regcomp(3) would take ages on */
#include <stdint.h>
#include <string.h>

#include "common/i18n.h"
#include "common/util.h"
#include "labs/lab_internal.h"

/*
 * glibc compiles an extended regular expression into an automaton whose
 * size and build time grow with the expression written out: "a{5}" is five
 * copies of "a", "(a+)+" four, and nesting multiplies. The time grows
 * faster than that size where parts are optional or empty, and stacked
 * repetitions ("a???{3,}") or deeply nested groups make it worse still: a
 * lab file of a few hundred bytes took 45 s to load, and three nested
 * "{255}" take 35 s and 3 GiB. The limits below are far above what a check
 * needs (the course's longest expression writes out to 65 elements, its
 * most in one file to 264) and keep the worst expression they allow to
 * about 5 ms (glibc 2.36).
 *
 * The scan reads the expression as regcomp does with REG_EXTENDED: a
 * backslash and the byte after it are one literal or anchor, a bracket
 * expression is one element, '{' always opens an interval, an unmatched ')'
 * is a literal. What regcomp refuses anyway (an unclosed bracket, a
 * repetition at the start) is left to regcomp, whose message names it;
 * the scan stops early only where regcomp stops too.
 */

enum {
	MAX_COUNT = 255, /* in an interval: "{255}" */
	MAX_DEPTH = 8,   /* groups inside groups */
	MAX_SIZE = 500,  /* elements, repetitions written out */
};

struct level {
	uint64_t size; /* elements of this group so far, repetitions written out */
	uint64_t last; /* the part of size that a repetition now would repeat */
	bool repeated; /* the last thing read was a repetition */
};

struct scan {
	const char *p; /* the next byte to read */
	struct level levels[MAX_DEPTH + 1];
	int depth;
	char *problem; /* translated, once found */
};

static void add(struct scan *s, uint64_t size)
{
	struct level *l = &s->levels[s->depth];

	l->size += size;
	l->last = size;
	l->repeated = false;
	if (l->size > MAX_SIZE)
		s->problem = sz_asprintf(_("it is too long once its repetitions are written out "
		                           "(more than %d elements)"),
		                         MAX_SIZE);
}

/* A repetition of what came last, copies being the copies regcomp makes of
 * it ("a+" is "aa*": two); text, of len bytes, is how it was written. */
static void repeat(struct scan *s, uint64_t copies, const char *text, int len)
{
	struct level *l = &s->levels[s->depth];
	uint64_t last = l->last;

	if (l->repeated) {
		s->problem = sz_asprintf(_("'%.*s' repeats a repetition: write one, or group the first "
		                           "in parentheses"),
		                         len, text);
		return;
	}
	l->size -= last;
	add(s, last * copies + 1);
	l->repeated = true;
}

/* The count of digits at p; their value, or MAX_COUNT + 1 when above, into *n. */
static size_t digits(const char *p, uint64_t *n)
{
	size_t len = strspn(p, "0123456789");

	*n = 0;
	for (size_t i = 0; i < len; i++)
		if ((*n = *n * 10 + (uint64_t)(p[i] - '0')) > MAX_COUNT)
			*n = MAX_COUNT + 1;
	return len;
}

/* An interval at s->p ('{'): "{m}", "{m,}", "{,n}", "{m,n}" or "{,}". */
static void interval(struct scan *s)
{
	const char *start = s->p, *p = s->p + 1;
	uint64_t m = 0, n = 0;
	size_t m_len = digits(p, &m), n_len = 0;
	bool comma;

	p += m_len;
	comma = *p == ',';
	if (comma) {
		n_len = digits(++p, &n);
		p += n_len;
	}
	if (*p != '}' || (m_len == 0 && !comma)) {
		s->problem = sz_xstrdup(_("'{' starts a repetition such as {2} or {1,3}: write \\{ for "
		                          "the character itself"));
		return;
	}
	s->p = p + 1;
	if (m > MAX_COUNT || n > MAX_COUNT)
		s->problem = sz_asprintf(_("'%.*s' repeats more than %d times"), (int)(s->p - start), start,
		                         MAX_COUNT);
	else if (!comma)
		repeat(s, m, start, (int)(s->p - start));
	else
		repeat(s, n_len == 0 ? m + 1 : n > m ? n : m, start, (int)(s->p - start));
}

/*
 * The end of the bracket expression at p ('['), as regcomp finds it: a ']'
 * first (after an optional '^') is a member, and "[:", "[." and "[=" open a
 * class, collating element or equivalence class that only ":]", ".]" or
 * "=]" close; a backslash is a member like any other byte. NULL when there
 * is no end: regcomp refuses the expression.
 */
static const char *bracket_end(const char *p)
{
	p += 1 + (p[1] == '^');
	if (*p == ']')
		p++;
	for (; *p != '\0'; p++) {
		if (*p == ']')
			return p;
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char close[] = {p[1], ']', '\0'};

			p = strstr(p + 2, close);
			if (p == NULL)
				return NULL;
			p++;
		}
	}
	return NULL;
}

static void open_group(struct scan *s)
{
	if (s->depth == MAX_DEPTH) {
		s->problem = sz_asprintf(_("its groups are nested more than %d deep"), MAX_DEPTH);
		return;
	}
	s->levels[++s->depth] = (struct level){0, 0, false};
}

/* A group is two elements more than what it holds. */
static void close_group(struct scan *s)
{
	uint64_t size = s->levels[s->depth--].size + 2;

	add(s, size);
}

/* Read one token at s->p; false at the end, or when no more can be known. */
static bool step(struct scan *s)
{
	const char *end;

	switch (*s->p) {
	case '\0': return false;
	case '(': open_group(s); break;
	case ')':
		if (s->depth > 0)
			close_group(s);
		else
			add(s, 1);
		break;
	case '|':
		add(s, 1);
		s->levels[s->depth].last = 0;
		break;
	case '*': repeat(s, 1, s->p, 1); break;
	case '+': repeat(s, 2, s->p, 1); break;
	case '?': repeat(s, 1, s->p, 1); break;
	case '{': interval(s); return s->problem == NULL;
	case '[':
		if ((end = bracket_end(s->p)) == NULL)
			return false;
		s->p = end;
		add(s, 1);
		break;
	case '\\':
		if (s->p[1] != '\0')
			s->p++;
		add(s, 1);
		break;
	default: add(s, 1); break;
	}
	s->p++;
	return s->problem == NULL;
}

char *sz_lab_regex_problem(const char *re, size_t *size)
{
	struct scan s = {.p = re};

	while (step(&s))
		;
	*size = s.levels[0].size;
	for (int i = 1; i <= s.depth; i++)
		*size += s.levels[i].size;
	return s.problem;
}
