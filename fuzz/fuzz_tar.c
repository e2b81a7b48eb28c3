/*
 * fuzz_tar.c - libFuzzer target for the streaming tar reader (tar.c).
 * The input's first byte sets the size of the pieces the rest is pulled
 * in, its second the size of the reads of entry data, so headers, pax
 * records and data are cut at every place. The reader must end with the
 * end of the archive or a failure, hand out exactly each entry's size in
 * data, and never read past the input.
 *
 * Then the same bytes through libarchive's tar reader: where both read
 * the whole archive and every entry is a plain one (a file, a directory
 * or a symlink, no pax or GNU extension, no type whose data Go and
 * libarchive count differently, no number the two parse differently),
 * both must give the same names, types, sizes, link targets and data.
 */
#include "fuzz_target.h"
#include "image/tar.h"
#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);


#define MAXE 64

struct seen {
	char path[256], link[256];
	unsigned long long size, sum;
	char type;
};

static unsigned long long mix(unsigned long long h, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

/* A block that may be a header of a kind the comparison leaves out, or
 * with a size that Go reads and libarchive does not (digits after a NUL:
 * Go trims NULs on both sides of a number, libarchive stops at the NUL). */
static bool special(const uint8_t *b)
{
	char t = (char)b[156];
	if (t == 'g' || t == 'x' || t == 'L' || t == 'K' || t == 'S' || t == '1')
		return true;
	/* a file type other than '\0' named "d/": a file for Go (and tar.c), a directory for libarchive */
	const uint8_t *nul = memchr(b, 0, 100);
	size_t n = nul ? (size_t)(nul - b) : 100;
	if (t != '\0' && t != '5' && n && b[n - 1] == '/')
		return true;
	for (int i = 124, nul = 0; i < 136; i++) {
		nul |= b[i] == 0;
		if (nul && b[i] >= '1' && b[i] <= '7')
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char buf[70000];
	struct seen mine[MAXE], theirs[MAXE];
	size_t nmine = 0, ntheirs = 0, cap;
	struct img_tar t;
	struct img_tar_entry e;
	struct fuzz_feed f;
	bool plain = true, theirs_ok = true;
	int r;

	if (size < 2)
		return 0;
	f.chunk = (size_t)data[0] * 37 + 1;
	cap = (size_t)data[1] * 263 + 1;
	f.p = data + 2;
	f.n = size - 2;
	img_tar_init(&t, fuzz_feed_pull, NULL, &f);
	while ((r = img_tar_next(&t, &e)) > 0) {
		unsigned long long got = 0, h = 14695981039346656037ull;
		ssize_t k;
		if (!e.path || ((e.type == IMG_TAR_HARDLINK || e.type == IMG_TAR_SYMLINK) && !e.link))
			__builtin_trap();
		if (e.type != IMG_TAR_FILE && e.type != IMG_TAR_OTHER && e.size)
			__builtin_trap(); /* header-only types carry no data */
		if (e.size > size)
			plain = false; /* a size past the input: it must end in a failure below */
		while ((k = img_tar_read(&t, buf, cap)) > 0) {
			got += (unsigned long long)k;
			h = mix(h, buf, (size_t)k);
		}
		if (k < 0)
			break;
		if (got != e.size)
			__builtin_trap(); /* the data handed out is the entry's size */
		if (nmine < MAXE) {
			struct seen *s = &mine[nmine++];
			snprintf(s->path, sizeof(s->path), "%s", e.path);
			snprintf(s->link, sizeof(s->link), "%s", e.link ? e.link : "");
			s->size = e.size;
			s->sum = h;
			s->type = (char)e.type;
			if (strlen(e.path) >= 100 || (e.link && strlen(e.link) >= 100) || e.type == IMG_TAR_OTHER ||
			    e.type == IMG_TAR_HARDLINK)
				plain = false;
		} else {
			plain = false;
		}
	}
	if (r < 0 && r != IMG_TAR_DAMAGED && r != IMG_TAR_NOMEM)
		__builtin_trap(); /* the feed has no errors of its own */
	if (r == IMG_TAR_DAMAGED && !t.why)
		__builtin_trap();
	if ((size_t)(f.p - (data + 2)) > size - 2)
		__builtin_trap();
	if (t.meta.cap) /* a pax header or a GNU long name was read */
		plain = false;
	img_tar_release(&t);
	if (r != 0 || !plain)
		return 0;

	/* libarchive on the same bytes: compared only where no block could be a special header */
	for (size_t off = 2; off + 512 <= size; off += 512)
		if (special(data + off))
			return 0;
	{
		struct archive *a = archive_read_new();
		struct archive_entry *ae;
		archive_read_support_format_tar(a);
		if (archive_read_open_memory(a, data + 2, size - 2) != ARCHIVE_OK) {
			archive_read_free(a);
			return 0;
		}
		while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
			unsigned long long h = 14695981039346656037ull, got = 0;
			la_ssize_t k;
			mode_t m = archive_entry_filetype(ae);
			struct seen *s;
			if (ntheirs == MAXE) {
				theirs_ok = false;
				break;
			}
			s = &theirs[ntheirs++];
			snprintf(s->path, sizeof(s->path), "%s", archive_entry_pathname(ae) ? archive_entry_pathname(ae) : "");
			snprintf(s->link, sizeof(s->link), "%s",
				 archive_entry_symlink(ae) ? archive_entry_symlink(ae) : "");
			s->type = m == AE_IFREG ? IMG_TAR_FILE : m == AE_IFDIR ? IMG_TAR_DIR : m == AE_IFLNK ? IMG_TAR_SYMLINK : '?';
			while ((k = archive_read_data(a, buf, cap)) > 0) {
				got += (unsigned long long)k;
				h = mix(h, buf, (size_t)k);
			}
			if (k < 0) {
				theirs_ok = false;
				break;
			}
			s->size = got;
			s->sum = h;
		}
		if (r != ARCHIVE_EOF)
			theirs_ok = false;
		archive_read_free(a);
	}
	if (!theirs_ok)
		return 0;
	if (ntheirs != nmine)
		__builtin_trap();
	for (size_t i = 0; i < nmine; i++) {
		const struct seen *x = &mine[i], *y = &theirs[i];
		/* libarchive drops a directory's trailing "/"; so does docksec's norm() */
		size_t lx = strlen(x->path), ly = strlen(y->path);
		while (lx > 1 && x->path[lx - 1] == '/')
			lx--;
		while (ly > 1 && y->path[ly - 1] == '/')
			ly--;
		if (lx != ly || memcmp(x->path, y->path, lx) || x->type != y->type || x->size != y->size ||
		    x->sum != y->sum || (x->type == IMG_TAR_SYMLINK && strcmp(x->link, y->link)))
			__builtin_trap();
	}
	return 0;
}
