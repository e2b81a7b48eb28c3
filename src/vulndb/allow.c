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
 *     `vulnerabilities: [{id, statement, expired_at}]`.
 * An entry past its expiry date stops counting and is reported as expired
 * (the date is the last day it counts). Entries match a finding by its id
 * or any alias, case-insensitively.
 */
#include "vulndb.h"
#include "../container/yaml.h"

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

static struct vdb_allow *add(struct vdb_allowlist *l, struct arena *a, const char *file, int line, const char *id)
{
	struct vdb_allow *e;

	if (l->n >= 1000000 || arena_grow(a, (void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return NULL;
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->file = file;
	e->line = line;
	return e;
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
				return ds_oom(err);
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
			return ds_oom(y->err);
		e->image = image;
		e->reason = yd_is_scalar(pv[i].v) ? yd_str(y, pv[i].v) : NULL;
		expire(e, today);
	}
	return 0;
}

/* The scalar fields of an entry mapping, by the names in keys (what
 * describes the entry for messages): f[i] the value of keys[i] or NULL.
 * Any other key is an error. */
static int fields(struct yd *y, yaml_node_t *n, const char *const *keys, size_t nkeys, const char **f, const char *what)
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
		if (!yd_is_scalar(pv[i].v) || !(f[k] = yd_str(y, pv[i].v)))
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

	if ((rc = fields(y, n, keys, 5, f, "id, reason, expires, package, image")))
		return rc;
	if (!valid_id(f[0]))
		return yd_bad(y, n, "an \"id\" naming a vulnerability (CVE-2024-1234, GHSA-..., DSA-...)");
	if (!f[1] || !*f[1])
		return yd_bad(y, n, "a \"reason\" saying why %s is accepted", f[0]);
	if (f[2] && !valid_date(f[2]))
		return yd_bad(y, n, "\"expires\" as YYYY-MM-DD");
	if (!(e = add(l, y->a, y->path, yd_src(n).line, f[0])))
		return ds_oom(y->err);
	e->reason = f[1];
	e->expires = f[2];
	e->package = f[3];
	e->image = f[4];
	expire(e, today);
	return 0;
}

/* Trivy's .trivyignore.yaml: vulnerabilities: [{id, statement, expired_at}]
 * (its misconfigurations, secrets and licenses sections are not about
 * vulnerabilities and are left alone). An entry scoped by purls or paths
 * is refused: counting it for every package would accept more than it says. */
static int trivy_yaml(struct yd *y, struct vdb_allowlist *l, yaml_node_t *list, const char *today)
{
	size_t i, k;

	if (yd_is_null(list))
		return 0;
	if (!yd_is_seq(list))
		return yd_bad(y, list, "a list of {id, statement, expired_at}");
	for (i = 0; i < yd_len(list); i++) {
		static const char *const keys[] = {"id", "statement", "expired_at"};
		yaml_node_t *n = yd_item(y, list, i);
		const char *f[3] = {0};
		struct vdb_allow *e;
		int rc;
		for (k = 0; k < 2; k++)
			if (yd_is_map(n) && yd_get(y, n, k ? "paths" : "purls"))
				return yd_bad(y, yd_get(y, n, k ? "paths" : "purls"),
					      "no %s: docksec scopes an entry by package (its own format's package:)",
					      k ? "paths" : "purls");
		if ((rc = fields(y, n, keys, 3, f, "id, statement, expired_at")))
			return rc;
		if (!valid_id(f[0]))
			return yd_bad(y, n, "an \"id\" naming a vulnerability");
		if (f[2] && !valid_date(f[2]))
			return yd_bad(y, n, "\"expired_at\" as YYYY-MM-DD");
		if (!(e = add(l, y->a, y->path, yd_src(n).line, f[0])))
			return ds_oom(y->err);
		e->reason = f[1] ? f[1] : "in .trivyignore.yaml";
		e->expires = f[2];
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

int vdb_allow_load(struct vdb_allowlist *l, struct arena *a, const char *path, const char *text, size_t n,
		   const char *today, struct ds_err *err)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

	size_t bn = strlen(base);

	if (strstr(base, "trivyignore") && !(bn > 5 && (!strcmp(base + bn - 5, ".yaml") || !strcmp(base + bn - 4, ".yml"))))
		return trivyignore(l, a, path, text, n, today, err);
	return yaml_list(l, a, path, text, n, today, err);
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

static bool names(const struct vdb_allow *e, const struct vdb_hit *h)
{
	size_t i;

	if (!strcasecmp(e->id, h->id))
		return true;
	for (i = 0; i < h->naliases; i++)
		if (!strcasecmp(e->id, h->aliases[i]))
			return true;
	return false;
}

struct vdb_allow *vdb_allow_find(struct vdb_allowlist *l, const char *ref, const struct vdb_hit *h,
				 struct vdb_allow **expired)
{
	size_t i;

	*expired = NULL;
	for (i = 0; i < l->n; i++) {
		struct vdb_allow *e = &l->v[i];
		if (!names(e, h) || (e->image && !image_is(ref, e->image)) ||
		    (e->package && strcmp(e->package, h->pkg->name) && strcmp(e->package, h->name)))
			continue;
		if (e->expired) {
			*expired = e;
			continue;
		}
		e->used++;
		return e;
	}
	return NULL;
}
