/*
 * cache.h - what reading a layer found (its entries, whiteouts, kept
 * files, credentials, Go modules, digests), kept per layer under
 * $XDG_CACHE_HOME/docksec/layers/ (default ~/.cache/docksec/layers/) in a
 * directory named by the format and docksec's version, so a new rule set
 * never reads an old result.
 *
 * Keyed by the blob's digest where the input names it before its bytes
 * come (OCI layouts, Docker 25+ saves: blobs/sha256/<hex>); a legacy
 * <id>/layer.tar is named by nothing checkable and is not cached. A hit
 * still streams the blob through SHA-256 - a blob that does not match its
 * name is an error as always - but nothing is decompressed, parsed or
 * scanned. Files are written atomically (a temporary file renamed), mode
 * 0600 in 0700 directories; one that does not parse is ignored and the
 * layer read. Nothing else is ever written outside the cache.
 */
#ifndef DS_IMG_CACHE_H
#define DS_IMG_CACHE_H

#include "image.h"

#define IMG_CACHE_FORMAT 2
#define IMG_CACHE_MAX_FILE (512u << 20)

/* The cache directory (created when create is true): 0, or -1 when there
 * is none (no HOME, not creatable). */
int img_cache_dir(char *out, size_t n, bool create);
/* Fill l from the cache entry of blob hex (64 digits) read the way kind
 * says ('s' secrets and packages, 'n' packages, 'a' audit: databases
 * only); true on a hit. Strings go to s's arena. */
bool img_cache_load(struct img_set *s, const char *hex, char kind, struct img_layer *l);
/* Store l (just read and verified) as the entry of blob hex; best effort. */
void img_cache_store(const struct img_layer *l, const char *hex, char kind);
/* Remove every cache entry docksec wrote; 0 or DS_EIO with the reason. */
int img_cache_clean(size_t *removed, struct ds_err *err);

#endif
