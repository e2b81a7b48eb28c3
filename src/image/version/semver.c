/*
 * semver.c - Semantic Versioning 2.0.0 ordering (npm, Go modules, crates):
 * MAJOR.MINOR.PATCH, a pre-release (-ident.ident...) before its release,
 * build metadata (+...) ignored - Go's "+incompatible" included. Go's
 * pseudo-versions (v0.0.0-20191109021931-daa7c04131f5,
 * v1.2.4-0.20191109021931-daa7c04131f5) are pre-releases and order by
 * these rules, as the go command orders them.
 */
#include "version.h"
#include <ctype.h>
#include <string.h>
#include "../../core/banned.h"

/* Digit strings a[0..na) and b[0..nb) as numbers, any length. */
static int digits_cmp(const char *a, size_t na, const char *b, size_t nb)
{
	int c;

	while (na > 1 && *a == '0')
		a++, na--;
	while (nb > 1 && *b == '0')
		b++, nb--;
	if (na != nb)
		return na < nb ? -1 : 1;
	c = memcmp(a, b, na);
	return c < 0 ? -1 : c > 0;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* The end of the core and pre-release: build metadata is not ordered. */
static size_t span(const char *v)
{
	return strcspn(v, "+");
}

int ver_semver_cmp(const char *a, const char *b)
{
	size_t na, nb;
	int k, c;

	if (*a == 'v' || *a == 'V')
		a++;
	if (*b == 'v' || *b == 'V')
		b++;
	na = span(a);
	nb = span(b);
	/* MAJOR.MINOR.PATCH: a missing part is 0 (npm's loose "1.2") */
	for (k = 0; k < 3; k++) {
		size_t da = strspn(a, "0123456789"), db = strspn(b, "0123456789");
		if (da > na)
			da = na;
		if (db > nb)
			db = nb;
		if ((c = digits_cmp(da ? a : "0", da ? da : 1, db ? b : "0", db ? db : 1)))
			return c;
		a += da, na -= da;
		b += db, nb -= db;
		if (k < 2) {
			if (na && *a == '.')
				a++, na--;
			if (nb && *b == '.')
				b++, nb--;
		}
	}
	/* what is left: "-pre.release" or nothing; a release follows its pre-releases */
	if (!na || !nb)
		return na == nb ? 0 : na ? -1 : 1;
	if (*a == '-')
		a++, na--;
	if (*b == '-')
		b++, nb--;
	while (na && nb) {
		size_t ia = 0, ib = 0;
		bool da, db;
		while (ia < na && a[ia] != '.')
			ia++;
		while (ib < nb && b[ib] != '.')
			ib++;
		da = all_digits(a, ia);
		db = all_digits(b, ib);
		if (da && db)
			c = digits_cmp(a, ia, b, ib);
		else if (da != db)
			c = da ? -1 : 1; /* numeric identifiers sort before alphanumeric ones */
		else {
			c = memcmp(a, b, ia < ib ? ia : ib);
			c = c ? (c < 0 ? -1 : 1) : ia == ib ? 0 : ia < ib ? -1 : 1;
		}
		if (c)
			return c;
		a += ia, na -= ia;
		b += ib, nb -= ib;
		if (na && *a == '.')
			a++, na--;
		if (nb && *b == '.')
			b++, nb--;
	}
	/* a longer list of identifiers follows its prefix */
	return na == nb ? 0 : na ? 1 : -1;
}
