/*
 * tar.h - a streaming tar reader for image archives and layers: ustar,
 * pax (path, linkpath, size, uid, gid), GNU long names and links, GNU and
 * v7 headers, base-256 numbers. It reads what Go's archive/tar reads,
 * the way it reads it (that is how docker load and the daemon apply a
 * layer): a GNU long name over a pax path over the header's name (the
 * last pax header before an entry is the one that counts); header-only
 * types (links, devices, directories, FIFOs) carry no data whatever their
 * size field says; a '\0' type whose name ends in "/" is a directory; a
 * checksum may be of signed or unsigned bytes; one zero block then the
 * end, two zero blocks, or the end at a header boundary all end the
 * archive; a pax record with a NUL in a path is damage. Sparse files
 * (GNU 'S', pax GNU.sparse.*) are entries of type "other": no image
 * writer makes them, and their stored bytes are not the file's.
 *
 * The bytes come from a pull function, in pieces, and entry data is
 * handed out in place (img_tar_data) or copied (img_tar_read). Nothing is
 * buffered beyond a header, a pax header or a long name (IMG_TAR_MAX_META
 * each), so the reader adds a few KiB to a scan whatever the archive.
 * A failure sticks: every later call returns it.
 */
#ifndef DS_IMG_TAR_H
#define DS_IMG_TAR_H

#include "../core/buf.h"
#include <stdbool.h>
#include <sys/types.h>

#define IMG_TAR_MAX_META (1u << 20) /* a pax header or a GNU long name, as Go's reader bounds them */

enum { IMG_TAR_FILE = 'f', IMG_TAR_DIR = 'd', IMG_TAR_SYMLINK = 'l', IMG_TAR_HARDLINK = 'h', IMG_TAR_OTHER = 'o' };
/* the reader's own failures; a pull's are its own negative values, passed on */
enum { IMG_TAR_DAMAGED = -100, IMG_TAR_NOMEM = -101 };

/* The next piece of the stream in *out (valid until the next call): its
 * length, 0 at the end, or negative: an error of the source's own, which
 * the reader hands back unchanged. */
typedef ssize_t (*img_tar_pull_fn)(void *ud, const void **out);
/* Optional: pass over n bytes without reading them (a regular file
 * seeks); returns how many it passed over, 0 to have them read. */
typedef long long (*img_tar_skip_fn)(void *ud, unsigned long long n);

struct img_tar_entry {
	const char *path;        /* as stored, NUL-terminated; valid until the next img_tar_next */
	const char *link;        /* a link's target, else NULL */
	unsigned long long size; /* bytes of data (0 for header-only types) */
	long long uid, gid;
	unsigned mode; /* permission bits (07777) */
	char type;     /* IMG_TAR_* */
};

struct img_tar {
	img_tar_pull_fn pull;
	img_tar_skip_fn skip;
	void *ud;
	const unsigned char *p; /* the unread rest of the current piece */
	size_t n;
	unsigned long long left; /* the current entry's data not yet handed out */
	unsigned long long pad;  /* then its padding to a whole block */
	bool done;               /* the end of the archive was read */
	int failed;              /* the first failure, returned from then on */
	const char *why;         /* what is damaged (a result of -1) */
	/* the pending pax and GNU values for the next entry, and its own */
	struct buf ppath, plink, gname, glink, hname, hlink, meta;
	bool pax_path, pax_link, gnu_name, gnu_link, pax_size, pax_uid, pax_gid, sparse;
	long long psize, puid, pgid;
	unsigned char blk[512];
};

void img_tar_init(struct img_tar *t, img_tar_pull_fn pull, img_tar_skip_fn skip, void *ud);
void img_tar_release(struct img_tar *t);
/* The next entry (the rest of the current one passed over): 1, 0 at the
 * end of the archive, IMG_TAR_DAMAGED (t->why says how), IMG_TAR_NOMEM,
 * or the pull's own negative value. */
int img_tar_next(struct img_tar *t, struct img_tar_entry *e);
/* The current entry's next bytes in place: their count, 0 when they are
 * all read, or negative as for img_tar_next (a short archive is damaged). */
ssize_t img_tar_data(struct img_tar *t, const void **out);
/* The same, copied into buf (up to n bytes; less only at the end). */
ssize_t img_tar_read(struct img_tar *t, void *buf, size_t n);

#endif
