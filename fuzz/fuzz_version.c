/*
 * fuzz_version.c - libFuzzer target for every version ordering
 * (image/version/): the input is two versions separated by a newline,
 * each compared with the other both ways in every scheme; an ordering
 * that is not antisymmetric aborts.
 */
#include "image/version/version.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sign(int c)
{
	return c < 0 ? -1 : c > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const cmp[])(const char *, const char *) = {ver_dpkg_cmp, ver_rpm_cmp, ver_upstream_cmp,
								  ver_semver_cmp, ver_pep440_cmp, ver_apk_cmp, ver_gem_cmp, ver_maven_cmp};
	char *a = malloc(size + 1), *b;
	size_t i;

	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = 0;
	b = strchr(a, '\n');
	if (b)
		*b++ = 0;
	else
		b = a + size;
	for (i = 0; i < sizeof(cmp) / sizeof(cmp[0]); i++) {
		int x = sign(cmp[i](a, b)), y = sign(cmp[i](b, a));
		if (x != -y)
			abort();
		(void)cmp[i](a, a);
	}
	ver_dpkg_valid(a);
	free(a);
	return 0;
}
