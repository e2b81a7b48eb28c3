/*
 * gunzip.c - gzip streams through ISA-L's igzip (see gunzip.h); the
 * SONAME comes from the build (Makefile: DS_ISAL_SONAME). Built without
 * ISA-L's header, img_gunzip_available says no and libarchive inflates.
 */
#include "gunzip.h"
#include "../core/lazy.h"
#include <limits.h>

#if __has_include(<isa-l/igzip_lib.h>)
#include <isa-l/igzip_lib.h>

#ifndef DS_ISAL_SONAME
#define DS_ISAL_SONAME "libisal.so.2"
#endif

static struct {
	void (*init)(struct inflate_state *st);
	void (*reset)(struct inflate_state *st);
	int (*inflate)(struct inflate_state *st);
} isal;

static const struct lazy_sym syms[] = {
	{"isal_inflate_init", (void **)&isal.init},
	{"isal_inflate_reset", (void **)&isal.reset},
	{"isal_inflate", (void **)&isal.inflate},
};

static struct lazy_lib lib = {DS_ISAL_SONAME, "inflating gzip layers", syms, DS_ARRAY_SIZE(syms), NULL, 0, {0}, false};

struct img_gunzip {
	struct inflate_state st;
	img_gunzip_in in;
	void *ud;
	unsigned members;  /* started so far */
	bool eof, done;
};

bool img_gunzip_available(void)
{
	struct ds_err err = {0};

	return !getenv("DOCKSEC_NO_ISAL") && !lazy_load(&lib, &err);
}

struct img_gunzip *img_gunzip_new(void)
{
	return ds_calloc(1, sizeof(struct img_gunzip));
}

void img_gunzip_start(struct img_gunzip *g, img_gunzip_in in, void *ud)
{
	isal.init(&g->st);
	g->st.crc_flag = ISAL_GZIP; /* the header parsed, the CRC-32 checked */
	g->in = in;
	g->ud = ud;
	g->members = 1;
	g->eof = g->done = false;
}

static const char *problem(int r)
{
	switch (r) {
	case ISAL_INVALID_WRAPPER:
		return "not a gzip header";
	case ISAL_UNSUPPORTED_METHOD:
		return "a gzip member compressed otherwise than with deflate";
	case ISAL_INCORRECT_CHECKSUM:
		return "the gzip CRC-32 does not match the data";
	default:
		return "invalid deflate data in the gzip stream";
	}
}

/* More compressed input: 1, 0 at its end, or in's error. */
static ssize_t refill(struct img_gunzip *g)
{
	const void *p = NULL;
	ssize_t r;

	if (g->eof)
		return 0;
	if ((r = g->in(g->ud, &p)) < 0)
		return r;
	if (r == 0) {
		g->eof = true;
		return 0;
	}
	g->st.next_in = (uint8_t *)(uintptr_t)p; /* igzip only reads it */
	g->st.avail_in = (uint32_t)r;
	return 1;
}

ssize_t img_gunzip_read(struct img_gunzip *g, void *out, size_t cap, const char **why)
{
	ssize_t r;

	uint32_t want = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;

	if (g->done || !cap)
		return 0;
	g->st.next_out = out;
	g->st.avail_out = want;
	for (;;) {
		size_t got = want - g->st.avail_out;
		int ir;
		if (g->st.block_state == ISAL_BLOCK_FINISH) {
			/* a member ended: another one follows, or the stream is over
			 * (trailing bytes, such as zero padding, are not a member) */
			if (got)
				return (ssize_t)got;
			if (!g->st.avail_in && (r = refill(g)) <= 0) {
				g->done = r == 0;
				return r;
			}
			if (g->st.next_in[0] != 0x1f) {
				g->done = true;
				return 0;
			}
			isal.reset(&g->st);
			g->st.crc_flag = ISAL_GZIP;
			g->members++;
			continue;
		}
		if (!g->st.avail_in) {
			if ((r = refill(g)) < 0)
				return r;
			if (r == 0) {
				if (got)
					return (ssize_t)got;
				*why = "the gzip stream ends before its last member does";
				return -1;
			}
		}
		if ((ir = isal.inflate(&g->st)) < 0) {
			if (ir == ISAL_INVALID_WRAPPER && g->members > 1 && !g->st.total_out) {
				g->done = true; /* 0x1f and then not a gzip header: trailing bytes */
				return (ssize_t)got;
			}
			*why = problem(ir);
			return -1;
		}
		if (!g->st.avail_out)
			return (ssize_t)want;
	}
}

void img_gunzip_free(struct img_gunzip *g)
{
	ds_free(g);
}

#else /* no ISA-L at build time: libarchive inflates */

bool img_gunzip_available(void)
{
	return false;
}

struct img_gunzip *img_gunzip_new(void)
{
	return NULL;
}

void img_gunzip_start(struct img_gunzip *g, img_gunzip_in in, void *ud)
{
	(void)g, (void)in, (void)ud;
}

ssize_t img_gunzip_read(struct img_gunzip *g, void *out, size_t cap, const char **why)
{
	(void)g, (void)out, (void)cap;
	*why = "built without ISA-L";
	return -1;
}

void img_gunzip_free(struct img_gunzip *g)
{
	(void)g;
}

#endif
