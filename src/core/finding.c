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

#define TARGET_MAX_SECRETS 1000

const char *target_secret(struct target *t, const char *s, size_t n, size_t keep)
{
	size_t i;

	if (keep >= n)
		keep = 0;
	for (i = 0; i < t->nsecrets; i++)
		if (t->secrets[i].n == n && !memcmp(t->secrets[i].s, s, n))
			break;
	/* four characters or more: shorter would mask ordinary text */
	if (i == t->nsecrets && n >= 4 && t->nsecrets < TARGET_MAX_SECRETS &&
	    !arena_grow(&t->arena, (void **)&t->secrets, &t->csecrets, t->nsecrets + 1, sizeof(*t->secrets))) {
		char *c = arena_strndup(&t->arena, s, n);
		if (c)
			t->secrets[t->nsecrets++] = (struct target_secret){c, n, keep};
	}
	return arena_printf(&t->arena, "%.*s****", (int)keep, s);
}

struct str target_unsecret(struct target *t, struct str line)
{
	struct buf b = BUF_INIT;
	size_t i, pos = 0;
	bool any = false;
	char *out;

	for (i = 0; i < t->nsecrets && !any; i++)
		any = memmem(line.p, line.n, t->secrets[i].s, t->secrets[i].n) != NULL;
	if (!any)
		return line;
	while (pos < line.n) {
		const struct target_secret *best = NULL;
		const char *hit = NULL;
		for (i = 0; i < t->nsecrets; i++) {
			const char *h = memmem(line.p + pos, line.n - pos, t->secrets[i].s, t->secrets[i].n);
			if (h && (!hit || h < hit || (h == hit && t->secrets[i].n > best->n))) {
				hit = h;
				best = &t->secrets[i];
			}
		}
		if (!hit) {
			buf_add(&b, line.p + pos, line.n - pos);
			break;
		}
		buf_add(&b, line.p + pos, (size_t)(hit - line.p) - pos);
		buf_add(&b, best->s, best->keep);
		buf_adds(&b, "****");
		pos = (size_t)(hit - line.p) + best->n;
	}
	out = buf_ok(&b) ? arena_strndup(&t->arena, buf_str(&b), b.n) : NULL;
	i = b.n;
	buf_release(&b);
	return out ? str_make(out, i) : str_make("****", 4); /* out of memory: never the secret */
}

void target_release(struct target *t)
{
	arena_release(&t->arena);
	ds_free(t->data);
	t->data = NULL;
	t->findings = NULL;
	t->nfindings = t->cap = 0;
	t->secrets = NULL;
	t->nsecrets = t->csecrets = 0;
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
	struct target_secret *ns = NULL;
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
	if (t->nsecrets) {
		if (!(ns = arena_array(&na, t->nsecrets, sizeof(*ns))))
			goto nomem;
		for (i = 0; i < t->nsecrets; i++) {
			ns[i] = t->secrets[i];
			if (!(ns[i].s = arena_strndup(&na, t->secrets[i].s, t->secrets[i].n)))
				goto nomem;
		}
	}
	arena_release(&t->arena);
	t->arena = na;
	t->secrets = ns;
	t->csecrets = t->nsecrets;
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
