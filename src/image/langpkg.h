/*
 * langpkg.h - language packages in an image's files: Python distributions
 * (*.dist-info/METADATA, *.egg-info), npm packages (node_modules/NAME/
 * package.json, scoped too) and Ruby gems (specifications/NAME-VERSION.gemspec),
 * with their purls (pkg:pypi, pkg:npm, pkg:gem; pkg:golang for gobin.h's modules).
 * An npm lockfile (package-lock.json, npm-shrinkwrap.json) counts only where
 * the packages it pins are not installed beside it (a bundled app without
 * its node_modules): then it is the only record of what the app holds.
 */
#ifndef DS_IMG_LANGPKG_H
#define DS_IMG_LANGPKG_H

#include "pkgdb.h"

#define IMG_LANG_MAX_FILE (1u << 20)  /* one package's record (METADATA, package.json) */
#define IMG_LOCK_MAX_FILE (16u << 20) /* one npm lockfile */

/* Is a file of this path and size a package record: a Python, npm or Ruby
 * package's, or an npm lockfile? The image reader parses each one as it
 * streams by and keeps only the packages. Larger ones than the bounds
 * above are not read. */
bool img_lang_record(const char *path, unsigned long long size);
/* Does the path alone name the package (a gemspec's name)? */
bool img_lang_by_path(const char *path);
/* The package a record or a path names: 0 and *out filled (type, name,
 * version, path), or 1 when it names none. data may be NULL (path only). */
int img_lang_parse(struct arena *a, const char *path, const char *data, size_t n, struct img_pkg *out);

/* Is path an npm lockfile (not node_modules/.package-lock.json, npm's own
 * copy of what node_modules holds)? */
bool img_lang_lockfile(const char *path);
/* The packages an npm lockfile pins (v2/v3 "packages", else v1's nested
 * "dependencies"), those only for development left out, appended with
 * path set to the lockfile. 0, or DS_ENOMEM / DS_ELIMIT; a file that does
 * not parse as jansson would parse it adds nothing, nor one built to make
 * the walk quadratic (langpkg.c: LOCK_WORK). Read in place, never as a tree. */
int img_lang_lock(struct arena *a, const char *path, const char *data, size_t n, struct img_pkg **out, size_t *nout,
		  size_t *cap, struct ds_err *err);
/* A name or version to show: not NULL, no control characters. */
bool img_lang_printable(const char *s);
/* pkg:TYPE/NAME@VERSION for a language package (name normalised as the
 * ecosystem does), in a. */
const char *img_lang_purl(struct arena *a, const struct img_pkg *p);

#endif
