/*
 * db.c - the vulnerability database: OSV records in SQLite (see vulndb.h).
 *
 * Schema (PRAGMA user_version = VDB_SCHEMA; application_id marks the file
 * as docksec's, so a random SQLite file is refused rather than misread):
 *   meta(key, value)            imported_at (unix s), newest (modified)
 *   vulns(id, modified, published, summary, severity, score, vector,
 *         severity_from, refs)
 *   aliases(id, alias)          indexed by alias for the whitelist
 *   affected(ecosystem, name, id, seq, ranges)   clustered by package,
 *                               indexed by id
 *
 * An import is one IMMEDIATE transaction: readers keep seeing the old
 * data until COMMIT, and any error (a record that does not parse, a full
 * disk, an interrupt) rolls everything back; a database file the import
 * created is removed again. Records are replaced only when their
 * `modified` is newer than the stored one, so importing the same archive
 * twice, or a newer one, is incremental.
 *
 * Inputs are bounded: a record by VDB_MAX_RECORD, a zip archive by
 * the bytes read by the whole import (files and archive members together)
 * by VDB_MAX_IMPORT, and its records by VDB_MAX_RECORDS;
 * directories are walked without following links, to depth 16.
 */
#include "vulndb.h"
#include "../core/cachedir.h"
#include "../core/sqlite_api.h"
#include "../image/archive_api.h"
#include "../core/buf.h"
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define APP_ID 0x64736b76 /* "dskv" */
#define APP_ID_DEC 1685285750
#define DS_STR_(x) #x
#define DS_STR(x) DS_STR_(x)
/* a database of another docksec: its data is what db update fetches again */
#define OTHER_SCHEMA                                                                                                   \
	"written by another version of docksec (schema %lld, this one reads %d): delete the file and run `docksec db "  \
	"update` (or db import) again"

struct vdb {
	sqlite3 *db;
	long long imported_at;
	sqlite3_stmt *lookup, *record; /* prepared at first use */
};

int vdb_default_path(char *out, size_t n, bool create)
{
	return ds_cache_path(out, n, "vulns.db", create ? DS_CACHE_PARENT : DS_CACHE_NONE);
}

static int sql_err(sqlite3 *db, const char *path, const char *doing, struct ds_err *err)
{
	return ds_err_set(err, DS_EIO, path, 0, 0, "%s: %s", doing, db ? ds_sq.errmsg(db) : "out of memory");
}

static long long meta_int(sqlite3 *db, const char *key)
{
	sqlite3_stmt *st;
	long long v = 0;

	if (ds_sq.prepare_v2(db, "SELECT value FROM meta WHERE key=?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	ds_sq.bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (ds_sq.step(st) == SQLITE_ROW)
		v = ds_sq.column_int64(st, 0);
	ds_sq.finalize(st);
	return v;
}

static long long pragma_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;

	if (ds_sq.prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (ds_sq.step(st) == SQLITE_ROW)
		v = ds_sq.column_int64(st, 0);
	ds_sq.finalize(st);
	return v;
}

int vdb_open(struct vdb **out, const char *path, struct ds_err *err)
{
	struct vdb *v;
	struct stat sb;
	int rc;

	*out = NULL;
	if ((rc = ds_sqlite_load(err)))
		return rc;
	if (stat(path, &sb))
		return ds_err_set(err, DS_ENOTFOUND, path, 0, 0,
				  "no vulnerability database (create one with `docksec db import` or `docksec db update`)");
	if (!S_ISREG(sb.st_mode))
		return ds_err_set(err, DS_EPARSE, path, 0, 0, "not a file");
	if (!(v = ds_calloc(1, sizeof(*v))))
		return ds_oom(err);
	if (ds_sq.open_v2(path, &v->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = sql_err(v->db, path, "cannot open the vulnerability database", err);
		goto fail;
	}
	ds_sq.busy_timeout(v->db, 5000);
	if (pragma_int(v->db, "PRAGMA application_id") != APP_ID) {
		rc = ds_err_set(err, DS_EPARSE, path, 0, 0, "not a docksec vulnerability database");
		goto fail;
	}
	if (pragma_int(v->db, "PRAGMA user_version") != VDB_SCHEMA) {
		rc = ds_err_set(err, DS_EPARSE, path, 0, 0, OTHER_SCHEMA, pragma_int(v->db, "PRAGMA user_version"), VDB_SCHEMA);
		goto fail;
	}
	v->imported_at = meta_int(v->db, "imported_at");
	/* one read transaction for the whole run: the shared lock is taken
	 * once instead of per query, and pages are read through a mapping */
	ds_sq.exec(v->db, "PRAGMA mmap_size=268435456; BEGIN", NULL, NULL, NULL);
	*out = v;
	return 0;
fail:
	vdb_close(v);
	return rc;
}

void vdb_close(struct vdb *db)
{
	if (!db)
		return;
	if (db->lookup)
		ds_sq.finalize(db->lookup);
	if (db->record)
		ds_sq.finalize(db->record);
	if (db->db)
		ds_sq.close(db->db);
	ds_free(db);
}

long long vdb_age(struct vdb *db)
{
	long long now = (long long)time(NULL);

	return db->imported_at > 0 ? (now > db->imported_at ? now - db->imported_at : 0) : -1;
}

/* ---- import ---- */

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
	"CREATE TABLE IF NOT EXISTS vulns(id TEXT PRIMARY KEY, modified TEXT NOT NULL, published TEXT, summary TEXT,"
	" severity TEXT, score REAL, vector TEXT, severity_from TEXT, refs TEXT, aliases TEXT) WITHOUT ROWID;"
	"CREATE TABLE IF NOT EXISTS aliases(id TEXT NOT NULL, alias TEXT NOT NULL, PRIMARY KEY(id, alias));"
	"CREATE INDEX IF NOT EXISTS aliases_alias ON aliases(alias);"
	/* clustered by package: one lookup reads one run of pages */
	"CREATE TABLE IF NOT EXISTS affected(ecosystem TEXT NOT NULL, name TEXT NOT NULL, id TEXT NOT NULL,"
	" seq INTEGER NOT NULL, ranges TEXT NOT NULL, PRIMARY KEY(ecosystem, name, id, seq)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS affected_id ON affected(id);"
	"CREATE TEMP TABLE seen(id TEXT PRIMARY KEY);";

enum { Q_GET, Q_DEL_V, Q_DEL_A, Q_DEL_F, Q_INS_V, Q_INS_A, Q_INS_F, Q_SEEN, Q_MARK, Q_HAS_F, Q_ALIASES, NQ };
static const char *const qsql[NQ] = {
	"SELECT modified FROM vulns WHERE id=?",
	"DELETE FROM vulns WHERE id=?",
	"DELETE FROM aliases WHERE id=?",
	"DELETE FROM affected WHERE id=?",
	"INSERT INTO vulns VALUES(?,?,?,?,?,?,?,?,?,NULL)",
	"INSERT OR IGNORE INTO aliases VALUES(?,?)",
	"INSERT INTO affected VALUES(?2,?3,?1,(SELECT coalesce(max(seq),0)+1 FROM affected WHERE ecosystem=?2 AND name=?3"
	" AND id=?1),?4)",
	"SELECT 1 FROM temp.seen WHERE id=?",
	"INSERT OR IGNORE INTO temp.seen VALUES(?)",
	"SELECT 1 FROM affected WHERE id=? AND ecosystem=? AND name=? AND ranges=?",
	/* the record's aliases beside it, newline-separated and sorted, for matching */
	"UPDATE vulns SET aliases=(SELECT group_concat(alias, char(10)) FROM (SELECT alias FROM aliases WHERE id=?1"
	" ORDER BY alias)) WHERE id=?1",
};

struct imp {
	sqlite3 *db;
	const char *path;
	sqlite3_stmt *q[NQ];
	struct vdb_import_stats *st;
	void (*progress)(void *, size_t);
	void *ud;
	char newest[64];
	unsigned long long bytes; /* read by the whole import, against VDB_MAX_IMPORT */
	struct ds_err *err;
};

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		ds_sq.bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		ds_sq.bind_null(s, i);
}

static int run(struct imp *m, int q)
{
	int r = ds_sq.step(m->q[q]);

	ds_sq.reset(m->q[q]);
	return r == SQLITE_DONE || r == SQLITE_ROW ? 0 : sql_err(m->db, m->path, "writing the vulnerability database", m->err);
}

static int delete_id(struct imp *m, const char *id)
{
	int q, rc;

	for (q = Q_DEL_V; q <= Q_DEL_F; q++) {
		ds_sq.bind_text(m->q[q], 1, id, -1, SQLITE_TRANSIENT);
		if ((rc = run(m, q)))
			return rc;
	}
	return 0;
}

static bool exists(struct imp *m, int q)
{
	bool yes = ds_sq.step(m->q[q]) == SQLITE_ROW;

	ds_sq.reset(m->q[q]);
	return yes;
}

/* Aliases and affected entries of r not yet stored under its id. */
static int add_parts(struct imp *m, const struct vdb_record *r, bool check)
{
	size_t i;
	int rc;

	for (i = 0; i < r->naliases; i++) {
		bind_opt(m->q[Q_INS_A], 1, r->id);
		bind_opt(m->q[Q_INS_A], 2, r->aliases[i]);
		if ((rc = run(m, Q_INS_A)))
			return rc;
	}
	if (r->naliases) {
		bind_opt(m->q[Q_ALIASES], 1, r->id);
		if ((rc = run(m, Q_ALIASES)))
			return rc;
	}
	for (i = 0; i < r->naffected; i++) {
		const struct vdb_affected *f = &r->affected[i];
		if (check) {
			bind_opt(m->q[Q_HAS_F], 1, r->id);
			bind_opt(m->q[Q_HAS_F], 2, f->ecosystem);
			bind_opt(m->q[Q_HAS_F], 3, f->name);
			bind_opt(m->q[Q_HAS_F], 4, f->ranges);
			if (exists(m, Q_HAS_F))
				continue;
		}
		bind_opt(m->q[Q_INS_F], 1, r->id);
		bind_opt(m->q[Q_INS_F], 2, f->ecosystem);
		bind_opt(m->q[Q_INS_F], 3, f->name);
		bind_opt(m->q[Q_INS_F], 4, f->ranges);
		if ((rc = run(m, Q_INS_F)))
			return rc;
	}
	return 0;
}

/* Store r: a new id is inserted; a stored one is replaced when r is newer,
 * left alone when not. The same id met again in this import with the same
 * modified time (one advisory split per release, as in the per-ecosystem
 * archives) adds its affected entries to the first. */
static int store(struct imp *m, const struct vdb_record *r)
{
	const char *mod = r->modified ? r->modified : "";
	bool had = false;
	int rc;

	ds_sq.bind_text(m->q[Q_GET], 1, r->id, -1, SQLITE_TRANSIENT);
	if (ds_sq.step(m->q[Q_GET]) == SQLITE_ROW) {
		const char *old = (const char *)ds_sq.column_text(m->q[Q_GET], 0);
		int c = old ? strcmp(old, mod) : 1;
		had = true;
		if (c >= 0 && !r->withdrawn) {
			ds_sq.reset(m->q[Q_GET]);
			ds_sq.bind_text(m->q[Q_SEEN], 1, r->id, -1, SQLITE_TRANSIENT);
			if (c == 0 && exists(m, Q_SEEN)) {
				m->st->merged++;
				return add_parts(m, r, true);
			}
			m->st->unchanged++;
			return 0;
		}
	}
	ds_sq.reset(m->q[Q_GET]);
	ds_sq.bind_text(m->q[Q_MARK], 1, r->id, -1, SQLITE_TRANSIENT);
	if ((rc = run(m, Q_MARK)))
		return rc;
	if (had && (rc = delete_id(m, r->id)))
		return rc;
	if (r->withdrawn) {
		m->st->withdrawn++;
		return 0;
	}
	if (strcmp(mod, m->newest) > 0 && strlen(mod) < sizeof(m->newest))
		memcpy(m->newest, mod, strlen(mod) + 1);
	bind_opt(m->q[Q_INS_V], 1, r->id);
	bind_opt(m->q[Q_INS_V], 2, mod);
	bind_opt(m->q[Q_INS_V], 3, r->published);
	bind_opt(m->q[Q_INS_V], 4, r->summary);
	bind_opt(m->q[Q_INS_V], 5, r->severity);
	if (r->score >= 0)
		ds_sq.bind_double(m->q[Q_INS_V], 6, r->score);
	else
		ds_sq.bind_null(m->q[Q_INS_V], 6);
	bind_opt(m->q[Q_INS_V], 7, r->vector);
	bind_opt(m->q[Q_INS_V], 8, r->severity_from);
	bind_opt(m->q[Q_INS_V], 9, r->refs);
	if ((rc = run(m, Q_INS_V)) || (rc = add_parts(m, r, false)))
		return rc;
	if (had)
		m->st->updated++;
	else
		m->st->added++;
	return 0;
}

/* One record's text: parsed in an arena of its own, stored. */
static int one(struct imp *m, const char *what, const char *text, size_t n)
{
	struct arena a;
	struct vdb_record r;
	int rc;

	if (m->st->records >= VDB_MAX_RECORDS)
		return ds_err_set(m->err, DS_ELIMIT, what, 0, 0, "more than %d records in one import", VDB_MAX_RECORDS);
	if ((m->bytes += n) > VDB_MAX_IMPORT)
		return ds_err_set(m->err, DS_ELIMIT, what, 0, 0, "the import reads more than 16 GiB");
	arena_init(&a, 0);
	rc = vdb_osv_parse(&a, what, text, n, &r, m->err);
	if (!rc)
		rc = store(m, &r);
	arena_release(&a);
	if (!rc) {
		m->st->records++;
		if (m->progress && !(m->st->records % 1000))
			m->progress(m->ud, m->st->records);
	}
	return rc;
}

static bool is_json(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

static int read_fd_all(int fd, const char *path, struct buf *b, size_t max, struct ds_err *err)
{
	char tmp[65536];
	ssize_t r;

	while ((r = read(fd, tmp, sizeof(tmp))) > 0) {
		if (b->n + (size_t)r > max)
			return ds_err_set(err, DS_ELIMIT, path, 0, 0, "larger than %zu MiB", max >> 20);
		buf_add(b, tmp, (size_t)r);
		if (!buf_ok(b))
			return ds_oom(err);
	}
	return r < 0 ? ds_err_set(err, DS_EIO, path, 0, 0, "%s", strerror(errno)) : 0;
}

/* ---- zip archives, through libarchive ---- */

struct zsrc {
	int fd;
	char buf[1 << 16];
};

static la_ssize_t zread(struct archive *a, void *ud, const void **out)
{
	struct zsrc *z = ud;
	ssize_t r = read(z->fd, z->buf, sizeof(z->buf));

	(void)a;
	*out = z->buf;
	return r;
}

static int import_zip(struct imp *m, int fd, const char *path)
{
	struct archive *ar;
	struct archive_entry *e;
	struct zsrc *z;
	struct buf b = BUF_INIT;
	char what[PATH_MAX + 300];
	int rc = 0, r;

	if ((rc = img_archive_load(m->err)))
		return rc;
	if (!(z = ds_calloc(1, sizeof(*z))) || !(ar = img_ar.read_new())) {
		ds_free(z);
		return ds_oom(m->err);
	}
	z->fd = fd;
	img_ar.read_support_format_zip_streamable(ar);
	if (img_ar.read_open(ar, z, NULL, zread, NULL) != ARCHIVE_OK) {
		rc = ds_err_set(m->err, DS_EPARSE, path, 0, 0, "not a zip archive: %s", img_ar.error_string(ar));
		goto out;
	}
	while ((r = img_ar.read_next_header(ar, &e)) == ARCHIVE_OK) {
		const char *name = img_ar.entry_pathname(e);
		la_ssize_t got;
		char tmp[65536];
		if (!name || !is_json(name) || (img_ar.entry_mode(e) & S_IFMT) != S_IFREG)
			continue;
		snprintf(what, sizeof(what), "%s:%.250s", path, name);
		b.n = 0;
		while ((got = img_ar.read_data(ar, tmp, sizeof(tmp))) > 0) {
			if (b.n + (size_t)got > VDB_MAX_RECORD || m->bytes + b.n + (size_t)got > VDB_MAX_IMPORT) {
				rc = ds_err_set(m->err, DS_ELIMIT, what, 0, 0, "%s",
						b.n + (size_t)got <= VDB_MAX_RECORD ? "the import reads more than 16 GiB"
									: "an OSV record larger than 8 MiB");
				goto out;
			}
			buf_add(&b, tmp, (size_t)got);
		}
		if (got < 0) {
			rc = ds_err_set(m->err, DS_EPARSE, what, 0, 0, "a damaged archive: %s", img_ar.error_string(ar));
			goto out;
		}
		if (!buf_ok(&b)) {
			rc = ds_oom(m->err);
			goto out;
		}
		m->st->files++;
		if ((rc = one(m, what, b.p ? b.p : "", b.n)))
			goto out;
	}
	if (r != ARCHIVE_EOF)
		rc = ds_err_set(m->err, DS_EPARSE, path, 0, 0, "a damaged zip archive: %s", img_ar.error_string(ar));
out:
	ds_err_keep_file(m->err, what);
	img_ar.read_free(ar);
	ds_free(z);
	buf_release(&b);
	return rc;
}

static int import_path(struct imp *m, const char *path, int depth, bool top);

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A directory's entries in name order, so an import is reproducible. */
static int import_dir(struct imp *m, const char *path, int depth)
{
	DIR *d = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d)
		return ds_err_set(m->err, DS_EIO, path, 0, 0, "%s", strerror(errno));
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nv = ds_realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(*names));
			if (!nv) {
				rc = ds_oom(m->err);
				break;
			}
			names = nv;
		}
		if (!(names[n] = ds_malloc(strlen(path) + strlen(de->d_name) + 2))) {
			rc = ds_oom(m->err);
			break;
		}
		snprintf(names[n], strlen(path) + strlen(de->d_name) + 2, "%s/%s", path, de->d_name);
		n++;
	}
	closedir(d);
	if (!rc && names)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (!rc && (rc = import_path(m, names[i], depth + 1, false)))
			ds_err_keep_file(m->err, names[i]);
		ds_free(names[i]);
	}
	ds_free(names);
	return rc;
}

static int import_path(struct imp *m, const char *path, int depth, bool top)
{
	struct stat sb;
	struct buf b = BUF_INIT;
	unsigned char magic[4] = {0};
	int fd, rc;

	if (depth > 16)
		return ds_err_set(m->err, DS_ELIMIT, path, 0, 0, "directories nested deeper than 16");
	if ((top ? stat(path, &sb) : lstat(path, &sb)))
		return ds_err_set(m->err, DS_ENOTFOUND, path, 0, 0, "%s", strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return import_dir(m, path, depth);
	if (top && !S_ISREG(sb.st_mode))
		return ds_err_set(m->err, DS_EUSAGE, path, 0, 0, "not a file or a directory of OSV records");
	if (!S_ISREG(sb.st_mode) || (!top && !is_json(path) && !(strlen(path) > 4 && !strcmp(path + strlen(path) - 4, ".zip"))))
		return 0; /* links and other files inside a directory are not followed */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		return ds_err_set(m->err, DS_EIO, path, 0, 0, "%s", strerror(errno));
	if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, "PK\3\4", 4)) {
		rc = import_zip(m, fd, path);
	} else if (!(rc = read_fd_all(fd, path, &b, VDB_MAX_RECORD, m->err))) {
		m->st->files++;
		rc = one(m, path, b.p ? b.p : "", b.n);
	}
	close(fd);
	buf_release(&b);
	return rc;
}

static int set_meta(struct imp *m, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int r;

	if (ds_sq.prepare_v2(m->db, "INSERT OR REPLACE INTO meta VALUES(?,?)", -1, &st, NULL) != SQLITE_OK)
		return sql_err(m->db, m->path, "writing the vulnerability database", m->err);
	ds_sq.bind_text(st, 1, key, -1, SQLITE_STATIC);
	ds_sq.bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
	r = ds_sq.step(st);
	ds_sq.finalize(st);
	return r == SQLITE_DONE ? 0 : sql_err(m->db, m->path, "writing the vulnerability database", m->err);
}

int vdb_import(const char *db_path, const char *const *paths, size_t npaths, struct vdb_import_stats *st,
	       void (*progress)(void *ud, size_t records), void *ud, struct ds_err *err)
{
	return vdb_import_meta(db_path, paths, npaths, NULL, 0, st, progress, ud, err);
}

void vdb_meta_get(const char *db_path, const char *key, char *out, size_t n)
{
	struct vdb *db;
	struct ds_err err = {0};
	sqlite3_stmt *st;

	out[0] = 0;
	if (vdb_open(&db, db_path, &err))
		return;
	if (ds_sq.prepare_v2(db->db, "SELECT value FROM meta WHERE key=?", -1, &st, NULL) == SQLITE_OK) {
		ds_sq.bind_text(st, 1, key, -1, SQLITE_STATIC);
		if (ds_sq.step(st) == SQLITE_ROW && ds_sq.column_text(st, 0))
			snprintf(out, n, "%s", (const char *)ds_sq.column_text(st, 0));
		ds_sq.finalize(st);
	}
	vdb_close(db);
}

int vdb_import_meta(const char *db_path, const char *const *paths, size_t npaths, const char *const *meta, size_t nmeta,
		    struct vdb_import_stats *st, void (*progress)(void *ud, size_t records), void *ud,
		    struct ds_err *err)
{
	struct imp m = {0};
	struct stat sb;
	bool created;
	char num[32];
	size_t i;
	int rc, q;

	memset(st, 0, sizeof(*st));
	if ((rc = ds_sqlite_load(err)))
		return rc;
	created = stat(db_path, &sb) != 0;
	if (!created && !S_ISREG(sb.st_mode))
		return ds_err_set(err, DS_EUSAGE, db_path, 0, 0, "not a file");
	m.path = db_path;
	m.st = st;
	m.err = err;
	m.progress = progress;
	m.ud = ud;
	if (ds_sq.open_v2(db_path, &m.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		rc = sql_err(m.db, db_path, "cannot open the vulnerability database", err);
		goto out;
	}
	ds_sq.busy_timeout(m.db, 10000);
	if (!created) {
		long long app = pragma_int(m.db, "PRAGMA application_id"), ver = pragma_int(m.db, "PRAGMA user_version");
		if (app != APP_ID) {
			rc = ds_err_set(err, DS_EUSAGE, db_path, 0, 0, "not a docksec vulnerability database; refusing to write to it");
			goto out;
		}
		if (ver != VDB_SCHEMA) {
			rc = ds_err_set(err, DS_EUSAGE, db_path, 0, 0, OTHER_SCHEMA, ver, VDB_SCHEMA);
			goto out;
		}
	}
	if (ds_sq.exec(m.db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sql_err(m.db, db_path, "cannot lock the vulnerability database", err);
		goto out;
	}
	if (ds_sq.exec(m.db, schema_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    ds_sq.exec(m.db, created ? "PRAGMA application_id=" DS_STR(APP_ID_DEC) "; PRAGMA user_version=" DS_STR(VDB_SCHEMA) : "SELECT 1", NULL, NULL,
		       NULL) != SQLITE_OK) {
		rc = sql_err(m.db, db_path, "cannot create the vulnerability database", err);
		goto rollback;
	}
	for (q = 0; q < NQ; q++)
		if (ds_sq.prepare_v2(m.db, qsql[q], -1, &m.q[q], NULL) != SQLITE_OK) {
			rc = sql_err(m.db, db_path, "preparing the import", err);
			goto rollback;
		}
	for (i = 0; i < npaths; i++)
		if ((rc = import_path(&m, paths[i], 0, true)))
			goto rollback;
	snprintf(num, sizeof(num), "%lld", (long long)time(NULL));
	if ((rc = set_meta(&m, "imported_at", num)))
		goto rollback;
	for (i = 0; i < nmeta; i++)
		if ((rc = set_meta(&m, meta[2 * i], meta[2 * i + 1])))
			goto rollback;
	if (m.newest[0]) {
		sqlite3_stmt *s;
		bool newer = true;
		if (ds_sq.prepare_v2(m.db, "SELECT value FROM meta WHERE key='newest'", -1, &s, NULL) == SQLITE_OK) {
			if (ds_sq.step(s) == SQLITE_ROW && ds_sq.column_text(s, 0) &&
			    strcmp((const char *)ds_sq.column_text(s, 0), m.newest) >= 0)
				newer = false;
			ds_sq.finalize(s);
		}
		if (newer && (rc = set_meta(&m, "newest", m.newest)))
			goto rollback;
	}
	for (q = 0; q < NQ; q++) {
		ds_sq.finalize(m.q[q]);
		m.q[q] = NULL;
	}
	if (ds_sq.exec(m.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = sql_err(m.db, db_path, "committing the import", err);
		goto rollback;
	}
	goto out;
rollback:
	for (q = 0; q < NQ; q++)
		if (m.q[q])
			ds_sq.finalize(m.q[q]);
	ds_sq.exec(m.db, "ROLLBACK", NULL, NULL, NULL);
out:
	if (m.db)
		ds_sq.close(m.db);
	if (rc && created)
		unlink(db_path);
	return rc;
}

/* ---- status ---- */

int vdb_status(struct vdb *db, struct arena *a, struct vdb_status *st, struct ds_err *err)
{
	sqlite3_stmt *s;
	size_t cap = 0;

	memset(st, 0, sizeof(*st));
	st->imported_at = db->imported_at;
	st->records = pragma_int(db->db, "SELECT count(*) FROM vulns");
	st->aliases = pragma_int(db->db, "SELECT count(*) FROM aliases");
	if (ds_sq.prepare_v2(db->db, "SELECT value FROM meta WHERE key='newest'", -1, &s, NULL) == SQLITE_OK) {
		if (ds_sq.step(s) == SQLITE_ROW && ds_sq.column_text(s, 0))
			st->newest = arena_strdup(a, (const char *)ds_sq.column_text(s, 0));
		ds_sq.finalize(s);
	}
	if (ds_sq.prepare_v2(db->db,
			     "SELECT ecosystem, count(DISTINCT id), count(DISTINCT name) FROM affected GROUP BY ecosystem"
			     " ORDER BY ecosystem",
			     -1, &s, NULL) != SQLITE_OK)
		return sql_err(db->db, NULL, "reading the vulnerability database", err);
	while (ds_sq.step(s) == SQLITE_ROW) {
		struct vdb_eco_count *e;
		if (arena_grow(a, (void **)&st->eco, &cap, st->neco + 1, sizeof(*st->eco))) {
			ds_sq.finalize(s);
			return ds_oom(err);
		}
		e = &st->eco[st->neco++];
		e->ecosystem = arena_strdup(a, (const char *)ds_sq.column_text(s, 0));
		e->records = ds_sq.column_int64(s, 1);
		e->packages = ds_sq.column_int64(s, 2);
	}
	ds_sq.finalize(s);
	return 0;
}

/* ---- what matching reads ---- */

static const char *col(sqlite3_stmt *s, int i)
{
	return (const char *)ds_sq.column_text(s, i);
}

int vdb_lookup(struct vdb *db, const char *ecosystem, const char *name,
	       int (*fn)(void *ud, const char *id, const char *ranges), void *ud, struct ds_err *err)
{
	int r;

	if (!db->lookup && ds_sq.prepare_v2(db->db, "SELECT id, ranges FROM affected WHERE ecosystem = ? AND name = ? ORDER BY id",
					    -1, &db->lookup, NULL) != SQLITE_OK)
		return sql_err(db->db, NULL, "reading the vulnerability database", err);
	ds_sq.bind_text(db->lookup, 1, ecosystem, -1, SQLITE_STATIC);
	ds_sq.bind_text(db->lookup, 2, name, -1, SQLITE_STATIC);
	while ((r = ds_sq.step(db->lookup)) == SQLITE_ROW) {
		const char *id = col(db->lookup, 0), *ranges = col(db->lookup, 1);
		if (id && ranges && fn(ud, id, ranges))
			break;
	}
	ds_sq.reset(db->lookup);
	return r == SQLITE_ROW || r == SQLITE_DONE ? 0 : sql_err(db->db, NULL, "reading the vulnerability database", err);
}

int vdb_record(struct vdb *db, const char *id, struct vdb_row *row, struct ds_err *err)
{
	int r;

	memset(row, 0, sizeof(*row));
	if (db->record)
		ds_sq.reset(db->record);
	else if (ds_sq.prepare_v2(db->db, "SELECT summary, severity, vector, refs, score, aliases, severity_from FROM vulns WHERE id = ?", -1,
				  &db->record, NULL) != SQLITE_OK)
		return sql_err(db->db, NULL, "reading the vulnerability database", err);
	ds_sq.bind_text(db->record, 1, id, -1, SQLITE_TRANSIENT);
	if ((r = ds_sq.step(db->record)) != SQLITE_ROW)
		return r == SQLITE_DONE ? ds_err_set(err, DS_EPARSE, NULL, 0, 0, "%s: an affected entry of no record", id)
					: sql_err(db->db, NULL, "reading the vulnerability database", err);
	row->id = id;
	row->summary = col(db->record, 0);
	row->severity = col(db->record, 1);
	row->vector = col(db->record, 2);
	row->refs = col(db->record, 3);
	row->score = ds_sq.column_type(db->record, 4) == SQLITE_NULL ? -1 : ds_sq.column_double(db->record, 4);
	row->aliases = col(db->record, 5);
	row->severity_from = col(db->record, 6);
	return 0;
}
