/*
 * apk.c - Alpine's version ordering, as apk-tools compares: numbers
 * separated by dots (a component after the first with leading zeros
 * compares as a fraction: 1.06 < 1.1), one letter after a number
 * (1.0 < 1.0a), suffixes _alpha _beta _pre _rc (before the release) and
 * _cvs _svn _git _hg _p (after it), each with an optional number, and the
 * package revision -rN. Each string is read as a sequence of typed tokens;
 * the first pair that differs decides, then the token types: a version
 * that goes on is newer unless what follows is a pre-release suffix.
 */
#include "version.h"
#include "../../core/ds.h"
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include "../../core/banned.h"

enum { T_INVALID = -1, T_DIGIT_OR_ZERO, T_DIGIT, T_LETTER, T_SUFFIX, T_SUFFIX_NO, T_REVISION_NO, T_END };

static const char *const pre_suffixes[] = {"alpha", "beta", "pre", "rc"};
static const char *const post_suffixes[] = {"cvs", "svn", "git", "hg", "p"};

struct cur {
	const char *p;
	int type; /* the token at p */
};

/* The type of the token after the one just read, past its separator. */
static void next_token(struct cur *c)
{
	int n = T_INVALID, t = c->type;
	unsigned char ch = (unsigned char)*c->p;

	if (!ch)
		n = T_END;
	else if ((t == T_DIGIT || t == T_DIGIT_OR_ZERO) && islower(ch))
		n = T_LETTER;
	else if (t == T_LETTER && isdigit(ch))
		n = T_DIGIT;
	else if (t == T_SUFFIX && isdigit(ch))
		n = T_SUFFIX_NO;
	else {
		if (ch == '.')
			n = T_DIGIT_OR_ZERO;
		else if (ch == '_')
			n = T_SUFFIX;
		else if (ch == '-' && c->p[1] == 'r') {
			n = T_REVISION_NO;
			c->p++;
		}
		c->p++;
	}
	/* tokens only go forward, but for these steps back */
	if (n < t && !((n == T_DIGIT_OR_ZERO && t == T_DIGIT) || (n == T_SUFFIX && t == T_SUFFIX_NO) ||
		       (n == T_DIGIT && t == T_LETTER)))
		n = T_INVALID;
	c->type = n;
}

static long long digits(struct cur *c)
{
	long long v = 0;

	while (isdigit((unsigned char)*c->p)) {
		v = v > (LLONG_MAX - 9) / 10 ? LLONG_MAX : v * 10 + (*c->p - '0');
		c->p++;
	}
	return v;
}

/* The value of the token at c, c moved to the next one. */
static long long get_token(struct cur *c)
{
	long long v = 0;
	int nt = T_INVALID;
	size_t k;

	if (!*c->p) {
		c->type = T_END;
		return 0;
	}
	switch (c->type) {
	case T_DIGIT_OR_ZERO:
		if (*c->p == '0') { /* leading zeros: the more, the smaller */
			while (*c->p == '0')
				c->p++, v--;
			nt = T_DIGIT;
			break;
		}
		/* fall through */
	case T_DIGIT:
	case T_SUFFIX_NO:
	case T_REVISION_NO:
		v = digits(c);
		break;
	case T_LETTER:
		v = (unsigned char)*c->p++;
		break;
	case T_SUFFIX: /* the word and its number are one token: kind first, then the number */
		for (k = 0; k < DS_ARRAY_SIZE(pre_suffixes) + DS_ARRAY_SIZE(post_suffixes); k++) {
			const char *w = k < DS_ARRAY_SIZE(pre_suffixes) ? pre_suffixes[k]
									: post_suffixes[k - DS_ARRAY_SIZE(pre_suffixes)];
			if (!strncmp(c->p, w, strlen(w))) {
				c->p += strlen(w);
				break;
			}
		}
		if (k == DS_ARRAY_SIZE(pre_suffixes) + DS_ARRAY_SIZE(post_suffixes)) {
			c->type = T_INVALID; /* not a suffix apk knows */
			return -1;
		}
		v = digits(c);
		/* numbers up to 2^48 (a 14-digit date and time) keep their order; beyond, they tie */
		v = ((long long)k - (long long)DS_ARRAY_SIZE(pre_suffixes)) * (1LL << 48) +
		    (v < (1LL << 48) - 1 ? v : (1LL << 48) - 1);
		c->type = T_SUFFIX_NO; /* what may follow a suffix's number */
		break;
	default:
		c->type = T_INVALID;
		return -1;
	}
	if (!*c->p)
		c->type = T_END;
	else if (nt != T_INVALID)
		c->type = nt;
	else
		next_token(c);
	return v;
}

int ver_apk_cmp(const char *a, const char *b)
{
	struct cur x = {a, T_DIGIT}, y = {b, T_DIGIT};
	long long va = 0, vb = 0;

	while (x.type == y.type && x.type != T_END && x.type != T_INVALID && va == vb) {
		va = get_token(&x);
		vb = get_token(&y);
	}
	if (va != vb)
		return va < vb ? -1 : 1;
	if (x.type == y.type)
		return 0;
	/* equal so far: the one that goes on is newer, unless it goes on with a pre-release suffix */
	{
		struct cur px = x, py = y; /* look at the suffix without moving past it */
		if (x.type == T_SUFFIX && get_token(&px) < 0)
			return -1;
		if (y.type == T_SUFFIX && get_token(&py) < 0)
			return 1;
	}
	return x.type > y.type ? -1 : x.type < y.type ? 1 : 0;
}
