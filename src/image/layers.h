/*
 * layers.h - an image's final filesystem view, read from the tar stream
 * `docker save` (GET /images/NAME/get) writes, without unpacking it.
 *
 * The stream is read once, in order; layers come in the archive's order,
 * not the image's, so each layer's facts are kept (its paths, its
 * whiteouts, its setuid/setgid files) and the view is built afterwards in
 * manifest.json's order: a layer's whiteouts hide the lower layers' files
 * (.wh.NAME a path and what is under it, .wh..wh..opq a directory's
 * children), a file in a higher layer replaces the same path below.
 * Layers may be plain or compressed tars (the legacy <id>/layer.tar and
 * the OCI blobs/sha256/<digest> layouts are both read).
 */
#ifndef DS_IMG_LAYERS_H
#define DS_IMG_LAYERS_H

#include "../core/ds.h"

#define IMG_MAX_LAYERS 256
#define IMG_MAX_ENTRIES (1u << 20)   /* entries of all layers of one image */
#define IMG_MAX_UNPACKED (16ull << 30) /* bytes all layers of one image unpack to */
#define IMG_MAX_MANIFEST (4u << 20)
#define IMG_MAX_MEMORY (256u << 20) /* the arena holding one image's paths */
#define IMG_MAX_PATH 4096           /* longer paths are listed but never whited out */

struct img_file {
	const char *path; /* "/usr/bin/passwd" */
	unsigned mode;    /* permission bits, e.g. 04755 */
	size_t layer;     /* index in the image's layer order */
};

/* Read a docker-save stream from fd (not closed) and return the regular
 * files with the setuid or setgid bit in the final view, sorted by path.
 * Errors (not a docker-save stream, a broken layer, a limit) are DS_EPARSE
 * or DS_ELIMIT with a message naming the layer. */
int img_setid_files(int fd, struct arena *a, struct img_file **out, size_t *n, struct ds_err *err);
/* The same with a deadline for the whole image (0: none): a stream that
 * trickles or never ends is cut with DS_ELIMIT. */
int img_setid_files_within(int fd, struct arena *a, unsigned timeout_ms, struct img_file **out, size_t *n,
			   struct ds_err *err);

#endif
