/*
 * rpmdb.h - rpm's package database in the SQLite format of rpm 4.16+
 * (Fedora 33+, RHEL/Alma/Rocky 9, Mariner 2, openSUSE: rpmdb.sqlite): the
 * Packages table's header blobs, parsed for name, epoch, version,
 * release, architecture and source rpm. SQLite (libsqlite3) is loaded at
 * first use and reads the file from memory (sqlite3_deserialize,
 * read-only): nothing is written, no path is opened. The Berkeley DB and
 * NDB formats of older RHEL and SUSE are not read yet.
 */
#ifndef DS_IMG_RPMDB_H
#define DS_IMG_RPMDB_H

#include "pkgdb.h"

/* Packages of the database file data[0..n), appended (unsorted); what
 * names the file in errors. 0, DS_EPARSE (not an rpm database),
 * DS_ENOTFOUND (no libsqlite3), DS_ENOMEM, DS_ELIMIT. */
int img_rpm_sqlite(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		   size_t *cap, struct ds_err *err);
/* One rpm header blob (the Packages table's), parsed: 0 and *p filled, or 1. */
int img_rpm_header(struct arena *a, const unsigned char *blob, size_t n, struct img_pkg *p);

#endif
