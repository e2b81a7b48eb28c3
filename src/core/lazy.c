/*
 * lazy.c - dlopen at first use (see lazy.h).
 */
#include "lazy.h"
#include <dlfcn.h>
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static int open_lib(struct lazy_lib *lib)
{
	void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
	size_t i;

	if (!h)
		return ds_err_set(&lib->err, DS_ENOTFOUND, NULL, 0, 0, "%s needs %s, which could not be loaded: %s",
				  lib->what, lib->soname, dlerror());
	for (i = 0; i < lib->nsyms; i++) {
		void *p = dlsym(h, lib->syms[i].name);
		if (!p)
			return ds_err_set(&lib->err, DS_ENOTFOUND, NULL, 0, 0, "%s needs %s from %s: %s", lib->what,
					  lib->syms[i].name, lib->soname, dlerror());
		*lib->syms[i].slot = p;
	}
	return lib->after ? lib->after(&lib->err) : 0; /* the handle stays open for the process */
}

int lazy_load(struct lazy_lib *lib, struct ds_err *err)
{
	int rc;

	pthread_mutex_lock(&mu);
	if (!lib->tried) {
		lib->rc = open_lib(lib);
		lib->tried = true;
	}
	rc = lib->rc;
	pthread_mutex_unlock(&mu);
	if (rc && err && !err->code)
		*err = lib->err;
	return rc;
}
