/*
 * report_junit.c - JUnit XML for CI test panels: one testsuite per file,
 * one testcase per rule that fired there (failure lists its findings), one
 * passing testcase for a clean file, an error testcase for a file that
 * could not be read or parsed.
 */
#include "report.h"

/* The rules that fired in tg: one failing testcase each. */
static size_t rules_fired(const struct target *tg)
{
	size_t k, j, n = 0;

	for (k = 0; k < tg->nfindings; k++) {
		for (j = 0; j < k && tg->findings[j].rule != tg->findings[k].rule; j++)
			;
		n += j == k;
	}
	return n;
}

/* Counts are of testcases, as JUnit readers add them up: a suite has one
 * per rule that fired (a failure), or one passing case for a clean file,
 * plus an error case for a file that could not be read. */
void rpt_junit(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	size_t i, k, j, tests = 0, failures = 0, errors = 0;

	(void)o;
	for (i = 0; i < n; i++) {
		size_t f = rules_fired(t[i]);
		failures += f;
		errors += t[i]->err.code != 0;
		tests += f + (t[i]->err.code != 0) + (!f && !t[i]->err.code);
	}
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"docksec\" "
		    "tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
		 tests, failures, errors);
	for (i = 0; i < n; i++) {
		const struct target *tg = t[i];
		const char *path = target_display_path(tg);
		size_t nfired = rules_fired(tg);
		buf_adds(b, "  <testsuite name=\"");
		buf_add_xml(b, path, strlen(path));
		buf_addf(b, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n",
			 nfired + (tg->err.code != 0) + (!nfired && !tg->err.code), nfired, tg->err.code ? 1 : 0);
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
				const char *gp = finding_file(tg, g);
				if (g->rule != f->rule)
					continue;
				buf_add_xml(b, gp, strlen(gp));
				if ((g->loc.kind == LOC_IMAGE && (g->loc.path || g->loc.field)) ||
				    (g->loc.kind == LOC_PACKAGE && g->loc.purl)) {
					const char *w = g->loc.kind == LOC_PACKAGE ? g->loc.purl
						      : g->loc.path	      ? g->loc.path
									      : g->loc.field;
					buf_addc(b, ':');
					buf_add_xml(b, w, strlen(w));
					buf_addf(b, " %s: ", sev_name(g->severity));
				} else {
					buf_addf(b, ":%d:%d %s: ", g->loc.line, g->loc.col, sev_name(g->severity));
				}
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

/* Check-style (audit): one testsuite, one testcase per check; WARN fails,
 * ERROR is an error, SKIP is skipped, the rest pass with their evidence. */
void rpt_junit_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	size_t i, counts[ST_COUNT];

	(void)o;
	rpt_count_checks(c, counts);
	buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"docksec audit\" tests=\"%zu\" "
		    "failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n<testsuite name=\"CIS Docker Benchmark v1.6.0\" tests=\"%zu\" "
		    "failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\">\n",
		 c->n, counts[ST_WARN], counts[ST_ERROR], counts[ST_SKIP], c->n, counts[ST_WARN], counts[ST_ERROR],
		 counts[ST_SKIP]);
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		const char *ev = r->message ? r->message : "";
		buf_adds(b, "<testcase classname=\"");
		buf_adds(b, strcmp(r->rule->domain, "cis") ? "host" : "cis");
		buf_adds(b, "\" name=\"");
		buf_add_xml(b, r->rule->id, strlen(r->rule->id));
		buf_adds(b, " ");
		buf_add_xml(b, r->rule->title, strlen(r->rule->title));
		buf_adds(b, "\">");
		if (r->status == ST_WARN) {
			buf_adds(b, "<failure message=\"WARN\">");
			buf_add_xml(b, ev, strlen(ev));
			buf_adds(b, "</failure>");
		} else if (r->status == ST_ERROR) {
			buf_adds(b, "<error message=\"");
			buf_add_xml(b, ev, strlen(ev));
			buf_adds(b, "\"/>");
		} else if (r->status == ST_SKIP) {
			buf_adds(b, "<skipped message=\"");
			buf_add_xml(b, ev, strlen(ev));
			buf_adds(b, "\"/>");
		} else {
			buf_adds(b, "<system-out>");
			buf_adds(b, status_name(r->status));
			buf_adds(b, ": ");
			buf_add_xml(b, ev, strlen(ev));
			buf_adds(b, "</system-out>");
		}
		buf_adds(b, "</testcase>\n");
	}
	buf_adds(b, "</testsuite>\n</testsuites>\n");
}
