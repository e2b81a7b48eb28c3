/*
 * pkgdb.c - package databases (see pkgdb.h). Both formats are read as
 * their tools write them: dpkg's paragraphs separated by a blank line,
 * "Field: value" lines, continuation lines starting with a space
 * (skipped: the fields read here are single-line); apk's paragraphs of
 * "X:value" lines. One pass, then one sort.
 */
#include "pkgdb.h"

int img_pkg_cmp(const struct img_pkg *a, const struct img_pkg *b)
{
	int c = strcmp(a->name, b->name);
	return c ? c : strcmp(a->version ? a->version : "", b->version ? b->version : "");
}

static int by_name(const void *x, const void *y)
{
	return img_pkg_cmp(x, y);
}

struct img_pkg *img_pkg_slot(struct arena *a, struct img_pkg **out, size_t n, size_t *cap, const char *what,
			     struct ds_err *err)
{
	if (n >= IMG_MAX_PKGS)
		return ds_err_set(err, DS_ELIMIT, what, 0, 0, "more than %d packages", IMG_MAX_PKGS), NULL;
	if (arena_grow_big(a, (void **)out, cap, n + 1, sizeof(**out))) /* (no caller keeps a slot across calls) */
		return ds_oom(err), NULL;
	memset(&(*out)[n], 0, sizeof(**out));
	return &(*out)[n];
}

void img_pkg_sort(struct img_pkg *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), by_name);
}

/* value of a field that starts at q (after "Name: "), to the line's end */
static const char *field(struct arena *a, const char *q)
{
	size_t n = strcspn(q, "\n");

	while (n && (q[n - 1] == ' ' || q[n - 1] == '\r'))
		n--;
	return arena_strndup(a, q, n);
}

/* Where the paragraph at p ends: the first newline of its blank line, or
 * NULL. (A sanitizer's strstr measures all the rest of the text at every
 * call: 4 million blank lines took minutes.) */
static const char *para_end(const char *p)
{
	while ((p = strchr(p, '\n')) && p[1] != '\n')
		p++;
	return p;
}

int img_dpkg_parse(struct arena *a, const char *text, const char *what, struct img_pkg **out, size_t *nout, size_t *cap,
		   struct ds_err *err)
{
	const char *p = text;

	while (p && *p) {
		const char *end = para_end(p), *q, *name = NULL, *ver = NULL, *src = NULL, *arch = NULL;
		bool installed = false;

		end = end ? end + 1 : p + strlen(p);
		for (q = p; q && q < end; q = strchr(q, '\n'), q = q ? q + 1 : NULL) {
			if (!strncmp(q, "Package: ", 9))
				name = q + 9;
			else if (!strncmp(q, "Status: ", 8))
				installed = !strncmp(q + 8, "install ok installed", 20) && strchr("\r\n", q[28]);
			else if (!strncmp(q, "Version: ", 9))
				ver = q + 9;
			else if (!strncmp(q, "Source: ", 8))
				src = q + 8;
			else if (!strncmp(q, "Architecture: ", 14))
				arch = q + 14;
		}
		/* distroless's status.d entries carry no Status: they are installed */
		if (name && ver && (installed || !strstr(what, "/var/lib/dpkg/status") || strstr(what, "status.d/"))) {
			struct img_pkg *v = img_pkg_slot(a, out, *nout, cap, what, err);
			if (!v)
				return err->code;
			if (!(v->name = field(a, name)) || !(v->version = field(a, ver)) || (arch && !(v->arch = field(a, arch))))
				return ds_oom(err); /* never an entry with a NULL name to sort */
			if (src) { /* "Source: glibc (2.36-9)" */
				size_t n = strcspn(src, " \n");
				const char *open = src[n] == ' ' ? strchr(src + n, '(') : NULL;
				if (!(v->source = arena_strndup(a, src, n)))
					return ds_oom(err);
				if (open && open < src + strcspn(src, "\n")) {
					size_t m = strcspn(open + 1, ")\n");
					if (!(v->source_version = arena_strndup(a, open + 1, m)))
						return ds_oom(err);
				}
			}
			(*nout)++;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int img_dpkg_status(struct arena *a, const char *text, struct img_pkg **out, size_t *nout, struct ds_err *err)
{
	size_t cap = 0;
	int rc;

	*out = NULL;
	*nout = 0;
	if ((rc = img_dpkg_parse(a, text, "/var/lib/dpkg/status", out, nout, &cap, err)))
		return rc;
	img_pkg_sort(*out, *nout);
	return 0;
}

int img_apk_parse(struct arena *a, const char *text, const char *what, struct img_pkg **out, size_t *nout, size_t *cap,
		  struct ds_err *err)
{
	const char *p = text;

	while (p && *p) {
		const char *end = para_end(p), *q, *name = NULL, *ver = NULL, *origin = NULL, *arch = NULL;

		end = end ? end + 1 : p + strlen(p);
		for (q = p; q && q < end; q = strchr(q, '\n'), q = q ? q + 1 : NULL) {
			if (q[0] && q[1] == ':') {
				if (q[0] == 'P')
					name = q + 2;
				else if (q[0] == 'V')
					ver = q + 2;
				else if (q[0] == 'o')
					origin = q + 2;
				else if (q[0] == 'A')
					arch = q + 2;
			}
		}
		if (name && ver) {
			struct img_pkg *v = img_pkg_slot(a, out, *nout, cap, what, err);
			if (!v)
				return err->code;
			if (!(v->name = field(a, name)) || !(v->version = field(a, ver)) ||
			    (arch && !(v->arch = field(a, arch))) || (origin && !(v->source = field(a, origin))))
				return ds_oom(err);
			(*nout)++;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

const struct img_pkg *img_pkg_find(const struct img_pkg *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) { /* the first entry with this name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(v[lo].name, name) ? &v[lo] : NULL;
}
