/*
 * rpm.c - RPM version ordering: rpmvercmp() on each of epoch, version and
 * release.
 *
 * Segments are maximal runs of digits or of letters; anything else only
 * separates them. A numeric segment beats an alphabetic one; '~' sorts
 * before anything (even the end), '^' after the end but before anything
 * else. Numbers compare without leading zeros and without converting, so
 * no length overflows.
 */
#include "version.h"
#include <ctype.h>
#include <string.h>
#include "../../core/banned.h"

static bool sep(int c)
{
	return c && !isalnum(c) && c != '~' && c != '^';
}

/* rpmvercmp over [a, ea) and [b, eb). */
static int vercmp(const char *a, const char *ea, const char *b, const char *eb)
{
	while (a < ea || b < eb) {
		const char *sa, *sb;
		size_t la, lb;
		bool num;
		int c;

		while (a < ea && sep((unsigned char)*a))
			a++;
		while (b < eb && sep((unsigned char)*b))
			b++;
		if ((a < ea && *a == '~') || (b < eb && *b == '~')) {
			if (!(a < ea && *a == '~'))
				return 1;
			if (!(b < eb && *b == '~'))
				return -1;
			a++, b++;
			continue;
		}
		if ((a < ea && *a == '^') || (b < eb && *b == '^')) {
			if (a >= ea)
				return -1;
			if (b >= eb)
				return 1;
			if (*a != '^')
				return 1;
			if (*b != '^')
				return -1;
			a++, b++;
			continue;
		}
		if (a >= ea || b >= eb)
			break;
		sa = a;
		sb = b;
		num = isdigit((unsigned char)*a);
		if (num) {
			while (a < ea && isdigit((unsigned char)*a))
				a++;
			while (b < eb && isdigit((unsigned char)*b))
				b++;
		} else {
			while (a < ea && isalpha((unsigned char)*a))
				a++;
			while (b < eb && isalpha((unsigned char)*b))
				b++;
		}
		if (b == sb) /* segments of different kinds: a number is newer */
			return num ? 1 : -1;
		if (num) {
			while (sa < a && *sa == '0')
				sa++;
			while (sb < b && *sb == '0')
				sb++;
			if (a - sa != b - sb)
				return a - sa < b - sb ? -1 : 1;
		}
		la = (size_t)(a - sa);
		lb = (size_t)(b - sb);
		c = memcmp(sa, sb, la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
	}
	if (a >= ea && b >= eb)
		return 0;
	return a < ea ? 1 : -1;
}

struct rv {
	const char *e, *ee, *v, *ve, *r, *re;
};

static void split(const char *s, struct rv *x)
{
	const char *colon = strchr(s, ':'), *dash, *end = s + strlen(s);

	x->e = x->ee = "";
	if (colon) {
		x->e = s;
		x->ee = colon;
		s = colon + 1;
	}
	dash = strrchr(s, '-');
	x->v = s;
	x->ve = dash ? dash : end;
	x->r = dash ? dash + 1 : end;
	x->re = end;
}

int ver_rpm_cmp(const char *a, const char *b)
{
	struct rv x, y;
	int c;

	split(a, &x);
	split(b, &y);
	/* a missing epoch is 0 */
	if (x.e == x.ee)
		x.e = "0", x.ee = x.e + 1;
	if (y.e == y.ee)
		y.e = "0", y.ee = y.e + 1;
	if ((c = vercmp(x.e, x.ee, y.e, y.ee)))
		return c;
	if ((c = vercmp(x.v, x.ve, y.v, y.ve)))
		return c;
	/* a release on one side only does not order (rpm's behaviour) */
	if (x.r == x.re || y.r == y.re)
		return 0;
	return vercmp(x.r, x.re, y.r, y.re);
}
