/*
 * fix.h - `docksec check --fix`: the hardened version of a deployment file.
 *
 * The fixer reads the judged model to decide what each container lacks
 * (capabilities not dropped, no no-new-privileges, writable root
 * filesystem, no user or root, no memory/CPU/pids limit, an unbounded
 * restart policy, no seccomp profile in Kubernetes) and turns that into
 * byte-range edits of the original text: a value replaced where the key
 * exists, a key inserted where it does not. Untouched lines - comments,
 * quoting, order, indentation - stay byte for byte. The edits are applied
 * to give the new text, and the unified diff is made from the edits, not by
 * diffing two files.
 *
 * Inserted lines end as the file's lines do (CRLF files stay CRLF).
 * Re-checking a fixed file gives no findings of the rules listed in
 * ct_fixed_rules (tested on the whole shared corpus).
 */
#ifndef DS_CT_FIX_H
#define DS_CT_FIX_H

#include "model.h"

/* The rules --fix makes pass. */
extern const char *const ct_fixed_rules[];

/* Which fixes to apply. Safe fixes (no-new-privileges, a RuntimeDefault
 * seccomp profile in Kubernetes: they take nothing a well-behaved service
 * uses) always are; the others (drop ALL capabilities, read-only root,
 * non-root user, memory/CPU/pids limits, a bounded restart policy) only
 * when named, or with all. None is applied where the file shows it would
 * break the service: a privileged service, a JVM heap (-Xmx) the memory
 * limit would cut, a service writing data in volumes (read-only root,
 * another uid), added capabilities a non-root user would lose. */
struct ct_fix_opts {
	bool all;
	const char *const *rules; /* rule ids */
	size_t nrules;
};
/* Is id a rule --fix handles? */
bool ct_fix_rule_known(const char *id);

struct ct_fix {
	char *text;   /* the fixed file (ds_malloc'd), NULL when nothing changes */
	size_t len;
	char *diff;   /* unified diff (ds_malloc'd), NULL when nothing changes */
	size_t nedits;
	size_t nskipped; /* containers the fixer could not edit (flow style inside a run string...) */
	char *notes;     /* what was left and why, one line each (ds_malloc'd), or NULL */
	uint64_t orig_hash; /* the bytes the fix was made from (ct_fix_fingerprint): a */
	size_t orig_len;    /* file changed since is not overwritten */
};
uint64_t ct_fix_fingerprint(const char *p, size_t n);

/* Compute the fix of t (t->data, judged into f, of kind t->kind). */
int ct_fix(struct target *t, const struct ct_file *f, const struct ct_fix_opts *o, struct ct_fix *out);
void ct_fix_release(struct ct_fix *x);

#endif
