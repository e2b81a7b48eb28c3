/*
 * fuzz_rpmdb.c - libFuzzer target for rpm's Berkeley DB hash and NDB
 * package databases (rpmdb.c), as an image's /var/lib/rpm/Packages or
 * Packages.db gives them. The SQLite format is SQLite's own parser.
 */
#include "image/rpmdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct img_pkg *v = NULL;
	struct ds_err err;
	size_t n = 0, cap = 0;

	arena_init(&a, 1u << 24);
	memset(&err, 0, sizeof(err));
	if (size >= 4 && !memcmp(data, "RpmP", 4))
		img_rpm_ndb(&a, (const char *)data, size, "Packages.db", &v, &n, &cap, &err);
	else
		img_rpm_bdb(&a, (const char *)data, size, "Packages", &v, &n, &cap, &err);
	arena_release(&a);
	return 0;
}
