/*
 * dpkg.c - Debian version ordering (deb-version(7)), and the upstream
 * ordering built on it.
 *
 * The comparison walks both strings at once, alternating a non-digit run
 * (compared character by character with '~' lowest, then the end, then
 * letters, then everything else) and a digit run (compared as a number).
 * Numbers are compared as strings without leading zeros, so a 40-digit
 * snapshot date cannot overflow anything.
 */
#include "version.h"
#include <ctype.h>
#include <string.h>
#include "../../core/banned.h"

static int order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* Digit runs at *pa and *pb compared as numbers; both advanced past them. */
static int numcmp(const char **pa, const char **pb)
{
	const char *a = *pa, *b = *pb;
	size_t na, nb;
	int c;

	while (*a == '0')
		a++;
	while (*b == '0')
		b++;
	for (na = 0; isdigit((unsigned char)a[na]); na++)
		;
	for (nb = 0; isdigit((unsigned char)b[nb]); nb++)
		;
	*pa = a + na;
	*pb = b + nb;
	if (na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, na);
	return c < 0 ? -1 : c > 0;
}

/* One part (upstream or revision) of length na / nb. */
static int part(const char *a, size_t na, const char *b, size_t nb)
{
	const char *ea = a + na, *eb = b + nb;

	while (a < ea || b < eb) {
		while ((a < ea && !isdigit((unsigned char)*a)) || (b < eb && !isdigit((unsigned char)*b))) {
			int ca = order(a < ea ? (unsigned char)*a : 0), cb = order(b < eb ? (unsigned char)*b : 0);
			if (ca != cb)
				return ca < cb ? -1 : 1;
			if (a < ea)
				a++;
			if (b < eb)
				b++;
		}
		{
			/* digit runs end at the part's end too */
			const char *sa = a, *sb = b;
			size_t la = 0, lb = 0;
			int c;
			while (sa + la < ea && isdigit((unsigned char)sa[la]))
				la++;
			while (sb + lb < eb && isdigit((unsigned char)sb[lb]))
				lb++;
			while (la && *sa == '0')
				sa++, la--;
			while (lb && *sb == '0')
				sb++, lb--;
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(sa, sb, la);
			if (c)
				return c < 0 ? -1 : 1;
			a = sa + la;
			b = sb + lb;
		}
	}
	return 0;
}

struct dv {
	const char *up, *rev;
	size_t nup, nrev;
	const char *epoch;
};

static void split(const char *v, struct dv *d)
{
	const char *colon = strchr(v, ':'), *dash;

	d->epoch = colon ? v : "0";
	if (colon)
		v = colon + 1;
	dash = strrchr(v, '-');
	d->up = v;
	d->nup = dash ? (size_t)(dash - v) : strlen(v);
	d->rev = dash ? dash + 1 : "";
	d->nrev = strlen(d->rev);
}

int ver_dpkg_cmp(const char *a, const char *b)
{
	struct dv x, y;
	const char *ea, *eb;
	int c;

	split(a, &x);
	split(b, &y);
	ea = x.epoch;
	eb = y.epoch;
	if ((c = numcmp(&ea, &eb)))
		return c;
	if ((c = part(x.up, x.nup, y.up, y.nup)))
		return c;
	return part(x.rev, x.nrev, y.rev, y.nrev);
}

bool ver_dpkg_valid(const char *v)
{
	const char *colon = strchr(v, ':'), *p;
	struct dv d;
	size_t i;

	if (!*v)
		return false;
	if (colon) {
		if (colon == v)
			return false;
		for (p = v; p < colon; p++)
			if (!isdigit((unsigned char)*p))
				return false;
	}
	split(v, &d);
	if (!d.nup || !isdigit((unsigned char)d.up[0]))
		return false;
	for (i = 0; i < d.nup; i++)
		if (!isalnum((unsigned char)d.up[i]) && !strchr(".+~-:", d.up[i]))
			return false;
	for (i = 0; i < d.nrev; i++)
		if (!isalnum((unsigned char)d.rev[i]) && !strchr(".+~", d.rev[i]))
			return false;
	return !(d.rev[0] == 0 && strrchr(v, '-'));
}

/* Upstream: drop a leading 'v' and build metadata; a '-' or '.' before a
 * pre-release word becomes '~', then the parts compare as dpkg upstream
 * versions. Written into a bounded local copy. */
static void norm(const char *v, char *out, size_t cap)
{
	size_t n = 0;
	static const char *const pre[] = {"rc", "beta", "alpha", "dev", "pre"};

	if (*v == 'v' || *v == 'V')
		v++;
	for (; *v && *v != '+' && n + 1 < cap; v++) {
		if (*v == '-' || (*v == '.' && n && !isdigit((unsigned char)v[1]))) {
			size_t k;
			for (k = 0; k < sizeof(pre) / sizeof(*pre); k++)
				if (!strncasecmp(v + 1, pre[k], strlen(pre[k])))
					break;
			if (k < sizeof(pre) / sizeof(*pre)) {
				out[n++] = '~';
				continue;
			}
			if (*v == '-') {
				out[n++] = '.';
				continue;
			}
		}
		out[n++] = *v;
	}
	out[n] = 0;
}

int ver_upstream_cmp(const char *a, const char *b)
{
	char x[128], y[128];

	norm(a, x, sizeof(x));
	norm(b, y, sizeof(y));
	return part(x, strlen(x), y, strlen(y));
}
