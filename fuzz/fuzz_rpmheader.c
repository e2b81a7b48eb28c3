/*
 * fuzz_rpmheader.c - libFuzzer target for the rpm header parser (a blob of
 * rpm's Packages table, as rpmdb.c reads it from an image's database).
 */
#include "image/rpmdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct img_pkg p;

	arena_init(&a, 1u << 24);
	img_rpm_header(&a, data, size, &p);
	arena_release(&a);
	return 0;
}
