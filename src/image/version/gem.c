/*
 * gem.c - RubyGems' version ordering (Gem::Version#<=>).
 *
 * A version is a number followed by dot-separated alphanumeric parts and
 * an optional "-pre" part ("1.2.3", "2.0.0.rc1", "1.0-beta.2"); RubyGems
 * reads "-" as ".pre." and then splits the string into segments, each a
 * run of digits (a number) or of letters (a string). Any letter makes a
 * pre-release. Trailing zeros are dropped from the numeric segments before
 * the first string and again from the end ("1.0" = "1", "1.0.a.0" =
 * "1.a"); then segments compare in turn, a missing one as 0: numbers by
 * value, strings by bytes, and a string below any number (so "1.0.a" <
 * "1.0" < "1.0.0.1"). A string Gem::Version refuses orders after every
 * valid one, by its bytes; an empty one is "0", as RubyGems takes it.
 */
#include "version.h"
#include "../../core/ds.h"
#include <string.h>
#include "../../core/banned.h"

#define GEM_MAX_SEGS 64

struct seg {
	const char *p; /* digits without leading zeros, or letters */
	size_t n;
	bool num;
};

struct gemv {
	struct seg s[GEM_MAX_SEGS];
	size_t n;
};

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Gem::Version::ANCHORED_VERSION_PATTERN, with the surrounding blanks */
static bool valid(const char *v, size_t n)
{
	size_t i = 0;

	if (!i && n && !digit(v[0]))
		return false;
	while (i < n && digit(v[i]))
		i++;
	while (i < n && v[i] == '.') { /* (\.[0-9a-zA-Z]+)* */
		size_t k = ++i;
		while (i < n && (digit(v[i]) || alpha(v[i])))
			i++;
		if (i == k)
			return false;
	}
	if (i < n && v[i] == '-') { /* -[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)* */
		do {
			size_t k = ++i;
			while (i < n && (digit(v[i]) || alpha(v[i]) || v[i] == '-'))
				i++;
			if (i == k)
				return false;
		} while (i < n && v[i] == '.');
	}
	return i == n;
}

static void trim(const char **v, size_t *n)
{
	while (*n && (**v == ' ' || **v == '\t' || **v == '\n' || **v == '\r' || **v == '\f' || **v == '\v')) {
		(*v)++;
		(*n)--;
	}
	while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t' || (*v)[*n - 1] == '\n' || (*v)[*n - 1] == '\r' ||
		      (*v)[*n - 1] == '\f' || (*v)[*n - 1] == '\v'))
		(*n)--;
}

/* The canonical segments, or false when there are more than GEM_MAX_SEGS. */
static bool parse(const char *v, size_t n, struct gemv *g)
{
	static const char pre[] = "pre";
	size_t i = 0, first_str = 0, end;
	bool seen_str = false;

	g->n = 0;
	if (!n) { /* "" is "0" */
		return true;
	}
	while (i < n) {
		struct seg s = {v + i, 0, false};
		if (v[i] == '-') { /* "-" is ".pre." */
			s = (struct seg){pre, 3, false};
			i++;
		} else if (digit(v[i])) {
			while (i < n && v[i] == '0' && i + 1 < n && digit(v[i + 1]))
				i++;
			s.p = v + i;
			while (i < n && digit(v[i]))
				i++;
			s.n = (size_t)(v + i - s.p);
			s.num = true;
			if (s.n == 1 && s.p[0] == '0')
				s.n = 0; /* the number 0 */
		} else if (alpha(v[i])) {
			while (i < n && alpha(v[i]))
				i++;
			s.n = (size_t)(v + i - s.p);
		} else {
			i++;
			continue;
		}
		if (g->n == GEM_MAX_SEGS)
			return false;
		if (!s.num && !seen_str) {
			seen_str = true;
			first_str = g->n;
		}
		g->s[g->n++] = s;
	}
	/* drop trailing zeros of each part: the numbers before the first string, and the rest */
	end = seen_str ? first_str : g->n;
	{
		size_t k = end;
		while (k && g->s[k - 1].num && !g->s[k - 1].n)
			k--;
		if (k < end) {
			memmove(&g->s[k], &g->s[end], (g->n - end) * sizeof(g->s[0]));
			g->n -= end - k;
		}
	}
	if (seen_str)
		while (g->n && g->s[g->n - 1].num && !g->s[g->n - 1].n)
			g->n--;
	return true;
}

static int segcmp(const struct seg *a, const struct seg *b)
{
	int c;
	size_t m;

	if (a->num != b->num)
		return a->num ? 1 : -1; /* a string is below a number */
	if (a->num) {
		if (a->n != b->n)
			return a->n < b->n ? -1 : 1;
		c = a->n ? memcmp(a->p, b->p, a->n) : 0;
		return c < 0 ? -1 : c > 0;
	}
	m = a->n < b->n ? a->n : b->n;
	if ((c = memcmp(a->p, b->p, m)))
		return c < 0 ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

int ver_gem_cmp(const char *a, const char *b)
{
	static const struct seg zero = {"", 0, true};
	struct gemv x, y;
	size_t na = strlen(a), nb = strlen(b), i;
	bool va, vb;
	int c;

	trim(&a, &na);
	trim(&b, &nb);
	va = (!na || valid(a, na)) && parse(a, na, &x);
	vb = (!nb || valid(b, nb)) && parse(b, nb, &y);
	if (!va || !vb) {
		if (va != vb)
			return va ? -1 : 1;
		c = strcmp(a, b);
		return c < 0 ? -1 : c > 0;
	}
	for (i = 0; i < x.n || i < y.n; i++)
		if ((c = segcmp(i < x.n ? &x.s[i] : &zero, i < y.n ? &y.s[i] : &zero)))
			return c;
	return 0;
}
