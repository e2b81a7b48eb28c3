/*
 * vulns.h - the options `scan` and `audit` share for --vulns: the
 * database (missing, or older than --max-age without --allow-stale, is an
 * error before anything is read), the whitelists (and ./.trivyignore when
 * present), opened once per run.
 */
#ifndef DS_CMD_VULNS_H
#define DS_CMD_VULNS_H

#include "cmd.h"
#include "../core/opt.h"
#include "../vulndb/vulndb.h"

struct cmd_vulns {
	bool on, allow_stale;
	const char *db_opt, *max_age_s;
	struct opt_list lists;
	/* after cmd_vulns_open */
	struct vdb *db;
	struct vdb_allowlist allow;
	char path[PATH_MAX];
	long long age; /* seconds since the last import, -1 never */
};

#define CMD_VULNS_OPTS(v)                                                                                            \
	{0, "vulns", OPT_BOOL, &(v)->on, NULL, "match the packages against the vulnerability database (docksec db)"},  \
	{0, "db", OPT_STRING, &(v)->db_opt, "FILE", "the vulnerability database (default $XDG_CACHE_HOME/docksec/vulns.db)"}, \
	{0, "whitelist", OPT_LIST, &(v)->lists, "FILE",                                                            \
	 "accepted vulnerabilities: clair-scanner YAML, docksec YAML or .trivyignore; repeatable"},                 \
	{0, "max-age", OPT_STRING, &(v)->max_age_s, "DAYS", "a database imported longer ago is an error (default 7)"}, \
	{0, "allow-stale", OPT_BOOL, &(v)->allow_stale, NULL, "use an old database anyway (with a notice)"}

/* Check the options (DS_EUSAGE: --db and the rest without --vulns) and,
 * with --vulns, read the whitelists into a and open the database. */
int cmd_vulns_open(struct cmd_vulns *v, struct arena *a, struct ds_err *err);
/* A notice for each live whitelist entry that covered nothing in the run:
 * a fixed vulnerability's entry is clutter that could hide its return.
 * images: whether image-scoped entries could apply (not on a host). */
void cmd_vulns_unused(const struct cmd_vulns *v, bool images);
void cmd_vulns_release(struct cmd_vulns *v);

#endif
