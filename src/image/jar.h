/*
 * jar.h - Java archives (.jar, .war, .ear) in an image: each archive's
 * Maven coordinates from META-INF/maven/GROUP/ARTIFACT/pom.properties, or
 * its MANIFEST.MF (Implementation-Title/-Version, Bundle-SymbolicName/
 * -Version) when it has none, and the same for the archives nested in it
 * (Spring Boot's BOOT-INF/lib, WEB-INF/lib), as pkg:maven purls.
 */
#ifndef DS_IMG_JAR_H
#define DS_IMG_JAR_H

#include "pkgdb.h"
#include <sys/types.h>

#define IMG_JAR_MAX_DEPTH 3
#define IMG_JAR_MAX_NESTED (32u << 20)  /* one nested archive, read into memory */
#define IMG_JAR_MAX_META (64u << 10)    /* a pom.properties or MANIFEST.MF */

/* Is path a Java archive by name? */
bool img_jar_name(const char *path);
/* The archive's bytes: up to n into buf, 0 at its end, negative on an error. */
typedef ssize_t (*img_jar_read_fn)(void *ud, void *buf, size_t n);

/* Read the archive that rd delivers (e.g. a layer's tar entry); packages
 * (type "maven", path) appended to *out. *budget bounds the bytes nested
 * archives may take, for the whole run. libarchive must be loaded
 * (img_archive_load). 0, or DS_ENOMEM. A damaged archive gives what was
 * read before the damage. */
int img_jar_scan(img_jar_read_fn rd, void *ud, const char *path, struct arena *a, struct img_pkg **out, size_t *n,
		 size_t *cap, unsigned long long *budget);

#endif
