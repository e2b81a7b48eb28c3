/*
 * rpmdb.c - rpm's SQLite package database (see rpmdb.h).
 *
 * A header blob: il and dl (big-endian 32-bit: index entries, data bytes),
 * il entries of tag/type/offset/count, then the data store. Every offset
 * and count is checked against the store before a byte is read; strings
 * must end inside it.
 */
#include "rpmdb.h"
#include "../core/lazy.h"
#include <sqlite3.h>

#ifndef DS_SQLITE_SONAME
#define DS_SQLITE_SONAME "libsqlite3.so.0"
#endif

static struct {
	int (*open_v2)(const char *, sqlite3 **, int, const char *);
	int (*deserialize)(sqlite3 *, const char *, unsigned char *, sqlite3_int64, sqlite3_int64, unsigned);
	int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
	int (*step)(sqlite3_stmt *);
	const void *(*column_blob)(sqlite3_stmt *, int);
	int (*column_bytes)(sqlite3_stmt *, int);
	int (*finalize)(sqlite3_stmt *);
	int (*close)(sqlite3 *);
	const char *(*errmsg)(sqlite3 *);
} sq;

static const struct lazy_sym syms[] = {
	{"sqlite3_open_v2", (void **)&sq.open_v2},	   {"sqlite3_deserialize", (void **)&sq.deserialize},
	{"sqlite3_prepare_v2", (void **)&sq.prepare_v2},   {"sqlite3_step", (void **)&sq.step},
	{"sqlite3_column_blob", (void **)&sq.column_blob}, {"sqlite3_column_bytes", (void **)&sq.column_bytes},
	{"sqlite3_finalize", (void **)&sq.finalize},	   {"sqlite3_close", (void **)&sq.close},
	{"sqlite3_errmsg", (void **)&sq.errmsg},
};

static struct lazy_lib lib = {DS_SQLITE_SONAME, "reading rpm databases", syms, DS_ARRAY_SIZE(syms), NULL, 0, {0},
			      false};

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

enum { RPMTAG_NAME = 1000, RPMTAG_VERSION = 1001, RPMTAG_RELEASE = 1002, RPMTAG_EPOCH = 1003, RPMTAG_ARCH = 1022,
       RPMTAG_SOURCERPM = 1044 };

int img_rpm_header(struct arena *a, const unsigned char *blob, size_t n, struct img_pkg *p)
{
	const char *str[6] = {0};
	unsigned long epoch = 0;
	bool has_epoch = false;
	size_t il, dl, i;
	const unsigned char *store;

	memset(p, 0, sizeof(*p));
	if (n < 8)
		return 1;
	il = be32(blob);
	dl = be32(blob + 4);
	if (il > 100000 || dl > n || 8 + il * 16 > n - dl)
		return 1;
	store = blob + 8 + il * 16;
	for (i = 0; i < il; i++) {
		const unsigned char *e = blob + 8 + i * 16;
		unsigned tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		if (off >= dl)
			continue;
		if (tag == RPMTAG_EPOCH && type == 4 /* INT32 */ && count >= 1 && off + 4 <= dl) {
			epoch = be32(store + off);
			has_epoch = true;
		} else if (type == 6 /* STRING */ && tag >= RPMTAG_NAME && tag <= RPMTAG_SOURCERPM) {
			const unsigned char *s = store + off, *z = memchr(s, 0, dl - off);
			int k = tag == RPMTAG_NAME ? 0 : tag == RPMTAG_VERSION ? 1 : tag == RPMTAG_RELEASE ? 2
				: tag == RPMTAG_ARCH ? 3 : tag == RPMTAG_SOURCERPM ? 4 : -1;
			if (k >= 0 && z && z - s < 512)
				str[k] = (const char *)s;
		}
	}
	if (!str[0] || !str[1] || !*str[0])
		return 1;
	p->name = arena_strdup(a, str[0]);
	p->version = has_epoch && epoch ? arena_printf(a, "%lu:%s%s%s", epoch, str[1], str[2] ? "-" : "", str[2] ? str[2] : "")
					: arena_printf(a, "%s%s%s", str[1], str[2] ? "-" : "", str[2] ? str[2] : "");
	p->arch = str[3] ? arena_strdup(a, str[3]) : NULL;
	if (str[4]) { /* "openssl-3.0.7-24.el9.src.rpm": the name before -VERSION-RELEASE */
		const char *s = str[4], *end = s + strlen(s), *d1 = NULL, *d2 = NULL;
		for (const char *q = s; q < end; q++)
			if (*q == '-') {
				d2 = d1;
				d1 = q;
			}
		if (d2 && d2 > s)
			p->source = arena_strndup(a, s, (size_t)(d2 - s));
	}
	if (!p->name || !p->version)
		return 1;
	for (const char *q = p->name; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f)
			return 1;
	return 0;
}

int img_rpm_sqlite(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		   size_t *cap, struct ds_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	int rc, r;

	if ((rc = lazy_load(&lib, err)))
		return rc;
	if (n < 100 || memcmp(data, "SQLite format 3", 16))
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "not an SQLite database");
	if (!(copy = arena_alloc(a, n)))
		return ds_oom(err);
	memcpy(copy, data, n);
	if (copy[18] == 2 && copy[19] == 2) /* WAL mode: read as a rollback journal database, from memory */
		copy[18] = copy[19] = 1;
	if (sq.open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
	    sq.deserialize(db, "main", copy, (sqlite3_int64)n, (sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK ||
	    sq.prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		rc = ds_err_set(err, DS_EPARSE, what, 0, 0, "not an rpm database: %s", db ? sq.errmsg(db) : "no memory");
		goto out;
	}
	while ((r = sq.step(st)) == SQLITE_ROW) {
		const unsigned char *b = sq.column_blob(st, 0);
		int len = sq.column_bytes(st, 0);
		struct img_pkg p;
		if (!b || len <= 0 || img_rpm_header(a, b, (size_t)len, &p) || !strcmp(p.name, "gpg-pubkey"))
			continue;
		if (!img_pkg_slot(a, out, *nout, cap, what, err)) {
			rc = err->code;
			goto out;
		}
		(*out)[(*nout)++] = p;
	}
	if (r != SQLITE_DONE)
		rc = ds_err_set(err, DS_EPARSE, what, 0, 0, "a damaged rpm database: %s", sq.errmsg(db));
out:
	if (st)
		sq.finalize(st);
	if (db)
		sq.close(db);
	return rc;
}
