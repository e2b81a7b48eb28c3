/*
 * image.c - the image reader (see image.h).
 *
 * Three readers are stacked for a layer, each pulling from the one below:
 * the outer archive's entry (or a blob file) gives the blob's bytes,
 * hashed for its digest; a decompressor gives the uncompressed bytes,
 * hashed for the diff_id and counted against the run's budget - igzip
 * for gzip, nothing at all for an uncompressed blob (its bytes are read
 * in place), libarchive's raw reader with in-process decompressors only
 * for zstd, xz and bzip2 (its filter_all could run external programs on
 * hostile input); docksec's own tar reader (tar.c) on those gives the
 * entries, as Go's archive/tar - docker load's - reads them. The outer
 * archive is read by the same tar reader. What the tar reader leaves
 * unread (padding after the end marker) is drained so both digests cover
 * every byte. A plain or gzip image never loads libarchive (5 ms of
 * start-up with its libxml2 and ICU); zstd layers and Java archives do.
 *
 * Paths are normalised lexically ("./a/../b" -> "/b", ".." stops at /):
 * nothing is ever written, so an entry named ../../etc/passwd is only a
 * name, shown as the image would have it. Symlinks are followed only by
 * img_lookup, inside the view.
 */
#include "image.h"
#include "archive_api.h"
#include "tar.h"
#include "langpkg.h"
#include "gobin.h"
#include "cache.h"
#include "jar.h"
#include "rpmdb.h"
#include "rustbin.h"
#include "gunzip.h"
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK 65536

struct img_blob {
	const char *name;              /* archive entry name, or "blobs/sha256/<hex>" */
	const char *alias;             /* an outer symlink's target (legacy duplicate layers) */
	char digest[IMG_DIGEST_LEN];
	char *data;                    /* JSON kept in memory, NUL-terminated */
	size_t len;
	struct img_layer *layer;       /* read as a layer */
	struct ds_err lerr;            /* why it could not be read as a layer */
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool late(const struct img_set *s)
{
	return s->deadline_ms && now_ms() >= s->deadline_ms;
}

/* ---- sources of blob bytes ---- */

/* Where a blob's bytes come from: the outer archive's current entry, or a
 * file descriptor; a first chunk already read (to tell JSON from a layer)
 * is given back first. Every byte is hashed into sha. */
struct source {
	struct img_tar *outer; /* or NULL: fd */
	int fd;
	bool reg; /* fd is a regular file: a read never waits for the deadline */
	const char *peek;
	size_t npeek;
	struct img_sha sha;
	unsigned long long total;
	struct img_set *s;
	const struct stat *file; /* the blob's own file (an OCI layout directory's), or NULL */
	char buf[CHUNK];
};

static ssize_t src_read(struct source *src, const void **out)
{
	ssize_t r;

	if (src->npeek) {
		*out = src->peek;
		r = (ssize_t)src->npeek;
		src->npeek = 0;
		return r;
	}
	if (late(src->s))
		return -2;
	if (src->outer) {
		/* the outer archive's entry in place, not a copy: valid until the next read,
		 * which is all a reader of a source asks */
		const void *p;
		ssize_t n = img_tar_data(src->outer, &p);
		if (n < 0)
			return n == -2 ? -2 : -1;
		if (n) {
			img_sha_update(&src->sha, p, (size_t)n);
			src->total += (unsigned long long)n;
		}
		*out = p;
		return n;
	} else {
		/* a pipe that stalls (an export, stdin) waits no longer than the deadline;
		 * a regular file is not polled (a system call per 64 KiB: bench/README.md) */
		struct pollfd pfd = {src->fd, POLLIN, 0};
		int left = -1, pr = 1;
		do { /* (a FIFO opened O_NONBLOCK may say EAGAIN: wait again) */
			if (src->s->deadline_ms) {
				long long ms = src->s->deadline_ms - now_ms();
				left = ms <= 0 ? 0 : ms > INT_MAX ? INT_MAX : (int)ms;
			}
			while (!src->reg && (pr = poll(&pfd, 1, left)) < 0 && errno == EINTR)
				;
			if (pr == 0)
				return -2;
			do
				r = read(src->fd, src->buf, sizeof(src->buf));
			while (r < 0 && errno == EINTR);
		} while (r < 0 && errno == EAGAIN && !src->reg);
		if (r > 0 && src->s->o && src->s->o->progress) {
			long long t = now_ms();
			src->s->read_total += (unsigned long long)r;
			if (t - src->s->progress_last >= 200) {
				src->s->progress_last = t;
				src->s->o->progress(src->s->o->progress_ud, src->s->read_total, src->s->input_size,
						    src->s->nlayers_read);
			}
		}
	}
	if (r > 0) {
		img_sha_update(&src->sha, src->buf, (size_t)r);
		src->total += (unsigned long long)r;
	}
	*out = src->buf;
	return r;
}

/* igzip's input: the blob's bytes (hashed as they pass). */
static ssize_t gz_in(void *ud, const void **out)
{
	return src_read(ud, out);
}

/* The raw (decompressing) reader's callback. */
static la_ssize_t raw_cb(struct archive *a, void *ud, const void **out)
{
	struct source *src = ud;
	ssize_t r = src_read(src, out);

	if (r == -2)
		img_ar.set_error(a, ETIMEDOUT, "the image took longer than its time limit");
	else if (r < 0)
		img_ar.set_error(a, EIO, "cannot read the blob");
	return r < 0 ? -1 : r;
}

/* Passing over bytes of a file source: a regular file seeks past a member
 * the outer archive need not read (a layer taken from the cache);
 * anything else reads. */
static long long skip_fd(struct source *src, unsigned long long request)
{
	off_t at;

	if (!src->s->input_reg || src->outer || src->npeek || !request || request > LLONG_MAX ||
	    (at = lseek(src->fd, 0, SEEK_CUR)) < 0 || (long long)request > src->s->input_st.st_size - at ||
	    lseek(src->fd, (off_t)request, SEEK_CUR) < 0)
		return 0;
	src->s->read_total += request;
	return (long long)request;
}

/* A tar stream: a blob's bytes uncompressed, hashed (when the blob's own
 * digest is not the diff_id) and counted against the run's budget (a
 * layer's, not the outer archive's, which holds the layers). */
struct unpacked {
	struct archive *raw;      /* libarchive's decompressor, or NULL: */
	struct img_gunzip *gz;    /* igzip's, reading the blob's source, or NULL: */
	struct source *plain;     /* the blob's source itself, no copy (an uncompressed blob) */
	struct img_sha sha;
	struct img_set *s;
	unsigned long long total;
	const char *why; /* the decompressor's failure */
	int failed;      /* the first failure, returned from then on */
	bool over;
	bool broken; /* the decompressor failed (not the tar in it) */
	bool hash;   /* false: the blob's digest is the diff_id */
	bool count;  /* counted against IMG_SCAN_MAX_UNPACKED */
	char buf[CHUNK];
};

static ssize_t unpacked_read(struct unpacked *u, const void **out);

/* The tar reader's pull: > 0 bytes, 0 at the end, -1 (u->why, or over
 * the budget: u->over), -2 the time limit; a failure sticks. */
static ssize_t unpacked_pull(void *ud, const void **out)
{
	struct unpacked *u = ud;
	ssize_t r;

	if (u->failed) /* a decompressor is not asked again after it failed */
		return u->failed;
	if ((r = unpacked_read(u, out)) < 0)
		u->failed = (int)r;
	return r;
}

static ssize_t unpacked_read(struct unpacked *u, const void **out)
{
	ssize_t r;

	*out = u->buf;
	if (late(u->s))
		return -2;
	if (u->plain) {
		if ((r = src_read(u->plain, out)) < 0) {
			u->why = "cannot read the blob";
			u->broken = true;
			return r == -2 ? -2 : -1;
		}
	} else if (u->gz) {
		const char *why = "cannot read the blob";
		if ((r = img_gunzip_read(u->gz, u->buf, sizeof(u->buf), &why)) < 0) {
			u->why = why;
			u->broken = true;
			return r == -2 ? -2 : -1;
		}
	} else if ((r = img_ar.read_data(u->raw, u->buf, sizeof(u->buf))) < 0) {
		u->why = img_ar.error_string(u->raw) ? img_ar.error_string(u->raw) : "decompression failed";
		u->broken = true;
		return late(u->s) ? -2 : -1;
	}
	if (u->hash)
		img_sha_update(&u->sha, *out, (size_t)r);
	u->total += (unsigned long long)r;
	if (u->count && (u->s->b->unpacked += (unsigned long long)r) > IMG_SCAN_MAX_UNPACKED) {
		u->over = true;
		return -1;
	}
	return r;
}

/* The outer archive passes over a member by seeking when it can. */
static long long unpacked_skip(void *ud, unsigned long long n)
{
	struct unpacked *u = ud;

	return u->plain && !u->hash && !u->count ? skip_fd(u->plain, n) : 0;
}

/* The start of a blob that libarchive's raw reader might take for gzip,
 * zstd (a frame or a skippable frame), xz or bzip2 (what it is set up
 * for, each recognised by its magic first); too short to tell counts. */
static bool maybe_compressed(const unsigned char *p, size_t n)
{
	return n < 6 || (p[0] == 0x1f && p[1] == 0x8b) || !memcmp(p, "\x28\xb5\x2f\xfd", 4) ||
	       ((p[0] & 0xf0) == 0x50 && !memcmp(p + 1, "\x2a\x4d\x18", 3)) || !memcmp(p, "\xfd" "7zXZ\0", 6) ||
	       !memcmp(p, "BZh", 3);
}

/* Set u up to uncompress what src gives (its first piece peeked): igzip
 * for gzip when libisal is there, the bytes themselves when they are no
 * compressed stream, else libarchive's raw reader with the in-process
 * decompressors only (loaded now: a plain or gzip image never loads it).
 * *compression: "gzip", "none" or libarchive's filter name. 0; DS_ENOMEM;
 * DS_EPARSE or DS_ELIMIT (the time limit) with *why; or libarchive's load
 * error in err. */
static int unpack(struct img_set *s, struct unpacked *u, struct source *src, const char **compression, const char **why,
		  struct ds_err *err)
{
	struct archive_entry *e;
	int rc;

	u->s = s;
	if (src->npeek >= 2 && (unsigned char)src->peek[0] == 0x1f && (unsigned char)src->peek[1] == 0x8b &&
	    img_gunzip_available()) {
		/* gzip, the usual layer: igzip inflates it faster than zlib */
		if (!s->gunzip && !(s->gunzip = img_gunzip_new()))
			return DS_ENOMEM;
		u->gz = s->gunzip;
		img_gunzip_start(u->gz, gz_in, src);
		*compression = "gzip";
		return 0;
	}
	if (!maybe_compressed((const unsigned char *)src->peek, src->npeek)) {
		u->plain = src; /* a tar already: read in place */
		*compression = "none";
		return 0;
	}
	if ((rc = img_archive_load(err)))
		return rc;
	if (!(u->raw = img_ar.read_new()))
		return DS_ENOMEM;
	img_ar.read_support_format_raw(u->raw);
	img_ar.read_support_filter_gzip(u->raw);
	img_ar.read_support_filter_zstd(u->raw);
	img_ar.read_support_filter_xz(u->raw);
	img_ar.read_support_filter_bzip2(u->raw);
	if (img_ar.read_open(u->raw, src, NULL, raw_cb, NULL) != ARCHIVE_OK ||
	    img_ar.read_next_header(u->raw, &e) != ARCHIVE_OK) {
		*why = late(s) ? "the image took longer than its time limit" : img_ar.error_string(u->raw);
		if (!*why)
			*why = "not a stream it reads";
		return late(s) ? DS_ELIMIT : DS_EPARSE;
	}
	*compression = img_ar.filter_name(u->raw, 0);
	return 0;
}

static int layer_fail(struct ds_err *err, const char *name, int code, const char *fmt, const char *detail);

/* What a failed tar read of u says: the budget, the time limit, the
 * decompressor, or the tar itself (not a tar at all before any entry). */
static int tar_fail(struct img_set *s, struct unpacked *u, struct img_tar *t, int r, bool any, const char *name,
		    struct ds_err *err)
{
	if (r == IMG_TAR_NOMEM)
		return ds_oom(err);
	if (u->over)
		return ds_err_set(err, DS_ELIMIT, name, 0, 0, "the layers unpack to more than %llu GiB", IMG_SCAN_MAX_UNPACKED >> 30);
	if (r == -2 || late(s))
		return ds_err_set(err, DS_ELIMIT, name, 0, 0, "the image took longer than its time limit");
	if (u->broken)
		return layer_fail(err, name, DS_EPARSE, "broken layer: %s", u->why);
	return layer_fail(err, name, DS_EPARSE, any ? "broken layer: %s" : "not a tar layer: %s",
			  t->why ? t->why : "damaged");
}

/* The bytes of the current tar entry, for jar.c. */
static ssize_t tar_read(void *ud, void *buf, size_t n)
{
	return img_tar_read(ud, buf, n);
}

/* ---- paths ---- */

/* Lexical normalisation: "/" + components, "." dropped, ".." pops (never
 * above /), trailing "/" dropped; into out (strlen(p) + 2 bytes). Its
 * length. */
static size_t norm_to(char *out, const char *p)
{
	size_t n = strlen(p), o = 0, i = 0;

	while (i < n) {
		size_t j = i;
		while (j < n && p[j] != '/')
			j++;
		if (j - i == 0 || (j - i == 1 && p[i] == '.')) {
			/* nothing */
		} else if (j - i == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
		} else {
			out[o++] = '/';
			memcpy(out + o, p + i, j - i);
			o += j - i;
		}
		i = j + 1;
	}
	if (!o)
		out[o++] = '/';
	out[o] = 0;
	return o;
}

/* The same in a; NULL when longer than the limit. */
static char *norm(struct arena *a, const char *p)
{
	size_t n = strlen(p);
	char *out;

	if (n > IMG_SCAN_MAX_PATH || !(out = arena_chars(a, n + 2)))
		return NULL;
	norm_to(out, p);
	return out;
}

_Static_assert(sizeof(struct img_entry) == 32, "an image entry is 32 bytes: the index's memory is per entry");
_Static_assert(IMG_SCAN_MAX_UNPACKED <= IMG_ENTRY_MAX_SIZE, "an entry's size holds any a layer can have");

const char *img_entry_name(struct arena *a, const char *name, const char *to)
{
	size_t nn = strlen(name), nt = to ? strlen(to) : 0;
	char *out = arena_chars(a, nn + 1 + (to ? nt + 1 : 0));

	if (out) {
		memcpy(out, name, nn + 1);
		if (to)
			memcpy(out + nn + 1, to, nt + 1);
	}
	return out;
}

size_t img_entry_copy(const struct img_entry *e, char *out)
{
	size_t nd = strlen(e->dir), nn = strlen(e->name);

	/* never more: the reader and the cache refuse longer paths */
	if (nd > IMG_SCAN_MAX_PATH)
		nd = IMG_SCAN_MAX_PATH;
	if (nn > IMG_SCAN_MAX_PATH - nd)
		nn = IMG_SCAN_MAX_PATH - nd;
	memcpy(out, e->dir, nd);
	memcpy(out + nd, e->name, nn);
	out[nd + nn] = 0;
	return nd + nn;
}

const char *img_entry_dup(struct arena *a, const struct img_entry *e)
{
	size_t nd = strlen(e->dir), nn = strlen(e->name);
	char *out = arena_chars(a, nd + nn + 1);

	if (out) {
		memcpy(out, e->dir, nd);
		memcpy(out + nd, e->name, nn + 1);
	}
	return out;
}

int img_entry_set_path(struct img_set *s, struct img_entry *e, const char *path, const char *to)
{
	const char *base = strrchr(path, '/') + 1, **slot;
	size_t nd = (size_t)(base - path);
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < nd; i++)
		h = (h ^ (unsigned char)path[i]) * 16777619u;
	slot = &s->dirs[(h ^ h >> 8) % DS_ARRAY_SIZE(s->dirs)];
	if (!*slot || strncmp(*slot, path, nd) || (*slot)[nd]) {
		char *d = arena_chars(&s->arena, nd + 1);
		if (!d)
			return DS_ENOMEM;
		memcpy(d, path, nd);
		d[nd] = 0;
		*slot = d;
		s->b->held += nd + 1;
	}
	e->dir = *slot;
	s->b->held += sizeof(*e) + strlen(base) + 1 + (to ? strlen(to) + 1 : 0);
	return (e->name = img_entry_name(&s->arena, base, to)) ? 0 : DS_ENOMEM;
}

/* The string a1 a2 against b1 b2 (b2 may be NULL), as strcmp compares. */
static int cat_cmp(const char *a1, const char *a2, const char *b1, const char *b2)
{
	const unsigned char *a = (const unsigned char *)a1, *b = (const unsigned char *)b1;

	for (;;) {
		if (!*a && a2) {
			a = (const unsigned char *)a2;
			a2 = NULL;
		}
		if (!*b && b2) {
			b = (const unsigned char *)b2;
			b2 = NULL;
		}
		if (*a != *b || !*a)
			return (*a > *b) - (*a < *b);
		a++;
		b++;
	}
}

int img_entry_cmp(const struct img_entry *x, const struct img_entry *y)
{
	return x->dir == y->dir ? strcmp(x->name, y->name) : cat_cmp(x->dir, x->name, y->dir, y->name);
}

int img_entry_cmpstr(const struct img_entry *e, const char *key)
{
	return cat_cmp(e->dir, e->name, key, NULL);
}

bool img_entry_starts(const struct img_entry *e, const char *prefix, size_t n)
{
	size_t nd = strlen(e->dir);

	if (n <= nd)
		return !memcmp(e->dir, prefix, n);
	return !memcmp(e->dir, prefix, nd) && !strncmp(e->name, prefix + nd, n - nd);
}

static int by_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* What sort_stable sorts: an array and how its elements compare. */
struct sorting {
	const unsigned char *v;
	size_t size;
	int (*cmp)(const void *x, const void *y);
};

/* Elements x and y (indices into the array) by cmp, equal ones in their
 * order in the array (of a path written twice in a layer, the later wins). */
static int by_index(const void *x, const void *y, void *ud)
{
	const struct sorting *st = ud;
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	int c = st->cmp(st->v + i * st->size, st->v + j * st->size);

	return c ? c : (i > j) - (i < j);
}

/* Sort n elements of size bytes (at most 64) stably, without a second
 * copy of them: an array of 4-byte indices is sorted and the elements
 * moved along its cycles (qsort's merge sort would take a copy of all the
 * entries of a layer, at the read's peak). Nothing to do when already
 * sorted, as a layer written by walking a tree nearly is. */
static int sort_stable(void *v, size_t n, size_t size, int (*cmp)(const void *x, const void *y))
{
	unsigned char *b = v, tmp[64];
	struct sorting st = {v, size, cmp};
	uint32_t *ix;
	size_t i, j, k;

	for (i = 1; i < n && cmp(b + (i - 1) * size, b + i * size) <= 0; i++)
		;
	if (i >= n)
		return 0;
	if (n > UINT32_MAX || size > sizeof(tmp) || !(ix = ds_malloc(n * sizeof(*ix))))
		return DS_ENOMEM;
	for (i = 0; i < n; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, n, sizeof(*ix), by_index, &st);
	for (i = 0; i < n; i++) { /* element j takes element ix[j]; a done place points to itself */
		if (ix[i] == i)
			continue;
		memcpy(tmp, b + i * size, size);
		for (j = i;; j = k) {
			k = ix[j];
			ix[j] = (uint32_t)j;
			if (k == i) {
				memcpy(b + j * size, tmp, size);
				break;
			}
			memcpy(b + j * size, b + k * size, size);
		}
	}
	ds_free(ix);
	return 0;
}

static int by_entry(const void *x, const void *y)
{
	return img_entry_cmp(x, y);
}

static int by_kept(const void *x, const void *y)
{
	return strcmp(((const struct img_kept *)x)->path, ((const struct img_kept *)y)->path);
}

int img_kept_sort(struct img_layer *l)
{
	return l->nkept > 1 ? sort_stable(l->kept, l->nkept, sizeof(*l->kept), by_kept) : 0;
}

static int by_pkg_path(const void *x, const void *y)
{
	return strcmp(((const struct img_pkg *)x)->path, ((const struct img_pkg *)y)->path);
}

/* A read layer's packages sorted by path (stable: in the order read), and
 * of a path written twice, only the last writing's, which is the file.
 * Each writing's records share one copy of the path (read_content). */
static int lang_settle(struct arena *a, struct img_layer *l)
{
	_Static_assert(sizeof(*l->lang) <= 64, "sort_stable moves elements of at most 64 bytes");
	size_t i, j, k, o = 0;

	if (l->nlang > 1 && sort_stable(l->lang, l->nlang, sizeof(*l->lang), by_pkg_path))
		return DS_ENOMEM;
	for (i = 0; i < l->nlang; i = j) {
		for (j = i + 1; j < l->nlang && !strcmp(l->lang[j].path, l->lang[i].path); j++)
			;
		for (k = i; k < j; k++)
			if (l->lang[k].path == l->lang[j - 1].path) {
				l->lang[o] = l->lang[k];
				l->lang[o++].layer = IMG_NO_LAYER; /* the inventory's to say */
			}
	}
	l->nlang = o;
	arena_trim_big(a, (void **)&l->lang, &l->caplang, o, sizeof(*l->lang));
	return 0;
}

static const char *const kept_exact[] = {
	"/etc/os-release",      "/usr/lib/os-release",  "/etc/debian_version", "/etc/alpine-release",
	"/etc/redhat-release",  "/etc/system-release",  "/var/lib/dpkg/status", "/lib/apk/db/installed",
	"/etc/passwd",          "/etc/group",
};

bool img_wanted(const char *path, unsigned long long size)
{
	size_t i;

	if (size > IMG_SCAN_MAX_FILE)
		return false;
	for (i = 0; i < DS_ARRAY_SIZE(kept_exact); i++)
		if (!strcmp(path, kept_exact[i]))
			return true;
	for (i = 0; i < IMG_RPM_NPATHS; i++)
		if (!strcmp(path, img_rpm_paths[i]))
			return true;
	/* distroless: one status file per package */
	if (!strncmp(path, "/var/lib/dpkg/status.d/", 23) && !strchr(path + 23, '/') && path[23] &&
	    !strstr(path + 23, ".md5sums"))
		return true;
	return false;
}

/* The package databases r_unread_db (scan.c) looks for in the final view. */
static bool os_db(const char *path)
{
	if (!strcmp(path, "/var/lib/dpkg/status") || !strcmp(path, "/lib/apk/db/installed"))
		return true;
	for (size_t i = 0; i < IMG_RPM_NPATHS; i++)
		if (!strcmp(path, img_rpm_paths[i]))
			return true;
	return false;
}

/* ---- one layer ---- */

static int layer_fail(struct ds_err *err, const char *name, int code, const char *fmt, const char *detail)
{
	return ds_err_set(err, code, name, 0, 0, fmt, detail ? detail : "");
}

static int add_hide(struct img_set *s, struct img_layer *l, size_t *cap, const char *h)
{
	if (!h || arena_grow(&s->arena, (void **)&l->hide, cap, l->nhide + 1, sizeof(*l->hide)))
		return DS_ENOMEM;
	l->hide[l->nhide++] = h;
	s->b->held += strlen(h) + 1 + sizeof(*l->hide);
	return 0;
}

struct secret_sink {
	struct img_set *s;
	struct img_layer *l;
	size_t cap;
	int rc;
};

static void on_secret(void *ud, const struct img_secret *x)
{
	struct secret_sink *k = ud;

	if (k->rc || k->s->nsecrets_total >= IMG_SCAN_MAX_SECRETS)
		return;
	if (arena_grow(&k->s->arena, (void **)&k->l->secrets, &k->cap, k->l->nsecrets + 1, sizeof(*k->l->secrets))) {
		k->rc = DS_ENOMEM;
		return;
	}
	k->l->secrets[k->l->nsecrets++] = *x;
	k->s->nsecrets_total++;
}

static int grow_scanbuf(struct img_set *s, size_t want, struct ds_err *err)
{
	char *nb;

	if (s->scancap >= want)
		return 0;
	if (!(nb = ds_realloc(s->scanbuf, want)))
		return ds_oom(err);
	s->scanbuf = nb;
	s->scancap = want;
	return 0;
}

/* The rest of an executable ELF, streamed past a window for the Go build
 * info's magic; once found, the bytes after it are gathered and parsed.
 * Meanwhile the file's bytes after its loadable segments (at most the
 * last IMG_RUST_TAIL) are kept: without Go's magic, the section headers
 * at the end may name cargo-auditable's section, which is never loaded.
 * head is what was read already (in s->scanbuf). */
static int go_scan(struct img_set *s, struct img_tar *tar, struct img_layer *l, const char *path, size_t head,
		   unsigned long long size, struct ds_err *err)
{
	enum { WIN = 1 << 16, KEEP = IMG_GO_MAGIC_LEN - 1 };
	unsigned char ehdr[IMG_ELF_HEAD];
	unsigned long long pos = head, tstart = size > IMG_RUST_TAIL ? size - IMG_RUST_TAIL : 0;
	size_t n = head, cap = l->caplang, nt = 0;
	const char *hit = NULL;
	ssize_t got;
	int rc;

	if ((rc = grow_scanbuf(s, WIN + IMG_GO_INFO_MAX + KEEP + 1, err)))
		return rc;
	if (!s->tailbuf && !(s->tailbuf = ds_malloc(IMG_RUST_TAIL)))
		return ds_oom(err);
	memcpy(ehdr, s->scanbuf, head < sizeof(ehdr) ? head : sizeof(ehdr));
	{
		unsigned long long le = img_elf_load_end((const unsigned char *)s->scanbuf, head);
		if (le > tstart && le < size)
			tstart = le; /* .dep-v0 is not loaded: it is after this */
	}
	if (head > tstart) {
		nt = (size_t)(head - tstart);
		memcpy(s->tailbuf, s->scanbuf + tstart, nt);
	}
	for (;;) {
		if ((hit = memmem(s->scanbuf, n, IMG_GO_MAGIC, IMG_GO_MAGIC_LEN)))
			break;
		if (n > KEEP) { /* keep the tail a magic may straddle */
			memmove(s->scanbuf, s->scanbuf + n - KEEP, KEEP);
			n = KEEP;
		}
		if ((got = img_tar_read(tar, s->scanbuf + n, WIN)) <= 0) {
			/* the whole file read, no Go: a Rust binary's dependency list? */
			if (head < sizeof(ehdr) || pos - nt != tstart)
				return 0;
			rc = img_rust_audit(&s->arena, ehdr, sizeof(ehdr), (const unsigned char *)s->tailbuf, nt, pos, path,
					    &l->lang, &l->nlang, &cap);
			l->caplang = cap;
			return rc == DS_ENOMEM ? ds_oom(err) : 0;
		}
		if (pos + (unsigned long long)got > tstart) { /* the part of this read in the tail */
			size_t from = pos >= tstart ? 0 : (size_t)(tstart - pos), k = (size_t)got - from;
			if (nt + k > IMG_RUST_TAIL)
				k = IMG_RUST_TAIL - nt; /* longer than its header said: keep what fits */
			memcpy(s->tailbuf + nt, s->scanbuf + n + from, k);
			nt += k;
		}
		pos += (unsigned long long)got;
		n += (size_t)got;
	}
	/* the blob: from the magic, up to IMG_GO_INFO_MAX bytes */
	memmove(s->scanbuf, hit, n - (size_t)(hit - s->scanbuf));
	n -= (size_t)(hit - s->scanbuf);
	while (n < IMG_GO_INFO_MAX && (got = img_tar_read(tar, s->scanbuf + n, IMG_GO_INFO_MAX - n)) > 0)
		n += (size_t)got;
	rc = img_go_buildinfo(&s->arena, s->scanbuf, n, path, &l->lang, &l->nlang, &cap);
	l->caplang = cap;
	return rc == DS_ENOMEM ? ds_oom(err) : 0;
}

/* The current entry's contents: text through the secret scan (or the kept
 * copy of it), an executable ELF through the Go build info search. A
 * binary's head (8 KiB) is all that is buffered of it. */
static int scan_content(struct img_set *s, struct img_tar *tar, struct img_layer *l, const struct img_entry *x,
			const char *path, const struct img_kept *kept, struct ds_err *err)
{
	bool secrets = s->secrets && img_secret_candidate(path, x->size);
	bool go = (x->mode & 0111) && x->size >= 1024 && s->secrets_or_packages;
	struct secret_sink k = {s, l, 0, 0};
	const char *data;
	size_t n = 0, head = x->size < 8192 ? (size_t)x->size : 8192;
	ssize_t got;
	int rc;

	if (!s->secrets_or_packages)
		return 0;
	if (img_jar_name(path)) { /* a Java archive: its coordinates, never its bytes in memory */
		size_t cap = l->caplang;
		if ((rc = img_archive_load(err))) /* libarchive's zip reader */
			return rc;
		rc = img_jar_scan(tar_read, tar, path, &s->arena, &l->lang, &l->nlang, &cap, &s->jar_budget);
		l->caplang = cap;
		return rc ? ds_oom(err) : 0;
	}
	if (!secrets && !go)
		return 0;
	if (kept) {
		data = kept->data;
		n = kept->len;
	} else {
		if ((rc = grow_scanbuf(s, head + 1, err)))
			return rc;
		while (n < head && (got = img_tar_read(tar, s->scanbuf + n, head - n)) > 0)
			n += (size_t)got;
		if (memchr(s->scanbuf, 0, n)) /* a binary */
			return go && n >= 4 && !memcmp(s->scanbuf, "\x7f" "ELF", 4) ? go_scan(s, tar, l, path, n, x->size, err) : 0;
		if (!secrets)
			return 0;
		if ((rc = grow_scanbuf(s, (size_t)x->size + 1, err)))
			return rc;
		while (n < x->size && (got = img_tar_read(tar, s->scanbuf + n, (size_t)x->size - n)) > 0)
			n += (size_t)got;
		s->scanbuf[n] = 0;
		data = s->scanbuf;
	}
	if (!secrets)
		return 0;
	k.cap = l->capsecrets;
	img_secret_scan(path, data, n, on_secret, &k);
	l->capsecrets = k.cap;
	return k.rc ? ds_oom(err) : 0;
}

/* A package record (img_lang_record): its packages appended to l->lang as
 * it streams by, its bytes left in s->scanbuf for the secret scan (*rec),
 * never kept. */
static int read_record(struct img_set *s, struct img_tar *tar, struct img_layer *l, const struct img_entry *x,
		       const char *path, struct img_kept *rec, bool *read, struct ds_err *err)
{
	struct img_pkg p;
	const char *data = NULL;
	size_t n = 0, cap = l->caplang;
	ssize_t got;
	int rc = 0;

	*read = !img_lang_by_path(path); /* else the name says it all: the file goes its usual way */
	if (*read) {
		if ((rc = grow_scanbuf(s, (size_t)x->size + 1, err)))
			return rc;
		while (n < x->size && (got = img_tar_read(tar, s->scanbuf + n, (size_t)x->size - n)) > 0)
			n += (size_t)got;
		s->scanbuf[n] = 0;
		*rec = (struct img_kept){.path = path, .data = data = s->scanbuf, .len = n};
	}
	if (*read && img_lang_lockfile(path))
		rc = img_lang_lock(&s->arena, path, data, n, &l->lang, &l->nlang, &cap, err);
	else if (!img_lang_parse(&s->arena, path, data, n, &p)) {
		if (img_pkg_slot(&s->arena, &l->lang, l->nlang, &cap, path, err))
			l->lang[l->nlang++] = p;
		else
			rc = err->code;
	}
	l->caplang = cap;
	return rc;
}

/* The same, and a package record's packages (read_record). The records it
 * adds (packages, credentials) name the path, which is the reader's
 * scratch: they take one copy of it from the arena. Packages count
 * against the run's bound of what it holds: past it, this file's are let
 * go (IMG-UNREAD-DB) and the layer is not cached. */
static int read_content(struct img_set *s, struct img_tar *tar, struct img_layer *l, const struct img_entry *x,
			const char *path, const struct img_kept *kept, struct ds_err *err)
{
	size_t nlang = l->nlang, nsec = l->nsecrets, i;
	unsigned long long bytes = 0;
	const char *copy = NULL;
	struct img_kept rec;
	bool read = false;
	int rc = 0;

	if (!kept && s->secrets_or_packages && img_lang_record(path, x->size) &&
	    !(rc = read_record(s, tar, l, x, path, &rec, &read, err)) && read)
		kept = &rec;
	if (!rc && x->size)
		rc = scan_content(s, tar, l, x, path, kept, err);
	if (read && s->scancap > (1u << 20)) { /* a lockfile's buffer: not held for the rest of the run */
		ds_free(s->scanbuf);
		s->scanbuf = NULL;
		s->scancap = 0;
	}
	for (i = nlang; i < l->nlang; i++) {
		if (l->lang[i].path == path && !(l->lang[i].path = copy ? copy : (copy = arena_strdup(&s->arena, path))))
			return ds_oom(err);
		bytes += sizeof(l->lang[i]) + strlen(l->lang[i].name) + strlen(l->lang[i].version) + 2;
	}
	if (bytes && (bytes += strlen(path) + 1, s->b->records + bytes > IMG_SCAN_MAX_RECORDS ||
		      s->b->held + bytes > IMG_SCAN_MAX_HELD)) {
		l->nlang = nlang;
		l->partial = true;
		if (!l->unkept++ && !(l->unkept_path = copy ? copy : arena_strdup(&s->arena, path)))
			return ds_oom(err);
	} else {
		s->b->held += bytes;
		s->b->records += bytes;
	}
	for (i = nsec; i < l->nsecrets; i++)
		if (l->secrets[i].path == path && !(l->secrets[i].path = copy ? copy : (copy = arena_strdup(&s->arena, path))))
			return ds_oom(err);
	return rc;
}

/* A layer's entries grow on the heap, not in the arena, whose arrays
 * cannot be given back: a doubling array there keeps every smaller copy,
 * as much again as the entries themselves. The array is registered with s
 * (freed at release) and shrunk to its size once the layer is read. */
static int heap_grow(struct img_set *s, struct img_layer *l, size_t *cap)
{
	size_t ncap = *cap ? 2 * *cap : 64;
	struct img_entry *v;

	if (!*cap && arena_grow(&s->arena, (void **)&s->heap, &s->capheap, s->nheap + 1, sizeof(*s->heap)))
		return DS_ENOMEM;
	if (!(v = ds_realloc(*cap ? l->ents : NULL, ncap * sizeof(*v))))
		return DS_ENOMEM;
	if (!*cap)
		s->heap[s->nheap++] = v;
	else
		for (size_t i = 0; i < s->nheap; i++) /* the registered pointer follows the array */
			if (s->heap[i] == l->ents)
				s->heap[i] = v;
	l->ents = v;
	*cap = ncap;
	return 0;
}

/* The run's index and kept files took all IMG_SCAN_MAX_HELD allows. */
static int held_fail(const struct img_set *s, const struct img_layer *l, struct ds_err *err)
{
	return ds_err_set(err, DS_ELIMIT, l->name, 0, 0,
			  "the images' index of paths takes more than %u MiB (%zu entries read): more than docksec "
			  "holds in memory",
			  IMG_SCAN_MAX_HELD >> 20, s->b->entries);
}

/* Read the blob src gives as a layer into l. */
static int read_layer(struct img_set *s, struct source *src, struct img_layer *l, struct ds_err *err)
{
	struct arena *a = &s->arena;
	struct img_tar tar;
	struct img_tar_entry e;
	struct unpacked *u = ds_calloc(1, sizeof(*u));
	size_t capents = 0, caphide = 0, capkept = 0;
	const char *compression = NULL, *why = NULL;
	char p[IMG_SCAN_MAX_PATH + 2], to[IMG_SCAN_MAX_PATH + 2]; /* an entry's path and hard link's target, normalised */
	bool any = false;
	int r = 0, rc = 0;
	const void *dummy;

	img_tar_init(&tar, unpacked_pull, NULL, u);
	if (!u || img_sha_init(&u->sha)) {
		rc = ds_oom(err);
		goto out;
	}
	if ((rc = unpack(s, u, src, &compression, &why, err))) {
		if (rc == DS_ENOMEM)
			rc = ds_oom(err);
		else if (why)
			rc = layer_fail(err, l->name, rc, "cannot read the layer: %s", why);
		goto out;
	}
	l->compression = arena_strdup(a, compression && strcmp(compression, "none") ? compression : "none");
	/* an uncompressed blob is its own tar: one digest serves as both */
	u->hash = !l->compression || strcmp(l->compression, "none");
	u->count = true;
	while (!rc && (r = img_tar_next(&tar, &e)) > 0) {
		const char *base;
		const struct img_kept *kept;
		struct img_entry *x;

		any = true;
		if (++s->b->entries > IMG_SCAN_MAX_ENTRIES) {
			rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "the images have more than %u entries",
					IMG_SCAN_MAX_ENTRIES);
			break;
		}
		/* the normalised path is at most one byte longer ("a" is "/a") */
		if (strlen(e.path) > IMG_SCAN_MAX_PATH || norm_to(p, e.path) > IMG_SCAN_MAX_PATH) {
			rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "a path longer than %d bytes", IMG_SCAN_MAX_PATH);
			break;
		}
		base = strrchr(p, '/') + 1;
		if (!strncmp(base, ".wh.", 4)) {
			if (!strcmp(base, ".wh..wh..opq"))
				rc = add_hide(s, l, &caphide, arena_printf(a, "%.*s/", (int)(base - p - 1), p));
			else
				rc = add_hide(s, l, &caphide, arena_printf(a, "%.*s%s", (int)(base - p), p, base + 4));
			if (rc)
				rc = ds_oom(err);
			else if (s->b->held > IMG_SCAN_MAX_HELD)
				rc = held_fail(s, l, err);
			continue;
		}
		if (l->nents == capents && heap_grow(s, l, &capents)) {
			rc = ds_oom(err);
			break;
		}
		x = &l->ents[l->nents++];
		memset(x, 0, sizeof(*x));
		x->mode = e.mode & 07777;
		x->size = e.size > IMG_ENTRY_MAX_SIZE ? IMG_ENTRY_MAX_SIZE : e.size;
		x->uid = e.uid >= 0 && e.uid <= UINT_MAX ? (unsigned)e.uid : UINT_MAX;
		x->gid = e.gid >= 0 && e.gid <= UINT_MAX ? (unsigned)e.gid : UINT_MAX;
		if (e.type == IMG_TAR_HARDLINK || e.type == IMG_TAR_SYMLINK) {
			x->type = e.type == IMG_TAR_HARDLINK ? IMG_HARDLINK : IMG_SYMLINK;
			x->size = 0;
			if (e.type == IMG_TAR_HARDLINK && strlen(e.link) > IMG_SCAN_MAX_PATH) {
				rc = ds_err_set(err, DS_ELIMIT, l->name, 0, 0, "a link target longer than %d bytes",
						IMG_SCAN_MAX_PATH);
				break;
			}
			if (e.type == IMG_TAR_HARDLINK)
				norm_to(to, e.link);
			if (img_entry_set_path(s, x, p, e.type == IMG_TAR_HARDLINK ? to : e.link)) {
				rc = ds_oom(err);
				break;
			}
		} else {
			x->type = e.type == IMG_TAR_FILE ? IMG_FILE : e.type == IMG_TAR_DIR ? IMG_DIR : IMG_OTHER;
			if (x->type != IMG_FILE)
				x->size = 0;
			if (img_entry_set_path(s, x, p, NULL)) {
				rc = ds_oom(err);
				break;
			}
		}
		if (s->b->held > IMG_SCAN_MAX_HELD) {
			rc = held_fail(s, l, err);
			break;
		}
		/* a non-directory hides what lower layers had under its path: hidden() sees it in ents */
		kept = NULL;
		if (x->type == IMG_FILE && img_wanted(p, x->size) &&
		    (s->b->kept + x->size > IMG_SCAN_MAX_KEPT || s->b->held + x->size > IMG_SCAN_MAX_HELD)) {
			/* past the run's bounds: said (IMG-UNREAD-DB; a package database by the
			 * final view's check), and the layer not cached */
			l->partial = true;
			if (!os_db(p) && !l->unkept++ && !(l->unkept_path = arena_strdup(a, p))) {
				rc = ds_oom(err);
				break;
			}
		} else if (x->type == IMG_FILE && img_wanted(p, x->size)) {
			char *data = arena_alloc(a, (size_t)x->size + 1);
			const char *kp = arena_strdup(a, p);
			ssize_t got = 0, n;
			if (!data || !kp || arena_grow_big(a, (void **)&l->kept, &capkept, l->nkept + 1, sizeof(*l->kept))) {
				rc = ds_oom(err);
				break;
			}
			while ((size_t)got < x->size && (n = img_tar_read(&tar, data + got, (size_t)(x->size - (size_t)got))) > 0)
				got += n;
			data[got] = 0;
			s->b->kept += (unsigned long long)got;
			s->b->held += (unsigned long long)got + strlen(kp) + 1 + sizeof(*l->kept);
			l->kept[l->nkept++] = (struct img_kept){.path = kp, .data = data, .len = (size_t)got};
			kept = &l->kept[l->nkept - 1];
		}
		if (x->type == IMG_FILE && (x->size || img_lang_by_path(p)) && (rc = read_content(s, &tar, l, x, p, kept, err)))
			break;
	}
	if (!rc && r < 0)
		rc = tar_fail(s, u, &tar, r, any, l->name, err);
	/* the rest of the uncompressed stream (tar padding), then of the blob */
	while (!rc) {
		const void *q;
		ssize_t n = unpacked_pull(u, &q);
		if (n < 0)
			rc = tar_fail(s, u, &tar, (int)n, true, l->name, err);
		if (n <= 0)
			break;
	}
	while (!rc) {
		ssize_t n = src_read(src, &dummy);
		if (n < 0)
			rc = layer_fail(err, l->name, n == -2 ? DS_ELIMIT : DS_EIO, "cannot read the layer%s",
					n == -2 ? ": the image took longer than its time limit" : "");
		if (n <= 0)
			break;
	}
	if (!rc) {
		/* sorted while the hashing thread finishes the layer's last slots:
		 * img_sha_final waits for them */
		l->unpacked = u->total;
		if ((l->nents > 1 && sort_stable(l->ents, l->nents, sizeof(*l->ents), by_entry)) || img_kept_sort(l) ||
		    lang_settle(&s->arena, l)) {
			rc = ds_oom(err);
			goto out;
		}
		if (l->nents && l->nents < capents) { /* shrunk in place: glibc keeps the address */
			struct img_entry *v = ds_realloc(l->ents, l->nents * sizeof(*v));
			for (size_t i = 0; v && v != l->ents && i < s->nheap; i++)
				if (s->heap[i] == l->ents)
					s->heap[i] = v;
			if (v)
				l->ents = v;
		}
		if (l->nhide > 1)
			qsort(l->hide, l->nhide, sizeof(*l->hide), by_str);
		img_sha_final(&u->sha, l->diff_id);
		if (!u->hash)
			l->diff_id[0] = 0; /* intake copies the blob's digest */
		l->analysed = true;
		s->nlayers_read++;
	}
out:
	img_tar_release(&tar);
	if (u) {
		img_sha_release(&u->sha);
		if (u->raw)
			img_ar.read_free(u->raw);
	}
	ds_free(u);
	return rc;
}

/* ---- blobs ---- */

static struct img_blob *new_blob(struct img_set *s, const char *name)
{
	struct img_blob *b;

	if (arena_grow(&s->arena, (void **)&s->blobs, &s->capblobs, s->nblobs + 1, sizeof(*s->blobs)))
		return NULL;
	b = &s->blobs[s->nblobs];
	memset(b, 0, sizeof(*b));
	if (!(b->name = arena_strdup(&s->arena, name)))
		return NULL;
	s->nblobs++;
	return b;
}

static bool looks_json(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && strchr(" \t\r\n", p[i]))
		i++;
	return i < n && (p[i] == '{' || p[i] == '[');
}

/* Take one blob from src: JSON kept, anything else read as a layer. A
 * layer that is not one (a README in the archive) is not an error until
 * a manifest names it. */
/* The cache key of a blob the input names by its digest, or NULL. */
static const char *cache_key(const struct img_set *s, const char *name)
{
	const char *hex;

	if (!s->cache_kind || strncmp(name, "blobs/sha256/", 13))
		return NULL;
	hex = name + 13;
	return strlen(hex) == 64 && strspn(hex, "0123456789abcdef") == 64 ? hex : NULL;
}

/* ---- trusting a file already checked (cache.h) ---- */

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* Was member name of this very file checked before (and the cache on)?
 * Its digest to hex. */
static bool trusted(const struct img_set *s, const struct source *src, const char *name, char hex[65])
{
	if (!s->cache_kind)
		return false;
	if (src->file)
		return img_cache_trusted(src->file, name, hex);
	return src->outer && s->input_reg && img_cache_trusted(&s->input_st, name, hex);
}

static int note_verified(struct img_set *s, const char *name, const char *hex)
{
	size_t i;

	for (i = 0; i < s->nverified; i++)
		if (!strcmp(s->verified[i].name, name)) {
			s->mismatch = true; /* two members of one name: trust neither */
			return 0;
		}
	if (s->nverified == s->capverified) {
		size_t cap = s->capverified ? 2 * s->capverified : 16;
		struct img_trusted *v = arena_alloc(&s->arena, cap * sizeof(*v));
		if (!v)
			return DS_ENOMEM;
		if (s->nverified)
			memcpy(v, s->verified, s->nverified * sizeof(*v));
		s->verified = v;
		s->capverified = cap;
	}
	if (!(hex = arena_strdup(&s->arena, hex)))
		return DS_ENOMEM;
	s->verified[s->nverified++] = (struct img_trusted){name, hex};
	return 0;
}

/* A blob of a trusted file taken from the cache without reading it: 0, 1
 * when the cache has no entry for it (read it), or DS_ENOMEM. */
static int take_cached(struct img_set *s, struct img_blob *b, const char *hex, long long declared, struct ds_err *err)
{
	struct img_layer *l = arena_alloc(&s->arena, sizeof(*l));

	if (!l)
		return ds_oom(err);
	memset(l, 0, sizeof(*l));
	l->name = b->name;
	if (!img_cache_load(s, hex, s->cache_kind, l))
		return 1;
	b->layer = l;
	snprintf(b->digest, sizeof(b->digest), "sha256:%.64s", hex);
	memcpy(l->digest, b->digest, IMG_DIGEST_LEN);
	l->stored = declared > 0 ? (unsigned long long)declared : 0;
	l->cached = true;
	s->nlayers_read++;
	return note_verified(s, b->name, hex) ? ds_oom(err) : 0;
}

/* After a blob was read whole: remember whether it was true to the digest
 * its name gives (hex; NULL for a legacy name, which claims nothing); a
 * layer of a layout directory, its file unchanged while it was read, is
 * recorded as trusted at once. */
static int checked(struct img_set *s, const struct source *src, const struct img_blob *b, const char *hex,
		   struct ds_err *err)
{
	struct img_trusted t = {b->name, b->digest + 7};
	struct stat now;

	if (hex && strcmp(b->digest + 7, hex)) {
		s->mismatch = true;
		return 0;
	}
	if (!b->layer || !(b->layer->analysed || b->layer->cached))
		return 0;
	if (src->file && !fstat(src->fd, &now) && same_file(&now, src->file))
		img_cache_trust(src->file, &t, 1);
	return note_verified(s, b->name, b->digest + 7) ? ds_oom(err) : 0;
}

static int intake(struct img_set *s, struct source *src, const char *name, long long declared, struct ds_err *err)
{
	struct img_blob *b = new_blob(s, name);
	const char *hex = NULL;
	char thex[65];
	const void *first = NULL;
	ssize_t n;
	int rc;

	if (!b)
		return ds_oom(err);
	name = b->name; /* errors keep pointing at it: the caller's may be on its stack */
	src->s = s;
	hex = cache_key(s, name);
	if (trusted(s, src, name, thex) && (!hex || !strcmp(hex, thex)) &&
	    (rc = take_cached(s, b, thex, declared, err)) != 1)
		return rc;
	if (img_sha_init(&src->sha))
		return ds_oom(err);
	n = src_read(src, &first);
	if (n < 0) {
		img_sha_release(&src->sha);
		return ds_err_set(err, n == -2 ? DS_ELIMIT : DS_EIO, name, 0, 0, "%s",
				  n == -2 ? "the image took longer than its time limit" : "cannot read the entry");
	}
	if (n > 0 && looks_json(first, (size_t)n) && declared >= 0 && declared <= IMG_SCAN_MAX_JSON) {
		size_t len = (size_t)n;
		char *d = arena_alloc(&s->arena, (size_t)declared + 1 > len + 1 ? (size_t)declared + 1 : len + 1);
		if (!d) {
			img_sha_release(&src->sha);
			return ds_oom(err);
		}
		memcpy(d, first, len);
		while (len < (size_t)declared) {
			const void *p;
			ssize_t m = src_read(src, &p);
			if (m <= 0)
				break;
			if (len + (size_t)m > (size_t)declared) {
				img_sha_release(&src->sha);
				return ds_err_set(err, DS_EPARSE, name, 0, 0, "longer than its tar header says");
			}
			memcpy(d + len, p, (size_t)m);
			len += (size_t)m;
		}
		d[len] = 0;
		b->data = d;
		b->len = len;
		img_sha_final(&src->sha, b->digest);
		return checked(s, src, b, hex, err);
	}
	if (n == 0) { /* empty: neither */
		img_sha_final(&src->sha, b->digest);
		return checked(s, src, b, hex, err);
	}
	src->peek = first;
	src->npeek = (size_t)n;
	if (!(b->layer = arena_alloc(&s->arena, sizeof(*b->layer)))) {
		img_sha_release(&src->sha);
		return ds_oom(err);
	}
	memset(b->layer, 0, sizeof(*b->layer));
	b->layer->name = b->name;
	if (hex && img_cache_load(s, hex, s->cache_kind, b->layer)) {
		/* a hit: the bytes are only hashed, to hold the blob to its name */
		const void *p;
		ssize_t m;
		while ((m = src_read(src, &p)) > 0)
			;
		if (m < 0) {
			img_sha_release(&src->sha);
			return ds_err_set(err, m == -2 ? DS_ELIMIT : DS_EIO, name, 0, 0, "%s",
					  m == -2 ? "the image took longer than its time limit" : "cannot read the layer");
		}
		img_sha_final(&src->sha, b->digest);
		memcpy(b->layer->digest, b->digest, IMG_DIGEST_LEN);
		b->layer->stored = src->total;
		b->layer->cached = true;
		s->nlayers_read++;
		return checked(s, src, b, hex, err);
	}
	rc = read_layer(s, src, b->layer, &b->lerr);
	if (rc == DS_ENOMEM || rc == DS_ELIMIT) {
		*err = b->lerr;
		img_sha_release(&src->sha);
		return rc;
	}
	img_sha_final(&src->sha, b->digest);
	memcpy(b->layer->digest, b->digest, IMG_DIGEST_LEN);
	if (b->layer->analysed && !b->layer->diff_id[0])
		memcpy(b->layer->diff_id, b->digest, IMG_DIGEST_LEN);
	/* keyed by the digest of the bytes read: the name's when it gives one and they agree;
	 * not a layer whose files the run's bounds left unread (another run may read them) */
	if (s->cache_kind && b->layer->analysed && !b->layer->partial && (!hex || !strcmp(b->digest + 7, hex)))
		img_cache_store(b->layer, b->digest + 7, s->cache_kind);
	b->layer->stored = src->total;
	return checked(s, src, b, hex, err);
}

static struct img_blob *blob_named(struct img_set *s, const char *name)
{
	size_t i, hops;
	char *n;

	/* a manifest may spell a member "./abc/layer.tar": compare the normalised names */
	if (name && (n = norm(&s->arena, name)))
		name = n + 1;

	for (hops = 0; name && hops < 8; hops++) {
		struct img_blob *b = NULL;
		for (i = 0; i < s->nblobs && !b; i++)
			if (!strcmp(s->blobs[i].name, name))
				b = &s->blobs[i];
		if (!b || !b->alias)
			return b;
		name = b->alias;
	}
	return NULL;
}

/* ---- reading the outer archive or the layout directory ---- */

struct dirsrc {
	int dirfd; /* blobs/sha256 of an OCI layout directory, or -1 */
};

static int read_stream(struct img_set *s, int fd, const char *what, struct ds_err *err)
{
	struct source *src = ds_calloc(1, sizeof(*src));
	struct unpacked *u = ds_calloc(1, sizeof(*u));
	struct img_tar tar;
	struct img_tar_entry e;
	const char *compression = NULL, *why = NULL;
	const void *first;
	struct stat st;
	bool any = false;
	ssize_t n;
	int r = 0, rc = 0;

	img_tar_init(&tar, unpacked_pull, unpacked_skip, u);
	if (!src || !u) {
		rc = ds_oom(err);
		goto out;
	}
	src->fd = fd;
	src->reg = !fstat(fd, &st) && S_ISREG(st.st_mode);
	src->s = s;
	/* docker save's tar, or one compressed (docker save | gzip) */
	if ((n = src_read(src, &first)) < 0) {
		rc = ds_err_set(err, n == -2 ? DS_ELIMIT : DS_EIO, what, 0, 0, "%s",
				n == -2 ? "the image took longer than its time limit" : strerror(errno));
		goto out;
	}
	src->peek = first;
	src->npeek = (size_t)n;
	if ((rc = unpack(s, u, src, &compression, &why, err))) {
		if (rc == DS_ENOMEM)
			rc = ds_oom(err);
		else if (why)
			rc = ds_err_set(err, rc, what, 0, 0, "not an image archive: %s", why);
		goto out;
	}
	while (!rc && (r = img_tar_next(&tar, &e)) > 0) {
		const char *sl;
		struct source *in;
		char *name;

		any = true;
		/* blobs and links to them; directories and the rest take nothing */
		if (e.type != IMG_TAR_FILE && e.type != IMG_TAR_SYMLINK && e.type != IMG_TAR_HARDLINK)
			continue;
		if (s->nblobs >= 4 * IMG_SCAN_MAX_LAYERS) {
			rc = ds_err_set(err, DS_ELIMIT, what, 0, 0, "more than %d entries in the archive", 4 * IMG_SCAN_MAX_LAYERS);
			break;
		}
		if (!(name = norm(&s->arena, e.path))) {
			rc = ds_err_set(err, DS_ELIMIT, what, 0, 0, "an entry name longer than %d bytes", IMG_SCAN_MAX_PATH);
			break;
		}
		name++; /* archive names are relative: "manifest.json" */
		if ((e.type == IMG_TAR_SYMLINK || e.type == IMG_TAR_HARDLINK) && (sl = e.link)) {
			/* legacy: a layer shared by two ids (a symlink, relative to its directory;
			 * a hard link names another member of the archive) */
			struct img_blob *b = new_blob(s, name);
			const char *dir = strrchr(name, '/');
			char *t = e.type == IMG_TAR_HARDLINK ? arena_strdup(&s->arena, sl)
							      : arena_printf(&s->arena, "%.*s/%s", dir ? (int)(dir - name) : 0, name, sl);
			if (!b || !t || !(b->alias = norm(&s->arena, t))) {
				rc = ds_oom(err);
				break;
			}
			b->alias++;
			continue;
		}
		if (e.type != IMG_TAR_FILE)
			continue;
		if (!(in = ds_calloc(1, sizeof(*in)))) {
			rc = ds_oom(err);
			break;
		}
		in->outer = &tar;
		rc = intake(s, in, name, e.size > LLONG_MAX ? LLONG_MAX : (long long)e.size, err);
		ds_free(in);
	}
	if (!rc && r < 0)
		rc = r == IMG_TAR_NOMEM ? ds_oom(err)
		     : r == -2 || late(s)
			     ? ds_err_set(err, DS_ELIMIT, what, 0, 0, "the image took longer than its time limit")
			     : ds_err_set(err, DS_EPARSE, what, 0, 0, "%s%s", any ? "" : "not an image archive: ",
					  u->broken ? u->why : tar.why ? tar.why : "damaged");
out:
	img_tar_release(&tar);
	if (u && u->raw)
		img_ar.read_free(u->raw);
	ds_free(u);
	ds_free(src);
	return rc;
}

/* An OCI layout directory: index.json, then each blob a manifest names,
 * opened under blobs/sha256 by a validated name, never through a link. */
static int dir_blob(struct img_set *s, struct dirsrc *d, const char *digest, struct ds_err *err)
{
	struct source *src;
	struct stat st;
	char name[IMG_DIGEST_LEN + 16];
	int fd, rc;

	if (!img_digest_valid(digest))
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0, "not a sha256 digest: '%.80s'", digest);
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	if (blob_named(s, name))
		return 0;
	/* (O_NONBLOCK: a FIFO planted as a blob must not hold the open; it is refused below) */
	if ((fd = openat(d->dirfd, digest + 7, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
		return ds_err_set(err, errno == ENOENT ? DS_ENOTFOUND : DS_EIO, s->input, 0, 0, "%s: %s", name,
				  strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0, "%s is not a regular file", name);
	}
	if (!(src = ds_calloc(1, sizeof(*src)))) {
		close(fd);
		return ds_oom(err);
	}
	src->fd = fd;
	src->reg = true;
	src->file = s->cache_kind ? &st : NULL;
	rc = intake(s, src, name, (long long)st.st_size, err);
	ds_free(src);
	close(fd);
	return rc;
}

static char *read_small(int dirfd, const char *name, struct arena *a)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	char *p = NULL;
	ssize_t r;

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size <= IMG_SCAN_MAX_JSON &&
	    (p = arena_alloc(a, (size_t)st.st_size + 1))) {
		r = read(fd, p, (size_t)st.st_size);
		p[r > 0 ? r : 0] = 0;
	}
	close(fd);
	return p;
}

/* ---- manifests ---- */

static json_t *blob_json(struct img_set *s, struct img_blob *b, struct ds_err *err)
{
	json_error_t je;
	json_t *j;

	if (!b->data)
		return ds_err_set(err, DS_EPARSE, b->name, 0, 0, "not a JSON document"), NULL;
	if (!(j = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &je)))
		return ds_err_set(err, DS_EPARSE, b->name, je.line, je.column, "invalid JSON: %s", je.text), NULL;
	json_array_append_new(s->jsons, j);
	return j;
}

static const char *host_arch(void)
{
#if defined(__x86_64__)
	return "amd64";
#elif defined(__aarch64__)
	return "arm64";
#elif defined(__arm__)
	return "arm";
#elif defined(__i386__)
	return "386";
#elif defined(__s390x__)
	return "s390x";
#elif defined(__powerpc64__)
	return "ppc64le";
#else
	return "amd64";
#endif
}

static bool platform_ok(json_t *plat, const struct img_opts *o)
{
	const char *os = json_string_value(json_object_get(plat, "os")),
		   *arch = json_string_value(json_object_get(plat, "architecture")),
		   *variant = json_string_value(json_object_get(plat, "variant"));
	char want[128];
	char *wa, *wv;

	if (!plat)
		return true;
	snprintf(want, sizeof(want), "%s", o->platform ? o->platform : "linux/");
	if (!o->platform)
		snprintf(want, sizeof(want), "linux/%s", host_arch());
	wa = strchr(want, '/');
	if (!wa)
		return os && !strcmp(os, want);
	*wa++ = 0;
	wv = strchr(wa, '/');
	if (wv)
		*wv++ = 0;
	return os && arch && !strcmp(os, want) && !strcmp(arch, wa) && (!wv || (variant && !strcmp(variant, wv)));
}

static bool name_matches(const char *want, const char *ref, const char *digest)
{
	size_t n;

	if (!want)
		return true;
	if ((ref && !strcmp(ref, want)) || (digest && !strcmp(digest, want)))
		return true;
	/* "busybox" names "busybox:latest" and "docker.io/library/busybox:1" by its repository */
	n = strlen(want);
	return ref && !strncmp(ref, want, n) && ref[n] == ':';
}

static struct img_image *new_image(struct img_set *s, struct ds_err *err)
{
	size_t cap = s->n;

	if (s->n >= IMG_SCAN_MAX_IMAGES)
		return ds_err_set(err, DS_ELIMIT, s->input, 0, 0, "more than %d images", IMG_SCAN_MAX_IMAGES), NULL;
	if (arena_grow(&s->arena, (void **)&s->images, &cap, s->n + 1, sizeof(*s->images)))
		return ds_oom(err), NULL;
	memset(&s->images[s->n], 0, sizeof(*s->images));
	return &s->images[s->n++];
}

/* The layer a manifest names must have been read as one, whole. */
static int use_layer(struct img_set *s, struct img_image *im, size_t i, struct img_blob *b, const char *what,
		     struct ds_err *err)
{
	if (!b)
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0, "layer %zu (%s) is missing from the archive", i + 1, what);
	if (!b->layer || !b->layer->analysed)
		return b->lerr.code ? (*err = b->lerr, b->lerr.code)
				    : ds_err_set(err, DS_EPARSE, b->name, 0, 0, "layer %zu is not a tar archive", i + 1);
	im->layers[i] = b->layer;
	return 0;
}

/* Config: os/arch, diff_ids checked against the layers, history. */
static int apply_config(struct img_set *s, struct img_image *im, struct img_blob *cb, struct ds_err *err)
{
	json_t *cfg, *ids, *hist, *h;
	size_t i, k;

	if (!(cfg = blob_json(s, cb, err)))
		return err->code;
	im->config = cfg;
	im->config_digest = arena_strdup(&s->arena, cb->digest);
	im->os = json_string_value(json_object_get(cfg, "os"));
	im->arch = json_string_value(json_object_get(cfg, "architecture"));
	im->variant = json_string_value(json_object_get(cfg, "variant"));
	ids = json_object_get(json_object_get(cfg, "rootfs"), "diff_ids");
	if (!json_is_array(ids) || json_array_size(ids) != im->nlayers)
		return ds_err_set(err, DS_EPARSE, cb->name, 0, 0, "the config lists %zu diff_ids for %zu layers",
				  json_array_size(ids), im->nlayers);
	for (i = 0; i < im->nlayers; i++) {
		const char *want = json_string_value(json_array_get(ids, i));
		if (!s->fuzzing && (!want || strcmp(want, im->layers[i]->diff_id)))
			return ds_err_set(err, DS_EPARSE, im->layers[i]->name, 0, 0,
					  "layer %zu's content is %s, the config says %.80s: the image was altered or is corrupt",
					  i + 1, im->layers[i]->diff_id, want ? want : "(nothing)");
	}
	if (!(im->created_by = arena_alloc(&s->arena, (im->nlayers + 1) * sizeof(*im->created_by))))
		return ds_oom(err);
	memset(im->created_by, 0, (im->nlayers + 1) * sizeof(*im->created_by));
	hist = json_object_get(cfg, "history");
	k = 0;
	json_array_foreach(hist, i, h) {
		if (json_is_true(json_object_get(h, "empty_layer")))
			continue;
		if (k < im->nlayers)
			im->created_by[k] = json_string_value(json_object_get(h, "created_by"));
		k++;
	}
	return 0;
}

static int docker_save(struct img_set *s, struct img_blob *mb, const struct img_opts *o, struct ds_err *err)
{
	json_t *m = blob_json(s, mb, err), *x, *layers;
	size_t i, k;
	int rc;

	if (!m)
		return err->code;
	if (!json_is_array(m))
		return ds_err_set(err, DS_EPARSE, "manifest.json", 0, 0, "expected a list of images");
	json_array_foreach(m, i, x) {
		const char *cfgname = json_string_value(json_object_get(x, "Config"));
		const char *tag = json_string_value(json_array_get(json_object_get(x, "RepoTags"), 0));
		struct img_blob *cb;
		struct img_image *im;
		bool any = false;
		json_t *t;
		size_t j;

		json_array_foreach(json_object_get(x, "RepoTags"), j, t)
			any = any || name_matches(o->image, json_string_value(t), NULL);
		if (!any && !name_matches(o->image, NULL, cfgname))
			continue;
		layers = json_object_get(x, "Layers");
		if (!cfgname || !json_is_array(layers))
			return ds_err_set(err, DS_EPARSE, "manifest.json", 0, 0, "image %zu has no Config or Layers", i + 1);
		if (json_array_size(layers) > IMG_SCAN_MAX_LAYERS)
			return ds_err_set(err, DS_ELIMIT, "manifest.json", 0, 0, "more than %d layers", IMG_SCAN_MAX_LAYERS);
		if (!(cb = blob_named(s, cfgname)))
			return ds_err_set(err, DS_EPARSE, "manifest.json", 0, 0, "the config %.200s is missing", cfgname);
		/* the config is named by its digest: "<hex>.json" or "blobs/sha256/<hex>" */
		{
			const char *base = strrchr(cfgname, '/') ? strrchr(cfgname, '/') + 1 : cfgname;
			if (!s->fuzzing && strlen(base) >= 64 && strncmp(base, cb->digest + 7, 64))
				return ds_err_set(err, DS_EPARSE, cfgname, 0, 0, "the config's content is %s, not what its name says",
						  cb->digest);
		}
		if (!(im = new_image(s, err)))
			return err->code;
		im->ref = tag ? arena_strdup(&s->arena, tag) : arena_printf(&s->arena, "%.19s", cb->digest);
		im->nlayers = json_array_size(layers);
		if (!(im->layers = arena_alloc(&s->arena, (im->nlayers + 1) * sizeof(*im->layers))))
			return ds_oom(err);
		for (k = 0; k < im->nlayers; k++) {
			const char *ln = json_string_value(json_array_get(layers, k));
			struct img_blob *lb = ln ? blob_named(s, ln) : NULL;
			if ((rc = use_layer(s, im, k, lb, ln ? ln : "?", err)))
				return rc;
			/* an OCI blob path names its digest */
			if (!s->fuzzing && ln && !strncmp(ln, "blobs/sha256/", 13) && strcmp(ln + 13, lb->layer->digest + 7))
				return ds_err_set(err, DS_EPARSE, ln, 0, 0, "layer %zu's blob is %s, not what its name says", k + 1,
						  lb->layer->digest);
		}
		if ((rc = apply_config(s, im, cb, err)))
			return rc;
	}
	return 0;
}

/* An OCI descriptor's blob, read from the directory if needed, checked. */
static struct img_blob *descriptor(struct img_set *s, struct dirsrc *d, json_t *desc, struct ds_err *err)
{
	const char *digest = json_string_value(json_object_get(desc, "digest"));
	json_t *size = json_object_get(desc, "size");
	struct img_blob *b;
	char name[IMG_DIGEST_LEN + 16];

	if (!img_digest_valid(digest))
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0, "a descriptor without a sha256 digest"), NULL;
	snprintf(name, sizeof(name), "blobs/sha256/%s", digest + 7);
	if (d->dirfd >= 0 && dir_blob(s, d, digest, err))
		return NULL;
	if (!(b = blob_named(s, name)))
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0, "blob %s is missing", digest), NULL;
	if (!s->fuzzing && strcmp(b->digest, digest))
		return ds_err_set(err, DS_EPARSE, b->name, 0, 0, "the blob's content is %s, not %s", b->digest, digest), NULL;
	if (!s->fuzzing && json_is_integer(size) && b->layer && (unsigned long long)json_integer_value(size) != b->layer->stored)
		return ds_err_set(err, DS_EPARSE, b->name, 0, 0, "the blob has %llu bytes, its descriptor says %lld",
				  b->layer->stored, (long long)json_integer_value(size)),
		       NULL;
	return b;
}

static int oci_manifest(struct img_set *s, struct dirsrc *d, struct img_blob *mb, const char *ref, struct ds_err *err)
{
	json_t *m = blob_json(s, mb, err), *layers, *l;
	struct img_image *im;
	struct img_blob *cb;
	size_t i;
	int rc;

	if (!m)
		return err->code;
	layers = json_object_get(m, "layers");
	if (!json_is_array(layers))
		return ds_err_set(err, DS_EPARSE, mb->name, 0, 0, "an image manifest without layers");
	if (json_array_size(layers) > IMG_SCAN_MAX_LAYERS)
		return ds_err_set(err, DS_ELIMIT, mb->name, 0, 0, "more than %d layers", IMG_SCAN_MAX_LAYERS);
	if (!(cb = descriptor(s, d, json_object_get(m, "config"), err)))
		return err->code;
	if (!(im = new_image(s, err)))
		return err->code;
	im->manifest = arena_strdup(&s->arena, mb->digest);
	im->ref = ref ? arena_strdup(&s->arena, ref) : arena_printf(&s->arena, "%.19s", mb->digest);
	im->nlayers = json_array_size(layers);
	if (!(im->layers = arena_alloc(&s->arena, (im->nlayers + 1) * sizeof(*im->layers))))
		return ds_oom(err);
	json_array_foreach(layers, i, l) {
		struct img_blob *lb = descriptor(s, d, l, err);
		if (!lb)
			return err->code;
		if ((rc = use_layer(s, im, i, lb, lb->name, err)))
			return rc;
	}
	return apply_config(s, im, cb, err);
}

/* An index (index.json or a nested one): the manifests for the platform. */
static int oci_index(struct img_set *s, struct dirsrc *d, json_t *idx, const char *what, const struct img_opts *o,
		     int depth, bool *found, struct ds_err *err)
{
	json_t *ms = json_object_get(idx, "manifests"), *m;
	size_t i;
	int rc;

	if (depth > 4)
		return ds_err_set(err, DS_ELIMIT, what, 0, 0, "indexes nested deeper than 4");
	if (!json_is_array(ms))
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "an index without manifests");
	json_array_foreach(ms, i, m) {
		const char *mt = json_string_value(json_object_get(m, "mediaType"));
		json_t *ann = json_object_get(m, "annotations");
		const char *ref = json_string_value(json_object_get(ann, "io.containerd.image.name"));
		struct img_blob *b;
		json_t *j;

		if (!ref)
			ref = json_string_value(json_object_get(ann, "org.opencontainers.image.ref.name"));
		if (depth == 0 && !name_matches(o->image, ref, json_string_value(json_object_get(m, "digest"))))
			continue;
		if (!platform_ok(json_object_get(m, "platform"), o))
			continue;
		if (!(b = descriptor(s, d, m, err)))
			return err->code;
		if (!(j = blob_json(s, b, err)))
			return err->code;
		if ((mt && strstr(mt, "index")) || (mt && strstr(mt, "manifest.list")) || json_object_get(j, "manifests")) {
			if ((rc = oci_index(s, d, j, b->name, o, depth + 1, found, err)))
				return rc;
			continue;
		}
		/* attestation manifests (BuildKit) are not images */
		if (json_object_get(json_object_get(m, "annotations"), "vnd.docker.reference.type"))
			continue;
		if ((rc = oci_manifest(s, d, b, ref, err)))
			return rc;
		*found = true;
	}
	return 0;
}

/* ---- the final view ---- */

static int by_entry_path(const void *key, const void *x)
{
	return -img_entry_cmpstr(x, key);
}

/* Does layer l leave a non-directory at dir (the last of its entries there)? */
static bool nondir_at(const struct img_layer *l, const char *dir)
{
	const struct img_entry *e = l->nents ? bsearch(dir, l->ents, l->nents, sizeof(*l->ents), by_entry_path) : NULL;

	if (!e)
		return false;
	while (e + 1 < l->ents + l->nents && !img_entry_cmpstr(&e[1], dir))
		e++;
	return e->type != IMG_DIR;
}

/* Does layer l hide path of the layers below it: a whiteout of it or of a
 * directory above it, an opaque directory above it, or a non-directory
 * written where a directory above it was? */
static bool hidden(const char *path, const struct img_layer *l, char *tmp)
{
	size_t n = strlen(path), i;
	const char *key = tmp;

	if ((!l->nhide && !l->nents) || n >= IMG_SCAN_MAX_PATH)
		return false;
	memcpy(tmp, path, n + 1);
	for (i = n; i > 0; i--) {
		if (i < n && path[i] != '/')
			continue;
		tmp[i] = 0;
		if (l->nhide && bsearch(&key, l->hide, l->nhide, sizeof(*l->hide), by_str))
			return true;
		if (i < n && nondir_at(l, tmp))
			return true;
		if (i < n && l->nhide) {
			tmp[i] = '/';
			tmp[i + 1] = 0;
			if (bsearch(&key, l->hide, l->nhide, sizeof(*l->hide), by_str))
				return true;
		}
	}
	tmp[0] = '/';
	tmp[1] = 0;
	return l->nhide && bsearch(&key, l->hide, l->nhide, sizeof(*l->hide), by_str) != NULL;
}

bool img_layer_replaces(const struct img_layer *l, const char *path)
{
	char tmp[IMG_SCAN_MAX_PATH + 2];

	return (l->nents && bsearch(path, l->ents, l->nents, sizeof(*l->ents), by_entry_path)) || hidden(path, l, tmp);
}

/* The first node of the view (sorted, no path twice) at or after key. */
static size_t view_lower(const struct img_node *v, size_t n, const char *key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (img_entry_cmpstr(v[mid].e, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Mark in gone the nodes at path (when exact) and under path + "/"; a path
 * too long for hidden() to look at is never hidden by it, nor here. */
static void mark_under(const struct img_node *v, size_t n, const char *path, bool exact, unsigned char *gone, char *tmp)
{
	size_t len = strlen(path), i;

	if (len >= IMG_SCAN_MAX_PATH)
		return;
	if (exact && (i = view_lower(v, n, path)) < n && !img_entry_cmpstr(v[i].e, path))
		gone[i] = 1; /* (shorter than IMG_SCAN_MAX_PATH: path is) */
	memcpy(tmp, path, len);
	if (!len || tmp[len - 1] != '/')
		tmp[len++] = '/';
	tmp[len] = 0;
	for (i = view_lower(v, n, tmp); i < n && img_entry_starts(v[i].e, tmp, len); i++)
		if (strlen(v[i].e->dir) + strlen(v[i].e->name) < IMG_SCAN_MAX_PATH)
			gone[i] = 1;
}

/* What hidden() says of every node, found from the layer's side: each
 * whiteout hides its path and what is under it, an opaque directory
 * ("d/") what is under it, a non-directory (the last entry at its path)
 * what is under its path. For a layer of a few entries over a large view:
 * a few binary searches instead of a walk up every path. */
static void mark_hidden(const struct img_node *v, size_t n, const struct img_layer *l, unsigned char *gone)
{
	char tmp[IMG_SCAN_MAX_PATH + 2], path[IMG_SCAN_MAX_PATH + 1];
	size_t i;

	for (i = 0; i < l->nhide; i++) {
		size_t len = strlen(l->hide[i]);
		mark_under(v, n, l->hide[i], !len || l->hide[i][len - 1] != '/', gone, tmp);
	}
	for (i = 0; i < l->nents; i++)
		if ((i + 1 == l->nents || img_entry_cmp(&l->ents[i], &l->ents[i + 1])) && l->ents[i].type != IMG_DIR) {
			img_entry_copy(&l->ents[i], path);
			mark_under(v, n, path, false, gone, tmp);
		}
}

/* Merge layer l's entries into the view v (n nodes) as out; the layer wins
 * on equal paths, and of a path written twice in it the last one. A small
 * layer finds its places by binary search and copies the view between
 * them; else one walk over both. The count of nodes out. */
static size_t merge(const struct img_node *v, size_t n, const struct img_layer *l, struct img_node *out, bool small)
{
	size_t i = 0, j = 0, o = 0;

	while (j < l->nents) {
		int c = -1;
		if (small) {
			size_t lo = i, hi = n;
			while (j + 1 < l->nents && !img_entry_cmp(&l->ents[j], &l->ents[j + 1]))
				j++;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (img_entry_cmp(v[mid].e, &l->ents[j]) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > i)
				memcpy(out + o, v + i, (lo - i) * sizeof(*out));
			o += lo - i;
			i = lo;
		}
		if (i < n)
			c = img_entry_cmp(v[i].e, &l->ents[j]);
		if (i < n && c < 0) {
			out[o++] = v[i++];
			continue;
		}
		if (i < n && c == 0)
			i++;
		/* duplicates within the layer: the last one written wins */
		while (j + 1 < l->nents && !img_entry_cmp(&l->ents[j], &l->ents[j + 1]))
			j++;
		out[o++] = (struct img_node){&l->ents[j++]};
	}
	if (n > i) /* (v is NULL under the first layer) */
		memcpy(out + o, v + i, (n - i) * sizeof(*out));
	return o + n - i;
}

int img_view(struct img_set *s, struct img_image *im, struct ds_err *err)
{
	/* two arrays, one merged into the other, reused from layer to layer (an image
	 * of 500 layers would otherwise take fresh pages for a copy of the view 500 times) */
	struct img_node *view = NULL, *next = NULL;
	unsigned char *gone = NULL;
	size_t nv = 0, k, i, j, o, cap, capview = 0, capnext = 0, capgone = 0;
	char tmp[IMG_SCAN_MAX_PATH + 2], path[IMG_SCAN_MAX_PATH + 1];

	if (im->view)
		return 0;
	for (k = 0; k < im->nlayers; k++) {
		const struct img_layer *l = im->layers[k];
		/* a layer small beside the view: look up what it can hide (fuzzing: always,
		 * each answer held to hidden()'s) */
		bool small = nv && (s->fuzzing || (l->nents + l->nhide) * 16 < nv);
		if (small && nv > capgone) {
			unsigned char *g = ds_realloc(gone, nv);
			if (!g)
				goto oom;
			gone = g;
			capgone = nv;
		}
		if (small) {
			memset(gone, 0, nv);
			mark_hidden(view, nv, l, gone);
		}
		for (i = j = 0; i < nv; i++) { /* what this layer hides */
			bool h = small ? gone[i] : (img_entry_copy(view[i].e, path), hidden(path, l, tmp));
			if (small && s->fuzzing && h != (img_entry_copy(view[i].e, path), hidden(path, l, tmp)))
				__builtin_trap(); /* the two ways disagree */
			if (!h)
				view[j++] = view[i];
		}
		nv = j;
		cap = nv + l->nents + 1;
		if (cap > capnext) {
			struct img_node *v = ds_realloc(next, cap * sizeof(*next));
			if (!v)
				goto oom;
			next = v;
			capnext = cap;
		}
		o = merge(view, nv, l, next, small);
		if (small && s->fuzzing) { /* the two ways agree */
			struct img_node *v = ds_malloc(cap * sizeof(*v));
			if (v && (merge(view, nv, l, v, false) != o || memcmp(v, next, o * sizeof(*v))))
				__builtin_trap();
			ds_free(v);
		}
		{ /* swap */
			struct img_node *t = view;
			size_t c = capview;
			view = next;
			capview = capnext;
			next = t;
			capnext = c;
		}
		nv = o;
	}
	ds_free(next);
	ds_free(gone);
	if (!view && !(view = ds_malloc(sizeof(*view)))) /* no layers: an empty view, built */
		return ds_oom(err);
	im->view = view;
	im->npaths = im->nview = nv;
	return 0;
oom:
	ds_free(view);
	ds_free(next);
	ds_free(gone);
	return ds_oom(err);
}

void img_view_release(struct img_image *im)
{
	ds_free(im->view);
	im->view = NULL;
	im->nview = 0;
}

static int by_node(const void *key, const void *x)
{
	return -img_entry_cmpstr(((const struct img_node *)x)->e, key);
}

const struct img_node *img_lookup(const struct img_image *im, const char *path, bool follow)
{
	char cur[IMG_SCAN_MAX_PATH + 1], rest[IMG_SCAN_MAX_PATH + 1];
	const struct img_node *n = NULL;
	size_t hops = 0;

	if (!follow)
		return im->nview ? bsearch(path, im->view, im->nview, sizeof(*im->view), by_node) : NULL;
	if (strlen(path) > IMG_SCAN_MAX_PATH)
		return NULL;
	size_t nc = 0;

	snprintf(rest, sizeof(rest), "%s", path);
	cur[0] = 0;
	for (;;) { /* cur: resolved so far (no trailing /); rest: components left */
		char *p = rest, comp[IMG_SCAN_MAX_PATH + 1];
		size_t len;
		while (*p == '/')
			p++;
		if (!*p)
			return nc ? n : (im->nview ? bsearch("/", im->view, im->nview, sizeof(*im->view), by_node) : NULL);
		len = strcspn(p, "/");
		memcpy(comp, p, len);
		comp[len] = 0;
		memmove(rest, p + len, strlen(p + len) + 1);
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			while (nc > 0 && cur[nc - 1] != '/')
				nc--;
			if (nc > 0)
				nc--;
			cur[nc] = 0;
			continue;
		}
		if (nc + 1 + len > IMG_SCAN_MAX_PATH)
			return NULL;
		cur[nc++] = '/';
		memcpy(cur + nc, comp, len + 1);
		nc += len;
		n = im->nview ? bsearch(cur, im->view, im->nview, sizeof(*im->view), by_node) : NULL;
		if (!n) { /* layers need not list parent directories: one is implied */
			const char *q = rest;
			while (*q == '/')
				q++;
			if (!*q)
				return NULL;
			continue;
		}
		if (n->e->type == IMG_SYMLINK) {
			const char *link = img_entry_link(n->e);
			size_t ll = strlen(link), lr = strlen(rest);
			if (++hops > IMG_SCAN_MAX_LINKS || ll + 1 + lr > IMG_SCAN_MAX_PATH)
				return NULL;
			memmove(rest + ll + 1, rest, lr + 1); /* rest = link "/" rest */
			memcpy(rest, link, ll);
			rest[ll] = '/';
			if (link[0] == '/')
				nc = 0;
			else /* relative to the link's directory */
				while (nc > 0 && cur[--nc] != '/')
					;
			cur[nc] = 0;
		}
	}
}

size_t img_node_layer(const struct img_image *im, const struct img_node *n)
{
	uintptr_t at = (uintptr_t)n->e;
	size_t k;

	for (k = im->nlayers; k-- > 0;) {
		const struct img_layer *l = im->layers[k];
		if (l->nents && at >= (uintptr_t)l->ents && at < (uintptr_t)(l->ents + l->nents))
			return k;
	}
	return im->nlayers;
}

const struct img_kept *img_contents(const struct img_image *im, const struct img_node *n)
{
	const struct img_layer *l;
	size_t lo, hi, k = n ? img_node_layer(im, n) : im->nlayers;

	if (k >= im->nlayers)
		return NULL;
	l = im->layers[k];
	/* sorted by path (img_kept_sort): of a file written twice, the later */
	for (lo = 0, hi = l->nkept; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (img_entry_cmpstr(n->e, l->kept[mid].path) >= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo && !img_entry_cmpstr(n->e, l->kept[lo - 1].path) ? &l->kept[lo - 1] : NULL;
}

/* ---- entry points ---- */

static int assemble(struct img_set *s, struct dirsrc *d, const struct img_opts *o, struct ds_err *err)
{
	struct img_blob *mb = d->dirfd < 0 ? blob_named(s, "manifest.json") : NULL, *ib;
	bool found = false;
	int rc;

	if (mb) {
		if ((rc = docker_save(s, mb, o, err)))
			return rc;
	} else if ((ib = blob_named(s, "index.json"))) {
		json_t *idx = blob_json(s, ib, err);
		if (!idx)
			return err->code;
		if ((rc = oci_index(s, d, idx, "index.json", o, 0, &found, err)))
			return rc;
	} else {
		return ds_err_set(err, DS_EPARSE, s->input, 0, 0,
				  "neither manifest.json (docker save) nor index.json (OCI layout): not an image");
	}
	if (!s->n)
		return o->image ? ds_err_set(err, DS_ENOTFOUND, s->input, 0, 0, "no image named '%s' in it", o->image)
				: ds_err_set(err, DS_ENOTFOUND, s->input, 0, 0, "no image for the platform %s in it",
					     o->platform ? o->platform : "of this host");
	return 0;
}

static int begin(struct img_set *s, const char *input, const struct img_opts *o, struct ds_err *err)
{
	int rc;

	memset(s, 0, sizeof(*s));
	arena_init(&s->arena, IMG_SCAN_MAX_MEMORY);
	s->input = input;
	if (!(s->jsons = json_array()))
		return ds_oom(err);
	s->b = o->budget ? o->budget : &s->own;
	if (o->timeout_ms && !s->b->deadline_ms) /* the run's: from its first read */
		s->b->deadline_ms = now_ms() + o->timeout_ms;
	s->deadline_ms = s->b->deadline_ms;
	s->fuzzing = o->fuzzing;
	s->secrets = o->secrets;
	s->secrets_or_packages = !o->setid_only;
	s->jar_budget = IMG_SCAN_MAX_NESTED_JARS;
	s->cache_kind = !o->cache || o->fuzzing ? 0 : o->secrets ? 's' : o->setid_only ? 'a' : 'n';
	s->o = o;
	s->progress_last = now_ms(); /* the first report after 200 ms */
	if ((rc = img_digest_load(err))) /* libarchive: only for what needs it (unpack, jars) */
		return rc;
	return 0;
}

/* Out of memory because the index reached its bound: say which bound. */
static int bounded(struct img_set *s, int rc, struct ds_err *err)
{
	if (rc == DS_ENOMEM && s->arena.failed && s->arena.used_total + (16u << 20) >= IMG_SCAN_MAX_MEMORY) {
		memset(err, 0, sizeof(*err));
		return ds_err_set(err, DS_ELIMIT, s->input, 0, 0, "the image's index (paths, packages, kept files) needs more than %u MiB",
				  IMG_SCAN_MAX_MEMORY >> 20);
	}
	return rc;
}

static int img_read_fd_sized(struct img_set *s, int fd, const char *name, const struct img_opts *o,
			     unsigned long long size, struct ds_err *err)
{
	struct dirsrc d = {-1};
	int rc;

	if ((rc = begin(s, name, o, err)))
		return rc;
	img_digest_pin(); /* until img_read or img_read_fd returns */
	s->input_size = size;
	s->input_reg = s->cache_kind && !fstat(fd, &s->input_st) && S_ISREG(s->input_st.st_mode);
	if ((rc = read_stream(s, fd, name, err)))
		return bounded(s, rc, err);
	if ((rc = assemble(s, &d, o, err)))
		return bounded(s, rc, err);
	/* every named blob true to its name and the file unchanged: trust it next time */
	if (s->input_reg && !s->mismatch) {
		struct stat now;
		if (!fstat(fd, &now) && same_file(&now, &s->input_st))
			img_cache_trust(&s->input_st, s->verified, s->nverified);
	}
	return 0;
}

int img_read_fd(struct img_set *s, int fd, const char *name, const struct img_opts *o, struct ds_err *err)
{
	int rc = img_read_fd_sized(s, fd, name, o, 0, err);

	img_digest_unpin();
	return rc;
}

static int read_input(struct img_set *s, const char *input, const struct img_opts *o, struct ds_err *err);

int img_read(struct img_set *s, const char *input, const struct img_opts *o, struct ds_err *err)
{
	int rc = read_input(s, input, o, err);

	img_digest_unpin();
	return rc;
}

static int read_input(struct img_set *s, const char *input, const struct img_opts *o, struct ds_err *err)
{
	struct dirsrc d = {-1};
	struct stat st;
	int fd, rc;

	if (!strcmp(input, "-"))
		return img_read_fd(s, 0, "<stdin>", o, err);
	/* O_NONBLOCK: a FIFO no one writes to must not hold the open past the time
	 * limit; its reads wait in poll (src_read) */
	if ((fd = open(input, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
		return begin(s, input, o, err) ? err->code
		       : ds_err_set(err, errno == ENOENT ? DS_ENOTFOUND : DS_EIO, input, 0, 0, "%s", strerror(errno));
	if (fstat(fd, &st) || !S_ISDIR(st.st_mode)) {
		rc = img_read_fd_sized(s, fd, input, o, S_ISREG(st.st_mode) ? (unsigned long long)st.st_size : 0, err);
		close(fd);
		return rc;
	}
	/* an OCI layout directory */
	if ((rc = begin(s, input, o, err))) {
		close(fd);
		return rc;
	}
	img_digest_pin();
	{
		char *layout = read_small(fd, "oci-layout", &s->arena), *index = read_small(fd, "index.json", &s->arena);
		int b = openat(fd, "blobs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct img_blob *ib;
		d.dirfd = b < 0 ? -1 : openat(b, "sha256", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (b >= 0)
			close(b);
		close(fd);
		if (!layout || !strstr(layout, "imageLayoutVersion") || !index || d.dirfd < 0) {
			if (d.dirfd >= 0)
				close(d.dirfd);
			return ds_err_set(err, DS_EPARSE, input, 0, 0,
					  "a directory that is not an OCI image layout (oci-layout, index.json, blobs/sha256/)");
		}
		if (!(ib = new_blob(s, "index.json"))) {
			close(d.dirfd);
			return ds_oom(err);
		}
		ib->data = index;
		ib->len = strlen(index);
		rc = bounded(s, assemble(s, &d, o, err), err);
		close(d.dirfd);
	}
	return rc;
}

void img_set_release(struct img_set *s)
{
	ds_free(s->scanbuf);
	ds_free(s->tailbuf);
	img_gunzip_free(s->gunzip);
	for (size_t i = 0; i < s->nheap; i++)
		ds_free(s->heap[i]);
	for (size_t i = 0; i < s->n; i++)
		img_view_release(&s->images[i]);
	json_decref(s->jsons);
	arena_release(&s->arena);
	memset(s, 0, sizeof(*s));
}
