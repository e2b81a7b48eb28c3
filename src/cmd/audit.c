/*
 * audit.c - `docksec audit`: options and calls only. The audit itself is
 * src/host/session.c (what is read and decided), the checks are registry
 * rows (src/host/cis.c and the host-* modules), and the report is written
 * by the core writers (src/core/report_*.c) like every command's.
 */
#include "cmd.h"
#include "vulns.h"
#include "../core/opt.h"
#include "../core/report.h"
#include "../host/session.h"
#include <time.h>
#include <unistd.h>

static const char audit_usage[] = "docksec audit [options]";
static const char audit_desc[] =
	"Audit a live Docker host against the CIS Docker Benchmark v1.6.0 (docker-bench-security's\n"
	"check ids) over the Engine API: every container, running or only created, is judged by\n"
	"the same rules as `docksec check`. The host is --host, else DOCKER_HOST, else\n"
	"unix:///var/run/docker.sock; ssh://[user@]host[:port] runs `ssh ... docker system\n"
	"dial-stdio` as the Docker CLI does. Exit status: 0 no WARN, 1 at least one WARN,\n"
	"2 usage error or the daemon could not be reached.";

/* "read N of M objects from the daemon" (cmd_progress). */
static void show_progress(void *ud, size_t done, size_t total)
{
	if (cmd_progress_due(ud))
		fprintf(stderr, "\rdocksec: read %zu of %zu objects from the daemon", done, total);
}

/* docker-bench's names for what -c and -e take: its check functions
 * (check_5_5, check_2_13) and its section functions. */
static const char *const bench_sections[][2] = {
	{"host_configuration", "1"},	     {"docker_daemon_configuration", "2"}, {"docker_daemon_files", "3"},
	{"container_images", "4"},	     {"container_runtime", "5"},	   {"docker_security_operations", "6"},
	{"docker_swarm_configuration", "7"},
};

/* docker-bench's -l FILE: the text log in FILE, its JSON in FILE.json. */
static int write_log(const char *path, const struct rpt_opts *ro, struct ds_err *err)
{
	static const enum rpt_format fmts[] = {RPT_TEXT, RPT_DOCKER_BENCH};
	struct rpt_opts o = *ro;
	size_t i;

	o.color = false;
	for (i = 0; i < 2; i++) {
		char p[PATH_MAX];
		FILE *fp;
		int rc, e;
		/* errors name path (the caller's string: err keeps the pointer) */
		if (snprintf(p, sizeof(p), "%s%s", path, i ? ".json" : "") >= (int)sizeof(p))
			return ds_err_set(err, DS_EUSAGE, path, 0, 0, "path too long");
		if (!(fp = fopen(p, "w")))
			return ds_err_set(err, DS_EIO, path, 0, 0, "cannot write the log%s: %s", i ? " (.json)" : "",
					  strerror(errno));
		rc = rpt_write(fp, fmts[i], NULL, 0, &o);
		e = errno;
		if (fclose(fp) && !rc)
			rc = DS_EWRITE, e = errno;
		if (rc)
			return ds_err_set(err, DS_EIO, path, 0, 0, "cannot write the log%s: %s", i ? " (.json)" : "",
					  rc == DS_EWRITE ? strerror(e) : ds_rc_message(rc));
	}
	return 0;
}

static void free_ids(char **v, size_t n)
{
	while (n)
		ds_free(v[--n]);
	ds_free(v);
}

/* The ids -c/-e select: comma lists split, docker-bench names turned into
 * ids (*out owned, free_ids()); an operand that selects no check is a
 * usage error (a typo must not audit nothing and pass). */
static int check_ids(const struct opt_list *l, char ***out, size_t *nout, struct ds_err *err)
{
	size_t i, k;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < l->n && !rc; i++) {
		const char *p = l->v[i];
		while (*p && !rc) {
			size_t n = strcspn(p, ",");
			char id[64], *q, **nv;
			bool any = false;
			if (!n || n >= sizeof(id)) {
				rc = ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "no check is named '%.*s'", (int)(n > 60 ? 60 : n), p);
				break;
			}
			snprintf(id, sizeof(id), "%.*s", (int)n, p);
			if (!strncmp(id, "check_", 6)) { /* check_5_5 -> 5.5 */
				memmove(id, id + 6, strlen(id + 6) + 1);
				for (q = id; *q; q++)
					if (*q == '_')
						*q = '.';
			}
			for (k = 0; k < DS_ARRAY_SIZE(bench_sections); k++)
				if (!strcmp(id, bench_sections[k][0]))
					snprintf(id, sizeof(id), "%s", bench_sections[k][1]);
			for (k = 0; k < rules_count() && !any; k++) {
				const struct rule *r = rules_at(k);
				const char *const pat[] = {id};
				if (strcmp(r->domain, "cis") && strcmp(r->domain, "host"))
					continue;
				any = au_selected(r->id, pat, 1, NULL, 0);
			}
			if (!any)
				rc = ds_err_set(err, DS_EUSAGE, NULL, 0, 0,
						"no check matches '%s' (ids like 5.5, prefixes like 5 or host-ssh, docker-bench's "
						"check_5_5 or container_runtime; 'docksec rules' lists them)", id);
			else if (!(nv = ds_realloc(*out, (*nout + 1) * sizeof(**out))) || !(nv[*nout] = ds_strdup(id)))
				rc = ds_oom(err), *out = nv ? nv : *out;
			else
				*out = nv, (*nout)++;
			p += n + (p[n] == ',');
		}
	}
	if (rc) {
		free_ids(*out, *nout);
		*out = NULL;
		*nout = 0;
	}
	return rc;
}

int cmd_audit(int argc, char **argv)
{
	const char *host = NULL, *format = "text", *only = NULL, *timeout_s = NULL, *color = "auto", *root = NULL,
		   *image_files_s = NULL, *deadline_s = NULL;
	struct opt_list operands = {0}, include = {0}, exclude = {0};
	const char *fail_on = NULL, *logfile = NULL;
	int threshold = SEV_INFO;
	char **inc_ids = NULL, **exc_ids = NULL;
	size_t ninc = 0, nexc = 0;
	struct ds_err err = {0};
	struct au_session s;
	struct au_session_opts so = {0};
	struct cmd_vulns vu = {0};
	struct au_vulns av = {0};
	struct arena va;
	struct cmd_progress pg = {0};
	const struct eng_progress progress = {show_progress, &pg};
	struct rpt_checks rc_in = {0};
	struct rpt_opts ro = {0};
	enum rpt_format fmt = RPT_TEXT;
	size_t i, counts[ST_COUNT];
	unsigned long timeout = 10000, image_files_max = 2048, deadline = 600;
	int rc, exit_code = DS_EXIT_OK;
	const struct opt opts[] = {
		{'H', "host", OPT_STRING, &host, "HOST", "unix:///path, tcp://host:port or ssh://[user@]host[:port] (default: DOCKER_HOST)"},
		{'f', "format", OPT_STRING, &format, "FMT", "text (default), json, sarif, docker-bench (its log.json), junit or html"},
		{0, "only", OPT_STRING, &only, "SECTION",
		 "one section: host, daemon, files, images, containers, operations, swarm, hardening"},
		{'c', "include", OPT_LIST, &include, "ID", "only these checks (ids or prefixes like 5 or 5.1); repeatable"},
		{'e', "exclude", OPT_LIST, &exclude, "ID", "leave these checks out; repeatable"},
		{'i', "include-containers", OPT_STRING, &so.containers_in, "PATTERNS",
		 "only containers whose name or image holds one of these (comma list; docker-bench -i)"},
		{'x', "exclude-containers", OPT_STRING, &so.containers_out, "PATTERNS",
		 "leave out containers whose name or image holds one of these (docker-bench -x)"},
		{'l', "log", OPT_STRING, &logfile, "FILE",
		 "also write the text report to FILE and docker-bench's log.json to FILE.json (docker-bench -l)"},
		{0, "fail-on", OPT_STRING, &fail_on, "LEVEL",
		 "exit 1 only for WARN or ERROR checks at or above LEVEL (info low medium high critical none)"},
		{0, "timeout", OPT_STRING, &timeout_s, "MS", "per-request timeout in milliseconds (default 10000)"},
		{0, "deadline", OPT_STRING, &deadline_s, "S", "the whole audit's time limit in seconds (default 600; 0: none)"},
		{0, "root", OPT_STRING, &root, "DIR", "audit a mounted host filesystem offline (no API: host, daemon and file checks)"},
		{0, "color", OPT_STRING, &color, "WHEN", "auto (default), always or never"},
		{0, "image-files-max", OPT_STRING, &image_files_s, "MIB",
		 "list the files of images up to this total size for 4.8 (default 2048; 0: none)"},
		CMD_VULNS_OPTS(&vu),
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};
	static const char *const sections[][2] = {{"host", "1"},	 {"daemon", "2"},	{"files", "3"},
						   {"images", "4"},	 {"containers", "5"}, {"operations", "6"},
						   {"swarm", "7"},	 {"hardening", "host"}};

	memset(&s, 0, sizeof(s));
	arena_init(&va, 0);
	rc_in.start = (long long)time(NULL);
	rc = opt_parse(argc, argv, opts, &operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, audit_usage, audit_desc, opts);
		goto cleanup;
	}
	if (!rc && operands.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "audit takes no operands ('%s')", operands.v[0]);
	if (!rc && (rpt_parse_format(format, &fmt) || fmt == RPT_CHECKSTYLE || fmt == RPT_GITLAB))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "unknown format '%s' (text, json, sarif, docker-bench, junit, html)",
				format);
	if (!rc && timeout_s && (!str_to_ulong(str_cstr(timeout_s), 600000, &timeout) || !timeout))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--timeout takes milliseconds from 1 to 600000");
	if (!rc && deadline_s && !str_to_ulong(str_cstr(deadline_s), 86400, &deadline))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--deadline takes seconds from 0 to 86400");
	if (!rc && image_files_s && !str_to_ulong(str_cstr(image_files_s), 1ul << 30, &image_files_max))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--image-files-max takes a size in MiB (0 to 1073741824)");
	if (!rc && only) {
		for (i = 0; i < DS_ARRAY_SIZE(sections) && strcmp(only, sections[i][0]); i++)
			;
		if (i == DS_ARRAY_SIZE(sections))
			rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0,
					"--only takes host, daemon, files, images, containers, operations, swarm or hardening");
		else
			opt_parse(3, (char *[]){"audit", "-c", (char *)sections[i][1], NULL}, opts, &operands, &err);
	}
	if (!rc)
		rc = check_ids(&include, &inc_ids, &ninc, &err);
	if (!rc)
		rc = check_ids(&exclude, &exc_ids, &nexc, &err);
	if (!rc && fail_on && sev_parse(fail_on, &threshold))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "unknown level '%s' (info, low, medium, high, critical, none)",
				fail_on);
	if (rc) {
		cmd_error(&err);
		fprintf(stderr, "usage: %s (see 'docksec audit --help')\n", audit_usage);
		exit_code = DS_EXIT_ERROR;
		goto cleanup;
	}
	if ((rc = cmd_vulns_open(&vu, &va, &err)))
		goto fail;
	if (vu.on) {
		av = (struct au_vulns){vu.db, &vu.allow, vu.path};
		so.vulns = &av;
	}
	so.host = host;
	so.root = root;
	so.timeout_ms = (long)timeout;
	so.deadline_ms = (long)deadline * 1000;
	so.image_files_max = (unsigned long long)image_files_max << 20;
	so.include = (const char *const *)inc_ids;
	so.ninclude = ninc;
	so.exclude = (const char *const *)exc_ids;
	so.nexclude = nexc;
	cmd_progress_init(&pg, true);
	if (pg.on)
		so.progress = &progress;
	rc = au_session_run(&s, &so, &err);
	cmd_progress_end(&pg);
	if (rc)
		goto fail;
	rc_in.v = s.res;
	rc_in.n = s.n;
	rc_in.host = s.e.host;
	rc_in.root = root;
	rc_in.api = s.e.api;
	rc_in.engine = json_string_value(json_object_get(s.x.version, "Version"));
	rc_in.podman = s.e.podman;
	rc_in.containers = s.ncontainers;
	ro.command = "audit";
	ro.checks = &rc_in;
	ro.color = !strcmp(color, "always") || (!strcmp(color, "auto") && isatty(1) && !getenv("NO_COLOR"));
	if ((rc = rpt_write(stdout, fmt, NULL, 0, &ro)))
		goto fail_write;
	if (logfile && (rc = write_log(logfile, &ro, &err)))
		goto fail;
	for (i = 0; vu.on && i < s.n; i++) /* whitelist entries unused, once the host's packages were matched */
		if (!strcmp(s.res[i].rule->id, "host-vuln-01") && (s.res[i].status == ST_PASS || s.res[i].status == ST_WARN))
			cmd_vulns_unused(&vu, false);
	rpt_count_checks(&rc_in, counts);
	/* a check that could not be decided is not a clean audit: a CI gate
	 * fails closed; --fail-on raises the bar by the checks' severities */
	exit_code = DS_EXIT_OK;
	for (i = 0; i < s.n; i++)
		if ((s.res[i].status == ST_WARN || s.res[i].status == ST_ERROR) && (int)s.res[i].severity >= threshold)
			exit_code = DS_EXIT_FINDINGS;
	(void)counts;
	goto cleanup;
fail_write:
	ds_err_set(&err, rc, NULL, 0, 0, "cannot write the report: %s",
		   rc == DS_EWRITE ? strerror(errno) : ds_rc_message(rc));
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	au_session_release(&s);
	cmd_vulns_release(&vu);
	arena_release(&va);
	opt_list_release(&operands);
	opt_list_release(&include);
	opt_list_release(&exclude);
	free_ids(inc_ids, ninc);
	free_ids(exc_ids, nexc);
	return exit_code;
}
