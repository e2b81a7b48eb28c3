/*
 * arena.h - one bump allocator per target.
 *
 * The parse tree, decoded strings and findings of one file live and die
 * together, so they come from one arena and are freed in one call; nothing
 * in an arena is freed on its own. Blocks grow geometrically up to a cap;
 * an arena refuses to grow past `limit` bytes (the documented per-target
 * memory bound) and then behaves as out of memory.
 */
#ifndef DS_ARENA_H
#define DS_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used_total;
	size_t limit; /* 0: no limit */
	bool failed;  /* sticky: an allocation was refused (callers that
		       * ignore one NULL still learn the result is partial) */
};

void arena_init(struct arena *a, size_t limit);
void arena_release(struct arena *a);
/* Zeroed, 16-byte aligned memory, or NULL. */
void *arena_alloc(struct arena *a, size_t n);
/* Zeroed bytes for a string, unaligned, or NULL. */
char *arena_chars(struct arena *a, size_t n);
void *arena_array(struct arena *a, size_t nmemb, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Grow an arena array (old contents copied, old block abandoned). */
int arena_grow(struct arena *a, void **arr, size_t *cap, size_t want, size_t sz);
/* The same for an array that may grow large (package records of an image):
 * past ARENA_MAX_BLOCK it is reallocated in its own block, not copied, and
 * its old place freed - so nothing may keep a pointer into it across a
 * call. */
int arena_grow_big(struct arena *a, void **arr, size_t *cap, size_t want, size_t sz);
/* Such an array, done growing at n elements: the room past them given
 * back where it has its own block (else left as it is). */
void arena_trim_big(struct arena *a, void **arr, size_t *cap, size_t n, size_t sz);

#endif
