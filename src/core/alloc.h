/*
 * alloc.h - the one allocation wrapper.
 *
 * Everything docksec allocates goes through ds_malloc() and friends so that
 * a test can make the Nth allocation fail (curl's and SQLite's "torture"
 * runs): ds_alloc_fail_at(n) arms the switch, and every parser must then
 * return DS_ENOMEM cleanly, without leaking or crashing. The counter is
 * atomic so the switch also works with the lint worker threads.
 * These functions never abort; they return NULL like malloc().
 */
#ifndef DS_ALLOC_H
#define DS_ALLOC_H

#include <stddef.h>

void *ds_malloc(size_t n);
void *ds_calloc(size_t nmemb, size_t size);
void *ds_realloc(void *p, size_t n);
/* Grow an array of *cap elements of size sz to hold at least want. */
int ds_grow(void **arr, size_t *cap, size_t want, size_t sz);
char *ds_strndup(const char *s, size_t n);
char *ds_strdup(const char *s);
void ds_free(void *p);
/* n bytes (a multiple of 2 MiB) on transparent huge pages where the kernel
 * gives them (madvise mode), zeroed, for a large buffer that lives until
 * the process ends: touching a small page for the first time costs about
 * 10 us on a virtual machine, a 2 MiB page about as much as 8 small ones.
 * NULL when out of memory; never freed. */
void *ds_alloc_huge(size_t n);
/* The directory part of a path ("a/b" -> "a", "b" -> ".", "/b" -> "/"),
 * newly allocated; NULL when out of memory. */
char *ds_dirname(const char *path);

/* Make allocation number n (1-based, counted from this call) fail; every
 * later one fails too until the switch is reset with n = 0. */
void ds_alloc_fail_at(long n);
/* How many allocations were made since the last ds_alloc_fail_at(). */
long ds_alloc_count(void);
/* How many allocations this thread has been refused, ever: a library that
 * reports running out of memory as a parse error (jansson) is told apart
 * by this count moving across the call. */
unsigned long ds_alloc_refused(void);

#endif
