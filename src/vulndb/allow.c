/*
 * allow.c - whitelists for the vulnerability gate (see vulndb.h).
 *
 * Three formats, told apart by the file's name and top-level keys:
 *   - clair-scanner's YAML: `generalwhitelist: {ID: description}` and
 *     `images: {IMAGE: {ID: description}}` (an image section applies when
 *     the scanned reference is that name, with or without a tag);
 *   - docksec's YAML: `ignore: [{id, reason, expires, package, image}]`,
 *     where a reason is required, so a whitelist says why;
 *   - .trivyignore: an id per line, `#` comments, an optional
 *     `exp:YYYY-MM-DD` after the id; and .trivyignore.yaml's
 *     `vulnerabilities: [{id, statement, expired_at, purls, paths}]`,
 *     whose purls and paths narrow an entry to the packages with a
 *     matching package URL (as Trivy matches them: type, namespace and
 *     name, then the version, subpath and qualifiers the pattern has) and
 *     found at a matching path (doublestar globs, with {a,b}).
 * An entry past its expiry date stops counting and is reported as expired
 * (the date is the last day it counts). Entries match a finding by its id
 * or any alias, case-insensitively.
 */
#include "vulndb.h"
#include "../container/yaml.h"
#include <ctype.h>
#include <fnmatch.h>

#define SCOPE_MAX 256	       /* purls or paths (after {a,b} expansion) of one entry */
#define SCOPE_BYTES (4u << 20) /* what {a,b} expansion writes, all whitelists of the run */

static bool valid_date(const char *s)
{
	int y, m, d;
	char end;

	return s && strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= 31 && s[4] == '-' && s[7] == '-';
}

static bool valid_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n && n <= 200 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/+") == n;
}

#define ALLOW_MAX 1000000 /* entries of all whitelists of the run */

static struct vdb_allow *add(struct vdb_allowlist *l, struct arena *a, const char *file, int line, const char *id)
{
	struct vdb_allow *e;

	if (l->n >= ALLOW_MAX || arena_grow(a, (void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return NULL;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->file = file;
	e->line = line;
	return e;
}

/* Why add() gave nothing: the run's entries are all taken, or memory. */
static int add_failed(const struct vdb_allowlist *l, struct ds_err *err, const char *file, int line)
{
	if (l->n >= ALLOW_MAX)
		return ds_err_set(err, DS_ELIMIT, file, line, 1, "more than %d whitelist entries in all", ALLOW_MAX);
	return ds_oom(err);
}

static void expire(struct vdb_allow *e, const char *today)
{
	e->expired = e->expires && today && strcmp(e->expires, today) < 0;
}

static int trivyignore(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text, size_t n,
		       const char *today, struct ds_err *err)
{
	const char *p = text, *end = text + n;
	int line = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *e = nl ? nl : end, *q;
		const char *id, *exp = NULL;
		struct vdb_allow *x;
		size_t k;
		line++;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		if (p < e && *p != '#' && *p != '\r') {
			k = strcspn(p, " \t\r\n#");
			if (p + k > e)
				k = (size_t)(e - p);
			id = arena_strndup(a, p, k);
			for (q = p + k; q < e && *q != '#'; q++) {
				if (!strncmp(q, "exp:", 4) && (size_t)(e - q) >= 4) {
					size_t m = strcspn(q + 4, " \t\r\n#");
					exp = arena_strndup(a, q + 4, q + 4 + m > e ? (size_t)(e - q - 4) : m);
				}
			}
			if (!id)
				return ds_oom(err);
			if (!valid_id(id))
				return ds_err_set(err, DS_EPARSE, path, line, 1, "expected a vulnerability id, not '%.60s'", id);
			if (exp && !valid_date(exp))
				return ds_err_set(err, DS_EPARSE, path, line, 1, "expected exp:YYYY-MM-DD");
			if (!(x = add(l, a, path, line, id)))
				return add_failed(l, err, path, line);
			x->expires = exp;
			x->reason = "in .trivyignore";
			expire(x, today);
		}
		p = nl ? nl + 1 : end;
	}
	return a->failed ? ds_oom(err) : 0;
}

/* clair-scanner: {ID: description} under generalwhitelist or an image */
static int clair_map(struct yd *y, struct vdb_allowlist *l, yaml_node_t *map, const char *image, const char *today)
{
	struct yd_pair *pv;
	size_t np, i;
	int rc;

	if (yd_is_null(map))
		return 0;
	if (!yd_is_map(map))
		return yd_bad(y, map, "a mapping of vulnerability ids to descriptions");
	if ((rc = yd_pairs(y, map, &pv, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		struct vdb_allow *e;
		if (!pv[i].key || !valid_id(pv[i].key))
			return yd_bad(y, pv[i].k, "a vulnerability id as the key");
		if (!(e = add(l, y->a, y->path, yd_src(pv[i].k).line, pv[i].key)))
			return add_failed(l, y->err, y->path, yd_src(pv[i].k).line);
		e->image = image;
		e->reason = yd_is_scalar(pv[i].v) ? yd_str(y, pv[i].v) : NULL;
		expire(e, today);
	}
	return 0;
}

/* The scalar fields of an entry mapping, by the names in keys (what
 * describes the entry for messages): f[i] the value of keys[i] or NULL.
 * With seqs, a key's value may be a sequence instead: seqs[i] gets it.
 * Any other key is an error. */
static int fields(struct yd *y, yaml_node_t *n, const char *const *keys, size_t nkeys, const char **f, yaml_node_t **seqs,
		  const char *what)
{
	struct yd_pair *pv;
	size_t np, i, k;
	int rc;

	if (!yd_is_map(n))
		return yd_bad(y, n, "an entry {%s}", what);
	if ((rc = yd_pairs(y, n, &pv, &np)))
		return rc;
	for (i = 0; i < np; i++) {
		for (k = 0; k < nkeys && (!pv[i].key || strcmp(pv[i].key, keys[k])); k++)
			;
		if (k == nkeys)
			return yd_bad(y, pv[i].k, "one of %s", what);
		if (seqs && yd_is_seq(pv[i].v))
			seqs[k] = pv[i].v;
		else if (!yd_is_scalar(pv[i].v) || !(f[k] = yd_str(y, pv[i].v)))
			return y->err->code ? y->err->code : yd_bad(y, pv[i].v, "a string");
	}
	return 0;
}

static int own_entry(struct yd *y, struct vdb_allowlist *l, yaml_node_t *n, const char *today)
{
	static const char *const keys[] = {"id", "reason", "expires", "package", "image"};
	const char *f[5] = {0};
	struct vdb_allow *e;
	int rc;

	if ((rc = fields(y, n, keys, 5, f, NULL, "id, reason, expires, package, image")))
		return rc;
	if (!valid_id(f[0]))
		return yd_bad(y, n, "an \"id\" naming a vulnerability (CVE-2024-1234, GHSA-..., DSA-...)");
	if (!f[1] || !*f[1])
		return yd_bad(y, n, "a \"reason\" saying why %s is accepted", f[0]);
	if (f[2] && !valid_date(f[2]))
		return yd_bad(y, n, "\"expires\" as YYYY-MM-DD");
	if (!(e = add(l, y->a, y->path, yd_src(n).line, f[0])))
		return add_failed(l, y->err, y->path, yd_src(n).line);
	e->reason = f[1];
	e->expires = f[2];
	e->package = f[3];
	e->image = f[4];
	expire(e, today);
	return 0;
}

/* ---- purls and paths ---- */

struct purl {
	char buf[1024];
	char *type, *ns, *name, *version, *quals, *subpath;
};

static void pct_decode(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s == '%' && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
			char h[3] = {s[1], s[2], 0};
			*o++ = (char)strtol(h, NULL, 16);
			s += 2;
		} else {
			*o++ = *s;
		}
	}
	*o = 0;
}

static char *trim_slashes(char *s)
{
	size_t n;

	while (*s == '/')
		s++;
	for (n = strlen(s); n && s[n - 1] == '/'; n--)
		s[n - 1] = 0;
	return s;
}

/* Split a package URL into its parts (percent-decoded, the type in lower
 * case); false when it is not one. */
static bool purl_parse(const char *in, struct purl *u)
{
	char *p, *at, *slash, *c;

	memset(u, 0, sizeof(*u));
	if (!in || strlen(in) >= sizeof(u->buf) || strncasecmp(in, "pkg:", 4))
		return false;
	memcpy(u->buf, in, strlen(in) + 1);
	p = u->buf + 4;
	while (*p == '/')
		p++;
	if ((c = strchr(p, '#'))) {
		*c = 0;
		u->subpath = trim_slashes(c + 1);
		pct_decode(u->subpath);
	}
	if ((c = strchr(p, '?'))) {
		*c = 0;
		u->quals = c + 1;
	}
	if (!(slash = strchr(p, '/')) || slash == p)
		return false;
	*slash = 0;
	u->type = p;
	for (c = u->type; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	p = trim_slashes(slash + 1);
	if ((slash = strrchr(p, '/'))) {
		*slash = 0;
		u->ns = p;
		p = slash + 1;
	}
	if ((at = strrchr(p, '@'))) {
		*at = 0;
		u->version = at + 1;
		pct_decode(u->version);
	}
	u->name = p;
	if (!*u->name)
		return false;
	pct_decode(u->name);
	if (u->ns)
		pct_decode(u->ns);
	if (!strcmp(u->type, "pypi")) /* PyPI's names: no case, '_' is '-' */
		for (c = u->name; *c; c++)
			*c = *c == '_' ? '-' : (char)tolower((unsigned char)*c);
	return true;
}

/* The decoded value of qualifier key in a "k=v&k=v" list, in out. */
static bool qual_get(const char *quals, const char *key, size_t keylen, char *out, size_t outsz)
{
	const char *q = quals;

	while (q && *q) {
		size_t n = strcspn(q, "&"), k = strcspn(q, "=");
		if (k < n && k == keylen && !strncasecmp(q, key, k) && n - k - 1 < outsz) {
			memcpy(out, q + k + 1, n - k - 1);
			out[n - k - 1] = 0;
			pct_decode(out);
			return true;
		}
		q += n + (q[n] == '&');
	}
	return false;
}

bool vdb_purl_match(const char *pattern, const char *purl)
{
	struct purl want, got;
	const char *q;

	if (!purl_parse(pattern, &want) || !purl_parse(purl, &got))
		return false;
	if (strcmp(want.type, got.type) || strcmp(want.ns ? want.ns : "", got.ns ? got.ns : "") ||
	    strcmp(want.name, got.name) || (want.version && *want.version && (!got.version || strcmp(want.version, got.version))) ||
	    (want.subpath && *want.subpath && (!got.subpath || strcmp(want.subpath, got.subpath))))
		return false;
	for (q = want.quals; q && *q;) { /* every qualifier of the pattern, with its value */
		size_t n = strcspn(q, "&"), k = strcspn(q, "=");
		char a[512], b[512];
		if (k < n) {
			if (n - k - 1 >= sizeof(a))
				return false;
			memcpy(a, q + k + 1, n - k - 1);
			a[n - k - 1] = 0;
			pct_decode(a);
			if (!qual_get(got.quals, q, k, b, sizeof(b)) || strcmp(a, b))
				return false;
		}
		q += n + (q[n] == '&');
	}
	return true;
}

#define GLOB_SEGS 128

/* Split s (a copy, leading '/' dropped) into its segments; -1 when too many. */
static int segments(char *s, char **seg)
{
	int n = 0;

	while (*s == '/')
		s++;
	for (;;) {
		if (n == GLOB_SEGS)
			return -1;
		seg[n++] = s;
		if (!(s = strchr(s, '/')))
			return n;
		*s++ = 0;
	}
}

bool vdb_glob_match(const char *pattern, const char *path)
{
	char pb[4096], sb[4096], *ps[GLOB_SEGS], *ss[GLOB_SEGS];
	bool next[GLOB_SEGS + 1], cur[GLOB_SEGS + 1];
	int np, ns, i, j;

	if (!pattern || !path || strlen(pattern) >= sizeof(pb) || strlen(path) >= sizeof(sb))
		return false;
	memcpy(pb, pattern, strlen(pattern) + 1);
	memcpy(sb, path, strlen(path) + 1);
	if ((np = segments(pb, ps)) < 0 || (ns = segments(sb, ss)) < 0)
		return false;
	/* next[j]: pattern segments i+1.. match path segments j.. */
	for (j = 0; j <= ns; j++)
		next[j] = j == ns;
	for (i = np - 1; i >= 0; i--) {
		bool any = !strcmp(ps[i], "**");
		cur[ns] = any && next[ns];
		for (j = ns - 1; j >= 0; j--)
			cur[j] = any ? next[j] || cur[j + 1] : next[j + 1] && !fnmatch(ps[i], ss[j], 0);
		memcpy(next, cur, sizeof(cur));
	}
	return next[0];
}

/* Expand the {a,b} alternatives of a glob into l: 0, DS_EPARSE on
 * unbalanced braces or more than SCOPE_MAX patterns in all, DS_ELIMIT when
 * *spent (bytes written by expansions) would pass SCOPE_BYTES, DS_ENOMEM. */
static int brace_expand(struct arena *a, const char *g, const char ***l, size_t *n, size_t *cap, size_t *spent,
			int depth)
{
	const char *open = NULL, *p, *alt;
	int level = 0;

	if (depth > 8)
		return DS_EPARSE;
	for (p = g; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '{') {
			if (!level++)
				open = p;
		} else if (*p == '}') {
			if (!level--)
				return DS_EPARSE;
			if (!level)
				break;
		}
	}
	if (level)
		return DS_EPARSE;
	if (!open) {
		if (*n >= SCOPE_MAX)
			return DS_EPARSE;
		if (arena_grow(a, (void **)l, cap, *n + 1, sizeof(**l)))
			return DS_ENOMEM;
		(*l)[(*n)++] = g;
		return 0;
	}
	/* p is the matching '}': each top-level alternative in turn */
	for (alt = open + 1; alt <= p;) {
		const char *e = alt;
		int lv = 0;
		for (; e < p && (lv || *e != ','); e++) {
			if (*e == '\\' && e + 1 < p)
				e++;
			else if (*e == '{')
				lv++;
			else if (*e == '}')
				lv--;
		}
		size_t len = (size_t)(open - g) + (size_t)(e - alt) + strlen(p + 1) + 1;
		const char *one;
		int rc;
		if (len > SCOPE_BYTES - *spent)
			return DS_ELIMIT;
		*spent += len;
		one = arena_printf(a, "%.*s%.*s%s", (int)(open - g), g, (int)(e - alt), alt, p + 1);
		rc = one ? brace_expand(a, one, l, n, cap, spent, depth + 1) : DS_ENOMEM;
		if (rc)
			return rc;
		alt = e + 1;
	}
	return 0;
}

/* A sequence of purls or paths of a .trivyignore.yaml entry, checked. */
static int scope_list(struct yd *y, yaml_node_t *seq, bool purls, const char ***out, size_t *nout, size_t *spent)
{
	size_t i, cap = 0;

	for (i = 0; i < yd_len(seq); i++) {
		yaml_node_t *it = yd_item(y, seq, i);
		const char *v = yd_is_scalar(it) ? yd_str(y, it) : NULL;
		struct purl u;
		if (!v || !*v)
			return y->err->code ? y->err->code : yd_bad(y, it, purls ? "a package URL" : "a path glob");
		if (purls) {
			if (!purl_parse(v, &u))
				return yd_bad(y, it, "a package URL (pkg:TYPE/NAMESPACE/NAME@VERSION), as Trivy takes them");
			if (*nout >= SCOPE_MAX || arena_grow(y->a, (void **)out, &cap, *nout + 1, sizeof(**out)))
				return *nout >= SCOPE_MAX ? yd_bad(y, it, "at most %d purls", SCOPE_MAX) : ds_oom(y->err);
			(*out)[(*nout)++] = v;
		} else {
			const char *b = strchr(v, '['), *ok = b ? strchr(b + 1, ']') : v;
			int rc = ok && strlen(v) < 4096 ? brace_expand(y->a, v, out, nout, &cap, spent, 0) : DS_EPARSE;
			if (rc == DS_ENOMEM)
				return ds_oom(y->err);
			if (rc == DS_ELIMIT)
				return yd_bad(y, it, "path patterns whose {a,b} alternatives write at most %u MiB in all",
					      SCOPE_BYTES >> 20);
			if (rc)
				return yd_bad(y, it,
					      "a path glob (balanced [] and {}, at most %d patterns after {a,b} expansion)",
					      SCOPE_MAX);
		}
	}
	if (!*nout)
		return yd_bad(y, seq, "at least one %s", purls ? "package URL" : "path");
	return 0;
}

/* Trivy's .trivyignore.yaml: vulnerabilities: [{id, statement, expired_at,
 * purls, paths}] (its misconfigurations, secrets and licenses sections
 * are not about vulnerabilities and are left alone). */
static int trivy_yaml(struct yd *y, struct vdb_allowlist *l, yaml_node_t *list, const char *today)
{
	size_t i;

	if (yd_is_null(list))
		return 0;
	if (!yd_is_seq(list))
		return yd_bad(y, list, "a list of {id, statement, expired_at, purls, paths}");
	for (i = 0; i < yd_len(list); i++) {
		static const char *const keys[] = {"id", "statement", "expired_at", "purls", "paths"};
		yaml_node_t *n = yd_item(y, list, i), *seqs[5] = {0};
		const char *f[5] = {0};
		struct vdb_allow *e;
		int rc;
		if ((rc = fields(y, n, keys, 5, f, seqs, "id, statement, expired_at, purls, paths")))
			return rc;
		if (!valid_id(f[0]) || seqs[0])
			return yd_bad(y, n, "an \"id\" naming a vulnerability");
		if (f[2] && !valid_date(f[2]))
			return yd_bad(y, n, "\"expired_at\" as YYYY-MM-DD");
		if (seqs[1] || seqs[2] || (f[3] && !seqs[3]) || (f[4] && !seqs[4]))
			return yd_bad(y, n, "statement and expired_at as strings, purls and paths as lists");
		if (!(e = add(l, y->a, y->path, yd_src(n).line, f[0])))
			return add_failed(l, y->err, y->path, yd_src(n).line);
		e->reason = f[1] ? f[1] : "in .trivyignore.yaml";
		e->expires = f[2];
		if ((seqs[3] && (rc = scope_list(y, seqs[3], true, &e->purls, &e->npurls, &l->expanded))) ||
		    (seqs[4] && (rc = scope_list(y, seqs[4], false, &e->paths, &e->npaths, &l->expanded))))
			return rc;
		l->scoped = l->scoped || e->npurls || e->npaths;
		expire(e, today);
	}
	return 0;
}

static int yaml_list(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text, size_t n,
		     const char *today, struct ds_err *err)
{
	struct yd y;
	yaml_node_t *root, *g, *im, *ig;
	int rc;

	if ((rc = yd_open(&y, a, path, text, n, err)))
		return rc;
	if ((rc = yd_next(&y)) <= 0) {
		yd_close(&y);
		return rc < 0 ? (err->code ? err->code : DS_EPARSE) : 0; /* an empty file: no entries */
	}
	root = yd_root(&y);
	rc = 0;
	if (!yd_is_map(root)) {
		rc = yd_bad(&y, root, "a whitelist: generalwhitelist/images (clair-scanner) or ignore: [...] (docksec)");
		goto out;
	}
	g = yd_get(&y, root, "generalwhitelist");
	im = yd_get(&y, root, "images");
	ig = yd_get(&y, root, "ignore");
	if (!g && !im && !ig && (yd_get(&y, root, "vulnerabilities") || yd_get(&y, root, "misconfigurations") ||
				 yd_get(&y, root, "secrets") || yd_get(&y, root, "licenses"))) {
		rc = trivy_yaml(&y, l, yd_get(&y, root, "vulnerabilities"), today);
		goto out;
	}
	if (!g && !im && !ig) {
		rc = yd_bad(&y, root, "a whitelist: generalwhitelist/images (clair-scanner) or ignore: [...] (docksec)");
		goto out;
	}
	if (g && (rc = clair_map(&y, l, g, NULL, today)))
		goto out;
	if (im && !yd_is_null(im)) {
		struct yd_pair *pv;
		size_t np, i;
		if (!yd_is_map(im)) {
			rc = yd_bad(&y, im, "a mapping of image names to whitelists");
			goto out;
		}
		if ((rc = yd_pairs(&y, im, &pv, &np)))
			goto out;
		for (i = 0; i < np; i++)
			if ((rc = clair_map(&y, l, pv[i].v, pv[i].key, today)))
				goto out;
	}
	if (ig && !yd_is_null(ig)) {
		size_t i;
		if (!yd_is_seq(ig)) {
			rc = yd_bad(&y, ig, "a list of entries {id, reason, expires, package, image}");
			goto out;
		}
		for (i = 0; i < yd_len(ig); i++)
			if ((rc = own_entry(&y, l, yd_item(&y, ig, i), today)))
				goto out;
	}
out:
	yd_close(&y);
	return rc;
}

static int by_id(const void *x, const void *y, void *list)
{
	const struct vdb_allowlist *l = list;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = strcasecmp(l->v[i].id, l->v[j].id);

	return c ? c : (i > j) - (i < j);
}

int vdb_allow_load(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text, size_t n,
		   const char *today, struct ds_err *err)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	size_t bn = strlen(base);

	int rc;

	if (strstr(base, "trivyignore") && !(bn > 5 && (!strcmp(base + bn - 5, ".yaml") || !strcmp(base + bn - 4, ".yml"))))
		rc = trivyignore(l, a, path, text, n, today, err);
	else
		rc = yaml_list(l, a, path, text, n, today, err);
	/* the index by id, so a lookup costs a search, not a pass over every
	 * entry (rebuilt whatever rc: it always covers l->n entries) */
	l->byid = NULL;
	if (l->n) {
		size_t i;
		if (!(l->byid = arena_alloc(a, l->n * sizeof(*l->byid))))
			return rc ? rc : ds_oom(err);
		for (i = 0; i < l->n; i++)
			l->byid[i] = i;
		qsort_r(l->byid, l->n, sizeof(*l->byid), by_id, l);
	}
	return rc;
}

/* Does the scanned reference name this clair-scanner image section?
 * "debian" covers "debian:12" and "docker.io/library/debian:12". */
static bool image_is(const char *ref, const char *want)
{
	size_t n = strlen(want);
	const char *r = ref;

	if (!ref)
		return false;
	if (!strcmp(ref, want))
		return true;
	if (!strncmp(r, "docker.io/", 10))
		r += 10;
	if (!strncmp(r, "library/", 8) && !strchr(want, '/'))
		r += 8;
	return !strncmp(r, want, n) && (r[n] == 0 || r[n] == ':' || r[n] == '@');
}

/* Whether one of list matches s. */
static bool any_of(const char **list, size_t n, const char *s, bool (*match)(const char *, const char *))
{
	size_t i;

	for (i = 0; s && i < n; i++)
		if (match(list[i], s))
			return true;
	return false;
}

/* Whether entry e covers the package of h (its id is known to match). */
static bool covers(const struct vdb_allow *e, const char *ref, const char *purl, const char *path,
		   const struct vdb_hit *h)
{
	return (!e->image || image_is(ref, e->image)) &&
	       (!e->package || !strcmp(e->package, h->pkg->name) || !strcmp(e->package, h->name)) &&
	       (!e->npurls || any_of(e->purls, e->npurls, purl, vdb_purl_match)) &&
	       (!e->npaths || any_of(e->paths, e->npaths, path, vdb_glob_match));
}

/* Where the entries with this id start in the index (their run is in the
 * files' order). */
static size_t run_of(const struct vdb_allowlist *l, const char *id)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcasecmp(l->v[l->byid[mid]].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct vdb_allow *vdb_allow_find(struct vdb_allowlist *l, const char *ref, const char *purl, const char *path,
				 const struct vdb_hit *h, struct vdb_allow **expired)
{
	size_t k, j, i, live = SIZE_MAX, dead = SIZE_MAX;
	int pass;

	/* As a pass over the entries in the files' order would have it: the
	 * first live entry naming the hit (by id or alias) that covers its
	 * package, and the last expired one before it (or of all, when none
	 * is live); found in the runs of the id index, not by that pass. */
	*expired = NULL;
	for (pass = 0; l->byid && pass < 2; pass++)
		for (k = 0; k <= h->naliases; k++) {
			const char *id = k ? h->aliases[k - 1] : h->id;
			for (j = run_of(l, id); j < l->n && !strcasecmp(l->v[i = l->byid[j]].id, id) && i < live; j++) {
				if (l->v[i].expired == !pass || !covers(&l->v[i], ref, purl, path, h))
					continue;
				if (!pass) {
					live = i; /* pass 0: the first live one */
					break;
				}
				if (dead == SIZE_MAX || i > dead)
					dead = i; /* pass 1: the last expired one before it */
			}
		}
	if (dead != SIZE_MAX)
		*expired = &l->v[dead];
	if (live == SIZE_MAX)
		return NULL;
	l->v[live].used++;
	return &l->v[live];
}
