/*
 * snapshot.h - the state of a Docker (or Podman) daemon as `audit` reads
 * it, fetched in one go (snapshot.c).
 *
 * Ownership: every json_t in the struct is owned by it and dropped by
 * eng_snapshot_release(); arrays are indexed like list (containers) and
 * images. A container or image that vanished between the list and its
 * inspect has a NULL entry. An answer that could not be had (/top, an
 * exec session, an image's inspect or history) is {"error": "GET path:
 * why"} in its place, so the checks that need it say ERROR.
 */
#ifndef DS_ENG_SNAPSHOT_H
#define DS_ENG_SNAPSHOT_H

#include "engine.h"

/* More containers or images than this is refused with an error, not
 * judged partially. */
#define ENG_MAX_OBJECTS 100000
/* The answers of one audit together (inspects, histories, /top...): a
 * daemon that sends more is refused, not held in memory. */
#define ENG_MAX_TOTAL (256ull << 20)
/* An image export may take this many request timeouts in all (60 s by
 * default) before its listing is cut with an error. */
#define ENG_EXPORT_TIMEOUTS 6
/* Exec sessions read per container. */
#define ENG_MAX_EXECS 256

struct eng_snapshot {
	json_t *info, *version, *list, *networks, *images;
	json_t **inspect, **top, **execs, **img_inspect, **img_history;
	json_t **img_setid; /* per image: [{"path","mode","layer"}], {"error"}, or NULL (not listed) */
	bool *img_export;   /* per image: within the export budget */
	size_t n, nimg;     /* set only once the arrays exist */
};

/* Progress of a fetch: fn(ud, done, total) is called on the calling
 * thread after each object it finishes (workers only count). */
struct eng_progress {
	void (*fn)(void *ud, size_t done, size_t total);
	void *ud;
};

/* Fetch the snapshot over e (its host is reopened per worker thread).
 * export_budget: total image bytes whose layers are listed for setuid
 * files (0: none). progress may be NULL. On error *x holds what was
 * fetched; release it. */
int eng_snapshot_fetch(struct eng *e, struct eng_snapshot *x, long timeout, unsigned long long export_budget,
		       const struct eng_progress *progress, struct ds_err *err);
void eng_snapshot_release(struct eng_snapshot *x);

#endif
