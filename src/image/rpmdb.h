/*
 * rpmdb.h - rpm's package databases, in each of their three formats: the
 * SQLite one of rpm 4.16+ (Fedora 33+, RHEL/Alma/Rocky 9, Mariner 2:
 * rpmdb.sqlite), Berkeley DB's hash format of older rpm (RHEL/CentOS 7
 * and 8, Amazon Linux 2: Packages) and rpm's own NDB (SUSE 15:
 * Packages.db). Each holds one header blob per package, parsed for name,
 * epoch, version, release, architecture and source rpm.
 *
 * SQLite (libsqlite3) is loaded at first use and reads the file from
 * memory (sqlite3_deserialize, read-only). Berkeley DB and NDB are read
 * by docksec itself from their documented layouts (Debian's libdb reads
 * only files on disk and trusts them): every page number, offset and
 * length is checked against the file before use, overflow chains are
 * bounded by the page count. Nothing is written, no path is opened.
 */
#ifndef DS_IMG_RPMDB_H
#define DS_IMG_RPMDB_H

#include "pkgdb.h"

/* Where images keep the database, in the order they are looked for. */
#define IMG_RPM_NPATHS 6
extern const char *const img_rpm_paths[IMG_RPM_NPATHS];

/* Packages of the database file data[0..n), appended (unsorted); what
 * names the file in errors. 0, DS_EPARSE (not an rpm database),
 * DS_ENOTFOUND (no libsqlite3), DS_ENOMEM, DS_ELIMIT. */
int img_rpm_sqlite(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		   size_t *cap, struct ds_err *err);
/* The same for a Berkeley DB hash Packages file, an NDB Packages.db, or
 * any of the three, told by its first bytes (img_rpm_db). */
int img_rpm_bdb(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		size_t *cap, struct ds_err *err);
int img_rpm_ndb(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		size_t *cap, struct ds_err *err);
int img_rpm_db(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
	       size_t *cap, struct ds_err *err);
/* One rpm header blob (the Packages table's), parsed: 0 and *p filled, or 1. */
int img_rpm_header(struct arena *a, const unsigned char *blob, size_t n, struct img_pkg *p);

#endif
