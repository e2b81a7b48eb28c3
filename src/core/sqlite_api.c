/*
 * sqlite_api.c - libsqlite3 loaded at first use (see sqlite_api.h).
 */
#include "sqlite_api.h"
#include "lazy.h"

#ifndef DS_SQLITE_SONAME
#define DS_SQLITE_SONAME "libsqlite3.so.0"
#endif

struct ds_sqlite_api ds_sq;

#define S(n) {"sqlite3_" #n, (void **)&ds_sq.n}
static const struct lazy_sym syms[] = {
	S(open_v2),	 S(close),	  S(errmsg),	    S(exec),	      S(deserialize),  S(prepare_v2),
	S(bind_text),	 S(bind_int64),	  S(bind_double),   S(bind_null),     S(step),	       S(reset),
	S(finalize),	 S(column_text),  S(column_int64),  S(column_double), S(column_type),  S(column_blob),
	S(column_bytes), S(busy_timeout), S(changes),	    S(last_insert_rowid), S(limit),
};
#undef S

static struct lazy_lib lib = {DS_SQLITE_SONAME, "reading rpm databases and the vulnerability database", syms,
			      DS_ARRAY_SIZE(syms), NULL, 0, {0}, false};

int ds_sqlite_load(struct ds_err *err)
{
	return lazy_load(&lib, err);
}
