/*
 * arena.c - bump allocation in chained blocks.
 */
#include "ds.h"

struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(16) unsigned char data[];
};

#define ARENA_MIN_BLOCK (4 * 1024)
#define ARENA_MAX_BLOCK (1024 * 1024)

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used_total = 0;
	a->limit = limit;
	a->failed = false;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		ds_free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
	a->failed = false;
}

/* n zeroed bytes at the next multiple of align (a power of two) in the
 * head block, or in a new one; strings take align 1, so a path costs its
 * length and not the next multiple of 16. */
static void *bump(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0, size;
	void *p;

	if (n > SIZE_MAX / 2) {
		a->failed = true;
		return NULL;
	}
	if (b && (at > b->size || b->size - at < n) && n >= ARENA_MAX_BLOCK / 4) {
		/* a large one alone in its block, behind the current one: the
		 * room left in that one stays in use (an image's 800 KB list of
		 * packages, one after another, left 200 KB each behind) */
		struct arena_block *own;
		if ((a->limit && a->used_total + n > a->limit) || !(own = ds_malloc(sizeof(*own) + n))) {
			a->failed = true;
			return NULL;
		}
		own->size = own->used = n;
		own->next = b->next;
		b->next = own;
		a->used_total += n;
		memset(own->data, 0, n);
		return own->data;
	}
	if (!b || at > b->size || b->size - at < n) {
		size = b ? b->size * 2 : ARENA_MIN_BLOCK;
		if (size > ARENA_MAX_BLOCK)
			size = ARENA_MAX_BLOCK;
		if (size < n)
			size = n;
		if (a->limit && a->used_total + size > a->limit) {
			a->failed = true;
			return NULL;
		}
		b = ds_malloc(sizeof(*b) + size);
		if (!b) {
			a->failed = true;
			return NULL;
		}
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
		a->used_total += size;
		at = 0;
	}
	p = b->data + at;
	b->used = at + n;
	memset(p, 0, n);
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	return bump(a, n, 16);
}

char *arena_chars(struct arena *a, size_t n)
{
	return bump(a, n, 1);
}

void *arena_array(struct arena *a, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / 4 / size)
		return NULL;
	return arena_alloc(a, nmemb * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? arena_chars(a, n + 1) : NULL;

	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int len;
	char *p;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return NULL;
	p = arena_chars(a, (size_t)len + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)len + 1, fmt, ap);
	va_end(ap);
	return p;
}

/* The link to the block that array arr (n bytes) has to itself - at its
 * start, nothing allocated after it - or NULL. */
static struct arena_block **alone(struct arena *a, const void *arr, size_t n)
{
	struct arena_block **pp;

	for (pp = &a->head; *pp; pp = &(*pp)->next)
		if ((*pp)->data == arr)
			return (*pp)->used == n ? pp : NULL;
	return NULL;
}

static int grow(struct arena *a, void **arr, size_t *cap, size_t want, size_t sz, bool may_free)
{
	struct arena_block **pp, *b;
	size_t ncap, old;
	void *np;

	if (want <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	while (ncap < want)
		ncap *= 2;
	if (sz && ncap > SIZE_MAX / 4 / sz)
		return DS_ENOMEM;
	/* (arena_grow_big) a large array alone in its block (one past ARENA_MAX_BLOCK
	 * is) grows in place: doubled into new blocks, it would leave every smaller
	 * copy behind, as much again as itself */
	old = *cap * sz;
	if (may_free && old >= ARENA_MAX_BLOCK && (pp = alone(a, *arr, old))) {
		if (a->limit && a->used_total - (*pp)->size + ncap * sz > a->limit) {
			a->failed = true;
			return DS_ENOMEM;
		}
		if (!(b = ds_realloc(*pp, sizeof(*b) + ncap * sz))) {
			a->failed = true;
			return DS_ENOMEM;
		}
		a->used_total = a->used_total - b->size + ncap * sz;
		memset(b->data + old, 0, ncap * sz - old);
		b->size = b->used = ncap * sz; /* full: nothing else goes into it */
		*pp = b;
		*arr = b->data;
		*cap = ncap;
		return 0;
	}
	np = arena_array(a, ncap, sz);
	if (!np)
		return DS_ENOMEM;
	if (*cap)
		memcpy(np, *arr, *cap * sz);
	*arr = np;
	*cap = ncap;
	return 0;
}

void arena_trim_big(struct arena *a, void **arr, size_t *cap, size_t n, size_t sz)
{
	struct arena_block **pp, *b;

	if (!n || n >= *cap || *cap * sz < ARENA_MAX_BLOCK || !(pp = alone(a, *arr, *cap * sz)))
		return;
	if (!(b = ds_realloc(*pp, sizeof(*b) + n * sz)))
		return; /* (keeping it whole is no failure) */
	a->used_total = a->used_total - b->size + n * sz;
	b->size = b->used = n * sz;
	*pp = b;
	*arr = b->data;
	*cap = n;
}

int arena_grow(struct arena *a, void **arr, size_t *cap, size_t want, size_t sz)
{
	return grow(a, arr, cap, want, sz, false);
}

int arena_grow_big(struct arena *a, void **arr, size_t *cap, size_t want, size_t sz)
{
	return grow(a, arr, cap, want, sz, true);
}
