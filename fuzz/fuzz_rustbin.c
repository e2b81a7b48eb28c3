/*
 * fuzz_rustbin.c - libFuzzer target for cargo-auditable's section reader
 * (rustbin.c): the input is a whole ELF file, given as both its head and
 * its kept tail, again with only its last half kept, and with the tail
 * from where its program headers say the loaded part ends (as the image
 * reader keeps it).
 */
#include "image/rustbin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct img_pkg *v = NULL;
	size_t n = 0, cap = 0;

	arena_init(&a, 1u << 24);
	img_rust_audit(&a, data, size, data, size, size, "/bin/x", &v, &n, &cap);
	img_rust_audit(&a, data, size < IMG_ELF_HEAD ? size : IMG_ELF_HEAD, data + size / 2, size - size / 2, size,
		       "/bin/x", &v, &n, &cap);
	{
		unsigned long long le = img_elf_load_end(data, size < 8192 ? size : 8192);
		if (le < size)
			img_rust_audit(&a, data, size < IMG_ELF_HEAD ? size : IMG_ELF_HEAD, data + le, size - (size_t)le, size,
				       "/bin/x", &v, &n, &cap);
	}
	arena_release(&a);
	return 0;
}
