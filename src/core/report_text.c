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

void rpt_text(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	const char *bold = o->color ? "\033[1m" : "", *dim = o->color ? "\033[2m" : "",
		   *reset = o->color ? "\033[0m" : "";
	struct rpt_counts c;
	size_t i, k, r;

	for (i = 0; i < n; i++) {
		const struct target *tg = t[i];
		if (tg->err.code) {
			buf_addf(b, "%s%s%s\n  %serror%s %s", bold, target_display_path(tg), reset,
				 o->color ? "\033[1;31m" : "", reset, target_display_path(tg));
			if (tg->err.line)
				buf_addf(b, ":%d:%d", tg->err.line, tg->err.col);
			buf_addf(b, ": %s\n\n", tg->err.msg);
			continue;
		}
		if (!tg->nfindings)
			continue;
		buf_addf(b, "%s%s%s\n", bold, target_display_path(tg), reset);
		for (k = 0; k < tg->nfindings; k++) {
			const struct finding *f = &tg->findings[k];
			struct str line;
			buf_addf(b, "  %d:%d %s%-8s%s %s%s%s%s%s%s  %s\n", f->line, f->col,
				 o->color ? sev_color(f->severity) : "", sev_name(f->severity), reset,
				 bold, f->rule->id, reset, f->context ? " [" : "", f->context ? f->context : "",
				 f->context ? "]" : "", f->message);
			if (o->show_source && target_line(tg, f->line, &line)) {
				if (line.n > 160)
					line.n = 160;
				buf_addf(b, "      %s|%s %.*s\n", dim, reset, (int)line.n, line.p);
			}
			buf_addf(b, "      %sfix:%s %s\n", dim, reset, f->rule->remediation);
			buf_addf(b, "      %srefs:%s", dim, reset);
			for (r = 0; r < RULE_MAX_REFS && f->rule->refs[r]; r++)
				buf_addf(b, " %s", f->rule->refs[r]);
			buf_addc(b, '\n');
		}
		buf_addc(b, '\n');
	}
	rpt_count(t, n, &c);
	buf_addf(b, "%zu finding%s (%zu critical, %zu high, %zu medium, %zu low, %zu info) in %zu "
		    "file%s", c.findings, c.findings == 1 ? "" : "s", c.by_sev[SEV_CRITICAL],
		 c.by_sev[SEV_HIGH], c.by_sev[SEV_MEDIUM], c.by_sev[SEV_LOW], c.by_sev[SEV_INFO],
		 c.files, c.files == 1 ? "" : "s");
	if (c.suppressed)
		buf_addf(b, ", %zu suppressed", c.suppressed);
	if (c.errors)
		buf_addf(b, ", %zu file%s with errors", c.errors, c.errors == 1 ? "" : "s");
	buf_addc(b, '\n');
}
