/*
 * report_junit.c - JUnit XML for CI test panels: one testsuite per file,
 * one testcase per rule that fired there (failure lists its findings), one
 * passing testcase for a clean file, an error testcase for a file that
 * could not be read or parsed.
 */
#include "report.h"

void rpt_junit(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	struct rpt_counts c;
	size_t i, k, j;

	(void)o;
	rpt_count(t, n, &c);
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"docksec\" "
		    "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		 c.files, c.findings, c.errors);
	for (i = 0; i < n; i++) {
		const struct target *tg = t[i];
		const char *path = target_display_path(tg);
		buf_adds(b, "  <testsuite name=\"");
		buf_add_xml(b, path, strlen(path));
		buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n",
			 tg->nfindings ? tg->nfindings : 1, tg->nfindings, tg->err.code ? 1 : 0);
		if (tg->err.code) {
			buf_adds(b, "    <testcase classname=\"");
			buf_add_xml(b, path, strlen(path));
			buf_adds(b, "\" name=\"parse\"><error message=\"");
			buf_add_xml(b, tg->err.msg, strlen(tg->err.msg));
			buf_addf(b, "\">%s:%d:%d</error></testcase>\n", "", tg->err.line, tg->err.col);
		} else if (!tg->nfindings) {
			buf_adds(b, "    <testcase classname=\"");
			buf_add_xml(b, path, strlen(path));
			buf_adds(b, "\" name=\"docksec\"/>\n");
		}
		for (k = 0; k < tg->nfindings; k++) {
			const struct finding *f = &tg->findings[k];
			bool seen = false;
			for (j = 0; j < k; j++)
				if (tg->findings[j].rule == f->rule)
					seen = true;
			if (seen)
				continue;
			buf_adds(b, "    <testcase classname=\"");
			buf_add_xml(b, path, strlen(path));
			buf_addf(b, "\" name=\"%s\"><failure type=\"%s\" message=\"", f->rule->id,
				 sev_name(f->severity));
			buf_add_xml(b, f->rule->title, strlen(f->rule->title));
			buf_adds(b, "\">");
			for (j = k; j < tg->nfindings; j++) {
				const struct finding *g = &tg->findings[j];
				if (g->rule != f->rule)
					continue;
				buf_add_xml(b, path, strlen(path));
				buf_addf(b, ":%d:%d %s: ", g->line, g->col, sev_name(g->severity));
				buf_add_xml(b, g->message, strlen(g->message));
				buf_addc(b, '\n');
			}
			buf_adds(b, "Fix: ");
			buf_add_xml(b, f->rule->remediation, strlen(f->rule->remediation));
			buf_adds(b, "</failure></testcase>\n");
		}
		buf_adds(b, "  </testsuite>\n");
	}
	buf_adds(b, "</testsuites>\n");
}
