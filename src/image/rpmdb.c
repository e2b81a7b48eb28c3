/*
 * rpmdb.c - rpm's package databases (see rpmdb.h): SQLite, Berkeley DB
 * hash, NDB.
 *
 * A header blob: il and dl (big-endian 32-bit: index entries, data bytes),
 * il entries of tag/type/offset/count, then the data store. Every offset
 * and count is checked against the store before a byte is read; strings
 * must end inside it.
 */
#include "rpmdb.h"
#include "../core/sqlite_api.h"

const char *const img_rpm_paths[IMG_RPM_NPATHS] = {
	"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/rpmdb.sqlite", /* SQLite */
	"/var/lib/rpm/Packages.db",  "/usr/lib/sysimage/rpm/Packages.db",  /* NDB */
	"/var/lib/rpm/Packages",     "/usr/lib/sysimage/rpm/Packages",     /* Berkeley DB */
};

static unsigned be32(const unsigned char *p)
{
	return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

enum { RPMTAG_NAME = 1000, RPMTAG_VERSION = 1001, RPMTAG_RELEASE = 1002, RPMTAG_EPOCH = 1003, RPMTAG_ARCH = 1022,
       RPMTAG_SOURCERPM = 1044 };

int img_rpm_header(struct arena *a, const unsigned char *blob, size_t n, struct img_pkg *p)
{
	const char *str[6] = {0};
	unsigned long epoch = 0;
	bool has_epoch = false;
	size_t il, dl, i;
	const unsigned char *store;

	memset(p, 0, sizeof(*p));
	if (n < 8)
		return 1;
	il = be32(blob);
	dl = be32(blob + 4);
	if (il > 100000 || dl > n || 8 + il * 16 > n - dl)
		return 1;
	store = blob + 8 + il * 16;
	for (i = 0; i < il; i++) {
		const unsigned char *e = blob + 8 + i * 16;
		unsigned tag = be32(e), type = be32(e + 4), off = be32(e + 8), count = be32(e + 12);
		if (off >= dl)
			continue;
		if (tag == RPMTAG_EPOCH && type == 4 /* INT32 */ && count >= 1 && off + 4 <= dl) {
			epoch = be32(store + off);
			has_epoch = true;
		} else if (type == 6 /* STRING */ && tag >= RPMTAG_NAME && tag <= RPMTAG_SOURCERPM) {
			const unsigned char *s = store + off, *z = memchr(s, 0, dl - off);
			int k = tag == RPMTAG_NAME ? 0 : tag == RPMTAG_VERSION ? 1 : tag == RPMTAG_RELEASE ? 2
				: tag == RPMTAG_ARCH ? 3 : tag == RPMTAG_SOURCERPM ? 4 : -1;
			if (k >= 0 && z && z - s < 512)
				str[k] = (const char *)s;
		}
	}
	if (!str[0] || !str[1] || !*str[0])
		return 1;
	p->name = arena_strdup(a, str[0]);
	p->version = has_epoch && epoch ? arena_printf(a, "%lu:%s%s%s", epoch, str[1], str[2] ? "-" : "", str[2] ? str[2] : "")
					: arena_printf(a, "%s%s%s", str[1], str[2] ? "-" : "", str[2] ? str[2] : "");
	p->arch = str[3] ? arena_strdup(a, str[3]) : NULL;
	if (str[4]) { /* "openssl-3.0.7-24.el9.src.rpm": the name before -VERSION-RELEASE */
		const char *s = str[4], *end = s + strlen(s), *d1 = NULL, *d2 = NULL;
		for (const char *q = s; q < end; q++)
			if (*q == '-') {
				d2 = d1;
				d1 = q;
			}
		if (d2 && d2 > s)
			p->source = arena_strndup(a, s, (size_t)(d2 - s));
	}
	if (!p->name || !p->version)
		return 1;
	for (const char *q = p->name; *q; q++)
		if ((unsigned char)*q <= 0x20 || *q == 0x7f)
			return 1;
	return 0;
}

/* One header's package appended, unless the blob is not one. */
static int add_header(struct arena *a, const unsigned char *blob, size_t len, const char *what, struct img_pkg **out,
		      size_t *nout, size_t *cap, struct ds_err *err)
{
	struct img_pkg p;

	if (img_rpm_header(a, blob, len, &p) || !strcmp(p.name, "gpg-pubkey"))
		return 0;
	if (!img_pkg_slot(a, out, *nout, cap, what, err))
		return err->code;
	(*out)[(*nout)++] = p;
	return 0;
}

int img_rpm_sqlite(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		   size_t *cap, struct ds_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char *copy;
	int rc, r;

	if ((rc = ds_sqlite_load(err)))
		return rc;
	if (n < 100 || memcmp(data, "SQLite format 3", 16))
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "not an SQLite database");
	if (!(copy = arena_alloc(a, n)))
		return ds_oom(err);
	memcpy(copy, data, n);
	if (copy[18] == 2 && copy[19] == 2) /* WAL mode: read as a rollback journal database, from memory */
		copy[18] = copy[19] = 1;
	if (ds_sq.open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY, NULL) != SQLITE_OK ||
	    ds_sq.deserialize(db, "main", copy, (sqlite3_int64)n, (sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY) != SQLITE_OK ||
	    ds_sq.prepare_v2(db, "SELECT blob FROM Packages", -1, &st, NULL) != SQLITE_OK) {
		rc = ds_err_set(err, DS_EPARSE, what, 0, 0, "not an rpm database: %s", db ? ds_sq.errmsg(db) : "no memory");
		goto out;
	}
	while ((r = ds_sq.step(st)) == SQLITE_ROW) {
		const unsigned char *b = ds_sq.column_blob(st, 0);
		int len = ds_sq.column_bytes(st, 0);
		if (b && len > 0 && (rc = add_header(a, b, (size_t)len, what, out, nout, cap, err)))
			goto out;
	}
	if (r != SQLITE_DONE)
		rc = ds_err_set(err, DS_EPARSE, what, 0, 0, "a damaged rpm database: %s", ds_sq.errmsg(db));
out:
	if (st)
		ds_sq.finalize(st);
	if (db)
		ds_sq.close(db);
	return rc;
}

/* ---- Berkeley DB hash (rpm before 4.16: /var/lib/rpm/Packages) ----
 * Page 0 is the metadata page: magic 0x061561 at 12 (its byte order is the
 * file's), page size at 20, last page number at 32. Every other page starts
 * with a 26-byte header: next page at 16, entry count at 20, free-space
 * offset at 22, page type at 25; a hash page's entries (2-byte offsets
 * after the header) alternate key and data, each item a type byte then
 * its bytes (H_KEYDATA: up to the previous entry's offset) or, for a
 * value too big for the page (H_OFFPAGE), the first overflow page and the
 * total length; overflow pages hold (free-space offset) bytes each and
 * chain through next-page. Only the values are read: each is a header. */

#define BDB_HASH_MAGIC 0x061561u
#define BDB_PAGE_HDR 26
enum { P_HASH_UNSORTED = 2, P_OVERFLOW = 7, P_HASH = 13 };
enum { H_KEYDATA = 1, H_OFFPAGE = 3 };

struct bdb {
	const unsigned char *d;
	size_t n, psize, npages;
	bool swap; /* the file's byte order is not little-endian */
};

static unsigned bdb32(const struct bdb *b, const unsigned char *p)
{
	return b->swap ? be32(p) : (unsigned)p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16 | (unsigned)p[3] << 24;
}

static unsigned bdb16(const struct bdb *b, const unsigned char *p)
{
	return b->swap ? (unsigned)p[0] << 8 | p[1] : (unsigned)p[0] | (unsigned)p[1] << 8;
}

/* An off-page value: tlen bytes from the overflow chain at pgno, into a
 * copy in the arena; NULL when the chain is broken (a loop, a page out of
 * the file, a page of another type, too few bytes). */
static unsigned char *bdb_overflow(const struct bdb *b, struct arena *a, unsigned pgno, size_t tlen, bool *oom)
{
	unsigned char *v;
	size_t got = 0, hops = 0;

	if (!tlen || tlen > b->n)
		return NULL;
	if (!(v = arena_alloc(a, tlen))) {
		*oom = true;
		return NULL;
	}
	while (got < tlen) {
		const unsigned char *pg;
		size_t k;
		if (!pgno || pgno >= b->npages || ++hops > b->npages)
			return NULL;
		pg = b->d + (size_t)pgno * b->psize;
		if (pg[25] != P_OVERFLOW)
			return NULL;
		k = bdb16(b, pg + 22); /* the bytes on this page */
		if (k > b->psize - BDB_PAGE_HDR || k > tlen - got || (!k && got < tlen))
			return NULL;
		memcpy(v + got, pg + BDB_PAGE_HDR, k);
		got += k;
		pgno = bdb32(b, pg + 16);
	}
	return v;
}

int img_rpm_bdb(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		size_t *cap, struct ds_err *err)
{
	struct bdb b = {(const unsigned char *)data, n, 0, 0, false};
	size_t pg;

	if (n < 512)
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "not a Berkeley DB hash database");
	if (bdb32(&b, b.d + 12) != BDB_HASH_MAGIC) {
		b.swap = true;
		if (bdb32(&b, b.d + 12) != BDB_HASH_MAGIC)
			return ds_err_set(err, DS_EPARSE, what, 0, 0, "not a Berkeley DB hash database");
	}
	b.psize = bdb32(&b, b.d + 20);
	if (b.psize < 512 || b.psize > 65536 || (b.psize & (b.psize - 1)))
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "a Berkeley DB page size of %zu", b.psize);
	/* the pages the file holds, whatever the metadata claims */
	b.npages = n / b.psize;
	if ((size_t)bdb32(&b, b.d + 32) + 1 < b.npages)
		b.npages = (size_t)bdb32(&b, b.d + 32) + 1;
	for (pg = 1; pg < b.npages; pg++) {
		const unsigned char *p = b.d + pg * b.psize;
		unsigned nent, i;
		if (p[25] != P_HASH && p[25] != P_HASH_UNSORTED)
			continue;
		nent = bdb16(&b, p + 20);
		if (BDB_PAGE_HDR + (size_t)nent * 2 > b.psize)
			continue; /* a damaged page */
		for (i = 1; i < nent; i += 2) { /* the data items */
			size_t off = bdb16(&b, p + BDB_PAGE_HDR + 2 * i),
			       end = bdb16(&b, p + BDB_PAGE_HDR + 2 * (i - 1)); /* the key's start */
			const unsigned char *it = p + off;
			int rc;
			if (off < BDB_PAGE_HDR + (size_t)nent * 2 || off >= b.psize)
				continue;
			if (*it == H_KEYDATA) {
				if (end > b.psize || end <= off + 1)
					continue;
				rc = add_header(a, it + 1, end - off - 1, what, out, nout, cap, err);
			} else if (*it == H_OFFPAGE && off + 12 <= b.psize) {
				bool oom = false;
				size_t tlen = bdb32(&b, it + 8);
				unsigned char *v = bdb_overflow(&b, a, bdb32(&b, it + 4), tlen, &oom);
				if (oom)
					return ds_oom(err);
				rc = v ? add_header(a, v, tlen, what, out, nout, cap, err) : 0;
			} else {
				continue;
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* ---- NDB (rpm 4.16+ on SUSE: Packages.db) ----
 * A 32-byte header ("RpmP", version 0, generation, slot pages), then slot
 * pages of 4096 bytes holding 16-byte slots ("Slot", package index, block
 * offset, block count; the header takes the first two); blocks are 16
 * bytes. A blob at its block offset: "BlbS", package index, timestamp,
 * length, the header, zeros to the block, then a tail (adler32, length,
 * "BlbE") ending the last block. All
 * little-endian. */

static unsigned le32(const unsigned char *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16 | (unsigned)p[3] << 24;
}

#define NDB_PAGE 4096
#define NDB_BLK 16

int img_rpm_ndb(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
		size_t *cap, struct ds_err *err)
{
	const unsigned char *d = (const unsigned char *)data;
	size_t npages, off;

	if (n < NDB_PAGE || memcmp(d, "RpmP", 4))
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "not an rpm NDB database");
	if (le32(d + 4) != 0)
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "an rpm NDB database of version %u", le32(d + 4));
	npages = le32(d + 12);
	if (!npages || npages > n / NDB_PAGE)
		return ds_err_set(err, DS_EPARSE, what, 0, 0, "an rpm NDB database with %zu slot pages in %zu bytes", npages, n);
	for (off = 32; off < npages * NDB_PAGE; off += 16) {
		const unsigned char *sl = d + off, *blob, *tail;
		unsigned idx = le32(sl + 4);
		size_t blkoff = le32(sl + 8), blkcnt = le32(sl + 12), len;
		int rc;
		if (memcmp(sl, "Slot", 4))
			return ds_err_set(err, DS_EPARSE, what, 0, 0, "a damaged rpm NDB database: slot %zu", off / 16);
		if (!blkoff)
			continue; /* free */
		if (!idx || blkoff < npages * (NDB_PAGE / NDB_BLK) || blkcnt < 2 || blkoff > n / NDB_BLK ||
		    blkcnt > n / NDB_BLK - blkoff)
			continue; /* out of the file or overlapping the slots: rpm would refuse it too */
		blob = d + blkoff * NDB_BLK;
		len = le32(blob + 12);
		tail = blob + blkcnt * NDB_BLK - 12; /* after the header and its padding */
		if (memcmp(blob, "BlbS", 4) || le32(blob + 4) != idx || len > blkcnt * NDB_BLK - 28 ||
		    (16 + len + 12 + NDB_BLK - 1) / NDB_BLK != blkcnt || le32(tail + 4) != len || memcmp(tail + 8, "BlbE", 4))
			continue;
		if ((rc = add_header(a, blob + 16, len, what, out, nout, cap, err)))
			return rc;
	}
	return 0;
}

int img_rpm_db(struct arena *a, const char *data, size_t n, const char *what, struct img_pkg **out, size_t *nout,
	       size_t *cap, struct ds_err *err)
{
	if (n >= 16 && !memcmp(data, "SQLite format 3", 16))
		return img_rpm_sqlite(a, data, n, what, out, nout, cap, err);
	if (n >= 4 && !memcmp(data, "RpmP", 4))
		return img_rpm_ndb(a, data, n, what, out, nout, cap, err);
	return img_rpm_bdb(a, data, n, what, out, nout, cap, err);
}
