/*
 * gobin.c - Go build information (see gobin.h). The blob: a 32-byte
 * header (magic, pointer size, flags), then, when flags has bit 2 (the
 * inline format of Go 1.18+), two varint-prefixed strings: the Go
 * version, and the module information framed by 16 bytes on each side,
 * lines of "path\t...", "mod\tPATH\tVERSION\tSUM", "dep\tPATH\tVERSION\tSUM",
 * "=>\tPATH\tVERSION\tSUM" (replacing the line before). Older binaries
 * keep pointers into the data segment instead; they are left out.
 */
#include "gobin.h"

static bool uvarint(const unsigned char **p, const unsigned char *end, size_t *out)
{
	size_t x = 0;
	unsigned s = 0;

	while (*p < end && s < 64) {
		unsigned char b = *(*p)++;
		x |= (size_t)(b & 0x7f) << s;
		if (b < 0x80) {
			*out = x;
			return true;
		}
		s += 7;
	}
	return false;
}

static int add(struct arena *a, struct img_pkg **out, size_t *nout, size_t *cap, const char *path, const char *name,
	       size_t nn, const char *ver, size_t nv)
{
	struct img_pkg *p;

	if (!nn || !nv || nn > 512 || nv > 128)
		return 0;
	for (size_t i = 0; i < nn; i++)
		if ((unsigned char)name[i] <= 0x20 || name[i] == 0x7f)
			return 0;
	if (*nout >= IMG_MAX_PKGS)
		return 0;
	if (arena_grow_big(a, (void **)out, cap, *nout + 1, sizeof(**out)))
		return DS_ENOMEM;
	p = &(*out)[*nout];
	memset(p, 0, sizeof(*p));
	p->type = "golang";
	p->path = path;
	if (!(p->name = arena_strndup(a, name, nn)) || !(p->version = arena_strndup(a, ver, nv)))
		return DS_ENOMEM;
	(*nout)++;
	return 0;
}

int img_go_buildinfo(struct arena *a, const char *blob, size_t n, const char *path, struct img_pkg **out, size_t *nout,
		     size_t *cap)
{
	const unsigned char *p = (const unsigned char *)blob, *end = p + n, *mod;
	size_t vl, ml, last = (size_t)-1;
	int rc;

	if (n < 34 || memcmp(blob, IMG_GO_MAGIC, IMG_GO_MAGIC_LEN) || !(p[15] & 2))
		return 1;
	p += 32;
	if (!uvarint(&p, end, &vl) || vl > (size_t)(end - p))
		return 1;
	if (vl > 2 && !memcmp(p, "go", 2) && (rc = add(a, out, nout, cap, path, "stdlib", 6, (const char *)p + 2, vl - 2)))
		return rc; /* "go1.21.3": stdlib at 1.21.3 */
	p += vl;
	if (!uvarint(&p, end, &ml) || ml > (size_t)(end - p))
		return 0;
	if (ml <= 32)
		return 0;
	mod = p + 16; /* the 16-byte frames */
	end = p + ml - 16;
	while (mod < end) {
		const unsigned char *nl = memchr(mod, '\n', (size_t)(end - mod)), *le = nl ? nl : end, *f[4];
		int k = 0;
		f[k++] = mod;
		for (const unsigned char *q = mod; q < le && k < 4; q++)
			if (*q == '\t')
				f[k++] = q + 1;
		if (k >= 3 && (!memcmp(mod, "mod\t", 4) || !memcmp(mod, "dep\t", 4) || !memcmp(mod, "=>\t", 3))) {
			const char *name = (const char *)f[1], *ver = (const char *)f[2];
			size_t nn = (size_t)(f[2] - f[1] - 1), nv = (size_t)((k > 3 ? f[3] - 1 : le) - f[2]);
			if (mod[0] == '=' && last != (size_t)-1 && last + 1 == *nout) { /* the replacement wins */
				(*nout)--;
			}
			last = *nout;
			if ((rc = add(a, out, nout, cap, path, name, nn, ver, nv)))
				return rc;
		}
		mod = nl ? nl + 1 : end;
	}
	return 0;
}
