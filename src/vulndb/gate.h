/*
 * gate.h - the vulnerability rules (VULN-*): an image's matches judged
 * against the whitelists and reported as findings on its target.
 */
#ifndef DS_VDB_GATE_H
#define DS_VDB_GATE_H

#include "vulndb.h"
#include "../core/buf.h"

extern const struct rule vdb_rules[];
extern const size_t vdb_rules_n;

struct vdb_gate {
	struct target *t; /* findings go here (its arena holds them) */
	const struct img_image *im;
	const struct img_inventory *inv;
	const struct vdb_hit *hits;
	size_t nhits;
	struct vdb_allowlist *allow; /* or NULL */
	/* results, per hit, in t's arena: the entry that covers it, the expired one that would have */
	struct vdb_allow **allowed, **expired;
	int rc;
};

/* Decide the whitelist for each hit and run the VULN-* rules. 0 or
 * DS_ENOMEM. */
int vdb_gate_run(struct vdb_gate *g);

/* The matches of g as CycloneDX 1.5 ",\"vulnerabilities\":[...]" with VEX
 * analysis for whitelisted ones (vex.c); g must have run. */
void vdb_cyclonedx(struct buf *b, const struct vdb_gate *g, struct arena *a);

#endif
