/*
 * fuzz_target.h - what the fuzz targets share: a target holding a
 * NUL-terminated copy of the input, as the command's reader makes it;
 * the input fed to a streaming reader in pieces.
 */
#ifndef DS_FUZZ_TARGET_H
#define DS_FUZZ_TARGET_H

#include "core/finding.h"

/* false when out of memory; release with fuzz_target_release(). */
static inline bool fuzz_target(struct target *t, const char *path, const uint8_t *data, size_t size)
{
	ds_domains_register();
	target_init(t, path);
	t->data = malloc(size + 1);
	if (!t->data)
		return false;
	memcpy(t->data, data, size);
	t->data[size] = 0;
	t->len = size;
	return true;
}

/* The input handed over in pieces of chunk bytes (a pull function of
 * gunzip.h's and tar.h's kind), so a reader sees its structures cut at
 * every place. */
struct fuzz_feed {
	const uint8_t *p;
	size_t n, chunk;
};

static inline ssize_t fuzz_feed_pull(void *ud, const void **out)
{
	struct fuzz_feed *f = ud;
	size_t k = f->n < f->chunk ? f->n : f->chunk;

	*out = f->p;
	f->p += k;
	f->n -= k;
	return (ssize_t)k;
}

static inline void fuzz_target_release(struct target *t)
{
	arena_release(&t->arena);
	free(t->data);
}

#endif
