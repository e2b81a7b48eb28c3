/*
 * engine.c - the Engine API client (see engine.h).
 */
#include "engine.h"
#include "curl_api.h"
#include "ssh.h"
#include <stdatomic.h>
#include <time.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct resp {
	struct buf body;
	bool too_big;
	bool over_budget;        /* the run's answers together are over lim->max_bytes */
	struct eng_limits *lim;
	char api_version[16];
	bool podman;
};

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct resp *r = ud;
	size_t len = sz * n;

	if (r->body.n + len > ENG_MAX_RESPONSE) {
		r->too_big = true;
		return 0; /* makes curl fail with CURLE_WRITE_ERROR */
	}
	if (r->lim && r->lim->max_bytes && atomic_fetch_add(&r->lim->used, len) + len > r->lim->max_bytes) {
		r->over_budget = true;
		return 0;
	}
	buf_add(&r->body, p, len);
	return buf_ok(&r->body) ? len : 0;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct resp *r = ud;
	size_t len = sz * n;
	struct str h = str_make(p, len), v;

	if (len > 12 && !strncasecmp(p, "Api-Version:", 12)) {
		v = str_trim(str_make(p + 12, len - 12));
		snprintf(r->api_version, sizeof(r->api_version), "%.*s", (int)(v.n < 15 ? v.n : 15), v.p);
	} else if (len > 7 && !strncasecmp(p, "Server:", 7) && str_ifind(h, "libpod") >= 0) {
		r->podman = true;
	} else if (len > 19 && !strncasecmp(p, "Libpod-Api-Version:", 19)) {
		r->podman = true;
	}
	return len;
}

static int version_cmp(const char *a, const char *b)
{
	unsigned long a1 = 0, a2 = 0, b1 = 0, b2 = 0;

	sscanf(a, "%lu.%lu", &a1, &a2);
	sscanf(b, "%lu.%lu", &b1, &b2);
	if (a1 != b1)
		return a1 < b1 ? -1 : 1;
	return a2 < b2 ? -1 : a2 > b2;
}

static int key_casecmp(const void *a, const void *b)
{
	return strcasecmp(*(const char *const *)a, *(const char *const *)b);
}

#define JSON_MAX_DEPTH 64
static const char too_deep[] = "";

/* Case-folded duplicate keys anywhere in the tree: the keys of each
 * object sorted case-insensitively, then neighbours compared, so a
 * hostile answer with 100,000 keys costs n log n, not n^2. Returns the
 * duplicate, too_deep for nesting beyond JSON_MAX_DEPTH (refused, not
 * skipped), or NULL. *oom is set when the key list could not be made. */
static const char *folded_dup(json_t *j, int depth, bool *oom)
{
	const char *bad = NULL, **keys;
	json_t *v;
	size_t i, n;
	void *it;

	if (depth > JSON_MAX_DEPTH)
		return too_deep;
	if (json_is_object(j)) {
		n = json_object_size(j);
		if (n > 1) {
			if (!(keys = ds_calloc(n, sizeof(*keys)))) {
				*oom = true;
				return NULL;
			}
			for (i = 0, it = json_object_iter(j); it && i < n; it = json_object_iter_next(j, it))
				keys[i++] = json_object_iter_key(it);
			qsort(keys, i, sizeof(*keys), key_casecmp);
			for (n = 1; n < i && !bad; n++)
				if (!strcasecmp(keys[n - 1], keys[n]))
					bad = keys[n];
			ds_free(keys);
			if (bad)
				return bad;
		}
		for (it = json_object_iter(j); it; it = json_object_iter_next(j, it))
			if ((bad = folded_dup(json_object_iter_value(it), depth + 1, oom)) || *oom)
				return bad;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((bad = folded_dup(v, depth + 1, oom)) || *oom)
				return bad;
	}
	return NULL;
}

int eng_parse_json(const char *body, size_t len, const char *what, json_t **out, struct ds_err *err)
{
	json_error_t je;
	json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	const char *dup;
	bool oom = false;

	*out = NULL;
	if (!j)
		return ds_err_set(err, DS_EPARSE, what, je.line, je.column, "invalid JSON: %s", je.text);
	if ((dup = folded_dup(j, 0, &oom)) == too_deep) {
		json_decref(j);
		return ds_err_set(err, DS_ELIMIT, what, 0, 0, "JSON nested deeper than %d levels", JSON_MAX_DEPTH);
	}
	if (oom) {
		json_decref(j);
		return ds_oom(err);
	}
	if (dup) { /* the key lives in j: the message is made before j goes */
		ds_err_set(err, DS_EPARSE, what, 0, 0,
			   "key '%.200s' appears twice when case is ignored (dockerd would read only one)", dup);
		json_decref(j);
		return DS_EPARSE;
	}
	*out = j;
	return 0;
}

long long eng_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int request(struct eng *e, const char *url, struct resp *r, long *status, struct ds_err *err)
{
	CURL *c = e->curl;
	CURLcode cc;
	char ebuf[CURL_ERROR_SIZE] = "";
	long timeout = e->timeout_ms;

	r->lim = e->lim;
	if (e->lim && e->lim->deadline_ms) { /* one deadline for the whole run */
		long long left = e->lim->deadline_ms - eng_now_ms();
		if (left <= 0)
			return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0, "the audit took longer than its deadline");
		if (left < timeout)
			timeout = (long)left;
	}
	eng_curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout);
	eng_curl.easy_setopt(c, CURLOPT_URL, url);
	eng_curl.easy_setopt(c, CURLOPT_HTTPGET, 1L);
	eng_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	eng_curl.easy_setopt(c, CURLOPT_WRITEDATA, r);
	eng_curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	eng_curl.easy_setopt(c, CURLOPT_HEADERDATA, r);
	eng_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	cc = eng_curl.easy_perform(c);
	eng_curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, e->timeout_ms);
	if (cc != CURLE_OK) {
		if (r->too_big)
			return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0, "response larger than %u MiB", ENG_MAX_RESPONSE >> 20);
		if (r->over_budget)
			return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0, "the daemon's answers exceed %llu MiB in all",
					  e->lim->max_bytes >> 20);
		if (cc == CURLE_OPERATION_TIMEDOUT && timeout < e->timeout_ms)
			return ds_err_set(err, DS_ELIMIT, e->host_ref, 0, 0, "the audit took longer than its deadline");
		if (e->ssh) {
			const char *said = eng_ssh_error(e->ssh);
			if (cc == CURLE_COULDNT_CONNECT && said[0]) /* ssh did not start */
				return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "ssh %s: %s", eng_ssh_dest(e->ssh), said);
			return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "ssh %s: %s%s%s", eng_ssh_dest(e->ssh),
					  cc == CURLE_OPERATION_TIMEDOUT ? "no answer in time"
					  : ebuf[0]			 ? ebuf
									 : eng_curl.easy_strerror(cc),
					  said[0] ? "; ssh said: " : " (does `docker system dial-stdio` work there?)", said);
		}
		if (cc == CURLE_COULDNT_CONNECT && e->sock) {
			struct stat st;
			if (stat(e->sock, &st))
				return ds_err_set(err, DS_EIO, e->host_ref, 0, 0,
						  "no Docker daemon: %s does not exist (is dockerd running? set DOCKER_HOST or --host)",
						  e->sock);
			if (access(e->sock, R_OK | W_OK))
				return ds_err_set(err, DS_EIO, e->host_ref, 0, 0,
						  "permission denied on %s (run as root or as a member of its group)", e->sock);
			return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "no daemon listens on %s", e->sock);
		}
		if (cc == CURLE_OPERATION_TIMEDOUT)
			return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "the daemon did not answer within %ld ms", e->timeout_ms);
		return ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "%s", ebuf[0] ? ebuf : eng_curl.easy_strerror(cc));
	}
	eng_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	return 0;
}

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

/* Is the port of "host:port[/...]" exactly port? ("h:23760" is not 2376) */
static bool port_is(const char *hostport, const char *port)
{
	const char *end = hostport + strcspn(hostport, "/?#"), *colon = NULL, *p;
	size_t n = strlen(port);

	for (p = hostport; p < end; p++)
		if (*p == ':')
			colon = p;
	return colon && (size_t)(end - colon - 1) == n && !strncmp(colon + 1, port, n);
}

int eng_open(struct eng *e, const char *host, long timeout_ms, struct ds_err *err)
{
	const char *h = host ? host : getenv("DOCKER_HOST");
	struct resp r = {.body = BUF_INIT};
	long status = 0;
	char url[512];
	int rc;

	memset(e, 0, sizeof(*e));
	if ((rc = eng_curl_load(err)))
		return rc;
	e->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
	if (!h || !*h)
		h = "unix://" ENG_DEFAULT_SOCKET;
	e->host_ref = h;
	if (!(e->host = ds_strdup(h)))
		return ds_oom(err);
	if (!strncmp(h, "unix://", 7) || h[0] == '/') {
		e->sock = ds_strdup(h[0] == '/' ? h : h + 7);
		e->base = ds_strdup("http://localhost");
	} else if (!strncmp(h, "tcp://", 6)) {
		bool use_tls = env_set("DOCKER_TLS_VERIFY") || env_set("DOCKER_TLS") || port_is(h + 6, "2376");
		size_t n = strlen(h) + 16;
		e->base = ds_malloc(n);
		if (e->base)
			snprintf(e->base, n, "%s://%s", use_tls ? "https" : "http", h + 6);
	} else if (!strncmp(h, "ssh://", 6)) {
		if ((rc = eng_ssh_new(h, &e->ssh, err))) {
			eng_close(e);
			return rc;
		}
		e->base = ds_strdup("http://localhost"); /* dial-stdio reaches the daemon's socket */
	} else {
		ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "unsupported Docker host '%s' (unix://, tcp:// or ssh://)", h);
		eng_close(e);
		return DS_EUSAGE;
	}
	if (!e->base || (!e->sock && !strncmp(h, "unix", 4))) {
		eng_close(e);
		return ds_oom(err);
	}
	if (!(e->curl = eng_curl.easy_init())) {
		eng_close(e);
		return ds_oom(err);
	}
	if (e->sock)
		eng_curl.easy_setopt(e->curl, CURLOPT_UNIX_SOCKET_PATH, e->sock);
	if (e->ssh)
		eng_ssh_attach(e->ssh, e->curl);
	eng_curl.easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, e->timeout_ms);
	eng_curl.easy_setopt(e->curl, CURLOPT_CONNECTTIMEOUT_MS, e->timeout_ms);
	eng_curl.easy_setopt(e->curl, CURLOPT_NOSIGNAL, 1L);
	eng_curl.easy_setopt(e->curl, CURLOPT_USERAGENT, "docksec/" DS_VERSION);
	eng_curl.easy_setopt(e->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	if (!strncmp(e->base, "https", 5)) {
		const char *cp = getenv("DOCKER_CERT_PATH");
		if (cp && *cp) {
			char p[PATH_MAX];
			snprintf(p, sizeof(p), "%s/ca.pem", cp);
			eng_curl.easy_setopt(e->curl, CURLOPT_CAINFO, p);
			snprintf(p, sizeof(p), "%s/cert.pem", cp);
			eng_curl.easy_setopt(e->curl, CURLOPT_SSLCERT, p);
			snprintf(p, sizeof(p), "%s/key.pem", cp);
			eng_curl.easy_setopt(e->curl, CURLOPT_SSLKEY, p);
		}
		/* the peer is verified unless the user asked for TLS without
		 * verification the way the Docker CLI spells it (DOCKER_TLS
		 * without DOCKER_TLS_VERIFY); port 2376 alone verifies */
		if (env_set("DOCKER_TLS") && !env_set("DOCKER_TLS_VERIFY"))
			eng_curl.easy_setopt(e->curl, CURLOPT_SSL_VERIFYPEER, 0L);
	}
	snprintf(url, sizeof(url), "%s/_ping", e->base);
	rc = request(e, url, &r, &status, err);
	e->podman = r.podman;
	buf_release(&r.body);
	if (rc) {
		eng_close(e);
		return rc;
	}
	if (status != 200) {
		eng_close(e);
		return ds_err_set(err, DS_EIO, h, 0, 0, "/_ping answered HTTP %ld: not a Docker Engine API?", status);
	}
	snprintf(e->server_api, sizeof(e->server_api), "%s", r.api_version[0] ? r.api_version : "1.24");
	snprintf(e->api, sizeof(e->api), "%s",
		 version_cmp(e->server_api, ENG_API_MAX) < 0 ? e->server_api : ENG_API_MAX);
	return 0;
}

void eng_close(struct eng *e)
{
	if (e->curl)
		eng_curl.easy_cleanup(e->curl);
	eng_ssh_free(e->ssh); /* after the handle: its cleanup closes the connections */
	ds_free(e->sock);
	ds_free(e->base);
	ds_free(e->host);
	memset(e, 0, sizeof(*e));
}

int eng_get(struct eng *e, const char *path, json_t **out, long *status, struct ds_err *err)
{
	struct resp r = {.body = BUF_INIT};
	char url[1024];
	long st = 0;
	int rc;

	*out = NULL;
	if (strlen(path) > 900)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0, "API path too long");
	snprintf(url, sizeof(url), "%s/v%s%s", e->base, e->api, path);
	rc = request(e, url, &r, &st, err);
	if (status)
		*status = st;
	if (!rc && !buf_ok(&r.body))
		rc = ds_oom(err);
	if (!rc && st >= 400) {
		json_t *j = NULL;
		struct ds_err tmp = {0};
		const char *msg = NULL;
		if (!eng_parse_json(buf_str(&r.body), r.body.n, path, &j, &tmp))
			msg = json_string_value(json_object_get(j, "message"));
		rc = ds_err_set(err, st == 404 ? DS_ENOTFOUND : DS_EIO, e->host_ref, 0, 0, "GET %s: HTTP %ld%s%s", path, st,
				msg ? ": " : "", msg ? msg : "");
		json_decref(j);
	}
	if (!rc)
		rc = eng_parse_json(buf_str(&r.body), r.body.n, path, out, err);
	buf_release(&r.body);
	return rc;
}

struct sink {
	int fd;
	bool closed; /* the reader stopped: the rest is not wanted */
	CURL *c;
	long status;   /* of the answer, once its body begins */
	struct buf eb; /* an error answer's body (at most ENG_STREAM_ERR_MAX bytes), not streamed */
};

#define ENG_STREAM_ERR_MAX (16u << 10)

static size_t on_stream(char *p, size_t sz, size_t n, void *ud)
{
	struct sink *s = ud;
	size_t len = sz * n, off = 0;

	if (!s->status)
		eng_curl.easy_getinfo(s->c, CURLINFO_RESPONSE_CODE, &s->status);
	if (s->status >= 400) { /* the daemon's reason, kept for the error */
		if (s->eb.n + len > ENG_STREAM_ERR_MAX)
			return 0;
		buf_add(&s->eb, p, len);
		return len;
	}
	while (off < len) {
		ssize_t w = send(s->fd, p + off, len - off, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->closed = true;
			return 0;
		}
		off += (size_t)w;
	}
	return len;
}

int eng_stream(struct eng *e, const char *path, int fd, struct ds_err *err)
{
	CURL *c = e->curl;
	struct sink s = {fd, false, c, 0, BUF_INIT};
	char url[1024], ebuf[CURL_ERROR_SIZE] = "";
	long idle = e->timeout_ms / 1000 > 0 ? e->timeout_ms / 1000 : 1;
	CURLcode cc;
	int rc = 0;

	if (strlen(path) > 900)
		return ds_err_set(err, DS_ELIMIT, path, 0, 0, "API path too long");
	snprintf(url, sizeof(url), "%s/v%s%s", e->base, e->api, path);
	eng_curl.easy_setopt(c, CURLOPT_URL, url);
	eng_curl.easy_setopt(c, CURLOPT_HTTPGET, 1L);
	eng_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_stream);
	eng_curl.easy_setopt(c, CURLOPT_WRITEDATA, &s);
	eng_curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, NULL); /* with HEADERDATA NULL: headers are dropped */
	eng_curl.easy_setopt(c, CURLOPT_HEADERDATA, NULL);
	eng_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	/* an export takes as long as it takes; a stalled one is cut */
	eng_curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, 0L);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, idle);
	cc = eng_curl.easy_perform(c);
	if (!s.status)
		eng_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &s.status);
	if (s.status >= 400) { /* "HTTP 500: empty export - not implemented" */
		json_t *j = NULL;
		struct ds_err tmp = {0};
		const char *msg = NULL;
		if (buf_ok(&s.eb) && s.eb.n && !eng_parse_json(buf_str(&s.eb), s.eb.n, path, &j, &tmp))
			msg = json_string_value(json_object_get(j, "message"));
		rc = ds_err_set(err, s.status == 404 ? DS_ENOTFOUND : DS_EIO, e->host_ref, 0, 0, "GET %s: HTTP %ld%s%.300s",
				path, s.status, msg ? ": " : "", msg ? msg : "");
		json_decref(j);
	} else if (cc != CURLE_OK && !(cc == CURLE_WRITE_ERROR && s.closed)) {
		rc = ds_err_set(err, DS_EIO, e->host_ref, 0, 0, "GET %s: %s", path, ebuf[0] ? ebuf : eng_curl.easy_strerror(cc));
	}
	buf_release(&s.eb);
	eng_curl.easy_setopt(c, CURLOPT_TIMEOUT_MS, e->timeout_ms);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 0L);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 0L);
	return rc;
}
