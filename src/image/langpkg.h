/*
 * langpkg.h - language packages in an image's files: Python distributions
 * (*.dist-info/METADATA, *.egg-info), npm packages (node_modules/NAME/
 * package.json, scoped too) and Ruby gems (specifications/NAME-VERSION.gemspec),
 * with their purls (pkg:pypi, pkg:npm, pkg:gem; pkg:golang for gobin.h's modules).
 */
#ifndef DS_IMG_LANGPKG_H
#define DS_IMG_LANGPKG_H

#include "pkgdb.h"

/* Is path a file whose contents name a package (the reader keeps it)? */
bool img_lang_wanted(const char *path);
/* The package a kept file or a path names: 0 and *out filled (type, name,
 * version, path), or 1 when it names none. data may be NULL (path only). */
int img_lang_parse(struct arena *a, const char *path, const char *data, size_t n, struct img_pkg *out);
/* pkg:TYPE/NAME@VERSION for a language package (name normalised as the
 * ecosystem does), in a. */
const char *img_lang_purl(struct arena *a, const struct img_pkg *p);

#endif
