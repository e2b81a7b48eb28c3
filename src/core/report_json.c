/*
 * report_json.c - the stable JSON report (docs/json-schema.md):
 * {"tool","version","schema","findings":[...],"errors":[...],"summary":{...}}.
 */
#include "report.h"

static void loc_json(struct buf *b, const struct ds_loc *l);

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
	rpt_json_str(b, finding_file(t, f));
	buf_addf(b, ",\"line\":%d,\"column\":%d,\"end_line\":%d", f->loc.line, f->loc.col, f->loc.end_line);
	if (f->loc.kind == LOC_IMAGE || f->loc.kind == LOC_PACKAGE) {
		buf_adds(b, ",\"location\":");
		loc_json(b, &f->loc);
	}
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

	buf_adds(b, "{\"tool\":\"docksec\",\"version\":\"" DS_VERSION "\",\"schema\":" RPT_JSON_SCHEMA ",\"command\":");
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
	buf_adds(b, "\n]");
	if (o->json_extra)
		o->json_extra(b, o->extra_ud);
	buf_addf(b, ",\"summary\":{\"files\":%zu,\"findings\":%zu,\"errors\":%zu,"
		    "\"suppressed\":%zu,\"by_severity\":{\"critical\":%zu,\"high\":%zu,"
		    "\"medium\":%zu,\"low\":%zu,\"info\":%zu}}}\n",
		 c.files, c.findings, c.errors, c.suppressed, c.by_sev[SEV_CRITICAL],
		 c.by_sev[SEV_HIGH], c.by_sev[SEV_MEDIUM], c.by_sev[SEV_LOW], c.by_sev[SEV_INFO]);
}

/* Where a result points, for the kinds a file:line does not describe. */
static void loc_json(struct buf *b, const struct ds_loc *l)
{
	static const struct {
		const char *key;
		size_t off;
	} fields[] = {
		{"file", offsetof(struct ds_loc, file)},	   {"container", offsetof(struct ds_loc, container)},
		{"state", offsetof(struct ds_loc, state)},	   {"field", offsetof(struct ds_loc, field)},
		{"image", offsetof(struct ds_loc, image)},	   {"layer", offsetof(struct ds_loc, layer)},
		{"path", offsetof(struct ds_loc, path)},	   {"purl", offsetof(struct ds_loc, purl)},
		{"method", offsetof(struct ds_loc, method)},	   {"client", offsetof(struct ds_loc, client)},
	};
	size_t i;

	buf_adds(b, "{\"kind\":");
	rpt_json_str(b, loc_kind_name(l->kind));
	for (i = 0; i < DS_ARRAY_SIZE(fields); i++) {
		const char *v = *(const char *const *)((const char *)l + fields[i].off);
		if (!v)
			continue;
		buf_addf(b, ",\"%s\":", fields[i].key);
		rpt_json_str(b, v);
	}
	if (l->line)
		buf_addf(b, ",\"line\":%d", l->line);
	buf_addc(b, '}');
}

/* Check-style (audit): {"checks":[{"id","status","severity","title",
 * "evidence","remediation","refs","location","findings":[...]}],"summary"}. */
void rpt_json_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	size_t i, k, counts[ST_COUNT];

	rpt_count_checks(c, counts);
	buf_adds(b, "{\"tool\":\"docksec\",\"version\":\"" DS_VERSION "\",\"schema\":" RPT_JSON_SCHEMA ",\"command\":");
	rpt_json_str(b, o->command ? o->command : "audit");
	buf_adds(b, ",\"host\":");
	rpt_json_str(b, c->host ? c->host : "offline");
	buf_adds(b, ",\"api_version\":");
	rpt_json_str(b, c->api ? c->api : "");
	buf_adds(b, ",\"engine_version\":");
	rpt_json_str(b, c->engine ? c->engine : "");
	buf_addf(b, ",\"podman\":%s,\"containers\":%zu,\"checks\":[", c->podman ? "true" : "false", c->containers);
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		buf_adds(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		rpt_json_str(b, r->rule->id);
		buf_addf(b, ",\"status\":\"%s\",\"severity\":\"%s\",\"title\":", status_name(r->status),
			 sev_name(r->severity));
		rpt_json_str(b, r->rule->title);
		buf_adds(b, ",\"evidence\":");
		rpt_json_str(b, r->message ? r->message : "");
		buf_adds(b, ",\"remediation\":");
		rpt_json_str(b, r->rule->remediation);
		buf_adds(b, ",\"refs\":");
		rpt_json_refs(b, r->rule);
		buf_adds(b, ",\"location\":");
		loc_json(b, &r->loc);
		buf_adds(b, ",\"findings\":[");
		for (k = 0; k < r->nitems; k++) {
			const struct finding *f = r->items[k];
			buf_adds(b, k ? ",{\"rule\":" : "{\"rule\":");
			rpt_json_str(b, f->rule->id);
			buf_addf(b, ",\"severity\":\"%s\",\"container\":", sev_name(f->severity));
			rpt_json_str(b, f->context ? f->context : "");
			buf_adds(b, ",\"message\":");
			rpt_json_str(b, f->message);
			buf_adds(b, ",\"location\":");
			loc_json(b, &f->loc);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_addf(b, "\n],\"summary\":{\"pass\":%zu,\"warn\":%zu,\"info\":%zu,\"note\":%zu,\"skip\":%zu,\"error\":%zu,\"score\":%ld}}\n",
		 counts[ST_PASS], counts[ST_WARN], counts[ST_INFO], counts[ST_NOTE], counts[ST_SKIP], counts[ST_ERROR],
		 (long)counts[ST_PASS] - (long)counts[ST_WARN]);
}
