/*
 * jar.c - Java archives (see jar.h). A zip is read with libarchive's
 * streamable zip reader, pulling from the layer's tar entry (so a 200 MB
 * Spring Boot jar is never held; what it skips is inflated only as its
 * compressed bytes arrive, each read under the run's deadline); nested
 * archives are read into memory one at a time, bounded in size, count
 * (the run's budget) and depth, and read through their central directory.
 */
#include "jar.h"
#include "archive_api.h"

struct pull {
	img_jar_read_fn rd;
	void *ud;
	char buf[65536];
};

static la_ssize_t pull_cb(struct archive *a, void *ud, const void **out)
{
	struct pull *p = ud;
	la_ssize_t r = p->rd(p->ud, p->buf, sizeof(p->buf));

	(void)a;
	*out = p->buf;
	return r < 0 ? -1 : r;
}

static bool ends(const char *s, const char *suf)
{
	size_t n = strlen(s), k = strlen(suf);
	return n >= k && !strcasecmp(s + n - k, suf);
}

bool img_jar_name(const char *path)
{
	return ends(path, ".jar") || ends(path, ".war") || ends(path, ".ear");
}

/* "key=value" / "Key: value" of a properties or manifest text */
static const char *prop(struct arena *a, const char *t, size_t n, const char *key, char sep)
{
	size_t k = strlen(key);
	const char *p = t, *end = t + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *le = nl ? nl : end;
		if ((size_t)(le - p) > k && !strncmp(p, key, k) && p[k] == sep) {
			const char *v = p + k + 1;
			while (v < le && *v == ' ')
				v++;
			while (le > v && (le[-1] == '\r' || le[-1] == ' '))
				le--;
			return le > v && le - v < 256 ? arena_strndup(a, v, (size_t)(le - v)) : NULL;
		}
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

static bool clean(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == ':')
			return false;
	return s != NULL;
}

static int add(struct arena *a, struct img_pkg **out, size_t *n, size_t *cap, const char *path, const char *group,
	       const char *artifact, const char *version)
{
	struct img_pkg *p;

	if (!clean(artifact) || !version || !*version || (group && !clean(group)) || *n >= IMG_MAX_PKGS)
		return 0;
	for (const char *v = version; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	if (arena_grow_big(a, (void **)out, cap, *n + 1, sizeof(**out)))
		return DS_ENOMEM;
	p = &(*out)[*n];
	memset(p, 0, sizeof(*p));
	p->type = "maven";
	p->path = path;
	p->version = version;
	p->name = group ? arena_printf(a, "%s:%s", group, artifact) : artifact;
	if (!p->name)
		return DS_ENOMEM;
	(*n)++;
	return 0;
}

static int scan_zip(struct archive *z, const char *path, struct arena *a, struct img_pkg **out, size_t *n, size_t *cap,
		    unsigned long long *budget, int depth);

static int nested(const char *data, size_t len, const char *path, struct arena *a, struct img_pkg **out, size_t *n,
		  size_t *cap, unsigned long long *budget, int depth)
{
	struct archive *z = img_ar.read_new();
	int rc = 0;

	if (!z)
		return DS_ENOMEM;
	/* in memory the central directory can be used: entries not read are
	 * skipped by offset, never inflated (a bomb inside costs nothing) */
	img_ar.read_support_format_zip_seekable(z);
	if (img_ar.read_open_memory(z, data, len) == ARCHIVE_OK)
		rc = scan_zip(z, path, a, out, n, cap, budget, depth);
	img_ar.read_free(z);
	return rc;
}

static int scan_zip(struct archive *z, const char *path, struct arena *a, struct img_pkg **out, size_t *n, size_t *cap,
		    unsigned long long *budget, int depth)
{
	struct archive_entry *e;
	char *meta = ds_malloc(IMG_JAR_MAX_META + 1);
	const char *title = NULL, *version = NULL, *vendor = NULL;
	bool pom = false;
	size_t entries = 0;
	int r, rc = 0;

	if (!meta)
		return DS_ENOMEM;
	while (!rc && ((r = img_ar.read_next_header(z, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) && entries++ < 200000) {
		const char *name = img_ar.entry_pathname(e);
		la_int64_t size = img_ar.entry_size(e);
		la_ssize_t got;
		size_t m = 0;
		if (!name)
			continue;
		if ((!strncmp(name, "META-INF/maven/", 15) && ends(name, "/pom.properties")) || !strcmp(name, "META-INF/MANIFEST.MF")) {
			while (m < IMG_JAR_MAX_META && (got = img_ar.read_data(z, meta + m, IMG_JAR_MAX_META - m)) > 0)
				m += (size_t)got;
			meta[m] = 0;
			if (name[9] == 'm') { /* pom.properties */
				pom = true;
				rc = add(a, out, n, cap, path, prop(a, meta, m, "groupId", '='), prop(a, meta, m, "artifactId", '='),
					 prop(a, meta, m, "version", '='));
			} else {
				title = prop(a, meta, m, "Implementation-Title", ':');
				version = prop(a, meta, m, "Implementation-Version", ':');
				vendor = prop(a, meta, m, "Implementation-Vendor-Id", ':');
				if (!title || !version) {
					title = prop(a, meta, m, "Bundle-SymbolicName", ':');
					version = prop(a, meta, m, "Bundle-Version", ':');
				}
			}
		} else if (depth < IMG_JAR_MAX_DEPTH && img_jar_name(name) && size > 0 && size <= IMG_JAR_MAX_NESTED &&
			   (unsigned long long)size <= *budget) {
			char *buf = ds_malloc((size_t)size);
			if (!buf) {
				rc = DS_ENOMEM;
				break;
			}
			while (m < (size_t)size && (got = img_ar.read_data(z, buf + m, (size_t)size - m)) > 0)
				m += (size_t)got;
			*budget -= (unsigned long long)size;
			rc = nested(buf, m, path, a, out, n, cap, budget, depth + 1);
			ds_free(buf);
		}
	}
	if (!rc && !pom && title && version) {
		const char *semi = strchr(title, ';'); /* "org.x.y;singleton:=true" */
		rc = add(a, out, n, cap, path, vendor, semi ? arena_strndup(a, title, (size_t)(semi - title)) : title, version);
	}
	ds_free(meta);
	return rc;
}

int img_jar_scan(img_jar_read_fn rd, void *ud, const char *path, struct arena *a, struct img_pkg **out, size_t *n,
		 size_t *cap, unsigned long long *budget)
{
	struct archive *z = img_ar.read_new();
	struct pull *p = ds_malloc(sizeof(*p));
	int rc = 0;

	if (!z || !p) {
		if (z)
			img_ar.read_free(z);
		ds_free(p);
		return DS_ENOMEM;
	}
	p->rd = rd;
	p->ud = ud;
	img_ar.read_support_format_zip_streamable(z);
	if (img_ar.read_open(z, p, NULL, pull_cb, NULL) == ARCHIVE_OK)
		rc = scan_zip(z, path, a, out, n, cap, budget, 0);
	img_ar.read_free(z);
	ds_free(p);
	return rc;
}
