/*
 * pep440.c - Python's version ordering (PEP 440, as pypa/packaging
 * normalises and orders): [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local],
 * with the spellings the PEP accepts (alpha, beta, c, pre, preview; post,
 * rev, r, "-N"; separators . _ - or none; any case; a leading v).
 *
 * Order: epoch, release (trailing zeros ignored), then a developmental
 * release of a final version before its pre-releases, pre-releases before
 * the final version, post-releases after, .devN before what it develops;
 * a local version after the same public one, its segments numeric above
 * alphanumeric. A string that is not a PEP 440 version orders after every
 * valid one, by its bytes (packaging refuses it; a database never has it).
 */
#include "version.h"
#include "../../core/ds.h"
#include <ctype.h>
#include <string.h>
#include "../../core/banned.h"

#define P440_MAX_PARTS 32

struct num {
	const char *p; /* digits, leading zeros dropped; n == 0: the number 0 */
	size_t n;
};

struct p440 {
	struct num epoch, rel[P440_MAX_PARTS];
	size_t nrel;
	int pre;       /* -1 none, 0 a, 1 b, 2 rc */
	struct num pre_n;
	bool post, dev;
	struct num post_n, dev_n;
	const char *local; /* after '+', or NULL */
	size_t nlocal;
};

static int numcmp(struct num a, struct num b)
{
	int c;

	if (a.n != b.n)
		return a.n < b.n ? -1 : 1;
	c = a.n ? strncmp(a.p, b.p, a.n) : 0;
	return c < 0 ? -1 : c > 0;
}

static const char *number(const char *s, struct num *out)
{
	const char *e = s;

	while (*s == '0' && isdigit((unsigned char)s[1]))
		s++;
	while (isdigit((unsigned char)*e))
		e++;
	out->p = s;
	out->n = (size_t)(e - s);
	if (out->n == 1 && *s == '0')
		out->n = 0;
	return e;
}

static bool sep(char c)
{
	return c == '.' || c == '_' || c == '-';
}

/* The word among words[] that s starts with (case-insensitively), longest first: its index, *len set. */
static int word(const char *s, const char *const *words, size_t n, size_t *len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		size_t k = strlen(words[i]);
		if (!strncasecmp(s, words[i], k)) {
			*len = k;
			return (int)i;
		}
	}
	return -1;
}

static bool parse(const char *s, struct p440 *v)
{
	static const char *const pre[] = {"alpha", "a", "beta", "b", "preview", "pre", "rc", "c"};
	static const int pre_phase[] = {0, 0, 1, 1, 2, 2, 2, 2};
	static const char *const post[] = {"post", "rev", "r"};
	const char *p;
	size_t k;
	int w;

	memset(v, 0, sizeof(*v));
	v->pre = -1;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == 'v' || *s == 'V')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	p = number(s, &v->rel[0]);
	if (*p == '!') {
		v->epoch = v->rel[0];
		if (!isdigit((unsigned char)p[1]))
			return false;
		p = number(p + 1, &v->rel[0]);
	}
	v->nrel = 1;
	while (*p == '.' && isdigit((unsigned char)p[1])) {
		if (v->nrel == P440_MAX_PARTS)
			return false;
		p = number(p + 1, &v->rel[v->nrel++]);
	}
	/* pre-release */
	{
		const char *q = sep(*p) ? p + 1 : p;
		if ((w = word(q, pre, DS_ARRAY_SIZE(pre), &k)) >= 0) {
			v->pre = pre_phase[w];
			q += k;
			if (sep(*q)) /* packaging takes the separator after the word, number or not */
				q++;
			p = number(q, &v->pre_n);
		}
	}
	/* post-release: "-N", or [sep]post[sep][N] */
	if (*p == '-' && isdigit((unsigned char)p[1])) {
		v->post = true;
		p = number(p + 1, &v->post_n);
	} else {
		const char *q = sep(*p) ? p + 1 : p;
		if ((w = word(q, post, DS_ARRAY_SIZE(post), &k)) >= 0) {
			v->post = true;
			q += k;
			if (sep(*q)) /* packaging takes the separator after the word, number or not */
				q++;
			p = number(q, &v->post_n);
		}
	}
	/* developmental release */
	{
		const char *q = sep(*p) ? p + 1 : p;
		if (!strncasecmp(q, "dev", 3)) {
			v->dev = true;
			q += 3;
			if (sep(*q)) /* packaging takes the separator after the word, number or not */
				q++;
			p = number(q, &v->dev_n);
		}
	}
	if (*p == '+') {
		const char *q = ++p;
		while (isalnum((unsigned char)*q) || (sep(*q) && isalnum((unsigned char)q[1]) && q > p))
			q++;
		if (q == p)
			return false;
		v->local = p;
		v->nlocal = (size_t)(q - p);
		p = q;
	}
	while (isspace((unsigned char)*p))
		p++;
	return !*p;
}

/* -1 / 0 / 1 between "none" and a value, where none sorts as lo (true: before every value) */
static int opt(bool ha, bool hb, struct num a, struct num b, bool none_first)
{
	if (ha && hb)
		return numcmp(a, b);
	if (ha == hb)
		return 0;
	return ha == none_first ? 1 : -1;
}

/* Local segments: numeric ones above alphanumeric ones, numbers as numbers, words case-insensitively. */
static int local_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	while (na && nb) {
		size_t ia = strcspn(a, "._-"), ib = strcspn(b, "._-"), i;
		bool da = true, db = true;
		int c = 0;
		if (ia > na)
			ia = na;
		if (ib > nb)
			ib = nb;
		for (i = 0; i < ia; i++)
			da &= isdigit((unsigned char)a[i]) != 0;
		for (i = 0; i < ib; i++)
			db &= isdigit((unsigned char)b[i]) != 0;
		if (da != db)
			return da ? 1 : -1;
		if (da) {
			struct num x, y;
			number(a, &x);
			number(b, &y);
			x.n = x.n > ia ? ia : x.n;
			y.n = y.n > ib ? ib : y.n;
			c = numcmp(x, y);
		} else {
			c = strncasecmp(a, b, ia < ib ? ia : ib);
			c = c ? (c < 0 ? -1 : 1) : ia == ib ? 0 : ia < ib ? -1 : 1;
		}
		if (c)
			return c;
		a += ia, na -= ia;
		b += ib, nb -= ib;
		if (na)
			a++, na--;
		if (nb)
			b++, nb--;
	}
	return na == nb ? 0 : na ? 1 : -1;
}

int ver_pep440_cmp(const char *a, const char *b)
{
	struct p440 x, y;
	bool vx = parse(a, &x), vy = parse(b, &y);
	size_t i, n;
	int c;

	if (!vx || !vy) {
		if (vx != vy)
			return vx ? -1 : 1;
		c = strcmp(a, b);
		return c < 0 ? -1 : c > 0;
	}
	if ((c = numcmp(x.epoch, y.epoch)))
		return c;
	n = x.nrel > y.nrel ? x.nrel : y.nrel; /* 1.0 == 1.0.0: missing parts are 0 */
	for (i = 0; i < n; i++) {
		struct num z = {"", 0};
		if ((c = numcmp(i < x.nrel ? x.rel[i] : z, i < y.nrel ? y.rel[i] : z)))
			return c;
	}
	/* pre: a dev release of the final version (no pre, no post) comes first, no pre at all last */
	{
		int ka = x.pre >= 0 ? 1 : (!x.post && x.dev) ? 0 : 2, kb = y.pre >= 0 ? 1 : (!y.post && y.dev) ? 0 : 2;
		if (ka != kb)
			return ka < kb ? -1 : 1;
		if (ka == 1) {
			if (x.pre != y.pre)
				return x.pre < y.pre ? -1 : 1;
			if ((c = numcmp(x.pre_n, y.pre_n)))
				return c;
		}
	}
	if ((c = opt(x.post, y.post, x.post_n, y.post_n, true)))
		return c;
	if ((c = opt(x.dev, y.dev, x.dev_n, y.dev_n, false)))
		return c;
	if (!x.local || !y.local)
		return x.local == y.local ? 0 : x.local ? 1 : -1;
	return local_cmp(x.local, x.nlocal, y.local, y.nlocal);
}
