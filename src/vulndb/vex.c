/*
 * vex.c - an image's vulnerabilities as CycloneDX 1.5 "vulnerabilities"
 * (see gate.h), for the SBOM docksec writes with -f cyclonedx --vulns.
 *
 * Each match is one entry affecting the component's bom-ref, with its
 * aliases as references, its rating (CVSS method and vector when the
 * record had one, else the database's word, else "unknown") and the
 * version to upgrade to as the recommendation. A whitelisted match is
 * stated in VEX terms: analysis state "exploitable" with the response
 * "will_not_fix" and the entry's reason and expiry as the detail - a
 * whitelist accepts a risk, it does not assert the image is unaffected.
 * A match whose entry expired is "in_triage" again. The others carry no
 * analysis: nothing has been decided about them.
 */
#include "gate.h"
#include "../core/report.h"
#include "../image/sbom.h"

/* The publisher of a record, by its id's prefix. */
static const char *source_of(const char *id)
{
	static const char *const t[][2] = {
		{"CVE-", "NVD"},	  {"GHSA-", "GitHub"},	    {"GO-", "Go Vulnerability Database"},
		{"PYSEC-", "PyPA"},	  {"DSA-", "Debian"},	    {"DLA-", "Debian"},
		{"DTSA-", "Debian"},	  {"USN-", "Ubuntu"},	    {"UBUNTU-", "Ubuntu"},
		{"ALSA-", "AlmaLinux"},	  {"RLSA-", "Rocky Linux"}, {"ALPINE-", "Alpine"},
		{"RUSTSEC-", "RustSec"},  {"RHSA-", "Red Hat"},	    {"CGA-", "Chainguard"},
		{"DEBIAN-", "Debian"},	  {"OSV-", "OSV"},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strncmp(id, t[i][0], strlen(t[i][0])))
			return t[i][1];
	return "OSV";
}

static void source(struct buf *b, const char *id)
{
	buf_adds(b, "{\"name\":");
	rpt_json_str(b, source_of(id));
	buf_adds(b, "}");
}

static const char *method_of(const char *vector)
{
	if (!vector)
		return "other";
	if (!strncmp(vector, "CVSS:3.1/", 9))
		return "CVSSv31";
	if (!strncmp(vector, "CVSS:3.0/", 9))
		return "CVSSv3";
	if (!strncmp(vector, "CVSS:4.0/", 9))
		return "CVSSv4";
	return "CVSSv2";
}

void vdb_cyclonedx(struct buf *b, const struct vdb_gate *g, struct arena *a)
{
	size_t i, k;

	buf_adds(b, ",\"vulnerabilities\":[");
	for (i = 0; i < g->nhits; i++) {
		const struct vdb_hit *h = &g->hits[i];
		const struct vdb_allow *e = g->allowed ? g->allowed[i] : NULL, *x = g->expired ? g->expired[i] : NULL;
		buf_addf(b, "%s{\"bom-ref\":\"vuln-%zu\",\"id\":", i ? ",\n" : "\n", i + 1);
		rpt_json_str(b, h->id);
		buf_adds(b, ",\"source\":");
		source(b, h->id);
		if (h->naliases) {
			buf_adds(b, ",\"references\":[");
			for (k = 0; k < h->naliases; k++) {
				buf_adds(b, k ? ",{\"id\":" : "{\"id\":");
				rpt_json_str(b, h->aliases[k]);
				buf_adds(b, ",\"source\":");
				source(b, h->aliases[k]);
				buf_addc(b, '}');
			}
			buf_addc(b, ']');
		}
		buf_adds(b, ",\"ratings\":[{");
		if (h->score >= 0 && h->severity_from && strncmp(h->severity_from, "CVSS_", 5)) {
			/* rated by the distribution: its word first, then the CVSS score's own */
			buf_adds(b, "\"severity\":");
			rpt_json_str(b, sev_name(h->sev));
			buf_adds(b, ",\"method\":\"other\",\"justification\":");
			rpt_json_str(b, arena_printf(a, "the distribution's own rating (%s)", h->severity_from));
			buf_addf(b, "},{\"score\":%.1f,\"severity\":", h->score);
			rpt_json_str(b, sev_name(vdb_cvss_rating(h->score, !strcmp(method_of(h->vector), "CVSSv2"))));
		} else {
			if (h->score >= 0)
				buf_addf(b, "\"score\":%.1f,", h->score);
			buf_adds(b, "\"severity\":");
			rpt_json_str(b, h->rated ? sev_name(h->sev) : "unknown");
		}
		buf_adds(b, ",\"method\":");
		rpt_json_str(b, method_of(h->vector));
		if (h->vector) {
			buf_adds(b, ",\"vector\":");
			rpt_json_str(b, h->vector);
		}
		buf_adds(b, "}]");
		if (h->summary) {
			buf_adds(b, ",\"description\":");
			rpt_json_str(b, h->summary);
		}
		buf_adds(b, ",\"recommendation\":");
		rpt_json_str(b, h->fixed ? arena_printf(a, "Upgrade %s to %s or later", h->pkg->name, h->fixed)
					 : arena_printf(a, "No fixed version of %s is known yet", h->pkg->name));
		if (h->nrefs) {
			buf_adds(b, ",\"advisories\":[");
			for (k = 0; k < h->nrefs; k++) {
				buf_adds(b, k ? ",{\"url\":" : "{\"url\":");
				rpt_json_str(b, h->refs[k]);
				buf_addc(b, '}');
			}
			buf_addc(b, ']');
		}
		buf_adds(b, ",\"affects\":[{\"ref\":");
		rpt_json_str(b, img_sbom_ref(a, g->inv, h->pkg));
		buf_adds(b, ",\"versions\":[{\"version\":");
		rpt_json_str(b, h->pkg->version);
		buf_adds(b, ",\"status\":\"affected\"}]}]");
		if (e) {
			buf_adds(b, ",\"analysis\":{\"state\":\"exploitable\",\"response\":[\"will_not_fix\"],\"detail\":");
			rpt_json_str(b, arena_printf(a, "whitelisted by %s:%d (%s): %s%s%s", e->file, e->line, e->id,
						     e->reason ? e->reason : "no reason given", e->expires ? ", until " : "",
						     e->expires ? e->expires : ""));
			buf_addc(b, '}');
		} else if (x) {
			buf_adds(b, ",\"analysis\":{\"state\":\"in_triage\",\"detail\":");
			rpt_json_str(b, arena_printf(a, "the whitelist entry at %s:%d expired on %s", x->file, x->line,
						     x->expires));
			buf_addc(b, '}');
		}
		buf_addc(b, '}');
	}
	buf_adds(b, "\n]");
}
