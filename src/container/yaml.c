/*
 * yaml.c - the YAML layer shared by the Compose and Kubernetes front-ends.
 *
 * Merge keys are resolved on lookup, not by rewriting the document: own
 * keys win over merged ones, and in `<<: [*a, *b]` the earlier mapping
 * wins, as the YAML merge-key spec says. Every lookup counts node visits
 * against CT_MAX_NODES, and merge chains are followed CT_MAX_DEPTH deep at
 * most, so a hostile file cannot make the walk exponential.
 *
 * Duplicate keys are an error (Compose and kubectl refuse them too; a
 * tool that silently takes the first or the last could judge a different
 * configuration from the one deployed). They are found in one pass over
 * the document's node array after loading, sorting keys of big mappings.
 */
#include "yaml.h"
#include <ctype.h>
#include <errno.h>
#include "check.h"

int yd_bad(struct yd *y, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ds_err_set(y->err, DS_EPARSE, y->path, n ? (int)n->start_mark.line + 1 : 0,
			  n ? (int)n->start_mark.column + 1 : 0, "%s", msg);
}

/* libyaml's scanner slows down quadratically with nesting depth (a
 * 100k-deep `[[[...` takes a minute), and no deployment file nests more
 * than a few dozen levels: one pass over the events refuses deep input
 * before the document is built, stopping as soon as the limit is passed. */
static int check_depth(const char *path, const char *data, size_t len, struct ds_err *err)
{
	yaml_parser_t p;
	yaml_event_t ev;
	int depth = 0, rc = 0;

	if (!yaml_parser_initialize(&p))
		return ds_oom(err);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev))
			break; /* the loader reports syntax errors with their position */
		if (ev.type == YAML_SEQUENCE_START_EVENT || ev.type == YAML_MAPPING_START_EVENT) {
			if (++depth > CT_MAX_YAML_DEPTH) {
				rc = ds_err_set(err, DS_ELIMIT, path, (int)ev.start_mark.line + 1,
						(int)ev.start_mark.column + 1, "YAML nested more than %d levels deep",
						CT_MAX_YAML_DEPTH);
				yaml_event_delete(&ev);
				break;
			}
		} else if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
			depth--;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

int yd_open(struct yd *y, struct arena *a, const char *path, const char *data, size_t len,
	    struct ds_err *err)
{
	int rc;

	memset(y, 0, sizeof(*y));
	y->a = a;
	y->path = path;
	y->err = err;
	y->data = data;
	y->len = len;
	if ((rc = check_depth(path, data, len, err)))
		return rc;
	if (!yaml_parser_initialize(&y->parser))
		return ds_oom(err);
	yaml_parser_set_input_string(&y->parser, (const unsigned char *)data, len);
	return 0;
}

void yd_close(struct yd *y)
{
	if (y->have_doc)
		yaml_document_delete(&y->doc);
	y->have_doc = false;
	yaml_parser_delete(&y->parser);
}

struct keyref {
	const char *s;
	size_t n;
	yaml_node_t *node;
};

static int keycmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->s, y->s, n);

	if (c)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	/* equal keys: the later one is reported */
	return x->node->start_mark.index < y->node->start_mark.index ? -1 : 1;
}

/* Duplicate scalar keys in any mapping of the document. */
static int check_duplicates(struct yd *y)
{
	yaml_node_t *n;
	struct keyref *keys = NULL;
	size_t cap = 0;
	int rc = 0;

	for (n = y->doc.nodes.start; n < y->doc.nodes.top && !rc; n++) {
		yaml_node_pair_t *p;
		size_t m = 0, i;

		if (n->type != YAML_MAPPING_NODE)
			continue;
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
			if (!k || k->type != YAML_SCALAR_NODE)
				continue;
			if (k->data.scalar.length == 2 && !memcmp(k->data.scalar.value, "<<", 2) &&
			    k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
				continue;
			if (ds_grow((void **)&keys, &cap, m + 1, sizeof(*keys))) {
				rc = ds_oom(y->err);
				break;
			}
			keys[m].s = (const char *)k->data.scalar.value;
			keys[m].n = k->data.scalar.length;
			keys[m++].node = k;
		}
		if (rc || m < 2)
			continue;
		qsort(keys, m, sizeof(*keys), keycmp);
		for (i = 1; i < m; i++)
			if (keys[i].n == keys[i - 1].n && !memcmp(keys[i].s, keys[i - 1].s, keys[i].n)) {
				rc = yd_bad(y, keys[i].node, "duplicate key '%.*s' (first at line %d)",
					    (int)(keys[i].n > 80 ? 80 : keys[i].n), keys[i].s,
					    (int)keys[i - 1].node->start_mark.line + 1);
				break;
			}
	}
	ds_free(keys);
	return rc;
}

int yd_next(struct yd *y)
{
	y->hashes = NULL; /* they were the previous document's */
	if (y->have_doc) {
		yaml_document_delete(&y->doc);
		y->have_doc = false;
	}
	for (;;) {
		if (y->parser.stream_end_produced)
			return 0;
		if (!yaml_parser_load(&y->parser, &y->doc)) {
			if (y->parser.error == YAML_MEMORY_ERROR)
				return ds_oom(y->err);
			size_t at = y->parser.problem_mark.index;
			return ds_err_set(y->err, DS_EPARSE, y->path, (int)y->parser.problem_mark.line + 1,
					  (int)y->parser.problem_mark.column + 1, "invalid YAML: %s%s%s%s",
					  y->parser.problem ? y->parser.problem : "unknown problem",
					  y->parser.context ? " " : "", y->parser.context ? y->parser.context : "",
					  at < y->len && y->data[at] == '\t' ? " (a tab: YAML indents with spaces only)" : "");
		}
		y->have_doc = true;
		if (!yaml_document_get_root_node(&y->doc)) {
			/* an empty document, or the end of the stream */
			yaml_document_delete(&y->doc);
			y->have_doc = false;
			continue;
		}
		y->ndoc++;
		if ((size_t)(y->doc.nodes.top - y->doc.nodes.start) > CT_MAX_NODES)
			return ds_err_set(y->err, DS_ELIMIT, y->path, 0, 0, "more than %d YAML nodes", CT_MAX_NODES);
		return check_duplicates(y) ? -1 : 1;
	}
}

yaml_node_t *yd_root(struct yd *y)
{
	return y->have_doc ? yaml_document_get_root_node(&y->doc) : NULL;
}

bool yd_is_map(const yaml_node_t *n)
{
	return n && n->type == YAML_MAPPING_NODE;
}

bool yd_is_seq(const yaml_node_t *n)
{
	return n && n->type == YAML_SEQUENCE_NODE;
}

bool yd_is_scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE;
}

bool yd_is_null(const yaml_node_t *n)
{
	const char *s;
	size_t len;

	if (!n || n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	s = (const char *)n->data.scalar.value;
	len = n->data.scalar.length;
	return len == 0 || (len == 1 && s[0] == '~') || (len == 4 && !strncasecmp(s, "null", 4));
}

struct ct_src yd_src(const yaml_node_t *n)
{
	struct ct_src s = {0, 0, NULL, NULL};

	if (n) {
		s.line = (int)n->start_mark.line + 1;
		s.col = (int)n->start_mark.column + 1;
	}
	return s;
}

static bool key_is(yaml_node_t *k, const char *key, size_t kn)
{
	return k && k->type == YAML_SCALAR_NODE && k->data.scalar.length == kn &&
	       !memcmp(k->data.scalar.value, key, kn);
}

static bool is_merge(yaml_node_t *k)
{
	return key_is(k, "<<", 2) && k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

static bool budget(struct yd *y)
{
	if (++y->visits > CT_MAX_NODES) {
		if (!y->err->code)
			ds_err_set(y->err, DS_ELIMIT, y->path, 0, 0,
				   "more than %d YAML node visits (alias or merge-key expansion)", CT_MAX_NODES);
		return false;
	}
	return true;
}

static yaml_node_t *get_depth(struct yd *y, yaml_node_t *map, const char *key, size_t kn, int depth)
{
	yaml_node_pair_t *p;
	yaml_node_t *found = NULL;

	if (!yd_is_map(map))
		return NULL;
	if (depth > CT_MAX_DEPTH) { /* an error, not a key that silently is not there */
		yd_bad(y, map, "merge keys nested more than %d deep", CT_MAX_DEPTH);
		return NULL;
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		if (!budget(y))
			return NULL;
		if (key_is(k, key, kn) && !is_merge(k))
			return yaml_document_get_node(&y->doc, p->value);
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top && !found; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key), *v;
		if (!is_merge(k))
			continue;
		v = yaml_document_get_node(&y->doc, p->value);
		if (yd_is_map(v)) {
			found = get_depth(y, v, key, kn, depth + 1);
		} else if (yd_is_seq(v)) {
			yaml_node_item_t *it;
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top && !found; it++)
				found = get_depth(y, yaml_document_get_node(&y->doc, *it), key, kn, depth + 1);
		}
	}
	return found;
}

yaml_node_t *yd_get(struct yd *y, yaml_node_t *map, const char *key)
{
	return get_depth(y, map, key, strlen(key), 0);
}

struct pairs {
	struct yd_pair *v;
	size_t n, cap;
};

static bool have_key(const struct pairs *ps, yaml_node_t *k)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (ps->v[i].k->data.scalar.length == k->data.scalar.length &&
		    !memcmp(ps->v[i].k->data.scalar.value, k->data.scalar.value, k->data.scalar.length))
			return true;
	return false;
}

static int pairs_depth(struct yd *y, yaml_node_t *map, struct pairs *ps, int depth)
{
	yaml_node_pair_t *p;
	int rc;

	if (depth > CT_MAX_DEPTH)
		return yd_bad(y, map, "merge keys nested more than %d deep", CT_MAX_DEPTH);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key);
		if (!budget(y))
			return DS_ELIMIT;
		if (!k || is_merge(k))
			continue;
		if (k->type != YAML_SCALAR_NODE)
			return yd_bad(y, k, "expected a string key");
		if (depth > 0 && have_key(ps, k))
			continue;
		if (arena_grow(y->a, (void **)&ps->v, &ps->cap, ps->n + 1, sizeof(*ps->v)))
			return ds_oom(y->err);
		ps->v[ps->n].k = k;
		ps->v[ps->n].v = yaml_document_get_node(&y->doc, p->value);
		ps->v[ps->n].key = arena_strndup(y->a, (const char *)k->data.scalar.value, k->data.scalar.length);
		if (!ps->v[ps->n++].key)
			return ds_oom(y->err);
	}
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(&y->doc, p->key), *v;
		if (!is_merge(k))
			continue;
		v = yaml_document_get_node(&y->doc, p->value);
		if (yd_is_map(v)) {
			if ((rc = pairs_depth(y, v, ps, depth + 1)))
				return rc;
		} else if (yd_is_seq(v)) {
			yaml_node_item_t *it;
			for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
				yaml_node_t *m = yaml_document_get_node(&y->doc, *it);
				if (!yd_is_map(m))
					return yd_bad(y, m, "expected a mapping to merge with <<");
				if ((rc = pairs_depth(y, m, ps, depth + 1)))
					return rc;
			}
		} else {
			return yd_bad(y, v, "expected a mapping or a list of mappings to merge with <<");
		}
	}
	return 0;
}

int yd_pairs(struct yd *y, yaml_node_t *map, struct yd_pair **out, size_t *n)
{
	struct pairs ps = {0};
	int rc;

	*out = NULL;
	*n = 0;
	if (!yd_is_map(map))
		return yd_bad(y, map, "expected a mapping");
	rc = pairs_depth(y, map, &ps, 0);
	if (rc)
		return rc;
	*out = ps.v;
	*n = ps.n;
	return 0;
}

static uint64_t mix64(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

static uint64_t fnv(const void *p, size_t n, uint64_t h)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ull;
	return h;
}

/* A scalar by the value Go's yaml.v3 decodes it to (YAML 1.2's core
 * schema): a quoted one or a plain word is a string, and a plain null,
 * bool, integer or float is that value, whatever its spelling (~ and
 * null, True and true, 0x1F and 31, 1.0 and 1.00 are the same; 8080 and
 * "8080", 1 and 1.0 are not). */
static uint64_t scalar_hash(const yaml_node_t *n)
{
	static const char *const yes[] = {"true", "True", "TRUE"}, *const no[] = {"false", "False", "FALSE"};
	const char *v = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length, i;
	char buf[64], *end;

	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		if (yd_is_null(n))
			return fnv("n", 1, 0xcbf29ce484222325ull);
		for (i = 0; i < DS_ARRAY_SIZE(yes); i++) {
			if (strlen(yes[i]) == len && !memcmp(v, yes[i], len))
				return fnv("b1", 2, 0xcbf29ce484222325ull);
			if (strlen(no[i]) == len && !memcmp(v, no[i], len))
				return fnv("b0", 2, 0xcbf29ce484222325ull);
		}
		if (len && len < sizeof(buf) && !memchr(v, 0, len) && !isspace((unsigned char)v[0])) {
			const char *d = v + (v[0] == '-' || v[0] == '+');
			bool hex = !strncmp(d, "0x", 2), oct = !strncmp(d, "0o", 2);
			memcpy(buf, v, len);
			buf[len] = 0;
			if (strspn(d, "0123456789") == len - (size_t)(d - v) && d < v + len) {
				long long x;
				errno = 0;
				x = strtoll(buf, &end, 10);
				if (!errno && !*end)
					return fnv("i", 1, fnv(&x, sizeof(x), 0xcbf29ce484222325ull));
			} else if (d == v && (hex || oct) && len > 2) {
				unsigned long long x;
				errno = 0;
				x = strtoull(buf + 2, &end, hex ? 16 : 8);
				if (!errno && !*end && (hex ? strspn(buf + 2, "0123456789abcdefABCDEF") : strspn(buf + 2, "01234567")) == len - 2)
					return fnv("i", 1, fnv(&x, sizeof(x), 0xcbf29ce484222325ull));
			} else if (strspn(d, "0123456789.eE+-") == len - (size_t)(d - v) && strpbrk(d, "0123456789")) {
				double x;
				errno = 0;
				x = strtod(buf, &end);
				if (!*end)
					return fnv("f", 1, fnv(&x, sizeof(x), 0xcbf29ce484222325ull));
			}
		}
	}
	return fnv("s", 1, fnv(v, len, 0xcbf29ce484222325ull));
}

static int hash_depth(struct yd *y, yaml_node_t *n, uint64_t *out, int depth)
{
	size_t idx, i;
	uint64_t h;
	int rc;

	if (!n) {
		*out = 1;
		return 0;
	}
	idx = (size_t)(n - y->doc.nodes.start);
	if (y->hashes[idx]) {
		*out = y->hashes[idx];
		return 0;
	}
	if (depth > CT_MAX_YAML_DEPTH)
		return yd_bad(y, n, "collections nested more than %d deep", CT_MAX_YAML_DEPTH);
	if (!budget(y))
		return DS_ELIMIT;
	if (yd_is_scalar(n)) {
		h = mix64(scalar_hash(n));
	} else if (yd_is_seq(n)) {
		h = 0x5e9ull;
		for (i = 0; i < yd_len(n); i++) {
			uint64_t e;
			if ((rc = hash_depth(y, yd_item(y, n, i), &e, depth + 1)))
				return rc;
			h = mix64(h * 31 + e);
		}
	} else {
		struct yd_pair *ps;
		size_t np;
		h = 0x3a9ull;
		if ((rc = yd_pairs(y, n, &ps, &np)))
			return rc;
		for (i = 0; i < np; i++) { /* a sum: the order of the keys does not matter */
			uint64_t k, v;
			if ((rc = hash_depth(y, ps[i].k, &k, depth + 1)) || (rc = hash_depth(y, ps[i].v, &v, depth + 1)))
				return rc;
			h += mix64(k * 3 + v);
		}
		h = mix64(h);
	}
	y->hashes[idx] = *out = h ? h : 1;
	return 0;
}

int yd_hash(struct yd *y, yaml_node_t *n, uint64_t *out)
{
	if (!y->hashes) {
		size_t nn = (size_t)(y->doc.nodes.top - y->doc.nodes.start);
		if (!(y->hashes = arena_alloc(y->a, (nn ? nn : 1) * sizeof(*y->hashes))))
			return ds_oom(y->err);
		memset(y->hashes, 0, (nn ? nn : 1) * sizeof(*y->hashes));
	}
	return hash_depth(y, n, out, 0);
}

size_t yd_len(const yaml_node_t *seq)
{
	return yd_is_seq(seq) ? (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) : 0;
}

yaml_node_t *yd_item(struct yd *y, yaml_node_t *seq, size_t i)
{
	if (i >= yd_len(seq) || !budget(y))
		return NULL;
	return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

const char *yd_str(struct yd *y, yaml_node_t *n)
{
	const char *s;

	if (!yd_is_scalar(n))
		return NULL;
	s = arena_strndup(y->a, (const char *)n->data.scalar.value, n->data.scalar.length);
	if (!s)
		ds_oom(y->err);
	return s;
}

bool yd_bool(const yaml_node_t *n, bool *out)
{
	static const char *const t[] = {"true", "yes", "on", "y"};
	static const char *const f[] = {"false", "no", "off", "n"};
	size_t i;
	struct str s;

	if (!yd_is_scalar(n))
		return false;
	s = str_make((const char *)n->data.scalar.value, n->data.scalar.length);
	for (i = 0; i < DS_ARRAY_SIZE(t); i++) {
		if (str_ieq(s, t[i])) {
			*out = true;
			return true;
		}
		if (str_ieq(s, f[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}
