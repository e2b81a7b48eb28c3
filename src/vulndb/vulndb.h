/*
 * vulndb.h - known vulnerabilities: OSV records imported into a SQLite
 * database, matched against an image's (or a host's) package inventory,
 * and the CI gate's whitelists.
 *
 * The database (schema in db.c) keeps what matching and reporting need,
 * not the whole record: per record its id, modified time, summary,
 * severity (label, score, vector and where it came from), aliases
 * (aliases, upstream and related ids: a whitelist entry naming any of them
 * covers the record) and a few reference URLs; per affected package its
 * ecosystem as OSV spells it ("Debian:12", "PyPI"), its name (PyPI names
 * normalised as PEP 503 does) and its ranges and versions as compact JSON,
 * judged at match time with the ecosystem's own version ordering
 * (src/image/version/).
 *
 * Ownership: struct vdb is opened and closed by the caller; everything a
 * match returns lives in the caller's arena.
 */
#ifndef DS_VULNDB_H
#define DS_VULNDB_H

#include "../core/finding.h"
#include "../image/scan.h"

#define VDB_SCHEMA 4
#define VDB_MAX_RECORD (8u << 20)     /* bytes of one OSV JSON record */
#define VDB_MAX_IMPORT (16ull << 30)  /* bytes one import reads, files and archive members together */
#define VDB_MAX_RECORDS 5000000       /* records in one import */
#define VDB_MAX_AFFECTED 10000        /* affected entries of one record */
#define VDB_MAX_HITS 100000           /* findings of one inventory */

/* ---- CVSS (cvss.c) ---- */

/* The base score of a CVSS v4.0, v3.0/v3.1 or v2 vector
 * ("CVSS:4.0/AV:N/...", "CVSS:3.1/AV:N/..." or "AV:N/AC:L/Au:N/C:P/I:P/A:P"),
 * 0.0-10.0; -1 when the vector is not one (a base metric missing,
 * repeated or unknown). */
double vdb_cvss_score(const char *vector);
/* The rating of a score: v3's none/low/medium/high/critical bands (v2
 * has no critical: high from 7.0). */
enum ds_sev vdb_cvss_rating(double score, bool v2);

/* ---- OSV records (osv.c) ---- */

struct vdb_affected {
	const char *ecosystem, *name;
	/* lines: "R TYPE" opens a range, "i V" introduced, "f V" fixed,
	 * "l V" last_affected, "m V" limit, "v V" a listed version */
	const char *ranges;
};

struct vdb_record {
	const char *id, *modified, *published, *withdrawn; /* NULL when absent */
	const char *summary;                                /* summary, else the first line of details */
	const char *severity;                               /* "high", ... or NULL: not rated */
	double score;                                       /* -1: none */
	const char *vector, *severity_from;                 /* "CVSS_V3", "database_specific", ... */
	const char **aliases;                               /* aliases, upstream, related */
	size_t naliases;
	const char *refs; /* up to 8 URLs, newline-separated, or NULL */
	struct vdb_affected *affected;
	size_t naffected;
};

/* Parse one OSV record (JSON text) into r, strings in a. 0, or DS_EPARSE
 * naming what (the file) and what was expected. */
int vdb_osv_parse(struct arena *a, const char *what, const char *text, size_t n, struct vdb_record *r,
		  struct ds_err *err);
/* PEP 503's normal form of a PyPI name (lowercase, runs of -_. as one -). */
const char *vdb_pypi_name(struct arena *a, const char *name);

/* ---- the database (db.c) ---- */

struct vdb;

/* The default path: $XDG_CACHE_HOME/docksec/vulns.db (or ~/.cache/...),
 * its directories created when create is true. 0, or -1. */
int vdb_default_path(char *out, size_t n, bool create);
/* Open path for reading: DS_ENOTFOUND when it does not exist, DS_EPARSE
 * when it is not a docksec vulnerability database of this schema. */
int vdb_open(struct vdb **out, const char *path, struct ds_err *err);
void vdb_close(struct vdb *db);
/* Seconds since the last import (or update), -1 when never. */
long long vdb_age(struct vdb *db);

struct vdb_import_stats {
	size_t files, records, added, updated, unchanged, withdrawn, merged;
};
/* Import OSV records from paths (JSON files, directories of them, zip
 * archives such as osv.dev's all.zip) into the database at db_path,
 * created when absent. One transaction: on any error nothing changes.
 * A record no newer (by modified) than the stored one is left as it is;
 * a withdrawn one is removed. progress(ud, records) is called now and
 * then when not NULL. */
int vdb_import(const char *db_path, const char *const *paths, size_t npaths, struct vdb_import_stats *st,
	       void (*progress)(void *ud, size_t records), void *ud, struct ds_err *err);
/* The same, also setting meta (key, value pairs: nmeta keys) in the same
 * transaction: db update's ETag and Last-Modified per URL. */
int vdb_import_meta(const char *db_path, const char *const *paths, size_t npaths, const char *const *meta, size_t nmeta,
		    struct vdb_import_stats *st, void (*progress)(void *ud, size_t records), void *ud,
		    struct ds_err *err);
/* A meta value of the database at db_path ("" when absent or no database),
 * into out. */
void vdb_meta_get(const char *db_path, const char *key, char *out, size_t n);

/* ---- downloads (update.c) ---- */

struct vdb_update_opts {
	const char *base_url;          /* https://.../ ; ECOSYSTEM/all.zip below it */
	const char *const *ecosystems; /* "Debian", "PyPI", ... */
	size_t necosystems;
	const char *cacert;            /* or NULL: the system's */
	unsigned long long max_bytes;  /* downloaded by the whole update */
};
struct vdb_update_stats {
	size_t downloaded, not_modified;
	unsigned long long bytes;
	struct vdb_import_stats imported;
};
/* Download each ecosystem's all.zip with a conditional request (the
 * stored ETag / Last-Modified), then import what changed in one
 * transaction with the new validators. libcurl is loaded here only. */
int vdb_update(const char *db_path, const struct vdb_update_opts *o, struct vdb_update_stats *st,
	       void (*progress)(void *ud, size_t records), void *ud, struct ds_err *err);

struct vdb_eco_count {
	const char *ecosystem;
	long long records, packages;
};
struct vdb_status {
	long long records, aliases, imported_at; /* imported_at: unix seconds, 0 never */
	const char *newest;                      /* the newest record's modified time */
	struct vdb_eco_count *eco;
	size_t neco;
};
int vdb_status(struct vdb *db, struct arena *a, struct vdb_status *st, struct ds_err *err);

/* What matching reads (db.c): each affected entry of (ecosystem, name),
 * its record's id and ranges, passed to fn (valid during the call; fn
 * returns nonzero to stop); then, for a record that matched, its fields
 * (valid until the next vdb_record call). */
struct vdb_row {
	const char *id, *summary, *severity, *vector, *refs;
	const char *severity_from; /* where the rating came from: "CVSS_V3", "Ubuntu", "ecosystem_specific"... */
	double score;	      /* -1: none */
	const char *aliases; /* newline-separated, sorted; NULL: none */
};
int vdb_lookup(struct vdb *db, const char *ecosystem, const char *name,
	       int (*fn)(void *ud, const char *id, const char *ranges), void *ud, struct ds_err *err);
int vdb_record(struct vdb *db, const char *id, struct vdb_row *row, struct ds_err *err);

/* ---- matching (match.c) ---- */

struct vdb_hit {
	const struct img_pkg *pkg; /* the installed package */
	const char *ecosystem, *name, *version; /* as queried */
	const char *id, *summary, *fixed;       /* fixed: NULL when no fixed version is known */
	const char **aliases;
	size_t naliases;
	enum ds_sev sev;
	bool rated; /* false: the record has no severity (counted as medium) */
	double score;
	const char *vector;
	const char *severity_from; /* see vdb_row; NULL when not rated */
	const char **refs; /* reference URLs */
	size_t nrefs;
};

struct vdb_match_stats {
	size_t queried;        /* packages looked up */
	size_t no_ecosystem;   /* packages whose ecosystem has no records or no ordering here */
	size_t git_ranges;     /* GIT ranges ignored (they name commits, not versions) */
	size_t unordered;      /* ranges skipped: no version ordering for the ecosystem */
	const char *os_ecosystem; /* "Debian:12", or NULL */
};

/* The OSV ecosystem of an image's OS ("Debian:12", "Alpine:v3.19"), or
 * NULL when docksec does not know how its records are named. */
const char *vdb_os_ecosystem(struct arena *a, const struct img_os *os);
/* Every record affecting a package of inv: OS packages under the OS's
 * ecosystem (by source package where that ecosystem names sources),
 * language packages under theirs. Hits in a, sorted by severity, then
 * fixable first, then package and id. */
int vdb_match(struct vdb *db, struct arena *a, const struct img_inventory *inv, struct vdb_hit **out, size_t *n,
	      struct vdb_match_stats *st, struct ds_err *err);
/* Is version affected by one affected entry's ranges (as stored)?
 * *fixed gets the version that fixes it (or NULL). scheme: the ecosystem
 * ("Debian:12", "npm"). 1 affected, 0 not, -1 no ordering for it. */
int vdb_affects(struct arena *a, const char *ecosystem, const char *ranges, const char *version, const char **fixed,
		struct vdb_match_stats *st);

/* ---- whitelists (allow.c) ---- */

struct vdb_allow {
	const char *id;      /* a vulnerability id or alias */
	const char *image;   /* clair-scanner's per-image section, or NULL: any image */
	const char *package; /* or NULL: any package */
	const char *reason, *expires; /* expires: YYYY-MM-DD or NULL */
	/* .trivyignore.yaml's scopes: when given, the package's purl must
	 * match one of purls and its path one of paths (doublestar globs) */
	const char **purls, **paths;
	size_t npurls, npaths;
	const char *file;
	int line;
	bool expired;
	size_t used;
};
struct vdb_allowlist {
	struct vdb_allow *v;
	size_t n, cap;
	size_t *byid;    /* indices of v by id without case, then by place (kept by vdb_allow_load) */
	size_t expanded; /* bytes written by the paths' {a,b} expansion, all files */
	bool scoped;  /* an entry has purls or paths: callers pass them */
};

/* Read a whitelist: clair-scanner's YAML (generalwhitelist, images),
 * docksec's YAML (ignore: [{id, reason, expires, package, image}]), a
 * .trivyignore (an id per line, optional exp:YYYY-MM-DD) or a
 * .trivyignore.yaml (vulnerabilities: [{id, statement, expired_at, purls,
 * paths}]). today is YYYY-MM-DD: entries expiring before it are marked
 * expired. */
int vdb_allow_load(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text, size_t n,
		   const char *today, struct ds_err *err);
/* The live entry covering hit h in image ref (by id or alias), or NULL;
 * *expired gets an expired entry that would have covered it. purl and
 * path are the package's (needed only when l->scoped; an entry scoped by
 * them never covers a package without them). */
struct vdb_allow *vdb_allow_find(struct vdb_allowlist *l, const char *ref, const char *purl, const char *path,
				 const struct vdb_hit *h, struct vdb_allow **expired);
/* Whether path matches the doublestar glob pattern: "**" is any number
 * of whole segments, "*" "?" "[...]" stay within one; a leading "/" on
 * either is ignored. */
bool vdb_glob_match(const char *pattern, const char *path);
/* Whether package URL purl satisfies pattern: the same type, namespace
 * and name; the version and subpath when the pattern has them; and every
 * qualifier of the pattern, with its value (percent-decoded, types and
 * qualifier keys without case). */
bool vdb_purl_match(const char *pattern, const char *purl);

#endif
