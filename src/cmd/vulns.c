/*
 * vulns.c - --vulns and its options, shared by scan and audit (see
 * vulns.h).
 */
#include "vulns.h"
#include "run.h"
#include <time.h>
#include <unistd.h>

int cmd_vulns_open(struct cmd_vulns *v, struct arena *a, struct ds_err *err)
{
	char today[16];
	time_t now = time(NULL);
	unsigned long days = 7;
	size_t i;
	int rc;

	if (!v->on) {
		if (v->db_opt || v->lists.n || v->max_age_s || v->allow_stale)
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
					  "--db, --whitelist, --max-age and --allow-stale go with --vulns");
		return 0;
	}
	if (v->max_age_s) {
		char *end;
		days = strtoul(v->max_age_s, &end, 10);
		if (*end || !*v->max_age_s || days > 36500)
			return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "--max-age takes days from 0 to 36500, not '%s'",
					  v->max_age_s);
	}
	strftime(today, sizeof(today), "%Y-%m-%d", gmtime(&now));
	for (i = 0; i <= v->lists.n; i++) {
		/* Trivy's habit: ./.trivyignore counts when present */
		const char *f = i < v->lists.n ? v->lists.v[i] : ".trivyignore";
		struct target wt;
		if (i == v->lists.n && access(f, F_OK))
			break;
		target_init(&wt, f);
		rc = run_read(&wt, 16u << 20) || vdb_allow_load(&v->allow, a, f, wt.data, wt.len, today, &wt.err);
		if (rc)
			*err = wt.err;
		target_release(&wt);
		if (rc)
			return err->code ? err->code : DS_EPARSE;
	}
	if ((rc = cmd_db_path(v->db_opt, v->path, sizeof(v->path), false, err)) || (rc = vdb_open(&v->db, v->path, err)))
		return rc;
	v->age = vdb_age(v->db);
	if (v->age < 0 || v->age > (long long)days * 86400) {
		if (!v->allow_stale)
			return ds_err_set(err, DS_EUSAGE, v->path, 0, 0,
					  v->age < 0 ? "the vulnerability database was never imported (docksec db import)"
						     : "the vulnerability database is %lld days old, older than --max-age %lu "
						       "(update it, or pass --allow-stale)",
					  v->age / 86400, days);
		cmd_notice("%s: the vulnerability database is %lld days old (--allow-stale)", v->path, v->age / 86400);
	}
	return 0;
}

void cmd_vulns_unused(const struct cmd_vulns *v, bool images)
{
	size_t i;

	for (i = 0; v->on && i < v->allow.n; i++) {
		const struct vdb_allow *e = &v->allow.v[i];
		if (!e->used && !e->expired && (images || !e->image))
			cmd_notice("%s:%d: whitelist entry %s matched nothing in this run (fixed, or no longer installed?)",
				   e->file, e->line, e->id);
	}
}

void cmd_vulns_release(struct cmd_vulns *v)
{
	vdb_close(v->db);
	v->db = NULL;
	opt_list_release(&v->lists);
}
