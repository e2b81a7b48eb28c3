/*
 * cachedir.h - where docksec keeps what it may throw away: the layer cache
 * and the vulnerability database live under one directory,
 * $XDG_CACHE_HOME/docksec (absolute values only), else ~/.cache/docksec.
 * docksec writes nowhere else on its own.
 */
#ifndef DS_CACHEDIR_H
#define DS_CACHEDIR_H

#include "ds.h"

enum ds_cache_create { DS_CACHE_NONE, DS_CACHE_DIR, DS_CACHE_PARENT };

/* The path REL under the cache directory in out: 0, or -1 when neither
 * variable is usable, out is too small, or a directory could not be made.
 * DS_CACHE_DIR creates the path itself as a directory, DS_CACHE_PARENT
 * the directories above it (each 0700). */
int ds_cache_path(char *out, size_t n, const char *rel, enum ds_cache_create create);

#endif
