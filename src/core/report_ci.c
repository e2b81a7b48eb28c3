/*
 * report_ci.c - the formats CI services read: Checkstyle XML (Jenkins'
 * warnings plugin, reviewdog, many editors) and GitLab's Code Quality
 * JSON (the merge request widget). Both are per finding; neither carries
 * the fix, so the message names the rule and the refs stay in the other
 * formats.
 */
#include "report.h"

static const char *checkstyle_sev(enum ds_sev s)
{
	return s >= SEV_HIGH ? "error" : s == SEV_MEDIUM ? "warning" : "info";
}

void rpt_checkstyle(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	size_t i, k;

	(void)o;
	buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
	for (i = 0; i < n; i++) {
		const char *path = target_display_path(t[i]), *prev = NULL;
		for (k = 0; k < t[i]->nfindings; k++) {
			const struct finding *f = &t[i]->findings[k];
			const char *file = finding_file(t[i], f);
			if (!prev || strcmp(file, prev)) { /* a Compose project's findings may be in several files */
				if (prev)
					buf_adds(b, "</file>\n");
				buf_adds(b, "<file name=\"");
				buf_add_xml(b, file, strlen(file));
				buf_adds(b, "\">\n");
				prev = file;
			}
			buf_addf(b, "<error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"", f->loc.line > 0 ? f->loc.line : 1,
				 f->loc.col > 0 ? f->loc.col : 1, checkstyle_sev(f->severity));
			buf_add_xml(b, f->message, strlen(f->message));
			buf_adds(b, "\" source=\"docksec.");
			buf_add_xml(b, f->rule->id, strlen(f->rule->id));
			buf_adds(b, "\"/>\n");
		}
		if (prev)
			buf_adds(b, "</file>\n");
		if (t[i]->err.code) { /* an input error is an error of its file */
			buf_adds(b, "<file name=\"");
			buf_add_xml(b, path, strlen(path));
			buf_addf(b, "\">\n<error line=\"%d\" column=\"%d\" severity=\"error\" message=\"",
				 t[i]->err.line > 0 ? t[i]->err.line : 1, t[i]->err.col > 0 ? t[i]->err.col : 1);
			buf_add_xml(b, t[i]->err.msg, strlen(t[i]->err.msg));
			buf_adds(b, "\" source=\"docksec.input-error\"/>\n</file>\n");
		}
	}
	buf_adds(b, "</checkstyle>\n");
}

static const char *gitlab_sev(enum ds_sev s)
{
	static const char *const v[] = {"info", "minor", "major", "critical", "blocker"};
	return v[s];
}

void rpt_gitlab(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o)
{
	size_t i, k;
	bool first = true;

	(void)o;
	buf_addc(b, '[');
	for (i = 0; i < n; i++)
		for (k = 0; k < t[i]->nfindings; k++) {
			const struct finding *f = &t[i]->findings[k];
			const char *file = finding_file(t[i], f);
			/* the fingerprint follows the finding, not its line, so a
			 * finding that moves down the file is the same one */
			uint64_t h1 = 14695981039346656037ull, h2 = 1099511628211ull * 31;
			h1 = rpt_hash(rpt_hash(rpt_hash(rpt_hash(h1, f->rule->id), file), f->context ? f->context : ""), f->message);
			h2 = rpt_hash(rpt_hash(rpt_hash(rpt_hash(h2, f->message), f->context ? f->context : ""), file), f->rule->id);
			buf_adds(b, first ? "\n{\"description\":" : ",\n{\"description\":");
			first = false;
			rpt_json_str(b, arena_printf(&t[i]->arena, "%s: %s", f->rule->id, f->message));
			buf_adds(b, ",\"check_name\":");
			rpt_json_str(b, f->rule->id);
			buf_addf(b, ",\"fingerprint\":\"%016llx%016llx\",\"severity\":\"%s\",\"location\":{\"path\":",
				 (unsigned long long)h1, (unsigned long long)h2, gitlab_sev(f->severity));
			rpt_json_str(b, file);
			buf_addf(b, ",\"lines\":{\"begin\":%d}}}", f->loc.line > 0 ? f->loc.line : 1);
		}
	buf_adds(b, "\n]\n");
}
