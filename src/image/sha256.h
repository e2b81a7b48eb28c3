/*
 * sha256.h - SHA-256 (FIPS 180-4) on the CPU's SHA extensions, for the
 * image reader's digests (digest.c). Only the x86-64 SHA instructions are
 * implemented: on a CPU without them img_sha256_fast() is false and
 * digest.c uses libcrypto instead, whose assembly is faster than portable
 * C would be. Why not always libcrypto: loading it and setting up its
 * provider costs about 6 ms before the first byte can be hashed, as much
 * as reading 10 MB of layer, and it is on every scan's critical path.
 */
#ifndef DS_IMG_SHA256_H
#define DS_IMG_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct img_sha256 {
	uint32_t h[8];
	uint64_t bytes;         /* hashed so far */
	unsigned char buf[64];  /* a partial block */
	unsigned nbuf;
};

/* The SHA instructions are there (and DOCKSEC_NO_SHANI is not set). */
bool img_sha256_fast(void);
/* The functions below only when img_sha256_fast() is true. */
void img_sha256_init(struct img_sha256 *c);
void img_sha256_update(struct img_sha256 *c, const void *p, size_t n);
void img_sha256_final(struct img_sha256 *c, unsigned char md[32]);

#endif
