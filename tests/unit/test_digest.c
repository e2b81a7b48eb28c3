/*
 * test_digest.c - the SHA-256 of image blobs: sha256.c's code on the SHA
 * instructions against FIPS 180-4's examples and against libcrypto on
 * every length up to a few blocks, each split in two at every place (the
 * partial-block buffering), and digest.c's threaded ring (img_sha_*)
 * against libcrypto on a large input fed in odd pieces, several contexts
 * interleaved as the image reader interleaves a blob and its diff_id;
 * the ring's huge-page allocation.
 */
#include "unit.h"
#include "image/digest.h"
#include "image/sha256.h"
#include <openssl/evp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

static void hex(const unsigned char md[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static void own(const void *p, size_t n, size_t split, char out[65])
{
	struct img_sha256 c;
	unsigned char md[32];

	img_sha256_init(&c);
	img_sha256_update(&c, p, split);
	img_sha256_update(&c, (const char *)p + split, n - split);
	img_sha256_final(&c, md);
	hex(md, out);
}

static void evp(const void *p, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned len = 0;

	assert_int_equal(EVP_Digest(p, n, md, &len, EVP_sha256(), NULL), 1);
	hex(md, out);
}

static unsigned char *pattern(size_t n, unsigned seed)
{
	unsigned char *b = malloc(n ? n : 1);
	assert_non_null(b);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (unsigned char)(seed >> 16);
	}
	return b;
}

static void test_known_answers(void **state)
{
	char out[65];
	unsigned char *m;

	(void)state;
	if (!img_sha256_fast())
		skip();
	m = malloc(1000000);
	own("", 0, 0, out);
	assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	own("abc", 3, 1, out);
	assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	own("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, 55, out);
	assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_non_null(m);
	memset(m, 'a', 1000000);
	own(m, 1000000, 333333, out);
	assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(m);
}

/* Every length to 4 blocks and a few past, split at every place. */
static void test_against_libcrypto(void **state)
{
	unsigned char *b = pattern(700, 7);
	char a[65], e[65];
	size_t n, split, checked = 0;

	(void)state;
	if (!img_sha256_fast()) {
		free(b);
		skip();
	}
	for (n = 0; n <= 700; n += n < 300 ? 1 : 29) {
		evp(b, n, e);
		for (split = 0; split <= n; split++, checked++) {
			own(b, n, split, a);
			if (strcmp(a, e))
				fail_msg("length %zu split at %zu: %s, libcrypto %s", n, split, a, e);
		}
	}
	assert_true(checked > 45000);
	free(b);
}

/* The reader's interface: two contexts updated in turns, pieces of every
 * size from 1 byte to more than a ring slot, then each one's digest. */
static void test_ring(void **state)
{
	size_t n = (5u << 20) + 12345, at = 0, piece = 1;
	unsigned char *b = pattern(n, 11), *yb = malloc(n);
	struct img_sha x, y;
	char dx[IMG_DIGEST_LEN], dy[IMG_DIGEST_LEN], e[65];
	struct ds_err err = {0};

	(void)state;
	assert_non_null(yb);
	assert_int_equal(img_digest_load(&err), 0);
	assert_int_equal(img_sha_init(&x), 0);
	assert_int_equal(img_sha_init(&y), 0);
	while (at < n) {
		size_t k = piece < n - at ? piece : n - at;
		img_sha_update(&x, b + at, k);
		img_sha_update(&y, b + n - at - k, k); /* y: the pieces from the end */
		memcpy(yb + at, b + n - at - k, k);
		at += k;
		piece = piece * 3 + 1;
		if (piece > (1u << 19))
			piece = 7;
	}
	img_sha_final(&x, dx);
	evp(b, n, e);
	assert_memory_equal(dx, "sha256:", 7);
	assert_string_equal(dx + 7, e);
	img_sha_final(&y, dy);
	evp(yb, n, e);
	assert_string_equal(dy + 7, e);
	assert_string_not_equal(dy, dx);
	free(b);
	free(yb);
}

/* The ring's memory: whole huge pages, aligned, zeroed, writable; the
 * failure switch refuses it like any allocation. */
static void test_huge_alloc(void **state)
{
	unsigned char *p = ds_alloc_huge(3u << 20);
	size_t i;

	(void)state;
	assert_non_null(p);
	assert_int_equal((uintptr_t)p & ((2u << 20) - 1), 0);
	for (i = 0; i < (4u << 20); i += 4096)
		assert_int_equal(p[i], 0);
	memset(p, 0xab, 4u << 20); /* rounded up to two pages, all of them usable */
	ds_alloc_fail_at(1);
	assert_null(ds_alloc_huge(1));
	ds_alloc_fail_at(0);
	assert_null(ds_alloc_huge(0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_against_libcrypto),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_huge_alloc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
