/*
 * pkgdb.c - package databases (see pkgdb.h). The dpkg status file is read
 * as dpkg writes it: paragraphs separated by a blank line, "Field: value"
 * lines, continuation lines starting with a space (skipped: the fields
 * read here are single-line). One pass, then one sort.
 */
#include "pkgdb.h"

static int by_name(const void *x, const void *y)
{
	return strcmp(((const struct img_pkg *)x)->name, ((const struct img_pkg *)y)->name);
}

int img_dpkg_status(struct arena *a, const char *text, struct img_pkg **out, size_t *nout, struct ds_err *err)
{
	const char *p = text;
	struct img_pkg *v = NULL;
	size_t n = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	while (p && *p) {
		const char *end = strstr(p, "\n\n"), *q, *name = NULL, *ver = NULL;
		bool installed = false;

		end = end ? end + 1 : p + strlen(p);
		for (q = p; q && q < end; q = strchr(q, '\n'), q = q ? q + 1 : NULL) {
			if (!strncmp(q, "Package: ", 9))
				name = q + 9;
			else if (!strncmp(q, "Status: ", 8) && !strncmp(q + 8, "install ok installed\n", 21))
				installed = true;
			else if (!strncmp(q, "Version: ", 9))
				ver = q + 9;
		}
		if (name && ver && installed) {
			const char *nm, *vs;
			if (n == IMG_MAX_PKGS)
				return ds_err_set(err, DS_ELIMIT, "var/lib/dpkg/status", 0, 0, "more than %d packages",
						  IMG_MAX_PKGS);
			if (arena_grow(a, (void **)&v, &cap, n + 1, sizeof(*v)) ||
			    !(nm = arena_strndup(a, name, strcspn(name, "\n"))) ||
			    !(vs = arena_strndup(a, ver, strcspn(ver, "\n"))))
				return ds_oom(err); /* never an entry with a NULL name to sort */
			v[n].name = nm;
			v[n++].version = vs;
		}
		p = *end ? end + 1 : end;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*nout = n;
	return 0;
}

const struct img_pkg *img_pkg_find(const struct img_pkg *v, size_t n, const char *name)
{
	struct img_pkg key = {name, NULL};

	return n ? bsearch(&key, v, n, sizeof(*v), by_name) : NULL;
}
