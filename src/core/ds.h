/*
 * ds.h - the umbrella header every docksec source file includes first.
 *
 * It pulls in the C library headers the code base uses everywhere, the core
 * utilities (errors, allocation, strings, buffers, arenas) and, last,
 * banned.h, so that no file can call a banned function.
 */
#ifndef DS_H
#define DS_H

#define _GNU_SOURCE 1

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "alloc.h"
#include "str.h"
#include "buf.h"
#include "arena.h"

#define DS_VERSION "0.1.0"
#define DS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The first index of the sorted base[0..n) (size bytes each) whose element
 * is not below key, by cmp(key, element); n when every one is below. */
static inline size_t ds_lower_bound(const void *base, size_t n, size_t size, const void *key,
				    int (*cmp)(const void *key, const void *elem))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(key, (const char *)base + mid * size) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

#include "banned.h"

#endif
