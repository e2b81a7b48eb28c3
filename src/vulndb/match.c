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
 * (Packagist, NuGet... for now) only the exact `versions` list is used and
 * the range is counted as unjudged, so the report can say so instead of
 * passing silently. GIT ranges name commits and are counted, not judged.
 *
 * The version to upgrade to is the lowest fixed event above the
 * installed version in the range that affects it.
 */
#include "vulndb.h"
#include "../image/langpkg.h"
#include "../image/version/version.h"

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
	{"Pub", ver_semver_cmp},       {"Maven", ver_maven_cmp},		      {"RubyGems", ver_gem_cmp},
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
	char kind; /* i f l */
	const char *v;
};

static cmp_fn sort_cmp;
static int by_version(const void *x, const void *y)
{
	const struct ev *a = x, *b = y;
	bool za = a->kind == 'i' && !strcmp(a->v, "0"), zb = b->kind == 'i' && !strcmp(b->v, "0");

	if (za || zb)
		return zb - za;
	return sort_cmp(a->v, b->v);
}

/* One range's verdict on its k events: 1 affected (fixed set), 0 not. */
static int in_range(cmp_fn cmp, struct ev *ev, size_t k, const char *version, const char **fixed)
{
	bool affected = false;
	size_t i, from = 0;

	sort_cmp = cmp; /* qsort has no context argument; matching runs on one thread */
	qsort(ev, k, sizeof(*ev), by_version);
	for (i = 0; i < k; i++) {
		if (ev[i].kind == 'i') {
			if ((!strcmp(ev[i].v, "0") || cmp(version, ev[i].v) >= 0) && !affected) {
				affected = true;
				from = i;
			}
		} else if (ev[i].kind == 'f') {
			if (cmp(version, ev[i].v) >= 0)
				affected = false;
		} else if (ev[i].kind == 'l') {
			if (cmp(version, ev[i].v) > 0)
				affected = false;
		}
	}
	if (!affected)
		return 0;
	*fixed = NULL;
	for (i = from; i < k; i++) {
		if (ev[i].kind == 'f' && cmp(ev[i].v, version) > 0) {
			*fixed = ev[i].v;
			break;
		}
		if (ev[i].kind == 'l' && cmp(ev[i].v, version) >= 0)
			break; /* affected up to a release; no fix named */
	}
	return 1;
}

int vdb_affects(struct arena *a, const char *ecosystem, const char *ranges, const char *version, const char **fixed,
		struct vdb_match_stats *st)
{
	cmp_fn cmp = scheme_of(ecosystem), c = NULL;
	struct ev evbuf[64], *ev = evbuf;
	char textbuf[4096], *text = textbuf, *p, *next;
	size_t k = 0, n, lines = 1, len = strlen(ranges);
	const char *type = NULL, *best = NULL;
	int verdict = 0;
	bool unjudged = false, git = false;

	*fixed = NULL;
	/* one writable copy with the newlines made NULs: events point into it
	 * (on the stack for the usual few lines; it runs for every entry) */
	for (p = (char *)ranges; *p; p++)
		lines += *p == '\n';
	if ((len >= sizeof(textbuf) && !(text = arena_alloc(a, len + 1))) ||
	    (lines > DS_ARRAY_SIZE(evbuf) && !(ev = arena_alloc(a, lines * sizeof(*ev)))))
		return 0;
	memcpy(text, ranges, len + 1);
	/* ranges end at the next "R" line or the end: judge each as it ends */
	for (p = text;; p = next) {
		bool end = !*p;
		n = strcspn(p, "\n");
		next = p[n] ? p + n + 1 : p + n; /* the last line may lack its newline */
		p[n] = 0;
		if (end || (n > 2 && p[0] == 'R' && p[1] == ' ')) {
			const char *f = NULL;
			if (type && git) {
				if (st)
					st->git_ranges++;
			} else if (type && !c) {
				unjudged = true;
			} else if (type && k && in_range(c, ev, k, version, &f)) {
				if (!verdict || (f && (!best || c(f, best) < 0)))
					best = f;
				verdict = 1;
			}
			if (end)
				break;
			type = p + 2;
			git = !strcmp(type, "GIT");
			c = !strcmp(type, "SEMVER") ? ver_semver_cmp : cmp;
			k = 0;
			continue;
		}
		if (n < 3 || p[1] != ' ')
			continue;
		if (p[0] == 'v') {
			if (!strcmp(p + 2, version))
				verdict = 1;
		} else if (p[0] == 'i' || p[0] == 'f' || p[0] == 'l') {
			ev[k++] = (struct ev){p[0], p + 2};
		}
	}
	if (best && !(*fixed = arena_strdup(a, best)))
		verdict = 0;
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
	size_t first; /* the current package's first hit */
	struct vdb_match_stats *st;
	struct ds_err *err;
	int rc;
};

/* "a\nb" (as stored) into a list: 0, or -1 when out of memory */
static int split_lines(struct arena *a, const char *s, const char ***out, size_t *nout)
{
	size_t n = 1, i;
	const char *p;

	*out = NULL;
	*nout = 0;
	if (!s || !*s)
		return 0;
	for (p = s; *p; p++)
		n += *p == '\n';
	if (!(*out = arena_alloc(a, n * sizeof(**out))))
		return -1;
	for (i = 0, p = s; i < n; i++) {
		size_t k = strcspn(p, "\n");
		if (!((*out)[i] = arena_strndup(a, p, k)))
			return -1;
		p += k + (p[k] == '\n');
	}
	*nout = n;
	return 0;
}

static int on_row(void *ud, const char *id, const char *ranges)
{
	struct mctx *m = ud;
	const char *fixed = NULL;
	struct vdb_row r;
	struct vdb_hit *h;
	size_t i;
	int sev = SEV_MEDIUM, v;

	if ((v = vdb_affects(m->a, m->eco, ranges, m->version, &fixed, m->st)) != 1)
		return 0;
	for (i = m->first; i < *m->n; i++) /* one hit per record and package, however many entries name it */
		if ((*m->out)[i].pkg == m->pkg && !strcmp((*m->out)[i].id, id))
			return 0;
	if (*m->n >= VDB_MAX_HITS) {
		m->rc = ds_err_set(m->err, DS_ELIMIT, NULL, 0, 0, "more than %d vulnerabilities in one image", VDB_MAX_HITS);
		return 1;
	}
	if ((m->rc = vdb_record(m->db, id, &r, m->err)))
		return 1;
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
	h->id = arena_strdup(m->a, id);
	h->summary = r.summary ? arena_strdup(m->a, r.summary) : NULL;
	h->fixed = fixed;
	h->rated = r.severity && !sev_parse(r.severity, &sev);
	h->sev = h->rated ? (enum ds_sev)sev : SEV_MEDIUM;
	h->score = r.score;
	h->vector = r.vector ? arena_strdup(m->a, r.vector) : NULL;
	h->severity_from = h->rated && r.severity_from ? arena_strdup(m->a, r.severity_from) : NULL;
	if (!h->id || split_lines(m->a, r.aliases, &h->aliases, &h->naliases) ||
	    split_lines(m->a, r.refs, &h->refs, &h->nrefs)) {
		m->rc = ds_oom(m->err);
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
	m->first = *m->n;
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
	struct mctx m = {db, a, NULL, NULL, NULL, NULL, out, n, 0, 0, st, err, 0};
	const char *os_eco = vdb_os_ecosystem(a, &inv->os);
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	memset(st, 0, sizeof(*st));
	st->os_ecosystem = os_eco;
	for (i = 0; i < inv->npkgs; i++) {
		const struct img_pkg *p = inv->pkgs[i];
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
		const struct img_pkg *p = inv->lang[i];
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
