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

/* dlopen soname once (thread-safe through the caller's pthread_once) and
 * resolve every symbol; 0, or DS_ENOTFOUND naming the library and what
 * the dynamic loader said. what names the feature for the message. */
int lazy_load(const char *soname, const struct lazy_sym *syms, size_t n, const char *what, struct ds_err *err);

#endif
