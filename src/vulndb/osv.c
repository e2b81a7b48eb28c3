/*
 * osv.c - one OSV record (https://ossf.github.io/osv-schema/) into the
 * fields docksec stores (see vulndb.h).
 *
 * Severity, in the order a reader would trust it: the distribution's own
 * rating of its package - Ubuntu's priority (severity type "Ubuntu"), an
 * affected entry's urgency or severity (Debian's urgency; the most
 * severe of the entries') - since it judges the build it ships (Debian
 * rates "unimportant" what its configuration cannot reach, whatever the
 * CVSS score says); else a CVSS vector (the record's, else an affected
 * entry's) scored here, v4 over v3 over v2 - the newest the record gives,
 * as GitHub's advisories rate by it; else the database's own word
 * (GHSA's database_specific.severity); else the Red Hat family's summary
 * prefix ("Important: openssl security update"). The CVSS score and
 * vector are kept whichever rates the record, and where the rating came
 * from. A record with none is "not rated" and the gate counts it as
 * medium, so an unrated record never slips through a high threshold
 * unnoticed nor fails a low one silently - the report says which were
 * unrated.
 *
 * Ranges are kept in a line form of the record's own events, checked
 * here for shape (every event one of introduced/fixed/last_affected/limit
 * with a printable string) so matching reads them back without a JSON
 * parser: it runs for every affected entry of every installed package.
 */
#include "vulndb.h"
#include "../core/buf.h"
#include <jansson.h>

static const char *jstr(struct arena *a, json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_string(v) ? arena_strndup(a, json_string_value(v), json_string_length(v)) : NULL;
}

const char *vdb_pypi_name(struct arena *a, const char *name)
{
	size_t n = strlen(name), i, k = 0;
	char *s = arena_alloc(a, n + 1);

	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		char c = name[i];
		if (c == '-' || c == '_' || c == '.') {
			if (k && s[k - 1] == '-')
				continue;
			c = '-';
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		}
		s[k++] = c;
	}
	s[k] = 0;
	return s;
}

/* A database's severity word as a level: GHSA's LOW/MODERATE/HIGH/
 * CRITICAL, Debian's urgencies, Red Hat's Low/Moderate/Important/Critical. */
static int word_sev(const char *w, enum ds_sev *out)
{
	static const struct {
		const char *w;
		enum ds_sev s;
	} t[] = {{"critical", SEV_CRITICAL}, {"important", SEV_HIGH}, {"high", SEV_HIGH},   {"moderate", SEV_MEDIUM},
		 {"medium", SEV_MEDIUM},     {"low", SEV_LOW},	       {"negligible", SEV_INFO}, {"unimportant", SEV_INFO}};
	size_t i;

	if (!w)
		return -1;
	for (i = 0; i < DS_ARRAY_SIZE(t); i++)
		if (!strncasecmp(w, t[i].w, strlen(t[i].w)) &&
		    strchr("* :", w[strlen(t[i].w)])) { /* "high", "medium*", "Important: ..." */
			*out = t[i].s;
			return 0;
		}
	return -1;
}

/* The first valid CVSS vector of each version in a severity array, and
 * the first Ubuntu priority. */
static void cvss_of(json_t *arr, const char **v4, const char **v3, const char **v2, const char **ubuntu)
{
	static const struct {
		const char *type, *prefix;
	} ver[3] = {{"CVSS_V4", "CVSS:4.0/"}, {"CVSS_V3", "CVSS:3."}, {"CVSS_V2", ""}};
	const char **out[3] = {v4, v3, v2};
	size_t i, k;
	json_t *s;

	json_array_foreach(arr, i, s) {
		const char *type = json_string_value(json_object_get(s, "type")),
			   *score = json_string_value(json_object_get(s, "score"));
		enum ds_sev sev;
		if (type && score && !strcmp(type, "Ubuntu") && !*ubuntu && !word_sev(score, &sev))
			*ubuntu = score;
		for (k = 0; type && score && k < 3; k++)
			if (!strcmp(type, ver[k].type) && !*out[k] && !strncmp(score, ver[k].prefix, strlen(ver[k].prefix)) &&
			    strlen(score) < 300 && vdb_cvss_score(score) >= 0)
				*out[k] = score;
	}
}

static void severity(struct arena *a, json_t *j, struct vdb_record *r)
{
	const char *v4 = NULL, *v3 = NULL, *v2 = NULL, *ubuntu = NULL, *word = NULL, *from = NULL;
	json_t *aff = json_object_get(j, "affected"), *e;
	enum ds_sev s, cur, got;
	size_t i;

	cvss_of(json_object_get(j, "severity"), &v4, &v3, &v2, &ubuntu);
	json_array_foreach(aff, i, e) cvss_of(json_object_get(e, "severity"), &v4, &v3, &v2, &ubuntu);
	r->score = -1;
	if (v4 || v3 || v2) {
		r->vector = arena_strdup(a, v4 ? v4 : v3 ? v3 : v2);
		r->score = vdb_cvss_score(r->vector);
	}
	/* the distribution's own: Ubuntu's priority, else the most severe of
	 * the affected entries' words */
	if (ubuntu) {
		word = ubuntu;
		from = "Ubuntu";
	}
	for (i = 0; !ubuntu && i < json_array_size(aff); i++) {
		json_t *ent = json_array_get(aff, i), *es = json_object_get(ent, "ecosystem_specific"),
		       *ds = json_object_get(ent, "database_specific");
		const char *w;
		if (!(w = json_string_value(json_object_get(es, "urgency"))) &&
		    !(w = json_string_value(json_object_get(es, "severity"))) &&
		    !(w = json_string_value(json_object_get(ds, "severity"))))
			continue;
		if (!word_sev(w, &got) && (!word || word_sev(word, &cur) || got > cur)) {
			word = w;
			from = "ecosystem_specific";
		}
	}
	if (!word && r->score >= 0) {
		r->severity = sev_name(vdb_cvss_rating(r->score, !v4 && !v3));
		r->severity_from = v4 ? "CVSS_V4" : v3 ? "CVSS_V3" : "CVSS_V2";
		return;
	}
	if (!word && (word = json_string_value(json_object_get(json_object_get(j, "database_specific"), "severity"))))
		from = "database_specific.severity";
	if ((!word || word_sev(word, &s)) && r->summary && strchr(r->summary, ':')) {
		word = r->summary; /* "Important: kernel security update" */
		from = "summary";
	}
	if (word && !word_sev(word, &s)) {
		r->severity = sev_name(s);
		r->severity_from = from;
	}
}

static const char *const events[] = {"introduced", "fixed", "last_affected", "limit"};

/* A string docksec stores and shows: not empty, at most max bytes, no
 * control characters (ranges are stored line by line; ids reach
 * terminals). */
static bool clean(const char *v, size_t max)
{
	size_t n = v ? strlen(v) : 0, i;

	if (!n || n > max)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return false;
	return true;
}

/* An affected entry's ranges and versions as lines (see vulndb.h):
 * "R TYPE", then "i|f|l|m VERSION" per event in the record's order, and
 * "v VERSION" per listed version. -1: not of the schema's shape; -2: no
 * memory. */
static int ranges_of(struct arena *a, json_t *e, const char **out)
{
	json_t *r = json_object_get(e, "ranges"), *vs = json_object_get(e, "versions"), *rr, *x;
	struct buf b = BUF_INIT;
	size_t i, k, m;
	int rc = -1;

	if ((r && !json_is_array(r)) || (vs && !json_is_array(vs)))
		return -1;
	json_array_foreach(r, i, rr) {
		const char *type = json_string_value(json_object_get(rr, "type"));
		json_t *ev = json_object_get(rr, "events"), *one;
		if (!clean(type, 500) || !json_is_array(ev))
			goto out;
		buf_addf(&b, "R %s\n", type);
		json_array_foreach(ev, k, one) {
			bool found = false;
			if (!json_is_object(one) || json_object_size(one) != 1)
				goto out;
			for (m = 0; m < DS_ARRAY_SIZE(events); m++) {
				if ((x = json_object_get(one, events[m]))) {
					if (!clean(json_string_value(x), 500))
						goto out;
					buf_addf(&b, "%c %s\n", "iflm"[m], json_string_value(x));
					found = true;
				}
			}
			if (!found)
				goto out;
		}
	}
	json_array_foreach(vs, i, x) {
		if (!clean(json_string_value(x), 500))
			goto out;
		buf_addf(&b, "v %s\n", json_string_value(x));
	}
	if (!buf_ok(&b)) {
		rc = -2;
		goto out;
	}
	*out = arena_strndup(a, b.p ? b.p : "", b.n);
	rc = *out ? 0 : -2;
out:
	buf_release(&b);
	return rc;
}

static int add_alias(struct arena *a, struct vdb_record *r, size_t *cap, const char *s, const char *own)
{
	size_t i;

	if (!s || !*s || !strcmp(s, own))
		return 0;
	for (i = 0; i < r->naliases; i++)
		if (!strcmp(r->aliases[i], s))
			return 0;
	if (arena_grow(a, (void **)&r->aliases, cap, r->naliases + 1, sizeof(*r->aliases)) ||
	    !(r->aliases[r->naliases] = arena_strdup(a, s)))
		return -1;
	r->naliases++;
	return 0;
}

int vdb_osv_parse(struct arena *a, const char *what, const char *text, size_t n, struct vdb_record *r,
		  struct ds_err *err)
{
	static const char *const alias_keys[] = {"aliases", "upstream", "related"};
	json_error_t je;
	unsigned long refused;
	json_t *j, *aff, *e, *x;
	size_t i, k, acap = 0, fcap = 0;
	int rc = DS_EPARSE;
	const char *bad = NULL;

	memset(r, 0, sizeof(*r));
	if (n > VDB_MAX_RECORD)
		return ds_err_set(err, DS_ELIMIT, what, 0, 0, "an OSV record larger than %u MiB", VDB_MAX_RECORD >> 20);
	refused = ds_alloc_refused();
	if (!(j = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je)))
		return ds_alloc_refused() != refused /* jansson says "parse error" when it runs out */
			       ? ds_oom(err)
			       : ds_err_set(err, DS_EPARSE, what, je.line, je.column, "not an OSV record: %s", je.text);
	if (!json_is_object(j) || !(r->id = jstr(a, j, "id")) || !clean(r->id, 200)) {
		bad = "an object with a string \"id\"";
		goto out;
	}
	r->modified = jstr(a, j, "modified");
	r->published = jstr(a, j, "published");
	r->withdrawn = jstr(a, j, "withdrawn");
	if (!(r->summary = jstr(a, j, "summary")) && (r->summary = jstr(a, j, "details")))
		r->summary = arena_strndup(a, r->summary, strcspn(r->summary, "\r\n"));
	if (r->summary && strlen(r->summary) > 300)
		r->summary = arena_printf(a, "%.297s...", r->summary);
	for (k = 0; k < DS_ARRAY_SIZE(alias_keys); k++) {
		json_array_foreach(json_object_get(j, alias_keys[k]), i, x) {
			if (json_is_string(x) && clean(json_string_value(x), 200) &&
			    add_alias(a, r, &acap, json_string_value(x), r->id)) {
				rc = DS_ENOMEM;
				goto out;
			}
		}
	}
	{
		struct buf refs = BUF_INIT;
		json_array_foreach(json_object_get(j, "references"), i, x) {
			const char *u = json_string_value(json_object_get(x, "url"));
			if (i >= 8)
				break;
			if (clean(u, 499))
				buf_addf(&refs, "%s%s", refs.n ? "\n" : "", u);
		}
		r->refs = refs.n && buf_ok(&refs) ? arena_strndup(a, refs.p, refs.n) : NULL;
		if (!buf_ok(&refs))
			a->failed = true;
		buf_release(&refs);
	}
	aff = json_object_get(j, "affected");
	if (aff && !json_is_array(aff)) {
		bad = "\"affected\" to be an array";
		goto out;
	}
	if (json_array_size(aff) > VDB_MAX_AFFECTED) {
		rc = ds_err_set(err, DS_ELIMIT, what, 0, 0, "%s: more than %d affected entries", r->id, VDB_MAX_AFFECTED);
		goto done;
	}
	json_array_foreach(aff, i, e) {
		json_t *pkg = json_object_get(e, "package");
		struct vdb_affected *f;
		const char *eco = jstr(a, pkg, "ecosystem"), *name = jstr(a, pkg, "name");
		int r2;
		if (!pkg)
			continue; /* an entry for a git repository only */
		if (!clean(eco, 500) || !clean(name, 500)) {
			bad = "\"affected[].package\" with a string ecosystem and name";
			goto out;
		}
		if (arena_grow(a, (void **)&r->affected, &fcap, r->naffected + 1, sizeof(*r->affected))) {
			rc = DS_ENOMEM;
			goto out;
		}
		f = &r->affected[r->naffected];
		f->ecosystem = eco;
		f->name = !strcmp(eco, "PyPI") ? vdb_pypi_name(a, name) : name;
		if ((r2 = ranges_of(a, e, &f->ranges))) {
			if (r2 == -2) {
				rc = DS_ENOMEM;
				goto out;
			}
			bad = "\"affected[].ranges\" of {type, events: [{introduced|fixed|last_affected|limit: string}]}";
			goto out;
		}
		r->naffected++;
	}
	severity(a, j, r);
	rc = a->failed ? DS_ENOMEM : 0;
out:
	if (a->failed) /* a copy that failed reads as a missing field: say what it was */
		rc = DS_ENOMEM;
	if (rc == DS_ENOMEM)
		ds_oom(err);
	else if (rc)
		rc = ds_err_set(err, DS_EPARSE, what, 0, 0, "OSV record%s%s: expected %s", r->id ? " " : "",
				r->id ? r->id : "", bad ? bad : "an object");
done:
	json_decref(j);
	return rc;
}
