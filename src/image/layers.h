/*
 * layers.h - an image's setuid/setgid files, read from the tar stream
 * `docker save` (GET /images/NAME/get) writes, without unpacking it: audit
 * 4.8's question, answered by the scanner's image reader (image.h), which
 * checks every digest and builds the final view (whiteouts, opaque
 * directories, replaced paths) in the manifest's order.
 */
#ifndef DS_IMG_LAYERS_H
#define DS_IMG_LAYERS_H

#include "../core/ds.h"

#define IMG_MAX_MEMORY (256u << 20) /* the caller's arena for one image's list */

struct img_file {
	const char *path; /* "/usr/bin/passwd" */
	unsigned mode;    /* permission bits, e.g. 04755 */
	size_t layer;     /* index in the image's layer order */
};

/* Read a docker-save stream from fd (not closed) and return the regular
 * files (and hard links) with the setuid or setgid bit in the final view,
 * sorted by path, in arena a. Errors (not an image, a broken or altered
 * layer, a limit) are image.h's, naming the layer. */
int img_setid_files(int fd, struct arena *a, struct img_file **out, size_t *n, struct ds_err *err);
/* The same with a deadline for the whole image (0: none): a stream that
 * trickles or never ends is cut with DS_ELIMIT. */
int img_setid_files_within(int fd, struct arena *a, unsigned timeout_ms, struct img_file **out, size_t *n,
			   struct ds_err *err);

#endif
