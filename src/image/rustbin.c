/*
 * rustbin.c - cargo-auditable's .dep-v0 section (see rustbin.h).
 */
#include "rustbin.h"
#include "langpkg.h"
#include <jansson.h>
#include <zlib.h>

struct elf {
	const unsigned char *h, *t;
	size_t nh, nt;
	unsigned long long size;
	bool be, is64;
};

/* n bytes at file offset off, from the head or the tail kept; NULL if neither has them all. */
static const unsigned char *at(const struct elf *e, unsigned long long off, unsigned long long n)
{
	unsigned long long tstart = e->size - e->nt;

	if (off > e->size || n > e->size - off)
		return NULL;
	if (off >= tstart)
		return e->t + (off - tstart);
	if (off + n <= e->nh)
		return e->h + off;
	return NULL;
}

static unsigned long long num(const struct elf *e, const unsigned char *p, int bytes)
{
	unsigned long long v = 0;
	int i;

	for (i = 0; i < bytes; i++)
		v |= (unsigned long long)p[e->be ? bytes - 1 - i : i] << (8 * i);
	return v;
}

/* The section named name: its offset and size in the file. */
static bool section(const struct elf *e, const char *name, unsigned long long *off,
		    unsigned long long *sz)
{
	unsigned long long shoff = num(e, e->h + (e->is64 ? 0x28 : 0x20), e->is64 ? 8 : 4);
	unsigned entsz = (unsigned)num(e, e->h + (e->is64 ? 0x3a : 0x2e), 2),
		 shnum = (unsigned)num(e, e->h + (e->is64 ? 0x3c : 0x30), 2),
		 strndx = (unsigned)num(e, e->h + (e->is64 ? 0x3e : 0x32), 2),
		 need = e->is64 ? 64 : 40, i;
	const unsigned char *sh, *str;
	unsigned long long stroff, strsz;
	size_t nl = strlen(name);

	if (!shnum || entsz < need || strndx >= shnum ||
	    !(sh = at(e, shoff, (unsigned long long)entsz * shnum)))
		return false;
	str = sh + (size_t)strndx * entsz;
	stroff = num(e, str + (e->is64 ? 24 : 16), e->is64 ? 8 : 4);
	strsz = num(e, str + (e->is64 ? 32 : 20), e->is64 ? 8 : 4);
	if (!(str = at(e, stroff, strsz)))
		return false;
	for (i = 0; i < shnum; i++) {
		const unsigned char *s = sh + (size_t)i * entsz;
		unsigned long long nm = num(e, s, 4);
		if (nm >= strsz || strsz - nm < nl + 1 || memcmp(str + nm, name, nl + 1))
			continue;
		*off = num(e, s + (e->is64 ? 24 : 16), e->is64 ? 8 : 4);
		*sz = num(e, s + (e->is64 ? 32 : 20), e->is64 ? 8 : 4);
		return true;
	}
	return false;
}

unsigned long long img_elf_load_end(const unsigned char *h, size_t nh)
{
	struct elf e = {h, NULL, nh, 0, 0, false, false};
	unsigned long long phoff, shoff, end = 0;
	unsigned entsz, phnum, i;

	if (nh < IMG_ELF_HEAD || memcmp(h, "\x7f" "ELF", 4) || (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return 0;
	e.is64 = h[4] == 2;
	e.be = h[5] == 2;
	phoff = num(&e, h + (e.is64 ? 0x20 : 0x1c), e.is64 ? 8 : 4);
	entsz = (unsigned)num(&e, h + (e.is64 ? 0x36 : 0x2a), 2);
	phnum = (unsigned)num(&e, h + (e.is64 ? 0x38 : 0x2c), 2);
	if (!phnum || phnum == 0xffff || entsz < (e.is64 ? 56u : 32u) || phoff > nh ||
	    (unsigned long long)entsz * phnum > nh - phoff)
		return 0;
	shoff = num(&e, h + (e.is64 ? 0x28 : 0x20), e.is64 ? 8 : 4);
	for (i = 0; i < phnum; i++) {
		const unsigned char *ph = h + phoff + (size_t)i * entsz;
		unsigned long long off, sz;
		if (num(&e, ph, 4) != 1) /* PT_LOAD */
			continue;
		off = num(&e, ph + (e.is64 ? 8 : 4), e.is64 ? 8 : 4);
		sz = num(&e, ph + (e.is64 ? 0x20 : 0x10), e.is64 ? 8 : 4);
		if (off > ~0ull - sz)
			return 0;
		if (off + sz > end)
			end = off + sz;
	}
	return shoff && shoff < end ? shoff : end; /* section headers placed earlier (an odd linker): from there */
}

int img_rust_audit(struct arena *a, const unsigned char *h, size_t nh, const unsigned char *t,
		   size_t nt, unsigned long long size, const char *path, struct img_pkg **out,
		   size_t *nout, size_t *cap)
{
	struct elf e = {h, t, nh, nt, size, false, false};
	unsigned long long off, sz;
	const unsigned char *z;
	unsigned char *json;
	z_stream zs;
	json_t *j, *pk, *x;
	size_t i, got;
	int zr, rc = 1;

	if (nh < IMG_ELF_HEAD || nt > size ||
	    memcmp(h,
		   "\x7f"
		   "ELF",
		   4) ||
	    (h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2))
		return 1;
	e.is64 = h[4] == 2;
	e.be = h[5] == 2;
	if (!section(&e, ".dep-v0", &off, &sz) || !sz || sz > IMG_RUST_JSON_MAX ||
	    !(z = at(&e, off, sz)))
		return 1;
	if (!(json = ds_malloc(IMG_RUST_JSON_MAX)))
		return DS_ENOMEM;
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		ds_free(json);
		return DS_ENOMEM;
	}
	zs.next_in = (unsigned char *)z;
	zs.avail_in = (unsigned)sz;
	zs.next_out = json;
	zs.avail_out = IMG_RUST_JSON_MAX;
	zr = inflate(&zs, Z_FINISH); /* more than the bound: not a list this reader takes */
	got = IMG_RUST_JSON_MAX - zs.avail_out;
	inflateEnd(&zs);
	j = zr == Z_STREAM_END ? json_loadb((const char *)json, got, 0, NULL) : NULL;
	ds_free(json);
	pk = json_object_get(j, "packages");
	json_array_foreach(pk, i, x)
	{
		const char *n = json_string_value(json_object_get(x, "name")),
			   *v = json_string_value(json_object_get(x, "version")),
			   *kind = json_string_value(json_object_get(x, "kind"));
		struct img_pkg p = {0};
		if (!n || !v || !*n || !*v || strlen(n) > 128 || strlen(v) > 128 ||
		    (kind && !strcmp(kind, "build")) || !img_lang_printable(n) ||
		    !img_lang_printable(v))
			continue; /* names and versions are shown: no control characters from the
				     binary */
		if (*nout >= IMG_MAX_PKGS)
			break;
		if (arena_grow_big(a, (void **)out, cap, *nout + 1, sizeof(**out))) {
			rc = DS_ENOMEM;
			break;
		}
		p.type = "cargo";
		p.path = path;
		if (!(p.name = arena_strdup(a, n)) || !(p.version = arena_strdup(a, v))) {
			rc = DS_ENOMEM;
			break;
		}
		(*out)[(*nout)++] = p;
		rc = 0;
	}
	json_decref(j);
	return rc;
}
