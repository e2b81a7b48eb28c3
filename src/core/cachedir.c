/*
 * cachedir.c - the cache directory (see cachedir.h).
 */
#include "cachedir.h"
#include <sys/stat.h>

/* mkdir -p of path[0..end) */
static int mkdirs(char *path, size_t end)
{
	char keep = path[end];
	size_t i;
	int rc = 0;

	path[end] = 0;
	for (i = 1; i <= end && !rc; i++) {
		if (path[i] != '/' && path[i])
			continue;
		char c = path[i];
		path[i] = 0;
		if (mkdir(path, 0700) && errno != EEXIST)
			rc = -1;
		path[i] = c;
	}
	path[end] = keep;
	return rc;
}

int ds_cache_path(char *out, size_t n, const char *rel, enum ds_cache_create create)
{
	const char *x = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *slash;
	int k;

	if (x && x[0] == '/')
		k = snprintf(out, n, "%s/docksec/%s", x, rel);
	else if (home && home[0] == '/')
		k = snprintf(out, n, "%s/.cache/docksec/%s", home, rel);
	else
		return -1;
	if (k < 0 || (size_t)k >= n)
		return -1;
	if (create == DS_CACHE_DIR)
		return mkdirs(out, (size_t)k);
	if (create == DS_CACHE_PARENT && (slash = strrchr(out, '/')) && slash > out)
		return mkdirs(out, (size_t)(slash - out));
	return 0;
}
