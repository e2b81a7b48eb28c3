/*
 * snapshot.c - everything `audit` needs from a daemon, fetched once and
 * up front: /info, /version, /containers/json?all=1, one inspect per
 * container (so created-but-stopped containers are audited too), the
 * processes of the running ones and their exec sessions, /networks,
 * /images/json with each image's inspect and history and, within a size
 * budget, the setuid/setgid files of each image's layers (an export
 * streamed through a socket pair into the layer reader, never to disk).
 *
 * The slow part is the daemon's own work per request, so requests go out
 * from a small pool of threads, each on its own keep-alive connection.
 * Processes come from one /proc pass when the daemon is local instead of
 * one /top per container (which makes dockerd run ps over the host).
 */
#include "snapshot.h"
#include "../image/layers.h"
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <unistd.h>



void eng_snapshot_release(struct eng_snapshot *x)
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
static bool local_processes(struct eng_snapshot *x)
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
	struct eng_limits *lim; /* the run's, shared by every worker's connection */
	struct eng_snapshot *x;
	size_t nitems;
	atomic_size_t next, done;
	const struct eng_progress *progress; /* called on owner, the caller's thread */
	pthread_t owner;
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

/* A request whose answer a check needs but could not get: kept as
 * {"error": "GET path: why"} in the answer's place, so the check says
 * ERROR with the reason instead of judging what it did not see. */
static json_t *failed(const char *path, const struct ds_err *why)
{
	return json_pack("{s:s+++}", "error", "GET ", path, ": ", why->msg[0] ? why->msg : ds_rc_message(why->code));
}

/* GET path into *out, or the failure in its place. */
static void get_or_error(struct eng *e, const char *path, json_t **out)
{
	struct ds_err why = {0};

	if (eng_get(e, path, out, NULL, &why)) {
		json_decref(*out); /* removed meanwhile (404): simply not there */
		*out = why.code == DS_ENOTFOUND ? NULL : failed(path, &why);
	}
}

static int fetch_container(struct eng *e, struct eng_snapshot *x, size_t i, bool local, struct ds_err *err)
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
		get_or_error(e, path, &x->top[i]);
	}
	x->execs[i] = json_array();
	ids = json_object_get(x->inspect[i], "ExecIDs");
	for (k = 0; k < json_array_size(ids); k++) {
		const char *eid = json_string_value(json_array_get(ids, k));
		json_t *ej = NULL;
		memset(&ignore, 0, sizeof(ignore));
		if (k == ENG_MAX_EXECS) { /* a hostile daemon lists millions */
			json_array_append_new(x->execs[i], json_pack("{s:s}", "error", "more exec sessions than docksec reads"));
			break;
		}
		if (!hex_id(eid, 64)) {
			json_array_append_new(x->execs[i], json_pack("{s:s}", "error", "an exec id that is not one"));
			continue;
		}
		snprintf(path, sizeof(path), "/exec/%s/json", eid);
		if (!eng_get(e, path, &ej, NULL, &ignore))
			json_array_append_new(x->execs[i], ej);
		else if (ignore.code != DS_ENOTFOUND) /* an ended session can be gone */
			json_array_append_new(x->execs[i], failed(path, &ignore));
	}
	return 0;
}

struct lister {
	int fd;
	unsigned timeout_ms; /* for the whole image */
	json_t *result;
};

/* One image export at a time: each holds up to IMG_MAX_MEMORY of paths,
 * and eight in parallel would multiply that. */
static pthread_mutex_t export_mu = PTHREAD_MUTEX_INITIALIZER;

/* The reading end of an image export: setuid/setgid files of the final view. */
static void *list_setid(void *arg)
{
	struct lister *l = arg;
	struct arena a;
	struct img_file *files;
	struct ds_err err = {0};
	size_t n, i;

	arena_init(&a, IMG_MAX_MEMORY);
	if (img_setid_files_within(l->fd, &a, l->timeout_ms, &files, &n, &err)) {
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
	struct lister l = {-1, 0, NULL};
	struct ds_err err = {0};
	pthread_t th;
	char path[256];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return NULL;
	l.fd = sv[0];
	/* an image gets ENG_EXPORT_TIMEOUTS request timeouts in all */
	l.timeout_ms = (unsigned)(e->timeout_ms * ENG_EXPORT_TIMEOUTS);
	if (e->lim && e->lim->deadline_ms) { /* and never past the audit's deadline */
		long long left = e->lim->deadline_ms - eng_now_ms();
		l.timeout_ms = left <= 0 ? 1 : left < l.timeout_ms ? (unsigned)left : l.timeout_ms;
	}
	pthread_mutex_lock(&export_mu);
	if (pthread_create(&th, NULL, list_setid, &l)) {
		pthread_mutex_unlock(&export_mu);
		close(sv[0]);
		close(sv[1]);
		return NULL;
	}
	snprintf(path, sizeof(path), "/images/%s/get", id);
	eng_stream(e, path, sv[1], &err);
	close(sv[1]);
	pthread_join(th, NULL);
	pthread_mutex_unlock(&export_mu);
	if (err.code) { /* the transfer failed: its error explains what the reader saw */
		json_decref(l.result);
		l.result = json_pack("{s:s}", "error", err.msg);
	}
	return l.result;
}

static void *fetch_worker(void *arg)
{
	struct pool *p = arg;
	struct eng_snapshot *x = p->x;
	struct ds_err err = {0};
	struct eng e;
	size_t i;

	if (eng_open(&e, p->host, p->timeout, &err)) {
		pool_fail(p, &err);
		return NULL;
	}
	e.lim = p->lim;
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
				get_or_error(&e, path, &x->img_inspect[j]);
				snprintf(path, sizeof(path), "/images/%s/history", id);
				get_or_error(&e, path, &x->img_history[j]);
				if (x->img_export[j])
					x->img_setid[j] = export_setid(&e, id);
			}
		}
		if (rc)
			pool_fail(p, &err);
		i = atomic_fetch_add(&p->done, 1) + 1;
		if (p->progress && pthread_equal(pthread_self(), p->owner))
			p->progress->fn(p->progress->ud, i, p->nitems);
	}
	eng_close(&e);
	return NULL;
}

int eng_snapshot_fetch(struct eng *e, struct eng_snapshot *x, long timeout, unsigned long long export_budget,
		       const struct eng_progress *progress, struct ds_err *err)
{
	struct pool p;
	pthread_t th[AU_WORKERS];
	size_t i, started = 0, workers, n, nimg;
	int rc;

	if ((rc = eng_get(e, "/containers/json?all=1", &x->list, NULL, err)) ||
	    (rc = eng_get(e, "/networks", &x->networks, NULL, err)) || (rc = eng_get(e, "/images/json", &x->images, NULL, err)))
		return rc;
	if (!json_is_array(x->list) || !json_is_array(x->images))
		return ds_err_set(err, DS_EPARSE, e->host_ref, 0, 0, "expected lists of containers and images");
	n = json_array_size(x->list);
	nimg = json_array_size(x->images);
	/* x->n and x->nimg are set only once the arrays they count exist:
	 * eng_snapshot_release walks them */
	if (n > ENG_MAX_OBJECTS || nimg > ENG_MAX_OBJECTS)
		return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0,
				  "the daemon lists %zu containers and %zu images; docksec audits at most %d of each", n,
				  nimg, ENG_MAX_OBJECTS);
	x->inspect = ds_calloc(n + 1, sizeof(json_t *));
	x->top = ds_calloc(n + 1, sizeof(json_t *));
	x->execs = ds_calloc(n + 1, sizeof(json_t *));
	x->img_inspect = ds_calloc(nimg + 1, sizeof(json_t *));
	x->img_history = ds_calloc(nimg + 1, sizeof(json_t *));
	x->img_setid = ds_calloc(nimg + 1, sizeof(json_t *));
	x->img_export = ds_calloc(nimg + 1, sizeof(bool));
	if (!x->inspect || !x->top || !x->execs || !x->img_inspect || !x->img_history || !x->img_setid ||
	    !x->img_export)
		return ds_oom(err);
	x->n = n;
	x->nimg = nimg;
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
	p.lim = e->lim;
	p.x = x;
	p.nitems = 2 + x->n + x->nimg;
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	p.progress = progress && progress->fn ? progress : NULL;
	p.owner = pthread_self();
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
			if (!top || json_array_size(json_object_get(top, "Processes")) || !hex_id(id, 64))
				continue;
			json_decref(top);
			x->top[i] = NULL;
			snprintf(path, sizeof(path), "/containers/%s/top", id);
			get_or_error(e, path, &x->top[i]);
		}
	}
	return 0;
}

