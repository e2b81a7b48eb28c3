/*
 * fuzz_gunzip.c - libFuzzer target for the igzip stream reader (gunzip.c):
 * the input's first byte sets the size of the chunks the rest is handed
 * over in, its second the size of the reads, so members and headers are
 * cut at every place; the reader must end (at most 64 MiB inflated, as
 * the image reader's budget would stop it) with bytes, 0 or an error.
 */
#include "fuzz_target.h"
#include "image/gunzip.h"
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct img_gunzip *g;
	static unsigned char out[65536];
	struct fuzz_feed f;
	size_t cap, total = 0;
	const char *why = NULL;
	ssize_t r;

	if (size < 2 || !img_gunzip_available() || (!g && !(g = img_gunzip_new())))
		return 0;
	f.chunk = (size_t)data[0] * 97 + 1;
	cap = (size_t)data[1] * 251 + 1;
	f.p = data + 2;
	f.n = size - 2;
	img_gunzip_start(g, fuzz_feed_pull, &f);
	while ((r = img_gunzip_read(g, out, cap, &why)) > 0 && (total += (size_t)r) < (64u << 20))
		;
	if (r < 0 && r != -1)
		__builtin_trap(); /* the feed has no errors of its own */
	if (r == -1 && !why)
		__builtin_trap();
	return 0;
}
