/*
 * layers.c - setuid/setgid files of an image's final view (see layers.h).
 *
 * The stream is hostile: a tiny layer can expand to gigabytes (gzip of
 * gzip), hold millions of empty entries, or arrive two bytes at a time.
 * So every byte a layer decompresses to is read here, in blocks, and
 * counted against one budget for the whole image (IMG_MAX_UNPACKED), the
 * entries of all layers against IMG_MAX_ENTRIES, and a deadline is
 * checked at every block and every read from the outer stream. Hiding
 * files by whiteouts costs log(whiteouts) per ancestor of each listed
 * file, not whiteouts x files.
 */
#include "layers.h"
#include "archive_api.h"
#include <jansson.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* What one run of img_setid_files may still spend. */
struct budget {
	unsigned long long unpacked; /* bytes of layer contents read so far */
	size_t entries;              /* entries of all layers so far */
	struct timespec deadline;
	bool timed;                  /* a deadline applies */
	bool expired;                /* a wait for the stream ran out the deadline */
};

static bool past(const struct budget *b)
{
	struct timespec now;

	if (!b->timed)
		return false;
	if (b->expired)
		return true;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > b->deadline.tv_sec ||
	       (now.tv_sec == b->deadline.tv_sec && now.tv_nsec >= b->deadline.tv_nsec);
}

struct layer {
	const char *name;      /* its entry in the outer archive: "abc/layer.tar" */
	const char **paths;    /* every path it holds, sorted */
	size_t npaths, cap;
	const char **wh;       /* whiteouts: "/dir/name" (hide), "/dir/" (opaque) */
	size_t nwh, capwh;
	struct img_file *set;  /* its setuid/setgid regular files */
	size_t nset, capset;
};

/* The outer stream: reads from fd that wait no longer than the deadline,
 * so an export that stalls or trickles is cut too. */
struct outer {
	int fd;
	struct budget *b;
	char buf[65536];
};

static int remaining_ms(const struct budget *b)
{
	struct timespec now;
	long long ms;

	if (!b->timed)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long long)(b->deadline.tv_sec - now.tv_sec) * 1000 + (b->deadline.tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
}

static la_ssize_t outer_read(struct archive *ar, void *ud, const void **out)
{
	struct outer *o = ud;
	struct pollfd pfd = {o->fd, POLLIN, 0};
	ssize_t r;
	int pr;

	*out = o->buf;
	for (;;) {
		pr = poll(&pfd, 1, remaining_ms(o->b));
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			o->b->expired = true;
			img_ar.set_error(ar, ETIMEDOUT, "the image took longer than its time limit");
			return -1;
		}
		r = read(o->fd, o->buf, sizeof(o->buf));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			img_ar.set_error(ar, errno, "cannot read the image: %s", strerror(errno));
		return r < 0 ? -1 : r;
	}
}

struct nested {
	struct archive *outer;
	const struct budget *b;
	char buf[65536];
};

static la_ssize_t nested_read(struct archive *ar, void *ud, const void **out)
{
	struct nested *n = ud;
	la_ssize_t r;

	if (past(n->b)) {
		img_ar.set_error(ar, ETIMEDOUT, "the image took longer than its time limit");
		return -1;
	}
	r = img_ar.read_data(n->outer, n->buf, sizeof(n->buf));
	*out = n->buf;
	return r < 0 ? -1 : r;
}

/* "./usr/bin/x", "usr/bin/x/" -> "/usr/bin/x" */
static const char *norm(struct arena *a, const char *p)
{
	size_t n;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	while (*p == '/')
		p++;
	n = strlen(p);
	while (n && p[n - 1] == '/')
		n--;
	return arena_printf(a, "/%.*s", (int)n, p);
}

static int by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* One layer from the outer archive's current entry; false when it is not a tar. */
static int read_layer(struct archive *outer, struct arena *a, struct layer *l, struct budget *b, struct ds_err *err)
{
	struct nested *n = ds_malloc(sizeof(*n));
	struct archive *in = img_ar.read_new();
	struct archive_entry *e;
	static char sink[65536]; /* contents are counted, never kept */
	int r = ARCHIVE_OK, rc = 0;
	bool first = true;

	if (!in || !n) {
		ds_free(n);
		if (in)
			img_ar.read_free(in);
		return ds_oom(err);
	}
	n->outer = outer;
	n->b = b;
	img_ar.read_support_format_tar(in);
	img_ar.read_support_filter_all(in);
	if (img_ar.read_open(in, n, NULL, nested_read, NULL) != ARCHIVE_OK) {
		img_ar.read_free(in);
		ds_free(n);
		return past(b) ? ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the image took longer than its time limit")
			       : 1; /* an empty or unreadable entry: not a layer */
	}
	while (!rc && ((r = img_ar.read_next_header(in, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *p = img_ar.entry_pathname(e), *base;
		mode_t m = img_ar.entry_mode(e);
		const char *w;
		la_ssize_t got;
		first = false;
		/* the contents, in blocks, against the image's budget */
		while ((got = img_ar.read_data(in, sink, sizeof(sink))) > 0) {
			b->unpacked += (unsigned long long)got;
			if (b->unpacked > IMG_MAX_UNPACKED) {
				rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the image's layers unpack to more than %llu MiB",
						IMG_MAX_UNPACKED >> 20);
				break;
			}
			if (past(b)) {
				rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the image took longer than its time limit");
				break;
			}
		}
		if (rc)
			break;
		if (got < 0) {
			r = ARCHIVE_FATAL;
			break;
		}
		if (!p)
			continue;
		if (++b->entries > IMG_MAX_ENTRIES) {
			rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the image has more than %u entries", IMG_MAX_ENTRIES);
			break;
		}
		if (!(p = norm(a, p))) {
			rc = ds_oom(err);
			break;
		}
		base = strrchr(p, '/') + 1; /* norm's result starts with '/' */
		if (!strncmp(base, ".wh.", 4)) {
			w = !strcmp(base, ".wh..wh..opq") ? arena_printf(a, "%.*s/", (int)(base - p - 1), p)
							  : arena_printf(a, "%.*s%s", (int)(base - p), p, base + 4);
			if (!w || arena_grow(a, (void **)&l->wh, &l->capwh, l->nwh + 1, sizeof(*l->wh))) {
				rc = ds_oom(err);
				break;
			}
			l->wh[l->nwh++] = w;
			continue;
		}
		if (arena_grow(a, (void **)&l->paths, &l->cap, l->npaths + 1, sizeof(*l->paths))) {
			rc = ds_oom(err);
			break;
		}
		l->paths[l->npaths++] = p;
		if (S_ISREG(m) && (m & (S_ISUID | S_ISGID))) {
			if (arena_grow(a, (void **)&l->set, &l->capset, l->nset + 1, sizeof(*l->set))) {
				rc = ds_oom(err);
				break;
			}
			l->set[l->nset++] = (struct img_file){p, (unsigned)(m & 07777), 0};
		}
	}
	if (!rc && past(b)) {
		rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the image took longer than its time limit");
	} else if (!rc && r != ARCHIVE_EOF && first) {
		rc = 1; /* not a tar at all (a JSON blob) */
	} else if (!rc && r != ARCHIVE_EOF) {
		rc = ds_err_set(err, DS_EPARSE, l->name, 0, 0, "broken layer archive: %s", img_ar.error_string(in));
	}
	img_ar.read_free(in);
	ds_free(n);
	if (l->nwh)
		qsort(l->wh, l->nwh, sizeof(*l->wh), by_str);
	if (l->npaths)
		qsort(l->paths, l->npaths, sizeof(*l->paths), by_str);
	return rc;
}

/* Is path hidden by one of the layer's sorted whiteouts? "/a/b" hides
 * itself and what is under it; "/a/" (opaque) hides a's children. Each
 * ancestor of path is looked up: depth x log(whiteouts). */
static bool whited_out(const char *path, const struct layer *l, char *tmp)
{
	size_t n = strlen(path), i;
	const char *key = tmp;

	if (!l->nwh || n >= IMG_MAX_PATH)
		return false;
	memcpy(tmp, path, n + 1);
	for (i = n; i > 0; i--) {
		if (i < n && path[i] != '/')
			continue;
		/* "/a/b/c" itself, then each parent as "/a/b" (hidden) and "/a/b/" (opaque) */
		tmp[i] = 0;
		if (bsearch(&key, l->wh, l->nwh, sizeof(*l->wh), by_str))
			return true;
		if (i < n) {
			tmp[i] = '/';
			tmp[i + 1] = 0;
			if (bsearch(&key, l->wh, l->nwh, sizeof(*l->wh), by_str))
				return true;
		}
	}
	tmp[0] = '/'; /* an opaque root */
	tmp[1] = 0;
	return bsearch(&key, l->wh, l->nwh, sizeof(*l->wh), by_str) != NULL;
}

static int by_path(const void *x, const void *y)
{
	return strcmp(((const struct img_file *)x)->path, ((const struct img_file *)y)->path);
}

int img_setid_files(int fd, struct arena *a, struct img_file **out, size_t *nout, struct ds_err *err)
{
	return img_setid_files_within(fd, a, 0, out, nout, err);
}

int img_setid_files_within(int fd, struct arena *a, unsigned timeout_ms, struct img_file **out, size_t *nout,
			   struct ds_err *err)
{
	struct budget b = {0};
	struct outer *o = NULL;
	char *tmp = NULL;
	struct archive *ar;
	struct archive_entry *e;
	struct layer *ls = NULL;
	size_t nl = 0, capl = 0, i, k, j, nv = 0, capv = 0;
	struct img_file *view = NULL;
	char *manifest = NULL;
	json_t *mj = NULL, *layers;
	int r = ARCHIVE_OK, rc = 0;

	*out = NULL;
	*nout = 0;
	if ((rc = img_archive_load(err)))
		return rc;
	ar = img_ar.read_new();
	if (timeout_ms) {
		clock_gettime(CLOCK_MONOTONIC, &b.deadline);
		b.deadline.tv_sec += timeout_ms / 1000;
		b.deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
		if (b.deadline.tv_nsec >= 1000000000L) {
			b.deadline.tv_sec++;
			b.deadline.tv_nsec -= 1000000000L;
		}
		b.timed = true;
	}
	if (!ar || !(tmp = arena_alloc(a, IMG_MAX_PATH + 2)) || !(o = arena_alloc(a, sizeof(*o)))) {
		if (ar)
			img_ar.read_free(ar);
		return ds_oom(err);
	}
	img_ar.read_support_format_tar(ar);
	o->fd = fd;
	o->b = &b;
	if (img_ar.read_open(ar, o, NULL, outer_read, NULL) != ARCHIVE_OK) {
		rc = past(&b) ? ds_err_set(err, DS_ELIMIT, "image", 0, 0, "the image took longer than its time limit")
			      : ds_err_set(err, DS_EPARSE, "image", 0, 0, "not an image archive: %s", img_ar.error_string(ar));
		goto done;
	}
	while (!rc && ((r = img_ar.read_next_header(ar, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		const char *p = img_ar.entry_pathname(e);
		if (!p || !S_ISREG(img_ar.entry_mode(e)))
			continue;
		if (!strcmp(p, "manifest.json")) {
			la_int64_t size = img_ar.entry_size(e);
			if (size < 0 || size > IMG_MAX_MANIFEST) {
				rc = ds_err_set(err, DS_ELIMIT, "manifest.json", 0, 0, "larger than %u MiB", IMG_MAX_MANIFEST >> 20);
				break;
			}
			manifest = arena_alloc(a, (size_t)size + 1);
			if (!manifest || img_ar.read_data(ar, manifest, (size_t)size) != size) {
				rc = manifest ? ds_err_set(err, DS_EPARSE, "manifest.json", 0, 0, "truncated") : ds_oom(err);
				break;
			}
			manifest[size] = 0;
			continue;
		}
		if (strstr(p, ".json") || !strcmp(p, "repositories") || !strcmp(p, "oci-layout") || !strcmp(p, "VERSION"))
			continue;
		if (nl >= IMG_MAX_LAYERS) {
			rc = ds_err_set(err, DS_ELIMIT, p, 0, 0, "more than %u layers", IMG_MAX_LAYERS);
			break;
		}
		if (arena_grow(a, (void **)&ls, &capl, nl + 1, sizeof(*ls))) {
			rc = ds_oom(err);
			break;
		}
		memset(&ls[nl], 0, sizeof(*ls));
		if (!(ls[nl].name = arena_strdup(a, p))) {
			rc = ds_oom(err);
			break;
		}
		r = read_layer(ar, a, &ls[nl], &b, err);
		if (r < 0)
			rc = r;
		else if (r == 0)
			nl++;
	}
	if (!rc && r != ARCHIVE_EOF && past(&b))
		rc = ds_err_set(err, DS_ELIMIT, "image", 0, 0, "the image took longer than its time limit");
	else if (!rc && r != ARCHIVE_EOF)
		rc = ds_err_set(err, DS_EPARSE, "image", 0, 0, "broken image archive: %s", img_ar.error_string(ar));
	if (rc)
		goto done;
	if (!manifest || !(mj = json_loads(manifest, JSON_REJECT_DUPLICATES, NULL)) ||
	    !json_is_array(layers = json_object_get(json_array_get(mj, 0), "Layers"))) {
		rc = ds_err_set(err, DS_EPARSE, "image", 0, 0, "no manifest.json with Layers: not a docker save archive");
		goto done;
	}
	/* the final view, layer by layer in the image's order */
	for (k = 0; k < json_array_size(layers); k++) {
		const char *name = json_string_value(json_array_get(layers, k));
		struct layer *l = NULL;
		for (i = 0; name && i < nl; i++)
			if (!strcmp(ls[i].name, name))
				l = &ls[i];
		if (!l) {
			rc = ds_err_set(err, DS_EPARSE, name ? arena_strdup(a, name) : "manifest.json", 0, 0,
					"layer listed in manifest.json is missing");
			goto done;
		}
		for (i = j = 0; i < nv; i++) { /* hidden or replaced by this layer? */
			bool gone = (l->npaths && bsearch(&view[i].path, l->paths, l->npaths, sizeof(*l->paths), by_str)) ||
				    whited_out(view[i].path, l, tmp);
			if (!gone)
				view[j++] = view[i];
		}
		nv = j;
		for (i = 0; i < l->nset; i++) {
			if (arena_grow(a, (void **)&view, &capv, nv + 1, sizeof(*view))) {
				rc = ds_oom(err);
				goto done;
			}
			view[nv] = l->set[i];
			view[nv++].layer = k;
		}
	}
	if (nv)
		qsort(view, nv, sizeof(*view), by_path);
	*out = view;
	*nout = nv;
done:
	json_decref(mj);
	img_ar.read_free(ar);
	return rc;
}
