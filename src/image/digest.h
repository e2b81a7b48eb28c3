/*
 * digest.h - SHA-256 of image blobs as they stream past (layer digests,
 * diff_ids, config digests), from libcrypto loaded at first use
 * (core/lazy.h), so lint and check never load it. libcrypto, not a
 * hand-written SHA-256: it uses the CPU's SHA instructions, and every
 * byte of every layer goes through it, twice for compressed layers
 * (the blob's digest and the diff_id), at the speed of decompression.
 */
#ifndef DS_IMG_DIGEST_H
#define DS_IMG_DIGEST_H

#include "../core/ds.h"

/* "sha256:" and 64 hex digits, NUL-terminated */
#define IMG_DIGEST_LEN 72

struct img_sha {
	void *ctx; /* EVP_MD_CTX * */
};

/* Load libcrypto once; 0 or DS_ENOTFOUND with the loader's message. */
int img_digest_load(struct ds_err *err);
/* 0, or DS_ENOMEM. */
int img_sha_init(struct img_sha *s);
void img_sha_update(struct img_sha *s, const void *p, size_t n);
/* Writes "sha256:<hex>" to out and frees the context. */
void img_sha_final(struct img_sha *s, char out[IMG_DIGEST_LEN]);
/* Frees the context without a result (an error path). */
void img_sha_release(struct img_sha *s);
/* "sha256:" followed by exactly 64 lowercase hex digits? */
bool img_digest_valid(const char *d);

#endif
