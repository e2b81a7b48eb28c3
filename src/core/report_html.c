/*
 * report_html.c - `-f html`: one self-contained page (no network, no
 * external asset: the CSS and the few lines of script are inline) that a
 * person would rather look at than read: the counts by severity and by
 * section, the problems to fix first, then a table of every finding or
 * check with its fix and refs, filtered as you type or by severity.
 *
 * Everything from the inputs goes through html(): control characters
 * made visible, then <, >, &, quotes escaped; nothing from a file or a
 * daemon is ever markup or script.
 */
#include "report.h"

static void html(struct buf *b, const char *s)
{
	struct buf v = BUF_INIT;

	while (s && *s) { /* a line break of evidence is <br>, any other control visible */
		size_t n = strcspn(s, "\n");
		v.n = 0;
		buf_add_visible(&v, s, n);
		if (!buf_ok(&v)) {
			b->oom = true;
			break;
		}
		buf_add_xml(b, v.p ? v.p : "", v.n);
		s += n;
		if (*s == '\n') {
			buf_adds(b, "<br>");
			s++;
		}
	}
	buf_release(&v);
}

static const char style[] =
	"<style>\n"
	"body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}\n"
	"header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}\n"
	"header p{margin:4px 0 0;color:#b9c0cc}main{padding:20px 28px}\n"
	".cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:18px}\n"
	".card{background:#fff;border-radius:8px;padding:12px 16px;min-width:110px;box-shadow:0 1px 2px #0002}\n"
	".card b{display:block;font-size:26px}.critical{color:#b00020}.high{color:#d9480f}.medium{color:#b08800}"
	".low{color:#1864ab}.info{color:#5c677d}.PASS{color:#2b8a3e}.WARN{color:#d9480f}.ERROR{color:#b00020}"
	".SKIP,.NOTE,.INFO{color:#5c677d}\n"
	"section{background:#fff;border-radius:8px;padding:14px 18px;margin-bottom:18px;box-shadow:0 1px 2px #0002}\n"
	"h2{font-size:16px;margin:0 0 10px}ol{margin:0;padding-left:22px}\n"
	"table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;"
	"vertical-align:top;overflow-wrap:anywhere}\n"
	"th{background:#eef1f4;position:sticky;top:0}td.fix{color:#3b4252}code{font-size:12px}\n"
	".bar{display:flex;gap:14px;align-items:center;margin-bottom:10px}input[type=search]{padding:6px 8px;width:320px}\n"
	".bycount td{border:0;padding:2px 10px 2px 0}\n"
	"</style>\n";

/* Filter rows by the search box and the severity boxes; mark the page
 * ready (the test reads data-ready to know the script ran to the end). */
static const char script[] =
	"<script>\n"
	"(function(){\n"
	"var q=document.getElementById('q'),boxes=document.querySelectorAll('.sev'),rows=document.querySelectorAll('"
	"#all tbody tr'),shown=document.getElementById('shown');\n"
	"function apply(){var t=q.value.toLowerCase(),on={},n=0;boxes.forEach(function(b){on[b.value]=b.checked;});\n"
	"rows.forEach(function(r){var ok=on[r.dataset.sev]!==false&&r.textContent.toLowerCase().indexOf(t)>=0;"
	"r.style.display=ok?'':'none';if(ok)n++;});shown.textContent=n;}\n"
	"q.addEventListener('input',apply);boxes.forEach(function(b){b.addEventListener('change',apply);});apply();\n"
	"document.body.dataset.ready='1';\n"
	"})();\n"
	"</script>\n";

static void head(struct buf *b, const char *title, const char *subtitle)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
		    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
		    "script-src 'unsafe-inline'\"><title>");
	html(b, title);
	buf_adds(b, "</title>\n");
	buf_adds(b, style);
	buf_adds(b, "</head><body>\n<header><h1>");
	html(b, title);
	buf_adds(b, "</h1><p>");
	html(b, subtitle);
	buf_adds(b, "</p></header>\n<main>\n");
}

static void filter_bar(struct buf *b, const char *const *levels, size_t n, size_t total)
{
	size_t i;

	buf_adds(b, "<div class=\"bar\"><input type=\"search\" id=\"q\" placeholder=\"filter: rule, file, text\">");
	for (i = 0; i < n; i++)
		buf_addf(b, "<label><input type=\"checkbox\" class=\"sev\" value=\"%s\" checked> %s</label>", levels[i], levels[i]);
	buf_addf(b, "<span><span id=\"shown\">%zu</span> of %zu shown</span></div>\n", total, total);
}

static void refs(struct buf *b, const struct rule *r)
{
	size_t k;

	for (k = 0; k < RULE_MAX_REFS && r->refs[k]; k++) {
		buf_adds(b, k ? " <code>" : "<code>");
		html(b, r->refs[k]);
		buf_adds(b, "</code>");
	}
}

/* The message, the fix and the refs cells that end a row. */
static void row_tail(struct buf *b, const struct finding *f)
{
	html(b, f->message);
	buf_adds(b, "</td><td class=\"fix\">");
	html(b, f->rule->remediation);
	buf_adds(b, "</td><td>");
	refs(b, f->rule);
	buf_adds(b, "</td></tr>\n");
}

static void tail(struct buf *b)
{
	buf_adds(b, "</tbody></table></section>\n</main>\n");
	buf_adds(b, script);
	buf_adds(b, "</body></html>\n");
}

static const char *const sev_levels[] = {"critical", "high", "medium", "low", "info"};

/* Where a finding is: file:line:col, or the path in an image, or the package */
static void where(struct buf *b, const struct target *t, const struct finding *f)
{
	html(b, finding_file(t, f));
	if (f->loc.kind == LOC_PACKAGE && f->loc.purl) {
		buf_adds(b, "<br>");
		html(b, f->loc.purl);
	} else if (f->loc.kind == LOC_IMAGE && (f->loc.path || f->loc.field)) {
		buf_adds(b, "<br>");
		html(b, f->loc.path ? f->loc.path : f->loc.field);
	} else {
		buf_addf(b, ":%d:%d", f->loc.line, f->loc.col);
	}
}

void rpt_html(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	struct rpt_counts c;
	size_t i, k, shown = 0;
	int sev;
	char sub[160];

	rpt_count(t, n, &c);
	snprintf(sub, sizeof(sub), "%zu finding%s in %zu file%s%s", c.findings, c.findings == 1 ? "" : "s", c.files,
		 c.files == 1 ? "" : "s", c.errors ? ", some could not be read (see below)" : "");
	head(b, o->command && !strcmp(o->command, "check") ? "docksec check" : "docksec lint", sub);
	buf_adds(b, "<div class=\"cards\">");
	for (sev = SEV_CRITICAL; sev >= SEV_INFO; sev--)
		buf_addf(b, "<div class=\"card\"><b class=\"%s\" id=\"count-%s\">%zu</b>%s</div>", sev_name(sev), sev_name(sev),
			 c.by_sev[sev], sev_name(sev));
	buf_addf(b, "<div class=\"card\"><b id=\"count-files\">%zu</b>files</div></div>\n", c.files);
	/* by section: the files, most findings first */
	buf_adds(b, "<section><h2>By file</h2><table class=\"bycount\">");
	for (i = 0; i < n; i++)
		if (t[i]->nfindings) {
			buf_addf(b, "<tr><td>%zu</td><td>", t[i]->nfindings);
			html(b, target_display_path(t[i]));
			buf_adds(b, "</td></tr>");
		}
	buf_adds(b, "</table></section>\n");
	/* the most severe first, ten at most */
	buf_adds(b, "<section><h2>Fix first</h2><ol>");
	for (sev = SEV_CRITICAL; sev >= SEV_INFO && shown < 10; sev--)
		for (i = 0; i < n && shown < 10; i++)
			for (k = 0; k < t[i]->nfindings && shown < 10; k++) {
				const struct finding *f = &t[i]->findings[k];
				if ((int)f->severity != sev)
					continue;
				buf_addf(b, "<li><b class=\"%s\">%s</b> ", sev_name(f->severity), sev_name(f->severity));
				html(b, f->rule->id);
				buf_adds(b, " - ");
				where(b, t[i], f);
				buf_addc(b, ' ');
				if (f->context) {
					buf_adds(b, "[");
					html(b, f->context);
					buf_adds(b, "] ");
				}
				html(b, f->message);
				buf_adds(b, "</li>");
				shown++;
			}
	if (!shown)
		buf_adds(b, "<li>Nothing: no finding.</li>");
	buf_adds(b, "</ol></section>\n");
	for (i = 0; i < n; i++)
		if (t[i]->err.code) {
			buf_adds(b, "<section><h2 class=\"ERROR\">Could not be read: ");
			html(b, target_display_path(t[i]));
			buf_addf(b, ":%d</h2>", t[i]->err.line);
			html(b, t[i]->err.msg);
			buf_adds(b, "</section>\n");
		}
	buf_adds(b, "<section><h2>Every finding</h2>");
	filter_bar(b, sev_levels, 5, c.findings);
	buf_adds(b, "<table id=\"all\"><thead><tr><th>Severity</th><th>Rule</th><th>Where</th><th>Finding</th><th>Fix</th>"
		    "<th>Refs</th></tr></thead><tbody>\n");
	for (i = 0; i < n; i++)
		for (k = 0; k < t[i]->nfindings; k++) {
			const struct finding *f = &t[i]->findings[k];
			buf_addf(b, "<tr data-sev=\"%s\"><td class=\"%s\">%s</td><td>", sev_name(f->severity), sev_name(f->severity),
				 sev_name(f->severity));
			html(b, f->rule->id);
			buf_adds(b, "<br><small>");
			html(b, f->rule->title);
			buf_adds(b, "</small></td><td>");
			where(b, t[i], f);
			if (f->context) {
				buf_adds(b, "<br><small>");
				html(b, f->context);
				buf_adds(b, "</small>");
			}
			buf_adds(b, "</td><td>");
			row_tail(b, f);
		}
	tail(b);
}

static const char *const status_levels[] = {"PASS", "WARN", "INFO", "NOTE", "SKIP", "ERROR"};

void rpt_html_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o)
{
	size_t i, counts[ST_COUNT], shown = 0, s;
	char sub[300];

	(void)o;
	rpt_count_checks(c, counts);
	if (c->host)
		snprintf(sub, sizeof(sub), "%zu checks of %s (%zu containers)", c->n, c->host, c->containers);
	else
		snprintf(sub, sizeof(sub), "%zu checks of the host files under %s (offline)", c->n, c->root ? c->root : "/");
	head(b, "docksec audit", sub);
	buf_adds(b, "<div class=\"cards\">");
	for (s = 0; s < ST_COUNT; s++)
		buf_addf(b, "<div class=\"card\"><b class=\"%s\" id=\"count-%s\">%zu</b>%s</div>", status_levels[s],
			 status_levels[s], counts[s], status_levels[s]);
	buf_adds(b, "</div>\n<section><h2>By section</h2><table class=\"bycount\"><tr><th>section</th><th>WARN</th>"
		    "<th>ERROR</th><th>PASS</th><th>checks</th></tr>");
	{ /* CIS sections 1-7 by the id's first number, host hardening apart */
		static const char *const sect[] = {"1 Host", "2 Daemon", "3 Files", "4 Images", "5 Containers",
						   "6 Operations", "7 Swarm", "Host hardening"};
		for (s = 0; s < 8; s++) {
			size_t w = 0, e = 0, p = 0, all = 0;
			for (i = 0; i < c->n; i++) {
				const char *id = c->v[i].rule->id;
				size_t sec = id[0] >= '1' && id[0] <= '7' ? (size_t)(id[0] - '1') : 7;
				if (sec != s)
					continue;
				all++;
				w += c->v[i].status == ST_WARN;
				e += c->v[i].status == ST_ERROR;
				p += c->v[i].status == ST_PASS;
			}
			if (all)
				buf_addf(b, "<tr><td>%s</td><td class=\"WARN\">%zu</td><td class=\"ERROR\">%zu</td><td>%zu</td>"
					    "<td>%zu</td></tr>", sect[s], w, e, p, all);
		}
	}
	buf_adds(b, "</table></section>\n<section><h2>Fix first</h2><ol>");
	{
		const struct finding *top[10];
		size_t total;
		shown = rpt_fix_first(c, top, 10, &total);
		for (i = 0; i < shown; i++) {
			const char *m = top[i]->message ? top[i]->message : "";
			char first[400];
			buf_addf(b, "<li><b class=\"%s\">%s</b> ", sev_name(top[i]->severity), sev_name(top[i]->severity));
			html(b, top[i]->rule->id);
			buf_adds(b, " ");
			html(b, top[i]->rule->title);
			buf_adds(b, ": ");
			snprintf(first, sizeof(first), "%.*s", (int)strcspn(m, "\n"), m);
			html(b, first);
			buf_adds(b, "</li>");
		}
	}
	if (!shown)
		buf_adds(b, "<li>Nothing: no check is WARN or ERROR.</li>");
	buf_adds(b, "</ol></section>\n<section><h2>Every check</h2>");
	filter_bar(b, status_levels, ST_COUNT, c->n);
	buf_adds(b, "<table id=\"all\"><thead><tr><th>Status</th><th>Check</th><th>Evidence</th><th>Fix</th><th>Refs</th></tr></thead>"
		    "<tbody>\n");
	for (i = 0; i < c->n; i++) {
		const struct finding *r = &c->v[i];
		const char *st = (unsigned)r->status < ST_COUNT ? status_levels[r->status] : "?";
		buf_addf(b, "<tr data-sev=\"%s\"><td class=\"%s\">%s</td><td>", st, st, st);
		html(b, r->rule->id);
		buf_adds(b, " ");
		html(b, r->rule->title);
		buf_addf(b, "<br><small>%s</small></td><td>", sev_name(r->severity));
		row_tail(b, r);
	}
	tail(b);
}
