/*
 * cache.c - `docksec cache clean|dir`: the image layer cache
 * (src/image/cache.h) emptied, or its directory shown.
 */
#include "cmd.h"
#include "../image/cache.h"

int cmd_cache(int argc, char **argv)
{
	struct ds_err err = {0};
	char dir[PATH_MAX];
	size_t n = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		puts("usage: docksec cache clean|dir\n\n"
		     "The layer cache of `docksec scan` and `docksec audit` (4.8): what reading each layer found,\n"
		     "by the layer's digest, under $XDG_CACHE_HOME/docksec/layers (default ~/.cache/docksec).\n"
		     "clean removes every entry; dir prints the directory of this version's entries.");
		return DS_EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "dir")) {
		if (img_cache_dir(dir, sizeof(dir), false)) {
			ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "no cache directory: set HOME or XDG_CACHE_HOME");
			return cmd_error(&err);
		}
		puts(dir);
		return DS_EXIT_OK;
	}
	if (argc == 2 && !strcmp(argv[1], "clean")) {
		if (img_cache_clean(&n, &err))
			return cmd_error(&err);
		cmd_notice("removed %zu cached layer%s", n, n == 1 ? "" : "s");
		return DS_EXIT_OK;
	}
	ds_err_set(&err, DS_EUSAGE, NULL, 0, 0, "cache takes clean or dir");
	return cmd_error(&err);
}
