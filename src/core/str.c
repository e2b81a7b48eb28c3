/*
 * str.c - slice comparisons and a strict UTF-8 decoder.
 */
#include "ds.h"

struct str str_cstr(const char *s)
{
	return str_make(s, strlen(s));
}

bool str_eq(struct str a, const char *b)
{
	size_t n;

	/* rules compare command names all the time and almost always differ
	 * in the first byte: decide that before measuring b */
	if (a.n == 0 || a.p[0] != b[0])
		return a.n == 0 && b[0] == 0;
	n = strlen(b);
	return a.n == n && memcmp(a.p, b, n) == 0;
}

bool str_ieq(struct str a, const char *b)
{
	size_t n = strlen(b);
	return a.n == n && strncasecmp(a.p, b, n) == 0;
}

bool str_has_prefix(struct str a, const char *prefix)
{
	size_t n;

	if (prefix[0] && (a.n == 0 || a.p[0] != prefix[0]))
		return false;
	n = strlen(prefix);
	return a.n >= n && memcmp(a.p, prefix, n) == 0;
}

bool str_has_suffix(struct str a, const char *suffix)
{
	size_t n = strlen(suffix);
	return a.n >= n && memcmp(a.p + a.n - n, suffix, n) == 0;
}

bool str_ihas_suffix(struct str a, const char *suffix)
{
	size_t n = strlen(suffix);
	return a.n >= n && strncasecmp(a.p + a.n - n, suffix, n) == 0;
}

long str_ifind(struct str hay, const char *needle)
{
	size_t n = strlen(needle), i;

	if (n == 0)
		return 0;
	for (i = 0; i + n <= hay.n; i++)
		if (strncasecmp(hay.p + i, needle, n) == 0)
			return (long)i;
	return -1;
}

struct str str_trim(struct str s)
{
	while (s.n && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && isspace((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t len, i;

	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if ((u[0] & 0xe0) == 0xc0) {
		len = 2;
		c = u[0] & 0x1f;
	} else if ((u[0] & 0xf0) == 0xe0) {
		len = 3;
		c = u[0] & 0x0f;
	} else if ((u[0] & 0xf8) == 0xf0) {
		len = 4;
		c = u[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_first_invalid(const char *s, size_t n)
{
	size_t i = 0;
	uint32_t cp;

	while (i < n) {
		size_t w;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		w = utf8_decode(s + i, n - i, &cp);
		if (!w)
			return i;
		i += w;
	}
	return n;
}

bool str_to_ulong(struct str s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	size_t i;

	if (s.n == 0)
		return false;
	for (i = 0; i < s.n; i++) {
		if (s.p[i] < '0' || s.p[i] > '9')
			return false;
		if (v > (max - (unsigned long)(s.p[i] - '0')) / 10)
			return false;
		v = v * 10 + (unsigned long)(s.p[i] - '0');
	}
	*out = v;
	return true;
}

struct str str_basename(struct str s)
{
	size_t i = s.n;

	while (i > 0 && s.p[i - 1] != '/')
		i--;
	return str_make(s.p + i, s.n - i);
}
