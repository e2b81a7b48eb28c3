/*
 * langpkg.c - language packages (see langpkg.h). Each ecosystem's own
 * record of an installed package is read, never a manifest of what a
 * project wants (requirements.txt, package.json at the app's root): the
 * inventory is what the image has.
 */
#include "langpkg.h"
#include "../core/buf.h"
#include <jansson.h>
#include <math.h>

static bool ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcmp(s + n - k, suf);
}

/* ".../node_modules/NAME/package.json" or ".../node_modules/@SCOPE/NAME/package.json" */
static bool npm_root(const char *path)
{
	const char *nm = NULL, *p = path, *rest;
	int slashes = 0;

	while ((p = strstr(p, "/node_modules/"))) /* the last one */
		nm = p++;
	if (!nm || !ends(path, "/package.json"))
		return false;
	rest = nm + 14;
	for (p = rest; *p; p++)
		slashes += *p == '/';
	return rest[0] == '@' ? slashes == 2 : slashes == 1;
}

static bool gemspec(const char *path)
{
	const char *s = strstr(path, "/specifications/");
	return s && ends(path, ".gemspec") && !strchr(s + 16, '/');
}

/* a file whose contents name one package */
static bool one_package(const char *path)
{
	return ends(path, ".dist-info/METADATA") || ends(path, ".egg-info/PKG-INFO") ||
	       ends(path, ".egg-info") || npm_root(path);
}

bool img_lang_by_path(const char *path)
{
	return gemspec(path);
}

bool img_lang_record(const char *path, unsigned long long size)
{
	return gemspec(path) || (size <= IMG_LANG_MAX_FILE && one_package(path)) ||
	       (size <= IMG_LOCK_MAX_FILE && img_lang_lockfile(path));
}

/* "Name: value" in the header of a METADATA / PKG-INFO file */
static const char *header(struct arena *a, const char *data, size_t n, const char *key)
{
	size_t k = strlen(key);
	const char *p = data, *end = data + n;

	while (p < end && *p != '\n' && *p != '\r') { /* the header ends at a blank line */
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		if ((size_t)(le - p) > k + 1 && !strncmp(p, key, k) && p[k] == ':') {
			const char *v = p + k + 1;
			while (v < le && (*v == ' ' || *v == '\t'))
				v++;
			while (le > v && (le[-1] == '\r' || le[-1] == ' '))
				le--;
			return le > v ? arena_strndup(a, v, (size_t)(le - v)) : NULL;
		}
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

bool img_lang_printable(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return s != NULL;
}

int img_lang_parse(struct arena *a, const char *path, const char *data, size_t n,
		   struct img_pkg *out)
{
	memset(out, 0, sizeof(*out));
	out->path = path;
	if (gemspec(path)) { /* NAME-VERSION.gemspec: the version starts after the last '-' before a
				digit */
		const char *base = strrchr(path, '/') + 1, *dash = NULL, *p;
		size_t len = strlen(base) - 8;
		for (p = base; p < base + len; p++)
			if (*p == '-' && p[1] >= '0' && p[1] <= '9')
				dash = p;
		if (!dash || dash == base)
			return 1;
		out->type = "gem";
		out->name = arena_strndup(a, base, (size_t)(dash - base));
		out->version = arena_strndup(a, dash + 1, (size_t)(base + len - dash - 1));
	} else if (!data) {
		return 1;
	} else if (npm_root(path)) {
		json_t *j = json_loadb(data, n, 0, NULL);
		const char *nm = json_string_value(json_object_get(j, "name")),
			   *v = json_string_value(json_object_get(j, "version"));
		if (nm && v && *nm && *v) {
			out->type = "npm";
			out->name = arena_strdup(a, nm);
			out->version = arena_strdup(a, v);
		}
		json_decref(j);
		if (!out->type)
			return 1;
	} else if (one_package(path)) {
		out->type = "pypi";
		out->name = header(a, data, n, "Name");
		out->version = header(a, data, n, "Version");
		if (!out->name || !out->version)
			return 1;
	} else {
		return 1;
	}
	if (!out->name || !out->version || !img_lang_printable(out->name) ||
	    !img_lang_printable(out->version) || strlen(out->name) > 214 ||
	    strlen(out->version) > 128)
		return 1;
	return 0;
}

bool img_lang_lockfile(const char *path)
{
	return (ends(path, "/package-lock.json") || ends(path, "/npm-shrinkwrap.json")) &&
	       !strstr(path, "/node_modules/");
}

/* ---- npm lockfiles, read without a tree ----
 * jansson's tree of a 15.7 MB package-lock.json (60 000 packages) took
 * about 60 MB, and a lockfile may have 16 MiB (IMG_LOCK_MAX_FILE). The document
 * is checked once as jansson takes one (json_loadb, no flags: an object
 * or array at the top and nothing after it, UTF-8 without surrogates or
 * overlong forms, no \u0000 and no lone surrogate escape, integers that
 * fit in 64 bits and reals that do not overflow, 2048 values deep), then
 * walked in place: an object's members are listed with the last of two
 * equal keys winning at the first one's place (json_object_set), and only
 * keys and versions are decoded. fuzz/fuzz_lock.c holds the two to the
 * same packages. */
enum { JSON_DEPTH = 2048 };

static const char *jws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hex4(const char *p)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void put_utf8(struct buf *b, long cp)
{
	char u[4];

	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f)), u[2] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f));
		buf_add(b, u, 4);
	}
}

/* The string at p (its '"'): where it ends (after the closing quote), or
 * NULL if jansson would refuse it; decoded into out unless out is NULL. */
static const char *jstring(const char *p, const char *end, struct buf *out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";

	if (out)
		buf_clear(out);
	for (p++; p < end;) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20) {
			return NULL;
		} else if (c == '\\') {
			const char *m = end - p >= 2 && p[1] ? strchr(from, p[1]) : NULL;
			long cp;
			int h, l;
			if (m) {
				if (out)
					buf_addc(out, to[m - from]);
				p += 2;
				continue;
			}
			if (end - p < 6 || p[1] != 'u' || (h = hex4(p + 2)) <= 0 || (h >= 0xdc00 && h <= 0xdfff))
				return NULL; /* not an escape, \u0000, or a low surrogate alone */
			cp = h;
			p += 6;
			if (h >= 0xd800 && h <= 0xdbff) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || (l = hex4(p + 2)) < 0xdc00 || l > 0xdfff)
					return NULL;
				cp = 0x10000 + ((long)(h - 0xd800) << 10) + (l - 0xdc00);
				p += 6;
			}
			if (out)
				put_utf8(out, cp);
		} else if (c < 0x80) {
			if (out)
				buf_addc(out, (char)c);
			p++;
		} else {
			uint32_t cp;
			size_t k = utf8_decode(p, (size_t)(end - p), &cp); /* strict, as jansson's */
			if (!k)
				return NULL;
			if (out)
				buf_add(out, p, k);
			p += k;
		}
	}
	return NULL;
}

static bool digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

/* A number as jansson reads one: an integer in 64 bits, a real that is finite. */
static const char *jnumber(const char *p, const char *end)
{
	const char *q = p, *d;
	bool real = false;
	char tmp[32];

	if (q < end && *q == '-')
		q++;
	if (!digit(q, end))
		return NULL;
	if (*q == '0')
		q++;
	else
		while (digit(q, end))
			q++;
	if (q < end && *q == '.') {
		real = true;
		if (!digit(++q, end))
			return NULL;
		while (digit(q, end))
			q++;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		real = true;
		q++;
		if (q < end && (*q == '+' || *q == '-'))
			q++;
		if (!digit(q, end))
			return NULL;
		while (digit(q, end))
			q++;
	}
	if (!real) { /* |value| up to 9223372036854775807, or ...808 negative */
		d = *p == '-' ? p + 1 : p;
		if (q - d > 19 || (q - d == 19 && memcmp(d, *p == '-' ? "9223372036854775808" : "9223372036854775807", 19) > 0))
			return NULL;
		return q;
	}
	{
		struct buf b = BUF_INIT;
		const char *s = tmp;
		double v;
		if ((size_t)(q - p) < sizeof(tmp)) {
			memcpy(tmp, p, (size_t)(q - p));
			tmp[q - p] = 0;
		} else {
			buf_add(&b, p, (size_t)(q - p));
			if (!buf_ok(&b))
				return NULL;
			s = b.p;
		}
		errno = 0;
		v = strtod(s, NULL);
		buf_release(&b);
		return (v == HUGE_VAL || v == -HUGE_VAL) && errno == ERANGE ? NULL : q;
	}
}

/* Where the containers of JSON_MEMO_MIN bytes or more end, by where they
 * start (open addressing, at most JSON_MEMO entries): v1's nesting lists
 * each object's members before it reads them, which walks every level
 * again for each level above it; with the large ones found here, a walk
 * past one is a lookup (a chain of 1000 levels around 8 MB took 12.5 s). */
enum { JSON_MEMO = 1 << 16, JSON_MEMO_MIN = 4096 };

struct jmemo {
	const char **at, **to;     /* JSON_MEMO * 2 slots each, or NULL: no memo */
	size_t n;
	unsigned long long walked; /* values visited and string bytes read, lookups not */
};

static size_t memo_slot(const char *p)
{
	return (size_t)(((uintptr_t)p * 0x9e3779b97f4a7c15ull) >> 40) & (2 * JSON_MEMO - 1);
}

static const char *memo_get(const struct jmemo *m, const char *p)
{
	if (!m || !m->at)
		return NULL;
	for (size_t i = memo_slot(p);; i = (i + 1) & (2 * JSON_MEMO - 1)) {
		if (!m->at[i])
			return NULL;
		if (m->at[i] == p)
			return m->to[i];
	}
}

static void memo_put(struct jmemo *m, const char *p, const char *e)
{
	size_t i;

	if (!m || !m->at || m->n >= JSON_MEMO || e - p < JSON_MEMO_MIN)
		return;
	for (i = memo_slot(p); m->at[i]; i = (i + 1) & (2 * JSON_MEMO - 1))
		if (m->at[i] == p)
			return;
	m->at[i] = p;
	m->to[i] = e;
	m->n++;
}

/* The end of the value at p (at depth, the top's 1), or NULL. */
static const char *jskip_memo(const char *p, const char *end, int depth, struct jmemo *m)
{
	const char *start = p, *known;
	char close;

	if (depth > JSON_DEPTH || p >= end)
		return NULL;
	if ((*p == '{' || *p == '[') && (known = memo_get(m, p)))
		return known;
	m->walked++;
	switch (*p) {
	case '"':
		if ((known = jstring(p, end, NULL)))
			m->walked += (unsigned long long)(known - p);
		return known;
	case 't': return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
	case 'f': return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
	case 'n': return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
	case '{':
	case '[': break;
	default: return jnumber(p, end);
	}
	close = *p == '{' ? '}' : ']';
	p = jws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p >= end || *p != '"' || !(p = jstring(p, end, NULL)))
				return NULL;
			p = jws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = jws(p + 1, end);
		}
		if (!(p = jskip_memo(p, end, depth + 1, m)))
			return NULL;
		p = jws(p, end);
		if (p < end && *p == ',') {
			p = jws(p + 1, end);
			continue;
		}
		if (p >= end || *p != close)
			return NULL;
		memo_put(m, start, p + 1);
		return p + 1;
	}
}



/* An object's members, checked already (jskip): key decoded, value's start. */
struct jmember {
	const char *key, *val;
	size_t klen, at;
};

static int key_cmp(const struct jmember *a, const struct jmember *b)
{
	int c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);

	return c ? c : a->klen < b->klen ? -1 : a->klen > b->klen;
}

static int by_key_at(const void *x, const void *y)
{
	const struct jmember *a = x, *b = y;
	int c = key_cmp(a, b);

	return c ? c : a->at < b->at ? -1 : a->at > b->at;
}

static int by_at(const void *x, const void *y)
{
	const struct jmember *a = x, *b = y;

	return a->at < b->at ? -1 : a->at > b->at;
}

/* The members of the object at p as jansson keeps them: one per key, the
 * last one's value at the first one's place. *v is ds_malloc'd. */
static int jmembers(struct arena *scratch, struct jmemo *memo, const char *p, const char *end, struct jmember **v,
		    size_t *n)
{
	struct buf k = BUF_INIT;
	size_t cap = 0, i, j, keep;

	*v = NULL;
	*n = 0;
	for (p = jws(p + 1, end); p < end && *p == '"';) {
		const char *e = jstring(p, end, &k);
		if (*n == cap && ds_grow((void **)v, &cap, *n + 1, sizeof(**v)))
			goto oom;
		(*v)[*n].klen = k.n;
		if (!buf_ok(&k) || !((*v)[*n].key = arena_strndup(scratch, k.p ? k.p : "", k.n)))
			goto oom;
		p = jws(jws(e, end) + 1, end); /* past the ':' */
		(*v)[*n].val = p;
		(*v)[*n].at = *n;
		(*n)++;
		p = jws(jskip_memo(p, end, 1, memo), end); /* (any depth: checked) */
		if (*p == ',')
			p = jws(p + 1, end);
	}
	buf_release(&k);
	if (*n < 2)
		return 0;
	qsort(*v, *n, sizeof(**v), by_key_at);
	for (i = keep = 0; i < *n; i = j) {
		for (j = i + 1; j < *n && !key_cmp(&(*v)[i], &(*v)[j]); j++)
			;
		(*v)[keep] = (*v)[i];
		(*v)[keep++].val = (*v)[j - 1].val;
	}
	*n = keep;
	qsort(*v, *n, sizeof(**v), by_at);
	return 0;
oom:
	buf_release(&k);
	ds_free(*v);
	*v = NULL;
	return DS_ENOMEM;
}

/* v1's nesting is walked once per level (each object's members are listed
 * before its entries are read), the large containers by a lookup (jmemo);
 * walking past LOCK_WORK times the file's size (more large containers than
 * the memo holds) is a document built to make that quadratic, read as one
 * that does not parse. */
#define LOCK_WORK 64

struct lockctx {
	struct arena *a, scratch;
	const char *path, *end;
	struct img_pkg **out;
	size_t *nout, *cap;
	struct ds_err *err;
	struct buf version;
	unsigned long long max_work;
	struct jmemo memo;
};

/* An entry ({"version", "dev", "link", "dependencies"}) under name: added
 * unless only for development, a link or not a registry version; *deps is
 * its "dependencies" value, or NULL. */
static int lock_entry(struct lockctx *c, const char *name, const char *p, const char **deps)
{
	struct buf k = BUF_INIT;
	const char *vp = NULL;
	bool dev = false, link = false;
	struct img_pkg pk = {0};

	*deps = NULL;
	if (*p != '{')
		return 0;
	for (p = jws(p + 1, c->end); *p == '"';) {
		const char *e = jstring(p, c->end, &k), *val = jws(jws(e, c->end) + 1, c->end);
		const char *key = buf_ok(&k) ? buf_str(&k) : "";
		size_t kn = k.n;
		if (kn == 7 && !memcmp(key, "version", 7))
			vp = *val == '"' ? val : NULL;
		else if (kn == 3 && !memcmp(key, "dev", 3))
			dev = *val == 't';
		else if (kn == 4 && !memcmp(key, "link", 4))
			link = *val == 't';
		else if (kn == 12 && !memcmp(key, "dependencies", 12))
			*deps = *val == '{' ? val : NULL;
		p = jws(jskip_memo(val, c->end, 1, &c->memo), c->end);
		if (*p == ',')
			p = jws(p + 1, c->end);
	}
	if (!buf_ok(&k)) {
		buf_release(&k);
		return ds_oom(c->err);
	}
	buf_release(&k);
	if (!vp || !*name || dev || link)
		return 0;
	jstring(vp, c->end, &c->version);
	if (!buf_ok(&c->version))
		return ds_oom(c->err);
	{
		const char *v = buf_str(&c->version);
		if (!*v || strlen(v) != c->version.n || !img_lang_printable(name) || !img_lang_printable(v) ||
		    strlen(name) > 214 || strlen(v) > 128 || strchr(v, ':')) /* "file:...", "git+https:..." - not a registry version */
			return 0;
		if (!img_pkg_slot(c->a, c->out, *c->nout, c->cap, c->path, c->err))
			return c->err->code;
		pk.type = "npm";
		pk.path = c->path;
		if (!(pk.name = arena_strdup(c->a, name)) || !(pk.version = arena_strdup(c->a, v)))
			return ds_oom(c->err);
		(*c->out)[(*c->nout)++] = pk;
	}
	return 0;
}

/* v1: {"name": {"version": ..., "dependencies": {...}}}, nested */
static int lock_v1(struct lockctx *c, const char *p)
{
	struct jmember *m;
	size_t n, i;
	int rc;

	if (jmembers(&c->scratch, &c->memo, p, c->end, &m, &n))
		return ds_oom(c->err);
	for (i = 0, rc = 0; i < n && !rc; i++) {
		const char *deps;
		if (c->memo.walked > c->max_work)
			rc = -1;
		else if (!(rc = lock_entry(c, m[i].key, m[i].val, &deps)) && deps)
			rc = lock_v1(c, deps);
	}
	ds_free(m);
	return rc;
}

int img_lang_lock(struct arena *a, const char *path, const char *data, size_t n,
		  struct img_pkg **out, size_t *nout, size_t *cap, struct ds_err *err)
{
	struct lockctx c = {a, {0}, path, data + n, out, nout, cap, err, BUF_INIT, LOCK_WORK * (unsigned long long)n, {0}};
	const char *p = jws(data, data + n), *q, *pk = NULL, *deps = NULL;
	struct jmember *m = NULL;
	size_t nm = 0, i, before = *nout;
	int rc = 0;

	if (p >= c.end || *p != '{')
		return 0;
	if (n >= 2 * JSON_MEMO_MIN && (!(c.memo.at = ds_calloc(4 * JSON_MEMO, sizeof(*c.memo.at)))))
		return ds_oom(err);
	c.memo.to = c.memo.at ? c.memo.at + 2 * JSON_MEMO : NULL;
	if (!(q = jskip_memo(p, c.end, 1, &c.memo)) || jws(q, c.end) != c.end) {
		ds_free(c.memo.at);
		return 0; /* not a document jansson reads: nothing */
	}
	arena_init(&c.scratch, 0);
	if (jmembers(&c.scratch, &c.memo, p, c.end, &m, &nm)) {
		rc = ds_oom(err);
		goto out;
	}
	for (i = 0; i < nm; i++)
		if (m[i].klen == 8 && !memcmp(m[i].key, "packages", 8))
			pk = m[i].val;
		else if (m[i].klen == 12 && !memcmp(m[i].key, "dependencies", 12))
			deps = m[i].val;
	ds_free(m);
	m = NULL;
	if (pk && *pk == '{') {
		if (jmembers(&c.scratch, &c.memo, pk, c.end, &m, &nm)) {
			rc = ds_oom(err);
			goto out;
		}
		for (i = 0; i < nm && !rc; i++) {
			/* "node_modules/a/node_modules/@s/b": the name follows the last node_modules/ */
			const char *key = m[i].key, *name = NULL, *s = key, *dummy;
			if (strlen(key) != m[i].klen)
				continue;
			while ((s = strstr(s, "node_modules/")))
				name = s++;
			if (!name || (name != key && name[-1] != '/'))
				continue; /* the root, or a workspace's folder */
			rc = lock_entry(&c, name + 13, m[i].val, &dummy);
		}
	} else if (deps && *deps == '{') {
		rc = lock_v1(&c, deps);
	}
	if (rc < 0) { /* past LOCK_WORK: nothing, as for a file that does not parse */
		*nout = before;
		rc = 0;
	}
out:
	ds_free(m);
	ds_free(c.memo.at);
	buf_release(&c.version);
	arena_release(&c.scratch);
	return rc;
}

static void enc(struct buf *b, const char *s, bool keep_slash)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(".-_~+", c) || (keep_slash && c == '/'))
			buf_addc(b, (char)c);
		else
			buf_addf(b, "%%%02X", c);
	}
}

const char *img_lang_purl(struct arena *a, const struct img_pkg *p)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_addf(&b, "pkg:%s/", p->type);
	if (!strcmp(p->type, "pypi")) { /* PEP 503: lower case, runs of -_. as one - */
		const char *s;
		bool dash = false;
		for (s = p->name; *s; s++) {
			if (strchr("-_.", *s)) {
				dash = true;
				continue;
			}
			if (dash)
				buf_addc(&b, '-');
			dash = false;
			if (isalnum((unsigned char)*s))
				buf_addc(&b, (char)tolower((unsigned char)*s));
			else
				buf_addf(&b, "%%%02X", (unsigned char)*s);
		}
	} else if (!strcmp(p->type, "maven") &&
		   strchr(p->name, ':')) { /* group:artifact -> group/artifact */
		const char *colon = strchr(p->name, ':');
		char *g = arena_strndup(a, p->name, (size_t)(colon - p->name));
		enc(&b, g ? g : "", false);
		buf_addc(&b, '/');
		enc(&b, colon + 1, false);
	} else if (!strcmp(p->type, "golang")) { /* the module path's slashes are the namespace */
		enc(&b, p->name, true);
	} else if (!strcmp(p->type, "npm") && p->name[0] == '@' && strchr(p->name, '/')) {
		buf_adds(&b, "%40");
		enc(&b, p->name + 1, true);
	} else {
		enc(&b, p->name, false);
	}
	buf_addc(&b, '@');
	enc(&b, p->version, false);
	out = buf_ok(&b) ? arena_strndup(a, b.p, b.n) : NULL;
	buf_release(&b);
	return out;
}
