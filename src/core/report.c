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

void rpt_json_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	buf_add_json_str(b, s, strlen(s));
	buf_addc(b, '"');
}

int rpt_write(FILE *out, enum rpt_format fmt, struct target *const *targets, size_t n,
	      const struct rpt_opts *o)
{
	struct buf b = BUF_INIT;
	int rc = 0;

	switch (fmt) {
	case RPT_TEXT: rpt_text(&b, targets, n, o); break;
	case RPT_JSON: rpt_json(&b, targets, n, o); break;
	case RPT_SARIF: rpt_sarif(&b, targets, n, o); break;
	case RPT_JUNIT: rpt_junit(&b, targets, n, o); break;
	}
	if (!buf_ok(&b))
		rc = DS_ENOMEM;
	else if (b.n && fwrite(b.p, 1, b.n, out) != b.n)
		rc = DS_EIO;
	if (!rc && fflush(out) != 0)
		rc = DS_EIO;
	buf_release(&b);
	return rc;
}
