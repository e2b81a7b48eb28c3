/*
 * fuzz_pkgdb.c - libFuzzer target for the package records the image
 * reader parses one file at a time: dpkg's status and distroless's
 * status.d files, apk's installed database, the Python, npm and Ruby
 * records (img_lang_parse), Go binaries' build info and Java archives.
 * The first byte picks the reader, the rest is the file. What every
 * reader must keep: each package it adds has a name and a version, and
 * never more packages than the file has records.
 */
#include "image/archive_api.h"
#include "image/gobin.h"
#include "image/jar.h"
#include "image/langpkg.h"
#include "image/pkgdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mem {
	const uint8_t *p;
	size_t n, chunk;
};

static ssize_t mem_read(void *ud, void *buf, size_t n)
{
	struct mem *m = ud;
	size_t k = n < m->n ? n : m->n;

	if (k > m->chunk)
		k = m->chunk;
	memcpy(buf, m->p, k);
	m->p += k;
	m->n -= k;
	return (ssize_t)k;
}

/* how many times s occurs in the NUL-terminated text (overlaps counted) */
static size_t count(const char *text, const char *s)
{
	size_t n = 0;

	for (const char *p = text; (p = strstr(p, s)); p++)
		n++;
	return n;
}

static void check(const struct img_pkg *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].name || !v[i].version)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const records[] = {
		"/usr/lib/python3/dist-packages/x-1.0.dist-info/METADATA",
		"/usr/lib/python3/dist-packages/x.egg-info/PKG-INFO",
		"/app/node_modules/x/package.json",
		"/usr/lib/ruby/gems/3.1.0/specifications/x-1.0.gemspec",
	};
	static bool loaded;
	struct arena a;
	struct img_pkg *v = NULL, one = {0};
	size_t n = 0, cap = 0;
	struct ds_err err = {0};
	char *text;
	unsigned pick;

	if (!size)
		return 0;
	pick = data[0];
	data++, size--;
	if (!(text = malloc(size + 1)))
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	arena_init(&a, 1u << 26);
	switch (pick % 6) {
	case 0: /* a status file: only "install ok installed" entries */
		if (!img_dpkg_parse(&a, text, "/var/lib/dpkg/status", &v, &n, &cap, &err)) {
			check(v, n);
			if (n > count(text, "Package: ") || n > count(text, "Status: install ok installed"))
				abort();
		}
		break;
	case 1: /* distroless: every entry is installed */
		if (!img_dpkg_parse(&a, text, "/var/lib/dpkg/status.d/x", &v, &n, &cap, &err)) {
			check(v, n);
			if (n > count(text, "Package: "))
				abort();
		}
		break;
	case 2:
		if (!img_apk_parse(&a, text, "/lib/apk/db/installed", &v, &n, &cap, &err)) {
			check(v, n);
			if (n > count(text, "P:"))
				abort();
		}
		break;
	case 3: { /* one record, the path by the next byte */
		const char *path = records[(pick / 6) % DS_ARRAY_SIZE(records)];
		if (img_lang_parse(&a, path, text, size, &one) == 0 &&
		    (!one.name || !one.version || !img_lang_printable(one.name) || !img_lang_printable(one.version)))
			abort();
		break;
	}
	case 4:
		if (img_go_buildinfo(&a, text, size, "/bin/x", &v, &n, &cap) == 0)
			check(v, n);
		break;
	case 5: { /* a jar, delivered in pieces of 1 to 64 KiB */
		unsigned long long budget = 64u << 20;
		struct mem m = {data, size, ((pick / 6) % 64 + 1) * 1024};
		if (!loaded && img_archive_load(&err))
			break;
		loaded = true;
		if (img_jar_scan(mem_read, &m, "/app/x.jar", &a, &v, &n, &cap, &budget) == 0)
			check(v, n);
		break;
	}
	}
	arena_release(&a); /* the lists are the arena's */
	free(text);
	return 0;
}
