/*
 * pkgdb.h - package databases: the installed packages a system (a host
 * root for `audit`, an image's final view for `scan`) says it has.
 *
 * Today dpkg's status file; apk's installed and rpm's databases belong
 * here too. Names and versions are copies in the caller's arena; the list
 * is sorted by name (strcmp) for img_pkg_find.
 */
#ifndef DS_IMG_PKGDB_H
#define DS_IMG_PKGDB_H

#include "../core/ds.h"

struct img_pkg {
	const char *name, *version;
};

/* The packages of a dpkg status file (text, NUL-terminated) whose Status
 * is "install ok installed", sorted by name. 0, or DS_ENOMEM (nothing is
 * half-recorded: *n counts complete entries). At most IMG_MAX_PKGS. */
#define IMG_MAX_PKGS 200000
int img_dpkg_status(struct arena *a, const char *text, struct img_pkg **out, size_t *n, struct ds_err *err);
/* The entry named name in a sorted list, or NULL. */
const struct img_pkg *img_pkg_find(const struct img_pkg *v, size_t n, const char *name);

#endif
