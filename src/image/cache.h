/*
 * cache.h - what reading a layer found (its entries, whiteouts, kept
 * files, credentials, packages, digests), kept per layer under
 * $XDG_CACHE_HOME/docksec/layers/ (default ~/.cache/docksec/layers/) in a
 * directory named by the format and docksec's version, so a new rule set
 * never reads an old result.
 *
 * Keyed by the sha256 of the blob's bytes. Where the input names a blob
 * by its digest before its bytes come (OCI layouts, Docker 25+ saves:
 * blobs/sha256/<hex>) a hit still streams the blob through SHA-256 - a
 * blob that does not match its name is an error as always - but nothing
 * is decompressed, parsed or scanned; a legacy <id>/layer.tar, named by
 * nothing checkable, is found again only through a trust record (below).
 * Files are written atomically (a temporary file renamed), mode 0600 in
 * 0700 directories; one that does not parse is ignored and the layer
 * read. Nothing else is ever written outside the cache.
 */
#ifndef DS_IMG_CACHE_H
#define DS_IMG_CACHE_H

#include "image.h"
#include <sys/stat.h>

#define IMG_CACHE_FORMAT 5 /* 5: a secret shown with its last character */
#define IMG_CACHE_MAX_FILE (512u << 20)

/* The cache directory (created when create is true): 0, or -1 when there
 * is none (no HOME, not creatable). */
int img_cache_dir(char *out, size_t n, bool create);
/* Fill l from the cache entry of blob hex (64 digits) read the way kind
 * says ('s' secrets and packages, 'n' packages, 'a' audit: databases
 * only); true on a hit. Strings go to s's arena. */
bool img_cache_load(struct img_set *s, const char *hex, char kind, struct img_layer *l);
/* Parse a cache entry's bytes after its header line into l (strings in
 * s's arena): false when they are not one, however they were altered. */
bool img_cache_parse(struct img_set *s, const unsigned char *p, size_t n, struct img_layer *l);
/* Store l (just read and verified) as the entry of blob hex; best effort. */
void img_cache_store(const struct img_layer *l, const char *hex, char kind);
/* Files read whole whose blobs were all true to their names (an OCI
 * layout's blob file, or a whole image tarball): kept as the file's
 * identity - device, inode, size, modification and change times, which
 * no write leaves alone and which no one but root can set back - with the
 * sha256 of each blob found in it under its member name. While the file
 * keeps that identity, a blob of it that the cache has is taken without
 * reading it again (a legacy <id>/layer.tar too, named by nothing
 * checkable otherwise); any change to the file and its blobs are read and
 * hashed as always. --no-cache reads everything. */
struct img_trusted {
	const char *name; /* the member's name, or "blobs/sha256/<hex>" */
	const char *hex;  /* 64 hex digits */
};
/* The digest the record of file st lists for member name, copied to hex
 * (64 digits and a NUL): true, or false when there is none. */
bool img_cache_trusted(const struct stat *st, const char *name, char hex[65]);
/* Record file st as holding the n blobs v[i], each checked; best effort. */
void img_cache_trust(const struct stat *st, const struct img_trusted *v, size_t n);
/* Remove every cache entry docksec wrote; 0 or DS_EIO with the reason. */
int img_cache_clean(size_t *removed, struct ds_err *err);

#endif
