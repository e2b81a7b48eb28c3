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
	static struct img_set s; /* the arena and the directories' cache */
	struct img_layer l;
	char p[IMG_SCAN_MAX_PATH + 1];
	size_t i;

	memset(&s, 0, sizeof(s));
	arena_init(&s.arena, 64u << 20);
	s.b = &s.own;
	memset(&l, 0, sizeof(l));
	if (img_cache_parse(&s, data, size, &l))
		for (i = 0; i < l.nents; i++) { /* every path and link readable, the order kept */
			const char *t = img_entry_link(&l.ents[i]);
			if (t && strlen(t) > size)
				__builtin_trap();
			if (i && img_entry_cmp(&l.ents[i - 1], &l.ents[i]) > 0)
				__builtin_trap();
			if (img_entry_copy(&l.ents[i], p) > size || img_entry_cmpstr(&l.ents[i], p))
				__builtin_trap();
			(void)img_layer_replaces(&l, p);
		}
	arena_release(&s.arena);
	return 0;
}
