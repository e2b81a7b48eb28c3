/*
 * registry.c - severities and the one registry of rules and checks.
 *
 * Core names no domain: each domain (Dockerfile rules, container rules,
 * the CIS audit checks, host hardening, later image and proxy rules)
 * hands its static table to rules_register() once at start-up, and
 * everything that lists, explains, ignores or reports rules goes through
 * rules_count()/rules_at()/rules_find(). Which domains a program has is
 * decided where it is linked (src/domains.c), not here.
 */
#include "finding.h"

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *sev_name(enum ds_sev s)
{
	return (unsigned)s < DS_ARRAY_SIZE(sev_names) ? sev_names[s] : "unknown";
}

static const char *const status_names[] = {"PASS", "WARN", "INFO", "NOTE", "SKIP", "ERROR"};

const char *status_name(enum ds_status s)
{
	return (unsigned)s < DS_ARRAY_SIZE(status_names) ? status_names[s] : "?";
}

const char *loc_kind_name(enum loc_kind k)
{
	static const char *const v[] = {"none", "file", "container", "image", "package", "hostfile", "request"};
	return (unsigned)k < DS_ARRAY_SIZE(v) ? v[k] : "?";
}

int sev_parse(const char *s, int *out)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(sev_names); i++)
		if (strcasecmp(s, sev_names[i]) == 0) {
			*out = (int)i;
			return 0;
		}
	if (strcasecmp(s, "none") == 0) {
		*out = SEV_CRITICAL + 1;
		return 0;
	}
	if (strcasecmp(s, "error") == 0) { /* hadolint's spelling */
		*out = SEV_HIGH;
		return 0;
	}
	if (strcasecmp(s, "warning") == 0) {
		*out = SEV_MEDIUM;
		return 0;
	}
	return DS_EUSAGE;
}

/* The registered tables, in registration order. A handful of domains
 * register once at start-up, before any thread runs; never freed. */
#define REG_MAX_TABLES 16

static struct {
	const struct rule *v;
	size_t n;
} domains[REG_MAX_TABLES];
static size_t ndomains;

int rules_register(const struct rule *v, size_t n)
{
	size_t i;

	for (i = 0; i < ndomains; i++)
		if (domains[i].v == v)
			return 0; /* registering twice is harmless */
	if (ndomains == REG_MAX_TABLES)
		return DS_ELIMIT;
	domains[ndomains].v = v;
	domains[ndomains++].n = n;
	return 0;
}

size_t rules_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < ndomains; i++)
		n += domains[i].n;
	return n;
}

const struct rule *rules_at(size_t idx)
{
	size_t i;

	for (i = 0; i < ndomains; i++) {
		if (idx < domains[i].n)
			return &domains[i].v[idx];
		idx -= domains[i].n;
	}
	return NULL;
}

const struct rule *rules_find(const char *id)
{
	size_t i, n = rules_count();

	for (i = 0; i < n; i++)
		if (strcasecmp(rules_at(i)->id, id) == 0)
			return rules_at(i);
	return NULL;
}

bool rule_has_ref(const struct rule *r, const char *ref)
{
	size_t i;

	for (i = 0; i < RULE_MAX_REFS && r->refs[i]; i++)
		if (strcasecmp(r->refs[i], ref) == 0)
			return true;
	return false;
}

bool rule_matches(const struct rule *r, const char *token)
{
	return strcasecmp(r->id, token) == 0 || rule_has_ref(r, token);
}

bool rule_ignored_by(const struct rule *r, const char *token)
{
	static const char *const shared[] = {"cis:", "docker-bench:", "owasp:", "cve:", "lynis:"};
	size_t i, k;
	const char *colon;

	if (rule_matches(r, token))
		return true;
	if (strchr(token, ':'))
		return false;
	for (i = 0; i < RULE_MAX_REFS && r->refs[i]; i++) {
		for (k = 0; k < DS_ARRAY_SIZE(shared); k++)
			if (!strncmp(r->refs[i], shared[k], strlen(shared[k])))
				break;
		if (k == DS_ARRAY_SIZE(shared) && (colon = strchr(r->refs[i], ':')) && !strcasecmp(colon + 1, token))
			return true;
	}
	return false;
}

bool rule_named_by(const struct rule *r, const char *token)
{
	size_t i;
	const char *colon;

	if (rule_matches(r, token))
		return true;
	if (strchr(token, ':'))
		return false;
	for (i = 0; i < RULE_MAX_REFS && r->refs[i]; i++)
		if ((colon = strchr(r->refs[i], ':')) && strcasecmp(colon + 1, token) == 0)
			return true;
	return false;
}

