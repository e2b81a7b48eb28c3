/*
 * finding.h - the result model, the rule record and the per-target result.
 *
 * Every command reports through this one model, so the report writers,
 * the gating and the ignore logic are written once:
 *   - a rule (struct rule) is any check docksec can make: a Dockerfile
 *     rule (DF-*), a container rule (CT-*), a CIS Benchmark check (5.5),
 *     a host hardening check (host-fw-01). It is data: id, default
 *     severity, title, rationale, remediation and refs (the same check
 *     elsewhere: "cis:4.1", "hadolint:DL3002", ...), plus the function that
 *     decides it. Each domain keeps one static table and registers it with
 *     rules_register(); core names no domain.
 *   - a result (struct finding) is what a rule said about one subject.
 *     Finding-style results (lint, check) are WARN records with a
 *     severity; check-style results (audit) carry any status, a reason
 *     for SKIP and ERROR, and the findings they were decided from.
 *   - a location (struct ds_loc) names the subject: a line of a file, a
 *     container field, a path in an image layer, a package, a host file
 *     or an API request, so scan and proxy report through the same record.
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

/* What a result says. A lint or check finding is ST_WARN; an audit check
 * is decided to PASS, WARN, INFO (facts to review) or NOTE (a manual
 * check), or not decided: SKIP when it does not apply or was not chosen
 * to run here (the reason in the message), ERROR when its input could not
 * be read or was cut by a limit. Neither SKIP nor ERROR ever says PASS. */
enum ds_status { ST_PASS, ST_WARN, ST_INFO, ST_NOTE, ST_SKIP, ST_ERROR };
#define ST_COUNT (ST_ERROR + 1)
const char *status_name(enum ds_status s);

#define RULE_MAX_REFS 16
/* A row's refs: REFS("cis:4.1", "hadolint:DL3002"); {NULL} for none. */
#define REFS(...) {__VA_ARGS__, NULL}
#define RULE_MANUAL 1u /* a recommendation checked by hand (CIS "Manual") */

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
	unsigned flags;  /* RULE_MANUAL */
};

/* Add a domain's table to the registry (tables are borrowed, static).
 * Called once per domain at start-up, before threads; the order of
 * registration is the order of `docksec rules`. 0, or DS_ELIMIT. */
int rules_register(const struct rule *v, size_t n);
/* Register every domain this program is linked with (src/domains.c). */
void ds_domains_register(void);

/* All rules of all registered domains, in registration and table order. */
size_t rules_count(void);
const struct rule *rules_at(size_t i);
const struct rule *rules_find(const char *id);
/* Does r carry exactly this ref ("hadolint:DL3008")? */
bool rule_has_ref(const struct rule *r, const char *ref);
/* Does the token name r: its id, or one of its refs? Case-insensitive. */
bool rule_matches(const struct rule *r, const char *token);
/* rule_matches, and also a peer linter's bare id ("DL3008" for
 * hadolint:DL3008, "DS002", "KSV017"), as users of those tools write
 * them in ignore lists; never a benchmark number ("5.5" names a CIS
 * recommendation several rules share). For ignores and overrides. */
bool rule_ignored_by(const struct rule *r, const char *token);
/* rule_matches, and also another tool's bare id: "DL3008" names the rule
 * with ref "hadolint:DL3008", "5.5" the ones with "cis:5.5". For lookups
 * (`docksec rules`); ignores stay exact. */
bool rule_named_by(const struct rule *r, const char *token);

/* Where a result points. Only the fields of its kind are set; the others
 * are NULL/0. Strings are borrowed from the target's arena. */
enum loc_kind {
	LOC_NONE,      /* the subject as a whole (an audited host) */
	LOC_FILE,      /* file:line:col of an input (lint, check) */
	LOC_CONTAINER, /* a container: name, state, field path (HostConfig.Privileged) */
	LOC_IMAGE,     /* an image: reference, layer digest, path inside it */
	LOC_PACKAGE,   /* a package: purl (and the image it is in) */
	LOC_HOSTFILE,  /* a file of the audited host (line when known) */
	LOC_REQUEST,   /* an Engine API request: method, path, client */
};

struct ds_loc {
	enum loc_kind kind;
	const char *file;                 /* FILE, HOSTFILE */
	int line, col, end_line, end_col; /* FILE, HOSTFILE: 1-based; 0 when not applicable */
	const char *container, *state;    /* CONTAINER */
	const char *field;                /* CONTAINER, REQUEST: the field path in the model/body */
	const char *image, *layer;        /* IMAGE, PACKAGE */
	const char *path;                 /* IMAGE: path in the image; REQUEST: the URL path */
	const char *purl;                 /* PACKAGE */
	const char *method, *client;      /* REQUEST */
};
const char *loc_kind_name(enum loc_kind k);

struct finding {
	const struct rule *rule;
	enum ds_status status; /* ST_WARN for every lint/check finding */
	enum ds_sev severity;  /* after configuration overrides */
	struct ds_loc loc;
	const char *message; /* names the concrete offending value; for a check,
			      * its evidence, one line per item, or the reason
			      * for SKIP/ERROR */
	const char *context; /* stage name, service, container... or NULL */
	/* A check decided from other results (CIS 5.5 from the CT-PRIVILEGED
	 * findings): those results, borrowed. */
	const struct finding **items;
	size_t nitems;
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
	/* Secrets found in the file: the text report masks them in the source
	 * lines it shows, as the messages do (arena strings). */
	struct target_secret {
		const char *s;
		size_t n, keep;
	} *secrets;
	size_t nsecrets, csecrets;
};

void target_init(struct target *t, const char *path);
/* The mask of the secret s[0..n) for a message (only keep leading
 * characters, a format's public prefix, shown), remembered so the source
 * lines a report prints are masked too. Arena string; NULL when out of
 * memory. */
const char *target_secret(struct target *t, const char *s, size_t n, size_t keep);
/* line with every remembered secret masked (an arena string), or line
 * itself when it holds none. */
struct str target_unsecret(struct target *t, struct str line);
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
/* The same for lines asked in increasing order (a sorted report): the
 * cursor remembers where the last one was, so a whole report costs one
 * pass over the file instead of one per finding. Start with {0, NULL}. */
struct line_cursor {
	int line;
	const char *p;
};
/* The file a finding is in: the target's, or another file of a Compose
 * project (its override, an include, an extends.file). */
const char *finding_file(const struct target *t, const struct finding *f);
bool target_line_next(const struct target *t, struct line_cursor *c, int line, struct str *out);

#endif
