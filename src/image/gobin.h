/*
 * gobin.h - the build information Go (1.18 and later) embeds in every
 * binary, as `go version -m` prints it: the toolchain version and the
 * modules linked in (main module, dependencies, replacements), read from
 * the .go.buildinfo blob found by its magic in the file's bytes.
 */
#ifndef DS_IMG_GOBIN_H
#define DS_IMG_GOBIN_H

#include "pkgdb.h"

#define IMG_GO_MAGIC "\xff Go buildinf:"
#define IMG_GO_MAGIC_LEN 14
#define IMG_GO_INFO_MAX (64u << 10) /* bytes after the magic read for the strings */

/* Packages (type "golang", path = binary) from the blob p[0..n), which
 * starts at the magic: "stdlib" at the Go version, the main module and
 * every dependency (a replacement's path and version win). Appended to
 * *out; 0, 1 when the blob is not in the inline format (Go < 1.18), or
 * DS_ENOMEM. */
int img_go_buildinfo(struct arena *a, const char *p, size_t n, const char *path, struct img_pkg **out, size_t *nout,
		     size_t *cap);

#endif
