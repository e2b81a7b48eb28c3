/*
 * finding.h - the finding model, the rule record and the per-target result.
 *
 * Every front-end (Dockerfile today; Compose, Kubernetes, inspect JSON and
 * proxied requests later) reports through this one model, so the report
 * writers, the gating and the ignore logic are written once.
 *
 * A rule is data: id, default severity, title, rationale, remediation and
 * refs (the same check in other tools: "cis:4.1", "hadolint:DL3002", ...),
 * plus the function that decides it. Each domain keeps one static table of
 * rules; rules_all() presents all tables as one list.
 *
 * A target is one input (a file, or stdin): its bytes, its arena, its
 * findings and, if it could not be read or parsed, its error. Findings point
 * into the target's arena and die with it.
 */
#ifndef DS_FINDING_H
#define DS_FINDING_H

#include "ds.h"

enum ds_sev { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

const char *sev_name(enum ds_sev s);
/* Accepts info, low, medium, high, critical (any case); also "none" (a
 * threshold nothing reaches, for report-only runs) as SEV_CRITICAL + 1. */
int sev_parse(const char *s, int *out);

#define RULE_MAX_REFS 16

struct rule {
	const char *id;
	enum ds_sev severity;
	const char *domain;
	const char *title;
	const char *rationale;
	const char *remediation;
	const char *refs[RULE_MAX_REFS]; /* NULL-terminated */
	/* Decides the rule; ctx is the domain's context (struct df_lint * for
	 * Dockerfiles). Only reads the model and adds findings. */
	void (*fn)(void *ctx, const struct rule *r);
	const void *arg; /* per-rule parameter for table-driven checks */
};

/* All rules of all domains, in table order. */
size_t rules_count(void);
const struct rule *rules_at(size_t i);
const struct rule *rules_find(const char *id);
/* Does r carry exactly this ref ("hadolint:DL3008")? */
bool rule_has_ref(const struct rule *r, const char *ref);
/* Does the token name r: its id, or one of its refs? Case-insensitive. */
bool rule_matches(const struct rule *r, const char *token);

struct finding {
	const struct rule *rule;
	enum ds_sev severity; /* after configuration overrides */
	int line, col, end_line, end_col; /* 1-based; 0 when not applicable */
	const char *message; /* names the concrete offending value */
	const char *context; /* stage name, service, container... or NULL */
};

struct ds_config;

struct target {
	const char *path; /* as given, or "-" shown as "<stdin>" */
	char *data;       /* file contents, NUL-terminated, owned */
	size_t len;
	struct arena arena;
	struct finding *findings;
	size_t nfindings, cap;
	size_t nsuppressed; /* findings dropped by ignores */
	struct ds_err err;  /* code != 0: the target could not be read/parsed */
	const struct ds_config *cfg;
	const char *kind; /* "dockerfile", ... */
	const char *const *extra_ignore; /* --ignore on the command line (borrowed) */
	size_t nextra_ignore;
	int nomem;        /* a finding could not be recorded */
};

void target_init(struct target *t, const char *path);
void target_release(struct target *t);
/* Record a finding after applying the configuration (ignores, severity
 * overrides). msg is formatted into the target's arena. Returns 0, or
 * DS_ENOMEM (also remembered in t->nomem). */
int target_add(struct target *t, const struct rule *r, int line, int col, int end_line,
	       int end_col, const char *context, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Move the findings (and their strings) into a fresh arena and drop the
 * old one, which held the parse tree: what stays alive per target is its
 * findings. With keep_data false the file contents are freed too. */
int target_compact(struct target *t, bool keep_data);
/* Sort findings by position, then rule id, so output is stable. */
void target_sort(struct target *t);
const char *target_display_path(const struct target *t);
/* Pointer to the start of 1-based line `line` in t->data and its length
 * (without the newline); false when out of range. */
bool target_line(const struct target *t, int line, struct str *out);

#endif
