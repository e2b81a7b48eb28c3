/*
 * fuzz_cache.c - libFuzzer target for the layer cache's entry parser
 * (image/cache.c): the cache directory is the user's, so a file in it may
 * have been altered; whatever its bytes, the entry is refused or yields a
 * layer whose entries, links and lookups are sound.
 */
#include "image/cache.h"
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct img_layer l;
	size_t i;

	arena_init(&a, 64u << 20);
	memset(&l, 0, sizeof(l));
	if (img_cache_parse(&a, data, size, &l))
		for (i = 0; i < l.nents; i++) { /* every path and link readable, the order kept */
			const char *t = img_entry_link(&l.ents[i]);
			if (t && strlen(t) > size)
				__builtin_trap();
			if (i && strcmp(l.ents[i - 1].path, l.ents[i].path) > 0)
				__builtin_trap();
			(void)img_layer_replaces(&l, l.ents[i].path);
		}
	arena_release(&a);
	return 0;
}
