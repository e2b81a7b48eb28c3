/*
 * sqlite_api.h - the SQLite functions docksec calls, loaded at first use
 * (lazy.h) by the two modules that need them: rpm's SQLite package
 * database (src/image/rpmdb.c) and the vulnerability database
 * (src/vulndb/). One table, so a process loads libsqlite3 once whoever
 * asks first, and lint/check never load it.
 */
#ifndef DS_SQLITE_API_H
#define DS_SQLITE_API_H

#include "ds.h"
#include <sqlite3.h>

struct ds_sqlite_api {
	int (*open_v2)(const char *, sqlite3 **, int, const char *);
	int (*close)(sqlite3 *);
	const char *(*errmsg)(sqlite3 *);
	int (*exec)(sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **);
	int (*deserialize)(sqlite3 *, const char *, unsigned char *, sqlite3_int64, sqlite3_int64, unsigned);
	int (*prepare_v2)(sqlite3 *, const char *, int, sqlite3_stmt **, const char **);
	int (*bind_text)(sqlite3_stmt *, int, const char *, int, void (*)(void *));
	int (*bind_int64)(sqlite3_stmt *, int, sqlite3_int64);
	int (*bind_double)(sqlite3_stmt *, int, double);
	int (*bind_null)(sqlite3_stmt *, int);
	int (*step)(sqlite3_stmt *);
	int (*reset)(sqlite3_stmt *);
	int (*finalize)(sqlite3_stmt *);
	const unsigned char *(*column_text)(sqlite3_stmt *, int);
	sqlite3_int64 (*column_int64)(sqlite3_stmt *, int);
	double (*column_double)(sqlite3_stmt *, int);
	int (*column_type)(sqlite3_stmt *, int);
	const void *(*column_blob)(sqlite3_stmt *, int);
	int (*column_bytes)(sqlite3_stmt *, int);
	int (*busy_timeout)(sqlite3 *, int);
	int (*changes)(sqlite3 *);
	sqlite3_int64 (*last_insert_rowid)(sqlite3 *);
	int (*limit)(sqlite3 *, int, int);
};

extern struct ds_sqlite_api ds_sq;

/* Load libsqlite3 once per process (any thread). 0, or DS_ENOTFOUND with
 * the loader's message. */
int ds_sqlite_load(struct ds_err *err);

#endif
