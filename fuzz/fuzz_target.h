/*
 * fuzz_target.h - what the fuzz targets share: a target holding a
 * NUL-terminated copy of the input, as the command's reader makes it.
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

static inline void fuzz_target_release(struct target *t)
{
	arena_release(&t->arena);
	free(t->data);
}

#endif
