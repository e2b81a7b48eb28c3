/*
 * report_sarif.c - SARIF 2.1.0 for GitHub code scanning and other viewers.
 *
 * Rules carry their help text (rationale, fix, refs) and a
 * security-severity property GitHub uses to rank alerts; results carry a
 * physical location with a region; errors become toolExecutionNotifications
 * so a file that could not be parsed is visible in the upload.
 */
#include "report.h"
#include <ctype.h>

static const char *level(enum ds_sev s)
{
	return s >= SEV_HIGH ? "error" : s >= SEV_MEDIUM ? "warning" : "note";
}

static const char *sec_severity(enum ds_sev s)
{
	static const char *const v[] = {"1.0", "3.0", "5.5", "8.0", "9.5"};
	return v[s];
}

/* A path inside an image as a relative URI reference: bytes other than
 * unreserved characters and '/' percent-encoded ("a b" -> "a%20b"). */
static const char *uri_of(struct arena *a, const char *path)
{
	struct buf u = BUF_INIT;
	const char *out;

	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) || strchr("-._~/", c))
			buf_addc(&u, (char)c);
		else
			buf_addf(&u, "%%%02X", c);
	}
	out = buf_ok(&u) ? arena_strndup(a, u.p ? u.p : "", u.n) : path;
	buf_release(&u);
	return out ? out : path;
}

void rpt_sarif(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	size_t nr = rules_count(), i, k, r;
	bool first = true, first_rule = true;
	/* the rules of the command's domain only: lint lists Dockerfile rules */
	const char *domain = o->command && !strcmp(o->command, "lint")	  ? "dockerfile"
			     : o->command && !strcmp(o->command, "check") ? "container"
									  : NULL;

	buf_adds(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
		    "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"docksec\",\"version\":\"" DS_VERSION
		    "\",\"informationUri\":\"https://github.com/docksec/docksec\",\"rules\":[");
	for (i = 0; i < nr; i++) {
		const struct rule *ru = rules_at(i);
		struct buf help = BUF_INIT;
		if (domain && strcmp(ru->domain, domain))
			continue;
		if (!first_rule)
			buf_addc(b, ',');
		first_rule = false;
		buf_adds(b, "\n{\"id\":");
		rpt_json_str(b, ru->id);
		buf_adds(b, ",\"name\":");
		rpt_json_str(b, ru->id);
		buf_adds(b, ",\"shortDescription\":{\"text\":");
		rpt_json_str(b, ru->title);
		buf_adds(b, "},\"fullDescription\":{\"text\":");
		rpt_json_str(b, ru->rationale);
		buf_addf(&help, "%s\n\nFix: %s\n\nRefs:", ru->rationale, ru->remediation);
		for (r = 0; r < RULE_MAX_REFS && ru->refs[r]; r++)
			buf_addf(&help, " %s", ru->refs[r]);
		buf_adds(b, "},\"help\":{\"text\":");
		rpt_json_str(b, buf_str(&help));
		buf_adds(b, ",\"markdown\":");
		rpt_json_str(b, buf_str(&help));
		if (!buf_ok(&help))
			b->oom = true;
		buf_release(&help);
		/* the rule's section of docs/rules.md (GitHub's anchor: the id in lower case) */
		buf_adds(b, "},\"helpUri\":\"https://github.com/docksec/docksec/blob/main/docs/rules.md#");
		for (r = 0; ru->id[r]; r++)
			buf_addc(b, (char)tolower((unsigned char)ru->id[r]));
		buf_addf(b, "\",\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{"
			    "\"security-severity\":\"%s\",\"tags\":[\"security\",\"%s\"",
			 level(ru->severity), sec_severity(ru->severity), ru->domain);
		for (r = 0; r < RULE_MAX_REFS && ru->refs[r]; r++) {
			buf_addc(b, ',');
			rpt_json_str(b, ru->refs[r]);
		}
		buf_adds(b, "]}}");
	}
	buf_adds(b, "]}},\"results\":[");
	for (i = 0; i < n; i++)
		for (k = 0; k < t[i]->nfindings; k++) {
			const struct finding *f = &t[i]->findings[k];
			buf_adds(b, first ? "\n{\"ruleId\":" : ",\n{\"ruleId\":");
			first = false;
			rpt_json_str(b, f->rule->id);
			buf_addf(b, ",\"level\":\"%s\",\"message\":{\"text\":", level(f->severity));
			/* the service, container or stage, so an alert says which one */
			rpt_json_str(b, f->context ? arena_printf(&t[i]->arena, "[%s] %s", f->context, f->message)
						   : f->message);
			if (f->loc.kind == LOC_PACKAGE && f->loc.path) {
				/* the package database's file in the image; the image and the package as logical locations */
				buf_adds(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
				rpt_json_str(b, uri_of(&t[i]->arena, f->loc.path[0] == '/' && f->loc.path[1] ? f->loc.path + 1 : f->loc.path));
				buf_adds(b, "}},\"logicalLocations\":[{\"kind\":\"image\",\"name\":");
				rpt_json_str(b, f->loc.image ? f->loc.image : finding_file(t[i], f));
				buf_adds(b, "},{\"kind\":\"package\",\"name\":");
				rpt_json_str(b, f->loc.purl ? f->loc.purl : "package");
				buf_addf(b, "}]}],\"properties\":{\"severity\":\"%s\"}}", sev_name(f->severity));
			} else if (f->loc.kind == LOC_IMAGE && f->loc.path) {
				/* a path inside the image, and the image as a logical location */
				buf_adds(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
				rpt_json_str(b, uri_of(&t[i]->arena, f->loc.path[0] == '/' && f->loc.path[1] ? f->loc.path + 1 : f->loc.path));
				buf_adds(b, "}},\"logicalLocations\":[{\"kind\":\"image\",\"name\":");
				rpt_json_str(b, f->loc.image ? f->loc.image : finding_file(t[i], f));
				buf_addf(b, "}]}],\"properties\":{\"severity\":\"%s\"}}", sev_name(f->severity));
			} else {
				buf_adds(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
				rpt_json_str(b, finding_file(t[i], f));
				buf_addf(b, "},\"region\":{\"startLine\":%d,\"startColumn\":%d,\"endLine\":%d}}}],"
					    "\"properties\":{\"severity\":\"%s\"}}",
					 f->loc.line > 0 ? f->loc.line : 1, f->loc.col > 0 ? f->loc.col : 1,
					 f->loc.end_line >= f->loc.line && f->loc.end_line > 0 ? f->loc.end_line
											  : (f->loc.line > 0 ? f->loc.line : 1),
					 sev_name(f->severity));
			}
			{ /* the same finding after lines move: rule, file, context, message */
				uint64_t h = 14695981039346656037ull;
				h = rpt_hash(rpt_hash(rpt_hash(rpt_hash(h, f->rule->id), finding_file(t[i], f)),
							  f->context ? f->context : ""), f->message);
				b->n--; /* reopen the result object for its fingerprint */
				buf_addf(b, ",\"partialFingerprints\":{\"docksecFinding/v1\":\"%016llx\"}}", (unsigned long long)h);
			}
		}
	buf_adds(b, "\n],\"invocations\":[{\"executionSuccessful\":");
	{
		bool ok = true;
		for (i = 0; i < n; i++)
			if (t[i]->err.code)
				ok = false;
		buf_adds(b, ok ? "true" : "false");
	}
	buf_adds(b, ",\"toolExecutionNotifications\":[");
	first = true;
	for (i = 0; i < n; i++) {
		if (!t[i]->err.code)
			continue;
		buf_adds(b, first ? "{\"level\":\"error\",\"message\":{\"text\":"
				  : ",{\"level\":\"error\",\"message\":{\"text\":");
		first = false;
		rpt_json_str(b, t[i]->err.msg);
		buf_adds(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
		rpt_json_str(b, target_display_path(t[i]));
		buf_addf(b, "},\"region\":{\"startLine\":%d}}}]}", t[i]->err.line > 0 ? t[i]->err.line : 1);
	}
	buf_adds(b, "]}]}]}\n");
}

/* Check-style (audit): every reported check is a rule with its help
 * (rationale, fix, refs) and a CIS or host-hardening tag; WARN is a
 * result of level "warning", INFO and ERROR of level "note", with the
 * evidence as the message. A check's findings name their containers as
 * logical locations; host checks name the host. */
void rpt_sarif_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	size_t i, k, nres = 0, counts[ST_COUNT];

	(void)o;
	rpt_count_checks(c, counts);
	buf_adds(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":"
		    "{\"driver\":{\"name\":\"docksec\",\"version\":\"" DS_VERSION
		    "\",\"informationUri\":\"https://github.com/docksec/docksec\",\"rules\":[");
	for (i = 0; i < c->n; i++) {
		const struct rule *ru = c->v[i].rule;
		struct buf help = BUF_INIT;
		size_t r;
		buf_adds(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		rpt_json_str(b, ru->id);
		buf_adds(b, ",\"shortDescription\":{\"text\":");
		rpt_json_str(b, ru->title);
		buf_addf(&help, "%s\n\nFix: %s\n\nRefs:", ru->rationale, ru->remediation);
		for (r = 0; r < RULE_MAX_REFS && ru->refs[r]; r++)
			buf_addf(&help, " %s", ru->refs[r]);
		buf_adds(b, "},\"help\":{\"text\":");
		rpt_json_str(b, buf_str(&help));
		if (!buf_ok(&help))
			b->oom = true;
		buf_release(&help);
		buf_addf(b, "},\"properties\":{\"tags\":[\"%s\"],\"security-severity\":\"%s\"}}",
			 strcmp(ru->domain, "cis") ? "host-hardening" : "cis-docker-1.6.0", sec_severity(ru->severity));
	}
	buf_adds(b, "]}},\"results\":[");
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		if (r->status != ST_WARN && r->status != ST_INFO && r->status != ST_ERROR)
			continue;
		buf_adds(b, nres++ ? ",\n{\"ruleId\":" : "\n{\"ruleId\":");
		rpt_json_str(b, r->rule->id);
		buf_addf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", i,
			 r->status == ST_WARN ? "warning" : "note");
		rpt_json_str(b, r->message ? r->message : "");
		buf_adds(b, "},\"locations\":[");
		if (!r->nitems && r->loc.kind == LOC_HOSTFILE && r->loc.file) {
			/* a file of the audited host: an absolute file URI */
			buf_adds(b, "{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
			rpt_json_str(b, r->loc.file);
			buf_adds(b, ",\"uriBaseId\":\"HOST\"}}}");
		} else if (!r->nitems) {
			buf_adds(b, "{\"logicalLocations\":[{\"kind\":\"module\",\"name\":");
			rpt_json_str(b, r->loc.kind == LOC_IMAGE && r->loc.image ? r->loc.image : c->host ? c->host : "offline host");
			buf_adds(b, "}]}");
		}
		for (k = 0; k < r->nitems; k++) {
			buf_adds(b, k ? ",{\"logicalLocations\":[{\"kind\":\"object\",\"name\":"
				      : "{\"logicalLocations\":[{\"kind\":\"object\",\"name\":");
			rpt_json_str(b, r->items[k]->context ? r->items[k]->context : "");
			buf_adds(b, "}],\"message\":{\"text\":");
			rpt_json_str(b, r->items[k]->message);
			buf_adds(b, "}}");
		}
		buf_adds(b, "]}");
	}
	buf_addf(b, "\n],\"properties\":{\"pass\":%zu,\"warn\":%zu,\"info\":%zu,\"note\":%zu,\"skip\":%zu,\"error\":%zu,\"score\":%ld}}]}\n",
		 counts[ST_PASS], counts[ST_WARN], counts[ST_INFO], counts[ST_NOTE], counts[ST_SKIP], counts[ST_ERROR],
		 (long)counts[ST_PASS] - (long)counts[ST_WARN]);
}
