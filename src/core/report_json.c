/*
 * report_json.c - the stable JSON report (docs/json-schema.md):
 * {"tool","version","schema","findings":[...],"errors":[...],"summary":{...}}.
 */
#include "report.h"

static void finding_json(struct buf *b, const struct target *t, const struct finding *f)
{
	size_t r;

	buf_adds(b, "{\"rule\":");
	rpt_json_str(b, f->rule->id);
	buf_adds(b, ",\"severity\":");
	rpt_json_str(b, sev_name(f->severity));
	buf_adds(b, ",\"title\":");
	rpt_json_str(b, f->rule->title);
	buf_adds(b, ",\"message\":");
	rpt_json_str(b, f->message);
	buf_adds(b, ",\"file\":");
	rpt_json_str(b, target_display_path(t));
	buf_addf(b, ",\"line\":%d,\"column\":%d,\"end_line\":%d", f->line, f->col, f->end_line);
	if (f->context) {
		buf_adds(b, ",\"context\":");
		rpt_json_str(b, f->context);
	}
	buf_adds(b, ",\"remediation\":");
	rpt_json_str(b, f->rule->remediation);
	buf_adds(b, ",\"refs\":[");
	for (r = 0; r < RULE_MAX_REFS && f->rule->refs[r]; r++) {
		if (r)
			buf_addc(b, ',');
		rpt_json_str(b, f->rule->refs[r]);
	}
	buf_adds(b, "]}");
}

void rpt_json(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	struct rpt_counts c;
	size_t i, k;
	bool first = true;

	buf_adds(b, "{\"tool\":\"docksec\",\"version\":\"" DS_VERSION "\",\"schema\":1,\"command\":");
	rpt_json_str(b, o->command ? o->command : "lint");
	buf_adds(b, ",\"findings\":[");
	for (i = 0; i < n; i++)
		for (k = 0; k < t[i]->nfindings; k++) {
			buf_adds(b, first ? "\n" : ",\n");
			first = false;
			finding_json(b, t[i], &t[i]->findings[k]);
		}
	buf_adds(b, "\n],\"errors\":[");
	first = true;
	for (i = 0; i < n; i++) {
		if (!t[i]->err.code)
			continue;
		buf_adds(b, first ? "\n{\"file\":" : ",\n{\"file\":");
		first = false;
		rpt_json_str(b, target_display_path(t[i]));
		buf_addf(b, ",\"line\":%d,\"column\":%d,\"code\":", t[i]->err.line, t[i]->err.col);
		rpt_json_str(b, ds_rc_name(t[i]->err.code));
		buf_adds(b, ",\"message\":");
		rpt_json_str(b, t[i]->err.msg);
		buf_addc(b, '}');
	}
	rpt_count(t, n, &c);
	buf_addf(b, "\n],\"summary\":{\"files\":%zu,\"findings\":%zu,\"errors\":%zu,"
		    "\"suppressed\":%zu,\"by_severity\":{\"critical\":%zu,\"high\":%zu,"
		    "\"medium\":%zu,\"low\":%zu,\"info\":%zu}}}\n",
		 c.files, c.findings, c.errors, c.suppressed, c.by_sev[SEV_CRITICAL],
		 c.by_sev[SEV_HIGH], c.by_sev[SEV_MEDIUM], c.by_sev[SEV_LOW], c.by_sev[SEV_INFO]);
}
