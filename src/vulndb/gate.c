/*
 * gate.c - the vulnerability rules: an image's matches (match.c) judged
 * against the whitelists (allow.c) and turned into findings, so the gate
 * (--fail-on), the ignores and every report format work as for any rule.
 *
 * One rule for every vulnerability (VULN-PACKAGE) whose findings carry
 * the record's own severity rather than the row's; the record id, its
 * aliases, the installed and fixed versions are in the message and, in
 * full, in the JSON report's "vulnerabilities". A whitelisted match is
 * not a finding (it is listed with the entry that covers it); an expired
 * entry that would have covered one is a VULN-WHITELIST-EXPIRED finding
 * of its own, at info, beside the vulnerability it no longer hides.
 */
#include "gate.h"

/* A finding about h's package; sev replaces the row's severity unless the
 * configuration overrode it (record_sev: VULN-PACKAGE). */
static void add(struct vdb_gate *g, const struct rule *r, const struct vdb_hit *h, bool record_sev, const char *msg)
{
	struct target *t = g->t;
	size_t before = t->nfindings;
	const struct img_pkg *p = h->pkg;
	struct finding *f;

	if (!msg || target_add(t, r, 0, 0, 0, 0, NULL, "%s", msg)) {
		g->rc = DS_ENOMEM;
		return;
	}
	if (t->nfindings == before)
		return; /* ignored by the configuration */
	f = &t->findings[t->nfindings - 1];
	if (record_sev && f->severity == r->severity)
		f->severity = h->sev;
	f->loc.kind = LOC_PACKAGE;
	f->loc.file = t->path;
	f->loc.image = g->im->ref;
	f->loc.purl = img_purl(&t->arena, g->inv, p);
	f->loc.path = p->path ? p->path : g->inv->pkg_db;
	if (p->layer < g->im->nlayers) {
		f->loc.layer = g->im->layers[p->layer]->digest;
		f->context = img_layer_context(&t->arena, g->im, p->layer);
	}
}

static const char *aliases(struct arena *a, const struct vdb_hit *h)
{
	struct buf b = BUF_INIT;
	const char *s;
	size_t i;

	for (i = 0; i < h->naliases && i < 6; i++)
		buf_addf(&b, "%s%s", i ? ", " : " (", h->aliases[i]);
	if (h->naliases > 6)
		buf_addf(&b, ", +%zu", h->naliases - 6);
	if (h->naliases)
		buf_addc(&b, ')');
	s = buf_ok(&b) ? arena_strndup(a, b.p ? b.p : "", b.n) : NULL;
	buf_release(&b);
	return s;
}

static void r_vuln(void *ctx, const struct rule *r)
{
	struct vdb_gate *g = ctx;
	struct arena *a = &g->t->arena;
	size_t i;

	for (i = 0; i < g->nhits && !g->rc; i++) {
		const struct vdb_hit *h = &g->hits[i];
		const struct img_pkg *p = h->pkg;
		const char *src = p->source && strcmp(h->name, p->name)
					  ? arena_printf(a, " (source %s %s)", h->name, h->version)
					  : "";
		/* rated by the distribution: the CVSS score it overrode is shown too */
		const char *by = h->rated && h->severity_from && strncmp(h->severity_from, "CVSS_", 5) && h->score >= 0
					 ? arena_printf(a, " (the distribution's rating; CVSS %.1f)", h->score)
					 : "";
		if (g->allowed[i])
			continue;
		add(g, r, h, true,
		    arena_printf(a, "%s%s in %s %s%s: %s%s%s%s%s%s", h->id, aliases(a, h), p->name, p->version, src,
				 h->fixed ? "fixed in " : "no fixed version yet", h->fixed ? h->fixed : "",
				 h->rated ? "" : " (severity not rated; counted as medium)", by ? by : "",
				 h->summary ? " - " : "", h->summary ? h->summary : ""));
	}
}

static void r_expired(void *ctx, const struct rule *r)
{
	struct vdb_gate *g = ctx;
	size_t i;

	for (i = 0; i < g->nhits && !g->rc; i++) {
		const struct vdb_allow *e = g->expired[i];
		if (!e || g->allowed[i])
			continue;
		add(g, r, &g->hits[i], false,
		    arena_printf(&g->t->arena, "%s in %s %s: the whitelist entry at %s:%d expired on %s", g->hits[i].id,
				 g->hits[i].pkg->name, g->hits[i].pkg->version, e->file, e->line, e->expires));
	}
}

const struct rule vdb_rules[] = {
	{"VULN-PACKAGE", SEV_CRITICAL, "vuln", "A package with a known vulnerability",
	 "A package installed in the image is in a version that a vulnerability record (OSV: the distribution's own "
	 "advisories, GHSA, the Go and PyPA databases) names as affected; anyone who reaches the vulnerable code can "
	 "use it. The severity shown is the record's own (its CVSS base score, else the distribution's rating).",
	 "Upgrade the package to the fixed version (rebuild on an updated base image, or apt-get/apk/dnf upgrade it in "
	 "the Dockerfile); where there is no fix yet, whitelist it with a reason and an expiry date after checking "
	 "that the vulnerable code is not reachable.",
	 REFS("cis:4.4", "docker-bench:4.4", "owasp:R9", "clair:vulnerability", "trivy:vuln"), r_vuln, NULL, 0},
	{"VULN-WHITELIST-EXPIRED", SEV_INFO, "vuln", "A whitelist entry past its expiry date",
	 "A whitelist entry says why a vulnerability is accepted and until when; after that date it no longer hides "
	 "the vulnerability, which is reported again, so the decision gets looked at again.",
	 "Fix the vulnerability, or review the entry and move its expiry date (with a reason) if the risk is still "
	 "accepted.",
	 REFS("cis:4.4", "docker-bench:4.4"), r_expired, NULL, 0},
};
const size_t vdb_rules_n = DS_ARRAY_SIZE(vdb_rules);

int vdb_gate_run(struct vdb_gate *g)
{
	size_t i;

	if (g->nhits) {
		g->allowed = arena_alloc(&g->t->arena, g->nhits * sizeof(*g->allowed));
		g->expired = arena_alloc(&g->t->arena, g->nhits * sizeof(*g->expired));
		if (!g->allowed || !g->expired)
			return DS_ENOMEM;
	}
	for (i = 0; g->allow && i < g->nhits; i++) { /* without whitelists both stay NULL (zeroed) */
		const struct img_pkg *p = g->hits[i].pkg;
		const char *purl = g->allow->scoped ? img_purl(&g->t->arena, g->inv, p) : NULL;
		g->allowed[i] = vdb_allow_find(g->allow, g->im->ref, purl, p->path ? p->path : g->inv->pkg_db, &g->hits[i],
					       &g->expired[i]);
	}
	for (i = 0; i < vdb_rules_n && !g->rc; i++)
		vdb_rules[i].fn(g, &vdb_rules[i]);
	return g->rc;
}
