/*
 * finding.c - targets: one input, its arena and its findings, with the
 * configuration (ignores, severity overrides) applied as findings are
 * added. The rule registry and severities are in registry.c.
 */
#include "finding.h"
#include "config.h"

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
		if (rule_ignored_by(r, t->extra_ignore[i])) {
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
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->status = ST_WARN;
	f->severity = sev;
	f->loc.kind = LOC_FILE;
	f->loc.file = t->path;
	f->loc.line = line;
	f->loc.col = col;
	f->loc.end_line = end_line ? end_line : line;
	f->loc.end_col = end_col;
	f->message = msg;
	f->context = context;
	return 0;
nomem:
	t->nomem = 1;
	return DS_ENOMEM;
}

/* The location's strings into arena a (loc.file is the target's path,
 * which outlives its arenas, and stays). */
static int loc_copy(struct arena *a, struct ds_loc *l, const char *own)
{
	const char **s[] = {&l->container, &l->state, &l->field, &l->image, &l->layer,
			    &l->path, &l->purl, &l->method, &l->client};
	size_t i;

	/* the target's own path is not in the arena; another file's is */
	if (l->file && l->file != own && !(l->file = arena_strdup(a, l->file)))
		return DS_ENOMEM;

	for (i = 0; i < DS_ARRAY_SIZE(s); i++)
		if (*s[i] && !(*s[i] = arena_strdup(a, *s[i])))
			return DS_ENOMEM;
	return 0;
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
			if (loc_copy(&na, &nf[i].loc, t->path))
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
	int fc = strcmp(x->loc.file ? x->loc.file : "", y->loc.file ? y->loc.file : "");

	if (fc && x->loc.kind == LOC_FILE && y->loc.kind == LOC_FILE)
		return fc; /* a Compose project's other files */
	if (x->loc.line != y->loc.line)
		return x->loc.line < y->loc.line ? -1 : 1;
	if (x->loc.col != y->loc.col)
		return x->loc.col < y->loc.col ? -1 : 1;
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

const char *finding_file(const struct target *t, const struct finding *f)
{
	return f->loc.file && f->loc.file != t->path ? f->loc.file : target_display_path(t);
}

bool target_line(const struct target *t, int line, struct str *out)
{
	struct line_cursor c = {0, NULL};

	return target_line_next(t, &c, line, out);
}

bool target_line_next(const struct target *t, struct line_cursor *c, int line, struct str *out)
{
	const char *p = t->data, *end = t->data + t->len, *nl;
	int l = 1;

	if (!p || line < 1)
		return false;
	if (c->p && c->line <= line) { /* go on from the last line asked */
		p = c->p;
		l = c->line;
	}
	while (l < line) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return false;
		p = nl + 1;
		l++;
	}
	c->line = l;
	c->p = p;
	nl = memchr(p, '\n', (size_t)(end - p));
	out->p = p;
	out->n = (size_t)((nl ? nl : end) - p);
	if (out->n && out->p[out->n - 1] == '\r')
		out->n--;
	return true;
}
