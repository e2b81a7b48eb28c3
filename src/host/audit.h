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
#include "host.h"
#include "../image/pkgdb.h"
#include <jansson.h>

/* The audit's statuses are the result model's (core/finding.h). */
#define AU_PASS ST_PASS
#define AU_WARN ST_WARN
#define AU_INFO ST_INFO
#define AU_NOTE ST_NOTE
#define AU_SKIP ST_SKIP
#define AU_ERROR ST_ERROR

/* The CIS rows (cis.c), registry rows of domain "cis". */
extern const struct rule au_cis[];
extern const size_t au_cis_n;
/* Register the CIS table and every hardening module's table. */
void au_register(void);
/* The host-cve-* rows, made from the CVE table once (escapes.c). */
void au_esc_make_rows(void);

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
	/* daemon and host (section 1-3); info/version NULL when offline (--root) */
	const struct dcfg *dcfg;
	const char *root;  /* "/" or --root */
	bool remote;       /* the daemon is reached over TCP: the local host's files do not describe it */
	const char *sock;  /* the audited UNIX socket, or NULL */
	json_t *networks;  /* GET /networks */
	json_t *images;    /* GET /images/json */
	json_t **image_inspect, **image_history; /* per entry of images */
	json_t **image_setid; /* per image: setuid/setgid files of its layers ([{path,mode,layer}]),
			       * {"error": ...}, or NULL when not listed (--image-files-max); may be NULL */
	const char *const *env; /* docksec's environment (DOCKER_CONTENT_TRUST) */
	struct au_host *host;   /* host facts read ahead by au_host_prefetch, or NULL */
	const struct au_vulns *vulns; /* --vulns: the database and whitelists, or NULL */
};

/* audit --vulns: the vulnerability database and the whitelists, opened by
 * the command (src/cmd/vulns.h) and borrowed for the run. */
struct vdb;
struct vdb_allowlist;
struct au_vulns {
	struct vdb *db;
	struct vdb_allowlist *allow;
	const char *path;
};

/* An audit check's result is the one result record: rule, status,
 * message (the evidence, one line per item, or the reason for SKIP and
 * ERROR) and, for 5.x, the container findings it was decided from. */
#define au_result finding

/* What a check's decide function (the rule row's fn) is handed as ctx. */
struct au_ctx {
	const struct au_data *d;
	struct au_host *h;
	struct arena *a;
	struct finding *r;
	struct au_ev *e;
	bool decided; /* set by the function: false leaves the check undecided */
	int rc;       /* DS_ENOMEM from the function */
};

/* The CIS rows' decide functions, one per check (a row's arg, when set,
 * is the file the check is about). Each sets ctx->decided when it could
 * decide here; an undecided manual row is reported NOTE, any other SKIP. */
/* checks.c: section 1 */
void au_c_partition(void *ctx, const struct rule *r);      /* 1.1.1 */
void au_c_docker_group(void *ctx, const struct rule *r);   /* 1.1.2 */
void au_c_audit_rule(void *ctx, const struct rule *r);     /* 1.1.3-18: arg, the watched path */
void au_c_engine_version(void *ctx, const struct rule *r); /* 1.2.2 */
/* checks.c: section 2, the daemon's effective configuration */
/* A daemon setting the benchmark wants a value of: its offset in struct
 * dcfg, its name and default as dockerd has them, when it passes and what
 * the check is otherwise. */
struct au_setting {
	size_t off;
	const char *key, *def;
	enum { AS_TRUE, AS_FALSE, AS_NOT_FALSE, AS_SET, AS_UNSET, AS_DEFAULT } want;
	enum ds_status otherwise;
};
void au_c_setting(void *ctx, const struct rule *r); /* arg: struct au_setting */
void au_c_rootless(void *ctx, const struct rule *r);
void au_c_icc(void *ctx, const struct rule *r);
void au_c_insecure_registries(void *ctx, const struct rule *r);
void au_c_aufs(void *ctx, const struct rule *r);
void au_c_tcp_tls(void *ctx, const struct rule *r);
void au_c_userns(void *ctx, const struct rule *r);
void au_c_basesize(void *ctx, const struct rule *r);
void au_c_authz(void *ctx, const struct rule *r);
void au_c_log_driver(void *ctx, const struct rule *r);
void au_c_live_restore(void *ctx, const struct rule *r);
void au_c_seccomp_profile(void *ctx, const struct rule *r);
void au_c_experimental(void *ctx, const struct rule *r);
/* checks.c: section 3, the owner and mode of the file a row's arg names */
enum au_file_kind {
	AF_PATH,        /* path as written */
	AF_UNIT,        /* a systemd unit, found in the unit directories */
	AF_TLSCACERT,   /* the file the daemon's TLS setting names */
	AF_TLSCERT,
	AF_TLSKEY,
	AF_SOCKET,      /* the audited socket */
	AF_DAEMON_JSON, /* the daemon.json in force, else path */
	AF_GLOB,        /* every file path matches (host_glob) */
};
struct au_file {
	enum au_file_kind what;
	const char *path;
	mode_t max;          /* the most open mode accepted */
	const char *group;   /* the owner wanted is root:group */
	bool dir;            /* must be a directory */
	const char *absent;  /* AF_GLOB: what to say when nothing matches */
};
void au_c_file_owner(void *ctx, const struct rule *r);
void au_c_file_mode(void *ctx, const struct rule *r);
/* checks.c: section 4, the images */
void au_c_image_user(void *ctx, const struct rule *r);        /* 4.1 */
void au_c_content_trust(void *ctx, const struct rule *r);     /* 4.5 */
void au_c_image_healthcheck(void *ctx, const struct rule *r); /* 4.6 */
void au_c_image_update_alone(void *ctx, const struct rule *r); /* 4.7 */
void au_c_image_setid(void *ctx, const struct rule *r);       /* 4.8 */
void au_c_image_add(void *ctx, const struct rule *r);         /* 4.9 */
/* checks.c: sections 6 and 7 */
void au_c_images_used(void *ctx, const struct rule *r);       /* 6.1 */
void au_c_containers_running(void *ctx, const struct rule *r); /* 6.2 */
void au_c_swarm_managers(void *ctx, const struct rule *r);    /* 7.1 */
void au_c_swarm_only(void *ctx, const struct rule *r);        /* 7.2-7.9 */
/* audit.c: section 5, the containers */
void au_c_container_rules(void *ctx, const struct rule *r); /* from the CT-* findings with the row's docker-bench id */
void au_c_swarm_mode(void *ctx, const struct rule *r);      /* 5.1 */
void au_c_container_sshd(void *ctx, const struct rule *r);  /* 5.7 */
void au_c_exec_privileged(void *ctx, const struct rule *r); /* 5.23 */
void au_c_exec_root(void *ctx, const struct rule *r);       /* 5.24 */
void au_c_cgroup_confirmed(void *ctx, const struct rule *r); /* 5.25 */

const char *au_status_name(enum ds_status s);
/* The string member k of a JSON object, or NULL. */
const char *au_jstr(json_t *o, const char *k);

/* Evidence being collected for one check: one line per item. */
struct au_ev {
	struct buf b;
	size_t n;
};
void au_ev_add(struct au_ev *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));


/* Facts shared by the host hardening checks, read once on first use
 * (au_run owns one per run; everything lives in the run's arena). */

struct au_host {
	bool loaded;
	const char *dpkg;                 /* var/lib/dpkg/status, NULL when absent */
	struct img_pkg *pkgs;             /* its installed packages, sorted by name (image/pkgdb.h) */
	size_t npkgs;
	const char *os_id, *os_version;   /* /etc/os-release ID and VERSION_ID ("debian", "12") */
	struct img_pkg *rpms;             /* an rpm host's packages (rpmdb), sorted by name; for --vulns */
	size_t nrpms;
	const char *rpmdb;                /* the rpm database's path, NULL when none was read */
	struct {
		const char *pkg, *cves;   /* " CVE-a CVE-b ": the escape CVEs its changelog names; NULL: unreadable */
	} cl[16];
	size_t ncl;
	void *fw;                         /* firewall.c: the rule sets, read once */
	void *net;                        /* netsock.c: the listening sockets, read once */
};
void au_host_load(const struct au_data *d, struct arena *a, struct au_host *h);
/* Read what the hardening checks need (dpkg, the iptables rule sets, the
 * listening sockets) into h, while the Engine API is being fetched:
 * needs only d->root and d->remote, and may run on its own thread with
 * its own arena. */
void au_host_prefetch(const struct au_data *d, struct arena *a, struct au_host *h);
void au_fw_prefetch(const struct au_data *d, struct au_host *h, struct arena *a);
void au_net_prefetch(const struct au_data *d, struct au_host *h, struct arena *a);
/* The installed version of a dpkg package, or NULL. */
const char *au_dpkg_version(const struct au_host *h, const char *pkg);
/* The newest installed package named prefix<digit>... (dpkg ordering):
 * its version, and its name in *pkg; NULL when none. */
const char *au_dpkg_newest(const struct au_host *h, const char *prefix, const char **pkg);

/* Host hardening beyond CIS: modules, each a table of checks with ids of
 * their own (host-ssh-01, host-cve-2024-21626...), reported after the
 * CIS checks; selected with -c host, --only hardening. Each row names its
 * own decide function, as the CIS rows do. */
struct au_module {
	const struct rule *defs; /* the module's rows */
	size_t n;
};
extern const struct au_module au_ssh;  /* sshd.c: effective sshd_config */
extern const struct au_module au_esc;  /* escapes.c: versions against known escape CVEs */
extern const struct au_module au_net;
extern const struct au_module au_upd;
extern const struct au_module au_iso;
extern const struct au_module au_vul;  /* hostvulns.c: the host's packages against the vulnerability database */
extern const struct au_module au_fw;   /* firewall.c: the firewall and published ports that bypass it */  /* isolation.c: the socket, user namespaces, LSMs, seccomp */  /* updates.c: unattended-upgrades and pending reboots */  /* netsock.c: listening sockets and their processes */

/* Is check id chosen by include (empty: all) and not excluded? Ids and
 * prefixes match whole components ("5.2" is not "5.20"). */
bool au_selected(const char *id, const char *const *inc, size_t ninc, const char *const *exc, size_t nexc);

/* Decide every check. only: NULL for all sections, else a section prefix
 * ("5"). include/exclude: check ids or prefixes (docker-bench's -c / -e);
 * excluded checks are left out of the results. */
int au_run(const struct au_data *d, struct arena *a, const char *const *include, size_t ninclude,
	   const char *const *exclude, size_t nexclude, struct au_result **out, size_t *n);

#endif
