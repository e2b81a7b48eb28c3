/*
 * lazy.c - dlopen at first use (see lazy.h).
 */
#include "lazy.h"
#include <dlfcn.h>

int lazy_load(const char *soname, const struct lazy_sym *syms, size_t n, const char *what, struct ds_err *err)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h)
		return ds_err_set(err, DS_ENOTFOUND, NULL, 0, 0, "%s needs %s, which could not be loaded: %s", what, soname,
				  dlerror());
	for (i = 0; i < n; i++) {
		void *p = dlsym(h, syms[i].name);
		if (!p)
			return ds_err_set(err, DS_ENOTFOUND, NULL, 0, 0, "%s needs %s from %s: %s", what, syms[i].name, soname,
					  dlerror());
		*syms[i].slot = p;
	}
	return 0; /* the handle stays open for the life of the process */
}
