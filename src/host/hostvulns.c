/*
 * hostvulns.c - host-vuln-01: the host's own packages (dpkg, or an rpm
 * database) matched against the vulnerability database the way `scan
 * --vulns` matches an image's (vulndb/match.c, by source package where
 * the distribution's records name sources), beside the hand-kept
 * escape-CVE table of escapes.c. Asked for with `audit --vulns`; without
 * it the check says how to run it.
 *
 * Evidence: one line per vulnerability that is not whitelisted, most
 * severe and fixable first, then the whitelisted ones with their reason.
 * The check's severity is its row's (high): a host with any known,
 * unaccepted vulnerability in its packages fails it.
 */
#include "audit.h"
#include "../vulndb/vulndb.h"

/* The inventory lists packages by pointer (image/scan.h). */
static const struct img_pkg **pkg_ptrs(struct arena *a, const struct img_pkg *v, size_t n)
{
	const struct img_pkg **p = arena_array(a, n ? n : 1, sizeof(*p));

	for (size_t i = 0; p && i < n; i++)
		p[i] = &v[i];
	return p;
}

static void pkg_vulns(void *ctx, const struct rule *rule)
{
	struct au_ctx *x = ctx;
	const struct au_vulns *v = x->d->vulns;
	struct img_inventory inv;
	struct vdb_hit *hits = NULL;
	struct vdb_match_stats st;
	struct ds_err err = {0};
	struct vdb_allow **ok = NULL;
	size_t i, open = 0, accepted = 0;
	const struct img_pkg *list = NULL;

	(void)rule;
	x->decided = true;
	if (!v) {
		x->r->status = AU_SKIP;
		au_ev_add(x->e, "not asked for: `docksec audit --vulns` with a vulnerability database (`docksec db update`)");
		return;
	}
	memset(&inv, 0, sizeof(inv));
	inv.os.id = x->h->os_id;
	inv.os.version_id = x->h->os_version;
	if (x->h->dpkg) {
		inv.pkg_type = "deb";
		inv.pkg_db = "/var/lib/dpkg/status";
		list = x->h->pkgs;
		inv.npkgs = x->h->npkgs;
	} else if (x->h->rpmdb) {
		inv.pkg_type = "rpm";
		inv.pkg_db = x->h->rpmdb;
		list = x->h->rpms;
		inv.npkgs = x->h->nrpms;
	} else {
		x->r->status = AU_SKIP;
		au_ev_add(x->e, "no package database (neither /var/lib/dpkg/status nor an rpm database)");
		return;
	}
	if (list && !(inv.pkgs = pkg_ptrs(x->a, list, inv.npkgs))) {
		x->r->status = AU_ERROR;
		au_ev_add(x->e, "out of memory");
		return;
	}
	if (!vdb_os_ecosystem(x->a, &inv.os)) {
		x->r->status = AU_SKIP;
		au_ev_add(x->e, "the vulnerability records of this OS (%s %s) are not known to docksec",
			  inv.os.id ? inv.os.id : "unknown", inv.os.version_id ? inv.os.version_id : "");
		return;
	}
	if (vdb_match(v->db, x->a, &inv, &hits, &open, &st, &err)) {
		x->r->status = AU_ERROR;
		au_ev_add(x->e, "%s", err.msg[0] ? err.msg : "the vulnerability database could not be read");
		return;
	}
	x->r->status = AU_PASS;
	if (open && !(ok = arena_alloc(x->a, open * sizeof(*ok)))) {
		x->rc = DS_ENOMEM;
		return;
	}
	for (i = 0; i < open; i++) { /* the open ones first, then what the whitelists accept */
		const struct vdb_hit *h = &hits[i];
		struct vdb_allow *ex;
		const char *purl = v->allow && v->allow->scoped ? img_purl(x->a, &inv, h->pkg) : NULL;
		if (v->allow && (ok[i] = vdb_allow_find(v->allow, NULL, purl, inv.pkg_db, h, &ex))) {
			accepted++;
			continue;
		}
		x->r->status = AU_WARN;
		au_ev_add(x->e, "%s %s: %s (%s%s)%s%s", h->pkg->name, h->pkg->version, h->id, sev_name(h->sev),
			  h->rated ? "" : ", not rated", h->fixed ? ", fixed in " : ", no fixed version yet",
			  h->fixed ? h->fixed : "");
	}
	for (i = 0; i < open; i++)
		if (ok[i])
			au_ev_add(x->e, "whitelisted: %s %s: %s (%s:%d: %s)", hits[i].pkg->name, hits[i].pkg->version,
				  hits[i].id, ok[i]->file, ok[i]->line, ok[i]->reason ? ok[i]->reason : "no reason given");
	au_ev_add(x->e, "%zu %s packages checked against %s in %s: %zu known vulnerabilit%s, %zu whitelisted",
		  inv.npkgs, inv.pkg_type, st.os_ecosystem, v->path, open - accepted, open - accepted == 1 ? "y" : "ies",
		  accepted);
}

static const struct rule defs[] = {
	{"host-vuln-01", SEV_HIGH, "host", "the host's packages have no known vulnerability that is not whitelisted",
	 "The host runs the Docker daemon, containerd and runc as root: a known vulnerability in any of its packages "
	 "(the kernel, openssl, systemd, sudo...) is a way onto every container it runs. The distribution's advisories "
	 "say which installed versions are affected, backported fixes included.",
	 "Upgrade the packages named (apt-get upgrade / dnf upgrade, then reboot for the kernel); whitelist an entry "
	 "with a reason and an expiry date only after checking it does not apply.",
	 REFS("cis:1.2.1", "owasp:R0", "lynis:PKGS-7392"), pkg_vulns, NULL, 0},
};

const struct au_module au_vul = {defs, DS_ARRAY_SIZE(defs)};
