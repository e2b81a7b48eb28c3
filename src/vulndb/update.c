/*
 * update.c - `docksec db update`: osv.dev's per-ecosystem archives
 * (BASE/ECOSYSTEM/all.zip) downloaded with libcurl and imported (see
 * vulndb.h).
 *
 * Each archive is asked for with the validators of its last download
 * (If-None-Match with the stored ETag, If-Modified-Since with the stored
 * Last-Modified), so an unchanged ecosystem costs one 304. What changed is
 * written to temporary files beside the database (0600, created
 * exclusively, removed afterwards whatever happens) and imported in one
 * transaction together with the new validators: an update that fails
 * half-way leaves the database and its validators as they were. Only
 * https is spoken, redirects included; the downloads of one update
 * together are bounded by max_bytes; a stalled transfer (under 1 KiB/s for 60 s) is abandoned.
 */
#include "vulndb.h"
#include "../engine/curl_api.h"
#include "../core/buf.h"
#include <fcntl.h>
#include <unistd.h>

#define VDB_MAX_ECOSYSTEMS 64

struct dl {
	int fd;
	unsigned long long got, max;
	bool too_big, write_failed;
	char etag[256], lastmod[128];
};

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	struct dl *d = ud;
	size_t len = size * n, off = 0;

	if (d->got + len > d->max) {
		d->too_big = true;
		return 0;
	}
	while (off < len) {
		ssize_t w = write(d->fd, p + off, len - off);
		if (w <= 0) {
			d->write_failed = true;
			return 0;
		}
		off += (size_t)w;
	}
	d->got += len;
	return len;
}

/* ETag: and Last-Modified: of the final response (a redirect's are reset) */
static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
	struct dl *d = ud;
	size_t len = size * n, k;

	if (len >= 5 && !strncmp(p, "HTTP/", 5)) {
		d->etag[0] = d->lastmod[0] = 0;
		return len;
	}
	for (k = 0; k < 2; k++) {
		const char *name = k ? "last-modified:" : "etag:";
		size_t nl = strlen(name), vlen;
		char *dst = k ? d->lastmod : d->etag;
		size_t cap = k ? sizeof(d->lastmod) : sizeof(d->etag);
		const char *v;
		if (len <= nl || strncasecmp(p, name, nl))
			continue;
		for (v = p + nl; v < p + len && (*v == ' ' || *v == '\t'); v++)
			;
		vlen = (size_t)(p + len - v);
		while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
			vlen--;
		if (vlen < cap && memchr(v, 0, vlen) == NULL) {
			size_t i;
			for (i = 0; i < vlen; i++) /* a header value with control characters is not kept */
				if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
					return len;
			memcpy(dst, v, vlen);
			dst[vlen] = 0;
		}
	}
	return len;
}

/* "Rocky Linux" -> "Rocky%20Linux" */
static void url_of(struct buf *b, const char *base, const char *eco)
{
	size_t n = strlen(base);

	buf_add(b, base, n && base[n - 1] == '/' ? n - 1 : n);
	buf_addc(b, '/');
	for (; *eco; eco++) {
		unsigned char c = (unsigned char)*eco;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~:", c))
			buf_addc(b, (char)c);
		else
			buf_addf(b, "%%%02X", c);
	}
	buf_adds(b, "/all.zip");
}

static int fetch(const char *url, const struct vdb_update_opts *o, const char *etag, const char *lastmod, struct dl *d,
		 long *status, struct ds_err *err)
{
	CURL *c = eng_curl.easy_init();
	struct curl_slist *h = NULL;
	char ebuf[CURL_ERROR_SIZE] = "", line[400];
	CURLcode cc;
	int rc = 0;

	if (!c)
		return ds_oom(err);
	if (etag[0]) {
		snprintf(line, sizeof(line), "If-None-Match: %s", etag);
		h = eng_curl.slist_append(h, line);
	}
	if (lastmod[0]) {
		snprintf(line, sizeof(line), "If-Modified-Since: %s", lastmod);
		h = eng_curl.slist_append(h, line);
	}
	eng_curl.easy_setopt(c, CURLOPT_URL, url);
	eng_curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	eng_curl.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	eng_curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	eng_curl.easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	eng_curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	eng_curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	eng_curl.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
	eng_curl.easy_setopt(c, CURLOPT_USERAGENT, "docksec/" DS_VERSION);
	eng_curl.easy_setopt(c, CURLOPT_HTTPHEADER, h);
	eng_curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	eng_curl.easy_setopt(c, CURLOPT_WRITEDATA, d);
	eng_curl.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	eng_curl.easy_setopt(c, CURLOPT_HEADERDATA, d);
	eng_curl.easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	if (o->cacert)
		eng_curl.easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	cc = eng_curl.easy_perform(c);
	eng_curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	if (d->too_big)
		rc = ds_err_set(err, DS_ELIMIT, url, 0, 0, "the update downloads more than %llu MiB", o->max_bytes >> 20);
	else if (d->write_failed)
		rc = ds_err_set(err, DS_EIO, url, 0, 0, "cannot write the download: %s", strerror(errno));
	else if (cc != CURLE_OK)
		rc = ds_err_set(err, DS_EIO, url, 0, 0, "download failed: %s", ebuf[0] ? ebuf : eng_curl.easy_strerror(cc));
	else if (*status != 200 && *status != 304)
		rc = ds_err_set(err, DS_EIO, url, 0, 0, "the server answered HTTP %ld", *status);
	eng_curl.slist_free_all(h);
	eng_curl.easy_cleanup(c);
	return rc;
}

int vdb_update(const char *db_path, const struct vdb_update_opts *o, struct vdb_update_stats *st,
	       void (*progress)(void *ud, size_t records), void *ud, struct ds_err *err)
{
	char *files[VDB_MAX_ECOSYSTEMS] = {0};
	const char *paths[VDB_MAX_ECOSYSTEMS], *meta[4 * VDB_MAX_ECOSYSTEMS];
	char *metabuf[4 * VDB_MAX_ECOSYSTEMS] = {0};
	size_t i, npaths = 0, nmeta = 0;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (strncmp(o->base_url, "https://", 8))
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "the database URL must be https://, not '%.100s'", o->base_url);
	if (o->necosystems > VDB_MAX_ECOSYSTEMS)
		return ds_err_set(err, DS_EUSAGE, NULL, 0, 0, "at most %d ecosystems", VDB_MAX_ECOSYSTEMS);
	if ((rc = eng_curl_load(err)))
		return rc;
	for (i = 0; i < o->necosystems && !rc; i++) {
		struct buf url = BUF_INIT;
		struct dl d = {.fd = -1, .max = o->max_bytes - st->bytes}; /* what the update has left */
		char etag[256], lastmod[128];
		long status = 0;
		url_of(&url, o->base_url, o->ecosystems[i]);
		if (!buf_ok(&url) || !(files[i] = ds_malloc(strlen(db_path) + 32))) {
			rc = ds_oom(err);
		} else {
			char k1[600], k2[600];
			snprintf(k1, sizeof(k1), "etag %s", url.p);
			snprintf(k2, sizeof(k2), "last-modified %s", url.p);
			vdb_meta_get(db_path, k1, etag, sizeof(etag));
			vdb_meta_get(db_path, k2, lastmod, sizeof(lastmod));
			snprintf(files[i], strlen(db_path) + 32, "%s.download-%zu.zip", db_path, i);
			unlink(files[i]); /* a leftover of an interrupted update */
			if ((d.fd = open(files[i], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
				rc = ds_err_set(err, DS_EIO, files[i], 0, 0, "cannot create the download: %s", strerror(errno));
			else
				rc = fetch(url.p, o, etag, lastmod, &d, &status, err);
			if (d.fd >= 0 && close(d.fd) && !rc)
				rc = ds_err_set(err, DS_EIO, files[i], 0, 0, "cannot write the download: %s", strerror(errno));
			if (!rc && status == 304) {
				st->not_modified++;
			} else if (!rc) {
				st->downloaded++;
				st->bytes += d.got;
				paths[npaths++] = files[i];
				metabuf[nmeta * 2] = ds_strdup(k1);
				metabuf[nmeta * 2 + 1] = ds_strdup(d.etag);
				metabuf[nmeta * 2 + 2] = ds_strdup(k2);
				metabuf[nmeta * 2 + 3] = ds_strdup(d.lastmod);
				nmeta += 2;
			}
		}
		if (rc)
			ds_err_keep_file(err, url.p);
		buf_release(&url);
	}
	for (i = 0; i < 2 * nmeta && !rc; i++)
		if (!(meta[i] = metabuf[i]))
			rc = ds_oom(err);
	if (!rc) /* the validators and the data in one transaction; all 304: only the age is renewed */
		rc = vdb_import_meta(db_path, paths, npaths, meta, nmeta, &st->imported, progress, ud, err);
	for (i = 0; i < o->necosystems; i++) {
		if (files[i])
			unlink(files[i]);
		if (rc)
			ds_err_keep_file(err, files[i]);
		ds_free(files[i]);
	}
	for (i = 0; i < 2 * nmeta; i++)
		ds_free(metabuf[i]);
	return rc;
}
