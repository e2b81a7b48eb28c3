/*
 * match.c - an inventory against the vulnerability database (see
 * vulndb.h).
 *
 * OSV's evaluation, per range: the events sorted by version ("0" before
 * everything), then walked - introduced at or below the version turns
 * "affected" on, fixed at or below it turns it off, last_affected below
 * it turns it off. The version is affected when any range or the
 * `versions` list says so. Ordering is the ecosystem's own: a Debian
 * version with a backported fix (1.2.3-1+deb12u1) compared as dpkg does,
 * never as a plain number. Where docksec has no ordering for an ecosystem
 * (Maven, RubyGems for now) only the exact `versions` list is used and
 * the range is counted as unjudged, so the report can say so instead of
 * passing silently. GIT ranges name commits and are counted, not judged.
 *
 * The version to upgrade to is the lowest fixed event above the
 * installed version in the range that affects it.
 */
#include "vulndb.h"
#include "../image/langpkg.h"
#include "../image/version/version.h"
#include <jansson.h>

typedef int (*cmp_fn)(const char *, const char *);

static const struct {
	const char *base;
	cmp_fn cmp;
} schemes[] = {
	{"Debian", ver_dpkg_cmp},      {"Ubuntu", ver_dpkg_cmp},      {"Alpine", ver_apk_cmp},
	{"Wolfi", ver_apk_cmp},	       {"Chainguard", ver_apk_cmp},   {"AlmaLinux", ver_rpm_cmp},
	{"Rocky Linux", ver_rpm_cmp},  {"Red Hat", ver_rpm_cmp},      {"Mariner", ver_rpm_cmp},
	{"Azure Linux", ver_rpm_cmp},  {"openSUSE", ver_rpm_cmp},     {"SUSE", ver_rpm_cmp},
	{"Photon OS", ver_rpm_cmp},    {"PyPI", ver_pep440_cmp},      {"npm", ver_semver_cmp},
	{"Go", ver_semver_cmp},	       {"crates.io", ver_semver_cmp}, {"Hex", ver_semver_cmp},
	{"Pub", ver_semver_cmp},       {"Maven", NULL},		      {"RubyGems", NULL},
};

static cmp_fn scheme_of(const char *eco)
{
	size_t i, n = strcspn(eco, ":");

	for (i = 0; i < DS_ARRAY_SIZE(schemes); i++)
		if (strlen(schemes[i].base) == n && !strncmp(eco, schemes[i].base, n))
			return schemes[i].cmp;
	return NULL;
}

struct ev {
	const char *kind, *v;
};

static cmp_fn sort_cmp;
static int by_version(const void *x, const void *y)
{
	const struct ev *a = x, *b = y;
	bool za = !strcmp(a->v, "0") && !strcmp(a->kind, "introduced"),
	     zb = !strcmp(b->v, "0") && !strcmp(b->kind, "introduced");

	if (za || zb)
		return zb - za;
	return sort_cmp(a->v, b->v);
}

/* One range's verdict: 1 affected (fixed set), 0 not. */
static int in_range(struct arena *a, cmp_fn cmp, json_t *events, const char *version, const char **fixed)
{
	struct ev *ev;
	size_t n = json_array_size(events), i, k = 0;
	bool affected = false;
	size_t from = 0;

	if (!n || !(ev = arena_alloc(a, n * sizeof(*ev))))
		return 0;
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(events, i);
		const char *kind = json_string_value(json_array_get(e, 0)), *v = json_string_value(json_array_get(e, 1));
		if (kind && v && strcmp(kind, "limit"))
			ev[k++] = (struct ev){kind, v};
	}
	sort_cmp = cmp; /* qsort has no context argument; matching runs on one thread */
	qsort(ev, k, sizeof(*ev), by_version);
	for (i = 0; i < k; i++) {
		bool zero = !strcmp(ev[i].v, "0");
		if (!strcmp(ev[i].kind, "introduced")) {
			if ((zero || cmp(version, ev[i].v) >= 0) && !affected) {
				affected = true;
				from = i;
			}
		} else if (!strcmp(ev[i].kind, "fixed")) {
			if (cmp(version, ev[i].v) >= 0)
				affected = false;
		} else if (!strcmp(ev[i].kind, "last_affected")) {
			if (cmp(version, ev[i].v) > 0)
				affected = false;
		}
	}
	if (!affected)
		return 0;
	*fixed = NULL;
	for (i = from; i < k; i++) {
		if (!strcmp(ev[i].kind, "fixed") && cmp(ev[i].v, version) > 0) {
			*fixed = ev[i].v;
			break;
		}
		if (!strcmp(ev[i].kind, "last_affected") && cmp(ev[i].v, version) >= 0)
			break; /* affected up to a release; no fix named */
	}
	return 1;
}

int vdb_affects(struct arena *a, const char *ecosystem, const char *ranges, const char *version, const char **fixed,
		struct vdb_match_stats *st)
{
	json_t *j = json_loads(ranges, 0, NULL), *r, *x;
	cmp_fn cmp = scheme_of(ecosystem);
	size_t i;
	int verdict = 0;
	bool unjudged = false;

	*fixed = NULL;
	if (!j)
		return 0;
	json_array_foreach(json_object_get(j, "v"), i, x) {
		if (json_is_string(x) && !strcmp(json_string_value(x), version)) {
			verdict = 1;
			break;
		}
	}
	json_array_foreach(json_object_get(j, "r"), i, r) {
		const char *type = json_string_value(json_array_get(r, 0));
		const char *f = NULL;
		cmp_fn c = type && !strcmp(type, "SEMVER") ? ver_semver_cmp : cmp;
		if (!type || !strcmp(type, "GIT")) {
			if (st)
				st->git_ranges++;
			continue;
		}
		if (!c) {
			unjudged = true;
			continue;
		}
		if (in_range(a, c, json_array_get(r, 1), version, &f)) {
			if (!verdict || (f && (!*fixed || c(f, *fixed) < 0)))
				*fixed = f;
			verdict = 1;
		}
	}
	if (*fixed && !(*fixed = arena_strdup(a, *fixed)))
		verdict = 0; /* out of memory: reported by the caller's next allocation */
	json_decref(j);
	if (!verdict && unjudged) {
		if (st)
			st->unordered++;
		return -1;
	}
	return verdict;
}

/* ---- the inventory ---- */

static const char *major(struct arena *a, const char *v, int parts)
{
	size_t n = 0;
	int seen = 0;

	if (!v || !(*v >= '0' && *v <= '9'))
		return NULL;
	while (v[n] && seen < parts) {
		n += strspn(v + n, "0123456789");
		if (v[n] != '.' || ++seen == parts)
			break;
		n++;
	}
	return arena_strndup(a, v, n);
}

const char *vdb_os_ecosystem(struct arena *a, const struct img_os *os)
{
	const char *id = os->id, *v = os->version_id, *m;

	if (!id)
		return NULL;
	if (!strcmp(id, "debian"))
		return (m = major(a, v, 1)) ? arena_printf(a, "Debian:%s", m) : NULL;
	if (!strcmp(id, "ubuntu"))
		return (m = major(a, v, 2)) ? arena_printf(a, "Ubuntu:%s", m) : NULL;
	if (!strcmp(id, "alpine"))
		return (m = major(a, v, 2)) ? arena_printf(a, "Alpine:v%s", m) : NULL;
	if (!strcmp(id, "almalinux"))
		return (m = major(a, v, 1)) ? arena_printf(a, "AlmaLinux:%s", m) : NULL;
	if (!strcmp(id, "rocky"))
		return (m = major(a, v, 1)) ? arena_printf(a, "Rocky Linux:%s", m) : NULL;
	if (!strcmp(id, "mariner"))
		return (m = major(a, v, 2)) ? arena_printf(a, "Mariner:%s", m) : NULL;
	if (!strcmp(id, "azurelinux"))
		return (m = major(a, v, 2)) ? arena_printf(a, "Azure Linux:%s", m) : NULL;
	if (!strcmp(id, "photon"))
		return (m = major(a, v, 2)) ? arena_printf(a, "Photon OS:%s", m) : NULL;
	if (!strcmp(id, "wolfi"))
		return "Wolfi";
	if (!strcmp(id, "chainguard"))
		return "Chainguard";
	return NULL;
}

/* Do this OS's records name source packages (Debian, Ubuntu, Alpine's
 * origin) rather than binary ones (the rpm family)? */
static bool by_source(const char *eco)
{
	return !strncmp(eco, "Debian:", 7) || !strncmp(eco, "Ubuntu:", 7) || !strncmp(eco, "Alpine:", 7);
}

static const char *lang_ecosystem(const char *type)
{
	static const char *const t[][2] = {{"pypi", "PyPI"}, {"npm", "npm"},	   {"gem", "RubyGems"},
					   {"golang", "Go"}, {"maven", "Maven"}, {"cargo", "crates.io"}};
	size_t i;

	for (i = 0; type && i < DS_ARRAY_SIZE(t); i++)
		if (!strcmp(type, t[i][0]))
			return t[i][1];
	return NULL;
}

struct mctx {
	struct vdb *db;
	struct arena *a;
	const struct img_pkg *pkg;
	const char *eco, *name, *version;
	struct vdb_hit **out;
	size_t *n, cap;
	struct vdb_match_stats *st;
	struct ds_err *err;
	int rc;
};

static int on_row(void *ud, const struct vdb_row *r)
{
	struct mctx *m = ud;
	const char *fixed = NULL;
	struct vdb_hit *h;
	size_t i;
	int sev = SEV_MEDIUM, v;

	if ((v = vdb_affects(m->a, m->eco, r->ranges, m->version, &fixed, m->st)) != 1)
		return 0;
	for (i = 0; i < *m->n; i++) { /* one hit per record and package, however many entries name it */
		h = &(*m->out)[i];
		if (h->pkg == m->pkg && !strcmp(h->id, r->id))
			return 0;
	}
	if (*m->n >= VDB_MAX_HITS) {
		m->rc = ds_err_set(m->err, DS_ELIMIT, NULL, 0, 0, "more than %d vulnerabilities in one image", VDB_MAX_HITS);
		return 1;
	}
	if (arena_grow(m->a, (void **)m->out, &m->cap, *m->n + 1, sizeof(**m->out))) {
		m->rc = ds_oom(m->err);
		return 1;
	}
	h = &(*m->out)[*m->n];
	memset(h, 0, sizeof(*h));
	h->pkg = m->pkg;
	h->ecosystem = m->eco;
	h->name = m->name;
	h->version = m->version;
	h->id = arena_strdup(m->a, r->id);
	h->summary = r->summary ? arena_strdup(m->a, r->summary) : NULL;
	h->fixed = fixed ? arena_strdup(m->a, fixed) : NULL;
	h->rated = r->severity && !sev_parse(r->severity, &sev);
	h->sev = h->rated ? (enum ds_sev)sev : SEV_MEDIUM;
	h->score = r->score;
	h->vector = r->vector ? arena_strdup(m->a, r->vector) : NULL;
	h->refs = r->refs ? arena_strdup(m->a, r->refs) : NULL;
	if (!h->id || (m->rc = vdb_aliases(m->db, m->a, r->id, &h->aliases, &h->naliases, m->err))) {
		m->rc = m->rc ? m->rc : ds_oom(m->err);
		return 1;
	}
	(*m->n)++;
	return 0;
}

static int query(struct mctx *m, const struct img_pkg *p, const char *eco, const char *name, const char *version)
{
	int rc;

	if (!name || !version)
		return 0;
	m->pkg = p;
	m->eco = eco;
	m->name = name;
	m->version = version;
	m->st->queried++;
	if ((rc = vdb_lookup(m->db, eco, name, on_row, m, m->err)))
		return rc;
	return m->rc;
}

static int by_hit(const void *x, const void *y)
{
	const struct vdb_hit *a = x, *b = y;
	int c;

	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (!a->fixed != !b->fixed)
		return a->fixed ? -1 : 1; /* fixable first */
	if ((c = strcmp(a->pkg->name, b->pkg->name)))
		return c;
	return strcmp(a->id, b->id);
}

int vdb_match(struct vdb *db, struct arena *a, const struct img_inventory *inv, struct vdb_hit **out, size_t *n,
	      struct vdb_match_stats *st, struct ds_err *err)
{
	struct mctx m = {db, a, NULL, NULL, NULL, NULL, out, n, 0, st, err, 0};
	const char *os_eco = vdb_os_ecosystem(a, &inv->os);
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	memset(st, 0, sizeof(*st));
	st->os_ecosystem = os_eco;
	for (i = 0; i < inv->npkgs; i++) {
		const struct img_pkg *p = &inv->pkgs[i];
		bool src = os_eco && by_source(os_eco) && p->source;
		if (!os_eco) {
			st->no_ecosystem++;
			continue;
		}
		if ((rc = query(&m, p, os_eco, src ? p->source : p->name,
				src && p->source_version ? p->source_version : p->version)))
			return rc;
		if (!strncmp(os_eco, "Ubuntu:", 7) &&
		    (rc = query(&m, p, arena_printf(a, "%s:LTS", os_eco), src ? p->source : p->name,
				src && p->source_version ? p->source_version : p->version)))
			return rc;
	}
	for (i = 0; i < inv->nlang; i++) {
		const struct img_pkg *p = &inv->lang[i];
		const char *eco = lang_ecosystem(p->type);
		if (!eco) {
			st->no_ecosystem++;
			continue;
		}
		if ((rc = query(&m, p, eco, !strcmp(eco, "PyPI") ? vdb_pypi_name(a, p->name) : p->name, p->version)))
			return rc;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), by_hit);
	return 0;
}
