/*
 * history.h - the Dockerfile an image's config history records
 * (created_by of each entry, classic builder and BuildKit forms), rebuilt
 * as text the Dockerfile parser reads, with each physical line mapped to
 * its history entry and layer, so `docksec scan` runs the DF-* rules on a
 * built image with the same ids and refs as `docksec lint`.
 */
#ifndef DS_IMG_HISTORY_H
#define DS_IMG_HISTORY_H

#include "image.h"
#include "../core/buf.h"

#define IMG_HISTORY_MAX 4096   /* history entries read */
#define IMG_HISTORY_CONFIG (-2) /* a line from the config (User, Healthcheck), not the history */

struct img_history {
	struct buf text; /* "FROM <ref>\n" then one instruction per entry */
	struct img_hline {
		int entry; /* index in config.history; -1 the FROM line; IMG_HISTORY_CONFIG */
		int layer; /* index in the image's layers, or -1 (an empty layer) */
	} *lines;  /* per physical line, 0-based */
	size_t nlines, cap;
};

/* Rebuild im's Dockerfile into h (lines in arena a). 0 or DS_ENOMEM. */
int img_history(struct arena *a, const struct img_image *im, struct img_history *h);
void img_history_release(struct img_history *h);

#endif
