/*
 * digest.c - SHA-256 through libcrypto's EVP interface (see digest.h).
 * The SONAME comes from the build (Makefile: DS_CRYPTO_SONAME).
 */
#include "digest.h"
#include "../core/lazy.h"
#include <openssl/evp.h>

#ifndef DS_CRYPTO_SONAME
#define DS_CRYPTO_SONAME "libcrypto.so.3"
#endif

static struct {
	EVP_MD_CTX *(*ctx_new)(void);
	void (*ctx_free)(EVP_MD_CTX *c);
	const EVP_MD *(*sha256)(void);
	int (*init)(EVP_MD_CTX *c, const EVP_MD *t, ENGINE *e);
	int (*update)(EVP_MD_CTX *c, const void *d, size_t n);
	int (*final)(EVP_MD_CTX *c, unsigned char *md, unsigned int *n);
} ev;

static const struct lazy_sym syms[] = {
	{"EVP_MD_CTX_new", (void **)&ev.ctx_new},   {"EVP_MD_CTX_free", (void **)&ev.ctx_free},
	{"EVP_sha256", (void **)&ev.sha256},        {"EVP_DigestInit_ex", (void **)&ev.init},
	{"EVP_DigestUpdate", (void **)&ev.update}, {"EVP_DigestFinal_ex", (void **)&ev.final},
};

static struct lazy_lib lib = {DS_CRYPTO_SONAME, "checking image digests", syms, DS_ARRAY_SIZE(syms), NULL, 0, {0},
			      false};

int img_digest_load(struct ds_err *err)
{
	return lazy_load(&lib, err);
}

int img_sha_init(struct img_sha *s)
{
	if (!(s->ctx = ev.ctx_new()))
		return DS_ENOMEM;
	if (ev.init(s->ctx, ev.sha256(), NULL) != 1) {
		ev.ctx_free(s->ctx);
		s->ctx = NULL;
		return DS_ENOMEM;
	}
	return 0;
}

void img_sha_update(struct img_sha *s, const void *p, size_t n)
{
	if (s->ctx && n)
		ev.update(s->ctx, p, n);
}

void img_sha_final(struct img_sha *s, char out[IMG_DIGEST_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int n = 0, i;

	memcpy(out, "sha256:", 7);
	if (!s->ctx || ev.final(s->ctx, md, &n) != 1 || n != 32)
		memset(md, 0, sizeof(md));
	for (i = 0; i < 32; i++) {
		out[7 + 2 * i] = hex[md[i] >> 4];
		out[8 + 2 * i] = hex[md[i] & 15];
	}
	out[71] = 0;
	img_sha_release(s);
}

void img_sha_release(struct img_sha *s)
{
	if (s->ctx)
		ev.ctx_free(s->ctx);
	s->ctx = NULL;
}

bool img_digest_valid(const char *d)
{
	size_t i;

	if (!d || strncmp(d, "sha256:", 7) || strlen(d) != 71)
		return false;
	for (i = 7; i < 71; i++)
		if (!((d[i] >= '0' && d[i] <= '9') || (d[i] >= 'a' && d[i] <= 'f')))
			return false;
	return true;
}
