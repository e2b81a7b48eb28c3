/*
 * sha256.c - SHA-256 on the x86-64 SHA extensions (see sha256.h).
 *
 * The state lives in two registers as the instructions want it: ABEF
 * (A in the top lane, F in the bottom) and CDGH. SHA256RNDS2 does two
 * rounds, taking its two round inputs (W + K) from the low lanes of its
 * third operand; the message schedule for words 16..63 is SHA256MSG1
 * (adds sigma0), a lane shift that adds W[t-7], and SHA256MSG2 (adds
 * sigma1 of the words just made). A block is 16 groups of four rounds;
 * four registers hold the last 16 schedule words, each group replacing
 * the oldest.
 */
#include "sha256.h"
#include <stdlib.h>
#include <string.h>

static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t rk[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* Hash n whole blocks. */
SHA_TARGET static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
	/* each 32-bit word is big-endian in the message */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* b a d c */
	__m128i u = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* h g f e */
	__m128i abef = _mm_alignr_epi8(t, u, 8);                                       /* f e b a */
	__m128i cdgh = _mm_blend_epi16(u, t, 0xF0);                                    /* h g d c */

	for (; n; n--, p += 64) {
		__m128i w[4], m, abef0 = abef, cdgh0 = cdgh;
#pragma GCC unroll 16
		for (int g = 0; g < 16; g++) {
			__m128i *x = &w[g & 3];
			if (g < 4)
				*x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
			else
				*x = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(*x, w[(g + 1) & 3]),
						      _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4)),
					w[(g + 3) & 3]);
			m = _mm_add_epi32(*x, _mm_loadu_si128((const __m128i *)&rk[4 * g]));
			cdgh = _mm_sha256rnds2_epu32(cdgh, abef, m); /* now the new ABEF; abef the new CDGH */
			m = _mm_shuffle_epi32(m, 0x0E);
			abef = _mm_sha256rnds2_epu32(abef, cdgh, m);
			/* the roles swap back: abef is ABEF again, cdgh CDGH */
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	t = _mm_shuffle_epi32(abef, 0x1B); /* a b e f */
	u = _mm_shuffle_epi32(cdgh, 0xB1); /* g h c d */
	_mm_storeu_si128((__m128i *)&h[0], _mm_blend_epi16(t, u, 0xF0)); /* a b c d */
	_mm_storeu_si128((__m128i *)&h[4], _mm_alignr_epi8(u, t, 8));    /* e f g h */
}

bool img_sha256_fast(void)
{
	static int known = -1;
	unsigned a, b, c, d;

	if (known < 0) {
		const char *no = getenv("DOCKSEC_NO_SHANI");
		bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
		bool sse = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) && (c & (1u << 9)); /* SSE4.1, SSSE3 */
		known = sha && sse && !(no && *no && strcmp(no, "0"));
	}
	return known;
}
#else
static void blocks(uint32_t h[8], const unsigned char *p, size_t n)
{
	(void)h, (void)p, (void)n;
	abort(); /* img_sha256_fast() said no */
}

bool img_sha256_fast(void)
{
	return false;
}
#endif

void img_sha256_init(struct img_sha256 *c)
{
	memcpy(c->h, iv, sizeof(iv));
	c->bytes = 0;
	c->nbuf = 0;
}

void img_sha256_update(struct img_sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;

	c->bytes += n;
	if (c->nbuf) {
		size_t k = 64 - c->nbuf < n ? 64 - c->nbuf : n;
		memcpy(c->buf + c->nbuf, p, k);
		c->nbuf += (unsigned)k;
		p += k;
		n -= k;
		if (c->nbuf < 64)
			return;
		blocks(c->h, c->buf, 1);
		c->nbuf = 0;
	}
	if (n >= 64) {
		blocks(c->h, p, n / 64);
		p += n & ~(size_t)63;
		n &= 63;
	}
	memcpy(c->buf, p, n);
	c->nbuf = (unsigned)n;
}

void img_sha256_final(struct img_sha256 *c, unsigned char md[32])
{
	uint64_t bits = c->bytes * 8;
	unsigned n = c->nbuf;

	c->buf[n++] = 0x80;
	if (n > 56) {
		memset(c->buf + n, 0, 64 - n);
		blocks(c->h, c->buf, 1);
		n = 0;
	}
	memset(c->buf + n, 0, 56 - n);
	for (int i = 0; i < 8; i++)
		c->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(c->h, c->buf, 1);
	for (int i = 0; i < 8; i++) {
		md[4 * i] = (unsigned char)(c->h[i] >> 24);
		md[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		md[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		md[4 * i + 3] = (unsigned char)c->h[i];
	}
}
