/*
 * tar.c - the streaming tar reader (see tar.h).
 *
 * A header is gathered into blk (it may straddle two pieces of the
 * stream); entry data is handed out straight from the pieces. Pax and
 * GNU long-name entries are read into meta and leave pending values for
 * the entry after them, in Go's order of precedence: a GNU long name
 * over a pax value over the header's own field. Every count from the archive
 * is checked before it is used; a header that does not add up is damage,
 * never a guess.
 */
#include "tar.h"
#include "../core/ds.h"
#include <string.h>

void img_tar_init(struct img_tar *t, img_tar_pull_fn pull, img_tar_skip_fn skip, void *ud)
{
	memset(t, 0, sizeof(*t));
	t->pull = pull;
	t->skip = skip;
	t->ud = ud;
}

void img_tar_release(struct img_tar *t)
{
	struct buf *b[] = {&t->ppath, &t->plink, &t->gname, &t->glink, &t->hname, &t->hlink, &t->meta};

	for (size_t i = 0; i < sizeof(b) / sizeof(*b); i++)
		buf_release(b[i]);
}

/* b = p[0..n) as a string (an empty one too); false when out of memory. */
static bool set(struct buf *b, const void *p, size_t n)
{
	buf_clear(b);
	buf_add(b, p, n);
	buf_addc(b, 0);
	if (!buf_ok(b))
		return false;
	b->n--;
	return true;
}

static int damaged(struct img_tar *t, const char *why)
{
	t->why = why;
	return IMG_TAR_DAMAGED;
}

/* A piece in t->p when none is left: 1, 0 at the end, or the pull's error. */
static int fill(struct img_tar *t)
{
	const void *p;
	ssize_t r;

	if (t->n)
		return 1;
	if ((r = t->pull(t->ud, &p)) <= 0)
		return (int)r;
	t->p = p;
	t->n = (size_t)r;
	return 1;
}

/* n bytes into out (NULL: dropped): 1, 0 when the stream ended before the
 * first byte, damaged when it ended after it, or the pull's error. */
static int take(struct img_tar *t, unsigned char *out, unsigned long long n)
{
	bool some = false;

	while (n) {
		int r;
		size_t k;
		if (!t->n && !out && t->skip) {
			long long s = t->skip(t->ud, n);
			if (s > 0 && (unsigned long long)s <= n) {
				n -= (unsigned long long)s;
				some = true;
				continue;
			}
		}
		if ((r = fill(t)) < 0)
			return r;
		if (r == 0)
			return some ? damaged(t, "the archive ends inside an entry") : 0;
		k = t->n < n ? t->n : (size_t)n;
		if (out) {
			memcpy(out, t->p, k);
			out += k;
		}
		t->p += k;
		t->n -= k;
		n -= k;
		some = true;
	}
	return 1;
}

/* Go's parseNumeric: base-256 when the first byte has its top bit, else
 * octal between spaces and NULs (empty is 0). false: not a number. */
static bool number(const unsigned char *f, size_t len, long long *out)
{
	unsigned long long v = 0;
	size_t i = 0;

	if (len && (f[0] & 0x80)) {
		bool neg = f[0] & 0x40;
		unsigned char first = (unsigned char)(neg ? ~f[0] : f[0]) & 0x7f;
		v = first;
		for (i = 1; i < len; i++) {
			unsigned char c = neg ? (unsigned char)~f[i] : f[i];
			if (v >> 56)
				return false; /* past 64 bits */
			v = v << 8 | c;
		}
		if (v >> 63)
			return false;
		*out = neg ? -(long long)v - 1 : (long long)v;
		return true;
	}
	while (len && (f[len - 1] == ' ' || f[len - 1] == 0))
		len--;
	while (i < len && (f[i] == ' ' || f[i] == 0))
		i++;
	for (; i < len; i++) {
		if (f[i] < '0' || f[i] > '7' || (v >> 60))
			return false;
		v = v * 8 + (unsigned)(f[i] - '0');
	}
	*out = (long long)v;
	return true;
}

/* A string field: up to its first NUL or its length. */
static size_t field_len(const unsigned char *f, size_t len)
{
	const unsigned char *z = memchr(f, 0, len);
	return z ? (size_t)(z - f) : len;
}

static bool checksum_ok(const unsigned char *b)
{
	long long want;
	unsigned long long u = 0;
	long long s = 0;

	if (!number(b + 148, 8, &want))
		return false;
	for (int i = 0; i < 512; i++) {
		unsigned char c = i >= 148 && i < 156 ? ' ' : b[i];
		u += c;
		s += (signed char)c;
	}
	return want == (long long)u || want == s;
}

/* A decimal of a pax record: all digits, no sign, fits. */
static bool decimal(const char *v, size_t n, long long *out)
{
	unsigned long long x = 0;

	if (!n || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return false;
		x = x * 10 + (unsigned)(v[i] - '0');
	}
	*out = (long long)x;
	return true;
}

/* The records of a pax header in t->meta ("LEN KEY=VALUE\n" each). */
static int pax(struct img_tar *t)
{
	const char *p = t->meta.p ? t->meta.p : "", *end = p + t->meta.n;

	while (p < end) {
		const char *sp = memchr(p, ' ', (size_t)(end - p)), *k, *eq, *v;
		long long len;
		size_t klen, vlen;
		if (!sp || !decimal(p, (size_t)(sp - p), &len) || len <= sp - p + 1 || len > end - p || p[len - 1] != '\n')
			return damaged(t, "a pax header record that does not add up");
		k = sp + 1;
		if (!(eq = memchr(k, '=', (size_t)(p + len - 1 - k))) || eq == k)
			return damaged(t, "a pax header record without a key");
		klen = (size_t)(eq - k);
		v = eq + 1;
		vlen = (size_t)(p + len - 1 - v);
		if (memchr(k, 0, klen))
			return damaged(t, "a pax header key with a NUL byte");
#define KEY(s) (klen == sizeof(s) - 1 && !memcmp(k, s, klen))
		if (KEY("path") || KEY("linkpath")) {
			if (memchr(v, 0, vlen))
				return damaged(t, "a pax path with a NUL byte");
			if (!set(KEY("path") ? &t->ppath : &t->plink, v, vlen))
				return IMG_TAR_NOMEM;
			if (KEY("path"))
				t->pax_path = true;
			else
				t->pax_link = true;
		} else if (KEY("size") || KEY("uid") || KEY("gid")) {
			long long x;
			if (!decimal(v, vlen, &x))
				return damaged(t, "a pax number that is not a decimal");
			if (KEY("size"))
				t->psize = x, t->pax_size = true;
			else if (KEY("uid"))
				t->puid = x, t->pax_uid = true;
			else
				t->pgid = x, t->pax_gid = true;
		} else if (klen > 11 && !memcmp(k, "GNU.sparse.", 11)) {
			t->sparse = true;
			if (KEY("GNU.sparse.name")) { /* the file's name (the entry's own is made up) */
				if (!set(&t->ppath, v, field_len((const unsigned char *)v, vlen)))
					return IMG_TAR_NOMEM;
				t->pax_path = true;
			}
		}
#undef KEY
		p += len;
	}
	return 0;
}

/* An entry's data read whole into t->meta (a pax header or a long name),
 * then its padding. */
static int meta(struct img_tar *t, long long size)
{
	unsigned long long pad = (512 - (unsigned long long)size % 512) % 512;
	int r;

	if (size < 0 || size > (long long)IMG_TAR_MAX_META)
		return damaged(t, "a pax header or long name longer than 1 MiB");
	if (ds_grow((void **)&t->meta.p, &t->meta.cap, (size_t)size + 1, 1))
		return IMG_TAR_NOMEM;
	if ((r = take(t, (unsigned char *)t->meta.p, (unsigned long long)size)) <= 0 && size)
		return r == 0 ? damaged(t, "the archive ends inside an entry") : r;
	t->meta.n = (size_t)size;
	t->meta.p[size] = 0;
	if ((r = take(t, NULL, pad)) <= 0 && pad)
		return r == 0 ? damaged(t, "the archive ends inside an entry") : r;
	return 0;
}

static void forget(struct img_tar *t)
{
	t->pax_path = t->pax_link = t->gnu_name = t->gnu_link = false;
	t->pax_size = t->pax_uid = t->pax_gid = t->sparse = false;
}

/* A GNU long name or link: the data up to its first NUL. */
static int longname(struct img_tar *t, long long size, bool link)
{
	int r = meta(t, size);

	if (r)
		return r;
	if (!set(link ? &t->glink : &t->gname, t->meta.p, field_len((const unsigned char *)t->meta.p, t->meta.n)))
		return IMG_TAR_NOMEM;
	if (link)
		t->gnu_link = true;
	else
		t->gnu_name = true;
	return 0;
}

static int next(struct img_tar *t, struct img_tar_entry *e);

int img_tar_next(struct img_tar *t, struct img_tar_entry *e)
{
	int r = t->failed ? t->failed : next(t, e);

	if (r < 0)
		t->failed = r;
	return r;
}

static int next(struct img_tar *t, struct img_tar_entry *e)
{
	int r;

	/* the rest of the entry before, and its padding */
	if ((r = take(t, NULL, t->left + t->pad)) <= 0 && t->left + t->pad)
		return r == 0 ? damaged(t, "the archive ends inside an entry") : r;
	t->left = t->pad = 0;
	for (;;) {
		unsigned char *b = t->blk, type;
		long long size, mode, uid, gid;
		bool ustar, star;
		struct buf *name, *link;
		size_t nl;

		if (t->done)
			return 0;
		if ((r = take(t, b, 512)) <= 0) {
			if (r == 0 && !t->pax_path && !t->gnu_name && !t->pax_link && !t->gnu_link && !t->pax_size) {
				t->done = true; /* the end at a header boundary */
				return 0;
			}
			return r == 0 ? damaged(t, "the archive ends after a pax header or long name") : r;
		}
		if (!b[0] && !memcmp(b, b + 1, 511)) { /* a zero block: another, or the end, must follow */
			if ((r = take(t, b, 512)) < 0)
				return r;
			if (r > 0 && (b[0] || memcmp(b, b + 1, 511)))
				return damaged(t, "a header after a zero block");
			t->done = true;
			return 0;
		}
		if (!checksum_ok(b))
			return damaged(t, "a header whose checksum does not match (not a tar archive, or damaged)");
		type = b[156];
		if (!number(b + 124, 12, &size) || size < 0)
			return damaged(t, "a header whose size is not a number");
		if (t->pax_size && type != 'x' && type != 'g' && type != 'L' && type != 'K')
			size = t->psize;
		switch (type) {
		case 'x': /* the last one before the entry counts, whole */
			t->pax_path = t->pax_link = t->pax_size = t->pax_uid = t->pax_gid = t->sparse = false;
			if ((r = meta(t, size)) || (r = pax(t)))
				return r;
			continue;
		case 'g':
			if ((r = take(t, NULL, (unsigned long long)size + (512 - (unsigned long long)size % 512) % 512)) <= 0 &&
			    size)
				return r == 0 ? damaged(t, "the archive ends inside an entry") : r;
			continue;
		case 'L':
		case 'K':
			if ((r = longname(t, size, type == 'K')))
				return r;
			continue;
		default:
			break;
		}
		ustar = !memcmp(b + 257, "ustar\0", 6); /* the version is not looked at (Go) */
		star = ustar && !memcmp(b + 508, "tar\0", 4); /* star's prefix is shorter */
		if (!number(b + 100, 8, &mode) || !number(b + 108, 8, &uid) || !number(b + 116, 8, &gid))
			return damaged(t, "a header whose mode or owner is not a number");
		/* the header's own name (with the ustar prefix) and link */
		{
			size_t pl = ustar ? field_len(b + 345, star ? 131 : 155) : 0;
			buf_clear(&t->hname);
			if (pl) {
				buf_add(&t->hname, b + 345, pl);
				buf_addc(&t->hname, '/');
			}
			buf_add(&t->hname, b, field_len(b, 100));
			buf_addc(&t->hname, 0);
			if (!buf_ok(&t->hname) || !set(&t->hlink, b + 157, field_len(b + 157, 100)))
				return IMG_TAR_NOMEM;
			t->hname.n--;
		}
		/* a GNU long name, else a pax path, else the header's */
		name = t->gnu_name ? &t->gname : t->pax_path ? &t->ppath : &t->hname;
		link = t->gnu_link ? &t->glink : t->pax_link ? &t->plink : &t->hlink;
		nl = name->n;
		memset(e, 0, sizeof(*e));
		e->path = name->p;
		e->mode = (unsigned)(mode & 07777);
		e->uid = t->pax_uid ? t->puid : uid;
		e->gid = t->pax_gid ? t->pgid : gid;
		switch (type) {
		case '1':
			e->type = IMG_TAR_HARDLINK;
			e->link = link->p;
			break;
		case '2':
			e->type = IMG_TAR_SYMLINK;
			e->link = link->p;
			break;
		case '3':
		case '4':
		case '6':
			e->type = IMG_TAR_OTHER;
			break;
		case '5':
			e->type = IMG_TAR_DIR;
			break;
		case 0:
			e->type = nl && name->p[nl - 1] == '/' ? IMG_TAR_DIR : IMG_TAR_FILE;
			break;
		case 'S':
			e->type = IMG_TAR_OTHER;
			/* an old GNU sparse header: extension blocks of the map follow while flagged */
			for (bool more = b[482]; more;) {
				if ((r = take(t, t->blk, 512)) <= 0)
					return r == 0 ? damaged(t, "the archive ends inside a sparse map") : r;
				more = t->blk[504];
			}
			break;
		default:
			/* '0', '7' and what POSIX says to read as a regular file; GNU's
			 * other letters (volume labels, dump directories) are no files */
			e->type = type >= 'A' && type <= 'Z' ? IMG_TAR_OTHER : IMG_TAR_FILE;
			break;
		}
		if (t->sparse)
			e->type = IMG_TAR_OTHER;
		/* header-only types have no data, whatever their size says (Go's reader;
		 * a '\0' entry named like a directory is one) */
		if ((type >= '1' && type <= '6') || (type == 0 && e->type == IMG_TAR_DIR))
			size = 0;
		e->size = (unsigned long long)size;
		t->left = (unsigned long long)size;
		t->pad = (512 - t->left % 512) % 512;
		forget(t);
		return 1;
	}
}

ssize_t img_tar_data(struct img_tar *t, const void **out)
{
	size_t k;
	int r;

	if (t->failed)
		return t->failed;
	if (!t->left)
		return 0;
	if ((r = fill(t)) <= 0)
		return t->failed = r == 0 ? damaged(t, "the archive ends inside an entry") : r;
	k = t->n < t->left ? t->n : (size_t)t->left;
	if (k > SSIZE_MAX)
		k = SSIZE_MAX;
	*out = t->p;
	t->p += k;
	t->n -= k;
	t->left -= k;
	return (ssize_t)k;
}

ssize_t img_tar_read(struct img_tar *t, void *buf, size_t n)
{
	size_t got = 0;

	if (t->failed)
		return t->failed;
	while (got < n && t->left) {
		size_t k = n - got < t->left ? n - got : (size_t)t->left;
		int r;
		if ((r = fill(t)) <= 0)
			return t->failed = r == 0 ? damaged(t, "the archive ends inside an entry") : r;
		if (k > t->n)
			k = t->n;
		memcpy((char *)buf + got, t->p, k);
		t->p += k;
		t->n -= k;
		t->left -= k;
		got += k;
	}
	return (ssize_t)got;
}
