/*
 * str.h - string slices and small text helpers.
 *
 * Text parsed from a file is referenced as a slice into the original buffer
 * (struct str), never copied, so positions stay exact and a target's memory
 * is one read buffer plus its arena. Helpers here never allocate.
 */
#ifndef DS_STR_H
#define DS_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_LIT(s) ((struct str){(s), sizeof(s) - 1})

static inline struct str str_make(const char *p, size_t n)
{
	struct str s = {p, n};
	return s;
}

struct str str_cstr(const char *s);
bool str_eq(struct str a, const char *b);
bool str_ieq(struct str a, const char *b);
bool str_has_prefix(struct str a, const char *prefix);
bool str_has_suffix(struct str a, const char *suffix);
bool str_ihas_suffix(struct str a, const char *suffix);
/* Case-insensitive substring search; returns the offset or -1. */
long str_ifind(struct str hay, const char *needle);
struct str str_trim(struct str s);

/* Decode one UTF-8 sequence (strict: no overlongs, no surrogates); returns
 * its length, or 0 if s does not start with a valid sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Offset of the first invalid UTF-8 byte, or n if all valid. */
size_t utf8_first_invalid(const char *s, size_t n);

/* Parse a whole slice as a non-negative decimal number; false on anything
 * else or overflow past max. */
bool str_to_ulong(struct str s, unsigned long max, unsigned long *out);

/* Basename of a path-like word ("/usr/bin/apt-get" -> "apt-get"). */
struct str str_basename(struct str s);

#endif
