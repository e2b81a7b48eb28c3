/*
 * maven.c - Maven's version ordering (ComparableVersion, as Maven 3.8
 * has it: the one Debian ships, and the one the tests hold this to).
 *
 * A version is lowered and parsed into nested lists: '.' separates items,
 * '-' starts a sublist, and a change between digits and letters separates
 * items too; a string followed by a digit, or ending the version, starts
 * a sublist of its own when its list already has items ("1.0.RC1" is
 * [1, [rc, [1]]]). A string followed by a digit spells a, b, m as alpha,
 * beta, milestone; ga, final and release mean the release itself (""),
 * cr means rc. Each list then drops its null items from the end - 0, "",
 * empty lists - going past sublists ("1.0-0" = "1").
 *
 * Items compare: numbers by value; strings by qualifier rank (alpha <
 * beta < milestone < rc < snapshot < release < sp < any other string,
 * those by their bytes); a string is below a number and a list ("1-alpha"
 * < "1" < "1.1", "1-sp" < "1.1"); a list below a number, above a string;
 * a missing item compares as nothing: a number is above it unless 0, a
 * string by its rank against the release, a list by its first deciding
 * item.
 *
 * Versions are ASCII here (Maven lowers with Java's rules and takes any
 * Unicode digit; repositories' versions are ASCII). Longer than
 * MVN_MAX_LEN bytes, a version orders after every shorter one, by bytes,
 * so no input costs more than a bounded parse.
 */
#include "version.h"
#include "../../core/ds.h"
#include <string.h>
#include "../../core/banned.h"

#define MVN_MAX_LEN 512

enum { I_INT, I_STR, I_LIST };

struct item {
	int type;
	const char *s; /* INT: digits without leading zeros ("" for 0); STR: the value */
	size_t n;
	int first, last, next; /* LIST: children; every item: its next sibling (-1: none) */
	bool removed;
};

struct mvn {
	struct item it[2 * MVN_MAX_LEN + 8];
	int n;
	char low[MVN_MAX_LEN + 1];
};

static int new_item(struct mvn *m, int type, const char *s, size_t n)
{
	struct item *x = &m->it[m->n];

	*x = (struct item){type, s, n, -1, -1, -1, false};
	return m->n++;
}

static void add(struct mvn *m, int list, int child)
{
	struct item *l = &m->it[list];

	if (l->last >= 0)
		m->it[l->last].next = child;
	else
		l->first = child;
	l->last = child;
}

static bool empty(const struct mvn *m, int list)
{
	int c;

	for (c = m->it[list].first; c >= 0; c = m->it[c].next)
		if (!m->it[c].removed)
			return false;
	return true;
}

static const char *const quals[] = {"alpha", "beta", "milestone", "rc", "snapshot", "", "sp"};

/* A string item's value as Maven keeps it */
static int str_item(struct mvn *m, const char *s, size_t n, bool followed_by_digit)
{
	static const char *const alias[][2] = {{"ga", ""}, {"final", ""}, {"release", ""}, {"cr", "rc"}};
	size_t i;

	if (followed_by_digit && n == 1) {
		if (s[0] == 'a')
			s = "alpha", n = 5;
		else if (s[0] == 'b')
			s = "beta", n = 4;
		else if (s[0] == 'm')
			s = "milestone", n = 9;
	}
	for (i = 0; i < DS_ARRAY_SIZE(alias); i++)
		if (strlen(alias[i][0]) == n && !memcmp(s, alias[i][0], n)) {
			s = alias[i][1];
			n = strlen(s);
			break;
		}
	return new_item(m, I_STR, s, n);
}

static int parse_item(struct mvn *m, bool digits, const char *s, size_t n)
{
	if (!digits)
		return str_item(m, s, n, false);
	while (n > 1 && s[0] == '0')
		s++, n--;
	if (n == 1 && s[0] == '0')
		n = 0;
	return new_item(m, I_INT, s, n);
}

/* The rank of a qualifier: its index, or past them all */
static int rank(const struct item *x)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(quals); i++)
		if (strlen(quals[i]) == x->n && !memcmp(x->s, quals[i], x->n))
			return (int)i;
	return (int)DS_ARRAY_SIZE(quals);
}

static bool is_null(const struct mvn *m, int i)
{
	const struct item *x = &m->it[i];

	if (x->type == I_INT)
		return x->n == 0;
	if (x->type == I_STR)
		return rank(x) == 5;
	return empty(m, i);
}

static void normalize(struct mvn *m, int list)
{
	int kids[2 * MVN_MAX_LEN + 8], k = 0, c;

	for (c = m->it[list].first; c >= 0; c = m->it[c].next)
		if (!m->it[c].removed)
			kids[k++] = c;
	while (k--) {
		if (is_null(m, kids[k]))
			m->it[kids[k]].removed = true;
		else if (m->it[kids[k]].type != I_LIST)
			break;
	}
}

static void parse(struct mvn *m, const char *v, size_t len)
{
	int stack[MVN_MAX_LEN + 2], sp = 0, list;
	size_t i, start = 0;
	bool digit = false;

	for (i = 0; i < len; i++)
		m->low[i] = v[i] >= 'A' && v[i] <= 'Z' ? (char)(v[i] - 'A' + 'a') : v[i];
	v = m->low;
	m->n = 0;
	list = new_item(m, I_LIST, NULL, 0);
	stack[sp++] = list;
#define PUSH_LIST()                                                                                                    \
	do {                                                                                                           \
		int l2 = new_item(m, I_LIST, NULL, 0);                                                                 \
		add(m, list, l2);                                                                                      \
		list = l2;                                                                                             \
		stack[sp++] = list;                                                                                    \
	} while (0)
	for (i = 0; i < len; i++) {
		char c = v[i];
		if (c == '.' || c == '-') {
			add(m, list, i == start ? new_item(m, I_INT, "", 0) : parse_item(m, digit, v + start, i - start));
			start = i + 1;
			if (c == '-')
				PUSH_LIST();
		} else if (c >= '0' && c <= '9') {
			if (!digit && i > start) {
				if (!empty(m, list))
					PUSH_LIST();
				add(m, list, str_item(m, v + start, i - start, true));
				start = i;
				PUSH_LIST();
			}
			digit = true;
		} else {
			if (digit && i > start) {
				add(m, list, parse_item(m, true, v + start, i - start));
				start = i;
				PUSH_LIST();
			}
			digit = false;
		}
	}
	if (len > start) {
		if (!digit && !empty(m, list))
			PUSH_LIST();
		add(m, list, parse_item(m, digit, v + start, len - start));
	}
#undef PUSH_LIST
	while (sp)
		normalize(m, stack[--sp]);
}

static int sgn(int c)
{
	return c < 0 ? -1 : c > 0;
}

static int cmp_item(const struct mvn *a, int i, const struct mvn *b, int j);

/* item i of a against nothing */
static int cmp_null(const struct mvn *a, int i)
{
	const struct item *x = &a->it[i];
	int c, r;

	if (x->type == I_INT)
		return x->n ? 1 : 0;
	if (x->type == I_STR)
		return sgn(rank(x) - 5);
	for (c = x->first; c >= 0; c = a->it[c].next)
		if (!a->it[c].removed && (r = cmp_null(a, c)))
			return r;
	return 0;
}

static int next_live(const struct mvn *m, int c)
{
	while (c >= 0 && m->it[c].removed)
		c = m->it[c].next;
	return c;
}

static int cmp_item(const struct mvn *a, int i, const struct mvn *b, int j)
{
	const struct item *x = &a->it[i], *y = &b->it[j];
	int c;

	switch (x->type) {
	case I_INT:
		if (y->type != I_INT)
			return 1; /* above strings and lists */
		if (x->n != y->n)
			return x->n < y->n ? -1 : 1;
		return x->n ? sgn(memcmp(x->s, y->s, x->n)) : 0;
	case I_STR:
		if (y->type != I_STR)
			return -1;
		{
			int ra = rank(x), rb = rank(y);
			size_t m;
			if (ra != rb)
				return ra < rb ? -1 : 1;
			if (ra < (int)DS_ARRAY_SIZE(quals))
				return 0;
			m = x->n < y->n ? x->n : y->n;
			if ((c = memcmp(x->s, y->s, m)))
				return sgn(c);
			return x->n < y->n ? -1 : x->n > y->n;
		}
	default:
		if (y->type == I_INT)
			return -1;
		if (y->type == I_STR)
			return 1;
		{
			int l = next_live(a, x->first), r = next_live(b, y->first);
			while (l >= 0 || r >= 0) {
				c = l < 0 ? -cmp_null(b, r) : r < 0 ? cmp_null(a, l) : cmp_item(a, l, b, r);
				if (c)
					return c;
				if (l >= 0)
					l = next_live(a, a->it[l].next);
				if (r >= 0)
					r = next_live(b, b->it[r].next);
			}
			return 0;
		}
	}
}

int ver_maven_cmp(const char *a, const char *b)
{
	static _Thread_local struct mvn x, y; /* 40 KB each: off the stack */
	size_t na = strlen(a), nb = strlen(b);

	if (na > MVN_MAX_LEN || nb > MVN_MAX_LEN) {
		if ((na > MVN_MAX_LEN) != (nb > MVN_MAX_LEN))
			return na > MVN_MAX_LEN ? 1 : -1;
		return sgn(strcmp(a, b));
	}
	parse(&x, a, na);
	parse(&y, b, nb);
	return cmp_item(&x, 0, &y, 0);
}
