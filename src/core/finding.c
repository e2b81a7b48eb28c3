/*
 * finding.c - severities, the rule registry across domains, and targets.
 */
#include "finding.h"
#include "config.h"

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *sev_name(enum ds_sev s)
{
	return (unsigned)s < DS_ARRAY_SIZE(sev_names) ? sev_names[s] : "unknown";
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

/* The domain tables. Each domain exports its table and size. */
extern const struct rule df_rules[];
extern const size_t df_rules_n;
extern const struct rule ct_rules[];
extern const size_t ct_rules_n;

static const struct {
	const struct rule *v;
	const size_t *n;
} domains[] = {
	{df_rules, &df_rules_n},
	{ct_rules, &ct_rules_n},
};

size_t rules_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < DS_ARRAY_SIZE(domains); i++)
		n += *domains[i].n;
	return n;
}

const struct rule *rules_at(size_t idx)
{
	size_t i;

	for (i = 0; i < DS_ARRAY_SIZE(domains); i++) {
		if (idx < *domains[i].n)
			return &domains[i].v[idx];
		idx -= *domains[i].n;
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

void target_init(struct target *t, const char *path)
{
	memset(t, 0, sizeof(*t));
	t->path = path;
	/* 256 MiB: far above any real Dockerfile, a bound for hostile ones. */
	arena_init(&t->arena, 256u << 20);
}

void target_release(struct target *t)
{
	arena_release(&t->arena);
	ds_free(t->data);
	t->data = NULL;
	t->findings = NULL;
	t->nfindings = t->cap = 0;
}

int target_add(struct target *t, const struct rule *r, int line, int col, int end_line,
	       int end_col, const char *context, const char *fmt, ...)
{
	struct finding *f;
	enum ds_sev sev = r->severity;
	va_list ap;
	char *msg;
	int len;

	for (size_t i = 0; i < t->nextra_ignore; i++)
		if (rule_matches(r, t->extra_ignore[i])) {
			t->nsuppressed++;
			return 0;
		}
	if (t->cfg && cfg_is_ignored(t->cfg, r, t->path)) {
		t->nsuppressed++;
		return 0;
	}
	if (t->cfg)
		sev = cfg_severity(t->cfg, r);
	if (arena_grow(&t->arena, (void **)&t->findings, &t->cap, t->nfindings + 1,
		       sizeof(*f)) != 0)
		goto nomem;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0 || !(msg = arena_alloc(&t->arena, (size_t)len + 1)))
		goto nomem;
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	f = &t->findings[t->nfindings++];
	f->rule = r;
	f->severity = sev;
	f->line = line;
	f->col = col;
	f->end_line = end_line ? end_line : line;
	f->end_col = end_col;
	f->message = msg;
	f->context = context;
	return 0;
nomem:
	t->nomem = 1;
	return DS_ENOMEM;
}

int target_compact(struct target *t, bool keep_data)
{
	struct arena na;
	struct finding *nf = NULL;
	size_t i;

	arena_init(&na, t->arena.limit);
	if (t->nfindings) {
		nf = arena_array(&na, t->nfindings, sizeof(*nf));
		if (!nf)
			goto nomem;
		for (i = 0; i < t->nfindings; i++) {
			nf[i] = t->findings[i];
			if (!(nf[i].message = arena_strdup(&na, t->findings[i].message)))
				goto nomem;
			if (nf[i].context && !(nf[i].context = arena_strdup(&na, nf[i].context)))
				goto nomem;
		}
	}
	arena_release(&t->arena);
	t->arena = na;
	t->findings = nf;
	t->cap = t->nfindings;
	if (!keep_data) {
		ds_free(t->data);
		t->data = NULL;
		t->len = 0;
	}
	return 0;
nomem:
	arena_release(&na);
	return DS_ENOMEM;
}

static int finding_cmp(const void *a, const void *b)
{
	const struct finding *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (strcmp(x->rule->id, y->rule->id) != 0)
		return strcmp(x->rule->id, y->rule->id);
	return strcmp(x->message, y->message);
}

void target_sort(struct target *t)
{
	/* qsort is not stable, so the comparison goes down to the message
	 * text: the same input always gives the same order. */
	if (t->nfindings > 1)
		qsort(t->findings, t->nfindings, sizeof(*t->findings), finding_cmp);
}

const char *target_display_path(const struct target *t)
{
	return strcmp(t->path, "-") == 0 ? "<stdin>" : t->path;
}

bool target_line(const struct target *t, int line, struct str *out)
{
	const char *p = t->data, *end = t->data + t->len, *nl;
	int l = 1;

	if (!p || line < 1)
		return false;
	while (l < line) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
		l++;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	out->p = p;
	out->n = (size_t)((nl ? nl : end) - p);
	if (out->n && out->p[out->n - 1] == '\r')
		out->n--;
	return true;
}
