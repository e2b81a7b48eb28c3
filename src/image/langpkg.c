/*
 * langpkg.c - language packages (see langpkg.h). Each ecosystem's own
 * record of an installed package is read, never a manifest of what a
 * project wants (requirements.txt, package.json at the app's root): the
 * inventory is what the image has.
 */
#include "langpkg.h"
#include "../core/buf.h"
#include <jansson.h>

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

bool img_lang_wanted(const char *path)
{
	return ends(path, ".dist-info/METADATA") || ends(path, ".egg-info/PKG-INFO") ||
	       ends(path, ".egg-info") || npm_root(path);
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
	} else if (img_lang_wanted(path)) {
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

static int lock_add(struct arena *a, const char *path, const char *name, json_t *e,
		    struct img_pkg **out, size_t *nout, size_t *cap, struct ds_err *err)
{
	const char *v = json_string_value(json_object_get(e, "version"));
	struct img_pkg p = {0};

	if (!name || !*name || !v || !*v || json_is_true(json_object_get(e, "dev")) ||
	    json_is_true(json_object_get(e, "link")) || !img_lang_printable(name) ||
	    !img_lang_printable(v) || strlen(name) > 214 || strlen(v) > 128 ||
	    strchr(v, ':')) /* "file:...", "git+https:..." - not a registry version */
		return 0;
	if (!img_pkg_slot(a, out, *nout, cap, path, err))
		return err->code;
	p.type = "npm";
	p.path = path;
	if (!(p.name = arena_strdup(a, name)) || !(p.version = arena_strdup(a, v)))
		return ds_oom(err);
	(*out)[(*nout)++] = p;
	return 0;
}

/* v1: {"name": {"version": ..., "dependencies": {...}}}, nested as deep as jansson parsed */
static int lock_v1(struct arena *a, const char *path, json_t *deps, struct img_pkg **out,
		   size_t *nout, size_t *cap, struct ds_err *err)
{
	const char *name;
	json_t *e;
	int rc;

	json_object_foreach(deps, name, e)
	{
		if ((rc = lock_add(a, path, name, e, out, nout, cap, err)))
			return rc;
		if (json_is_object(json_object_get(e, "dependencies")) &&
		    (rc =
			 lock_v1(a, path, json_object_get(e, "dependencies"), out, nout, cap, err)))
			return rc;
	}
	return 0;
}

int img_lang_lock(struct arena *a, const char *path, const char *data, size_t n,
		  struct img_pkg **out, size_t *nout, size_t *cap, struct ds_err *err)
{
	json_t *j = json_loadb(data, n, 0, NULL), *pk = json_object_get(j, "packages"), *e;
	const char *key;
	int rc = 0;

	if (json_is_object(pk)) {
		json_object_foreach(pk, key, e)
		{
			/* "node_modules/a/node_modules/@s/b": the name follows the last
			 * node_modules/ */
			const char *nm = NULL, *p = key;
			while ((p = strstr(p, "node_modules/")))
				nm = p++;
			if (!nm || (nm != key && nm[-1] != '/'))
				continue; /* the root, or a workspace's folder */
			if ((rc = lock_add(a, path, nm + 13, e, out, nout, cap, err)))
				break;
		}
	} else if (json_is_object(json_object_get(j, "dependencies"))) {
		rc = lock_v1(a, path, json_object_get(j, "dependencies"), out, nout, cap, err);
	}
	json_decref(j);
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
