/*
 * report.c - format selection and the shared helpers of the writers.
 */
#include "report.h"

int rpt_parse_format(const char *s, enum rpt_format *out)
{
	if (!strcmp(s, "text"))
		*out = RPT_TEXT;
	else if (!strcmp(s, "json"))
		*out = RPT_JSON;
	else if (!strcmp(s, "sarif"))
		*out = RPT_SARIF;
	else if (!strcmp(s, "junit"))
		*out = RPT_JUNIT;
	else if (!strcmp(s, "docker-bench"))
		*out = RPT_DOCKER_BENCH;
	else if (!strcmp(s, "checkstyle"))
		*out = RPT_CHECKSTYLE;
	else if (!strcmp(s, "gitlab") || !strcmp(s, "codequality"))
		*out = RPT_GITLAB;
	else if (!strcmp(s, "html"))
		*out = RPT_HTML;
	else
		return DS_EUSAGE;
	return 0;
}

void rpt_count(struct target *const *t, size_t n, struct rpt_counts *c)
{
	size_t i, k;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < n; i++) {
		c->files++;
		if (t[i]->err.code)
			c->errors++;
		c->suppressed += t[i]->nsuppressed;
		for (k = 0; k < t[i]->nfindings; k++) {
			c->findings++;
			c->by_sev[t[i]->findings[k].severity]++;
		}
	}
}

void rpt_count_checks(const struct rpt_checks *c, size_t counts[ST_COUNT])
{
	size_t i;

	memset(counts, 0, ST_COUNT * sizeof(*counts));
	for (i = 0; i < c->n; i++)
		if ((unsigned)c->v[i].status < ST_COUNT)
			counts[c->v[i].status]++;
}

void rpt_json_refs(struct buf *b, const struct rule *r)
{
	size_t k;

	buf_addc(b, '[');
	for (k = 0; k < RULE_MAX_REFS && r->refs[k]; k++) {
		if (k)
			buf_addc(b, ',');
		rpt_json_str(b, r->refs[k]);
	}
	buf_addc(b, ']');
}

void rpt_json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	buf_add_json_str(b, s, strlen(s));
	buf_addc(b, '"');
}

/* A write error leaves errno set for the caller's message. */
int rpt_write(FILE *out, enum rpt_format fmt, struct target *const *targets, size_t n,
	      const struct rpt_opts *o)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	buf_sink(&b, out); /* written as it grows: a report of 100 000 packages is not held whole */
	if (o->checks) {
		switch (fmt) {
		case RPT_TEXT: rpt_text_checks(&b, o->checks, o); break;
		case RPT_JSON: rpt_json_checks(&b, o->checks, o); break;
		case RPT_SARIF: rpt_sarif_checks(&b, o->checks, o); break;
		case RPT_JUNIT: rpt_junit_checks(&b, o->checks, o); break;
		case RPT_DOCKER_BENCH: rpt_docker_bench(&b, o->checks, o); break;
		case RPT_CHECKSTYLE:
		case RPT_GITLAB: return DS_EUSAGE; /* per-file formats: lint and check */
		case RPT_HTML: rpt_html_checks(&b, o->checks, o); break;
		}
	} else {
		switch (fmt) {
		case RPT_TEXT: rpt_text(&b, targets, n, o); break;
		case RPT_JSON: rpt_json(&b, targets, n, o); break;
		case RPT_SARIF: rpt_sarif(&b, targets, n, o); break;
		case RPT_JUNIT: rpt_junit(&b, targets, n, o); break;
		case RPT_DOCKER_BENCH: return DS_EUSAGE; /* only check-style reports have that shape */
		case RPT_CHECKSTYLE: rpt_checkstyle(&b, targets, n, o); break;
		case RPT_GITLAB: rpt_gitlab(&b, targets, n, o); break;
		case RPT_HTML: rpt_html(&b, targets, n, o); break;
		}
	}
	rc = buf_flush(&b);
	if (!rc && fflush(out) != 0)
		rc = DS_EWRITE;
	buf_release(&b); /* errno of a failed write survives: free() does not set it */
	return rc;
}

size_t rpt_fix_first(const struct rpt_checks *c, const struct finding **out, size_t max, size_t *total)
{
	size_t i, n = 0;
	int sev;

	*total = 0;
	for (i = 0; i < c->n; i++)
		*total += c->v[i].status == ST_WARN || c->v[i].status == ST_ERROR;
	for (sev = SEV_CRITICAL; sev >= SEV_INFO && n < max; sev--)
		for (i = 0; i < c->n && n < max; i++)
			if ((c->v[i].status == ST_WARN || c->v[i].status == ST_ERROR) && (int)c->v[i].severity == sev)
				out[n++] = &c->v[i];
	return n;
}

uint64_t rpt_hash(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull; /* a separator, so "ab"+"c" is not "a"+"bc" */
}
