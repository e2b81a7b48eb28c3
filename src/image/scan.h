/*
 * scan.h - what `docksec scan` finds in an image read by image.h: its OS
 * identity, its OS packages (with the layer that installed each), and the
 * IMG-* rules on its final view (setuid/setgid files, world-writable
 * paths, owners /etc/passwd does not know), as findings with an image
 * location (reference, layer digest, path) on a struct target.
 */
#ifndef DS_IMG_SCAN_H
#define DS_IMG_SCAN_H

#include "image.h"
#include "pkgdb.h"
#include "../core/finding.h"

struct img_os {
	const char *id, *version_id, *pretty, *codename; /* NULL when unknown */
	const char *from;                                /* the file they came from */
};

struct img_inventory {
	struct img_os os;
	const char *pkg_type; /* "deb", "apk", or NULL: no package database */
	const char *pkg_db;   /* the database's path */
	const struct img_pkg **pkgs; /* sorted by name: records of the set (shared by its images), not copies */
	size_t npkgs;
	const struct img_pkg **lang; /* language packages (type, path set), by type then name: the
				      * records the image's layers hold (img_layer.lang), not copies */
	size_t nlang;
};

/* p's place in img_inv_pkg's order (a package of inv). */
size_t img_inv_index(const struct img_inventory *inv, const struct img_pkg *p);
/* The i-th of inv's packages: its OS packages, then its language packages. */
static inline const struct img_pkg *img_inv_pkg(const struct img_inventory *inv, size_t i)
{
	return i < inv->npkgs ? inv->pkgs[i] : inv->lang[i - inv->npkgs];
}

#define IMG_LARGE_LAYER (1ull << 30) /* IMG-LARGE-LAYER: bytes a layer unpacks to */

extern const struct rule img_rules[];
extern const size_t img_rules_n;

/* OS identity and packages of im, in arena a. */
int img_inventory(struct arena *a, struct img_set *s, const struct img_image *im, struct img_inventory *inv,
		  struct ds_err *err);
/* The IMG-* rules on im, and the DF-* rules on its history; findings go
 * to t (whose arena holds them). Paths matching one of the skip globs
 * (fnmatch, * crossing /) give no IMG-* finding. */
int img_judge(struct target *t, const struct img_image *im, const struct img_inventory *inv, const char *const *skip,
	      size_t nskip);
/* What a finding in layer i says about where it came from: "layer 3: RUN
 * ..." (the history entry, cut at 200 bytes) or "layer 3", in a. */
const char *img_layer_context(struct arena *a, const struct img_image *im, size_t i);
/* The package URL of p (pkg:deb/debian/NAME@VERSION?arch=...&distro=...). */
const char *img_purl(struct arena *a, const struct img_inventory *inv, const struct img_pkg *p);
/* The same in scratch, which is emptied first once it holds 1 MiB: for a
 * writer that needs each purl only until the next (100 000 of them kept in
 * the run's arena took 12 MB). */
const char *img_purl_tmp(struct arena *scratch, const struct img_inventory *inv, const struct img_pkg *p);

#endif
