/*
 * image.h - THE image reader: docker-save tarballs (legacy manifest.json
 * with <id>/layer.tar, and the OCI layout Docker 25+ writes), OCI image
 * layouts (a directory or a tar of one, multi-platform indexes), from a
 * file, a directory or a stream (stdin, an Engine API export), read once.
 *
 * A stream's entries come in the archive's order, not the image's, so
 * every blob is taken as it comes: a small one that looks like JSON is
 * kept (manifests, configs), anything else is read as a layer on the spot
 * - its digest, its diff_id, its entries and whiteouts, and the contents
 * of the few files the scanner reads (os-release, package databases,
 * passwd) - and nothing of it is written anywhere. When the stream ends,
 * the manifests say which blobs make which image, in which order; each
 * image's final view is built from its layers' facts: a layer's
 * whiteouts (.wh.NAME), opaque markers (.wh..wh..opq, which hide only
 * lower layers' files) and non-directories hide what lower layers had
 * under their path, and a path written again replaces the lower one.
 *
 * Every digest is checked: OCI blobs against their names and descriptors,
 * each layer's uncompressed sha256 against the config's diff_ids, a
 * legacy config against its file name. A mismatch is an error naming the
 * layer. Limits (IMG_*) hold for the whole run, not per layer.
 *
 * Ownership: everything lives in the struct img_set's arena and its
 * jansson references; img_set_release frees it all.
 */
#ifndef DS_IMG_IMAGE_H
#define DS_IMG_IMAGE_H

#include "../core/ds.h"
#include "digest.h"
#include "secrets.h"
#include "pkgdb.h"
#include <jansson.h>
#include <sys/stat.h>

#define IMG_SCAN_MAX_LAYERS 512
#define IMG_SCAN_MAX_ENTRIES (1u << 20)     /* entries of all layers of the run */
#define IMG_SCAN_MAX_MEMORY (256u << 20)    /* the run's index: paths, kept files, packages */
#define IMG_SCAN_MAX_UNPACKED (32ull << 30) /* bytes all layers of the run unpack to */
#define IMG_SCAN_MAX_JSON (4u << 20)        /* a manifest, index or config */
#define IMG_SCAN_MAX_KEPT (64u << 20)       /* bytes of file contents kept, all layers */
#define IMG_SCAN_MAX_HELD (48u << 20)       /* bytes of the index, kept files and packages, all layers:
					     * entries, names, directories, whiteouts, contents, package
					     * records, inventories (with the final view and the program,
					     * a scan stays under 64 MB) */
#define IMG_SCAN_MAX_RECORDS (32u << 20)    /* bytes of language package records, all layers (within
					     * the above: past it, the index still has room) */
#define IMG_SCAN_MAX_FILE (32u << 20)       /* one kept file (a dpkg status) */
#define IMG_SCAN_MAX_PATH 4096
#define IMG_SCAN_MAX_IMAGES 64
#define IMG_SCAN_MAX_LINKS 40               /* symlinks followed in one lookup */
#define IMG_SCAN_MAX_SECRETS 10000          /* credentials recorded, all layers */
#define IMG_SCAN_MAX_NESTED_JARS (512ull << 20) /* bytes of nested Java archives read, the run */

enum img_type { IMG_FILE = 'f', IMG_DIR = 'd', IMG_SYMLINK = 'l', IMG_HARDLINK = 'h', IMG_OTHER = 'o' };

/* One path of a layer: 32 bytes and its name. The path is stored as its
 * directory, shared by the layer's entries in it, and its name: a layer of
 * a million files in deep trees keeps a million names, not a million
 * paths (bench/scan-memory.sh). img_entry_copy and img_entry_cmp give the
 * whole path; the size, the mode and the type share 8 bytes. */
struct img_entry {
	const char *dir;              /* "/usr/bin/": the path up to and with its last "/" */
	const char *name;             /* "su" ("" for "/"); a link's target follows its NUL */
	unsigned long long size : 44; /* at most IMG_ENTRY_MAX_SIZE: a larger declared size is clamped (no
				       * layer unpacks to that much: IMG_SCAN_MAX_UNPACKED) */
	unsigned long long mode : 12; /* permission bits with setuid/setgid/sticky (07777) */
	unsigned long long type : 8;  /* enum img_type */
	unsigned uid, gid;
};
#define IMG_ENTRY_MAX_SIZE ((1ull << 44) - 1)

/* A link's target, stored after its name (not behind a pointer of its
 * own in every entry): a symlink's as stored, a hard link's normalised;
 * NULL for other types. */
static inline const char *img_entry_link(const struct img_entry *e)
{
	return e->type == IMG_SYMLINK || e->type == IMG_HARDLINK ? e->name + strlen(e->name) + 1 : NULL;
}
/* A name with a link's target after the NUL, in a; NULL: no memory. */
const char *img_entry_name(struct arena *a, const char *name, const char *to);
/* The entry's path ("/usr/bin/su") into out, which holds IMG_SCAN_MAX_PATH
 * + 1 bytes (no entry has a longer path); its length. */
size_t img_entry_copy(const struct img_entry *e, char *out);
/* The same, in a; NULL: no memory. */
const char *img_entry_dup(struct arena *a, const struct img_entry *e);
/* The entries' paths compared as strcmp compares strings. */
int img_entry_cmp(const struct img_entry *x, const struct img_entry *y);
/* The entry's path against a string, as strcmp(path, key); and whether the
 * path starts with the n bytes of prefix. */
int img_entry_cmpstr(const struct img_entry *e, const char *key);
bool img_entry_starts(const struct img_entry *e, const char *prefix, size_t n);

/* A file whose contents the scanner reads, kept from its layer. */
struct img_kept {
	const char *path;
	const char *data; /* NUL-terminated */
	size_t len;
	/* a package database's packages, parsed for the first image that has
	 * it as its own and shared with the others (scan.c) */
	struct img_pkg *pkgs;
	size_t npkgs;
	bool parsed;
};

struct img_layer {
	const char *name;                /* archive entry or blob path */
	char digest[IMG_DIGEST_LEN];     /* sha256 of the blob as stored */
	char diff_id[IMG_DIGEST_LEN];    /* sha256 of the uncompressed tar */
	const char *compression;         /* "none", "gzip", "zstd", ... */
	unsigned long long stored, unpacked;
	struct img_entry *ents;          /* sorted by path; later duplicates win */
	size_t nents;
	const char **hide;               /* sorted: "/a/b" hides itself and below, "/a/b/" below only */
	size_t nhide;
	struct img_kept *kept;           /* sorted by path (img_kept_sort) */
	size_t nkept;
	struct img_secret *secrets;      /* credentials in this layer's files (opts.secrets) */
	size_t nsecrets, capsecrets;
	struct img_pkg *lang;            /* packages this layer's files record, read as they stream by:
					  * Python, npm and Ruby records, npm lockfiles, Go binaries'
					  * modules, Java archives' coordinates, Rust binaries' crates
					  * (path: the file; layer unset). Sorted by path (stable) once
					  * the layer is read; of a path written twice, only the last
					  * writing's. The final view's check is img_inventory's. */
	size_t nlang, caplang;
	size_t unkept;                   /* files with package records left unread by the run's bounds */
	const char *unkept_path;         /* the first of them */
	bool partial;                    /* a file to keep left unread by the run's bounds: not cached */
	bool analysed;
	bool cached;                     /* the facts came from the layer cache (cache.h) */
};

/* A path of the final view: the entry of the layer that last wrote it
 * (img_node_layer says which; 8 bytes a path, not 16). */
struct img_node {
	const struct img_entry *e;
};

struct img_image {
	const char *ref;            /* first tag, else the manifest digest */
	const char *manifest;       /* digest of the OCI manifest, or NULL (legacy) */
	const char *config_digest;
	json_t *config;             /* borrowed from the set */
	const char *os, *arch, *variant;
	struct img_layer **layers;  /* in the image's order */
	size_t nlayers;
	const char **created_by;    /* per layer: its history instruction, or NULL */
	struct img_node *view;      /* sorted by path; built by img_view, NULL before and after */
	size_t nview;
	size_t npaths;              /* the view's paths, kept after img_view_release (0: never built) */
};

/* What a run holds of its images, all its inputs together: the bounds
 * IMG_SCAN_MAX_ENTRIES, _KEPT and _HELD are on these sums, not on each
 * input's. */
struct img_budget {
	size_t entries;              /* entries read */
	unsigned long long unpacked; /* bytes the layers unpacked to */
	unsigned long long kept;     /* bytes of kept files */
	unsigned long long records;  /* bytes of language package records */
	unsigned long long held;     /* bytes of the index, kept files, packages and inventories */
	long long deadline_ms;       /* of the first read, by its timeout; 0: none */
};

struct img_opts {
	const char *image;    /* --image NAME: only images whose tag or digest matches */
	const char *platform; /* os/arch[/variant]; NULL: the host's */
	unsigned timeout_ms;  /* the whole read; 0: none */
	bool secrets;         /* read every text file for credentials */
	bool setid_only;      /* audit 4.8: no file contents read beyond the package databases */
	bool cache;           /* use and fill the layer cache (cache.h) */
	/* called as bytes arrive (at most every 200 ms): bytes read of total
	 * (0: unknown, a stream), layers read so far; NULL: none */
	void (*progress)(void *ud, unsigned long long done, unsigned long long total, size_t layers);
	void *progress_ud;
	bool fuzzing;         /* digests computed but not compared: lets a fuzzer reach
			       * the view and the inventory; never set by a command */
	struct img_budget *budget; /* the run's, shared by the sets it reads; NULL: the set's own */
};

struct img_set {
	struct arena arena;
	const char *input;    /* as given ("-" for stdin) */
	struct img_image *images;
	size_t n;
	/* private */
	struct img_blob *blobs;
	size_t nblobs, capblobs;
	json_t *jsons;        /* array keeping the parsed JSON alive */
	struct img_budget own, *b; /* b: the run's (img_opts.budget), else &own */
	long long deadline_ms;
	bool fuzzing, secrets, secrets_or_packages;
	char cache_kind;      /* 0: no cache; else the key's kind (cache.h) */
	unsigned long long jar_budget; /* bytes nested Java archives may still take */
	size_t nsecrets_total, nlayers_read;
	unsigned long long read_total, input_size;
	long long progress_last;
	const struct img_opts *o;
	char *scanbuf;        /* one file's contents for the secret scan */
	size_t scancap;
	char *tailbuf;        /* an executable's last bytes (rustbin.h) */
	struct img_gunzip *gunzip; /* igzip's decoder, for one gzip layer after another (gunzip.h) */
	void **heap;          /* layers' entry arrays, on the heap (freed at release) */
	size_t nheap, capheap;
	struct stat input_st; /* the input tarball, when it is a regular file */
	bool input_reg;
	struct img_trusted *verified; /* blobs of the input true to their names (cache.h: trust) */
	size_t nverified, capverified;
	bool mismatch;        /* a blob named by a digest it does not have */
	const char *dirs[256]; /* directories of entries read lately, by a hash of their path:
				* the entries of one directory share its string */
};

/* Set e's dir and name from path (normalised, absolute, at most
 * IMG_SCAN_MAX_PATH bytes), a link's target (or NULL) after the name; the
 * directory shared with the set's other entries in it. DS_ENOMEM, or 0. */
int img_entry_set_path(struct img_set *s, struct img_entry *e, const char *path, const char *to);

/* Read input (a tar file, "-" for stdin, or an OCI layout directory). 0, or
 * DS_EPARSE / DS_ELIMIT / DS_EIO / DS_ENOTFOUND with a message naming the
 * file and the layer. Release s in every case. */
int img_read(struct img_set *s, const char *input, const struct img_opts *o, struct ds_err *err);
/* The same from an open stream (an Engine API export); name is for messages. */
int img_read_fd(struct img_set *s, int fd, const char *name, const struct img_opts *o, struct ds_err *err);
void img_set_release(struct img_set *s);

/* Build im's final view: the paths its layers leave, each at the entry of
 * the layer that last wrote it. It is on the heap, one image's at a time:
 * the 64 images a tarball may hold over one base layer of a million files
 * would take 8 MB each. 0 (also when built already), or DS_ENOMEM;
 * img_view_release frees it (img_set_release frees any left). */
int img_view(struct img_set *s, struct img_image *im, struct ds_err *err);
void img_view_release(struct img_image *im);

/* The final view's node at path, following symlinks inside the image
 * (never out of it: ".." stops at /; loops end after IMG_SCAN_MAX_LINKS)
 * when follow is true. NULL when absent. */
const struct img_node *img_lookup(const struct img_image *im, const char *path, bool follow);
/* Does layer l hide or rewrite path (a whiteout, an opaque directory, a
 * non-directory above it, or an entry of its own at path)? */
bool img_layer_replaces(const struct img_layer *l, const char *path);
/* The layer (index in im) that last wrote n: the highest one whose
 * entries hold it (a layer listed twice wrote it the second time). */
size_t img_node_layer(const struct img_image *im, const struct img_node *n);
/* The kept contents of a node's file, or NULL (not kept, or a link): a
 * binary search of its layer's kept files. */
const struct img_kept *img_contents(const struct img_image *im, const struct img_node *n);
/* Sort l's kept files by path, stably (of a file written twice in the
 * layer, the later stays after the earlier): 0 or DS_ENOMEM. */
int img_kept_sort(struct img_layer *l);
/* Is this a path whose contents the reader keeps? */
bool img_wanted(const char *path, unsigned long long size);

#endif
