/*
 * db.c - `docksec db import|update|status`: the vulnerability database
 * (src/vulndb/vulndb.h) filled from OSV records, and what it holds.
 *
 * The database lives at $XDG_CACHE_HOME/docksec/vulns.db unless --db (or
 * DOCKSEC_DB) names another file; `scan --vulns` reads the same default.
 */
#include "cmd.h"
#include "../core/buf.h"
#include "../core/opt.h"
#include "../core/report.h"
#include "../vulndb/vulndb.h"
#include <time.h>

/* --db, else DOCKSEC_DB, else the default path (its directory created
 * when create is true). 0, or DS_EUSAGE. */
int cmd_db_path(const char *given, char *out, size_t n, bool create, struct ds_err *err)
{
	const char *env = getenv("DOCKSEC_DB");

	if (given || (env && *env)) {
		if (snprintf(out, n, "%s", given ? given : env) >= (int)n)
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "--db: path too long");
		return 0;
	}
	if (vdb_default_path(out, n, create))
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
				  "no database path: set HOME or XDG_CACHE_HOME (to a directory docksec can create), or give --db");
	return 0;
}

static void show_progress(void *ud, size_t records)
{
	if (cmd_progress_due(ud))
		fprintf(stderr, "\rdocksec: %zu records imported\033[K", records);
}

static const char import_usage[] = "docksec db import [--db FILE] PATH...";
static const char import_desc[] =
	"Import OSV vulnerability records into the database: PATH is a record (.json), a directory of\n"
	"them (walked, links not followed) or a zip archive of them such as osv.dev's per-ecosystem\n"
	"all.zip. The import is one transaction: on any error nothing changes. A record already held\n"
	"is replaced only by a newer one (by \"modified\"); withdrawn records are removed.";

static int db_import(int argc, char **argv)
{
	struct opt_list ops = {0};
	struct ds_err err = {0};
	struct vdb_import_stats st;
	struct cmd_progress pg = {0};
	const char *dbp = NULL;
	bool quiet = false;
	char path[PATH_MAX];
	int rc;
	const struct opt opts[] = {
		{0, "db", OPT_STRING, &dbp, "FILE", "the database (default $XDG_CACHE_HOME/docksec/vulns.db, or DOCKSEC_DB)"},
		{'q', "quiet", OPT_BOOL, &quiet, NULL, "no progress or summary on stderr"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	rc = opt_parse(argc, argv, opts, &ops, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, import_usage, import_desc, opts);
		opt_list_release(&ops);
		return DS_EXIT_OK;
	}
	if (!rc && !ops.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "no OSV records given (files, directories or zip archives)");
	if (!rc)
		rc = cmd_db_path(dbp, path, sizeof(path), true, &err);
	if (!rc) {
		cmd_set_quiet(quiet);
		cmd_progress_init(&pg, !quiet);
		rc = vdb_import(path, ops.v, ops.n, &st, pg.on ? show_progress : NULL, &pg, &err);
		cmd_progress_end(&pg);
	}
	opt_list_release(&ops);
	if (rc)
		return cmd_error(&err);
	cmd_notice("%s: %zu records from %zu files: %zu added, %zu updated, %zu merged, %zu unchanged, %zu withdrawn",
		   path, st.records, st.files, st.added, st.updated, st.merged, st.unchanged, st.withdrawn);
	return DS_EXIT_OK;
}

static const char *const default_ecosystems[] = {"Debian", "Ubuntu",  "Alpine", "AlmaLinux", "Rocky Linux",
						 "Wolfi",  "PyPI",    "npm",    "Go",	     "crates.io",
						 "Maven",  "RubyGems"};

static const char update_usage[] = "docksec db update [--db FILE] [--url URL] [--ecosystem NAME]... [--cacert FILE]";
static const char update_desc[] =
	"Download osv.dev's per-ecosystem archives (URL/ECOSYSTEM/all.zip; default URL\n"
	"https://osv-vulnerabilities.storage.googleapis.com, or DOCKSEC_DB_URL) and import them.\n"
	"Each is asked for with the ETag and Last-Modified of its last download, so an unchanged\n"
	"one costs a 304; what changed is imported in one transaction. Default ecosystems: Debian,\n"
	"Ubuntu, Alpine, AlmaLinux, Rocky Linux, Wolfi, PyPI, npm, Go, crates.io, Maven, RubyGems.";

static int db_update(int argc, char **argv)
{
	struct opt_list ops = {0}, ecos = {0};
	struct ds_err err = {0};
	struct vdb_update_stats st;
	struct vdb_update_opts uo = {0};
	struct cmd_progress pg = {0};
	const char *dbp = NULL, *env = getenv("DOCKSEC_DB_URL");
	bool quiet = false;
	char path[PATH_MAX];
	int rc;
	const struct opt opts[] = {
		{0, "db", OPT_STRING, &dbp, "FILE", "the database (default $XDG_CACHE_HOME/docksec/vulns.db, or DOCKSEC_DB)"},
		{0, "url", OPT_STRING, &uo.base_url, "URL", "where the archives are (https only)"},
		{0, "ecosystem", OPT_LIST, &ecos, "NAME", "an ecosystem to download (repeatable; default: the usual ones)"},
		{0, "cacert", OPT_STRING, &uo.cacert, "FILE", "trust the CA certificates in FILE instead of the system's"},
		{'q', "quiet", OPT_BOOL, &quiet, NULL, "no progress or summary on stderr"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	rc = opt_parse(argc, argv, opts, &ops, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, update_usage, update_desc, opts);
		rc = 0;
		goto done;
	}
	if (!rc && ops.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "update takes no operands (--ecosystem names what to fetch)");
	if (!uo.base_url)
		uo.base_url = env && *env ? env : "https://osv-vulnerabilities.storage.googleapis.com";
	uo.ecosystems = ecos.n ? ecos.v : default_ecosystems;
	uo.necosystems = ecos.n ? ecos.n : DS_ARRAY_SIZE(default_ecosystems);
	uo.max_bytes = 8ull << 30; /* every download of the update together */
	if (!rc)
		rc = cmd_db_path(dbp, path, sizeof(path), true, &err);
	if (!rc) {
		cmd_set_quiet(quiet);
		cmd_progress_init(&pg, !quiet);
		rc = vdb_update(path, &uo, &st, pg.on ? show_progress : NULL, &pg, &err);
		cmd_progress_end(&pg);
	}
	if (!rc)
		cmd_notice("%s: %zu archive%s downloaded (%llu KiB), %zu unchanged; %zu records: %zu added, %zu updated, "
			   "%zu withdrawn",
			   path, st.downloaded, st.downloaded == 1 ? "" : "s", st.bytes >> 10, st.not_modified,
			   st.imported.records, st.imported.added, st.imported.updated, st.imported.withdrawn);
done:
	opt_list_release(&ops);
	opt_list_release(&ecos);
	return rc ? cmd_error(&err) : DS_EXIT_OK;
}

static const char status_usage[] = "docksec db status [--db FILE] [-f text|json]";

static int db_status(int argc, char **argv)
{
	struct opt_list ops = {0};
	struct ds_err err = {0};
	struct vdb *db = NULL;
	struct vdb_status st;
	struct arena a;
	struct buf b = BUF_INIT;
	const char *dbp = NULL, *fmt = "text";
	char path[PATH_MAX];
	size_t i;
	int rc;
	const struct opt opts[] = {
		{0, "db", OPT_STRING, &dbp, "FILE", "the database (default $XDG_CACHE_HOME/docksec/vulns.db, or DOCKSEC_DB)"},
		{'f', "format", OPT_STRING, &fmt, "FMT", "text (default) or json"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	arena_init(&a, 0);
	rc = opt_parse(argc, argv, opts, &ops, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, status_usage,
			  "Show what the vulnerability database holds: records per ecosystem, when it was last\n"
			  "imported and the newest record's modification time.",
			  opts);
		rc = 0;
		goto done;
	}
	if (!rc && ops.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "status takes no operands");
	if (!rc && strcmp(fmt, "text") && strcmp(fmt, "json"))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "unknown format '%s' (text or json)", fmt);
	if (rc || (rc = cmd_db_path(dbp, path, sizeof(path), false, &err)) || (rc = vdb_open(&db, path, &err)) ||
	    (rc = vdb_status(db, &a, &st, &err)))
		goto done;
	if (!strcmp(fmt, "json")) {
		buf_adds(&b, "{\"database\":");
		rpt_json_str(&b, path);
		buf_addf(&b, ",\"schema\":%d,\"records\":%lld,\"aliases\":%lld,\"imported_at\":%lld,\"age_seconds\":%lld,"
			     "\"newest_modified\":",
			 VDB_SCHEMA, st.records, st.aliases, st.imported_at, vdb_age(db));
		if (st.newest)
			rpt_json_str(&b, st.newest);
		else
			buf_adds(&b, "null");
		buf_adds(&b, ",\"ecosystems\":[");
		for (i = 0; i < st.neco; i++) {
			buf_adds(&b, i ? ",{\"ecosystem\":" : "{\"ecosystem\":");
			rpt_json_str(&b, st.eco[i].ecosystem ? st.eco[i].ecosystem : "");
			buf_addf(&b, ",\"records\":%lld,\"packages\":%lld}", st.eco[i].records, st.eco[i].packages);
		}
		buf_adds(&b, "]}\n");
	} else {
		char when[64] = "never";
		time_t t = (time_t)st.imported_at;
		long long age = vdb_age(db);
		if (st.imported_at)
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", gmtime(&t));
		buf_adds(&b, "database: ");
		buf_add_visible(&b, path, strlen(path));
		buf_addf(&b, "\nrecords:  %lld (%lld aliases)\nimported: %s", st.records, st.aliases, when);
		if (age >= 0)
			buf_addf(&b, " (%lld day%s %lld h ago)", age / 86400, age / 86400 == 1 ? "" : "s", age % 86400 / 3600);
		buf_adds(&b, "\nnewest:   ");
		buf_add_visible(&b, st.newest ? st.newest : "-", strlen(st.newest ? st.newest : "-"));
		buf_addf(&b, "\n\n%-40s %10s %10s\n", "ECOSYSTEM", "RECORDS", "PACKAGES");
		for (i = 0; i < st.neco; i++) {
			const char *e = st.eco[i].ecosystem ? st.eco[i].ecosystem : "";
			size_t n = strlen(e);
			buf_add_visible(&b, e, n);
			buf_addf(&b, "%*s %10lld %10lld\n", n < 40 ? (int)(40 - n) : 0, "", st.eco[i].records,
				 st.eco[i].packages);
		}
	}
	if (!buf_ok(&b))
		rc = ds_oom(&err);
	else if (fwrite(b.p, 1, b.n, stdout) != b.n)
		rc = ds_err_set(&err, DS_EWRITE, NULL, 0, 0, "cannot write the status");
done:
	vdb_close(db);
	buf_release(&b);
	arena_release(&a);
	opt_list_release(&ops);
	return rc ? cmd_error(&err) : DS_EXIT_OK;
}

int cmd_db(int argc, char **argv)
{
	struct ds_err err = {0};

	if (argc >= 2 && !strcmp(argv[1], "import"))
		return db_import(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "status"))
		return db_status(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "update"))
		return db_update(argc - 1, argv + 1);
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: docksec db import [--db FILE] PATH...\n"
		     "       docksec db update [--db FILE] [--url URL] [--ecosystem NAME]... [--cacert FILE]\n"
		     "       docksec db status [--db FILE] [-f text|json]\n\n"
		     "The vulnerability database `docksec scan --vulns` matches images against: OSV records\n"
		     "(osv.dev's all.zip archives, GHSA, the Go vulndb, distribution advisories) in SQLite, at\n"
		     "$XDG_CACHE_HOME/docksec/vulns.db unless --db or DOCKSEC_DB names another file.");
		return DS_EXIT_OK;
	}
	ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "db takes import, update or status (see 'docksec db --help')");
	return cmd_error(&err);
}
