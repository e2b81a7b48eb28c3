/*
 * scan.c - `docksec scan`: read images (src/image/image.h), take their
 * inventory and judge their files (src/image/scan.h), report through the
 * shared pipeline: each image is a target whose findings point into it
 * (reference, layer, path); the inventories ride along as the JSON
 * report's "images" and the text report's heading.
 */
#include "run.h"
#include "../core/buf.h"
#include "../image/scan.h"
#include "../image/sbom.h"
#include "../engine/engine.h"
#include "../vulndb/gate.h"
#include "vulns.h"
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct scanned {
	const char *input;
	struct img_set *set;
	struct img_image *im;
	struct img_inventory inv;
	struct target *t;
	/* --vulns */
	struct vdb_hit *hits;
	size_t nhits;
	struct vdb_match_stats vst;
	struct vdb_gate gate;
};

struct scan_ctx {
	struct img_set *sets;
	size_t nsets;
	struct scanned *v;
	size_t n, cap;
	struct arena arena;   /* inventories */
	struct arena scratch; /* the JSON report's purls, each until the next's (img_purl_tmp) */
	bool packages;      /* text: list the packages */
	bool vulns;         /* --vulns: matched against the database */
	const char *db_path;
	long long db_age; /* seconds, -1 never imported */
	double ms[5];     /* DOCKSEC_TIMINGS: open, read, inventory and rules, match and gate, report */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* a JSON string, or null */
static void jstr(struct buf *b, const char *s)
{
	if (s)
		rpt_json_str(b, s);
	else
		buf_adds(b, "null");
}

static void json_allow(struct buf *b, const struct vdb_allow *e)
{
	buf_adds(b, "{\"id\":");
	jstr(b, e->id);
	buf_adds(b, ",\"reason\":");
	jstr(b, e->reason);
	buf_adds(b, ",\"expires\":");
	jstr(b, e->expires);
	buf_adds(b, ",\"file\":");
	jstr(b, e->file);
	buf_addf(b, ",\"line\":%d}", e->line);
}

/* "vulnerabilities": every match, whitelisted ones with their entry */
static void json_vulns(struct buf *b, struct scan_ctx *c, const struct scanned *x)
{
	size_t i, k;

	buf_adds(b, ",\"vulnerability_db\":{\"path\":");
	jstr(b, c->db_path);
	buf_addf(b, ",\"age_seconds\":%lld,\"os_ecosystem\":", c->db_age);
	jstr(b, x->vst.os_ecosystem);
	buf_addf(b, ",\"packages_queried\":%zu,\"packages_without_ecosystem\":%zu,\"git_ranges_ignored\":%zu,"
		    "\"ranges_without_ordering\":%zu},\"vulnerabilities\":[",
		 x->vst.queried, x->vst.no_ecosystem, x->vst.git_ranges, x->vst.unordered);
	for (i = 0; i < x->nhits; i++) {
		const struct vdb_hit *h = &x->hits[i];
		buf_adds(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		jstr(b, h->id);
		buf_adds(b, ",\"aliases\":[");
		for (k = 0; k < h->naliases; k++) {
			if (k)
				buf_addc(b, ',');
			jstr(b, h->aliases[k]);
		}
		buf_adds(b, "],\"package\":");
		jstr(b, h->pkg->name);
		buf_adds(b, ",\"version\":");
		jstr(b, h->pkg->version);
		buf_adds(b, ",\"purl\":");
		jstr(b, img_purl_tmp(&c->scratch, &x->inv, h->pkg));
		buf_adds(b, ",\"ecosystem\":");
		jstr(b, h->ecosystem);
		buf_adds(b, ",\"matched_name\":");
		jstr(b, h->name);
		buf_adds(b, ",\"matched_version\":");
		jstr(b, h->version);
		buf_adds(b, ",\"fixed_version\":");
		jstr(b, h->fixed);
		buf_adds(b, ",\"severity\":");
		jstr(b, sev_name(h->sev));
		buf_addf(b, ",\"rated\":%s,\"score\":", h->rated ? "true" : "false");
		if (h->score >= 0)
			buf_addf(b, "%.1f", h->score);
		else
			buf_adds(b, "null");
		buf_adds(b, ",\"vector\":");
		jstr(b, h->vector);
		buf_adds(b, ",\"severity_source\":");
		jstr(b, h->severity_from);
		buf_adds(b, ",\"summary\":");
		jstr(b, h->summary);
		buf_addf(b, ",\"layer\":%zu,\"created_by\":", h->pkg->layer + 1);
		jstr(b, x->im->created_by && h->pkg->layer < x->im->nlayers ? x->im->created_by[h->pkg->layer] : NULL);
		buf_adds(b, ",\"references\":[");
		for (k = 0; k < h->nrefs; k++) {
			if (k)
				buf_addc(b, ',');
			jstr(b, h->refs[k]);
		}
		buf_adds(b, "],\"whitelisted\":");
		if (x->gate.allowed && x->gate.allowed[i])
			json_allow(b, x->gate.allowed[i]);
		else
			buf_adds(b, "null");
		buf_adds(b, ",\"expired_whitelist\":");
		if (x->gate.expired && x->gate.expired[i] && !(x->gate.allowed && x->gate.allowed[i]))
			json_allow(b, x->gate.expired[i]);
		else
			buf_adds(b, "null");
		buf_adds(b, "}");
	}
	buf_adds(b, "]");
}

static void json_image(struct buf *b, struct scan_ctx *c, const struct scanned *x)
{
	const struct img_image *im = x->im;
	size_t i;

	buf_adds(b, "{\"input\":");
	jstr(b, x->input);
	buf_adds(b, ",\"ref\":");
	jstr(b, im->ref);
	if (im->manifest) {
		buf_adds(b, ",\"manifest\":");
		jstr(b, im->manifest);
	}
	buf_adds(b, ",\"config\":");
	jstr(b, im->config_digest);
	buf_adds(b, ",\"platform\":");
	jstr(b, arena_printf(&c->arena, "%s/%s%s%s", im->os ? im->os : "?", im->arch ? im->arch : "?",
				     im->variant ? "/" : "", im->variant ? im->variant : ""));
	buf_adds(b, ",\"os\":{");
	buf_adds(b, "\"id\":");
	jstr(b, x->inv.os.id);
	buf_adds(b, ",\"version_id\":");
	jstr(b, x->inv.os.version_id);
	buf_adds(b, ",\"pretty_name\":");
	jstr(b, x->inv.os.pretty);
	buf_adds(b, "},\"layers\":[");
	for (i = 0; i < im->nlayers; i++) {
		const struct img_layer *l = im->layers[i];
		buf_adds(b, i ? ",{\"digest\":" : "{\"digest\":");
		jstr(b, l->digest);
		buf_adds(b, ",\"diff_id\":");
		jstr(b, l->diff_id);
		buf_adds(b, ",\"compression\":");
		jstr(b, l->compression);
		buf_addf(b, ",\"size\":%llu,\"unpacked\":%llu,\"entries\":%zu,\"created_by\":", l->stored, l->unpacked,
			 l->nents);
		jstr(b, im->created_by ? im->created_by[i] : NULL);
		buf_addf(b, ",\"cached\":%s}", l->cached ? "true" : "false");
	}
	buf_adds(b, "],\"package_type\":");
	jstr(b, x->inv.pkg_type);
	buf_adds(b, ",\"packages\":[");
	for (i = 0; i < x->inv.npkgs; i++) {
		const struct img_pkg *p = x->inv.pkgs[i];
		buf_adds(b, i ? ",\n{\"name\":" : "\n{\"name\":");
		jstr(b, p->name);
		buf_adds(b, ",\"version\":");
		jstr(b, p->version);
		if (p->source) {
			buf_adds(b, ",\"source\":");
			jstr(b, p->source);
		}
		if (p->source_version) {
			buf_adds(b, ",\"source_version\":");
			jstr(b, p->source_version);
		}
		if (p->arch) {
			buf_adds(b, ",\"arch\":");
			jstr(b, p->arch);
		}
		buf_adds(b, ",\"purl\":");
		jstr(b, img_purl_tmp(&c->scratch, &x->inv, p));
		buf_addf(b, ",\"layer\":%zu}", p->layer + 1);
	}
	buf_adds(b, "],\"language_packages\":[");
	for (i = 0; i < x->inv.nlang; i++) {
		const struct img_pkg *p = x->inv.lang[i];
		buf_adds(b, i ? ",\n{\"type\":" : "\n{\"type\":");
		jstr(b, p->type);
		buf_adds(b, ",\"name\":");
		jstr(b, p->name);
		buf_adds(b, ",\"version\":");
		jstr(b, p->version);
		buf_adds(b, ",\"path\":");
		jstr(b, p->path);
		buf_adds(b, ",\"purl\":");
		jstr(b, img_purl_tmp(&c->scratch, &x->inv, p));
		buf_addf(b, ",\"layer\":%zu}", p->layer + 1);
	}
	buf_adds(b, "]");
	if (c->vulns)
		json_vulns(b, c, x);
	buf_adds(b, "}");
}

static void json_extra(struct buf *b, void *ud)
{
	struct scan_ctx *c = ud;
	size_t i;

	buf_adds(b, ",\"images\":[");
	for (i = 0; i < c->n; i++) {
		buf_adds(b, i ? ",\n" : "\n");
		json_image(b, c, &c->v[i]);
	}
	buf_adds(b, "\n]");
}

static void text_visible(struct buf *b, const char *s)
{
	buf_add_visible(b, s ? s : "?", s ? strlen(s) : 1);
}

/* "  vulnerabilities: 12 (9 with a fix), 2 whitelisted; Debian:12" */
static void text_vulns(struct buf *b, const struct scanned *x)
{
	size_t i, fixable = 0, allowed = 0, unrated = 0;

	for (i = 0; i < x->nhits; i++) {
		if (x->gate.allowed && x->gate.allowed[i])
			allowed++;
		else if (x->hits[i].fixed)
			fixable++;
		if (!x->hits[i].rated)
			unrated++;
	}
	buf_addf(b, "  vulnerabilities: %zu (%zu with a fixed version), %zu whitelisted", x->nhits - allowed, fixable,
		 allowed);
	if (unrated)
		buf_addf(b, ", %zu not rated (counted as medium)", unrated);
	buf_adds(b, "; ");
	text_visible(b, x->vst.os_ecosystem ? x->vst.os_ecosystem : "OS packages not matched (unknown ecosystem)");
	if (x->vst.unordered)
		buf_addf(b, "; %zu range%s not judged (no version ordering for the ecosystem)", x->vst.unordered,
			 x->vst.unordered == 1 ? "" : "s");
	buf_addc(b, '\n');
	for (i = 0; i < x->nhits; i++) {
		const struct vdb_allow *e = x->gate.allowed ? x->gate.allowed[i] : NULL;
		if (!e)
			continue;
		buf_adds(b, "    whitelisted ");
		text_visible(b, x->hits[i].id);
		buf_adds(b, " in ");
		text_visible(b, x->hits[i].pkg->name);
		buf_adds(b, ": ");
		text_visible(b, e->reason ? e->reason : "(no reason given)");
		if (e->expires) {
			buf_adds(b, " (until ");
			text_visible(b, e->expires);
			buf_addc(b, ')');
		}
		buf_addc(b, '\n');
	}
}

static void text_extra(struct buf *b, void *ud)
{
	struct scan_ctx *c = ud;
	size_t i, k;

	for (i = 0; i < c->n; i++) {
		const struct scanned *x = &c->v[i];
		text_visible(b, x->im->ref);
		buf_adds(b, " (");
		text_visible(b, x->input);
		buf_adds(b, "): ");
		if (x->inv.os.pretty || x->inv.os.id)
			text_visible(b, x->inv.os.pretty ? x->inv.os.pretty : x->inv.os.id);
		else
			buf_adds(b, "unknown OS");
		if (x->inv.pkg_type)
			buf_addf(b, ", %zu %s package%s", x->inv.npkgs, x->inv.pkg_type, x->inv.npkgs == 1 ? "" : "s");
		if (x->inv.nlang)
			buf_addf(b, ", %zu language package%s", x->inv.nlang, x->inv.nlang == 1 ? "" : "s");
		buf_addf(b, ", %zu layer%s, %zu path%s\n", x->im->nlayers, x->im->nlayers == 1 ? "" : "s", x->im->npaths,
			  x->im->npaths == 1 ? "" : "s");
		if (c->vulns)
			text_vulns(b, x);
		if (!c->packages)
			continue;
		for (k = 0; k < x->inv.npkgs + x->inv.nlang; k++) {
			const struct img_pkg *p = img_inv_pkg(&x->inv, k);
			buf_adds(b, "  ");
			if (p->type)
				buf_addf(b, "%s:", p->type);
			text_visible(b, p->name);
			buf_addc(b, ' ');
			text_visible(b, p->version);
			buf_addf(b, "  (layer %zu)\n", p->layer + 1);
		}
	}
	if (c->n)
		buf_addc(b, '\n');
}

/* "read 120 of 172 MiB, 3 layers" (cmd_progress). */
static void show_progress(void *ud, unsigned long long done, unsigned long long total, size_t layers)
{
	if (!cmd_progress_due(ud))
		return;
	if (total)
		fprintf(stderr, "\rdocksec: read %llu of %llu MiB, %zu layer%s\033[K", done >> 20, total >> 20, layers,
			layers == 1 ? "" : "s");
	else
		fprintf(stderr, "\rdocksec: read %llu MiB, %zu layer%s\033[K", done >> 20, layers, layers == 1 ? "" : "s");
}

static void sbom_vulns(struct buf *b, void *ud)
{
	struct scan_ctx *c = ud;

	vdb_cyclonedx(b, &c->v[0].gate, &c->arena);
}

/* The SBOM written as it is made (sbom.h). */
struct sbom_job {
	enum img_sbom kind;
	struct scan_ctx *c;
};

static int sbom_out(FILE *out, void *ud)
{
	const struct sbom_job *j = ud;
	struct scan_ctx *c = j->c;
	int rc = img_sbom(out, j->kind, c->v[0].input, c->v[0].im, &c->v[0].inv, &c->arena, c->vulns ? sbom_vulns : NULL, c);

	return rc ? rc : fflush(out) ? DS_EWRITE : 0;
}

/* -f cyclonedx / spdx: the SBOM of the one image read, instead of the
 * report; with --vulns, CycloneDX lists the vulnerabilities (SPDX 2.3 has
 * no place for them). */
static int write_sbom(struct cmd_common *co, struct cmd_run *run, struct scan_ctx *c, enum img_sbom kind)
{
	struct ds_err err = {0};
	size_t i;
	int rc;

	for (i = 0; i < run->n; i++)
		if (run->t[i]->err.code)
			return cmd_error(&run->t[i]->err);
	if (c->n != 1) {
		ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "an SBOM describes one image; %zu were read (pick one with --image)",
			   c->n);
		return cmd_error(&err);
	}
	rc = cmd_write_output(co, sbom_out, &(struct sbom_job){kind, c}, &err);
	if (rc)
		return cmd_error(&err);
	/* with --vulns the SBOM run is the gate too */
	for (i = 0; c->vulns && i < c->v[0].t->nfindings; i++)
		if ((int)c->v[0].t->findings[i].severity >= co->threshold)
			return DS_EXIT_FINDINGS;
	return DS_EXIT_OK;
}

/* --daemon: the image streamed from GET /images/NAME/get through a socket
 * pair into the reader on another thread; nothing is written to disk. */
struct daemon_read {
	struct img_set *s;
	int fd;
	const char *name;
	const struct img_opts *o;
	struct ds_err err;
	int rc;
};

static void *daemon_reader(void *arg)
{
	struct daemon_read *d = arg;

	d->rc = img_read_fd(d->s, d->fd, d->name, d->o, &d->err);
	close(d->fd); /* an early stop (an error) ends the transfer */
	return NULL;
}

static int read_daemon(struct eng *e, struct img_set *s, const char *name, const struct img_opts *o, struct ds_err *err)
{
	struct daemon_read d = {s, -1, name, o, {0}, 0};
	struct ds_err serr = {0};
	char path[600];
	pthread_t th;
	int sv[2];

	if (!*name || strlen(name) > 500 || name[0] == '/' || strstr(name, "..") || strstr(name, "//") ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@") != strlen(name))
		return ds_err_set(err, DS_EUSAGE, name, 0, 0, "not an image name or id");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return ds_err_set(err, DS_EIO, name, 0, 0, "socketpair: %s", strerror(errno));
	d.fd = sv[0];
	if (pthread_create(&th, NULL, daemon_reader, &d)) {
		close(sv[0]);
		close(sv[1]);
		return ds_err_set(err, DS_EIO, name, 0, 0, "cannot start a thread");
	}
	snprintf(path, sizeof(path), "/images/%s/get", name);
	eng_stream(e, path, sv[1], &serr);
	close(sv[1]);
	pthread_join(th, NULL);
	if (serr.code && (!d.rc || d.err.code == DS_EPARSE)) { /* the transfer's failure explains the reader's */
		*err = serr;
		return serr.code;
	}
	if (d.rc)
		*err = d.err;
	return d.rc;
}

/* An input's or an image's error is the target's (its "file" in every
 * report and on stderr); the part of it the error is about (a layer, a
 * database, a manifest and its line) goes first in the message. */
static void err_in_target(struct target *t)
{
	char msg[sizeof(t->err.msg)];

	if (t->err.code && t->err.file && strcmp(t->err.file, t->path)) {
		/* (a message is at most 511 bytes: the part's name and the message cut to fit) */
		if (t->err.line)
			snprintf(msg, sizeof(msg), "%.160s:%d:%d: %.320s", t->err.file, t->err.line, t->err.col, t->err.msg);
		else
			snprintf(msg, sizeof(msg), "%.160s: %.340s", t->err.file, t->err.msg);
		memcpy(t->err.msg, msg, sizeof(msg));
		t->err.line = t->err.col = 0;
	}
	t->err.file = t->path;
}

static int by_severity(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	const char *pa = a->loc.path ? a->loc.path : a->loc.field ? a->loc.field : "",
		   *pb = b->loc.path ? b->loc.path : b->loc.field ? b->loc.field : "";
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->rule->id, b->rule->id)))
		return c;
	if ((c = strcmp(pa, pb)))
		return c;
	return strcmp(a->message, b->message);
}

/* Match x's inventory, run the VULN-* rules, and merge their findings
 * (already most severe and fixable first) into the sorted ones. */
static int judge_vulns(struct scan_ctx *c, struct vdb *db, struct scanned *x, struct vdb_allowlist *allow)
{
	struct target *t = x->t;
	size_t n0 = t->nfindings, i = 0, j, k = 0;
	struct finding *m;
	int rc;

	if ((rc = vdb_match(db, &c->arena, &x->inv, &x->hits, &x->nhits, &x->vst, &t->err)))
		return rc;
	x->gate = (struct vdb_gate){t, x->im, &x->inv, x->hits, x->nhits, allow, NULL, NULL, 0};
	if ((rc = vdb_gate_run(&x->gate)))
		return ds_oom(&t->err);
	if (t->nfindings == n0 || !n0)
		return 0;
	if (!(m = arena_alloc(&t->arena, t->nfindings * sizeof(*m))))
		return ds_oom(&t->err);
	for (j = n0; i < n0 || j < t->nfindings;)
		m[k++] = j >= t->nfindings || (i < n0 && t->findings[i].severity >= t->findings[j].severity) ? t->findings[i++]
													     : t->findings[j++];
	memcpy(t->findings, m, t->nfindings * sizeof(*m));
	return 0;
}

static const char scan_usage[] = "docksec scan [options] IMAGE...";
static const char scan_desc[] =
	"Scan container images without running them: IMAGE is a `docker save` tarball (either\n"
	"layout, plain, gzip or zstd), an OCI image layout (a directory or a tar of one), or - for\n"
	"standard input (docker save x | docksec scan -). Every layer is read once, streaming,\n"
	"and every digest is checked; nothing is unpacked to disk. It reports the OS, its\n"
	"packages with the layer that installed each, and setuid/setgid, world-writable and\n"
	"unowned files with their layer, credentials in files, and the DF rules on the image's\n"
	"history. -f cyclonedx (CycloneDX 1.5) or -f spdx (SPDX 2.3) writes the SBOM of one image\n"
	"instead. --vulns matches every package against the vulnerability database (docksec db\n"
	"import) and gates on them: exit 1 unless each one at or above --fail-on is whitelisted\n"
	"(--whitelist: clair-scanner's YAML, docksec's YAML with reasons and expiry dates, or a\n"
	".trivyignore; ./.trivyignore is read when present). Exit status: 0 clean, 1 findings at or\n"
	"above --fail-on, 2 usage error, an image that could not be read, or a missing or stale\n"
	"database.";

int cmd_scan(int argc, char **argv)
{
	struct cmd_common co;
	struct cmd_run run;
	struct scan_ctx c = {0};
	struct img_budget budget = {0}; /* the bounds of what the run holds, all inputs together */
	struct img_opts io = {.budget = &budget};
	struct ds_err err = {0};
	const char *timeout_s = NULL;
	enum img_sbom sbom = IMG_SBOM_CYCLONEDX;
	bool want_sbom = false;
	struct opt_list skip_paths = {0};
	bool no_secrets = false, from_daemon = false, eng_opened = false, no_cache = false;
	struct cmd_vulns vu = {0};
	double t0;
	const char *host = NULL;
	struct cmd_progress pg = {0};
	struct eng e;
	int rc, exit_code = DS_EXIT_OK;
	size_t i, k;
	const struct opt opts[] = {
		CMD_COMMON_OPTS(&co),
		{0, "image", OPT_STRING, &io.image, "NAME", "only the image(s) of this tag or digest in the archive"},
		{0, "platform", OPT_STRING, &io.platform, "OS/ARCH[/VARIANT]",
		 "the image of a multi-platform index to scan (default: this host's)"},
		{0, "timeout", OPT_STRING, &timeout_s, "S", "give up reading the inputs after S seconds, all of them together (default 600)"},
		{0, "packages", OPT_BOOL, &c.packages, NULL, "text: list the packages under each image"},
		{0, "no-secrets", OPT_BOOL, &no_secrets, NULL, "do not read the files for credentials"},
		{0, "no-cache", OPT_BOOL, &no_cache, NULL, "neither use nor fill the layer cache ($XDG_CACHE_HOME/docksec)"},
		{0, "daemon", OPT_BOOL, &from_daemon, NULL,
		 "IMAGE names images of the Docker daemon (--host, DOCKER_HOST), streamed from its API"},
		{'H', "host", OPT_STRING, &host, "HOST", "with --daemon: unix:///path, tcp://h:p or ssh://[user@]h"},
		{0, "skip-path", OPT_LIST, &skip_paths, "GLOB", "no IMG-* finding for image paths matching GLOB; repeatable"},
		CMD_VULNS_OPTS(&vu),
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};

	cmd_common_init(&co);
	memset(&run, 0, sizeof(run));
	arena_init(&c.arena, 0);
	arena_init(&c.scratch, 0);
	run.kind = "image";
	run.json_extra = json_extra;
	run.text_extra = text_extra;
	run.extra_ud = &c;
	rc = opt_parse(argc, argv, opts, &co.operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, scan_usage, scan_desc, opts);
		goto cleanup;
	}
	if (!rc && !co.operands.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "no image given (a docker save tarball, an OCI layout, or -)");
	if (!rc && timeout_s) {
		char *end;
		unsigned long v = strtoul(timeout_s, &end, 10);
		if (*end || !*timeout_s || v == 0 || v > 86400)
			rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--timeout takes seconds from 1 to 86400, not '%s'",
					timeout_s);
		io.timeout_ms = (unsigned)v * 1000;
	}
	if (!timeout_s)
		io.timeout_ms = 600 * 1000;
	if (!rc && co.format && (!strcmp(co.format, "cyclonedx") || !strcmp(co.format, "spdx"))) {
		sbom = !strcmp(co.format, "spdx") ? IMG_SBOM_SPDX : IMG_SBOM_CYCLONEDX;
		want_sbom = true;
		co.format = "json"; /* for the common checks; the SBOM replaces the report */
	}
	if (rc || (rc = cmd_common_parse(&co, &err))) {
		if (err.code == DS_EUSAGE) {
			cmd_error(&err);
			fprintf(stderr, "usage: %s (see 'docksec scan --help')\n", scan_usage);
			exit_code = DS_EXIT_ERROR;
			goto cleanup;
		}
		goto fail;
	}
	t0 = now_ms();
	if ((rc = cmd_vulns_open(&vu, &c.arena, &err)))
		goto fail;
	c.ms[0] = now_ms() - t0;
	t0 = now_ms();
	c.vulns = vu.on;
	c.db_path = vu.path;
	c.db_age = vu.age;
	io.secrets = !no_secrets;
	io.cache = !no_cache;
	cmd_progress_init(&pg, !co.quiet);
	if (pg.on) {
		io.progress = show_progress;
		io.progress_ud = &pg;
	}
	if (!(c.sets = ds_calloc(co.operands.n, sizeof(*c.sets)))) {
		rc = ds_oom(&err);
		goto fail;
	}
	for (i = 0; i < co.operands.n; i++) {
		const char *in = co.operands.v[i];
		struct img_set *s = &c.sets[c.nsets++];
		struct ds_err ierr = {0};
		if (from_daemon && !eng_opened) {
			if ((rc = eng_open(&e, host, 10000, &err)))
				goto fail;
			eng_opened = true;
		}
		if (from_daemon ? read_daemon(&e, s, in, &io, &ierr) : img_read(s, in, &io, &ierr)) {
			if (ierr.code == DS_ENOMEM) {
				err = ierr;
				goto fail;
			}
			if ((rc = run_add_data(&run, !strcmp(in, "-") ? "-" : in, "", &err)))
				goto fail;
			run.t[run.n - 1]->err = ierr;
			err_in_target(run.t[run.n - 1]);
			continue;
		}
		for (k = 0; k < s->n; k++) {
			struct scanned *x;
			if (arena_grow(&c.arena, (void **)&c.v, &c.cap, c.n + 1, sizeof(*c.v)) ||
			    (rc = run_add_data(&run, arena_printf(&c.arena, "%s (%s)", in, s->images[k].ref), "", &err))) {
				rc = rc ? rc : ds_oom(&err);
				goto fail;
			}
			x = &c.v[c.n++];
			memset(x, 0, sizeof(*x));
			x->input = in;
			x->set = s;
			x->im = &s->images[k];
			x->t = run.t[run.n - 1];
			x->t->kind = "image";
		}
	}
	cmd_progress_end(&pg);
	c.ms[1] = now_ms() - t0;
	if ((rc = cmd_common_prepare(&co, &run, &err)))
		goto fail;
	for (i = 0; i < c.n; i++) {
		struct scanned *x = &c.v[i];
		double t1 = now_ms();
		/* the image's view while its files are judged: one image's at a time */
		if (img_view(x->set, x->im, &x->t->err) || img_inventory(&c.arena, x->set, x->im, &x->inv, &x->t->err) ||
		    img_judge(x->t, x->im, &x->inv, skip_paths.v, skip_paths.n)) {
			if (!x->t->err.code)
				ds_oom(&x->t->err);
			err_in_target(x->t);
		}
		if (x->t->nfindings > 1) /* most severe first, then by rule and place */
			qsort(x->t->findings, x->t->nfindings, sizeof(*x->t->findings), by_severity);
		c.ms[2] += now_ms() - t1;
		t1 = now_ms();
		if (c.vulns && !x->t->err.code && (rc = judge_vulns(&c, vu.db, x, &vu.allow))) {
			err = x->t->err;
			goto fail;
		}
		c.ms[3] += now_ms() - t1;
		img_view_release(x->im);
	}
	cmd_vulns_unused(&vu, true);
	t0 = now_ms();
	if (want_sbom)
		exit_code = write_sbom(&co, &run, &c, sbom);
	else
		exit_code = cmd_common_report(&co, &run, "scan");
	c.ms[4] = now_ms() - t0;
	if (getenv("DOCKSEC_TIMINGS")) /* for bench/: where the time of a run went */
		fprintf(stderr, "docksec: timings: database %.1f ms, read %.1f ms, inventory and rules %.1f ms, "
				"vulnerability matching %.1f ms, report %.1f ms\n",
			c.ms[0], c.ms[1], c.ms[2], c.ms[3], c.ms[4]);
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	if (eng_opened)
		eng_close(&e);
	cmd_vulns_release(&vu);
	run_release(&run);
	for (i = 0; i < c.nsets; i++)
		img_set_release(&c.sets[i]);
	ds_free(c.sets);
	arena_release(&c.arena);
	arena_release(&c.scratch);
	opt_list_release(&skip_paths);
	cmd_common_release(&co);
	return exit_code;
}
