/*
 * report_text.c - the human report: grouped by file, the offending source
 * line under each finding, the fix and the refs; ANSI colour only when
 * asked (a tty without NO_COLOR, or --color=always).
 */
#include "report.h"

static const char *sev_color(enum ds_sev s)
{
	switch (s) {
	case SEV_CRITICAL: return "\033[1;35m";
	case SEV_HIGH: return "\033[1;31m";
	case SEV_MEDIUM: return "\033[33m";
	case SEV_LOW: return "\033[36m";
	default: return "\033[2m";
	}
}

/* Text from the inputs (paths, messages quoting values, source lines,
 * daemon evidence) may hold control characters: they are shown as \xNN,
 * never sent to the terminal raw (an ESC could retitle or clear it, a
 * newline forge a line of the report). */
static void add_visible(struct buf *b, const char *p, size_t n)
{
	buf_add_visible(b, p, n);
}

static void add_visible_str(struct buf *b, const char *s)
{
	if (s)
		add_visible(b, s, strlen(s));
}

struct rule_sum {
	const struct rule *rule;
	enum ds_sev sev;
	size_t count, files;
	struct target *first[3]; /* the first files, for the line */
	struct target *last;
};

static int sum_cmp(const void *a, const void *b)
{
	const struct rule_sum *x = a, *y = b;

	if (x->sev != y->sev)
		return x->sev > y->sev ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->rule->id, y->rule->id);
}

/* --summary: one line per rule and severity, most severe and most
 * frequent first, with its count and the files it is in. */
static void text_summary(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	struct rule_sum *rs = NULL;
	size_t nrs = 0, i, k, j;

	for (i = 0; i < n; i++)
		for (k = 0; k < t[i]->nfindings; k++) {
			const struct finding *f = &t[i]->findings[k];
			for (j = 0; j < nrs && !(rs[j].rule == f->rule && rs[j].sev == f->severity); j++)
				;
			if (j == nrs) {
				struct rule_sum *nv = ds_realloc(rs, (nrs + 1) * sizeof(*rs));
				if (!nv) {
					ds_free(rs);
					b->oom = true;
					return;
				}
				rs = nv;
				memset(&rs[nrs], 0, sizeof(*rs));
				rs[nrs].rule = f->rule;
				rs[nrs].sev = f->severity;
				nrs++;
			}
			rs[j].count++;
			if (rs[j].last != t[i]) { /* a target's findings come together */
				if (rs[j].files < 3)
					rs[j].first[rs[j].files] = t[i];
				rs[j].files++;
				rs[j].last = t[i];
			}
		}
	if (nrs)
		qsort(rs, nrs, sizeof(*rs), sum_cmp);
	for (j = 0; j < nrs; j++) {
		buf_addf(b, "%6zu %s%-8s%s %-28s %s (", rs[j].count, o->color ? sev_color(rs[j].sev) : "",
			 sev_name(rs[j].sev), o->color ? "\033[0m" : "", rs[j].rule->id, rs[j].rule->title);
		for (i = 0; i < rs[j].files && i < 3; i++) {
			if (i)
				buf_adds(b, ", ");
			add_visible_str(b, target_display_path(rs[j].first[i]));
		}
		if (rs[j].files > 3)
			buf_addf(b, " and %zu more", rs[j].files - 3);
		buf_adds(b, ")\n");
	}
	if (nrs)
		buf_addc(b, '\n');
	ds_free(rs);
}

void rpt_text(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	const char *bold = o->color ? "\033[1m" : "", *dim = o->color ? "\033[2m" : "",
		   *reset = o->color ? "\033[0m" : "";
	struct rpt_counts c;
	size_t i, k, r;

	if (o->text_extra)
		o->text_extra(b, o->extra_ud);
	for (i = 0; i < n; i++) {
		struct target *tg = t[i];
		if (tg->err.code) {
			buf_adds(b, bold);
			add_visible_str(b, target_display_path(tg));
			buf_addf(b, "%s\n  %serror%s ", reset, o->color ? "\033[1;31m" : "", reset);
			add_visible_str(b, target_display_path(tg));
			if (tg->err.line)
				buf_addf(b, ":%d:%d", tg->err.line, tg->err.col);
			buf_adds(b, ": ");
			add_visible_str(b, tg->err.msg);
			buf_adds(b, "\n\n");
			continue;
		}
		if (!tg->nfindings || o->summary)
			continue;
		buf_adds(b, bold);
		add_visible_str(b, target_display_path(tg));
		buf_addf(b, "%s\n", reset);
		struct line_cursor cur = {0, NULL};
		for (k = 0; k < tg->nfindings; k++) {
			const struct finding *f = &tg->findings[k];
			struct str line;
			bool other = f->loc.kind == LOC_FILE && finding_file(tg, f) != target_display_path(tg);
			buf_adds(b, "  ");
			if (other) { /* a Compose project's other file: named, no source line */
				add_visible_str(b, f->loc.file);
				buf_addc(b, ':');
			}
			if (f->loc.kind == LOC_PACKAGE) { /* the package; the layer that installed it is the context */
				add_visible_str(b, f->loc.purl ? f->loc.purl : "package");
				buf_addc(b, ' ');
			} else if (f->loc.kind == LOC_IMAGE) { /* the path in the image (or history entry); the layer is the context */
				add_visible_str(b, f->loc.path ? f->loc.path : f->loc.field ? f->loc.field : "image");
				buf_addc(b, ' ');
			} else {
				buf_addf(b, "%d:%d ", f->loc.line, f->loc.col);
			}
			buf_addf(b, "%s%-8s%s %s%s%s",
				 o->color ? sev_color(f->severity) : "", sev_name(f->severity), reset,
				 bold, f->rule->id, reset);
			if (f->context) {
				buf_adds(b, " [");
				add_visible_str(b, f->context);
				buf_addc(b, ']');
			}
			buf_adds(b, "  ");
			add_visible_str(b, f->message);
			buf_addc(b, '\n');
			if (o->show_source && !other && target_line_next(tg, &cur, f->loc.line, &line)) {
				line = target_unsecret(tg, line); /* secrets masked as in messages */
				if (line.n > 160)
					line.n = 160;
				buf_addf(b, "      %s|%s ", dim, reset);
				add_visible(b, line.p, line.n);
				buf_addc(b, '\n');
			}
			buf_addf(b, "      %sfix:%s %s\n", dim, reset, f->rule->remediation);
			buf_addf(b, "      %srefs:%s", dim, reset);
			for (r = 0; r < RULE_MAX_REFS && f->rule->refs[r]; r++)
				buf_addf(b, " %s", f->rule->refs[r]);
			buf_addc(b, '\n');
		}
		buf_addc(b, '\n');
	}
	if (o->summary)
		text_summary(b, t, n, o);
	rpt_count(t, n, &c);
	if (o->quiet)
		return;
	{ /* scan: the images read; an input that could not be read is not one */
		bool scan = o->command && !strcmp(o->command, "scan");
		size_t nread = scan ? c.files - c.errors : c.files;
		buf_addf(b, "%zu finding%s (%zu critical, %zu high, %zu medium, %zu low, %zu info) in %zu "
			    "%s%s", c.findings, c.findings == 1 ? "" : "s", c.by_sev[SEV_CRITICAL],
			 c.by_sev[SEV_HIGH], c.by_sev[SEV_MEDIUM], c.by_sev[SEV_LOW], c.by_sev[SEV_INFO],
			 nread, scan ? "image" : "file", nread == 1 ? "" : "s");
		if (scan && c.errors) {
			buf_addf(b, ", %zu input%s that could not be read\n", c.errors, c.errors == 1 ? "" : "s");
			return;
		}
	}
	if (o->hidden)
		buf_addf(b, ", %zu not shown (--severity)", o->hidden);
	if (c.suppressed)
		buf_addf(b, ", %zu suppressed", c.suppressed);
	if (c.errors)
		buf_addf(b, ", %zu file%s with errors", c.errors, c.errors == 1 ? "" : "s");
	buf_addc(b, '\n');
}

/* Check-style: docker-bench's layout, one line per check with its status,
 * the evidence of WARN and INFO under it, the summary and score last. */
/* The problems to fix first: WARN and ERROR checks by severity, the
 * most severe ten with their first line of evidence (a privileged
 * container with the Docker socket comes before an audit rule). */
static void first_problems(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	const struct finding *top[10];
	size_t i, total, n = rpt_fix_first(c, top, 10, &total);

	if (!total)
		return;
	buf_addf(b, "\n%sFix first%s (%zu of %zu checks that are WARN or ERROR, most severe first):\n",
		 o->color ? "\033[1m" : "", o->color ? "\033[0m" : "", n, total);
	for (i = 0; i < n; i++) {
		const char *m = top[i]->message ? top[i]->message : "";
		buf_addf(b, "  %-8s %s %s: ", sev_name(top[i]->severity), top[i]->rule->id, top[i]->rule->title);
		add_visible(b, m, strcspn(m, "\n"));
		buf_addc(b, '\n');
	}
}

void rpt_text_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	static const char *const col[ST_COUNT] = {"\033[1;32m", "\033[1;31m", "\033[1;34m", "\033[1;33m", "\033[2m",
						  "\033[1;35m"};
	size_t i, counts[ST_COUNT];

	rpt_count_checks(c, counts);
	if (c->host) {
		buf_adds(b, "docksec audit of ");
		add_visible_str(b, c->host);
		buf_adds(b, " (API ");
		add_visible_str(b, c->api && *c->api ? c->api : "version unknown");
		buf_adds(b, c->podman ? ", Podman " : ", Docker Engine ");
		add_visible_str(b, c->engine && *c->engine ? c->engine : "version unknown");
		buf_addf(b, ", %zu container%s)\n\n", c->containers, c->containers == 1 ? "" : "s");
	} else {
		buf_adds(b, "docksec audit of the host files under ");
		add_visible_str(b, c->root ? c->root : "/");
		buf_adds(b, " (offline: no Engine API, so no image, container or live daemon checks)\n\n");
	}
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		const char *p = r->message, *nl;
		bool bad = r->status == ST_WARN || r->status == ST_ERROR;
		buf_addf(b, "%s[%s]%s %s", o->color ? col[r->status] : "", status_name(r->status), o->color ? "\033[0m" : "",
			 r->rule->id);
		if (bad)
			buf_addf(b, " (%s)", sev_name(r->severity));
		buf_addf(b, " - %s\n", r->rule->title);
		if (r->status == ST_PASS || (r->status == ST_NOTE && !(p && *p)))
			continue;
		while (p && *p) { /* the evidence; for a SKIP, why it was skipped */
			nl = strchr(p, '\n');
			buf_adds(b, r->status == ST_SKIP ? "       skipped: " : "       * ");
			add_visible(b, p, nl ? (size_t)(nl - p) : strlen(p));
			buf_addc(b, '\n');
			p = nl ? nl + 1 : NULL;
		}
		if (bad && r->rule->remediation && *r->rule->remediation)
			buf_addf(b, "       fix: %s\n", r->rule->remediation);
	}
	first_problems(b, c, o);
	buf_addf(b, "\n%zu checks: %zu PASS, %zu WARN, %zu INFO, %zu NOTE, %zu SKIP", c->n, counts[ST_PASS],
		 counts[ST_WARN], counts[ST_INFO], counts[ST_NOTE], counts[ST_SKIP]);
	if (counts[ST_ERROR])
		buf_addf(b, ", %zu ERROR", counts[ST_ERROR]);
	/* docker-bench's score, said what it is: it counts, it does not weigh */
	buf_addf(b, "; score %ld (docker-bench's: PASS minus WARN)\n", (long)counts[ST_PASS] - (long)counts[ST_WARN]);
}
