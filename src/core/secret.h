/*
 * secret.h - recognise credentials by their real formats and by name.
 *
 * Shared by every domain (Dockerfile ENV/ARG/LABEL/RUN today; Compose
 * environment, image layers and config later). Formats are matched by
 * hand-written scanners, not regular expressions, so a scan is one pass
 * with no allocation; each kind is specific enough (prefix plus alphabet
 * plus length) that a hit is a credential, not a guess.
 */
#ifndef DS_SECRET_H
#define DS_SECRET_H

#include "ds.h"

struct secret_hit {
	const char *kind; /* "AWS access key id", "GitHub token", ... */
	size_t off, len;
	size_t plen;      /* the format's public prefix (AKIA, ghp_): safe to show */
};

/* First credential in s[0..n) by format; false if none. */
bool secret_find(const char *s, size_t n, struct secret_hit *hit);
/* The credential whose format starts at s[i], if one does (its hit may
 * begin later: a URL's password after "://", an AWS key after its name). */
bool secret_at(const char *s, size_t n, size_t i, struct secret_hit *hit);
/* The literals every format starts with, for a multi-pattern engine that
 * finds the candidates for secret_at: up to max into out, caseless[k]
 * true for one that matches in any case; how many. */
size_t secret_start_literals(const char **out, bool *caseless, size_t max);
/* Does a variable/key name say it holds a secret (PASSWORD, API_KEY, ...)?
 * Names that point at a secret rather than hold one (..._FILE, ..._PATH,
 * ..._URL without credentials) are not. */
bool secret_name_like(const char *name, size_t n);
/* Is a value a placeholder rather than a secret: empty, a variable
 * reference, a path under /run/secrets, "changeme"-like markers, booleans? */
bool secret_value_placeholder(const char *v, size_t n);
/* Masks for display: target_secret() in finding.h (keeps hit.plen). */

#endif
