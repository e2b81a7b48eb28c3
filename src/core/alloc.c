/*
 * alloc.c - malloc wrapper with a failure-injection switch for tests.
 */
#include "ds.h"
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>

static atomic_long alloc_seen;
static atomic_long alloc_fail_at;
static _Thread_local unsigned long refused; /* allocations this thread was refused */

unsigned long ds_alloc_refused(void)
{
	return refused;
}

void ds_alloc_fail_at(long n)
{
	atomic_store(&alloc_seen, 0);
	atomic_store(&alloc_fail_at, n);
}

long ds_alloc_count(void)
{
	return atomic_load(&alloc_seen);
}

static int should_fail(void)
{
	long at = atomic_load(&alloc_fail_at);
	long seen = atomic_fetch_add(&alloc_seen, 1) + 1;
	return at > 0 && seen >= at;
}

void *ds_malloc(size_t n)
{
	void *p = should_fail() ? NULL : malloc(n ? n : 1);

	refused += !p;
	return p;
}

void *ds_calloc(size_t nmemb, size_t size)
{
	void *p = should_fail() ? NULL : calloc(nmemb ? nmemb : 1, size ? size : 1);

	refused += !p;
	return p;
}

void *ds_realloc(void *p, size_t n)
{
	void *q = should_fail() ? NULL : realloc(p, n ? n : 1);

	refused += !q;
	return q;
}

int ds_grow(void **arr, size_t *cap, size_t want, size_t sz)
{
	size_t ncap;
	void *np;

	if (want <= *cap)
		return 0;
	ncap = *cap ? *cap : 8;
	while (ncap < want) {
		if (ncap > SIZE_MAX / 2 / sz)
			return DS_ENOMEM;
		ncap *= 2;
	}
	np = ds_realloc(*arr, ncap * sz);
	if (!np)
		return DS_ENOMEM;
	*arr = np;
	*cap = ncap;
	return 0;
}

char *ds_strndup(const char *s, size_t n)
{
	char *p = ds_malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *ds_strdup(const char *s)
{
	return ds_strndup(s, strlen(s));
}

void ds_free(void *p)
{
	free(p);
}

char *ds_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return ds_strdup(".");
	if (slash == path)
		return ds_strdup("/");
	return ds_strndup(path, (size_t)(slash - path));
}

void *ds_alloc_huge(size_t n)
{
	const size_t huge = 2u << 20;
	char *p, *a;

	if (should_fail() || !n || n > SIZE_MAX - huge) {
		refused++;
		return NULL;
	}
	n = (n + huge - 1) & ~(huge - 1);
	if ((p = mmap(NULL, n + huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)) == MAP_FAILED) {
		refused++;
		return NULL;
	}
	a = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
	/* the unaligned ends go back; the rest is asked for as huge pages (a hint) */
	if (a > p)
		munmap(p, (size_t)(a - p));
	if (a + n < p + n + huge)
		munmap(a + n, (size_t)(p + n + huge - (a + n)));
#ifdef MADV_HUGEPAGE
	madvise(a, n, MADV_HUGEPAGE);
#endif
	return a;
}
