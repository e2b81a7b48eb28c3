/*
 * audit.h - `docksec audit` as a library: the CIS Docker Benchmark checks
 * decided from data fetched once from the Engine API.
 *
 * The command (src/cmd/audit.c) fetches; this module only decides. The
 * container runtime section (5.x) is not a second implementation: every
 * container, running or not, is turned into the container model by the
 * inspect front-end and judged by the same CT-* rules as `check`; a
 * check's status comes from the findings whose rules carry its
 * docker-bench id. Checks with no rule of their own (swarm mode, sshd in a
 * container, exec sessions) are decided here from the fetched data.
 *
 * Checks outside what this build decides are reported SKIP with the
 * reason, never dropped, so a report always lists all 117 ids.
 */
#ifndef DS_AU_AUDIT_H
#define DS_AU_AUDIT_H

#include "../core/finding.h"
#include "../container/model.h"
#include <jansson.h>

enum au_status { AU_PASS, AU_WARN, AU_INFO, AU_NOTE, AU_SKIP };

struct au_def {
	const char *id, *title;
	bool automated;
};

extern const struct au_def au_cis[];
extern const size_t au_cis_n;

/* What the command fetched. */
struct au_data {
	json_t *info;     /* GET /info */
	json_t *version;  /* GET /version */
	struct target *t; /* containers judged into t->findings (context: the container) */
	const struct ct_file *f;
	/* per container (index as in f): /top output (NULL when not running)
	 * and exec sessions (array of /exec/ID/json) */
	json_t **top;
	json_t **execs;
	bool podman;
};

struct au_result {
	const struct au_def *def;
	enum au_status status;
	const char *evidence;        /* one line per item, arena string */
	const struct finding **findings;
	size_t nfindings;
};

const char *au_status_name(enum au_status s);

/* Decide every check. only: NULL for all sections, else a section prefix
 * ("5"). include/exclude: check ids or prefixes (docker-bench's -c / -e);
 * excluded checks are left out of the results. */
int au_run(const struct au_data *d, struct arena *a, const char *const *include, size_t ninclude,
	   const char *const *exclude, size_t nexclude, struct au_result **out, size_t *n);

#endif
