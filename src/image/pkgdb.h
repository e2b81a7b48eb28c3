/*
 * pkgdb.h - package databases: the installed packages a system (a host
 * root for `audit`, an image's final view for `scan`) says it has.
 *
 * dpkg's status file and distroless's status.d/ (one paragraph per file),
 * apk's installed database. Names and versions are copies in the caller's
 * arena; lists are sorted by name (strcmp) for img_pkg_find.
 */
#ifndef DS_IMG_PKGDB_H
#define DS_IMG_PKGDB_H

#include "../core/ds.h"

struct img_pkg {
	const char *name, *version;
	const char *source, *source_version; /* dpkg Source (its version when it differs), apk origin; or NULL */
	const char *arch;                    /* or NULL */
	size_t layer;                        /* scan: the layer that installed this version */
	const char *type;                    /* language packages: "pypi", "npm", "gem"; NULL: the OS's */
	const char *path;                    /* language packages: the file that records it */
};

#define IMG_MAX_PKGS 200000
#define IMG_NO_LAYER ((size_t)-1) /* a package's layer, not yet known */

/* The packages of a dpkg status file (text, NUL-terminated) whose Status
 * is "install ok installed", appended to *out (sorted by name when
 * sort is true). 0, or DS_ENOMEM / DS_ELIMIT (nothing is half-recorded:
 * *n counts complete entries). what names the file in errors. */
int img_dpkg_parse(struct arena *a, const char *text, const char *what, struct img_pkg **out, size_t *n, size_t *cap,
		   struct ds_err *err);
/* The same for a whole status file, sorted: the audit's entry point. */
int img_dpkg_status(struct arena *a, const char *text, struct img_pkg **out, size_t *n, struct ds_err *err);
/* apk's /lib/apk/db/installed ("P:", "V:", "A:", "o:" lines). */
int img_apk_parse(struct arena *a, const char *text, const char *what, struct img_pkg **out, size_t *n, size_t *cap,
		  struct ds_err *err);
/* A zeroed slot at the end of *out (not yet counted: the caller fills it,
 * then increments *n, so a failure never leaves an entry without a
 * name), or NULL with DS_ELIMIT past IMG_MAX_PKGS or DS_ENOMEM in err. */
struct img_pkg *img_pkg_slot(struct arena *a, struct img_pkg **out, size_t n, size_t *cap, const char *what,
			     struct ds_err *err);
/* Sort by name, then version (img_pkg_cmp). */
void img_pkg_sort(struct img_pkg *v, size_t n);
int img_pkg_cmp(const struct img_pkg *a, const struct img_pkg *b);
/* The entry named name in a sorted list, or NULL. */
const struct img_pkg *img_pkg_find(const struct img_pkg *v, size_t n, const char *name);

#endif
