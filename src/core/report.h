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

enum rpt_format { RPT_TEXT, RPT_JSON, RPT_SARIF, RPT_JUNIT };

struct rpt_opts {
	bool color;
	bool show_source; /* text: print the offending line */
	int fail_on;      /* threshold, for the summary line */
	const char *command; /* "lint" */
};

int rpt_parse_format(const char *s, enum rpt_format *out);
/* Write the report for targets[0..n) to out; 0 or DS_ENOMEM/DS_EIO. */
int rpt_write(FILE *out, enum rpt_format fmt, struct target *const *targets, size_t n,
	      const struct rpt_opts *o);

void rpt_text(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_json(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_sarif(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);
void rpt_junit(struct buf *b, struct target *const *t, size_t n, const struct rpt_opts *o);

/* Shared: summary counts. */
struct rpt_counts {
	size_t files, errors, findings, by_sev[SEV_CRITICAL + 1], suppressed;
};
void rpt_count(struct target *const *t, size_t n, struct rpt_counts *c);
/* JSON string with quotes. */
void rpt_json_str(struct buf *b, const char *s);

#endif
