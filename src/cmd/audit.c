/*
 * audit.c - `docksec audit`: the live Docker host against the CIS Docker
 * Benchmark, over the Engine API.
 *
 * Everything is fetched once, up front, over one keep-alive connection:
 * /info, /version, /containers/json?all=1, one inspect per container (so
 * created-but-stopped containers are audited too, labelled by state),
 * /top of the running ones and the container's exec sessions. Then the
 * containers are judged by the container rules and src/host/audit.c
 * decides each check. Output: docker-bench-like text, or JSON with one
 * object per check ({"id", "status", "title", "evidence", "findings"}).
 */
#include "cmd.h"
#include "../core/config.h"
#include "../core/opt.h"
#include "../core/report.h"
#include "../container/check.h"
#include "../engine/engine.h"
#include "../host/audit.h"
#include "../image/layers.h"
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define AU_MAX_CONTAINERS 100000

struct fetched {
	json_t *info, *version, *list, *networks, *images;
	json_t **inspect, **top, **execs, **img_inspect, **img_history;
	json_t **img_setid; /* per image: [{"path","mode","layer"}], {"error"}, or NULL (not listed) */
	bool *img_export;   /* per image: within the --image-files-max budget */
	size_t n, nimg;
};

static void fetched_release(struct fetched *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		json_decref(x->inspect[i]);
		json_decref(x->top[i]);
		json_decref(x->execs[i]);
	}
	for (i = 0; i < x->nimg; i++) {
		json_decref(x->img_inspect[i]);
		json_decref(x->img_history[i]);
		if (x->img_setid)
			json_decref(x->img_setid[i]);
	}
	ds_free(x->img_setid);
	ds_free(x->img_export);
	ds_free(x->inspect);
	ds_free(x->top);
	ds_free(x->execs);
	ds_free(x->img_inspect);
	ds_free(x->img_history);
	json_decref(x->networks);
	json_decref(x->images);
	json_decref(x->info);
	json_decref(x->version);
	json_decref(x->list);
}

/* The processes of every container, read from /proc in one pass when the
 * daemon is local (its UNIX socket, and we are root): a process belongs to
 * the container whose 64-hex id appears in its /proc/PID/cgroup. This
 * replaces one /top request per container, which makes dockerd run ps over
 * the whole host each time (about 10 ms apiece). The result has /top's
 * shape: {"Titles": ["PID", "CMD"], "Processes": [[pid, command], ...]}. */
static bool local_processes(struct fetched *x)
{
	DIR *d;
	struct dirent *de;
	size_t i;
	char path[64], buf[4096];

	if (geteuid() != 0 || access("/proc/self/cgroup", R_OK))
		return false;
	for (i = 0; i < x->n; i++)
		if (x->inspect[i] && json_is_true(json_object_get(json_object_get(x->inspect[i], "State"), "Running")))
			x->top[i] = json_pack("{s:[s,s],s:[]}", "Titles", "PID", "CMD", "Processes");
	if (!(d = opendir("/proc")))
		return false;
	while ((de = readdir(d))) {
		FILE *f;
		size_t n;
		const char *id = NULL;
		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%.20s/cgroup", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		for (i = 0; i < x->n && !id; i++) {
			const char *cid = json_string_value(json_object_get(x->inspect[i], "Id"));
			if (x->top[i] && cid && strlen(cid) == 64 && strstr(buf, cid))
				id = cid;
		}
		if (!id)
			continue;
		i--;
		snprintf(path, sizeof(path), "/proc/%.20s/cmdline", de->d_name);
		if ((f = fopen(path, "r"))) {
			size_t k;
			n = fread(buf, 1, sizeof(buf) - 1, f);
			fclose(f);
			for (k = 0; k + 1 < n; k++)
				if (!buf[k])
					buf[k] = ' ';
			buf[n] = 0;
			json_array_append_new(json_object_get(x->top[i], "Processes"), json_pack("[s,s]", de->d_name, buf));
		}
	}
	closedir(d);
	return true;
}

static bool hex_id(const char *id, size_t max)
{
	return id && strlen(id) <= max && strspn(id, "sha256:0123456789abcdef") == strlen(id);
}

/* The slow part of an audit is the daemon's own work per request (/top
 * runs ps, /info and /version ask containerd and runc), so requests go out
 * from AU_WORKERS threads, each on its own keep-alive connection. Items:
 * 0 /info, 1 /version, then one per container (inspect, /top when
 * running, exec sessions), then one per image (inspect, history). */
#define AU_WORKERS 8

struct pool {
	bool local; /* processes come from /proc, not /top */
	const char *host;
	long timeout;
	struct fetched *x;
	size_t nitems;
	atomic_size_t next;
	pthread_mutex_t mu;
	struct ds_err err; /* first error, under mu */
};

static void pool_fail(struct pool *p, const struct ds_err *err)
{
	pthread_mutex_lock(&p->mu);
	if (!p->err.code)
		p->err = *err;
	pthread_mutex_unlock(&p->mu);
}

static int fetch_container(struct eng *e, struct fetched *x, size_t i, bool local, struct ds_err *err)
{
	const char *id = json_string_value(json_object_get(json_array_get(x->list, i), "Id"));
	char path[256];
	struct ds_err ignore = {0};
	json_t *ids;
	size_t k;
	int rc;

	if (!hex_id(id, 64))
		return ds_err_set(err, DS_EPARSE, "/containers/json", 0, 0, "container without a valid Id");
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	if ((rc = eng_get(e, path, &x->inspect[i], NULL, err)))
		return rc == DS_ENOTFOUND ? (memset(err, 0, sizeof(*err)), 0) : rc; /* removed meanwhile */
	if (!local && json_is_true(json_object_get(json_object_get(x->inspect[i], "State"), "Running"))) {
		snprintf(path, sizeof(path), "/containers/%s/top", id);
		eng_get(e, path, &x->top[i], NULL, &ignore);
	}
	x->execs[i] = json_array();
	ids = json_object_get(x->inspect[i], "ExecIDs");
	for (k = 0; k < json_array_size(ids); k++) {
		const char *eid = json_string_value(json_array_get(ids, k));
		json_t *ej = NULL;
		memset(&ignore, 0, sizeof(ignore));
		if (!hex_id(eid, 64))
			continue;
		snprintf(path, sizeof(path), "/exec/%s/json", eid);
		if (!eng_get(e, path, &ej, NULL, &ignore))
			json_array_append_new(x->execs[i], ej);
	}
	return 0;
}

struct lister {
	int fd;
	json_t *result;
};

/* The reading end of an image export: setuid/setgid files of the final view. */
static void *list_setid(void *arg)
{
	struct lister *l = arg;
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	size_t n, i;

	arena_init(&a, IMG_MAX_MEMORY);
	if (img_setid_files(l->fd, &a, &files, &n, &err)) {
		l->result = json_pack("{s:s}", "error", err.msg[0] ? err.msg : "unreadable image archive");
	} else {
		l->result = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(l->result, json_pack("{s:s,s:i,s:i}", "path", files[i].path, "mode",
								   (int)files[i].mode, "layer", (int)files[i].layer));
	}
	close(l->fd); /* an early stop ends the transfer */
	arena_release(&a);
	return NULL;
}

/* GET /images/ID/get streamed through a socket pair into the lister. */
static json_t *export_setid(struct eng *e, const char *id)
{
	struct lister l = {-1, NULL};
	struct ds_err err = {0};
	pthread_t th;
	char path[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return NULL;
	l.fd = sv[0];
	if (pthread_create(&th, NULL, list_setid, &l)) {
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	snprintf(path, sizeof(path), "/images/%s/get", id);
	eng_stream(e, path, sv[1], &err);
	close(sv[1]);
	pthread_join(th, NULL);
	if (err.code) { /* the transfer failed: its error explains what the reader saw */
		json_decref(l.result);
		l.result = json_pack("{s:s}", "error", err.msg);
	}
	return l.result;
}

static void *fetch_worker(void *arg)
{
	struct pool *p = arg;
	struct fetched *x = p->x;
	struct ds_err err = {0};
	struct eng e;
	size_t i;

	if (eng_open(&e, p->host, p->timeout, &err)) {
		pool_fail(p, &err);
		return NULL;
	}
	while ((i = atomic_fetch_add(&p->next, 1)) < p->nitems) {
		int rc = 0;
		memset(&err, 0, sizeof(err));
		if (i == 0) {
			rc = eng_get(&e, "/info", &x->info, NULL, &err);
		} else if (i == 1) {
			rc = eng_get(&e, "/version", &x->version, NULL, &err);
		} else if (i - 2 < x->n) {
			rc = fetch_container(&e, x, i - 2, p->local, &err);
		} else {
			size_t j = i - 2 - x->n;
			const char *id = json_string_value(json_object_get(json_array_get(x->images, j), "Id"));
			char path[256];
			if (hex_id(id, 80)) {
				snprintf(path, sizeof(path), "/images/%s/json", id);
				eng_get(&e, path, &x->img_inspect[j], NULL, &err);
				memset(&err, 0, sizeof(err));
				snprintf(path, sizeof(path), "/images/%s/history", id);
				eng_get(&e, path, &x->img_history[j], NULL, &err);
				memset(&err, 0, sizeof(err));
				if (x->img_export[j])
					x->img_setid[j] = export_setid(&e, id);
			}
		}
		if (rc)
			pool_fail(p, &err);
	}
	eng_close(&e);
	return NULL;
}

struct prefetch {
	struct au_data d;
	struct au_host h;
	struct arena a;
};

static void *prefetch_host(void *arg)
{
	struct prefetch *p = arg;

	au_host_prefetch(&p->d, &p->a, &p->h);
	return NULL;
}

static int fetch(struct eng *e, struct fetched *x, long timeout, unsigned long long export_budget, struct ds_err *err)
{
	struct pool p;
	pthread_t th[AU_WORKERS];
	size_t i, started = 0, workers;
	int rc;

	if ((rc = eng_get(e, "/containers/json?all=1", &x->list, NULL, err)) ||
	    (rc = eng_get(e, "/networks", &x->networks, NULL, err)) || (rc = eng_get(e, "/images/json", &x->images, NULL, err)))
		return rc;
	if (!json_is_array(x->list) || !json_is_array(x->images))
		return ds_err_set(err, DS_EPARSE, e->host_ref, 0, 0, "expected lists of containers and images");
	x->n = json_array_size(x->list);
	x->nimg = json_array_size(x->images);
	if (x->n > AU_MAX_CONTAINERS || x->nimg > AU_MAX_CONTAINERS)
		return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0, "more than %d containers or images", AU_MAX_CONTAINERS);
	x->inspect = ds_calloc(x->n + 1, sizeof(json_t *));
	x->top = ds_calloc(x->n + 1, sizeof(json_t *));
	x->execs = ds_calloc(x->n + 1, sizeof(json_t *));
	x->img_inspect = ds_calloc(x->nimg + 1, sizeof(json_t *));
	x->img_history = ds_calloc(x->nimg + 1, sizeof(json_t *));
	x->img_setid = ds_calloc(x->nimg + 1, sizeof(json_t *));
	x->img_export = ds_calloc(x->nimg + 1, sizeof(bool));
	if (!x->inspect || !x->top || !x->execs || !x->img_inspect || !x->img_history || !x->img_setid ||
	    !x->img_export) {
		x->n = x->nimg = 0;
		return ds_oom(err);
	}
	{ /* image layers are listed (4.8) up to the budget, smallest images first would be
	   * fairer but the list order is the daemon's: newest first */
		unsigned long long used = 0;
		for (i = 0; i < x->nimg; i++) {
			json_int_t size = json_integer_value(json_object_get(json_array_get(x->images, i), "Size"));
			if (size >= 0 && used + (unsigned long long)size <= export_budget) {
				x->img_export[i] = true;
				used += (unsigned long long)size;
			}
		}
	}
	memset(&p, 0, sizeof(p));
	p.host = e->host;
	p.local = e->sock && geteuid() == 0 && !access("/proc/self/cgroup", R_OK) && !getenv("DOCKSEC_AUDIT_USE_TOP");
	p.timeout = timeout;
	p.x = x;
	p.nitems = 2 + x->n + x->nimg;
	atomic_init(&p.next, 0);
	pthread_mutex_init(&p.mu, NULL);
	workers = p.nitems < AU_WORKERS ? p.nitems : AU_WORKERS;
	for (i = 1; i < workers; i++)
		if (pthread_create(&th[started], NULL, fetch_worker, &p) == 0)
			started++;
	fetch_worker(&p);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
	if (p.err.code) {
		*err = p.err;
		return p.err.code;
	}
	if (!x->info || !x->version)
		return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "no answer to /info or /version");
	if (p.local && local_processes(x)) {
		/* a daemon in another PID namespace (docksec in a container with
		 * the socket mounted): what /proc did not show comes from /top */
		for (i = 0; i < x->n; i++) {
			json_t *top = x->top[i];
			const char *id = json_string_value(json_object_get(x->inspect[i], "Id"));
			char path[256];
			struct ds_err ignore = {0};
			if (!top || json_array_size(json_object_get(top, "Processes")) || !hex_id(id, 64))
				continue;
			json_decref(top);
			x->top[i] = NULL;
			snprintf(path, sizeof(path), "/containers/%s/top", id);
			eng_get(e, path, &x->top[i], NULL, &ignore);
		}
	}
	return 0;
}

static void json_report(struct buf *b, const struct eng *e, const struct fetched *x, const struct au_result *r,
			size_t n, const size_t *counts)
{
	size_t i, k;

	buf_adds(b, "{\"tool\":\"docksec\",\"version\":\"" DS_VERSION "\",\"schema\":1,\"command\":\"audit\",\"host\":");
	rpt_json_str(b, e->host ? e->host : "offline");
	buf_adds(b, ",\"api_version\":");
	rpt_json_str(b, e->api);
	buf_adds(b, ",\"engine_version\":");
	rpt_json_str(b, json_string_value(json_object_get(x->version, "Version")) ? json_string_value(json_object_get(x->version, "Version")) : "");
	buf_addf(b, ",\"podman\":%s,\"containers\":%zu,\"checks\":[", e->podman ? "true" : "false", x->n);
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		rpt_json_str(b, r[i].def->id);
		buf_addf(b, ",\"status\":\"%s\",\"title\":", au_status_name(r[i].status));
		rpt_json_str(b, r[i].def->title);
		buf_adds(b, ",\"evidence\":");
		rpt_json_str(b, r[i].evidence);
		buf_adds(b, ",\"findings\":[");
		for (k = 0; k < r[i].nfindings; k++) {
			const struct finding *f = r[i].findings[k];
			buf_adds(b, k ? ",{\"rule\":" : "{\"rule\":");
			rpt_json_str(b, f->rule->id);
			buf_addf(b, ",\"severity\":\"%s\",\"container\":", sev_name(f->severity));
			rpt_json_str(b, f->context ? f->context : "");
			buf_adds(b, ",\"message\":");
			rpt_json_str(b, f->message);
			buf_addc(b, '}');
		}
		buf_adds(b, "]}");
	}
	buf_addf(b, "\n],\"summary\":{\"pass\":%zu,\"warn\":%zu,\"info\":%zu,\"note\":%zu,\"skip\":%zu,\"score\":%ld}}\n",
		 counts[AU_PASS], counts[AU_WARN], counts[AU_INFO], counts[AU_NOTE], counts[AU_SKIP],
		 (long)counts[AU_PASS] - (long)counts[AU_WARN]);
}

static const char *const section_desc[] = {
	"", "Host Configuration", "Docker daemon configuration", "Docker daemon configuration files",
	"Container Images and Build File", "Container Runtime", "Docker Security Operations",
	"Docker Swarm Configuration",
};

/* docker-bench-security's log.json, so tooling built on it keeps working.
 * SKIP (not in its vocabulary) is written as INFO with the reason. */
static void bench_report(struct buf *b, const struct au_result *r, size_t n, const size_t *counts, time_t start)
{
	size_t i, k, ncis = 0;
	long score = 0;
	int sec = 0;

	(void)counts;
	buf_addf(b, "{\n  \"dockerbenchsecurity\": \"docksec %s\",\n  \"start\": %lld,\n  \"tests\": [", DS_VERSION,
		 (long long)start);
	for (i = 0; i < n; i++) {
		int s = r[i].def->id[0] - '0';
		if (s < 1 || s > 7)
			continue; /* docksec's own checks are not in docker-bench's log */
		ncis++;
		score += r[i].status == AU_PASS ? 1 : r[i].status == AU_WARN ? -1 : 0;
		const char *p;
		if (s != sec) {
			buf_addf(b, "%s\n    {\n      \"id\": \"%d\",\n      \"desc\": \"%s\",\n      \"results\": [",
				 sec ? "\n      ]\n    }," : "", s, s > 0 && s < 8 ? section_desc[s] : "");
			sec = s;
		} else {
			buf_addc(b, ',');
		}
		buf_adds(b, "\n        {\"id\": ");
		rpt_json_str(b, r[i].def->id);
		buf_adds(b, ", \"desc\": ");
		{
			char d[512];
			snprintf(d, sizeof(d), "%s (%s)", r[i].def->title, r[i].def->automated ? "Automated" : "Manual");
			rpt_json_str(b, d);
		}
		buf_addf(b, ", \"result\": \"%s\"", r[i].status == AU_SKIP ? "INFO" : au_status_name(r[i].status));
		if (r[i].evidence && *r[i].evidence && r[i].status != AU_PASS) {
			struct buf d = BUF_INIT;
			if (r[i].status == AU_SKIP)
				buf_adds(&d, "skipped: ");
			for (p = r[i].evidence; *p; p++)
				buf_addc(&d, *p == '\n' ? ';' : *p);
			buf_adds(b, ", \"details\": ");
			rpt_json_str(b, buf_str(&d));
			buf_release(&d);
		}
		if (r[i].nfindings) {
			buf_adds(b, ", \"items\": [");
			for (k = 0; k < r[i].nfindings; k++) {
				const char *c = r[i].findings[k]->context ? r[i].findings[k]->context : "?";
				const char *sp = strstr(c, " (");
				char name[256];
				snprintf(name, sizeof(name), "%.*s", (int)(sp ? sp - c : (long)strlen(c)), c);
				if (k)
					buf_addc(b, ',');
				rpt_json_str(b, name);
			}
			buf_addc(b, ']');
		}
		buf_addc(b, '}');
	}
	buf_addf(b, "%s\n  ],\n  \"checks\": %zu,\n  \"score\": %ld,\n  \"end\": %lld\n}\n", sec ? "\n      ]\n    }" : "",
		 ncis, score, (long long)time(NULL));
}

/* JUnit: one testsuite, one testcase per check; WARN fails, SKIP is skipped. */
/* SARIF 2.1.0: every reported check is a rule (its id, title and a CIS or
 * host-hardening tag); WARN is a result of level "warning", INFO one of
 * level "note", with the evidence as the message. A check's findings name
 * their containers as logical locations; host checks name the host. */
static void sarif_report(struct buf *b, const struct eng *e, const struct au_result *r, size_t n, const size_t *counts)
{
	size_t i, k, nres = 0;

	buf_adds(b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":"
		    "{\"driver\":{\"name\":\"docksec\",\"version\":\"" DS_VERSION
		    "\",\"informationUri\":\"https://github.com/docksec/docksec\",\"rules\":[");
	for (i = 0; i < n; i++) {
		bool host = !strncmp(r[i].def->id, "host-", 5);
		buf_adds(b, i ? ",\n{\"id\":" : "\n{\"id\":");
		rpt_json_str(b, r[i].def->id);
		buf_adds(b, ",\"shortDescription\":{\"text\":");
		rpt_json_str(b, r[i].def->title);
		buf_addf(b, "},\"properties\":{\"tags\":[\"%s\"]}}", host ? "host-hardening" : "cis-docker-1.6.0");
	}
	buf_adds(b, "]}},\"results\":[");
	for (i = 0; i < n; i++) {
		if (r[i].status != AU_WARN && r[i].status != AU_INFO)
			continue;
		buf_adds(b, nres++ ? ",\n{\"ruleId\":" : "\n{\"ruleId\":");
		rpt_json_str(b, r[i].def->id);
		buf_addf(b, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":", i,
			 r[i].status == AU_WARN ? "warning" : "note");
		rpt_json_str(b, r[i].evidence);
		buf_adds(b, "},\"locations\":[");
		if (!r[i].nfindings) {
			buf_adds(b, "{\"logicalLocations\":[{\"kind\":\"module\",\"name\":");
			rpt_json_str(b, e->host ? e->host : "offline host");
			buf_adds(b, "}]}");
		}
		for (k = 0; k < r[i].nfindings; k++) {
			buf_adds(b, k ? ",{\"logicalLocations\":[{\"kind\":\"object\",\"name\":" : "{\"logicalLocations\":[{\"kind\":\"object\",\"name\":");
			rpt_json_str(b, r[i].findings[k]->context ? r[i].findings[k]->context : "");
			buf_adds(b, "}],\"message\":{\"text\":");
			rpt_json_str(b, r[i].findings[k]->message);
			buf_adds(b, "}}");
		}
		buf_adds(b, "]}");
	}
	buf_addf(b, "\n],\"properties\":{\"pass\":%zu,\"warn\":%zu,\"info\":%zu,\"note\":%zu,\"skip\":%zu,\"score\":%ld}}]}\n",
		 counts[AU_PASS], counts[AU_WARN], counts[AU_INFO], counts[AU_NOTE], counts[AU_SKIP],
		 (long)counts[AU_PASS] - (long)counts[AU_WARN]);
}

static void junit_report(struct buf *b, const struct au_result *r, size_t n, const size_t *counts)
{
	size_t i;

	buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"docksec audit\" tests=\"%zu\" "
		    "failures=\"%zu\" skipped=\"%zu\">\n<testsuite name=\"CIS Docker Benchmark v1.6.0\" tests=\"%zu\" "
		    "failures=\"%zu\" skipped=\"%zu\">\n", n, counts[AU_WARN], counts[AU_SKIP], n, counts[AU_WARN], counts[AU_SKIP]);
	for (i = 0; i < n; i++) {
		buf_adds(b, "<testcase classname=\"cis\" name=\"");
		buf_add_xml(b, r[i].def->id, strlen(r[i].def->id));
		buf_adds(b, " ");
		buf_add_xml(b, r[i].def->title, strlen(r[i].def->title));
		buf_adds(b, "\">");
		if (r[i].status == AU_WARN) {
			buf_adds(b, "<failure message=\"WARN\">");
			buf_add_xml(b, r[i].evidence, strlen(r[i].evidence));
			buf_adds(b, "</failure>");
		} else if (r[i].status == AU_SKIP) {
			buf_adds(b, "<skipped message=\"");
			buf_add_xml(b, r[i].evidence, strlen(r[i].evidence));
			buf_adds(b, "\"/>");
		} else {
			buf_adds(b, "<system-out>");
			buf_add_xml(b, au_status_name(r[i].status), 4);
			buf_adds(b, ": ");
			buf_add_xml(b, r[i].evidence, strlen(r[i].evidence));
			buf_adds(b, "</system-out>");
		}
		buf_adds(b, "</testcase>\n");
	}
	buf_adds(b, "</testsuite>\n</testsuites>\n");
}

static void text_report(struct buf *b, const struct eng *e, const struct fetched *x, const struct au_result *r,
			size_t n, const size_t *counts, bool color)
{
	static const char *const col[] = {"\033[1;32m", "\033[1;31m", "\033[1;34m", "\033[1;33m", "\033[2m"};
	size_t i;

	buf_addf(b, "docksec audit of %s (API %s%s, engine %s, %zu containers)\n\n", e->host ? e->host : "a root directory", e->api,
		 e->podman ? ", Podman" : "",
		 json_string_value(json_object_get(x->version, "Version")) ? json_string_value(json_object_get(x->version, "Version")) : "?",
		 x->n);
	for (i = 0; i < n; i++) {
		const char *p = r[i].evidence, *nl;
		buf_addf(b, "%s[%s]%s %s - %s\n", color ? col[r[i].status] : "", au_status_name(r[i].status),
			 color ? "\033[0m" : "", r[i].def->id, r[i].def->title);
		if (r[i].status == AU_PASS || r[i].status == AU_SKIP || r[i].status == AU_NOTE)
			continue;
		while (p && *p) {
			nl = strchr(p, '\n');
			buf_addf(b, "       * %.*s\n", (int)(nl ? nl - p : (long)strlen(p)), p);
			p = nl ? nl + 1 : NULL;
		}
	}
	buf_addf(b, "\n%zu checks: %zu PASS, %zu WARN, %zu INFO, %zu NOTE, %zu SKIP; score %ld\n", n, counts[AU_PASS],
		 counts[AU_WARN], counts[AU_INFO], counts[AU_NOTE], counts[AU_SKIP],
		 (long)counts[AU_PASS] - (long)counts[AU_WARN]);
}

static const char audit_usage[] = "docksec audit [options]";
static const char audit_desc[] =
	"Audit a live Docker host against the CIS Docker Benchmark v1.6.0 (docker-bench-security's\n"
	"check ids) over the Engine API: every container, running or only created, is judged by\n"
	"the same rules as `docksec check`. The host is --host, else DOCKER_HOST, else\n"
	"unix:///var/run/docker.sock. Exit status: 0 no WARN, 1 at least one WARN, 2 usage error\n"
	"or the daemon could not be reached.";

int cmd_audit(int argc, char **argv)
{
	const char *host = NULL, *format = "text", *only = NULL, *timeout_s = NULL, *color = "auto", *root = NULL,
		   *image_files_s = NULL;
	struct dcfg dcfg;
	struct opt_list operands = {0}, include = {0}, exclude = {0};
	struct ds_err err = {0};
	struct eng e = {0};
	struct fetched x = {0};
	struct target t;
	struct ct_file f = {0};
	struct au_data d = {0};
	struct au_result *res = NULL;
	struct buf out = BUF_INIT;
	size_t n = 0, i, counts[AU_SKIP + 1] = {0};
	unsigned long timeout = 10000, image_files_max = 2048;
	struct arena host_arena = {0};
	struct au_host host_facts = {0};
	bool have_facts = false;
	int rc, exit_code = DS_EXIT_OK;
	const struct opt opts[] = {
		{'H', "host", OPT_STRING, &host, "HOST", "unix:///path or tcp://host:port (default: DOCKER_HOST)"},
		{'f', "format", OPT_STRING, &format, "FMT", "text (default), json, sarif, docker-bench (its log.json) or junit"},
		{0, "only", OPT_STRING, &only, "SECTION",
		 "one section: host, daemon, files, images, containers, operations, swarm, hardening"},
		{'c', "include", OPT_LIST, &include, "ID", "only these checks (ids or prefixes like 5 or 5.1); repeatable"},
		{'e', "exclude", OPT_LIST, &exclude, "ID", "leave these checks out; repeatable"},
		{0, "timeout", OPT_STRING, &timeout_s, "MS", "per-request timeout in milliseconds (default 10000)"},
		{0, "root", OPT_STRING, &root, "DIR", "audit a mounted host filesystem offline (no API: host, daemon and file checks)"},
		{0, "color", OPT_STRING, &color, "WHEN", "auto (default), always or never"},
		{0, "image-files-max", OPT_STRING, &image_files_s, "MIB",
		 "list the files of images up to this total size for 4.8 (default 2048; 0: none)"},
		{0, NULL, OPT_END, NULL, NULL, NULL},
	};
	static const char *const sections[][2] = {{"host", "1"},	 {"daemon", "2"},	{"files", "3"},
						   {"images", "4"},	 {"containers", "5"}, {"operations", "6"},
						   {"swarm", "7"},	 {"hardening", "host"}};

	time_t start = time(NULL);

	target_init(&t, "docker");
	rc = opt_parse(argc, argv, opts, &operands, &err);
	if (rc == OPT_HELP_REQUESTED) {
		opt_usage(stdout, audit_usage, audit_desc, opts);
		goto cleanup;
	}
	if (!rc && operands.n)
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "audit takes no operands ('%s')", operands.v[0]);
	if (!rc && strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "docker-bench") && strcmp(format, "junit") &&
	    strcmp(format, "sarif"))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "unknown format '%s' (text, json, sarif, docker-bench, junit)",
				format);
	if (!rc && timeout_s && (!str_to_ulong(str_cstr(timeout_s), 600000, &timeout) || !timeout))
		rc = ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "--timeout takes milliseconds from 1 to 600000");
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
	if (rc) {
		cmd_error(&err);
		fprintf(stderr, "usage: %s (see 'docksec audit --help')\n", audit_usage);
		exit_code = DS_EXIT_ERROR;
		goto cleanup;
	}
	if (root) {
		struct stat st;
		if (stat(root, &st) || !S_ISDIR(st.st_mode)) {
			rc = ds_err_set(&err, DS_EUSAGE, root, 0, 0, "--root must name a directory");
			goto fail;
		}
	} else if ((rc = eng_open(&e, host, (long)timeout, &err))) {
		goto fail;
	} else {
		/* the host's own facts are read while the daemon answers */
		struct prefetch pf = {{0}, {0}, {0}};
		pthread_t th;
		bool threaded;
		pf.d.root = "/";
		pf.d.remote = !e.sock;
		arena_init(&pf.a, 0);
		threaded = pthread_create(&th, NULL, prefetch_host, &pf) == 0;
		rc = fetch(&e, &x, (long)timeout,
			   au_selected("4.8", include.v, include.n, exclude.v, exclude.n) ? image_files_max << 20 : 0, &err);
		if (threaded)
			pthread_join(th, NULL);
		host_arena = pf.a;
		host_facts = pf.h;
		have_facts = threaded;
		if (rc)
			goto fail;
	}
	if ((rc = host_daemon_config(&t.arena, root ? root : "/", e.sock, &dcfg))) {
		ds_oom(&err);
		goto fail;
	}
	t.cfg = cfg_default();
	for (i = 0; i < x.n; i++)
		if (x.inspect[i] && (rc = ct_from_inspect(&t, &f, x.inspect[i]))) {
			err = t.err;
			goto fail;
		}
	/* top and execs follow the containers that were inspected */
	{
		size_t k = 0;
		for (i = 0; i < x.n; i++)
			if (x.inspect[i]) {
				json_t *tp = x.top[i], *ex = x.execs[i];
				x.top[i] = x.execs[i] = NULL;
				x.top[k] = tp;
				x.execs[k++] = ex;
			}
	}
	ct_judge(&t, &f);
	if (t.nomem) {
		rc = ds_oom(&err);
		goto fail;
	}
	d.info = x.info;
	d.version = x.version;
	d.t = &t;
	d.f = &f;
	d.top = x.top;
	d.execs = x.execs;
	d.podman = e.podman;
	d.dcfg = &dcfg;
	d.root = root ? root : "/";
	d.sock = e.sock;
	d.remote = !root && !e.sock;
	d.host = have_facts ? &host_facts : NULL;
	d.networks = x.networks;
	d.images = x.images;
	d.image_inspect = x.img_inspect;
	d.image_history = x.img_history;
	d.image_setid = x.img_setid;
	if ((rc = au_run(&d, &t.arena, include.v, include.n, exclude.v, exclude.n, &res, &n))) {
		ds_oom(&err);
		goto fail;
	}
	for (i = 0; i < n; i++)
		counts[res[i].status]++;
	if (!strcmp(format, "json"))
		json_report(&out, &e, &x, res, n, counts);
	else if (!strcmp(format, "docker-bench"))
		bench_report(&out, res, n, counts, start);
	else if (!strcmp(format, "junit"))
		junit_report(&out, res, n, counts);
	else if (!strcmp(format, "sarif"))
		sarif_report(&out, &e, res, n, counts);
	else
		text_report(&out, &e, &x, res, n, counts,
			    !strcmp(color, "always") || (!strcmp(color, "auto") && isatty(1) && !getenv("NO_COLOR")));
	if (!buf_ok(&out)) {
		rc = ds_oom(&err);
		goto fail;
	}
	fwrite(out.p, 1, out.n, stdout);
	exit_code = counts[AU_WARN] ? DS_EXIT_FINDINGS : DS_EXIT_OK;
	goto cleanup;
fail:
	cmd_error(&err);
	exit_code = DS_EXIT_ERROR;
cleanup:
	buf_release(&out);
	fetched_release(&x);
	eng_close(&e);
	arena_release(&host_arena);
	target_release(&t);
	opt_list_release(&operands);
	opt_list_release(&include);
	opt_list_release(&exclude);
	return exit_code;
}
