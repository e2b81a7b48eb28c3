/*
 * session.h - one whole audit: what is read (a daemon's snapshot and the
 * host's facts, or a mounted root offline), the containers judged by the
 * container rules, and every selected check decided (session.c).
 *
 * Ownership: the session owns everything it read and every result; the
 * results live until au_session_release().
 */
#ifndef DS_AU_SESSION_H
#define DS_AU_SESSION_H

#include "audit.h"
#include "../engine/snapshot.h"

struct au_session {
	struct eng e;
	struct eng_snapshot x;
	struct target t; /* the containers' findings and the results live in t.arena */
	struct ct_file f;
	struct dcfg dcfg;
	struct au_data d;
	struct arena host_arena; /* host facts read ahead on a thread */
	struct au_host host;
	struct au_result *res;
	size_t n;
	size_t ncontainers;    /* containers audited (after --include/--exclude-containers) */
	struct eng_limits lim; /* the run's byte budget and deadline, for every connection */
};

struct au_session_opts {
	const char *host;  /* Engine API address; NULL: DOCKER_HOST, else the default socket */
	const char *root;  /* offline: audit this mounted root, no API */
	long timeout_ms;
	long deadline_ms; /* the whole audit; 0: none */
	unsigned long long image_files_max; /* bytes of images whose layers are listed for 4.8 */
	const char *const *include, *const *exclude;
	size_t ninclude, nexclude;
	/* docker-bench's -i/-x: comma lists of patterns within a container's
	 * name or image; a container matching no include, or any exclude, is
	 * left out of section 5 */
	const char *containers_in, *containers_out;
	const struct eng_progress *progress; /* of the daemon's objects read; NULL: none */
	const struct au_vulns *vulns;        /* --vulns (host-vuln-01), or NULL */
};

/* Read, judge and decide. 0, or an error in err (the daemon could not be
 * reached or answered something unusable, a limit was exceeded, memory).
 * Release the session in every case. */
int au_session_run(struct au_session *s, const struct au_session_opts *o, struct ds_err *err);
void au_session_release(struct au_session *s);

#endif
