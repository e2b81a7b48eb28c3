/*
 * gunzip.h - gzip layers inflated with ISA-L's igzip, loaded at first use
 * (core/lazy.h) like libarchive. igzip inflates a Debian rootfs layer
 * about 1.5 times as fast as zlib does on this machine (325 against
 * 495 ms for 202 MB), and inflating is what a gzip image's scan waits
 * for. Without libisal (or with DOCKSEC_NO_ISAL set, which the tests use
 * to compare both) the caller keeps libarchive's gzip filter.
 *
 * A stream is one or more gzip members back to back, as gzip(1) and
 * libarchive read them; bytes after the last member that do not start
 * another are not inflated (the caller still reads them, for the blob's
 * digest). Each member's CRC-32 is checked.
 */
#ifndef DS_IMG_GUNZIP_H
#define DS_IMG_GUNZIP_H

#include "../core/ds.h"
#include <sys/types.h>

struct img_gunzip;

/* Compressed bytes: a chunk (valid until the next call) and its length,
 * 0 at the end, negative on an error (passed back to the caller as is). */
typedef ssize_t (*img_gunzip_in)(void *ud, const void **chunk);

/* Is igzip there (loaded now, once)? false also when DOCKSEC_NO_ISAL is set. */
bool img_gunzip_available(void);
/* A decoder (about 90 KB), for one stream after another; NULL: no memory. */
struct img_gunzip *img_gunzip_new(void);
/* Start a new stream read through in(ud). */
void img_gunzip_start(struct img_gunzip *g, img_gunzip_in in, void *ud);
/* Up to cap inflated bytes into out: how many, 0 at the end of the
 * stream, or a negative value: in's own error, or -1 with *why set
 * (invalid data, a checksum that does not match, input ending early). */
ssize_t img_gunzip_read(struct img_gunzip *g, void *out, size_t cap, const char **why);
void img_gunzip_free(struct img_gunzip *g);

#endif
