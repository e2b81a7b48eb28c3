/*
 * digest.h - SHA-256 of image blobs as they stream past (layer digests,
 * diff_ids, config digests). Every byte of every layer goes through it,
 * twice for compressed layers (the blob's digest and the diff_id), so it
 * runs on the CPU's SHA instructions: sha256.c's own code on x86-64 (no
 * library to load: libcrypto's start-up is ~6 ms of every scan), else
 * libcrypto loaded at first use (core/lazy.h), whose assembly uses the
 * instructions of other CPUs. lint and check load neither.
 */
#ifndef DS_IMG_DIGEST_H
#define DS_IMG_DIGEST_H

#include "../core/ds.h"

/* "sha256:" and 64 hex digits, NUL-terminated */
#define IMG_DIGEST_LEN 72

struct img_sha {
	void *ctx; /* struct img_sha256 *, or libcrypto's EVP_MD_CTX * */
};

/* Choose the implementation (loading libcrypto once if it is the one);
 * 0 or DS_ENOTFOUND with the loader's message. */
int img_digest_load(struct ds_err *err);
/* Start the hashing thread if it is not running, and hold the calling
 * thread (the reader) to one CPU, not the hashing thread's, until
 * img_digest_unpin; on one CPU there is no thread and no holding. */
void img_digest_pin(void);
void img_digest_unpin(void);
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
