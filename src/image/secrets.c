/*
 * secrets.c - credentials in image files (see secrets.h).
 *
 * One pass of secret_find() over the text for the formats that identify
 * themselves, then, for files whose name says what they are, their own
 * syntax: a key in ~/.aws/credentials has no prefix to recognise (Trivy
 * misses it), an .npmrc token is whatever follows _authToken=. Generic
 * "password = ..." in arbitrary files is not matched: in source code it
 * is mostly a variable, and a scanner that cries wolf is turned off.
 *
 * The candidates come from Hyperscan (or Vectorscan: Debian's libhs,
 * loaded at first use): every literal a format starts with, in one
 * database, matched with SIMD at several GB/s; each candidate is then
 * checked by secret_at(). Without libhs, or on a CPU it does not run on,
 * secret_find()'s byte loop finds the same candidates, slower.
 */
#include "secrets.h"
#include "../core/lazy.h"
#include "../core/secret.h"
#include <hs.h>
#include <pthread.h>

#ifndef DS_HS_SONAME
#define DS_HS_SONAME "libhs.so.5"
#endif

static const char *base_of(const char *path)
{
	const char *b = strrchr(path, '/');
	return b ? b + 1 : path;
}

static bool ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

bool img_secret_candidate(const char *path, unsigned long long size)
{
	static const char *const skip_dirs[] = {"/usr/share/doc/", "/usr/share/man/", "/usr/share/locale/",
						"/usr/share/zoneinfo/", "/usr/share/i18n/", "/proc/", "/sys/"};
	static const char *const skip_ext[] = {".so", ".a", ".o", ".pyc", ".gz", ".xz", ".bz2", ".zst", ".zip",
					       ".jar", ".png", ".jpg", ".gif", ".ico", ".mo", ".woff", ".woff2",
					       ".ttf", ".svg", ".wasm", ".deb", ".rpm", ".whl", ".egg"};
	size_t i;

	if (size == 0 || size > IMG_SECRET_MAX_FILE)
		return false;
	for (i = 0; i < DS_ARRAY_SIZE(skip_dirs); i++)
		if (!strncmp(path, skip_dirs[i], strlen(skip_dirs[i])))
			return false;
	for (i = 0; i < DS_ARRAY_SIZE(skip_ext); i++)
		if (ends(path, skip_ext[i]))
			return false;
	return true;
}

static void redact(char out[64], const char *v, size_t n, size_t plen)
{
	if (plen && plen + 8 <= n) /* the format's prefix and the last character: ghp_****9 */
		snprintf(out, 64, "%.*s****%c (%zu characters)", (int)(plen > 20 ? 20 : plen), v, v[n - 1], n);
	else if (plen && plen < n)
		snprintf(out, 64, "%.*s**** (%zu characters)", (int)(plen > 20 ? 20 : plen), v, n);
	else if (n >= 8)
		snprintf(out, 64, "%c****%c (%zu characters)", v[0], v[n - 1], n);
	else
		snprintf(out, 64, "**** (%zu characters)", n);
	for (char *p = out; *p; p++) /* the shown characters are data: keep them printable */
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
			*p = '?';
}

struct scan {
	const char *path, *data;
	size_t n, hits;
	unsigned line;
	size_t line_off; /* offset where line `line` starts */
	void (*fn)(void *, const struct img_secret *);
	void *ud;
};

static unsigned line_at(struct scan *sc, size_t off)
{
	while (sc->line_off < off) { /* offsets only grow within a pass */
		const char *nl = memchr(sc->data + sc->line_off, '\n', off - sc->line_off);
		if (!nl)
			break;
		sc->line++;
		sc->line_off = (size_t)(nl - sc->data) + 1;
	}
	return sc->line;
}

static void report(struct scan *sc, const char *kind, size_t off, size_t len, size_t plen)
{
	struct img_secret s;

	if (sc->hits++ >= IMG_SECRET_MAX_HITS)
		return;
	memset(&s, 0, sizeof(s));
	s.path = sc->path;
	s.kind = kind;
	s.line = line_at(sc, off);
	redact(s.shown, sc->data + off, len, plen);
	sc->fn(sc->ud, &s);
}

/* header.payload.signature, base64url, the header starting {"alg or {"typ */
static size_t jwt_len(const char *p, size_t n)
{
	size_t i = 0, dots = 0;

	if (n < 40 || memcmp(p, "eyJ", 3))
		return 0;
	for (i = 0; i < n; i++) {
		char c = p[i];
		if (c == '.')
			dots++;
		else if (!(isalnum((unsigned char)c) || c == '-' || c == '_'))
			break;
	}
	return dots == 2 && i >= 40 && p[i - 1] != '.' ? i : 0;
}

/* The JSON Web Token starting at data[at], not inside a longer word: its length, or 0. */
static size_t jwt_at(const struct scan *sc, size_t at)
{
	const char *d = sc->data;

	if (at && (isalnum((unsigned char)d[at - 1]) || d[at - 1] == '_'))
		return 0;
	return jwt_len(d + at, sc->n - at);
}

/* "name = value" lines of a credential file whose name part matches */
static void assignments(struct scan *sc, const char *const *names, size_t nnames, const char *kind)
{
	const char *p = sc->data, *end = sc->data + sc->n;

	sc->line = 1;
	sc->line_off = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end, *q = p, *eq;
		size_t k;
		while (q < le && (*q == ' ' || *q == '\t'))
			q++;
		if (!strncmp(q, "export ", 7))
			q += 7;
		{ /* "k = v" or "k: v", whichever separator comes first (base64 values end in '=') */
			const char *e1 = memchr(q, '=', (size_t)(le - q)), *e2 = memchr(q, ':', (size_t)(le - q));
			eq = e1 && (!e2 || e1 < e2) ? e1 : e2;
		}
		if (eq && *q != '#' && *q != ';') {
			const char *ne = eq, *v = eq + 1, *ve = le;
			while (ne > q && (ne[-1] == ' ' || ne[-1] == '\t'))
				ne--;
			while (v < ve && (*v == ' ' || *v == '\t' || *v == '"' || *v == '\''))
				v++;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\r' || ve[-1] == '"' || ve[-1] == '\'' || ve[-1] == ','))
				ve--;
			for (k = 0; k < nnames; k++) {
				size_t nl2 = strlen(names[k]);
				bool match = names[k][0] == '*' ? secret_name_like(q, (size_t)(ne - q))
								: ((size_t)(ne - q) >= nl2 && !strncasecmp(ne - nl2, names[k], nl2));
				if (match && ve - v >= 4 && !secret_value_placeholder(v, (size_t)(ve - v))) {
					report(sc, kind, (size_t)(v - sc->data), (size_t)(ve - v), 0);
					break;
				}
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* ---- the multi-pattern engine ---- */

#define HS_MAX_LITERALS 64
#define HS_MAX_CANDIDATES (1u << 20) /* per file: more and the byte loop takes it */

static struct {
	hs_error_t (*valid_platform)(void);
	hs_error_t (*compile_lit_multi)(const char *const *, const unsigned *, const unsigned *, const size_t *, unsigned,
					 unsigned, const hs_platform_info_t *, hs_database_t **, hs_compile_error_t **);
	hs_error_t (*free_compile_error)(hs_compile_error_t *);
	hs_error_t (*alloc_scratch)(const hs_database_t *, hs_scratch_t **);
	hs_error_t (*scan)(const hs_database_t *, const char *, unsigned, unsigned, hs_scratch_t *, match_event_handler,
			   void *);
} hs;

static const struct lazy_sym hs_syms[] = {
	{"hs_valid_platform", (void **)&hs.valid_platform},
	{"hs_compile_lit_multi", (void **)&hs.compile_lit_multi},
	{"hs_free_compile_error", (void **)&hs.free_compile_error},
	{"hs_alloc_scratch", (void **)&hs.alloc_scratch},
	{"hs_scan", (void **)&hs.scan},
};

static struct lazy_lib hs_lib = {DS_HS_SONAME, "scanning files for credentials", hs_syms, DS_ARRAY_SIZE(hs_syms), NULL, 0,
				 {0}, false};

/* The database and the one scratch space (the image reader's thread scans). */
static hs_database_t *hs_db;
static hs_scratch_t *hs_scratch;
static size_t hs_len[HS_MAX_LITERALS];
static pthread_once_t hs_once = PTHREAD_ONCE_INIT;
static unsigned hs_jwt_id = HS_MAX_LITERALS; /* the JSON Web Token's literal: the last one */

static void hs_start(void)
{
	const char *lit[HS_MAX_LITERALS];
	bool caseless[HS_MAX_LITERALS];
	unsigned flags[HS_MAX_LITERALS], ids[HS_MAX_LITERALS];
	size_t n = secret_start_literals(lit, caseless, HS_MAX_LITERALS - 1), i;
	hs_compile_error_t *ce = NULL;
	struct ds_err err;

	if (getenv("DOCKSEC_NO_HYPERSCAN") || lazy_load(&hs_lib, &err) || hs.valid_platform() != HS_SUCCESS)
		return;
	lit[n] = "eyJ"; /* a JSON Web Token's header, base64url of {" */
	caseless[n] = false;
	hs_jwt_id = (unsigned)n++;
	for (i = 0; i < n; i++) {
		hs_len[i] = strlen(lit[i]);
		flags[i] = caseless[i] ? HS_FLAG_CASELESS : 0;
		ids[i] = (unsigned)i;
	}
	if (hs.compile_lit_multi(lit, flags, ids, hs_len, (unsigned)n, HS_MODE_BLOCK, NULL, &hs_db, &ce) != HS_SUCCESS) {
		if (ce)
			hs.free_compile_error(ce);
		hs_db = NULL;
		return;
	}
	if (hs.alloc_scratch(hs_db, &hs_scratch) != HS_SUCCESS)
		hs_db = NULL; /* the byte loop then; the database stays allocated, once */
}

struct cands {
	size_t *v, n, cap;
	bool over;
};

static int on_literal(unsigned id, unsigned long long from, unsigned long long to, unsigned flags, void *ud)
{
	struct cands *c = (struct cands *)ud + (id == hs_jwt_id); /* formats' candidates, then JWTs' */

	(void)from;
	(void)flags;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256, *v;
		if (cap > HS_MAX_CANDIDATES || !(v = ds_realloc(c->v, cap * sizeof(*v)))) {
			c->over = true;
			return 1; /* stop: the byte loop takes this file */
		}
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (size_t)(to - hs_len[id]);
	return 0;
}

static int by_offset(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The credentials of every format in data[0..n), in order, then its JSON
 * Web Tokens; in AWS's own files (aws_key) the secret key's assignment is
 * read by assignments(), whatever its length, so the format's
 * 40-character one is not reported. */
static void formats(struct scan *sc, bool aws_key)
{
	struct secret_hit h;
	struct cands c[2] = {{0}, {0}};
	size_t off = 0, i, l;
	bool fast;

	pthread_once(&hs_once, hs_start);
	fast = hs_db && sc->n <= UINT_MAX &&
	       hs.scan(hs_db, sc->data, (unsigned)sc->n, 0, hs_scratch, on_literal, c) == HS_SUCCESS && !c[0].over &&
	       !c[1].over;
	if (fast) {
		if (c[0].n > 1) /* reported by where they end: literals of different lengths interleave */
			qsort(c[0].v, c[0].n, sizeof(*c[0].v), by_offset);
		for (i = 0; i < c[0].n; i++) {
			if (c[0].v[i] < off || !secret_at(sc->data, sc->n, c[0].v[i], &h))
				continue;
			if (!(aws_key && !strcmp(h.kind, "AWS secret access key")))
				report(sc, h.kind, h.off, h.len, h.plen);
			off = h.off + (h.len ? h.len : 1);
		}
	} else {
		while (off < sc->n && secret_find(sc->data + off, sc->n - off, &h)) {
			if (!(aws_key && !strcmp(h.kind, "AWS secret access key")))
				report(sc, h.kind, off + h.off, h.len, h.plen);
			off += h.off + (h.len ? h.len : 1);
		}
	}
	sc->line = 1;
	sc->line_off = 0;
	if (fast) { /* one literal: already in order */
		for (i = 0, off = 0; i < c[1].n; i++)
			if (c[1].v[i] >= off && (l = jwt_at(sc, c[1].v[i]))) {
				report(sc, "JSON Web Token", c[1].v[i], l, 0);
				off = c[1].v[i] + l;
			}
	} else {
		for (i = 0; i + 40 < sc->n;) {
			const char *e = memmem(sc->data + i, sc->n - i, "eyJ", 3);
			size_t at;
			if (!e)
				break;
			at = (size_t)(e - sc->data);
			if (!(l = jwt_at(sc, at))) {
				i = at + 3;
				continue;
			}
			report(sc, "JSON Web Token", at, l, 0);
			i = at + l;
		}
	}
	ds_free(c[0].v);
	ds_free(c[1].v);
}

bool img_secret_engine(void)
{
	pthread_once(&hs_once, hs_start);
	return hs_db != NULL;
}

void img_secret_scan(const char *path, const char *data, size_t n, void (*fn)(void *ud, const struct img_secret *s),
		     void *ud)
{
	/* data[n] is NUL (the caller's buffer): the line scanners may look one past */
	struct scan sc = {path, data, n, 0, 1, 0, fn, ud};
	const char *base = base_of(path);
	bool aws;

	if (memchr(data, 0, n < 8192 ? n : 8192))
		return; /* a binary */
	aws = ends(path, "/.aws/credentials") || ends(path, "/.aws/config");
	formats(&sc, aws);
	if (aws) {
		static const char *const k[] = {"aws_secret_access_key", "aws_session_token"};
		assignments(&sc, k, 2, "AWS secret access key");
	} else if (!strcmp(base, ".env") || !strncmp(base, ".env.", 5) || ends(base, ".env")) {
		static const char *const k[] = {"*"};
		assignments(&sc, k, 1, "secret in a .env file");
	} else if (!strcmp(base, ".npmrc") || !strcmp(base, ".yarnrc") || !strcmp(base, ".yarnrc.yml")) {
		static const char *const k[] = {"_authToken", "_auth", "_password", "npmAuthToken"};
		assignments(&sc, k, 4, "npm registry token");
	} else if (!strcmp(base, ".pypirc") || !strcmp(base, "pip.conf")) {
		static const char *const k[] = {"password"};
		assignments(&sc, k, 1, "Python package index password");
	} else if (ends(path, "/.docker/config.json") || ends(path, "/.dockercfg")) {
		static const char *const k[] = {"\"auth\"", "\"identitytoken\""};
		assignments(&sc, k, 2, "Docker registry credentials");
	} else if (!strcmp(base, ".netrc") || !strcmp(base, "_netrc")) {
		const char *p = data;
		sc.line = 1;
		sc.line_off = 0;
		while ((p = memmem(p, (size_t)(data + n - p), "password ", 9))) {
			const char *v = p + 9, *ve = v;
			while (ve < data + n && !isspace((unsigned char)*ve))
				ve++;
			if (ve - v >= 4)
				report(&sc, "password in .netrc", (size_t)(v - data), (size_t)(ve - v), 0);
			p = ve;
		}
	}
}
