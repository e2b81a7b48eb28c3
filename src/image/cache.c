/*
 * cache.c - the per-layer cache (see cache.h). The file: a header line
 * "docksec-layer FORMAT VERSION\n", then length-prefixed records (u64
 * little-endian numbers, strings as a u64 length - all ones for none - and
 * bytes). Every count and length is checked against what is left of the
 * file before use. Entries are written and read a window at a time, never
 * held whole (a layer of a million files makes one of 90 MB).
 */
#include "cache.h"
#include "tar.h"
#include "../core/buf.h"
#include "../core/cachedir.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

int img_cache_dir(char *out, size_t n, bool create)
{
	char rel[64];

	snprintf(rel, sizeof(rel), "layers/v%d-%s", IMG_CACHE_FORMAT, DS_VERSION);
	return ds_cache_path(out, n, rel, create ? DS_CACHE_DIR : DS_CACHE_NONE);
}

/* A cache entry written as it is made, to a temporary file renamed at the
 * end (a layer of a million entries: 80 MB, never held whole). */
struct wr {
	int fd;
	struct buf b;
	unsigned long long total;
	bool bad;
};

static void write_all(struct wr *w, const void *p, size_t n)
{
	const char *c = p;

	while (!w->bad && n) {
		ssize_t k = write(w->fd, c, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			w->bad = true;
			return;
		}
		c += k;
		n -= (size_t)k;
	}
}

/* Write out what the buffer holds once it is large (always when forced). */
static void spill(struct wr *w, bool force)
{
	if (w->bad || (!force && w->b.n < (256u << 10)))
		return;
	if (!buf_ok(&w->b))
		w->bad = true;
	else
		write_all(w, w->b.p, w->b.n);
	w->total += w->b.n;
	buf_clear(&w->b);
	if (w->total > IMG_CACHE_MAX_FILE)
		w->bad = true;
}

static void put_u64(struct wr *w, unsigned long long v)
{
	unsigned char x[8];
	for (int i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	buf_add(&w->b, (const char *)x, 8);
	spill(w, false);
}

static void put_str(struct wr *w, const char *s, size_t n)
{
	put_u64(w, s ? n : ~0ull);
	if (!s)
		return;
	if (n < (64u << 10)) {
		buf_add(&w->b, s, n);
		spill(w, false);
	} else { /* a kept file: straight from where it is */
		spill(w, true);
		write_all(w, s, n);
		w->total += n;
	}
}

static void put_cstr(struct wr *w, const char *s)
{
	put_str(w, s, s ? strlen(s) : 0);
}

/* A temporary file beside path (its name in tmp) for w: false when none. */
static bool wr_open(struct wr *w, const char *path, char tmp[PATH_MAX + 100])
{
	*w = (struct wr){-1, BUF_INIT, 0, false};
	return snprintf(tmp, PATH_MAX + 100, "%s.tmp.XXXXXX", path) < PATH_MAX + 100 &&
	       (w->fd = mkostemp(tmp, O_CLOEXEC)) >= 0;
}

/* What w holds written out, then the file renamed to path at once, 0600;
 * best effort: a cache that cannot be written is a cache that is not used. */
static void wr_finish(struct wr *w, const char *tmp, const char *path)
{
	bool ok;

	spill(w, true);
	buf_release(&w->b);
	ok = !w->bad && !fchmod(w->fd, 0600);
	if (close(w->fd))
		ok = false;
	if (!ok || rename(tmp, path))
		unlink(tmp);
}

static char *file_name(char *out, size_t n, const char *dir, const char *hex, char kind)
{
	return snprintf(out, n, "%s/%.64s.%c", dir, hex, kind) < (int)n ? out : NULL;
}

void img_cache_store(const struct img_layer *l, const char *hex, char kind)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], tmp[PATH_MAX + 100];
	struct wr w;
	size_t i;

	if (img_cache_dir(dir, sizeof(dir), true) || !file_name(path, sizeof(path), dir, hex, kind) ||
	    !wr_open(&w, path, tmp))
		return;
	buf_addf(&w.b, "docksec-layer %d %s\n", IMG_CACHE_FORMAT, DS_VERSION);
	put_cstr(&w, l->diff_id);
	put_cstr(&w, l->compression);
	put_u64(&w, l->stored);
	put_u64(&w, l->unpacked);
	put_u64(&w, l->nents);
	for (i = 0; i < l->nents && !w.bad; i++) {
		const struct img_entry *e = &l->ents[i];
		char p[IMG_SCAN_MAX_PATH + 1];
		img_entry_copy(e, p);
		put_cstr(&w, p);
		put_cstr(&w, img_entry_link(e));
		put_u64(&w, e->size);
		put_u64(&w, ((unsigned long long)e->mode << 8) | (unsigned char)e->type);
		put_u64(&w, ((unsigned long long)e->uid << 32) | e->gid);
	}
	put_u64(&w, l->nhide);
	for (i = 0; i < l->nhide && !w.bad; i++)
		put_cstr(&w, l->hide[i]);
	put_u64(&w, l->nkept);
	for (i = 0; i < l->nkept && !w.bad; i++) {
		put_cstr(&w, l->kept[i].path);
		put_str(&w, l->kept[i].data, l->kept[i].len);
	}
	put_u64(&w, l->nsecrets);
	for (i = 0; i < l->nsecrets && !w.bad; i++) {
		put_cstr(&w, l->secrets[i].path);
		put_cstr(&w, l->secrets[i].kind);
		put_u64(&w, l->secrets[i].line);
		put_cstr(&w, l->secrets[i].shown);
	}
	put_u64(&w, l->nlang);
	for (i = 0; i < l->nlang && !w.bad; i++) {
		put_cstr(&w, l->lang[i].type);
		put_cstr(&w, l->lang[i].name);
		put_cstr(&w, l->lang[i].version);
		put_cstr(&w, l->lang[i].path);
	}
	wr_finish(&w, tmp, path);
}

/* ---- trust records: "<dev><ino>.i" (32 hex digits each) ---- */

#define TRUST_MAX_BLOBS 4096

static char *trust_name(char *out, size_t n, const char *dir, const struct stat *st)
{
	return snprintf(out, n, "%s/%032llx%032llx.i", dir, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino) <
			       (int)n
		       ? out
		       : NULL;
}

/* The line naming st's identity; the same for the file and its record. */
static int trust_head(char *out, size_t n, const struct stat *st)
{
	return snprintf(out, n, "docksec-trust %d %s\n%llu %lld.%09ld %lld.%09ld\n", IMG_CACHE_FORMAT, DS_VERSION,
			(unsigned long long)st->st_size, (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
			(long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* A line: 64 hex digits, a space, the member's name, a newline. */
#define TRUST_MAX_NAME 512

bool img_cache_trusted(const struct stat *st, const char *name, char hex[65])
{
	char dir[PATH_MAX], path[PATH_MAX + 80], head[160], *data = NULL, *p, *end;
	size_t hl, nl = strlen(name);
	struct stat cs;
	bool ok = false;
	int fd;

	if (!S_ISREG(st->st_mode) || nl > TRUST_MAX_NAME || img_cache_dir(dir, sizeof(dir), false) ||
	    !trust_name(path, sizeof(path), dir, st))
		return false;
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return false;
	hl = (size_t)trust_head(head, sizeof(head), st);
	if (!fstat(fd, &cs) && S_ISREG(cs.st_mode) && cs.st_uid == geteuid() && (size_t)cs.st_size > hl &&
	    cs.st_size <= (off_t)(hl + TRUST_MAX_BLOBS * (TRUST_MAX_NAME + 66)) &&
	    (data = ds_malloc((size_t)cs.st_size + 1)) && read(fd, data, (size_t)cs.st_size) == cs.st_size &&
	    !memcmp(data, head, hl)) {
		data[cs.st_size] = 0;
		end = data + cs.st_size;
		for (p = data + hl; p < end && !ok;) {
			char *eol = memchr(p, '\n', (size_t)(end - p));
			if (!eol)
				break;
			if ((size_t)(eol - p) == 65 + nl && p[64] == ' ' && !memcmp(p + 65, name, nl) &&
			    strspn(p, "0123456789abcdef") >= 64) {
				memcpy(hex, p, 64);
				hex[64] = 0;
				ok = true;
			}
			p = eol + 1;
		}
	}
	ds_free(data);
	close(fd);
	return ok;
}

void img_cache_trust(const struct stat *st, const struct img_trusted *v, size_t n)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], tmp[PATH_MAX + 100], head[160];
	struct wr w;
	size_t i;

	if (!n || n > TRUST_MAX_BLOBS || !S_ISREG(st->st_mode) || img_cache_dir(dir, sizeof(dir), true) ||
	    !trust_name(path, sizeof(path), dir, st) || !wr_open(&w, path, tmp))
		return;
	trust_head(head, sizeof(head), st);
	buf_adds(&w.b, head);
	for (i = 0; i < n; i++) {
		/* a name the line format cannot hold is left out: that blob is read next time */
		if (strlen(v[i].name) > TRUST_MAX_NAME || strchr(v[i].name, '\n') || strlen(v[i].hex) != 64)
			continue;
		buf_addf(&w.b, "%s %s\n", v[i].hex, v[i].name);
	}
	wr_finish(&w, tmp, path); /* (at most TRUST_MAX_BLOBS lines: held, then written once) */
}

/* The entry's bytes: all in [p, end), or read from fd a window at a time
 * (a layer of a million entries has a cache file of 80 MB: never held
 * whole). */
struct rd {
	const unsigned char *p, *end;
	int fd;                      /* -1: the bytes are all in [p, end) */
	unsigned long long rest;     /* bytes of the file not read into the window yet */
	unsigned char *win;          /* the window (fd) */
	struct arena *a;
	struct img_set *s; /* its arena is a; entries' directories shared through it */
	bool bad;
};

#define RD_WIN (256u << 10)

/* Bytes of the entry not yet taken. */
static unsigned long long left(const struct rd *r)
{
	return (unsigned long long)(r->end - r->p) + r->rest;
}

/* The next n bytes into dst: false (and bad) when the entry has fewer. */
static bool take(struct rd *r, void *dst, size_t n)
{
	unsigned char *d = dst;

	if (r->bad || n > left(r)) {
		r->bad = true;
		return false;
	}
	while (n) {
		size_t k;
		if (r->p == r->end) {
			size_t want = r->rest < RD_WIN ? (size_t)r->rest : RD_WIN;
			ssize_t got;
			do
				got = read(r->fd, r->win, want);
			while (got < 0 && errno == EINTR);
			if (got <= 0) { /* shorter than its size said: changed under us */
				r->bad = true;
				return false;
			}
			r->p = r->win;
			r->end = r->win + got;
			r->rest -= (unsigned long long)got;
		}
		k = (size_t)(r->end - r->p) < n ? (size_t)(r->end - r->p) : n;
		memcpy(d, r->p, k);
		d += k;
		r->p += k;
		n -= k;
	}
	return true;
}

static unsigned long long get_u64(struct rd *r)
{
	unsigned char x[8];
	unsigned long long v = 0;

	if (!take(r, x, 8))
		return 0;
	for (int i = 0; i < 8; i++)
		v |= (unsigned long long)x[i] << (8 * i);
	return v;
}

static const char *get_str(struct rd *r, size_t *len)
{
	unsigned long long n = get_u64(r);
	char *s;

	if (r->bad || n == ~0ull)
		return NULL;
	if (n > left(r) || n > IMG_SCAN_MAX_FILE || !(s = arena_chars(r->a, (size_t)n + 1)) || !take(r, s, (size_t)n)) {
		r->bad = true;
		return NULL;
	}
	s[n] = 0;
	if (len)
		*len = (size_t)n;
	return s;
}

/* The same, at most max bytes, into scratch (not the arena): what the
 * caller copies from. */
static const char *get_tmp(struct rd *r, struct buf *scratch, size_t max)
{
	unsigned long long n = get_u64(r);

	if (r->bad || n == ~0ull)
		return NULL;
	buf_clear(scratch);
	if (n > left(r) || n > max) {
		r->bad = true;
		return NULL;
	}
	while (!r->bad && scratch->n < n && buf_ok(scratch)) { /* a window at a time */
		unsigned char part[4096];
		size_t k = n - scratch->n < sizeof(part) ? (size_t)(n - scratch->n) : sizeof(part);
		if (take(r, part, k))
			buf_add(scratch, part, k);
	}
	if (r->bad || !buf_ok(scratch) || memchr(buf_str(scratch), 0, (size_t)n)) {
		r->bad = true;
		return NULL;
	}
	return buf_str(scratch);
}

/* a count of records, each at least min bytes: no more than the file holds */
static size_t get_count(struct rd *r, size_t min, size_t max)
{
	unsigned long long n = get_u64(r);

	if (r->bad || n > max || n > left(r) / min) {
		r->bad = true;
		return 0;
	}
	return (size_t)n;
}

static bool parse(struct rd *r, struct img_layer *l)
{
	struct buf pb = BUF_INIT, lb = BUF_INIT; /* an entry's path and link target */
	const char *s;
	size_t i, n;

	if (!(s = get_str(r, NULL)) || strlen(s) != IMG_DIGEST_LEN - 1)
		return false;
	memcpy(l->diff_id, s, IMG_DIGEST_LEN);
	l->compression = get_str(r, NULL);
	l->stored = get_u64(r);
	l->unpacked = get_u64(r);
	n = get_count(r, 40, IMG_SCAN_MAX_ENTRIES);
	if (r->bad || !(l->ents = arena_array(r->a, n + 1, sizeof(*l->ents))))
		return false;
	for (i = 0; i < n && !r->bad; i++) {
		struct img_entry *e = &l->ents[i];
		unsigned long long sz, mt, ids;
		const char *path, *link;
		/* copied from scratch into the entry's directory and name: not kept whole */
		path = get_tmp(r, &pb, IMG_SCAN_MAX_PATH);
		link = get_tmp(r, &lb, IMG_TAR_MAX_META); /* as long as a tar's link can be */
		sz = get_u64(r);
		e->size = sz > IMG_ENTRY_MAX_SIZE ? IMG_ENTRY_MAX_SIZE : sz;
		mt = get_u64(r);
		ids = get_u64(r);
		e->mode = (unsigned)(mt >> 8) & 07777;
		e->type = (char)(mt & 0xff);
		e->uid = (unsigned)(ids >> 32);
		e->gid = (unsigned)ids;
		if (!path || path[0] != '/' || strlen(path) > IMG_SCAN_MAX_PATH || !e->type || !strchr("fdlho", (int)e->type) ||
		    ((e->type == 'l' || e->type == 'h') && !link))
			r->bad = true;
		else if (img_entry_set_path(r->s, e, path, e->type == 'l' || e->type == 'h' ? link : NULL))
			r->bad = true; /* the target after the name's NUL, as image.c keeps it */
		if (!r->bad && i && img_entry_cmp(&l->ents[i - 1], e) > 0)
			r->bad = true; /* entries must stay sorted for the view */
		if (r->s->b->held > IMG_SCAN_MAX_HELD)
			r->bad = true; /* read again, the layer is refused with the reason */
	}
	buf_release(&pb);
	buf_release(&lb);
	l->nents = n;
	if ((r->s->b->entries += n) > IMG_SCAN_MAX_ENTRIES)
		r->bad = true; /* the run's bound, as for a layer read (which then says so) */
	n = get_count(r, 8, IMG_SCAN_MAX_ENTRIES);
	if (r->bad || !(l->hide = arena_array(r->a, n + 1, sizeof(*l->hide))))
		return false;
	for (i = 0; i < n && !r->bad; i++)
		if (!(l->hide[i] = get_str(r, NULL)) || (i && strcmp(l->hide[i - 1], l->hide[i]) > 0))
			r->bad = true;
		else if ((r->s->b->held += strlen(l->hide[i]) + 1 + sizeof(*l->hide)) > IMG_SCAN_MAX_HELD)
			r->bad = true;
	l->nhide = n;
	n = get_count(r, 16, IMG_SCAN_MAX_ENTRIES);
	if (r->bad || !(l->kept = arena_array(r->a, n + 1, sizeof(*l->kept))))
		return false;
	for (i = 0; i < n && !r->bad; i++) {
		l->kept[i].path = get_str(r, NULL);
		l->kept[i].data = get_str(r, &l->kept[i].len);
		if (!l->kept[i].path || !l->kept[i].data)
			r->bad = true;
		else if ((r->s->b->held += l->kept[i].len + strlen(l->kept[i].path) + 1 + sizeof(*l->kept)) > IMG_SCAN_MAX_HELD)
			r->bad = true; /* as for the entries: before the next file, not after them all */
	}
	l->nkept = n;
	if (!r->bad && img_kept_sort(l)) /* (an entry written before they were sorted) */
		r->bad = true;
	n = get_count(r, 32, IMG_SCAN_MAX_SECRETS);
	if (r->bad || !(l->secrets = arena_array(r->a, n + 1, sizeof(*l->secrets))))
		return false;
	for (i = 0; i < n && !r->bad; i++) {
		const char *shown;
		l->secrets[i].path = get_str(r, NULL);
		l->secrets[i].kind = get_str(r, NULL);
		l->secrets[i].line = (unsigned)get_u64(r);
		shown = get_str(r, NULL);
		if (!l->secrets[i].path || !l->secrets[i].kind || !shown)
			r->bad = true;
		else
			snprintf(l->secrets[i].shown, sizeof(l->secrets[i].shown), "%s", shown);
	}
	l->nsecrets = l->capsecrets = n;
	n = get_count(r, 24, IMG_MAX_PKGS);
	if (r->bad || !(l->lang = arena_array(r->a, n + 1, sizeof(*l->lang))))
		return false;
	for (i = 0; i < n && !r->bad; i++) {
		struct img_pkg *q = &l->lang[i];
		const char *t = get_str(r, NULL), *path;
		size_t k;
		/* the types a layer's records, binaries and archives give, as static strings */
		static const char *const types[] = {"pypi", "npm", "gem", "golang", "maven", "cargo"};
		for (k = 0; t && k < DS_ARRAY_SIZE(types) && strcmp(t, types[k]); k++)
			;
		q->type = t && k < DS_ARRAY_SIZE(types) ? types[k] : NULL;
		q->layer = IMG_NO_LAYER;
		q->name = get_str(r, NULL);
		q->version = get_str(r, NULL);
		/* a file's records share one copy of its path, as when read */
		path = get_tmp(r, &pb, IMG_SCAN_MAX_PATH);
		q->path = !path ? NULL : i && !strcmp(path, q[-1].path) ? q[-1].path : arena_strdup(r->a, path);
		if (!q->type || !q->name || !q->version || !q->path) {
			r->bad = true;
		} else { /* as when read (image.c: read_content); past a bound, read again */
			unsigned long long b = sizeof(*q) + strlen(q->name) + strlen(q->version) + 2 +
					       (i && q->path == q[-1].path ? 0 : strlen(q->path) + 1);
			if ((r->s->b->held += b) > IMG_SCAN_MAX_HELD || (r->s->b->records += b) > IMG_SCAN_MAX_RECORDS)
				r->bad = true;
		}
	}
	buf_release(&pb);
	l->nlang = l->caplang = n;
	return !r->bad && !left(r);
}

bool img_cache_parse(struct img_set *s, const unsigned char *p, size_t n, struct img_layer *l)
{
	struct rd r = {p, p + n, -1, 0, NULL, &s->arena, s, false};

	return parse(&r, l);
}

bool img_cache_load(struct img_set *s, const char *hex, char kind, struct img_layer *l)
{
	char dir[PATH_MAX], path[PATH_MAX + 80], head[64], got[64];
	struct img_layer x;
	struct stat st;
	struct rd r = {NULL, NULL, -1, 0, NULL, &s->arena, s, false};
	size_t hl;
	bool ok = false;

	if (img_cache_dir(dir, sizeof(dir), false) || !file_name(path, sizeof(path), dir, hex, kind))
		return false;
	if ((r.fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return false;
	if (fstat(r.fd, &st) || !S_ISREG(st.st_mode) || st.st_size > IMG_CACHE_MAX_FILE || st.st_uid != geteuid() ||
	    !(r.win = ds_malloc(RD_WIN)))
		goto out;
	r.rest = (unsigned long long)st.st_size;
	hl = (size_t)snprintf(head, sizeof(head), "docksec-layer %d %s\n", IMG_CACHE_FORMAT, DS_VERSION);
	if (hl >= sizeof(got) || !take(&r, got, hl) || memcmp(got, head, hl))
		goto out;
	memset(&x, 0, sizeof(x));
	x.name = l->name;
	if (parse(&r, &x)) {
		x.analysed = true;
		*l = x;
		ok = true;
	}
out:
	ds_free(r.win);
	close(r.fd);
	return ok;
}

int img_cache_clean(size_t *removed, struct ds_err *err)
{
	char dir[PATH_MAX], base[PATH_MAX], p[PATH_MAX * 2 + 2];
	DIR *d, *v;
	struct dirent *e, *f;

	*removed = 0;
	if (img_cache_dir(dir, sizeof(dir), false))
		return 0;
	/* every version's directory under .../docksec/layers/ */
	snprintf(base, sizeof(base), "%.*s", (int)(strrchr(dir, '/') - dir), dir);
	if (!(d = opendir(base)))
		return errno == ENOENT ? 0 : ds_err_set(err, DS_EIO, base, 0, 0, "%s", strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] != 'v' || !strchr(e->d_name, '-'))
			continue;
		snprintf(p, sizeof(p), "%s/%s", base, e->d_name);
		if (!(v = opendir(p)))
			continue;
		while ((f = readdir(v))) {
			char q[PATH_MAX * 3];
			size_t n = strlen(f->d_name);
			if (f->d_name[0] == '.' || (n != 66 && !strstr(f->d_name, ".tmp.")))
				continue;
			snprintf(q, sizeof(q), "%s/%s", p, f->d_name);
			if (!unlink(q))
				(*removed)++;
		}
		closedir(v);
		rmdir(p);
	}
	closedir(d);
	return 0;
}
