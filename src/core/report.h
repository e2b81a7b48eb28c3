/*
 * report.h - the report writers: text, json, sarif, junit.
 *
 * All writers take the same list of targets (each with findings or an
 * error) and build the whole report in a struct buf before writing it, so
 * an allocation failure never leaves half a JSON document on stdout.
 * The JSON schema is documented in docs/json-schema.md and versioned by
 * its "schema" field.
 */
#ifndef DS_REPORT_H
#define DS_REPORT_H

#include "finding.h"

/* The JSON report's "schema": fields are only ever added within a
 * version; removing or renaming one bumps it (docs/json-schema.md). */
#define RPT_JSON_SCHEMA "1"

enum rpt_format { RPT_TEXT, RPT_JSON, RPT_SARIF, RPT_JUNIT, RPT_DOCKER_BENCH, RPT_CHECKSTYLE, RPT_GITLAB, RPT_HTML };

/* A check-style report (audit): one result per check, in check order,
 * each with a status, about one audited subject. */
struct rpt_checks {
	const struct finding *v; /* the results, borrowed */
	size_t n;
	const char *host;        /* the audited daemon ("unix:///var/run/docker.sock"), NULL offline */
	const char *root;        /* --root: the mounted host filesystem audited offline */
	const char *api, *engine; /* negotiated API version and the Engine's version, or "" */
	bool podman;
	size_t containers;
	long long start;         /* when the run started (docker-bench's log has it) */
};

struct rpt_opts {
	bool color;
	bool show_source; /* text: print the offending line */
	int fail_on;      /* threshold, for the summary line */
	const char *command; /* "lint" */
	const struct rpt_checks *checks; /* set: a check-style report; the targets are not used */
	bool quiet;       /* text: no summary line */
	bool summary;     /* text: one line per rule (count, severity, files) instead of each finding */
	size_t hidden;    /* findings not shown (--severity), for the summary line */
	/* scan: the images' inventories, as "images":[...] in JSON and a
	 * heading in text; NULL for the other commands */
	void (*json_extra)(struct buf *b, void *ud);
	void (*text_extra)(struct buf *b, void *ud);
	void *extra_ud;
};

/* text, json, sarif, junit; docker-bench too when checks is true. */
int rpt_parse_format(const char *s, enum rpt_format *out);
/* Write the report for targets[0..n) to out; 0 or DS_ENOMEM/DS_EIO. */
int rpt_write(FILE *out, enum rpt_format fmt, struct target *const *targets, size_t n,
	      const struct rpt_opts *o);

void rpt_text(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
/* Checkstyle XML and GitLab Code Quality JSON (report_ci.c). */
void rpt_checkstyle(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_gitlab(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
/* One self-contained HTML page (report_html.c). */
void rpt_html(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_html_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
void rpt_json(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_sarif(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_junit(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
/* The same writers for check-style reports, and docker-bench-security's
 * log.json shape (only check-style). */
void rpt_text_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
void rpt_json_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
void rpt_sarif_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
void rpt_junit_checks(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
void rpt_docker_bench(struct buf *b, const struct rpt_checks *c, const struct rpt_opts *o);
/* Results by status, for summaries and the exit code. */
void rpt_count_checks(const struct rpt_checks *c, size_t counts[ST_COUNT]);
/* The refs of a rule as a JSON array. */
void rpt_json_refs(struct buf *b, const struct rule *r);

/* Shared: summary counts. */
struct rpt_counts {
	size_t files, errors, findings, by_sev[SEV_CRITICAL + 1], suppressed;
};
void rpt_count(struct target *const *t, size_t n, struct rpt_counts *c);
/* JSON string with quotes. */
void rpt_json_str(struct buf *b, const char *s);
/* The checks to fix first: WARN and ERROR, most severe first, in check
 * order within a severity; at most max in out, *total of them in all. */
size_t rpt_fix_first(const struct rpt_checks *c, const struct finding **out, size_t max, size_t *total);
/* FNV-1a of s continuing h, with a separator: fingerprints of several
 * fields (SARIF, GitLab). Start with 14695981039346656037. */
uint64_t rpt_hash(uint64_t h, const char *s);

#endif
