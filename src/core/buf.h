/*
 * buf.h - a growable string (git's strbuf, with a sticky failure flag).
 *
 * Appends never fail loudly: after an allocation failure the buffer stops
 * growing and `oom` stays set, so a writer can append a whole report and
 * check once at the end (buf_ok()). p is always NUL-terminated once any
 * append succeeded; a fresh buffer has p == NULL and n == 0.
 */
#ifndef DS_BUF_H
#define DS_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct buf {
	char *p;
	size_t n;
	size_t cap;
	bool oom;
	FILE *sink; /* or NULL: see buf_sink */
	bool werr;  /* a write to sink failed */
};

#define BUF_INIT {NULL, 0, 0, false, NULL, false}

/* Write what b holds to out once it passes BUF_SPILL bytes, before the
 * next append: a report or an SBOM of 100 000 packages is never held whole.
 * The bytes appended last stay in p (a writer may still take back the
 * last of them). buf_flush writes the rest: 0, DS_ENOMEM or DS_EWRITE. */
#define BUF_SPILL (64u << 10)
void buf_sink(struct buf *b, FILE *out);
int buf_flush(struct buf *b);

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_clear(struct buf *b);
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as the body of a JSON string (no quotes), escaping as needed;
 * invalid UTF-8 bytes become U+FFFD so the output is always valid JSON. */
void buf_add_json_str(struct buf *b, const char *s, size_t n);
/* Append p[0..n) safe to print on a terminal: C0 controls and DEL as
 * \xNN, C1 controls (U+0080-U+009F) as \u00NN, bytes that are not UTF-8
 * as \xNN; valid UTF-8 text as it is. */
void buf_add_visible(struct buf *b, const char *p, size_t n);
/* Append s with XML special characters escaped. */
void buf_add_xml(struct buf *b, const char *s, size_t n);
/* Go's strconv.Quote of s, quotes included (for BuildKit-compatible AST dumps). */
void buf_add_goquote(struct buf *b, const char *s, size_t n);
bool buf_ok(const struct buf *b);
/* Hand the string over to the caller (free with ds_free) and reset b. */
char *buf_detach(struct buf *b, size_t *len);
/* "" when empty, never NULL. */
const char *buf_str(const struct buf *b);

#endif
