/*
 * lazy.h - libraries loaded at first use (dlopen), not at start-up.
 *
 * libcurl and libarchive bring 40 shared objects with them (TLS, HTTP/2,
 * SSH, LDAP, Kerberos, compressors): loading them costs every command
 * about 20 ms and several MB before main() runs, though only `audit`
 * talks to a daemon and only image reading unpacks archives. So docksec
 * links neither: the modules that need one fill a table of the few
 * functions they call from the library's SONAME (found at build time) the
 * first time they are used. Why not git's split into helper programs: one
 * binary stays easy to install and copy into a container, and the tables
 * are small (7 curl functions, 12 libarchive ones).
 */
#ifndef DS_LAZY_H
#define DS_LAZY_H

#include "ds.h"

struct lazy_sym {
	const char *name;
	void **slot; /* where the address goes */
};

/* A library to load once: its SONAME, the feature that needs it (for the
 * message), its symbols, and what to run once they are there. */
struct lazy_lib {
	const char *soname, *what;
	const struct lazy_sym *syms;
	size_t nsyms;
	int (*after)(struct ds_err *err); /* NULL, or e.g. curl_global_init */
	/* private: the result of the one attempt */
	int rc;
	struct ds_err err;
	bool tried;
};

/* Load lib the first time (from any thread: one attempt per process,
 * under a lock) and say how that went: 0, or DS_ENOTFOUND naming the
 * library and what the dynamic loader said, copied into err. */
int lazy_load(struct lazy_lib *lib, struct ds_err *err);

#endif
