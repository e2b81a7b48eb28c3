/*
 * secrets.h - credentials in an image's files: the formats secret.h knows
 * (AWS key ids, GitHub/GitLab/Slack/Stripe/npm/PyPI tokens, private keys,
 * passwords in URLs), JSON Web Tokens, and what credential files hold by
 * their own syntax (~/.aws/credentials, .env, .npmrc, .pypirc,
 * .docker/config.json auths, .git-credentials). Binaries (a NUL in the
 * first 8 KiB) are skipped. Each hit keeps only a redacted form: the
 * format's public prefix, else the first and last characters.
 */
#ifndef DS_IMG_SECRETS_H
#define DS_IMG_SECRETS_H

#include "../core/ds.h"

#define IMG_SECRET_MAX_FILE (8u << 20) /* bytes of one file scanned */
#define IMG_SECRET_MAX_HITS 64         /* per file */

struct img_secret {
	const char *path;
	const char *kind;  /* static: "AWS secret access key" */
	unsigned line;     /* 1-based */
	char shown[64];    /* redacted: "AKIA****************", "w****Y (40 characters)" */
};

/* Is a file at path worth reading for secrets (not under documentation,
 * not a known binary or archive by name)? */
bool img_secret_candidate(const char *path, unsigned long long size);
/* Does the scan use the multi-pattern engine (libhs loaded, the CPU able
 * to run it; DOCKSEC_NO_HYPERSCAN set turns it off)? */
bool img_secret_engine(void);
/* Scan data[0..n) of the file at path (data[n] must be NUL); each hit goes to fn. */
void img_secret_scan(const char *path, const char *data, size_t n,
		     void (*fn)(void *ud, const struct img_secret *s), void *ud);

#endif
